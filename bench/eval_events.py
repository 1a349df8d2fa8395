"""Score Dateline's events on Halterman's event-location sentences (../shared/eval/events_dev.jsonl)
and on our own reports (tests/data/event_reports/event_reports.jsonl).

    .venv/bin/python bench/eval_events.py [GOLD.jsonl] [--keep PRED.jsonl] [--show-misses N] [--unmapped N]
    .venv/bin/python bench/eval_events.py --reports [REPORTS.jsonl] [--show-misses N]

Runs `python -m geo batch` over the gold texts with their publication dates, as a user would,
then the shared scorer. The scorer's place-name accuracy is recall-style (some predicted event in
the sentence names the gold place), so this script also prints what keeps it honest:

  events_per_gold          predicted events / gold events (and placed ones only)
  placed_when_gold_none    of the gold events the annotators marked "no place in the text", the
                           share whose sentence still gets a placed prediction; also counting only
                           predictions of the gold event's own type, and counting only the
                           prediction whose trigger is the gold event's own (the sentence's other
                           events, which the annotators did not mark, left out)
  name_precision           placed predictions whose place names some gold place of their sentence,
                           over sentences whose gold events all name a place
  gold_triggers_detected   gold events whose annotated trigger word is (part of) a predicted
                           event's trigger
  name_accuracy_se         the standard error of the place-name accuracy, with the sentence as
                           the unit sampled (a list of ten villages is one draw, not ten): read
                           two builds' figures, or dev against cross-validation, with it

The gold `type` is the annotated verb's lemma; it is mapped to Dateline's types through the
taxonomy's own trigger lemmas, and through the verbs of its phrases when all of a verb's phrases
are of one type ("launched" -> attack), and weapon verbs ("hit", "pounded") to attack; unmapped verbs
(e.g. "include") count as no type. `--unmapped N` lists the most frequent of those.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval"
sys.path.insert(0, str(REPO))


def _lemma_guesses(word: str) -> list[str]:
    w = word.lower()
    out = [w]
    for suf, rep in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("d", ""), ("s", ""), ("es", "")):
        if w.endswith(suf) and len(w) > len(suf) + 2:
            out.append(w[: -len(suf)] + rep)
    if re.search(r"(.)\1(?:ed|ing)$", w):  # "shelled", "patrolling"
        out.append(re.sub(r"(.)\1(?:ed|ing)$", r"\1", w))
    return out


_IRREGULAR = {"shot": "shoot", "fled": "flee", "struck": "strike", "fought": "fight", "took": "take", "said": "say",
              "told": "tell", "met": "meet", "held": "hold", "blew": "blow", "hit": "hit", "left": "leave",
              "came": "come", "began": "begin", "overran": "overrun", "stole": "steal", "set": "set"}


def type_map(gold_types: set[str]) -> dict[str, str]:
    from geo.text import taxonomy as tx
    from geo.text.vocabulary import WEAPON_VERBS

    verbs, nouns = tx.verb_index(), tx.noun_index()
    # A verb that triggers only in phrases of one type ("launched an attack/a raid/a strike")
    # reports that type.
    phrase_types: dict[str, set[str]] = {}
    for (verb, _), t in tx.phrase_index().items():
        phrase_types.setdefault(verb, set()).add(t.name)
    phrasal = {v: next(iter(ts)) for v, ts in phrase_types.items() if len(ts) == 1}
    out = {}
    for g in gold_types:
        for guess in [_IRREGULAR.get(g.lower(), g)] + _lemma_guesses(g):
            t = verbs.get(guess) or nouns.get(guess)
            if t is not None:
                out[g] = t.name
                break
            if guess in phrasal:
                out[g] = phrasal[guess]
                break
    for g in gold_types:  # "shells hit the town": weapon verbs report attacks (see taxonomy.WEAPON_VERBS)
        if g not in out and any(guess in WEAPON_VERBS for guess in [_IRREGULAR.get(g.lower(), g)] + _lemma_guesses(g)):
            out[g] = "attack"
    for t in tx.TYPES:  # predicted labels map to themselves
        out.setdefault(t.name, t.name)
    return out


def _fold(s: str) -> str:
    return " ".join(re.findall(r"\w+", (s or "").casefold()))


def _names_match(g: str, p: str) -> bool:
    g, p = _fold(g), _fold(p)
    return bool(g and p) and (g == p or f" {g} " in f" {p} " or f" {p} " in f" {g} ")


def _gold_trigger_span(text: str, trigger: str) -> tuple[int, int] | None:
    """Where an annotated trigger word is: its first whole-word occurrence (the gold gives no
    offsets; a trigger word occurs twice in under 1% of the sentences)."""
    m = re.search(r"(?<!\w)" + re.escape(trigger.strip()) + r"(?!\w)", text, flags=re.I) if trigger and trigger.strip() else None
    return (m.start(), m.end()) if m else None


def extra_figures(gold: list[dict], preds: dict[str, list[dict]], tmap: dict[str, str]) -> dict:
    n_gold = n_pred = n_placed = n_detected = 0
    none_n = none_any = none_same = none_own = 0
    prec_n = prec_hit = 0
    per_sentence = []  # (named gold events, of them named by a prediction) per sentence
    for rec in gold:
        evs = preds.get(str(rec["id"]), [])
        placed = [e for e in evs if e.get("place")]
        n_gold += len(rec["events"])
        n_pred += len(evs)
        n_placed += len(placed)
        names = [(e.get("location") or {}).get("name") for e in rec["events"]]
        named = [n for n in names if n]
        if named:
            per_sentence.append((len(named), sum(any(_names_match(n, e["place"]) for e in placed) for n in named)))
        for g in rec["events"]:
            span = _gold_trigger_span(rec["text"], g.get("trigger") or "")
            own = [e for e in evs if span is not None and any(a < span[1] and span[0] < b for a, b in _trigger_spans(rec["text"], e))]
            n_detected += bool(own)
            if (g.get("location") or {}).get("name"):
                continue
            none_n += 1
            none_own += any(e.get("place") for e in own)
            none_any += bool(placed)
            gt = tmap.get(g["type"])
            none_same += any(e["type"] == gt for e in placed) if gt else False
        if rec["events"] and all(names):
            for e in placed:
                prec_n += 1
                prec_hit += any(_names_match(n, e["place"]) for n in names)
    r = lambda a, b: round(a / b, 4) if b else None  # noqa: E731
    return {
        "name_accuracy_se": _ratio_se(per_sentence),
        "gold_triggers_detected": r(n_detected, n_gold),
        "events_per_gold": r(n_pred, n_gold),
        "placed_events_per_gold": r(n_placed, n_gold),
        "gold_none": none_n,
        "placed_when_gold_none": r(none_any, none_n),
        "placed_same_type_when_gold_none": r(none_same, none_n),
        "placed_own_trigger_when_gold_none": r(none_own, none_n),
        "name_precision": r(prec_hit, prec_n),
        "name_precision_n": prec_n,
    }


def _ratio_se(units: list[tuple[int, int]]) -> float | None:
    """The standard error of sum(hits) / sum(n) over sampled units of (n, hits): the ratio
    estimator's, which counts a unit's events as one draw (a sentence's events stand or fall
    together far more often than independent ones would)."""
    k, total = len(units), sum(n for n, _ in units)
    if k < 2 or not total:
        return None
    acc = sum(h for _, h in units) / total
    var = k / (k - 1) * sum((h - acc * n) ** 2 for n, h in units)
    return round(var**0.5 / total, 4)


def show_misses(gold: list[dict], preds: dict[str, list[dict]], n: int) -> None:
    shown = 0
    for rec in gold:
        evs = preds.get(str(rec["id"]), [])
        for g in rec["events"]:
            name = (g.get("location") or {}).get("name")
            if name and not any(e.get("place") and _names_match(name, e["place"]) for e in evs):
                got = [(e["type"], e["trigger"], e.get("place"), e.get("location_reason")) for e in evs]
                print(f"MISS {name!r} <{g['trigger']}> {rec['text'][:220]!r}\n     got {got}")
                shown += 1
                break
        if shown >= n:
            return


REPORTS = REPO / "tests" / "data" / "event_reports" / "event_reports.jsonl"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    import math

    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def _trigger_spans(text: str, ev: dict) -> list[tuple[int, int]]:
    """Where a predicted event's trigger is in the text: its offsets when the event gives them,
    else every occurrence of its first word inside its evidence sentence."""
    if ev.get("trigger_start") is not None:
        return [(ev["trigger_start"], ev["trigger_end"])]
    word = (ev.get("trigger") or "").split(" ")[0]
    out, i = [], ev["start"]
    while word and (i := text.find(word, i, ev["end"])) >= 0:
        out.append((i, i + len(word)))
        i += len(word)
    return out


def score_reports(gold: list[dict], preds: dict[str, list[dict]], show_misses: int = 0) -> dict:
    """Our own reports (their README says how): a gold event is found when a predicted event's
    trigger overlaps its trigger, placed when such a prediction's point is within 25 km of the gold
    point, and a gold "no place" is right when no prediction that found it has a point."""
    n = found = placed = none_n = none_ok = typed = 0
    by_pattern: dict[str, list[int]] = {}
    misses = []
    for rec in gold:
        evs = preds.get(str(rec["id"]), [])
        for g in rec["events"]:
            n += 1
            lo, hi = g["trigger_start"], g["trigger_start"] + len(g["trigger"])
            hits = [e for e in evs if any(a < hi and lo < b for a, b in _trigger_spans(rec["text"], e))]
            found += bool(hits)
            typed += any(e["type"] in [g["type"], *g.get("alt_types", [])] for e in hits)
            if g["place"] is None:
                none_n += 1
                ok = bool(hits) and not any(e.get("lat") is not None for e in hits)
                none_ok += ok
            else:
                ok = any(e.get("lat") is not None and _km(e["lat"], e["lon"], g["lat"], g["lon"]) <= 25 for e in hits)
            placed += ok
            for pat in g.get("patterns", []):
                by_pattern.setdefault(pat, [0, 0])
                by_pattern[pat][0] += 1
                by_pattern[pat][1] += ok
            if not ok:
                misses.append((rec, g, hits))
    for rec, g, hits in misses[:show_misses]:
        got = [(e["type"], e["trigger"], e.get("place"), e.get("location_reason")) for e in hits]
        print(f"MISS {rec['id']} <{g['trigger']}> gold {g['place']!r}: {rec['text'][:200]!r}\n     got {got}")
    r = lambda a, b: round(a / b, 4) if b else None  # noqa: E731
    return {
        "gold_events": n,
        "found": r(found, n),
        "placed_25km": r(placed, n),
        "type_agrees": r(typed, n),
        "gold_none": none_n,
        "gold_none_unplaced": r(none_ok, none_n),
        "placed_by_pattern": {k: r(v[1], v[0]) for k, v in sorted(by_pattern.items())},
    }


def _run_batch(gold: list[dict], pred: Path, tmp: str, published_key: str) -> None:
    inp = Path(tmp) / "in.jsonl"
    with inp.open("w", encoding="utf-8") as out:
        for d in gold:
            out.write(json.dumps({"id": d["id"], "text": d["text"], "published": d.get(published_key)}) + "\n")
    subprocess.run([sys.executable, "-m", "geo", "batch", str(inp), "-o", str(pred)], cwd=REPO, check=True)


def _read_preds(pred: Path) -> dict[str, list[dict]]:
    preds: dict[str, list[dict]] = {}
    for line in open(pred, encoding="utf-8"):
        if line.strip():
            rec = json.loads(line)
            preds.setdefault(str(rec.get("id")), []).extend(rec.get("events") or [])
    return preds


def main_reports(args) -> int:
    path = Path(args.gold or REPORTS)
    gold = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(args.keep or Path(tmp) / "pred.jsonl")
        if not (args.reuse and pred.exists()):
            _run_batch(gold, pred, tmp, "published")
        res = score_reports(gold, _read_preds(pred), args.show_misses)
    print("reports " + json.dumps(res, sort_keys=True))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="?", default=None)
    ap.add_argument("--reports", action="store_true", help="score our own reports (tests/data/event_reports) instead")
    ap.add_argument("--keep", help="write predictions here")
    ap.add_argument("--scorer", default=str(EVAL / "score_events.py"))
    ap.add_argument("--reuse", action="store_true", help="score the --keep file without re-running the pipeline")
    ap.add_argument("--show-misses", type=int, default=0)
    ap.add_argument("--unmapped", type=int, default=0, help="list the N most frequent gold type lemmas with no Dateline type")
    args = ap.parse_args()
    if args.reports:
        return main_reports(args)
    args.gold = args.gold or str(EVAL / "events_dev.jsonl")
    gold = [json.loads(line) for line in open(args.gold, encoding="utf-8") if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(args.keep or Path(tmp) / "pred.jsonl")
        if not (args.reuse and pred.exists()):
            _run_batch(gold, pred, tmp, "pub_date")
        tmap = type_map({e["type"] for d in gold for e in d["events"]})
        mpath = Path(tmp) / "typemap.json"
        mpath.write_text(json.dumps(tmap), encoding="utf-8")
        rc = subprocess.run([sys.executable, args.scorer, args.gold, str(pred), "--type-map", str(mpath)]).returncode
        preds = _read_preds(pred)
        if args.show_misses:
            show_misses(gold, preds, args.show_misses)
        if args.unmapped:
            named, unnamed = Counter(), Counter()
            for d in gold:
                for e in d["events"]:
                    if e["type"] not in tmap:
                        (named if (e.get("location") or {}).get("name") else unnamed)[e["type"].lower()] += 1
            print("unmapped gold types with a place: " + ", ".join(f"{t} {n}" for t, n in named.most_common(args.unmapped)))
            print("unmapped gold types without one: " + ", ".join(f"{t} {n}" for t, n in unnamed.most_common(args.unmapped)))
        mapped = sum(1 for d in gold for e in d["events"] if e["type"] in tmap)
        extra = extra_figures(gold, preds, tmap)
        extra["gold_types_mapped"] = round(mapped / sum(len(d["events"]) for d in gold), 4)
        print("extra " + json.dumps(extra, sort_keys=True))
        return rc


if __name__ == "__main__":
    sys.exit(main())
