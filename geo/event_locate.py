"""Where an event happened, from the parse: the rules in order of strength.

A sentence names many places; an event happened at (or moved between) only some of them.
The rules, strongest first; the first that finds a place decides, and `Placement.reason` names it:

  prep        a place attached to the trigger by a locative preposition ("met in Rome",
              "killed near the town of Baiji"), also through the trigger's object ("took over
              buildings in Washington"). Movement types read from/out of as the origin and
              to/into/toward as the destination ("fled to Colombia", "from Colombia into Venezuela").
  object      the object is the place for events that act on places ("shelled Maharda", "captured
              the Yarmouk camp"); for movement, the object of flee/leave is the origin and of
              enter/invade the destination.
  noun        a place modifying an event noun ("the Rome talks").
  actor seat  for acts of governments, a place standing for its government ("Washington imposed
              sanctions", "Colombia's Foreign Ministry said").
  clause      a place elsewhere in the trigger's own clause, not in a reported or relative clause.
  -- after merging duplicates, for events still without a place --
  dateline    the article's dateline city ("CARACAS, Venezuela --"), unless the sentence sets the
              scene somewhere else.
  actor demonym  the nationality of the actor ("Venezuelan forces blocked"): the weakest evidence.

Coordinated places split one trigger into one event per place ("shelled Maharda and Tarfawi").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from . import taxonomy as tx
from .model import Mention

# Nouns naming a kind of place, whose "of" names the place itself ("the town of Baiji").
GENERIC_PLACE_NOUNS = frozenset(
    "town city village province region district area state county capital outskirts suburb suburbs "
    "neighborhood neighbourhood camp countryside governorate municipality island border port base "
    "airport street streets center centre part parts north south east west heart edge vicinity "
    "environs coast valley road highway crossing square district settlement settlements "
    "territory side outskirt periphery entrance market hospital mosque church school prison quarter "
    "stadium bridge refinery checkpoint metropolis fields farms".split()
)
# Nouns after which a demonym names a place ("on Syrian territory", "the Turkish side").
TERRITORY_NOUNS = frozenset("territory soil waters airspace border side coast capital frontier".split())
# Heads of an actor that speaks for its state, so its demonym is its seat ("Colombian officials").
OFFICIAL_NOUNS = frozenset(
    "authority official government ministry minister president embassy spokesman spokeswoman "
    "spokesperson diplomat ambassador envoy leader administration cabinet parliament military army "
    "police force foreign office department agency".split()
)
ORIGIN_OBJECT_VERBS = frozenset("flee leave escape exit abandon evacuate desert quit".split())
DESTINATION_OBJECT_VERBS = frozenset("enter invade reach cross infiltrate".split())
AMBIGUOUS_FLIGHT = frozenset("flee escape".split())
_SLOT_PREPS = tx.LOCATION_PREPS | tx.DESTINATION_PREPS | tx.ORIGIN_PREPS | {"out", "during"}
_INNER_PREPS = {"in", "at", "near", "on", "off", "outside", "inside", "against", "along", "around", "across"}
# Event nouns: their place is in their own prepositions, never in their modifiers ("the 1967
# Mideast war", "a U.S.-led raid off La Paz").
EVENT_HEADS = frozenset(
    "war attack assault raid operation offensive clash clashes fighting battle bombing strike airstrike "
    "ambush explosion blast shooting protest demonstration rally conflict campaign incident siege".split()
)
# Heads whose place modifiers say whose they are, not where the event is ("the U.S. embassy",
# "Syrian government forces").
NONPLACE_HEADS = frozenset(
    "government army force forces military police media press official officials authority authorities "
    "ministry embassy consulate president leader people troops soldier soldiers".split()
)
_CLAUSE_STOP = {"ccomp", "parataxis", "relcl", "acl", "appos", "csubj"}
_NONPLACE_KINDS = {"demonym"}


@dataclass
class Placement:
    location: Mention | None = None
    origin: Mention | None = None
    destination: Mention | None = None
    reason: str = ""
    weight: float = 1.0  # how sure the rule is, folded into the event's confidence

    def empty(self) -> bool:
        return self.location is None and self.origin is None and self.destination is None


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _pobjs(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]


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

    def phrase_places(self, tok: Token, depth: int = 0, recover: bool = False, person_ok: bool = True) -> list[Mention]:
        """The places a noun phrase names, most specific first, one per coordinated member:
        "the West Bank town of Bethlehem" -> Bethlehem; "Maharda, Tarfawi" -> both; "an attack
        on the town of Gajiganna" -> Gajiganna. With `recover`, a proper name the geoparser did
        not take for a place is tried in the gazetteer (the slot says it is a place)."""
        if depth > 4 or not self._inside(tok):
            return []
        res: list[Mention] = []
        lem = _lemma(tok)
        m = self._place_mention(tok)
        if m is not None:
            res = [m]
        elif lem in EVENT_HEADS:
            # "in an attack on X", "during a raid off La Paz": the event's own place
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in _INNER_PREPS:
                    for p in _pobjs(c):
                        res = res or self.phrase_places(p, depth + 1, recover, person_ok)
        else:
            generic = lem in GENERIC_PLACE_NOUNS
            if generic:
                # "the settlements of Maharda": the slot is a place whatever the NER says of the name
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ == "of":
                        for p in _pobjs(c):
                            res = res or self.phrase_places(p, depth + 1, recover, True)
                    elif c.dep_ == "appos":  # "the capital, Brazzaville"
                        res = res or self.phrase_places(c, depth + 1, recover, True)
            if not res and lem not in NONPLACE_HEADS:
                for c in tok.children:
                    if c.dep_ in ("compound", "amod", "nmod", "poss"):
                        mm = self._place_mention(c, allow_demonym=lem in TERRITORY_NOUNS)
                        if mm is None and recover and generic:
                            mm = self._recover(c, not person_ok)
                        if mm is not None:
                            res = [mm]
                            break
            if not res and recover and tok.pos_ == "PROPN":
                mm = self._recover(tok, not person_ok)
                res = [mm] if mm is not None else []
            if not res:
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ in _INNER_PREPS | {"of"}:
                        for p in _pobjs(c):
                            res = res or self.phrase_places(p, depth + 1, recover, person_ok)
                    if res:
                        break
        for c in tok.children:
            if c.dep_ == "conj":
                for mm in self.phrase_places(c, depth + 1, recover, person_ok):
                    if mm not in res and mm.kind != "qualifier":
                        res.append(mm)
        return res

    def _recover(self, tok: Token, object_slot: bool) -> Mention | None:
        if self.resolver is None or tok.pos_ != "PROPN" or not tok.text[:1].isupper() or not self._inside(tok):
            return None
        toks = [tok] + [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < tok.i]
        lo = min(t.i for t in toks)
        while lo < tok.i and not self.doc[lo].text[:1].isupper():
            lo += 1
        span = self.doc[lo : tok.i + 1]
        if any(t.i in self.mention_at for t in span):
            return None
        if any(t.ent_type_ in ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "ORDINAL") for t in span):
            return None
        if object_slot and any(t.ent_type_ in ("PERSON", "ORG") for t in span):
            return None  # "captured Jimenez": a person, whatever towns share the name
        # A word of a person's name elsewhere in the article ("Maduro") is that person.
        words = {t.text for t in span}
        if any(e.start >= span.end or e.end <= span.start for e in self._persons if words & {t.text for t in e}):
            return None
        key = (span.start_char, span.end_char)
        if key in self._recovered:
            return self._recovered[key]
        m = Mention(text=span.text, start=span.start_char, end=span.end_char, kind="toponym", label="EVENT")
        # Resolved in the article's context like the geoparser's own mentions; a name the
        # gazetteer lacks gets the geoparser's fallback (a place named inside it, else the
        # article's focus) with the low score that says so.
        context = [replace(x, candidates=[]) for x in self.mentions]
        self.resolver.resolve(context + [m], self.doc.text)
        found = None
        if m.place is not None:
            m.reason = "found by its event slot; " + m.reason
            found = m
        self._recovered[key] = found
        return found

    # -- event-level ----------------------------------------------------------------------------

    def place(self, trig, etype: tx.EventType, subj: Token | None, target: Token | None, triggers, sent) -> list[Placement]:
        self.lo, self.hi = sent.start, sent.end
        anchor, head = trig.anchor, trig.head
        verb_lemma = _lemma(trig.verb) if trig.verb is not None else ""
        holders: list[Token] = [anchor]
        if head is not anchor:
            holders.append(head)
        for w in trig.words:
            if w not in holders and w.pos_ in ("NOUN", "PROPN"):
                holders.append(w)
        # Verbs coordinated with the trigger that share its subject describe the same act
        # ("shot and wounded a civilian near the crossing"); so does the main verb of a result
        # participle ("launched an assault on X, killing ...").
        for c in anchor.children:
            if c.dep_ == "conj" and c.pos_ == "VERB" and not any(g.dep_.startswith("nsubj") for g in c.children):
                holders.append(c)
        if anchor.dep_ == "conj" and not any(g.dep_.startswith("nsubj") for g in anchor.children):
            holders.append(anchor.head)
        if anchor.dep_ == "advcl" and anchor.tag_ == "VBG" and anchor.head.pos_ == "VERB":
            holders.append(anchor.head)
            holders.extend(c for c in anchor.head.children if c.dep_ == "dobj")
        if target is not None and not etype.seat and target not in holders:
            holders.append(target)

        refuge = trig.phrasal and any(_lemma(w) in ("refuge", "shelter") for w in trig.words)
        loc: list[Mention] = []
        loc_prep = ""
        origin = destination = None
        o_reason = d_reason = ""
        for h in holders:
            for c in h.children:
                if c.dep_ != "prep" or not self._inside(c):
                    continue
                p = c.lower_
                if p not in _SLOT_PREPS:
                    continue
                if etype.seat and p in ("on", "against", "with", "to") and h is not anchor:
                    continue  # "sanctions on Venezuela": the target, not the place
                pobjs = _pobjs(c)
                if p == "out":  # "out of Syria"
                    pobjs = [g for o in c.children if o.lower_ == "of" for g in _pobjs(o)] or pobjs
                places = [pl for po in pobjs for pl in self.phrase_places(po, recover=True)]
                if not places:
                    continue
                if etype.movement and (p in tx.DESTINATION_PREPS or (refuge and p in ("in", "at"))):
                    if destination is None:
                        destination, d_reason = places[0], f"destination: prep '{p}'"
                elif etype.movement and (p in tx.ORIGIN_PREPS or p == "out"):
                    if origin is None:
                        origin, o_reason = places[0], f"origin: prep '{p}'"
                elif p in tx.LOCATION_PREPS and not loc:
                    loc, loc_prep = places, p

        obj_places: list[Mention] = []
        obj = target
        if obj is not None and not (obj.dep_ in ("dobj", "nsubjpass") or (obj is anchor.head and anchor.dep_ == "acl")):
            obj = None
        if obj is not None and (etype.object_place or etype.movement or verb_lemma == "patrol"):
            obj_places = self.phrase_places(obj, recover=True, person_ok=False)
            # "captured Doe in Monrovia": a person the gazetteer also knows as a town is no place
            obj_places = [m for m in obj_places if not (m.start <= obj.idx < m.end and self._tagged_person(m))]

        out: list[Placement] = []
        if etype.movement:
            if obj_places and verb_lemma in ORIGIN_OBJECT_VERBS and origin is None:
                origin, o_reason = obj_places[0], "origin: object"
            elif obj_places and verb_lemma in DESTINATION_OBJECT_VERBS and destination is None:
                destination, d_reason = obj_places[0], "destination: object"
            elif obj_places and verb_lemma == "patrol" and not loc:
                loc, loc_prep = obj_places, ""
            if origin or destination:
                pl = Placement(None, origin, destination, _join(o_reason, d_reason))
                if loc:
                    pl.location, pl.reason = loc[0], _join(_prep_reason(loc_prep), pl.reason)
                out = [pl]
        if not out and obj_places and etype.object_place:
            out = [Placement(m, reason="object") for m in obj_places]
        if not out and loc:
            out = [Placement(m, reason=_prep_reason(loc_prep)) for m in loc]
        if not out and subj is not None and not etype.seat:
            # "activists in Hong Kong demonstrated", "the militias in Tripoli stormed"
            for c in subj.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "at", "inside", "near") and self._inside(c):
                    places = [pl for po in _pobjs(c) for pl in self.phrase_places(po, recover=True)]
                    if places:
                        out = [Placement(places[0], reason=f"actor's prep '{c.lower_}'", weight=0.9)]
                        break
        if not out and trig.nominal:
            for c in head.children:
                if c.dep_ in ("compound", "nmod", "amod"):
                    m = self._place_mention(c)
                    if m is not None:
                        out = [Placement(m, reason="noun modifier")]
                        break
        if not out and etype.seat and subj is not None:
            m = self._seat(subj)
            if m is not None:
                out = [Placement(m, reason="metonymic actor (seat)")]
        if not out and not etype.seat:
            m = self._in_clause(anchor, triggers, trig)
            if m is not None:
                out = [Placement(m, reason="clause", weight=0.85)]
        if not out:
            out = [Placement()]
        if etype.movement and subj is not None:
            for pl in out:
                self._origin_from_demonym(pl, subj)
        return out

    def _tagged_person(self, m: Mention) -> bool:
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

    def _in_clause(self, anchor: Token, triggers, trig) -> Mention | None:
        """The place nearest the trigger inside its own clause."""
        others = {t.anchor.i for t in triggers if t.anchor.i != anchor.i}
        best, best_d = None, None
        stack = [(anchor, 0)]
        while stack:
            tok, d = stack.pop()
            m = self._place_mention(tok)
            if m is not None and m.kind not in ("qualifier", "dateline") and (best_d is None or d < best_d):
                best, best_d = m, d
            for c in tok.children:
                if c.dep_ in _CLAUSE_STOP or (tok is anchor and c.dep_ == "nsubj"):
                    continue  # the actor ("Israel captured ...") is who acted, not where
                if c.i in others and any(g.dep_.startswith("nsubj") for g in c.children):
                    continue  # another event's clause with its own subject
                stack.append((c, d + 1))
        return best

    def _origin_from_demonym(self, pl: Placement, subj: Token) -> None:
        """People named by nationality ("Venezuelan security forces", "3 million Venezuelans")
        come from that country when the text gives no origin."""
        if pl.origin is not None:
            return
        dem = self.actor_demonym(subj)
        if dem is None or dem.place is None:
            return
        dest = pl.destination or pl.location
        if dest is not None and dest.place is not None and dest.place.country_code == dem.place.country_code:
            return
        pl.origin = dem
        pl.reason = "; ".join(r for r in (pl.reason, "origin: actor demonym") if r)

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
        """Place an event no sentence-level rule placed: the dateline, then the actor's nationality."""
        if ev.primary() is not None or ev.location is not None:
            return
        self.lo, self.hi = sent.start, sent.end
        if etype.movement and (ev.origin is not None or ev.destination is not None):
            return
        dl = next((m for m in self.datelines if m.place is not None), None)
        if dl is not None and not etype.movement and not self._scene_elsewhere(sent, dl):
            ev.location, ev.location_reason = dl, _join("dateline", ev.location_reason)
            ev.confidence *= 0.9
            return
        dem = self.actor_demonym(subj_tok)
        if dem is not None and not etype.movement:
            official = subj_tok is not None and _lemma(subj_tok) in OFFICIAL_NOUNS
            ev.location = dem
            ev.location_reason = _join("actor demonym (seat)" if official else "actor demonym", ev.location_reason)
            ev.confidence *= 0.85 if official else 0.7

    def _scene_elsewhere(self, sent, dateline: Mention) -> bool:
        """True when the sentence puts something at a place in another country ("in Rome")."""
        cc = dateline.place.country_code
        for tok in sent:
            if tok.dep_ == "prep" and tok.lower_ in ("in", "at", "near", "outside", "inside"):
                for p in _pobjs(tok):
                    for m in self.phrase_places(p):
                        if m.place is not None and m.place.country_code != cc:
                            return True
        return False

    def movement_type(self, etype: tx.EventType, trig, pl: Placement) -> tx.EventType:
        """Flight across a border is a crossing; flight with no other country named is displacement."""
        if etype.name not in ("border_crossing", "displacement") or trig.phrasal:
            return etype
        if _lemma(trig.head) not in AMBIGUOUS_FLIGHT:
            return etype
        o = pl.origin.place if pl.origin is not None else None
        d = pl.destination.place if pl.destination is not None else None
        if d is not None and (o is None and d.level == "country" or o is not None and o.country_code != d.country_code):
            return tx.BY_NAME["border_crossing"]
        return tx.BY_NAME["displacement"]


def _prep_reason(p: str) -> str:
    return f"prep '{p}'" if p else "object"


def _join(a: str, b: str) -> str:
    return "; ".join(x for x in (a, b) if x)
