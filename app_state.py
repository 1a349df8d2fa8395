"""What every page shares: the store, cached queries and the sidebar of filters, kept in the URL.

For the pages in pages/:

    import app_state
    store = app_state.get_store()
    f = app_state.sidebar_filters(store)     # draws the sidebar; returns a geo.store.Filters
    events = app_state.cached_events(store, f, limit=5000)
    store.counts_by_country(f)               # every Store query and geo.store.export take it

The URL is the selection: geo/store/filters.py names the keys (dates, type, country, actor, q, conf, brush).
The widgets are not bound to the URL (`bind="query-params"`): a bound multiselect writes its
displayed labels into the URL, and these labels carry counts and country names, so links would
break as data arrives. Instead the selection lives in `st.session_state["dl_filters"]`, is read
from the URL when a session starts, and is written back to the URL on every run of every page,
so switching pages keeps it and a copied link reproduces it.

Caching: queries are cached with st.cache_data keyed by the store URL, the store's state (its
row counts, re-read at most every STATE_TTL seconds, so new articles show within that) and the
filters.
"""

from __future__ import annotations

import datetime as dt
import json

import streamlit as st

from geo import settings
from geo.store import Filters, Store, normalise_url
from geo.store.filters import QUERY_KEYS
from geo.web.styles import type_order

STATE_TTL = 2.0
TOP_ACTORS = 50
# Bounds of the date picker: wide, so a link made on a larger store still opens.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)

# Widget keys: never the URL names, so Streamlit's own URL binding can never claim them.
W_DATES, W_TYPES, W_COUNTRIES, W_ACTORS, W_TEXT = "f_dates", "f_types", "f_countries", "f_actors", "f_text"
W_CONF = "f_conf"
S_FILTERS, S_BRUSH, S_EXTENT = "dl_filters", "dl_brush", "dl_extent"


@st.cache_resource(show_spinner=False)
def open_store(url: str) -> Store:
    return Store(url)


def get_store() -> Store:
    """The store named by DATELINE_DB (else data/dateline.db), opened once per server process."""
    return open_store(normalise_url(settings.db_url()))


@st.cache_data(ttl=STATE_TTL, show_spinner=False)
def store_state(url: str) -> str:
    """Changes whenever rows are added or removed: part of every cache key below."""
    return json.dumps(open_store(url).counts(), sort_keys=True)


# Cached functions take the selection as its key (Filters.to_key): a text st.cache_data hashes
# cheaply, which turns back into the same Filters.


@st.cache_data(max_entries=64, show_spinner=False)
def _facets(url: str, state: str, key: str) -> dict:
    return open_store(url).facets(Filters.from_key(key), top=TOP_ACTORS)


def facets(store: Store, f: Filters | None = None) -> dict:
    """Store.facets under the selection (none: the whole store), cached."""
    return _facets(store.url, store_state(store.url), (f or Filters()).to_key())


@st.cache_data(max_entries=32, show_spinner=False)
def _events(url: str, state: str, key: str, limit: int | None):
    return open_store(url).events(Filters.from_key(key), limit=limit)


def cached_events(store: Store, f: Filters, limit: int | None = None):
    """Store.events for the selection (brush applied), newest first, cached."""
    return _events(store.url, store_state(store.url), f.to_key(), limit)


@st.cache_data(max_entries=32, show_spinner=False)
def _counts_by_day(url: str, state: str, key: str):
    return open_store(url).counts_by_day(Filters.from_key(key), by="type")


def counts_by_day(store: Store, f: Filters):
    return _counts_by_day(store.url, store_state(store.url), f.to_key())


_COUNTRY_NAMES: dict[str, str] = {}


def country_name(cc: str) -> str:
    """A short English name for an ISO code: countryinfo's, else pycountry's, else the code."""
    if not _COUNTRY_NAMES:
        try:
            from geo.gazetteer import country_shapes

            for feat in country_shapes()["features"]:
                p = feat["properties"]
                _COUNTRY_NAMES.setdefault(p["iso_a2"], str(p.get("name") or p["iso_a2"]))
        except Exception:  # noqa: BLE001 - names are a nicety; codes still work
            _COUNTRY_NAMES["--"] = "--"
    if cc in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[cc]
    import pycountry

    c = pycountry.countries.get(alpha_2=cc)
    name = (getattr(c, "common_name", None) or c.name) if c else cc
    _COUNTRY_NAMES[cc] = name
    return name


def _extent(whole: dict) -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    lo, hi = whole.get("start") or today, whole.get("end") or today
    return lo, hi


def current_filters() -> Filters:
    """The selection without drawing anything: from the session, else from the URL."""
    f = st.session_state.get(S_FILTERS)
    if f is None:
        f = Filters.from_query(st.query_params)
        st.session_state[S_FILTERS] = f
        st.session_state[S_BRUSH] = f.brush
    return f


def set_brush(brush: tuple[dt.date, dt.date] | None) -> None:
    """Called by the map page's timeline: a brushed range narrows every page's dates."""
    st.session_state[S_BRUSH] = brush


def _seed(f: Filters, extent: tuple[dt.date, dt.date]) -> None:
    """Put the selection into widgets that have no state yet (a new session, or a page switch,
    after which Streamlit forgets the state of widgets the previous page drew)."""
    ss = st.session_state
    if W_DATES not in ss:
        ss[W_DATES] = (f.start, f.end) if f.start and f.end else extent
        ss[S_EXTENT] = extent
    if W_TYPES not in ss:
        ss[W_TYPES] = list(f.types)
    if W_COUNTRIES not in ss:
        ss[W_COUNTRIES] = list(f.countries)
    if W_ACTORS not in ss:
        ss[W_ACTORS] = list(f.actors)
    if W_TEXT not in ss:
        ss[W_TEXT] = f.text
    if W_CONF not in ss:
        ss[W_CONF] = f.min_confidence


def _reset() -> None:
    ss = st.session_state
    for k in (W_DATES, W_TYPES, W_COUNTRIES, W_ACTORS, W_TEXT, W_CONF):
        ss.pop(k, None)
    ss[S_FILTERS] = Filters()
    ss[S_BRUSH] = None


def _clear_brush() -> None:
    st.session_state[S_BRUSH] = None


def sync_query_params(f: Filters) -> None:
    """Make the URL say `f`; other keys (the map's `view`) are left alone."""
    want = f.to_query()
    qp = st.query_params
    for k in QUERY_KEYS:
        if k in want:
            v = want[k]
            if (qp.get_all(k) if isinstance(v, list) else qp.get(k)) != v:
                qp[k] = v
        elif k in qp:
            del qp[k]


def sidebar_filters(store: Store | None = None, *, title: str = "Filters") -> Filters:
    """Draw the filters in the sidebar and return the selection (the URL follows it).

    Option labels show how many events each would select under the dates and text chosen."""
    store = store or get_store()
    f0 = current_filters()
    whole = facets(store)
    extent = _extent(whole)
    _seed(f0, extent)
    ss = st.session_state
    with st.sidebar:
        st.header(title)
        dates = st.date_input(
            "Dates", min_value=min(EARLIEST, extent[0]), max_value=max(LATEST, extent[1]), key=W_DATES, format="YYYY-MM-DD",
            help="First and last day, inclusive. The whole span of the store selects undated events too.",
        )
        start, end = (tuple(dates) + (None, None))[:2] if isinstance(dates, (tuple, list)) else (dates, None)
        seeded_extent = ss.get(S_EXTENT, extent)
        if (start, end) in ((extent[0], extent[1]), tuple(seeded_extent)) or start is None or end is None:
            start = end = None  # the whole span: no date filter, so undated events stay in
        text_now, conf_now = ss.get(W_TEXT, ""), ss.get(W_CONF, 0.0)
        near = facets(store, Filters(start=start, end=end, text=text_now, min_confidence=conf_now))
        n_type, n_country, n_actor = dict(near["types"]), dict(near["countries"]), dict(near["actors"])
        type_opts = type_order([t for t, _ in whole["types"]] + list(ss[W_TYPES]))
        types = st.multiselect(
            "Event types", type_opts, key=W_TYPES, placeholder="All types",
            format_func=lambda t: f"{t.replace('_', ' ')} ({n_type.get(t, 0):,})",
        )  # fmt: skip
        country_opts = sorted({c for c, _ in whole["countries"]} | set(ss[W_COUNTRIES]), key=lambda c: country_name(c))
        countries = st.multiselect(
            "Countries", country_opts, key=W_COUNTRIES, placeholder="All countries",
            format_func=lambda c: f"{country_name(c)} · {c} ({n_country.get(c, 0):,})",
        )  # fmt: skip
        actor_opts = list(dict.fromkeys([a for a, _ in near["actors"]] + [a for a, _ in whole["actors"]] + list(ss[W_ACTORS])))
        actor_count = {a.casefold(): n for a, n in n_actor.items()}
        actors = st.multiselect(
            "Actors", actor_opts, key=W_ACTORS, placeholder="All actors", accept_new_options=True,
            format_func=lambda a: f"{a} ({actor_count[a.casefold()]:,})" if a.casefold() in actor_count else a,
            help="The most frequent actors are listed; type any other name and press Enter. Case is ignored.",
        )  # fmt: skip
        text = st.text_input(
            "Text", key=W_TEXT, placeholder="words in the evidence, place or actors",
            help="Every word must appear (as a word prefix) in the evidence sentence, the place name or the actors.",
        )  # fmt: skip
        conf = st.slider(
            "Minimum confidence", min_value=0.0, max_value=1.0, step=0.05, key=W_CONF,
            help="How firmly the text reports an event: lower when it is hedged ('may'), planned, "
            "denied or failed. 0 shows every event.",
        )  # fmt: skip
        brush = ss.get(S_BRUSH)
        if brush:
            st.caption(f"Timeline selection: {brush[0]} to {brush[1]}")
            st.button("Clear timeline selection", on_click=_clear_brush, key="f_clear_brush")
        f = Filters(
            start=start, end=end, types=types, countries=countries, actors=actors, text=text or "",
            min_confidence=float(conf), brush=brush,
        )  # fmt: skip
        # From this run's widgets, not the last run's selection, or the button lags a step.
        st.button("Reset filters", on_click=_reset, key="f_reset", disabled=f.is_empty())
    ss[S_FILTERS] = f
    sync_query_params(f)
    st.sidebar.caption(counts_line(store, f))
    return f


@st.cache_data(max_entries=64, show_spinner=False)
def _count(url: str, state: str, key: str) -> int:
    # One grouped count: a fraction of facets(), which also ranks types, countries and actors.
    by_country = open_store(url).counts_by_country(Filters.from_key(key))
    return int(by_country["events"].sum()) if len(by_country) else 0


def count(store: Store, f: Filters) -> int:
    """How many events the selection selects, cached."""
    return _count(store.url, store_state(store.url), f.to_key())


def counts_line(store: Store, f: Filters) -> str:
    """'25 of 384 events selected · 65 articles in the store' for captions."""
    whole = facets(store)
    return f"{count(store, f):,} of {whole['events']:,} events selected · {whole['articles']:,} articles in the store"
