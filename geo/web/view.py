"""The map page's own state in the URL, beside the selection (geo/store/filters.py): the view the
map's JavaScript keeps (`view=lat,lon,zoom`), its playback (`play=cumulative|window`, `at=` the
date of the frame shown, `speed=`, `win=` the window in time bins) and the range a Vega-Lite
brush reports.

The page's JavaScript (static/dateline/map.js) writes and reads the view and playback keys
itself, and reads them as parse_view and parse_playback do; the server only leaves them in
place. MAP_KEYS names them for whatever checks a link.
All of them come from outside (a link, the browser) and are checked like the selection's values.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from geo.store.filters import FIRST_DAY, LAST_DAY, as_date, url_day

Q_VIEW = "view"
PLAY_MODES = ("cumulative", "window")
MAP_KEYS = ("view", "play", "at", "speed", "win")
MAX_ZOOM = 20  # the base map's (geo/web/layers.py)
# Leaflet keeps panning east or west past the antimeridian; a view a few turns round is real.
MAX_LON = 540.0
_FIRST_MS = dt.datetime(FIRST_DAY.year, 1, 1, tzinfo=dt.UTC).timestamp() * 1000
_LAST_MS = dt.datetime(LAST_DAY.year, 12, 31, tzinfo=dt.UTC).timestamp() * 1000


def parse_date(value: Any) -> dt.date | None:
    """A date from a link or a widget; None for anything that is not one (links are forgiving)."""
    try:
        return as_date(value, "date")
    except ValueError:
        return None


def brush_range(values) -> tuple[dt.date, dt.date] | None:
    """The days a Vega-Lite interval selection on a UTC time axis covers: [start, end) as epoch
    milliseconds (or ISO text). The end is exclusive, so a brush drawn back from a link (which
    ends at midnight after its last day) reads back as the same days. None for anything else,
    a time outside FIRST_DAY..LAST_DAY included."""
    if not isinstance(values, (list, tuple)) or len(values) != 2:
        return None
    stamps = []
    for v in values:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if not (math.isfinite(v) and _FIRST_MS <= v <= _LAST_MS + 86_400_000):
                return None
            stamps.append(dt.datetime.fromtimestamp(v / 1000, tz=dt.UTC))
        else:
            d = url_day(v)[0] if isinstance(v, str) else None
            if d is None:
                return None
            stamps.append(dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC))
    lo, hi = min(stamps), max(stamps)
    return lo.date(), max(lo, hi - dt.timedelta(milliseconds=1)).date()


def parse_view(value: Any) -> tuple[float, float, int] | None:
    """'lat,lon,zoom' -> (lat, lon, zoom); None when malformed or out of range (a map given
    latitude 1e300 or zoom 999 draws nothing)."""
    try:
        lat, lon, zoom = (float(x) for x in str(value).split(","))
    except ValueError:
        return None
    if not all(math.isfinite(x) for x in (lat, lon, zoom)) or zoom != int(zoom):
        return None
    if not (-90 <= lat <= 90 and -MAX_LON <= lon <= MAX_LON and 0 <= zoom <= MAX_ZOOM):
        return None
    return lat, lon, int(zoom)


def parse_playback(q) -> dict | None:
    """The playback a link asks for: {"mode", "at", "speed", "win"} (None for what it does not
    say or says wrongly), or None when `play` is absent or not a mode. `q` maps keys to a value
    or a list of values (st.query_params, a parsed query string)."""

    def one(k):
        v = q.get(k)
        return v[0] if isinstance(v, (list, tuple)) and v else v

    mode = one("play")
    if mode not in PLAY_MODES:
        return None

    def number(k, lo, hi):
        try:
            x = float(one(k))
        except (TypeError, ValueError):
            return None
        return x if math.isfinite(x) and lo <= x <= hi else None

    win = number("win", 1, 1000)
    return {"mode": mode, "at": parse_date(one("at")), "speed": number("speed", 0.25, 100), "win": int(win) if win else None}
