"""The store on both backends: writes are whole articles or nothing, queries filter as documented."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pytest
import sqlalchemy as sa

from geo.store import Filters, Store, text_hash

D = dt.date


@pytest.fixture
def filled(store, make_doc, places):
    """Four articles, six events over two months, three countries, one flow."""
    P = places
    docs = [
        make_doc(
            "Thousands of students protested in Kyiv on Monday. Police detained 12 people in Kyiv.",
            title="Kyiv protest",
            published=D(2024, 3, 5),
            events=[
                dict(type="protest", date=D(2024, 3, 4), actors=["students"], location=P["Kyiv"],
                     sentence="Thousands of students protested in Kyiv on Monday."),
                dict(type="arrest", date=D(2024, 3, 4), actors=["Police"], count=12, location=P["Kyiv"],
                     sentence="Police detained 12 people in Kyiv."),
            ],
        ),  # fmt: skip
        make_doc(
            "Families fled from Lviv to Warsaw as shelling continued.",
            title="Lviv to Warsaw",
            published=D(2024, 3, 20),
            events=[
                dict(type="displacement", date=D(2024, 3, 19), actors=["families"], origin=P["Lviv"],
                     destination=P["Warsaw"], count=300, sentence="Families fled from Lviv to Warsaw as shelling continued."),
            ],
        ),  # fmt: skip
        make_doc(
            "Teachers went on strike in Nairobi. The union said talks had failed.",
            title="Nairobi strike",
            published=D(2024, 4, 2),
            events=[
                dict(type="strike", date=D(2024, 4, 1), actors=["teachers", "union"], location=P["Nairobi"],
                     sentence="Teachers went on strike in Nairobi."),
                dict(type="statement", date=D(2024, 4, 2), actors=["union"], location=P["Nairobi"],
                     sentence="The union said talks had failed."),
            ],
        ),  # fmt: skip
        make_doc(
            "Officials said a meeting would take place soon.",
            title="Somewhere",
            published=D(2024, 4, 10),
            events=[dict(type="meeting", date=None, actors=["officials"], sentence="Officials said a meeting would take place soon.")],
        ),
    ]
    ids = [store.add_document(d, url=f"https://news.example/{i}", source=f"test:{i}") for i, d in enumerate(docs)]
    assert all(isinstance(i, int) for i in ids)
    return store


def test_document_round_trip(filled):
    ev = filled.events()
    assert isinstance(ev, gpd.GeoDataFrame) and ev.crs.to_epsg() == 4326
    assert len(ev) == 6
    kyiv = ev[ev["type"] == "arrest"].iloc[0]
    assert kyiv["place_name"] == "Kyiv" and kyiv["country_code"] == "UA" and kyiv["geonameid"] == 703448
    assert kyiv["count"] == 12 and kyiv["actors"] == ["Police"]
    assert kyiv["article_title"] == "Kyiv protest" and kyiv["article_url"] == "https://news.example/0"
    assert kyiv["date"] == dt.datetime(2024, 3, 4) and kyiv["published"] == dt.datetime(2024, 3, 5)
    assert (kyiv.geometry.x, kyiv.geometry.y) == pytest.approx((30.5238, 50.45466))  # lon, lat
    moved = ev[ev["type"] == "displacement"].iloc[0]
    assert (moved["origin_name"], moved["destination_name"]) == ("Lviv", "Warsaw")
    assert moved["place_name"] == "Warsaw"  # an event's point is where people went
    unlocated = ev[ev["type"] == "meeting"].iloc[0]
    assert unlocated.geometry is None and unlocated["country_code"] is None

    counts = filled.counts()
    assert counts["articles"] == 4 and counts["events"] == 6 and counts["flows"] == 1
    assert counts["places"] == 4  # Kyiv once, though two mentions name it
    art = filled.article(int(kyiv["article_id"]))
    assert art["title"] == "Kyiv protest" and art["text"].startswith("Thousands")
    assert [m["name"] for m in art["mentions"]] == ["Kyiv", "Kyiv"]


def test_flows_are_lines(filled):
    fl = filled.flows()
    assert len(fl) == 1 and fl.crs.to_epsg() == 4326
    line = fl.geometry.iloc[0]
    assert line.geom_type in ("LineString", "MultiLineString")
    start, end = line.coords[0], line.coords[-1]
    assert start == pytest.approx((24.02324, 49.83826), abs=1e-6) and end == pytest.approx((21.01178, 52.22977), abs=1e-6)
    assert fl.iloc[0]["origin_cc"] == "UA" and fl.iloc[0]["destination_cc"] == "PL"
    assert len(filled.flows(countries=["PL"])) == 1 and len(filled.flows(countries=["UA"])) == 1
    assert len(filled.flows(countries=["KE"])) == 0
    assert len(filled.flows(bbox=(20, 49, 25, 53))) == 1 and len(filled.flows(bbox=(100, 0, 110, 10))) == 0
    assert len(filled.flows(types=["protest"])) == 0 and len(filled.flows(start="2024-04-01")) == 0


def test_duplicates_are_skipped(store, make_doc, places):
    doc = make_doc("Police detained 12 people in Kyiv.", events=[dict(type="arrest", location=places["Kyiv"])])
    assert store.add_document(doc, url="https://a.example/1") is not None
    assert store.add_document(doc, url="https://a.example/2") is None  # same text
    other = make_doc("A different article about Kyiv.")
    assert store.add_document(other, url="https://a.example/1") is None  # same URL
    padded = make_doc("\r\n  Police detained 12 people in Kyiv.  \r\n")
    assert store.add_document(padded) is None  # same text, other line endings and padding
    assert store.has_article(text_hash=text_hash("Police detained 12 people in Kyiv."))
    assert store.counts()["articles"] == 1 and store.counts()["events"] == 1


def test_failed_write_leaves_nothing_half_written(store, make_doc, places):
    good = make_doc("Teachers went on strike in Nairobi.", events=[dict(type="strike", location=places["Nairobi"])])
    store.add_document(good)
    before = store.counts()
    bad = make_doc("Police detained people in Kyiv and Lviv.", events=[
        dict(type="arrest", location=places["Kyiv"]),
        dict(type=None, location=places["Lviv"]),  # violates NOT NULL after the article, places and first rows are written
    ])  # fmt: skip
    with pytest.raises(sa.exc.IntegrityError):
        store.add_document(bad)
    assert store.counts() == before
    # the store is still usable, and the places of the rolled-back article can be written later
    bad.events[1].type = "arrest"
    assert store.add_document(bad) is not None
    assert store.counts()["events"] == before["events"] + 2


@pytest.mark.parametrize(
    "filters, expected",
    [
        (dict(), {"protest", "arrest", "displacement", "strike", "statement", "meeting"}),
        (dict(start="2024-03-19"), {"displacement", "strike", "statement"}),
        (dict(end=D(2024, 3, 19)), {"protest", "arrest", "displacement"}),
        (dict(start="2024-03-01", end="2024-03-31", types=["protest", "displacement"]), {"protest", "displacement"}),
        (dict(types="strike"), {"strike"}),
        (dict(countries=["ke", "PL"]), {"strike", "statement", "displacement"}),
        (dict(actors=["UNION"]), {"strike", "statement"}),
        (dict(actors=["police", "families"]), {"arrest", "displacement"}),
        (dict(text="shelling"), {"displacement"}),
        (dict(text="Nairo"), {"strike", "statement"}),  # a word matches as a prefix
        (dict(text="union talks"), {"statement"}),  # every word must appear
        (dict(text="students Kyiv"), {"protest"}),  # sentence and place together
        (dict(bbox=(30, 50, 31, 51)), {"protest", "arrest"}),  # small box: the spatial index
        (dict(bbox="-20,-10,40,60"), {"protest", "arrest", "displacement", "strike", "statement"}),  # large box
        (dict(bbox=(170, -60, -170, 60)), set()),  # across the antimeridian
        (dict(located=True), {"protest", "arrest", "displacement", "strike", "statement"}),
        (dict(located=False), {"meeting"}),
        (dict(types=["protest"], countries=["KE"]), set()),
    ],
)
def test_event_filters(filled, filters, expected):
    assert set(filled.events(**filters)["type"]) == expected


def test_antimeridian_box(store, make_doc, places):
    store.add_document(make_doc("Floods hit Suva.", events=[dict(type="disaster", location=places["Suva"], date=D(2024, 1, 2))]))
    store.add_document(make_doc("Protest in Tokyo.", events=[dict(type="protest", location=places["Tokyo"], date=D(2024, 1, 3))]))
    assert list(store.events(bbox=(170, -30, -170, 0))["type"]) == ["disaster"]
    assert list(store.events(bbox=(130, 30, 150, 40))["type"]) == ["protest"]


def test_newest_first_and_limit(filled):
    ev = filled.events()
    dates = [d for d in ev["date"] if d == d]
    assert dates == sorted(dates, reverse=True) and ev["date"].isna().iloc[-1]  # undated last
    top = filled.events(limit=2)
    assert list(top["id"]) == list(ev["id"][:2])


@pytest.mark.parametrize(
    "hostile",
    ["'; DROP TABLE events; --", "x' OR '1'='1", 'a" OR 1=1 --', "NEAR(kyiv students)", "kyiv:* | strike", "%", "_"],
)
def test_values_are_bound_not_formatted(filled, hostile):
    assert len(filled.events(types=[hostile])) == 0
    assert len(filled.events(actors=[hostile])) == 0
    assert len(filled.events(countries=[hostile])) == 0
    # Free text is split into words: never FTS5 or tsquery syntax, so nothing here matches or fails.
    assert len(filled.events(text=hostile)) == 0
    assert filled.counts()["events"] == 6


def test_query_arguments_are_checked(filled):
    with pytest.raises(ValueError, match="not a date"):
        filled.events(start="last tuesday")
    with pytest.raises(ValueError, match="after end"):
        filled.events(start="2024-05-01", end="2024-04-01")
    with pytest.raises(ValueError, match="bbox"):
        filled.events(bbox=(0, 10, 5))
    with pytest.raises(ValueError, match="out of range"):
        filled.events(bbox=(0, 80, 10, 95))


def test_empty_results_keep_their_columns(filled):
    ev = filled.events(types=["nothing"])
    assert len(ev) == 0 and isinstance(ev, gpd.GeoDataFrame) and ev.crs.to_epsg() == 4326
    assert {"type", "date", "actors", "place_name", "geometry"} <= set(ev.columns)
    assert set(filled.flows(types=["nothing"]).columns) >= {"flow_id", "geometry"}


def test_counts_and_facets(filled):
    by_day = filled.counts_by_day()
    assert by_day["events"].sum() == 5  # the undated event has no day
    assert set(by_day.columns) == {"date", "type", "events"}
    assert by_day[by_day["date"] == "2024-03-04"]["events"].sum() == 2
    assert filled.counts_by_day(by=None)["events"].tolist() == [2, 1, 1, 1]
    by_country = filled.counts_by_country()
    assert dict(zip(by_country["country_code"], by_country["events"])) == {"UA": 2, "KE": 2, "PL": 1, None: 1}
    f = filled.facets()
    assert f["events"] == 6 and f["articles"] == 4
    assert (f["start"], f["end"]) == (D(2024, 3, 4), D(2024, 4, 2))
    assert dict(f["types"])["protest"] == 1 and dict(f["countries"]) == {"UA": 2, "KE": 2, "PL": 1}
    assert f["actors"][0] == ("union", 2)
    assert filled.facets(countries=["KE"])["events"] == 2
    assert dict(filled.facets(types=["strike"])["actors"]) == {"teachers": 1, "union": 1}


def test_delete_article_removes_everything_it_brought(filled):
    kyiv = filled.events(text="kyiv")
    assert len(kyiv) == 2
    assert filled.delete_article(int(kyiv["article_id"].iloc[0]))
    assert len(filled.events(text="kyiv")) == 0 and len(filled.events(bbox=(30, 50, 31, 51))) == 0
    c = filled.counts()
    assert c["articles"] == 3 and c["events"] == 4 and c["places"] == 4  # places are shared reference data


def test_errors_are_recorded(store):
    store.add_error("in/bad.jsonl", 3, "not JSON", run="r1")
    store.add_error("in/empty.txt", None, "empty file", run="r2")
    err = store.errors()
    assert list(err["source"]) == ["in/bad.jsonl", "in/empty.txt"] and err["line"].iloc[0] == 3
    assert list(store.errors(run="r2")["reason"]) == ["empty file"]
    assert str(err["at"].dt.tz) == "UTC"


def test_reopening_keeps_data_and_schema(db_url, make_doc, places):
    with Store(db_url) as s:
        s.add_document(make_doc("Strike in Nairobi.", events=[dict(type="strike", location=places["Nairobi"])]))
    with Store(db_url) as s:
        assert s.counts()["events"] == 1
        with s.engine.connect() as conn:
            version = conn.execute(sa.text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
        assert version == "1"


def test_sqlite_file_is_created_in_wal_mode(tmp_path, make_doc):
    path = tmp_path / "nested" / "folder" / "d.db"
    with Store(str(path)) as s:  # a bare path is a SQLite file
        assert path.exists()
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            plan = " ".join(r[-1] for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM events WHERE type = 'protest' AND date BETWEEN '2024-01-01' AND '2024-02-01'"))  # fmt: skip
            assert "ix_events_type_date" in plan


def test_postgis_geometry_and_indexes(postgis_url, make_doc, places):
    store = Store(postgis_url)
    store.add_document(make_doc("Families fled from Lviv to Warsaw.", events=[
        dict(type="displacement", origin=places["Lviv"], destination=places["Warsaw"]),
    ]))  # fmt: skip
    with store.engine.connect() as conn:
        point = conn.execute(sa.text("SELECT ST_AsText(geom), ST_SRID(geom) FROM events")).one()
        assert point[1] == 4326 and point[0].startswith("POINT(21.01178 52.22977")
        line = conn.execute(sa.text("SELECT GeometryType(geom), ST_SRID(geom) FROM flows")).one()
        assert line[0] in ("LINESTRING", "MULTILINESTRING") and line[1] == 4326
        indexes = {r[0]: r[1] for r in conn.execute(sa.text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('events', 'flows')"))}
    assert "gist" in indexes["ix_events_geom"].lower() and "gist" in indexes["ix_flows_geom"].lower()
    assert "gin" in indexes["ix_events_fts"].lower()
    store.close()


def test_postgres_url_forms(monkeypatch):
    from geo.store import normalise_url

    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("data/x.db").startswith("sqlite:////")
    monkeypatch.setenv("DATELINE_DB", "sqlite:////tmp/elsewhere.db")
    assert normalise_url(None) == "sqlite:////tmp/elsewhere.db"


@pytest.fixture
def accented(store, make_doc):
    """Events whose place names, sentences and actors carry accents, and one that spells them without."""
    from geo.model import Place

    cucuta = Place(3685533, "Cúcuta", "CO", "city", 7.89391, -72.50782, 721398, "PPLA")
    bogota = Place(3688689, "Bogotá", "CO", "city", 4.60971, -74.08175, 7674366, "PPLC")
    rafah = Place(281129, "Rafaḩ", "PS", "city", 31.29722, 34.24357, 126305, "PPLA")
    docs = [
        make_doc("Migrants crossed the bridge at Cúcuta.", events=[
            dict(type="displacement", location=cucuta, actors=["migrants"], date=D(2019, 2, 23))]),
        make_doc("Juan Guaidó spoke to supporters in Bogotá.", events=[
            dict(type="statement", location=bogota, actors=["Juan Guaidó"], date=D(2019, 2, 25))]),
        make_doc("Juan Guaido called for new protests.", events=[
            dict(type="protest", actors=["Juan Guaido"], date=D(2019, 3, 1))]),
        make_doc("Crowds gathered at the crossing.", events=[
            dict(type="protest", location=rafah, date=D(2024, 5, 6))]),
        make_doc("Протест біля їдальні.", events=[dict(type="protest", date=D(2024, 5, 7))]),
    ]  # fmt: skip
    for i, d in enumerate(docs):
        assert store.add_document(d, url=f"https://news.example/a{i}") is not None
    return store


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Guaidó", {"statement", "protest"}),  # accented query: the accented and the plain spelling
        ("Guaido", {"statement", "protest"}),  # and the other way round
        ("GUAIDÓ juan", {"statement", "protest"}),  # case too, every word still required
        ("guaid", {"statement", "protest"}),  # still a prefix
        ("guaidó bogota", {"statement"}),  # accents dropped on each side of the same query
        ("cucuta", {"displacement"}),  # a place name typed without its accent
        ("Cúcuta migrants", {"displacement"}),  # a place label copied from the map, with a sentence word
        ("Cu\u0301cuta", {"displacement"}),  # a decomposed accent (macOS input) is not a word break
        ("Bogotá", {"statement"}),
        ("Rafah", {"protest"}),  # a letter with a dot below, from GeoNames' transliterations
        ("Rafaḩ", {"protest"}),
        ("їдаль", {"protest"}),  # a Cyrillic letter that decomposes into a base and a mark is not stripped away
        ("cucuta bogota", set()),
    ],
)
def test_text_search_ignores_accents(accented, text, expected):
    assert set(accented.events(text=text)["type"]) == expected
    assert accented.facets(text=text)["events"] == len(accented.events(text=text))


def test_text_search_survives_letters_that_fold_to_punctuation(accented):
    # unaccent folds "ŉ" to "'n" and "⑴" to "(1)": bound and quoted, never tsquery syntax.
    for text in ("ŉ", "ʼ", "⑴ ½", "Guaidó ʼ"):
        accented.events(text=text)
    assert len(accented.events(text="ʼ")) == 0


def _downgrade_sqlite_fts(path):
    """Make a store's FTS table what stores before accent folding had, with the data it indexed."""
    import sqlite3

    con = sqlite3.connect(path)
    with con:
        con.execute("DROP TABLE events_fts")
        con.execute(
            """CREATE VIRTUAL TABLE events_fts USING fts5(
                 sentence, place_name, actors, content='events', content_rowid='id',
                 tokenize='unicode61 remove_diacritics 0')"""
        )
        con.execute("INSERT INTO events_fts(events_fts) VALUES ('rebuild')")
    con.close()


def test_old_sqlite_text_index_is_rebuilt_on_open(tmp_path, make_doc):
    from geo.model import Place

    path = tmp_path / "old.db"
    cucuta = Place(3685533, "Cúcuta", "CO", "city", 7.89391, -72.50782, 721398, "PPLA")
    with Store(str(path)) as s:
        s.add_document(make_doc("Juan Guaidó spoke in Cúcuta.", events=[dict(type="statement", location=cucuta)]))
        s.add_document(make_doc("Teachers went on strike.", events=[dict(type="strike")]))
    _downgrade_sqlite_fts(path)
    with Store(str(path), create=False) as old:  # what the old code saw: accents mattered
        assert len(old.events(text="Guaidó")) == 1 and len(old.events(text="Guaido")) == 0

    with Store(str(path)) as s:
        assert s.counts()["events"] == 2 and s.counts()["articles"] == 2
        assert list(s.events(text="Guaido")["type"]) == ["statement"]
        assert list(s.events(text="cucuta")["type"]) == ["statement"]
        assert list(s.events(text="Guaidó")["type"]) == ["statement"]
        assert list(s.events(text="strike")["type"]) == ["strike"]
        with s.engine.connect() as conn:
            sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'events_fts'").scalar()
            assert "remove_diacritics 2" in sql
            # raises when the index disagrees with the text in events
            conn.exec_driver_sql("INSERT INTO events_fts(events_fts, rank) VALUES ('integrity-check', 1)")
        # the triggers feed the new index: new events are found, deleted ones are gone
        aid = s.add_document(make_doc("Protesters marched in Bogotá.", events=[dict(type="protest")]))
        assert list(s.events(text="bogota")["type"]) == ["protest"]
        s.delete_article(aid)
        assert len(s.events(text="bogota")) == 0
    with Store(str(path)) as s:  # a store already upgraded opens without touching the index
        assert len(s.events(text="guaido")) == 1


def test_old_postgis_text_index_is_rebuilt_on_open(postgis_url, make_doc):
    with Store(postgis_url) as s:
        s.add_document(make_doc("Juan Guaidó spoke to supporters.", events=[dict(type="statement")]))
        with s.engine.begin() as conn:  # the index stores had before accent folding
            conn.exec_driver_sql("DROP INDEX ix_events_fts")
            conn.exec_driver_sql("DROP FUNCTION dateline_unaccent(text)")
            conn.exec_driver_sql(
                "CREATE INDEX ix_events_fts ON events USING gin (to_tsvector('simple'::regconfig, "
                "coalesce(sentence, '') || ' ' || coalesce(place_name, '') || ' ' || coalesce(actors, '')))"
            )
    with Store(postgis_url, create=False) as old:  # not upgraded: queries repeat the old index's expression
        assert len(old.events(text="Guaidó")) == 1 and len(old.events(text="Guaido")) == 0

    with Store(postgis_url) as s:
        assert s.counts()["events"] == 1
        assert len(s.events(text="Guaido")) == 1 and len(s.events(text="guaidó")) == 1
        with s.engine.connect() as conn:
            index = conn.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'ix_events_fts'"
            ).scalar()
            assert "dateline_unaccent" in index and "gin" in index.lower()
            # the query repeats the index's expression, so PostgreSQL can use the index
            conn.exec_driver_sql("SET enable_seqscan = off")
            q = sa.select(sa.func.count()).select_from(s.t["events"]).where(*s.sql.where(Filters(text="Guaidó")))
            sql = str(q.compile(s.engine, compile_kwargs={"literal_binds": True}))
            assert "ix_events_fts" in " ".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql))


def test_min_confidence_keeps_the_firmly_reported_events(store, make_doc, places):
    P = places
    store.add_document(make_doc(
        "Troops shelled Kyiv on Monday. Officials denied that troops had shelled Lviv. Families fled from Lviv to Warsaw.",
        events=[
            dict(type="attack", location=P["Kyiv"], confidence=0.9, sentence="Troops shelled Kyiv on Monday."),
            dict(type="attack", location=P["Lviv"], confidence=0.3, sentence="Officials denied that troops had shelled Lviv."),
            dict(type="displacement", origin=P["Lviv"], destination=P["Warsaw"], confidence=0.6,
                 sentence="Families fled from Lviv to Warsaw."),
        ],
    ))  # fmt: skip
    assert len(store.events()) == 3 and len(store.events(min_confidence=0)) == 3
    firm = store.events(min_confidence=0.5)
    assert sorted(firm["confidence"]) == [0.6, 0.9]
    assert store.facets(min_confidence=0.5)["types"] == [("attack", 1), ("displacement", 1)]
    assert int(store.counts_by_country(min_confidence=0.7)["events"].sum()) == 1
    assert len(store.flows(min_confidence=0.5)) == 1 and len(store.flows(min_confidence=0.7)) == 0
    for bad in (1.5, -0.1, "high"):
        with pytest.raises(ValueError, match="min_confidence"):
            store.events(min_confidence=bad)
