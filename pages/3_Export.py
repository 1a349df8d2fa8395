"""Export: the events and flows under the current filters as GeoJSON, CSV and GeoPackage files."""

from __future__ import annotations

import streamlit as st

import app_state
from geo.store import Filters
from geo.store.export import MEDIA_TYPES, export_bytes, geojson_chunks

# Above this many events the CSV and GeoPackage files are built when their button is clicked,
# not on every rerun of the page; their sizes are then not known in advance.
EAGER_EVENTS = 20_000

FORMATS = {
    "geojson": ("GeoJSON", ".geojson", "RFC 7946 FeatureCollection: events as points, flows as lines, WGS 84 lon/lat."),
    "csv": ("CSV", "-events.csv", "One row per event with lon/lat and the flow ends; actors joined by '; '."),
    "gpkg": ("GeoPackage", ".gpkg", "Layers `events` (points) and `flows` (lines), for QGIS and other GIS tools."),
}
MAX_NAME = 80  # characters before the suffix; file systems allow 255, a download list shows fewer


def file_stem(f: Filters) -> str:
    """A file name that says what was exported: dateline-2019-02-01-to-2019-03-31-border-crossing-VE-CO;
    plain dateline for everything. Only letters, digits and hyphens, so any file system takes it."""
    import re
    import unicodedata

    start, end = f.window()
    parts = []
    if start or end:
        parts.append(f"{start or 'start'}-to-{end or 'end'}")
    parts += [t.replace("_", "-") for t in f.types] + list(f.countries) + list(f.actors)
    if f.text:
        parts.append(f.text)
    if f.min_confidence:
        parts.append(f"conf-{f.min_confidence:g}")
    words = []
    for p in parts:
        ascii_ = unicodedata.normalize("NFKD", str(p)).encode("ascii", "ignore").decode()
        w = re.sub(r"[^A-Za-z0-9.]+", "-", ascii_).strip("-.")
        if w:
            words.append(w)
    stem = "-".join(["dateline", *words])
    return stem if len(stem) <= MAX_NAME else stem[:MAX_NAME].rstrip("-.")

st.set_page_config(page_title="Export · Dateline", layout="wide")


# -- building the files ------------------------------------------------------------------------
# Cached per store state and filter, so a rerun (a click on another button) does not rebuild
# them; `state` (app_state.store_state) changes whenever anything is stored.


@st.cache_data(max_entries=6, show_spinner="Writing GeoJSON…")
def geojson_file(url: str, state: str, key: str) -> tuple[bytes, int, int]:
    counts: dict[str, int] = {}
    data = "".join(geojson_chunks(app_state.get_store(), Filters.from_key(key), counts=counts)).encode("utf-8")
    return data, counts["event"], counts["flow"]


@st.cache_data(max_entries=6, show_spinner="Writing the file…")
def other_file(url: str, state: str, key: str, fmt: str) -> bytes:
    return export_bytes(app_state.get_store(), fmt, Filters.from_key(key))


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def size(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return ""


# -- the page ----------------------------------------------------------------------------------

store = app_state.get_store()
url = store.url
selection = app_state.sidebar_filters(store)
st.title("Export")
app_state.plain(f"The events selected in the sidebar ({selection.describe(app_state.country_name)}), as files for GIS tools and spreadsheets.")
st.caption(app_state.counts_line(store, selection))

state = app_state.store_state(url)
key = selection.to_key()
geojson, n_events, n_flows = geojson_file(url, state, key)
c1, c2 = st.columns(2)
c1.metric("Events", f"{n_events:,}")
c2.metric("Flows (origin → destination)", f"{n_flows:,}")
if n_events == 0:
    st.info(
        "No events stored yet: ingest some articles."
        if selection.is_empty()
        else "No events match these filters: the files would be empty."
    )

stem = file_stem(selection)
for fmt, (label, suffix, what) in FORMATS.items():
    with st.container(border=True):
        left, right = st.columns([3, 1], vertical_alignment="center")
        if fmt == "geojson":
            data, note = geojson, f"{plural(n_events, 'event')} and {plural(n_flows, 'flow')} · {size(len(geojson))}"
        elif n_events <= EAGER_EVENTS:
            data = other_file(url, state, key, fmt)
            rows = plural(n_events, "event") + (f" and {plural(n_flows, 'flow')}" if fmt == "gpkg" else "")
            note = f"{rows} · {size(len(data))}"
        else:
            data = lambda fmt=fmt: other_file(url, state, key, fmt)  # built on click
            note = f"{plural(n_events, 'event')} · built when you click"
        left.markdown(f"**{label}**: {what}")
        left.caption(note)
        right.download_button(
            f"Download {label}",
            data=data,
            file_name=stem + suffix,
            mime=MEDIA_TYPES[fmt],
            key=f"download_{fmt}",
            on_click="ignore",
            disabled=n_events == 0 and n_flows == 0,
            icon=":material/download:",
        )
