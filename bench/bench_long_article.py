"""Parsing one long article: time and peak memory against length, sectioned (as Dateline parses)
and, as the baseline in the same run, as one spaCy Doc (as it used to).

Each measurement runs in a fresh process, so its peak RSS is its own: the model loaded, then one
article parsed (with DATELINE_MAX_CHARS raised where the article is over the default limit).
Articles are the bundled samples repeated, a blank line between them; "one line" is the same
text with no line breaks at all (sections then end at sentence ends). Targets (issue 14): the
longest article accepted in <= 30 s and <= 1 GB; 950,000 characters is the size that issue
measured at 144 s and 2.9 GB as one Doc.

    .venv/bin/python bench/bench_long_article.py                  # up to 950,000 characters in sections
    .venv/bin/python bench/bench_long_article.py --full-baseline  # also one Doc of 950,000 (minutes, GBs)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from geo.text.inputs import DEFAULT_MAX_CHARS  # noqa: E402 - the checkout's geo, not an installed one
SAMPLES = REPO / "data" / "samples" / "articles.jsonl"
BIG, TARGET_SECONDS, TARGET_MB = 950_000, 30.0, 1000.0


def article(chars: int, one_line: bool) -> str:
    texts = [json.loads(line)["text"] for line in SAMPLES.open(encoding="utf-8")]
    parts, n, i = [], 0, 0
    while n < chars:
        parts.append(texts[i % len(texts)])
        n += len(parts[-1]) + 2
        i += 1
    text = "\n\n".join(parts)[:chars]
    return " ".join(text.split()) if one_line else text


def measure(chars: int, mode: str) -> dict:
    """In this (fresh) process: load the pipeline, parse one article, report."""
    import psutil

    from geo.text.pipeline import Pipeline

    text = article(chars, one_line=mode == "one line")
    pipeline = Pipeline()
    if mode == "one Doc":
        pipeline.whole_chars = len(text)
    pipeline.parse("A warm-up sentence about Paris.")
    proc = psutil.Process()
    loaded = proc.memory_info().rss
    t0, c0 = time.perf_counter(), time.process_time()
    doc = pipeline.parse(text)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KB on Linux
    return {
        "chars": len(text), "mode": mode, "wall": wall, "cpu": cpu, "loaded_mb": loaded / 1e6, "peak_mb": peak / 1e6,
        "mentions": len(doc.mentions), "events": len(doc.events),
    }  # fmt: skip


def run(chars: int, mode: str) -> dict:
    env = {**os.environ, "DATELINE_MAX_CHARS": str(max(chars, DEFAULT_MAX_CHARS))}
    out = subprocess.run(
        [sys.executable, __file__, "--measure", str(chars), mode], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--full-baseline", action="store_true", help="also parse 950,000 characters as one Doc")
    ap.add_argument("--measure", nargs=2, metavar=("CHARS", "MODE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(int(args.measure[0]), args.measure[1])))
        return 0
    plan = [(n, "sections") for n in (95_000, 190_000, DEFAULT_MAX_CHARS, BIG)]
    plan += [(DEFAULT_MAX_CHARS, "one line"), (95_000, "one Doc"), (190_000, "one Doc")]
    if args.full_baseline:
        plan.append((BIG, "one Doc"))
    load = os.getloadavg()[0]
    rows = []
    for chars, mode in plan:
        r = run(chars, mode)
        rows.append(r)
        print(f"  {mode:8} {chars:>9,} chars: {r['wall']:6.1f} s", file=sys.stderr, flush=True)
    print("## Long articles: parse time and memory against length\n")
    print(f"{os.cpu_count()} CPUs, load average {load:.1f} at the start (other work on the machine slows the wall times).")
    print("Each row is a fresh process: the model loaded, then one article parsed.\n")
    print("| mode | characters | parse s | CPU s | CPU µs per char | RSS with model, MB | peak RSS, MB | mentions | events |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['mode']} | {r['chars']:,} | {r['wall']:.1f} | {r['cpu']:.1f} | {1e6 * r['cpu'] / r['chars']:.0f} "
            f"| {r['loaded_mb']:,.0f} | {r['peak_mb']:,.0f} | {r['mentions']:,} | {r['events']:,} |"
        )
    for chars, what in ((DEFAULT_MAX_CHARS, "the default limit"), (BIG, "the limit raised")):
        r = next(r for r in rows if r["mode"] == "sections" and r["chars"] == chars)
        print(
            f"\n{chars:,} characters ({what}): {r['wall']:.1f} s, {r['cpu']:.1f} s of CPU (target {TARGET_SECONDS:.0f} s), "
            f"peak {r['peak_mb']:,.0f} MB (target {TARGET_MB:,.0f} MB)."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
