"""What the commands share: usage errors as one line, and output files that hold either the old
content or the new, never a part of it."""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with a usage error told in one line on standard error (exit status 2), the way
    every other user error is told: `--help` still prints the usage."""

    def error(self, message: str):
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def add_parsing_options(ap: argparse.ArgumentParser) -> None:
    """The store and the parsing workers, as every command that parses into a store takes them."""
    ap.add_argument("--db", help="database URL or SQLite file (default: DATELINE_DB, else data/dateline.db)")
    ap.add_argument("--workers", type=int, default=1, metavar="N", help="parse in N local processes (default 1)")
    ap.add_argument("--dask", metavar="ADDRESS", help="parse on a Dask cluster, e.g. tcp://scheduler:8786")


def check_parsing_options(ap: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.workers < 1:
        ap.error("--workers must be 1 or more")
    if args.dask and args.workers > 1:
        ap.error("--workers and --dask are alternatives: Dask workers do the parsing")


def check_region(region: str | None) -> None:
    """SystemExit naming a --region that is no place the gazetteer knows: one error before any
    parsing, not one per article."""
    if region:
        from geo.gazetteer import Gazetteer
        from geo.text.resolve import Resolver

        try:
            Resolver(Gazetteer.default()).region_place(region)
        except ValueError as e:
            raise SystemExit(f"error: --region: {e}") from None


class OutputError(ValueError):
    """An output path that cannot be written, with a message naming it and why."""


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """A temporary file beside `path` to write the output into; renamed over `path` when the
    block ends without an exception, removed when it raises, so a failed or interrupted run
    leaves an existing file as it was. The new file keeps an existing file's permission bits (a
    new one gets the usual 0666 less the umask), and a symlink is written through: its target
    gets the new content and the link stays a link."""
    given = Path(path)
    target = Path(os.path.realpath(given))
    if target.is_dir():
        raise OutputError(f"{given} is a folder; give a file name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"cannot write {given}: a part of its folder path is a file, not a folder") from None
    except OSError as e:
        raise OutputError(f"cannot create the folder of {given}: {e.strerror or e}") from None
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as e:
        raise OutputError(f"cannot write {given}: {e.strerror or e}") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".part{target.suffix}", dir=target.parent)
    except OSError as e:
        raise OutputError(f"cannot write {given}: {e.strerror or e}") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        try:
            os.chmod(tmp_path, mode)
            os.replace(tmp_path, target)
        except OSError as e:
            raise OutputError(f"cannot write {given}: {e.strerror or e}") from None
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def one_line(e: BaseException) -> str:
    """An error as one line for a user: a database driver's own message (SQLAlchemy adds the
    statement and a web link on further lines), an OS error's reason and file."""
    orig = getattr(e, "orig", None)
    if orig is not None:
        e = orig
    if isinstance(e, OSError) and e.strerror:
        return f"{e.strerror}: {e.filename}" if e.filename else e.strerror
    lines = [s.strip() for s in str(e).splitlines() if s.strip()]
    return lines[0] if lines else type(e).__name__
