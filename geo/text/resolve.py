"""Choose the place each mention refers to, with a score, a reason and the runners-up.

Population alone sends "Paris" to France; a reader of a story that names Lamar County and Texas
towns knows it is Paris, Texas. So the resolver reads the whole article, in passes:
  1. What needs no context: countries, continents and demonyms, wire-style state abbreviations,
     names the gazetteer knows only one place for, names a qualifier pins down ("Paris,
     Tenn.", "Dublin (Ohio)", "Boone County, Missouri"), and the qualifiers themselves (the
     state that holds the town before them). These are the article's anchors.
  2. The dateline, then every other name, each in the light of the anchors and of the others'
     current places: the countries, states and counties the article names, how near the
     candidate is to places already placed, how many other names have a candidate near it
     (resolve_features.cooccurrence), the dateline and the publication's home region.
  3. Names the gazetteer lacks, placed by what holds or contains them, else at the article's
     focus; and small towns only the gazetteer found (toponyms.LOCAL), kept if the article's
     places vouch for them.
A learned ranker (resolve_model.py) weighs each candidate's features (resolve_features.py).
One name keeps one place in an article, unless a qualifier says otherwise ("Paris, Texas" and
"Paris, France" in one story are two places).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from geo.gazetteer import Gazetteer, normalize
from geo.gazetteer.names import DIVISION_WORDS, spelling_key
from geo.model import Candidate, Mention, Place

from .qualifiers import abbreviation
from .resolve_features import COOC_KM, Evidence, FeatureMaker, at_or_within, cooccurrence, km, well_known, within
from .resolve_model import Ranker, load_ranker
from .toponyms import BRACKET_AFTER, GENERIC_NAMES, SETTLEMENTS, WORD_TOWNS, is_tentative
from .vocabulary import AREA_NOUNS, ARRIVING_FORCES, ARTICLES, DIRECTION_ADJECTIVES, PERSON_NOUNS

MAX_CANDIDATES = 5
# A name placed at least this surely counts as evidence for the names after it.
EVIDENCE_SCORE = 0.5
ROUNDS = 3  # passes over the ambiguous names; most articles settle in one or two
# What the article says for a candidate, as opposed to what the gazetteer says of it
_ARTICLE_FEATURES = (
    "country_seen", "admin1_named", "admin1_shared", "admin2_named", "near_close", "near_other_close", "cooc",
    "qualifier", "dateline_admin1", "dateline_country", "region_admin1", "region_country",
)  # fmt: skip
ALIAS_KM = 161.0  # a city this far from one whose own name it also has is another place
# Context features whose weight, in the chosen place's favour, the reason puts into words.
_LOCAL_FEATURES = ("admin2_named", "admin1_named", "admin1_shared", "near", "near_close", "near_other", "near_other_close")


@dataclass
class Group:
    """The mentions of one name that share one place: all of them, or those one qualifier names."""

    key: tuple
    mentions: list[Mention]
    places: list[Place]
    quals: list[tuple[Place, str]] = field(default_factory=list)  # qualifier places, as written
    done: bool = False
    cooc: list[tuple[int, float]] | None = None  # per candidate: other names with a place near it
    qualifies: list[Mention] = field(default_factory=list)  # for a qualifier: the names it follows


class Resolver:
    def __init__(self, gazetteer: Gazetteer, ranker: Ranker | None = None):
        self.gaz = gazetteer
        # Generic words a reviewed alias gives a meaning to ("Gulf", "Pacific") keep it.
        self._curated_generic = {w for w in GENERIC_NAMES if any(gazetteer.is_curated(p, w) for p in gazetteer.lookup(w))}
        self.features = FeatureMaker(gazetteer)
        self.ranker = ranker if ranker is not None else load_ranker()

    # --- candidates ----------------------------------------------------------------------
    def candidates(self, mention: Mention) -> list[Place]:
        if mention.kind == "demonym":
            return self.gaz.demonym(mention.text)
        lower = mention.text.lower()
        if lower in GENERIC_NAMES and lower not in self._curated_generic and lower not in WORD_TOWNS:
            # "the Valley", "Metro": a description the NER capitalised, placed by the fallback
            return []
        abbr = abbreviation(mention.text) if mention.kind in ("qualifier", "dateline") or "." in mention.text else None
        if abbr:
            state = self.gaz.admin1(*abbr)
            if state is not None:
                return [state]
        found = self.gaz.lookup(mention.text)
        if not found and mention.kind == "qualifier":
            # "Kiwanja (Rutshuru territory, North Kivu)", "Tripoli (North Lebanon)", "Guadalajara
            # (Castilla-La Mancha)"; elsewhere a name the gazetteer lacks is placed by what is
            # named inside it (`_fallback`)
            found = self.gaz.lookup_division(mention.text) or self.gaz.state_spellings(mention.text)
        elif not found and mention.text.split()[-1].lower() in DIVISION_WORDS:
            # "Anbar Province", "Hebei province": the division of that name is the name's own
            # place, not a guess from a word inside it; a town it is named after stays a guess
            found = self.gaz.lookup_division(mention.text)
            # "Raqqa province": the gazetteer may know the name only as the town's (its state is
            # "Ar-Raqqah"); the state a town is named after and governed from is the province
            found = [p for p in found if p.level in ("admin1", "admin2")] or _named_states(self.gaz, found)
        elif not found and len(words := mention.text.split()) > 1 and words[-1].lower() in ("city", "town"):
            # "Basra city", "Homs city": the NER took the word in; the name is the town's, not
            # the province of the same name
            found = [p for p in self.gaz.lookup(" ".join(words[:-1])) if p.level == "city"]
        if not found and mention.text.endswith("s") and mention.label == "NORP":
            found = self.gaz.demonym(mention.text)
        if _acronym(mention.text) and mention.kind != "dateline":
            # "ISIS", "NATO": an all-capital word names a town only in a dateline; otherwise it
            # is a country, state or region by a reviewed alias ("USA", "BC", "EU") or no place
            found = [p for p in found if p.level in ("country", "admin1", "continent", "region") or self.gaz.is_curated(p, mention.text)]
        return found

    def region_place(self, region: str | Place | None) -> Place | None:
        """The publication's home region: an ISO 3166 code ("US", "US-TX", "GB-ENG", "CA-ON") or
        the name of a country or state ("Texas"). ValueError when the gazetteer knows no such place."""
        if region is None or isinstance(region, Place):
            return region
        value = region.strip()
        if not value:
            return None
        cc, _, sub = value.partition("-")
        if len(cc) == 2 and cc.isalpha():
            country = self.gaz.country(cc)
            if country is not None and not sub:
                return country
            if country is not None:
                state = self.gaz.admin1(cc.upper(), sub)
                if state is not None:
                    return state
        found = [p for p in self.gaz.lookup(value) if p.level in ("country", "admin1")]
        if found:
            return found[0]
        raise ValueError(f"region {region!r} is neither an ISO 3166 code nor a country or state the gazetteer knows")

    # --- the passes ----------------------------------------------------------------------
    def resolve(self, mentions: list[Mention], text: str, region: str | Place | None = None, trace: list | None = None) -> list[Mention]:
        """Place every mention (in place) and return the list, without names that turned out to
        be organisations. `region`: the publication's home region (see `region_place`).
        `trace`: a list that receives (group, features of its candidates) for each decision, for
        the trainer."""
        ev = Evidence(region=self.region_place(region))
        quals, qualified = self._qualifiers(mentions, text)
        # Small towns only the gazetteer found (toponyms.LOCAL) wait until the article's sure
        # places are known, unless a qualifier vouches for them ("Kelvedon, Essex").
        tentative = [m for m in mentions if is_tentative(m) and id(m) not in quals and id(m) not in qualified]
        waiting = {id(m) for m in tentative}
        sure = [m for m in mentions if id(m) not in waiting]
        groups = self._groups(sure, quals, qualified)
        for g in groups:
            _designated(g, text)
        for g, c in zip(groups, cooccurrence([(g.key[0], g.places) for g in groups])):
            g.cooc = c

        # Pass 1a: countries, continents, demonyms and state abbreviations are what they say.
        for g in groups:
            if g.places and self._unambiguous(g):
                self._decide(g, ev, trace, anchor=True)
        # Pass 1b: names a qualifier pins down, and names the gazetteer knows one place for.
        for g in groups:
            if not g.done and g.places and not g.qualifies and (g.quals or len(g.places) == 1):
                self._decide(g, ev, trace, anchor=True)
        # A qualifier is the state or country that holds the name it follows: the "Washington" of
        # "Tacoma, Washington" is the state, whatever the article's other Washingtons are.
        for g in groups:
            if not g.done and g.places and g.qualifies:
                held = [m.place for m in g.qualifies if m.place is not None]
                fits = [q for q in g.places if any(at_or_within(p, q) for p in held)]
                if fits:
                    self._decide(g, ev, None, anchor=True, only=fits)
                    for m, a in zip(g.mentions, g.qualifies):
                        if m.place in fits:
                            m.reason = f"where {a.text}, which it follows, lies"
        # Pass 2: the dateline sets the scene. Then every other name is placed in the light of
        # the anchors and of the others' current places, again until nothing changes: a Lebanon
        # that population first sends abroad comes back to Pennsylvania once Annville and
        # Hershey, placed beside it, are seen to be there.
        for g in groups:
            if not g.done and g.places and any(m.kind == "dateline" for m in g.mentions):
                self._decide(g, ev, trace, anchor=True)
        rest = [g for g in groups if not g.done and g.places]
        current = {id(g): self._rank(g, ev)[0] for g in rest}
        for _ in range(ROUNDS):
            changed = False
            for g in rest:
                others = self._with_others(ev, rest, current, g)
                cands = self._rank(g, others)
                changed |= cands[0].place != current[id(g)].place
                current[id(g)] = cands[0]
            if not changed:
                break
        for g in rest:
            self._decide(g, self._with_others(ev, rest, current, g), trace)

        self._held(sure, text)
        strays = self._strays(sure, quals)
        for m, _ in strays:
            m.place = None
        placed = [(m.place, m.text) for m in sure if m.place is not None]
        focus = self._focus([m for m in sure if not _a_border(m, text)], ev, text)
        # "Collins Avenue in Miami Beach": a name the gazetteer lacks, then "in" and a place.
        # So is "Dubuwa village in Chad", "Olangur in the Villupuram district".
        holder = {id(a): b for a, b in zip(sure, sure[1:]) if _HELD_IN.match(text, a.end, b.start)}
        # "Kwande, Katsina-Ala and Logo local government areas of Benue state": what holds the
        # list's last name holds the names listed before it
        for a, b in reversed(list(zip(sure, sure[1:]))):
            if id(b) in holder and id(a) not in holder and _LIST_JOIN.fullmatch(text, a.end, b.start) \
                    and _AREA_LIST_AFTER.match(text, a.end):
                holder[id(a)] = holder[id(b)]
        # "Potocari, a village near Srebrenica", "Al Taji outside Baghdad": a town the text puts
        # the name beside (not a country: "Gakara close to the Nigerian border" may lie on either side)
        beside = {id(a): b for a, b in zip(sure, sure[1:]) if _NEAR.match(text, a.end, b.start)
                  and b.place is not None and b.place.level in ("city", "admin2") and b.kind != "demonym"}
        for m in sure:
            if m.place is None and not (_acronym(m.text) and m.kind != "dateline"):
                said = self._fallback(m, ev, focus, quals.get(id(m), []), holder.get(id(m)), beside.get(id(m)))
                self._respell(m, said, text)
        for m, was in strays:
            if m.place is None:
                m.place = was  # no surroundings to place it in: the ranker's choice and reason stand
                continue
            country = self.gaz.country(was.country_code)
            m.reason = m.reason.replace(
                "not in the gazetteer",
                f"not in the gazetteer near the article's places (only a village in {country.name if country else was.country_code})",
                1,
            )
            m.candidates = [Candidate(was, 0.1, "the village of that name the gazetteer knows"), *m.candidates][:MAX_CANDIDATES]
        # An all-capital name with no country, state or region behind it ("ISIS", "NATO") is an
        # organisation the NER mistook for a place: it is not a mention at all.
        sure = [m for m in sure if m.place is not None or not _acronym(m.text) or m.kind == "dateline"]
        mentions[:] = sorted(sure + self._confirm_local(tentative, placed), key=lambda m: m.start)
        return mentions

    def _strays(self, mentions: list[Mention], quals: dict) -> list[tuple[Mention, Place]]:
        """"Al-Khalidiyah" in a story about Homs is no village of Jordan: a village the ranker
        chose, in a country where nothing else the article names lies, while it names towns or
        provinces elsewhere, is a name the gazetteer lacks there. Decided once every name is
        placed (a town's country may be known only from names after it); a country named only
        as itself or by a nationality ("French troops in Birao") is not where the story is."""
        out = []
        named = {normalize(o.text): o.place for o in mentions if o.place is not None and o.place.country_code}
        for m in mentions:
            p = m.place
            if p is None or p.level != "city" or p.population >= STRAY_MAX_POP or m.kind != "toponym" or quals.get(id(m)):
                continue
            own = normalize(m.text)
            others = {k: q for k, q in named.items() if k != own}
            if any(o.country_code == p.country_code for o in others.values()):
                continue
            # the article's own country: two names of it, one a town or a province (one name
            # may be a person's: "Miranda" the actor is a Venezuelan state to the gazetteer)
            names = Counter(o.country_code for o in others.values())
            fine = {o.country_code for o in others.values() if o.level in ("city", "admin1", "admin2")}
            if any(n >= 2 and cc in fine for cc, n in names.items()):
                out.append((m, p))
        return out

    def _held(self, mentions: list[Mention], text: str) -> None:
        """"London's Heathrow", "Heathrow airport in London", "Paris in Texas": the text says what
        holds the place. A namesake that lies elsewhere (Heathrow, Florida) gives way to one in
        or by the holder, else a town's or a county's name to the holder itself; the name's
        other mentions in the article go with it (one name, one place)."""
        pairs = [(b, a, f"'{b.text}'s {a.text}'", True) for b, a in zip(mentions, mentions[1:])
                 if text[b.end : a.start] in ("'s ", "\u2019s ")]  # fmt: skip
        # a country is hardly ever written "X in Y" to mean its namesake: "Russia in Syria"
        pairs += [(b, a, f"'{text[a.start : b.end]}'", False) for a, b in zip(mentions, mentions[1:])
                  if a.place is not None and a.place.level not in ("country", "continent", "region") and (
                      _SITED_IN.match(text, a.end, b.start)
                      or (_SITED_OF.match(text, a.end, b.start) and b.place is not None and b.place.level in ("admin1", "admin2"))
                  )]  # fmt: skip
        for b, a, said, owned in pairs:
            if a.place is None or b.place is None:
                continue
            if b.place.level not in ("city", "admin2", "admin1", "country") or a.kind == "demonym":
                continue
            if _holds_or_near(b.place, a.place):
                continue
            was = a.place
            near = [c.place for c in a.candidates if _holds_or_near(b.place, c.place)]
            if near:
                place, score, reason = near[0], 0.5, f"in or by {b.text}: {said}"
            elif a.place.level in ("city", "admin2") and (owned or not well_known(a.place)):
                # "Heathrow airport in London": Heathrow, Florida is no airport of London; a city
                # of 100,000 the text writes before "in" is more likely a misread list
                place, score, reason = b.place, 0.3, f"no {a.text} by {b.text} in the gazetteer; placed at {b.text}: {said}"
            else:
                continue
            for m in mentions:
                if m is a or (m.text == a.text and m.place == was):
                    m.place, m.score, m.reason, m.candidates = place, score, reason, []

    def _confirm_local(self, tentative: list[Mention], placed: list[tuple[Place, str]]) -> list[Mention]:
        """The tentative small towns that the article's own places vouch for: a town within
        COOC_KM of a town or county it names for sure, or in a county it names; a county
        holding a town it names. The others were most likely people or organisations."""
        towns = [(p, t) for p, t in placed if p.level in ("city", "admin2")]
        if not tentative or not towns:
            return []
        counties = {(p.country_code, p.admin1, p.name): t for p, t in towns if p.level == "admin2"}
        county_of = {(p.country_code, p.admin1, self.gaz.admin2(p)) for p, _ in towns if p.level == "city"}
        kept: list[Mention] = []
        chosen: dict[str, tuple[Place, list[str]] | None] = {}
        for m in tentative:
            key = normalize(m.text)
            if key not in chosen:
                best = None
                for p in self.candidates(m):
                    if p.level not in ("city", "admin2") or not self.gaz.name_matches_primary(p, m.text):
                        continue
                    names = _unique([t for q, t in towns if q != p and q.level == "city" and km(p, q) <= COOC_KM])
                    if p.level == "city":
                        county = counties.get((p.country_code, p.admin1, self.gaz.admin2(p)))
                        names += [county] if county and county not in names else []
                    elif (p.country_code, p.admin1, p.name) in county_of:
                        names += [t for q, t in towns if q.level == "city" and self.gaz.admin2(q) == p.name and q.admin1 == p.admin1][:1]
                    if names and (best is None or (len(names), p.population) > (len(best[1]), best[0].population)):
                        best = (p, names)
                chosen[key] = best
            if chosen[key] is not None:
                p, names = chosen[key]
                m.place, m.score, m.candidates = p, 0.5, []
                m.reason = f"near {_join(names[:2])}, which the article names"
                kept.append(m)
        return kept

    def _groups(self, mentions: list[Mention], quals: dict[int, list[tuple[Place, str]]],
                qualified: dict[int, Mention]) -> list[Group]:  # fmt: skip
        """One group per name, split where qualifiers name different places; an unqualified
        mention joins its name's qualified group when there is just one. A name written as a
        qualifier ("Tacoma, Washington") is a group of its own, among states and countries."""
        by_name: dict[tuple, list[Mention]] = {}
        for m in mentions:
            kind = "demonym" if m.kind == "demonym" else "qualifier" if id(m) in qualified else ""
            by_name.setdefault((kind, normalize(m.text)), []).append(m)
        groups = []
        for key, ms in by_name.items():
            if key[0] == "qualifier":
                # its places, as _qualifiers found them (a postal code "CA" is a state, not Canada)
                ms.sort(key=lambda m: m.start)
                places = _unique([p for m in ms for p, t in quals.get(id(qualified[id(m)]), []) if t == m.text])
                groups.append(Group((key, ()), ms, places, qualifies=[qualified[id(m)] for m in ms]))
                continue
            places = self.candidates(ms[0])
            sub: dict[tuple, list[Mention]] = {}
            for m in ms:
                q = tuple(sorted({(p.level, p.country_code, p.name) for p, _ in quals.get(id(m), [])}))
                sub.setdefault(q, []).append(m)
            pinned = [k for k in sub if k]
            if len(pinned) == 1 and () in sub:
                sub[pinned[0]].extend(sub.pop(()))
            for q, members in sub.items():
                members.sort(key=lambda m: m.start)
                qs = [pq for m in members for pq in quals.get(id(m), [])]
                own = places
                if qs and places and all(p.level == "city" and p.population < 100_000 for p in places) and not any(
                    at_or_within(p, qp) for p in places for qp, _ in qs
                ):
                    # "Baraka (Fizi, Sud-Kivu)": a small namesake outside what the text says holds
                    # the name is another place, and the name one the gazetteer lacks
                    own = []
                groups.append(Group((key, q), members, own, _unique(qs)))
        return groups

    def _unambiguous(self, g: Group) -> bool:
        m = g.mentions[0]
        if m.kind == "demonym":
            return len(g.places) == 1
        if abbreviation(m.text) and len(g.places) == 1:
            return True
        strong = [p for p in g.places if p.level in ("country", "continent") and self.gaz.name_matches_primary(p, m.text)]
        if not strong:
            strong = [p for p in g.places if p.level in ("country", "continent", "region")]
        # "Georgia": the country's own name is also a state's; the article must choose.
        rival = any(p.level == "admin1" and self.gaz.name_matches_primary(p, m.text) for p in g.places)
        # "Lebanon" is the country, unless the article names places near a town called Lebanon
        # (Annville, Hershey): then it is weighed like any other name.
        local = any(
            p.level in ("city", "admin2") and n and self.gaz.name_matches_primary(p, m.text)
            for p, (n, _) in zip(g.places, g.cooc or ())
        )
        return len(strong) == 1 and not rival and not local

    def _scored(self, g: Group, ev: Evidence) -> list[tuple[float, Place, dict]]:
        quals = [p for p, _ in g.quals]
        feats = self.features.group(g.places, g.mentions[0].text, ev, quals, g.cooc)
        out = [(self.ranker.score(f), p, f) for p, f in zip(g.places, feats)]
        out.sort(key=lambda x: -x[0])
        return out

    def _rank(self, g: Group, ev: Evidence, trace: list | None = None, reasons: bool = False,
              only: list[Place] | None = None) -> list[Candidate]:  # fmt: skip
        scored = self._scored(g, ev)
        if only is not None:
            scored = [x for x in scored if x[1] in only] + [x for x in scored if x[1] not in only]
        if trace is not None:
            trace.append((g, [(p, f) for _, p, f in scored]))
        # A softmax over raw scores gives a 0..1 confidence that reads like one.
        top = max(x[0] for x in scored)
        z = sum(math.exp(s - top) for s, _, _ in scored)
        cands = [
            Candidate(place=p, score=math.exp(s - top) / z, reason=self._reason(p, f, g, ev) if reasons else "")
            for s, p, f in scored
        ]
        if only is None:
            # the steps read the ranker's features of each candidate ("primary": the name is its own)
            features = {id(p): f for _, p, f in scored}
            for step in (self._one_place_first, self._no_smaller_state, self._own_name_first):
                cands = step(cands, features)
        return cands

    def _one_place_first(self, cands: list[Candidate], features: dict[int, dict]) -> list[Candidate]:
        """'Islamabad' alone: the capital territory and its city, both called so, are one answer
        whose votes the ranker split between them (0.33 and 0.20), which let Chattogram, once also
        called Islamabad, win with 0.41. A state and the town of its own name inside it count
        together; the better of the two leads."""
        if len(cands) < 3:
            return cands
        states = {(c.place.country_code, c.place.name) for c in cands
                  if c.place.level == "admin1" and "primary" in features[id(c.place)]}  # fmt: skip
        if not states:
            return cands

        def one_place(c: Candidate) -> tuple:
            p = c.place
            if p.level == "city" and (p.country_code, p.admin1) in states and "primary" in features[id(p)]:
                return (p.country_code, p.admin1)
            return (p.country_code, p.name) if p.level == "admin1" and (p.country_code, p.name) in states else (id(c),)

        keys = [one_place(c) for c in cands]
        total: dict[tuple, float] = {}
        for k, c in zip(keys, cands):
            total[k] = total.get(k, 0.0) + c.score
        # stable: within one place, and among the others, the ranker's order stands
        order = sorted(range(len(cands)), key=lambda i: -total[keys[i]])
        return [cands[i] for i in order]

    def _no_smaller_state(self, cands: list[Candidate], features: dict[int, dict]) -> list[Candidate]:
        """'Manchester' alone is the English city, not Jamaica's parish of 62,000 people: a state
        that all its towns together make smaller than a town of its own name elsewhere gives way
        to that town ("Georgia", "Washington", "New York" the states are bigger than their towns)."""
        best = cands[0].place
        if best.level != "admin1":
            return cands
        towns = [c for c in cands if c.place.level == "city" and c.place.population > best.population
                 and c.place.country_code != best.country_code and "primary" in features[id(c.place)]]  # fmt: skip
        if not towns:
            return cands
        town = max(towns, key=lambda c: c.place.population)
        return [town] + [c for c in cands if c is not town]

    def _own_name_first(self, cands: list[Candidate], features: dict[int, dict]) -> list[Candidate]:
        """'Zaragoza' alone is the Spanish city, not Tijuana, which GeoNames also calls so; nor is
        'Salem' Jerusalem or 'Cancun' Changchun (Esperanto "Ĉanĉun"). A city that wins by one of
        its alternate names, with nothing in the article for it, gives way to the biggest capital
        or city of 100,000 far away whose own name it is: the ranker's prior (a bigger population,
        more alternate names) says nothing of which city a name means. A reviewed alias ("Odessa"
        for Odesa) is the name's own."""
        best = cands[0].place
        said = features[id(best)]
        if best.level != "city" or "primary" in said or "curated" in said or any(k in said for k in _ARTICLE_FEATURES):
            return cands
        own = [c for c in cands if c.place.level == "city" and well_known(c.place) and "primary" in features[id(c.place)]]
        if not own or any(km(c.place, best) <= ALIAS_KM for c in own):
            return cands  # "Victoria" for Hong Kong, where the city of Victoria is
        lead = max(own, key=lambda c: c.place.population)  # the ranker's order breaks a tie
        return [lead] + [c for c in cands if c is not lead]

    def _with_others(self, ev: Evidence, rest: list[Group], current: dict, g: Group) -> Evidence:
        """The anchors' evidence plus the other names' current places, where they are sure enough."""
        out = ev.copy()
        for h in rest:
            c = current[id(h)]
            if h is not g and c.score >= EVIDENCE_SCORE:
                self._count(out, h, c.place, firm=False)
        return out

    def _count(self, ev: Evidence, g: Group, place: Place, firm: bool = True) -> None:
        n = len(g.mentions)
        if any(m.kind == "demonym" for m in g.mentions):
            ev.countries[place.country_code] += n
        else:
            ev.add(place, g.mentions[0].text, self.gaz.admin2(place), n, firm=firm)

    def _decide(self, g: Group, ev: Evidence, trace: list | None, anchor: bool = False,
                only: list[Place] | None = None) -> None:  # fmt: skip
        g.done = True
        cands = self._rank(g, ev, trace, reasons=True, only=only)
        if any(m.kind == "dateline" for m in g.mentions):
            cands = _town_first(cands)
        best = cands[0]
        if self._implausible(best.place, g, ev):
            return  # left to the fallback, which places it by the article's own places
        for m in g.mentions:
            _assign(m, cands)
        if anchor:
            self._count(ev, g, best.place)
            if any(m.kind == "dateline" for m in g.mentions):
                ev.dateline = best.place

    def _implausible(self, p: Place, g: Group, ev: Evidence) -> bool:
        """'Zhari' in a story about Kandahar is not Zary in Poland: a small town that only an
        alternate spelling connects to the name, in a country the article never mentions while
        it does mention others, is a worse guess than the article's own surroundings."""
        name = g.mentions[0].text
        if p.level != "city" or p.population >= 100_000 or g.quals:
            return False
        if self.gaz.name_matches_primary(p, name) or self.gaz.is_curated(p, name):
            return False
        if g.cooc and p in g.places and g.cooc[g.places.index(p)][1] >= NEAR_VOUCH:
            return False  # "swam from Fnideq into Ceuta": another name the article writes lies beside it
        # "Washington Square" in New Orleans is not Franklin Square, New York, which once had
        # that name: a square, street or park is not a town that only an old name connects to.
        return _last_word(name) in LOCAL_FEATURE_HEADS or (bool(ev.countries) and not ev.countries.get(p.country_code))

    def _qualifiers(self, mentions: list[Mention], text: str) -> tuple[dict[int, list[tuple[Place, str]]], dict[int, Mention]]:
        """'Caracas, Venezuela', 'Long Beach, CA', 'Athens, Ga.', 'Dublin (Ohio)', 'Boone County,
        Missouri': the qualifier's places, keyed by id(qualified mention), and the qualified
        mention of each qualifier, keyed by id(qualifier)."""
        out: dict[int, list[tuple[Place, str]]] = {}
        qualified: dict[int, Mention] = {}
        # "Kiwanja (Rutshuru territory, North Kivu)": every part of the bracket qualifies the name
        for a in mentions:
            hit = BRACKET_AFTER.match(text, a.end) if a.kind != "demonym" else None
            if hit is None or "," not in hit.group(1):
                continue  # a bracket of one part is the pair rule's "Dublin (Ohio)" below
            inner = [b for b in mentions if hit.start(1) <= b.start and b.end <= hit.end(1) and b.kind == "qualifier"]
            found = [(b, [p for p in self.candidates(b) if p.level in ("country", "admin1", "admin2", "city")]) for b in inner]
            found = [(b, ps) for b, ps in found if ps]
            if not found:
                continue
            out[id(a)] = [(p, b.text) for b, ps in found for p in ps]
            for b, _ in found:
                qualified[id(b)] = a
        for n, (a, b) in enumerate(zip(mentions, mentions[1:])):
            if id(b) in qualified:
                continue
            between = text[a.end : b.start].strip()
            if between not in (",", "(") or b.kind == "demonym":
                continue  # "In the Gaza Strip, Israeli soldiers ...": a nationality begins the next phrase
            if between == "," and _AREA_LIST_AFTER.match(text, a.end):
                continue  # "Kwande, Katsina-Ala and Logo local government areas": a list, not "town, state"
            if between == "," and _OTHERS_AFTER.match(text, b.end):
                continue  # "Washington, New York and other cities": a list, not Washington in New York state
            if between == "," and self._town_list_goes_on(mentions, n + 2, text, b):
                continue  # "in Washington, New York, San Francisco and Los Angeles": a list of towns
            if between == "(" and not text[b.end : b.end + 2].lstrip().startswith(")"):
                continue
            places = [p for p in self.candidates(b) if p.level in ("country", "admin1", "admin2")]
            if not places and len(b.text) == 2 and b.text.isupper():
                st = self.gaz.admin1("US", b.text)
                places = [st] if st else []
            # "Cyprus, Greece, Italy" is a list: a country is not qualified by another
            own = self.candidates(a) if places and a.kind != "demonym" else []
            countries = own and all(p.level in ("country", "continent", "region") for p in own)
            # ... nor is "Mali" (also a town in Guinea) by "Niger": two countries make a list
            countries = countries or (any(p.level == "country" for p in own) and any(p.level == "country" for p in places))
            if places and a.kind != "demonym" and not countries:
                b.kind = "qualifier"
                out[id(a)] = [(p, b.text) for p in places]
                qualified[id(b)] = a
        return out, qualified

    def _town_list_goes_on(self, mentions: list[Mention], k: int, text: str, b: Mention) -> bool:
        """After "A, B", a town written next in the same list ("A, B, C and D"), itself no town
        of a "town, state" pair ("Springfield, Illinois, and Madison, Wisconsin"): then B is
        the list's next item, not A's state."""
        if k >= len(mentions):
            return False
        c = mentions[k]
        if text[b.end : c.start].strip() not in (",", "and", ", and", "or", ", or") or c.kind == "demonym":
            return False
        if not any(p.level == "city" for p in self.candidates(c)):
            return False
        d = mentions[k + 1] if k + 1 < len(mentions) else None
        paired = d is not None and text[c.end : d.start].strip() == "," and any(
            p.level in ("admin1", "admin2", "country") for p in self.candidates(d))
        return not paired

    def _reason(self, p: Place, f: dict, g: Group, ev: Evidence) -> str:
        if "qualifier" in f:
            q, written = next((q, t) for q, t in g.quals if at_or_within(p, q))
            return f"qualified by '{written}'" + (f" ({q.name})" if normalize(written) != normalize(q.name) else "")
        if g.mentions[0].kind == "demonym":
            return f"the nationality of {p.name}"
        if p.level == "country":
            return "the country of that name"
        if p.level in ("continent", "region"):
            return f"the {p.level} of that name"
        local = self.ranker.strongest(f, _LOCAL_FEATURES)
        if local is not None:
            names = self.features.supporters(p, ev)
            if names:
                return f"near {_join(names)}, which the article names"
        if "dateline_admin1" in f and ev.dateline is not None and ev.dateline != p:
            return f"in {p.admin1 or p.name}, like the dateline's {ev.dateline.name}"
        if "region_admin1" in f or ("region_country" in f and ev.region is not None and ev.region.level == "country"):
            return f"in the publication's home region, {ev.region.name}"
        if "capital" in f and "country_seen" in f:
            return "capital of a country the article is about"
        if "country_seen" in f:
            country = self.gaz.country(p.country_code)
            return "in a country the article is about" + (f" ({country.name})" if country else "")
        if "capital" in f:
            return "a national capital"
        if p.level == "admin1":
            return "the state or province of that name"
        return "the best-known place of that name"

    @staticmethod
    def _whose_country(m: Mention, text: str) -> bool:
        """A country's name that says whose forces, people or organisation, not where."""
        if m.place.level != "country":
            return False
        return m.label.startswith("ORG>") or _WHOSE_AFTER.match(text, m.end) is not None

    def _focus(self, mentions: list[Mention], ev: Evidence, text: str) -> Place | None:
        """The place the article is about: the most-mentioned city of its most-mentioned country.

        Counting countries first keeps one stray namesake ("Queens" in a story about Hull) from
        becoming the focus; the country itself is the focus when no town of it is named.
        """
        # "French settlers", "Irish dockworkers": a nationality says who, not where; it counts
        # only when nothing else is placed. So does a country written on forces or people ("US
        # helicopters shelled a suburb of Baghdad") or inside an organisation's name ("the Islamic
        # State of Iraq and Al-Sham" in a story about Aleppo); it counts after the nationalities.
        named = [m for m in mentions if m.place is not None]
        whose = {id(m) for m in named if m.kind == "demonym" or self._whose_country(m, text)}
        mentions = [m for m in named if id(m) not in whose] or [m for m in named if m.kind == "demonym"] or mentions
        placed = [m.place for m in mentions if m.place is not None and m.place.country_code]
        if not placed:
            return None
        # Towns reached by their own name: "Washington Square" may be an old name of a town in
        # New York, but twice that is no reason to move a New Orleans story there.
        own = [m.place for m in mentions if m.place is not None and m.place.country_code and m.kind != "demonym"
               and self.gaz.name_matches_primary(m.place, m.text)]  # fmt: skip
        placed = [p for p in placed if p.level not in ("city", "admin2")] + [p for p in own if p.level in ("city", "admin2")] or placed
        country = Counter(p.country_code for p in placed).most_common(1)[0][0]
        # A wire dateline says where the story was filed: in the country it is about, that is
        # its focus, however often another town of it is named ("VALENCIA, Spain -- ... asked
        # Madrid for more help")
        filed = next((m.place for m in mentions if m.kind == "dateline" and m.place is not None
                      and m.place.country_code == country and m.place.level in ("city", "admin2", "admin1")), None)
        if filed is not None:
            return filed

        def backed(p: Place) -> bool:
            # A state the article names, or one another of its places lies in: a town's own
            # state is no evidence for it ("Rainbow Kitten Surprise" in a Birmingham story).
            key = (p.country_code, p.admin1)
            return key in ev.admin1_named or any(q != p and (q.country_code, q.admin1) == key for q in placed)

        for levels in (("city", "admin2"), ("admin1",)):
            local = Counter(p for p in placed if p.country_code == country and p.level in levels)
            if local:
                # ties go to a town in a state the article names, then to the bigger town
                return max(local, key=lambda p: (local[p], backed(p), p.population))
        return self.gaz.country(country)

    def _fallback(self, m: Mention, ev: Evidence, focus: Place | None, quals: list[tuple[Place, str]] = (),
                  holder: Mention | None = None, beside: Mention | None = None) -> bool:  # fmt: skip
        """A name the gazetteer lacks: in the place that qualifies it or that the text says holds
        it, else at the town the text says it lies near, else a well-known place named inside it,
        else the article's focus. True when the text itself says where the name is (a qualifier,
        a holder or a town beside it), not a guess.

        "TORKHAM, Pakistan" is in Pakistan; "Collins Avenue in Miami Beach" in Miami Beach;
        "University of Alberta" is in Alberta; "Royal Street" and "Rogers Centre" are somewhere
        in the city the article is about, not in a town called Street or Rogers.
        """
        if quals:
            # A qualifier names a country or a state far more often than a county; of several
            # ("X (Y district, Z province)") the finest holds X most closely.
            order = ("country", "admin1", "admin2", "city")
            per_part = {}
            for p, t in quals:
                if t not in per_part or (order.index(p.level), -p.population) < (order.index(per_part[t].level), -per_part[t].population):
                    per_part[t] = p
            q = max(per_part.values(), key=lambda p: (order.index(p.level), p.population))
            m.place, m.score = q, 0.3
            m.reason = f"not in the gazetteer; placed in {q.name}, which the text writes beside it"
            m.candidates = []
            return True
        if holder is not None and holder.place is not None and holder.place.level not in ("continent", "region"):
            m.place, m.score, m.candidates = holder.place, 0.3, []
            m.reason = f"not in the gazetteer; placed in {holder.place.name}, which the text says holds it"
            return True
        if beside is not None:
            m.place, m.score, m.candidates = beside.place, 0.3, []
            m.reason = f"not in the gazetteer; placed at {beside.place.name}, which the text says it lies near"
            return True
        words = [w for w in re.split(r"[\s/\-\u2013\u2014]+", m.text) if w]
        bound = _article_bound(m.text, words)
        if words and words[-1].lower().strip(".") not in LOCAL_FEATURE_HEADS:
            for n in range(len(words) - 1, 0, -1):
                for i in range(len(words) - n + 1):
                    part = " ".join(words[i : i + n])
                    if part.lower() in GENERIC_WORDS or i in bound:
                        continue
                    places = [
                        p for p in self.gaz.lookup(part)
                        if (p.level in ("country", "admin1", "continent", "region") or p.population >= 50_000)
                        and (self.gaz.name_matches_primary(p, part) or self.gaz.is_curated(p, part))
                        # A town named by part of the name is a guess; in a country the article
                        # never mentions, while it mentions others, it is a worse one than the
                        # article's focus ("Maarat al-Numan" in a Syria story is not in Nigeria).
                        and (p.level not in ("city", "admin2", "admin1") or not ev.countries or ev.countries.get(p.country_code))
                    ]  # fmt: skip
                    if not places:
                        continue
                    g = Group(("part", part), [Mention(text=part, start=0, end=0)], places)
                    scored = self._scored(g, ev)
                    top, best = scored[0][0], scored[0][1]
                    z = sum(math.exp(x - top) for x, _, _ in scored)
                    m.place, m.score = best, 0.5 / z
                    m.reason = f"not in the gazetteer; placed at {best.name}, named inside it"
                    m.candidates = [
                        Candidate(p, math.exp(x - top) / z, self._reason(p, ff, g, ev)) for x, p, ff in scored[1 : 1 + MAX_CANDIDATES]
                    ]
                    return False
        if focus is not None and m.kind != "demonym":
            m.place, m.score = focus, 0.1
            m.reason = f"not in the gazetteer; placed at the article's focus, {focus.name}"
        return False

    def _respell(self, m: Mention, said: bool, text: str) -> None:
        """A name the gazetteer lacks as written may be there in another transliteration ("Tel
        Abyad" for Tall Abyad, "Baqouba" for Baqubah): the namesake of that spelling that lies
        where the text puts the name (`said`: in the country, within the state or near the
        town it names beside it) or, where the fallback only guessed, around the guess, is the
        name's own place. A spelling elsewhere is another place; where the fallback placed
        nothing, see `_respell_alone`."""
        where = m.place  # the fallback's place: None when it placed nothing
        if m.kind == "demonym" or self.gaz.lookup(m.text):
            return
        if where is None:
            self._respell_alone(m, text)
            return
        if not said and where.level in ("country", "admin1"):
            # a guess at a country or a state is one at its country; at a town, at its
            # neighbourhood ("Easter" in a Chicago story: no Ester, Alaska)
            where = self.gaz.country(where.country_code) or where
        inside = [p for p in self.gaz.spelling_variants(m.text) if p.level in ("admin1", "admin2", "city") and _respelled_in(p, where)]
        if not inside:
            if not said and m.place.level in ("country", "admin1", "region"):
                # a guess at a country is weaker than a city of that spelling elsewhere: "Deir
                # Ezzor's countryside" in a story the fallback took for Iraq's is Deir ez-Zor in
                # Syria (a guessed town is a near one: "Riyadah, south of Kirkuk" is no Riyadh)
                self._respell_alone(m, text, GUESSED_RESPELLING_MIN_POP, states=False)
            return
        best = inside[0]  # the coarsest level first, then the largest
        m.place, m.score, m.candidates = best, 0.5, []
        put = "where the text puts it" if said else "where the article is about"
        m.reason = f"{m.text} is {best.name} spelled another way, in {where.name}, {put}"

    def _respell_alone(self, m: Mention, text: str, min_pop: int = 0, states: bool = True) -> None:
        """Where the text says nothing of where a name is and names no other place to guess
        from ("fighting spread across Ingushetia"), the one sizeable place of its spelling
        ("Ingushetiya"), a state or a town of LONE_RESPELLING_MIN_POP (or `min_pop`), is the
        name's place; two or more leave it unplaced. Not for a town's part ("the Kamaliyah
        neighborhood"), which a town or a state elsewhere is not."""
        if _PART_AFTER.match(text, m.end):
            return
        min_pop = max(min_pop, LONE_RESPELLING_MIN_POP)
        sizeable = {p.geonameid: p for p in self.gaz.spelling_variants(m.text)
                    if (states and p.level == "admin1") or (p.level == "city" and p.population >= min_pop)}  # fmt: skip
        if len(sizeable) != 1:
            return
        (best,) = sizeable.values()
        guessed = m.place is not None
        m.place, m.score, m.candidates = best, 0.5, []
        m.reason = f"{m.text} is {best.name} spelled another way, the only " + (
            "big place so spelled, where the article's focus was only a guess" if guessed
            else "sizeable place so spelled; the text says nothing else of where"
        )


def _named_states(gaz: Gazetteer, towns: list[Place]) -> list[Place]:
    """The states of `towns` that carry a town's own name, in any spelling ("Ar-Raqqah" for Ar
    Raqqah): what "Raqqa province" means when the gazetteer knows "Raqqa" only as a town."""
    out = []
    for town in towns:
        state = gaz.admin1(town.country_code, town.admin1) if town.level == "city" and town.admin1 else None
        if state is not None and state not in out and _bare_division(state.name) == spelling_key(town.name, 1):
            out.append(state)
    return out


def _bare_division(name: str) -> str | None:
    """A division's name without its kind, spelling-keyed: "Basra Governorate" -> "basra"."""
    return spelling_key(" ".join(w for w in name.split() if w.lower() not in DIVISION_WORDS) or name, 1)


def _respelled_in(p: Place, where: Place) -> bool:
    if p.country_code != where.country_code:
        return False
    if where.level == "country":
        return True
    if where.level == "admin1":
        return (p.admin1 or "").casefold() == where.name.casefold() or p.name == where.name or km(p, where) <= RESPELLED_KM
    return km(p, where) <= RESPELLED_KM


# How much another name of the article must vouch for a town only an alternate spelling connects
# to the name (`cooccurrence`'s weighted count: a name with at most three towns or counties of
# its spelling, one of them within COOC_KM) for the town to be no far-fetched guess.
NEAR_VOUCH = 0.3
STRAY_MAX_POP = 10_000  # a village: a town of more is news of its own wherever the story is
# How far a town spelled another way may lie from the town or state the text puts it in or near.
RESPELLED_KM = 200
_PART_AFTER = re.compile(r"\s+(?:neighbou?rhoods?|district|quarter|suburb)\b", re.I)
# A town spelled another way that nothing in the text places must be this big to be taken alone:
# the smaller a place, the likelier another name of the world shares its spelling key.
LONE_RESPELLING_MIN_POP = 20_000
# ... and this big to outweigh the fallback's guess at the article's focus.
GUESSED_RESPELLING_MIN_POP = 100_000


# After "in" or "of", before the holding place's name: "the ", "the northern ".
_THE_PART_OF = r"(?:the\s+)?(?:(?:" + "|".join(sorted(DIRECTION_ADJECTIVES - {"the"})) + r")\s+)?$"

# Nigeria's local government areas: "Sanga local government area of Kaduna State".
_LOCAL_GOVERNMENT = r"local\s+government(?:\s+(?:areas?|councils?))?|lgas?"

# The words for a settlement or an area written after a name: "Dubuwa village", "Kheda district".
_KINDS = "|".join(sorted(SETTLEMENTS | AREA_NOUNS))

# Between a name and the place that holds it: " in ", " village in the ", " district of ".
_HELD_IN = re.compile(
    r"\s*,?\s*(?:(?:" + _KINDS + "|" + _LOCAL_GOVERNMENT + r")\s+)?"
    r"(?:in|of)\s+" + _THE_PART_OF,
    re.I,
)

# After a country's name, the forces or people it fields: "US helicopters", "U.S. military convoy"
_WHOSE_AFTER = re.compile(
    r"\s+(?:[a-z]+\s+){0,2}(?:"
    + "|".join(sorted({w + e for w in ARRIVING_FORCES | PERSON_NOUNS for e in ("", "s")}, key=len, reverse=True))
    + r")\b"
)
# Between a name and a town it lies near: ", a village near ", " outside ", ", a small town
# close to the city of ".
_NEAR = re.compile(
    r"(?:\s*,?\s*(?:(?:" + _KINDS + r")\s+)?|\s*,\s*(?:a|an|the)\s+(?:[a-z][\w-]*\s+){1,3}?)"
    r"(?i:near|outside|outside\s+of|close\s+to|next\s+to)\s+"
    r"(?:the\s+)?(?:(?:[a-z][\w-]*\s+){0,2}?(?i:city|town|village)\s+of\s+)?$"
)

# Between two names of one list: ", ", " and ", "/".
_JOIN = r"\s*(?:,|/|,?\s+and)\s*"
_LIST_JOIN = re.compile(_JOIN)
# After a name, the rest of a list of names and "local government area(s)" or "LGA(s)".
_AREA_LIST_AFTER = re.compile(
    r"(?:" + _JOIN + r"[A-Z][\w'\u2019-]*(?:[ /][A-Z][\w'\u2019-]*)*)*\s+(?i:local\s+government\s+(?:areas?|councils?)|lgas?)\b"
)

# After the last name of a list that says it is one: "..., New York and other cities".
_OTHERS_AFTER = re.compile(
    r",?\s+(?:and|or)\s+(?:[a-z]+\s+){0,2}?other\s+(?:[a-z]+\s+){0,2}?"
    r"(?:cities|towns|villages|places|countries|states|provinces|regions|areas|capitals|districts|parts|locations)\b"
)

# "the city of Ibb", "Ibb province": the text says which kind of place it means.
# not "capital (city) of": "the capital of Chad" is the country's ("the provincial capital of
# Lashkar Gah" is a town anyway)
_TOWN_BEFORE = re.compile(r"\b(?<!capital )(?:city|town|village|hamlet|port|municipality|suburb)\s+of\s+$", re.I)
_ADMIN_BEFORE = re.compile(
    r"\b(?:state|province|region|county|district|governorate|department|prefecture|oblast|canton)\s+of\s+$", re.I
)
# lower case: "Kansas City" is a name; "the Queensland city of Ipswich" calls the next name one
_TOWN_AFTER = re.compile(r"^\s+(?:city|town|village)\b(?!\s+of\b)")
# "a Texas town", "the Ohio village where", "a mid-England town": the name says where the town
# is, not that it is one; "in Aleppo city" calls it one
_MODIFIER_BEFORE = re.compile(r"(?:\b(?:a|an|the)\s+|-)$", re.I)
_ADMIN_AFTER = re.compile(r"^\s+(?:state|province|governorate|region|prefecture|oblast)\b")
_TOWN_LEVELS = ("city", "district")
_ADMIN_LEVELS = ("admin1", "admin2")


def _designated(g: Group, text: str) -> None:
    """Keep only the towns, or only the states and counties, when the text calls the name one;
    only Nigeria's places for a local government area ("Guma LGA", "Kwande, Katsina-Ala and Logo
    local government areas": Nigeria's word for its counties), none when it has none there."""
    if any(_AREA_LIST_AFTER.match(text, m.end) for m in g.mentions):
        g.places = [p for p in g.places if p.country_code == "NG"]
        return
    kinds = set()
    for m in g.mentions:
        before, after = text[max(0, m.start - 40) : m.start], text[m.end : m.end + 20]
        if _MODIFIER_BEFORE.search(before):
            after = ""
        if _TOWN_BEFORE.search(before) or _TOWN_AFTER.match(after):
            kinds.add(_TOWN_LEVELS)
        elif _ADMIN_BEFORE.search(before) or _ADMIN_AFTER.match(after):
            kinds.add(_ADMIN_LEVELS)
    if len(kinds) == 1:
        levels = kinds.pop()
        g.places = [p for p in g.places if p.level in levels] or g.places


def _assign(m: Mention, scored: list[Candidate]) -> None:
    best = scored[0]
    metonym_note = m.reason if m.kind == "metonym" else ""
    m.place, m.score = best.place, best.score
    m.reason = best.reason + (f"; {metonym_note}" if metonym_note else "")
    m.candidates = scored[1 : 1 + MAX_CANDIDATES]


def _unique(items: list) -> list:
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# Words that name places somewhere but, inside a longer name, are descriptions, not places.
GENERIC_WORDS = {
    "north", "south", "east", "west", "central", "centre", "center", "grand", "upper", "lower", "new", "old",
    "northern", "southern", "eastern", "western",
    "street", "avenue", "road", "city", "town", "valley", "lake", "lakes", "river", "park", "national",
    "international", "royal", "saint", "st", "mount", "fort", "port", "bay", "beach", "island", "union",
    "victoria", "queens", "kings", "academy", "school", "university", "college", "hospital", "church",
    "sea", "ocean", "gulf", "strait", "of", "the", "and", "de", "la", "le", "el", "al", "san", "santa",
    # Arabic, Persian and Turkic words that begin many place names (valley, hill, spring, well,
    # monastery, village, son of, mother of, head): a town named after one is not the place
    "wadi", "tal", "tell", "khan", "deir", "dayr", "kafr", "ain", "ayn", "bir", "jabal", "jebel", "beit",
    "bayt", "umm", "abu", "ras", "qasr", "tel", "nahr", "hayy", "sheikh", "shaykh", "mazraat", "qaryat",
}
# Last words of a local feature's name (a street, a building, a checkpoint): the fallback does
# not place it at a town named inside it ("Royal Street" is not in a town called Royal). Not
# toponyms.FEATURE_HEADS, which lets the recogniser keep unknown natural features and districts.
LOCAL_FEATURE_HEADS = {
    "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "drive", "way", "place",
    "square", "park", "bridge", "station", "centre", "center", "stadium", "arena", "church", "school",
    "hospital", "academy", "estate", "mall", "market", "building", "tower", "hall", "house", "embassy",
    "consulate", "court", "prison", "airport", "canal", "river", "lake", "creek", "railroad", "railway",
    "sea", "ocean", "strait", "gulf", "bay", "camp", "checkpoint", "crossing", "base", "farm", "farms",
    "mosque", "hotel", "university", "village", "district", "neighbourhood", "neighborhood", "quarter",
}


# Between a known place and the place the text puts it in: " in ", " airport in ", ", a village
# in the northern ". Not ", in ": "in Lyon, in Marseille and in Nice" is a list.
_FEATURE_WORDS = "|".join(sorted(SETTLEMENTS | AREA_NOUNS | LOCAL_FEATURE_HEADS)) + "|" + _LOCAL_GOVERNMENT
_FEATURE = r"(?:\s*,\s*(?:a|an|the)\s+(?:" + _FEATURE_WORDS + r")|\s+(?:" + _FEATURE_WORDS + r"))"
_SITED_IN = re.compile(_FEATURE + r"?\s+in\s+" + _THE_PART_OF, re.I)
# "X district of Y", with the kind written (a bare "X of Y" is a name or an owner): only a state
# or a county Y holds X so, since "the Queensland city of Ipswich" and "the Baghdad district of
# Karrada" are written the other way round
_SITED_OF = re.compile(_FEATURE + r"\s+of\s+" + _THE_PART_OF, re.I)


# "near the Turkish border", "the Sierra Leone and Guinea borders", "the border with Iraq": a
# country named for its border says where a place is not, as often as where it is.
_BORDER_AFTER = re.compile(r"(?:\s+and\s+[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)?)?\s+(?:border|borders|frontier)\b")
_BORDER_BEFORE = re.compile(r"\b(?:border|borders|frontier)\s+(?:with|of)\s+(?:the\s+)?$", re.I)


def _a_border(m: Mention, text: str) -> bool:
    if m.place is None or m.place.level != "country":
        return False
    return bool(_BORDER_AFTER.match(text, m.end) or _BORDER_BEFORE.search(text, max(0, m.start - 30), m.start))


def _article_bound(text: str, words: list[str]) -> set[int]:
    """Indexes of words that cannot start a place name on their own: an Arabic article after
    another word, and the word it governs. "Maarat al-Numan" is "Maarat of the Numan": Numan
    alone is another place, here a town in Nigeria."""
    hyphenated = {w.lower() for w in re.findall(r"(\w+)[-\u2010]", text)}
    out: set[int] = set()
    for i, w in enumerate(words[1:-1], start=1):
        a = w.lower()
        # only "al" and "el" without a hyphen: "as", "at", "an" are English words too
        if a in ARTICLES and (a in ("al", "el") or a in hyphenated):
            out.update((i, i + 1))
    return out


def _town_first(cands: list[Candidate]) -> list[Candidate]:
    """A wire dateline names the town the story was filed from ("HOMS, Syria", "VALENCIA,
    Spain"): where the ranker chose a state or county, the town of that name inside it comes
    first."""
    state = cands[0].place
    if state.level not in ("admin1", "admin2"):
        return cands
    town = next((c for c in cands[1:] if c.place.level == "city" and within(c.place, state)), None)
    return cands if town is None else [town] + [c for c in cands if c is not town]


def _holds_or_near(b: Place, a: Place) -> bool:
    """Whether a lies in b, or (for a town b) within COOC_KM of it."""
    if b.level in ("country", "admin1", "admin2") and at_or_within(a, b):
        return True
    return b.level in ("city", "admin2") and km(a, b) <= COOC_KM


def _last_word(name: str) -> str:
    words = name.lower().split()
    return words[-1].strip(".") if words else ""


def _acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper()




class GeocoderResolver:
    """Resolution through any geopy geocoder: the first answer wins, the rest are candidates.

    For users who want Nominatim (online, opt-in) or their own geopy geocoder instead of the
    offline gazetteer's context scoring. Each distinct name is asked once per article.
    """

    def __init__(self, geocoder, max_candidates: int = MAX_CANDIDATES):
        self.geocoder = geocoder
        self.max_candidates = max_candidates
        self.name = type(geocoder).__name__

    def resolve(self, mentions: list[Mention], text: str) -> list[Mention]:
        # A geocoder cannot say whether a tentative small town lies near the article's places.
        mentions[:] = [m for m in mentions if not is_tentative(m)]
        answers: dict[str, list[Place]] = {}
        for m in mentions:
            key = normalize(m.text)
            if key not in answers:
                found = self.geocoder.geocode(m.text, exactly_one=False) or []
                answers[key] = [place_from_location(loc) for loc in found[: self.max_candidates + 1]]
            places = answers[key]
            if not places:
                continue
            n = len(places)
            # geopy ranks but does not score: give the order a score that sums to one
            scores = [(n - i) / (n * (n + 1) / 2) for i in range(n)]
            m.place, m.score, m.reason = places[0], scores[0], f"first answer of {self.name}"
            m.candidates = [Candidate(p, s, f"answer {i + 2} of {self.name}") for i, (p, s) in enumerate(zip(places[1:], scores[1:]))]
        return mentions


_NOMINATIM_LEVELS = {"continent": "continent", "country": "country", "state": "admin1", "province": "admin1",
                     "region": "admin1", "county": "admin2", "state_district": "admin2"}  # fmt: skip


def place_from_location(loc) -> Place:
    """A geopy Location as a Place: ours carry the Place in .raw; others (Nominatim) are mapped."""
    raw = loc.raw if isinstance(loc.raw, dict) else {}
    if "geonameid" in raw and "level" in raw:
        fields = {k: raw[k] for k in Place.__slots__ if k in raw}
        return Place(**fields)
    address = raw.get("address") or {}
    cc = (address.get("country_code") or "").upper() or None
    level = _NOMINATIM_LEVELS.get(raw.get("addresstype") or raw.get("type") or "", "city")
    return Place(
        geonameid=None, name=loc.address.split(",")[0] if loc.address else str(raw.get("name", "")),
        country_code=cc, level=level, lat=float(loc.latitude), lon=float(loc.longitude),
    )
