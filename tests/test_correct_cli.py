"""`python -m geo correct`, `corrections` and `alias` as a user runs them, on both backends: what
they print, what they change, and one-line errors that name the bad input."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.model import Place
from geo.store import Store

REPO = Path(__file__).resolve().parent.parent
GEORGIA = Place(614540, "Georgia", "GE", "country", 42.0, 43.5, 3731000, "PCLI")


def geo(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=REPO, capture_output=True, text=True, timeout=300)


def store_two_events(db_url, make_doc, places):
    with Store(db_url) as s:
        s.add_document(make_doc("Police detained 12 people in Georgia. Talks in Kyiv failed.", published=dt.date(2024, 3, 5), events=[
            dict(type="arrest", trigger="detained", date=dt.date(2024, 3, 4), location=GEORGIA),
            dict(type="diplomatic_meeting", trigger="Talks", date=dt.date(2024, 3, 4), location=places["Kyiv"]),
        ]))  # fmt: skip
        ev = s.events()
    return db_url, {t: int(i) for t, i in zip(ev["type"], ev["id"])}


@pytest.fixture
def stored(db_url, make_doc, places):
    return store_two_events(db_url, make_doc, places)


@pytest.fixture
def stored_sqlite(tmp_path, make_doc, places):
    """Messages do not depend on the backend: one is enough for the error cases."""
    return store_two_events(f"sqlite:///{tmp_path / 'd.db'}", make_doc, places)


def test_correct_list_and_undo_from_the_command_line(stored):
    db, ids = stored
    arrest, talks = ids["arrest"], ids["diplomatic_meeting"]
    out = geo("correct", str(arrest), "--type", "attack", "--note", "it was a raid", "--db", db)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"correction #1: event {arrest} type arrest -> attack"
    out = geo("correct", str(talks), "--date", "2024-03", "--db", db)
    assert out.stdout.strip() == f"correction #2: event {talks} date 2024-03-04 (day) -> 2024-03-01 (month)"
    out = geo("correct", str(arrest), "--place", "4197000", "--everywhere", "--db", db)
    assert out.returncode == 0 and out.stdout.startswith("alias #3: 'Georgia' everywhere in the store is Georgia (") and "1 event changed" in out.stdout
    out = geo("correct", str(talks), "--not-event", "--db", db)
    assert out.stdout.strip() == f"correction #4: event {talks} marked not an event"

    with Store(db) as s:
        row = s.event(arrest)
        assert (row["type"], row["country_code"]) == ("attack", "US")
        assert s.event(talks)["hidden"] == 4

    listed = geo("corrections", "--db", db).stdout.splitlines()
    assert [line.split()[0:2] for line in listed] == [["#1", "active"], ["#2", "active"], ["#3", "active"], ["#4", "active"]]
    assert listed[0].endswith(f"event {arrest}: type arrest -> attack  (it was a raid)")
    assert listed[2].endswith("'Georgia' in the store: is Georgia (US)")
    out = geo("corrections", "--undo", "4", "--db", db)
    assert out.stdout.strip() == f"undid #4: event {talks} restored"
    out = geo("corrections", "--undo", "3", "--db", db)
    assert out.stdout.strip() == "undid #3: alias 'Georgia' removed; 1 event changed"
    records = [json.loads(line) for line in geo("corrections", "--json", "--db", db).stdout.splitlines()]
    assert [(r["id"], r["state"]) for r in records] == [(1, "active"), (2, "active"), (3, "undone"), (4, "undone")]
    assert [r["id"] for r in map(json.loads, geo("corrections", "--active", "--json", "--db", db).stdout.splitlines())] == [1, 2]
    assert geo("corrections", "--what", "alias", "--active", "--db", db).stdout.strip() == "no corrections"
    with Store(db) as s:
        assert s.event(arrest)["country_code"] == "GE" and s.event(talks)["hidden"] is None

    out = geo("alias", "Kyiv", "--place", "Nairobi", "--db", db)  # a name the gazetteer knows once
    assert out.returncode == 0 and out.stdout.startswith("alias #5: 'Kyiv' is Nairobi (") and "1 event changed" in out.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["correct", "999999", "--type", "protest"], "error: no event 999999 in this store"),
        (["correct", "{arrest}", "--type", "riot"], "error: type 'riot' is not an event type: expected one of "),
        (["correct", "{arrest}", "--date", "2024-02-30"], "error: date '2024-02-30' is not a date: expected YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY or none"),
        (["correct", "{arrest}", "--place", "Georgia"], "error: place 'Georgia' names 2 places: 614540 Georgia (GE, country); 4197000 Georgia"),
        (["correct", "{arrest}", "--place", "Nowhereville Xq"], "error: place 'Nowhereville Xq': no such name in the gazetteer; give a GeoNames id"),
        (["correct", "{arrest}", "--place", "1"], "error: GeoNames id 1 is not in the gazetteer"),
        (["corrections", "--undo", "77"], "error: no correction #77 in this store"),
        (["alias", "  ", "--place", "614540"], "error: alias name '  ' is empty"),
    ],
)
def test_bad_input_is_one_line_naming_it(stored_sqlite, args, message):
    db, ids = stored_sqlite
    out = geo(*[a.format(**ids) for a in args], "--db", db)
    assert out.returncode == 2
    assert out.stderr.startswith(message) and out.stderr.count("\n") == 1, out.stderr
    with Store(db) as s:
        assert len(s.corrections()) == 0


def test_argument_mistakes_are_caught_before_the_store_is_touched(tmp_path):
    out = geo("correct", "5", "--type", "protest", "--date", "2024-01-01", "--db", str(tmp_path / "d.db"))
    assert out.returncode == 2 and "not allowed with argument" in out.stderr
    out = geo("correct", "5", "--type", "protest", "--everywhere", "--db", str(tmp_path / "d.db"))
    assert out.returncode == 2 and "--in-article and --everywhere go with --place" in out.stderr
    out = geo("corrections", "--db", str(tmp_path / "missing.db"))
    assert out.returncode == 2 and out.stderr.startswith("error: no database at ")
    assert not (tmp_path / "missing.db").exists() and not (tmp_path / "d.db").exists()
