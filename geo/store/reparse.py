"""`python -m geo reparse`: run the current parser over stored articles again, in place.

Which articles: those a parser of another version produced (articles.parser_version, see
geo/text/version.py), or with --all every article. Each article is re-parsed and replaced in
one transaction (Store.replace_document), so a run killed at any moment leaves every article
either as it was or re-parsed, and running the command again goes on where it stopped: re-parsed
articles carry the current version, and an --all run records when it started (in the meta table)
until it finishes.

Each article is parsed with the home region it was ingested with (articles.region), so its
namesakes are read in the same light. The user's corrections survive: events found again keep their ids, corrections are re-applied
to them, aliases are given to the parser (and applied again by the store), and a correction
whose event the new parse no longer has is reported and kept, to find its event in a later parse.
Parsing fans out like ingest's (geo/store/ingest.py: processes or a Dask cluster); the store
stays the single writer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from dataclasses import dataclass, field

import sqlalchemy as sa

from .cli import add_parsing_options, check_parsing_options
from .correct import open_existing
from .ingest import parse_all, parser_version_of, parsers
from .store import Store

MOVED_KM = 25.0  # a move under this is a finer reading of the same place, not news
RUN_KEY = "reparse_all_since"  # meta: when an unfinished --all run started
ID_CHUNK = 1_000
MAX_LISTED = 20


@dataclass
class ReparseReport:
    version: str
    articles: int = 0  # re-parsed
    failed: list[tuple[int, str]] = field(default_factory=list)  # (article id, why)
    left: int = 0  # to do when the run stopped
    added: int = 0
    removed: int = 0
    moved: list[tuple[int, float]] = field(default_factory=list)  # (event id, km) over MOVED_KM
    orphaned: list[int] = field(default_factory=list)  # correction ids whose event is gone
    refound: list[int] = field(default_factory=list)
    elapsed: float = 0.0
    interrupted: bool = False

    def summary(self) -> str:
        head = "interrupted: " if self.interrupted else ""
        lines = [
            f"{head}re-parsed {self.articles} article{'s' if self.articles != 1 else ''} with parser {self.version} "
            f"in {self.elapsed:.1f} s; events added {self.added}, removed {self.removed}, "
            f"moved more than {MOVED_KM:.0f} km {len(self.moved)}"
        ]
        if self.moved:
            shown = ", ".join(f"{i} ({km:,.0f} km)" for i, km in sorted(self.moved, key=lambda m: -m[1])[:MAX_LISTED])
            lines.append(f"moved: {shown}{' ...' if len(self.moved) > MAX_LISTED else ''}")
        if self.refound:
            lines.append(f"corrections that found their event again: {', '.join(f'#{i}' for i in self.refound)}")
        if self.orphaned:
            lines.append(
                f"corrections whose event the parser no longer finds (kept; `python -m geo corrections` lists them): "
                f"{', '.join(f'#{i}' for i in self.orphaned)}"
            )
        if self.failed:
            lines.append(f"failed {len(self.failed)} (left as they were)")
        if self.left:
            lines.append(f"{self.left} article{'s' if self.left != 1 else ''} still to do: run the command again to go on")
        return "\n".join(lines)


def _todo(store: Store, version: str, since: dt.datetime | None) -> list[int]:
    """Ids of the articles to re-parse, oldest first."""
    a = store.t["articles"]
    if since is not None:
        cond = sa.or_(a.c.parsed_at.is_(None), a.c.parsed_at < since, a.c.parser_version.is_distinct_from(version))
    else:
        cond = a.c.parser_version.is_distinct_from(version)
    with store.engine.connect() as conn:
        return [i for (i,) in conn.execute(sa.select(a.c.id).where(cond).order_by(a.c.id))]


def _run_start(store: Store, all_articles: bool) -> dt.datetime | None:
    """For --all: when this run (or the unfinished one it resumes) started."""
    if not all_articles:
        return None
    meta = store.t["meta"]
    with store.engine.begin() as conn:
        found = conn.execute(sa.select(meta.c.value).where(meta.c.key == RUN_KEY)).scalar()
        if found:
            return dt.datetime.fromisoformat(found)
        now = dt.datetime.now(dt.timezone.utc)
        conn.execute(meta.insert().values(key=RUN_KEY, value=now.isoformat()))
        return now


def _run_done(store: Store) -> None:
    meta = store.t["meta"]
    with store.engine.begin() as conn:
        conn.execute(meta.delete().where(meta.c.key == RUN_KEY))


def reparse(
    store: Store,
    *,
    all_articles: bool = False,
    workers: int = 1,
    dask: str | None = None,
    progress: bool = True,
    pipeline=None,
    limit: int | None = None,
) -> ReparseReport:
    """Re-parse the articles of other parser versions (or all of them), keeping corrections.
    `limit` stops after that many articles (the rest stay to do)."""
    from tqdm import tqdm

    version = parser_version_of(pipeline)
    report = ReparseReport(version=version)
    t0 = time.perf_counter()
    since = _run_start(store, all_articles)
    ids = _todo(store, version, since)
    if limit is not None:
        report.left, ids = max(0, len(ids) - limit), ids[:limit]
    if not ids:
        if since is not None and not report.left:
            _run_done(store)
        report.elapsed = time.perf_counter() - t0
        return report
    parser = parsers(workers=workers, dask=dask, pipeline=pipeline)
    aliases = store.alias_places()
    a = store.t["articles"]
    bar = tqdm(total=len(ids), desc="reparse", unit=" articles", disable=not progress, dynamic_ncols=True, file=sys.stderr)

    def write(batch: list[int], docs: list) -> None:
        for article_id, doc in zip(batch, docs):
            if isinstance(doc, str):
                report.failed.append((article_id, doc))
            else:
                changes = store.replace_document(article_id, doc, parser_version=version)
                if changes is not None:
                    report.articles += 1
                    report.added += len(changes["added"])
                    report.removed += len(changes["removed"])
                    report.moved += [(i, km) for i, km in changes["moved"] if km > MOVED_KM]
                    report.orphaned += changes["orphaned"]
                    report.refound += changes["refound"]
            bar.update(1)
        bar.set_postfix(added=report.added, removed=report.removed, moved=len(report.moved), refresh=False)

    def batches():
        for i in range(0, len(ids), parser.batch_size):
            with store.engine.connect() as conn:
                q = sa.select(a.c.id, a.c.text, a.c.published, a.c.title, a.c.region)
                q = q.where(a.c.id.in_(ids[i : i + parser.batch_size])).order_by(a.c.id)
                rows = conn.execute(q).all()  # an article deleted since the list was made is left out
            yield [r.id for r in rows], [(r.text, r.published, r.title, r.region) for r in rows]

    try:
        report.interrupted = parse_all(parser, batches(), aliases, write)
    finally:
        bar.close()
        report.elapsed = time.perf_counter() - t0
    report.left += len(ids) - report.articles - len(report.failed)
    if since is not None and not report.left and not report.failed:
        _run_done(store)
    if report.articles:
        store.optimize()
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m geo reparse",
        description="Run the current parser again over stored articles, in place, keeping every correction "
        "and alias. By default only articles a parser of another version produced; --all for every one. "
        "Each article is its own transaction: interrupt it any time and run it again to go on.",
    )
    add_parsing_options(ap)
    ap.add_argument("--all", action="store_true", help="re-parse every article, also those the current parser produced")
    ap.add_argument("--limit", type=int, metavar="N", help="stop after N articles (run again to go on)")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    args = ap.parse_args(argv)
    check_parsing_options(ap, args)
    if args.limit is not None and args.limit < 1:
        ap.error("--limit must be 1 or more")
    store = open_existing(args.db)
    if store is None:
        return 2
    try:
        report = reparse(
            store, all_articles=args.all, workers=args.workers, dask=args.dask, progress=not args.quiet, limit=args.limit
        )
    except (RuntimeError, sa.exc.OperationalError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    finally:
        store.close()
    for article_id, why in report.failed[:MAX_LISTED]:
        print(f"error: article {article_id}: {why}", file=sys.stderr)
    if args.json:
        print(json.dumps({k: v for k, v in report.__dict__.items()}, default=str))
    else:
        print(report.summary())
    if report.interrupted:
        return 130
    return 1 if report.failed else 0

