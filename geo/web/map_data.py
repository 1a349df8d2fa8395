"""What the map shows for one selection, aggregated from the store's queries and escaped (MapData).

Never one marker per event: a map of 100,000 events would be a 50 MB page. Events are aggregated
in the database, one marker per place and type; per place when that is still too many; per grid
cell when even places are too many. Each marker's popup lists its latest events, fewer per
marker the more markers there are, so the page stays within a fixed budget.

The playback (geo/web/playback.py) plays the selection through time in the page. Routes carry
their events per time bin; markers and countries get theirs from play_series, which the page
asks for when a reader presses play (geo/web/series_route.py): at a million events that query
costs more than the map itself, and most visitors never play. Markers say how they were placed: at a
country or region as a whole (drawn hollow), or only by the article's dateline (drawn weak); a
route's end at a country as a whole is drawn at its capital, not at GeoNames' point for the
country (Russia's is in central Siberia).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd

from geo.store import Filters
from geo.store.flows import bearing_at_end, geodesic_line

from . import playback
from .popups import TypeIndex, as_day, esc, event_record, isna, name_or
from .styles import type_order

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
# Places that are areas, not points: a marker there stands for somewhere in it.
AREA_LEVELS = frozenset({"country", "admin1", "admin2", "region", "continent"})


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
    # {"unit", "first", "bins", "series"}: the playback's time bins and the URL of its series
    # (play_series); None: nothing dated.
    play: dict | None = None
    weak: int = 0  # located events placed only by the dateline
    area: int = 0  # located events at a country or region as a whole
    type_table: list = field(default_factory=list)  # [name, label, colour, glyph] per type index
    _digest: str = ""

    @property
    def types(self) -> list[str]:
        return type_order([*self.type_counts, *self.flow_type_counts])

    def digest(self) -> str:
        """Changes whenever what is drawn changes: the page marks the map ready with it."""
        if not self._digest:
            blob = json.dumps(
                [self.mode, self.markers, self.flows, self.countries, self.type_table, self.play],
                default=str, separators=(",", ":"),
            )  # fmt: skip
            self._digest = hashlib.sha1(blob.encode("utf-8")).hexdigest()[:16]
        return self._digest


# A place group: (place key, lat, lon, type, place name, country code, events, events placed
# only by the dateline, how the place is an area: 2 a country, 1 another area, 0 a point).
K, LAT, LON, TYPE, NAME, CC, N, WEAK, AREA = range(9)


def _place_groups(store, f: Filters) -> list[tuple]:
    return [
        (_pkey(pid, lat, lon), float(lat), float(lon), t, name, cc, int(n), int(weak or 0), _area(level))
        for pid, lat, lon, t, name, cc, n, weak, level in store.place_groups(f)
    ]


def _area(level) -> int:
    return 2 if level == "country" else 1 if level in AREA_LEVELS else 0


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
    types = TypeIndex()
    out = MapData()

    by_country = store.counts_by_country(f)
    out.events = int(by_country["events"].sum()) if len(by_country) else 0
    out.countries = {str(cc): int(n) for cc, n in zip(by_country["country_code"], by_country["events"]) if not isna(cc)}

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
        per_group = per_popup(list(totals.values()), POPUP_EVENTS)
        described = set(sorted(totals, key=lambda k: -totals[k])[:POPUP_EVENTS]) if len(totals) > POPUP_EVENTS else None
        latest = store.latest_events(f, per_group=per_group, group=group, cell_deg=out.cell_deg)
        evs: dict = {}
        for row in latest:
            k = gkey(_pkey(row["place_id"], row["lat"], row["lon"]), float(row["lat"]), float(row["lon"]), row["type"])
            if described is None or k in described:
                evs.setdefault(k, []).append((event_record(row, types), _iso(row["date"])))
        out.popup_events = sum(len(v) for v in evs.values())
        out.weak = sum(g[WEAK] for g in groups)
        out.area = sum(g[N] for g in groups if g[AREA])
        out.markers = _markers(out.mode, groups, keys, evs, types)
        out.bounds = _bounds([g[LAT] for g in groups], [g[LON] for g in groups])
    play = _play_bins(store, f)
    if play:
        out.play = {"unit": play[0], "first": play[1].isoformat(), "bins": play[2], "series": series_url(f, out.mode, out.cell_deg)}

    out.flows = _routes(out, store.flows(f), types, play)
    if out.flows:
        ends = [p for f in out.flows for part in f[0] for p in (part[0], part[-1])]
        lats, lons = [p[0] for p in ends], [p[1] for p in ends]
        if out.bounds:
            lats += [out.bounds[0][0], out.bounds[1][0]]
            lons += [out.bounds[0][1], out.bounds[1][1]]
        out.bounds = _bounds(lats, lons)
    out.type_table = types.table()
    return out


def _iso(v) -> str | None:
    d = as_day(v)
    return d.isoformat() if d else None


def _play_bins(store, f: Filters) -> tuple[str, object, int] | None:
    """The playback's (unit, first bin's start, bins) over the selection's dates."""
    lo, hi = store.date_range(f)
    return playback.bins(lo, hi) if lo and hi else None


# The store's grouping (aggregates.GROUPINGS) behind each marker mode.
GROUP_OF_MODE = {"type": "place_type", "place": "place", "grid": "cell"}


def series_url(f: Filters, mode: str, cell_deg: float | None) -> str:
    """Where the page gets the playback's series for this selection (series_route.py)."""
    q = {"key": f.to_key(), "mode": mode}
    if cell_deg:
        q["cell"] = repr(cell_deg)
    return playback.SERIES_PATH + "?" + urlencode(q)


def play_series(store, f: Filters, mode: str = "type", cell_deg: float | None = None) -> dict:
    """The playback's events per time bin for the selection drawn in `mode` (map_data's):
    {"unit", "first", "bins", "markers": {marker key (_markers' last but one column): series},
    "countries": {ISO code: series}}, each series a playback.series; {} when nothing is dated."""
    if mode not in GROUP_OF_MODE or (mode == "grid" and not cell_deg):
        raise ValueError(f"mode {mode!r}: expected one of {', '.join(GROUP_OF_MODE)} (grid with a cell size)")
    play = _play_bins(store, f)
    if not play:
        return {}
    markers, countries = _series(store, f, play, mode, cell_deg)
    return {"unit": play[0], "first": play[1].isoformat(), "bins": play[2], "markers": markers, "countries": countries}


def _series(store, f: Filters, play, mode: str, cell_deg) -> tuple[dict, dict]:
    """Events per time bin for each marker (by its key) and each country."""
    unit, first, _ = play
    group = GROUP_OF_MODE[mode]
    by_marker: dict = {}
    by_country: dict = {}
    for row in store.time_series(f, unit=unit, first=first, group=group, cell_deg=cell_deg if mode == "grid" else None):
        *key, cc, b, n = row
        b, n = int(b), int(n)
        if cc is not None:
            c = by_country.setdefault(str(cc), {})
            c[b] = c.get(b, 0) + n
        if mode == "grid":
            if key[0] is None:
                continue
            k = (int(key[0]), int(key[1]))
        else:
            if key[1] is None or key[2] is None:
                continue
            k = _pkey(key[0], key[1], key[2])
            if mode == "type":
                k = (k, key[3])
        s = by_marker.setdefault(_marker_key(k), {})
        s[b] = s.get(b, 0) + n
    return (
        {k: playback.series(v) for k, v in by_marker.items()},
        {k: playback.series(v) for k, v in by_country.items()},
    )


def per_popup(sizes: list[int], budget: int) -> int:
    """The most events any one popup describes (1 to MAX_PER_POPUP) such that the popups of
    groups of these sizes describe at most `budget` in all, where that is possible: small groups
    leave room for the big ones."""
    k = 1
    while k < MAX_PER_POPUP and sum(min(n, k + 1) for n in sizes) <= budget:
        k += 1
    return k


def _marker_key(k) -> str:
    """A marker's group key as text, the same in map_data's rows and in play_series: a place id or
    point, with "|type" in type mode; a grid cell's "column,row"."""
    if isinstance(k, tuple) and len(k) == 2 and isinstance(k[1], str):
        return _marker_key(k[0]) + "|" + k[1]
    if isinstance(k, tuple):
        return f"{k[0]!r},{k[1]!r}"
    return str(k)


def _markers(mode: str, groups: list[tuple], keys: list, evs: dict, types: TypeIndex) -> list:
    """Marker records: [lat, lon, events, type index, dx, dy, name, country, [[type, n]...] or
    None, popup events, older events not in the popup, whether it stands for an area (2: a
    country as a whole, 1: another area, a region or province; 0: a point), events placed only
    by the dateline, the marker's key (its series in play_series), the popup events' ISO dates]."""
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
                    esc(name_or(g[NAME])), esc(g[CC]), None, [e for e, _ in ev], g[N] - len(ev),
                    g[AREA], g[WEAK], _marker_key((g[K], g[TYPE])), [d for _, d in ev],
                ])  # fmt: skip
    else:
        agg: dict = {}
        for g, k in zip(groups, keys):
            a = agg.get(k)
            if a is None:
                a = agg[k] = [0, 0.0, 0.0, {}, {}, 0, 0]  # events, lat sum, lon sum, types, places, weak, in areas
            n = g[N]
            a[0] += n
            a[1] += g[LAT] * n
            a[2] += g[LON] * n
            a[3][g[TYPE]] = a[3].get(g[TYPE], 0) + n
            a[5] += g[WEAK]
            a[6] += n if g[AREA] else 0  # a marker of several places is an area only when all are
            p = a[4].get(g[K])
            if p is None:
                p = a[4][g[K]] = [0, g[NAME], g[CC], g[LAT], g[LON]]
            p[0] += n
        for k, (n, slat, slon, tcount, places, weak, in_areas) in agg.items():
            by_type = sorted(tcount.items(), key=lambda kv: (-kv[1], kv[0]))
            top = max(places.values(), key=lambda p: p[0])
            if mode == "place":
                lat, lon, name = top[3], top[4], esc(name_or(top[1]))
            else:
                # A cell's marker sits at its events' centre of mass, named after its busiest place.
                lat, lon = slat / n, slon / n
                more = len(places) - 1
                name = esc(name_or(top[1])) + (f" and {more} more place{'s' if more > 1 else ''}" if more else "")
            ev = evs.get(k, [])
            rows.append([
                round(lat, COORD_DIGITS), round(lon, COORD_DIGITS), n, types(by_type[0][0]), 0, 0, name, esc(top[2]),
                [[types(t), c] for t, c in by_type], [e for e, _ in ev], n - len(ev),
                int(in_areas == n), weak, _marker_key(k), [d for _, d in ev],
            ])  # fmt: skip
    # Big markers first, so small ones drawn later stay clickable on top of them.
    rows.sort(key=lambda r: -r[2])
    return rows


_FLOW_COLUMNS = [
    "type", "date", "date_precision", "date_text", "actors", "count", "trigger", "sentence", "place_text",
    "place_name", "country_code", "location_reason", "article_title", "article_url", "published",
    "origin_name", "destination_name", "origin_lon", "origin_lat", "destination_lon", "destination_lat",
    "id", "correction",  # for the popup's corrected mark and "Correct…" link
    "origin_geonameid", "destination_geonameid", "origin_cc", "destination_cc",
]  # fmt: skip


@functools.lru_cache(maxsize=512)
def _capital(cc: str, geonameid: int) -> tuple[float, float, str] | None:
    """(lon, lat, name) of the capital when `geonameid` is the country `cc` as a whole, else None."""
    try:
        from geo.gazetteer import Gazetteer

        gaz = Gazetteer.default()
        country, capital = gaz.country(cc), gaz.capital(cc)
    except Exception:  # noqa: BLE001 - no index built: the ends stay where the store put them
        return None
    if country is None or capital is None or int(country.geonameid) != int(geonameid):
        return None
    return float(capital.lon), float(capital.lat), capital.name


def _route_ends(r: dict) -> tuple[list, list]:
    """A flow's ends ([lon, lat], ...) and, per end, the capital's name when the end is a whole
    country and is drawn at its capital (a reader knows Moscow; GeoNames' point for Russia is
    in central Siberia), else None."""
    ends, capitals = [], []
    for side in ("origin", "destination"):
        lon, lat = r.get(f"{side}_lon"), r.get(f"{side}_lat")
        cc, gid = r.get(f"{side}_cc"), r.get(f"{side}_geonameid")
        cap = None if isna(cc) or isna(gid) else _capital(str(cc), int(gid))
        if cap:
            lon, lat = cap[0], cap[1]
        ends += [lon, lat]
        capitals.append(cap[2] if cap else None)
    return ends, capitals


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


def _routes(out: MapData, flows, types: TypeIndex, play=None) -> list:
    """Route records, busiest first: [[path, ...], events, type index, bearing at the end,
    people reported or None, origin name, destination name, popup events, older events, events
    per time bin (playback.series), the popup events' ISO dates, the capitals the ends are drawn
    at when they are whole countries ([origin's or None, destination's or None])]."""
    if flows is None or len(flows) == 0:
        return []
    cols = [c for c in _FLOW_COLUMNS if c in flows.columns]
    routes: dict[tuple, list[dict]] = {}
    capitals: dict[tuple, list] = {}
    for r in pd.DataFrame(flows[cols]).to_dict("records"):
        ends, caps = _route_ends(r)
        if any(isna(v) for v in ends):
            continue
        key = tuple(round(float(v), 5) for v in ends)
        routes.setdefault(key, []).append(r)
        capitals[key] = caps
    out.flow_events = sum(len(v) for v in routes.values())
    tc: dict[str, int] = {}
    for rs in routes.values():
        for r in rs:
            tc[r["type"]] = tc.get(r["type"], 0) + 1
    out.flow_type_counts = dict(sorted(tc.items(), key=lambda kv: -kv[1]))
    ranked = sorted(routes.items(), key=lambda kv: -len(kv[1]))
    out.routes = len(ranked)
    drawn = ranked[:MAX_ROUTES]
    per_route = per_popup([len(rs) for _, rs in drawn], ROUTE_POPUP_EVENTS)
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
        people = [int(r["count"]) for r in rs if not isna(r.get("count"))]
        ev = [event_record(r, types) for r in rs[:per_route]]
        per_bin: dict[int, int] = {}
        if play:
            for r in rs:
                d = as_day(r.get("date"))
                if d is not None:
                    b = playback.bin_of(d, play[0], play[1])
                    per_bin[b] = per_bin.get(b, 0) + 1
        rows.append([
            paths, len(rs), types(main_type), bearing, sum(people) if people else None,
            esc(name_or(rs[0].get("origin_name"), "?")), esc(name_or(rs[0].get("destination_name"), "?")),
            ev, len(rs) - len(ev), playback.series(per_bin), [_iso(r.get("date")) for r in rs[:per_route]],
            [esc(c) if c else None for c in capitals[ends]],
        ])  # fmt: skip
    out.routes_drawn = len(rows)
    return rows
