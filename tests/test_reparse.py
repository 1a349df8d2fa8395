"""Re-parsing a store with the real pipeline on both backends: corrections and aliases survive and
still win, what changed is reported, the parser's version is recorded, and a run killed with
SIGKILL goes on where it stopped. Also the pipeline's side: aliases applied after the resolver."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from geopy.distance import great_circle

from geo.model import Event
from geo.store import Store
from geo.store.reparse import RUN_KEY, reparse
from geo.text.aliases import RESOLVER_CHOICE
from geo.text.version import parser_version

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples" / "articles.jsonl"
TEXT = (
    "Storms hit the South\n\n"
    "ATLANTA -- Protesters marched in Tbilisi on Monday, demanding new elections.\n\n"
    "Police arrested 20 protesters in Georgia on Tuesday after clashes near the state capitol.\n\n"
    "The governor said 300 families fled from Savannah to Georgia on Wednesday.\n"
)
PUBLISHED = dt.date(2024, 3, 8)
GEORGIA_US, GEORGIA_GE, TOKYO = 4197000, 614540, 1850147


def by_trigger(store: Store) -> dict[str, dict]:
    ev = store.events()
    return {t: ev[ev["trigger"] == t].iloc[0].to_dict() for t in ev["trigger"]}


@pytest.fixture
def aliasless(pipeline):
    """The session's pipeline, its aliases cleared again whatever the test did."""
    yield pipeline
    pipeline.aliases = {}


def test_the_pipeline_applies_aliases_after_the_resolver(aliasless):
    from geo.gazetteer import Gazetteer

    plain = aliasless.parse(TEXT, published=PUBLISHED)
    assert {m.place.geonameid for m in plain.mentions if m.text == "Georgia"} == {GEORGIA_GE}
    aliasless.aliases = {"georgia": Gazetteer.default().get(GEORGIA_US)}
    doc = aliasless.parse(TEXT, published=PUBLISHED)
    georgia = [m for m in doc.mentions if m.text == "Georgia"]
    assert {m.place.geonameid for m in georgia} == {GEORGIA_US}
    assert all(m.candidates[0].place.geonameid == GEORGIA_GE and m.candidates[0].reason == RESOLVER_CHOICE for m in georgia)
    fled = next(e for e in doc.events if e.trigger == "fled")
    assert fled.destination.place.geonameid == GEORGIA_US  # events are read after the alias
    assert aliasless.version == parser_version() and aliasless.version.startswith("p-")


def test_reparse_keeps_every_correction_and_the_alias_reaches_the_parser(db_url, aliasless):
    store = Store(db_url)
    aid = store.add_document(aliasless.parse(TEXT, published=PUBLISHED, title="Storms"), url="https://news.example/ga")
    ev = by_trigger(store)
    assert set(ev) >= {"marched", "arrested", "said", "fled"}
    assert ev["fled"]["destination_geonameid"] == GEORGIA_GE and ev["arrested"]["geonameid"] == GEORGIA_GE
    ids = {t: int(e["id"]) for t, e in ev.items()}
    store.correct(ids["said"], not_event=True, note="a dateline, not news")
    typed = store.correct(ids["marched"], type="armed_clash")
    store.correct(ids["arrested"], place=TOKYO)
    alias, changed = store.add_alias("Georgia", GEORGIA_US, note="this story is about the US state")
    assert changed == 2  # the movement's point and the clashes; the arrest keeps its own correction
    assert by_trigger(store)["fled"]["destination_geonameid"] == GEORGIA_US

    report = reparse(store, all_articles=True, pipeline=aliasless, progress=False)
    assert report.articles == 1 and report.orphaned == [] and not report.failed
    after = by_trigger(store)
    assert {t: int(e["id"]) for t, e in after.items()} == {t: i for t, i in ids.items() if t != "said"}  # ids kept
    assert "said" not in after and store.event(ids["said"])["hidden"] is not None
    assert after["marched"]["type"] == "armed_clash" and f"#{typed}" in after["marched"]["correction"]
    assert after["arrested"]["geonameid"] == TOKYO  # its own correction beats the alias
    assert after["fled"]["destination_geonameid"] == GEORGIA_US and after["fled"]["corrected"]
    assert "place was Georgia (GE)" in after["fled"]["correction"]
    # the parser itself read the alias this time: the mention rows say so
    assert {m["geonameid"] for m in store.article(aid)["mentions"] if m["text"] == "Georgia"} == {GEORGIA_US}
    assert store.parser_versions() == {aliasless.version: 1}
    assert store.corrections(active=True)["event_id"].notna().sum() == 3

    store.undo(alias)  # the resolver's answer comes back, without a re-parse
    assert by_trigger(store)["fled"]["destination_geonameid"] == GEORGIA_GE
    shown = [m for m in store.article(aid)["mentions"] if m["text"] == "Georgia"]
    assert {m["geonameid"] for m in shown} == {GEORGIA_GE} and all("alias" in m["reason"] and "removed" in m["reason"] for m in shown)
    assert [c["why"] for c in store.mention_candidates(aid, "Georgia")][:2] == ["a store alias, when parsed", "the resolver's choice"]
    reparse(store, all_articles=True, pipeline=aliasless, progress=False)
    again = by_trigger(store)
    assert again["fled"]["destination_geonameid"] == GEORGIA_GE and not again["fled"]["corrected"]
    assert again["marched"]["type"] == "armed_clash" and again["arrested"]["geonameid"] == TOKYO
    store.close()


ATHENS_GA, ATHENS_GR = 4180386, 264371


def test_reparse_reads_each_article_in_the_region_it_was_ingested_with(db_url, aliasless, tmp_path):
    from geo.store.ingest import ingest

    # The same local story twice: once with --region for the whole run, once with the record's
    # own region field; a third copy names no region and means the Greek capital.
    text = "Protesters marched in Athens on {day} after the city council voted to close the old hospital."
    given = tmp_path / "given.jsonl"
    given.write_text(json.dumps({"text": text.format(day="Monday"), "published": "2024-03-04"}) + "\n")
    own = tmp_path / "own.jsonl"
    own.write_text(
        json.dumps({"text": text.format(day="Tuesday"), "published": "2024-03-05", "region": "US-GA"}) + "\n"
        + json.dumps({"text": text.format(day="Friday"), "published": "2024-03-08"}) + "\n"
    )
    store = Store(db_url)
    ingest([given], store, region="US-GA", pipeline=aliasless, progress=False)
    ingest([own], store, pipeline=aliasless, progress=False)

    def placed() -> dict[str, int]:
        ev = store.events()
        return {str(d)[:10]: int(g) for d, g in zip(ev["date"], ev["geonameid"])}

    first = placed()
    assert first == {"2024-03-04": ATHENS_GA, "2024-03-05": ATHENS_GA, "2024-03-08": ATHENS_GR}
    assert sorted(store.articles()["region"].fillna("-")) == ["-", "US-GA", "US-GA"]
    report = reparse(store, all_articles=True, pipeline=aliasless, progress=False)
    assert report.articles == 3 and not report.failed and not report.moved
    assert placed() == first
    store.close()


def test_reparse_redoes_older_versions_and_reports_moves_removals_and_orphans(db_url, aliasless):
    from geo.gazetteer import Gazetteer

    store = Store(db_url)
    old = aliasless.parse(TEXT, published=PUBLISHED)  # what an older parser made of it:
    marched = next(e for e in old.events if e.trigger == "marched")
    marched.location.place = Gazetteer.default().get(TOKYO)  # the protest in Tokyo,
    old.events = [e for e in old.events if e.trigger != "said"]  # no statement,
    old.events = [e for e in old.events if e.trigger != "clashes"]  # nor the clashes,
    old.events.append(Event("attack", "riots", "Police arrested 20 protesters in Georgia on Tuesday after clashes near the state capitol.", 100, 189))  # an event that is not there
    store.add_document(old, parser_version="p-older")
    current = aliasless.parse("Troops crossed into Chad on Friday.", published=PUBLISHED)
    store.add_document(current, parser_version=aliasless.version)
    ev = by_trigger(store)
    lost = store.correct(int(ev["riots"]["id"]), type="protest")

    report = reparse(store, pipeline=aliasless, progress=False)  # only the older article
    assert report.articles == 1
    assert report.added == 2 and report.removed == 1  # the statement and the clashes; the riots
    assert [i for i, _ in report.moved] == [int(ev["marched"]["id"])]
    tokyo, tbilisi = Gazetteer.default().get(TOKYO), Gazetteer.default().get(611717)
    assert report.moved[0][1] == pytest.approx(great_circle((tokyo.lat, tokyo.lon), (tbilisi.lat, tbilisi.lon)).km, rel=0.001)
    assert report.orphaned == [lost]
    assert "moved more than 25 km 1" in report.summary() and f"#{lost}" in report.summary()
    listed = store.corrections().set_index("id")
    assert listed.loc[lost, "state"] == "active" and pd.isna(listed.loc[lost, "event_id"])  # kept, to find its event later
    assert by_trigger(store)["marched"]["place_name"] == "Tbilisi"
    assert reparse(store, pipeline=aliasless, progress=False).articles == 0  # nothing older is left

    # A later parser that reads the event again: the waiting correction finds it and applies.
    aid = int(ev["riots"]["article_id"])
    changes = store.replace_document(aid, old, parser_version="p-later")
    assert changes["refound"] == [lost] and changes["orphaned"] == []
    back = by_trigger(store)["riots"]
    assert back["type"] == "protest" and back["corrected"]
    assert store.corrections().set_index("id").loc[lost, "event_id"] == int(back["id"])
    store.close()


def _ids_done(db: Path) -> tuple[str | None, int]:
    con = sqlite3.connect(db, timeout=30)
    try:
        since = con.execute("SELECT value FROM meta WHERE key = ?", (RUN_KEY,)).fetchone()
        if not since:
            return None, 0
        n = con.execute("SELECT count(*) FROM articles WHERE parsed_at >= ?", (since[0].replace("T", " "),)).fetchone()[0]
        return since[0], n
    finally:
        con.close()


def test_a_reparse_killed_with_sigkill_goes_on_where_it_stopped(tmp_path, pipeline):
    from geo.store.ingest import ingest

    db = tmp_path / "d.db"
    lines = SAMPLES.read_text(encoding="utf-8").splitlines()[:40]
    part = tmp_path / "forty.jsonl"
    part.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Store(str(db)) as store:
        assert ingest([str(part)], store, progress=False, pipeline=pipeline).stored == 40
        first = store.events().iloc[-1]
        fix = store.correct(int(first["id"]), type="agreement")
        n_events = store.counts()["events"]
    cmd = [sys.executable, "-m", "geo", "reparse", "--all", "-q", "--db", str(db)]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while proc.poll() is None and _ids_done(db)[1] == 0:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    since, done = _ids_done(db)
    assert since is not None and 1 <= done < 40  # killed mid-run; the run is still recorded
    con = sqlite3.connect(db)
    try:  # every article is whole: as it was or re-parsed, never half
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute(
            "SELECT count(*) FROM articles a WHERE n_events != (SELECT count(*) FROM events e WHERE e.article_id = a.id)"
        ).fetchone() == (0,)
    finally:
        con.close()

    out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"re-parsed {40 - done} articles"), out.stdout
    assert _ids_done(db) == (None, 0)  # the run is finished
    with Store(str(db)) as store:
        assert store.counts()["events"] == n_events
        assert store.event(int(first["id"]))["type"] == "agreement"
        assert store.corrections().set_index("id").loc[fix, "state"] == "active"
        assert set(store.parser_versions()) == {parser_version()}
    out = subprocess.run(cmd[:4] + cmd[5:], cwd=REPO, capture_output=True, text=True, timeout=600)  # without --all
    assert out.returncode == 0 and out.stdout.startswith("re-parsed 0 articles"), out.stdout + out.stderr


def test_reparse_command_line_errors_name_their_input(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "geo", "reparse", *args], cwd=REPO, capture_output=True, text=True, timeout=120)

    out = run("--db", str(tmp_path / "missing.db"))
    assert out.returncode == 2 and out.stderr.strip() == f"error: no database at {tmp_path / 'missing.db'} (ingest some articles first, or pass --db)"
    assert not (tmp_path / "missing.db").exists()
    out = run("--workers", "0", "--db", str(tmp_path / "x.db"))
    assert out.returncode == 2 and "--workers must be 1 or more" in out.stderr
    out = run("--workers", "2", "--dask", "tcp://127.0.0.1:1", "--db", str(tmp_path / "x.db"))
    assert out.returncode == 2 and "alternatives" in out.stderr
