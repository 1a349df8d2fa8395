"""Where an event happened, learned: a ranker over each trigger's place candidates, and its trainer.

The candidates and their features come from geo/text/event_features.py. The shipped model is a
forest of gradient-boosted trees trained with LightGBM's LambdaRank objective (each trigger's
candidates, "no place" among them, are one query); `--model linear` trains the alternative, a
conditional logit (a softmax over each trigger's candidates) with an L2 penalty, fitted by
L-BFGS. Both learn to order one trigger's candidates, not to score candidates against every other
trigger's. The model ships as JSON in `models/events.json` and is applied here with numpy (the
trees) or dictionary look-ups (the weights), so the product needs neither LightGBM nor scipy at
run time. The candidate that scores highest is the event's place; "no place" wins when it
scores highest after `none_bias`, a shift the trainer keeps at its default unless
cross-validation on the training file finds a better one (`choose_shift`). Candidates listed
with the winner ("shelled Kafr Laha and Tal Dahab") are events of their own. Movements take
their origin and destination among the candidates the rules propose for each slot.
`location_reason` names, in words, the features that set the winner above the runner-up.

    .venv/bin/python -m geo train events [--train PATH] [--dev PATH] [--out PATH] [--model trees|linear]

trains on Halterman's event-location training sentences (MIT, (c) 2019 Andy Halterman; see
models/NOTICE), reports 5-fold cross-validation on them (folds by record) and the dev figures, and
writes the model, deterministically.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import time
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path

from . import taxonomy as tx
from .event_features import STAMP, Candidate
from .event_locate import Placement, specificity

MODEL_PATH = Path(__file__).parent / "models" / "events.json"
REPO = Path(__file__).resolve().parents[2]
DEFAULT_TRAIN = REPO.parent / "shared" / "eval" / "events_train.jsonl"
DEFAULT_DEV = REPO.parent / "shared" / "eval" / "events_dev.jsonl"
# Chosen on the dev file (see the README's figures): the L2 penalty's inverse strength for the
# linear model, boosting rounds and leaves per tree for the trees.
DEFAULT_C = 0.5
DEFAULT_ROUNDS = 800
DEFAULT_LEAVES = 15
# Fewest training candidates a leaf may hold. Chosen by cross-validation over three seed sets:
# at 5 (and at 2 or 10) the trainer's criterion was 0.002-0.006 above LightGBM's default of 20
# in each of them, with both more events placed right and fewer "no place" events placed; a
# trigger word or a preposition seen in a handful of sentences can then weigh on its own.
DEFAULT_MIN_LEAF = 5
DEFAULT_SEEDS = 3
# A feature seen in fewer training candidates than this is left out.
MIN_COUNT = 2
TREE_MIN_COUNT = 3
# "No place" shifts tried in cross-validation. The default is kept unless another gets more gold
# events right, placed and unplaced alike, by more than two standard errors of the fold-by-fold
# difference and by half a point at least: it was the best or within a tenth of a point of it in
# all but one of the trainings of the last two rounds of changes, and of shifts that get as many
# events right it places more, and an unplaced event is not on the map. With one standard error
# as the bar, four trainings in a row flipped between it and no shift on leads of 0.0016-0.0033
# (standard errors 0.0012-0.0022), which moved dev by more than a point each time and made the
# figures of two builds incomparable; the seeds alone move the criterion about that much.
NONE_BIASES = (0.5, 0.25, 0.0, -0.25, -0.5)
DEFAULT_NONE_BIAS = -0.25
MIN_SHIFT_GAIN = 0.005


# What each placement rule means to a reader of `location_reason`.
_RULE_WORDS = {
    "prep": "a place phrase on the event's words",
    "prep_most_specific": "the most specific of the event's place phrases",
    "prep_opens_sentence": "the place phrase that opens the sentence",
    "prep_of_main_verb": "the place of the act this one resulted from",
    "prep_event_noun": "the place of the event noun it happened during",
    "prep_smaller_than_object": "a place phrase smaller than the place acted on",
    "smaller_place_inside_the_scene": "a smaller place inside the scene the sentence opens with",
    "fronted_scene": "the scene the sentence opens with",
    "object": "the place acted on",
    "origin_prep": "where the movement came from",
    "destination_prep": "where the movement went",
    "origin_object": "the place left",
    "destination_object": "the place entered",
    "origin_demonym": "the movers' nationality",
    "town_in_a_when_clause": "a town named in a 'when' clause of the same blow",
    "the_place_it_aims_at": "the place the offensive aims at",
    "town_inside_the_region_named": "a town inside the region named",
    "actor_prep": "where the actors were",
    "actor_town": "the town that names the actors",
    "where_clause": "the place a 'where' clause qualifies",
    "where_the_target_was_put": "where the thing acted on was put",
    "noun_modifier": "a place naming the event",
    "metonymic_actor": "the seat of the government that acted",
    "clause": "a place in the event's own clause",
}

_PLAIN = {
    "most_specific_in_sentence": "the most specific place of the sentence",
    "outside_the_named_country": "outside the country the sentence names",
    "object_of_trigger": "what the event was done to",
    "in_the_actor": "in the actor's phrase",
    "coarse_place": "a country or province",
    "not_in_gazetteer": "a name the gazetteer lacks",
    "gazetteer_knows_the_name": "a name the gazetteer knows",
    "nearest_in_the_parse": "the place nearest the event's words in the parse",
    "only_candidate": "the only place the sentence names",
    "in_the_opening_scene": "the scene the sentence opens with",
    "in_brackets": "written in brackets",
    "src:name": "a name the geoparser had not taken for a place",
    "src:rule_found_name": "a name only its place in the sentence shows to be a place",
    "src:mention": "a place the geoparser found",
    "other_clause": "in another clause",
    "reference_point": "a place others are said to be near",
}

# Families whose features say why in words (the rest, such as the mention's kind or position,
# only support a choice).
_TELLING = ("rule:", "prep:", "lpath:", "path:", "word_before:", "word_after:", "head:", "phrase_on:", "object_of_trigger",
            "nearest_in_the_parse", "only_candidate", "in_the_opening_scene", "most_specific_in_sentence",
            "in_brackets", "level:", "name_level:")


# Telling families that describe a place's surroundings rather than its tie to the event.
_CONTEXT = ("word_after:", "level:", "name_level:", "nearest_in_the_parse")


def describe(feature: str) -> str:
    """A feature in words, for `location_reason`."""
    base = feature.split("|")[0]
    kind, _, rest = base.partition(":")
    if kind == "rule":
        rule, _, detail = rest.partition(":")
        words = _RULE_WORDS.get(rule, rule.replace("_", " "))
        return f"{words} ('{detail}')" if detail else words
    if kind == "prep":
        if rest == "none":
            return "after no preposition"
        on = feature.partition("|on:")[2]
        where = {"trigger": " on the event's words", "other_event": " on another event's words"}.get(on, "")
        return f"after '{rest}'{where}"
    if kind in ("path", "lpath"):
        preps = re.findall(r"prep\[(\w+)\]", rest)
        ups, _, downs = rest.partition("|")
        hops = len([x for x in ups.split(">") if x]) + len([x for x in downs.split("<") if x])
        if kind == "lpath" and preps:
            return f"in the '{preps[0]}' phrase {hops} steps from the event's words in the parse"
        return f"{hops} steps from the event's words in the parse"
    if kind == "word_before":
        return f"after '{rest}'" if not rest.startswith("#") else "after a name or number"
    if kind == "word_after":
        return f"before '{rest}'" if not rest.startswith("#") else "before a name or number"
    if kind == "head":
        dep, _, word = rest.partition(":")
        if dep == "pobj":
            return f"after '{word}'"
        return f"the name of a '{word}'" if word and not word.startswith("#") else "in a noun phrase"
    if kind == "phrase_on":
        return f"in a phrase on '{rest}'" if not rest.startswith("#") else "in a phrase on a name"
    if kind in ("level", "name_level"):
        return f"a {rest}-level place"
    if kind == "distance":
        side, _, n = rest.partition(":")
        return f"within {n} words {side} the event's words"
    return _PLAIN.get(base, base.replace("_", " ").replace(":", " "))


class Linear:
    """A weight per feature: a candidate's score is the sum of its features' weights."""

    kind = "linear"

    def __init__(self, weights: dict[str, float]):
        self.weights = weights

    def scores(self, cands: list[Candidate]) -> list[float]:
        w = self.weights
        return [sum(w.get(f, 0.0) * v for f, v in c.features.items()) for c in cands]

    def contributions(self, c: Candidate) -> dict[str, float]:
        return {f: self.weights.get(f, 0.0) * v for f, v in c.features.items()}

    def explained(self, cands: list[Candidate]):
        """The candidates' scores, and what moved the score of the i-th (see `Trees.explained`)."""
        return self.scores(cands), lambda i: self.contributions(cands[i])

    def to_json(self) -> dict:
        return {"weights": dict(sorted(self.weights.items()))}


class Trees:
    """A forest of regression trees over binary features (gradient boosting, LightGBM at
    training time), evaluated with numpy. A candidate's score is the sum of its leaves' values.

    Scores come from the leaves a candidate's present features rule out (QuickScorer, Lucchese
    et al., SIGIR 2015): number each tree's leaves left to right; a split whose feature is present
    sends the candidate right, so no leaf of its left subtree can be where it ends, and the leaf it
    ends in is the leftmost one no present feature ruled out. A candidate has a few dozen of the
    forest's thousands of features, so this reads only the splits on those, in a handful of numpy
    calls per trigger, where descending every tree level by level took a dozen steps of calls.
    `contributions` reads the splits on the way to each exit leaf, listed once per leaf at load."""

    kind = "trees"

    def __init__(self, features: list[str], feature: list[int], left: list[int], right: list[int], value: list[float], roots: list[int]):
        import numpy as np

        self.features = features
        self.index = {f: i for i, f in enumerate(features)}
        self.feature = np.asarray(feature, dtype=np.int32)  # len(features) at a leaf, which splits on nothing
        self.left = np.asarray(left, dtype=np.int32)
        self.right = np.asarray(right, dtype=np.int32)
        self.value = np.asarray(value, dtype=np.float64)
        self.roots = np.asarray(roots, dtype=np.int32)
        self._rule_out_tables()

    def _rule_out_tables(self) -> None:
        """For each feature, the trees it splits and, for each such split, the leaves still
        possible when the feature is present (a bit mask over the tree's leaves, left to right);
        and each tree's leaf values in that order."""
        import numpy as np

        left, right, feature = self.left.tolist(), self.right.tolist(), self.feature.tolist()
        value = self.value.tolist()
        split_feature, split_tree, split_mask, leaves = [], [], [], []

        def number(node: int, tree: int, out: list, path: tuple) -> None:
            # `path`: each split on the way here, as (feature, how far it moved the value)
            if left[node] == node:
                out.append((value[node], path))
                return
            first = len(out)
            f = feature[node]
            number(left[node], tree, out, path + ((f, value[left[node]] - value[node]),))
            ruled_out = ((1 << (len(out) - first)) - 1) << first  # the left subtree's leaves
            split_feature.append(f)
            split_tree.append(tree)
            split_mask.append(~ruled_out & 0xFFFF_FFFF_FFFF_FFFF)
            number(right[node], tree, out, path + ((f, value[right[node]] - value[node]),))

        for t, root in enumerate(self.roots.tolist()):
            found: list = []
            number(root, t, found, ())
            leaves.append(found)
        width = max(map(len, leaves), default=1)
        if width > 64:
            raise ValueError(f"a tree with {width} leaves: at most 64 fit a leaf mask")
        self.width = width
        self.leaf_value = np.zeros((len(leaves), width))
        # the splits on the way to leaf k of tree t: path_feature[path_first[i]:path_first[i + 1]]
        # with i = t * width + k, for `contributions`
        path_first, path_feature, path_delta = [0], [], []
        for t, found in enumerate(leaves):
            for k in range(width):
                val, path = found[k] if k < len(found) else (0.0, ())
                self.leaf_value[t, k] = val
                path_feature += [f for f, _ in path]
                path_delta += [d for _, d in path]
                path_first.append(len(path_feature))
        self.path_first = np.asarray(path_first, dtype=np.int64)
        self.path_feature = np.asarray(path_feature, dtype=np.int64)
        self.path_delta = np.asarray(path_delta, dtype=np.float64)
        order = np.argsort(np.asarray(split_feature, dtype=np.int64), kind="stable")
        by_feature = np.asarray(split_feature, dtype=np.int64)[order]
        self.split_tree = np.asarray(split_tree, dtype=np.int64)[order]
        self.split_mask = np.asarray(split_mask, dtype=np.uint64)[order]
        # the splits on feature j are split_tree[first[j]:first[j + 1]]
        self.first = np.searchsorted(by_feature, np.arange(len(self.features) + 1))

    @classmethod
    def from_lightgbm(cls, booster, features: list[str]) -> Trees:
        """One forest from LightGBM boosters: their trees side by side, each leaf worth its share
        of their mean (one booster: its own trees)."""
        boosters = booster if isinstance(booster, (list, tuple)) else [booster]
        share = 1.0 / len(boosters)
        feature, left, right, value, roots = [], [], [], [], []

        def add(node: dict) -> int:
            n = len(feature)
            feature.append(len(features))
            left.append(n)
            right.append(n)
            value.append(round(share * float(node.get("leaf_value", node.get("internal_value", 0.0))), 6))
            if "split_feature" in node:
                # binary features: 0 goes left ("<=" a threshold just above 0), 1 goes right
                assert node["decision_type"] == "<=" and 0 <= node["threshold"] < 1, node
                feature[n] = node["split_feature"]
                left[n] = add(node["left_child"])
                right[n] = add(node["right_child"])
            return n

        for b in boosters:
            for tree in b.dump_model()["tree_info"]:
                roots.append(add(tree["tree_structure"]))
        return cls(features, feature, left, right, value, roots)

    @staticmethod
    def _slices(first, keys):
        """The indices first[k]:first[k + 1] of every key, one after another, and each key's count."""
        import numpy as np

        start = first[keys]
        count = first[keys + 1] - start
        return np.repeat(start - (np.cumsum(count) - count), count) + np.arange(int(count.sum())), count

    def _exit_leaves(self, cands: list[Candidate]):
        """The leaf (left to right) each candidate ends in, in every tree: shape (candidates, trees)."""
        import numpy as np

        n_trees = len(self.roots)
        rows, cols = [], []
        for r, c in enumerate(cands):
            present = [j for j in map(self.index.get, c.features) if j is not None]
            cols += present
            rows += [r] * len(present)
        # every split on a present feature, feature after feature
        at, count = self._slices(self.first, np.asarray(cols, dtype=np.int64))
        alive = np.full(len(cands) * n_trees, np.uint64(0xFFFF_FFFF_FFFF_FFFF))
        where = np.repeat(np.asarray(rows, dtype=np.int64), count) * n_trees + self.split_tree[at]
        np.bitwise_and.at(alive, where, self.split_mask[at])
        lowest = alive & (~alive + np.uint64(1))  # the leftmost leaf still possible
        return (np.frexp(lowest.astype(np.float64))[1] - 1).reshape(len(cands), n_trees)

    def scores(self, cands: list[Candidate]) -> list[float]:
        return self.explained(cands)[0]

    def contributions(self, c: Candidate) -> dict[str, float]:
        """How much each feature of `c` moved its score along its paths through the trees (the
        Saabas attribution), for `location_reason`."""
        return self._contributions(c, self._exit_leaves([c])[0])

    def explained(self, cands: list[Candidate]):
        """The candidates' scores, and a function giving the contributions of the i-th from the
        same exit leaves: the placement explains its winner and runner-up without finding their
        leaves again."""
        import numpy as np

        if not cands:
            return [], lambda i: {}
        leaves = self._exit_leaves(cands)
        scores = self.leaf_value[np.arange(len(self.roots)), leaves].sum(axis=1).tolist()
        return scores, lambda i: self._contributions(cands[i], leaves[i])

    def _contributions(self, c: Candidate, exits) -> dict[str, float]:
        import numpy as np

        at, _ = self._slices(self.path_first, np.arange(len(self.roots)) * self.width + exits)
        contrib = np.bincount(self.path_feature[at], weights=self.path_delta[at], minlength=len(self.features))
        return {f: float(contrib[self.index[f]]) for f in c.features if f in self.index}

    def to_json(self) -> dict:
        return {"features": self.features, "trees": {
            "feature": self.feature.tolist(), "left": self.left.tolist(), "right": self.right.tolist(),
            "value": self.value.tolist(), "roots": self.roots.tolist()}}


class Ranker:
    """Scores candidates with the shipped model; `place` turns the scores into placements.
    `lexicon` holds the trigger words learned from the training file (see `learn_lexicon`)."""

    _default: Ranker | None = None

    def __init__(self, scorer: Linear | Trees, none_bias: float = 0.0, lexicon: dict | None = None, meta: dict | None = None):
        self.scorer = scorer
        self.none_bias = none_bias
        self.lexicon = lexicon or {}
        self.meta = meta or {}
        self.cache: dict = {}  # what users build once per ranker (the events stage's trigger words)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Ranker:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if "trees" in data:
            scorer: Linear | Trees = Trees(data["features"], **data["trees"])
        else:
            scorer = Linear(data["weights"])
        meta = {k: v for k, v in data.items() if k not in ("weights", "features", "trees", "none_bias", "lexicon")}
        return cls(scorer, data.get("none_bias", 0.0), data.get("lexicon"), meta)

    @classmethod
    def default(cls) -> Ranker:
        """The shipped model, read once per process."""
        if cls._default is None:
            cls._default = cls.load()
        return cls._default

    def to_json(self) -> dict:
        return {"none_bias": self.none_bias, "lexicon": self.lexicon, **self.scorer.to_json()}

    def reason(self, win: Candidate, mine: dict[str, float], theirs: dict[str, float], top: int = 2) -> str:
        """The features of `win` that set it above the runner-up most, in words, from what each
        feature moved their scores (`mine`, `theirs`: the scorer's contributions)."""
        gains = {f: g - theirs.get(f, 0.0) for f, g in mine.items()}
        telling = [f for f, g in gains.items() if g > 0 and f.startswith(_TELLING)]
        # what ties the place to the event (a rule, its preposition, the parse) before the words
        # that merely stand beside it ("before 'on'")
        best = sorted(telling, key=lambda f: (f.startswith(_CONTEXT), -gains[f], f))
        words = list(dict.fromkeys(describe(self._detailed(win, f)) for f in best))
        return "; ".join(words[:top])

    @staticmethod
    def _detailed(c: Candidate, feature: str) -> str:
        """A rule's feature with its preposition where it has one ("rule:prep" -> "rule:prep:in")."""
        if not feature.startswith("rule:") or feature.count(":") > 1:
            return feature
        rule = feature.split("|")[0]
        return next((f for f in c.features if f.startswith(rule + ":")), rule)

    @staticmethod
    def slot_reason(c: Candidate, slot: str) -> str:
        """Why a place fills a movement's origin or destination: the rules that proposed it there."""
        return "; ".join(describe(Ranker._detailed(c, f"rule:{r}")) for r in sorted(c.rules) if r.startswith(slot))

    def place(self, cands: list[Candidate], etype: tx.EventType, resolve=None) -> list[Placement]:
        """The placements of one trigger from its candidates ("no place" last). `resolve` turns a
        bare name that wins into a place mention (`Locator.name_place`); without one a name keeps
        no point."""
        none, rest = cands[-1], cands[:-1]
        all_scores, explain = self.scorer.explained(cands)
        at = {id(c): n for n, c in enumerate(cands)}
        s_none = all_scores[-1] + self.none_bias
        scored = sorted(((s, n, c) for n, (s, c) in enumerate(zip(all_scores, rest))), key=lambda x: (-x[0], x[1]))
        top = max([s_none] + [s for s, _, _ in scored])
        total = sum(math.exp(s - top) for s in [s_none] + [s for s, _, _ in scored])

        def prob(s: float) -> float:  # the softmax over this trigger's candidates
            return math.exp(s - top) / total

        def mention(c: Candidate):
            m = resolve(c) if c.name is not None and resolve is not None else c.mention
            if m.place is None:
                # a street or a site the gazetteer lacks ("Kiev's Khreshchatyk Avenue") sits at the
                # place written inside its phrase, the best scored first
                inner = sorted((x for x in c.holds if x.mention.place is not None), key=lambda x: -all_scores[at[id(x)]])
                if inner:
                    m = replace(m, place=inner[0].mention.place, score=0.1, candidates=[],
                                reason=f"{m.reason + '; ' if m.reason else ''}not in the gazetteer; placed at {inner[0].mention.text}, named with it")
            return m

        def runner_up(c: Candidate) -> Candidate:
            return next((x for _, _, x in scored if x is not c), none)

        def best_of(slot: str):
            return next(((s, c) for s, _, c in scored if slot in c.slots), None)

        def placement(c: Candidate, s: float, **slots) -> Placement:
            p = prob(s)
            reason = self.reason(c, explain(at[id(c)]), explain(at[id(runner_up(c))]))
            return Placement(**slots, reason=reason, weight=0.7 + 0.3 * p, score=round(p, 3))

        loc = best_of("location")
        if loc is not None and loc[0] <= s_none:
            loc = None
        qualifying = {q for _, _, x in scored for q in x.qualifiers}  # the states and countries written after a name
        if etype.movement:
            origin, dest = best_of("origin"), best_of("destination")
            if loc is not None and any(x is not None and x[1] is loc[1] for x in (origin, dest)):
                loc = None  # "fled from Savannah to Macon": Savannah is where they left, not where it happened
            if dest is not None and loc is not None and specificity(loc[1].mention) <= specificity(dest[1].mention):
                loc = None  # "entered the town of Kafr Zeta in northern Hama": where Kafr Zeta is
            if origin is not None or dest is not None:
                lead = next(x for x in (dest, origin) if x is not None)
                pl = placement(lead[1], lead[0], origin=origin and mention(origin[1]), destination=dest and mention(dest[1]))
                pl.reason = "; ".join(self.slot_reason(x[1], slot) for x, slot in ((origin, "origin"), (dest, "destination")) if x)
                out = [pl]
                if loc is not None:
                    pl.location = mention(loc[1])
                elif dest is not None:
                    # "entered the towns of Kafr Nabl, Hass and Maarat Harma": one entry each
                    out += [placement(c, s, origin=pl.origin, destination=mention(c)) for s, _, c in scored
                            if c is not dest[1] and _listed_with(c, dest[1], "destination", qualifying)]
                    out.sort(key=lambda p: p.destination.start)
                return out
        # "On 5 May, in Gao, a rocket struck ..., youths staged a sit-in, and police arrested
        # three": a scene the sentence opens with is where each of its events happened that
        # names no place of its own (the annotators' "no place" reads the verb's own phrases)
        scene = next(((s, c) for s, _, c in scored if "in_the_opening_scene" in c.features and "location" in c.slots
                      and not any(_span(c) in x.qualifiers for _, _, x in scored)), None)
        if loc is not None and scene is not None and "another_events_phrase" in loc[1].features:
            # "in Tibú, ..., a family was found dead, and residents fled toward Cúcuta": a place in
            # another event's own phrase is that event's, and this one happened in the scene
            loc = None
        if loc is None:
            if scene is not None:
                s, c = scene
                pl = placement(c, s, location=mention(c))
                pl.reason = describe("in_the_opening_scene")
                return [pl]
            return [Placement(reason="", weight=1.0, score=round(prob(s_none), 3))]
        s, win = loc
        # "in Tripoli (North Lebanon)": a qualifier says where the name it follows lies; the
        # event happened at the name
        qualified = next((c for _, _, c in scored if "location" in c.slots and _span(win) in c.qualifiers), None)
        if qualified is not None:
            win = qualified
        out = [placement(win, s, location=mention(win))]
        taken = [win]
        # the places listed with the winner ("shelled Kafr Laha and Tal Dahab", "in Lyon, in
        # Marseille and in Nice"): one event each, as annotators mark them, however each scores
        # alone (requiring each to beat "no place" too lost about a point in cross-validation)
        for s2, _, c in scored:
            if c is not win and _listed_with(c, win, "location", qualifying) and not any(_overlap(c, x) for x in taken):
                out.append(placement(c, s2, location=mention(c)))
                taken.append(c)
        out.sort(key=lambda p: p.location.start)
        return out


def _listed_with(c: Candidate, win: Candidate, slot: str, qualifiers: set) -> bool:
    """Whether `c` is written in one list with the winner of `slot` ("shelled Kafr Laha and Tal
    Dahab", "entered the towns of Kafr Nabl, Hass and Maarat Harma"), so that it is a place of
    the event too: but not a qualifier written after the winner or after any other candidate
    (`qualifiers`, their spans: "Datu Piang (Maguindanao)", "in Portland, Maine and Portland,
    Oregon"), nor a name the winner qualifies."""
    same_rule = slot in c.slots and bool(c.groups & win.groups)
    same_list = c.listed_in is not None and c.listed_in == win.listed_in and (slot in c.slots or "location" in c.slots)
    qualifying = _span(c) in qualifiers or _span(win) in c.qualifiers or _bracketed_after(c, win)
    return (same_rule or same_list) and not qualifying


def _span(c: Candidate) -> tuple[int, int]:
    return (c.mention.start, c.mention.end)


def _bracketed_after(c: Candidate, win: Candidate) -> bool:
    """A bare name in the brackets right after the winner ("Ercilla (Malleco, Araucanía)"), which
    the gazetteer does not know: a division written to say where the winner is."""
    return c.name is not None and "in_brackets" in c.features and 0 < c.mention.start - win.mention.end <= 100


def _overlap(a: Candidate, b: Candidate) -> bool:
    """Two candidates for one name: overlapping spans ("Al-Zawiya" and "Zawiya") or one text, but
    not one text the text itself puts in two places ("Portland, Maine and Portland, Oregon")."""
    if a.mention.start < b.mention.end and b.mention.start < a.mention.end:
        return True
    pa, pb = a.mention.place, b.mention.place
    return a.mention.text == b.mention.text and not (a.qualifiers and b.qualifiers and pa is not None and pb is not None and pa != pb)


# ---------------------------------------------------------------------------------------------
# the trigger words annotators mark


def learn_lexicon(records: list[_Parsed], min_marked: int = 5, min_rate: float = 0.3) -> dict:
    """Verb and noun lemmas the training file's annotators mark as events at least `min_marked`
    times and in at least `min_rate` of the lemma's occurrences, with the type the vocabulary
    gives them (`taxonomy.learned_type`). The events stage detects them besides the taxonomy's
    own words; lemmas the vocabulary cannot type are listed for review and not detected."""
    from .events import verb_lemma

    marked: Counter = Counter()
    seen: Counter = Counter()
    for p in records:
        gold = {t.i for t in (trigger_token(p.doc, g.get("trigger") or "") for g in p.rec["events"]) if t is not None}
        for t in p.doc:
            if t.pos_ not in ("VERB", "NOUN"):
                continue
            key = (verb_lemma(t) if t.pos_ == "VERB" else t.lemma_.lower(), t.pos_.lower())
            seen[key] += 1
            marked[key] += t.i in gold
    out: dict = {"verb": {}, "noun": {}, "untyped": []}
    for (lem, pos), n in sorted(marked.items()):
        if n < min_marked or n / seen[(lem, pos)] < min_rate:
            continue
        etype = tx.learned_type(lem, pos)
        if etype is None:
            out["untyped"].append(f"{lem} ({pos}, {n}/{seen[(lem, pos)]})")
        else:
            out[pos][lem] = {"type": etype, "marked": n, "seen": seen[(lem, pos)]}
    return out


# ---------------------------------------------------------------------------------------------
# training


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"\w+", s))


def names_match(gold: str | None, pred: str | None) -> bool:
    """The shared scorer's name match: equal, or one a whole-word part of the other."""
    g, p = _fold(gold), _fold(pred)
    return bool(g and p) and (g == p or f" {g} " in f" {p} " or f" {p} " in f" {g} ")


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        recs = [json.loads(line) for line in f if line.strip()]
    return sorted(recs, key=lambda r: r["id"])


class _Parsed:
    """A record parsed once: its Doc and resolved mentions, reused by every fold."""

    def __init__(self, rec: dict, doc, mentions):
        self.rec, self.doc, self.mentions = rec, doc, mentions


def _parse_all(pipe, recs: list[dict]) -> list[_Parsed]:
    from .dates import parse_published

    out = []
    for rec, doc in zip(recs, pipe.nlp.pipe(r["text"] for r in recs)):
        mentions = pipe.finder.find(doc)
        pipe.resolver.resolve(mentions, doc.text)
        rec["_published"] = parse_published(rec["pub_date"]) if rec.get("pub_date") else None
        out.append(_Parsed(rec, doc, mentions))
    return out


def trigger_token(doc, trigger: str):
    """The token an annotated trigger word is: the first token written as it, else the head of
    the first whole-word match (a word the tokenizer split)."""
    word = trigger.strip().casefold()
    if not word:
        return None
    tok = next((t for t in doc if t.text.casefold() == word), None)
    if tok is not None:
        return tok
    m = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", doc.text.casefold())
    span = doc.char_span(m.start(), m.end(), alignment_mode="expand") if m else None
    return span.root if span is not None and len(span) else None


def _examples(pipe, parsed: _Parsed, lexicon: dict) -> list[tuple[list[Candidate], set[int]]]:
    """One candidate set per annotated trigger of the record, found by our detector or not (the
    ranker learns where any annotated event happened), with the indices of the gold candidates."""
    from .events import candidate_set, sentence_context

    doc, rec = parsed.doc, parsed.rec
    by_token: dict[int, set[str | None]] = {}
    for g in rec["events"]:
        tok = trigger_token(doc, g.get("trigger") or "")
        if tok is not None:
            by_token.setdefault(tok.i, set()).add((g.get("location") or {}).get("name"))
    ctx = sentence_context(doc, parsed.mentions, pipe.resolver, lexicon)
    out = []
    for i, names in sorted(by_token.items()):
        cands = candidate_set(ctx, doc[i])
        gold = {n for n, c in enumerate(cands[:-1]) if any(names_match(nm, c.mention.text) for nm in names if nm)}
        if None in names:
            gold.add(len(cands) - 1)
        if gold:  # else the gold place is no candidate (the geoparser and the names missed it)
            out.append((cands, gold))
    return out


def _vocabulary(examples, min_count: int) -> list[str]:
    counts = Counter(f for cands, _ in examples for c in cands for f in c.features)
    return sorted(f for f, n in counts.items() if n >= min_count)


def _matrix(examples, vocab: list[str]):
    """The candidates as rows of a sparse 0/1 matrix, with each row's trigger and gold label."""
    import numpy as np
    import scipy.sparse as sp

    index = {f: i for i, f in enumerate(vocab)}
    rows, cols, group, gold, sizes = [], [], [], [], []
    r = 0
    for g, (cands, golds) in enumerate(examples):
        sizes.append(len(cands))
        for n, c in enumerate(cands):
            for f in c.features:
                j = index.get(f)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
            group.append(g)
            gold.append(1.0 if n in golds else 0.0)
            r += 1
    X = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(r, len(vocab)))
    return X, np.array(group), np.array(gold), sizes


def fit_linear(examples, C: float = DEFAULT_C) -> Linear:
    """The conditional logit: maximise the log of the softmax probability of each trigger's gold
    candidates (all of them when a trigger has several) minus |w|^2 / 2C, by L-BFGS."""
    import numpy as np
    from scipy.optimize import minimize

    vocab = _vocabulary(examples, MIN_COUNT)
    X, grp, y, sizes = _matrix(examples, vocab)
    XT = X.T.tocsr()
    st = np.concatenate([[0], np.cumsum(sizes)[:-1]])

    def loss(w):
        s = X @ w
        e = np.exp(s - np.maximum.reduceat(s, st)[grp])
        Z, G = np.add.reduceat(e, st), np.add.reduceat(e * y, st)
        grad = XT @ (e / Z[grp] - e * y / G[grp]) + w / C
        return float(-np.sum(np.log(G / Z)) + w @ w / (2 * C)), grad

    res = minimize(loss, np.zeros(len(vocab)), jac=True, method="L-BFGS-B", options={"maxiter": 3000})
    return Linear({f: round(float(w), 4) for f, w in zip(vocab, res.x) if abs(w) >= 1e-4})


def fit_trees(examples, rounds: int = DEFAULT_ROUNDS, leaves: int = DEFAULT_LEAVES, seeds: int = DEFAULT_SEEDS,
              seed_base: int = 1, min_leaf: int = DEFAULT_MIN_LEAF) -> Trees:  # fmt: skip
    """Gradient-boosted trees with LightGBM's LambdaRank objective: each trigger's candidates are
    one query whose gold candidates should come first. `seeds` forests, each sampling rows and
    features with its own seed (`seed_base`, `seed_base` + 1, ...), averaged: one forest's close
    calls flip when a small change elsewhere retrains it (59 of the 1,159 dev sentences changed
    their events after a fix that touched a handful), three flip about half as many, with the
    same cross-validation. LightGBM's deterministic mode and fixed seeds, so that two runs give
    the same trees; another `seed_base` shows how much of a figure is the seeds' own noise."""
    import lightgbm

    vocab = _vocabulary(examples, TREE_MIN_COUNT)
    X, _, y, sizes = _matrix(examples, vocab)
    params = {
        "objective": "lambdarank", "learning_rate": 0.05, "num_leaves": leaves, "min_data_in_leaf": min_leaf,
        "feature_fraction": 0.5, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
        "lambdarank_truncation_level": 10, "seed": 1, "deterministic": True, "force_row_wise": True,
        "num_threads": 2, "verbose": -1,
    }
    data = lightgbm.Dataset(X.astype("float32"), y, group=sizes, free_raw_data=False)
    boosters = [lightgbm.train({**params, "seed": seed_base + n}, data, rounds) for n in range(seeds)]
    return Trees.from_lightgbm(boosters, vocab)


def _fit(examples, args) -> Linear | Trees:
    examples = [x for x in examples if x[1]]
    if args.model == "linear":
        return fit_linear(examples, args.C)
    return fit_trees(examples, args.rounds, args.leaves, args.seeds, args.seed_base, args.min_leaf)


def fit_fold(pipe, parsed: list[_Parsed], n: int | None, k: int, args) -> tuple[Linear | Trees, dict]:
    """The scorer and the trigger lexicon learned from every record but those of fold n of k
    (records i with i % k == n), or from all of them when n is None."""
    rest = [p for i, p in enumerate(parsed) if n is None or i % k != n]
    lexicon = learn_lexicon(rest)
    return _fit([x for p in rest for x in _examples(pipe, p, lexicon)], args), lexicon


def evaluate(pipe, parsed: list[_Parsed], ranker: Ranker) -> dict:
    """The shared scorer's figures on these records, from the whole extraction: place-name
    accuracy (some event of the sentence names the gold place) and, of gold "no place" events,
    the share whose sentence still gets a placed event."""
    from .events import extract_events

    name_n = name_hit = none_n = none_placed = 0
    for p in parsed:
        p.doc.user_data.clear()
        evs = extract_events(p.doc, p.mentions, p.rec["_published"], pipe.resolver, ranker)
        places = [e.place_mention().text for e in evs if e.place_mention() is not None]
        for g in p.rec["events"]:
            name = (g.get("location") or {}).get("name")
            if name:
                name_n += 1
                name_hit += any(names_match(name, x) for x in places)
            else:
                none_n += 1
                none_placed += bool(places)
    return {"place_name_accuracy": round(name_hit / max(1, name_n), 4), "placed_when_gold_none": round(none_placed / max(1, none_n), 4)}


def _mean(rows: list[dict]) -> dict:
    return {k: round(sum(r[k] for r in rows) / len(rows), 4) for k in rows[0]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geo train events", description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=Path, default=DEFAULT_TRAIN, help="training sentences (events_train.jsonl)")
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="dev sentences, only to report on")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--model", choices=("trees", "linear"), default="trees",
                    help="gradient-boosted trees (LightGBM LambdaRank) or the conditional logit")
    ap.add_argument("--C", type=float, default=DEFAULT_C, help="linear: inverse L2 penalty")
    ap.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help="trees: boosting rounds")
    ap.add_argument("--leaves", type=int, default=DEFAULT_LEAVES, help="trees: leaves per tree")
    ap.add_argument("--min-leaf", type=int, default=DEFAULT_MIN_LEAF, help="trees: fewest training candidates in a leaf")
    ap.add_argument("--seeds", type=int, default=DEFAULT_SEEDS, help="trees: forests averaged, one per seed")
    ap.add_argument("--seed-base", type=int, default=1,
                    help="trees: the first forest's seed; train with another (and --out elsewhere) to see the seeds' noise in the figures")
    ap.add_argument("--none-bias", type=float, default=None, help="fix the 'no place' shift instead of calibrating it by cross-validation")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    from .pipeline import Pipeline

    t0 = time.perf_counter()
    pipe = Pipeline(events=False)
    train = _parse_all(pipe, _read(args.train))
    k = args.folds

    lexicon = learn_lexicon(train)
    print(f"{len(train)} training records parsed ({time.perf_counter() - t0:.0f} s); lexicon: "
          f"{len(lexicon['verb'])} verbs, {len(lexicon['noun'])} nouns; marked but untyped: {', '.join(lexicon['untyped']) or '-'}", flush=True)
    # Cross-validation: each fold's lexicon and ranker learn from the other folds only, and the
    # held-out fold is scored through the whole extraction at each "no place" shift.
    biases = NONE_BIASES if args.none_bias is None else (args.none_bias,)
    per_bias: dict[float, list[dict]] = {b: [] for b in biases}
    for n in range(k):
        scorer, lex = fit_fold(pipe, train, n, k, args)
        held = [p for i, p in enumerate(train) if i % k == n]
        for b in biases:
            per_bias[b].append(evaluate(pipe, held, Ranker(scorer, b, lex)))
        print(f"fold {n + 1} ({time.perf_counter() - t0:.0f} s): " + ", ".join(f"{b:+.2f}: {per_bias[b][-1]}" for b in biases), flush=True)
    cv = {b: _mean(rows) for b, rows in per_bias.items()}
    named = sum(bool((g.get("location") or {}).get("name")) for p in train for g in p.rec["events"])
    share = named / sum(len(p.rec["events"]) for p in train)
    none_bias, bar = choose_shift({b: [_event_accuracy(r, share) for r in rows] for b, rows in per_bias.items()})
    print(f"{k}-fold cross-validation on the training file by 'no place' shift: " + json.dumps({f"{b:+.2f}": cv[b] for b in biases}))
    print(f"'no place' shift {none_bias:+.2f}: gold events right in cross-validation "
          + ", ".join(f"{b:+.2f}: {_event_accuracy(cv[b], share):.4f}" for b in biases)
          + f"; the default {DEFAULT_NONE_BIAS:+.2f} unless another beats it by more than {bar:.4f}"
          f" (two standard errors, {MIN_SHIFT_GAIN} at least)", flush=True)
    # the folds differ far more than as many independent events would (a sentence's events stand
    # or fall together): their spread says how far to trust a difference from dev or another build
    folds = [r["place_name_accuracy"] for r in per_bias[none_bias]]
    cv_se = _standard_error(folds)
    cv_se = round(cv_se, 4) if cv_se is not None else None
    print(f"place-name accuracy by fold at {none_bias:+.2f}: " + ", ".join(f"{x:.4f}" for x in folds)
          + (f"; standard error of their mean {cv_se:.4f}" if cv_se is not None else ""), flush=True)
    ranker = Ranker(fit_fold(pipe, train, None, k, args)[0], none_bias, lexicon)
    figures: dict = {"model": args.model, "none_bias": none_bias, "cv": cv[none_bias], "cv_folds": folds, "cv_se": cv_se,
                     "cv_by_none_bias": {f"{b:+.2f}": cv[b] for b in biases}}
    figures.update({"C": args.C} if args.model == "linear" else
                   {"rounds": args.rounds, "leaves": args.leaves, "min_leaf": args.min_leaf, "seeds": args.seeds, "seed_base": args.seed_base})
    if args.dev and Path(args.dev).exists():
        dev = _parse_all(pipe, _read(args.dev))
        figures["dev"] = evaluate(pipe, dev, ranker)
        figures["dev_by_none_bias"] = {f"{b:+.2f}": evaluate(pipe, dev, Ranker(ranker.scorer, b, lexicon)) for b in biases}
        print(f"dev: {figures['dev']}; by 'no place' shift: {json.dumps(figures['dev_by_none_bias'])}", flush=True)
    model = {
        "stamp": STAMP,
        "model": {"trees": "gradient-boosted trees, LightGBM LambdaRank over each trigger's place candidates (forests of several seeds averaged)",
                  "linear": "conditional logit (softmax over each trigger's place candidates) with an L2 penalty, fitted by L-BFGS"}[args.model],
        "trained_on": f"{args.train.name}: {len(train)} sentences of Halterman's event-location data "
                      "(MIT, copyright (c) 2019 Andy Halterman)",
        "figures": figures,
        **ranker.to_json(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB) in {time.perf_counter() - t0:.0f} s")
    return 0


def choose_shift(right: dict[float, list[float]], default: float = DEFAULT_NONE_BIAS) -> tuple[float, float]:
    """The "no place" shift to keep, from the share of gold events each gets right in each fold:
    the default, unless another beats it by more than two standard errors of their fold-by-fold
    difference and by MIN_SHIFT_GAIN. The best few shifts are usually closer than the folds are
    to each other, so the best alone flips between trainings of nearly the same features and
    makes the figures of two builds incomparable. Returns the shift and the bar it had to clear."""
    mean = {b: sum(v) / len(v) for b, v in right.items()}
    best = max(right, key=lambda b: (mean[b], -b))
    if default not in right:
        return best, 0.0
    diffs = [x - y for x, y in zip(right[best], right[default])]
    bar = max(2 * (_standard_error(diffs) or 0.0), MIN_SHIFT_GAIN)
    return (best if mean[best] - mean[default] > bar else default), bar


def _standard_error(values: list[float]) -> float | None:
    """The standard error of the mean of per-fold figures, None for fewer than two."""
    return statistics.stdev(values) / len(values) ** 0.5 if len(values) > 1 else None


def _event_accuracy(figures: dict, placed_share: float) -> float:
    """The share of gold events a prediction gets right, placed ones and "no place" ones alike,
    `placed_share` of them naming a place."""
    return placed_share * figures["place_name_accuracy"] + (1 - placed_share) * (1 - figures["placed_when_gold_none"])
