"""`python -m geo export` given hostile article text and unlucky paths, as a real subprocess:
formula cells neutralised, files replaced whole with their mode and symlinks kept, and every
OS or database error told in one line."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.store.export import neutralise

REPO = Path(__file__).resolve().parent.parent
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def export(*args, timeout: float = 120):
    return subprocess.run([sys.executable, "-m", "geo", "export", *args], cwd=REPO, capture_output=True, text=True, timeout=timeout)


def assert_one_line_error(run, *needles: str) -> None:
    lines = run.stderr.splitlines()
    assert run.returncode != 0, run.stderr
    assert "Traceback" not in run.stderr
    assert len(lines) == 1, lines
    for n in needles:
        assert n in lines[0], lines


@pytest.fixture
def hostile_db(tmp_path, make_doc, places):
    """A SQLite store whose article strings start like spreadsheet formulas."""
    from geo.store import Store

    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    with Store(url) as store:
        for i, f in enumerate(FORMULAS):
            doc = make_doc(
                f"{f} Protesters marched in Kyiv.", title=f, published=dt.date(2024, 3, i + 1),
                events=[dict(type="protest", sentence=f + " Protesters marched in Kyiv.", trigger=f, actors=[f, "students"],
                             location=places["Kyiv"], date=dt.date(2024, 3, i + 1))],
            )  # fmt: skip
            assert store.add_document(doc, url=f"https://news.example/{i}") is not None
        doc = make_doc("Hundreds crossed from Ciudad Juarez into El Paso.", title="West of Greenwich", events=[
            dict(type="border_crossing", origin=places["Ciudad Juarez"], destination=places["El Paso"])])  # fmt: skip
        store.add_document(doc, url="https://news.example/border")
    return url


def test_formula_cells_are_neutralised_and_numbers_left_alone(hostile_db, tmp_path):
    # A cell holding a bare carriage return once split its row: every row must read back whole.
    out = tmp_path / "events.csv"
    run = export("--db", hostile_db, "-o", str(out))
    assert run.returncode == 0, run.stderr
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(FORMULAS) + 1
    for row in rows:
        for key, cell in row.items():
            if key in ("lon", "origin_lon", "destination_lon", "lat", "origin_lat", "destination_lat"):
                continue
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (key, cell)
    titles = {r["article_title"] for r in rows}
    assert {"'" + f for f in FORMULAS} <= titles
    assert all(r["sentence"].startswith("'") or r["article_title"] == "West of Greenwich" for r in rows)
    border = next(r for r in rows if r["article_title"] == "West of Greenwich")
    assert float(border["origin_lon"]) < 0 and border["origin_lon"].startswith("-")  # a number, kept


def test_neutralise_follows_the_owasp_rule():
    assert [neutralise(f) for f in FORMULAS] == ["'" + f for f in FORMULAS]
    assert neutralise("Kyiv = capital") == "Kyiv = capital"
    assert neutralise(-106.48) == -106.48 and neutralise(None) is None


def test_overwriting_keeps_the_files_mode_and_its_symlink(hostile_db, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    real.chmod(0o640)
    assert export("--db", hostile_db, "-o", str(real)).returncode == 0
    assert real.stat().st_mode & 0o777 == 0o640 and real.read_text().startswith("event_id,")

    target = tmp_path / "shared" / "target.geojson"
    target.parent.mkdir()
    target.write_text("old")
    target.chmod(0o664)
    link = tmp_path / "link.geojson"
    link.symlink_to(target)
    assert export("--db", hostile_db, "-o", str(link)).returncode == 0
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text().startswith('{"type":"FeatureCollection"')
    assert target.stat().st_mode & 0o777 == 0o664

    fresh = tmp_path / "fresh.gpkg"
    old = os.umask(0o022)
    try:
        assert export("--db", hostile_db, "-o", str(fresh)).returncode == 0
    finally:
        os.umask(old)
    assert fresh.stat().st_mode & 0o777 == 0o644  # not the temporary file's 0600
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()], "no temporary file is left"


@pytest.mark.parametrize("limit", ["0", "-5"])
def test_limit_below_one_is_refused(hostile_db, tmp_path, limit):
    out = tmp_path / "x.csv"
    assert_one_line_error(export("--db", hostile_db, "--limit", limit, "-o", str(out)), f"--limit {limit}")
    assert not out.exists()


def test_os_and_database_errors_are_one_line(hostile_db, tmp_path):
    a_file = tmp_path / "a_file"
    a_file.write_text("I am a file")
    not_db = tmp_path / "notes.db"
    not_db.write_text("these are notes, not a database\n" * 100)
    assert_one_line_error(export("--db", hostile_db, "-o", str(a_file / "out.csv")), "is a file")
    assert_one_line_error(export("--db", hostile_db, "-o", str(tmp_path), "--format", "csv"), "is a folder")
    assert_one_line_error(export("--db", hostile_db, "-o", "/sys/dateline-export.csv"), "cannot write")
    assert_one_line_error(export("--db", str(not_db), "-o", str(tmp_path / "x.csv")), "not a database")
    assert_one_line_error(export("--db", str(tmp_path), "-o", str(tmp_path / "x.csv")), "is a folder")
    assert_one_line_error(export("--db", "nosuchdriver://x/y", "-o", str(tmp_path / "x.csv")))
    assert_one_line_error(export("--db", str(tmp_path / "none.db"), "-o", str(tmp_path / "x.csv")), "no database")
    assert_one_line_error(export("--db", hostile_db, "--bbox", "nan,0,1,1", "-o", str(tmp_path / "x.csv")), "bbox")
    assert_one_line_error(export("--db", hostile_db, "--min-confidence", "nan", "-o", str(tmp_path / "x.csv")), "nan")
    assert_one_line_error(export("--db", hostile_db, "--start", "2024-02-30", "-o", str(tmp_path / "x.csv")), "2024-02-30")
    assert_one_line_error(export("--db", hostile_db, "--format", "gpkg", "-o", "-"), "standard output")
    assert_one_line_error(export("--db", hostile_db))  # no -o
    assert not (tmp_path / "x.csv").exists()
    assert not_db.read_text().startswith("these are notes")  # nothing written into it


def test_a_failed_export_leaves_the_existing_file(hostile_db, tmp_path):
    out = tmp_path / "events.csv"
    out.write_text("last week's export\n")
    not_db = tmp_path / "notes.db"
    not_db.write_text("not a database\n" * 100)
    assert_one_line_error(export("--db", str(not_db), "-o", str(out)))
    assert_one_line_error(export("--db", hostile_db, "--limit", "0", "-o", str(out)))
    assert out.read_text() == "last week's export\n"
