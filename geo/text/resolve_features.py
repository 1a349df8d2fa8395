"""What the resolver knows about a candidate place: its own standing and what the article says.

A candidate is described by named features, each a number. Some need no context (population,
level, capital, how many names the world has for it, whether the mention is its own name); the
rest are the article's evidence (`Evidence`): the countries, states and counties it names, the
places already resolved and how near they are, qualifiers ("Paris, Tenn."), the dateline and the
publication's home region. The ranker (resolve_model.py) weighs them; `reason` turns the
strongest evidence into words.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from geo.gazetteer import Gazetteer
from geo.model import Place

# Every feature the ranker may weigh, in a fixed order (the model file stores weights by name).
FEATURES = (
    # the place itself
    "country", "continent", "region", "admin1", "admin2",
    "country_primary", "curated", "primary", "capital",
    "logpop", "most_populous", "logalt", "state_vs_big_city", "state_vs_small_town", "own_town_share",
    # the article
    "country_share", "country_seen", "country_top", "namesake_abroad", "state_abroad", "capital_seen",
    "admin1_named", "admin1_shared", "admin2_named",
    "near", "near_close", "near_other", "near_other_close", "far",
    "cooc", "cooc_rare", "region_near",
    "qualifier", "qualifier_miss",
    "dateline_admin1", "dateline_country",
    "region_admin1", "region_country",
)  # fmt: skip

NEAR_KM = 1000.0  # "near" falls from 1 at 0 km to 0 at this distance, on a log scale
CLOSE_KM = 60.0
FAR_KM = 2500.0
COOC_KM = 50.0  # another name "has a place near" a candidate when one of its candidates is this close
COOC_CAP = 3  # beyond three names that agree, more say nothing new
REGION_KM = 3000.0  # a region is "near" the countries the article names within this distance


@dataclass
class Anchor:
    """A place the article has settled: named unambiguously, qualified, or resolved earlier."""

    place: Place
    text: str  # as the article writes it
    admin2: str | None
    weight: float = 1.0
    firm: bool = True  # settled in the first passes, not a current guess of the later rounds


@dataclass
class Evidence:
    """Where the article is, as far as it has been read."""

    countries: Counter = field(default_factory=Counter)  # cc -> weight of evidence
    admin1: Counter = field(default_factory=Counter)  # (cc, admin1 name) -> weight, from resolved places
    admin1_named: dict = field(default_factory=dict)  # (cc, admin1 name) -> how the article wrote it
    admin2_named: dict = field(default_factory=dict)  # (cc, admin1 name, admin2 name) -> as written
    anchors: list = field(default_factory=list)  # Anchor, for distances and reasons
    dateline: Place | None = None
    region: Place | None = None  # the publication's home region (a country or an admin1)

    def copy(self) -> Evidence:
        return Evidence(
            Counter(self.countries), Counter(self.admin1), dict(self.admin1_named), dict(self.admin2_named),
            list(self.anchors), self.dateline, self.region,
        )

    def add(self, place: Place, text: str, admin2: str | None, n: float = 1, named: bool = True, firm: bool = True) -> None:
        """Count a resolved place as evidence. `named`: the article wrote this place's own name
        (a state it names is evidence for its towns; a town's state is weaker evidence)."""
        cc = place.country_code
        if not cc:
            return
        if place.level == "country":
            self.countries[cc] += n
            return
        if place.level in ("continent", "region"):
            return
        self.countries[cc] += 0.5 * n
        a1 = _admin1_key(place)
        if place.level == "admin1" and named:
            self.admin1_named.setdefault(a1, text)
        elif place.level == "admin2" and named:
            self.admin2_named.setdefault((cc, place.admin1, place.name), text)
        if a1[1]:
            self.admin1[a1] += n
        self.anchors.append(Anchor(place, text, admin2, n, firm))


def _admin1_key(p: Place) -> tuple[str | None, str | None]:
    return (p.country_code, p.name if p.level == "admin1" else p.admin1)


def within(p: Place, q: Place) -> bool:
    """Whether p lies in q, for q a country, state or county (as far as the index tells)."""
    if q.level == "country":
        return p.country_code == q.country_code
    if q.level == "admin1":
        return p.country_code == q.country_code and (p.admin1 == q.name or p == q)
    if q.level == "admin2":
        return p.country_code == q.country_code and p.admin1 == q.admin1
    return False


def _in_division(town: Place, division: Place) -> bool:
    """A town in a state, or by a county: the index knows a county's state, not its bounds."""
    return within(town, division) and (division.level == "admin1" or km(town, division) <= CLOSE_KM)


def at_or_within(p: Place, q: Place) -> bool:
    """p is q or lies in it: `within` counts a state as lying in itself, not a country or county."""
    return p == q or within(p, q)


def km(a: Place, b: Place) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def has_big_city(places: list[Place]) -> bool:
    """Whether a name's candidates include a capital or a city of a million: news means it."""
    return any(p.level == "city" and (p.feature_code == "PPLC" or p.population >= 1_000_000) for p in places)


def well_known(p: Place) -> bool:
    """A capital or a city of 100,000: a namesake abroad that news may well mean anyway."""
    return p.feature_code == "PPLC" or p.population >= 100_000


class FeatureMaker:
    """Features of every candidate of one name, given the article's evidence so far."""

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz

    def group(self, places: list[Place], name: str, ev: Evidence, quals: list[Place],
              cooc: list[tuple[int, float]] | None = None) -> list[dict[str, float]]:  # fmt: skip
        big_city = has_big_city(places)
        # "California" is also a town in Maryland: a state whose name only small towns elsewhere
        # in its country share (not a state named like its own town, nor one abroad).
        towns = [p for p in places if p.level == "city"]
        small_towns = {
            (p.country_code, p.name) for p in places
            if p.level == "admin1" and not any(well_known(q) for q in towns)
            and any(q.country_code == p.country_code and q.admin1 != p.name for q in towns)
        }  # fmt: skip
        local = any(p.level in ("city", "admin2") and ev.countries.get(p.country_code) for p in places)
        # A state's population is the sum of its towns: compared with a town's it would make
        # New York the state outrank New York the city. Only towns compete for "most populous".
        top_pop = max((p.population for p in places if p.level == "city"), default=0)
        total = sum(ev.countries.values()) or 1.0
        top_cc = max(ev.countries, key=lambda c: (ev.countries[c], c)) if ev.countries else None
        feats = [
            self.one(p, name, ev, quals, big_city=big_city, small_towns=small_towns, local=local,
                     top_pop=top_pop, total=total, top_cc=top_cc)
            for p in places
        ]  # fmt: skip
        # Homs the governorate and Homs the city in it: a division named after its main town.
        # The share of the division's people who live in that town says how much the name is the
        # town's; the ranker learns from gold points how strongly news then means the town.
        for p, f in zip(places, feats):
            if p.level not in ("admin1", "admin2") or p.population <= 0:
                continue
            inside = [q.population for q in towns if _in_division(q, p)]
            # in tenths: a suburb with a thousandth of a state's people says nothing of the name
            if inside and (share := round(min(1.0, max(inside) / p.population), 1)):
                f["own_town_share"] = share
        for f, (n, rare) in zip(feats, cooc or ()):
            if n:
                f["cooc"] = min(n, COOC_CAP) / COOC_CAP
                f["cooc_rare"] = min(1.0, rare)
        return feats

    def one(self, p: Place, name: str, ev: Evidence, quals: list[Place], *, big_city: bool, local: bool,
            top_pop: int, total: float, top_cc: str | None,
            small_towns: set = frozenset()) -> dict[str, float]:  # fmt: skip
        gaz = self.gaz
        f: dict[str, float] = {}
        if p.level != "city":
            f[p.level] = 1.0
        if gaz.is_curated(p, name):
            f["curated"] = 1.0
        if gaz.name_matches_primary(p, name):
            f["primary"] = 1.0
            if p.level == "country":
                f["country_primary"] = 1.0
        if p.feature_code == "PPLC":
            f["capital"] = 1.0
        if p.level not in ("admin1", "admin2"):
            # an admin row's population is the sum of its towns, not comparable with a town's
            f["logpop"] = math.log10(p.population + 1)
        if p.level == "city" and p.population == top_pop and top_pop > 0:
            f["most_populous"] = 1.0
        f["logalt"] = math.log(p.alt_names + 1)
        if big_city and p.level == "admin1":
            f["state_vs_big_city"] = 1.0
        if p.level == "admin1" and (p.country_code, p.name) in small_towns:
            f["state_vs_small_town"] = 1.0

        cc = p.country_code
        if p.level in ("region", "continent") and ev.countries:
            # "the Gulf" in a story about Qatar and Saudi Arabia: the sea by them, not a province
            # of Papua New Guinea. A region has no country of its own to be counted with.
            near = sum(w for c, w in ev.countries.items() if (q := gaz.country(c)) is not None and km(p, q) <= REGION_KM)
            if near:
                f["region_near"] = near / total
        if cc and ev.countries.get(cc):
            f["country_share"] = ev.countries[cc] / total
            f["country_seen"] = 1.0
            if cc == top_cc:
                f["country_top"] = 1.0
            if p.feature_code == "PPLC":
                # "In Washington" in a story about the US and Britain: the capital of a country
                # the article names, not a town of the same name in the other one.
                f["capital_seen"] = 1.0
        elif p.level in ("city", "admin2") and local and not quals and not well_known(p):
            # Population and level make a suburb of Perth outscore a Hong Kong park the article is
            # about; a reader takes the local one unless the namesake abroad is a real city.
            f["namesake_abroad"] = 1.0
        elif p.level == "admin1" and local:
            # Manchester the Jamaican parish, in a story about a British soldier that never names
            # Jamaica: a state or province of a country the article is silent about, while a
            # namesake lies in a country it names, is rarely the one meant.
            f["state_abroad"] = 1.0
        if p.level in ("city", "admin2", "admin1"):
            a1 = _admin1_key(p)
            if a1 in ev.admin1_named:
                f["admin1_named"] = 1.0
            if ev.admin1.get(a1):
                f["admin1_shared"] = min(1.0, ev.admin1[a1] / 3)
            if p.level == "city":
                a2 = gaz.admin2(p)
                if a2 and (cc, p.admin1, a2) in ev.admin2_named:
                    f["admin2_named"] = 1.0
            # Firm anchors and the other names' current places are told apart: two small
            # namesakes of two names can vouch for each other, an anchor cannot be talked into it.
            firm, other = self.nearest(p, ev)
            for d, key in ((firm, "near"), (other, "near_other")):
                if d is not None:
                    f[key] = max(0.0, 1 - math.log1p(d) / math.log1p(NEAR_KM))
                    if d <= CLOSE_KM:
                        f[key + "_close"] = 1.0
            d = min((x for x in (firm, other) if x is not None), default=None)
            if d is not None and d >= FAR_KM:
                f["far"] = 1.0
        if quals:
            f["qualifier" if any(at_or_within(p, q) for q in quals) else "qualifier_miss"] = 1.0
        for q, key in ((ev.dateline, "dateline"), (ev.region, "region")):
            if q is None or not cc:
                continue
            if q.level != "country" and within(p, _as_admin1(q)):
                f[key + "_admin1"] = 1.0
            if q.country_code == cc:
                f[key + "_country"] = 1.0
        return f

    def nearest(self, p: Place, ev: Evidence) -> tuple[float | None, float | None]:
        """Distance to the nearest firm anchor and to the nearest other name's current place."""
        firm = other = None
        for a in ev.anchors[:40]:
            if a.place.level not in ("city", "admin2") or a.place == p:
                continue
            d = km(p, a.place)
            if a.firm:
                firm = d if firm is None else min(firm, d)
            else:
                other = d if other is None else min(other, d)
        return firm, other

    def supporters(self, p: Place, ev: Evidence, limit: int = 2) -> list[str]:
        """How the article names the places that speak for p: its county, its state, neighbours."""
        out: list[str] = []
        a2 = self.gaz.admin2(p) if p.level == "city" else None
        if a2 and (p.country_code, p.admin1, a2) in ev.admin2_named:
            out.append(ev.admin2_named[(p.country_code, p.admin1, a2)])
        near = sorted(
            ((km(p, a.place), a.text) for a in ev.anchors if a.place.level in ("city", "admin2") and a.place != p),
        )
        out.extend(t for d, t in near if d <= 150 and t not in out)
        a1 = _admin1_key(p)
        named_state = ev.admin1_named.get(a1) if p.level != "admin1" else None
        out = out[: limit - 1 if named_state else limit]
        if named_state and named_state not in out:
            out.append(named_state)
        return out


def cooccurrence(names: list[tuple[object, list[Place]]]) -> list[list[tuple[int, float]]]:
    """For each candidate of each name: how many of the article's other names have a candidate
    within COOC_KM of it, and the same count with each name weighted by 1 / its candidates.

    Before anything is decided: Lebanon, Annville and Hershey each have a namesake within a
    short drive of the others in Pennsylvania, and nowhere else. Population alone sends each far
    away, and the others' first guesses cannot call it back; the places that could all be true
    together can. `names`: (key, candidates) per name; names with equal keys
    (one name split by its qualifiers) do not vouch for each other. Towns and counties only: a
    state or country is near everything inside it.
    """
    cell = COOC_KM / 111.2  # degrees of latitude per grid cell: neighbours are one cell away
    grid: dict[tuple[int, int], list[tuple[int, float, float, float]]] = {}
    local = []
    for gi, (_, places) in enumerate(names):
        pts = [(i, p) for i, p in enumerate(places) if p.level in ("city", "admin2")]
        local.append(pts)
        for _, p in pts:
            la = math.radians(p.lat)
            grid.setdefault((int(p.lat // cell), int(p.lon // cell)), []).append((gi, la, math.radians(p.lon), math.cos(la)))
    out = [[(0, 0.0)] * len(places) for _, places in names]
    if len({gi for pts in grid.values() for gi, *_ in pts}) < 2:
        return out
    sizes = [max(1, len(pts)) for pts in local]
    limit = math.sin(COOC_KM / (2 * 6371.0088)) ** 2
    for gi, pts in enumerate(local):
        key = names[gi][0]
        for i, p in pts:
            la, lo, cl = math.radians(p.lat), math.radians(p.lon), math.cos(math.radians(p.lat))
            ci, cj = int(p.lat // cell), int(p.lon // cell)
            # a degree of longitude shrinks with latitude: look as many cells east and west as it takes
            span = 1 + int(1 / max(cl, 0.05))
            found: set[int] = set()
            for di in (-1, 0, 1):
                for dj in range(-span, span + 1):
                    for hj, hla, hlo, hcl in grid.get((ci + di, cj + dj), ()):
                        if hj == gi or hj in found or names[hj][0] == key:
                            continue
                        h = math.sin((hla - la) / 2) ** 2 + cl * hcl * math.sin((hlo - lo) / 2) ** 2
                        if h <= limit:
                            found.add(hj)
            if found:
                out[gi][i] = (len(found), sum(1 / sizes[h] for h in found))
    return out


def _as_admin1(q: Place) -> Place:
    # A city as a dateline or region stands for its state: towns "in" Nashville are in Tennessee.
    if q.level in ("admin1", "country"):
        return q
    return Place(None, q.admin1 or "", q.country_code, "admin1", q.lat, q.lon)
