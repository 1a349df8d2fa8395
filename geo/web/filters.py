"""What the user has selected, and its spelling in the URL query string. No Streamlit here.

Every page shows the same sidebar (see `app_state.py`), so a link copied from any page reproduces
the selection on any other. The query string, one key per filter:

    dates=2019-02-01&dates=2019-03-31     first and last day, inclusive (both or neither)
    type=border_crossing&type=sanction     event types, any of
    country=VE&country=CO                  ISO 3166-1 alpha-2 codes of the event's place, any of
    actor=Maduro                           actors, any of, case ignored
    q=aid convoy                           words that must all appear (sentence, place, actors)
    conf=0.6                               events reported at least this firmly (confidence, 0-1)
    brush=2019-02-20..2019-02-28           the range brushed on the map page's timeline
    view=7.12,-72.40,6                     the map's centre (lat, lon) and zoom, kept by the map itself

app_state.py writes the selection to the URL on every run of every page; `brush` is set by the
map page's timeline and `view` by the map's own JavaScript.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

Q_DATES = "dates"
Q_TYPES = "type"
Q_COUNTRIES = "country"
Q_ACTORS = "actor"
Q_TEXT = "q"
Q_CONF = "conf"
Q_BRUSH = "brush"
Q_VIEW = "view"
KEYS = (Q_DATES, Q_TYPES, Q_COUNTRIES, Q_ACTORS, Q_TEXT, Q_CONF, Q_BRUSH)


def parse_date(value: Any) -> dt.date | None:
    """A date from a link or a widget; None for anything that is not one (links are forgiving)."""
    from geo.store.store import (
        _as_date,  # the store's reading of dates, so both agree on what one is
    )

    try:
        return _as_date(value.strip() if isinstance(value, str) else value, "date")
    except ValueError:
        return None


def parse_range(value: Any) -> tuple[dt.date, dt.date] | None:
    """'2019-02-20..2019-02-28' (or a pair) -> (first, last) in order; None when not two dates."""
    if value is None:
        return None
    parts = value.split("..") if isinstance(value, str) else list(value)
    if len(parts) != 2:
        return None
    a, b = parse_date(parts[0]), parse_date(parts[1])
    if a is None or b is None:
        return None
    return (a, b) if a <= b else (b, a)


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


def format_range(r: tuple[dt.date, dt.date] | None) -> str | None:
    return f"{r[0].isoformat()}..{r[1].isoformat()}" if r else None


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


def parse_confidence(values) -> float:
    """A minimum confidence from the URL: a number from 0 to 1, else 0 (no filter), so a
    mangled link still opens."""
    try:
        c = float(values[0]) if values else 0.0
    except (TypeError, ValueError):
        return 0.0
    return c if 0.0 <= c <= 1.0 else 0.0


def _values(q: Mapping, key: str) -> list[str]:
    """All values of `key`, from st.query_params (get_all), a dict of lists or of strings."""
    if hasattr(q, "get_all"):
        vals = q.get_all(key)
    else:
        v = q.get(key)
        vals = [] if v is None else list(v) if isinstance(v, (list, tuple)) else [v]
    out = []
    for v in vals:
        v = str(v).strip()
        if v and v not in out:
            out.append(v)
    return out


@dataclass(frozen=True)
class ViewFilters:
    """The selection. Empty fields select everything."""

    start: dt.date | None = None
    end: dt.date | None = None
    types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    text: str = ""
    brush: tuple[dt.date, dt.date] | None = field(default=None)
    min_confidence: float = 0.0  # 0: every event, however hedged

    def __post_init__(self):
        if self.start and self.end and self.start > self.end:
            start, end = self.end, self.start
            object.__setattr__(self, "start", start)
            object.__setattr__(self, "end", end)

    @classmethod
    def from_query(cls, q: Mapping) -> ViewFilters:
        dates = [parse_date(v) for v in _values(q, Q_DATES)]
        dates = [d for d in dates if d is not None]
        start, end = (dates[0], dates[-1]) if len(dates) >= 2 else (None, None)
        text = _values(q, Q_TEXT)
        brush = _values(q, Q_BRUSH)
        return cls(
            start=start,
            end=end,
            types=tuple(_values(q, Q_TYPES)),
            countries=tuple(c.upper() for c in _values(q, Q_COUNTRIES)),
            actors=tuple(_values(q, Q_ACTORS)),
            text=text[0] if text else "",
            brush=parse_range(brush[0]) if brush else None,
            min_confidence=parse_confidence(_values(q, Q_CONF)[:1]),
        )

    def to_query(self) -> dict[str, str | list[str]]:
        """The query string for this selection: unset filters are left out."""
        out: dict[str, str | list[str]] = {}
        if self.start and self.end:
            out[Q_DATES] = [self.start.isoformat(), self.end.isoformat()]
        if self.types:
            out[Q_TYPES] = list(self.types)
        if self.countries:
            out[Q_COUNTRIES] = list(self.countries)
        if self.actors:
            out[Q_ACTORS] = list(self.actors)
        if self.text.strip():
            out[Q_TEXT] = self.text.strip()
        if self.min_confidence:
            out[Q_CONF] = f"{self.min_confidence:g}"
        if self.brush:
            out[Q_BRUSH] = format_range(self.brush)
        return out

    def window(self, brush: bool = True) -> tuple[dt.date | None, dt.date | None]:
        """The dates selected: the sidebar range, narrowed by the timeline brush when asked.
        A brush outside the range selects nothing, which is what the map then shows."""
        start, end = self.start, self.end
        if brush and self.brush:
            b0, b1 = self.brush
            start = b0 if start is None else max(start, b0)
            end = b1 if end is None else min(end, b1)
        return start, end

    def store_kwargs(self, brush: bool = True) -> dict[str, Any]:
        """Keyword arguments for Store.events / flows / counts_* / facets and geo.export."""
        start, end = self.window(brush)
        if start is not None and end is not None and start > end:
            # A brush outside the sidebar range: the store has no 'nothing' filter, and no
            # event is dated on the last day of year 9999.
            start = end = dt.date.max
        return {
            "start": start,
            "end": end,
            "types": list(self.types) or None,
            "countries": list(self.countries) or None,
            "actors": list(self.actors) or None,
            "text": self.text.strip() or None,
            "min_confidence": self.min_confidence or None,
        }

    def without(self, *names: str) -> ViewFilters:
        """The same selection with some fields cleared: facet counts ignore their own field."""
        cleared = {"start": None, "end": None, "brush": None, "text": "", "min_confidence": 0.0}
        return replace(self, **{n: cleared.get(n, ()) for n in names})

    def is_empty(self) -> bool:
        return self == ViewFilters()

    def describe(self, country_name=None) -> str:
        """One line for captions: what is selected. `country_name(code)` names the countries
        (the UI passes one; codes otherwise)."""
        parts = []
        start, end = self.window()
        if start or end:
            parts.append(f"{start or '…'} to {end or '…'}")
        if self.types:
            parts.append(", ".join(t.replace("_", " ") for t in self.types))
        if self.countries:
            parts.append(", ".join(country_name(c) if country_name else c for c in self.countries))
        if self.actors:
            parts.append("actors: " + ", ".join(self.actors))
        if self.text.strip():
            parts.append(f"text: {self.text.strip()!r}")
        if self.min_confidence:
            parts.append(f"confidence ≥ {self.min_confidence:g}")
        return " · ".join(parts) or "everything"
