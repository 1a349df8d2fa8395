"""`python -m geo parse` and `batch` given what a hostile or unlucky user gives them.

Each run is a real subprocess. What is checked every time: the exit status, no "Traceback", a
user error told in one line, every bad record named with its file, line and reason, and every
good record written, in input order.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# A small article limit keeps the over-size records small; the limit is the same code path.
LIMIT = 5_000
GOOD = [
    {"id": "dover", "text": "Ferries resumed between Dover and Calais on Monday.", "published": "2023-05-01"},
    {"id": 7, "text": "Protesters gathered in Nairobi."},
    {"id": "lima", "title": "Rain", "text": "Heavy rain flooded streets in Lima, Peru."},
]


def geo(*args, input: bytes | None = None, env: dict | None = None, timeout: float = 300):
    run_env = {**os.environ, "DATELINE_MAX_CHARS": str(LIMIT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=REPO, capture_output=True, input=input, env=run_env, timeout=timeout
    )


def err_lines(run) -> list[str]:
    return run.stderr.decode("utf-8", "replace").splitlines()


def assert_one_line_error(run, *needles: str) -> str:
    """A user error: non-zero status, exactly one line on standard error, no traceback."""
    lines = err_lines(run)
    assert run.returncode != 0, lines
    assert "Traceback" not in run.stderr.decode("utf-8", "replace")
    assert len(lines) == 1, lines
    for n in needles:
        assert n in lines[0], lines
    return lines[0]


def jsonl(*records) -> bytes:
    """One line per record: a dict is dumped as JSON, bytes go in as they are."""
    return b"".join((r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in records)


def ids(path: Path) -> list:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


# -- batch: bad records ------------------------------------------------------------------------

HOSTILE = [
    # (line content, what the error says)
    (json.dumps({"id": "nul", "text": "A NUL \u0000 in Paris"}).encode(), "NUL"),
    (b'{"id": "surrogate", "text": "A lone \\ud800 surrogate in Rome"}', "lone surrogate"),
    (json.dumps({"id": "huge", "text": "Paris. " * (LIMIT // 7 + 10)}).encode(), "article limit"),
    (b'{"id": "latin1", "text": "Caf\xe9 in Lyon"}', "not valid UTF-8"),
    (b"\xff\xfe not even JSON", "not valid UTF-8"),
    (b"this is not json", "not JSON"),
    (b'["a", "list"]', "not an object"),
    (b'"a string"', "not an object"),
    (json.dumps({"id": "number", "text": 42}).encode(), "not a string"),
    (json.dumps({"id": "notext", "title": "no body"}).encode(), "no 'text'"),
    (json.dumps({"id": "blank", "text": " \n\t "}).encode(), "empty article"),
    (json.dumps({"id": "date", "text": "Rain in Oslo.", "published": "someday"}).encode(), "someday"),
    (json.dumps({"id": "nested", "text": {"html": "<p>Oslo</p>"}}).encode(), "not a string"),
]


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory):
    """One batch run over good records interleaved with every kind of bad one."""
    tmp = tmp_path_factory.mktemp("batch")
    records, bad_lines = [], {}
    for i, (bad, why) in enumerate(HOSTILE):
        if i < len(GOOD):
            records.append(GOOD[i])
        records.append(bad)
        bad_lines[len(records)] = why
    records.append(b"")  # blank lines are skipped, not errors
    inp = tmp / "in.jsonl"
    inp.write_bytes(b"\xef\xbb\xbf" + jsonl(*records))  # a byte order mark on the first line, too
    out = tmp / "out.jsonl"
    return inp, out, bad_lines, geo("batch", str(inp), "-o", str(out))


def test_batch_reports_every_bad_record_with_file_line_and_reason(hostile_batch):
    inp, _, bad_lines, run = hostile_batch
    assert run.returncode == 1
    assert "Traceback" not in run.stderr.decode()
    lines = err_lines(run)
    reported = {}
    for line in lines[:-1]:
        assert line.startswith(f"error: {inp}:"), line
        where, _, reason = line.removeprefix("error: ").partition(": ")
        reported[int(where.rsplit(":", 1)[1])] = reason
    assert set(reported) == set(bad_lines), (reported, bad_lines)
    for n, why in bad_lines.items():
        assert why in reported[n], (n, reported[n])
    assert lines[-1].startswith(f"{len(GOOD)} articles parsed, {len(bad_lines)} failed")


def test_batch_writes_every_good_record_in_order(hostile_batch):
    _, out, _, _ = hostile_batch
    assert ids(out) == [g["id"] for g in GOOD]
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["published"] == "2023-05-01"
    assert {m["text"] for m in first["mentions"]} >= {"Dover", "Calais"}


def test_batch_in_processes_writes_the_same_lines(hostile_batch, tmp_path):
    inp, out, _, _ = hostile_batch
    out2 = tmp_path / "out2.jsonl"
    run = geo("batch", str(inp), "-o", str(out2), "--workers", "2")
    assert run.returncode == 1 and "Traceback" not in run.stderr.decode()
    assert out2.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_batch_line_numbers_survive_bad_bytes_and_huge_lines(tmp_path):
    # Text was once decoded in 8 KB chunks: a bad byte stopped the file and was reported at
    # the wrong line. A line far over the limit is skipped without holding it whole.
    huge = b'{"id": "huge", "text": "' + b"x" * (LIMIT * 4 + 200_000) + b'"}'
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(jsonl(GOOD[0], b"x" * 20_000 + b"\xe9", GOOD[1], huge, GOOD[2]))
    out = tmp_path / "out.jsonl"
    run = geo("batch", str(inp), "-o", str(out))
    lines = err_lines(run)
    assert run.returncode == 1 and "Traceback" not in run.stderr.decode()
    assert lines[0].startswith(f"error: {inp}:2: not valid UTF-8"), lines
    assert lines[1].startswith(f"error: {inp}:4: ") and "over the size limit" in lines[1], lines
    assert ids(out) == [g["id"] for g in GOOD]


def test_batch_reads_standard_input(tmp_path):
    run = geo("batch", "-", input=jsonl(GOOD[1], b"{broken", GOOD[2]))
    assert run.returncode == 1
    assert [json.loads(x)["id"] for x in run.stdout.decode().splitlines()] == [7, "lima"]
    assert err_lines(run)[0].startswith("error: <stdin>:2: not JSON")


# -- batch: user errors, one line each ---------------------------------------------------------


def test_batch_user_errors_are_one_line(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(jsonl(*GOOD))
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    assert_one_line_error(geo("batch", str(tmp_path / "missing.jsonl")), "missing.jsonl", "No such file")
    assert_one_line_error(geo("batch", str(tmp_path)), "is a folder")
    assert_one_line_error(geo("batch", str(inp), "--workers", "0"), "--workers 0")
    assert_one_line_error(geo("batch", str(inp), "--workers", "-3"), "--workers -3")
    assert_one_line_error(geo("batch", str(inp), "--workers", "two"), "--workers")
    assert_one_line_error(geo("batch", str(inp), "--bogus"), "--bogus")
    assert_one_line_error(geo("batch", str(inp), "-o", str(tmp_path)), "is a folder")
    assert_one_line_error(geo("batch", str(inp), "-o", str(a_file / "out.jsonl")), "is a file")
    assert_one_line_error(geo("batch", str(inp), "-o", "/sys/dateline-out.jsonl"), "cannot write")
    assert_one_line_error(geo("batch", str(inp), env={"DATELINE_SPACY_MODEL": "no_such_model"}), "no_such_model")
    assert_one_line_error(geo("bogus-command"), "bogus-command")


def test_a_failed_batch_leaves_an_existing_output_untouched(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(jsonl(*GOOD))
    out = tmp_path / "out.jsonl"
    out.write_text("yesterday's results\n")
    # Fails before it starts: the output was once emptied before parsing began.
    assert_one_line_error(geo("batch", str(inp), "-o", str(out), env={"DATELINE_SPACY_MODEL": "no_such_model"}))
    assert out.read_text() == "yesterday's results\n"
    assert_one_line_error(geo("batch", str(tmp_path / "missing.jsonl"), "-o", str(out)))
    assert out.read_text() == "yesterday's results\n"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_batch_leaves_an_existing_output_untouched(tmp_path, sig):
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(jsonl(*(GOOD * 400)))
    out = tmp_path / "out.jsonl"
    out.write_text("yesterday's results\n")
    env = {**os.environ, "DATELINE_MAX_CHARS": str(LIMIT)}
    # Ctrl-C's default for the batch: a suite started with "&" by a shell without job control
    # runs with SIGINT ignored, which every child inherits (the batch then finished and replaced
    # the output, and this test failed for how it was started, not for what it tests)
    proc = subprocess.Popen([sys.executable, "-m", "geo", "batch", str(inp), "-o", str(out)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while not [p for p in tmp_path.glob(".out.jsonl.*") if p.stat().st_size > 0]:
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
            time.sleep(0.05)
    finally:
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    assert out.read_text() == "yesterday's results\n"
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and b"Traceback" not in stderr, stderr
        assert not list(tmp_path.glob(".out.jsonl.*")), "the temporary file is removed"


def test_batch_output_keeps_the_files_mode_and_writes_through_a_symlink(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(jsonl(GOOD[1]))
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    real.chmod(0o644)
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    run = geo("batch", str(inp), "-o", str(link))
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and ids(real) == [7]
    assert real.stat().st_mode & 0o777 == 0o644


# -- parse ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, needle",
    [
        (b"", "empty article"),
        (b" \n\t\r\n  ", "empty article"),
        (b"\xef\xbb\xbf   \n", "empty article"),
        (b"\xff\xfeP\x00a\x00r\x00i\x00s\x00", "UTF-16"),
        (b"Paris \x00 Rome", "NUL"),
        (b"Caf\xe9 in Lyon", "not valid UTF-8"),
        (b"Paris. " * (LIMIT // 7 + 10), "article limit"),
        (b"Paris. " * (LIMIT * 4 // 7 + 10), "size limit"),
    ],
)
def test_parse_refuses_what_batch_and_ingest_refuse(tmp_path, content, needle):
    f = tmp_path / "article.txt"
    f.write_bytes(content)
    assert_one_line_error(geo("parse", str(f)), str(f), needle)


def test_parse_user_errors_are_one_line(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Rain in Lima.", encoding="utf-8")
    assert_one_line_error(geo("parse", str(tmp_path / "missing.txt")), "missing.txt")
    assert_one_line_error(geo("parse", str(tmp_path)), "is a folder")
    assert_one_line_error(geo("parse", str(f), "--published", "2019-02-30"), "2019-02-30")
    assert_one_line_error(geo("parse"), "required")
    assert_one_line_error(geo("parse", "-", input=b"   "), "standard input", "empty article")
    assert_one_line_error(geo("parse", str(f), env={"DATELINE_SPACY_MODEL": "no_such_model"}), "no_such_model")


# -- ingest --------------------------------------------------------------------------------------


def test_ingest_user_and_database_errors_are_one_line(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(jsonl(*GOOD))
    notes = tmp_path / "notes.db"
    notes.write_text("these are notes, not a database\n" * 100)
    assert_one_line_error(geo("ingest", str(inp), "--db", str(notes), "-q"), "not a database")
    assert_one_line_error(geo("ingest", str(inp), "--db", str(tmp_path), "-q"), "cannot open database")
    assert_one_line_error(geo("ingest", str(inp), "--workers", "0"), "--workers")
    assert_one_line_error(geo("ingest", str(inp), "--published", "2019-02-30"), "2019-02-30")
    assert_one_line_error(geo("ingest"), "required")
    assert notes.read_text().startswith("these are notes")
