import itertools

import pytest
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString

from geo.model import Place
from geo.store.flows import bearing_at_end, flow_geometry, geodesic_line

GEOD = Geod(ellps="WGS84")

CARACAS = (-66.879, 10.488)
BOGOTA = (-74.081, 4.609)
TOKYO = (139.6917, 35.6895)
LOS_ANGELES = (-118.2437, 34.0522)
LONDON = (-0.1278, 51.5074)
NEW_YORK = (-74.006, 40.7128)


def place(name: str, lon_lat: tuple[float, float]) -> Place:
    lon, lat = lon_lat
    return Place(geonameid=None, name=name, country_code=None, level="city", lat=lat, lon=lon)


def dist(a, b) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def segments(line):
    parts = line.geoms if isinstance(line, MultiLineString) else [line]
    for part in parts:
        coords = list(part.coords)
        yield from itertools.pairwise(coords)


def test_caracas_bogota_follows_the_geodesic():
    line = flow_geometry(place("Caracas", CARACAS), place("Bogota", BOGOTA))
    assert isinstance(line, LineString)
    coords = list(line.coords)
    assert coords[0] == CARACAS and coords[-1] == BOGOTA
    total = dist(CARACAS, BOGOTA)
    assert sum(dist(a, b) for a, b in segments(line)) == pytest.approx(total, rel=1e-3)
    # On the geodesic, a vertex adds nothing to the trip; 1 m of detour here means it lies
    # within a few hundred metres of the line.
    for vertex in coords:
        assert dist(CARACAS, vertex) + dist(vertex, BOGOTA) - total < 1.0
    assert max(dist(a, b) for a, b in segments(line)) <= 50_000 * 1.0001
    assert len(coords) >= 16


def test_tokyo_los_angeles_splits_at_the_antimeridian():
    line = flow_geometry(place("Tokyo", TOKYO), place("Los Angeles", LOS_ANGELES))
    assert isinstance(line, MultiLineString)
    west, east = (list(part.coords) for part in line.geoms)
    assert west[0] == TOKYO and east[-1] == LOS_ANGELES
    assert west[-1][0] == 180.0 and east[0][0] == -180.0
    assert west[-1][1] == east[0][1]
    # The crossing is on the geodesic, not merely on the antimeridian.
    crossing = west[-1]
    assert dist(TOKYO, crossing) + dist(crossing, LOS_ANGELES) - dist(TOKYO, LOS_ANGELES) < 10.0
    # Nothing streaks across the map.
    assert max(abs(a[0] - b[0]) for a, b in segments(line)) < 5.0


def test_reverse_direction_splits_the_other_way():
    line = geodesic_line(*LOS_ANGELES, *TOKYO)
    first, second = (list(part.coords) for part in line.geoms)
    assert first[0] == LOS_ANGELES and first[-1][0] == -180.0
    assert second[0][0] == 180.0 and second[-1] == TOKYO


def test_london_new_york_bows_poleward():
    coords = list(geodesic_line(*LONDON, *NEW_YORK).coords)
    assert len(coords) % 2 == 1  # equally spaced, so the middle vertex is the midpoint
    middle = coords[len(coords) // 2]
    assert dist(LONDON, middle) == pytest.approx(dist(middle, NEW_YORK), rel=1e-6)
    assert middle[1] > LONDON[1] > NEW_YORK[1]


def test_same_or_missing_point_gives_no_flow():
    assert flow_geometry(place("Caracas", CARACAS), place("Caracas again", CARACAS)) is None
    assert flow_geometry(None, place("Bogota", BOGOTA)) is None
    assert flow_geometry(place("Caracas", CARACAS), None) is None
    with pytest.raises(ValueError):
        geodesic_line(*CARACAS, *CARACAS)


def test_vertex_count_is_bounded_both_ways():
    capped = geodesic_line(*TOKYO, *LOS_ANGELES, max_points=20)
    # The split repeats the crossing, once on each side.
    assert sum(len(part.coords) for part in capped.geoms) <= 20 + 2
    coarse = geodesic_line(*LONDON, *NEW_YORK, max_segment_km=5000)
    assert len(coarse.coords) >= 16
    short = geodesic_line(-66.879, 10.488, -66.95, 10.5)  # about 8 km across Caracas
    assert len(short.coords) == 2


def test_bad_coordinates_are_refused():
    with pytest.raises(ValueError):
        geodesic_line(0.0, 91.0, 10.0, 0.0)
    with pytest.raises(ValueError):
        geodesic_line(float("nan"), 0.0, 10.0, 0.0)


def test_bearing_at_end_is_the_geodesic_arrival_azimuth():
    for a, b in [(CARACAS, BOGOTA), (TOKYO, LOS_ANGELES), (LONDON, NEW_YORK)]:
        expected = GEOD.inv(a[0], a[1], b[0], b[1], return_back_azimuth=False)[1] % 360
        assert bearing_at_end(geodesic_line(*a, *b)) == pytest.approx(expected, abs=1e-6)
    assert bearing_at_end(geodesic_line(0.0, 0.0, 10.0, 0.0)) == pytest.approx(90.0)
    assert bearing_at_end(geodesic_line(0.0, 10.0, 0.0, 0.0)) == pytest.approx(180.0)
