"""`python -m geo train NAME`: rebuild a learned component from its training data.

Each learned part keeps its features, model file and trainer side by side in the package whose
stage it serves; this table only names them. A trainer reads its training files (outside the
repository, e.g. ../shared/eval/), writes its small model file into the package, deterministically,
and prints the figures it was chosen by (dev and cross-validation).
"""

from __future__ import annotations

import importlib
import sys

# name -> module whose `main(argv)` trains it
TRAINERS = {
    "events": "geo.text.event_model",
    "resolver": "geo.text.resolve_model",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in TRAINERS:
        names = ", ".join(TRAINERS)
        if argv and argv[0] not in ("-h", "--help"):
            print(f"error: no learned component called {argv[0]!r}; expected one of {names}", file=sys.stderr)
            return 2
        print(f"usage: python -m geo train {{{names}}} [options]   (each takes --help)")
        return 0
    try:
        module = importlib.import_module(TRAINERS[argv[0]])
    except ModuleNotFoundError as e:
        print(f"error: the {argv[0]} trainer is not available ({e})", file=sys.stderr)
        return 2
    return module.main(argv[1:])
