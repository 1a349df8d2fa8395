"""What every page shares: the store, cached queries and the sidebar of filters, kept in the URL.

For the pages in pages/:

    import app_state
    store = app_state.get_store()
    f = app_state.sidebar_filters(store)     # draws the sidebar; returns a geo.store.Filters
    events = app_state.cached_events(store, f, limit=5000)
    store.counts_by_country(f)               # every Store query and geo.store.export take it

The URL is the selection: geo/store/filters.py names the keys (dates, type, country, actor, q, conf, brush, statements).
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

import contextlib
import datetime as dt
import html
import json
import logging

import streamlit as st

from geo import settings
from geo.store import Filters, Store, normalise_url
from geo.store.filters import FIRST_DAY, LAST_DAY, QUERY_KEYS
from geo.web.styles import type_order
from geo.web.view import Q_VIEW, parse_view

STATE_TTL = 2.0
TOP_ACTORS = 50
# Bounds of the date picker: wide, so a link made on a larger store still opens; a link's dates
# are moved inside them (geo.store.filters.url_dates), since the picker fails on any outside.
EARLIEST, LATEST = FIRST_DAY, LAST_DAY

# Widget keys: never the URL names, so Streamlit's own URL binding can never claim them.
W_DATES, W_TYPES, W_COUNTRIES, W_ACTORS, W_TEXT = "f_dates", "f_types", "f_countries", "f_actors", "f_text"
W_CONF = "f_conf"
W_STATEMENTS = "f_statements"
# Every widget of the sidebar: dropped on a page switch or a reset, and seeded again from the selection.
WIDGETS = (W_DATES, W_TYPES, W_COUNTRIES, W_ACTORS, W_TEXT, W_CONF, W_STATEMENTS)
S_FILTERS, S_BRUSH, S_EXTENT = "dl_filters", "dl_brush", "dl_extent"
S_IGNORED, S_LINKED = "dl_ignored", "dl_linked"  # what the opening link said that was not used; its selection
log = logging.getLogger("dateline.app")


@st.cache_resource(show_spinner=False)
def open_store(url: str) -> Store:
    return Store(url)


def get_store() -> Store:
    """The store named by DATELINE_DB (else data/dateline.db), opened once per server process."""
    return open_store(normalise_url(settings.db_url()))


@st.cache_data(ttl=STATE_TTL, show_spinner=False)
def store_state(url: str) -> str:
    """Changes whenever articles are added or removed or anything is changed in place (a
    correction, an undo, a re-parse): part of every cache key below. Store.revision reads the
    articles' top id and count and one meta row; Store.counts would read every table, a second
    per new visitor at a million events."""
    return json.dumps(open_store(url).revision())


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


# Every page's frame: Streamlit leaves some 6rem above a page's first line for its toolbar, which
# is 3.75rem high; and it keeps the sidebar open on any window wider than 768 px, where on an
# 800 px window it covers a third of the page. The script folds it once per tab below
# NARROW_PX; a reader who opens it again keeps it open.
NARROW_PX = 1000
_CHROME_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.25rem; }
[data-testid="stMainBlockContainer"] h1 { padding-top: .25rem; }
</style>"""
_CHROME_JS = """<script>
(function () {
  if (window.innerWidth >= %d || sessionStorage.getItem("dateline-sidebar-folded")) return;
  var tries = 0, fold = function () {
    var side = document.querySelector('[data-testid="stSidebar"]');
    var holder = document.querySelector('[data-testid="stSidebarCollapseButton"]');
    var button = holder && (holder.tagName === "BUTTON" ? holder : holder.querySelector("button"));
    if (side && button && side.getAttribute("data-collapsed") === "false") {
      sessionStorage.setItem("dateline-sidebar-folded", "1"); button.click(); return;
    }
    if (++tries < 40) setTimeout(fold, 100);
  };
  fold();
})();
</script>""" % NARROW_PX


S_PAGE = "dl_page"


def begin_page(page: str) -> None:
    """What app.py does before every page: the frame they share (less blank space above the
    title, the sidebar folded on a narrow window), and noting a switch of pages, after which
    the sidebar's widgets are seeded again from the selection (see _seed)."""
    ss = st.session_state
    if ss.get(S_PAGE, page) != page:
        # The new page's widgets are new widgets: Streamlit drops the values the last page's
        # left under the same keys, so a selection that came in with a link was lost.
        for k in WIDGETS:
            ss.pop(k, None)
    ss[S_PAGE] = page
    st.html(_CHROME_CSS)
    st.html(_CHROME_JS, unsafe_allow_javascript=True)


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
    """The selection without drawing anything: from the session, else from the URL (what the
    URL says that cannot be used is dropped from it and remembered for `ignored_notice`)."""
    f = st.session_state.get(S_FILTERS)
    if f is None:
        f, notes = Filters.parse_query(st.query_params)
        view = st.query_params.get(Q_VIEW)
        if view is not None and parse_view(view) is None:
            # The map's script reads the view from the page's URL: a bad one must go before it runs.
            del st.query_params[Q_VIEW]
            notes.append(f"view: {view[:60]!r} is not a map view (latitude, longitude, zoom)")
        st.session_state[S_FILTERS] = st.session_state[S_LINKED] = f
        st.session_state[S_IGNORED] = notes
        st.session_state[S_BRUSH] = f.brush
    return f


def ignored_notice(f: Filters) -> None:
    """Say what the link this session opened with asked for and did not get, until the
    selection is changed."""
    notes = st.session_state.get(S_IGNORED)
    if notes and st.session_state.get(S_LINKED) == f:
        st.warning("Parts of the link were ignored:", icon=":material/link_off:")
        plain("\n".join(notes), tone="caption")


# -- text from outside, shown as text ---------------------------------------------------------
# Streamlit reads the text of st.markdown, st.caption, st.info and the like as Markdown: a
# value from a link or an article could draw a link or an image fetched from any host. Such
# text is shown by `plain`, escaped into HTML that holds nothing but the text.

_TONES = {
    "caption": "font-size:0.875rem;opacity:0.65",
    "error": "background:rgba(255,43,43,0.09);color:rgb(125,53,59);padding:0.75rem 1rem;border-radius:0.5rem",
    "warning": "background:rgba(255,227,18,0.1);color:rgb(146,108,5);padding:0.75rem 1rem;border-radius:0.5rem",
}


def plain(text: str, tone: str = "caption") -> None:
    """Show `text` exactly as written: never Markdown, never HTML. `tone`: caption, error or warning."""
    st.html(f'<div class="dl-plain dl-{tone}" style="white-space:pre-wrap;{_TONES[tone]}">{html.escape(text)}</div>')


# -- a page that fails ------------------------------------------------------------------------


@contextlib.contextmanager
def page_guard():
    """Around a page: an exception is logged on the server and the visitor gets a plain message
    and a way back, never a traceback or a path on the server (client.showErrorDetails is "none"
    for anything this misses). Streamlit's own st.stop and st.rerun pass through: they are not
    Exceptions."""
    try:
        yield
    except Exception:
        log.exception("a page failed")
        st.error("Sorry, this page could not be drawn. The error is in the server's log.", icon=":material/error:")
        st.button("Reset the filters and try again", on_click=_reset_all, key="guard_reset")
        st.session_state["dl_page_failed"] = True


def _reset_all() -> None:
    _reset()
    st.query_params.clear()


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
    if W_STATEMENTS not in ss:
        ss[W_STATEMENTS] = f.hide_statements


def _reset() -> None:
    ss = st.session_state
    for k in WIDGETS:
        ss.pop(k, None)
    ss[S_FILTERS] = Filters()
    ss[S_BRUSH] = None


def _clear_brush() -> None:
    st.session_state[S_BRUSH] = None


def sync_query_params(f: Filters) -> None:
    """Make the URL say `f`; other keys (the map's view and playback, geo/web/view.py) are left
    alone: the map's script keeps them."""
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
    notice = st.sidebar.container()  # at the top, filled once the selection is known
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
        text_now, conf_now, hide_now = ss.get(W_TEXT, ""), ss.get(W_CONF, 0.0), bool(ss.get(W_STATEMENTS))
        near = facets(store, Filters(start=start, end=end, text=text_now, min_confidence=conf_now, hide_statements=hide_now))
        n_type, n_country, n_actor = dict(near["types"]), dict(near["countries"]), dict(near["actors"])
        type_opts = type_order([t for t, _ in whole["types"]] + list(ss[W_TYPES]))
        # select_all=False: with it, Enter after typing picked "Select N matches", not the type highlighted.
        types = st.multiselect(
            "Event types", type_opts, key=W_TYPES, placeholder="All types", select_all=False,
            format_func=lambda t: f"{t.replace('_', ' ')} ({n_type.get(t, 0):,})",
        )  # fmt: skip
        country_opts = sorted({c for c, _ in whole["countries"]} | set(ss[W_COUNTRIES]), key=lambda c: country_name(c))
        countries = st.multiselect(
            "Countries", country_opts, key=W_COUNTRIES, placeholder="All countries", select_all=False,
            format_func=lambda c: f"{country_name(c)} · {c} ({n_country.get(c, 0):,})",
        )  # fmt: skip
        actor_opts = list(dict.fromkeys([a for a, _ in near["actors"]] + [a for a, _ in whole["actors"]] + list(ss[W_ACTORS])))
        actor_count = {a.casefold(): n for a, n in n_actor.items()}
        actors = st.multiselect(
            "Actors", actor_opts, key=W_ACTORS, placeholder="All actors", accept_new_options=True, select_all=False,
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
        hide = st.toggle(
            "Hide statements", key=W_STATEMENTS,
            help="Statements (said, announced, accused, denied...) report what was said, not what happened; "
            "hide them to see the events themselves.",
        )  # fmt: skip
        brush = ss.get(S_BRUSH)
        if brush:
            st.caption(f"Timeline selection: {brush[0]} to {brush[1]}")  # dates only: safe as Markdown
            st.button("Clear timeline selection", on_click=_clear_brush, key="f_clear_brush")
        f = Filters(
            start=start, end=end, types=types, countries=countries, actors=actors, text=text or "",
            min_confidence=float(conf), brush=brush, hide_statements=bool(hide),
        )  # fmt: skip
        # From this run's widgets, not the last run's selection, or the button lags a step.
        st.button("Reset filters", on_click=_reset, key="f_reset", disabled=f.is_empty())
    ss[S_FILTERS] = f
    sync_query_params(f)
    st.sidebar.caption(counts_line(store, f))
    with notice:
        ignored_notice(f)
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
