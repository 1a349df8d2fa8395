"""The map, Dateline's first page (app.py opens it); the other pages share its sidebar.

The map is a folium map drawn by streamlit-folium with returned_objects=[], so panning and
zooming never rerun the script; a filter change reruns it and sends the selection's layers,
which replace the old ones in the same map (its view is kept, and kept in the URL: see
static/dateline/map.js). Every script and stylesheet comes from /app/static (geo/web/assets.py):
nothing is fetched from the internet.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import app_state
from geo.store import Filters
from geo.web import assets
from geo.web.layers import base_map, data_layers, layer_control
from geo.web.map_data import MapData, map_data
from geo.web.playback import time_unit
from geo.web.styles import type_order, type_style
from geo.web.view import brush_range

MAP_HEIGHT = 600
TIMELINE_HEIGHT = 150

@st.cache_resource(show_spinner=False)
def install_assets() -> str:
    """Copy Leaflet & co. into static/vendor once per server (setup-app normally has)."""
    assets.install()
    return assets.fingerprint()


@st.cache_data(max_entries=32, show_spinner="Drawing the map…")
def cached_map_data(url: str, state: str, key: str) -> MapData:
    return map_data(app_state.open_store(url), Filters.from_key(key))


def _on_brush() -> None:
    state = st.session_state.get("timeline") or {}
    sel = (state.get("selection") or {}).get("brush") or {}
    values = next(iter(sel.values()), None) if isinstance(sel, dict) and sel else None
    app_state.set_brush(brush_range(values))


def timeline_unit(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """The bars' unit (geo/web/playback.py, whose bins the map's playback steps through): at most
    120 bars, so Vega's work (it evaluates each bar's colour, opacity and tooltip in the browser:
    about 0.1 s per 1,000 bar segments on a 2-CPU laptop) stays bounded whatever the store holds."""
    return time_unit(first.date(), last.date())


def timeline_frame(counts: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Events per day, week, month or year by type (timeline_unit): one row a bar segment."""
    df = counts.copy()
    df["date"] = pd.to_datetime(df["date"])
    unit = timeline_unit(df["date"].min(), df["date"].max())
    if unit == "week":
        df["date"] = df["date"].dt.to_period("W-SUN").dt.start_time
    elif unit in ("month", "year"):
        df["date"] = df["date"].dt.to_period(unit[0].upper()).dt.start_time
    df = df.groupby(["date", "type"], as_index=False)["events"].sum()
    step = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(days=7), "month": pd.DateOffset(months=1), "year": pd.DateOffset(years=1)}
    df["end"] = df["date"] + step[unit]
    df["kind"] = df["type"].str.replace("_", " ")
    # Date-only text is read as UTC midnight by the browser, and the chart's scale is UTC, so a
    # bar, the brush and the dates it sends back are the same days in every time zone.
    for c in ("date", "end"):
        df[c] = df[c].dt.strftime("%Y-%m-%d")
    return df, unit


def timeline_chart(df: pd.DataFrame, unit: str, brush: tuple[dt.date, dt.date] | None) -> alt.Chart:
    types = type_order(df["type"].unique())
    labels = [type_style(t).label for t in types]
    span = (pd.Timestamp(df["end"].max()) - pd.Timestamp(df["date"].min())).days
    # One label per year, month or day, never the same label twice.
    if span > 3 * 366:
        axis_format, ticks = "%Y", {"interval": "year", "step": max(1, span // 3650)}
    elif span > 120:
        axis_format, ticks = "%b %Y", {"interval": "month", "step": max(1, span // 365)}
    else:
        axis_format, ticks = "%d %b %Y", {"interval": "day", "step": max(1, span // 12)}
    value = None
    if brush:
        days = (brush[0], brush[1] + dt.timedelta(days=1))  # the end is exclusive: see brush_range
        value = {"x": [alt.DateTime(year=d.year, month=d.month, date=d.day, utc=True) for d in days]}
    sel = alt.selection_interval(name="brush", encodings=["x"], value=value)
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X(
                "date:T",
                title=None,
                scale=alt.Scale(type="utc"),
                axis=alt.Axis(labelOverlap=True, grid=False, format=axis_format, tickCount=ticks),
            ),
            x2="end:T",
            y=alt.Y("sum(events):Q", title=f"events per {unit}", axis=alt.Axis(tickMinStep=1)),
            # The key: the map's colours by the names the sidebar and legend use.
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=labels, range=[type_style(t).color for t in types]),
                legend=alt.Legend(title=None, orient="right", labelLimit=140, symbolSize=60, labelFontSize=11, rowPadding=1),
                sort=labels,
            ),
            opacity=alt.condition(sel, alt.value(1.0), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("date:N", title=unit.capitalize() + (" from" if unit != "day" else "")),
                alt.Tooltip("kind:N", title="Type"),
                alt.Tooltip("events:Q", title="Events"),
            ],
        )
        .add_params(sel)
        .properties(height=TIMELINE_HEIGHT)
    )


def map_page() -> None:
    st.set_page_config(page_title="Map · Dateline", layout="wide")
    install_assets()
    store = app_state.get_store()
    f = app_state.sidebar_filters(store)
    st.title("Map")
    # Containers in page order, filled out of order on a session's first run: the timeline is
    # sent first though it shows under the map, so the browser loads and compiles Vega-Lite
    # (about 1 MB of script) while the server is still aggregating and rendering the map, not
    # after, when it would hold up the map's own scripts (about 0.4 s). Later runs (a filter
    # change) send the map first: Vega is loaded, and redrawing the chart would only delay it.
    head, map_slot, timeline_slot = st.container(), st.container(), st.container()
    first_run = not st.session_state.get("dl_map_drawn")
    st.session_state["dl_map_drawn"] = True
    if first_run:
        with timeline_slot:
            timeline(store, f)

    state = app_state.store_state(store.url)
    data = cached_map_data(store.url, state, f.to_key())
    with head:
        headline(store, f, data)

    # The base map is the same for every selection, so the component keeps its map (view,
    # basemap, scripts) and only swaps the feature groups; returned_objects=[] means panning and
    # zooming send nothing back and never rerun this script.
    with map_slot:
        st_folium(
            base_map(),
            key="map",
            feature_group_to_add=data_layers(data),
            layer_control=layer_control(),
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=[],
        )
    if not first_run:
        with timeline_slot:
            timeline(store, f)


def headline(store, f, data: MapData) -> None:
    whole = app_state.facets(store)
    if whole["events"] == 0:
        st.info(
            "No events are stored yet. `make run` loads the bundled sample articles; the Ingest page "
            "takes your own."
        )

    def s(k: int) -> str:
        return "" if k == 1 else "s"

    parts = [f"**{data.events:,}** event{s(data.events)} selected"]
    if data.located:
        parts.append(f"**{data.located:,}** on the map at **{data.places:,}** place{s(data.places)}")
    if data.flow_events:
        drawn = f", busiest {data.routes_drawn:,} drawn" if data.routes_drawn < data.routes else ""
        parts.append(f"**{data.flow_events:,}** flow{s(data.flow_events)} ({data.routes:,} route{s(data.routes)}{drawn})")
    if data.events - data.located:
        parts.append(f"{data.events - data.located:,} without a place")
    st.markdown(" · ".join(parts))
    app_state.plain("Selection: " + f.describe(app_state.country_name))


def timeline(store, f) -> None:
    counts = app_state.counts_by_day(store, f.without("brush"))
    if len(counts):
        df, unit = timeline_frame(counts)
        st.altair_chart(
            timeline_chart(df, unit, f.brush), key="timeline", on_select=_on_brush, selection_mode="brush", width="stretch"
        )
        st.caption(
            f"Events per {unit}, coloured by type. Drag across the timeline to show only those dates on the map; "
            "click outside the selection to clear it. ▶ at the foot of the map plays the selection through time "
            "(cumulative, or a sliding window), one step per bar; undated events sit out."
        )
    else:
        st.caption("No dated events under these filters, so no timeline.")

map_page()
