"""`python -m geo ingest PATH...`: read articles, parse them (here, in N processes or on a Dask
cluster) and store each one in its own transaction.

The main process is the only writer. Parsing is the slow part, so that is what fans out: workers get
(text, published, title) batches and send back Documents. An article that is already stored (same
URL or same text) is skipped before it is parsed, so re-running a finished or killed run only
parses what is missing.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import multiprocessing as mp
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from .cli import ArgumentParser, add_parsing_options, check_parsing_options, check_region, one_line
from .readers import Item, ReadError, iter_inputs, parse_date
from .store import Store, text_hash

# Batches: big enough for spaCy's nlp.pipe to pay off in one process, small enough to spread a
# few dozen articles over several workers.
INLINE_BATCH = 32
REMOTE_BATCH = 4
MAX_PRINTED_ERRORS = 50
DASK_CONNECT_TIMEOUT = "10s"  # a scheduler that has not answered by then is not coming


@dataclass
class Report:
    run: str
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    events: int = 0
    elapsed: float = 0.0
    warmup: float | None = None  # seconds until the first parsed batch came back (model loading)
    warmup_articles: int = 0  # articles in that first batch
    errors: list[ReadError] = field(default_factory=list)
    interrupted: bool = False

    @property
    def handled(self) -> int:
        return self.stored + self.skipped + self.failed

    def summary(self) -> str:
        rate = self.handled / self.elapsed if self.elapsed > 0 else 0.0
        return (
            f"{'interrupted: ' if self.interrupted else ''}stored {self.stored}, skipped {self.skipped} "
            f"(already stored), failed {self.failed}, events {self.events}, "
            f"elapsed {self.elapsed:.1f} s ({rate:.1f} articles/s)"
        )


# -- parsing, in whichever process runs it ---------------------------------------------------

_pipeline = None
_pipeline_lock = threading.Lock()


def _get_pipeline(events: bool = True):
    global _pipeline
    if _pipeline is None:
        from geo.text.pipeline import Pipeline, default_pipeline

        _pipeline = default_pipeline() if events else Pipeline(events=False)
    return _pipeline


def _init_worker(events: bool = True, run_alive=None) -> None:
    if run_alive is not None:
        _exit_with_run(run_alive)
    # Pay the model load when the pool starts, not inside the first batch's timing.
    _get_pipeline(events)


def _exit_with_run(run_alive) -> None:
    """End this worker process as soon as the run that started it is gone.

    The workers wait on a queue whose writing end they hold themselves, and the forkserver they
    were forked from lives as long as they do, so when the run is killed (kill -9: no clean-up
    runs) nothing would tell them: they, the forkserver and multiprocessing's resource tracker
    would live on holding the model's memory. `run_alive` is the reading end of a pipe whose
    writing end only the run holds; the system closes it when the run ends, however it ends."""

    def watch() -> None:
        try:
            run_alive.recv()  # nothing is ever sent: this returns by EOFError when the run is gone
        except (EOFError, OSError):
            pass
        os._exit(1)

    threading.Thread(target=watch, name="dateline-exit-with-run", daemon=True).start()


def parse_batch(batch: list[tuple], aliases: dict | None = None) -> list:
    """Documents for a batch of (text, published, title[, region]); a failure is a string naming the cause.
    `aliases` are the store's (Store.alias_places), sent with every batch: a worker has no store.

    One Pipeline per process, behind a lock: a Dask worker may run tasks on several threads and a
    spaCy pipeline is not made for concurrent calls; scale with processes instead.
    """
    with _pipeline_lock:
        pipeline = _get_pipeline()
        pipeline.aliases = dict(aliases or {})
        try:
            return list(pipeline.pipe(batch))
        except Exception:
            pass  # one bad article spoils the batch: find it by parsing one at a time
        out = []
        for text, published, title, *region in batch:
            try:
                out.append(pipeline.parse(text, published=published, title=title, region=region[0] if region else None))
            except Exception as e:  # noqa: BLE001 - any parser failure is this article's failure
                out.append(f"parse failed: {type(e).__name__}: {e}")
        return out


class _Inline:
    """Parses in this process; same interface as the pools below."""

    batch_size = INLINE_BATCH
    window = 1

    def __init__(self, pipeline=None):
        global _pipeline
        if pipeline is not None:
            _pipeline = pipeline

    def submit(self, batch, aliases=None):
        fut = cf.Future()
        try:
            fut.set_result(parse_batch(batch, aliases))
        except BaseException as e:  # noqa: BLE001 - delivered through the future like the pools do
            fut.set_exception(e)
        return fut

    def wait(self, pending):
        return list(pending)

    def close(self, cancel=False):
        pass


class _Processes:
    batch_size = REMOTE_BATCH

    def __init__(self, n: int, events: bool = True):
        # forkserver: workers start from a clean process, not a fork of one holding open
        # database connections and threads (tqdm's monitor); spawn where there is no forkserver.
        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        ctx = mp.get_context(method)
        if method == "forkserver":
            ctx.set_forkserver_preload(["geo.text.pipeline"])
        self.run_alive, self._alive_w = ctx.Pipe(duplex=False)
        self.pool = cf.ProcessPoolExecutor(
            max_workers=n, mp_context=ctx, initializer=_init_worker, initargs=(events, self.run_alive)
        )
        self.window = 2 * n

    def submit(self, batch, aliases=None):
        return self.pool.submit(parse_batch, batch, aliases)

    def wait(self, pending):
        done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
        return list(done)

    def close(self, cancel=False):
        self.pool.shutdown(wait=not cancel, cancel_futures=cancel)
        # After the shutdown: closing it earlier would end workers still finishing their batch.
        self._alive_w.close()
        self.run_alive.close()


class _Dask:
    batch_size = REMOTE_BATCH

    def __init__(self, address: str):
        from distributed import Client

        try:
            self.client = Client(address, set_as_default=False, timeout=DASK_CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as e:
            raise RuntimeError(f"cannot reach the Dask scheduler at {address}: {e}") from None
        try:
            self.client.run(_worker_check)
        except Exception as e:
            self.client.close()
            raise RuntimeError(
                f"Dask workers at {address} cannot import Dateline ({type(e).__name__}: {e}); "
                "run them from the same checkout and environment"
            ) from None
        threads = sum(self.client.nthreads().values()) or 1
        self.window = 2 * threads
        from distributed import as_completed

        # distributed.wait() looks for a default client; this one is private to the run.
        self.completed = as_completed(loop=self.client.loop)

    def submit(self, batch, aliases=None):
        fut = self.client.submit(parse_batch, batch, aliases, pure=False)
        self.completed.add(fut)
        return fut

    def wait(self, pending):
        return [next(self.completed)]

    def close(self, cancel=False):
        self.client.close()


def _worker_check() -> str:
    import geo.text.pipeline  # noqa: F401 - the import is the check

    return os.getcwd()


def parsers(*, workers: int = 1, dask: str | None = None, pipeline=None, events: bool = True):
    """Where parsing runs: on a Dask cluster, in `workers` local processes, or here (with
    `pipeline` if given; `events=False`: places only). Each has submit(batch, aliases) -> future of parse_batch's list,
    wait(pending) -> done futures, close(cancel), and batch_size and window (batches in flight)."""
    if dask:
        return _Dask(dask)
    if workers > 1:
        return _Processes(workers, events)
    return _Inline(pipeline)


def parser_version_of(pipeline=None) -> str:
    """The version stamp of what parses: the pipeline given, else the one the settings make."""
    if pipeline is not None:
        return pipeline.version
    from geo.text.version import parser_version

    return parser_version()


def parse_all(parser, batches: Iterable[tuple[Any, list]], aliases: dict | None, write: Callable[[Any, list], None]) -> bool:
    """Parse each batch of (text, published, title) on `parser`, with parser.window batches in
    flight, and hand every batch's results to write(tag, results) here, in the one process that
    writes. `batches` yields (tag, items); results are Documents or strings naming a failure,
    one per item, whatever happened to the worker. Closes the parser; returns whether Ctrl-C
    stopped the run (what was written stays written)."""
    pending: dict = {}  # future -> (tag, number of items)

    def done(fut) -> None:
        tag, n = pending.pop(fut)
        try:
            results = fut.result()
        except Exception as e:  # noqa: BLE001 - a lost worker fails its batch, not the run
            results = [f"parse failed: worker error: {type(e).__name__}: {e}"] * n
        if len(results) != n:  # zip would drop the rest without a word
            results = [f"parse failed: {len(results)} documents for {n} articles"] * n
        write(tag, results)

    interrupted = False
    try:
        for tag, items in batches:
            if items:
                pending[parser.submit(items, aliases)] = (tag, len(items))
            while len(pending) >= parser.window:
                for fut in parser.wait(list(pending)):
                    done(fut)
        while pending:
            for fut in parser.wait(list(pending)):
                done(fut)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        parser.close(cancel=interrupted)
    return interrupted


# -- the run ---------------------------------------------------------------------------------


def ingest(
    paths: Iterable[str],
    store: Store,
    *,
    workers: int = 1,
    dask: str | None = None,
    published: dt.date | None = None,
    progress: bool = True,
    pipeline=None,
    region: str | None = None,
) -> Report:
    """Store every new article under `paths`; bad inputs go to the ingest_errors table and the report."""
    from tqdm import tqdm

    report = Report(run=uuid.uuid4().hex[:12])
    t0 = time.perf_counter()
    parser = parsers(workers=workers, dask=dask, pipeline=pipeline)
    aliases = store.alias_places()
    version = parser_version_of(pipeline)
    bar = tqdm(desc="ingest", unit=" articles", disable=not progress, dynamic_ncols=True, file=sys.stderr)
    def fail(source: str, line: int | None, reason: str) -> None:
        err = ReadError(source, line, reason)
        report.errors.append(err)
        report.failed += 1
        store.add_error(source, line, reason, run=report.run)
        tick()

    def tick() -> None:
        bar.update(1)
        bar.set_postfix(stored=report.stored, skipped=report.skipped, failed=report.failed, refresh=False)

    def write(batch: list[tuple[str, Item]], results: list) -> None:
        if report.warmup is None:
            report.warmup, report.warmup_articles = time.perf_counter() - t0, len(batch)
        for (h, item), doc in zip(batch, results):
            if isinstance(doc, str):
                fail(item.source, item.line, doc)
                continue
            try:
                article_id = store.add_document(
                    doc, url=item.url, source=item.where, site=item.site, external_id=item.external_id, hash=h,
                    parser_version=version, region=item.region or region,
                )
            except (sa.exc.DataError, sa.exc.IntegrityError) as e:
                # This article's values do not fit the schema; its transaction rolled back whole.
                fail(item.source, item.line, f"not stored: {type(e.orig).__name__}: {str(e.orig).strip()}")
                continue
            if article_id is None:
                report.skipped += 1
            else:
                report.stored += 1
                report.events += len(doc.events)
            tick()

    def batches():
        batch: list[tuple[str, Item]] = []
        seen_hashes: set[str] = set()
        seen_urls: set[str] = set()
        for x in iter_inputs(paths, published):
            if isinstance(x, ReadError):
                fail(x.source, x.line, x.reason)
                continue
            h = text_hash(x.text)
            if h in seen_hashes or (x.url and x.url in seen_urls) or store.has_article(x.url, h):
                report.skipped += 1
                tick()
                continue
            seen_hashes.add(h)
            if x.url:
                seen_urls.add(x.url)
            batch.append((h, x))
            if len(batch) >= parser.batch_size:
                yield batch, [(it.text, it.published, it.title, it.region or region) for _, it in batch]
                batch = []
        if batch:
            yield batch, [(it.text, it.published, it.title, it.region or region) for _, it in batch]

    try:
        report.interrupted = parse_all(parser, batches(), aliases, write)
    finally:
        bar.close()
        report.elapsed = time.perf_counter() - t0
    if report.stored:
        store.optimize()
    return report


def main(argv: list[str] | None = None) -> int:
    ap = ArgumentParser(
        prog="python -m geo ingest",
        description="Parse articles and store their places and events. Already stored articles "
        "(same URL or text) are skipped, so re-running a command is safe.",
    )
    ap.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help=".txt (title on the first line), .html, .jsonl or .csv (id,title,url,published,text) "
        "files, folders (searched recursively), or - for standard input",
    )
    add_parsing_options(ap)
    ap.add_argument("--published", metavar="DATE", help="publication date for inputs that carry none (YYYY-MM-DD)")
    ap.add_argument("--region", metavar="REGION", help="publication's home region for inputs that carry none "
                    "(ISO 3166: US-TX, CA-ON, GB; or a country or state name)")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    args = ap.parse_args(argv)
    check_parsing_options(ap, args)
    published = None
    if args.published:
        try:
            published = parse_date(args.published)
        except ValueError as e:
            ap.error(f"--published: {e}")
    check_region(args.region)
    try:
        store = Store(args.db)
    except Exception as e:  # noqa: BLE001 - one line naming the database, not a traceback
        print(f"error: cannot open database {args.db or 'from DATELINE_DB/default'}: {one_line(e)}", file=sys.stderr)
        return 2
    try:
        report = ingest(
            args.paths, store, workers=args.workers, dask=args.dask, published=published, progress=not args.quiet,
            region=args.region,
        )  # fmt: skip
    except (RuntimeError, sa.exc.SQLAlchemyError, OSError) as e:
        print(f"error: {one_line(e)}", file=sys.stderr)
        return 2
    finally:
        store.close()
    for err in report.errors[:MAX_PRINTED_ERRORS]:
        print(f"error: {err.where}: {err.reason}", file=sys.stderr)
    if len(report.errors) > MAX_PRINTED_ERRORS:
        print(
            f"... and {len(report.errors) - MAX_PRINTED_ERRORS} more errors; all are in the ingest_errors table (run {report.run})",
            file=sys.stderr,
        )
    print(report.summary())
    if report.interrupted:
        return 130
    return 1 if report.failed else 0
