"""Long articles are parsed in sections (geo/text/sections.py) and come back as one Document whose
offsets point into the whole text exactly. Time and memory are measured by
bench/bench_long_article.py, not here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.text import sections

REPO = Path(__file__).resolve().parent.parent
SAMPLES = [json.loads(line)["text"] for line in (REPO / "data" / "samples" / "articles.jsonl").open(encoding="utf-8")]


def long_article(chars: int, sep: str = "\n\n") -> str:
    parts, n, i = [], 0, 0
    while n < chars:
        parts.append(SAMPLES[i % len(SAMPLES)])
        n += len(parts[-1]) + len(sep)
        i += 1
    return sep.join(parts)


def assert_cover(text: str, cuts: list[tuple[int, int]]) -> None:
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(a < b for a, b in cuts) and all(b == c for (_, b), (c, _) in zip(cuts, cuts[1:]))


def test_a_short_article_is_one_section():
    text = SAMPLES[0]
    assert sections.cuts(text) == [(0, len(text))]


@pytest.mark.parametrize(
    "text, ends_with",
    [
        (long_article(60_000), "\n\n"),  # paragraphs
        (long_article(60_000, sep="\n"), "\n"),  # lines
        (long_article(60_000, sep=" "), " "),  # one line of sentences
        ("x" * 60_000, None),  # not a space anywhere: cut anyway
    ],
    ids=["paragraphs", "lines", "one-line", "no-spaces"],
)
def test_sections_cover_the_text_and_end_at_the_best_break(text, ends_with):
    cuts = sections.cuts(text)
    assert_cover(text, cuts)
    assert all(b - a <= sections.SECTION_CHARS for a, b in cuts)
    assert all(b - a >= sections.SECTION_CHARS // 2 for a, b in cuts[:-1])
    if ends_with:
        assert all(text[a:b].endswith(ends_with) for a, b in cuts[:-1])
    if ends_with == " ":
        assert all(text[b - 2 : b - 1] in ".!?\"')" for _, b in cuts[:-1]), "sentences are kept whole"


@pytest.fixture(scope="module")
def article():
    return long_article(3 * sections.WHOLE_CHARS)


@pytest.fixture(scope="module")
def parsed(pipeline, article):
    return pipeline.parse(article)


def test_offsets_point_into_the_whole_text(parsed, article):
    assert parsed.text == article
    assert len(parsed.mentions) > 100 and len(parsed.events) > 20
    for m in parsed.mentions:
        assert article[m.start : m.end] == m.text
    for e in parsed.events:
        assert article.startswith(e.sentence, e.start), (e.start, e.sentence[:60])
        for m in (e.location, e.origin, e.destination):
            if m is not None:
                assert article[m.start : m.end] == m.text
    assert len({e.id for e in parsed.events}) == len(parsed.events)
    # Mentions are in text order across the sections, the last section's included.
    starts = [m.start for m in parsed.mentions]
    assert max(starts) > len(article) - sections.SECTION_CHARS


def test_each_section_reads_as_it_would_alone(pipeline, parsed, article):
    """Joining sections only moves offsets: what the long article says about each section is what
    that section says parsed on its own."""
    for a, b in sections.cuts(article)[1:3]:
        alone = pipeline.parse(article[a:b])
        inside = [m for m in parsed.mentions if a <= m.start < b]
        assert [(m.start + a, m.end + a, m.text) for m in alone.mentions] == [(m.start, m.end, m.text) for m in inside]
        assert [(m.place and m.place.geonameid) for m in alone.mentions] == [(m.place and m.place.geonameid) for m in inside]
        inside_events = [e for e in parsed.events if a <= e.start < b]
        assert [(e.type, e.start + a, e.sentence) for e in alone.events] == [(e.type, e.start, e.sentence) for e in inside_events]


def test_an_article_with_no_line_breaks(pipeline):
    text = long_article(2 * sections.WHOLE_CHARS, sep=" ").replace("\n", " ")
    doc = pipeline.parse(text)
    assert doc.mentions and all(text[m.start : m.end] == m.text for m in doc.mentions)
    assert all(text.startswith(e.sentence, e.start) for e in doc.events)
