"""Where an event happened, from the parse: the rules that propose places, as features.

A sentence names many places; an event happened at (or moved between) only some of them. Every
place the sentence names is a candidate for every event (geo/text/event_features.py); each rule
below proposes some of them (`Locator.proposals`), and which rules proposed a candidate is one of
its features. No rule keeps a candidate out or excludes another, and their order does not matter:
the ranker in geo/text/event_model.py weighs them with the rest of the features against "no place
in this sentence". The rules also find names the geoparser missed, which then join the
candidates.

  prep        a place attached to the trigger by a locative preposition ("met in Rome",
              "killed near the town of Tuz", "shot in an ambush south of Hilla"), also through
              the trigger's object ("took over buildings in Washington") and through verbs
              coordinated with it ("shot and killed nine and wounded 17 at Gitega"); tagged too as
              the most specific of several phrases ("In Helmand, ... killed ... in Nad Ali
              district"), as the phrase that opens the sentence, as the place of the act a result
              participle follows ("exploded in X, killing six") or of the event noun it happened
              during. Phrases listed with one preposition are one list ("in Lyon, in Marseille and
              in Nice"). Movement types read from/out of as the origin and to/into/toward as the
              destination ("fled to Colombia", "from Colombia into Venezuela").
  fronted scene  a locative phrase that opens the sentence ("On 5 May, in Trelew (Chubut), ...")
              for every event of the sentence, whatever verb the parser hung it on.
  object      the place acted on ("shelled Kafr Laha", "captured the Zaatari camp", "stormed
              Tal Dahab"); a name done to as a person ("captured Ortega") is not one unless the
              gazetteer knows it well. For movement, the object of flee/leave is the origin and of
              enter/invade/reach the destination.
  actor's prep / actor's town  where the actors are: "students in Valparaiso demonstrated",
              "residents of X", "The Basra protesters marched".
  noun        a place modifying an event noun ("the Rome talks"; not "a U.S. airstrike").
  seat        for acts of governments, a place standing for its government ("Washington imposed
              sanctions").
  clause      the nearest place elsewhere in the trigger's own clause, locative phrases first, and
              never one that only says who someone is ("a U.S. airstrike").
  and more: a town in a "when" clause of the same blow, the place an offensive aims at, a town
              inside the region named, the place a "where" clause qualifies, where the thing acted
              on was put.
  -- after merging duplicates, for events the ranker left without a place (`fallback`) --
  seat        an act of a government at its seat; a statement at the dateline first.
  dateline    the article's dateline city ("CARACAS, Venezuela --"), a weak guess that halves the
              event's confidence, unless the sentence sets the scene somewhere else.
  actor demonym  for acts of governments only (not statements: a speaker's nationality is no
              place the text says anything was said), the nationality of the official actor.

Inside a phrase the most specific place is taken (`phrase_places`): the name of a kind of place
("the village of X", "X district", "the Bab Touma district of Damascus", "the Galilee town
of Nazareth"), the possessed place ("Kabul's Karte Se"), the town of a building ("the district
tax office in Birgunj"). A proper name the geoparser did not take for a place is recovered
when its slot says it is one, as written in the text; one the gazetteer lacks keeps its name and
sits at the place its sentence names beside it, or at the finest of the places written as its
qualifiers ("X (Y, Z)", `qualify`). Coordinated places split one trigger into one event per place
("shelled Kafr Laha and Tal Dahab").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from geo.model import Mention

from . import taxonomy as tx
from .vocabulary import (
    AIM_VERBS,
    AMBIGUOUS_FLIGHT,
    AREA_NOUNS,
    BUILDING_NOUNS,
    ARRIVAL_VERBS,
    ARRIVING_FORCES,
    ARTICLES,
    BETWEEN_PARTIES,
    COARSE_AREA_WORDS,
    CONTAINING_PREPS,
    DATE_WORDS,
    DESTINATION_OBJECT_VERBS,
    DESTINATION_PREPS,
    DIRECTION_ADJECTIVES,
    DIRECTION_NOUNS,
    DISTANCE_UNITS,
    EVENT_HEADS,
    EVENT_PREPS,
    FACILITY_NOUNS,
    FINE_NOUNS,
    GENERIC_PLACE_NOUNS,
    HUMAN_VERBS,
    LOCATION_PREPS,
    NAME_PREFIXES,
    NEAR_PREPS,
    NONPLACE_HEADS,
    NO_POINT_HEADS,
    NOT_NAMES,
    OFFICIAL_NOUNS,
    ORG_WORDS,
    ORIGIN_OBJECT_VERBS,
    ORIGIN_PREPS,
    OTHER_TIME_MARKS,
    PERSON_NOUNS,
    PERSON_TITLES,
    PLACE_VERBS,
    PUT_VERBS,
    RELATIONAL_NOUNS,
    RESIDENT_NOUNS,
    SITING_OBJECT_VERBS,
    SITING_VERBS,
    TERRITORY_NOUNS,
    UNDER_NOT_PLACES,
    VEHICLE_NOUNS,
)
from .docs import chain_top, clause_subject, doc_text, lemma, list_first, own_subject, peoples_plural, pobjs, verb_chain

_LEVEL_SPECIFICITY = {"continent": 0, "region": 0, "country": 1, "admin1": 2, "admin2": 3, "city": 4, "district": 5, "feature": 5}


def _fallback(m: Mention) -> bool:
    """A name the gazetteer lacks, pinned to the article's focus, a place named inside it or with
    it: "not in the gazetteer; placed at ...", and the namesake misses "no Kapilvastu inside
    Nepal in the gazetteer; placed at Nepal" (`Locator.qualify`) and "no Heathrow by London in the
    gazetteer; placed at London" (the resolver), whose point is the other place's, not the name's."""
    reason = m.reason or ""
    return "not in the gazetteer" in reason or " in the gazetteer; placed at " in reason


def placed_by_name(m: Mention) -> bool:
    """A mention the gazetteer placed by its own name, not a fallback's guess."""
    return m.place is not None and not _fallback(m)


def _namesake_guess(m: Mention) -> bool:
    """The resolver placed a name it lacks at a town named by one word of it, and that word is
    a common beginning of place names ("Wadi Zeta" at a town called Wadi)."""
    if m.place is None or "named inside it" not in (m.reason or ""):
        return False
    words = [w.lower() for w in m.text.replace("-", " ").split()]
    place = m.place.name.lower()
    return any(w in NAME_PREFIXES or w in ARTICLES for w in words) and all(
        place != w for w in words if w not in NAME_PREFIXES and w not in ARTICLES
    )


def reference_point(tok: Token) -> bool:
    """A place named only to say where another is: "west of Ramadi", "20 km from Mardin", "north
    of the capital, Managua"."""
    t = tok
    while t.dep_ in ("compound", "amod", "nmod", "poss", "appos") or (
        t.dep_ == "pobj" and t.head.lower_ == "of" and lemma(t.head.head) in GENERIC_PLACE_NOUNS - DIRECTION_NOUNS
    ):
        t = t.head.head if t.dep_ == "pobj" else t.head  # "north of the town of X"
    if t.dep_ != "pobj" or t.head.lower_ not in ("of", "from"):
        return False
    h = t.head.head
    if lemma(h) in DIRECTION_NOUNS and any(c.dep_ == "det" for c in h.children):
        return False  # "in the north of Ouaddai province": inside it
    return lemma(h) in DIRECTION_NOUNS or _distance_unit(h)


_NAME_ENTS = frozenset("ORG EVENT LAW WORK_OF_ART PRODUCT FAC".split())


def _inside_longer_name(span) -> bool:
    """`span` is a part of a longer organisation, event or title name the NER found ("Water"
    of "the World Forum on Water Security for Cities"): the name
    reaches past the span and reads as an institution's (an organisation word, or a lowercase
    "on"/"for" between its capitalised words)."""
    doc = span.doc
    lo, hi = span.start, span.end
    if doc[lo].ent_type_ not in _NAME_ENTS and doc[hi - 1].ent_type_ not in _NAME_ENTS:
        return False
    while lo > 0 and doc[lo].ent_iob_ == "I":
        lo -= 1
    while hi < len(doc) and doc[hi].ent_iob_ == "I":
        hi += 1
    if (lo, hi) == (span.start, span.end):
        return False
    words = doc[lo:hi]
    return any(t.lower_ in ORG_WORDS for t in words) or any(
        t.is_lower and t.pos_ in ("ADP", "CCONJ") and 0 < t.i - lo < len(words) - 1 for t in words
    )


def _distance_reference(tok: Token) -> bool:
    """A place a distance is measured from: "40 km east of Mosul", "six kilometers from Mardin"."""
    if not reference_point(tok):
        return False
    doc = tok.doc
    return any(_distance_unit(t) for t in doc[max(0, tok.i - 8) : tok.i])


def _distance_unit(t: Token) -> bool:
    """"km", "miles", "mi", "kilometres"."""
    return t.lower_ in DISTANCE_UNITS or lemma(t) in DISTANCE_UNITS or t.lower_ == "mi"


def coarse(m: Mention) -> bool:
    """A country, province or region: known to the gazetteer, or found by a name inside the
    mention ("Al-Salahuddin" as Salahuddin), not one pinned near another place of the sentence."""
    p = m.place
    if p is None or p.level not in ("country", "admin1", "region", "continent"):
        return False
    return not _fallback(m) or "named inside it" in (m.reason or "")


def specificity(m: Mention) -> int:
    """How small a place a mention names: a name the gazetteer lacks is most likely a small one."""
    if m.place is None or _fallback(m):
        words = m.text.lower().split()
        if words and words[-1] in COARSE_AREA_WORDS:
            return 2  # "Ouaddai province": a province, whatever the gazetteer lacks
        return 6
    if m.place.level == "region" and m.place.country_code:
        return 2  # a region inside one country ("Jabal Akrad", "Darfur"), like a province
    return _LEVEL_SPECIFICITY.get(m.place.level, 3)


def _conjuncts(tok: Token) -> list[Token]:
    out, stack = [], [tok]
    while stack:
        for c in stack.pop().children:
            if c.dep_ == "conj":
                out.append(c)
                stack.append(c)
    return out


def _bracketed(span) -> bool:
    """A name in brackets, an alias of the one before it: "the Al-Zawiya Mountains (Jabal Al-Zawiya)"."""
    doc = span.doc
    return span.start > 0 and doc[span.start - 1].text == "(" and span.end < len(doc) and doc[span.end].text == ")"


def _date_word(tok: Token) -> bool:
    return tok.like_num or tok.lower_.strip(".") in DATE_WORDS


def _name_words(span) -> set[str]:
    """The words that tell one name from another ("Al" and "-" of "Al-Sham" do not)."""
    return {t.text for t in span if t.is_alpha and len(t) > 2 and t.lower_ not in ARTICLES}


def _article_prefix(doc, i: int) -> bool:
    """An Arabic article glued to a name by a hyphen: the "al" of "al-Bab"."""
    return 0 <= i < len(doc) - 1 and doc[i].lower_ in ARTICLES and doc[i + 1].text == "-"


def _listed(tok: Token) -> bool:
    """`tok` heads a list closed by "and"/"or" ("France, Germany and Italy"), not "City, Country"."""
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ == "cc":
                return True
            if c.dep_ == "conj":
                stack.append(c)
    return False


def _modifier_not_place(tok: Token) -> bool:
    """"U.S.-led", "Britain-based": the place says who, not where."""
    doc = tok.doc
    nxt = doc[tok.i + 2] if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" else None
    return nxt is not None and nxt.lower_ in ("led", "based", "backed", "born", "funded", "owned", "sponsored", "allied")


_SLOT_PREPS = LOCATION_PREPS | DESTINATION_PREPS | ORIGIN_PREPS | {"out", "during", "against"}
_LOCATIVE_INNER = ("in", "at", "near", "inside", "outside")
_INNER_PREPS = {"in", "at", "near", "on", "off", "outside", "inside", "against", "along", "around", "across"}
# Prepositions after which a name says where, whatever noun the parser hung it on, and the nouns
# a place before them says whose ("U.S. troops", "the Gulf war"; `says_who`).
_WHERE_PREPS = NEAR_PREPS | {"in", "at"}
_WHOSE_HEADS = NONPLACE_HEADS | PERSON_NOUNS | {"war", "conflict", "campaign", "alliance", "front"}
_CLAUSE_STOP = {"ccomp", "parataxis", "relcl", "acl", "appos", "csubj"}
_NONPLACE_KINDS = {"demonym"}


# How much an event placed only by its article's dateline keeps of its confidence.
DATELINE_FACTOR = 0.5


@dataclass
class Placement:
    location: Mention | None = None
    origin: Mention | None = None
    destination: Mention | None = None
    reason: str = ""
    weight: float = 1.0  # how sure the ranker is, folded into the event's confidence
    score: float | None = None  # the ranker's probability that the chosen place is the event's

    def empty(self) -> bool:
        return self.location is None and self.origin is None and self.destination is None


@dataclass
class Proposal:
    """A place one placement rule proposes for an event: a candidate for the ranker."""

    mention: Mention
    rule: str  # the rule's name, a feature of the candidate
    slot: str = "location"  # location | origin | destination
    group: int = 0  # places one rule reads as one list ("shelled Kafr Laha and Tal Dahab") share it
    detail: str = ""  # the preposition, for prepositional rules


@dataclass
class _Group:
    prep: str
    places: list
    tok: Token


def _listed_groups(groups: list[_Group]) -> list[_Group]:
    """Phrases with the same preposition listed one after another ("in Lyon, in Marseille and in
    Nice") are one list: an event in each place."""
    merged: list[tuple[_Group, list[Token]]] = []
    for g in groups:
        if merged:
            prev, toks = merged[-1]
            listed = prev.prep == g.prep and _adjacent(toks[-1], g.tok)
            if listed or (g.tok.dep_ == "conj" and any(g.tok.head.i == t.i for t in toks)):
                prev.places = prev.places + [m for m in g.places if m not in prev.places]
                toks.append(g.tok)
                continue
            # "killed in Damascus and two in Idlib", "marched in Sydney against racism, 2,000 in
            # Brisbane": the tally's phrase lists with the verb's own of the same preposition,
            # whatever phrase comes between
            same = next((m for m in reversed(merged) if m[0].prep == g.prep), None) if _tally(g.tok.head) else None
            if same is not None:
                same[0].places = same[0].places + [m for m in g.places if m not in same[0].places]
                same[1].append(g.tok)
                continue
        merged.append((_Group(g.prep, list(g.places), g.tok), [g.tok]))
    return [g for g, _ in merged]


def _best_group(groups: list[_Group]) -> tuple[list, str, Token | None]:
    """The most specific of the locative phrases ("In Helmand, ... killed ... in Nad Ali district")."""
    if not groups:
        return [], "", None
    best = max(_listed_groups(groups), key=_group_specificity)
    return best.places, best.prep, best.tok


def _group_specificity(g: _Group) -> int:
    spec = max(specificity(m) for m in g.places)
    pobj = next(iter(pobjs(g.tok)), None)
    if pobj is not None and lemma(pobj) in FINE_NOUNS:
        spec = max(spec, 5)  # "in Nad Ali district": a district, whatever town shares its name
    if pobj is not None and lemma(pobj) in DIRECTION_NOUNS | RELATIONAL_NOUNS:
        pobj = next((p for c in pobj.children if c.dep_ == "prep" and c.lower_ == "of" for p in pobjs(c)), pobj)
    if pobj is not None and lemma(pobj) in COARSE_AREA_WORDS:
        spec = min(spec, 2)  # "in the north of Ouaddai province": a province, known or not
    return spec


def _adjacent(a: Token, b: Token) -> bool:
    """`b` follows `a` in a list: only a comma or a conjunction between them ("in Lyon, in
    Marseille"), not nothing ("in the village of X in southeast Lebanon" nests, it does not list)."""
    lo, hi = sorted((a, b), key=lambda t: t.i)
    doc = a.doc
    between = doc[lo.right_edge.i + 1 : hi.left_edge.i]
    return len(between) > 0 and all(t.is_punct or t.dep_ == "cc" for t in between)


def _tallies(verb: Token) -> list[Token]:
    """Numbers after a verb that stand for it with a phrase of their own: "two" and "one" of
    "three soldiers died in Gao, two in Kidal and one in Menaka"."""
    out = []
    stack = [c for c in verb.children if c.dep_ in ("conj", "npadvmod") and c.like_num and c.i > verb.i]
    while stack:
        t = stack.pop(0)
        if any(c.dep_ == "prep" for c in t.children):
            out.append(t)
        stack += [c for c in t.children if c.dep_ == "conj" and c.like_num]
    return out


def _tally(tok: Token) -> bool:
    """`tok` is one of `_tallies`: a number hung on a verb, or on such a number, as its conjunct."""
    while tok.like_num and tok.dep_ == "conj" and tok.head.like_num:
        tok = tok.head
    return tok.like_num and tok.dep_ in ("conj", "npadvmod") and tok.head.pos_ in ("VERB", "AUX") and tok.i > tok.head.i


def _name_like(tok: Token) -> bool:
    """A proper name, or a capitalised word the tagger took for a common noun ("clashes erupted
    in Marib"), which a foreign place name often is; not a word capitalised for opening a sentence."""
    if tok.pos_ == "PROPN":
        return True
    return (
        tok.pos_ == "NOUN" and tok.text[:1].isupper() and not tok.text.isupper() and not tok.is_sent_start
        and tok.i > 0 and tok.doc[tok.i - 1].text not in ('"', "“", "'", "‘", "(", ":", "-", "—", "–")
    )


class Locator:
    def __init__(self, doc: Doc, mentions: list[Mention], resolver=None):
        self.doc = doc
        self.mentions = mentions
        self.resolver = resolver
        self._recovered: dict[tuple[int, int], Mention | None] = {}
        self._persons = [e for e in doc.ents if e.label_ == "PERSON" and len(e) > 1]
        self.mention_at: dict[int, Mention] = {}
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for tok in span:
                self.mention_at.setdefault(tok.i, m)
        self.datelines = [m for m in mentions if m.kind == "dateline"]
        self.lo, self.hi = 0, len(doc)  # the sentence being placed; the parse may run past it

    # -- phrase-level ---------------------------------------------------------------------------

    def _inside(self, tok: Token) -> bool:
        return self.lo <= tok.i < self.hi

    def _place_mention(self, tok: Token, allow_demonym: bool = False) -> Mention | None:
        if not self._inside(tok):
            return None
        m = self.mention_at.get(tok.i)
        if m is None or (m.kind in _NONPLACE_KINDS and not allow_demonym):
            return None
        return m

    def phrase_places(
        self, tok: Token, depth: int = 0, recover: bool = False, person_ok: bool = True, slot: str | None = None
    ) -> list[Mention]:
        """The places a noun phrase names, most specific first, one per coordinated member:
        "the Galilee town of Nazareth" -> Nazareth; "Kafr Laha, Tal Dahab" -> both; "an attack
        on the town of Tessaoua" -> Tessaoua; "Kabul's Karte Se" -> Karte Se; "the district
        tax office in Birgunj" -> Birgunj. With `recover`, a proper name the geoparser did
        not take for a place is tried in the gazetteer (the slot says it is a place); `slot` says
        how sure the syntax is that a name here is a place (see `_recover`)."""
        if depth > 5 or not self._inside(tok):
            return []
        slot = slot or ("prep" if person_ok else "object")
        res = self._head_places(tok, depth, recover, person_ok, slot)
        # "near Kafr Nabl, Abu Omar told reporters": a conjunct that speaks is no member
        members = [c for c in tok.children if c.dep_ == "conj" and not clause_subject(c)]
        # "in the Black Sea, the Aegean Sea, the Ionian Sea and the Adriatic Sea" parsed as an
        # apposition that heads the rest of the list
        members += [c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN" and res and _listed(c)]
        listed = _listed(tok) or len(members) > 1
        # a name listed with places is one ("Kafr Laha, Hula Industrial Zone, Tal Dahab")
        member_slot = "near" if res and slot in ("prep", "near", "generic") else slot
        for c in members:
            for mm in self.phrase_places(c, depth + 1, recover, person_ok, member_slot):
                # "Caracas, Venezuela" qualifies; "France, Germany and Italy" is a list
                if mm not in res and (mm.kind != "qualifier" or listed):
                    res.append(mm)
        return res

    def _head_places(self, tok: Token, depth: int, recover: bool, person_ok: bool, slot: str) -> list[Mention]:
        lem = lemma(tok)
        m = self._place_mention(tok)
        if m is not None and recover:
            m = self._whole_name(tok, m)
        if m is not None:
            if self.facility(m):
                # "a bomb at the district tax office in Birgunj", "Rachel's Tomb, a shrine in
                # Bethlehem": the settlement, not the building
                return self._site_places(tok, depth, recover, exclude=m) or [m]
            return [m]
        if lem in EVENT_HEADS:
            # "in an attack on X", "during a raid off Ensenada", "the battle of Tal Dahab": the
            # event's own place
            return self._inner_places(tok, depth, recover, person_ok, preps=tuple(_INNER_PREPS | {"of"}))
        if lem in DIRECTION_NOUNS or lem in RELATIONAL_NOUNS:
            # "north of Hilla", "on the outskirts of Jolo town", "Mardin's eastern perimeter"
            res = self._of_places(tok, depth, recover)
            for c in tok.children:
                if not res and c.dep_ == "poss":
                    res = self.phrase_places(c, depth + 1, recover, True, "generic")
            if res:
                return res
        if tok.pos_ == "PROPN" and lem in FACILITY_NOUNS:
            # "Hebron's Church of the Holy Cross": a named building; its "of" is part of its name
            res = self._site_places(tok, depth, recover)
            if res:
                return res
        if lem in GENERIC_PLACE_NOUNS:
            res = self._generic_places(tok, depth, recover)
            if res:
                return res
        elif recover and _name_like(tok) and lem not in NONPLACE_HEADS:
            # "south Mumbai's Colaba", "Kabul's Karte Se": the possessed place is the
            # more specific one, unless it is a building or street in the possessor's city
            mm = self._recover(tok, slot)
            if mm is not None and not self.facility(mm):
                return [mm]
        for c in tok.children:
            if c.dep_ == "appos" and lemma(c) in GENERIC_PLACE_NOUNS:
                # "the Syrian Army (SA) held village of Kafr Laha" parsed as an apposition
                res = self.phrase_places(c, depth + 1, recover, True, "generic")
                if res:
                    return res
        modifier: list[Mention] = []
        if lem not in NONPLACE_HEADS and lem not in PERSON_NOUNS:
            # "a Kandahar mosque", "Mogadishu's Hodan hospital", "the Tokyo subway"
            for c in tok.children:
                if c.dep_ in ("compound", "amod", "nmod", "poss"):
                    mm = self._place_mention(c, allow_demonym=lem in TERRITORY_NOUNS)
                    if mm is not None and not _modifier_not_place(c):
                        modifier = [mm]
                        break
        if lem in RESIDENT_NOUNS:
            # "a raid against residents of Kafr Dael": the people who live there
            res = self._of_places(tok, depth, recover)
            if res:
                return res
        if lem in PERSON_NOUNS:
            # "fighters of the People's Protection Units": the "of" says whose they are; only a
            # place inside it says where ("members of a smuggling network in eastern Mali")
            inner = self._inner_places(tok, depth, recover, person_ok, preps=_LOCATIVE_INNER)
            for c in tok.children:
                if not inner and c.dep_ == "prep" and c.lower_ == "of":
                    for p in pobjs(c):
                        inner = inner or self._inner_places(p, depth + 1, recover, True, preps=_LOCATIVE_INNER)
        else:
            inner = self._inner_places(tok, depth, recover, person_ok, preps=tuple(_INNER_PREPS | {"of"}))
        if modifier and inner and specificity(inner[0]) > specificity(modifier[0]):
            return inner  # "Mexico's tourist resort of Cancun"
        if modifier and inner and lem in FACILITY_NOUNS and self._fine(tok):
            return inner  # "the Al-Nasr intersection in Mansoor neighborhood": the district
        return modifier or inner

    def _site_places(self, tok: Token, depth: int, recover: bool, exclude: Mention | None = None) -> list[Mention]:
        """The settlement a building or site is in: "in"/"at" after it, in an apposition after it
        ("Rachel's Tomb, a shrine in Bethlehem"), or a place before it ("Hebron's Church")."""
        res = self._inner_places(tok, depth, recover, True, preps=("in", "at", "near"))
        for c in tok.children:
            if not res and c.dep_ == "appos":
                res = self._inner_places(c, depth + 1, recover, True, preps=("in", "at"))
        for c in tok.children:
            if not res and c.dep_ in ("poss", "compound", "nmod"):
                mm = self._place_mention(c)
                if mm is None and recover and c.dep_ == "poss":
                    mm = self._recover(c, "near")  # "at Hebron's Church of the Holy Cross"
                if mm is not None and mm is not exclude:
                    res = [mm]
        return [m for m in res if m is not exclude]

    def _inner_places(self, tok: Token, depth: int, recover: bool, person_ok: bool, preps=None) -> list[Mention]:
        """Places in the prepositions of a noun, the first in the text, but one after "against"
        only when no other ("a raid against smugglers ... in the city of Cizre")."""
        preps = preps or tuple(_INNER_PREPS)
        later: list[Mention] = []
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                slot = "near" if c.lower_ in NEAR_PREPS else "prep"
                for p in pobjs(c):
                    res = self.phrase_places(p, depth + 1, recover, True, slot)
                    if res and c.lower_ == "against":
                        later = later or res
                    elif res:
                        return res
            elif c.dep_ == "advmod" and lemma(c) in DIRECTION_NOUNS | RELATIONAL_NOUNS:
                res = self._of_places(c, depth + 1, recover)
                if res:
                    return res
        for c in tok.children:
            if c.dep_ in ("acl", "relcl") and lemma(c) in SITING_VERBS:
                res = self._sited_places(c, depth, recover)
                if res:
                    return res
        return later

    def _sited_places(self, verb: Token, depth: int, recover: bool) -> list[Mention]:
        """Where a clause says a thing is: "the farms located near the town of X", "the villages
        surrounding X", "a camp that lies along the border"."""
        for g in verb.children:
            if g.dep_ == "prep" and g.lower_ in _INNER_PREPS:
                slot = "near" if g.lower_ in NEAR_PREPS else "prep"
                res = [m for p in pobjs(g) for m in self.phrase_places(p, depth + 1, recover, True, slot)]
                if res:
                    return res
            elif g.dep_ == "dobj" and lemma(verb) in SITING_OBJECT_VERBS:
                res = self.phrase_places(g, depth + 1, recover, True, "near")
                if res:
                    return res
            elif g.dep_ in ("advmod", "npadvmod") and lemma(g) in DIRECTION_NOUNS | RELATIONAL_NOUNS:
                res = self._of_places(g, depth + 1, recover)  # "located south of Raqqa"
                if res:
                    return res
        return []

    def _of_places(self, tok: Token, depth: int, recover: bool) -> list[Mention]:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "from"):
                for p in pobjs(c):
                    res = self.phrase_places(p, depth + 1, recover, True, "generic")
                    if res:
                        return res
        return []

    def _generic_places(self, tok: Token, depth: int, recover: bool) -> list[Mention]:
        """A kind-of-place noun: its own name ("the Zaatari camp", "Hula district") or the name
        after "of" ("the town of Tuz"); of the two, the more specific ("the Galilee town of
        Nazareth" -> Nazareth, "the Bab Touma district of Damascus" -> Bab Touma)."""
        # "on Jamuna bridge in downtown Sirajganj": the settlement the site is in; but a named
        # camp is a settlement of its own ("the Ain el-Helweh refugee camp in southern Lebanon")
        if lemma(tok) in FACILITY_NOUNS and not (lemma(tok) == "camp" and self._name_before(tok) is not None):
            if not any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
                inner = self._inner_places(tok, depth, recover, True, preps=("in", "at"))
                if inner:
                    return inner
        names: list[Mention] = []
        run = self._name_before(tok)
        if run is not None:
            first, last = run
            mm = next((self.mention_at[t.i] for t in self.doc[first.i : last.i + 1] if self._place_mention(t)), None)
            if mm is not None and not (mm.start <= first.idx and last.idx + len(last) <= mm.end) and recover:
                # the geoparser found a word of the name ("Al" of "the Al-Zawiya Mountains")
                mm = self._recover(last, "generic", first=first, over=True) or mm
            if mm is None and recover:
                mm = self._recover(last, "generic", first=first)
            if mm is not None:
                names = [mm]
            # "the Homs and Tartus governorates", "Afgoye, Marka and Barawe towns"
            for c in tok.children:
                if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN" and not first.i <= c.i <= last.i:
                    for x in [c] + _conjuncts(c):
                        if first.i <= x.i <= last.i:
                            continue
                        mm = self._place_mention(x) or (self._recover(x, "generic") if recover else None)
                        if mm is not None and mm not in names:
                            names.insert(0, mm)
        named: list[Mention] = []
        appos = False
        for c in tok.children:
            if named:
                break
            if c.dep_ == "acl" and lemma(c) in ("know", "call", "name"):
                # "an area known as Las Palmas"
                for g in c.children:
                    if g.dep_ == "prep" and g.lower_ == "as":
                        for p in pobjs(g):
                            named = named or self.phrase_places(p, depth + 1, recover, True, "generic")
                    elif g.dep_ == "oprd":
                        named = named or self.phrase_places(g, depth + 1, recover, True, "generic")
                appos = bool(named)
                continue
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in pobjs(c):
                    named = named or self.phrase_places(p, depth + 1, recover, True, "generic")
            elif c.dep_ == "appos" and not (c.i > 0 and self.doc[c.left_edge.i - 1].text == "(") and not self._org_name(c):
                # "the capital, Niamey", "a Queens neighborhood, Astoria" (not an alias
                # in brackets: "Ganesh colony (Sai Nagar)")
                named = self.phrase_places(c, depth + 1, recover, True, "generic")
                appos = bool(named)
        if names and named:
            # "the Sunni city of Ramadi", "the Galilee town of Nazareth": a settlement's "of"
            # names it. "the Bab Touma district of Damascus": an area's "of" names what it is
            # part of, unless that is the smaller place ("the Kabul district of Karte Se").
            area = lemma(tok) in AREA_NOUNS or tok.pos_ == "PROPN"  # "the Al-Zaytoun Farms of Homs"
            if not appos and area and (
                specificity(names[0]) >= specificity(named[0]) or specificity(named[0]) < 5
            ):
                return names  # "the Jabal Akrad region of rural Latakia": a part of Latakia
            return named
        if names or named:
            return names or named
        # "the southern Homs countryside", "the Hama Governorate's outskirts": the container
        for c in tok.children:
            if c.dep_ in ("compound", "amod", "nmod", "poss"):
                mm = self._place_mention(c, allow_demonym=lemma(tok) in TERRITORY_NOUNS)
                if mm is None and recover and c.pos_ == "PROPN":
                    # "the Hama Governorate's outskirts": the whole name, though the
                    # geoparser found only "Hama"
                    inner = any(g.dep_ == "compound" and g.i in self.mention_at for g in c.children)
                    if not (inner and (self._org_name(c) or lemma(c) in NONPLACE_HEADS)):
                        mm = self._recover(c, "generic", over=inner)  # not "the Syrian Army's checkpoints"
                if mm is not None and lemma(tok) == "capital":
                    mm = self._capital_of(mm, c, tok) or mm  # "the Kenyan capital": Nairobi
                if mm is not None:
                    return [mm]
        if recover and tok.pos_ == "PROPN" and tok.text[:1].isupper():
            # "Hula District", "Hama Governorate": the generic word is part of the name
            mm = self._recover(tok, "generic")
            if mm is not None:
                return [mm]
        return self._inner_places(tok, depth, recover, True)

    def _org_name(self, tok: Token) -> bool:
        """A unit or organisation named where a place could stand ("in the Raqqa
        Governorate, the army's 93rd Brigade ... launched")."""
        return tok.i not in self.mention_at and (lemma(tok) in ORG_WORDS or tok.lower_ in ORG_WORDS)

    def _capital_of(self, country: Mention, mod: Token, head: Token) -> Mention | None:
        """"the Polish capital", "Kenya's capital": the country's capital city, named as written."""
        p = country.place
        gaz = getattr(self.resolver, "gaz", None)
        if p is None or p.level != "country" or not p.country_code or gaz is None:
            return None
        cap = gaz.capital(p.country_code)
        if cap is None:
            return None
        lo, hi = min(mod.i, head.i), max(mod.i, head.i) + 1
        span = self.doc[lo:hi]
        return Mention(text=span.text, start=span.start_char, end=span.end_char, kind="toponym", label="EVENT",
                       place=cap, score=country.score, reason=f"the capital of {p.name}")

    def _whole_name(self, tok: Token, m: Mention) -> Mention:
        """A mention that is only the end of the name the text gives: "Kafr Zeta" found as
        "Zeta" (a city elsewhere). The whole name is the place."""
        if tok.idx + len(tok) != m.end:
            return m
        left = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.idx < m.start]
        if not left:
            return m
        first = min(left, key=lambda t: t.i)
        run = self.doc[first.i : tok.i]
        if any(not (t.pos_ == "PROPN" or t.text == "-") or self._demonym(t.text) or lemma(t) in PERSON_TITLES for t in run):
            return m
        return self._recover(tok, "generic", first=first, over=True) or m

    def _name_before(self, tok: Token) -> tuple[Token, Token] | None:
        """The capitalised name right before a kind-of-place noun ("the Bab Touma District",
        "Aleppo city", "Hula district"), as its first and last token."""
        j = tok.i - 1
        lo = tok.left_edge.i
        # "the Balata refugee camp", "the Kissufim crossing point": the lower-case words that say
        # what kind of camp or point it is come between the name and the noun
        while j > max(lo, self.lo) and self.doc[j].is_lower and self.doc[j].head.i == tok.i and self.doc[j].dep_ in ("compound", "amod"):
            j -= 1
        if not self.doc[j].text[:1].isupper():
            j = tok.i - 1
        first = last = None
        while j >= max(lo, self.lo):
            t = self.doc[j]
            if t.text in ("-", "'", "’", "‘") and last is not None:
                j -= 1
                continue
            cap = t.text[:1].isupper() and t.pos_ in ("PROPN", "ADJ", "NOUN")
            if not cap and last is not None and _article_prefix(self.doc, j) and j > max(lo, self.lo):
                j -= 1  # "Ain el-Helweh": the article inside the name
                continue
            if not cap or lemma(t) in DIRECTION_ADJECTIVES or t.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL"):
                break
            if t.pos_ == "ADJ" and self._demonym(t.text):
                break  # "the Syrian town of ..."
            if t.ent_type_ == "NORP" and not self._known(t.text):
                break  # "the Christian neighborhood of Bab Touma"
            first = t
            last = last or t
            j -= 1
        if first is None:
            return None
        while first.text in ("-", "'", "’", "‘"):
            first = self.doc[first.i + 1]
        if tok.tag_ == "NNS" and all(t.pos_ == "ADJ" for t in self.doc[first.i : last.i + 1]):
            return None  # "Indigenous villages": a kind of village, not one of that name
        return first, last

    def _fine(self, tok: Token) -> bool:
        """A locative phrase inside `tok` names a district-level unit ("in Mansoor neighborhood")."""
        return any(
            c.dep_ == "prep" and c.lower_ in ("in", "at") and any(lemma(p) in FINE_NOUNS for p in pobjs(c))
            for c in tok.children
        )

    def facility(self, m: Mention) -> bool:
        """A building, street or site named in the text: a point inside some settlement."""
        words = m.text.lower().replace("’", "'").split()
        return bool(words) and words[-1].strip(".,") in FACILITY_NOUNS

    def _known(self, name: str) -> bool:
        """The gazetteer has a place of this name."""
        return self._ask_gazetteer("lookup", name)

    def _demonym(self, word: str) -> bool:
        """The gazetteer reads this word as a nationality ("Syrian", "Sunni" is not one)."""
        return self._ask_gazetteer("demonym", word)

    def _ask_gazetteer(self, method: str, word: str) -> bool:
        # no gazetteer behind the resolver (a geopy geocoder, or none): no answer
        gaz = getattr(self.resolver, "gaz", None)
        return bool(gaz is not None and getattr(gaz, method)(word))

    def _recover(self, tok: Token, slot: str, first: Token | None = None, over: bool = False) -> Mention | None:
        """A proper name in a place slot that the geoparser did not take for a place.

        `slot` says how sure the syntax is: "generic" ("the village of X", "X district": a place
        whatever the NER says), "near" ("near X", "outside X": a place unless it reads as a
        person's), "prep" ("in X": also, unless the NER calls it a nationality or a date), "object"
        ("captured X": only a name the gazetteer knows that no one in the article bears).
        """
        if self.resolver is None or not tok.text[:1].isupper() or not self._inside(tok):
            return None
        if not _name_like(tok) and first is None:
            return None
        toks, stack = [tok], [tok]
        while stack:  # "Birnin Magaji LGA": the compounds of compounds too
            kids = [c for c in stack.pop().children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < tok.i]
            toks += kids
            stack += kids
        lo = min(t.i for t in toks) if first is None else first.i
        while lo < tok.i and not self.doc[lo].text[:1].isupper() and not _article_prefix(self.doc, lo):
            lo += 1
        if lo > 1 and self.doc[lo - 1].text == "-" and _article_prefix(self.doc, lo - 2):
            lo -= 2  # "al-Bab" split as "al", "-", "Bab"
        hi = tok.i + 1
        span = self.doc[lo:hi]
        if any(t.text in "()" for t in span):
            return None  # "Gao (Tombouctou": a name and its qualifier, each a mention of its own
        if not over and any(t.i in self.mention_at for t in span):
            return None
        if any(t.ent_type_ in ("CARDINAL", "MONEY", "PERCENT", "ORDINAL", "QUANTITY") or _date_word(t) for t in span):
            return None
        if slot not in ("generic", "near") and any(t.ent_type_ in ("DATE", "TIME") for t in span):
            return None  # a name swept into a date ("the village of Karhama last October") is kept
        if span.text.lower() in NOT_NAMES | ARTICLES or span[-1].lower_ in NOT_NAMES:
            return None
        if span[-1].lower_ in NO_POINT_HEADS:
            return None  # "in the Western Hemisphere": no point to pin, as the geoparser knows
        if slot != "generic" and any(t.ent_type_ == "EVENT" for t in span):
            return None  # "at the close of the Korean War"
        if slot != "generic" and _inside_longer_name(span):
            return None  # "Water" of "the World Forum on Water Security for Cities"
        tags = {t.ent_type_ for t in span} - {""}
        if tags & {"NORP", "LANGUAGE"} and self._demonym(span.text):
            return None  # "in Arabic", "Sunni"
        if peoples_plural(span):
            return None  # "the town of Az-Zubayr several thousand Sunni and Shiite Muslims"
        if slot != "generic" and self.organisation_like(span):
            return None  # "at NATO", "in the Baath Party"
        # The NER often calls a town a person or an organisation ("in Islamic Cairo", "near
        # Roszke"): such a name counts when the gazetteer knows it. A name after "captured"
        # counts only then too ("captured Ortega" is a person).
        # After "in"/"at" a lone name is a place whatever the NER says ("erupted in Marib"); a
        # person's name there would be in the article as one (checked below) or read as one.
        known_only = slot == "object" or bool(tags & {"NORP", "LANGUAGE"})
        if slot != "generic" and self.person_like(tok):
            return None
        # A word of a person's name elsewhere in the article ("Maduro") is that person.
        words = _name_words(span)
        if any((e.start >= span.end or e.end <= span.start) and not _bracketed(e) for e in self._persons if words & _name_words(e)):
            return None
        m = self.name_place(span, "found by its event slot")
        # a capitalised common noun ("Water" in a forum's title) is a place only when
        # the gazetteer knows it ("clashes erupted in Marib")
        noun = tok.pos_ != "PROPN" and first is None
        if ((known_only and slot not in ("generic", "near")) or noun) and (m.place is None or _fallback(m)):
            return None
        return m

    def name_place(self, span, how: str) -> Mention:
        """A proper name the geoparser did not take for a place, as a place mention: resolved in
        the article's context like the geoparser's own mentions; a name the gazetteer lacks sits
        at the place its sentence names nearest to it, else where the geoparser puts names it
        lacks. `how` says in the mention's reason what found it."""
        key = (span.start_char, span.end_char)
        if key not in self._recovered:
            m = Mention(text=span.text, start=span.start_char, end=span.end_char, kind="toponym", label="EVENT")
            after = span.doc[span.end] if span.end < len(span.doc) else None
            if after is not None and after.lower_ in BUILDING_NOUNS:
                # "the Baron hotel": the building's name, which the gazetteer lacks; a town
                # elsewhere called so (Barron, Wisconsin, in a Kabul story) is not where it is
                m = replace(m, text=f"{span.text} {after.text}", end=after.idx + len(after.text))
            if self.resolver is not None:
                context = [replace(x, candidates=[]) for x in self.mentions]
                self.resolver.resolve(context + [m], doc_text(self.doc))
            m.reason = f"{how}; " + (m.reason or "not in the gazetteer")
            if m.place is None or _fallback(m):
                # A village the gazetteer lacks is near the places its sentence names ("Tel
                # Sawran in eastern Hasakah"), not at a namesake of one of its words ("Tel").
                near = self._context_place(span)
                if near is not None:
                    m.place, m.score, m.candidates = near.place, 0.1, []
                    m.reason = f"{how}; not in the gazetteer; placed at {near.text}, named with it"
                elif _namesake_guess(m):
                    m.place, m.score, m.candidates = None, 0.0, []
                    m.reason = f"{how}; not in the gazetteer"
            self._recovered[key] = m
        return self._recovered[key]

    def _settle(self, m: Mention | None) -> Mention | None:
        """A place the gazetteer lacks, pinned near the places its sentence names ("the Wadi Zeta
        district of Homs" -> Homs), rather than at the article's focus or at a namesake of one of
        its words. The event gets its own copy; the geoparser's mention is left as it is."""
        if m is None or placed_by_name(m) or "named with it" in m.reason:
            return m
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        near = self._context_place(span) if span is not None else None
        if near is None:
            if _namesake_guess(m):  # "Wadi Zeta" at a town called Wadi: better no point than that
                return replace(m, place=None, score=0.0, candidates=[], reason="not in the gazetteer")
            return m
        return replace(m, place=near.place, score=0.1, candidates=[],
                       reason=f"not in the gazetteer; placed at {near.text}, named with it")

    def qualify(self, m: Mention) -> Mention:
        """A name the text qualifies with coarser places after it ("Toledo (Norte de Santander)",
        "Birgunj, Parsa", "Rubaya (Masisi, North Kivu)", "Mehar town of Dadu district, Sindh
        province"): the namesake inside them; a name the gazetteer lacks, or has none of inside
        them, at the finest of them the gazetteer has. The event gets its own copy."""
        if m.place is not None and m.place.level in ("admin1", "admin2") and not _fallback(m):
            return self._province_town(m)
        if m.place is not None and m.place.level in ("country", "region", "continent") and not _fallback(m):
            return m
        quals = [q for q in self.qualifiers(m) if placed_by_name(q)]
        if not quals or (placed_by_name(m) and all(inside_of(m.place, q.place) for q in quals)):
            return m
        fits = self._namesakes_inside(m, quals)
        names = ", ".join(q.text for q in quals)
        if not fits and self._listed_with(m, quals):
            return m
        if fits:
            best = max(fits, key=lambda p: (p.population, -(p.geonameid or 0)))
            return replace(m, place=best, candidates=[], reason=f"the {m.text} inside {names}, named with it")
        finest = max(quals, key=specificity)
        return replace(m, place=finest.place, score=0.1, candidates=[],
                       reason=f"no {m.text} inside {names} in the gazetteer; placed at {finest.text}, the finest place named with it")

    def _namesakes_inside(self, m: Mention, quals: list[Mention]) -> list:
        """The towns of m's name (or of its name without a division word: "Dadu district") that
        lie in every one of `quals`."""
        gaz = getattr(self.resolver, "gaz", None)
        if gaz is None:
            return []
        words = m.text.split()
        options = gaz.lookup(m.text)
        if not options and len(words) > 1 and words[-1].lower() in _QUALIFIER_WORDS:
            options = gaz.lookup(" ".join(words[:-1]))  # "Dadu district": Dadu
        return [p for p in options if p.level not in ("country", "admin1", "region", "continent")
                and all(inside_of(p, q.place) for q in quals)]

    def _listed_with(self, m: Mention, quals: list[Mention]) -> bool:
        """"Bursa, Bergama and Canakkale", "Ankara, in the Black Sea city of Bartin": a known town
        that lies outside the places after its comma, with no namesake inside them (the caller's
        `_namesakes_inside`), is listed with them, not qualified by them; a bracket, though, says
        where it is even when the gazetteer lacks that namesake."""
        return (placed_by_name(m) and bool(quals)
                and not all(inside_of(m.place, q.place) for q in quals)
                and "(" not in doc_text(self.doc)[m.end : quals[0].start])  # fmt: skip

    def listed(self, m: Mention, quals: list[Mention]) -> bool:
        """The places after m's comma (`quals`, as `qualifiers` found them) are the list m is in,
        not where m lies: "in Ankara, in Samsun and in Izmir", "Bursa, Bergama and Canakkale"."""
        placed = [q for q in quals if placed_by_name(q)]
        return self._listed_with(m, placed) and not self._namesakes_inside(m, placed)

    def _province_town(self, m: Mention) -> Mention:
        """A province the resolver chose for a name that is also its town ("in Gao": the region
        Gao and its town Gao): an event there happened in the town, which is the finer place."""
        gaz = getattr(self.resolver, "gaz", None)
        if gaz is None:
            return m
        prov = m.place
        towns = [p for p in gaz.lookup(m.text) if p.level == "city" and p.country_code == prov.country_code
                 and p.name.casefold() == prov.name.casefold() and (p.admin1 or "").casefold() == (prov.admin1 if prov.level == "admin2" else prov.name or "").casefold()]
        if not towns:
            return m
        town = max(towns, key=lambda p: (p.population, -(p.geonameid or 0)))
        return replace(m, place=town, candidates=[], reason=f"the town of {town.name}, in the province of that name")

    def qualified_pairs(self) -> set[tuple[tuple[int, int], tuple[int, int]]]:
        """(name, qualifier) spans of the article: the text says the first lies in the second."""
        out = set()
        for m in self.mentions + [r for r in self._recovered.values() if r is not None]:
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or m.kind in ("demonym", "dateline"):
                continue
            sent = span.sent
            self.lo, self.hi = sent.start, sent.end
            quals = self.qualifiers(m)
            if self.listed(m, quals):
                continue  # "in Ankara, in Samsun and in Izmir": a list, each its own place
            out |= {((m.start, m.end), (q.start, q.end)) for q in quals}
        return out

    def qualifiers(self, m: Mention) -> list[Mention]:
        """Coarser places written right after a name: in brackets, after commas, or after "village
        of", "district", "in the north of": "X (Y, Z)", "X, Y", "X village of Y district, Z
        province", "X, in the north of Y province"."""
        doc = self.doc
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return []
        out: list[Mention] = []
        i = span.end
        bracket = False
        # m is itself a later item of a list ("..., Jobar, Hawsh al-Fara"): a name before its comma
        listed_after = span.start >= 2 and doc[span.start - 1].text == "," and (span.start - 2) in self.mention_at
        # "Mehar town of Dadu district": the words say the next name holds it
        town_of = span.end + 1 < len(doc) and doc[span.end].lower_ in ("town", "village", "city", "hamlet") and doc[span.end + 1].lower_ == "of"
        while i < min(len(doc), self.hi, span.end + 14):
            t = doc[i]
            q = self.mention_at.get(i)
            bracket = bracket or t.text == "("
            if q is None and bracket and t.text != ")" and (t.pos_ == "PROPN" or t.is_title):
                i += 1  # "Kiwanja (Rutshuru territory, North Kivu)": a name the gazetteer lacks
                continue
            if q is not None and q is not m and q.kind != "demonym":
                written = (q.text + " " + doc_text(doc)[q.end : q.end + 30]).split()
                n = len(q.text.split())
                # a name the gazetteer lacks is a division by the word written after it; its own
                # last word makes a site of it ("Kafr Hamra, Shaqif Industrial Area, ...")
                lacked = _fallback(q) or q.place is None
                words = written[n : n + 1] if lacked else written[n - 1 : n + 1]
                division = any(w.strip(",.;").lower() in _QUALIFIER_WORDS for w in words)
                if lacked and not bracket and not division and not town_of:
                    # "Kafr Nabl, Hass": a name the gazetteer lacks after a comma is the next of a
                    # list (but "Jalalabad, Nangarhar province" and "Sugapa, Intan Jaya regency"
                    # name their province)
                    break
                if not bracket and not division and listed_after and q.place is not None and q.place.level == "city":
                    # "Hawsh Nasri, Jobar, Hawsh al-Fara, Harasta, Kabun": a town after a comma
                    # in the middle of a list is the list's next item
                    break
                if placed_by_name(q) and placed_by_name(m) and specificity(q) >= specificity(m):
                    break  # a list of towns ("Kafr Laha, Hula"), not a qualifier
                if placed_by_name(m) and m.place.level == "country" and (q.place is None or q.place.level != "continent"):
                    break  # only a continent holds a country: "from Egypt, the Golan Heights from Syria" lists
                if _written_list(span.root, q, doc) and not (placed_by_name(m) and placed_by_name(q) and _holds_by_record(q.place, m.place)):
                    # "the towns of Hayyan, Huraytan and Kafar Hamra": the list's next town (but
                    # "Springfield, Illinois and Madison, Wisconsin": the state that holds it)
                    break
                if q not in out:
                    out.append(q)
                i += 1
                continue
            if t.text in ("(", ",") or (t.text == ")" and out) or t.lower_ in _QUALIFIER_WORDS:
                if t.text == ")":
                    break
                i += 1
                continue
            break
        return out

    def _context_place(self, span) -> Mention | None:
        """The place the sentence names nearest to `span`, towns and provinces before countries;
        not another name of its own list ("the towns of Hayyan, Huraytan and Kafar Hamra in rural
        Aleppo": a Hayyan the gazetteer lacks is in Aleppo, not at Huraytan)."""
        best, best_key = None, None
        own_list = list_first(span.root).i
        for m in self.mentions + [r for r in self._recovered.values() if r is not None]:
            if m.place is None or _fallback(m) or m.kind == "dateline":
                continue
            ms = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if ms is None or not (self.lo <= ms.start < self.hi) or (ms.start < span.end and span.start < ms.end):
                continue
            if list_first(ms.root).i == own_list:
                continue
            if m.kind == "demonym" and _whose_people(ms.root):
                continue  # "Guyanese President Ali met at Argyle airport": whose president, not where
            coarse = m.kind == "demonym" or m.place.level in ("country", "region", "continent")
            key = (coarse, min(abs(ms.start - span.end), abs(span.start - ms.end)))
            if best_key is None or key < best_key:
                best, best_key = m, key
        return best

    @staticmethod
    def organisation_like(span) -> bool:
        """A name written as an organisation's: in capitals ("NATO"), or with a word that says it
        is one ("the Baath Party", "Jund Al-Aqsa")."""
        return span.text.isupper() or any(t.lower_ in ORG_WORDS for t in span)

    def person_like(self, tok: Token) -> bool:
        """A name that reads as a person's: "Ortega, 47,", "Lindqvist, an officer", "Mr. Haddad", "an
        officer, Lindqvist," (the NER's PERSON tag alone is too often wrong on foreign place names
        to decide)."""
        if tok.pos_ != "PROPN":
            return False
        for c in tok.children:
            if c.dep_ in ("appos", "npadvmod") and (c.like_num or lemma(c) in PERSON_NOUNS):
                return True
            if c.dep_ == "compound" and lemma(c).strip(".") in PERSON_TITLES:
                return True
        # "a senior commander, Abdul Rauf,", "a cleric, identified as Sharif Sidkey,"
        if tok.dep_ == "appos" and lemma(tok.head) in PERSON_NOUNS:
            return True
        return tok.dep_ == "pobj" and tok.head.lower_ == "as" and lemma(tok.head.head) in ("identify", "name")

    # -- event-level ----------------------------------------------------------------------------

    def proposals(self, trig, etype: tx.EventType, subj: Token | None, target: Token | None, triggers, sent) -> list[Proposal]:
        """Every place a placement rule proposes for the event of `trig`, each tagged with the
        rule (a feature the ranker weighs), its slot (location, origin, destination) and its group
        (the places one rule reads as one list: "shelled Kafr Laha and Tal Dahab"). Rules do not
        exclude one another: the ranker (geo/text/event_model.py) decides which proposal wins."""
        self.lo, self.hi = sent.start, sent.end
        out: list[Proposal] = []
        groups = iter(range(1, 10_000))

        def propose(places, rule: str, slot: str = "location", detail: str = "") -> None:
            g = next(groups)
            for m in places:
                out.append(Proposal(m, rule, slot, g, detail))

        anchor, head = trig.anchor, trig.head
        verb_lemma = lemma(trig.verb) if trig.verb is not None else ""
        top = chain_top(anchor)
        # "... detonated in X, killing six": a result participle happened where its main verb did
        result = top.dep_ == "advcl" and top.tag_ == "VBG" and top.head.pos_ == "VERB"
        holders: list[Token] = [anchor]
        if head.i != anchor.i:
            holders.append(head)
        for w in trig.words:
            if w not in holders and w.pos_ in ("NOUN", "PROPN"):
                holders.append(w)
        # Verbs coordinated with the trigger that share its subject describe the same act ("shot
        # and wounded a civilian near the crossing"), and so do their objects.
        for v in verb_chain(anchor):
            for h in [v] + [c for c in v.children if c.dep_ == "dobj"]:
                if h not in holders:
                    holders.append(h)
        # "one person was killed in Damascus and two in Idlib": a number after the verb stands for
        # the clause the text leaves out, and its phrase is the event's too
        for h in _tallies(anchor):
            if h not in holders:
                holders.append(h)
        borrowed: set[int] = set()
        if trig.verb is None and head.dep_ == "pobj" and head.head.lower_ in EVENT_PREPS and head.head.head.pos_ in ("VERB", "AUX"):
            # "arrested 23 people in X after clashes": the event happened where the act after it did
            holders.append(head.head.head)
            borrowed.add(head.head.head.i)
        if result:
            for h in [top.head] + [c for c in top.head.children if c.dep_ == "dobj"]:
                if h not in holders:
                    holders.append(h)
                    borrowed.add(h.i)
        # the object's places ("took over buildings in Washington", "told reporters in Geneva":
        # a statement is placed where it was said, an act of a government not where its target is)
        if target is not None and (not etype.seat or etype.name == "statement") and target not in holders:
            # but not those of what a protest is against ("protested against the embargo on Cuba")
            if not (target.dep_ == "pobj" and target.head.lower_ in ("against", "with") and not etype.object_place):
                holders.append(target)

        # "took refuge in X", "migrants arrived in X": where the movement ended
        refuge = (trig.phrasal and any(lemma(w) in ("refuge", "shelter") for w in trig.words)) or lemma(head) in ARRIVAL_VERBS
        prep_groups: list[_Group] = []
        for h in holders:
            for c in self._preps(h):
                p = c.lower_
                if p not in _SLOT_PREPS and p not in EVENT_PREPS:
                    continue
                if etype.seat and p in ("on", "against", "with", "to") and h.i != anchor.i:
                    continue  # "sanctions on Venezuela": the target, not the place
                if p == "between" and etype.name in BETWEEN_PARTIES:
                    continue  # "talks between Merkel and Erdogan": the parties, not the place
                objs = pobjs(c)
                if p == "out":  # "out of Syria"
                    objs = [g for o in c.children if o.lower_ == "of" for g in pobjs(o)] or objs
                if p in EVENT_PREPS:  # "during clashes in Kobane": only the place of the event
                    objs = [po for po in objs if lemma(po) in EVENT_HEADS]
                if p == "under":  # "under the stronghold of X", not "under the command of X"
                    objs = [po for po in objs if lemma(po) not in UNDER_NOT_PLACES]
                slot = "near" if p in NEAR_PREPS else "prep" if p in CONTAINING_PREPS else "object"
                if p == "on" and etype.object_place and (lemma(h) in EVENT_HEADS or (h.i == anchor.i and lemma(head) in EVENT_HEADS)):
                    slot = "prep"  # "an assault on Tal Sawda": the name attacked is a place
                places = [pl for po in objs for pl in self.phrase_places(po, recover=True, slot=slot)]
                if not places:
                    continue
                if etype.movement and (p in DESTINATION_PREPS or (refuge and p in ("in", "at"))):
                    propose(places[:1], "destination_prep", "destination", p)
                elif etype.movement and (p in ORIGIN_PREPS or p == "out"):
                    propose(places[:1], "origin_prep", "origin", p)
                elif p in LOCATION_PREPS or p in EVENT_PREPS or (p == "into" and not etype.movement):
                    # "burst into the court in X and shot", "threw a grenade into a cafe"
                    prep_groups.append(_Group(p, places, c))
                elif p == "against" and etype.object_place and h.i != anchor.i:
                    # "launched a raid against residents of Kafr Dael": what it was aimed at
                    prep_groups.append(_Group(p, places, c))
        loc, loc_prep, loc_tok = _best_group(prep_groups)
        for g in _listed_groups(prep_groups):
            rule = "prep_of_main_verb" if g.tok.head.i in borrowed else "prep_event_noun" if g.prep in EVENT_PREPS else "prep"
            propose(g.places, rule, detail=g.prep)
            if loc_tok is not None and g.tok.i == loc_tok.i:
                propose(g.places, "prep_most_specific", detail=g.prep)
            if _scene_setting(g.tok, sent):
                propose(g.places, "prep_opens_sentence", detail=g.prep)
        if loc and loc_tok is not None and _scene_setting(loc_tok, sent):
            # "In Gulu, a soldier was shot ... while driving through the northern suburb of
            # Layibi": the opening phrase sets the scene; a smaller place in the clause is where
            scene = range(loc_tok.left_edge.i, loc_tok.right_edge.i + 1)
            inside = self._in_clause(anchor, triggers, trig, exclude=scene, own_only=True)
            if inside and max(map(specificity, inside)) > max(map(specificity, loc)):
                propose(inside, "smaller_place_inside_the_scene")
        propose(self.fronted_scene(sent), "fronted_scene")

        obj_places: list[Mention] = []
        obj = target
        patient = getattr(trig, "patient_subject", False)
        if obj is not None and not (obj.dep_ in ("dobj", "nsubjpass") or patient or (obj is anchor.head and anchor.dep_ == "acl")):
            obj = None
        if obj is not None and (etype.object_place or etype.movement or verb_lemma == "patrol"):
            obj_places = self._object_places(obj, lemma(head) if trig.nominal else verb_lemma)
        if etype.movement and obj_places:
            if verb_lemma in ORIGIN_OBJECT_VERBS:
                propose(obj_places[:1], "origin_object", "origin")
            elif verb_lemma in DESTINATION_OBJECT_VERBS:
                # "entered the towns of Kafr Nabl, Hass and Maarat Harma": one entry each
                propose(obj_places, "destination_object", "destination")
            elif verb_lemma == "patrol":
                propose(obj_places, "object")
        if obj_places and etype.object_place:
            # the object is where an act on a place happened ("shelled Kafr Laha in Hama province")
            propose(obj_places, "object")
            if loc and max(map(specificity, obj_places)) < max(map(specificity, loc)):
                propose(loc, "prep_smaller_than_object")
        coarse_only = all(specificity(p.mention) <= 1 for p in out if p.rule in ("prep", "object"))
        if not etype.movement and not etype.seat and coarse_only:
            # "killed in Yemen when a bomber blew himself up in the town of Rada": a
            # country, and a town where the same blow fell, told in a "when" or "as" clause
            for v in [anchor] + verb_chain(anchor):
                for c in v.children:
                    if c.dep_ == "advcl" and _same_breath(c):
                        propose([m for m in self._in_clause(c, triggers, trig) if specificity(m) >= 4], "town_in_a_when_clause")
        if etype.name in ("attack", "armed_clash", "military_movement"):
            # "launched an offensive to retake the villages of X and Y": where the offensive aims
            propose(self._aim_places(anchor, head), "the_place_it_aims_at")
        if not etype.movement and not etype.seat and len(loc) == 1 and coarse(loc[0]):
            # "killed ... outside the town hall in Tikrit, in the northern province of
            # Salahuddin": a province (or country) and a town inside it; the town is nearer the event
            town = self._town_inside(loc[0])
            if town is not None:
                propose([town], "town_inside_the_region_named")
        if subj is not None and not etype.seat:
            # "students in Valparaiso demonstrated", "a car bomb parked on a road in Zayouna
            # district detonated": where the actor was put
            for h in self._actor_holders(subj):
                places = []
                # "residents of Qamishli staged a march": where they live
                preps = ("in", "at", "inside", "near", "on", "of") if lemma(h) in RESIDENT_NOUNS else ("in", "at", "inside", "near", "on")
                for c in h.children:
                    if c.dep_ == "prep" and c.lower_ in preps and self._inside(c):
                        slot = "near" if c.lower_ in NEAR_PREPS else "prep" if c.lower_ in CONTAINING_PREPS else "object"
                        places = [pl for po in pobjs(c) for pl in self.phrase_places(po, recover=True, slot=slot)]
                        if places:
                            propose(places[:1], "actor_prep", detail=c.lower_)
                            break
                if places:
                    break
            # "The Basra protesters marched": a town naming the actors is where they act
            m = self._actor_town(subj)
            if m is not None:
                propose([m], "actor_town")
        # "protesters filled Tahrir Square, where they marched and chanted slogans"
        rel = chain_top(anchor)
        if rel.dep_ == "relcl" and any(c.lower_ == "where" and c.dep_ == "advmod" for v in [rel] + verb_chain(rel) for c in v.children):
            places = self.phrase_places(rel.head, recover=True, slot="near")
            if not places and lemma(rel.head) in EVENT_HEADS:
                # "the 2017 Khan Shaykhun gas attack, where 80 people were killed"
                places = [m for c in rel.head.children if c.dep_ in ("compound", "nmod")
                          for m in [self._place_mention(c) or self._recover(c, "object")]
                          if m is not None and specificity(m) >= 2]
            propose(places[:1], "where_clause")
        if target is not None and target.dep_ == "nsubjpass" and not etype.seat:
            # "A bomb planted decades ago in northern Laos was detonated by army experts"
            for h in self._actor_holders(target)[1:]:
                if h.pos_ not in ("VERB", "AUX") or lemma(h) not in PUT_VERBS | SITING_VERBS:
                    continue  # "a man wanted for thefts in Sindh was arrested": not where he was
                places = [pl for c in h.children if c.dep_ == "prep" and c.lower_ in ("in", "at", "inside", "near", "on")
                          and self._inside(c) for po in pobjs(c) for pl in self.phrase_places(po, recover=True)]
                if places:
                    propose(places[:1], "where_the_target_was_put")
                    break
        if trig.nominal:
            # "the Rome talks", "the Riyadh shootout"; but a country before an event says whose it
            # was ("a U.S. airstrike"), not where
            for c in head.children:
                if c.dep_ in ("compound", "nmod", "amod", "poss"):
                    m = self._place_mention(c)
                    if m is not None and not _modifier_not_place(c) and specificity(m) >= 4:
                        propose([m], "noun_modifier")
                        break
        if etype.seat and subj is not None:
            m = self._seat(subj)
            if m is not None:
                propose([m], "metonymic_actor")
        if not etype.seat:
            propose(self._in_clause(anchor, triggers, trig), "clause")
        # where people fleeing or crossing come from, and an army that goes abroad ("Russian
        # forces invaded Ukraine"), not one that moves at home ("the Syrian Army entered the
        # village" is no move out of Syria)
        if etype.movement and subj is not None and verb_lemma != "patrol":
            dem = self.actor_demonym(subj)
            if dem is not None and dem.place is not None and (etype.name != "military_movement" or self._abroad(dem)):
                propose([dem], "origin_demonym", "origin")
        for p in out:
            p.mention = self.qualify(self._settle(self._qualified_name(p.mention)))
        return out

    def _qualified_name(self, q: Mention) -> Mention:
        """The name a qualifier qualifies: a phrase like "in X (Y, Z)" parsed with Y or Z at its
        head proposes Y or Z; the place the text gives is X."""
        for m in self.mentions:
            if m.end <= q.start and q.start - m.end < 60 and m.kind not in ("demonym", "dateline"):
                quals = self.qualifiers(m)
                # "the cities of Bursa, Bergama and Canakkale": Bergama is the list's next town
                if any(x is q for x in quals) and not self.listed(m, quals):
                    return m
        return q

    def fronted_scene(self, sent) -> list[Mention]:
        """Places of a locative phrase that opens the sentence and sets its scene, whatever verb
        the parser hung it on: "On 5 May, in Trelew (Chubut), fishermen protested ...", "In
        Kandahar, ..."."""
        for tok in sent:
            if tok.dep_ == "prep" and tok.lower_ in ("in", "at", "near", "outside", "inside") and self._opens(tok, sent):
                return [m for po in pobjs(tok) for m in self.phrase_places(po, recover=True, slot="near")]
        return []

    def _opens(self, prep: Token, sent) -> bool:
        """A phrase with only a date, an adverb or punctuation before it, closed by a comma."""
        after = prep.right_edge.i + 1
        if after >= min(len(prep.doc), sent.end) or prep.doc[after].text != ",":
            return False
        for t in sent:
            if t.i >= prep.left_edge.i:
                return True
            if not (t.is_punct or t.pos_ in ("ADV", "CCONJ", "SPACE") or t.ent_type_ in ("DATE", "TIME") or t.lower_ in ("on", "late", "early")):
                return False
        return True

    def _preps(self, h: Token) -> list[Token]:
        """The prepositions on `h`, with those coordinated with them ("in Ankara and in Bursa")."""
        out = []
        for c in h.children:
            if c.dep_ == "prep" and self._inside(c):
                out.append(c)
                out.extend(g for g in c.children if g.dep_ == "conj" and g.pos_ == "ADP" and self._inside(g))
            elif c.dep_ == "advmod" and lemma(c) in DIRECTION_NOUNS | RELATIONAL_NOUNS | {"near", "nearby"}:
                # "were captured northeast of Tikrit", "killed near Hula" parsed as an adverb
                for g in c.children:
                    if g.dep_ == "prep" and g.lower_ in ("of", "from", "to") and self._inside(g):
                        out.append(g)
                    elif g.dep_ == "pobj":
                        out.append(c)
        return out

    def _object_places(self, obj: Token, verb_lemma: str) -> list[Mention]:
        """Places the direct object names: "shelled the village of Tal Sharif", "stormed Tal Dahab".
        A name that reads as a person's, or the bare name after a verb done to people ("captured
        Ortega", "shot Lindqvist"), is not a place unless the gazetteer knows it well."""
        if self.person_like(obj):
            return []
        # After a verb done to places ("stormed Tal Dahab"), a name the gazetteer lacks is a place
        # as after "in"; after one done to people ("captured Ortega"), only a known place is.
        slot = "near" if verb_lemma in PLACE_VERBS else "object"
        places = self.phrase_places(obj, recover=True, person_ok=False, slot=slot)
        out = []
        for m in places:
            bare = m.start <= obj.idx < m.end and lemma(obj) not in GENERIC_PLACE_NOUNS
            if bare and self.tagged_person(m) and verb_lemma not in PLACE_VERBS and not self._well_known(m):
                continue  # "captured Lindqvist in Monrovia"
            if bare and verb_lemma in HUMAN_VERBS and not self._well_known(m):
                continue
            out.append(m)
        return out

    def _well_known(self, m: Mention) -> bool:
        """A place too well known to be a namesake of the person captured or shot."""
        p = m.place
        if p is None or _fallback(m):
            return False
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and any(t.ent_type_ == "PERSON" for t in span):
            return p.level in ("country", "admin1") or p.population >= 200_000
        return p.level in ("country", "admin1", "region", "continent") or p.population >= 50_000

    def _actor_town(self, subj: Token) -> Mention | None:
        for c in subj.children:
            if c.dep_ in ("compound", "nmod", "poss"):
                m = self._place_mention(c)
                if m is not None and (m.place is None or specificity(m) >= 4) and not _modifier_not_place(c):
                    return m
        return None

    def tagged_person(self, m: Mention) -> bool:
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        return span is not None and any(t.ent_type_ == "PERSON" for t in span)

    def _seat(self, subj: Token) -> Mention | None:
        m = self._place_mention(subj)
        if m is not None:
            return m
        for c in subj.children:
            if c.dep_ in ("poss", "compound", "nmod"):
                m = self._place_mention(c)
                if m is not None:
                    return m
        return None

    def _in_clause(self, anchor: Token, triggers, trig, exclude=(), own_only: bool = False) -> list[Mention]:
        """The places nearest the trigger inside its own clause: a locative phrase first ("... as
        he walked to work in Kabul's district of Karte Se"), else a bare place name, but never
        one that only says who someone is ("a Turkish drone strike", "the 1982 Lebanon war")."""
        others = {t.anchor.i for t in triggers if t.anchor.i != anchor.i}
        best: list[Mention] = []
        best_key = None
        stack = [(anchor, 0)]
        seen = set(exclude)
        while stack:
            tok, d = stack.pop()
            if tok.i in seen or not self._inside(tok):
                continue
            seen.add(tok.i)
            m = self._place_mention(tok)
            if m is not None and m.kind not in ("qualifier", "dateline") and not self.says_who(tok):
                found = (self._site_places(tok, 0, True, exclude=m) if self.facility(m) else []) or [m]
                # a place a distance is measured from ("near Kafr Ruma, ten kilometers from the
                # town of Maarat al-Numan") only when the clause names no other
                key = (d + (100 if _distance_reference(tok) else 0), 1, -specificity(found[0]))
                if best_key is None or key < best_key:
                    best, best_key = found, key
            # "Anna Berg of Sweden": where someone is from is no place of the event
            people = m is None and (lemma(tok) in PERSON_NOUNS or self.person_like(tok))
            for c in tok.children:
                if c.i in seen or (people and not (c.dep_ == "prep" and c.lower_ in LOCATION_PREPS)):
                    continue
                purpose = c.dep_ == "acl" and lemma(tok) in EVENT_HEADS and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
                # "a bus packed with pilgrims in X": a participle that only describes a thing
                described = (
                    c.dep_ == "acl" and c.tag_ == "VBN" and c.i not in others and not own_subject(c)
                    and lemma(tok) in FACILITY_NOUNS | GENERIC_PLACE_NOUNS | VEHICLE_NOUNS | EVENT_HEADS
                )
                if (c.dep_ in _CLAUSE_STOP and not purpose and not described) or (tok.i == anchor.i and c.dep_ in ("nsubj", "nsubjpass")):
                    continue  # the actor ("Israel captured ...") is who acted, not where; but "an
                    # offensive to capture the village of X" is aimed at X
                if c.i in others and any(g.dep_.startswith("nsubj") for g in c.children):
                    continue  # another event's clause with its own subject
                if own_only and c.pos_ in ("VERB", "AUX") and own_subject(c):
                    continue  # "as balloting began in X": another happening's place
                if c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in OTHER_TIME_MARKS for g in c.children):
                    continue  # "Once the attack at Kafr Louzi was repelled, ...": another time
                if c.dep_ == "advmod" and lemma(c) in DIRECTION_NOUNS | RELATIONAL_NOUNS and self._inside(c):
                    # "captured along with five others northeast of Tikrit"
                    places = self._of_places(c, 0, True)
                    if places:
                        key = (d + 1, 0, -max(map(specificity, places)))
                        if best_key is None or key < best_key:
                            best, best_key = places, key
                        continue
                if c.dep_ == "prep" and c.lower_ in LOCATION_PREPS and self._inside(c):
                    p = c.lower_
                    if p == "under" and any(lemma(po) in UNDER_NOT_PLACES for po in pobjs(c)):
                        continue
                    slot = "near" if p in NEAR_PREPS else "prep" if p in CONTAINING_PREPS else "object"
                    places = [pl for po in pobjs(c) for pl in self.phrase_places(po, recover=True, slot=slot)]
                    if places:
                        key = (d + 1, 0, -max(map(specificity, places)))
                        if best_key is None or key < best_key:
                            best, best_key = places, key
                        continue
                stack.append((c, d + 1))
        return best

    def _aim_places(self, anchor: Token, head: Token) -> list[Mention]:
        """The places a purpose clause of the trigger aims at: its verb's object ("to retake
        the villages of X and Y") or what it would control ("to regain control of X")."""
        for h in dict.fromkeys([anchor, head]):
            for c in h.children:
                if c.dep_ not in ("advcl", "relcl", "acl", "xcomp") or lemma(c) not in AIM_VERBS:
                    continue
                if not any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                    continue
                for o in (g for g in c.children if g.dep_ == "dobj"):
                    if lemma(o) in ("control", "grip", "hold"):
                        places = self._of_places(o, 0, True)
                    else:
                        places = self.phrase_places(o, recover=True, person_ok=False, slot="near")
                    if places:
                        return places
        return []

    def _actor_holders(self, subj: Token) -> list[Token]:
        """The actor and what can carry its place: participles on it ("a car bomb parked on a
        road in X", "a shell thought to have been fired in X") and the nouns its "from"/"of" phrases
        open ("workers from all parts of the textile industry in Dhaka")."""
        out = [subj]
        for c in subj.children:
            if c.dep_ == "acl" and c.tag_ in ("VBN", "VBG", "VBD"):  # a participle tagged as a past tense
                out.append(c)
                out.extend(g for g in c.children if g.dep_ == "xcomp" and g.pos_ in ("VERB", "AUX"))
        if subj.pos_ == "PROPN" or self._place_mention(subj) is not None:
            return out  # "Adel Haddad, of Beit Ummar near Halhul": where he comes from
        stack = [(subj, 0)]
        while stack:
            tok, d = stack.pop()
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("from", "of") and d < 3:
                    for po in pobjs(c):
                        if po.pos_ == "NOUN" and self._place_mention(po) is None:
                            out.append(po)
                            stack.append((po, d + 1))
        return out

    def _town_inside(self, region: Mention) -> Mention | None:
        """The one town or district of the sentence that lies inside `region` (a country, province
        or region), named as a place and not as whose someone is ("U.S. troops")."""
        rp = region.place
        if not coarse(region) or not rp.country_code:
            return None
        rspan = self.doc.char_span(region.start, region.end, alignment_mode="expand")
        phrase = rspan.root if rspan is not None else None
        while phrase is not None and phrase.dep_ in ("compound", "amod", "nmod", "poss") and phrase.head.i != phrase.i:
            phrase = phrase.head  # "the Jabal Akrad region of rural Latakia": Latakia contains it
        inner = {t.i for t in phrase.subtree} if phrase is not None else set()
        found: list[Mention] = []
        for m in self.mentions:
            if m is region or m.place is None or _fallback(m) or m.kind not in ("toponym",):
                continue
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not (self.lo <= span.start < self.hi) or span.root.i in inner or self.says_who(span.root):
                continue
            if reference_point(span.root):
                continue  # "the town of al-Baghdadi west of Haditha": Haditha only says where al-Baghdadi is
            p = m.place
            if specificity(m) < 4 or p.country_code != rp.country_code:
                continue
            if rp.level != "country" and _km(p.lat, p.lon, rp.lat, rp.lon) > 250:
                continue
            if all(f.place != p for f in found):
                found.append(m)
        return found[0] if len(found) == 1 else None

    def says_who(self, tok: Token) -> bool:
        """A place modifying a person, force or war: "U.S. troops", "the Gulf war"."""
        if tok.dep_ not in ("compound", "amod", "nmod", "npadvmod"):
            return False
        first = tok.left_edge.i
        if first > 0 and tok.doc[first - 1].lower_ in _WHERE_PREPS:
            return False  # "while in Gao police arrested ...": the parse hangs Gao on "police"
        if _modifier_not_place(tok):
            return True
        h = tok.head
        while h.dep_ == "compound" and h.head.i != h.i:
            h = h.head
        return lemma(h) in _WHOSE_HEADS or h.ent_type_ in ("ORG", "NORP", "PERSON", "EVENT")

    def _abroad(self, dem: Mention) -> bool:
        """The sentence names a place outside the country of the nationality `dem`."""
        home = dem.place.country_code
        return any(m.place is not None and m.kind != "demonym" and m.place.country_code and m.place.country_code != home
                   for i, m in self.mention_at.items() if self._inside(self.doc[i]))

    def actor_demonym(self, subj: Token | None) -> Mention | None:
        if subj is None:
            return None
        stack = [subj]
        while stack:
            tok = stack.pop()
            m = self.mention_at.get(tok.i) if self._inside(tok) else None
            if m is not None and m.kind == "demonym" and m.place is not None:
                return m
            stack.extend(c for c in tok.children if c.dep_ not in ("relcl", "acl", "appos", "conj"))
        return None

    # -- after merging ----------------------------------------------------------------------------

    def fallback(self, ev, subj_tok: Token | None, etype: tx.EventType, sent) -> None:
        """Place an event the ranker left unplaced: an act of a government at its seat, else at
        the dateline (a statement at the dateline first: it was made where the story was filed
        sooner than at the speaker's seat), else, for an act other than a statement, at the
        actor's nationality ("Iraqi police sources told Xinhua" says who spoke, not where)."""
        if ev.primary() is not None or ev.location is not None:
            return
        self.lo, self.hi = sent.start, sent.end
        if etype.movement and (ev.origin is not None or ev.destination is not None):
            return
        order = (self._at_dateline, self._at_seat) if etype.name == "statement" else (self._at_seat, self._at_dateline)
        if any(place(ev, subj_tok, etype, sent) for place in order):
            return
        dem = self.actor_demonym(subj_tok)
        # "Venezuelan forces blocked ...": the nationality of the actor says who acted, not where
        # (forces act abroad); only an act of a government sits at its seat.
        if dem is not None and etype.seat and not etype.movement and etype.name != "statement":
            official = subj_tok is not None and lemma(subj_tok) in OFFICIAL_NOUNS
            ev.location = dem
            ev.location_reason = _join(
                "the country of the officials who acted; the text names no place" if official
                else "the actors' nationality; the text names no place", ev.location_reason)
            ev.confidence *= 0.85 if official else 0.7

    def _at_seat(self, ev, subj_tok: Token | None, etype: tx.EventType, sent) -> bool:
        """"Washington imposed sanctions", "Peru expelled the ambassador": an act of a government
        where the text gives no other place is at its seat (the ranker, trained on sentences whose
        annotators mark no place for such acts, leaves this to a rule)."""
        if not etype.seat or subj_tok is None or not self._inside(subj_tok):
            return False
        seat = self._seat(subj_tok)
        if seat is None or seat.place is None:
            return False
        ev.location = seat
        ev.location_reason = _join("the seat of the government that acted", ev.location_reason)
        ev.confidence *= 0.9
        return True

    def _at_dateline(self, ev, subj_tok: Token | None, etype: tx.EventType, sent) -> bool:
        """Where the story was filed is only a guess at where it happened: a weak place, and a
        lower confidence so the confidence filter can hide events placed by it alone."""
        dl = next((m for m in self.datelines if m.place is not None), None)
        if dl is None or etype.movement or self._scene_elsewhere(sent, dl):
            return False
        ev.location = dl
        ev.location_reason = _join("dateline only: where the story was filed, a weak guess", ev.location_reason)
        ev.confidence *= DATELINE_FACTOR
        return True

    def _scene_elsewhere(self, sent, dateline: Mention) -> bool:
        """True when the sentence puts something at a place in another country ("in Rome"), or
        says it happened some way off ("About 70 kilometers away, troops fired on ..."): a
        distance from where the story stands, which its dateline is not."""
        if any(_distance_away(tok) for tok in sent):
            return True
        cc = dateline.place.country_code
        for tok in sent:
            if tok.dep_ == "prep" and tok.lower_ in ("in", "at", "near", "outside", "inside"):
                for p in pobjs(tok):
                    for m in self.phrase_places(p):
                        if m.place is not None and m.place.country_code != cc:
                            return True
        return False

    def movement_type(self, etype: tx.EventType, trig, pl: Placement) -> tx.EventType:
        """Flight across a border is a crossing; flight with no other country named is displacement."""
        if etype.name not in ("border_crossing", "displacement") or trig.phrasal:
            return etype
        o = pl.origin.place if pl.origin is not None else None
        d = pl.destination.place if pl.destination is not None else None
        if lemma(trig.head) in ARRIVAL_VERBS:
            # refugees arriving from another town of the same country are displaced, not crossing
            same = o is not None and d is not None and o.country_code and o.country_code == d.country_code
            return tx.BY_NAME["displacement"] if same else etype
        if lemma(trig.head) not in AMBIGUOUS_FLIGHT:
            return etype
        if d is not None and (o is None and d.level == "country" or o is not None and o.country_code != d.country_code):
            return tx.BY_NAME["border_crossing"]
        return tx.BY_NAME["displacement"]


def _distance_away(tok: Token) -> bool:
    """'away' after a distance ("70 kilometers away", "some 200 miles away")."""
    if tok.lower_ != "away" or tok.i < 2:
        return False
    unit, number = tok.doc[tok.i - 1], tok.doc[tok.i - 2]
    return _distance_unit(unit) and number.like_num


# Words between a name and the coarser places that qualify it ("X village of Y district, Z province").
_QUALIFIER_WORDS = frozenset("of the in".split()) | DIRECTION_NOUNS | DIRECTION_ADJECTIVES | AREA_NOUNS | FINE_NOUNS | GENERIC_PLACE_NOUNS | COARSE_AREA_WORDS | frozenset(
    "cercle territory regency department state commune".split()
)


def _whose_people(demonym: Token) -> bool:
    """A nationality written on people ("Guyanese President Ali", "Syrian troops"): it says whose
    they are, not where anything is (forces and leaders act abroad)."""
    head = demonym.head
    if head.i == demonym.i or demonym.dep_ not in ("amod", "compound", "nmod"):
        return False
    word = lemma(head).strip(".")
    return word in PERSON_NOUNS or word in PERSON_TITLES or word in ARRIVING_FORCES or head.ent_type_ == "PERSON"


def _holds_by_record(outer, place) -> bool:
    """`outer` is the country or the state of `place` by the gazetteer's own record, not only
    near it (`inside_of` also takes a state whose centre is near: a list of neighbouring
    provinces is no town and its state)."""
    if place.country_code != outer.country_code or outer.level not in ("country", "admin1"):
        return False
    return outer.level == "country" or (place.admin1 or "").casefold() == outer.name.casefold()


def inside_of(place, outer) -> bool:
    """`place` lies in `outer`: its country, its admin1 (by name, or near it), or near a smaller one."""
    if place.country_code != outer.country_code:
        return False
    if outer.level == "country":
        return True
    if outer.level == "admin1":
        a, b = (place.admin1 or "").casefold(), outer.name.casefold()
        return bool(a) and (a == b or a in b or b in a) or _km(place.lat, place.lon, outer.lat, outer.lon) < 150
    if outer.level == "admin2" and place.admin1 and outer.admin1 and place.admin1.casefold() == outer.admin1.casefold():
        return True  # GeoNames puts some provinces at admin2 ("North Kivu" in "Nord Kivu"), far from their towns
    return _km(place.lat, place.lon, outer.lat, outer.lon) < 60


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def _same_breath(clause: Token) -> bool:
    """A "when" or "as" clause: how the event happened, at the same time and place."""
    return any(g.dep_ in ("advmod", "mark") and g.lower_ in ("when", "as") for g in clause.children)


def _scene_setting(prep: Token, sent) -> bool:
    """A locative phrase opening the sentence and closed by a comma: "In Kandahar, ..."."""
    before = [t for t in sent if t.i < prep.i]
    after = prep.right_edge.i + 1
    return all(t.is_punct or t.pos_ in ("ADV", "CCONJ", "SPACE") for t in before) and after < len(prep.doc) and prep.doc[after].text == ","


def _join(a: str, b: str) -> str:
    return "; ".join(x for x in (a, b) if x)


def _written_list(root: Token, q: Mention, doc: Doc) -> bool:
    """Whether the mention `q` is a later name of the list `root` is written in, a list the text
    closes with "and" or "or" ("Hayyan, Huraytan and Kafar Hamra")."""
    qs = doc.char_span(q.start, q.end, alignment_mode="expand")
    if qs is None or qs.root.dep_ != "conj":
        return False
    first = list_first(root)
    return list_first(qs.root).i == first.i and _listed(first)
