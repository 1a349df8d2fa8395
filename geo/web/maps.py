"""The map: stored events and flows as a folium (Leaflet) map that works with no network.

    data = map_data(store, Filters(start=..., types=[...]))   # aggregated and escaped (cacheable)
    st_folium(base_map(), key="map", feature_group_to_add=data_layers(data),
              layer_control=layer_control(), returned_objects=[])
    m = build_map(data)                              # or one self-contained folium.Map

The base map (basemap, scripts, view) is the same for every selection, so streamlit-folium keeps
it in the page and a new selection only replaces the feature groups: no reload, no flicker, the
view kept. Layers, as the layer control lists them:
  - Countries (offline basemap): country outlines fetched from the app's own static folder;
    OpenStreetMap and CARTO tiles are extra base layers only when geo.settings.online().
  - Events: markers coloured and shaped by type (TYPE_STYLES), sized by how many events they
    stand for, clustered when there are many.
  - Flows: origin -> destination geodesics, width by events on the route, an arrowhead at the
    destination turned to the direction of arrival.
  - Events per country: countries shaded by event count.

Never one marker per event: a map of 100,000 events would be a 50 MB page. Events are
aggregated in the database, one marker per place and type; per place when that is still too
many; per grid cell when even places are too many. Each marker's popup lists its latest events,
fewer per marker the more markers there are, so the page stays within a fixed budget.

Every string that comes from an article (titles, sentences, actors, place names, reasons, URLs)
is passed through html.escape here, in Python, before it can reach the page. The JavaScript
below only concatenates those escaped fragments with fixed markup; it never escapes or trusts.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import json
import math
from dataclasses import dataclass, field

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import ElementAddToElement, JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from geo.store import Filters
from geo.store.flows import bearing_at_end, geodesic_line

from . import assets
from .view import parse_date

# -- styles ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeStyle:
    name: str
    label: str
    color: str
    shape: str  # circle | square | triangle | diamond | star
    family: str


# Shape says the family (what kind of event), colour the type. Families follow ACLED's broad
# split: violence, protest, movement of people and forces, coercion, and talk.
FAMILIES = {
    "violence": ("Violence", "diamond"),
    "protest": ("Protest", "star"),
    "movement": ("Movement", "triangle"),
    "coercion": ("Coercion", "square"),
    "diplomacy": ("Diplomacy and statements", "circle"),
    "other": ("Other", "circle"),
}
_TYPES = [
    ("attack", "#d7191c", "violence"),
    ("armed_clash", "#8b0000", "violence"),
    ("casualties", "#5c0a0a", "violence"),
    ("protest", "#e6a700", "protest"),
    ("border_crossing", "#1f78b4", "movement"),
    ("displacement", "#2fa4c7", "movement"),
    ("military_movement", "#4d4d99", "movement"),
    ("aid_delivery", "#2ca25f", "movement"),
    ("border_closure", "#f47920", "coercion"),
    ("arrest", "#c51b7d", "coercion"),
    ("sanction", "#8c6d31", "coercion"),
    ("diplomatic_seizure", "#7a0177", "coercion"),
    ("diplomatic_break", "#b35806", "coercion"),
    ("diplomatic_meeting", "#6a51a3", "diplomacy"),
    ("agreement", "#238b45", "diplomacy"),
    ("recognition", "#9e9ac8", "diplomacy"),
    ("statement", "#8c8c8c", "diplomacy"),
]
TYPE_STYLES: dict[str, TypeStyle] = {
    name: TypeStyle(name, name.replace("_", " "), color, FAMILIES[fam][1], fam) for name, color, fam in _TYPES
}
# Types the taxonomy may grow: stable colours from their name, never a crash.
_SPARE_COLORS = ["#66a61e", "#e7298a", "#a6761d", "#1b9e77", "#d95f02", "#7570b3", "#666666"]


def type_style(name: str) -> TypeStyle:
    if name in TYPE_STYLES:
        return TYPE_STYLES[name]
    k = int(hashlib.md5(str(name).encode()).hexdigest(), 16) % len(_SPARE_COLORS)
    return TypeStyle(str(name), str(name).replace("_", " "), _SPARE_COLORS[k], "circle", "other")


def type_order(names) -> list[str]:
    """Types in legend order: by family, then as listed in TYPE_STYLES, unknown ones last."""
    known = list(TYPE_STYLES)
    return sorted(set(names), key=lambda t: (known.index(t) if t in known else len(known), t))


def _shape_markup(shape: str) -> str:
    # Drawn in a 20x20 box, so one path serves every size.
    if shape == "square":
        return '<rect x="3" y="3" width="14" height="14" rx="1.5"/>'
    if shape == "triangle":
        return '<polygon points="10,1.5 18.5,17 1.5,17"/>'
    if shape == "diamond":
        return '<polygon points="10,1 19,10 10,19 1,10"/>'
    if shape == "star":
        pts = []
        for i in range(10):
            r = 9.5 if i % 2 == 0 else 4.2
            a = math.pi / 5 * i - math.pi / 2
            pts.append(f"{10 + r * math.cos(a):.1f},{10.8 + r * math.sin(a):.1f}")
        return f'<polygon points="{" ".join(pts)}"/>'
    return '<circle cx="10" cy="10" r="8.2"/>'


SIZE = "__S__"  # replaced by the pixel size in the browser


def glyph_svg(name: str, size: int | str = SIZE) -> str:
    """The inline SVG for a type's marker: no image file, no icon font."""
    s = type_style(name)
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 20 20"><g fill="{s.color}" fill-opacity="0.9" '
        f'stroke="#fff" stroke-width="1.4">{_shape_markup(s.shape)}</g></svg>'
    )


# Choropleth classes, fixed so the same shade means the same count in every view.
CLASS_BREAKS = [1, 5, 20, 100, 500, 2_000, 10_000, 50_000, 200_000, 1_000_000, 10**12]
# ColorBrewer YlOrRd without its palest yellow, which is hard to tell from the land (#f4f1ea).
_RAMP = ["#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"]

# -- budgets ---------------------------------------------------------------------------------

# One marker per place and type while that is at most this many markers...
MAX_TYPE_MARKERS = 1500
# ...else one per place while places are at most this many, else one per grid cell.
MAX_PLACE_MARKERS = 3000
# Grid cell sizes tried, finest first, until the cells are few enough.
GRID_STEPS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
# Events described in popups (each some 350 bytes of the page), over all markers and over all
# routes: bounds what a view or a filter change sends whatever the store holds. A popup lists
# its newest events and counts the rest; with more markers than POPUP_EVENTS, only the
# busiest markers describe one event each, the others give their counts.
POPUP_EVENTS = 1000
ROUTE_POPUP_EVENTS = 400
MAX_PER_POPUP = 8
SENTENCE_CHARS = 240
# Routes drawn, the busiest first; flows beyond these are counted but not drawn.
MAX_ROUTES = 400
# Above this many markers the events layer clusters.
CLUSTER_MIN = 400
# A geodesic drawn with a vertex every 300 km (at most 32) bends smoothly at any zoom the
# offline basemap allows; three decimals (100 m) is finer than a pixel there.
FLOW_SEGMENT_KM = 300.0
FLOW_POINTS = 32
PATH_DIGITS = 3
COORD_DIGITS = 4


# -- data -------------------------------------------------------------------------------------


@dataclass
class MapData:
    """Everything the map draws, already aggregated and escaped. Plain values only, so
    st.cache_data can keep it."""

    mode: str = "type"  # type | place | grid
    markers: list = field(default_factory=list)
    flows: list = field(default_factory=list)
    countries: dict = field(default_factory=dict)  # ISO code -> events
    type_counts: dict = field(default_factory=dict)  # type -> located events
    flow_type_counts: dict = field(default_factory=dict)
    events: int = 0  # matching the filters, with or without a place
    located: int = 0
    places: int = 0
    flow_events: int = 0
    routes: int = 0
    routes_drawn: int = 0
    cell_deg: float | None = None
    popup_events: int = 0
    bounds: list | None = None  # [[south, west], [north, east]]
    type_table: list = field(default_factory=list)  # [name, label, colour, glyph] per type index
    _digest: str = ""

    @property
    def types(self) -> list[str]:
        return type_order([*self.type_counts, *self.flow_type_counts])

    def digest(self) -> str:
        """Changes whenever what is drawn changes: the page marks the map ready with it."""
        if not self._digest:
            blob = json.dumps([self.mode, self.markers, self.flows, self.countries, self.type_table], default=str, separators=(",", ":"))
            self._digest = hashlib.sha1(blob.encode("utf-8")).hexdigest()[:16]
        return self._digest


def _isna(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _esc(value) -> str:
    return "" if _isna(value) else html.escape(str(value), quote=True)


def _name(value, default: str = "unnamed place") -> str:
    return default if _isna(value) or not str(value).strip() else str(value)


def _date(v) -> dt.date | None:
    return None if _isna(v) else parse_date(v)


def date_label(date, precision: str | None) -> str:
    """A date written no more precisely than it is known."""
    d = _date(date)
    if d is None:
        return "undated"
    p = precision or "day"
    if p == "year":
        return f"{d.year}"
    if p == "month":
        return d.strftime("%b %Y")
    if p == "week":
        monday = d - dt.timedelta(days=d.weekday())
        return f"week of {monday.isoformat()}"
    return d.isoformat()


def _safe_url(url) -> str:
    """An article link only for http(s): a javascript: or data: URL from a feed is not a link."""
    if _isna(url):
        return ""
    u = str(url).strip()
    return _esc(u) if u.lower().startswith(("http://", "https://")) else ""


def _find(hay: str, needle: str | None) -> tuple[int, int] | None:
    if not needle or _isna(needle):
        return None
    i = hay.find(needle)
    if i < 0:
        i = hay.casefold().find(str(needle).casefold())
        if i < 0 or len(hay.casefold()) != len(hay):
            return None
    return i, i + len(needle)


def evidence_html(sentence, mention=None, trigger=None, limit: int = SENTENCE_CHARS) -> str:
    """The evidence sentence, escaped, with the place mention in <mark> and the trigger in <b>;
    cut to about `limit` characters around the mention."""
    if _isna(sentence) or not str(sentence).strip():
        return ""
    s = " ".join(str(sentence).split())
    spans = []
    m = _find(s, mention)
    if m:
        spans.append((m[0], m[1], "mark"))
    t = _find(s, trigger)
    if t and not (m and t[0] < m[1] and m[0] < t[1]):
        spans.append((t[0], t[1], "b"))
    lo, hi = 0, len(s)
    if len(s) > limit:
        centre = m[0] if m else 0
        lo = max(0, min(centre - limit // 3, len(s) - limit))
        hi = min(len(s), lo + limit)
        spans = [sp for sp in spans if sp[0] >= lo and sp[1] <= hi]
    out, pos = [], lo
    for a, b, tag in sorted(spans):
        out.append(_esc(s[pos:a]))
        out.append(f"<{tag}>{_esc(s[a:b])}</{tag}>")
        pos = b
    out.append(_esc(s[pos:hi]))
    return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(s) else "")


def _actors(v) -> str:
    if isinstance(v, str):
        try:
            v = json.loads(v)
        except ValueError:
            v = [v]
    if isinstance(v, (list, tuple, np.ndarray)):
        return ", ".join(_esc(a) for a in v if a)
    return ""


def _int(v) -> int | None:
    return None if _isna(v) else int(v)


class _TypeIndex:
    """Types to small integers, so every marker names its type in a byte or two."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._ix: dict[str, int] = {}

    def __call__(self, name: str) -> int:
        if name not in self._ix:
            self._ix[name] = len(self.names)
            self.names.append(name)
        return self._ix[name]

    def table(self) -> list[list[str]]:
        return [[_esc(n), _esc(type_style(n).label), type_style(n).color, glyph_svg(n)] for n in self.names]


# Event record fields, in the order the JavaScript reads them (DL.ev).
EV_FIELDS = (
    "type", "date", "precision", "date_text", "actors", "count", "mention", "place", "country",
    "location_reason", "place_reason", "sentence", "title", "url", "published", "origin", "destination",
)  # fmt: skip


def event_record(row: dict, types: _TypeIndex) -> list:
    """One event for a popup: every string escaped, the sentence with its mention marked."""
    g = row.get
    prec = g("date_precision")
    return [
        types(g("type")),
        _esc(date_label(g("date"), prec)),
        # The label already says week, month or year ("week of 2019-02-04", "Feb 2019").
        _esc(prec if prec and prec not in ("day", "week", "month", "year") else ""),
        _esc(g("date_text")),
        _actors(g("actors")),
        _int(g("count")),
        _esc(g("place_text")),
        _esc(g("place_name")),
        _esc(g("country_code")),
        _esc(g("location_reason")),
        _esc(g("place_reason")),
        evidence_html(g("sentence"), g("place_text"), g("trigger")),
        _esc(g("article_title")),
        _safe_url(g("article_url")),
        _esc(_date(g("published")).isoformat() if _date(g("published")) else ""),
        _esc(g("origin_name")),
        _esc(g("destination_name")),
    ]


# A place group: (place key, lat, lon, type, place name, country code, events).
K, LAT, LON, TYPE, NAME, CC, N = range(7)


def _place_groups(store, f: Filters) -> list[tuple]:
    return [(_pkey(pid, lat, lon), float(lat), float(lon), t, name, cc, int(n)) for pid, lat, lon, t, name, cc, n in store.place_groups(f)]


def _ring(k: int) -> list[tuple[int, int]]:
    """Pixel offsets for k markers sharing one point: a small ring, so each type shows."""
    if k <= 1:
        return [(0, 0)] * k
    r = 7 + 2.2 * k if k < 12 else 4 + 2.6 * k
    return [(round(r * math.sin(2 * math.pi * i / k)), round(-r * math.cos(2 * math.pi * i / k))) for i in range(k)]


def _pkey(place_id, lat, lon):
    # A place is its stored id; events stored without one are told apart by their point.
    return int(place_id) if place_id is not None else (round(float(lat), 5), round(float(lon), 5))


def _cell(lat: float, lon: float, deg: float) -> tuple[int, int]:
    return (math.floor((lon + 180.0) / deg), math.floor((lat + 90.0) / deg))


def _pick_grid(groups: list[tuple]) -> float:
    for deg in GRID_STEPS:
        if len({_cell(g[LAT], g[LON], deg) for g in groups}) <= MAX_PLACE_MARKERS:
            return deg
    return GRID_STEPS[-1]


def _bounds(lats, lons) -> list | None:
    lats, lons = [x for x in lats if x is not None], [x for x in lons if x is not None]
    if not lats:
        return None
    def down(x):
        return math.floor(x * 1000) / 1000

    def up(x):
        return math.ceil(x * 1000) / 1000

    # Rounded outwards, so the box still holds every point it was made from.
    return [[down(min(lats)), down(min(lons))], [up(max(lats)), up(max(lons))]]


def map_data(store, filters: Filters | None = None) -> MapData:
    """Query and aggregate what the map shows for the selection."""
    f = filters or Filters()
    types = _TypeIndex()
    out = MapData()

    by_country = store.counts_by_country(f)
    out.events = int(by_country["events"].sum()) if len(by_country) else 0
    out.countries = {str(cc): int(n) for cc, n in zip(by_country["country_code"], by_country["events"]) if not _isna(cc)}

    groups = _place_groups(store, f)
    if groups:
        out.located = sum(g[N] for g in groups)
        out.places = len({g[K] for g in groups})
        tc: dict[str, int] = {}
        for g in groups:
            tc[g[TYPE]] = tc.get(g[TYPE], 0) + g[N]
        out.type_counts = dict(sorted(tc.items(), key=lambda kv: -kv[1]))
        if len(groups) <= MAX_TYPE_MARKERS:
            out.mode, group = "type", "place_type"

            def gkey(key, lat, lon, t):
                return (key, t)
        elif out.places <= MAX_PLACE_MARKERS:
            out.mode, group = "place", "place"

            def gkey(key, lat, lon, t):
                return key
        else:
            out.mode = "grid"
            out.cell_deg = deg = _pick_grid(groups)
            group = "cell"

            def gkey(key, lat, lon, t):
                return _cell(lat, lon, deg)

        keys = [gkey(g[K], g[LAT], g[LON], g[TYPE]) for g in groups]
        totals: dict = {}
        for g, k in zip(groups, keys):
            totals[k] = totals.get(k, 0) + g[N]
        per_group = _per_popup(list(totals.values()), POPUP_EVENTS)
        described = set(sorted(totals, key=lambda k: -totals[k])[:POPUP_EVENTS]) if len(totals) > POPUP_EVENTS else None
        latest = store.latest_events(f, per_group=per_group, group=group, cell_deg=out.cell_deg)
        evs: dict = {}
        for row in latest:
            k = gkey(_pkey(row["place_id"], row["lat"], row["lon"]), float(row["lat"]), float(row["lon"]), row["type"])
            if described is None or k in described:
                evs.setdefault(k, []).append(event_record(row, types))
        out.popup_events = sum(len(v) for v in evs.values())
        out.markers = _markers(out.mode, groups, keys, evs, types)
        out.bounds = _bounds([g[LAT] for g in groups], [g[LON] for g in groups])

    out.flows = _routes(out, store.flows(f), types)
    if out.flows:
        ends = [p for f in out.flows for part in f[0] for p in (part[0], part[-1])]
        lats, lons = [p[0] for p in ends], [p[1] for p in ends]
        if out.bounds:
            lats += [out.bounds[0][0], out.bounds[1][0]]
            lons += [out.bounds[0][1], out.bounds[1][1]]
        out.bounds = _bounds(lats, lons)
    out.type_table = types.table()
    return out


def _per_popup(sizes: list[int], budget: int) -> int:
    """The most events any one popup describes (1 to MAX_PER_POPUP) such that the popups of
    groups of these sizes describe at most `budget` in all, where that is possible: small groups
    leave room for the big ones."""
    k = 1
    while k < MAX_PER_POPUP and sum(min(n, k + 1) for n in sizes) <= budget:
        k += 1
    return k


def _markers(mode: str, groups: list[tuple], keys: list, evs: dict, types: _TypeIndex) -> list:
    """Marker records: [lat, lon, events, type index, dx, dy, name, country, [[type, n]...] or
    None, popup events, older events not in the popup]."""
    rows = []
    if mode == "type":
        by_place: dict = {}
        for g in groups:
            by_place.setdefault(g[K], []).append(g)
        for place in by_place.values():
            # Most events first, so a ring around a busy place reads clockwise from the main type.
            place.sort(key=lambda g: (-g[N], g[TYPE]))
            for (dx, dy), g in zip(_ring(len(place)), place):
                ev = evs.get((g[K], g[TYPE]), [])
                rows.append([
                    round(g[LAT], COORD_DIGITS), round(g[LON], COORD_DIGITS), g[N], types(g[TYPE]), dx, dy,
                    _esc(_name(g[NAME])), _esc(g[CC]), None, ev, g[N] - len(ev),
                ])  # fmt: skip
    else:
        agg: dict = {}
        for g, k in zip(groups, keys):
            a = agg.get(k)
            if a is None:
                a = agg[k] = [0, 0.0, 0.0, {}, {}]  # events, lat sum, lon sum, types, places
            n = g[N]
            a[0] += n
            a[1] += g[LAT] * n
            a[2] += g[LON] * n
            a[3][g[TYPE]] = a[3].get(g[TYPE], 0) + n
            p = a[4].get(g[K])
            if p is None:
                p = a[4][g[K]] = [0, g[NAME], g[CC], g[LAT], g[LON]]
            p[0] += n
        for k, (n, slat, slon, tcount, places) in agg.items():
            by_type = sorted(tcount.items(), key=lambda kv: (-kv[1], kv[0]))
            top = max(places.values(), key=lambda p: p[0])
            if mode == "place":
                lat, lon, name = top[3], top[4], _esc(_name(top[1]))
            else:
                # A cell's marker sits at its events' centre of mass, named after its busiest place.
                lat, lon = slat / n, slon / n
                more = len(places) - 1
                name = _esc(_name(top[1])) + (f" and {more} more place{'s' if more > 1 else ''}" if more else "")
            ev = evs.get(k, [])
            rows.append([
                round(lat, COORD_DIGITS), round(lon, COORD_DIGITS), n, types(by_type[0][0]), 0, 0, name, _esc(top[2]),
                [[types(t), c] for t, c in by_type], ev, n - len(ev),
            ])  # fmt: skip
    # Big markers first, so small ones drawn later stay clickable on top of them.
    rows.sort(key=lambda r: -r[2])
    return rows


_FLOW_COLUMNS = [
    "type", "date", "date_precision", "date_text", "actors", "count", "trigger", "sentence", "place_text",
    "place_name", "country_code", "location_reason", "article_title", "article_url", "published",
    "origin_name", "destination_name", "origin_lon", "origin_lat", "destination_lon", "destination_lat",
]  # fmt: skip


@functools.lru_cache(maxsize=20_000)
def _arc(lon1: float, lat1: float, lon2: float, lat2: float) -> tuple[list, float] | None:
    """A route's geodesic as Leaflet paths ([lat, lon]), and its bearing at the destination.
    Cached: the same routes come back with every filter change."""
    try:
        line = geodesic_line(lon1, lat1, lon2, lat2, max_segment_km=FLOW_SEGMENT_KM, max_points=FLOW_POINTS)
    except ValueError:  # both ends one point: nothing to draw
        return None
    parts = line.geoms if hasattr(line, "geoms") else [line]
    paths = [[[round(y, PATH_DIGITS), round(x, PATH_DIGITS)] for x, y in p.coords] for p in parts]
    return paths, round(bearing_at_end(line), 1)


def _routes(out: MapData, flows, types: _TypeIndex) -> list:
    """Route records, busiest first: [[path, ...], events, type index, bearing at the end,
    people reported or None, origin name, destination name, popup events, older events]."""
    if flows is None or len(flows) == 0:
        return []
    cols = [c for c in _FLOW_COLUMNS if c in flows.columns]
    routes: dict[tuple, list[dict]] = {}
    for r in pd.DataFrame(flows[cols]).to_dict("records"):
        ends = [r.get(c) for c in ("origin_lon", "origin_lat", "destination_lon", "destination_lat")]
        if any(_isna(v) for v in ends):
            continue
        routes.setdefault(tuple(round(float(v), 5) for v in ends), []).append(r)
    out.flow_events = sum(len(v) for v in routes.values())
    tc: dict[str, int] = {}
    for rs in routes.values():
        for r in rs:
            tc[r["type"]] = tc.get(r["type"], 0) + 1
    out.flow_type_counts = dict(sorted(tc.items(), key=lambda kv: -kv[1]))
    ranked = sorted(routes.items(), key=lambda kv: -len(kv[1]))
    out.routes = len(ranked)
    drawn = ranked[:MAX_ROUTES]
    per_route = _per_popup([len(rs) for _, rs in drawn], ROUTE_POPUP_EVENTS)
    rows = []
    for ends, rs in drawn:  # each route's events newest first, as flows() orders them
        arc = _arc(*ends)
        if arc is None:
            continue
        paths, bearing = arc
        counts: dict[str, int] = {}
        for r in rs:
            counts[r["type"]] = counts.get(r["type"], 0) + 1
        main_type = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
        people = [int(r["count"]) for r in rs if not _isna(r.get("count"))]
        ev = [event_record(r, types) for r in rs[:per_route]]
        rows.append([
            paths, len(rs), types(main_type), bearing, sum(people) if people else None,
            _esc(_name(rs[0].get("origin_name"), "?")), _esc(_name(rs[0].get("destination_name"), "?")),
            ev, len(rs) - len(ev),
        ])  # fmt: skip
    out.routes_drawn = len(rows)
    return rows


# -- the page: JavaScript and CSS -------------------------------------------------------------

# The browser half of this module. Inlined into each map (a few kB) rather than served, so the
# code and the data it reads always come from the same version.
RUNTIME_JS = r"""
(function () {
if (window.DL) return;
var DL = window.DL = {pending: 0, stats: {}};
// One formatter: toLocaleString builds a new one per call, a seventh of the drawing time at 2,000 markers.
DL.fmt = new Intl.NumberFormat("en-US");
DL.n = function (x) { return DL.fmt.format(Number(x)); };
DL.glyph = function (t, s) { return t[3].replace(/__S__/g, s); };
DL.panes = function (map) {
  if (map.getPane("dl-land")) return;
  map.createPane("dl-land").style.zIndex = 150;
  map.createPane("dl-shade").style.zIndex = 350;
  map.createPane("dl-flows").style.zIndex = 420;
};
DL.countries = function (url) {
  if (!DL._countries) DL._countries = fetch(url, {credentials: "same-origin"}).then(function (r) {
    if (!r.ok) throw new Error("HTTP " + r.status + " for " + url);
    return r.json();
  });
  return DL._countries;
};
DL.wait = function () {
  var load = DL.load; DL.pending += 1; var done = false;
  return function () { if (!done && load === DL.load) { done = true; DL.pending -= 1; DL.check(); } };
};
DL.check = function () {
  if (DL.pending === 0 && DL.finished) {
    var html = document.documentElement;
    html.setAttribute("data-dl-markers", DL.stats.markers || 0);
    html.setAttribute("data-dl-flows", DL.stats.flows || 0);
    // When it was drawn, on the wall clock: the benchmark counts from the page's navigation
    // (performance.timeOrigin of the top page; this frame has its own) or from a filter change.
    html.setAttribute("data-dl-at", Date.now());
    html.setAttribute("data-dl-ready", DL.token);
  }
};
DL.basemap = function (group, url) {
  var done = DL.wait();
  DL.countries(url).then(function (gj) {
    L.geoJSON(gj, {pane: "dl-land", interactive: false,
      style: {color: "#a29d93", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1}}).addTo(group);
    done();
  }).catch(function (e) { document.documentElement.setAttribute("data-dl-error", String(e)); done(); });
};
DL.shading = function (group, url, D) {
  var done = DL.wait();
  var color = function (n) { for (var i = 0; i < D.breaks.length; i++) if (n <= D.breaks[i]) return D.colors[i]; return D.colors[D.colors.length - 1]; };
  DL.countries(url).then(function (gj) {
    L.geoJSON(gj, {pane: "dl-shade",
      filter: function (f) { return (D.counts[f.properties.iso_a2] || 0) > 0; },
      style: function (f) { return {fillColor: color(D.counts[f.properties.iso_a2]), fillOpacity: 0.5, color: "#8a8479", weight: 0.6}; },
      onEachFeature: function (f, layer) {
        var n = D.counts[f.properties.iso_a2];
        var name = String(f.properties.name || f.properties.iso_a2).replace(/[&<>"']/g, "");
        layer.bindTooltip("<b>" + name + "</b> · " + DL.n(n) + (n === 1 ? " event" : " events"), {sticky: true, className: "dl-tip"});
      }}).addTo(group);
    done();
  }).catch(function () { done(); });
};
// e: [type, date, precision, date_text, actors, count, mention, place, country, location_reason,
//     place_reason, sentence, title, url, published, origin, destination] - all escaped in Python.
DL.ev = function (T, e) {
  var t = T[e[0]], h = '<li><div class="dl-eh">' + DL.glyph(t, 11) + ' <b style="color:' + t[2] + '">' + t[1] + "</b> · " + e[1];
  var said = e[3] ? "“" + e[3] + "”" : (e[1] !== "undated" ? "not in the sentence: from the article" : "");
  if (e[2] || said) h += ' <span class="dl-dim">(' + [e[2], said].filter(Boolean).join(", ") + ")</span>";
  h += "</div>";
  if (e[4]) h += '<div><span class="dl-k">Actors</span> ' + e[4] + "</div>";
  if (e[5] !== null) h += '<div><span class="dl-k">Count</span> ' + DL.n(e[5]) + "</div>";
  if (e[15] || e[16]) h += '<div><span class="dl-k">Route</span> ' + (e[15] || "?") + " → " + (e[16] || "?") + "</div>";
  if (e[7]) {
    h += '<div><span class="dl-k">Place</span> ' + (e[6] && e[6] !== e[7] ? "“" + e[6] + "” → " : "") + e[7] + (e[8] ? " (" + e[8] + ")" : "");
    var why = [e[10], e[9]].filter(Boolean).join("; ");
    if (why) h += ' <span class="dl-dim">— ' + why + "</span>";
    h += "</div>";
  }
  if (e[11]) h += '<blockquote class="dl-q">' + e[11] + "</blockquote>";
  if (e[12] || e[13]) {
    var title = e[12] || e[13];
    h += '<div class="dl-src">' + (e[13] ? '<a href="' + e[13] + '" target="_blank" rel="noopener noreferrer nofollow">' + title + "</a>" : title) + (e[14] ? ' <span class="dl-dim">' + e[14] + "</span>" : "") + "</div>";
  }
  return h + "</li>";
};
DL.more = function (k, shown) {
  if (k <= 0) return "";
  if (!shown) return '<div class="dl-more">Too many markers to describe each: narrow the filters, or see the Events page.</div>';
  return '<div class="dl-more">and ' + DL.n(k) + " older event" + (k === 1 ? "" : "s") + " (Events page)</div>";
};
DL.markerPopup = function (T, r) {
  var h = '<div class="dl-pop"><div class="dl-ph">' + DL.glyph(T[r[3]], 14) + " <b>" + r[6] + "</b>" + (r[7] ? ' <span class="dl-dim">' + r[7] + "</span>" : "") +
    " · " + DL.n(r[2]) + (r[2] === 1 ? " event" : " events") + "</div>";
  if (r[8] && r[8].length > 1) h += '<div class="dl-types">' + r[8].map(function (x) { return DL.glyph(T[x[0]], 10) + " " + T[x[0]][1] + " " + DL.n(x[1]); }).join(" · ") + "</div>";
  return h + '<ol class="dl-evs">' + r[9].map(function (e) { return DL.ev(T, e); }).join("") + "</ol>" + DL.more(r[10], r[9].length) + "</div>";
};
DL.flowPopup = function (T, f) {
  var h = '<div class="dl-pop"><div class="dl-ph">' + DL.glyph(T[f[2]], 14) + " <b>" + f[5] + " → " + f[6] + "</b> · " + DL.n(f[1]) + (f[1] === 1 ? " event" : " events");
  if (f[4] !== null) h += ' <span class="dl-dim">(' + DL.n(f[4]) + " people reported)</span>";
  return h + '</div><ol class="dl-evs">' + f[7].map(function (e) { return DL.ev(T, e); }).join("") + "</ol>" + DL.more(f[8], f[7].length) + "</div>";
};
DL.cluster = function () {
  return L.markerClusterGroup({chunkedLoading: true, maxClusterRadius: 40, showCoverageOnHover: false,
    spiderfyOnMaxZoom: true, disableClusteringAtZoom: 10,
    iconCreateFunction: function (c) {
      var n = 0; c.getAllChildMarkers().forEach(function (m) { n += m.options.n || 1; });
      var cls = n < 10 ? "small" : n < 1000 ? "medium" : "large", s = n < 100 ? 32 : n < 10000 ? 38 : 46;
      return L.divIcon({html: "<div><span>" + DL.n(n) + "</span></div>", className: "marker-cluster marker-cluster-" + cls + " dl-cluster", iconSize: L.point(s, s)});
    }});
};
DL.markers = function (group, D) {
  var T = D.types, list = [], popupOpts = {maxWidth: 380, minWidth: 240, maxHeight: 320, className: "dl-popup"};
  D.rows.forEach(function (r) {
    var t = T[r[3]], s = Math.round(11 + 15 * Math.sqrt(r[2] / D.maxN));
    var icon = L.divIcon({className: "dl-mk", html: DL.glyph(t, s), iconSize: [s, s],
      iconAnchor: [s / 2 - r[4], s / 2 - r[5]], popupAnchor: [0, -s / 2], tooltipAnchor: [0, -s / 2]});
    var m = L.marker([r[0], r[1]], {icon: icon, n: r[2], keyboard: false, riseOnHover: true});
    m.bindTooltip(r[6] + (r[7] ? " (" + r[7] + ")" : "") + " · " + (D.mode === "type" ? t[1] + " · " : "") + DL.n(r[2]) + (r[2] === 1 ? " event" : " events"), {direction: "top", className: "dl-tip"});
    m.bindPopup(function () { return DL.markerPopup(T, r); }, popupOpts);
    list.push(m);
  });
  DL.stats.markers = list.length;
  if (group.addLayers) {
    var done = DL.wait();
    group.options.chunkProgress = function (i, n) { if (i >= n) done(); };
    group.addLayers(list);
    if (!list.length) done();
  } else list.forEach(function (m) { group.addLayer(m); });
};
DL.flows = function (group, D) {
  var T = D.types;
  D.rows.forEach(function (f) {
    // Width grows with the route's events; a lone flow stays thin when all routes carry few.
    var t = T[f[2]], w = 2 + 7 * Math.sqrt(f[1] / Math.max(D.maxN, 8)), color = t[2];
    var line = L.polyline(f[0], {color: color, weight: w, opacity: 0.8, lineCap: "round", className: "dl-flow", pane: "dl-flows"});
    line.bindTooltip(f[5] + " → " + f[6] + " · " + DL.n(f[1]) + (f[1] === 1 ? " event" : " events"), {sticky: true, className: "dl-tip"});
    line.bindPopup(function () { return DL.flowPopup(T, f); }, {maxWidth: 380, minWidth: 240, maxHeight: 320, className: "dl-popup"});
    group.addLayer(line);
    var first = f[0][0][0], parts = f[0], last = parts[parts.length - 1], end = last[last.length - 1];
    group.addLayer(L.circleMarker(first, {radius: 3, color: color, weight: 1.5, fillColor: "#fff", fillOpacity: 1, className: "dl-origin", pane: "dl-flows", interactive: false}));
    // The arrowhead's tip is the icon's centre, so turning it about the centre keeps the tip on the destination.
    var s = Math.round(14 + 2.2 * w);
    group.addLayer(L.marker(end, {interactive: false, keyboard: false, icon: L.divIcon({className: "dl-arrow", iconSize: [s, s], iconAnchor: [s / 2, s / 2],
      html: '<svg width="' + s + '" height="' + s + '" viewBox="-16 -16 32 32" style="transform:rotate(' + f[3] + 'deg)"><polygon points="0,0 -6.5,14 0,10 6.5,14" fill="' + color + '" stroke="#fff" stroke-width="1.2"/></svg>'})}));
  });
  DL.stats.flows = D.rows.length;
};
DL.legend = function (map, html) {
  // One legend, replaced with each selection; folded stays folded. It starts folded on a
  // small map, where open it would hide a third of the world.
  var size = map.getSize(), open = size.x >= 1000 && size.y >= 500;
  if (DL._legend) { var d = DL._legend.getContainer().querySelector("details"); if (d) open = d.open; DL._legend.remove(); }
  var c = L.control({position: "bottomright"});
  c.onAdd = function () {
    var d = L.DomUtil.create("div", "dl-legend"); d.innerHTML = html;
    var det = d.querySelector("details"); if (det) det.open = open;
    L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d); return d;
  };
  c.addTo(map);
  DL._legend = c;
};
DL.viewParam = function () {
  try { var v = new URLSearchParams(window.parent.location.search).get("view"); if (!v) return null;
    var p = v.split(",").map(Number); if (p.length === 3 && p.every(isFinite)) return p; } catch (e) {}
  return null;
};
DL.writeView = function (map) {
  try { var w = window.parent, u = new URL(w.location.href), c = map.getCenter();
    u.searchParams.set("view", c.lat.toFixed(3) + "," + c.lng.toFixed(3) + "," + map.getZoom());
    w.history.replaceState(w.history.state, "", u.toString()); } catch (e) {}
};
DL.clearView = function () {
  try { var w = window.parent, u = new URL(w.location.href); u.searchParams.delete("view");
    w.history.replaceState(w.history.state, "", u.toString()); } catch (e) {}
};
DL.fit = function (map) {
  if (DL.bounds) map.fitBounds(DL.bounds, {padding: [24, 24], maxZoom: 6, animate: false}); else map.setView([20, 10], 2, {animate: false});
  // Data all over the world would fit at zoom 1, a world a quarter of a wide map: zoom 2 fills it.
  if (map.getZoom() < 2 && map.getSize().x >= 700) map.setZoom(2, {animate: false});
};
// The map itself, once per page: the view from the URL if it has one, the Fit button, and the
// URL kept up to date as the user moves the map.
DL.start = function (map) {
  DL.map = map;
  var v = DL.viewParam();
  if (v) { map.setView([v[0], v[1]], v[2], {animate: false}); DL.placed = true; }
  var Fit = L.Control.extend({options: {position: "topleft"}, onAdd: function () {
    var b = L.DomUtil.create("a", "dl-fit leaflet-bar"); b.href = "#"; b.title = "Fit the map to the events"; b.setAttribute("role", "button"); b.textContent = "Fit";
    L.DomEvent.on(b, "click", function (ev) { L.DomEvent.stop(ev); DL.fit(map); DL.clearView(); });
    return b; }});
  new Fit().addTo(map);
  // The view goes into the page URL only once the user moves the map, so a shared link keeps
  // it, and a new selection, drawn on the same map, keeps it too.
  setTimeout(function () { map.on("moveend", function () { DL.writeView(map); }); }, 0);
};
// Each selection's layers: begin runs before they are added (the first selection sets the view,
// so clusters are built once, at it), finish after.
DL.begin = function (D) {
  DL.load = (DL.load || 0) + 1;
  DL.pending = 0; DL.finished = false; DL.stats = {};
  DL.token = D.token; DL.bounds = D.bounds;
  if (!DL.placed) { DL.fit(DL.map); DL.placed = true; }
};
DL.finish = function () {
  requestAnimationFrame(function () { DL.finished = true; DL.check(); });
};
})();
"""

CSS = """
<style>
.leaflet-container { background: #cad9e6; font: 12px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.dl-mk, .dl-arrow { background: none; border: 0; }
.dl-mk svg { display: block; overflow: visible; filter: drop-shadow(0 0 1px rgba(0,0,0,.45)); }
.dl-arrow { pointer-events: none; }
.dl-arrow svg { display: block; overflow: visible; transform-origin: 50% 50%; }
.dl-fit { background: #fff; padding: 0 7px; line-height: 26px; font-weight: 600; color: #333; text-decoration: none; display: block; }
/* Leaflet paths take focus on click, and Chromium draws the outline as a box round the country. */
.leaflet-container path.leaflet-interactive:focus { outline: none; }
.dl-legend { background: rgba(255,255,255,.93); padding: 6px 9px; border-radius: 5px; box-shadow: 0 1px 4px rgba(0,0,0,.3);
  max-height: 46vh; overflow-y: auto; line-height: 1.35; min-width: 150px; }
.dl-legend summary { cursor: pointer; font-weight: 600; color: #333; }
.dl-legend h4 { margin: 4px 0 2px; font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #555; }
.dl-legend .types.two { display: grid; grid-template-columns: auto auto; column-gap: 12px; }
.dl-legend .row { display: flex; align-items: center; gap: 5px; white-space: nowrap; }
.dl-legend .row svg { flex: none; }
.dl-legend .n { color: #777; margin-left: auto; padding-left: 8px; font-variant-numeric: tabular-nums; }
.dl-legend .sw { display: inline-block; width: 14px; height: 10px; border: 1px solid #8a8479; }
.dl-legend .note { color: #666; font-size: 11px; max-width: 260px; white-space: normal; margin-top: 3px; }
.dl-pop { font-size: 12px; }
.dl-ph { font-size: 13px; margin-bottom: 3px; }
.dl-ph svg, .dl-eh svg, .dl-types svg { vertical-align: -1px; }
.dl-types { color: #444; margin-bottom: 4px; }
.dl-evs { margin: 0; padding-left: 16px; }
.dl-evs li { margin: 0 0 7px; }
.dl-k { color: #777; font-size: 11px; text-transform: uppercase; letter-spacing: .03em; margin-right: 2px; }
.dl-dim { color: #777; }
.dl-q { margin: 3px 0; padding: 2px 0 2px 7px; border-left: 3px solid #ddd; color: #333; }
.dl-q mark { background: #ffe38a; padding: 0 1px; border-radius: 2px; }
.dl-src a { color: #1a5fb4; }
.dl-more { color: #666; font-style: italic; }
.dl-cluster div { font-weight: 600; }
</style>
"""


def _js(obj) -> str:
    """JSON for a <script>: no '</' can close the element, whatever the strings hold; and no
    Jinja opener ('{{', '{%', '{#'), because branca wraps each element's rendered script in a
    new Template and renders it again: article text such as '{{ 7*7 }}' or worse would run on
    the server. JSON's own braces never open with those pairs (an object's first token is a
    string or '}'), so only string content is touched, and the escapes read back the same."""
    out = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/").replace("<!--", "<\\u0021--")
    return out.replace("{{", "{\\u007b").replace("{%", "{\\u0025").replace("{#", "{\\u0023")


class Runtime(JSCSSMixin, MacroElement):
    """DL, the few functions every layer below calls; the CSS; Leaflet's image path; the view.

    The same for every selection, so the map (and its basemap) is built once per page and
    selections only swap the layers in it. MarkerCluster is loaded whether or not the first
    selection clusters: scripts are only loaded when the map is."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}{{ this.css }}{% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this.js }}
        L.Icon.Default.imagePath = {{ this.image_path|tojson }};
        DL.panes({{ this._parent.get_name() }});
        DL.start({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "DatelineRuntime"
        self.default_js = list(assets.CLUSTER_JS)
        self.default_css = list(assets.CLUSTER_CSS)
        self.js = RUNTIME_JS
        self.css = CSS
        self.image_path = assets.LEAFLET_IMAGES


class _Verbatim(Element):
    """A rendered script, put into the page as it is. branca's MacroElement.render wraps each
    script in Element(text), which compiles the text as a new Jinja template: for a layer
    carrying the map's data, hundreds of kB lexed again on every draw (see also _js)."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class _DataLayer(Layer):
    # Data layers live in a FeatureGroup (see data_layers), which the layer control lists.
    def __init__(self, name: str, overlay: bool = True, show: bool = True, control: bool = False):
        super().__init__(name=name, overlay=overlay, control=control, show=show)

    def render(self, **kwargs):
        # What folium's Layer.render and branca's MacroElement.render do for these elements
        # (no includes, no header or html macro), with the script kept verbatim.
        if self.show:
            self.add_child(
                ElementAddToElement(element_name=self.get_name(), element_parent_name=self._parent.get_name()),
                name=self.get_name() + "_add",
            )
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(_Verbatim(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class CountryBasemap(_DataLayer):
    """Country outlines on a sea-coloured background: the basemap with no tile server."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        DL.basemap({{ this.get_name() }}, {{ this.url|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, url: str = assets.COUNTRIES_URL, name: str = "Countries (offline)"):
        super().__init__(name, overlay=False, show=True, control=True)
        self._name = "CountryBasemap"
        self.url = url


class CountryShading(_DataLayer):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        DL.shading({{ this.get_name() }}, {{ this.url|tojson }}, {{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, counts: dict, url: str = assets.COUNTRIES_URL, name: str = "Events per country", show: bool = True):
        super().__init__(name, show=show)
        self._name = "CountryShading"
        self.url = url
        breaks, colors = shading_classes(max(counts.values(), default=0))
        self.data = _js({"counts": counts, "breaks": breaks, "colors": colors})


def shading_classes(top: int) -> tuple[list[int], list[str]]:
    """Upper bounds of the classes needed up to `top` and their colours, light to dark."""
    k = next((i for i, b in enumerate(CLASS_BREAKS) if top <= b), len(CLASS_BREAKS) - 1) + 1
    k = max(k, 3)
    colors = [_RAMP[round(i * (len(_RAMP) - 1) / (k - 1))] for i in range(k)]
    return CLASS_BREAKS[:k], colors


class EventMarkers(_DataLayer):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = {{ 'DL.cluster()' if this.cluster else 'L.featureGroup()' }};
        DL.markers({{ this.get_name() }}, {{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, data: MapData, name: str = "Events"):
        super().__init__(name)
        self._name = "EventMarkers"
        self.cluster = len(data.markers) > CLUSTER_MIN
        self.data = _js({"types": data.type_table, "rows": data.markers, "mode": data.mode,
                         "maxN": max((r[2] for r in data.markers), default=1)})  # fmt: skip


class FlowArcs(_DataLayer):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        DL.flows({{ this.get_name() }}, {{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, data: MapData, name: str = "Flows"):
        super().__init__(name)
        self._name = "FlowArcs"
        self.data = _js({"types": data.type_table, "rows": data.flows, "maxN": max((f[1] for f in data.flows), default=1)})


class Legend(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        DL.legend(DL.map, {{ this.html_json }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str):
        super().__init__()
        self._name = "Legend"
        self.html_json = _js(html_text)


class Begin(MacroElement):
    """Runs before a selection's layers are added: its token and bounds (see DL.begin)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        DL.begin({{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, data: MapData):
        super().__init__()
        self._name = "Begin"
        self.data = _js({"bounds": data.bounds, "token": data.digest()})


class Finish(MacroElement):
    """Runs after them: marks the map ready (data-dl-ready) once every layer is drawn."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        DL.finish();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "Finish"


def legend_html(data: MapData) -> str:
    """The legend's HTML: a <details> block, so a reader can fold it away from the markers."""
    rows = []
    counts = data.type_counts
    flow_counts = data.flow_type_counts
    fams: dict[str, list[str]] = {}
    for t in data.types:
        fams.setdefault(type_style(t).family, []).append(t)
    if fams:
        rows.append("<h4>Events</h4>")
    items = []
    for fam in FAMILIES:
        for t in fams.get(fam, []):
            n = counts.get(t, 0) + (0 if t in counts else flow_counts.get(t, 0))
            items.append(f'<div class="row">{glyph_svg(t, 13)}<span>{_esc(type_style(t).label)}</span><span class="n">{n:,}</span></div>')
    if items:
        rows.append(f'<div class="{"types two" if len(items) > 8 else "types"}">{"".join(items)}</div>')
    if data.mode != "type" and data.markers:
        how = "place" if data.mode == "place" else f"{data.cell_deg:g}° cell"
        rows.append(f'<div class="note">One marker per {how}, shaped by its commonest type; size = events.</div>')
    elif data.markers:
        rows.append('<div class="note">One marker per place and type; size = events.</div>')
    if data.flows:
        rows.append("<h4>Flows</h4>")
        rows.append('<div class="row"><svg width="34" height="10"><line x1="1" y1="5" x2="25" y2="5" stroke="#555" stroke-width="2"/>'
                    '<polygon points="33,5 24,0.5 26,5 24,9.5" fill="#555"/></svg><span>origin → destination</span></div>')  # fmt: skip
        rows.append('<div class="note">Width = events on the route.'
                    + (f" Busiest {data.routes_drawn:,} of {data.routes:,} routes drawn." if data.routes_drawn < data.routes else "")
                    + "</div>")  # fmt: skip
    if data.countries:
        breaks, colors = shading_classes(max(data.countries.values()))
        rows.append("<h4>Events per country</h4>")
        lo = 1
        for b, c in zip(breaks, colors):
            label = f"{lo:,}" if lo == b else f"{lo:,}–{b:,}"
            rows.append(f'<div class="row"><span class="sw" style="background:{c}"></span><span>{label}</span></div>')
            lo = b + 1
    return '<details open><summary>Legend</summary>' + "".join(rows) + "</details>"


CARTO_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
    '&copy; <a href="https://carto.com/attributions">CARTO</a>'
)


def tile_layers() -> list[folium.TileLayer]:
    """Online base layers, offered only when the user opted in (DATELINE_ONLINE=1)."""
    return [
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", overlay=False, control=True, show=False),
        folium.TileLayer(
            "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
            attr=CARTO_ATTRIBUTION,
            name="CARTO Positron (online)",
            overlay=False,
            control=True,
            show=False,
            subdomains="abcd",
            max_zoom=20,
        ),
    ]


def base_map(*, online: bool | None = None, height: int | str = "100%") -> folium.Map:
    """The map without data: the offline basemap (and online tiles if `online`, default
    geo.settings.online()). The same object for every selection: give it to st_folium with
    data_layers() as `feature_group_to_add`, and a new selection redraws only the layers."""
    from geo.settings import online as online_setting

    assets.use_local_assets()
    online = online_setting() if online is None else online
    m = folium.Map(
        location=[20, 10],
        zoom_start=2,
        tiles=None,
        world_copy_jump=True,
        control_scale=True,
        height=height,
        prefer_canvas=False,  # SVG paths and DOM markers: countable, styleable, crisp
    )
    # folium gives max_zoom to its tile layer only; with no tiles the map itself needs it, and
    # MarkerCluster refuses a map without one.
    m.options["maxZoom"] = 18 if online else 12
    m.options["minZoom"] = 1
    # Nothing here uses jQuery: one script fewer to fetch and run before the map appears.
    m.default_js = [(name, url) for name, url in assets.MAP_JS if name != "jquery"]
    Runtime().add_to(m)
    CountryBasemap().add_to(m)
    if online:
        for t in tile_layers():
            t.add_to(m)
    return m


def data_layers(data: MapData, *, shading: bool = True) -> list[folium.FeatureGroup]:
    """A selection's layers, in drawing order, as the feature groups the layer control lists."""
    start = folium.FeatureGroup(name="start", control=False)
    Begin(data).add_to(start)
    shade = folium.FeatureGroup(name="Events per country", show=shading)
    CountryShading(data.countries).add_to(shade)
    flows = folium.FeatureGroup(name="Flows")
    FlowArcs(data).add_to(flows)
    events = folium.FeatureGroup(name="Events")
    EventMarkers(data).add_to(events)
    end = folium.FeatureGroup(name="end", control=False)
    Legend(legend_html(data)).add_to(end)
    Finish().add_to(end)
    return [start, shade, flows, events, end]


def layer_control() -> folium.LayerControl:
    return folium.LayerControl(position="topright", collapsed=True)


def build_map(data: MapData, *, online: bool | None = None, height: int | str = "100%", shading: bool = True) -> folium.Map:
    """One self-contained folium map of `data` (base map and layers), e.g. to save as HTML
    served from the app's origin. The app itself swaps layers instead (see base_map)."""
    m = base_map(online=online, height=height)
    for group in data_layers(data, shading=shading):
        group.add_to(m)
    layer_control().add_to(m)
    return m
