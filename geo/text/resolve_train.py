"""Train the resolver's ranker: `python -m geo train resolver [--data GOLD.jsonl] [--seed N]`.

Training data:
  * the GeoWebNews dev half (Gritta et al. 2020; GPLv3), by default ../shared/eval/ beside the
    checkout: the real pipeline recognises each article's names and the resolver lists their
    candidates; a candidate within 161 km of the gold point is right;
  * synthetic stories written here from the gazetteer, reproducible from a seed: a town that
    shares its name with others, placed among its real neighbours (no state named), its county,
    its state or country, a qualifier ("Paris, Tenn.", "Dublin (Ohio)"), or a publication
    region; in about a third of them the best-known namesake is the one meant, so the prior is
    learned too. A fifth are about names a big city or a capital shares with small towns
    ("Paris", "Kingston"), where the prior and the cues pull hardest against each other, and
    one in twenty about a state named like its big city ("New York", "Washington") in a story
    about the city: news means the city, and the ranker learns it from these (the feature
    state_vs_big_city) rather than from a weight set by hand. Another one in twenty are about a
    state whose name small towns elsewhere in its country share ("California", Maryland):
    mostly the state, with the town's neighbours named in passing, otherwise the town with its
    state beside it (the feature state_vs_small_town).
The model is a pairwise logistic regression (right candidate minus wrong one, no intercept), so
its weights are a plain linear score. Features depend on where the other names of the article
were placed, so training runs in rounds: the first resolves with the bootstrap weights, each
later round with the weights of the one before. Deterministic: same data and seed, same file.

Figures printed: in-sample and 5-fold by-document cross-validated acc@161 over the recognised
names on the GeoWebNews half. bench/eval_geoparse.py reports the corpus scorer's figures for both.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from geo.gazetteer import normalize
from geo.model import Mention, Place
from geo.settings import REPO

from .resolve_features import FEATURES, has_big_city, km
from .resolve_model import BOOTSTRAP, MODEL_FILE, Ranker

LEARNED = FEATURES

DEFAULT_DATA = REPO.parent / "shared" / "eval" / "geowebnews_dev.jsonl"
KM = 161.0
NEAR_KM = 25.0
FOLDS = 5
ROUNDS = 2
C = 10.0  # inverse regularisation strength: thousands of names, so only a light hand; never tuned
SYNTHETIC_SHARE = 0.5  # the synthetic stories weigh half as much as the real articles together
MAX_NEGATIVES = 25  # hardest wrong candidates per name, so "Springfield" does not outweigh the rest
LICENCE = (
    "Weights fitted on the GeoWebNews dev half (Gritta, Pilehvar, Collier 2020, "
    "github.com/milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation), distributed under the GNU "
    "General Public License v3, and on synthetic stories generated from the GeoNames-derived "
    "gazetteer (CC BY 4.0). This file is distributed under the GPLv3; see resolver_model.LICENSE.md."
)


@dataclass
class Story:
    """One training or evaluation text: its recognised names and where they really are."""

    id: str
    text: str
    mentions: list[Mention]  # as recognised, unresolved; copied before each resolution
    gold: list[tuple[int, int, float, float]] = field(default_factory=list)  # start, end, lat, lon
    region: Place | None = None
    synthetic: bool = False

    def fresh(self) -> list[Mention]:
        return [replace(m, candidates=[]) for m in self.mentions]

    def gold_of(self, m: Mention) -> tuple[float, float] | None:
        for s, e, lat, lon in self.gold:
            if s < m.end and m.start < e:
                return lat, lon
        return None


# --- data ----------------------------------------------------------------------------------


def read_gold(path: Path, pipeline) -> list[Story]:
    """GeoWebNews-style JSONL as Stories, names recognised by the real pipeline."""
    docs = [json.loads(line) for line in Path(path).open(encoding="utf-8") if line.strip()]
    docs.sort(key=lambda d: d["id"])
    stories = []
    for d, sdoc in zip(docs, pipeline.nlp.pipe((d["text"] for d in docs), batch_size=16)):
        gold = [(t["start"], t["end"], t["lat"], t["lon"]) for t in d["toponyms"] if t.get("lat") is not None]
        stories.append(Story(d["id"], d["text"], pipeline.finder.find(sdoc), gold))
    return stories


_SCENES = (
    "{A} council members voted on Monday to repave the main road before the school year.",
    "Firefighters in {A} spent the night at a barn fire that destroyed two tractors.",
    "The hospital in {A} will open a new clinic for children next month.",
    "Police in {A} asked drivers to avoid the bridge while crews repair a water main.",
    "Voters in {A} approved the library levy by a wide margin on Tuesday.",
    "A storm knocked out power to about 3,000 homes in {A} late on Sunday.",
)
_SUPPORT = (
    "Crews from {B} and {C} helped clear the debris.",
    "Buses to {B} will run on the weekend schedule.",
    "A contractor from {B} submitted the lowest bid.",
    "Officials in {B} said they would share the cost.",
)
_COUNTY = ("{D} commissioners are expected to approve the contract next week.", "The {D} sheriff's office said no one was hurt.")
_STATE = ("It is the largest project of its kind in {E} this year.", "State inspectors from {E} will visit in June.")
_COUNTRY = ("Similar votes are planned elsewhere in {F}.",)
_ELSEWHERE = ("A similar plan failed in {G} last year.", "The firm also has a plant in {G}.")
_SECOND = ("Residents of {A} have asked for a public meeting.", "The mayor of {A} said more money was needed.")


class _Writer:
    def __init__(self) -> None:
        self.text = ""
        self.mentions: list[Mention] = []
        self.gold: list[tuple[int, int, float, float]] = []

    def sentence(self, template: str, slots: dict[str, list[tuple[str, Place | None]]]) -> None:
        """Append a sentence. A slot is a name and its qualifiers: "Paris, Tenn." or "Dublin (Ohio)"."""
        if self.text:
            self.text += " "
        pos = 0
        while True:
            i = template.find("{", pos)
            if i < 0:
                self.text += template[pos:]
                return
            self.text += template[pos:i]
            j = template.index("}", i)
            for n, (surface, place) in enumerate(slots[template[i + 1 : j]]):
                bracket = surface.startswith("(")
                if n:
                    self.text += " (" if bracket else ", "
                self.add(surface.strip("()"), place)
                if bracket:
                    self.text += ")"
            pos = j + 1

    def add(self, surface: str, place: Place | None) -> None:
        start = len(self.text)
        self.text += surface
        self.mentions.append(Mention(text=surface, start=start, end=len(self.text), kind="toponym"))
        if place is not None:
            self.gold.append((start, len(self.text), place.lat, place.lon))


# Shares of the synthetic stories: a name famous for a big city or a capital that small towns
# share too ("Paris", "Athens", "Kingston"), and a state named like its big city ("New York").
FAMOUS_SHARE = 0.2
STATE_CITY_SHARE = 0.05
STATE_TOWN_SHARE = 0.05
FAMOUS_POPULATION = 500_000


def synthetic_stories(gaz, n: int, seed: int) -> list[Story]:
    """Short local stories about towns that share their name, from the gazetteer and a seed."""
    from .qualifiers import STATE_ABBREVIATIONS

    rng = random.Random(seed)
    abbr_of: dict[tuple[str, str], list[str]] = {}
    for a, key in sorted(STATE_ABBREVIATIONS.items()):
        abbr_of.setdefault(key, []).append(a)
    names = gaz.shared_names(min_places=2, min_population=1000)
    famous_names = [name for name in names if max((p.population for p in _towns(gaz, name)), default=0) >= FAMOUS_POPULATION]
    state_cities = _state_cities(gaz)
    state_towns = _state_towns(gaz)
    stories: list[Story] = []
    tries = 0
    while len(stories) < n and tries < n * 20:
        tries += 1
        kind = rng.random()
        if kind < STATE_CITY_SHARE and state_cities:
            stories.append(_state_city_story(gaz, rng, rng.choice(state_cities), f"syn-{len(stories):05d}"))
            continue
        kind -= STATE_CITY_SHARE
        if kind < STATE_TOWN_SHARE and state_towns:
            story = _state_town_story(gaz, rng, rng.choice(state_towns), f"syn-{len(stories):05d}")
            if story is not None:
                stories.append(story)
            continue
        name = rng.choice(famous_names if kind < STATE_TOWN_SHARE + FAMOUS_SHARE else names)
        towns = _towns(gaz, name)
        if len(towns) < 2 or not any(km(a, b) > KM for a in towns for b in towns):
            continue
        famous = max(towns, key=lambda p: (p.population, -p.geonameid))
        if not any(km(p, famous) > KM and p.population >= 200 for p in towns):
            continue
        cues = rng.sample(["neighbours", "county", "state", "qualifier", "country", "region"], k=rng.choice((1, 1, 2)))
        if rng.random() < 0.15:
            cues = ["none"]
        # The story must be solvable by a reader: the town meant is the biggest one that fits
        # every cue (the one in that state, county or country), or any town its neighbours name.
        pool = [p for p in towns if p.population >= 200] or towns
        target = famous if "none" in cues or rng.random() < 0.3 else rng.choice(pool)
        if "neighbours" not in cues:
            fits = [p for p in towns if _fits(p, target, cues, gaz)]
            target = max(fits, key=lambda p: (p.population, -p.geonameid))
        surface = target.name
        w = _Writer()
        slots = {"A": [(surface, target)]}
        if "qualifier" in cues and target.admin1:
            state = gaz.admin1(target.country_code, target.admin1)
            if state is not None:
                forms = [target.admin1, f"({target.admin1})", *abbr_of.get((target.country_code, target.admin1), [])]
                slots["A"] = [(surface, target), (rng.choice(forms), None)]
        w.sentence(rng.choice(_SCENES), slots)
        if "neighbours" in cues:
            _neighbours(gaz, rng, w, target)
        if "county" in cues:
            county = gaz.admin2(target)
            rows = [p for p in gaz.lookup(county) if p.level == "admin2" and p.admin1 == target.admin1] if county else []
            if rows:
                w.sentence(rng.choice(_COUNTY), {"D": [(county, rows[0])]})
        if "state" in cues and target.admin1:
            state = gaz.admin1(target.country_code, target.admin1)
            if state is not None:
                # Context only, not a lesson: news uses "New York" for the city far more often
                # than a template's "inspectors from New York" would teach.
                w.sentence(rng.choice(_STATE), {"E": [(state.name, None)]})
        if "country" in cues:
            country = gaz.country(target.country_code)
            if country is not None:
                w.sentence(_COUNTRY[0], {"F": [(country.name, None)]})
        if rng.random() < 0.3:
            w.sentence(rng.choice(_SECOND), {"A": [(surface, target)]})
        if rng.random() < 0.35:
            # News names other places in passing: a state that holds a namesake is no proof.
            other = rng.choice(towns)
            elsewhere = gaz.admin1(other.country_code, other.admin1) if other.admin1 else None
            if elsewhere is not None and elsewhere.name != target.admin1:
                w.sentence(rng.choice(_ELSEWHERE), {"G": [(elsewhere.name, None)]})
        region = None
        if "region" in cues:
            region = gaz.admin1(target.country_code, target.admin1) if target.admin1 else gaz.country(target.country_code)
        elif rng.random() < 0.1 and cues != ["none"]:
            # a publication far from the story: the text must win over the region
            other = rng.choice([p for p in towns if p is not target])
            region = gaz.admin1(other.country_code, other.admin1) if other.admin1 else None
        stories.append(Story(f"syn-{len(stories):05d}", w.text, w.mentions, w.gold, region, synthetic=True))
    return stories


def _towns(gaz, name: str) -> list[Place]:
    return [p for p in gaz.lookup(name) if p.level == "city" and gaz.name_matches_primary(p, name)]


def _neighbours(gaz, rng: random.Random, w: _Writer, target: Place) -> None:
    """A sentence naming one or two real towns near the target, and no state."""
    near = [
        p for p, d in gaz.nearest_cities(target.lat, target.lon, k=12)
        if 1 < d < 80 and p.name != target.name
    ]  # fmt: skip
    near = _distinct(near)[:2]
    if near:
        tmpl = rng.choice([t for t in _SUPPORT if ("{C}" in t) == (len(near) == 2)] or _SUPPORT[1:])
        w.sentence(tmpl, {"B": [(near[0].name, near[0])], "C": [(near[-1].name, near[-1])]})


def _state_cities(gaz) -> list[tuple[str, Place]]:
    """(name, city) for states and provinces named like a big city of theirs, far enough apart
    that choosing matters: "New York", "Washington" (D.C. is in no state, but news means it),
    "Quebec"."""
    out = []
    for state in gaz.places_at("admin1"):
        cities = [
            p for p in gaz.lookup(state.name)
            if p.level == "city" and (p.feature_code == "PPLC" or p.population >= 1_000_000)
            and p.country_code == state.country_code and km(p, state) > KM
            # its own name, not an old or a formal one ("Bahia" for Salvador is the state's)
            and (gaz.name_matches_primary(p, state.name) or normalize(p.name).startswith(normalize(state.name)))
        ]  # fmt: skip
        if cities:
            out.append((state.name, max(cities, key=lambda p: (p.population, -p.geonameid))))
    return out


def _state_city_story(gaz, rng: random.Random, pair: tuple[str, Place], id_: str) -> Story:
    """News means the city by "New York" or "Washington": a local story that names it so."""
    surface, city = pair
    w = _Writer()
    w.sentence(rng.choice(_SCENES), {"A": [(surface, city)]})
    if rng.random() < 0.5:
        _neighbours(gaz, rng, w, city)
    if rng.random() < 0.3:
        country = gaz.country(city.country_code)
        if country is not None:
            w.sentence(_COUNTRY[0], {"F": [(country.name, None)]})
    if rng.random() < 0.3:
        w.sentence(rng.choice(_SECOND), {"A": [(surface, city)]})
    return Story(id_, w.text, w.mentions, w.gold, None, synthetic=True)


_STATE_SCENES = (
    "Lawmakers from {S} pressed for more money for roads and bridges.",
    "The governor of {S} signed the budget on Tuesday.",
    "Wildfires in {S} forced thousands of people from their homes.",
    "Unemployment in {S} fell to its lowest level in a decade.",
)


def _state_towns(gaz) -> list[tuple[Place, list[Place]]]:
    """(state, towns) for states and provinces whose name only small towns elsewhere in the same
    country share: "California" is also a town in Maryland, "Indiana" one in Pennsylvania."""
    out = []
    for state in gaz.places_at("admin1"):
        towns = [
            p for p in _towns(gaz, state.name)
            if p.country_code == state.country_code and p.admin1 != state.name and km(p, state) > KM
        ]  # fmt: skip
        if towns and not has_big_city(towns):
            out.append((state, towns))
    return out


def _state_town_story(gaz, rng: random.Random, pair: tuple[Place, list[Place]], id_: str) -> Story | None:
    """News means the state by "California", even in a story that names places near a small town
    of that name (a Washington dateline and California, Maryland); a story about the town says
    so: its state beside it ("California, Md.") or its county."""
    state, towns = pair
    town = rng.choice(towns)
    w = _Writer()
    if rng.random() < 0.7:
        _neighbours(gaz, rng, w, town)
        w.sentence(rng.choice(_STATE_SCENES), {"S": [(state.name, state)]})
    else:
        state_of_town = gaz.admin1(town.country_code, town.admin1) if town.admin1 else None
        if state_of_town is None:
            return None
        w.sentence(rng.choice(_SCENES), {"A": [(town.name, town), (town.admin1, None)]})
        _neighbours(gaz, rng, w, town)
        if rng.random() < 0.5:
            w.sentence(rng.choice(_SECOND), {"A": [(town.name, town)]})
    if not w.gold:
        return None
    return Story(id_, w.text, w.mentions, w.gold, None, synthetic=True)


def _fits(p: Place, target: Place, cues: list[str], gaz) -> bool:
    """Whether town p agrees with everything the story's cues say about the target."""
    if p.country_code != target.country_code:
        return False
    if {"state", "qualifier", "region", "county"} & set(cues) and p.admin1 != target.admin1:
        return False
    return "county" not in cues or gaz.admin2(p) == gaz.admin2(target)


def _distinct(places: list[Place]) -> list[Place]:
    seen, out = set(), []
    for p in places:
        if p.name not in seen:
            seen.add(p.name)
            out.append(p)
    return out


# --- resolving and learning ------------------------------------------------------------------


def resolve_story(resolver, story: Story, trace: list | None = None) -> list[Mention]:
    return resolver.resolve(story.fresh(), story.text, region=story.region, trace=trace)


def decisions(resolver, stories: list[Story]):
    """(story, n mentions, [(features, right?)]) for every name the ranker decided with gold."""
    for story in stories:
        trace: list = []
        resolve_story(resolver, story, trace)
        for g, scored in trace:
            gold = [story.gold_of(m) for m in g.mentions]
            gold = [x for x in gold if x is not None]
            if not gold:
                continue
            glat, glon = gold[0]
            point = Place(None, "", None, "city", glat, glon)
            yield story, len(gold), [(f, _grade(km(p, point))) for p, f in scored]


def _grade(d: float) -> int:
    """2 at the gold point (within NEAR_KM), 1 right at the scorer's radius, 0 wrong."""
    return 2 if d <= NEAR_KM else 1 if d <= KM else 0


def pairs(groups, weight: float):
    """Pairwise rows: better minus worse (label 1) and worse minus better (label 0). Right goes
    before wrong; and among right ones the place at the gold point before one only within 161 km
    (Homs the city before the governorate whose point lies 80 km off), with the same weight."""
    X, y, w = [], [], []
    for n, cands in groups:
        for better, worse in ((1, 0), (2, 1)):
            pos = [f for f, g in cands if g >= better][:3]
            neg = [f for f, g in cands if g == worse][:MAX_NEGATIVES]
            if not pos or not neg:
                continue
            share = weight * n / (len(pos) * len(neg))
            for fp in pos:
                for fn in neg:
                    d = [fp.get(k, 0.0) - fn.get(k, 0.0) for k in LEARNED]
                    X.append(d)
                    y.append(1)
                    w.append(share)
                    X.append([-v for v in d])
                    y.append(0)
                    w.append(share)
    return X, y, w


def fit(gaz, train: list[Story], synth: list[Story], rounds: int = ROUNDS) -> Ranker:
    from sklearn.linear_model import LogisticRegression

    from .resolve import Resolver

    ranker = Ranker(BOOTSTRAP, {"source": "bootstrap"})
    for _ in range(rounds):
        resolver = Resolver(gaz, ranker)
        real = [(n, c) for _, n, c in decisions(resolver, train)]
        fake = [(n, c) for _, n, c in decisions(resolver, synth)]
        n_real = sum(n for n, _ in real) or 1
        n_fake = sum(n for n, _ in fake) or 1
        X1, y1, w1 = pairs(real, 1.0)
        X2, y2, w2 = pairs(fake, SYNTHETIC_SHARE * n_real / n_fake)
        model = LogisticRegression(C=C, fit_intercept=False, max_iter=5000, tol=1e-8)
        model.fit(X1 + X2, y1 + y2, sample_weight=w1 + w2)
        ranker = Ranker(dict(zip(LEARNED, (float(v) for v in model.coef_[0]))))
    return ranker


def accuracy(gaz, ranker: Ranker, stories: list[Story]) -> tuple[float, int]:
    """acc@161 over the recognised names that overlap a gold place, however they were placed
    (ranker, rule or fallback): what the corpus scorer counts, give or take its one-to-one
    matching of overlapping spans."""
    from .resolve import Resolver

    resolver = Resolver(gaz, ranker)
    right = total = 0
    for story in stories:
        for m in resolve_story(resolver, story):
            gold = story.gold_of(m)
            if gold is not None:
                total += 1
                right += m.place is not None and km(m.place, Place(None, "", None, "city", *gold)) <= KM
    return right / max(total, 1), total


def folds(stories: list[Story], k: int = FOLDS) -> list[list[Story]]:
    """By document: the stories sorted by id and dealt round-robin."""
    ordered = sorted(stories, key=lambda s: s.id)
    return [ordered[i::k] for i in range(k)]


def cross_validated(gaz, stories: list[Story], synth: list[Story], k: int = FOLDS):
    """(held-out fold, ranker trained without it) for each of k folds."""
    parts = folds(stories, k)
    for i, held in enumerate(parts):
        train = [s for j, part in enumerate(parts) if j != i for s in part]
        yield held, fit(gaz, train, synth)


def load_training(data: Path, n_synthetic: int, seed: int):
    from geo.gazetteer import Gazetteer

    from .pipeline import Pipeline

    gaz = Gazetteer.default()
    pipeline = Pipeline(gazetteer=gaz, events=False)
    return gaz, read_gold(data, pipeline), synthetic_stories(gaz, n_synthetic, seed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geo train resolver", description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="GeoWebNews-style gold JSONL (default: %(default)s)")
    ap.add_argument("--synthetic", type=int, default=3000, help="synthetic stories (default 3000)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", default=str(MODEL_FILE), help="model file to write (default: the shipped one)")
    ap.add_argument("--no-cv", action="store_true", help="skip the 5-fold cross-validation")
    args = ap.parse_args(argv)
    if not Path(args.data).is_file():
        print(f"error: training data {args.data} not found (pass --data)", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    gaz, gold, synth = load_training(Path(args.data), args.synthetic, args.seed)
    print(f"{len(gold)} articles, {len(synth)} synthetic stories ({time.perf_counter() - t0:.0f} s)")
    ranker = fit(gaz, gold, synth)
    acc_in, n = accuracy(gaz, ranker, gold)
    print(f"in-sample: acc@161 {acc_in:.4f} over {n} recognised names with a gold place")
    figures = {"in_sample_acc161": round(acc_in, 4)}
    if not args.no_cv:
        right = total = 0
        for held, fold_ranker in cross_validated(gaz, gold, synth):
            acc, n = accuracy(gaz, fold_ranker, held)
            right += acc * n
            total += n
        figures["cv5_acc161"] = round(right / max(total, 1), 4)
        print(f"5-fold by document: acc@161 {figures['cv5_acc161']:.4f} (n={total})")
    meta = {
        "about": "Dateline resolver ranker: score = sum(weight * feature); see geo/text/resolve_features.py",
        "licence": LICENCE,
        "trained_on": {"gold": Path(args.data).name, "gold_articles": len(gold), "synthetic_stories": len(synth),
                       "seed": args.seed, "C": C, "rounds": ROUNDS},
        "figures": figures,
        "features": list(FEATURES),
    }  # fmt: skip
    out = Ranker(ranker.weights, meta)
    Path(args.out).write_text(json.dumps(out.to_json(), indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({time.perf_counter() - t0:.0f} s)")
    return 0

