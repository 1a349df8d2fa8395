"""Where an event happened, learned: a ranker over each trigger's place candidates, and its trainer.

The candidates and their features come from geo/text/event_features.py. The model is a logistic
regression (scikit-learn at training time) over candidate rows, one row per (trigger, candidate),
the gold place or "no place" labelled 1; its weights ship as JSON in `models/events.json` and are
applied here with plain dictionary look-ups, so the product needs no scikit-learn at run time.
The candidate that scores highest is the event's place; "no place" wins when it scores highest.
Movements choose origin and destination the same way among the candidates each slot's rules
propose. `location_reason` names the features that weighed most for the winner, in words.

    .venv/bin/python -m geo train events [--train PATH] [--dev PATH] [--out PATH] [--C 0.3]

trains on Halterman's event-location training sentences (MIT, (c) 2019 Andy Halterman; see
models/NOTICE), reports 5-fold cross-validation on them (folds by record) and the dev figures, and
writes the model, deterministically.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

from . import taxonomy as tx
from .event_features import STAMP, Candidate
from .event_locate import Placement, specificity

MODEL_PATH = Path(__file__).parent / "models" / "events.json"
REPO = Path(__file__).resolve().parents[2]
DEFAULT_TRAIN = REPO.parent / "shared" / "eval" / "events_train.jsonl"
DEFAULT_DEV = REPO.parent / "shared" / "eval" / "events_dev.jsonl"
# Chosen on the dev file among 0.1, 0.3 and 1 (dev place-name accuracy 0.828, 0.824, 0.821).
DEFAULT_C = 0.1
# Added to the "no place" candidate's score: the ranker learns from annotators who leave about
# 40% of event verbs unplaced, and a map needs the place the text gives more than it suffers from
# a place the annotators left out. Chosen on the dev file among 0, -0.5 and -1 (place-name
# accuracy 0.821, 0.850, 0.855; placed when gold has no place 0.281, 0.311, 0.345).
DEFAULT_NONE_BIAS = -0.5

# What each feature means to a reader of `location_reason`.
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


def describe(feature: str) -> str:
    """A feature in words, for `location_reason`."""
    kind, _, rest = feature.split("|")[0].partition(":")
    if kind == "rule":
        rule, _, detail = rest.partition(":")
        words = _RULE_WORDS.get(rule, rule.replace("_", " "))
        return f"{words} ('{detail}')" if detail else words
    if kind == "prep":
        return "after no preposition" if rest == "none" else f"after '{rest}'"
    if kind == "path" or kind == "path_length":
        return "close to the trigger in the parse" if kind == "path" else f"{rest} steps from the trigger in the parse"
    if kind == "distance":
        side, _, n = rest.partition(":")
        return f"within {n} words {side} the trigger"
    if kind == "level":
        return f"a {rest}-level place"
    return {
        "most_specific_in_sentence": "the most specific place of the sentence",
        "object_of_trigger": "the trigger's object",
        "in_the_actor": "in the actor's phrase",
        "coarse_place": "a country or province",
        "not_in_gazetteer": "a name the gazetteer lacks",
        "no_rule": "named in the sentence",
    }.get(feature, feature.replace("_", " ").replace(":", " "))


_READABLE = {"most_specific_in_sentence", "object_of_trigger", "in_the_actor", "no_rule"}


class Ranker:
    """Scores candidates with the shipped weights; `place` turns the scores into placements."""

    _default: Ranker | None = None

    def __init__(self, weights: dict[str, float], bias: float = 0.0, meta: dict | None = None, none_bias: float = 0.0):
        self.weights = weights
        self.bias = bias
        self.none_bias = none_bias
        self.meta = meta or {}

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Ranker:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        meta = {k: v for k, v in data.items() if k not in ("weights", "bias", "none_bias")}
        return cls(data["weights"], data["bias"], meta, data.get("none_bias", 0.0))

    @classmethod
    def default(cls) -> Ranker:
        """The shipped model, read once per process."""
        if cls._default is None:
            cls._default = cls.load()
        return cls._default

    def score(self, c: Candidate) -> float:
        w = self.weights
        return self.bias + sum(w.get(f, 0.0) * v for f, v in c.features.items())

    def reason(self, c: Candidate, top: int = 2) -> str:
        """The features that weighed most for `c`, in words: the rules first, then the
        preposition, which say why, before the generic ones, which only support."""
        w = self.weights
        rules = [f for f in c.features if w.get(f, 0.0) > 0 and f.startswith("rule:")]
        preps = [f for f in c.features if w.get(f, 0.0) > 0 and f.startswith("prep:")]
        support = [f for f in c.features if w.get(f, 0.0) > 0 and f in _READABLE]
        best = [f for group in (rules, preps, support) for f in sorted(group, key=lambda f: -w[f])][:top]
        return "; ".join(dict.fromkeys(describe(self._detailed(c, f)) for f in best))

    @staticmethod
    def _detailed(c: Candidate, feature: str) -> str:
        """A rule's feature with its preposition where it has one ("rule:prep" -> "rule:prep:in")."""
        if not feature.startswith("rule:"):
            return feature
        rule = feature.split("|")[0]
        return next((f for f in c.features if f.startswith(rule + ":")), rule)

    @staticmethod
    def slot_reason(c: Candidate, slot: str) -> str:
        """Why a place fills a movement's origin or destination: the rules that proposed it there."""
        return "; ".join(describe(Ranker._detailed(c, f"rule:{r}")) for r in sorted(c.rules) if r.startswith(slot))

    def place(self, cands: list[Candidate], etype: tx.EventType) -> list[Placement]:
        none, rest = cands[-1], cands[:-1]
        s_none = self.score(none) + self.none_bias
        scored = sorted(((self.score(c), n, c) for n, c in enumerate(rest)), key=lambda x: (-x[0], x[1]))
        top = max([s_none] + [s for s, _, _ in scored])
        total = sum(math.exp(s - top) for s in [s_none] + [s for s, _, _ in scored])

        def prob(s: float) -> float:  # the softmax over this trigger's candidates
            return math.exp(s - top) / total

        def best_of(slot: str):
            return next(((s, c) for s, _, c in scored if slot in c.slots), None)

        def placement(c: Candidate, s: float, **slots) -> Placement:
            p = prob(s)
            return Placement(**slots, reason=self.reason(c), weight=0.7 + 0.3 * p, score=round(p, 3))

        loc = best_of("location")
        if loc is not None and loc[0] <= s_none:
            loc = None
        if etype.movement:
            origin, dest = best_of("origin"), best_of("destination")
            if dest is not None and loc is not None and specificity(loc[1].mention) <= specificity(dest[1].mention):
                loc = None  # "entered the town of al-Rai in northern Aleppo": where al-Rai is
            if origin is not None or dest is not None:
                lead = next(x for x in (dest, origin) if x is not None)
                pl = placement(lead[1], lead[0], origin=origin and origin[1].mention, destination=dest and dest[1].mention)
                pl.reason = "; ".join(self.slot_reason(x[1], slot) for x, slot in ((origin, "origin"), (dest, "destination")) if x)
                out = [pl]
                if loc is not None:
                    pl.location = loc[1].mention
                elif dest is not None:
                    # "entered the towns of Khan Touman, Al-Barqoum and Al-Zorba": one entry each
                    out += [placement(c, s, origin=pl.origin, destination=c.mention) for s, _, c in scored
                            if c is not dest[1] and "destination" in c.slots and c.groups & dest[1].groups]
                    out.sort(key=lambda p: p.destination.start)
                return out
        if loc is None:
            ref = [c for _, _, c in scored if "reference_point|only_candidate" in c.features]
            if ref and not etype.seat:
                # "captured northeast of Tikrit": the only place the sentence gives is one the
                # event is near, which annotators leave unplaced but a map can show, weakly
                return [Placement(location=ref[0].mention, reason=f"near {ref[0].mention.text}, the only place named",
                                  weight=0.7)]
            return [Placement(reason="", weight=1.0, score=round(prob(s_none), 3))]
        s, win = loc
        out = [placement(win, s, location=win.mention)]
        # the places one rule listed with the winner ("shelled Maharda and Tarfawi"): one event each
        for s2, _, c in scored:
            if c is not win and c.groups & win.groups and s2 > s_none and "location" in c.slots:
                out.append(placement(c, s2, location=c.mention))
        out.sort(key=lambda p: p.location.start)
        return out


# ---------------------------------------------------------------------------------------------
# training


def _fold(s: str) -> str:
    import re
    import unicodedata

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


def _examples(pipe, parsed: _Parsed) -> list[tuple[list[Candidate], set[int]]]:
    """One candidate set per gold trigger of the record, with the indices of the gold ones."""
    from . import events as ev
    from .event_features import candidates
    from .event_locate import Locator

    doc, rec = parsed.doc, parsed.rec
    locator = Locator(doc, parsed.mentions, pipe.resolver)
    dateline = ev._dateline_span(doc, locator.datelines)
    by_token: dict[int, set[str | None]] = {}
    for g in rec["events"]:
        tok = _trigger_token(doc, g.get("trigger") or "")
        if tok is not None:
            by_token.setdefault(tok.i, set()).add((g.get("location") or {}).get("name"))
    out = []
    for i, names in sorted(by_token.items(), key=lambda kv: kv[0]):
        tok = doc[i]
        sent = tok.sent
        found = ev._find_triggers(sent, locator.mention_at)
        trig = next((t for t in found if tok in t.words or t.head.i == i or t.anchor.i == i), None)
        if trig is None:
            trig = ev.generic_trigger(tok)
        subj, target = ev.arguments(trig, sent, dateline)
        etype = ev._retype(trig, subj, target) or trig.etype
        proposals = locator.proposals(trig, etype, subj, target, found or [trig], sent)
        cands = candidates(locator, trig, etype, subj, sent, proposals, found or [trig])
        gold = {n for n, c in enumerate(cands[:-1]) if any(names_match(nm, c.mention.text) for nm in names if nm)}
        if None in names or not names - {None}:
            gold.add(len(cands) - 1)
        if any(nm for nm in names) and not gold - {len(cands) - 1}:
            # the gold place is no candidate (the geoparser missed the name): nothing to learn
            # about ranking from this trigger, unless "no place" is also gold
            if len(cands) - 1 not in gold:
                continue
        out.append((cands, gold))
    return out


def _trigger_token(doc, trigger: str):
    words = trigger.split()
    if not words:
        return None
    first = words[0].casefold()
    return next((t for t in doc if t.text.casefold() == first), None)


def _fit(examples, C: float, none_bias: float = 0.0) -> Ranker:
    """A pairwise ranker: logistic regression on the feature differences between the gold
    candidate and each other candidate of the same trigger (and the reverse, labelled 0), so the
    weights order candidates within a trigger, "no place" included, rather than score them
    against every other trigger's."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sort=True)
    vec.fit([c.features for cands, _ in examples for c in cands])
    rows, ys = [], []
    for cands, gold in examples:
        X = vec.transform([c.features for c in cands])
        for g in sorted(gold):
            for n in range(len(cands)):
                if n not in gold:
                    rows += [X[g] - X[n], X[n] - X[g]]
                    ys += [1, 0]
    import scipy.sparse as sp

    clf = LogisticRegression(C=C, max_iter=5000, solver="lbfgs", fit_intercept=False)
    clf.fit(sp.vstack(rows).tocsr(), ys)
    names = vec.get_feature_names_out()
    weights = {str(f): round(float(w), 4) for f, w in zip(names, clf.coef_[0]) if abs(w) >= 1e-4}
    return Ranker(weights, 0.0, none_bias=none_bias)


def _evaluate(pipe, parsed: list[_Parsed], ranker: Ranker) -> dict:
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geo train events", description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=Path, default=DEFAULT_TRAIN, help="training sentences (events_train.jsonl)")
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="dev sentences, only to report on")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--C", type=float, default=DEFAULT_C, help="inverse regularisation strength")
    ap.add_argument("--none-bias", type=float, default=DEFAULT_NONE_BIAS, help="added to the 'no place' score")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    args = ap.parse_args(argv)
    from .pipeline import Pipeline

    t0 = time.perf_counter()
    pipe = Pipeline(events=False)
    train = _parse_all(pipe, _read(args.train))
    examples = [_examples(pipe, p) for p in train]
    print(f"{len(train)} training records, {sum(map(len, examples))} triggers with candidates "
          f"({time.perf_counter() - t0:.0f} s)", flush=True)
    figures: dict = {"C": args.C, "none_bias": args.none_bias}
    if not args.no_cv:
        folds = []
        for k in range(args.folds):
            fit = [x for n, ex in enumerate(examples) if n % args.folds != k for x in ex]
            held = [p for n, p in enumerate(train) if n % args.folds == k]
            folds.append(_evaluate(pipe, held, _fit(fit, args.C, args.none_bias)))
            print(f"fold {k + 1}: {folds[-1]}", flush=True)
        figures["cv"] = {key: round(sum(f[key] for f in folds) / len(folds), 4) for key in folds[0]}
        print(f"{args.folds}-fold cross-validation on the training file: {figures['cv']}", flush=True)
    ranker = _fit([x for ex in examples for x in ex], args.C, args.none_bias)
    if args.dev and Path(args.dev).exists():
        figures["dev"] = _evaluate(pipe, _parse_all(pipe, _read(args.dev)), ranker)
        print(f"dev: {figures['dev']}", flush=True)
    model = {
        "stamp": STAMP,
        "model": "logistic regression over (trigger, place candidate) rows, scikit-learn LogisticRegression",
        "trained_on": f"{args.train.name}: {len(train)} sentences of Halterman's event-location data "
                      "(MIT, copyright (c) 2019 Andy Halterman)",
        "figures": figures,
        "bias": ranker.bias,
        "none_bias": ranker.none_bias,
        "weights": dict(sorted(ranker.weights.items())),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(ranker.weights)} weights, {args.out.stat().st_size // 1024} KB) "
          f"in {time.perf_counter() - t0:.0f} s")
    return 0
