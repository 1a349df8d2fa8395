"""Events: the filtered events as a sortable table; a selected row shows its evidence and places.

Article strings reach the browser only as table cells (drawn as text) or HTML-escaped in st.html.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

import app_state
from geo.store import Store
from geo.web.popups import date_label, evidence_html
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


def show_event(store: Store, row: pd.Series) -> None:
    article = store.article(int(row["article_id"]))
    date = date_label(row["date"], row["date_precision"])
    st.html(
        f"<h3>{esc(type_style(row['type']).label)} · {esc(date)} <small>({esc(row['date_precision'])} precision"
        + (f", from &lsquo;{esc(row['date_text'])}&rsquo;" if row["date_text"] else "")
        + ")</small></h3>"
    )
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


# -- the page ----------------------------------------------------------------------------------

store = app_state.get_store()
selection = app_state.sidebar_filters(store)
st.title("Events")
total = app_state.facets(store, selection)["events"]
events = app_state.cached_events(store, selection, limit=MAX_ROWS)
line = app_state.counts_line(store, selection)
if total > len(events):
    st.caption(f"{line}; the newest {len(events):,} are listed, and sorting sorts these. Narrow the filters to see others.")
else:
    st.caption(line)

if events.empty:
    st.info("No events stored yet: ingest some articles." if selection.is_empty() else "No events match these filters.")
    st.stop()

def route(o, d) -> str | None:
    return None if pd.isna(o) and pd.isna(d) else f"{'?' if pd.isna(o) else o} → {'?' if pd.isna(d) else d}"


table = pd.DataFrame(
    {
        "id": events["id"],
        "date": events["date"].dt.date,
        "type": [type_style(t).label for t in events["type"]],
        "place": events["place_name"],
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
    key="events_table",
    on_select="rerun",
    selection_mode="single-row",
    selection_default={"selection": {"rows": rows_wanted[:1]}} if rows_wanted else None,
    height=460,
    column_config={
        "count": st.column_config.NumberColumn(format="compact", help="How many people or things"),
        "route": st.column_config.TextColumn(help="Origin → destination of a movement"),
        "confidence": st.column_config.ProgressColumn(
            min_value=0.0, max_value=1.0, format="%.2f",
            help="How firmly the text reports the event: lower when it is hedged, planned, denied or failed",
        ),
        "evidence": st.column_config.TextColumn(width="large", help="The sentence the event was read from"),
    },
)
rows = picked.selection.rows
if rows and rows[0] < len(events):
    row = events.iloc[rows[0]]
    st.query_params["event"] = str(row["id"])
    show_event(store, row)
else:
    st.query_params.pop("event", None)
    st.caption("Select a row to see its evidence and places.")
