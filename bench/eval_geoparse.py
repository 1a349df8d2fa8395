"""Score Dateline's geoparser: GeoWebNews dev half in-sample and cross-validated, and local news.

    .venv/bin/python bench/eval_geoparse.py [GOLD.jsonl] [--keep PRED.jsonl] [--no-cv] [--no-local | --local-only]
                                            [scorer options, e.g. --types literal]

Three figures, one run:
  1. In-sample: `python -m geo batch` over the gold texts exactly as a user would, with the
     shipped ranker (trained on this very half), then the corpus scorer.
  2. 5-fold cross-validated by document: for each fifth of the articles, a ranker trained by
     `geo/text/resolve_train.py` on the other four fifths (plus the same synthetic stories)
     resolves it; the five held-out predictions are scored together by the same scorer. The gap
     between 1 and 2 is how much the ranker fits its own training articles.
  3. Our local-news set (tests/data/local_news, written for Dateline, never trained or tuned on):
     acc@161 with each record's `region` given as the input's region field, beside the naive
     "most populous place of that name" baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
EVAL = REPO.parent / "shared" / "eval"
LOCAL_NEWS = REPO / "tests" / "data" / "local_news" / "local_news.jsonl"
KM = 161.0


def km(a: float, b: float, c: float, d: float) -> float:
    p1, p2 = math.radians(a), math.radians(c)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(d - b) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def batch(records: list[dict], tmp: Path, name: str, keep: str | None = None) -> dict[str, dict]:
    """Predictions of `python -m geo batch --no-events` by id."""
    inp = tmp / f"{name}-in.jsonl"
    with inp.open("w", encoding="utf-8") as out:
        for r in records:
            out.write(json.dumps({k: r[k] for k in ("id", "text", "published", "region") if r.get(k) is not None}) + "\n")
    pred = Path(keep or tmp / f"{name}-pred.jsonl")
    subprocess.run([sys.executable, "-m", "geo", "batch", str(inp), "-o", str(pred), "--no-events"], cwd=REPO, check=True)
    return {d["id"]: d for d in map(json.loads, pred.open(encoding="utf-8"))}, pred


def score(scorer: str, gold: str, pred: Path, args: list[str]) -> int:
    return subprocess.run([sys.executable, scorer, gold, str(pred), *args]).returncode


def cross_validated(gold: str, tmp: Path) -> Path:
    """Held-out predictions of a 5-fold by-document cross-validation, in the scorer's format."""
    from geo.model import Document
    from geo.text.resolve import Resolver
    from geo.text.resolve_train import cross_validated as cv
    from geo.text.resolve_train import load_training, resolve_story

    gaz, stories, synth = load_training(Path(gold), 3000, 13)
    pred = tmp / "cv-pred.jsonl"
    out = {}
    for i, (held, ranker) in enumerate(cv(gaz, stories, synth)):
        resolver = Resolver(gaz, ranker)
        for s in held:
            mentions = resolve_story(resolver, s)
            out[s.id] = Document(text=s.text, mentions=mentions).toponyms()
        print(f"  fold {i + 1}: {len(held)} articles resolved by a ranker trained without them", file=sys.stderr)
    with pred.open("w", encoding="utf-8") as f:
        for id_ in sorted(out):
            f.write(json.dumps({"id": id_, "toponyms": out[id_]}) + "\n")
    return pred


def local_news(tmp: Path) -> None:
    records = [json.loads(line) for line in LOCAL_NEWS.open(encoding="utf-8")]
    preds, _ = batch(records, tmp, "local")
    rows = []  # (toponym, found?, system right?, naive right?)
    for r in records:
        mentions = preds[r["id"]]["mentions"]
        for t in r["toponyms"]:
            hit = [m for m in mentions if m["start"] < t["end"] and t["start"] < m["end"]]
            place = hit[0]["place"] if hit else None
            ok = place is not None and km(place["lat"], place["lon"], t["lat"], t["lon"]) <= KM
            naive = t["namesake_lat"] is not None and km(t["namesake_lat"], t["namesake_lon"], t["lat"], t["lon"]) <= KM
            rows.append((t, bool(hit), ok, naive))

    def line(label, sel):
        n = len(sel)
        found = [x for x in sel if x[1]]
        return (
            f"| {label} | {n} | {len(found)} | {sum(x[2] for x in found) / max(len(found), 1):.3f} | "
            f"{sum(x[2] for x in sel) / max(n, 1):.3f} | {sum(x[3] for x in found) / max(len(found), 1):.3f} | "
            f"{sum(x[3] for x in sel) / max(n, 1):.3f} |"
        )

    print(f"\n## Local news ({len(records)} paragraphs written for Dateline; region field given)\n")
    print("Spans matched by overlap. acc@161 over recognised toponyms (as the corpus scorer counts) and over all")
    print("gold toponyms (an unrecognised one is wrong); the naive baseline is the most populous place of the name.\n")
    print("| toponyms | n | recognised | acc@161 recognised | acc@161 all | naive recognised | naive all |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(line("all", rows))
    print(line("ambiguous", [x for x in rows if x[0]["ambiguous"]]))
    for cue in ("qualifier", "ap_abbreviation", "dateline", "nearby_places", "region", "famous_is_right", "none"):
        print(line(f"cue {cue}", [x for x in rows if x[0]["cue"] == cue]))
    summary = {
        "local_acc161_recognised": round(sum(x[2] for x in rows if x[1]) / max(sum(x[1] for x in rows), 1), 4),
        "local_acc161_all": round(sum(x[2] for x in rows) / len(rows), 4),
        "naive_acc161_all": round(sum(x[3] for x in rows) / len(rows), 4),
        "recognised": sum(x[1] for x in rows),
        "n": len(rows),
    }
    print("\n" + json.dumps(summary))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="?", default=str(EVAL / "geowebnews_dev.jsonl"))
    ap.add_argument("--keep", help="write the in-sample predictions here")
    ap.add_argument("--scorer", default=str(EVAL / "score_geoparse.py"))
    ap.add_argument("--no-cv", action="store_true", help="skip the 5-fold cross-validation")
    ap.add_argument("--no-local", action="store_true", help="skip the local-news set")
    ap.add_argument("--local-only", action="store_true", help="only the local-news set")
    args, scorer_args = ap.parse_known_args()  # the rest goes to the scorer (--types, --quiet...)
    rc = 0
    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(tmpname)
        if args.local_only:
            local_news(tmp)
            return rc
        records = [json.loads(line) for line in open(args.gold, encoding="utf-8")]
        print(f"## {Path(args.gold).name}: in-sample (the shipped ranker was trained on these articles)\n", flush=True)
        _, pred = batch(records, tmp, "gold", args.keep)
        rc |= score(args.scorer, args.gold, pred, scorer_args)
        if not args.no_cv:
            print(f"\n## {Path(args.gold).name}: 5-fold cross-validated by document\n", flush=True)
            rc |= score(args.scorer, args.gold, cross_validated(args.gold, tmp), scorer_args)
        if not args.no_local:
            local_news(tmp)
    return rc


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
