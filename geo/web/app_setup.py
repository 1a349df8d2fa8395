"""`python -m geo setup-app` (run by `make run`): everything the app needs before it starts.

1. the gazetteer index (built once into the cache folder);
2. static/vendor/: Leaflet, jQuery, MarkerCluster and the country outlines, so the map loads
   nothing from the internet (geo/web/assets.py);
3. the bundled sample articles in the default store, parsed once: ingest skips articles it
   already holds before parsing them, so later runs take a second, not a model load.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from geo.settings import DATA

SAMPLES = DATA / "samples" / "articles.jsonl"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m geo setup-app",
        description="Prepare the map app: gazetteer index, offline web assets, sample articles in the store.",
    )
    ap.add_argument("--db", help="database URL or SQLite file (default: DATELINE_DB, else data/dateline.db)")
    ap.add_argument("--no-samples", action="store_true", help="do not load the bundled sample articles")
    ap.add_argument("--samples", default=str(SAMPLES), metavar="PATH", help="sample articles to load (default: %(default)s)")
    args = ap.parse_args(argv)

    from geo.gazetteer import ensure_built

    from . import assets

    t0 = time.perf_counter()
    path = ensure_built()
    print(f"gazetteer: {path}")
    written = assets.install()
    print(f"web assets: {assets.VENDOR_DIR} ({len(written)} files updated)")
    if args.no_samples:
        return 0
    samples = Path(args.samples)
    if not samples.exists():
        print(f"error: no sample articles at {samples}", file=sys.stderr)
        return 2

    from geo.store.ingest import main as ingest_main

    # The ingest command itself: it skips stored articles before parsing, and reports as usual.
    rc = ingest_main([str(samples), "--quiet", *(["--db", args.db] if args.db else [])])
    print(f"ready in {time.perf_counter() - t0:.1f} s")
    return rc
