"""Origin -> destination flows as geodesic lines in lon/lat (RFC 7946 order).

A straight lon/lat segment is not the route anything travels and, on Web Mercator, not even the
shortest-looking one: the line is densified along the WGS84 geodesic instead, then cut where it
crosses the antimeridian so Tokyo -> Los Angeles goes over the Pacific, not across the map.
"""

from __future__ import annotations

import math

from pyproj import Geod
from shapely.geometry import LineString, MultiLineString

from geo.model import Place

GEOD = Geod(ellps="WGS84")

# Past this length a geodesic's bow is plain on Web Mercator, so it gets at least
# MIN_LONG_POINTS vertices however coarse a segment the caller allows.
LONG_LINE_M = 500_000.0
MIN_LONG_POINTS = 16
# Places closer than this are one point: there is no direction to draw.
SAME_POINT_M = 1.0


def _check(lon: float, lat: float) -> None:
    if not (math.isfinite(lon) and math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise ValueError(f"not a lon/lat point: ({lon}, {lat})")


def _wrap(lon: float) -> float:
    """Longitude into [-180, 180), keeping +180 as given (it is the antimeridian's east side)."""
    return lon if -180.0 <= lon <= 180.0 else (lon + 180.0) % 360.0 - 180.0


def _split_at_antimeridian(lons: list[float], lats: list[float]) -> list[list[tuple[float, float]]]:
    # Unwrap (lon + 360 * turns) so consecutive vertices never differ by more than 180 degrees;
    # the line crosses the antimeridian wherever a segment passes an odd multiple of 180.
    turns = [0]
    for i in range(1, len(lons)):
        turns.append(turns[-1] + round((lons[i - 1] - lons[i]) / 360.0))

    # A vertex is (lon, turns, lat): its unwrapped longitude is lon + 360 * turns. Kept apart so
    # that shifting a part back to [-180, 180] returns the input longitudes exactly.
    parts: list[list[tuple[float, int, float]]] = [[(lons[0], 0, lats[0])]]
    for i in range(1, len(lons)):
        lon_a = lons[i - 1] + 360.0 * turns[i - 1]
        lon_b = lons[i] + 360.0 * turns[i]
        edge = 360.0 * math.floor(max(lon_a, lon_b) / 360.0 + 0.5) - 180.0
        if min(lon_a, lon_b) < edge < max(lon_a, lon_b):
            # Linear interpolation: segments are tens of km, so this is within metres of the
            # geodesic, and both halves meet at one latitude.
            lat_x = lats[i - 1] + (edge - lon_a) / (lon_b - lon_a) * (lats[i] - lats[i - 1])
            parts[-1].append((edge, 0, lat_x))
            parts.append([(edge, 0, lat_x)])
        parts[-1].append((lons[i], turns[i], lats[i]))

    out = []
    for part in parts:
        # Each part lies within one copy of the world; shifting it back puts its crossing
        # vertices at exactly +180 or -180.
        mean = sum(lon + 360.0 * k for lon, k, _ in part) / len(part)
        sheet = math.floor((mean + 180.0) / 360.0)
        out.append(_dedupe([(lon + 360.0 * (k - sheet), lat) for lon, k, lat in part]))
    return [part for part in out if len(part) >= 2]


def _dedupe(part: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = [part[0]]
    for point in part[1:]:
        if point != out[-1]:
            out.append(point)
    return out


def geodesic_line(
    lon1: float,
    lat1: float,
    lon2: float,
    lat2: float,
    max_segment_km: float = 50.0,
    max_points: int = 256,
) -> LineString | MultiLineString:
    """The geodesic from (lon1, lat1) to (lon2, lat2), no segment longer than `max_segment_km`
    unless that would take more than `max_points` vertices; split at the antimeridian.

    Starts and ends exactly at the points given (longitudes wrapped into [-180, 180]); the parts
    of a MultiLineString run in travel order. ValueError for a bad or repeated point.
    """
    _check(lon1, lat1)
    _check(lon2, lat2)
    if max_segment_km <= 0 or max_points < 2:
        raise ValueError(
            f"need max_segment_km > 0 and max_points >= 2, got {max_segment_km}, {max_points}"
        )
    lon1, lon2 = _wrap(lon1), _wrap(lon2)
    distance = GEOD.inv(lon1, lat1, lon2, lat2)[2]
    if distance < SAME_POINT_M:
        raise ValueError(f"no line from a point to itself: ({lon1}, {lat1})")
    npts = math.ceil(distance / (max_segment_km * 1000.0)) + 1
    if distance >= LONG_LINE_M:
        npts = max(npts, MIN_LONG_POINTS)
    npts = min(npts, max_points)
    if npts > 2:
        found = GEOD.inv_intermediate(
            lon1,
            lat1,
            lon2,
            lat2,
            npts=npts,
            initial_idx=0,
            terminus_idx=0,
            return_back_azimuth=False,
        )
        lons, lats = list(found.lons), list(found.lats)
    else:
        lons, lats = [lon1, lon2], [lat1, lat2]
    # pyproj returns the ends re-normalised (-118.24000000000001): put back what was asked for.
    lons[0], lats[0], lons[-1], lats[-1] = lon1, lat1, lon2, lat2
    parts = _split_at_antimeridian(lons, lats)
    if len(parts) == 1:
        return LineString(parts[0])
    return MultiLineString(parts)


def flow_geometry(
    origin: Place | None, destination: Place | None
) -> LineString | MultiLineString | None:
    """The line to draw for a flow; None when an end is missing or both ends are one point."""
    if origin is None or destination is None:
        return None
    if GEOD.inv(origin.lon, origin.lat, destination.lon, destination.lat)[2] < SAME_POINT_M:
        return None
    return geodesic_line(origin.lon, origin.lat, destination.lon, destination.lat)


def bearing_at_end(line: LineString | MultiLineString) -> float:
    """Direction of travel where `line` arrives, degrees clockwise from north in [0, 360).

    Web Mercator is conformal, so this is also the arrow head's angle on screen. The last segment
    lies on the same geodesic as the whole flow, so its azimuth at the end is the flow's own.
    """
    last = line.geoms[-1] if isinstance(line, MultiLineString) else line
    coords = list(last.coords)
    end = coords[-1]
    for before in reversed(coords[:-1]):
        if GEOD.inv(before[0], before[1], end[0], end[1])[2] >= SAME_POINT_M:
            break
    else:
        raise ValueError("a line with no length has no bearing")
    arriving = GEOD.inv(before[0], before[1], end[0], end[1], return_back_azimuth=False)[1]
    return arriving % 360.0
