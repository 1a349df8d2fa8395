"""The map page's own state in the URL, beside the selection (geo/store/filters.py): the view the
map's JavaScript keeps (`view=lat,lon,zoom`) and the range a Vega-Lite brush reports.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from geo.store.filters import as_date

Q_VIEW = "view"


def parse_date(value: Any) -> dt.date | None:
    """A date from a link or a widget; None for anything that is not one (links are forgiving)."""
    try:
        return as_date(value, "date")
    except ValueError:
        return None


def brush_range(values) -> tuple[dt.date, dt.date] | None:
    """The days a Vega-Lite interval selection on a UTC time axis covers: [start, end) as epoch
    milliseconds (or ISO text). The end is exclusive, so a brush drawn back from a link (which
    ends at midnight after its last day) reads back as the same days."""
    if not values or len(values) != 2:
        return None
    stamps = []
    for v in values:
        if isinstance(v, (int, float)):
            stamps.append(dt.datetime.fromtimestamp(v / 1000, tz=dt.UTC))
        else:
            d = parse_date(v)
            if d is None:
                return None
            stamps.append(dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC))
    lo, hi = min(stamps), max(stamps)
    return lo.date(), max(lo, hi - dt.timedelta(milliseconds=1)).date()


def parse_view(value: Any) -> tuple[float, float, int] | None:
    """'lat,lon,zoom' -> (lat, lon, zoom); None when malformed or out of range."""
    try:
        lat, lon, zoom = str(value).split(",")
        lat, lon, z = float(lat), float(lon), int(float(zoom))
    except (TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -540 <= lon <= 540 and 0 <= z <= 20):
        return None
    return lat, lon, z
