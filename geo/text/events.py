"""Events from a parsed article: what happened, who did it, to whom, how many, when and where.

Over spaCy's dependency parse, so it runs offline on a CPU in a few milliseconds per article and
every decision can be explained:

  1. Triggers: verbs and verb+particle/object phrases from the taxonomy ("fled", "took over",
     "cut ties"), and event nouns carried by a light verb, occurring, or placed ("held talks",
     "clashes broke out", "protests in Caracas").
  2. Arguments: the subject (through xcomp/conj/relcl to the clause that has one) is the actor,
     the object or passive subject the target; a cardinal on the counted noun is the count.
  3. Modality: negation, modals, plans, attempts, failures and cancellations lower the
     confidence instead of dropping the event, so a map can still show "talks planned in Rome".
  4. Place: every place the sentence names is a candidate (the geoparser's mentions, the names
     the placement rules of geo/text/event_locate.py find, every other proper name) beside "no
     place"; what each rule says about a candidate is one of its features (geo/text/
     event_features.py), and a ranker learned from annotated sentences chooses
     (geo/text/event_model.py); `location_reason` says in words what decided.
  5. Date: the date expression nearest the trigger in the parse tree (geo.dates resolves it),
     but none from a side clause about another time ("an accord signed in 1998", "since ...
     in 1997"), else the date of the previous sentence's event in the same paragraph, else the
     publication date with date_text None.
  6. Merge: the same event told twice in an article (same type, place and date, or an
     unplaced retelling right after a placed one), or by two triggers of one sentence ("struck
     the crowd, killing 13"), becomes one event with the union of actors.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from geo.model import Event, Mention

from . import taxonomy as tx
from .vocabulary import (
    ABDUCTORS,
    AID_CARRIERS,
    AIR_STRIKE,
    ARRIVAL_VERBS,
    ARRIVING_AID,
    ARRIVING_FORCES,
    ARRIVING_OFFICIALS,
    ARRIVING_PEOPLE,
    BACK_REFERENCES,
    CANCEL,
    CAPTIVE_NOUNS,
    CAUSE_PREPS,
    CIVILIANS,
    CRITICISED_THINGS,
    CRITICISM_VERBS,
    CROWDS,
    DASHES,
    DEAD_PARTICIPLES,
    DEBATERS,
    DIPLOMATIC_MODIFIERS,
    DIPLOMATIC_NOUNS,
    DISASTER_NOUNS,
    EFFORT_NOUNS,
    EVENT_PREPS,
    FAIL,
    GATHER_VERBS,
    LABOUR_STRIKE,
    LIGHT_VERBS,
    MILITARY,
    MODALS,
    NONVIOLENT_CAUSES,
    NOT_CAPTURED,
    NOT_MET,
    NOT_SHOT,
    NOT_SHOT_TO,
    NUM_WORDS,
    OCCUR,
    OCCURRENCE_VERBS,
    PARTAKE_VERBS,
    PEOPLE_MOVE_VERBS,
    PERSON_NOUNS,
    PERSON_OBJECTS,
    PLAN,
    PRONOUNS,
    SCALES,
    SEIZED_GOODS,
    SERIES_NOUNS,
    TIME_PREPS,
    VAGUE_NOUNS,
    WEAPON_NOUNS,
    WEAPON_VERBS,
    WEATHER_ACTORS,
)
from .docs import date_entity_tokens, doc_sents, doc_text, lemma, span_text, verb_chain
from .event_features import SentenceCandidates, candidates
from .event_locate import Locator, Placement, placed_by_name, specificity
from .event_model import Ranker

_VERBS = tx.verb_index()
_PHRASES = tx.phrase_index()
_NOUNS = tx.noun_index()

# Dependents that can complete a phrasal trigger: particle, object, passive subject, preposition.
_PHRASE_DEPS = {"prt", "dobj", "nsubjpass", "prep", "attr", "advmod", "dative", "oprd", "acomp"}
# What a withdrawal moves when it moves anyone: troops, people ("withdrew 300 soldiers", "its staff").
_WITHDRAWN = MILITARY | ARRIVING_FORCES | PERSON_NOUNS | PERSON_OBJECTS | CIVILIANS



@dataclass
class _Trigger:
    head: Token  # the word that names the event: the verb, or the event noun
    verb: Token | None  # the clause's verb (the light verb for "held talks"); None for a bare noun
    etype: tx.EventType
    words: list[Token]  # what `trigger` shows: "took over", "cut ties", "held talks"
    phrasal: bool = False
    nominal: bool = False
    patient_subject: bool = False  # "Kafr Zeta came under attack": the subject is what was attacked
    vague: bool = False  # "the incident", "it happened": some event the article told of before

    @property
    def anchor(self) -> Token:
        return self.verb if self.verb is not None else self.head


@dataclass
class _Draft:
    trig: _Trigger
    sent: Span
    event: Event
    placement: Placement
    date_from_text: bool = False
    sent_no: int = 0
    subj: Token | None = None
    # The count is of whom the type counts (the victims of an attack), not a number on another
    # argument ("Two bombings struck crowds": 2 bombings)
    own_count: bool = False


# ---------------------------------------------------------------------------------------------
# triggers


def _relative_occurrence(noun: Token) -> Token | None:
    """The verb of a relative clause on `noun`, or on the list it is an item of ("disturbances,
    demonstrations and riots that broke out"), that says it happened, whose subject is the
    relative pronoun; None when there is none."""
    items = [noun]
    while items[-1].dep_ == "conj":
        items.append(items[-1].head)
    for c in (c for item in items for c in item.children):
        if c.dep_ == "relcl" and c.pos_ == "VERB" and lemma(c) in OCCURRENCE_VERBS and any(
            g.dep_ in ("nsubj", "nsubjpass") and g.lower_ in ("that", "which") for g in c.children
        ):
            return c
    return None


def _phrase_trigger(tok: Token) -> _Trigger | None:
    lem = lemma(tok)
    # "In Tibu, Norte de Santander, the body of a leader was found": after a fronted place and its
    # qualifier the parser may make the qualifier the subject and the true one its apposition
    kids = [*tok.children, *(a for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") for a in c.children if a.dep_ == "appos")]
    for child in kids:
        if child.dep_ not in _PHRASE_DEPS and child.dep_ != "appos":
            continue
        if child.dep_ == "prep" and child.tag_ == "VBG":
            continue  # "reached Greece ..., according to": no accord reached
        etype = _PHRASES.get((lem, lemma(child)))
        if etype is not None:
            words = sorted([tok, child], key=lambda t: t.i)
            return _Trigger(tok, tok, etype, words, phrasal=True)
        if child.dep_ == "prep":
            # "went on strike", "were set on fire": the phrase's noun, bare, after a preposition
            for obj in child.children:
                etype = _PHRASES.get((lem, lemma(obj)))
                if obj.dep_ == "pobj" and etype is not None and not any(c.dep_ in ("det", "poss") for c in obj.children):
                    return _Trigger(tok, tok, etype, sorted([tok, child, obj], key=lambda t: t.i), phrasal=True)
    return None


def retype(trig: _Trigger, actor: Token | None, target: Token | None) -> tx.EventType | None:
    """The word's type, corrected by what its arguments say (who moves, what is seized, what
    killed, who arrives); None when they say it is no event of the vocabulary."""
    etype = trig.etype
    name = etype.name
    if name in ("armed_clash", "attack") and target is not None:
        obj_words = {lemma(t) for t in target.subtree}
        if lemma(target) in DIPLOMATIC_NOUNS or (
            obj_words & DIPLOMATIC_MODIFIERS and lemma(target) in {"building", "office", "compound", "premise"}
        ):
            if lemma(trig.head) in {"take", "seize", "occupy", "storm", "capture", "raid", "attack"}:
                return tx.BY_NAME["diplomatic_seizure"]
    if lemma(trig.head) in GATHER_VERBS:
        return etype if _gathering_protests(trig, actor) else None
    if name in ("attack", "armed_clash", "military_movement") and actor is not None and lemma(actor) in WEATHER_ACTORS:
        return tx.BY_NAME["disaster"]  # "flash floods killed 12", "floodwaters entered the town": no attack nor troops
    if name == "attack" and _criticism(trig):
        return tx.BY_NAME["statement"]  # "blasted the decision": words, not violence
    if _figurative(trig, actor):
        return None
    if name == "armed_clash" and _takes_people(trig, target):
        # "police captured two suspects", "Noriega was captured": an arrest; "militants captured
        # two soldiers": an abduction, which is an attack
        return tx.BY_NAME["attack" if actor is not None and lemma(actor) in ABDUCTORS else "arrest"]
    if lemma(trig.head) in PEOPLE_MOVE_VERBS and not _people_moving(actor):
        return None  # "the minister travelled to Paris"
    if not trig.phrasal and lemma(trig.head) in ARRIVAL_VERBS:  # not "reached an agreement"
        return _arrival_type(actor)
    if name == "casualties":
        return _death_cause(trig.anchor)
    if name == "protest" and lemma(trig.head) == "march" and actor is not None:
        # a name keeps its plural as its lemma ("the Marines")
        words = {w[:-1] if t.pos_ == "PROPN" and w.endswith("s") else w for t in actor.subtree for w in [lemma(t)]}
        if words & MILITARY and not words & CROWDS:
            return tx.BY_NAME["military_movement"]  # "the Marines marched to the safety of X"
    if etype.movement and name != "aid_delivery" and actor is not None and _carries_aid(lemma(actor), _carried(actor)):
        # "trucks carrying aid rolled into Cucuta", "trucks carrying food crossed into Gaza": aid
        # delivered, not troops nor people moving
        return tx.BY_NAME["aid_delivery"]
    if name == "military_movement" and actor is not None:
        words = {lemma(t) for t in actor.subtree}
        if words & CIVILIANS and not words & MILITARY:
            return tx.BY_NAME["border_crossing"]
    if lemma(trig.head) == "strike" and trig.nominal:
        mods = {lemma(c) for c in trig.head.children if c.dep_ in ("amod", "compound", "nmod")}
        if mods & LABOUR_STRIKE and not mods & AIR_STRIKE:
            return tx.BY_NAME["protest"]
    return etype


def _figurative(trig: _Trigger, actor: Token | None) -> bool:
    """A trigger verb in its other sense, which reports no event of the vocabulary: "captured the
    title", "seized two tons of cocaine", "shot to fame", "prices shot up", "demonstrated its
    resolve", "the two ministers clashed over the budget", "would not withdraw the bill", "to meet
    basic needs" (see the word lists in vocabulary)."""
    verb = _plain_verb(trig)
    if verb is None:
        return False
    lem = lemma(verb)
    objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if lem == "withdraw" and objs and not any(o.like_num or lemma(o) in _WITHDRAWN for o in objs):
        return True  # "would not withdraw the legislation": no troops moved
    if lem == "meet" and any(lemma(o) in NOT_MET for o in objs):
        return True  # "trucks to meet basic needs"
    if lem == "clash" and actor is not None and lemma(actor) in CRITICISED_THINGS:
        return True  # "the law would clash with Georgia's hopes"
    if lem in ("capture", "recapture") and any(
        lemma(o) in NOT_CAPTURED and not any(c.dep_ == "prep" and c.lower_ == "of" for c in o.children) for o in objs
    ):
        return True  # "captured the title"; but "captured the bulk of the Hula district"
    if lem in ("capture", "seize") and any(lemma(o) in SEIZED_GOODS for o in objs):
        return True  # "police seized two tons of cocaine": goods, not ground
    if lem == "shoot":
        if any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children):
            return True  # "crude futures shot up"
        if any(c.dep_ == "prep" and c.lower_ in ("to", "into") and any(lemma(p) in NOT_SHOT_TO for p in c.children)
               for c in verb.children):
            return True  # "shot to fame"
        if any(c.dep_ == "dobj" and lemma(c) in NOT_SHOT for c in verb.children):
            return True  # "shot a film"
        if any(c.dep_ == "dobj" and c.like_num and any(g.dep_ == "det" or "par" in g.lower_ for g in c.children)
               for c in verb.children):
            return True  # "shot a 6-under-par 66": a golfer's score ("shot 12" may be twelve people)
    if lem == "demonstrate":
        # "the ministry has demonstrated its displeasure", "the incident demonstrated that ...": to
        # show; crowds that demonstrate protest (the parser may still hang an object on them)
        crowd = actor is not None and (lemma(actor) in CROWDS or _count(actor) is not None)
        if any(c.dep_ == "ccomp" for c in verb.children) or (objs and not crowd):
            return True
    if lem == "clash" and actor is not None:
        parties = [actor] + [c for c in actor.children if c.dep_ == "conj"]
        parties += [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "with" for p in c.children if p.dep_ == "pobj"]
        if all(p.ent_type_ == "PERSON" or lemma(p) in DEBATERS for p in parties):
            return True  # "the governor and the minister had clashed over a tax": words
    return False


def _plain_verb(trig: _Trigger) -> Token | None:
    """The trigger's verb when the verb alone is the trigger: not a phrase ("opened fire") nor an
    event noun its verb carries ("staged a protest"), whose verbs have no other sense to check."""
    return None if trig.phrasal or trig.nominal else trig.verb


def _criticism(trig: _Trigger) -> bool:
    """A verb of violence said of a plan, a decision or a report ("blasted the decision",
    "the president's plan was attacked"): criticism, which is a statement."""
    verb = _plain_verb(trig)
    if verb is None or lemma(verb) not in CRITICISM_VERBS:
        return False
    return any(c.dep_ in ("dobj", "nsubjpass") and lemma(c) in CRITICISED_THINGS for c in verb.children)


def _takes_people(trig: _Trigger, target: Token | None) -> bool:
    """A verb of taking ("captured", "seized") whose object is people: a person's name of two
    words or more, a people's noun, a personal pronoun ("him", "she was captured"), a people's
    plural ("two Germans"). A one-word name is not enough: the NER calls many a town a person
    ("captured Knin")."""
    verb = _plain_verb(trig)
    if verb is None or target is None or lemma(verb) not in ("capture", "seize"):
        return False
    if target.lower_ in ("him", "her", "he", "she"):
        return True
    if target.ent_type_ == "PERSON":
        ent = next((e for e in target.doc.ents if e.start <= target.i < e.end), None)
        return ent is not None and len(ent) >= 2
    if target.ent_type_ == "NORP":
        return target.tag_ in ("NNS", "NNPS")
    return target.pos_ == "NOUN" and lemma(target) in CAPTIVE_NOUNS


def _gathering_protests(trig: _Trigger, actor: Token | None) -> bool:
    """People gathered to do something ("to protest", "to demand", "to commemorate"), or a crowd
    gathered: a protest. Officials who gather meet; a storm that gathers is weather."""
    verb = trig.verb
    purpose = verb is not None and any(
        c.dep_ in ("xcomp", "advcl") and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children) for c in verb.children
    )
    crowd = actor is not None and (lemma(actor) in CROWDS or _count(actor) is not None)
    official = actor is not None and lemma(actor) in ARRIVING_OFFICIALS
    return (purpose or crowd) and not official


def _carried(actor: Token) -> set[str]:
    """The words of the actor's phrase and of what it carries: "a boat carrying 48 migrants"."""
    phrase = _phrase_tokens(actor)
    words = {lemma(t) for t in phrase}
    for c in (c for t in phrase for c in t.children):  # "a convoy of trucks carrying food"
        if c.dep_ == "acl" and lemma(c) in ("carry", "transport", "bring", "ferry"):
            words |= {lemma(t) for t in c.subtree}
    return words


def _people_moving(actor: Token | None) -> bool:
    """Refugees, migrants, civilians, or a number of people ("About 80 people", "hundreds")."""
    if actor is None:
        return False
    words = _carried(actor)
    return bool(words & (ARRIVING_PEOPLE | CIVILIANS)) or _count(actor) is not None or lemma(actor) in ("hundred", "thousand", "dozen")


def _arrival_type(actor: Token | None) -> tx.EventType | None:
    """Who arrives says what the arrival is (see taxonomy.ARRIVAL_VERBS); anyone else, no event."""
    if actor is None:
        return None
    head = lemma(actor)
    words = _carried(actor)
    if _carries_aid(head, words):
        return tx.BY_NAME["aid_delivery"]
    if head in ARRIVING_PEOPLE or (words & ARRIVING_PEOPLE and not words & ARRIVING_FORCES):
        return tx.BY_NAME["border_crossing"]
    if head in ARRIVING_FORCES or words & ARRIVING_FORCES:
        return tx.BY_NAME["military_movement"]
    if head in ARRIVING_OFFICIALS or words & ARRIVING_OFFICIALS or actor.ent_type_ == "PERSON":
        return tx.BY_NAME["diplomatic_meeting"]  # "Pompeo arrived in Seoul for talks": a visit
    return None


def _carries_aid(head: str, carried: set[str]) -> bool:
    """Aid, or a convoy, a truck or a plane that carries it ("trucks carrying humanitarian aid"),
    by the actor's lemma and the words of what it carries (`_carried`)."""
    return head in ARRIVING_AID or (head in AID_CARRIERS and bool(carried & ARRIVING_AID))


def _death_cause(verb: Token) -> tx.EventType | None:
    """"died in clashes" -> armed_clash; "died in a mortar attack", "died when gunmen opened
    fire" -> attack; "died in the floods" -> disaster; "died of cancer", "died in a car crash" -> no
    event; else casualties."""
    # the cause may be told once for deaths and injuries: "four died and 15 were hurt when ..."
    stack = [c for c in verb.children if (c.dep_ == "prep" and c.lower_ in CAUSE_PREPS) or c.dep_ in ("advcl", "agent")]
    stack += [g for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB" for g in c.children
              if (g.dep_ == "prep" and g.lower_ in CAUSE_PREPS) or g.dep_ in ("advcl", "agent")]
    seen = 0
    while stack and seen < 40:
        tok = stack.pop(0)
        seen += 1
        lem = lemma(tok)
        if lem in NONVIOLENT_CAUSES and tok.pos_ in ("NOUN", "PROPN"):
            return None
        etype = _NOUNS.get(lem) if tok.pos_ in ("NOUN", "PROPN") else _VERBS.get(lem) if tok.pos_ == "VERB" else None
        if lem in DISASTER_NOUNS and tok.pos_ in ("NOUN", "PROPN"):
            return tx.BY_NAME["disaster"]  # "died in the floods": no attack
        if etype is not None and etype.name in ("attack", "armed_clash"):
            if not any(lemma(c) in NONVIOLENT_CAUSES for c in tok.children if c.dep_ in ("compound", "amod")):
                return etype  # "a heart attack" is no attack
            return None
        if lem in WEAPON_NOUNS and tok.pos_ in ("NOUN", "PROPN"):
            return tx.BY_NAME["attack"]  # "died in a car bomb", "when a grenade went off"
        stack.extend(c for c in tok.children if c.dep_ not in ("relcl", "appos"))
    return tx.BY_NAME["casualties"]


class TriggerWords:
    """The words that report events: the taxonomy's, and those the events model learned from the
    training file's annotations (`Ranker.lexicon`, see event_model.learn_lexicon), typed by the
    vocabulary; the taxonomy's own type wins where both have a word."""

    def __init__(self, lexicon: dict | None = None):
        lexicon = lexicon or {}
        self.verbs = {**{w: tx.BY_NAME[e["type"]] for w, e in lexicon.get("verb", {}).items()}, **_VERBS}
        self.nouns = {**{w: tx.BY_NAME[e["type"]] for w, e in lexicon.get("noun", {}).items()}, **_NOUNS}


TAXONOMY_WORDS = TriggerWords()


def find_triggers(sent: Span, mention_at: dict[int, Mention], words: TriggerWords = TAXONOMY_WORDS) -> list[_Trigger]:
    """The event triggers of a sentence, in the order of the text: verbs, then event nouns that
    the sentence tells happened, then verbs of weapons that hit."""
    toks = list(sent)  # one Token object per word for the three passes
    lemmas = [verb_lemma(t, words.verbs) for t in toks]
    out = _verb_triggers(toks, lemmas, words)
    taken = {t.i for trig in out for t in trig.words}
    for tok, lem in zip(toks, (_noun_lemma(t, words.nouns) for t in toks)):
        if lem in words.nouns and tok.i not in taken and tok.i not in mention_at:
            trig = _noun_trigger(tok, words.nouns[lem], lem, mention_at, words, taken)
            if trig is not None:
                out.append(trig)
    out += _weapon_triggers(toks, lemmas, out, taken)
    # in the order of the text, so that of two triggers told of one event ("a cyclone killed 14"),
    # the first word, the one that names it, is the record a merge keeps
    # "a typhoon tore through X", "floods killed 12": the disaster names the event its verb
    # tells, so the verb is no trigger of its own (an attack's verb stays one: "an airstrike
    # killed 12" tells the killing, which the merge joins to the airstrike)
    told = {t.anchor.i for t in out if t.nominal and t.verb is not None and lemma(t.head) in DISASTER_NOUNS}
    out = [t for t in out if t.nominal or t.anchor.i not in told]
    return sorted(out, key=lambda t: t.words[0].i)


def _verb_triggers(toks: list[Token], lemmas: list[str], words: TriggerWords) -> list[_Trigger]:
    """Verbs of the vocabulary, their phrases ("opened fire") and the participles the tagger
    misread ("shot dead", "protesters marching"). Updates `lemmas` where a misread word's lemma
    is told anew."""
    out: list[_Trigger] = []
    for n, (tok, lem) in enumerate(zip(toks, lemmas)):
        if tok.pos_ != "VERB" and tok.lower_ in DEAD_PARTICIPLES and n + 1 < len(toks) and toks[n + 1].lower_ == "dead":
            lem = lemmas[n] = DEAD_PARTICIPLES[tok.lower_]
            if lem in words.verbs:
                out.append(_Trigger(tok, tok, words.verbs[lem], [tok, toks[n + 1]]))
            continue
        if tok.pos_ != "VERB" and (_progressive_misread(tok) or _noun_misread(tok)):
            lem = lemmas[n] = verb_lemma(tok, words.verbs, force=True)
            if lem in words.verbs:
                out.append(_Trigger(tok, tok, words.verbs[lem], [tok]))
            continue
        if tok.pos_ == "VERB" and (tok.dep_ not in ("amod", "compound") or _finite(tok)) and not _name_word(tok):
            trig = _phrase_trigger(tok)
            if trig is None and lem in words.verbs:
                etype = words.verbs[lem]
                # "four people died": the subject is who was killed
                trig = _Trigger(tok, tok, etype, [tok], patient_subject=etype.name == "casualties")
            if trig is None and lem in OCCUR and _pronoun_subject(tok):
                # "It happened near the border", "All occurred near Malawi": an event told before
                trig = _Trigger(tok, tok, tx.BY_NAME["attack"], [tok], vague=True)
            if trig is not None:
                out.append(trig)
    return out


def _noun_trigger(
    tok: Token, etype: tx.EventType, lem: str, mention_at: dict[int, Mention], words: TriggerWords, taken: set[int]
) -> _Trigger | None:
    """An event noun, when the sentence tells that its event happened: a light verb carries it,
    it occurs, it acts, or it is placed. `taken` are the words of verb triggers."""
    # "shelling damaged a hotel": the tagger may take the noun for an auxiliary of the verb
    # right after it, whose subject it is
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    misread_aux = tok.pos_ == "AUX" and tok.dep_ == "aux" and nxt is not None and tok.head.i == nxt.i
    # "launched an offensive": the tagger may take the noun for an adjective
    if tok.pos_ not in ("NOUN", "PROPN") and not _counter(tok) and tok.dep_ not in ("dobj", "nsubj", "nsubjpass") and not misread_aux:
        return None
    trig = _told_trigger(tok, etype, lem, mention_at, words, taken, nxt, misread_aux)
    if trig is not None and "-" in lem:  # show "shoot-out", not "out"
        trig.words = sorted({*trig.words, tok.doc[tok.i - 2], tok.doc[tok.i - 1]}, key=lambda t: t.i)
    return trig


def _told_trigger(
    tok: Token, etype: tx.EventType, lem: str, mention_at: dict[int, Mention], words: TriggerWords, taken: set[int],
    nxt: Token | None, misread_aux: bool,
) -> _Trigger | None:
    """The trigger of an event noun by what tells its event happened (see `_noun_trigger`)."""
    # "launched a series of raids", "a wave of protests swept the capital": the series
    # stands in the clause where the event noun would
    slot = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" and lemma(tok.head.head) in SERIES_NOUNS else tok
    head = slot.head
    if slot.dep_ in ("dobj", "nsubjpass") and _light(head) and head.pos_ in ("VERB", "AUX"):
        # "staged a protest", and in the passive "a rally was held", "raids were carried out"
        return _Trigger(tok, head, etype, sorted([head, tok], key=lambda t: t.i), nominal=True)
    if slot.dep_ in ("nsubj", "nsubjpass") and lemma(head) in OCCURRENCE_VERBS:
        return _Trigger(tok, head, etype, [tok], nominal=True)
    if slot.dep_ == "attr" and lemma(head) == "be" and any(c.dep_ == "expl" for c in head.children):
        # "there have been protests by residents of X": the existential says it happened
        return _Trigger(tok, head, etype, [tok], nominal=True)
    if slot.dep_ == "pobj" and head.lower_ == "in" and (partake := _partaking(head.head)):
        return _Trigger(tok, partake[0], etype, sorted({*partake, tok}, key=lambda t: t.i), nominal=True)
    if slot.dep_ == "nsubj" and etype.name in ("attack", "armed_clash", "protest") and head.pos_ == "VERB" and (
        verb_lemma(head, words.verbs) not in words.verbs
    ):
        # whatever an attack, a battle or a protest does, it happened: "Russian airstrikes have
        # forced seven hospitals to close", "a student march turned violent" (a verb that
        # reports an event itself tells this one)
        return _Trigger(tok, head, etype, [tok], nominal=True)
    if (done := next((c for c in slot.children if c.dep_ == "acl" and c.tag_ == "VBN" and _light(c)), None)) is not None:
        # "the airstrikes launched by Russian warplanes on Aleppo", "raids carried out by X"
        return _Trigger(tok, done, etype, sorted([tok, done], key=lambda t: t.i), nominal=True)
    if slot.dep_ == "ROOT" and (told := next((c for c in slot.children if c.dep_ == "acl" and (
        c.tag_ in ("VBD", "VBZ") or (c.tag_ == "VBN" and c.doc[c.i - 1].text == ",")
    )), None)) is not None:
        # "The march, which was led by ..., set off from X": the parser took the noun for the
        # sentence's root and its finite verb for a modifier of it
        return _Trigger(tok, told, etype, [tok], nominal=True)
    if slot.dep_ == "nsubjpass" and lemma(head) in CANCEL:
        return _Trigger(tok, None, etype, [tok], nominal=True)
    if slot.dep_ == "pobj" and head.lower_ == "under" and lemma(head.head) in ("come", "be") and head.head.pos_ in ("VERB", "AUX"):
        verb = head.head  # "the village came under attack", "the town is under siege"
        return _Trigger(tok, verb, etype, [verb, tok], nominal=True, patient_subject=True)
    if slot.dep_ == "pobj" and head.lower_ in EVENT_PREPS and head.head.pos_ in ("VERB", "AUX"):
        # "arrested 23 people in X after clashes", "died during a protest": the event the
        # clause's act followed or fell in, at the act's place
        return _Trigger(tok, None, etype, [tok], nominal=True)
    if slot.dep_ in ("nsubj", "nsubjpass") and lem in DISASTER_NOUNS and head.pos_ == "VERB":
        # a flood or an earthquake that does anything is one ("floods swept through X",
        # "an earthquake flattened homes in X")
        return _Trigger(tok, head, etype, [tok], nominal=True)
    if nxt is not None and nxt.pos_ == "VERB" and nxt.i not in taken and (lemma(nxt) in OCCURRENCE_VERBS or (
        misread_aux and etype.name in ("attack", "armed_clash") and verb_lemma(nxt, words.verbs) not in words.verbs
    )):
        # "in the evening clashes erupted", "shelling damaged a hotel": the parse missed that
        # the noun is the subject of the verb right after it
        return _Trigger(tok, nxt, etype, [tok], nominal=True)
    if (occurred := _relative_occurrence(slot)) is not None:
        # "riots that broke out in May in Laayoune", "the clashes which erupted near X": the
        # relative clause tells that the noun's event happened, and where
        return _Trigger(tok, occurred, etype, [tok], nominal=True)
    if _noun_is_placed(tok, etype, mention_at):
        return _Trigger(tok, None, etype, [tok], nominal=True)
    return None


def _weapon_triggers(toks: list[Token], lemmas: list[str], found: list[_Trigger], taken: set[int]) -> list[_Trigger]:
    """Verbs of hitting ("hit", "pounded") told of an attack by what hit: "a car bomb hit the
    market", "shells pounded Homs", "launched airstrikes on Aleppo, hitting targets at X". An
    event noun that already tells the attack ("airstrikes hit the town") keeps it."""
    out: list[_Trigger] = []
    for tok, lem in zip(toks, lemmas):
        if lem not in WEAPON_VERBS or tok.i in taken or tok.pos_ != "VERB" or _name_word(tok):
            continue
        if any(t.anchor.i == tok.i for t in found):
            continue
        if _weapon_subject(tok) or _attack_result(tok, found + out):  # "shells pounded Homs, hitting ..."
            out.append(_Trigger(tok, tok, tx.BY_NAME["attack"], [tok]))
    return out


# The type of a trigger word outside the vocabulary: the trainer still learns where its event
# happened (the gold marks the place of every annotated verb), but it is never extracted.
_OTHER = tx.EventType("other", "An event word outside the vocabulary (training only).", None, None)
# A trigger word whose arguments say it reports no event ("captured the title"), annotated all the
# same: the trainer learns where annotators place such words, which are never extracted.
NOT_AN_EVENT = tx.EventType("not_an_event", "A trigger word in a sense that reports no event (training only).", None, None)


# Adverbs of how badly someone was hurt, before a participle.
HARM_ADVERBS = frozenset("fatally mortally critically seriously severely badly gravely lightly slightly".split())


def _name_word(tok: Token) -> bool:
    """A capitalised word after a lower-case one is part of a name, whatever the tagger says ("the
    villages of Kafr Hamra and Tell Mira": no one was told anything); a headline's verbs follow
    capitalised words."""
    if tok.i == tok.sent.start or not tok.text[:1].isupper() or tok.text.isupper():
        return False
    before = tok.doc[tok.i - 1]
    return before.is_alpha and before.is_lower


def _progressive_misread(tok: Token) -> bool:
    """An -ing form after "be" that the tagger took for an adjective ("troops are patrolling
    streets", "a task force has been patrolling parts of the Gulf"): a verb all the same."""
    if tok.tag_ != "JJ" or not tok.lower_.endswith("ing") or tok.i + 1 >= len(tok.doc):
        return False
    # an object or a place follows a verb; "the contrast is striking", "devastating for the
    # town" are adjectives
    after = tok.doc[tok.i + 1]
    if after.pos_ not in ("DET", "NOUN", "PROPN", "NUM", "ADP") or after.lower_ in ("for", "to", "that", "as"):
        return False
    before = next((t for t in reversed(tok.doc[tok.sent.start: tok.i]) if t.pos_ != "ADV"), None)
    return before is not None and before.pos_ == "AUX" and lemma(before) == "be"


def _noun_misread(tok: Token) -> bool:
    """A present-tense verb the tagger took for a plural noun, which the parser still gave a
    subject ("Israel routinely shoots at ...")."""
    return tok.tag_ == "NNS" and tok.lower_.endswith("s") and any(c.dep_ == "nsubj" for c in tok.children)


def _finite(verb: Token) -> bool:
    """A verb the parser hung on a noun as its modifier that is still a clause's verb: a past
    tense ("forces on Friday captured Shali", where the parser found no verb for "forces"), or
    an -ing form after "be" ("troops are now patrolling farms"). A past participle stays a
    modifier ("toured captured bases"), unless the parser found no verb for the sentence and
    it follows the noun it would modify ("Ethiopian forces on Monday captured Shire")."""
    if verb.tag_ == "VBD":
        return True
    harm = next((c for c in verb.children if c.dep_ == "advmod" and c.lower_ in HARM_ADVERBS and c.i == verb.i - 1), None)
    if verb.tag_ == "VBN" and harm is not None and harm.i > 0 and verb.doc[harm.i - 1].pos_ in ("NOUN", "PROPN", "PRON"):
        # "an attacker on a motorcycle fatally shot a farmer": a subject, then how badly it hurt
        # someone (not "a critically wounded soldier", a participle before its noun)
        return True
    root = verb.sent.root
    if verb.tag_ == "VBN" and root.pos_ not in ("VERB", "AUX") and root.i < verb.i:
        before = verb.doc[verb.i - 1]
        if before.text == "," and not any(t.pos_ in ("VERB", "AUX") and t.i < verb.i for t in verb.sent):
            # "Fighter planes from Diyarbakir, ..., and helicopters from Semdinli, bombed caves":
            # the comma closes a long subject, and the sentence has no verb before this one
            return True
        return before.pos_ not in ("DET", "ADJ", "ADP", "CCONJ", "PUNCT") and before.dep_ != "amod"
    if verb.tag_ != "VBG":
        return False
    before = next((t for t in reversed(verb.doc[verb.sent.start: verb.i]) if t.pos_ != "ADV"), None)
    return before is not None and before.pos_ == "AUX" and lemma(before) == "be"


def generic_trigger(tok: Token) -> _Trigger:
    verb = tok.pos_ in ("VERB", "AUX")
    return _Trigger(tok, tok if verb else None, _OTHER, [tok], nominal=not verb)


def verb_lemma(tok: Token, verbs=_VERBS, force: bool = False) -> str:
    """The lemma, or the base form of a regular inflection the lemmatizer missed ("patrolling",
    "targetted") when that base is a trigger verb (irregular ones: `docs.lemma`); of a verb only,
    unless `force` (a word the tagger took for an adjective or a noun: `_progressive_misread`,
    `_noun_misread`)."""
    lem = lemma(tok)
    if lem in verbs or (tok.pos_ != "VERB" and not force):
        return lem
    w = tok.lower_
    for suffix in ("ing", "ed", "s"):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[: -len(suffix)]
            for base in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else None):
                if base and base in verbs:
                    return base
    return lem


def _noun_lemma(tok: Token, nouns=_NOUNS) -> str:
    """The lemma of a noun, or of the hyphenated noun it ends ("shoot-out", "sit-in")."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-":
        joined = f"{doc[tok.i - 2].lower_}-{tok.lower_}"
        if joined in nouns:
            return joined
    return lemma(tok)


def _inflections(verbs) -> set[str]:
    out = set()
    for v in verbs:
        stem = v[:-1] if v.endswith("e") else v
        out |= {v, v + "s", stem + "ed", stem + "ing", v + "d" if v.endswith("e") else v + "ed"}
    return out


# The lemmatizer sometimes misses a light verb ("staged" -> "stag"): its regular forms as written.
_LIGHT_FORMS = _inflections(LIGHT_VERBS)


def _light(verb: Token) -> bool:
    return lemma(verb) in LIGHT_VERBS or verb.lower_ in _LIGHT_FORMS


def _pronoun_subject(verb: Token) -> bool:
    return any(c.dep_ == "nsubj" and c.lower_ in BACK_REFERENCES and c.i < verb.i for c in verb.children)


def _counter(tok: Token) -> bool:
    """The "offensive" of "a counter-offensive", which the parser may take for an adjective."""
    doc = tok.doc
    return tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ == "counter"


def _attack_result(verb: Token, found: list[_Trigger]) -> bool:
    """"launched airstrikes on Aleppo, hitting targets at X": a participle of an attack's verb."""
    return verb.dep_ == "advcl" and verb.tag_ == "VBG" and any(
        t.anchor.i == verb.head.i and t.etype.name in ("attack", "armed_clash") for t in found
    )


def _weapon_subject(verb: Token) -> bool:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and (lemma(c) in WEAPON_NOUNS or lemma(c) in _NOUNS):
            return True
    return False


def _noun_is_placed(tok: Token, etype: tx.EventType, mention_at: dict[int, Mention]) -> bool:
    """A bare event noun is an event when it is put somewhere: "protests in Caracas", "the Rome talks"."""
    violent = etype.name in ("attack", "armed_clash")
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "at", "near", "outside"):
            if any(t.i in mention_at and mention_at[t.i].kind != "demonym" for t in c.subtree):
                return True
        if c.dep_ == "prep" and c.lower_ in ("on", "of") and violent:
            # "the shelling on the town of Hula", "the bombing of the embassy in Belgrade"; but
            # "the attack on Iraq" is a war
            if any(t.i in mention_at and _town_or_smaller(mention_at[t.i]) for t in c.subtree):
                return True
        if c.dep_ == "compound" and c.i in mention_at and mention_at[c.i].kind != "demonym":
            return True
    return False


def _partaking(verb: Token) -> list[Token]:
    """The words of taking part whose "in" phrase names an event, the verb first: "participated
    in", "engaged in", "took part in" (the phrase may hang on "part"); none for other words."""
    if verb.pos_ == "VERB" and lemma(verb) in PARTAKE_VERBS:
        return [verb]
    if lemma(verb) == "part" and verb.dep_ == "dobj" and lemma(verb.head) == "take":
        return [verb.head, verb]
    if lemma(verb) == "take":
        part = [c for c in verb.children if c.dep_ == "dobj" and lemma(c) == "part"]
        return [verb, *part] if part else []
    return []


def _town_or_smaller(m: Mention) -> bool:
    """A county, town or smaller by what the name is: one the gazetteer lacks counts as a small
    place wherever the resolver pinned it ("the towns of Aqrab and Khirbet Jamea" placed at the
    province the article names), unless its own words say province (`specificity`)."""
    return m.kind == "toponym" and specificity(m) >= 3  # a county (admin2) or finer


# ---------------------------------------------------------------------------------------------
# arguments


def _subject(verb: Token, depth: int = 0) -> Token | None:
    """Who did it: the verb's subject or agent, or, for a clause without a subject of its own,
    the subject of the verb it depends on, passive or not ("people were arrested after entering
    the United States": the people entered)."""
    if depth > 4:
        return None
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj") or (depth and c.dep_ == "nsubjpass"):
            if c.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                return verb.head
            return c
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head.head, depth + 1)  # "were arrested after entering the country"
    if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        if verb.dep_ == "advcl" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            if verb.tag_ != "VBG":
                return None
        return _subject(verb.head, depth + 1)
    if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
        if verb.tag_ == "VBN":  # "trucks stopped at the border": the head is the patient
            return None
        if lemma(verb.head) in EFFORT_NOUNS:  # "an attempt by Guaido to deliver aid"
            return _noun_actor(verb.head)
        return verb.head
    return None


def _target(trig: _Trigger) -> Token | None:
    t = _target_token(trig)
    if t is not None and t.ent_type_ in ("DATE", "TIME"):
        return None  # "crossed the border on Tuesday": a date, not a party
    return t


def _target_token(trig: _Trigger) -> Token | None:
    verb = trig.verb
    skip = {t.i for t in trig.words}
    if trig.phrasal or trig.nominal:
        # "cut ties with X", "imposed sanctions on X", "talks with X": the preposition of the
        # phrase's object names the other party.
        obj = next((t for t in trig.words if verb is None or t.i != verb.i), None)
        for holder in (obj, verb):
            if holder is None:
                continue
            for c in holder.children:
                if c.dep_ == "prep" and c.lower_ in ("with", "on", "against", "to", "of"):
                    for p in c.children:
                        if p.dep_ == "pobj" and p.ent_type_ not in ("DATE", "TIME", "EVENT"):
                            return p
        if obj is not None and lemma(obj) in PERSON_OBJECTS:
            return obj  # "expelled the ambassador": the object is the party acted on
    if verb is None:
        return None
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubjpass") and c.i not in skip:
            return c
    if verb.dep_ in ("acl",) and verb.tag_ == "VBN":
        return verb.head
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("on", "against", "with"):
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def dateline_span(doc: Doc, datelines: list[Mention]) -> tuple[int, int] | None:
    """Characters of the article's wire dateline ("TORKHAM, Afghanistan --"), dash included:
    the dateline mention's, or, when the gazetteer does not know the town, a capitalised first
    word followed by a dash within the first few tokens."""
    head = doc[:14]
    # a spaced hyphen is a dash too ("KABUL, March 3 (NewsWire) - ..."), a hyphen inside a word is not
    dash = next((t for t in head if t.text in DASHES or (t.text == "-" and t.i > 0 and doc[t.i - 1].whitespace_)), None)
    for m in datelines:
        end = dash.idx + len(dash.text) if dash is not None and dash.idx >= m.end else m.end
        return m.start, end
    if dash is not None and len(head) and head[0].text.isupper() and head[0].is_alpha and len(head[0].text) > 2:
        return 0, dash.idx + len(dash.text)
    return None


def _in(tok: Token, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= tok.idx < span[1]


def _dateline_subject(tok: Token, dateline: tuple[int, int] | None) -> Token:
    """A wire dateline parsed as the subject ("CARACAS, Venezuela -- About 1,000 members ...
    have fled"): the real subject is the noun phrase after the dash."""
    if not _in(tok, dateline):
        return tok
    end = dateline[1]
    after = [
        t
        for t in tok.subtree
        if t.idx >= end and t.dep_ in ("appos", "conj") and t.pos_ in ("NOUN", "PROPN") and not t.ent_type_ == "GPE"
    ]
    if after:
        return after[0]
    # "CUCUTA, Colombia -- Venezuelan soldiers blocked ...": the verb got two subjects.
    second = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.idx >= end]
    return second[0] if second else tok


# Modifiers that belong to an actor's name; "of" keeps "members of the security forces" whole.
_ACTOR_KEEP = {"det", "amod", "compound", "nmod", "nummod", "poss", "quantmod", "case"}
_ACTOR_DROP = {"relcl", "acl", "appos", "punct", "advcl", "ccomp", "npadvmod"}


def _phrase_tokens(head: Token, sent: Span | None = None) -> list[Token]:
    """The noun phrase of `head` without its clauses, appositions, dates and coordinated heads."""
    lo, hi = (sent.start, sent.end) if sent is not None else (0, len(head.doc))
    keep = [head]
    stack = [
        c
        for c in head.children
        if c.dep_ in _ACTOR_KEEP or (c.dep_ == "prep" and c.lower_ == "of") or (c.dep_ == "amod" and c.i > head.i)
    ]
    while stack:
        c = stack.pop()
        if c.dep_ in _ACTOR_DROP or not lo <= c.i < hi or c.ent_type_ in ("DATE", "TIME"):
            continue
        keep.append(c)
        stack.extend(c.children)
    return sorted(keep, key=lambda t: t.i)


def _phrase_text(head: Token, sent: Span | None = None) -> str:
    toks = _phrase_tokens(head, sent)
    while toks and toks[0].dep_ in ("det", "cc", "case") and toks[0].i != head.i:
        toks = toks[1:]
    if not toks:
        return head.text
    return head.doc[toks[0].i : toks[-1].i + 1].text.strip(" ,")


def _coordinated(head: Token) -> list[Token]:
    """`head` and the heads coordinated with it ("Colombia, the United States and 50 countries")."""
    out = [head]
    for c in head.children:
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON"):
            out.extend(_coordinated(c))
    return out


def _actors(subj: Token | None, sent: Span, dateline: tuple[int, int] | None = None) -> list[str]:
    if subj is None:
        return []
    out = []
    for h in _coordinated(subj):
        if h.lower_ in PRONOUNS or h.tag_ in ("PRP", "PRP$", "WP", "WP$") or not sent.start <= h.i < sent.end:
            continue
        # A wire dateline the parser attached to the verb ("TORKHAM, Afghanistan -- Thousands
        # crossed"): where the story was filed, not who acted.
        if _in(h, dateline):
            continue
        text = _phrase_text(h, sent)
        if text and text not in out:
            out.append(text)
    return out


def _parse_number(tokens: list[Token]) -> int | None:
    value: float | None = None
    for tok in tokens:
        s = tok.lower_.replace(",", "")
        if s in SCALES:
            value = (value or 1) * SCALES[s]
        elif re.fullmatch(r"\d+(\.\d+)?", s):
            value = float(s) if value is None else value + float(s)
        elif s in NUM_WORDS:
            value = NUM_WORDS[s] if value is None else value + NUM_WORDS[s]
        elif "-" in s and all(p in NUM_WORDS for p in s.split("-")):
            value = sum(NUM_WORDS[p] for p in s.split("-"))
    if value is None or value <= 0:
        return None
    return int(value)


def _count(noun: Token | None) -> int | None:
    """The cardinal that counts `noun`: "About 1,000 members", "3 million Venezuelans", "killed 14"."""
    if noun is None:
        return None
    if noun.like_num and noun.pos_ == "NUM":
        return _parse_number([t for t in noun.subtree if t.like_num or t.lower_ in SCALES])
    for c in noun.children:
        if c.dep_ == "nummod" and (c.like_num or c.lower_ in SCALES):
            toks = [t for t in c.subtree if t.like_num or t.lower_ in SCALES]
            return _parse_number(toks)
    # "members of the security forces", "dozens of people": the count sits on the first noun.
    if noun.lower_ in ("dozens", "hundreds", "thousands", "millions"):
        return None
    return None


# ---------------------------------------------------------------------------------------------
# modality


def _modality(trig: _Trigger) -> tuple[float, list[str]]:
    """A factor <= 1 for how far the text commits to the event having happened, and why."""
    factor, why = 1.0, []
    node = trig.anchor
    chain = [node]
    cur = node
    # The governing verbs up to the clause that is reported or planned: "was to hold", "failed to".
    for _ in range(3):
        if cur.dep_ in ("xcomp", "ccomp", "advcl", "acl", "relcl", "conj", "pcomp", "nsubjpass", "nsubj", "dobj", "pobj"):
            cur = cur.head
            chain.append(cur)
        else:
            break
    # "did not attack" (the parser hangs "not" on the verb), and of an event noun "there were no protests"
    if any(c.dep_ == "neg" for c in node.children) or (
        trig.nominal and any(c.dep_ == "det" and c.lower_ == "no" for c in trig.head.children)
    ):
        factor *= 0.35
        why.append("negated")
    if any(c.dep_ == "aux" and c.lower_ in MODALS for c in node.children):
        factor *= 0.6
        why.append("modal")
    if node.dep_ == "xcomp" and lemma(node.head) == "be":
        factor *= 0.6  # "was to hold talks"
        why.append("planned")
    for below, gov in zip(chain, chain[1:]):
        lem = lemma(gov)
        if below.dep_ == "advcl" and below.i > gov.i:
            continue  # "blocked the road to protest", "a strike called to commemorate": its purpose
        if lem == "call" and not any(c.dep_ == "prt" and c.lower_ == "off" for c in gov.children):
            continue  # "called off" cancels, "called for" and "called to" do not
        if lem in CANCEL:
            factor *= 0.4
            why.append("cancelled")
            break
        if lem in FAIL:
            factor *= 0.5
            why.append("failed")
            break
        if lem in PLAN and gov.pos_ in ("VERB", "NOUN", "ADJ"):
            factor *= 0.6
            why.append("planned")
            break
        if lem == "attempt" and gov.pos_ == "NOUN":
            # "an attempt to deliver aid": failed if the attempt is the subject of "failed".
            if any(lemma(a) in FAIL for a in gov.ancestors) or (gov.dep_ == "nsubj" and lemma(gov.head) in FAIL):
                factor *= 0.5
                why.append("failed")
            else:
                factor *= 0.7
                why.append("attempted")
            break
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in node.children):
        factor *= 0.6
        why.append("conditional")
    return factor, why


# ---------------------------------------------------------------------------------------------
# dates


class _Dates:
    """Date expressions of the article, found once and looked up per sentence."""

    def __init__(self, doc: Doc, published: dt.date | None):
        self.doc = doc
        self.published = published
        self._by_sent: dict[int, list] = {}
        try:
            from . import dates as _dates_mod
        except ImportError:  # geo.dates lands separately; until then events take the publication date
            _dates_mod = None
        self.mod = _dates_mod

    def in_sentence(self, sent: Span) -> list:
        if sent.start in self._by_sent:
            return self._by_sent[sent.start]
        refs = []
        if self.mod is not None and _has_date_word(sent):
            try:
                refs = self.mod.find_dates(span_text(sent), self.published, offset=sent.start_char)
            except Exception:  # a date library failure must not lose the events
                refs = []
        refs = [r for r in refs if getattr(r, "date", None) is not None]
        self._by_sent[sent.start] = refs
        return refs


_DATE_WORD = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b"
    r"|\b(?:today|yesterday|tonight|tomorrow|week|month|year|years|decade|weekend|morning|evening|night|ago|earlier|recent)\b"
    r"|\b(?:1[89]|20)\d\d\b|\d{1,2}/\d{1,2}",
    re.I,
)


def _has_date_word(sent: Span) -> bool:
    if _DATE_WORD.search(span_text(sent)):
        return True
    starts = date_entity_tokens(sent.doc)
    k = bisect.bisect_left(starts, sent.start)
    return k < len(starts) and starts[k] < sent.end


def _in_side_clause(tok: Token, trig: _Trigger) -> bool:
    """A date in a clause that tells of another time than the event's: a relative clause or a
    participle on some other noun ("an agreement signed in 2001"), or a `since` clause ("the
    largest protests since Britain handed the territory back in 1997"). A clause on the event's
    own noun ("talks held on Monday") or one the event is told in is the event's."""
    spine = {trig.head.i, trig.anchor.i} | {t.i for t in trig.anchor.ancestors}
    for t in [tok] + list(tok.ancestors):
        if t.i in spine:
            return False
        if _side_clause(t) and (t.dep_ == "advcl" or t.head.i not in (trig.head.i, trig.anchor.i)):
            return True
    return False


def _side_clause(t: Token) -> bool:
    return (
        t.dep_ == "relcl"
        or (t.dep_ == "acl" and t.tag_ == "VBN")
        or (t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "since" for c in t.children))
    )


def _tree_distance(a: Token, b: Token) -> int:
    pa = [a] + list(a.ancestors)
    idx = {t.i: n for n, t in enumerate(pa)}
    for n, t in enumerate([b] + list(b.ancestors)):
        if t.i in idx:
            return idx[t.i] + n
    return 99


def _clause_verb(tok: Token) -> Token:
    """The nearest verb above a date expression: the event it is attached to."""
    for t in [tok] + list(tok.ancestors):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound"):
            return t
    return tok.sent.root


def _pick_date(trig: _Trigger, refs: list, doc: Doc, triggers: list[_Trigger]):
    """The date expression of the trigger's event: one in its own clause (or in the clause of a
    verb it is coordinated with: "On Saturday, gunmen killed five and wounded ten"), else the
    nearest in the tree that no other event's clause claims, else the date of an event told
    together with it ("attacked a checkpoint on Monday, killing three") or of the reporting
    that tells it ("officials said Wednesday that rebels shelled Homs")."""
    best, best_key = None, None
    node = trig.anchor
    mine = {node.i, trig.head.i} | {v.i for v in verb_chain(node)}
    claimed = {t.anchor.i: t for t in triggers if t.anchor.i not in mine}
    for r in refs:
        span = doc.char_span(r.start, r.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        root = span.root
        if _in_side_clause(root, trig):
            continue
        verb = _clause_verb(root)
        own = verb.i in mine or root.head.i == trig.head.i
        rank = 0 if own else 1
        if not own and verb.i in claimed:
            # "fled ..., officials said Monday": Monday dates the saying; the event takes it only
            # when nothing in the sentence dates it better
            other = claimed[verb.i]
            if not (other.etype.name == "statement" or _told_together(node, other.anchor)):
                continue
            rank = 2
        key = (rank, _tree_distance(node, root), abs(root.i - node.i))
        if best_key is None or key < best_key:
            best, best_key = r, key
    return best


def _told_together(a: Token, b: Token) -> bool:
    """One event's clause is a participle, coordinate or complement of the other's."""
    return (a.head.i == b.i and a.dep_ in ("advcl", "conj", "xcomp")) or (b.head.i == a.i and b.dep_ in ("advcl", "conj", "xcomp"))


def _passive(verb: Token | None) -> bool:
    """A passive verb, or one that shares the passive auxiliary of the verb it is coordinated with
    ("were killed and 30 wounded"), whose subject is what was done to."""
    if verb is None or verb.tag_ != "VBN":
        return False
    deps = {c.dep_ for c in verb.children}
    if "auxpass" in deps:
        return True
    if "aux" in deps:
        return False  # "have killed": active
    return verb.dep_ == "conj" and any(c.dep_ == "auxpass" for c in verb.head.children)


def _ongoing(verb: Token | None) -> bool:
    """Present progressive/perfect or plain present: the event spans the days around publication."""
    if verb is None:
        return False
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if verb.tag_ == "VBG" and auxes & {"is", "are", "'s", "'re", "am"}:
        return True
    if verb.tag_ == "VBN" and auxes & {"has", "have", "'s", "'ve"}:
        return True
    return verb.tag_ in ("VBZ", "VBP")


# ---------------------------------------------------------------------------------------------
# the extractor


def _event_id(sent: Span, etype: str, trig_tok: Token, place: Mention | None) -> str:
    key = f"{sent.start_char}:{sent.end_char}:{etype}:{trig_tok.idx}:{place.start if place else -1}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def _trigger_text(trig: _Trigger) -> str:
    words = trig.words
    doc = trig.head.doc
    if len(words) == 1:
        return words[0].text
    lo, hi = words[0].i, words[-1].i
    if hi - lo <= 3:
        return doc[lo : hi + 1].text
    return " ".join(w.text for w in words)


def _sentences(doc: Doc) -> list[Span]:
    # A title line or caption glued to the next paragraph is split at blank lines so each
    # sentence's offsets and paragraph are its own.
    out = []
    text = doc_text(doc)
    for sent in doc_sents(doc):
        chunk = text[sent.start_char : sent.end_char]
        if not chunk.strip():
            continue
        if "\n" not in chunk:  # most sentences: no line break inside, nothing to split
            out.append(sent)
            continue
        start = sent.start
        for tok in sent:
            if tok.is_space and "\n" in tok.text and tok.i > start:
                if span_text(doc[start : tok.i]).strip():
                    out.append(doc[start : tok.i])
                start = tok.i + 1
        if start < sent.end and span_text(doc[start : sent.end]).strip():
            out.append(doc[start : sent.end])
    return out


def _paragraph_breaks(doc: Doc, sents: list[Span]) -> list[int]:
    """Paragraph number of each sentence (blank-line separated)."""
    text = doc_text(doc)
    out, para, prev_end = [], 0, 0
    for s in sents:
        if "\n" in text[prev_end : s.start_char]:
            para += 1
        out.append(para)
        prev_end = s.end_char
    return out


def arguments(trig: _Trigger, sent: Span, dateline: tuple[int, int] | None) -> tuple[Token | None, Token | None]:
    """The actor (subject) and target (object) tokens of a trigger, inside its sentence."""
    subj_tok = _subject(trig.verb) if trig.verb is not None else _noun_actor(trig.head)
    if subj_tok is not None and subj_tok.i == trig.head.i:
        subj_tok = _noun_actor(trig.head)  # "clashes between X and Y erupted": X and Y
    if subj_tok is not None:
        subj_tok = _dateline_subject(subj_tok, dateline)
    target_tok = _target(trig)
    if trig.patient_subject:
        subj_tok, target_tok = None, subj_tok
    elif subj_tok is not None and _passive(trig.verb) and subj_tok.head.i == trig.verb.i:
        # "were killed and 30 wounded": the parser makes the wounded the subject
        subj_tok, target_tok = None, subj_tok
    # A title or caption glued to the next line can be parsed as one sentence with it.
    if subj_tok is not None and not sent.start <= subj_tok.i < sent.end:
        subj_tok = None
    if target_tok is not None and not sent.start <= target_tok.i < sent.end:
        target_tok = None
    return subj_tok, target_tok


class ArticleContext:
    """What the triggers of one article share: its locator and dateline, the trigger words, and
    each sentence's triggers and place candidates, found once."""

    def __init__(self, doc: Doc, mentions: list[Mention], resolver=None, words: TriggerWords = TAXONOMY_WORDS):
        self.doc = doc
        self.locator = locator = Locator(doc, mentions, resolver)
        self.dateline = dateline_span(doc, locator.datelines)
        if not locator.datelines and self.dateline is not None:
            # "KABUL, March 3 (NewsWire) - ...": a wire dateline the geoparser read as a plain place
            locator.datelines = [m for m in mentions if self.dateline[0] <= m.start < self.dateline[1] and m.text.isupper()]
        self.words = words
        self.sentences = _sentences(doc)
        self._triggers: dict[int, list[_Trigger]] = {}
        self._shared: dict[int, SentenceCandidates] = {}

    def triggers(self, sent: Span) -> list[_Trigger]:
        if sent.start not in self._triggers:
            self._triggers[sent.start] = find_triggers(sent, self.locator.mention_at, self.words)
        return self._triggers[sent.start]

    def candidates(self, trig: _Trigger, etype: tx.EventType, subj: Token | None, target: Token | None, sent: Span):
        """The place candidates of one trigger, "no place" last (geo/text/event_features.py)."""
        if sent.start not in self._shared:
            self._shared[sent.start] = SentenceCandidates(self.locator, sent, self.dateline)
        triggers = self.triggers(sent) or [trig]
        proposals = self.locator.proposals(trig, etype, subj, target, triggers, sent)
        return candidates(self.locator, trig, etype, subj, sent, proposals, triggers, shared=self._shared[sent.start],
                          target=target, modality=_modality(trig)[1])

    def resolve(self, c) -> Mention:
        """A bare name the ranker chose, as a place mention (see `Locator.name_place`)."""
        return self.locator.qualify(self.locator.name_place(c.name, "a name the ranker chose"))


def sentence_context(doc: Doc, mentions: list[Mention], resolver=None, lexicon: dict | None = None) -> ArticleContext:
    return ArticleContext(doc, mentions, resolver, TriggerWords(lexicon))


def candidate_set(ctx: ArticleContext, tok: Token):
    """The place candidates of the event an annotator marked at `tok`, as the ranker would see
    them had the detector found it (its type unknown when it did not): to train the ranker on
    every annotated event, whatever the detector finds."""
    sent = next((s for s in ctx.sentences if s.start <= tok.i < s.end), tok.sent)
    found = ctx.triggers(sent)
    trig = next((t for t in found if tok in t.words or t.head.i == tok.i or t.anchor.i == tok.i), None) or generic_trigger(tok)
    subj, target = arguments(trig, sent, ctx.dateline)
    # a word in its other sense ("captured the title") is no event: its own type says so
    etype = retype(trig, subj, target) or (NOT_AN_EVENT if trig.etype is not _OTHER else _OTHER)
    return ctx.candidates(trig, etype, subj, target, sent)


def extract_events(
    doc: Doc, mentions: list[Mention], published: dt.date | None, resolver=None, ranker: Ranker | None = None
) -> list[Event]:
    """Events of one article. `mentions` are the resolved place mentions (char offsets into
    doc.text); `resolver` (the Pipeline's) resolves place names only an event's slot reveals,
    and without one events use the given mentions only; `ranker` chooses each event's place
    among its candidates (the shipped model when None) and brings the trigger words it learned."""
    ranker = ranker or Ranker.default()
    ctx = ArticleContext(doc, mentions, resolver, _trigger_words(ranker))
    locator, dateline = ctx.locator, ctx.dateline
    dates = _Dates(doc, published)
    sents = ctx.sentences
    paras = _paragraph_breaks(doc, sents)
    drafts: list[_Draft] = []
    last_dated: dict[int, tuple] = {}  # paragraph -> (date, precision, text) of its last dated event
    prev_para_sent: dict[int, int] = {}

    for sno, sent in enumerate(sents):
        triggers = ctx.triggers(sent)
        if not triggers:
            continue
        refs = None
        for trig in triggers:
            subj_tok, target_tok = arguments(trig, sent, dateline)
            if etype_skip(trig):
                continue
            etype = retype(trig, subj_tok, target_tok)
            if etype is None:
                continue
            vague = trig.vague or lemma(trig.head) in VAGUE_NOUNS
            if vague:
                # "The incident happened near X": the event the article already told of
                earlier = [d.event.type for d in drafts if d.event.type != "statement"]
                etype = tx.BY_NAME[earlier[-1]] if earlier else etype
            trig.etype = etype
            actors = _actors(subj_tok, sent, dateline)
            # Whose number is the count: the movers/protesters, or the victims/arrested; then the
            # phrase's own object ("deployed 3,000 troops").
            counted = (target_tok, subj_tok) if etype.count_from == "target" else (subj_tok, target_tok)
            counted += tuple(w for w in trig.words if trig.verb is None or w.i != trig.verb.i)
            counts = [_count(t) if t is not None else None for t in counted]
            count = next((c for c in counts if c), None)
            factor, why = _modality(trig)
            base = etype.confidence + (0.1 if trig.phrasal else 0.0) - (0.1 if trig.nominal and trig.verb is None else 0.0)
            if vague:
                base *= 0.6
            placements = ranker.place(ctx.candidates(trig, etype, subj_tok, target_tok, sent), etype, ctx.resolve)
            if refs is None:
                refs = dates.in_sentence(sent)
            ref = _pick_date(trig, refs, doc, triggers) if refs else None
            for placement in placements:
                etype_final = locator.movement_type(etype, trig, placement)
                ev = Event(
                    type=etype_final.name,
                    trigger=_trigger_text(trig),
                    sentence=span_text(sent).strip(),
                    start=sent.start_char,
                    end=sent.end_char,
                    actors=actors,
                    target=_phrase_text(target_tok, sent) if target_tok is not None and target_tok.lower_ not in PRONOUNS else None,
                    count=count,
                    location=placement.location,
                    origin=placement.origin,
                    destination=placement.destination,
                    location_reason=placement.reason,
                    place_score=placement.score if not placement.empty() else None,
                    trigger_start=trig.words[0].idx,
                    trigger_end=trig.words[-1].idx + len(trig.words[-1].text),
                    confidence=max(0.05, min(1.0, base * factor * placement.weight)),
                )
                if why:
                    ev.location_reason = (ev.location_reason + "; " if ev.location_reason else "") + "modality: " + ",".join(why)
                draft = _Draft(trig, sent, ev, placement, sent_no=sno, subj=subj_tok, own_count=bool(counts[0]))
                _date_event(draft, ref, published, last_dated.get(paras[sno]), prev_para_sent.get(paras[sno]), sno)
                # An event told in a side clause ("Lopez, who had been under house arrest since
                # 2017, ...") is background: its date is no time the story goes on from.
                if draft.date_from_text and etype_final.name != "statement" and not any(
                    _side_clause(t) for t in [trig.anchor, *trig.anchor.ancestors]
                ):
                    last_dated[paras[sno]] = (ev.date, ev.date_precision, ev.date_text, sno)
                ev.id = _event_id(sent, ev.type, trig.head, ev.primary())
                drafts.append(draft)
        prev_para_sent[paras[sno]] = sno
    events = []
    for d in _merge(drafts, locator.qualified_pairs()):
        locator.fallback(d.event, d.subj, tx.BY_NAME[d.event.type], d.sent)
        _complete_flow(d.event, mentions)
        events.append(d.event)
    return events


def _trigger_words(ranker: Ranker) -> TriggerWords:
    """A ranker's trigger words, built once per ranker."""
    words = ranker.cache.get("trigger_words")
    if words is None:
        words = ranker.cache["trigger_words"] = TriggerWords(ranker.lexicon)
    return words


def candidate_sets(doc: Doc, mentions: list[Mention], resolver=None, ranker: Ranker | None = None):
    """Each trigger of the article as (trigger text, type, place candidates), the candidates as
    the ranker sees them: to inspect why an event was placed where it was, and to test features."""
    ctx = ArticleContext(doc, mentions, resolver, _trigger_words(ranker or Ranker.default()))
    for sent in ctx.sentences:
        for trig in ctx.triggers(sent):
            subj, target = arguments(trig, sent, ctx.dateline)
            etype = retype(trig, subj, target)
            if etype is not None:
                yield _trigger_text(trig), etype, ctx.candidates(trig, etype, subj, target, sent)


MOVEMENT_TYPES = ("border_crossing", "displacement")


def _complete_flow(ev: Event, mentions: list[Mention]) -> None:
    """Give a crossing its origin when the sentence names only the movers' nationality, so it can
    be drawn as a flow: "Thousands of Ethiopians crossed into Sudan" came from Ethiopia. (A
    dateline is no destination: a story filed in Brussels about crossings from Turkey is not
    about arrivals in Brussels.)"""
    if ev.type not in MOVEMENT_TYPES or ev.origin is not None or ev.destination is None or ev.destination.place is None:
        return
    dest_cc = ev.destination.place.country_code
    movers = [
        m for m in mentions
        if m.kind == "demonym" and ev.start <= m.start < ev.end and m.place is not None
        and m.place.country_code != dest_cc
    ]  # fmt: skip
    if len(movers) == 1:
        ev.origin = movers[0]
        ev.location_reason += f"; origin from the movers' nationality '{movers[0].text}'"


def etype_skip(trig: _Trigger) -> bool:
    """Triggers that report no event of their own: hearsay ("was said to be planning")."""
    if trig.etype.name == "statement" and trig.verb is not None:
        return any(c.dep_ == "auxpass" for c in trig.verb.children)
    return False


def _noun_actor(noun: Token) -> Token | None:
    """Who holds a bare event noun: "Guaido's attempt", "talks by X", "Venezuelan protests"."""
    for c in noun.children:
        if c.dep_ == "poss":
            return c
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "between"):
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _date_event(draft: _Draft, ref, published, carried, prev_sno, sno) -> None:
    ev = draft.event
    if ref is not None:
        ev.date, ev.date_precision, ev.date_text = ref.date, ref.precision, ref.text
        draft.date_from_text = True
        return
    verb = draft.trig.anchor
    past = verb.tag_ in ("VBD", "VBN") and not _ongoing(verb)
    if carried is not None and past and prev_sno is not None and carried[3] == prev_sno:
        # Narrative time: a past-tense sentence with no date of its own continues the one before
        # it in the paragraph ("... a Feb. 23 attempt ... The attempt failed because ...").
        ev.date, ev.date_precision, ev.date_text = carried[0], carried[1], carried[2]
        draft.date_from_text = True
        return
    if published is None:
        return
    ev.date, ev.date_text = published, None
    ev.date_precision = "week" if _ongoing(draft.trig.verb) else "day"


def _mention_key(m: Mention | None):
    if m is None:
        return None
    if not placed_by_name(m):
        # a name the gazetteer lacks is its own place, wherever its fallback point is
        return ("name", m.text.casefold())
    p = m.place
    return p.geonameid if p.geonameid is not None else (round(p.lat, 3), round(p.lon, 3))


def _place_key(ev: Event):
    if ev.location is None and (ev.origin is not None or ev.destination is not None):
        key = (_mention_key(ev.origin), _mention_key(ev.destination))
        return None if key == (None, None) else key
    return _mention_key(ev.place_mention())


_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "none": 4}


def _absorb(base: _Draft, other: _Draft) -> None:
    a, b = base.event, other.event
    for actor in b.actors:
        if actor not in a.actors:
            a.actors.append(actor)
    if a.target is None:
        a.target = b.target
    if b.count and (
        a.count is None
        or (other.own_count and not base.own_count)
        or (other.own_count == base.own_count and b.count > a.count)
    ):
        a.count = b.count
        base.own_count = other.own_count
    if other.date_from_text and (
        not base.date_from_text or _PRECISION_RANK[b.date_precision] < _PRECISION_RANK[a.date_precision]
    ):
        a.date, a.date_precision, a.date_text = b.date, b.date_precision, b.date_text
        base.date_from_text = True
    for slot in ("origin", "destination"):
        if getattr(a, slot) is None and getattr(b, slot) is not None:
            setattr(a, slot, getattr(b, slot))
    a.confidence = min(1.0, max(a.confidence, b.confidence) + 0.05)


def _dates_agree(a: _Draft, b: _Draft) -> bool:
    ea, eb = a.event, b.event
    if ea.date is None or eb.date is None:
        return True
    if not (a.date_from_text and b.date_from_text) and abs(a.sent_no - b.sent_no) <= 2:
        return True  # an undated retelling next to a dated one
    if ea.date == eb.date:
        return True
    # A week or month expression contains a day inside it ("this week" and "on Monday").
    coarse = ea if _PRECISION_RANK[ea.date_precision] > _PRECISION_RANK[eb.date_precision] else eb
    fine = eb if coarse is ea else ea
    span = {"week": 7, "month": 31, "year": 366}.get(coarse.date_precision, 0)
    return 0 <= (fine.date - coarse.date).days < span or abs((fine.date - coarse.date).days) < span // 2


def _merge(drafts: list[_Draft], inside: set = frozenset()) -> list[_Draft]:
    """One event reported several times becomes one: same type, same place and compatible date,
    or an unplaced mention of the same type within two sentences of a placed one."""
    kept: list[_Draft] = []
    for d in drafts:
        ev = d.event
        key = _place_key(ev)
        target, retold = None, False
        for k in kept:
            ke = k.event
            if ke.type != ev.type or not _dates_agree(k, d):
                continue
            if k.sent_no == d.sent_no and _before_or_after(k) != _before_or_after(d):
                continue  # "Ten days after the subway attack, an official was shot": two attacks
            if k.sent_no == d.sent_no and _same_happening(k, d, inside):
                target, retold = k, True
                break
            if k.sent_no == d.sent_no and _two_parties(k, d):
                continue  # "arsonists set fire to trucks, and gunmen fired on a police unit" in one town
            if not _counts_agree(ke, ev):
                continue
            kkey = _place_key(ke)
            if key is not None and key == kkey and (ev.type != "statement" or k.event.sentence == d.event.sentence):
                target = k
                break
            if ev.type in ("statement",):
                continue
            near = abs(k.sent_no - d.sent_no) <= 2
            if near and (key is None) != (kkey is None) and not _movement_conflict(ke, ev):
                target = k
                break
            if k.sent_no == d.sent_no and k.trig.anchor.i == d.trig.anchor.i and key == kkey:
                target = k
                break
        if target is None:
            kept.append(d)
            continue
        # the telling whose actor is the other's event noun ("a typhoon tore through X,
        # killing 12": the typhoon did the killing) is the noun's event, told again
        names_it = d.subj is not None and d.subj.i == target.trig.head.i
        if not names_it and ((_place_key(target.event) is None and key is not None) or (retold and _richness(d) > _richness(target))):
            # keep the placed telling (or the one that names who acted) as the record, with the
            # other's details folded in
            _absorb(d, target)
            if retold and target.trig.anchor.i < d.trig.anchor.i:
                # one happening told twice in a sentence ("banged pots in the square to protest"):
                # the record's words are the first telling's, its place the other's
                a, b = d.event, target.event
                a.trigger, a.trigger_start, a.trigger_end = b.trigger, b.trigger_start, b.trigger_end
            kept[kept.index(target)] = d
        else:
            _absorb(target, d)
    return kept


def _before_or_after(d: _Draft) -> bool:
    """An event noun the sentence dates its other events by ("ten days after the subway attack",
    "since the bombing"): an event of another time than theirs."""
    tok = d.trig.anchor
    return d.trig.nominal and tok.dep_ == "pobj" and tok.head.lower_ in TIME_PREPS


def _same_happening(a: _Draft, b: _Draft, inside: set = frozenset()) -> bool:
    """Two triggers of one sentence that tell one event: a verb and its participle ("struck
    crowds, killing 13"), coordinated speech verbs ("spoke with Lavrov and warned"), a verb and
    an event noun. Places listed for one verb ("shelled Homs and Hama") stay apart, and so do
    two tallies ("killed five and wounded ten") and two parties ("X said ..., and Y said ...")."""
    ea, eb = a.event, b.event
    if a.own_count and b.own_count:
        return False
    slots = ("location", "origin", "destination")
    if _place_key(ea) is not None and _place_key(eb) is not None:
        # both placed: the very same places, or a country or province and a town inside it
        # ("killed in Yemen when a bomber blew himself up in Rada"); one unplaced: it did not say
        # where, not elsewhere
        if any(_mention_key(getattr(ea, s)) != _mention_key(getattr(eb, s)) for s in slots) and not _nested(ea, eb, inside):
            return False
    return not _two_parties(a, b)


def _two_parties(a: _Draft, b: _Draft) -> bool:
    """Two clauses with subjects of their own ("soldiers entered the village; they since pulled
    out") tell two events unless the same party is named in both."""
    if a.subj is None or b.subj is None or a.subj.i == b.subj.i:
        return False  # one subject for both verbs, or a verb with none of its own
    return not ({x.casefold() for x in a.event.actors} & {x.casefold() for x in b.event.actors})


def _richness(d: _Draft) -> tuple:
    # _absorb folds in the other's actors, count and date, but the record's subject is what the
    # fallback places an unplaced event by, so the telling that names who acted is the better
    # one; then the one with the smaller place
    m = d.event.place_mention()
    return (m is not None, bool(d.event.actors), specificity(m) if m is not None else -1)


def _nested(a: Event, b: Event, inside: set = frozenset()) -> bool:
    """One event's place is a country that holds the other's, or one the text says holds it
    (`inside`: spans of a name and of a place written as its qualifier, "X, in the north of Y")."""
    ma, mb = a.place_mention(), b.place_mention()
    if ma is not None and mb is not None and {((ma.start, ma.end), (mb.start, mb.end)), ((mb.start, mb.end), (ma.start, ma.end))} & inside:
        return True
    pa, pb = a.primary(), b.primary()
    if pa is None or pb is None or a.location is None or b.location is None:
        return False
    if pa.place.level == pb.place.level == "country" and pa.place.country_code == pb.place.country_code:
        # a name the gazetteer lacks, placed at its country ("in the town of Rada"), lies inside
        # it; two such names are two villages of a list ("positions at Hakoura and Nakhsaba")
        return sum(not placed_by_name(m) for m in (pa, pb)) == 1 and pa.text != pb.text
    outer, inner = (pa.place, pb.place) if specificity(pa) < specificity(pb) else (pb.place, pa.place)
    # a province and a town in it can be a campaign and one blow of it ("airstrikes on Idlib,
    # hitting positions at Maarat al-Numan"); a country and a town are one report told twice
    return outer.level == "country" and inner.level != "country" and outer.country_code == inner.country_code


def _counts_agree(a: Event, b: Event) -> bool:
    if a.count is None or b.count is None:
        return True
    return abs(a.count - b.count) <= 0.2 * max(a.count, b.count)


def _movement_conflict(a: Event, b: Event) -> bool:
    for slot in ("origin", "destination"):
        ma, mb = getattr(a, slot), getattr(b, slot)
        if ma is not None and mb is not None and ma.place and mb.place and ma.place.country_code != mb.place.country_code:
            return True
    return False

