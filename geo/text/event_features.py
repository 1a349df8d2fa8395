"""Features of an event's place candidates, for the ranker in geo/text/event_model.py.

For each event trigger the candidates are the places the placement rules propose
(geo/text/event_locate.py `Locator.proposals`), every other place mention of the sentence, and
"no place in this sentence". Each candidate is a set of named binary features: which rules
proposed it, the preposition that governs it, its dependency path and token distance to the
trigger, whether that path leaves the trigger's clause, the mention's kind and level, where it
sits in the sentence. The names are what `location_reason` shows a reader (`describe`), so every
one must read as words.

`STAMP` fingerprints the code that computes features; a model file carries the stamp it was
trained with, and a test refuses a model whose stamp is stale.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Token

from geo.model import Mention

from . import taxonomy as tx
from .docs import doc_text, lemma
from .event_locate import Locator, Proposal, coarse, reference_point, specificity

# Dependencies that open another clause: a place past one is in another happening's clause.
CLAUSE_DEPS = frozenset("ccomp relcl advcl acl parataxis csubj xcomp".split())
# Dependencies that keep a name inside its noun phrase on the way up to the preposition.
_PHRASE_UP = frozenset("pobj pcomp compound conj appos nmod amod poss npadvmod".split())


_DISQUALIFY = frozenset({"in_the_actor", "reads_as_a_person", "entity:PERSON", "another_events_phrase", "clause_with_its_own_subject"})


@dataclass
class Candidate:
    mention: Mention | None  # None: no place in this sentence
    features: dict[str, float] = field(default_factory=dict)
    rules: set[str] = field(default_factory=set)
    slots: set[str] = field(default_factory=set)
    groups: set[int] = field(default_factory=set)


def _bucket(n: int, edges=(1, 2, 3, 4, 6, 9, 14)) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return "more"


def _span_root(loc: Locator, m: Mention) -> Token | None:
    span = loc.doc.char_span(m.start, m.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _governing_prep(tok: Token) -> str:
    t = tok
    for _ in range(6):
        if t.dep_ == "prep":
            return t.lower_
        if t.dep_ not in _PHRASE_UP or t.head is t:
            break
        t = t.head
    return t.lower_ if t.dep_ == "prep" else ""


def _subject_clause_between(tok: Token, anchor: Token) -> bool:
    """`tok` sits in a clause, below the trigger's, whose verb has a subject of its own."""
    above = {t.i for t in anchor.ancestors} | {anchor.i}
    for t in tok.ancestors:
        if t.i in above:
            return False
        if t.dep_ in CLAUSE_DEPS and any(c.dep_.startswith("nsubj") for c in t.children):
            return True
    return False


def _phrase_holder(tok: Token) -> Token | None:
    """The word a place's preposition hangs on ("said" in "said in Bogota")."""
    t = tok
    for _ in range(6):
        if t.dep_ == "prep":
            return t.head
        if t.dep_ not in _PHRASE_UP or t.head is t:
            return None
        t = t.head
    return None


def _path(a: Token, b: Token) -> tuple[list[str], int, bool]:
    """Dependencies from `a` up to the lowest common ancestor, the steps down to `b`, and whether
    the path passes a clause boundary."""
    up_a = [a, *a.ancestors]
    pos = {t.i: n for n, t in enumerate(up_a)}
    down = 0
    crossed = False
    t = b
    while t.i not in pos:
        crossed |= t.dep_ in CLAUSE_DEPS
        down += 1
        if t.head is t:
            return [x.dep_ for x in up_a], down, True
        t = t.head
    ups = up_a[: pos[t.i]]
    crossed |= any(x.dep_ in CLAUSE_DEPS for x in ups)
    return [x.dep_ for x in ups], down, crossed


def candidates(
    loc: Locator, trig, etype: tx.EventType, subj: Token | None, sent, proposals: list[Proposal], triggers=(),
    all_mentions: bool = False,
) -> list[Candidate]:
    """The candidates of one trigger, "no place" last. `triggers` are all the sentence's (a place
    phrase on another event's words is that event's place); `all_mentions` keeps the mentions no
    rule proposes that are no candidate (in the actor's phrase, a person), to inspect."""
    by_span: dict[tuple[int, int], Candidate] = {}
    for p in proposals:
        c = by_span.setdefault((p.mention.start, p.mention.end), Candidate(p.mention))
        c.rules.add(p.rule)
        c.slots.add(p.slot)
        c.groups.add(p.group)
        if p.detail:
            c.features[f"rule:{p.rule}:{p.detail}"] = 1.0
    for m in loc.mentions:
        if m.kind in ("demonym", "dateline") or m in loc.datelines or not (sent.start_char <= m.start < sent.end_char):
            continue
        if loc._facility(m) and (m.start, m.end) not in by_span:
            continue  # a building or street: the rules give the town it is in, not the site
        if (m.start, m.end) not in by_span:
            by_span[(m.start, m.end)] = Candidate(loc.qualify(m), slots={"location"})
    cands = list(by_span.values())
    specs = [specificity(c.mention) for c in cands]
    top_spec = max(specs, default=0)
    anchor = trig.anchor
    others = {t.anchor.i for t in triggers if t.anchor.i != anchor.i}
    n_tok = max(1, len(sent))
    for c, spec in zip(cands, specs):
        f = c.features
        m = c.mention
        for r in c.rules:
            f[f"rule:{r}"] = 1.0
            f[f"rule:{r}|type:{etype.name}"] = 1.0
        if not c.rules:
            f["no_rule"] = 1.0
        f[f"kind:{m.kind}"] = 1.0
        f[f"level:{m.place.level if m.place is not None else 'unknown'}"] = 1.0
        if m.place is None or "not in the gazetteer" in (m.reason or ""):
            f["not_in_gazetteer"] = 1.0
        if coarse(m):
            f["coarse_place"] = 1.0
        if spec == top_spec:
            f["most_specific_in_sentence"] = 1.0
        root = _span_root(loc, m)
        if root is None:
            continue
        prep = _governing_prep(root)
        f[f"prep:{prep or 'none'}"] = 1.0
        holder = _phrase_holder(root)
        if holder is not None and holder.i in others:
            f["another_events_phrase"] = 1.0  # "..., officials said in Bogota": the saying's place
        ups, down, crossed = _path(root, anchor)
        if len(ups) + down <= 4:
            f[f"path:{'>'.join(ups)}|{down}"] = 1.0
        f[f"path_length:{_bucket(len(ups) + down)}"] = 1.0
        if crossed:
            f["other_clause"] = 1.0
            if _subject_clause_between(root, anchor):
                f["clause_with_its_own_subject"] = 1.0  # "... as elections began in Ghor"
        d = root.i - anchor.i
        f[f"distance:{'after' if d > 0 else 'before'}:{_bucket(abs(d))}"] = 1.0
        f[f"position:{min(4, 5 * (root.i - sent.start) // n_tok)}"] = 1.0
        if subj is not None and (root.i == subj.i or subj.i in {t.i for t in root.ancestors}):
            f["in_the_actor"] = 1.0
        if root.dep_ == "dobj" and root.head.i == anchor.i:
            f["object_of_trigger"] = 1.0
        if doc_text(loc.doc)[max(0, m.start - 1) : m.start] == "(":
            f["in_brackets"] = 1.0
        f[f"entity:{root.ent_type_ or 'none'}"] = 1.0
        if loc._person_like(root) or loc._tagged_person(m):
            f["reads_as_a_person"] = 1.0
        if loc._says_who(root):
            f["says_who"] = 1.0
        if reference_point(root):
            f["reference_point"] = 1.0
    # A place no rule proposes is a candidate only outside its actor's phrase, off another
    # event's words, outside a clause with a subject of its own below the trigger's, and when
    # the NER does not read it as a person: "Moussa Ranimat, of Kafr Tsurif near Hebron" is
    # where he is from, "..., officials said in Bogota" where they said it, "as elections began
    # in Ghor" where they began, "Bahrami was killed" names a man.
    cands = [c for c in cands if all_mentions or c.rules or not _DISQUALIFY & c.features.keys()]
    # What else the rules found: a place phrase loses to the place acted on when the sentence
    # has one, a clause's place to a phrase on the trigger, "no place" to most evidence.
    fired = {r for c in cands for r in c.rules}
    for c in cands:
        for r in fired - c.rules:
            c.features[f"other_has:{r}"] = 1.0
    if len(cands) == 1:
        # the sentence names one place for the event: a reference point ("northeast of Tikrit")
        # or a country is then the best the text gives, where beside a smaller place it is not
        f = cands[0].features
        f["only_candidate"] = 1.0
        for k in ("reference_point", "coarse_place"):
            if k in f:
                f[f"{k}|only_candidate"] = 1.0
    none = Candidate(None)
    f = none.features
    f["none"] = 1.0
    f[f"none|type:{etype.name}"] = 1.0
    f[f"none|candidates:{_bucket(len(cands), (0, 1, 2, 3))}"] = 1.0
    f[f"none|rules:{_bucket(len({p.rule for p in proposals}), (0, 1, 2))}"] = 1.0
    for r in fired:
        f[f"none|has:{r}"] = 1.0
    f[f"none|trigger:{'noun' if trig.nominal else lemma(anchor) if anchor.pos_ == 'AUX' else 'verb'}"] = 1.0
    return cands + [none]


def _code_stamp() -> str:
    """A fingerprint of the code that computes features: its syntax tree, so comments, docstrings
    and layout can change without retraining, and any change to what it computes cannot."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in ("event_features.py", "event_locate.py", "taxonomy.py", "vocabulary.py"):
        tree = ast.parse((here / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if body and isinstance(body, list) and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0].value, "value", None), str):
                node.body = body[1:]  # the docstring
        h.update(ast.dump(tree).encode())
    return h.hexdigest()[:16]


STAMP = _code_stamp()
