"""`make bench`: run every bench/bench_*.py and collect what they print into bench/RESULTS.md."""

from __future__ import annotations

import datetime as dt
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parts = [
        "# Benchmark results\n",
        f"Run {dt.datetime.now().isoformat(timespec='minutes')} on {platform.machine()}, "
        f"{platform.python_implementation()} {platform.python_version()}. Each section is one script's output; "
        "baselines are measured in the same run.\n",
    ]
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        run = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, capture_output=True, text=True)
        print(run.stdout)
        if run.returncode != 0:
            failed.append(script.name)
            print(run.stderr[-3000:], file=sys.stderr)
            parts.append(f"\n## {script.name}: FAILED (exit {run.returncode})\n\n```\n{run.stderr[-2000:]}\n```\n")
        else:
            parts.append("\n" + run.stdout)
    (HERE / "RESULTS.md").write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
