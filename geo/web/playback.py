"""Time for the map's playback and the timeline: which unit (day, week, month, year) a span is
binned in, where each bin starts, and a group's events per bin as the compact series the page
plays (static/dateline/map.js builds its frames from them, asking the server once per selection,
when a reader first presses play).

Bins are the timeline's bars: the finest unit that draws the span in MAX_BINS or fewer, a week
running Monday to Sunday. A playback frame is one bin; cumulative playback shows every event up
to the frame's bin, a window the last few bins.
"""

from __future__ import annotations

import datetime as dt

MAX_BINS = 120
# Where the page asks for markers' and countries' series when a reader presses play
# (geo/web/series_route.py serves it; map_data.series_url names a selection's).
SERIES_PATH = "/dateline/series"
UNITS = ("day", "week", "month", "year")
_DAYS = {"day": 1, "week": 7, "month": 30.44}


def time_unit(first: dt.date, last: dt.date, max_bins: int = MAX_BINS) -> str:
    """The finest of day, week, month and year that draws first..last in max_bins bins or fewer:
    bars stay wide enough to read, and a playback's frames stay few enough to watch, whatever
    the store holds."""
    days = (last - first).days + 1
    for unit in ("day", "week", "month"):
        if days / _DAYS[unit] <= max_bins:
            return unit
    return "year"


def bin_start(d: dt.date, unit: str) -> dt.date:
    """The first day of the bin holding `d`."""
    if unit == "week":
        return d - dt.timedelta(days=d.weekday())
    if unit == "month":
        return d.replace(day=1)
    if unit == "year":
        return d.replace(month=1, day=1)
    return d


def bin_of(d: dt.date, unit: str, first: dt.date) -> int:
    """Which bin `d` falls in, counted from the bin starting at `first` (a bin_start)."""
    if unit == "day":
        return (d - first).days
    if unit == "week":
        return (d - first).days // 7
    if unit == "month":
        return (d.year - first.year) * 12 + d.month - first.month
    return d.year - first.year


def nth_bin(first: dt.date, unit: str, i: int) -> dt.date:
    """The first day of bin `i`."""
    if unit == "day":
        return first + dt.timedelta(days=i)
    if unit == "week":
        return first + dt.timedelta(days=7 * i)
    if unit == "month":
        m = first.month - 1 + i
        return dt.date(first.year + m // 12, m % 12 + 1, 1)
    return dt.date(first.year + i, 1, 1)


def bins(first: dt.date, last: dt.date) -> tuple[str, dt.date, int]:
    """(unit, first bin's start, number of bins) for dates first..last."""
    unit = time_unit(first, last)
    start = bin_start(first, unit)
    return unit, start, bin_of(last, unit, start) + 1


def series(counts: dict[int, int]) -> list[int]:
    """Events per bin as a flat list [gap, n, gap, n, ...], each gap the bins since the last one
    listed (the first counted from bin 0): a marker active in 30 bins costs about 150 bytes."""
    out, prev = [], 0
    for b in sorted(counts):
        out += [b - prev, counts[b]]
        prev = b
    return out


def unpack(flat: list[int]) -> dict[int, int]:
    """The inverse of series()."""
    out, b = {}, 0
    for i in range(0, len(flat), 2):
        b += flat[i]
        out[b] = flat[i + 1]
    return out
