"""Measure a change of event detection or placement rules without the retraining's own noise.

    .venv/bin/python bench/cv_fixed_models.py train DIR            # five fold models, on this code
    .venv/bin/python bench/cv_fixed_models.py eval DIR OUT.jsonl   # held-out folds, on this code
    .venv/bin/python bench/cv_fixed_models.py compare A.jsonl B.jsonl

Each retraining of the events model reshuffles close calls (about ten dev sentences and 0.004 of
cross-validation), so the trainer's figures cannot tell a change worth two sentences from noise.
Here the five fold models of the trainer's cross-validation (one forest each, the default "no
place" shift) are trained once, on the code before a change, and saved to DIR; `eval` extracts
each held-out fold of the training file with its fold's model, on whatever code is checked out,
so that the change alone moves the counts. Run `eval` before and after the change with the same
DIR and `compare` the two outputs.

`eval` prints the gold place names of the training file that some predicted event of their
sentence names (as the shared scorer's place-name accuracy counts them), the gold "no place"
events whose sentence gets a placed event, and the placed events (statements aside) that name no
gold place of their sentence; OUT has one line per gold event with its category:

  hit        a predicted event of the sentence names the gold place
  notfound   neither the geoparser's mentions nor any predicted place name it
  noevent    the geoparser found the name, but no predicted event has the gold trigger
  elsewhere  the gold trigger's event is placed, at another name
  unplaced   the gold trigger's event has no place
  none_ok / none_own / none_other   a gold "no place": nothing placed in the sentence / the
             gold trigger's own event placed / another event of the sentence placed
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from geo.text import event_model as em  # noqa: E402

FOLDS = 5


class _Args:
    """The trainer's defaults, one forest per fold (as its own cross-validation is cheap to rerun)."""

    model = "trees"
    rounds = em.DEFAULT_ROUNDS
    leaves = em.DEFAULT_LEAVES
    min_leaf = em.DEFAULT_MIN_LEAF
    C = em.DEFAULT_C
    seeds = 1
    seed_base = 1


def _parsed():
    from geo.text.pipeline import Pipeline

    pipe = Pipeline(events=False)
    return pipe, em._parse_all(pipe, em._read(em.DEFAULT_TRAIN))


def train(out: Path) -> None:
    pipe, recs = _parsed()
    out.mkdir(parents=True, exist_ok=True)
    for n in range(FOLDS):
        scorer, lexicon = em.fit_fold(pipe, recs, n, FOLDS, _Args)
        ranker = em.Ranker(scorer, em.DEFAULT_NONE_BIAS, lexicon)
        (out / f"fold{n}.json").write_text(json.dumps(ranker.to_json()), encoding="utf-8")
        print(f"fold {n + 1}: {out / f'fold{n}.json'}", flush=True)


def _category(name: str | None, placed: list[str], mentions: list[str], mine: list[dict]) -> str:
    if name:
        if any(em.names_match(name, x) for x in placed):
            return "hit"
        if not any(em.names_match(name, m) for m in mentions):
            return "notfound"
        if not mine:
            return "noevent"
        return "elsewhere" if any(x["place"] for x in mine) else "unplaced"
    if not placed:
        return "none_ok"
    return "none_own" if any(x["place"] for x in mine) else "none_other"


def evaluate(models: Path, out: Path) -> None:
    from geo.text.events import extract_events

    pipe, recs = _parsed()
    counts: dict[str, int] = {}
    placed_n = stray = 0
    with open(out, "w", encoding="utf-8") as f:
        for n in range(FOLDS):
            ranker = em.Ranker.load(models / f"fold{n}.json")
            for p in (p for i, p in enumerate(recs) if i % FOLDS == n):
                evs = extract_events(p.doc, p.mentions, p.rec["_published"], pipe.resolver, ranker)
                pred = [{"type": e.type, "trigger": e.trigger,
                         "place": e.place_mention().text if e.place_mention() else None} for e in evs]
                placed = [x["place"] for x in pred if x["place"]]
                mentions = [m.text for m in p.mentions]
                golds = [(g.get("location") or {}).get("name") for g in p.rec["events"]]
                for x in pred:
                    if x["place"] and x["type"] != "statement":
                        placed_n += 1
                        stray += not any(em.names_match(g, x["place"]) for g in golds if g)
                for g, name in zip(p.rec["events"], golds):
                    trigger = (g.get("trigger") or "").lower()
                    mine = [x for x in pred if trigger and trigger in (x["trigger"] or "").lower()]
                    cat = _category(name, placed, mentions, mine)
                    counts[cat] = counts.get(cat, 0) + 1
                    f.write(json.dumps({"id": p.rec["id"], "cat": cat, "gold": name, "trigger": g.get("trigger"),
                                        "text": p.rec["text"], "pred": pred}, ensure_ascii=False) + "\n")
    named = sum(v for c, v in counts.items() if not c.startswith("none"))
    nones = sum(v for c, v in counts.items() if c.startswith("none"))
    print(json.dumps(counts, sort_keys=True))
    print(f"gold names placed {counts.get('hit', 0)} of {named} ({counts.get('hit', 0) / named:.4f}); "
          f"gold 'no place' whose sentence gets a placed event {nones - counts.get('none_ok', 0)} of {nones}; "
          f"placed events naming no gold place {stray} of {placed_n}")


def compare(a: Path, b: Path) -> None:
    def load(path: Path) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            out.setdefault(r["id"], []).append(r)
        return out

    before, after = load(a), load(b)
    for doc, rows in before.items():
        for x, y in zip(rows, after.get(doc, [])):
            if x["cat"] != y["cat"]:
                print(f"{x['cat']} -> {y['cat']} | {x['gold']} | {x['trigger']} | {x['text'][:160]}")
                print("    before:", [(e["trigger"], e["place"]) for e in x["pred"]][:6])
                print("    after: ", [(e["trigger"], e["place"]) for e in y["pred"]][:6])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("train").add_argument("dir", type=Path)
    ev = sub.add_parser("eval")
    ev.add_argument("dir", type=Path)
    ev.add_argument("out", type=Path)
    cmp = sub.add_parser("compare")
    cmp.add_argument("a", type=Path)
    cmp.add_argument("b", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "train":
        train(args.dir)
    elif args.cmd == "eval":
        if not (args.dir / "fold0.json").exists():
            ap.error(f"{args.dir}: no fold models there; make them first with `train {args.dir}`")
        evaluate(args.dir, args.out)
    else:
        compare(args.a, args.b)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
