"""What a user selects, one dataclass from the URL to the sidebar to the store to the export.

Every page shows the same sidebar, so a link copied from any page reproduces the selection on any
other. Each field's metadata gives its key in the URL's query string and how it is written there:

    dates=2019-02-01&dates=2019-03-31     start and end: first and last day, inclusive (both or neither)
    type=border_crossing&type=sanction     event types, any of
    country=VE&country=CO                  ISO 3166-1 alpha-2 codes of the event's place, any of
    actor=Maduro                           actors, any of, case ignored
    q=aid convoy                           words that must all appear (sentence, place, actors)
    conf=0.6                               events reported at least this firmly (confidence, 0-1)
    brush=2019-02-20..2019-02-28           the range brushed on the map page's timeline

`bbox` and `located` have no URL key: the export command and the API set them, while the map keeps
its own view (`view=lat,lon,zoom`, geo/web/view.py). The constructor is strict (a bad value raises
ValueError naming it); `parse_query` is forgiving, because anything can arrive in a link: each kind
of value has one validating function (`url_dates`, `url_names`, `url_text`, `url_number`,
`url_range`), and what a link says that cannot be used is dropped and named, so the page can say
what it ignored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any


def as_date(value, name: str) -> dt.date | None:
    """A date from a date, a datetime or ISO text; None for nothing; ValueError naming `name` otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a date (expected YYYY-MM-DD)") from None


def parse_bbox(value) -> tuple[float, float, float, float]:
    """(west, south, east, north) from a sequence or 'W,S,E,N'; west > east crosses the antimeridian."""
    if isinstance(value, str):
        parts = value.replace(" ", "").split(",")
    else:
        parts = list(value)
    try:
        w, s, e, n = (float(v) for v in parts)
    except (TypeError, ValueError):
        raise ValueError(f"bbox {value!r} is not four numbers W,S,E,N") from None
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90):
        raise ValueError(f"bbox {value!r} is out of range (lon -180..180, lat -90..90, south <= north)")
    return (w, s, e, n)


def parse_range(value: Any) -> tuple[dt.date, dt.date] | None:
    """'2019-02-20..2019-02-28' (or a pair) -> (first, last) in order; None when not two dates."""
    if value is None:
        return None
    parts = value.split("..") if isinstance(value, str) else list(value)
    if len(parts) != 2:
        return None
    try:
        a, b = as_date(parts[0], "date"), as_date(parts[1], "date")
    except ValueError:
        return None
    if a is None or b is None:
        return None
    return (a, b) if a <= b else (b, a)


def format_range(r: tuple[dt.date, dt.date] | None) -> str | None:
    return f"{r[0].isoformat()}..{r[1].isoformat()}" if r else None


def _names(value, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    try:
        items = list(value)
    except TypeError:
        raise ValueError(f"{name} {value!r} is not a list of names") from None
    return tuple(dict.fromkeys(s for v in items if v is not None and (s := str(v).strip())))


def _confidence(value) -> float:
    if value is None or value == "":
        return 0.0
    try:
        c = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"min_confidence {value!r} is not a number from 0 to 1") from None
    if not 0.0 <= c <= 1.0:  # NaN fails this too
        raise ValueError(f"min_confidence {value!r} is not a number from 0 to 1")
    return c


def _url(key: str, kind: str) -> dict:
    return {"query": key, "kind": kind}


# -- values from a link: one validating function per kind ----------------------------------------
# Each takes the values a key has in the query string and returns the value to use (None for
# none) and notes on what it dropped or changed, in words a visitor reads.

# The days a link may name, and the date picker's range: a picker given a day outside its range
# fails, and Python's dates end at 9999-12-31, where a day more overflows.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
MAX_VALUES = 50  # per key: names to select by
MAX_NAME_CHARS = 200
MAX_TEXT_CHARS = 500

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
Notes = list[str]


def _shown(value: str, limit: int = 60) -> str:
    """A value quoted for a note, cut short: it comes from a link."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def plain_text(value: str) -> str:
    """A value from a link without control, format and line-separator characters (which could
    reorder or hide the text around it), and with its spaces collapsed."""
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in value if unicodedata.category(c) != "Cf")
    return " ".join(kept.split())


def url_day(value: str) -> tuple[dt.date | None, Notes]:
    """A day written YYYY-MM-DD, moved into FIRST_DAY..LAST_DAY."""
    value = value.strip()
    try:
        if not _ISO_DAY.fullmatch(value):
            raise ValueError
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None, [f"{_shown(value)} is not a date (YYYY-MM-DD)"]
    if not FIRST_DAY <= day <= LAST_DAY:
        moved = min(max(day, FIRST_DAY), LAST_DAY)
        return moved, [f"{day} is outside {FIRST_DAY}..{LAST_DAY}; {moved} is used"]
    return day, []


def url_dates(values: list[str]) -> tuple[tuple[dt.date, dt.date] | None, Notes]:
    """`dates=FIRST&dates=LAST`: two days, in either order."""
    if not values:
        return None, []
    if len(values) != 2:
        return None, [f"dates: {len(values)} value{'s' if len(values) > 1 else ''} where a first and a last day are needed"]
    return _two_days(values, "dates")


def url_range(values: list[str]) -> tuple[tuple[dt.date, dt.date] | None, Notes]:
    """`brush=FIRST..LAST`: two days, in either order."""
    if not values:
        return None, []
    parts = values[0].split("..")
    if len(parts) != 2:
        return None, [f"brush: {_shown(values[0])} is not FIRST..LAST"]
    return _two_days(parts, "brush")


def _two_days(values: list[str], key: str) -> tuple[tuple[dt.date, dt.date] | None, Notes]:
    days, notes = [], []
    for v in values:
        day, why = url_day(v)
        notes += [f"{key}: {n}" for n in why]
        days.append(day)
    if None in days:
        return None, notes
    return (min(days), max(days)), notes


def url_names(values: list[str], key: str, known: Callable[[str], str | None] | None = None) -> tuple[tuple[str, ...], Notes]:
    """Names to select by: plain text, at most MAX_VALUES of MAX_NAME_CHARS each. `known(name)`
    gives the name as stored (a code upper-cased), or None for a name that is not one."""
    out, notes, unknown = [], [], []
    for v in values:
        name = plain_text(v)
        if not name:
            continue
        if len(name) > MAX_NAME_CHARS:
            notes.append(f"{key}: {_shown(name)} is longer than {MAX_NAME_CHARS} characters")
            continue
        if known is not None:
            canonical = known(name)
            if canonical is None:
                unknown.append(name)
                continue
            name = canonical
        if name not in out:
            out.append(name)
    if unknown:
        notes.append(f"{key}: {', '.join(map(_shown, unknown[:10]))}{' and more' if len(unknown) > 10 else ''} unknown")
    if len(out) > MAX_VALUES:
        notes.append(f"{key}: only the first {MAX_VALUES} of {len(out)} are used")
        out = out[:MAX_VALUES]
    return tuple(out), notes


def url_text(values: list[str], key: str) -> tuple[str, Notes]:
    """Words to search for: plain text, at most MAX_TEXT_CHARS."""
    if not values:
        return "", []
    text = plain_text(values[0])
    if len(text) > MAX_TEXT_CHARS:
        return text[:MAX_TEXT_CHARS].rstrip(), [f"{key}: cut to its first {MAX_TEXT_CHARS} characters"]
    return text, []


def url_number(values: list[str], key: str, low: float, high: float) -> tuple[float | None, Notes]:
    """A finite number from `low` to `high`."""
    if not values:
        return None, []
    try:
        x = float(values[0])
    except ValueError:
        x = math.nan
    if not (math.isfinite(x) and low <= x <= high):
        return None, [f"{key}: {_shown(values[0])} is not a number from {low:g} to {high:g}"]
    return x, []


def url_hide(values: list[str], key: str) -> tuple[bool, Notes]:
    """`hide` asks to leave something out; anything else is named and ignored."""
    if not values:
        return False, []
    if values[0].lower() == "hide":
        return True, []
    return False, [f"{key}: {_shown(values[0])} is not 'hide'"]


def known_type(name: str) -> str | None:
    from geo.text.taxonomy import BY_NAME

    return name if name in BY_NAME else None


def known_country(code: str) -> str | None:
    """An ISO 3166-1 alpha-2 code (current or former, or GeoNames' XK for Kosovo), upper-cased."""
    import pycountry

    code = code.upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return None
    if code == "XK" or pycountry.countries.get(alpha_2=code) or pycountry.historic_countries.get(alpha_2=code):
        return code
    return None


@dataclass(frozen=True, slots=True)
class Filters:
    """The selection: every field optional (empty selects everything), all combined with AND."""

    start: dt.date | None = field(default=None, metadata=_url("dates", "first"))
    end: dt.date | None = field(default=None, metadata=_url("dates", "last"))
    types: tuple[str, ...] = field(default=(), metadata=_url("type", "names"))
    countries: tuple[str, ...] = field(default=(), metadata=_url("country", "names"))
    actors: tuple[str, ...] = field(default=(), metadata=_url("actor", "names"))
    text: str = field(default="", metadata=_url("q", "text"))
    min_confidence: float = field(default=0.0, metadata=_url("conf", "number"))
    brush: tuple[dt.date, dt.date] | None = field(default=None, metadata=_url("brush", "range"))
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    located: bool | None = None  # True: only events with a point; False: only those without
    # Statements are what is said, not what happened, and they are many (179 of 392 sample
    # events): the map's switch leaves them out so the events are not buried.
    hide_statements: bool = field(default=False, metadata=_url("statements", "hide"))

    def __post_init__(self):
        def put(name, value):
            object.__setattr__(self, name, value)

        put("start", as_date(self.start, "start"))
        put("end", as_date(self.end, "end"))
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        put("types", _names(self.types, "types"))
        put("countries", tuple(c.upper() for c in _names(self.countries, "countries")))
        put("actors", _names(self.actors, "actors"))
        put("text", str(self.text or "").strip())
        put("min_confidence", _confidence(self.min_confidence))
        if self.brush is not None:
            brush = parse_range(self.brush)
            if brush is None:
                raise ValueError(f"brush {self.brush!r} is not two dates")
            put("brush", brush)
        if self.bbox is not None:
            put("bbox", parse_bbox(self.bbox))
        if self.hide_statements not in (True, False):
            raise ValueError(f"hide_statements {self.hide_statements!r} is not true or false")

    # -- derived views ----------------------------------------------------------------------

    def window(self) -> tuple[dt.date | None, dt.date | None]:
        """The dates selected: start..end narrowed by the timeline brush. A brush outside the
        range leaves start after end, which selects nothing (what the map then shows)."""
        start, end = self.start, self.end
        if self.brush:
            b0, b1 = self.brush
            start = b0 if start is None else max(start, b0)
            end = b1 if end is None else min(end, b1)
        return start, end

    def without(self, *names: str) -> Filters:
        """The same selection with some fields cleared: facet counts ignore their own field,
        the timeline ignores the brush drawn on it."""
        return replace(self, **{n: _DEFAULTS[n] for n in names})

    def used(self) -> set[str]:
        """Names of the fields that select something."""
        return {f.name for f in fields(self) if getattr(self, f.name) != _DEFAULTS[f.name]}

    def is_empty(self) -> bool:
        return not self.used()

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
        if self.text:
            parts.append(f"text: {self.text!r}")
        if self.min_confidence:
            parts.append(f"confidence ≥ {self.min_confidence:g}")
        if self.bbox:
            parts.append("within {:g},{:g},{:g},{:g}".format(*self.bbox))
        if self.hide_statements:
            parts.append("statements hidden")
        return " · ".join(parts) or "everything"

    # -- spellings: the URL and cache keys, both derived from the fields ---------------------

    def to_query(self) -> dict[str, str | list[str]]:
        """The query string for this selection: unset filters are left out."""
        out: dict[str, str | list[str]] = {}
        if self.start and self.end:
            out[_QUERY["start"]] = [self.start.isoformat(), self.end.isoformat()]
        for f in _URL_FIELDS:
            kind, value = f.metadata["kind"], getattr(self, f.name)
            if value == _DEFAULTS[f.name] or kind in ("first", "last"):
                continue
            if kind == "names":
                out[f.metadata["query"]] = list(value)
            elif kind == "number":
                out[f.metadata["query"]] = f"{value:g}"
            elif kind == "range":
                out[f.metadata["query"]] = format_range(value)
            elif kind == "hide":
                out[f.metadata["query"]] = "hide"
            else:
                out[f.metadata["query"]] = value
        return out

    @classmethod
    def from_query(cls, q: Mapping) -> Filters:
        """The selection a link spells, dropping what cannot be used (`parse_query`)."""
        return cls.parse_query(q)[0]

    @classmethod
    def parse_query(cls, q: Mapping) -> tuple[Filters, list[str]]:
        """The selection a link spells, and notes naming what it said that could not be used
        (a link must still open: each bad value is dropped, or moved into range, on its own)."""
        kw: dict[str, Any] = {}
        notes: list[str] = []

        def take(value, why):
            notes.extend(why)
            return value

        # Not made unique: a one-day selection is the same day twice.
        dates = take(*url_dates(query_values(q, _QUERY["start"], unique=False)))
        if dates:
            kw["start"], kw["end"] = dates
        kw["types"] = take(*url_names(query_values(q, _QUERY["types"]), "type", known_type))
        kw["countries"] = take(*url_names(query_values(q, _QUERY["countries"]), "country", known_country))
        kw["actors"] = take(*url_names(query_values(q, _QUERY["actors"]), "actor"))
        kw["text"] = take(*url_text(query_values(q, _QUERY["text"]), "q"))
        kw["min_confidence"] = take(*url_number(query_values(q, _QUERY["min_confidence"]), "conf", 0.0, 1.0)) or 0.0
        kw["brush"] = take(*url_range(query_values(q, _QUERY["brush"])))
        kw["hide_statements"] = take(*url_hide(query_values(q, _QUERY["hide_statements"]), "statements"))
        return cls(**kw), notes

    def to_key(self) -> str:
        """A JSON text naming this selection exactly: a cache key that round-trips (`from_key`)."""
        return json.dumps(dataclasses.asdict(self), default=str, sort_keys=True)

    @classmethod
    def from_key(cls, key: str) -> Filters:
        return cls(**json.loads(key))


_DEFAULTS = {f.name: f.default for f in fields(Filters)}
_URL_FIELDS = [f for f in fields(Filters) if "query" in f.metadata]
_QUERY = {f.name: f.metadata["query"] for f in _URL_FIELDS}
# The query-string keys the selection owns, in field order: what the app writes on every run.
QUERY_KEYS = tuple(dict.fromkeys(_QUERY.values()))


def query_values(q: Mapping, key: str, unique: bool = True) -> list[str]:
    """All values of `key`, from st.query_params (get_all), a dict of lists or of strings;
    blank ones dropped, and repeated ones too when `unique`."""
    if hasattr(q, "get_all"):
        vals = q.get_all(key)
    else:
        v = q.get(key)
        vals = [] if v is None else list(v) if isinstance(v, (list, tuple)) else [v]
    out = []
    for v in vals:
        v = str(v).strip()
        if v and not (unique and v in out):
            out.append(v)
    return out


def selection(filters: Filters | None, fields_: Mapping[str, Any]) -> Filters:
    """`filters` with some fields given by name (Store methods take either or both)."""
    if not fields_:
        return filters or Filters()
    return replace(filters, **fields_) if filters is not None else Filters(**fields_)
