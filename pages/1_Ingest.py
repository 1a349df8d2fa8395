"""Ingest: paste an article or upload files, see what the parser found, and store it.

Every string that comes from an article reaches the browser either as table cells (st.dataframe
draws text, never HTML) or HTML-escaped inside st.html; articles are untrusted input.
"""

from __future__ import annotations

import datetime as dt
import html
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

import app_state
from geo.model import Document
from geo.store import Store
from geo.store.readers import KNOWN_SUFFIXES, Item, ReadError, read_file
from geo.text.pipeline import InputError, default_pipeline
from geo.web.popups import date_cell
from geo.web.styles import type_style

# Per uploaded file. JSONL and CSV files hold many articles; the readers enforce the per-article
# limit themselves, with a message naming the file and line.
MAX_UPLOAD_MB = 50
PASTED = "<pasted text>"

st.set_page_config(page_title="Ingest · Dateline", layout="wide")


@st.cache_resource(show_spinner="Loading the parser…")
def pipeline():
    return default_pipeline()


@dataclass
class Outcome:
    """What happened to one input: its parsed article (if any), whether it was stored, or why not."""

    where: str
    doc: Document | None = None
    status: str = ""  # stored | duplicate | preview | failed
    article_id: int | None = None
    error: str | None = None


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def uploaded_items(files) -> list[Item | ReadError]:
    """The articles in uploaded files, read by the same readers as `python -m geo ingest`.

    The readers take paths, so each upload is written to a private temporary folder under its
    own base name and the temporary path is replaced by that name in what comes back.
    """
    out: list[Item | ReadError] = []
    with tempfile.TemporaryDirectory(prefix="dateline-upload-") as tmp:
        for i, f in enumerate(files):
            name = Path(f.name).name or f"upload-{i + 1}"
            folder = Path(tmp) / str(i)  # two uploads may share a name
            folder.mkdir()
            path = folder / name
            path.write_bytes(f.getvalue())
            for x in read_file(path):
                x.source = name
                out.append(x)
    return out


def process(items: list[Item | ReadError], store: Store | None, bar) -> Run:
    """Parse each article and, unless previewing, store it in its own transaction, so one bad
    input never costs an article stored before or after it."""
    run, run_id = Run(), uuid.uuid4().hex[:12]
    total = len(items)
    # The store's aliases ("Georgia" -> the US state) are part of how its articles are read.
    pipeline().aliases = store.alias_places() if store is not None else {}
    for i, x in enumerate(items):
        bar.progress(i / total, text=f"Parsing {x.where} ({i + 1} of {total})")
        if isinstance(x, ReadError):
            run.outcomes.append(Outcome(x.where, status="failed", error=x.reason))
            if store is not None:
                store.add_error(x.source, x.line, x.reason, run=run_id)
            continue
        try:
            doc = pipeline().parse(x.text, published=x.published, title=x.title)
        except Exception as e:  # noqa: BLE001 - one article's failure, as in `geo ingest`
            reason = str(e) if isinstance(e, InputError) else f"parse failed: {type(e).__name__}: {e}"
            run.outcomes.append(Outcome(x.where, status="failed", error=reason))
            if store is not None:
                store.add_error(x.source, x.line, reason, run=run_id)
            continue
        if store is None:
            run.outcomes.append(Outcome(x.where, doc, "preview"))
            continue
        article_id = store.add_document(
            doc, url=x.url, source=x.where, site=x.site, external_id=x.external_id, parser_version=pipeline().version
        )
        run.outcomes.append(Outcome(x.where, doc, "stored" if article_id else "duplicate", article_id))
    bar.progress(1.0, text=f"Done: {total} input{'s' if total != 1 else ''}")
    return run


# -- showing a parsed article ------------------------------------------------------------------


def place_label(place) -> str:
    if place is None:
        return ""
    where = ", ".join(p for p in (place.admin1, place.country_code) if p)
    return f"{place.name} ({where})" if where else place.name


def highlighted(doc: Document) -> str:
    """The article text as HTML, each mention marked and numbered like the mentions table; the
    tooltip names the chosen place and why."""
    parts, pos = [], 0
    for n, m in enumerate(sorted(doc.mentions, key=lambda m: m.start), start=1):
        if m.start < pos:  # overlapping spans: the first one wins
            continue
        parts.append(esc(doc.text[pos : m.start]))
        tip = f"{place_label(m.place)}: {m.reason}" if m.place else "not resolved"
        colour = "#fde68a" if m.place else "#e5e7eb"
        parts.append(
            f'<mark title="{esc(tip)}" style="background:{colour};padding:0 2px;border-radius:3px">'
            f"{esc(doc.text[m.start : m.end])}<sup>{n}</sup></mark>"
        )
        pos = m.end
    parts.append(esc(doc.text[pos:]))
    return '<div style="white-space:pre-wrap;line-height:1.7">' + "".join(parts) + "</div>"


def mentions_frame(doc: Document) -> pd.DataFrame:
    rows = []
    for n, m in enumerate(sorted(doc.mentions, key=lambda m: m.start), start=1):
        p = m.place
        rows.append(
            {
                "#": n,
                "mention": m.text,
                "kind": m.kind,
                "place": place_label(p),
                "level": p.level if p else None,
                "lat": round(p.lat, 4) if p else None,
                "lon": round(p.lon, 4) if p else None,
                "score": round(m.score, 3) if p else None,
                "reason": m.reason or None,
                "candidates": "; ".join(f"{place_label(c.place)} {c.score:.2f}" for c in m.candidates) or None,
            }
        )
    return pd.DataFrame(rows)


def events_frame(doc: Document) -> pd.DataFrame:
    def where(m):
        return place_label(m.place) if m is not None and m.place is not None else None

    return pd.DataFrame(
        [
            {
                "type": type_style(e.type).label,
                "trigger": e.trigger,
                "date": date_cell(e.date, e.date_precision),
                "precision": e.date_precision,
                "actors": ", ".join(e.actors) or None,
                "count": e.count,
                "location": where(e.location),
                "origin": where(e.origin),
                "destination": where(e.destination),
                "why this place": e.location_reason or None,
                "sentence": e.sentence,
            }
            for e in doc.events
        ]
    )


def show_document(doc: Document) -> None:
    st.html(f"<h3>{esc(doc.title or 'Untitled article')}</h3>")
    published = doc.published.isoformat() if doc.published else "no publication date"
    st.caption(f"{published} · {len(doc.mentions)} mentions · {len(doc.events)} events")
    st.html(highlighted(doc))
    st.markdown("**Mentions**: the place chosen for each, why, and the other candidates")
    if doc.mentions:
        st.dataframe(mentions_frame(doc), hide_index=True, placeholder="", key="mentions_table")
    else:
        st.info("No place names found.")
    st.markdown("**Events**")
    if doc.events:
        st.dataframe(events_frame(doc), hide_index=True, placeholder="", key="events_table")
    else:
        st.info("No events found.")


STATUS = {
    "stored": "stored",
    "duplicate": "already stored (same URL or text), nothing changed",
    "preview": "preview only, not stored",
}


def show_run(run: Run) -> None:
    stored, dup, preview, failed = (run.count(s) for s in ("stored", "duplicate", "preview", "failed"))
    summary = f"{stored} stored, {dup} already stored, {preview} previewed, {failed} failed"
    (st.warning if failed else st.success)(summary)
    for o in run.outcomes:
        if o.status == "failed":
            app_state.plain(f"{o.where}: {o.error}", tone="error")  # file names and reasons quote the input
    parsed = [o for o in run.outcomes if o.doc is not None]
    if not parsed:
        return
    chosen = parsed[0]
    if len(parsed) > 1:
        chosen = st.selectbox(
            "Article",
            parsed,
            format_func=lambda o: f"{o.where}: {o.doc.title or o.doc.text[:60]}",
            key="ingest_article",
        )
    app_state.plain(f"{chosen.where}: {STATUS[chosen.status]}")
    show_document(chosen.doc)


# -- the page ----------------------------------------------------------------------------------

st.title("Ingest articles")
store = app_state.get_store()
url = store.engine.url
# The store's name only: a visitor has no business with the server's folders or database host.
where = Path(url.database or "").name if url.get_backend_name() == "sqlite" else f"PostgreSQL database {url.database}"
app_state.plain(f"Articles are stored in {where} (the DATELINE_DB setting names another store).")
keep = st.checkbox(
    "Store the articles", value=True, key="store_articles", help="Unchecked: parse and show only; the store is not touched."
)
paste_tab, upload_tab = st.tabs(["Paste text", "Upload files"])

with paste_tab, st.form("paste"):
    title = st.text_input("Title (optional)", key="paste_title")
    published = st.date_input(
        "Publication date (optional)",
        value=None,
        min_value=dt.date(1900, 1, 1),
        key="paste_published",
        help="Relative dates in the text ('on Monday', 'last week') are resolved against it.",
    )
    text = st.text_area("Article text", height=220, key="paste_text")
    pasted = st.form_submit_button("Parse", type="primary", key="paste_go")

with upload_tab:
    suffixes = sorted(s.lstrip(".") for s in KNOWN_SUFFIXES)
    files = st.file_uploader(
        "Articles: .txt (title on the first line), .html, .jsonl or .csv (id, title, url, published, text)",
        type=suffixes,
        accept_multiple_files=True,
        max_upload_size=MAX_UPLOAD_MB,
        key="upload_files",
    )
    uploaded = st.button("Parse files", disabled=not files, key="upload_go")

items: list[Item | ReadError] | None = None
if pasted:
    if not text.strip():
        st.warning("Paste some article text first.")
    else:
        items = [Item(PASTED, None, text, title=title.strip() or None, published=published)]
elif uploaded and files:
    items = uploaded_items(files)

if items is not None:
    bar = st.progress(0.0, text="Starting")
    st.session_state["ingest_run"] = process(items, store if keep else None, bar)

if "ingest_run" in st.session_state:
    show_run(st.session_state["ingest_run"])
