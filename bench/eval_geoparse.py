"""Score Dateline's geoparser on a gold corpus (default: GeoWebNews dev half in ../shared/eval).

    .venv/bin/python bench/eval_geoparse.py [GOLD.jsonl] [--types literal] [--keep PRED.jsonl]

Runs `python -m geo batch` over the gold texts exactly as a user would, then the corpus scorer.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="?", default=str(EVAL / "geowebnews_dev.jsonl"))
    ap.add_argument("--keep", help="write predictions here")
    ap.add_argument("--scorer", default=str(EVAL / "score_geoparse.py"))
    args, scorer_args = ap.parse_known_args()  # the rest goes to the scorer (--types, --quiet...)
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "in.jsonl"
        with open(args.gold, encoding="utf-8") as f, inp.open("w", encoding="utf-8") as out:
            for line in f:
                d = json.loads(line)
                out.write(json.dumps({"id": d["id"], "text": d["text"]}) + "\n")
        pred = Path(args.keep or Path(tmp) / "pred.jsonl")
        subprocess.run([sys.executable, "-m", "geo", "batch", str(inp), "-o", str(pred), "--no-events"], cwd=REPO, check=True)
        return subprocess.run([sys.executable, args.scorer, args.gold, str(pred), *scorer_args]).returncode


if __name__ == "__main__":
    sys.exit(main())
