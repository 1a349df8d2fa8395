"""Which well-known cities the geoparser sends abroad when a text names them with nothing else.

    .venv/bin/python bench/audit_namesakes.py [--min-population N] [--list]

For every capital and every city of at least N people (default 500,000) in the gazetteer, parses
"Protesters marched in NAME on Monday." and, of the cities whose name the geoparser finds whole
(the others are counted apart: "Frankfurt am Main" is found as "Frankfurt"), counts those placed
in another country. Beside it, the same count for the naive "most populous place of that name"
baseline on the same cities, measured in the same run. A name several big cities share
("Valencia", "Hyderabad") cannot come out right for all of them, so neither count reaches zero:
read one build's against another's, and the list for what moved.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-population", type=int, default=500_000)
    ap.add_argument("--list", action="store_true", help="list the cities resolved elsewhere")
    args = ap.parse_args(argv)
    from geo.gazetteer import Gazetteer
    from geo.text.pipeline import Pipeline

    gaz = Gazetteer.default()
    pipe = Pipeline(events=False)
    cities = [c for c in gaz.places_at("city") if c.population >= args.min_population or c.feature_code == "PPLC"]
    whole = ours = naive = 0
    for c in cities:
        doc = pipe.parse(f"Protesters marched in {c.name} on Monday.")
        found = [m for m in doc.mentions if m.text == c.name]
        if not found:
            continue
        whole += 1
        got = found[0].place
        wrong = got is None or got.country_code != c.country_code
        ours += wrong
        biggest = max(gaz.lookup(c.name), key=lambda p: (p.level == "city", p.population), default=None)
        naive += biggest is None or biggest.country_code != c.country_code
        if wrong and args.list:
            print(f"{c.name} ({c.country_code}, {c.population:,}) -> "
                  + (f"{got.name} ({got.country_code}, {got.level}, {got.population:,})" if got else "no place"))
    print(f"{len(cities)} capitals and cities of {args.min_population:,} people or more, {whole} found whole: "
          f"{ours} placed in another country or nowhere; naive most-populous baseline {naive}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
