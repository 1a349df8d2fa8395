"""Fit the resolver's feature weights on the GeoWebNews dev half (never on held-out data).

    .venv/bin/python bench/tune_resolver.py [--rounds 6]

Runs the real pipeline once, records every candidate's features for each recognised mention
that overlaps a gold toponym with coordinates, then does coordinate ascent on the weights to
maximise accuracy at 161 km (ties broken by a margin term so the winner wins clearly). Prints the
weights to paste into geo/resolve.py:WEIGHTS, and the accuracy before and after. Context
features are recorded as the current weights produced them, so re-run after pasting.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
GOLD = REPO.parent / "shared" / "eval" / "geowebnews_dev.jsonl"


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def record() -> list[tuple[int, list[tuple[dict, bool]]]]:
    """(weight, [(features, correct)]) per group of gold-matched mentions sharing a resolution."""
    from geo.gazetteer import normalize
    from geo.text import resolve
    from geo.text.pipeline import Pipeline

    pipe = Pipeline(events=False)
    groups = []
    captured: dict[int, list] = {}
    orig = resolve.Resolver._score

    def spy(self, places, mention, ctx, quals):
        name = mention.text
        big_city = resolve.has_big_city(places)
        feats = [(self.features(p, name, ctx, quals, big_city), p) for p in places]
        out = orig(self, places, mention, ctx, quals)
        captured[normalize(name)] = feats
        return out

    resolve.Resolver._score = spy
    try:
        for line in GOLD.open(encoding="utf-8"):
            g = json.loads(line)
            captured.clear()
            doc = pipe.parse(g["text"])
            by_first: dict[int, list] = {}
            for m in doc.mentions:
                gold = [t for t in g["toponyms"] if t["lat"] is not None and t["start"] < m.end and m.start < t["end"]]
                if not gold:
                    continue
                # one sense per discourse: the resolver scored each name once
                key = normalize(m.text)
                if key in captured and not m.reason.startswith("not in the gazetteer"):
                    feats = captured[key]
                    cands = [(f, km((p.lat, p.lon), (gold[0]["lat"], gold[0]["lon"])) <= 161) for f, p in feats]
                    by_first.setdefault(key, [0, cands])[0] += 1
            groups.extend((n, c) for n, c in by_first.values())
    finally:
        resolve.Resolver._score = orig
    return groups


def accuracy(groups, w) -> tuple[float, float]:
    right = total = 0
    margin = 0.0
    for n, cands in groups:
        scores = [sum(w.get(k, 0.0) * v for k, v in f.items()) for f, _ in cands]
        best = max(range(len(cands)), key=lambda i: scores[i])
        total += n
        if cands[best][1]:
            right += n
        good = [s for s, (_, ok) in zip(scores, cands) if ok]
        bad = [s for s, (_, ok) in zip(scores, cands) if not ok]
        if good and bad:
            margin += n * max(-1.0, min(1.0, max(good) - max(bad)))
    return right / max(total, 1), margin / max(total, 1)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=6)
    args = ap.parse_args()
    from geo.text.resolve import WEIGHTS

    groups = record()
    w = dict(WEIGHTS)
    base = accuracy(groups, w)
    oracle = sum(n for n, c in groups if any(ok for _, ok in c)) / max(sum(n for n, _ in groups), 1)
    print(f"{len(groups)} resolution groups; start acc@161 {base[0]:.4f}; oracle (some candidate right) {oracle:.4f}")
    best = base
    for r in range(args.rounds):
        improved = False
        for k in list(w):
            for factor in (0.0, 0.5, 0.8, 1.25, 2.0, -1.0):
                trial = dict(w, **{k: round(w[k] * factor if w[k] else factor, 3)})
                score = accuracy(groups, trial)
                if score > best:
                    best, w, improved = score, trial, True
            for delta in (-1.0, -0.3, 0.3, 1.0):
                trial = dict(w, **{k: round(w[k] + delta, 3)})
                score = accuracy(groups, trial)
                if score > best:
                    best, w, improved = score, trial, True
        print(f"round {r + 1}: acc@161 {best[0]:.4f} margin {best[1]:.3f}")
        if not improved:
            break
    print("WEIGHTS = " + json.dumps(w, indent=4))
    return 0


if __name__ == "__main__":
    sys.exit(main())
