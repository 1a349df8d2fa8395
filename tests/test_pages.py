"""The Ingest, Events and Export pages under Streamlit's AppTest, on real SQLite stores filled by
the real pipeline: filters change the tables and counts, query parameters round-trip, a selected
event shows its evidence, downloads hold valid GeoJSON, and article markup stays text."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import html
import io
import json
import re
from pathlib import Path

import pytest
import streamlit.testing.v1.app_test as app_test_module
from geojson_pydantic import FeatureCollection
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO / "pages"
SAMPLES = REPO / "data" / "samples" / "articles.jsonl"
TIMEOUT = 120  # the first run of a session loads spaCy and the gazetteer

ARTICLE = (
    "CUCUTA, Colombia -- Venezuelan soldiers blocked two aid trucks on the Tienditas bridge on Saturday, "
    "and 60 members of the security forces crossed into Colombia to ask for protection, officials said "
    "in Bogota. A statement posted online still carried <img src=x onerror=alert(1)> in its text."
)
TITLE = "Aid trucks stopped <script>alert('x')</script> at the border"


def page(name: str) -> AppTest:
    return AppTest.from_file(str(next(PAGES.glob(f"*_{name}.py"))), default_timeout=TIMEOUT)


def html_bodies(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.html]


def plain_texts(at: AppTest) -> list[str]:
    """Text shown through app_state.plain: escaped HTML holding only the text."""
    return [html.unescape(re.sub(r"<[^>]+>", "", b)) for b in html_bodies(at)]


def table_with(at: AppTest, column: str):
    """The first table with `column`: display-only tables carry no key AppTest can see."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a {column!r} column")


def assert_no_raw_markup(at: AppTest) -> None:
    """Article strings may reach the page only escaped: no live tag from an article anywhere."""
    for body in html_bodies(at):
        assert "<script" not in body.lower() and "<img" not in body.lower(), body
    for md in at.markdown:
        assert "<script" not in md.value.lower() and "onerror=" not in md.value.lower()


def _sqlite(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    url = _sqlite(tmp_path / "pages.db")
    monkeypatch.setenv("DATELINE_DB", url)
    return url


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory, pipeline):
    """A store holding the bundled sample articles, ingested once for the module's read-only tests."""
    from geo.store import Store
    from geo.store.ingest import ingest

    url = _sqlite(tmp_path_factory.mktemp("samples") / "samples.db")
    with Store(url) as store:
        report = ingest([str(SAMPLES)], store, progress=False, pipeline=pipeline)
    assert report.failed == 0 and report.stored >= 40, report.summary()
    return url


@pytest.fixture
def samples(sample_url, monkeypatch):
    from geo.store import Store

    monkeypatch.setenv("DATELINE_DB", sample_url)
    store = Store(sample_url)
    yield store
    store.close()


# -- Ingest ------------------------------------------------------------------------------------


def paste(at: AppTest, text: str, title: str = "", published: dt.date | None = None) -> AppTest:
    at.text_area(key="paste_text").input(text)
    at.text_input(key="paste_title").input(title)
    if published:
        at.date_input(key="paste_published").set_value(published)
    return at.button(key="paste_go").click().run()


def test_ingest_paste_shows_mentions_events_and_stores(empty_db):
    from geo.store import Store

    at = page("Ingest").run()
    assert not at.exception
    paste(at, ARTICLE, TITLE, dt.date(2019, 2, 24))
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["1 stored, 0 already stored, 0 previewed, 0 failed"]

    bodies = html_bodies(at)
    assert any("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in b for b in bodies)  # the title, as text
    text_html = next(b for b in bodies if "<mark" in b)
    assert "&lt;img src=x onerror=alert(1)&gt;" in text_html
    assert re.search(r"<mark [^>]*>CUCUTA<sup>1</sup></mark>", text_html)
    assert_no_raw_markup(at)

    mentions = table_with(at, "mention")
    cucuta = mentions[mentions["mention"] == "CUCUTA"].iloc[0]
    assert cucuta["place"].startswith("Cúcuta") and cucuta["reason"]
    assert "Bogota" in set(mentions["mention"])
    assert mentions["candidates"].notna().any()  # runners-up shown for ambiguous names

    events = table_with(at, "trigger")
    assert len(events) >= 1 and events["type"].notna().all()
    assert (events["date"].astype(str) == "2019-02-23").any()  # 'on Saturday' before Sunday 24 February

    with Store(empty_db) as store:
        stored = store.articles()
        assert list(stored["title"]) == [TITLE]
        assert store.counts()["events"] == len(events)

    # The same text again is recognised, not stored twice.
    paste(at, ARTICLE, TITLE)
    assert [s.value for s in at.success] == ["0 stored, 1 already stored, 0 previewed, 0 failed"]
    with Store(empty_db) as store:
        assert store.counts()["articles"] == 1


def test_ingest_preview_leaves_the_store_alone(empty_db):
    from geo.store import Store

    at = page("Ingest").run()
    at.checkbox(key="store_articles").uncheck()
    paste(at, ARTICLE)
    assert not at.exception
    assert [s.value for s in at.success] == ["0 stored, 0 already stored, 1 previewed, 0 failed"]
    assert len(table_with(at, "mention")) >= 3
    with Store(empty_db) as store:
        assert store.counts()["articles"] == 0


def test_ingest_empty_paste_asks_for_text(empty_db):
    at = page("Ingest").run()
    paste(at, "   ")
    assert not at.exception
    assert [w.value for w in at.warning] == ["Paste some article text first."]


def test_ingest_bad_uploads_are_named_and_nothing_stored_is_lost(empty_db):
    from geo.store import Store

    at = page("Ingest").run()
    paste(at, ARTICLE, TITLE)
    assert at.success[0].value.startswith("1 stored")

    good = {"id": "u1", "title": "Ferry crossing", "published": "2015-09-01",
            "text": "Thousands of refugees crossed from Turkey to Lesbos on Monday, Greek officials said in Athens."}  # fmt: skip
    jsonl = "\n".join([json.dumps(good), "{not json", json.dumps({"title": "no body"}), ""]).encode()
    at.file_uploader(key="upload_files").set_value(
        [
            ("batch.jsonl", jsonl, "application/json"),
            ("scan.txt", b"\x00\x01\x02PK binary", "text/plain"),
            ("empty.csv", b"id,title,text\n", "text/csv"),
        ]
    )
    at.run()
    at.button(key="upload_go").click().run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == ["1 stored, 0 already stored, 0 previewed, 4 failed"]
    errors = plain_texts(at)
    assert any(e.startswith("batch.jsonl:2: not JSON") for e in errors), errors
    assert "batch.jsonl:3: no 'text' field" in errors
    assert "scan.txt: binary file (contains NUL bytes), not text" in errors
    assert "empty.csv: CSV has a header but no rows" in errors
    assert any("<h3>Ferry crossing" in b for b in html_bodies(at))  # the good article is shown

    with Store(empty_db) as store:
        titles = set(store.articles()["title"])
        assert titles == {TITLE, "Ferry crossing"}  # the pasted article is still there
        logged = store.errors()
        assert set(logged["source"]) == {"batch.jsonl", "scan.txt", "empty.csv"}


# -- Events ------------------------------------------------------------------------------------


def caption_count(at: AppTest) -> int:
    for c in at.caption:
        m = re.match(r"([\d,]+) of [\d,]+ events selected", c.value)
        if m:
            return int(m.group(1).replace(",", ""))
    raise AssertionError([c.value for c in at.caption])


def test_events_table_follows_the_filters(samples):
    at = page("Events").run()
    assert not at.exception
    total = samples.facets()["events"]
    assert caption_count(at) == total and len(at.dataframe(key="events_table").value) == total

    at.multiselect(key="f_types").select("border_crossing").run()
    assert at.query_params["type"] == "border_crossing"  # the URL follows the sidebar
    table = at.dataframe(key="events_table").value
    n = samples.facets(types=["border_crossing"])["events"]
    assert 0 < n < total and len(table) == n == caption_count(at)
    assert set(table["type"]) == {"border crossing"}  # the legend's label, not the code
    rows = samples.events(types=["border_crossing"])
    assert list(table["evidence"]) == list(rows["sentence"]) and list(table["confidence"]) == list(rows["confidence"])
    moved = rows["destination_name"].notna()
    assert moved.any() and all(r.endswith("→ " + d) for r, d in zip(table["route"][moved], rows["destination_name"][moved]))

    at.date_input(key="f_dates").set_value((dt.date(2019, 1, 1), dt.date(2019, 12, 31))).run()
    table = at.dataframe(key="events_table").value
    n2 = samples.facets(types=["border_crossing"], start="2019-01-01", end="2019-12-31")["events"]
    assert 0 < n2 < n and len(table) == n2
    assert table["date"].map(lambda d: d.startswith("2019")).all()  # dates as text, as precisely as known

    at.text_input(key="f_text").input("Colombia").run()
    assert len(at.dataframe(key="events_table").value) == samples.facets(
        types=["border_crossing"], start="2019-01-01", end="2019-12-31", text="Colombia"
    )["events"]


def test_events_query_parameters_round_trip(samples):
    at = page("Events")
    query = {"type": ["border_crossing", "displacement"], "country": "CO", "dates": ["2019-01-01", "2019-12-31"]}
    at.query_params.update(query)
    at.run()
    assert not at.exception
    assert at.multiselect(key="f_types").value == ["border_crossing", "displacement"]
    assert at.multiselect(key="f_countries").value == ["CO"]
    assert at.date_input(key="f_dates").value == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    kwargs = {"types": ["border_crossing", "displacement"], "countries": ["CO"], "start": "2019-01-01", "end": "2019-12-31"}
    expected = samples.facets(**kwargs)["events"]
    assert expected > 0 and caption_count(at) == expected
    assert at.query_params == query  # the page leaves the URL as it found it

    # The map page's timeline brush narrows the dates further.
    at = page("Events")
    at.query_params.update(query, brush="2019-02-20..2019-02-28")
    at.run()
    narrowed = samples.facets(**{**kwargs, "start": "2019-02-20", "end": "2019-02-28"})["events"]
    assert 0 < narrowed < expected and caption_count(at) == narrowed


def test_events_malformed_query_values(samples):
    at = page("Events")
    at.query_params.update(dates=["2019-13-45", "soon"], brush="yesterday")
    at.run()
    assert not at.exception
    assert caption_count(at) == samples.facets()["events"]  # unreadable dates select everything

    # An unknown type is ignored, and the sidebar says so, rather than selecting nothing.
    at = page("Events")
    at.query_params["type"] = "no_such_type"
    at.run()
    assert not at.exception
    assert caption_count(at) == samples.facets()["events"]
    assert [w.value for w in at.sidebar.warning] == ["Parts of the link were ignored:"]
    assert "type: 'no_such_type' unknown" in plain_texts(at)


def select_row(at: AppTest, row: int) -> AppTest:
    at.session_state["events_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return at.run()


def test_selecting_an_event_shows_its_evidence_and_places(samples):
    at = page("Events")
    at.query_params["type"] = "border_crossing"
    at.run()
    table = at.dataframe(key="events_table").value
    events = samples.events(types=["border_crossing"])
    i = next(k for k in range(len(events)) if events.iloc[k]["place_text"] and events.iloc[k]["destination_name"])
    select_row(at, i)
    assert not at.exception, at.exception
    ev = events.iloc[i]
    assert table.iloc[i]["place"] == ev["place_name"]
    assert at.query_params["event"] == str(ev["id"])

    bodies = html_bodies(at)
    evidence = next(b for b in bodies if b.startswith("<blockquote"))
    assert f"<mark>{html.escape(ev['place_text'])}</mark>" in evidence
    plain = html.unescape(re.sub(r"<[^>]+>", "", evidence))
    assert plain == " ".join(ev["sentence"].split())  # the whole sentence, nothing dropped or added
    assert any(f"<h3>{ev['type'].replace('_', ' ')} · " in b and "precision" in b for b in bodies)
    assert any(f'href="{ev["article_url"]}"' in b for b in bodies)

    places = table_with(at, "role")
    assert ev["destination_name"] in set(places["place"])
    assert places["why this reading of the name"].notna().any()
    facts = dict(zip(*table_with(at, "value").T.values))
    assert facts["date precision"] == ev["date_precision"]

    # The URL names the event: opening it shows the same event.
    again = page("Events")
    again.query_params.update(type="border_crossing", event=str(ev["id"]))
    again.run()
    assert any(b.startswith("<blockquote") and ev["place_text"] in b for b in html_bodies(again))


def test_events_page_keeps_article_markup_as_text(samples):
    arts = samples.articles()
    xss = int(arts.loc[arts["external_id"] == "sample-xss", "id"].iloc[0])
    events = samples.events()
    eid = int(events.loc[events["article_id"] == xss, "id"].iloc[0])
    at = page("Events")
    at.query_params["event"] = str(eid)
    at.run()
    assert not at.exception
    bodies = "\n".join(html_bodies(at))
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in bodies  # title, in the link and the text
    assert "&lt;img src=x onerror=alert(1)&gt;" in bodies  # article text
    assert_no_raw_markup(at)
    titles = at.dataframe(key="events_table").value["article"]
    assert titles.str.contains("<script>alert('x')</script>", regex=False).any()  # table cells: plain text


def test_events_page_on_an_empty_store(empty_db):
    at = page("Events").run()
    assert not at.exception
    assert [i.value for i in at.info] == ["No events stored yet: ingest some articles."]


# -- Export ------------------------------------------------------------------------------------


@pytest.fixture
def downloads(monkeypatch):
    """What download buttons served. AppTest drops its media store after each run; this one is kept."""
    kept: list[MemoryMediaFileStorage] = []

    class Keeping(MemoryMediaFileStorage):
        def __init__(self, endpoint):
            super().__init__(endpoint)
            kept.append(self)

        def delete_file(self, file_id):
            pass

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Keeping)

    def get(at: AppTest, key: str) -> bytes:
        button = next(b for b in at.get("download_button") if b.key == key)
        file = button.proto.url.rsplit("/", 1)[1]
        for storage in reversed(kept):
            with contextlib.suppress(MediaFileStorageError):  # not in this run's storage
                return storage.get_file(file).content
        raise AssertionError(f"no file behind {button.proto.url}")

    return get


def metric(at: AppTest, label: str) -> int:
    return int(next(m.value for m in at.metric if m.label.startswith(label)).replace(",", ""))


def test_export_downloads_match_the_filter(samples, downloads):
    at = page("Export")
    at.query_params.update(country=["VE", "CO"], dates=["2019-01-01", "2019-12-31"])
    at.run()
    assert not at.exception, at.exception
    n_events, n_flows = metric(at, "Events"), metric(at, "Flows")
    assert n_events == samples.facets(countries=["VE", "CO"], start="2019-01-01", end="2019-12-31")["events"]
    assert 0 < n_events < samples.facets()["events"] and n_flows > 0

    data = downloads(at, "download_geojson")
    fc = FeatureCollection.model_validate_json(data)
    kinds = [f.properties["kind"] for f in fc.features]
    assert kinds.count("event") == n_events and kinds.count("flow") == n_flows
    assert all(f.properties["country_code"] in ("VE", "CO") for f in fc.features if f.properties["kind"] == "event")
    assert all("2019-01-01" <= f.properties["date"] <= "2019-12-31" for f in fc.features)
    assert "crs" not in json.loads(data)  # RFC 7946: WGS 84 only, no crs member
    assert any(c.value.endswith(f"{len(data) / 1000:,.1f} kB") for c in at.caption)

    rows = list(csv.DictReader(io.StringIO(downloads(at, "download_csv").decode("utf-8"))))
    assert len(rows) == n_events
    assert downloads(at, "download_gpkg")[:16] == b"SQLite format 3\x00"


def test_export_of_everything_and_of_nothing(samples, downloads):
    at = page("Export").run()
    assert not at.exception
    fc = FeatureCollection.model_validate_json(downloads(at, "download_geojson"))
    assert sum(f.properties["kind"] == "event" for f in fc.features) == samples.facets()["events"] == metric(at, "Events")

    at = page("Export")
    at.query_params["q"] = "zzzznothing"
    at.run()
    assert metric(at, "Events") == 0
    assert [i.value for i in at.info] == ["No events match these filters: the files would be empty."]
    assert all(b.proto.disabled for b in at.get("download_button"))
