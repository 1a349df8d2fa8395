"""The command line: `python -m geo parse|batch|gazetteer|ingest|export|train|setup-app`.

Errors in the input are reported as one line naming the input and what is wrong, with a
non-zero exit status, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def _published(value: str | None, what: str = "--published"):
    if value in (None, ""):
        return None
    from geo.text.dates import parse_published

    try:
        return parse_published(value)
    except ValueError:
        raise SystemExit(f"error: {what} {value!r} is not a date (expected YYYY-MM-DD)") from None


def _read_text(path: str) -> str:
    """The article text of FILE or '-', or SystemExit with a message naming it."""
    from geo.text.pipeline import MAX_CHARS

    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_CHARS * 4 + 1)
        else:
            p = Path(path)
            if p.is_dir():
                raise SystemExit(f"error: {name} is a folder; parse takes one file (use `ingest` for folders)")
            with p.open("rb") as f:
                data = f.read(MAX_CHARS * 4 + 1)
    except OSError as e:
        raise SystemExit(f"error: cannot read {name}: {e.strerror}") from None
    if len(data) > MAX_CHARS * 4:
        raise SystemExit(f"error: {name} is over the article size limit ({MAX_CHARS:,} characters)")
    if b"\x00" in data:
        raise SystemExit(f"error: {name} looks binary (contains NUL bytes), not a text article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SystemExit(f"error: {name} is not valid UTF-8 (byte {e.start}: {data[e.start:e.start + 1]!r})") from None


def cmd_parse(args) -> int:
    from geo.text.pipeline import InputError, Pipeline

    published = _published(args.published)
    text = _read_text(args.file)
    try:
        doc = Pipeline().parse(text, published=published, region=args.region)
    except InputError as e:
        raise SystemExit(f"error: {args.file}: {e}") from None
    json.dump(doc.to_dict(), sys.stdout, ensure_ascii=False, indent=1 if args.pretty else None)
    sys.stdout.write("\n")
    return 0


def _batch_items(path: str, errors: list, default_region: str | None = None):
    """(line, id, text, published, title, region) per good input line; bad lines are reported, not fatal."""
    from geo.text.dates import parse_published

    stream = sys.stdin if path == "-" else open(path, encoding="utf-8", errors="strict")
    with stream:
        n = 0
        while True:
            try:
                line = stream.readline()
            except UnicodeDecodeError as e:
                errors.append({"line": n + 1, "error": f"not valid UTF-8 ({e.reason})"})
                break
            if not line:
                break
            n += 1
            if not line.strip():
                continue
            rec = None
            try:
                rec = json.loads(line)
                if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                    raise ValueError("no 'text' string")
                pub = rec.get("published") or rec.get("pub_date")
                published = parse_published(pub) if pub else None
            except (ValueError, json.JSONDecodeError) as e:
                errors.append({"line": n, "error": str(e)})
                continue
            region = rec.get("region")
            if region is not None and not isinstance(region, str):
                errors.append({"line": n, "error": "'region' is not a string"})
                continue
            yield n, rec.get("id", n), rec["text"], published, rec.get("title"), region or default_region


def cmd_batch(args) -> int:
    from geo.text.pipeline import InputError, Pipeline

    pipeline = Pipeline(events=not args.no_events)
    errors: list = []
    ids: list = []
    t0 = time.perf_counter()

    def items():
        for line, id_, text, published, title, region in _batch_items(args.input, errors, args.region):
            try:
                region = pipeline.region(region)
            except InputError as e:
                errors.append({"line": line, "error": str(e)})
                continue
            ids.append(id_)
            yield text, published, title, region

    out = sys.stdout if args.output in (None, "-") else open(args.output, "w", encoding="utf-8")
    n = 0
    with out if out is not sys.stdout else _nullcontext():
        for i, doc in enumerate(pipeline.pipe(items(), n_process=args.workers)):
            d = doc.to_dict()
            rec = {"id": ids[i], "published": d["published"], "mentions": d["mentions"], "toponyms": doc.toponyms(), "events": d["events"]}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    dt = time.perf_counter() - t0
    for e in errors:
        print(f"error: {args.input} line {e['line']}: {e['error']}", file=sys.stderr)
    print(f"{n} articles parsed, {len(errors)} failed, {dt:.1f} s ({n / dt if dt else 0:.1f} articles/s)", file=sys.stderr)
    return 1 if errors else 0


class _nullcontext:
    def __enter__(self):
        return None

    def __exit__(self, *a):
        return False


def cmd_gazetteer(args) -> int:
    from geo.gazetteer import ensure_built, geonames

    if args.geonames is not None or args.no_geonames:
        try:
            geonames.set_sources([] if args.no_geonames else args.geonames)
        except ValueError as e:
            raise SystemExit(f"error: --geonames: {e}") from None
    t0 = time.perf_counter()
    path = ensure_built(force=args.force)
    print(f"gazetteer index: {path} ({path.stat().st_size / 1e6:.0f} MB, {time.perf_counter() - t0:.1f} s)")
    merged = geonames.report_of(path)
    if merged:
        print(
            f"GeoNames: {merged['rows']:,} rows read, {merged['towns']:,} towns and {merged['admin']:,} admin units "
            f"merged, {merged['known']:,} already known, {merged['bad']:,} bad rows ({merged['seconds']} s)"
        )
        for problem in merged["problems"]:
            print(f"  bad row: {problem}")
    return 0


REGION_HELP = "the publication's home region: ISO 3166 (US-TX, CA-ON, GB) or a country or state name"

OWN_PARSERS = {
    "ingest": "geo.store.ingest",
    "export": "geo.store.export",
    "setup-app": "geo.web.app_setup",
    "train": "geo.train",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # These commands own their argument parsers, in the module that does the work.
    if argv and argv[0] in OWN_PARSERS:
        import importlib

        return importlib.import_module(OWN_PARSERS[argv[0]]).main(argv[1:])

    ap = argparse.ArgumentParser(prog="python -m geo", description="Dateline: news text to mapped places and events, offline.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("parse", help="parse one article and print its mentions, places and events as JSON")
    p.add_argument("file", help="article text file, or - for standard input")
    p.add_argument("--published", help="publication date, YYYY-MM-DD (resolves 'Monday', 'last month'...)")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.add_argument("--region", help=REGION_HELP)
    p.set_defaults(func=cmd_parse)
    b = sub.add_parser("batch", help="parse a JSONL file of {id, text, published?} into JSONL results")
    b.add_argument("input", help="input JSONL, or - for standard input")
    b.add_argument("-o", "--output", help="output JSONL (default: standard output)")
    b.add_argument("--workers", type=int, default=1, help="processes to parse with (default 1)")
    b.add_argument("--no-events", action="store_true", help="places only; skip event extraction")
    b.add_argument("--region", help=REGION_HELP + "; a line's own 'region' field wins")
    b.set_defaults(func=cmd_batch)
    g = sub.add_parser("gazetteer", help="build the offline gazetteer index if missing or stale")
    g.add_argument("--force", action="store_true", help="rebuild even if up to date")
    g.add_argument("--geonames", nargs="+", metavar="FILE", help="merge GeoNames dump files (allCountries.zip, "
                   "XX.zip or .txt; admin1CodesASCII.txt, admin2Codes.txt name states and counties); remembered")
    g.add_argument("--no-geonames", action="store_true", help="forget the GeoNames files: bundled data only")
    g.set_defaults(func=cmd_gazetteer)
    sub.add_parser("ingest", help="store articles: python -m geo ingest --help")
    sub.add_parser("export", help="export events and flows: python -m geo export --help")
    sub.add_parser("train", help="rebuild a learned component from its training data: python -m geo train --help")
    args = ap.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
