"""What event extraction costs on top of the geoparser, per article.

    .venv/bin/python bench/bench_events.py [--repeat 3]

Same texts (GeoWebNews dev half when ../shared is beside the checkout, else the bundled
samples), same process, spaCy parse done once and shared, so only our stages are compared:
  geoparser  mention finding + resolution (what `Pipeline(events=False)` adds to spaCy)
  events     extract_events on the same Doc and mentions
  pipeline   whole Pipeline.parse with and without events, for the end-to-end view
The issue's budget: events add at most 25% to the geoparser's time per article, the geoparser
being everything `python -m geo parse --no-events` runs (spaCy included). The end-to-end runs use
one Pipeline and alternate, article by article, a parse with events and one without (the order
swapped on every pass), so a busy machine or a warming cache weighs on both sides alike; two
Pipelines timed one after the other differed by more than the events cost. Stage rows are best
of `--repeat` runs and show where the time goes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
GOLD = REPO.parent / "shared" / "eval" / "geowebnews_dev.jsonl"
SAMPLES = REPO / "data" / "samples" / "articles.jsonl"
BUDGET = 0.25


def load_texts() -> tuple[str, list[str]]:
    path = GOLD if GOLD.exists() else SAMPLES
    return path.name, [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from geo.text.events import extract_events
    from geo.text.pipeline import Pipeline

    name, texts = load_texts()
    published = dt.date(2019, 3, 19)
    pipe = Pipeline(events=True)
    docs = list(pipe.nlp.pipe(texts))
    mentions = []

    def geoparse():
        mentions.clear()
        for d in docs:
            ms = pipe.finder.find(d)
            pipe.resolver.resolve(ms, d.text)
            mentions.append(ms)

    geoparse()  # warm caches (gazetteer lookups) for both sides alike
    n_events = 0

    def events():
        nonlocal n_events
        for d in docs:
            d.user_data.clear()  # no per-Doc caches carried over from the previous pass
        n_events = sum(len(extract_events(d, ms, published, pipe.resolver)) for d, ms in zip(docs, mentions))

    events()
    t_geo = best_of(geoparse, args.repeat)
    t_ev = best_of(events, args.repeat)

    both = pipe
    extractor = both._extract_events
    for t in texts[:5]:  # warm up
        both.parse(t, published)
    t_without = t_with = 0.0
    for rep in range(args.repeat):
        for t in texts:
            for with_ev in ((False, True) if rep % 2 == 0 else (True, False)):
                both._extract_events = extractor if with_ev else None
                start = time.perf_counter()
                both.parse(t, published)
                took = time.perf_counter() - start
                if with_ev:
                    t_with += took
                else:
                    t_without += took
    both._extract_events = extractor
    t_without /= args.repeat
    t_with /= args.repeat

    n = len(texts)
    ratio = (t_with - t_without) / t_without
    print("## Event extraction cost\n")
    print(f"{n} articles from {name}, {args.repeat} passes; {n_events} events extracted.\n")
    print("| stage | ms/article |")
    print("|---|---:|")
    print(f"| geoparser (mentions + resolution) | {1000 * t_geo / n:.1f} |")
    print(f"| events (extract_events) | {1000 * t_ev / n:.1f} |")
    print(f"| Pipeline.parse without events (spaCy + geoparser) | {1000 * t_without / n:.1f} |")
    print(f"| Pipeline.parse with events | {1000 * t_with / n:.1f} |")
    print(
        f"\nEvents add {100 * ratio:.1f}% to the geoparser's time per article (budget {100 * BUDGET:.0f}%: "
        f"{'within' if ratio <= BUDGET else 'OVER'}); the extraction stage alone is "
        f"{100 * t_ev / t_without:.1f}% of it."
    )
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
