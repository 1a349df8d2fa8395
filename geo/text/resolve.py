"""Choose the place each mention refers to, with a score, a reason and the runners-up.

Population alone sends "Rome" to whichever Rome is biggest; readers use the article instead.
So does this resolver, in two passes over the document:
  1. Evidence that needs no context: country and continent names, demonyms, "X, Y" qualifiers,
     the dateline. These give the article's countries and states.
  2. Every mention scored with that context: feature level and capital status, population and
     how many names the world has for the place (a prior for how well known it is), whether the
     name is the place's own or only an alternate, the countries and states the article talks
     about, and distance to the places already resolved.
One sense per discourse: every occurrence of a name in an article gets the same place.
Names the gazetteer lacks (streets, buildings, rivers) fall back to a place named inside them
("University of Alberta" -> Alberta), else to the article's focus, with a low score saying so.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from geopy.distance import great_circle

from geo.gazetteer import Gazetteer, normalize
from geo.model import Candidate, Mention, Place

from .toponyms import GENERIC_NAMES

# Weights of the scoring features: set by hand, then fitted on the GeoWebNews dev half with
# bench/tune_resolver.py (coordinate ascent on acc@161). Features are listed in `features`.
WEIGHTS = {
    "country": 3.0,
    "continent": 3.0,
    "region": 3.25,
    "admin1": 1.0,
    "admin2": 2.5,
    "country_primary": 4.0,  # the name is a country's own name: "Mexico" is the country
    "curated": 4.0,  # a reviewed alias in data/gazetteer/overrides.csv names this place
    "logpop": 1.1,  # per log10(population)
    "logalt": 0.45,  # per ln(alternate names)
    "primary": 1.0,  # the name is the place's own name, not only an alternate
    "capital": 1.0,
    "ctx_share": 1.2,  # share of the article's country evidence pointing at this country
    "ctx_seen": 1.55,  # the country is mentioned at all
    "admin1_ctx": 1.6,
    "qualifier": 8.0,
    "near": 1.5,  # close to an already-resolved place (1 at 0 km, 0 at 500 km)
    "state_vs_big_city": -1.6,  # "New York", "Washington": news mean the big city, not the state
    # A small town or district abroad while the article's countries have one. By hand: no winner
    # on the dev half changes between 0 and -5; -2 undoes the admin2 bonus a Perth suburb has.
    "namesake_abroad": -2.0,
}
MAX_CANDIDATES = 5


@dataclass
class _Context:
    countries: Counter
    admin1: set  # (cc, admin1 name)
    points: list  # (lat, lon) of places resolved with confidence
    focus: Place | None


class Resolver:
    def __init__(self, gazetteer: Gazetteer, weights: dict[str, float] | None = None):
        self.gaz = gazetteer
        # Generic words a reviewed alias gives a meaning to ("Gulf", "Pacific") keep it.
        self._curated_generic = {w for w in GENERIC_NAMES if any(gazetteer.is_curated(p, w) for p in gazetteer.lookup(w))}
        self.weights = dict(WEIGHTS if weights is None else weights)

    # --- candidates ----------------------------------------------------------------------
    def candidates(self, mention: Mention) -> list[Place]:
        if mention.kind == "demonym":
            return self.gaz.demonym(mention.text)
        if mention.text.lower() in GENERIC_NAMES and mention.text.lower() not in self._curated_generic:
            # "the Valley", "Metro": a description the NER capitalised, placed by the fallback
            return []
        found = self.gaz.lookup(mention.text)
        if not found and mention.text.endswith("s") and mention.label == "NORP":
            found = self.gaz.demonym(mention.text)
        if _acronym(mention.text) and mention.kind != "dateline":
            # "ISIS", "NATO": an all-capital word names a town only in a dateline; otherwise it
            # is a country, state or region by a reviewed alias ("USA", "BC", "EU") or no place
            found = [p for p in found if p.level in ("country", "admin1", "continent", "region") or self.gaz.is_curated(p, mention.text)]
        return found

    # --- the two passes ------------------------------------------------------------------
    def resolve(self, mentions: list[Mention], text: str) -> list[Mention]:
        by_name: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            by_name[(m.kind == "demonym", normalize(m.text))].append(m)
        cands = {key: self.candidates(ms[0]) for key, ms in by_name.items()}
        qualifiers = self._qualifiers(mentions, text)

        ctx = _Context(countries=Counter(), admin1=set(), points=[], focus=None)
        # Pass 1: countries, continents and demonyms are what they say.
        for key, ms in by_name.items():
            places = cands[key]
            top = self._unambiguous(places, ms[0])
            if top is not None and top.country_code:
                ctx.countries[top.country_code] += len(ms)
                if top.level == "admin1":
                    ctx.admin1.add((top.country_code, top.name))
                    ctx.points.append((top.lat, top.lon))
        for m, q in qualifiers.items():
            for p in q:
                if p.country_code:
                    ctx.countries[p.country_code] += 1
                if p.level == "admin1":
                    ctx.admin1.add((p.country_code, p.name))
                    ctx.points.append((p.lat, p.lon))

        # Pass 2: most-evidenced names first, so their places can inform the rest by proximity.
        order = sorted(by_name, key=lambda k: -len(by_name[k]))
        for key in order:
            ms = by_name[key]
            places = cands[key]
            quals = [p for m in ms for p in qualifiers.get(id(m), [])]
            if not places:
                continue
            scored = self._score(places, ms[0], ctx, quals)
            best = scored[0]
            if self._implausible(best.place, ms[0], ctx, quals):
                continue  # left to the fallback, which places it by the article's own places
            for m in ms:
                self._assign(m, scored)
            if best.place.level in ("city", "admin1", "admin2") and best.score >= 0.6:
                ctx.points.append((best.place.lat, best.place.lon))
                if best.place.level == "admin1":
                    ctx.admin1.add((best.place.country_code, best.place.name))
            if best.place.country_code and best.place.level not in ("country", "continent", "region"):
                ctx.countries[best.place.country_code] += 0.5 * len(ms)

        ctx.focus = self._focus(mentions, ctx)
        for m in mentions:
            if m.place is None and not (_acronym(m.text) and m.kind != "dateline"):
                self._fallback(m, ctx, qualifiers.get(id(m), []))
        # An all-capital name with no country, state or region behind it ("ISIS", "NATO") is an
        # organisation the NER mistook for a place: it is not a mention at all.
        mentions[:] = [m for m in mentions if m.place is not None or not _acronym(m.text) or m.kind == "dateline"]
        return mentions

    def _implausible(self, p: Place, mention: Mention, ctx: _Context, quals: list[Place]) -> bool:
        """'Zhari' in a story about Kandahar is not Zary in Poland: a small town that only an
        alternate spelling connects to the name, in a country the article never mentions while
        it does mention others, is a worse guess than the article's own surroundings."""
        return (
            p.level == "city"
            and p.population < 100_000
            and not quals
            and bool(ctx.countries)
            and not ctx.countries.get(p.country_code)
            and not self.gaz.name_matches_primary(p, mention.text)
            and not self.gaz.is_curated(p, mention.text)
        )

    def _unambiguous(self, places: list[Place], mention: Mention) -> Place | None:
        if mention.kind == "demonym":
            return places[0] if len(places) == 1 else None
        top = [p for p in places if p.level in ("country", "continent") and self.gaz.name_matches_primary(p, mention.text)]
        if not top:
            top = [p for p in places if p.level in ("country", "continent", "region")]
        return top[0] if len(top) == 1 else None

    def _qualifiers(self, mentions: list[Mention], text: str) -> dict[int, list[Place]]:
        """'Caracas, Venezuela', 'Long Beach, CA': the qualifier's places, keyed by id(qualified)."""
        out: dict[int, list[Place]] = {}
        for a, b in zip(mentions, mentions[1:]):
            if text[a.end : b.start].strip() != ",":
                continue
            places = [p for p in self.candidates(b) if p.level in ("country", "admin1", "admin2")]
            if not places and len(b.text) == 2 and b.text.isupper():
                st = self.gaz.admin1("US", b.text)
                places = [st] if st else []
            if places:
                b.kind = "qualifier"
                out[id(a)] = places
        return out

    def features(
        self, p: Place, name: str, ctx: _Context, quals: list[Place], big_city: bool, local: bool | None = None
    ) -> dict[str, float]:
        """`local`: whether a town or district of this name lies in a country the article talks
        about; None works it out from the gazetteer (bench/tune_resolver.py calls us that way)."""
        f: dict[str, float] = {}
        if p.level != "city":
            f[p.level] = 1.0
        if self.gaz.is_curated(p, name):
            f["curated"] = 1.0
        primary = self.gaz.name_matches_primary(p, name)
        if primary:
            f["primary"] = 1.0
            if p.level == "country":
                f["country_primary"] = 1.0
        f["logpop"] = math.log10(p.population + 1)
        f["logalt"] = math.log(p.alt_names + 1)
        if p.feature_code == "PPLC":
            f["capital"] = 1.0
        cc = p.country_code
        if cc and ctx.countries.get(cc) and p.level != "country":
            f["ctx_share"] = ctx.countries[cc] / (sum(ctx.countries.values()) or 1.0)
            f["ctx_seen"] = 1.0
        if cc and p.admin1 and (cc, p.admin1) in ctx.admin1:
            f["admin1_ctx"] = 1.0
        if quals and any(_within(p, q) for q in quals):
            f["qualifier"] = 1.0
        if ctx.points and p.level == "city":
            d = min(great_circle((p.lat, p.lon), pt).km for pt in ctx.points[:20])
            if d < 500:
                f["near"] = 1 - d / 500
        if big_city and p.level == "admin1":
            f["state_vs_big_city"] = 1.0
        if p.level in ("city", "admin2") and not quals and not ctx.countries.get(cc) and not _well_known(p):
            # Population and the admin2 level bonus make a suburb of Perth outscore a Hong Kong
            # park the article is about; a reader takes the local one unless the foreign namesake
            # is a capital or a real city. ctx_seen alone is too weak once a neighbour (China)
            # takes most of the country evidence.
            if local is None:
                local = _has_local(self.gaz.lookup(name), ctx)
            if local:
                f["namesake_abroad"] = 1.0
        return f

    def _score(self, places: list[Place], mention: Mention, ctx: _Context, quals: list[Place]) -> list[Candidate]:
        name = mention.text
        big_city = has_big_city(places)
        local = _has_local(places, ctx)
        w = self.weights
        out = []
        for p in places:
            f = self.features(p, name, ctx, quals, big_city, local)
            out.append((sum(w.get(k, 0.0) * v for k, v in f.items()), p, f))
        out.sort(key=lambda x: -x[0])
        # A softmax over raw scores gives a 0..1 confidence that reads like one.
        top = out[0][0]
        z = sum(math.exp(s - top) for s, _, _ in out)
        return [Candidate(place=p, score=math.exp(s - top) / z, reason=_reason(p, f, quals, ctx)) for s, p, f in out]

    def _assign(self, m: Mention, scored: list[Candidate]) -> None:
        best = scored[0]
        metonym_note = m.reason if m.kind == "metonym" else ""
        m.place, m.score = best.place, best.score
        m.reason = best.reason + (f"; {metonym_note}" if metonym_note else "")
        m.candidates = scored[1 : 1 + MAX_CANDIDATES]

    def _focus(self, mentions: list[Mention], ctx: _Context) -> Place | None:
        """The place the article is about: the most-mentioned city of its most-mentioned country.

        Counting countries first keeps one stray namesake ("Queens" in a story about Hull) from
        becoming the focus; the country itself is the focus when no town of it is named.
        """
        placed = [m.place for m in mentions if m.place is not None and m.place.country_code]
        if not placed:
            return None
        country = Counter(p.country_code for p in placed).most_common(1)[0][0]
        for levels in (("city", "admin2"), ("admin1",)):
            local = Counter(p for p in placed if p.country_code == country and p.level in levels)
            if local:
                # ties go to a town in a state the article names, then to the bigger town
                return max(local, key=lambda p: (local[p], (p.country_code, p.admin1) in ctx.admin1, p.population))
        return self.gaz.country(country)

    def _fallback(self, m: Mention, ctx: _Context, quals: list[Place] = ()) -> None:
        """A name the gazetteer lacks: in the place that qualifies it, else a well-known place
        named inside it, else the article's focus.

        "TORKHAM, Pakistan" is in Pakistan; "University of Alberta" is in Alberta; "Royal Street"
        and "Rogers Centre" are somewhere in the city the article is about, not in a town called
        Street or Rogers.
        """
        if quals:
            # A qualifier names a country or a state far more often than a county.
            q = min(quals, key=lambda p: (("country", "admin1", "admin2").index(p.level), -p.population))
            m.place, m.score = q, 0.3
            m.reason = f"not in the gazetteer; placed in {q.name}, named after it"
            m.candidates = []
            return
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
                        and (p.level not in ("city", "admin2") or not ctx.countries or ctx.countries.get(p.country_code))
                    ]  # fmt: skip
                    if not places:
                        continue
                    scored = self._score(places, Mention(text=part, start=0, end=0), ctx, [])
                    best = scored[0]
                    m.place, m.score = best.place, best.score * 0.5
                    m.reason = f"not in the gazetteer; placed at {best.place.name}, named inside it"
                    m.candidates = scored[1 : 1 + MAX_CANDIDATES]
                    return
        if ctx.focus is not None and m.kind != "demonym":
            m.place, m.score = ctx.focus, 0.1
            m.reason = f"not in the gazetteer; placed at the article's focus, {ctx.focus.name}"


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


def has_big_city(places: list[Place]) -> bool:
    """Whether a name's candidates include a capital or a city of a million: news means it."""
    return any(p.level == "city" and (p.feature_code == "PPLC" or p.population >= 1_000_000) for p in places)


# The Arabic article in its assimilated spellings ("al-", "ash-", "ez-"). Only "al" and "el" are
# taken without a hyphen: "as", "at", "an" are English words too.
ARABIC_ARTICLES = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "en", "er", "es", "et", "ez"}


def _article_bound(text: str, words: list[str]) -> set[int]:
    """Indexes of words that cannot start a place name on their own: an Arabic article after
    another word, and the word it governs. "Maarat al-Numan" is "Maarat of the Numan": Numan
    alone is another place, here a town in Nigeria."""
    hyphenated = {w.lower() for w in re.findall(r"(\w+)[-\u2010]", text)}
    out: set[int] = set()
    for i, w in enumerate(words[1:-1], start=1):
        a = w.lower()
        if a in ARABIC_ARTICLES and (a in ("al", "el") or a in hyphenated):
            out.update((i, i + 1))
    return out


def _well_known(p: Place) -> bool:
    """A capital or a city of 100,000: a namesake abroad that news may well mean anyway."""
    return p.feature_code == "PPLC" or p.population >= 100_000


def _has_local(places: list[Place], ctx: _Context) -> bool:
    return any(p.level in ("city", "admin2") and ctx.countries.get(p.country_code) for p in places)


def _acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper()


def _within(p: Place, q: Place) -> bool:
    if q.level == "country":
        return p.country_code == q.country_code
    if q.level == "admin1":
        return p.country_code == q.country_code and (p.admin1 == q.name or p.level == "admin2")
    return p.country_code == q.country_code


def _reason(p: Place, f: dict, quals: list[Place], ctx: _Context) -> str:
    if "qualifier" in f:
        q = next(q for q in quals if _within(p, q))
        return f"qualified by '{q.name}'"
    if p.level == "country":
        return "the country of that name"
    if p.level in ("continent", "region"):
        return f"the {p.level} of that name"
    if "capital" in f and "ctx_seen" in f:
        return "capital of a country the article is about"
    if "admin1_ctx" in f:
        return f"in {p.admin1}, which the article mentions"
    if "ctx_seen" in f:
        return "in a country the article is about"
    if "capital" in f:
        return "a national capital"
    if "near" in f:
        return "near other places in the article"
    if p.level == "admin1":
        return "the state or province of that name"
    return "the best-known place of that name"


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
