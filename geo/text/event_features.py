"""Features of an event's place candidates, for the ranker in geo/text/event_model.py.

For each event trigger the candidates are every place the sentence names, whatever any rule
thinks of it: the geoparser's mentions, the places the placement rules propose
(geo/text/event_locate.py `Locator.proposals`, which also find names the geoparser missed and the
places a name's qualifiers or the sentence's opening scene give), every other proper name of the
sentence the geoparser did not take for a place, and "no place in this sentence". No rule keeps a
candidate out: what each rule says is a feature among the others.

Each candidate is a set of named binary features, in families:
  rule:      which placement rules proposed it (and with which preposition)
  src/kind/level/gaz: where it came from (a geoparser mention, a rule, a bare name), what the
             gazetteer knows of it, how fine a place it is
  path:      the dependency path between the trigger and the candidate, with and without the
             prepositions' and heads' words; its length; the clause, conjunct and relative-clause
             boundaries it crosses
  prep:      the preposition that governs it, alone and with the trigger's lemma and type
  word:      the words just before and after it and the word it hangs on ("town of X", "X district")
  distance/position/order: tokens to the trigger, before or after it, nearest of the candidates
  role:      in the actor's phrase, the trigger's object, a person's name, another event's phrase,
             a reference point ("west of X"), the sentence's opening scene
and for "no place": the trigger's lemma, type and clause, how many candidates and mentions the
sentence has, which rules fired. The features of a family are what `location_reason` puts into
words (`describe` in event_model.py).

`STAMP` fingerprints the code that computes features; a model file carries the stamp it was
trained with, and a test refuses a model whose stamp is stale.
"""

from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Span, Token

from geo.gazetteer.names import DIVISION_WORDS
from geo.model import Mention

from . import taxonomy as tx
from .docs import clause_subject, doc_text, lemma, list_first, names_a_kin_group
from .event_locate import Locator, Proposal, coarse, inside_of, placed_by_name, reference_point, specificity
from .vocabulary import ARTICLES, COARSE_AREA_WORDS, DATE_WORDS, GENERIC_PLACE_NOUNS, LOCATION_PREPS, NO_POINT_HEADS

# A region that describes the name after it: "the Black Sea port of Samsun".
_DESCRIBES = re.compile(r"\s+(?:[a-z]+\s+){1,2}of\s+(?:the\s+)?")
# Dependencies that open another clause: a place past one is in another happening's clause.
CLAUSE_DEPS = frozenset("ccomp relcl advcl acl parataxis csubj xcomp".split())
# Between two items of one list: a comma, "and", both, after an aside ("Arbil (four times), "),
# the preposition said again ("in Lyon, in Marseille and in Nice").
# ... and after "and" the next item may come with its kind: "Tel Abyad and the nearby town of
# Suluk", "Geneva and the French town of Annemasse" (after a comma alone, that is a description:
# "Douma, a suburb of Damascus").
_LIST_PREP = r"(?:in|at|near|on|around|outside)"
_LIST_GAP = re.compile(
    r"\s*(?:\([^()\n]{0,40}\)\s*)?(?:,\s*(?:" + _LIST_PREP + r"\s+)?(?:the\s+)?"
    r"|,?\s*(?:and|or)\s+(?:" + _LIST_PREP + r"\s+)?(?:the\s+)?"
    r"(?:(?:[\w’'-]+\s+){0,2}(?:town|village|city|hamlet|settlement|suburb|neighbou?rhood)\s+of\s+)?)"
)
# One of those prepositions after the comma: the next item of "in Lyon, in Marseille", or where
# the person named before it was.
_GAP_PREP = re.compile(r"\s*,\s*" + _LIST_PREP + r"\s")
# Dependencies that keep a name inside its noun phrase on the way up to the preposition.
_PHRASE_UP = frozenset("pobj pcomp compound conj appos nmod amod poss npadvmod".split())
# Entity labels that never name a place: a bare name with one of them is no candidate.
_NOT_NAMES = frozenset("DATE TIME CARDINAL ORDINAL MONEY PERCENT QUANTITY".split())
# How far a lexicalised path is spelled out: longer paths keep only their labels.
_LEX_PATH = 4


@dataclass
class Candidate:
    mention: Mention | None  # None: no place in this sentence
    features: dict[str, float] = field(default_factory=dict)
    rules: set[str] = field(default_factory=set)
    slots: set[str] = field(default_factory=set)
    groups: set[int] = field(default_factory=set)
    name: Span | None = None  # a bare proper name: resolved only if it wins (`Locator.name_place`)
    listed_in: int | None = None  # the head of the list it is written in ("X, Y and Z"), a token index
    qualifiers: set = field(default_factory=set)  # spans of the coarser places written after it ("X (Y, Z)")
    holds: list = field(default_factory=list)  # the candidates written inside its phrase ("Kiev's" of "Kiev's Maidan")


def bucket(n: int, edges=(1, 2, 3, 4, 6, 9, 14)) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return "more"


def _span(loc: Locator, start: int, end: int) -> Span | None:
    span = loc.doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def governing_prep(tok: Token) -> Token | None:
    """The preposition a name's noun phrase hangs on ("in" of "in the town of X")."""
    t = tok
    for _ in range(6):
        if t.dep_ == "prep":
            return t
        if t.dep_ not in _PHRASE_UP or t.head.i == t.i:
            return None
        t = t.head
    return None


def list_head(tok: Token) -> int | None:
    """The first item of the list a name is written in ("Kafr Laha" of "Kafr Laha, Tal Dahab and
    Hula", which the parser may hang as appositions), None when it is in none."""
    head = tok.head
    if tok.dep_ == "compound" and head.i == tok.i + 1 and lemma(head) in GENERIC_PLACE_NOUNS and (
        head.dep_ == "conj" or any(c.dep_ == "conj" for c in head.children)
    ):
        tok = head  # "in Baghdad and the Al-Anbar province": the province is the list's item
    if clause_subject(tok) and tok.dep_ in ("conj", "appos"):
        return None  # "near Kafr Nabl, Abu Omar told reporters": the speaker, not the next place
    t = list_first(tok, appositions=True)
    gapped = _gapped_objects(tok, t)
    if gapped is not None:
        return gapped
    # "the settlements of A and B, and the city's districts of C and D": lists of the kinds of
    # place coordinated are one list
    kind = t.head if t.dep_ == "pobj" and t.head.lower_ == "of" else None
    if kind is not None and kind.head.dep_ == "conj" and kind.head.pos_ == "NOUN":
        first_kind = list_first(kind.head, appositions=True)
        named = next((c for c in first_kind.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        item = next((c for c in named.children if c.dep_ == "pobj"), None) if named is not None else None
        if item is not None and item.i < t.i:
            return list_first(item, appositions=True).i
    if t.i == tok.i and not any(c.dep_ in ("conj", "appos") for c in tok.children):
        return None
    return t.i


def _gapped_objects(tok: Token, first: Token) -> int | None:
    """The verb's first object, when `tok` is an item of a list of objects whose verb the text
    leaves out ("seized the Sinai from Egypt, the Golan Heights from Syria, and the West Bank from
    Jordan"), each item with a phrase of its own: the parser hangs the later items on the first as
    objects of the verb, or on the first one's "from" as its appositions."""
    if first.dep_ == "dobj":
        objects = [c for c in first.head.children if c.dep_ == "dobj"]
        if len(objects) > 1:
            return objects[0].i
        # the first object, when a later item hangs on its phrase
        preps = [c for c in [*first.children, *first.head.children] if c.dep_ == "prep" and c.i > first.i]
        later = [item for p in preps for obj in p.children if obj.dep_ == "pobj"
                 for item in obj.children if item.dep_ in ("appos", "conj") and _own_phrase(item, p)]
        return first.i if later else None
    if first.dep_ == "pobj" and first.i != tok.i and _own_phrase(tok, first.head):
        anchor = first.head.head
        obj = anchor if anchor.dep_ == "dobj" else next((c for c in anchor.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.i < first.i:
            return list_first(obj, appositions=True).i
    return None


def _own_phrase(item: Token, prep: Token) -> bool:
    """`item`, or the list item it continues, has a phrase of the same preposition as `prep`."""
    return any(c.dep_ == "prep" and c.lower_ == prep.lower_ for c in item.children)


def _join_written_lists(cands: list, roots: list, text: str, person_like) -> set[tuple[int, int]]:
    """Names the text separates only by commas, "and" or an aside are one list, however the
    parse hangs them: it loses long lists, above all past a bracket ("the settlements of Hawsh
    Nasri (twice), Arbil (four times), Bleliye and Douma"). A qualifier after a comma ("Birgunj,
    Parsa") is no next item, but the name a region describes may be ("Ankara, in the Black Sea
    port of Samsun"), and a person's name is none (`person_like`, `Locator.person_like`). The
    pairs joined, as indices into `cands`."""
    order = sorted((c for c, r in zip(cands, roots) if r is not None), key=lambda c: c.mention.start)
    joined = set()
    by_span = {(c.mention.start, c.mention.end): c for c in cands}
    at = {id(c): n for n, c in enumerate(cands)}
    for i, (a, b) in enumerate(zip(order, order[1:])):
        if (b.mention.start, b.mention.end) in a.qualifiers:
            nxt = order[i + 2] if i + 2 < len(order) else None
            if nxt is None or not _described_next(a, nxt, by_span, text):
                continue
            b = nxt
        elif not _LIST_GAP.fullmatch(text, a.mention.end, b.mention.start):
            continue
        na, nb = at[id(a)], at[id(b)]
        ra, rb = roots[na], roots[nb]
        if _GAP_PREP.match(text, a.mention.end, b.mention.start) and person_like(ra):
            # "in Lyon, in Marseille" is a list; "a commander, Mullah Rauf, in Quetta" and "a
            # cleric identified as X, in Baidoa" say where the person was, who is no place
            continue
        if b.listed_in is not None and b.listed_in != a.listed_in and b.listed_in < ra.i:
            continue  # "the Golan Heights from Syria, and the West Bank": a list that began before `a`
        if (clause_subject(rb) or (rb.dep_ == "poss" and clause_subject(rb.head))) and rb.head.i != ra.head.i:
            # "on the outskirts of al-Raee, Rami Taljbini told ARA News", "entering the United
            # States, and Mexico's interior ministry said": who speaks next, or whose
            continue
        after = (b.mention.text.split()[-1:] + text[b.mention.end : b.mention.end + 30].split()[:1])
        if any(w.strip(",.;:)").lower() in DIVISION_WORDS | COARSE_AREA_WORDS for w in after):
            continue  # "Sugapa, Intan Jaya regency": its province, not the next town
        joined.add((na, nb))
        head = a.listed_in if a.listed_in is not None else ra.i
        a.listed_in = head
        old = b.listed_in
        for c in cands:
            if c is b or (old is not None and c.listed_in == old):
                c.listed_in = head
    return joined


def _described_next(a, b, by_span: dict, text: str) -> bool:
    """"Ankara, in the Black Sea port of Samsun and in Izmir": the region after a known town's
    comma is no qualifier of a town that lies outside it; it describes the next name, which is
    the list's next item."""
    for span in a.qualifiers:
        q = by_span.get(span)
        if q is None or not (a.mention.end < span[0] and span[1] < b.mention.start):
            continue
        if placed_by_name(a.mention) and placed_by_name(q.mention) and not inside_of(a.mention.place, q.mention.place) \
                and _LIST_GAP.fullmatch(text, a.mention.end, span[0]) and _DESCRIBES.fullmatch(text, span[1], b.mention.start):
            return True
    return False


def _name_specificity(known: list | None) -> int:
    """How fine a place a bare name is: as the gazetteer's coarsest namesake, else a small one."""
    if not known:
        return 6
    return specificity(Mention(text="", start=0, end=0, place=known[0]))


def _inside_phrase(b: Token, a: Token) -> bool:
    """`b` hangs inside the noun phrase of `a` (through prepositions, appositions, compounds and
    possessives), not in a clause of its own."""
    t = b
    for _ in range(8):
        if t.head.i == t.i or t.dep_ not in _PHRASE_UP | {"prep", "poss"}:
            return False
        t = t.head
        if t.i == a.i:
            return True
    return False


def _subject_clause_between(tok: Token, anchor: Token) -> bool:
    """`tok` sits in a clause, below the trigger's, whose verb has a subject of its own."""
    above = {t.i for t in anchor.ancestors} | {anchor.i}
    for t in tok.ancestors:
        if t.i in above:
            return False
        if t.dep_ in CLAUSE_DEPS and any(c.dep_.startswith("nsubj") for c in t.children):
            return True
    return False


def path(a: Token, b: Token) -> tuple[list[Token], list[Token]] | None:
    """The tokens from `a` up to (not including) the lowest common ancestor with `b`, and from
    `b` up to it; None when they are in different trees (a sentence split by the parser)."""
    up_a = [a, *a.ancestors]
    pos = {t.i: n for n, t in enumerate(up_a)}
    ups_b: list[Token] = []
    t = b
    while t.i not in pos:
        ups_b.append(t)
        if t.head.i == t.i:
            return None
        t = t.head
    return up_a[: pos[t.i]], ups_b


def _word(t: Token) -> str:
    """A token as a feature word: prepositions and function words as written, others by lemma,
    numbers and names by shape."""
    if t.like_num:
        return "#num"
    if t.pos_ == "PROPN":
        return "#name"
    return t.lower_ if t.pos_ in ("ADP", "DET", "PART", "SCONJ", "CCONJ", "PUNCT") else lemma(t)


def _path_features(f: dict, root: Token, anchor: Token) -> tuple[int, bool]:
    p = path(root, anchor)
    if p is None:
        f["path:none"] = 1.0
        return 99, True
    ups, downs = p
    n = len(ups) + len(downs)
    labels = ">".join(t.dep_ for t in ups) + "|" + "<".join(t.dep_ for t in reversed(downs))
    f[f"path:{labels}"] = 1.0
    if n <= _LEX_PATH:
        # the heads along the way, with the preposition as written ("pobj>prep[in]|")
        words = ">".join(f"{t.dep_}[{_word(t.head)}]" if t.dep_ in ("pobj", "prep") else t.dep_ for t in ups)
        f[f"lpath:{words}|{'<'.join(t.dep_ for t in reversed(downs))}"] = 1.0
    f[f"path_length:{bucket(n)}"] = 1.0
    f[f"path_up:{bucket(len(ups), (0, 1, 2, 3, 4, 6))}|down:{bucket(len(downs), (0, 1, 2, 3))}"] = 1.0
    crossed = False
    for t in [*ups, *downs]:
        if t.dep_ in CLAUSE_DEPS or t.dep_ in ("conj", "appos"):
            f[f"path_crosses:{t.dep_}"] = 1.0
            crossed |= t.dep_ in CLAUSE_DEPS
    return n, crossed


def _name_runs(sent: Span) -> list[Span]:
    """The sentence's proper names: runs of proper nouns, with an Arabic article or a hyphen
    inside ("Tal al-Dahab") or an "of (the)" before another proper noun ("Church of the Holy
    Cross": one building, not a "Church" and a "Holy Cross"), not a date ("Monday", "May")."""
    doc = sent.doc
    out, cur = [], []
    for t in sent:
        glue = cur and (t.text == "-" or (t.lower_ in ARTICLES and t.i + 1 < sent.end and doc[t.i + 1].text == "-"))
        glue = glue or (cur and _of_the_name(t, sent))
        if t.pos_ == "PROPN" or glue:
            cur.append(t)
            continue
        if cur:
            out.append(cur)
        cur = []
    if cur:
        out.append(cur)
    spans = []
    for run in out:
        while run and run[-1].text == "-":
            run = run[:-1]
        if not run:
            continue
        if all(t.ent_type_ in _NOT_NAMES or t.lower_.strip(".") in DATE_WORDS for t in run):
            continue
        if not any(t.text[:1].isupper() for t in run):
            continue  # "2.00 p.m": the tagger's proper noun, written as none is
        spans.append(doc[run[0].i : run[-1].i + 1])
    return spans


def _of_the_name(t: Token, sent: Span) -> bool:
    """'of' or its 'the' inside a proper name: followed by a proper noun ("of the Holy Cross")."""
    doc = sent.doc
    if t.lower_ == "of":
        n = t.i + 1
        n += n < sent.end and doc[n].lower_ == "the"
        return n < sent.end and doc[n].pos_ == "PROPN"
    return t.lower_ == "the" and doc[t.i - 1].lower_ == "of" and t.i + 1 < sent.end and doc[t.i + 1].pos_ == "PROPN"


class SentenceCandidates:
    """What the candidates of every trigger of one sentence share, computed once: the
    sentence's mentions and bare names, each with the features that do not depend on the trigger."""

    def __init__(self, loc: Locator, sent: Span, dateline: tuple[int, int] | None = None):
        self.loc, self.sent = loc, sent
        doc = loc.doc
        self.mentions: list[Mention] = []
        taken: set[int] = set()
        for m in loc.mentions:
            if not (sent.start_char <= m.start < sent.end_char):
                continue
            taken |= {t.i for t in (_span(loc, m.start, m.end) or [])}
            # the dateline ("CARACAS, Venezuela --") says where the story was filed: the events
            # stage falls back on it after the ranker (Locator.fallback), it is no candidate
            filed = m in loc.datelines or (dateline is not None and dateline[0] <= m.start < dateline[1])
            if m.kind not in ("demonym", "dateline") and not filed:
                self.mentions.append(m)
        if dateline is not None:
            taken |= {t.i for t in sent if dateline[0] <= t.idx < dateline[1]}
        runs = _name_runs(sent)
        self.names = [s for s in runs if not any(t.i in taken for t in s)]
        # a mention that is only a part of a longer name ("Zawiya" of "the Al-Zawiya Mountains")
        self.partial = set()
        for m in self.mentions:
            span = _span(loc, m.start, m.end)
            if span is not None and any(r.start <= span.start and span.end <= r.end and len(r) > len(span) for r in runs):
                self.partial.add((m.start, m.end))
        self.n_mentions = len(self.mentions)
        gaz = getattr(loc.resolver, "gaz", None)
        self.known: dict[str, list] = {}
        for s in self.names:
            self.known[s.text] = gaz.lookup(s.text) if gaz is not None else []
        # a name the gazetteer lacks that is written as an organisation's ("Jund Al-Aqsa", "the
        # Missiles Battalion", "NATO") is no candidate, as it is no place an event slot reveals
        self.names = [s for s in self.names if self.known[s.text] or not loc.organisation_like(s)]
        # ... nor one a word for a tribe follows, alone or ending a list ("the Rizeigat and
        # Misseriya tribesmen"): the people's name, not where they fought
        self.names = [s for s in self.names if not names_a_kin_group(s)]
        # ... nor a hemisphere or an "Arab world", which has no point to pin
        self.names = [s for s in self.names if self.known[s.text] or s[-1].lower_ not in NO_POINT_HEADS]
        self.doc = doc
        self.scene = {(m.start, m.end) for m in loc.fronted_scene(sent)}


def _static_features(f: dict, loc: Locator, m: Mention, root: Token, span: Span, known: list | None) -> None:
    """What a candidate is, whatever the trigger: its kind, level, what the gazetteer says, the
    words around it."""
    doc = loc.doc
    if known is None:
        f[f"kind:{m.kind}"] = 1.0
        level = m.place.level if m.place is not None else "unknown"
        f[f"level:{level}"] = 1.0
        if not placed_by_name(m):
            f["not_in_gazetteer"] = 1.0
        if coarse(m):
            f["coarse_place"] = 1.0
    else:
        f["src:name"] = 1.0
        if known:
            f["gazetteer_knows_the_name"] = 1.0
            f[f"name_level:{known[0].level}"] = 1.0  # coarsest first: "Aleppo" the province
        else:
            f["not_in_gazetteer"] = 1.0
    f[f"entity:{root.ent_type_ or 'none'}"] = 1.0
    f[f"dep:{root.dep_}"] = 1.0
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    f[f"word_before:{_word(before) if before is not None else '^'}"] = 1.0
    f[f"word_after:{_word(after) if after is not None else '$'}"] = 1.0
    if before is not None and before.text == "(":
        f["in_brackets"] = 1.0
    if root.head.i != root.i:
        f[f"head:{root.dep_}:{_word(root.head)}"] = 1.0
    prep = governing_prep(root)
    if prep is not None and prep.head.i != prep.i:
        f[f"phrase_on:{_word(prep.head)}"] = 1.0  # "the town of X", "the outskirts of X"
    f[f"last_word:{span[-1].lower_}"] = 1.0  # "... Army", "... Province", "... Square"
    if span.text.isupper() and len(span.text) > 3:
        f["all_capitals"] = 1.0
    if len(span) > 3:
        f["long_name"] = 1.0
    if loc.facility(m):
        f["a_building_or_street"] = 1.0
    if loc.person_like(root) or loc.tagged_person(m):
        f["reads_as_a_person"] = 1.0
    if loc.says_who(root):
        f["says_who"] = 1.0
    if reference_point(root):
        f["reference_point"] = 1.0


def candidates(
    loc: Locator, trig, etype: tx.EventType, subj: Token | None, sent, proposals: list[Proposal], triggers=(),
    shared: SentenceCandidates | None = None, target: Token | None = None, modality=(),
) -> list[Candidate]:
    """The candidates of one trigger, "no place" last. `triggers` are all the sentence's (a place
    phrase on another event's words is that event's place); `shared` is the sentence's
    `SentenceCandidates`, made here when not given; `target` is what the event was done to and
    `modality` how the text hedges it (events._modality)."""
    shared = shared if shared is not None and shared.sent == sent else SentenceCandidates(loc, sent)
    by_span: dict[tuple[int, int], Candidate] = {}
    for p in proposals:
        c = by_span.setdefault((p.mention.start, p.mention.end), Candidate(p.mention))
        c.rules.add(p.rule)
        c.slots.add(p.slot)
        c.groups.add(p.group)
        if p.detail:
            c.features[f"rule:{p.rule}:{p.detail}"] = 1.0
    geoparsed = {(m.start, m.end) for m in shared.mentions}
    for m in shared.mentions:
        if (m.start, m.end) not in by_span:
            by_span[(m.start, m.end)] = Candidate(loc.qualify(m), slots={"location"})
    proposed_tokens = {t.i for c in by_span.values() for t in (_span(loc, c.mention.start, c.mention.end) or [])}
    for s in shared.names:
        if not any(t.i in proposed_tokens for t in s):
            m = Mention(text=s.text, start=s.start_char, end=s.end_char, kind="toponym", label="NAME",
                        reason="a name the geoparser did not take for a place")
            by_span[(m.start, m.end)] = Candidate(m, slots={"location"}, name=s)
    cands = list(by_span.values())
    anchor = trig.anchor
    others = {t.anchor.i for t in triggers if t.anchor.i != anchor.i}
    trig_lemma = lemma(trig.head)
    n_tok = max(1, len(sent))
    scene = shared.scene
    specs = [specificity(c.mention) if c.name is None else _name_specificity(shared.known.get(c.name.text)) for c in cands]
    top_spec = max(specs, default=0)
    dist: list[int] = []
    roots: list[Token | None] = []
    for c, spec in zip(cands, specs):
        f = c.features
        m = c.mention
        for r in c.rules:
            f[f"rule:{r}"] = 1.0
            f[f"rule:{r}|type:{etype.name}"] = 1.0
        src = "rule" if c.rules else "name" if c.name is not None else "mention"
        if c.rules and (m.start, m.end) not in geoparsed:
            src = "rule_found_name"  # a name only a rule's slot revealed
        f[f"src:{src}"] = 1.0
        if spec == top_spec:
            f["most_specific_in_sentence"] = 1.0
        span = c.name if c.name is not None else _span(loc, m.start, m.end)
        roots.append(span.root if span is not None else None)
        if span is None:
            dist.append(99)
            continue
        root = span.root
        c.listed_in = list_head(root)
        _static_features(f, loc, m, root, span, shared.known.get(span.text) if c.name is not None else None)
        f[f"type:{etype.name}|level:{m.place.level if m.place is not None else 'name'}"] = 1.0
        prep = governing_prep(root)
        p = prep.lower_ if prep is not None else "none"
        f[f"prep:{p}"] = 1.0
        f[f"prep:{p}|lemma:{trig_lemma}"] = 1.0
        f[f"prep:{p}|type:{etype.name}"] = 1.0
        if prep is not None:
            holder = prep.head
            on = "trigger" if holder.i == anchor.i or holder.i == trig.head.i else "other_event" if holder.i in others else "other"
            f[f"prep:{p}|on:{on}"] = 1.0
            if on == "other_event":
                f["another_events_phrase"] = 1.0  # "..., officials said in Bogota": the saying's place
            if p in LOCATION_PREPS:
                f[f"locative_prep|on:{on}"] = 1.0
        # "killed in Kafr Louzi district": the path arrives at the phrase's head, as it does for
        # "killed in Kafr Louzi"; that the name is a district's says `head:compound:district`
        head = root.head
        phrase = head if root.dep_ == "compound" and head.i == span.end and lemma(head) in GENERIC_PLACE_NOUNS else root
        n, crossed = _path_features(f, phrase, anchor)
        dist.append(n)
        if crossed:
            f["other_clause"] = 1.0
            if _subject_clause_between(root, anchor):
                f["clause_with_its_own_subject"] = 1.0  # "... as elections began in Ghor"
        d = root.i - anchor.i
        f[f"distance:{'after' if d > 0 else 'before'}:{bucket(abs(d))}"] = 1.0
        f[f"position:{min(4, 5 * (root.i - sent.start) // n_tok)}"] = 1.0
        above = {t.i for t in root.ancestors}
        if subj is not None and (root.i == subj.i or subj.i in above):
            f["in_the_actor"] = 1.0
        if target is not None and target.i != anchor.i and (root.i == target.i or target.i in above):
            f["in_what_was_done_to"] = 1.0  # "shelled the villages of X"
        if root.dep_ in ("dobj", "nsubjpass") and root.head.i == anchor.i:
            f["object_of_trigger"] = 1.0
        elif getattr(trig, "patient_subject", False) and target is not None and root.i == target.i and root.dep_ == "nsubj":
            # "Miringa came under attack": the subject is what was attacked, where subjects are
            # otherwise who acted
            del f["dep:nsubj"]
            f["dep:patient_subject"] = f["object_of_trigger"] = 1.0
        if (m.start, m.end) in scene:
            f["in_the_opening_scene"] = 1.0
        if (m.start, m.end) in shared.partial:
            f["part_of_a_longer_name"] = 1.0
    # A name with coarser places written after it ("X (Y, Z)", "X village of Y district, Z
    # province"): those say where X is.
    at = {(c.mention.start, c.mention.end): c for c in cands}
    for c in cands:
        if c.name is None:
            quals = loc.qualifiers(c.mention)
            if loc.listed(c.mention, quals):
                # "Bursa, Bergama and Canakkale": a town or a division after a known town's comma
                # that does not hold it is the list's next item; a region there may still
                # describe the next one ("Ankara, in the Black Sea port of Samsun": _described_next)
                quals = [q for q in quals if q.place is None or q.place.level in ("region", "continent")]
            for q in quals:
                c.qualifiers.add((q.start, q.end))
                if (q.start, q.end) in at:
                    c.features["qualified_by_another"] = 1.0
                    at[(q.start, q.end)].features["qualifies_another"] = 1.0
    listed = _join_written_lists(cands, roots, doc_text(sent.doc), loc.person_like)
    # Places written inside another's phrase ("the Hodan neighborhood of Mogadishu",
    # "Ajaccio, in southern Corsica", "Kabul's Karte Se") say where that one is: the phrase's
    # own place is the finer.
    for n, a in enumerate(roots):
        for m_, b in enumerate(roots):
            if (n, m_) in listed or (m_, n) in listed:
                continue  # "Hawsh Nasri (twice), Arbil": the next of a list, not where the first is
            if a is not None and b is not None and a.i != b.i and _inside_phrase(b, a):
                cands[n].features["holds_another_place"] = 1.0
                cands[m_].features["inside_another_place"] = 1.0
                cands[n].holds.append(cands[m_])
    # Where each candidate stands among the others: the nearest in the parse, the only one.
    placed = [n for n in dist if n < 99]
    for c, n in zip(cands, dist):
        if placed and n == min(placed):
            c.features["nearest_in_the_parse"] = 1.0
    if len(cands) == 1:
        f = cands[0].features
        f["only_candidate"] = 1.0
        for k in ("reference_point", "coarse_place", "src:name"):
            if k in f:
                f[f"{k}|only_candidate"] = 1.0
    # A town in another country than the one the sentence names is a namesake the resolver chose
    # or a person's or a firm's name more often than elsewhere ("captured Ramos at a farm in
    # northern Peru", Ramos a town of the Philippines); the trees weigh how much that counts
    named = {c.mention.place.country_code for c in cands if c.mention.place is not None and c.mention.place.level == "country" and c.mention.kind != "demonym"}
    if named:
        for c in cands:
            p = c.mention.place
            if p is not None and p.level not in ("country", "region", "continent") and p.country_code not in named:
                c.features["outside_the_named_country"] = 1.0
    fired = {r for c in cands for r in c.rules}
    for c in cands:
        for r in fired - c.rules:
            c.features[f"other_has:{r}"] = 1.0
    order = sorted(range(len(cands)), key=lambda n: cands[n].mention.start)
    for rank, n in enumerate(order):
        f = cands[n].features
        if rank == 0:
            f["first_in_sentence"] = 1.0
        if rank == len(order) - 1:
            f["last_in_sentence"] = 1.0
    return cands + [_none(trig, etype, cands, shared, fired, proposals, target, modality)]


def _none(trig, etype: tx.EventType, cands: list[Candidate], shared: SentenceCandidates, fired: set[str], proposals,
          target: Token | None, modality) -> Candidate:
    """The "no place" candidate: what makes annotators leave an event unplaced is the trigger
    (its word, type, clause) and how much the sentence says about places."""
    anchor = trig.anchor
    none = Candidate(None)
    f = none.features
    f["none"] = 1.0
    f[f"none|type:{etype.name}"] = 1.0
    f[f"none|lemma:{lemma(trig.head)}"] = 1.0
    f[f"none|candidates:{bucket(len(cands), (0, 1, 2, 3, 5))}"] = 1.0
    f[f"none|mentions:{bucket(shared.n_mentions, (0, 1, 2, 3))}"] = 1.0
    f[f"none|names:{bucket(sum(c.name is not None for c in cands), (0, 1, 2, 3))}"] = 1.0
    f[f"none|rules:{bucket(len({p.rule for p in proposals}), (0, 1, 2))}"] = 1.0
    for r in fired:
        f[f"none|has:{r}"] = 1.0
    f[f"none|trigger:{'noun' if trig.nominal else 'verb'}"] = 1.0
    f[f"none|dep:{anchor.dep_}"] = 1.0
    f[f"none|tag:{anchor.tag_}"] = 1.0
    if any(c.dep_ == "prep" and c.lower_ in LOCATION_PREPS for c in anchor.children):
        f["none|locative_phrase_on_the_trigger"] = 1.0
    f[f"none|sentence_length:{bucket(len(shared.sent), (10, 20, 30, 45))}"] = 1.0
    if not shared.scene:
        f["none|no_opening_scene"] = 1.0
    for why in modality:
        f[f"none|modality:{why}"] = 1.0
    if target is not None:
        f[f"none|target:{target.ent_type_ or _word(target)}"] = 1.0  # "captured Ortega": a person
    if anchor.head.i != anchor.i:
        f[f"none|governed_by:{anchor.dep_}:{_word(anchor.head)}"] = 1.0  # "began to prove", "in an attack"
    aux = {c.lower_ for c in anchor.children if c.dep_ in ("aux", "auxpass")}
    if aux & {"has", "have", "had"}:
        f["none|perfect"] = 1.0  # "have been killed since 2011": a tally, seldom one place
    if any(t.lower_ == "since" for t in shared.sent):
        f["none|since"] = 1.0
    if any(t.text in ('"', "“", "”") for t in shared.sent):
        f["none|quoted"] = 1.0
    return none


def _code_stamp() -> str:
    """A fingerprint of the code that computes features: its syntax tree, so comments, docstrings
    and layout can change without retraining, and any change to what it computes cannot.
    events.py is part of it: the trigger's type, actor and target it finds are features too."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in ("event_features.py", "event_locate.py", "events.py", "taxonomy.py", "vocabulary.py", "docs.py"):
        tree = ast.parse((here / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if body and isinstance(body, list) and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0].value, "value", None), str):
                node.body = body[1:]  # the docstring
        h.update(ast.dump(tree).encode())
    return h.hexdigest()[:16]


STAMP = _code_stamp()
