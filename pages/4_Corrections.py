"""Corrections: the store's aliases (a name's place, in one article or everywhere), each removable;
every correction made, with undo; and which parser versions produced the stored articles.

Corrections are made on the Events page (or with `python -m geo correct`); this page is where they
are reviewed. Undoing one keeps it in the list, marked undone.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

import app_state
from geo.store.corrections import CorrectionError
from geo.text.version import parser_version

st.set_page_config(page_title="Corrections · Dateline", layout="wide")

S_DONE = "fix_done"


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def done(message: str) -> None:
    app_state.store_state.clear()  # the store's revision moved: every cached query is stale
    st.session_state[S_DONE] = message
    st.rerun()


def undo(store, cid: int) -> None:
    try:
        message = store.undo(cid)
    except CorrectionError as e:
        st.error(str(e))
        return
    done(f"Undid #{cid}: {message}.")


def alias_form(store) -> None:
    """A store alias made here rather than from an event: a name, a place from the gazetteer."""
    from geo.gazetteer import Gazetteer

    with st.expander("Add an alias", icon=":material/add:"):
        name = st.text_input("Name, as articles write it", key="alias_name", placeholder="e.g. Georgia")
        query = st.text_input("Its place: search the gazetteer", key="alias_q", placeholder="e.g. Georgia")
        hits = Gazetteer.default().lookup(query.strip())[:25] if query.strip() else []
        if query.strip() and not hits:
            st.caption(f"The gazetteer has no place called {query.strip()!r}.")
        if hits:
            pick = st.radio(
                "Place", range(len(hits)), key="alias_pick",
                format_func=lambda i: ", ".join(str(x) for x in (hits[i].name, hits[i].admin1, hits[i].country_code, hits[i].level) if x)
                + (f" · GeoNames {hits[i].geonameid}" if hits[i].geonameid else ""),
            )  # fmt: skip
            note = st.text_input("Note (why)", key="alias_note")
            if st.button("Add the alias", type="primary", disabled=not name.strip(), key="alias_go"):
                try:
                    cid, n = store.add_alias(name, hits[pick], note=note)
                except CorrectionError as e:
                    st.error(str(e))
                    return
                done(f"Alias #{cid} added: ‘{name.strip()}’ is {hits[pick].name}; {n} event(s) changed.")


store = app_state.get_store()
app_state.sidebar_filters(store)
st.title("Corrections")
if st.session_state.get(S_DONE):
    st.success(st.session_state.pop(S_DONE))

versions = store.parser_versions()
current = parser_version()
older = sum(n for v, n in versions.items() if v != current)
if older:
    st.warning(
        f"{older:,} of {sum(versions.values()):,} articles were parsed by an older version of the parser. "
        "`python -m geo reparse` parses them again with this one, keeping every correction and alias."
    )
elif versions:
    st.caption(f"Every article was parsed by the current parser ({current}).")

st.subheader("Aliases")
st.caption(
    "A name that means one place: in one article, or everywhere in the store and in articles ingested or re-parsed "
    "from now on. An event's own place correction wins over an alias; an article's alias over the store's."
)
aliases = store.corrections(what="alias", active=True)
if aliases.empty:
    st.caption("No aliases yet. Make one from an event's place on the Events page, or here.")
for r in aliases.itertuples():
    scope = "everywhere" if pd.isna(r.article_id) else f"in article {int(r.article_id)} ({r.article_title or 'untitled'})"
    left, right = st.columns([6, 1], vertical_alignment="center")
    note = f" · _{esc(r.note)}_" if isinstance(r.note, str) and r.note else ""
    left.markdown(f"**‘{esc(r.name)}’** {esc(scope)} is **{esc(r.value)}** · #{r.id}, {r.at:%Y-%m-%d}{note}")
    if right.button("Remove", key=f"alias_rm_{r.id}"):
        undo(store, int(r.id))
alias_form(store)

st.subheader("Every correction")
fixes = store.corrections()
if fixes.empty:
    st.caption("No corrections yet: select an event on the Events page (or a map popup's “Correct…”) to make one.")
    st.stop()
table = pd.DataFrame(
    {
        "#": fixes["id"],
        "what": fixes["what"].str.replace("_", " "),
        "state": fixes["state"],
        "event": fixes["event_id"],
        "name": fixes["name"],
        "was": fixes["old"].where(fixes["what"] != "not_event"),
        "now": fixes["value"],
        "note": fixes["note"],
        "made": fixes["at"].dt.strftime("%Y-%m-%d %H:%M"),
        "undone": fixes["undone_at"].dt.strftime("%Y-%m-%d %H:%M"),
        "article": fixes["article_title"],
    }
)
st.dataframe(
    table, hide_index=True, placeholder="", key="fixes_table",
    column_config={"event": st.column_config.NumberColumn(help="Empty when a re-parse no longer finds the event (the correction waits for it)")},
)  # fmt: skip
active = fixes[fixes["state"] == "active"]
if len(active):
    labels = {int(r.id): f"#{r.id} · {r.what.replace('_', ' ')} · " + (f"event {int(r.event_id)}" if pd.notna(r.event_id) else f"‘{r.name}’") for r in active.itertuples()}
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    pick = left.selectbox("Undo a correction", list(labels), format_func=labels.get, key="undo_pick")
    if right.button("Undo", key="undo_go"):
        undo(store, int(pick))
