"""What a popup says about an event, built in Python and escaped here: every string from an article
(titles, sentences, actors, place names, reasons, URLs) goes through html.escape before it can
reach the page, and only http(s) links stay links. The map's JavaScript only joins these
escaped fragments with fixed markup.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math

import numpy as np
import pandas as pd

from .styles import glyph_svg, type_style
from .view import parse_date

SENTENCE_CHARS = 240


def isna(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def esc(value) -> str:
    return "" if isna(value) else html.escape(str(value), quote=True)


def name_or(value, default: str = "unnamed place") -> str:
    return default if isna(value) or not str(value).strip() else str(value)


def as_day(v) -> dt.date | None:
    return None if isna(v) else parse_date(v)


def date_label(date, precision: str | None) -> str:
    """A date written no more precisely than it is known."""
    d = as_day(date)
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


def date_cell(date, precision: str | None) -> str | None:
    """A date for a table: no more precise than it is known, and sorting as text sorts it in
    time (a year before its months, a month before its days): 2019, 2019-02, 2019-02-18 (week),
    2019-02-23."""
    d = as_day(date)
    if d is None:
        return None
    p = precision or "day"
    if p == "year":
        return f"{d.year}"
    if p == "month":
        return f"{d.year}-{d.month:02d}"
    if p == "week":
        return f"{(d - dt.timedelta(days=d.weekday())).isoformat()} (week)"
    return d.isoformat()


def _safe_url(url) -> str:
    """An article link only for http(s): a javascript: or data: URL from a feed is not a link."""
    if isna(url):
        return ""
    u = str(url).strip()
    return esc(u) if u.lower().startswith(("http://", "https://")) else ""


def _find(hay: str, needle: str | None) -> tuple[int, int] | None:
    if not needle or isna(needle):
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
    if isna(sentence) or not str(sentence).strip():
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
        out.append(esc(s[pos:a]))
        out.append(f"<{tag}>{esc(s[a:b])}</{tag}>")
        pos = b
    out.append(esc(s[pos:hi]))
    return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(s) else "")


def _actors(v) -> str:
    if isinstance(v, str):
        try:
            v = json.loads(v)
        except ValueError:
            v = [v]
    if isinstance(v, (list, tuple, np.ndarray)):
        return ", ".join(esc(a) for a in v if a)
    return ""


def _int(v) -> int | None:
    return None if isna(v) else int(v)


class TypeIndex:
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
        return [[esc(n), esc(type_style(n).label), type_style(n).color, glyph_svg(n)] for n in self.names]


# Event record fields, in the order the JavaScript reads them (DL.ev).
EV_FIELDS = (
    "type", "date", "precision", "date_text", "actors", "count", "mention", "place", "country",
    "location_reason", "place_reason", "sentence", "title", "url", "published", "origin", "destination",
    "id", "correction",  # the event's id (for its "Correct…" link) and what a user's correction changed
)  # fmt: skip


def event_record(row: dict, types: TypeIndex) -> list:
    """One event for a popup: every string escaped, the sentence with its mention marked."""
    g = row.get
    prec = g("date_precision")
    return [
        types(g("type")),
        esc(date_label(g("date"), prec)),
        # The label already says week, month or year ("week of 2019-02-04", "Feb 2019").
        esc(prec if prec and prec not in ("day", "week", "month", "year") else ""),
        esc(g("date_text")),
        _actors(g("actors")),
        _int(g("count")),
        esc(g("place_text")),
        esc(g("place_name")),
        esc(g("country_code")),
        esc(g("location_reason")),
        esc(g("place_reason")),
        evidence_html(g("sentence"), g("place_text"), g("trigger")),
        esc(g("article_title")),
        _safe_url(g("article_url")),
        esc(as_day(g("published")).isoformat() if as_day(g("published")) else ""),
        esc(g("origin_name")),
        esc(g("destination_name")),
        _int(g("id")),
        esc(g("correction")),
    ]
