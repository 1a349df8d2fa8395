"""Corrections on both backends: each wins over the parser in every query, count and export, is
listed, and can be undone in any order; aliases per article and per store; "not an event";
and stores made before corrections existed are upgraded without losing a row."""

from __future__ import annotations

import datetime as dt
import io
import json

import geopandas as gpd
import pandas as pd
import pytest
import sqlalchemy as sa

from geo.model import Place
from geo.store import Filters, Store
from geo.store.corrections import CorrectionError
from geo.store.export import export_bytes
from geo.store.schema import SCHEMA_VERSION

D = dt.date
GEORGIA = Place(614540, "Georgia", "GE", "country", 42.0, 43.5, 3731000, "PCLI")
GEORGIA_US = Place(4197000, "Georgia", "US", "admin1", 32.75042, -83.50018, 9919945, "ADM1")


@pytest.fixture
def filled(store, make_doc, places):
    """Three articles: a protest and an arrest in Kyiv, a flight from Lviv to Warsaw, two events in Georgia."""
    P = places
    docs = [
        make_doc("Students protested in Kyiv. Police detained 12 people in Kyiv.", title="Kyiv", published=D(2024, 3, 5), events=[
            dict(type="protest", trigger="protested", date=D(2024, 3, 4), actors=["students"], location=P["Kyiv"]),
            dict(type="arrest", trigger="detained", date=D(2024, 3, 4), actors=["Police"], count=12, location=P["Kyiv"]),
        ]),
        make_doc("Families fled from Lviv to Warsaw.", title="Lviv", published=D(2024, 3, 20), events=[
            dict(type="displacement", trigger="fled", date=D(2024, 3, 19), actors=["families"], origin=P["Lviv"], destination=P["Warsaw"]),
        ]),
        make_doc("Officials in Georgia said talks in Georgia had failed.", title="Georgia", published=D(2024, 4, 2), events=[
            dict(type="statement", trigger="said", date=D(2024, 4, 2), actors=["officials"], location=GEORGIA),
            dict(type="diplomatic_meeting", trigger="talks", date=D(2024, 4, 1), location=GEORGIA),
        ]),
    ]  # fmt: skip
    ids = [store.add_document(d, url=f"https://news.example/{i}") for i, d in enumerate(docs)]
    store.article_ids = ids
    return store


def one(store, type_):
    ev = store.events()
    return ev[ev["type"] == type_].iloc[0]


def test_a_place_correction_wins_in_every_query_and_export_and_undo_restores_it(filled, places):
    protest = one(filled, "protest")
    eid = int(protest["id"])
    cid = filled.correct(eid, place=places["Tokyo"], note="the rally was in Tokyo")

    row = filled.event(eid)
    assert (row["place_name"], row["country_code"], row["geonameid"]) == ("Tokyo", "JP", 1850147)
    assert (row["lat"], row["lon"]) == pytest.approx((35.6895, 139.69171))
    assert row["corrected"] and "place was Kyiv (UA)" in row["correction"]
    assert f"#{cid}" in row["location_reason"]
    # every query the map, the sidebar and the tables use
    assert list(filled.events(countries=["JP"])["id"]) == [eid]
    assert list(filled.events(bbox=(139, 35, 140, 36))["id"]) == [eid]
    assert list(filled.events(text="tokyo")["id"]) == [eid]
    assert dict(filled.facets()["countries"])["JP"] == 1 and dict(filled.facets()["countries"])["UA"] == 1
    assert dict(zip(filled.counts_by_country()["country_code"], filled.counts_by_country()["events"]))["JP"] == 1
    groups = {(g[4], g[3]) for g in filled.place_groups()}
    assert ("Tokyo", "protest") in groups and ("Kyiv", "protest") not in groups
    latest = [r for r in filled.latest_events(per_group=5) if r["id"] == eid]
    assert latest[0]["place_name"] == "Tokyo" and "Kyiv" in latest[0]["correction"]
    # exports: GeoJSON streamed by the database, CSV and GeoPackage through frames
    gj = json.loads(export_bytes(filled, "geojson"))
    props = {f["properties"]["event_id"]: (f["properties"], f["geometry"]) for f in gj["features"] if f["properties"]["kind"] == "event"}
    assert props[eid][0]["corrected"] is True and props[eid][0]["place_name"] == "Tokyo"
    assert props[eid][1]["coordinates"] == pytest.approx([139.69171, 35.6895])
    assert all(p["corrected"] is False for i, (p, _) in props.items() if i != eid)
    assert "place was Kyiv (UA)" in props[eid][0]["correction"]
    csv = pd.read_csv(io.BytesIO(export_bytes(filled, "csv"))).set_index("event_id")
    assert bool(csv.loc[eid, "corrected"]) and csv.loc[eid, "place_name"] == "Tokyo" and csv.loc[eid, "lon"] == pytest.approx(139.69171)
    gpkg = gpd.read_file(io.BytesIO(export_bytes(filled, "gpkg")), layer="events").set_index("event_id")
    assert bool(gpkg.loc[eid, "corrected"]) and gpkg.loc[eid, "place_name"] == "Tokyo"
    assert gpkg.loc[eid].geometry.x == pytest.approx(139.69171)

    listed = filled.corrections()
    assert listed.iloc[-1][["what", "state", "value", "old", "note"]].tolist() == ["place", "active", "Tokyo (JP)", "Kyiv (UA)", "the rally was in Tokyo"]

    assert "Kyiv" in filled.undo(cid)
    row = filled.event(eid)
    assert (row["place_name"], row["country_code"], bool(row["corrected"]), row["correction"]) == ("Kyiv", "UA", False, None)
    assert row["location_reason"] == protest["location_reason"]
    assert len(filled.events(countries=["JP"])) == 0 and len(filled.events(text="tokyo")) == 0
    assert filled.corrections().iloc[-1]["state"] == "undone"  # kept, marked
    gj = json.loads(export_bytes(filled, "geojson"))
    assert not any(f["properties"]["corrected"] for f in gj["features"])


def test_type_and_date_corrections_stack_and_undo_in_any_order(filled):
    eid = int(one(filled, "arrest")["id"])
    a = filled.correct(eid, type="attack")
    b = filled.correct(eid, date="2024-W09")
    c = filled.correct(eid, type="armed_clash")
    row = filled.event(eid)
    assert (row["type"], row["date_precision"], row["date"].date()) == ("armed_clash", "week", D(2024, 2, 26))
    assert row["correction"] == f"type was arrest (#{c}); date was 2024-03-04 (day) (#{b})"
    assert list(filled.events(types=["armed_clash"])["id"]) == [eid] and dict(filled.facets()["types"]).get("arrest") is None
    assert filled.counts_by_day(by="type").query("type == 'armed_clash'")["date"].dt.date.tolist() == [D(2024, 2, 26)]

    filled.undo(c)  # the earlier type correction comes back
    assert filled.event(eid)["type"] == "attack"
    filled.undo(a)  # undoing in another order than made
    row = filled.event(eid)
    assert row["type"] == "arrest" and row["date_precision"] == "week"
    filled.undo(b)
    row = filled.event(eid)
    assert (row["type"], row["date"].date(), row["date_precision"], bool(row["corrected"])) == ("arrest", D(2024, 3, 4), "day", False)
    filled.correct(eid, date="none")
    assert filled.event(eid)["date"] is None or pd.isna(filled.event(eid)["date"])
    assert len(filled.events(start="2024-03-01", end="2024-03-31", types=["arrest"])) == 0


def test_not_an_event_leaves_every_query_and_undo_brings_it_back_whole(filled):
    moved = one(filled, "displacement")
    eid = int(moved["id"])
    before = filled.counts()
    cid = filled.correct(eid, not_event=True, note="a figure of speech")
    assert eid not in set(filled.events()["id"])
    assert len(filled.flows()) == 0 and len(filled.events(actors=["families"])) == 0 and len(filled.events(text="fled")) == 0
    assert len(filled.events(bbox=(20, 49, 25, 53))) == 0  # the spatial index forgot it too
    f = filled.facets()
    assert f["events"] == before["events"] - 1 and "families" not in dict(f["actors"]) and "PL" not in dict(f["countries"])
    assert all(g[3] != "displacement" for g in filled.place_groups())
    gj = json.loads(export_bytes(filled, "geojson"))
    assert eid not in {ft["properties"]["event_id"] for ft in gj["features"]}
    hidden = filled.event(eid)
    assert hidden["hidden"] == cid and hidden["type"] == "displacement"  # still findable, to undo
    with pytest.raises(CorrectionError, match=f"event {eid} is marked not an event \\(correction #{cid}\\)"):
        filled.correct(eid, type="protest")

    filled.undo(cid)
    after = filled.counts()
    assert {k: after[k] for k in ("events", "event_actors", "flows")} == {k: before[k] for k in ("events", "event_actors", "flows")}
    back = filled.event(eid)
    assert back["hidden"] is None and back["origin_name"] == "Lviv" and back["destination_name"] == "Warsaw"
    assert len(filled.events(actors=["families"])) == 1 and len(filled.events(text="fled")) == 1
    assert len(filled.events(bbox=(20, 49, 25, 53))) == 1
    line = filled.flows().geometry.iloc[0]
    assert line.coords[0] == pytest.approx((24.02324, 49.83826), abs=1e-6)


def test_correcting_a_movements_place_redraws_its_line(filled, places):
    eid = int(one(filled, "displacement")["id"])
    filled.correct(eid, place=places["Nairobi"])  # the event's point is its destination
    row = filled.event(eid)
    assert (row["destination_name"], row["origin_name"], row["place_name"]) == ("Nairobi", "Lviv", "Nairobi")
    fl = filled.flows()
    assert fl.iloc[0]["destination_cc"] == "KE"
    assert fl.geometry.iloc[0].coords[-1] == pytest.approx((36.81667, -1.28333), abs=1e-6)
    assert len(filled.flows(countries=["KE"])) == 1 and len(filled.flows(countries=["PL"])) == 0


def test_aliases_in_one_article_or_the_store_and_an_events_own_correction_wins(filled, make_doc, places):
    later = make_doc("Protesters marched in Georgia.", title="Georgia 2", published=D(2024, 4, 5), events=[
        dict(type="protest", trigger="marched", date=D(2024, 4, 5), location=GEORGIA)])  # fmt: skip
    a2 = filled.add_document(later, url="https://news.example/later")
    a1 = filled.article_ids[2]
    ga = filled.events(countries=["GE"])
    assert len(ga) == 3
    statement = int(ga[ga["type"] == "statement"]["id"].iloc[0])
    own = filled.correct(statement, place=places["Tokyo"])

    cid, n = filled.add_alias("georgia", GEORGIA_US, article_id=a1)  # case is ignored
    assert n == 1  # the statement keeps its own correction; the meeting follows the alias
    assert sorted(filled.events(countries=["US"])["article_id"]) == [a1]
    assert filled.event(statement)["place_name"] == "Tokyo"
    # the reader view shows each mention of the name as the alias reads it
    assert {(m["country_code"], m["reason"]) for m in filled.article(a1)["mentions"]} == {("US", f"a user's alias (#{cid}): 'georgia' in this article")}
    assert {m["country_code"] for m in filled.article(a2)["mentions"]} == {"GE"}
    sid, n = filled.add_alias("Georgia", GEORGIA_US)
    assert n == 1 and sorted(filled.events(countries=["US"])["article_id"]) == [a1, a2]
    meeting = filled.events(types=["diplomatic_meeting"]).iloc[0]
    assert f"alias #{cid}" in meeting["correction"]  # the article's alias before the store's
    assert set(filled.alias_places()) == {"georgia"} and filled.alias_places()["georgia"].country_code == "US"

    filled.undo(cid)  # the store alias still places the meeting
    meeting = filled.event(int(meeting["id"]))
    assert meeting["country_code"] == "US" and f"alias #{sid}" in meeting["correction"]
    filled.undo(sid)
    assert sorted(filled.events(countries=["GE"])["type"]) == ["diplomatic_meeting", "protest"]
    filled.undo(own)
    assert len(filled.events(countries=["GE"])) == 3 and not filled.events()["corrected"].any()
    assert filled.alias_places() == {}


def test_bad_corrections_are_refused_with_a_message_naming_them(filled):
    eid = int(one(filled, "protest")["id"])
    with pytest.raises(CorrectionError, match="no event 999999"):
        filled.correct(999999, type="protest")
    with pytest.raises(CorrectionError, match="'riot' is not an event type"):
        filled.correct(eid, type="riot")
    with pytest.raises(CorrectionError, match="date '2024-02-30' is not a date"):
        filled.correct(eid, date="2024-02-30")
    with pytest.raises(CorrectionError, match="exactly one of"):
        filled.correct(eid, type="protest", date="2024-01-01")
    with pytest.raises(CorrectionError, match="GeoNames id 1 is not in the gazetteer"):
        filled.correct(eid, place=1)
    with pytest.raises(CorrectionError, match="no article 999999"):
        filled.add_alias("Kyiv", GEORGIA, article_id=999999)
    cid = filled.correct(eid, type="attack")
    filled.undo(cid)
    with pytest.raises(CorrectionError, match=f"correction #{cid} is undone"):
        filled.undo(cid)
    with pytest.raises(CorrectionError, match="no correction #999999"):
        filled.undo(999999)
    assert filled.corrections()["state"].tolist() == ["undone"]


def test_every_change_in_place_moves_the_revision_the_app_caches_on(filled):
    eid = int(one(filled, "protest")["id"])
    seen = [filled.counts()["revision"]]
    cid = filled.correct(eid, type="attack")
    seen.append(filled.counts()["revision"])
    filled.undo(cid)
    seen.append(filled.counts()["revision"])
    assert len(set(seen)) == 3
    assert filled.revision()[2] == seen[-1]


def test_a_place_from_the_gazetteer_by_geonames_id(filled):
    eid = int(one(filled, "protest")["id"])
    filled.correct(eid, place=4197000)
    row = filled.event(eid)
    assert (row["place_name"], row["country_code"], row["geonameid"]) == ("Georgia", "US", 4197000)


def _downgrade_to_schema_1(url: str) -> None:
    """Make a store what schema 1 wrote: no correction or parser columns, the old unused
    corrections table (here with one row, which must survive)."""
    engine = sa.create_engine(Store(url, create=False).url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_articles_parser_version")
        cols = (("articles", "parser_version"), ("articles", "parsed_at"), ("articles", "region"), ("events", "parsed"), ("events", "correction"))
        for table, col in cols:
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {col}")
        conn.exec_driver_sql("DROP TABLE corrections")
        big = "BIGSERIAL" if conn.dialect.name == "postgresql" else "INTEGER"
        stamp = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "DATETIME"
        conn.exec_driver_sql(
            f'CREATE TABLE corrections (id {big} PRIMARY KEY, target VARCHAR(16) NOT NULL, target_id BIGINT NOT NULL, '
            f'field TEXT NOT NULL, value TEXT, "user" TEXT, note TEXT, at {stamp} NOT NULL)'
        )
        conn.exec_driver_sql("CREATE INDEX ix_corrections_target ON corrections (target, target_id)")
        conn.exec_driver_sql(
            "INSERT INTO corrections (id, target, target_id, field, value, \"user\", note, at) "
            "VALUES (7, 'event', 1, 'type', '\"protest\"', 'ana', 'from an old tool', '2024-01-01 00:00:00+00:00')"
        )
        conn.exec_driver_sql("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    engine.dispose()


def test_a_schema_1_store_is_upgraded_without_losing_a_row(db_url, make_doc, places):
    with Store(db_url) as s:
        s.add_document(make_doc("Students protested in Kyiv.", events=[dict(type="protest", location=places["Kyiv"])]))
        before = {k: v for k, v in s.counts().items() if k not in ("corrections", "revision")}
    _downgrade_to_schema_1(db_url)
    with Store(db_url) as s:
        after = s.counts()
        assert {k: after[k] for k in before} == before
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'schema_version'").scalar() == str(SCHEMA_VERSION)
        legacy = s.corrections()
        assert legacy[["id", "what", "state", "event_id", "note"]].values.tolist() == [[7, "type", "legacy", 1, "from an old tool"]]
        assert s.parser_versions() == {None: 1}  # parsed before versions were recorded: reparse redoes it
        eid = int(s.events()["id"].iloc[0])
        cid = s.correct(eid, type="attack")
        assert cid > 7 and s.event(eid)["type"] == "attack"
    with Store(db_url) as s:  # opening an upgraded store changes nothing
        assert s.event(eid)["type"] == "attack" and len(s.corrections()) == 2


def test_filters_still_compose_with_corrections(filled, places):
    eid = int(one(filled, "protest")["id"])
    filled.correct(eid, place=places["Tokyo"])
    f = Filters(countries=("JP",), types=("protest",), start=D(2024, 3, 1), end=D(2024, 3, 31))
    assert list(filled.events(f)["id"]) == [eid]
    assert filled.facets(f)["events"] == 1
