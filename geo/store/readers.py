"""Input readers for ingest: files, folders and standard input to a stream of articles.

Each reader yields `Item`s (one article each) and `ReadError`s (one bad input each, with the file
and line so a user can find it). A bad record never stops a file, and a bad file never stops a run:
the caller stores what is good and reports the rest.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from geo.text.inputs import MAX_BYTES, MAX_CHARS, InputError, check_text

# A text file can hold at most 4 bytes per character; anything larger cannot fit MAX_CHARS, so it
# is refused before it is read into memory.
MAX_TEXT_BYTES = MAX_BYTES
# Saved web pages carry scripts and styles around the article; 10 MB is far past any real page.
MAX_HTML_BYTES = max(10_000_000, MAX_TEXT_BYTES)
# A title longer than this is a first paragraph, not a headline.
MAX_TITLE_CHARS = 300

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv", ".tsv"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES

STDIN = "<stdin>"


@dataclass(slots=True)
class Item:
    """One article read from an input, not yet parsed."""

    source: str
    line: int | None
    text: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    external_id: str | None = None
    site: str | None = None
    region: str | None = None  # the publication's home region ("US-TX", "Texas"), for the resolver

    @property
    def where(self) -> str:
        return self.source if self.line is None else f"{self.source}:{self.line}"


@dataclass(slots=True)
class ReadError:
    source: str
    line: int | None
    reason: str

    @property
    def where(self) -> str:
        return self.source if self.line is None else f"{self.source}:{self.line}"


def parse_date(value) -> dt.date:
    """A publication date from an input field; ValueError naming the value when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"published {value!r} is not a date (expected YYYY-MM-DD)")
    try:
        from geo.text.dates import parse_published
    except ImportError:  # geo.dates not there yet: ISO dates only
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise ValueError(f"published {value!r} is not a date (expected YYYY-MM-DD)") from None
    return parse_published(value)


def iter_inputs(paths: Iterable[str], published: dt.date | None = None) -> Iterator[Item | ReadError]:
    """Every article in `paths` (files, folders searched recursively, '-' for stdin), in order.

    `published` is the date for articles whose input carries none.
    """
    for p in paths:
        if p == "-":
            yield from _fill(read_stdin(), published)
            continue
        path = Path(p)
        if path.is_dir():
            files = list(_walk(path))
            if not files:
                yield ReadError(str(path), None, f"folder has no {'/'.join(sorted(KNOWN_SUFFIXES))} files")
            for f in files:
                yield from _fill(read_file(f), published)
        elif path.exists():
            yield from _fill(read_file(path), published)
        else:
            yield ReadError(str(path), None, "no such file or folder")


def _fill(items: Iterator[Item | ReadError], published: dt.date | None):
    for it in items:
        if isinstance(it, Item) and it.published is None:
            it.published = published
        yield it


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in KNOWN_SUFFIXES:
                yield Path(root) / name


def read_file(path: Path) -> Iterator[Item | ReadError]:
    """Articles in one file, chosen by suffix; unknown suffixes are read as plain text."""
    src = str(path)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        if size == 0:
            yield ReadError(src, None, "empty file")
            return
        with path.open("rb") as f:
            problem = _sniff_binary(f.read(8192))
            if problem:
                yield ReadError(src, None, problem)
                return
            f.seek(0)
            if suffix in JSONL_SUFFIXES:
                yield from read_jsonl(f, src)
            elif suffix in CSV_SUFFIXES:
                yield from read_csv(f, src, delimiter="\t" if suffix == ".tsv" else ",")
            elif suffix in HTML_SUFFIXES:
                yield from _read_whole(f, src, size, MAX_HTML_BYTES, read_html)
            else:
                yield from _read_whole(f, src, size, MAX_TEXT_BYTES, read_text)
    except OSError as e:
        yield ReadError(src, None, f"cannot read: {e.strerror or e}")


def read_stdin(stream=None) -> Iterator[Item | ReadError]:
    """Standard input: JSONL when it starts with '{', HTML when it starts with '<', else one text."""
    f = stream if stream is not None else sys.stdin.buffer
    head = f.peek(4096) if hasattr(f, "peek") else b""
    first = head.lstrip()[:1]
    if first == b"{":
        yield from read_jsonl(f, STDIN)
        return
    data = f.read(MAX_HTML_BYTES + 1)
    if not data:
        yield ReadError(STDIN, None, "empty input")
        return
    problem = _sniff_binary(data[:8192])
    if problem:
        yield ReadError(STDIN, None, problem)
        return
    if data.lstrip()[:1] == b"<":
        yield from _read_whole(io.BytesIO(data), STDIN, len(data), MAX_HTML_BYTES, read_html)
    else:
        yield from _read_whole(io.BytesIO(data), STDIN, len(data), MAX_TEXT_BYTES, read_text)


def _sniff_binary(head: bytes) -> str | None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16 text; save it as UTF-8"
    if b"\x00" in head:
        return "binary file (contains NUL bytes), not text"
    return None


def _read_whole(f, src: str, size: int, limit: int, parse) -> Iterator[Item | ReadError]:
    if size > limit:
        yield ReadError(src, None, f"{size / 1e6:.1f} MB is over the {limit / 1e6:.0f} MB size limit for one article")
        return
    data = f.read(limit + 1)
    if len(data) > limit:
        yield ReadError(src, None, f"over the {limit / 1e6:.0f} MB size limit for one article")
        return
    if b"\x00" in data:
        yield ReadError(src, None, "binary file (contains NUL bytes), not text")
        return
    yield from parse(data, src)


def _decode(data: bytes, encoding: str = "utf-8") -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        raise ValueError(f"not valid {e.encoding.upper()} (byte {e.start}: {data[e.start:e.start + 1]!r})") from None
    return text.removeprefix("\ufeff")


def _check(text) -> str | None:
    """Why `text` is not an article (the one check parse, batch and ingest share), or None."""
    try:
        check_text(text)
    except InputError as e:
        return str(e)
    return None


def read_text(data: bytes, src: str) -> Iterator[Item | ReadError]:
    """A plain-text article: the first line is its title when more text follows it."""
    try:
        text = _decode(data)
    except ValueError as e:
        yield ReadError(src, None, str(e))
        return
    problem = _check(text)
    if problem:
        yield ReadError(src, None, problem)
        return
    stripped = text.lstrip()
    first, sep, rest = stripped.partition("\n")
    title = None
    if sep and rest.strip() and len(first.strip()) <= MAX_TITLE_CHARS:
        title = first.strip()
        text = rest.lstrip("\r\n")
    yield Item(src, None, text, title=title)


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def read_html(data: bytes, src: str) -> Iterator[Item | ReadError]:
    """A saved web page: trafilatura keeps the main text and reads title, date and URL."""
    import trafilatura

    encoding = "utf-8"
    m = _CHARSET.search(data[:4096])
    if m:
        try:
            encoding = codecs.lookup(m.group(1).decode("ascii")).name
        except LookupError:
            pass
    try:
        html = _decode(data, encoding)
    except ValueError as e:
        yield ReadError(src, None, str(e))
        return
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    text = (doc.text if doc is not None else None) or ""
    if not text.strip():
        yield ReadError(src, None, "no article text found in the HTML")
        return
    problem = _check(text)
    if problem:
        yield ReadError(src, None, problem)
        return
    published = None
    if doc.date:
        try:
            published = dt.date.fromisoformat(doc.date[:10])
        except ValueError:
            published = None  # an extracted date is a guess; a bad guess is no date, not a failure
    url = doc.url or None
    yield Item(src, None, text, title=doc.title or None, url=url, published=published, site=doc.sitename or _host(url))


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def record_item(src: str, line: int, rec: dict) -> Item | ReadError:
    """A JSONL object or CSV row with id, title, url, published, text."""
    text = rec.get("text")
    if text is None:
        return ReadError(src, line, "no 'text' field")
    problem = _check(text)
    if problem:
        return ReadError(src, line, problem)
    published = None
    raw_date = rec.get("published") or rec.get("date") or rec.get("pub_date")
    if raw_date not in (None, ""):
        try:
            published = parse_date(raw_date)
        except ValueError as e:
            return ReadError(src, line, str(e))
    fields = {}
    for key in ("title", "url", "id", "source", "region"):
        value = rec.get(key)
        if value is not None and not isinstance(value, str):
            value = json.dumps(value) if isinstance(value, (list, dict)) else str(value)
        fields[key] = value.strip() or None if isinstance(value, str) else None
    return Item(
        src,
        line,
        text,
        title=fields["title"],
        url=fields["url"],
        published=published,
        external_id=fields["id"],
        site=fields["source"] or _host(fields["url"]),
        region=fields["region"],
    )


def read_jsonl(f, src: str) -> Iterator[Item | ReadError]:
    """One JSON object per line; a bad line is an error for that line only."""
    for n, rec in jsonl_records(f, src):
        yield rec if isinstance(rec, ReadError) else record_item(src, n, rec)


# A line may hold an article at the character limit written with JSON's \uXXXX escapes (6 bytes
# a character), plus its other fields.
MAX_LINE_BYTES = 6 * MAX_CHARS + 65536


def jsonl_records(f, src: str) -> Iterator[tuple[int | None, dict | ReadError]]:
    """(line number, object) per line of a binary stream, or (line, ReadError) for a line that is
    not a JSON object. Lines are read as bytes, one at a time and at most MAX_LINE_BYTES each,
    so a bad byte or a huge line costs its own line only and the numbers stay right."""
    n = n_records = 0
    while True:
        raw = f.readline(MAX_LINE_BYTES + 1)
        if not raw:
            break
        n += 1
        if len(raw) > MAX_LINE_BYTES:
            size = len(raw) + _skip_line(f)
            n_records += 1
            yield n, ReadError(src, n, f"{size / 1e6:.1f} MB line is over the size limit for one article")
            continue
        if not raw.strip():
            continue
        n_records += 1
        try:
            rec = json.loads(_decode(raw))
        except ValueError as e:
            yield n, ReadError(src, n, f"not JSON: {e}" if not str(e).startswith("not valid") else str(e))
            continue
        if not isinstance(rec, dict):
            yield n, ReadError(src, n, f"a JSON {type(rec).__name__}, not an object with a 'text' field")
            continue
        yield n, rec
    if n_records == 0:
        yield None, ReadError(src, None, "empty file (no JSON lines)")


def _skip_line(f) -> int:
    """Read past the rest of an over-long line without holding it; the bytes skipped."""
    skipped = 0
    while True:
        chunk = f.readline(1 << 20)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def read_csv(f, src: str, delimiter: str = ",") -> Iterator[Item | ReadError]:
    """A CSV with a header naming id, title, url, published, text (any order, any case).

    Strict: a record with a quote left open, or closed in the middle of a field, is an error
    reported at the line it starts on, and reading goes on from the line after, so the rows
    that an open quote ran into are read as rows rather than swallowed into one article."""
    # Articles are longer than csv's 128 KB default field limit; MAX_CHARS is enforced per record.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_TEXT_BYTES + 1))
    records = csv_records(f, delimiter)
    first = next(records, None)
    if first is None:
        yield ReadError(src, None, "empty file (no CSV header)")
        return
    _, header = first
    if isinstance(header, str):
        yield ReadError(src, 1, f"CSV header unreadable: {header}")
        return
    if not header:
        yield ReadError(src, None, "empty file (no CSV header)")
        return
    names = [h.strip().lower() for h in header]
    if "text" not in names:
        yield ReadError(src, 1, f"CSV has no 'text' column (columns: {', '.join(header)})")
        return
    n_records = 0
    for line, row in records:
        if isinstance(row, str):
            n_records += 1
            yield ReadError(src, line, row)
            continue
        if not any(cell.strip() for cell in row):
            continue
        n_records += 1
        if len(row) != len(names):
            yield ReadError(src, line, f"{len(row)} fields where the header has {len(names)}")
            continue
        yield record_item(src, line, dict(zip(names, row)))
    if n_records == 0:
        yield ReadError(src, None, "CSV has a header but no rows")


class _LongLine(Exception):
    pass


def csv_records(f, delimiter: str = ",") -> Iterator[tuple[int, list[str] | str]]:
    """(first line, fields) per record of a seekable binary CSV stream, or (first line, reason)
    for a record that is not CSV. Python's csv module reads in strict mode; after a bad record
    that spans lines it starts again at the record's second line, since a stray quote is what
    made those lines look like one record."""
    line, offset = 1, f.tell()
    width = None  # fields in the first record, the header
    while True:
        feed = _Lines(f, line, offset)
        reader = csv.reader(feed, delimiter=delimiter, strict=True)
        while True:
            first, first_offset = feed.line, feed.offset
            try:
                row = next(reader)
            except StopIteration:
                return
            except _LongLine as e:
                yield first, str(e)
                line, offset = feed.line, feed.offset  # go on after the long line
                break
            except csv.Error as e:
                spanned = feed.line - first
                yield first, f"malformed CSV: {'a quote is not closed' if spanned > 1 else _csv_reason(e)}"
                if spanned > 1:
                    line, offset = first + 1, first_offset + feed.lengths[first]
                else:
                    line, offset = feed.line, feed.offset
                break
            if width is None:
                width = len(row)
            elif feed.line - first > 1 and len(row) != width:
                # A quoted field ran over several lines and left a record of the wrong shape:
                # a quote left open, most likely. Read again from its second line.
                yield first, "malformed CSV: a quote is not closed"
                line, offset = first + 1, first_offset + feed.lengths[first]
                break
            yield first, row
        f.seek(offset)


def _csv_reason(e: csv.Error) -> str:
    if "unexpected end of data" in str(e):
        return "a quote is not closed"
    if "expected after" in str(e):
        return f"a quote inside a quoted field must be doubled ({e})"
    return str(e)


class _Lines:
    """The lines of a binary stream as text for csv.reader, counting lines and bytes read, so a
    record's first line and where it starts in the file are known."""

    def __init__(self, f, line: int, offset: int):
        self.f, self.line, self.offset = f, line, offset
        self.lengths: dict[int, int] = {}

    def __iter__(self):
        return self

    def __next__(self) -> str:
        raw = self.f.readline(MAX_LINE_BYTES + 1)
        if not raw:
            raise StopIteration
        n = self.line
        self.line += 1
        if len(raw) > MAX_LINE_BYTES:
            raw_len = len(raw) + _skip_line(self.f)
            self.offset += raw_len
            raise _LongLine(f"line of {raw_len / 1e6:.1f} MB is over the size limit for one article")
        self.lengths[n] = len(raw)
        self.offset += len(raw)
        # surrogateescape keeps going past a bad byte; the record holding it is refused alone.
        text = raw.decode("utf-8", errors="surrogateescape")
        return text.removeprefix("\ufeff") if n == 1 else text
