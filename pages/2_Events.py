"""Events: the filtered events as a sortable table; a selected row shows its evidence and places,
and the forms that correct it (place, type, date, not an event; geo/store/corrections.py).

`?event=ID` selects an event, also one the filters leave out: the map's "Correct…" links land
here. Article strings reach the browser only as table cells (drawn as text) or HTML-escaped in st.html.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

import app_state
from geo.store import Store
from geo.store.corrections import EVENT_TYPES, PRECISIONS, CorrectionError, date_value
from geo.web.popups import date_cell, date_label, evidence_html
from geo.web.styles import type_style

# Rows sent to the browser; a larger selection is cut to the newest, with a note. Sorting in the
# table then sorts those rows only, which the note says.
MAX_ROWS = 5_000

st.set_page_config(page_title="Events · Dateline", layout="wide")


# -- the selected event ------------------------------------------------------------------------


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def article_html(article: dict) -> str:
    """The article text, escaped, every mention marked with its place and reason as a tooltip."""
    parts, pos = [], 0
    text = article["text"]
    for m in sorted(article["mentions"], key=lambda m: m["start"]):
        if m["start"] < pos or m["end"] > len(text):
            continue
        parts.append(esc(text[pos : m["start"]]))
        parts.append(f'<mark title="{esc(mention_tip(m))}">{esc(text[m["start"] : m["end"]])}</mark>')
        pos = m["end"]
    parts.append(esc(text[pos:]))
    return '<div style="white-space:pre-wrap;line-height:1.7">' + "".join(parts) + "</div>"


def mention_tip(m: dict) -> str:
    return f"{m['name']}: {m['reason']}" if m["name"] else "not resolved"


def mention_reason(article: dict | None, place_name, sentence: str) -> str | None:
    """Why the parser read a name as `place_name`: from its mention in this sentence, else from
    the first one in the article (a dateline places events of later sentences)."""
    if not article or not place_name:
        return None
    at = article["text"].find(sentence) if sentence else -1
    named = [m for m in article["mentions"] if m["name"] == place_name and m["reason"]]
    inside = [m for m in named if at >= 0 and at <= m["start"] < at + len(sentence)]
    return (inside or named or [{"reason": None}])[0]["reason"]


def safe_link(url) -> str | None:
    """Only web links become clickable: a stored URL could say javascript:."""
    if not isinstance(url, str) or urlsplit(url).scheme.lower() not in ("http", "https"):
        return None
    return url


def show_event(store: Store, row, linked: bool = False) -> None:
    article = store.article(int(row["article_id"]))
    date = date_label(row["date"], row["date_precision"])
    st.html(
        f"<h3>{esc(type_style(row['type']).label)} · {esc(date)} <small>({esc(row['date_precision'])} precision"
        + (f", from &lsquo;{esc(row['date_text'])}&rsquo;" if row["date_text"] else "")
        + ")</small></h3>"
    )
    if isinstance(row["correction"], str):
        st.html(f'<p style="color:#7c3aed"><b>✎ Corrected.</b> The parser said: {esc(row["correction"])}</p>')
    correction_forms(store, row, article, expanded=linked)
    sentence = row["sentence"] or ""
    st.markdown("**Evidence**")
    # The map's popups mark evidence the same way: the place mention marked, the trigger bold.
    marked = evidence_html(sentence, row["place_text"], row["trigger"], limit=len(sentence) + 1)
    st.html(
        '<blockquote style="border-left:4px solid #fbbf24;margin:0;padding:.4em 1em;line-height:1.7">'
        + marked
        + "</blockquote>"
    )
    places = []
    for role in ("location", "origin", "destination"):
        name = row[f"{role}_name"]
        if name:
            why = row["location_reason"] if role == "location" and row["location_reason"] else None
            places.append(
                {
                    "role": role,
                    "place": name,
                    "why this place for the event": why,
                    "why this reading of the name": mention_reason(article, name, sentence),
                }
            )
    if places:
        st.dataframe(pd.DataFrame(places), hide_index=True, placeholder="", key="event_places")
    else:
        st.info("The event has no place.")
    facts = {
        "trigger": row["trigger"],
        "actors": ", ".join(row["actors"]) if len(row["actors"]) else None,
        "target": row["target"],
        "count": None if pd.isna(row["count"]) else int(row["count"]),
        "date": date,
        "date precision": row["date_precision"],
        "confidence": row["confidence"],
        "country": row["country_code"],
    }
    st.dataframe(
        pd.DataFrame({"": list(facts), "value": [None if v is None else str(v) for v in facts.values()]}),
        hide_index=True,
        placeholder="",
        key="event_facts",
    )
    title = esc(row["article_title"] or "Untitled article")
    link = safe_link(row["article_url"])
    published = row["published"].date().isoformat() if pd.notna(row["published"]) else "no date"
    anchor = f'<a href="{esc(link)}" target="_blank" rel="noopener noreferrer">{title}</a>' if link else title
    st.html(f"<p>Article: {anchor} <small>({esc(published)})</small></p>")
    if article:
        with st.expander("Article text, places marked"):
            st.html(article_html(article))


# -- correcting the selected event --------------------------------------------------------------

S_DONE = "ev_done"  # what the last correction did, said after the rerun it causes


def changed(message: str, event_id: int) -> None:
    """After a write: every cached query is stale (the store's revision moved); say what was
    done, and keep showing the event as if linked to. The table starts a new selection: its rows
    may have changed under the old one (a selection is a row number), and the event may have
    left the filters."""
    app_state.store_state.clear()
    ss = st.session_state
    ss[S_DONE] = message
    ss["ev_link"] = ss["ev_seen"] = st.query_params["event"] = str(event_id)
    ss["ev_table"] = ss.get("ev_table", 0) + 1
    st.rerun()


def attempt(event_id: int, action, message) -> None:
    try:
        result = action()
    except CorrectionError as e:
        st.error(str(e))
        return
    changed(message(result) if callable(message) else message, event_id)


def place_label(p: dict) -> str:
    where = ", ".join(str(x) for x in (p.get("admin1"), p.get("country_code"), p.get("level")) if x)
    return f"{p['name']} ({where})" + (f" · GeoNames {p['geonameid']}" if p.get("geonameid") else "")


def place_choices(store: Store, row, article: dict | None, key: str) -> list[dict]:
    """The mention's own candidates (its place first), then what a gazetteer search finds."""
    near = article["text"].find(row["sentence"]) if article and row["sentence"] else -1
    found = store.mention_candidates(int(row["article_id"]), row["place_text"], near=near if near >= 0 else None)
    out = list(found)
    query = st.text_input("Search the gazetteer by name", key=f"{key}_q", placeholder="e.g. Georgia, Springfield")
    if query.strip():
        from geo.gazetteer import Gazetteer

        hits = Gazetteer.default().lookup(query.strip())[:25]
        out += [{"place": p, "name": p.name, "country_code": p.country_code, "admin1": p.admin1, "level": p.level,
                 "geonameid": p.geonameid, "why": "gazetteer search"} for p in hits]  # fmt: skip
        if not hits:
            st.caption(f"The gazetteer has no place called {query.strip()!r}.")
    return out


def correction_forms(store: Store, row, article: dict | None, expanded: bool) -> None:
    eid = int(row["id"])
    with st.expander("Correct this event", expanded=expanded, icon=":material/edit:"):
        place_tab, type_tab, date_tab, none_tab = st.tabs(["Place", "Type", "Date", "Not an event"])
        with place_tab:
            choices = place_choices(store, row, article, key=f"fix_place_{eid}")
            if not choices:
                st.caption("The parser listed no other places for this mention: search the gazetteer above.")
            else:
                pick = st.radio(
                    "Place", range(len(choices)), key=f"fix_place_{eid}_pick",
                    format_func=lambda i: f"{place_label(choices[i])} — {choices[i]['why']}",
                )  # fmt: skip
                name = row["place_text"]
                scopes = {"event": "This event only"}
                if name:
                    scopes["article"] = f"Every mention of ‘{name}’ in this article"
                    scopes["store"] = f"‘{name}’ everywhere in the store, and in articles to come (an alias)"
                scope = st.radio("Apply to", list(scopes), format_func=scopes.get, key=f"fix_place_{eid}_scope", horizontal=True)
                note = st.text_input("Note (why)", key=f"fix_place_{eid}_note")
                if st.button("Correct the place", key=f"fix_place_{eid}_go", type="primary"):
                    c = choices[pick]
                    place = c.get("place") or c["geonameid"]
                    if scope == "event":
                        attempt(eid, lambda: store.correct(eid, place=place, note=note), lambda cid: f"Place corrected (#{cid}).")
                    else:
                        aid = int(row["article_id"]) if scope == "article" else None
                        attempt(eid, lambda: store.add_alias(name, place, article_id=aid, note=note),
                                lambda r: f"Alias #{r[0]} added: ‘{name}’ is {c['name']}; {r[1]} event(s) changed.")  # fmt: skip
        with type_tab:
            types = list(EVENT_TYPES)
            new_type = st.selectbox(
                "Type", types, index=types.index(row["type"]) if row["type"] in types else 0,
                format_func=lambda t: type_style(t).label, key=f"fix_type_{eid}",
            )  # fmt: skip
            note = st.text_input("Note (why)", key=f"fix_type_{eid}_note")
            if st.button("Correct the type", key=f"fix_type_{eid}_go", type="primary", disabled=new_type == row["type"]):
                attempt(eid, lambda: store.correct(eid, type=new_type, note=note), lambda cid: f"Type corrected (#{cid}).")
        with date_tab:
            known = row["date"].date() if pd.notna(row["date"]) else None
            day = st.date_input("Date", value=known, key=f"fix_date_{eid}", format="YYYY-MM-DD")
            precision = st.selectbox(
                "Known to the", [*PRECISIONS, "none"], key=f"fix_date_{eid}_prec",
                index=[*PRECISIONS, "none"].index(row["date_precision"]) if row["date_precision"] in PRECISIONS else 0,
                format_func=lambda p: "undated" if p == "none" else p,
                help="A week is stored as its Monday, a month or year as its first day.",
            )  # fmt: skip
            note = st.text_input("Note (why)", key=f"fix_date_{eid}_note")
            if st.button("Correct the date", key=f"fix_date_{eid}_go", type="primary"):
                attempt(eid, lambda: store.correct(eid, date=date_value(day, precision), note=note), lambda cid: f"Date corrected (#{cid}).")
        with none_tab:
            st.caption("The sentence reports no event (a figure of speech, a misread word): the event leaves the map, "
                       "tables, counts and exports. Undo brings it back.")  # fmt: skip
            note = st.text_input("Note (why)", key=f"fix_none_{eid}_note")
            if st.button("Mark as not an event", key=f"fix_none_{eid}_go"):
                attempt(eid, lambda: store.correct(eid, not_event=True, note=note), lambda cid: f"Marked not an event (#{cid}); undo it below or on the Corrections page.")
        undo_list(store, store.corrections(event_id=eid, active=True))


def undo_list(store: Store, fixes: pd.DataFrame) -> None:
    """Active corrections, each with its Undo button."""
    for r in fixes.itertuples():
        eid = int(r.event_id)
        left, right = st.columns([5, 1], vertical_alignment="center")
        what = "not an event" if r.what == "not_event" else f"{r.what}: {r.old} → {r.value}"
        left.markdown(f"#{r.id} · {esc(what)}" + (f" · _{esc(r.note)}_" if isinstance(r.note, str) and r.note else ""))
        if right.button("Undo", key=f"undo_{r.id}"):
            attempt(eid, lambda i=r.id: store.undo(i), lambda msg, i=r.id: f"Undid #{i}: {msg}.")


def show_hidden(store: Store, row: dict) -> None:
    """An event marked not an event: what it was, and the way back."""
    st.warning(f"This event is marked not an event (correction #{row['hidden']}): it is left out everywhere.")
    st.html(f"<p><b>{esc(type_style(row['type']).label)}</b> · {esc(row['sentence'])}</p>")
    undo_list(store, store.corrections(event_id=int(row["id"]), active=True, what="not_event"))


# -- the page ----------------------------------------------------------------------------------

store = app_state.get_store()
selection = app_state.sidebar_filters(store)
st.title("Events")
if st.session_state.get(S_DONE):
    st.success(st.session_state.pop(S_DONE))
# A link names an event (the map's "Correct…"): shown even when the filters leave it out of the
# table, until a row is picked.
ss = st.session_state
wanted = st.query_params.get("event")
if wanted and ss.get("ev_seen") != wanted:
    ss["ev_link"] = wanted
ss["ev_seen"] = wanted
total = app_state.facets(store, selection)["events"]
events = app_state.cached_events(store, selection, limit=MAX_ROWS)
line = app_state.counts_line(store, selection)
if total > len(events):
    st.caption(f"{line}; the newest {len(events):,} are listed, and sorting sorts these. Narrow the filters to see others.")
else:
    st.caption(line)


def linked_event() -> tuple[dict | None, bool]:
    """The event a link named and no row has replaced yet, and whether the link named none there is."""
    want = ss.get("ev_link")
    if not want or want != st.query_params.get("event"):
        return None, False
    found = store.event(int(want)) if want.isdigit() else None
    return found, found is None


def show_linked(linked: dict) -> None:
    if linked["hidden"]:
        show_hidden(store, linked)
    else:
        show_event(store, linked, linked=True)


if events.empty:
    st.info("No events stored yet: ingest some articles." if selection.is_empty() else "No events match these filters.")
    linked, _ = linked_event()
    if linked is not None:
        show_linked(linked)
    st.stop()

def route(o, d) -> str | None:
    return None if pd.isna(o) and pd.isna(d) else f"{'?' if pd.isna(o) else o} → {'?' if pd.isna(d) else d}"


table = pd.DataFrame(
    {
        "id": events["id"],
        "date": [date_cell(d, p) for d, p in zip(events["date"], events["date_precision"])],
        "type": [type_style(t).label for t in events["type"]],
        "place": events["place_name"],
        "corrected": ["✎ " + c if isinstance(c, str) else None for c in events["correction"]],
        "country": events["country_code"],
        "actors": [", ".join(a) for a in events["actors"]],
        "count": events["count"],
        "route": [route(o, d) for o, d in zip(events["origin_name"], events["destination_name"])],
        "confidence": events["confidence"],
        "evidence": events["sentence"],
        "precision": events["date_precision"],
        "article": events["article_title"],
    }
)
# A copied URL names the event it showed; select it again when it is still in the table.
wanted = st.query_params.get("event")
rows_wanted = [int(i) for i in (table.index[table["id"].astype(str) == wanted] if wanted else [])]
picked = st.dataframe(
    table,
    hide_index=True,
    placeholder="",
    column_order=[c for c in table.columns if c != "id"],
    key="events_table" + (f"_{ss['ev_table']}" if ss.get("ev_table") else ""),  # a new one after each correction
    on_select=lambda: ss.pop("ev_link", None),
    selection_mode="single-row",
    selection_default={"selection": {"rows": rows_wanted[:1]}} if rows_wanted else None,
    height=460,
    column_config={
        "count": st.column_config.NumberColumn(format="compact", help="How many people or things"),
        "route": st.column_config.TextColumn(help="Origin → destination of a movement"),
        "date": st.column_config.TextColumn(help="As precisely as the text dates it: 2019 (a year), 2019-02 (a month), "
                                            "2019-02-18 (week) (the week starting that Monday) or a day"),
        "confidence": st.column_config.ProgressColumn(
            min_value=0.0, max_value=1.0, format="%.2f",
            help="How firmly the text reports the event: lower when it is hedged, planned, denied or failed",
        ),
        "evidence": st.column_config.TextColumn(width="large", help="The sentence the event was read from"),
        "corrected": st.column_config.TextColumn(help="What a user's correction changed: the parser's value, and the correction's number"),
    },
)
rows = picked.selection.rows
linked, missing = linked_event()
if rows and rows[0] < len(events):
    row = events.iloc[rows[0]]
    st.query_params["event"] = str(row["id"])
    ss["ev_seen"] = str(row["id"])
    show_event(store, row, linked=linked is not None and int(linked["id"]) == int(row["id"]))
elif linked is not None:
    show_linked(linked)
else:
    st.query_params.pop("event", None)
    if missing:
        st.warning(f"The link names event {wanted}, which this store does not have.")
    st.caption("Select a row to see its evidence and places.")
