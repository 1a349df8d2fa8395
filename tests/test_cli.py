"""`python -m geo parse` and `batch` as a user runs them, including bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def geo(*args, input=None):
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=REPO, capture_output=True, input=input)


def assert_clean_error(run, *needles):
    err = run.stderr.decode()
    assert run.returncode != 0
    assert "Traceback" not in err, err
    for n in needles:
        assert n in err, err


def test_parse_prints_the_document_json(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Floods cut off villages near Dhaka, Bangladesh, on Monday.", encoding="utf-8")
    run = geo("parse", str(f), "--published", "2024-07-02")
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["published"] == "2024-07-02"
    assert "events" in doc
    dhaka = next(m for m in doc["mentions"] if m["text"] == "Dhaka")
    assert dhaka["place"]["country_code"] == "BD"
    assert set(dhaka["place"]) >= {"geonameid", "name", "country_code", "level", "lat", "lon", "population", "score", "reason"}


def test_parse_reads_stdin():
    run = geo("parse", "-", input="Protesters gathered in Nairobi.".encode())
    assert run.returncode == 0
    assert [m["text"] for m in json.loads(run.stdout)["mentions"]] == ["Nairobi"]


def test_huge_file_is_refused_without_reading_it_all(tmp_path):
    f = tmp_path / "huge.txt"
    f.write_bytes(b"Paris. " * (20 * 1024 * 1024 // 7))
    assert_clean_error(geo("parse", str(f)), str(f), "limit")


def test_missing_file_and_bad_date(tmp_path):
    assert_clean_error(geo("parse", str(tmp_path / "nope.txt")), "nope.txt")
    f = tmp_path / "a.txt"
    f.write_text("Rain in Lima.", encoding="utf-8")
    assert_clean_error(geo("parse", str(f), "--published", "yesterdayish"), "yesterdayish")


def test_batch_writes_scorer_lines_and_reports_bad_lines(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text(
        json.dumps({"id": "a", "text": "Ferries resumed between Dover and Calais.", "published": "2023-05-01"}) + "\n"
        + "this is not json\n"
        + json.dumps({"id": "c", "text": "Nothing happened."}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    run = geo("batch", str(inp), "-o", str(out))
    assert run.returncode == 1
    assert f"{inp}:2: not JSON" in run.stderr.decode()
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["a", "c"]
    tops = lines[0]["toponyms"]
    assert {(t["start"], t["end"]) for t in tops} >= {(24, 29), (34, 40)}
    assert all(t["lat"] is not None for t in tops)
    assert lines[1]["toponyms"] == [] and "events" in lines[1]
