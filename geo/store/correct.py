"""The command line of corrections: `python -m geo correct`, `corrections` and `alias`.

    python -m geo correct EVENT_ID --place GEONAMEID|NAME [--in-article | --everywhere] [--note TEXT]
    python -m geo correct EVENT_ID --type T | --date D | --not-event [--note TEXT]
    python -m geo corrections [--active] [--what W] [--undo N] [--json]
    python -m geo alias NAME --place GEONAMEID|NAME [--note TEXT]

Every command takes --db URL. What a correction does is geo/store/corrections.py's business;
this module reads arguments, names bad ones in one line, and prints what was done.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from geo.model import Place

from .corrections import WHATS, CorrectionError, describe
from .store import Store, normalise_url

DB_HELP = "database URL or SQLite file (default: DATELINE_DB, else data/dateline.db)"


def open_existing(db: str | None) -> Store | None:
    """The store at --db, or None after a one-line error: a command that changes a store must
    not make an empty one from a mistyped path."""
    url = normalise_url(db)
    path = sa.engine.make_url(url).database if url.startswith("sqlite") else None
    if path and path != ":memory:" and not Path(path).exists():
        print(f"error: no database at {path} (ingest some articles first, or pass --db)", file=sys.stderr)
        return None
    try:
        return Store(url)
    except Exception as e:  # noqa: BLE001 - one line naming the database, not a traceback
        print(f"error: cannot open database {db or url}: {e}", file=sys.stderr)
        return None


def find_place(text: str) -> Place:
    """A place from a GeoNames id, or from a name the gazetteer knows once; CorrectionError
    listing the places a name could be otherwise."""
    text = (text or "").strip()
    if text.isdigit():
        return Store.gazetteer_place(int(text))
    from geo.gazetteer import Gazetteer

    found = Gazetteer.default().lookup(text)
    if len(found) == 1:
        return found[0]
    if not found:
        raise CorrectionError(f"place {text!r}: no such name in the gazetteer; give a GeoNames id")
    listed = "; ".join(
        f"{p.geonameid or '(no GeoNames id)'} {p.name} ({', '.join(x for x in (p.admin1, p.country_code, p.level) if x)})" for p in found[:8]
    )
    raise CorrectionError(f"place {text!r} names {len(found)} places: {listed}; give the GeoNames id")


def _place_label(p: Place) -> str:
    return f"{p.name} ({', '.join(x for x in (p.admin1, p.country_code) if x)}; GeoNames {p.geonameid})"


def cmd_correct(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m geo correct",
        description="Correct one stored event: its place, type or date, or that it is no event. The correction "
        "is applied at once, wins over the parser everywhere (map, tables, exports, re-parses) and can be undone "
        "with `python -m geo corrections --undo N`.",
    )
    ap.add_argument("event_id", type=int, metavar="EVENT_ID", help="the event's id (Events page, exports' event_id)")
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--place", metavar="GEONAMEID", help="its place: a GeoNames id, or a name the gazetteer knows once")
    what.add_argument("--type", metavar="T", help="its event type (e.g. protest, border_crossing)")
    what.add_argument("--date", metavar="D", help="its date: YYYY-MM-DD, YYYY-Www (a week), YYYY-MM, YYYY or none")
    what.add_argument("--not-event", action="store_true", help="the sentence reports no event: hide it")
    scope = ap.add_mutually_exclusive_group()
    scope.add_argument("--in-article", action="store_true", help="with --place: every mention of the event's place name in its article")
    scope.add_argument("--everywhere", action="store_true", help="with --place: the name everywhere in the store and in articles to come (a store alias)")
    ap.add_argument("--note", metavar="TEXT", help="why, for whoever reads the corrections later")
    ap.add_argument("--db", help=DB_HELP)
    args = ap.parse_args(argv)
    if (args.in_article or args.everywhere) and not args.place:
        ap.error("--in-article and --everywhere go with --place")

    def work(store: Store) -> list[str]:
        if args.place:
            place = find_place(args.place)
            if args.in_article or args.everywhere:
                return _alias_from_event(store, args.event_id, place, args.in_article, args.note)
            cid = store.correct(args.event_id, place=place, note=args.note)
        elif args.type:
            cid = store.correct(args.event_id, type=args.type, note=args.note)
        elif args.date:
            cid = store.correct(args.event_id, date=args.date, note=args.note)
        else:
            cid = store.correct(args.event_id, not_event=True, note=args.note)
        row = store.corrections().set_index("id").loc[cid]
        change = "marked not an event" if row["what"] == "not_event" else f"{row['what']} {row['old']} -> {row['value']}"
        return [f"correction #{cid}: event {args.event_id} {change}"]

    return _run(args.db, work)


def _alias_from_event(store: Store, event_id: int, place: Place, in_article: bool, note: str | None) -> list[str]:
    ev = store.event(event_id)
    if ev is None:
        raise CorrectionError(f"no event {event_id} in this store")
    if not ev.get("place_text"):
        raise CorrectionError(f"event {event_id} names no place; correct its place alone (without --in-article/--everywhere)")
    article = int(ev["article_id"]) if in_article else None
    cid, n = store.add_alias(ev["place_text"], place, article_id=article, note=note)
    where = f"in article {article}" if article is not None else "everywhere in the store"
    return [f"alias #{cid}: '{ev['place_text']}' {where} is {_place_label(place)}; {n} event{'s' if n != 1 else ''} changed"]


def _run(db: str | None, work) -> int:
    """Open the store, run work(store) -> lines to print, close; a CorrectionError is one line."""
    store = open_existing(db)
    if store is None:
        return 2
    try:
        lines = work(store)
    except CorrectionError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print("\n".join(lines))
    return 0


def cmd_corrections(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m geo corrections",
        description="List the store's corrections and aliases, oldest first, or undo one. Undone corrections stay "
        "listed (state undone); nothing is deleted.",
    )
    ap.add_argument("--active", action="store_true", help="only those in force")
    ap.add_argument("--what", choices=WHATS, help="only corrections of this kind (alias: the aliases)")
    ap.add_argument("--undo", type=int, metavar="N", help="undo correction #N (remove alias #N)")
    ap.add_argument("--json", action="store_true", help="one JSON object per line")
    ap.add_argument("--db", help=DB_HELP)
    args = ap.parse_args(argv)
    return _run(args.db, lambda store: _list_or_undo(store, args))


def _list_or_undo(store: Store, args) -> list[str]:
    if args.undo is not None:
        return [f"undid #{args.undo}: {store.undo(args.undo)}"]
    df = store.corrections(what=args.what, active=True if args.active else None)
    if args.json:
        return [json.dumps({k: (None if pd.isna(v) else v) for k, v in rec.items()}, default=str, ensure_ascii=False) for rec in df.to_dict("records")]
    if not len(df):
        return ["no corrections"]
    lines = []
    for r in df.itertuples():
        if r.what == "alias":
            target = f"'{r.name}' " + ("in the store" if pd.isna(r.article_id) else f"in article {int(r.article_id)}")
            change = f"is {r.value}"
        else:
            target = "event gone since a re-parse" if pd.isna(r.event_id) else f"event {int(r.event_id)}"
            change = describe("not_event", None) if r.what == "not_event" else f"{r.what} {r.old} -> {r.value}"
        note = f"  ({r.note})" if isinstance(r.note, str) and r.note else ""
        lines.append(f"#{r.id}  {r.state:<7} {r.at:%Y-%m-%d %H:%M}  {target}: {change}{note}")
    return lines


def cmd_alias(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m geo alias",
        description="Say a name means a place, everywhere in the store and in articles ingested or re-parsed from "
        "now on (\"Georgia\" -> the US state). Applied at once to the events the name places; "
        "`python -m geo corrections --what alias` lists aliases, `--undo N` removes one.",
    )
    ap.add_argument("name", metavar="NAME", help="the name as articles write it (case and accents are ignored)")
    ap.add_argument("--place", required=True, metavar="GEONAMEID", help="a GeoNames id, or a name the gazetteer knows once")
    ap.add_argument("--note", metavar="TEXT", help="why")
    ap.add_argument("--db", help=DB_HELP)
    args = ap.parse_args(argv)

    def work(store: Store) -> list[str]:
        place = find_place(args.place)
        cid, n = store.add_alias(args.name, place, note=args.note)
        return [f"alias #{cid}: '{args.name}' is {_place_label(place)}; {n} event{'s' if n != 1 else ''} changed"]

    return _run(args.db, work)
