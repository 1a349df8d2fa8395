"""The command line: `python -m geo parse|batch|gazetteer|ingest|export|train|setup-app|correct|corrections|alias|reparse`.

Errors in the input are reported as one line naming the input and what is wrong, with a
non-zero exit status, never as a traceback.
"""

from __future__ import annotations

import contextlib
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
    """The article text of FILE or '-', or SystemExit with a message naming it. The same checks
    as `batch` and `ingest` (geo/text/inputs.py)."""
    from geo.text.inputs import MAX_BYTES, InputError, decode_text

    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            p = Path(path)
            if p.is_dir():
                raise SystemExit(f"error: {name} is a folder; parse takes one file (use `ingest` for folders)")
            with p.open("rb") as f:
                data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise SystemExit(f"error: cannot read {name}: {e.strerror}") from None
    if len(data) > MAX_BYTES:
        raise SystemExit(f"error: {name} is over the size limit for one article ({MAX_BYTES / 1e6:.0f} MB)")
    try:
        return decode_text(data)
    except InputError as e:
        raise SystemExit(f"error: {name}: {e}") from None


def _pipeline(**kwargs):
    from geo.text.pipeline import Pipeline

    try:
        return Pipeline(**kwargs)
    except RuntimeError as e:  # the spaCy model is missing
        raise SystemExit(f"error: {e}") from None


def cmd_parse(args) -> int:
    from geo.store.cli import check_region
    from geo.text.pipeline import InputError

    published = _published(args.published)
    check_region(args.region)
    text = _read_text(args.file)
    try:
        doc = _pipeline().parse(text, published=published, region=args.region)
    except InputError as e:
        raise SystemExit(f"error: {args.file}: {e}") from None
    json.dump(doc.to_dict(), sys.stdout, ensure_ascii=False, indent=1 if args.pretty else None)
    sys.stdout.write("\n")
    return 0


def _batch_records(stream, name: str, errors: list):
    """(id, Item) per good input line, validated as `ingest` validates a JSONL line; bad lines go
    to `errors` and reading goes on."""
    from geo.store.readers import ReadError, jsonl_records, record_item

    for line, rec in jsonl_records(stream, name):
        item = rec if isinstance(rec, ReadError) else record_item(name, line, rec)
        if isinstance(item, ReadError):
            errors.append(item)
            continue
        yield rec.get("id", line), item


def _open_input(path: str):
    if path == "-":
        return contextlib.nullcontext(sys.stdin.buffer)
    p = Path(path)
    if p.is_dir():
        raise SystemExit(f"error: {path} is a folder; batch takes one JSONL file (use `ingest` for folders)")
    try:
        return p.open("rb")
    except OSError as e:
        raise SystemExit(f"error: cannot read {path}: {e.strerror}") from None


def cmd_batch(args) -> int:
    from geo.store.cli import OutputError, check_region, replacing

    check_region(args.region)
    name = "<stdin>" if args.input == "-" else args.input
    stream = _open_input(args.input)
    pipeline = _pipeline(events=not args.no_events) if args.workers == 1 else None
    errors: list = []
    counts = {"parsed": 0}
    t0 = time.perf_counter()
    try:
        with stream as f:
            if args.output in (None, "-"):
                _batch(args, f, name, pipeline, sys.stdout, errors, counts)
            else:
                with replacing(args.output) as tmp, open(tmp, "w", encoding="utf-8") as out:
                    _batch(args, f, name, pipeline, out, errors, counts)
    except OutputError as e:
        raise SystemExit(f"error: {e}") from None
    except OSError as e:
        raise SystemExit(f"error: {e.strerror or e}{': ' + str(e.filename) if e.filename else ''}") from None
    dt_ = time.perf_counter() - t0
    n = counts["parsed"]
    for e in errors:
        print(f"error: {e.where}: {e.reason}", file=sys.stderr)
    print(f"{n} articles parsed, {len(errors)} failed, {dt_:.1f} s ({n / dt_ if dt_ else 0:.1f} articles/s)", file=sys.stderr)
    return 1 if errors else 0


def _batch(args, f, name: str, pipeline, out, errors: list, counts: dict) -> None:
    """Parse every good record of `f` and write one JSON line each, in input order."""
    from collections import deque

    from geo.store.ingest import parsers
    from geo.store.readers import ReadError

    parser = parsers(workers=args.workers, pipeline=pipeline, events=not args.no_events)
    pending: deque = deque()  # (future, [(id, Item)]) in input order

    def write_done(keep: int) -> None:
        while len(pending) > keep:
            fut, recs = pending.popleft()
            try:
                results = fut.result()
            except Exception as e:  # noqa: BLE001 - a lost worker fails its batch, not the run
                results = [f"parse failed: worker error: {type(e).__name__}: {e}"] * len(recs)
            for (id_, item), doc in zip(recs, results):
                if isinstance(doc, str):
                    errors.append(ReadError(item.source, item.line, doc))
                    continue
                d = doc.to_dict()
                rec = {"id": id_, "published": d["published"], "mentions": d["mentions"], "toponyms": doc.toponyms(), "events": d["events"]}
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                counts["parsed"] += 1

    def submit(recs) -> None:
        pending.append((parser.submit([(it.text, it.published, it.title, it.region or args.region) for _, it in recs]), recs))
        write_done(parser.window)

    try:
        batch: list = []
        for id_, item in _batch_records(f, name, errors):
            batch.append((id_, item))
            if len(batch) >= parser.batch_size:
                submit(batch)
                batch = []
        if batch:
            submit(batch)
        write_done(0)
    except BaseException:
        parser.close(cancel=True)
        raise
    parser.close()


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
    "reparse": "geo.store.reparse",
    # module:function where one module holds several commands
    "correct": "geo.store.correct:cmd_correct",
    "corrections": "geo.store.correct:cmd_corrections",
    "alias": "geo.store.correct:cmd_alias",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # These commands own their argument parsers, in the module that does the work.
    if argv and argv[0] in OWN_PARSERS:
        import importlib

        module, _, func = OWN_PARSERS[argv[0]].partition(":")
        return getattr(importlib.import_module(module), func or "main")(argv[1:])

    from geo.store.cli import ArgumentParser

    ap = ArgumentParser(prog="python -m geo", description="Dateline: news text to mapped places and events, offline.")
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
    sub.add_parser("correct", help="correct a stored event's place, type or date, or hide it: python -m geo correct --help")
    sub.add_parser("corrections", help="list corrections and aliases, or undo one: python -m geo corrections --help")
    sub.add_parser("alias", help="say a name means a place, store-wide: python -m geo alias --help")
    sub.add_parser("reparse", help="re-run the current parser over stored articles, keeping corrections: python -m geo reparse --help")
    args = ap.parse_args(argv)
    if getattr(args, "workers", 1) < 1:
        b.error(f"--workers {args.workers}: give 1 or more processes")
    return args.func(args)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
