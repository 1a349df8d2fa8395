"""Date expressions in news text, resolved against the story's publication date.

Wire copy dates events relative to the dateline ("said Monday", "last month", "a Feb. 23
attempt"), so almost nothing resolves without the publication date; with none, only absolute
dates that carry their own year do.

Detection is a handful of regexes for the shapes wire copy uses, not `dateparser.search_dates`:
that finds "may" (the verb), "a week", "a Feb" and misses "Feb. 23", gives no offsets, and costs
milliseconds a sentence. The arithmetic is ours too, because dateparser's relative dates break
the conventions below ("Tuesday" in a Tuesday story is a week back; "last month" keeps the day
of month). dateparser parses what the regexes do not know: odd publication-date formats and a
whole expression handed to `resolve`.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

PRECISIONS = ("day", "week", "month", "year")


@dataclass(frozen=True, slots=True)
class DateRef:
    date: dt.date
    precision: str  # day|week|month|year
    text: str  # the expression as written
    start: int  # offsets of the expression in the string given (plus any offset asked for)
    end: int


# --- parsing the publication date -----------------------------------------------------------

_DATEPARSER_STRICT = {
    # An absolute calendar date or nothing: "yesterday" or a bare "2019" is no publication date.
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["custom-formats", "absolute-time"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def _dateparser_absolute(value: str) -> dt.date | None:
    import dateparser  # loading its locale data costs ~0.3 s; most callers never need it

    parsed = dateparser.parse(value, languages=["en"], settings=_DATEPARSER_STRICT)
    return parsed.date() if parsed is not None else None


def parse_published(value: str) -> dt.date:
    """A feed's publication date as a calendar date; ValueError naming `value` when it is none.

    A time zone offset is kept, not converted: the story's "today" is the date where it was filed.
    """
    text = value.strip() if isinstance(value, str) else ""
    if text:
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            pass
        try:
            return email.utils.parsedate_to_datetime(text).date()  # RSS pubDate (RFC 2822)
        except (TypeError, ValueError, IndexError):
            pass
        parsed = _dateparser_absolute(text)
        if parsed is not None:
            return parsed
    raise ValueError(f"not a publication date: {value!r}")


# --- date arithmetic --------------------------------------------------------------------------


def _month_start(year: int, month: int) -> dt.date:
    """The 1st of a month, with `month` allowed to run past 1..12 (month arithmetic)."""
    year += (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


def _at_precision(day: dt.date, precision: str) -> dt.date:
    if precision == "month":
        return day.replace(day=1)
    if precision == "year":
        return day.replace(month=1, day=1)
    return day


# Wire copy mostly looks back, but a story also announces what comes within the week ("talks on
# March 25" in a March 20 story), so a date without a year may lie up to this far ahead.
_LOOKAHEAD = dt.timedelta(days=7)


def _recent_day(month: int, day: int, published: dt.date) -> dt.date | None:
    limit = published + _LOOKAHEAD
    for year in range(limit.year, limit.year - 9, -1):  # 8 years back reaches any Feb. 29
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= limit:
            return candidate
    return None


def _recent_month(month: int, published: dt.date) -> dt.date:
    limit = published + _LOOKAHEAD
    year = limit.year if month <= limit.month else limit.year - 1
    return dt.date(year, month, 1)


def _weekday(target: int, published: dt.date, direction: str) -> dt.date:
    if direction in ("next", "coming"):
        return published + dt.timedelta(days=(target - published.weekday() - 1) % 7 + 1)
    back = (published.weekday() - target) % 7
    if direction in ("last", "past") and back == 0:
        back = 7
    return published - dt.timedelta(days=back)


# --- the patterns -----------------------------------------------------------------------------

_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_FULL_MONTHS = frozenset(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September")
    + ("October", "November", "December")
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

# Month and weekday names must be capitalised: "may" and "march" in lower case are verbs.
# Full names come first so "March" is not read as "Mar" + junk; AP abbreviations carry a period.
_MONTH = (
    r"(?P<mon>(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![A-Za-z])"
)
# A day must not be the head of "1,000" or "5.5"; AP writes counts of 1,000 and up with commas.
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\w]|[,.]\d)"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)(?![\w%]|[,.]\d)"
_WEEKDAY = "(?P<wd>" + "|".join(_WEEKDAYS) + r")(?![A-Za-z])"
_MOD = r"(?P<mod>(?i:early|mid|late))"
_NUM = r"\d{1,3}|(?i:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"

# What may stand before a bare month ("in March") or year ("since 2015") for it to be a date:
# alone, "March" is also a verb or a protest and "2015" a count outside AP style.
_TIME_PREP = (
    r"(?i:\b(?:in|since|until|till|by|during|through|throughout|from|before|after|between"
    r"|(?:end|beginning|start|middle|spring|summer|autumn|fall|winter|half)\s+of)\s+)$"
)
_PREP_BEFORE = re.compile(_TIME_PREP)
# Holidays and titles that contain a weekday without naming a day of this week.
_NOT_A_WEEKDAY_BEFORE = re.compile(
    r"\b(?:Good|Black|Bloody|Super|Cyber|Ash|Palm|Easter|Holy|Maundy|Shrove|Fat|Giving)\s+$"
)
_NOT_A_WEEKDAY_AFTER = re.compile(
    r"\s+(?:Times|Telegraph|Mirror|Express|Herald|Post|Star|Tribune|Independent|Night\s+Football)"
)

Resolved = tuple[dt.date, str] | None
_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], str, dt.date | None], Resolved]]


def _month_of(match: re.Match[str]) -> int:
    return _MONTH_NUMBERS[match["mon"][:3].lower()]


def _prep_before(text: str, match: re.Match[str]) -> bool:
    return _PREP_BEFORE.search(text, max(0, match.start() - 30), match.start()) is not None


def _month_day(match: re.Match[str], text: str, published: dt.date | None) -> Resolved:
    month, day = _month_of(match), int(match["day"])
    if match["year"]:
        try:
            return dt.date(int(match["year"]), month, day), "day"
        except ValueError:  # "Feb. 30, 2019"
            return None
    if published is None:
        return None
    found = _recent_day(month, day, published)
    return (found, "day") if found else None


def _month_year(match: re.Match[str], text: str, published: dt.date | None) -> Resolved:
    return dt.date(int(match["year"]), _month_of(match), 1), "month"


def _month_alone(match: re.Match[str], text: str, published: dt.date | None) -> Resolved:
    rel = (match["rel"] or "").lower()
    if not (match["mod"] or rel or _prep_before(text, match)):
        return None
    if not (match["mod"] or rel or match["mon"] in _FULL_MONTHS or match["mon"].endswith(".")):
        return None  # "in Jan Egeland's report": an unpunctuated abbreviation needs more context
    if match["mon"] == "May" and re.match(r"(?:'|\u2019)s\b|\s+Day\b", text[match.end() :]):
        return None  # Theresa May's, May Day
    if published is None:
        return None
    month = _month_of(match)
    if rel == "last":
        year = published.year if month < published.month else published.year - 1
    elif rel == "next":
        year = published.year if month > published.month else published.year + 1
    elif rel == "this":
        year = published.year
    else:
        return _recent_month(month, published), "month"
    return dt.date(year, month, 1), "month"


def _year_alone(match: re.Match[str], text: str, published: dt.date | None) -> Resolved:
    if not (match["mod"] or _prep_before(text, match)):
        return None
    return dt.date(int(match["year"]), 1, 1), "year"


def _iso(match: re.Match[str], text: str, published: dt.date | None) -> Resolved:
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"])), "day"
    except ValueError:
        return None


def _numeric(match: re.Match[str], text: str, published: dt.date | None) -> Resolved:
    a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
    if len(match["y"]) == 2:
        year += 2000 if year < 69 else 1900  # the POSIX strptime pivot
    # Month first, as US wire copy writes it, unless that cannot be a month.
    month, day = (b, a) if a > 12 >= b else (a, b)
    try:
        return dt.date(year, month, day), "day"
    except ValueError:
        return None


_RELATIVE_DAYS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
}


def _relative_day(match: re.Match[str], text: str, published: dt.date | None) -> Resolved:
    if published is None:
        return None
    key = " ".join(match[0].lower().split())
    return published + dt.timedelta(days=_RELATIVE_DAYS[key]), "day"


def _relative_unit(match: re.Match[str], text: str, published: dt.date | None) -> Resolved:
    if published is None:
        return None
    rel, unit = match["rel"].lower(), match["unit"].lower()
    # "the past week" is the span ending at publication, as low-precision as "recent weeks".
    step = {"last": -1, "next": 1, "coming": 1}.get(rel, 0)
    if unit == "week":
        return published + dt.timedelta(weeks=step), "week"
    if unit == "month":
        return _month_start(published.year, published.month + step), "month"
    return dt.date(published.year + step, 1, 1), "year"


def _ago(match: re.Match[str], text: str, published: dt.date | None) -> Resolved:
    if published is None:
        return None
    raw, unit = match["n"].lower(), match["unit"].lower()
    n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
    if unit == "day":
        return published - dt.timedelta(days=n), "day"
    if unit == "week":
        return published - dt.timedelta(weeks=n), "week"
    if unit == "month":
        return _month_start(published.year, published.month - n), "month"
    return dt.date(published.year - n, 1, 1), "year"


# "recent days" is a span of days: a week is the honest precision.
_RECENT_PRECISION = {"day": "week", "week": "week", "month": "month", "year": "year"}


def _recent(match: re.Match[str], text: str, published: dt.date | None) -> Resolved:
    if published is None:
        return None
    precision = _RECENT_PRECISION[match["unit"].lower()]
    return _at_precision(published, precision), precision


def _weekday_rule(match: re.Match[str], text: str, published: dt.date | None) -> Resolved:
    if _NOT_A_WEEKDAY_BEFORE.search(text, max(0, match.start() - 12), match.start()):
        return None
    if _NOT_A_WEEKDAY_AFTER.match(text, match.end()):
        return None
    if published is None:
        return None
    rel = (match["rel"] or "").lower()
    return _weekday(_WEEKDAYS.index(match["wd"]), published, rel), "day"


# Order is the tie-break between candidates of equal length over the same text.
_RULES: list[_Rule] = [
    # "March 18, 2019", "Feb. 23", "Monday, March 18": an explicit date beats its weekday.
    (
        re.compile(
            rf"(?:\b(?:{'|'.join(_WEEKDAYS)}),?\s+)?(?<![\w.]){_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"
        ),
        _month_day,
    ),
    # "23 February", "23rd of Feb. 2019"
    (
        re.compile(r"(?<![\w.,])" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _YEAR + ")?"),
        _month_day,
    ),
    # "March 2019", "late February 2019", "March of 2019"
    (
        re.compile(r"(?:\b" + _MOD + r"[\s-]+)?(?<![\w.])" + _MONTH + r"(?:,|\s+of)?\s+" + _YEAR),
        _month_year,
    ),
    # "in March", "late Feb.", "last March"
    (
        re.compile(
            r"(?:\b(?:" + _MOD + r"|(?P<rel>(?i:last|next|this)))[\s-]+)?(?<![\w.])" + _MONTH
        ),
        _month_alone,
    ),
    # "in 2015", "mid-2019"
    (re.compile(r"(?:\b" + _MOD + r"[\s-]+)?(?<![\w.,$/])(?<!\d-)" + _YEAR), _year_alone),
    # "2019-03-18", "2019/03/18" (a timestamp's date part too)
    (
        re.compile(
            r"(?<![\w/.-])(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
            r"(?![\d/]|-\d)"
        ),
        _iso,
    ),
    # "03/19/2019", "3-19-19"
    (
        re.compile(
            r"(?<![\w/.-])(?P<a>\d{1,2})(?P<sep>[-/])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
            r"(?![\d/]|-\d)"
        ),
        _numeric,
    ),
    (
        re.compile(
            r"(?i:\b(?:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|yesterday|today|tonight"
            r"|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening))\b)"
        ),
        _relative_day,
    ),
    (
        re.compile(r"(?i:\b(?P<rel>this|last|next|past|coming)\s+(?P<unit>week|month|year)\b)"),
        _relative_unit,
    ),
    (
        re.compile(r"(?i:\b(?P<n>" + _NUM + r")\s+(?P<unit>day|week|month|year)s?\s+ago\b)"),
        _ago,
    ),
    # "recent years", "the past few weeks", "the last two months"
    (
        re.compile(
            r"(?i:\b(?:recent|past|last)\s+(?:(?:few|several|couple\s+of|" + _NUM + r")\s+)?"
            r"(?P<unit>day|week|month|year)s\b)"
        ),
        _recent,
    ),
    (re.compile(r"(?:\b(?P<rel>(?i:last|next|this|past|coming))\s+)?\b" + _WEEKDAY), _weekday_rule),
]

# Every rule needs one of these; most sentences have none and cost one scan.
_MAYBE_DATE = re.compile(
    r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun"
    r"|(?i:today|tonight|yesterday|tomorrow|morning|afternoon|evening|night|days|day\s+ago"
    r"|week|month|year)"
    r"|\d[/-]\d|(?<!\d)(?:1[89]|20)\d\d(?!\d)"
)


@functools.lru_cache(maxsize=65536)
def _find(text: str, published: dt.date | None) -> tuple[DateRef, ...]:
    if not _MAYBE_DATE.search(text):
        return ()
    found: list[tuple[int, int, DateRef]] = []
    for priority, (pattern, rule) in enumerate(_RULES):
        for match in pattern.finditer(text):
            resolved = rule(match, text, published)
            if resolved is not None:
                start, end = match.span()
                ref = DateRef(resolved[0], resolved[1], text[start:end], start, end)
                found.append((start - end, priority, ref))
    # Longest first, so "March 18, 2019" wins over the "March 18" and "2019" inside it.
    taken: list[DateRef] = []
    for _, _, ref in sorted(found, key=lambda item: item[:2]):
        if all(ref.end <= t.start or ref.start >= t.end for t in taken):
            taken.append(ref)
    return tuple(sorted(taken, key=lambda r: r.start))


def find_dates(text: str, published: dt.date | None, offset: int = 0) -> list[DateRef]:
    """Every date expression in `text` (a sentence), in order, offsets shifted by `offset`."""
    refs = _find(text, published)
    if offset:
        return [replace(r, start=r.start + offset, end=r.end + offset) for r in refs]
    return list(refs)


def resolve(expr: str, published: dt.date | None) -> DateRef | None:
    """The first date in `expr` (say a spaCy DATE entity); offsets are within `expr`.

    An expression none of the patterns know is given to dateparser, but only as a whole and only
    as an absolute day with its year, so a stray "a week" or "second" cannot become a date.
    """
    refs = _find(expr, published)
    if refs:
        return refs[0]
    stripped = expr.strip()
    if not re.search(r"\d{4}", stripped):
        return None
    parsed = _dateparser_absolute(stripped)
    if parsed is None:
        return None
    start = expr.index(stripped)
    return DateRef(parsed, "day", stripped, start, start + len(stripped))
