"""Long articles in sections, so parsing time and memory grow linearly with length.

One spaCy Doc of a million characters costs minutes and gigabytes: the parser and the entity
recogniser step through a single long document one token at a time, and the later stages
compare every mention with every other. An article longer than WHOLE_CHARS is therefore cut
into sections of at most SECTION_CHARS, ending at a paragraph break where there is one, else
at a line break, a sentence end or a space. Each section is parsed, resolved and searched for
events on its own; `join` puts the pieces back with every offset counted from the start of the
whole text, so mentions and events point into the article exactly as if it had been one Doc.
"""

from __future__ import annotations

import hashlib
import re

from geo.model import Document, Event, Mention

# Nearly every news article is shorter than this and is read whole, with its full context.
WHOLE_CHARS = 10_000
# Measured (bench/bench_long_article.py): smaller sections cost less in the stages that
# compare mentions pairwise; 5,000 characters is still a page of context for each.
SECTION_CHARS = 5_000

# Where a section may end, best first. Each pattern matches the separator the section ends
# with; the next section starts right after it.
_BREAKS = (
    re.compile(r"\n[ \t\r\f\v]*\n\s*"),  # a blank line: a paragraph ends
    re.compile(r"\n\s*"),  # a line break
    re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+"),  # a sentence end
    re.compile(r"\s+"),  # any space
)


def cuts(text: str, whole: int = WHOLE_CHARS, size: int = SECTION_CHARS) -> list[tuple[int, int]]:
    """(start, end) of each section: the whole text when it is `whole` characters or fewer.
    The sections cover the text exactly, in order, with nothing left out or repeated."""
    n = len(text)
    if n <= whole:
        return [(0, n)]
    out, start = [], 0
    while n - start > size:
        end = _section_end(text, start, size)
        out.append((start, end))
        start = end
    out.append((start, n))
    return out


def _section_end(text: str, start: int, size: int) -> int:
    # Look for a break in the second half of the window, so no section is tiny.
    lo, hi = start + size // 2, start + size
    for pattern in _BREAKS:
        last = None
        for last in pattern.finditer(text, lo, hi):
            pass
        if last is not None:
            return last.end()
    return hi  # one "word" longer than half a section: cut it


def join(text: str, parts: list[tuple[int, Document]], published=None, title=None) -> Document:
    """The Document of `text` from the Documents of its sections, each given with the offset
    its section starts at: mention and event offsets are moved by it."""
    if len(parts) == 1 and parts[0][0] == 0:
        doc = parts[0][1]
        doc.published, doc.title = published, title
        return doc
    mentions: list[Mention] = []
    events: list[Event] = []
    for offset, part in parts:
        # Events hold mentions by reference (location, origin, destination), some of them not
        # in the mention list: each mention object is moved exactly once.
        moved: set[int] = set()

        def move(m: Mention | None) -> None:
            if m is not None and id(m) not in moved:
                moved.add(id(m))
                m.start += offset
                m.end += offset

        for m in part.mentions:
            move(m)
        for e in part.events:
            for m in (e.location, e.origin, e.destination):
                move(m)
            e.start += offset
            e.end += offset
            if offset and e.id:
                # Ids come from offsets within the section: two sections may give the same one.
                e.id = hashlib.sha1(f"{offset}:{e.id}".encode()).hexdigest()[:16]
        mentions += part.mentions
        events += part.events
    return Document(text=text, published=published, title=title, mentions=mentions, events=events)
