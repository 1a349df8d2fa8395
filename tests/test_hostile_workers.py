"""Worker processes end with the run that started them: `kill -9` of `ingest --workers 2` or
`batch --workers 2` leaves no worker, forkserver or resource tracker behind (they used to live on
indefinitely, holding the model's memory)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples" / "articles.jsonl"


def descendants_once_parsing(proc: subprocess.Popen, workers: int, timeout: float = 240) -> list[psutil.Process]:
    """The run's descendants once its workers exist and it has been parsing for a moment."""
    run = psutil.Process(proc.pid)
    deadline = time.monotonic() + timeout
    while True:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "the workers did not start"
        kids = run.children(recursive=True)
        # a resource tracker, a forkserver and the workers forked from it
        if sum("forkserver" in " ".join(k.cmdline()) for k in kids) >= workers + 1:
            return kids
        time.sleep(0.2)


def alive(procs: list[psutil.Process]) -> list[psutil.Process]:
    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


def kill_and_watch(cmd: list[str], workers: int) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "geo", *cmd], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        kids = descendants_once_parsing(proc, workers)
        assert len(kids) >= workers + 2
        time.sleep(1.0)  # the workers are loading the model or parsing: the case that used to hang
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 60
    while alive(kids) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = alive(kids)
    for p in left:  # clean up before failing, so one failure does not starve the machine
        p.kill()
    assert not left, [" ".join(p.cmdline())[:120] for p in left]


@pytest.fixture
def many(tmp_path):
    lines = SAMPLES.read_text(encoding="utf-8").splitlines()
    records = [{**json.loads(line), "id": f"{i}", "url": None} for i, line in enumerate(lines * 6)]
    for i, r in enumerate(records):
        r["text"] = f"Report {i}. " + r["text"]  # each its own article: none skipped as stored
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_ingest_workers_end_with_a_killed_run(many, tmp_path):
    kill_and_watch(["ingest", str(many), "--db", str(tmp_path / "store.db"), "--workers", "2", "-q"], workers=2)


def test_batch_workers_end_with_a_killed_run(many, tmp_path):
    kill_and_watch(["batch", str(many), "-o", str(tmp_path / "out.jsonl"), "--workers", "2"], workers=2)
