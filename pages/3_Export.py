"""Export: the events and flows under the current filters as GeoJSON, CSV and GeoPackage files."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geo import filters as gf
from geo import settings
from geo.export import MEDIA_TYPES, export_bytes, geojson_chunks
from geo.filters import ViewFilters
from geo.store import Store

EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
# Above this many events the CSV and GeoPackage files are built when their button is clicked,
# not on every rerun of the page; their sizes are then not known in advance.
EAGER_EVENTS = 20_000

FORMATS = {
    "geojson": ("GeoJSON", "dateline.geojson", "RFC 7946 FeatureCollection: events as points, flows as lines, WGS 84 lon/lat."),
    "csv": ("CSV", "dateline-events.csv", "One row per event with lon/lat and the flow ends; actors joined by '; '."),
    "gpkg": ("GeoPackage", "dateline.gpkg", "Layers `events` (points) and `flows` (lines), for QGIS and other GIS tools."),
}

st.set_page_config(page_title="Export · Dateline", layout="wide")


@st.cache_resource
def open_store(url: str) -> Store:
    return Store(url)


# -- filters: the map page's, under the same query-parameter names ------------------------------
# (to be replaced by the shared sidebar in app_state.py once it lands)


def sidebar_filters(store: Store) -> ViewFilters:
    """The sidebar's selection. Each widget is bound to its query parameter (geo.filters names
    them), so the URL carries the selection from page to page; the map's timeline brush, when
    the URL has one, narrows the dates."""
    whole = store.facets()
    with st.sidebar:
        st.header("Filters")
        dates = st.date_input("Dates", value=[], min_value=EARLIEST, max_value=LATEST, key=gf.Q_DATES, bind="query-params")
        # Bound multiselects write the displayed label into the URL: no counts in labels, or a
        # link would break when the counts change.
        types = st.multiselect("Event types", [t for t, _ in whole["types"]], key=gf.Q_TYPES, bind="query-params")
        countries = st.multiselect("Countries", [c for c, _ in whole["countries"]], key=gf.Q_COUNTRIES, bind="query-params")
        actors = st.multiselect(
            "Actors", [a for a, _ in whole["actors"]], accept_new_options=True, key=gf.Q_ACTORS, bind="query-params"
        )
        text = st.text_input("Text", key=gf.Q_TEXT, bind="query-params", help="Words in the sentence, place or actors")
    start, end = dates if len(dates) == 2 else (None, None)
    brush = gf.parse_range(st.query_params.get(gf.Q_BRUSH))
    return ViewFilters(start, end, tuple(types), tuple(countries), tuple(actors), text, brush)


# -- building the files ------------------------------------------------------------------------
# Cached per store state and filter, so a rerun (a click on another button) does not rebuild
# them; `version` changes whenever anything is stored.


def _key(filters: dict) -> tuple:
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(filters.items()))


@st.cache_data(max_entries=6, show_spinner="Writing GeoJSON…")
def geojson_file(url: str, version: tuple, key: tuple) -> tuple[bytes, int, int]:
    counts: dict[str, int] = {}
    data = "".join(geojson_chunks(open_store(url), counts=counts, **dict(key))).encode("utf-8")
    return data, counts["event"], counts["flow"]


@st.cache_data(max_entries=6, show_spinner="Writing the file…")
def other_file(url: str, version: tuple, key: tuple, fmt: str) -> bytes:
    return export_bytes(open_store(url), fmt, **dict(key))


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def size(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return ""


# -- the page ----------------------------------------------------------------------------------

url = settings.db_url()
store = open_store(url)
selection = sidebar_filters(store)
filters = selection.store_kwargs()
st.title("Export")
st.caption(f"The events selected in the sidebar ({selection.describe()}), as files for GIS tools and spreadsheets.")

version = tuple(store.counts().values())
key = _key(filters)
geojson, n_events, n_flows = geojson_file(url, version, key)
c1, c2 = st.columns(2)
c1.metric("Events", f"{n_events:,}")
c2.metric("Flows (origin → destination)", f"{n_flows:,}")
if n_events == 0:
    st.info(
        "No events stored yet: ingest some articles."
        if selection.is_empty()
        else "No events match these filters: the files would be empty."
    )

for fmt, (label, file_name, what) in FORMATS.items():
    with st.container(border=True):
        left, right = st.columns([3, 1], vertical_alignment="center")
        if fmt == "geojson":
            data, note = geojson, f"{plural(n_events, 'event')} and {plural(n_flows, 'flow')} · {size(len(geojson))}"
        elif n_events <= EAGER_EVENTS:
            data = other_file(url, version, key, fmt)
            rows = plural(n_events, "event") + (f" and {plural(n_flows, 'flow')}" if fmt == "gpkg" else "")
            note = f"{rows} · {size(len(data))}"
        else:
            data = lambda fmt=fmt: other_file(url, version, key, fmt)  # built on click
            note = f"{plural(n_events, 'event')} · built when you click"
        left.markdown(f"**{label}**: {what}")
        left.caption(note)
        right.download_button(
            f"Download {label}",
            data=data,
            file_name=file_name,
            mime=MEDIA_TYPES[fmt],
            key=f"download_{fmt}",
            on_click="ignore",
            disabled=n_events == 0 and n_flows == 0,
            icon=":material/download:",
        )
