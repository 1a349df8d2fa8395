"""Correcting under Streamlit's AppTest on a real SQLite store: the Events page's forms and its
`?event=ID` link, the Corrections page's aliases and undo, and the app's notice when articles were
parsed by an older parser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.model import Place
from geo.store import Store

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 120
GEORGIA = Place(614540, "Georgia", "GE", "country", 42.0, 43.5, 3731000, "PCLI")


@pytest.fixture
def store(tmp_path, monkeypatch, make_doc, places):
    url = f"sqlite:///{tmp_path / 'pages.db'}"
    monkeypatch.setenv("DATELINE_DB", url)
    s = Store(url)
    s.add_document(make_doc("Police detained 12 people in Georgia. Talks in Kyiv failed.", title="Two events",
                            published=dt.date(2024, 3, 5), events=[
        dict(type="arrest", trigger="detained", date=dt.date(2024, 3, 4), location=GEORGIA),
        dict(type="diplomatic_meeting", trigger="Talks", date=dt.date(2024, 3, 4), location=places["Kyiv"]),
    ]))  # fmt: skip
    yield s
    s.close()


def ids(store: Store) -> dict[str, int]:
    ev = store.events()
    return {t: int(i) for t, i in zip(ev["type"], ev["id"])}


def events_page(query: dict) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages" / "2_Events.py"), default_timeout=TIMEOUT)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_a_link_opens_an_event_the_filters_leave_out_and_its_forms_correct_it(store):
    arrest = ids(store)["arrest"]
    at = events_page({"type": "diplomatic_meeting", "event": str(arrest)})
    assert not at.exception
    assert len(at.dataframe[0].value) == 1  # the table keeps the filter...
    assert any(h.proto.body.startswith("<h3>arrest · 2024-03-04") for h in at.html)  # ...the linked event shows
    assert at.expander[0].proto.expanded  # the forms are open: the link came to correct it

    at.selectbox(key=f"fix_type_{arrest}").set_value("attack")
    at.text_input(key=f"fix_type_{arrest}_note").set_value("a raid")
    at.run()  # a browser reruns on each change: the button is enabled once the type differs
    button(at, "Correct the type").click()
    at.run()
    assert not at.exception and any("Type corrected (#1)" in s.value for s in at.success)
    row = store.event(arrest)
    assert row["type"] == "attack" and "type was arrest" in row["correction"]
    assert store.corrections()["note"].tolist() == ["a raid"]
    assert any("The parser said: type was arrest (#1)" in h.proto.body for h in at.html)

    button(at, "Undo").click()
    at.run()
    assert store.event(arrest)["type"] == "arrest" and store.corrections()["state"].tolist() == ["undone"]


def test_a_place_from_the_gazetteer_made_an_alias_for_the_whole_store(store):
    arrest = ids(store)["arrest"]
    at = events_page({"event": str(arrest)})
    at.text_input(key=f"fix_place_{arrest}_q").set_value("Georgia")
    at.run()
    radio = at.radio(key=f"fix_place_{arrest}_pick")
    us = next(i for i, label in enumerate(radio.options) if "Georgia (Georgia, US" in label or ("US" in label and "admin1" in label))
    radio.set_value(us)
    at.radio(key=f"fix_place_{arrest}_scope").set_value("store")
    button(at, "Correct the place").click()
    at.run()
    assert not at.exception and any("Alias #1 added" in s.value for s in at.success)
    assert store.event(arrest)["country_code"] == "US"
    assert list(store.alias_places()) == ["georgia"]


def test_not_an_event_then_its_link_offers_the_undo(store):
    talks = ids(store)["diplomatic_meeting"]
    at = events_page({"event": str(talks)})
    button(at, "Mark as not an event").click()
    at.run()
    assert any("Marked not an event (#1)" in s.value for s in at.success)
    assert talks not in set(store.events()["id"])
    at = events_page({"event": str(talks)})
    assert any("marked not an event (correction #1)" in w.value for w in at.warning)
    button(at, "Undo").click()
    at.run()
    assert talks in set(store.events()["id"])


def test_a_link_to_an_event_that_does_not_exist_says_so(store):
    at = events_page({"event": "424242"})
    assert not at.exception and any("event 424242" in w.value for w in at.warning)


def test_the_corrections_page_lists_aliases_removes_them_and_undoes(store):
    arrest = ids(store)["arrest"]
    store.add_alias("Georgia", 4197000, note="US story")
    store.correct(arrest, date="2024-03")
    at = AppTest.from_file(str(REPO / "pages" / "4_Corrections.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert any("‘Georgia’" in m.value and "everywhere" in m.value and "Georgia (US)" in m.value for m in at.markdown)
    assert len(at.dataframe[0].value) == 2
    button(at, "Remove").click()
    at.run()
    assert any("Undid #1" in s.value for s in at.success) and store.alias_places() == {}
    assert store.event(arrest)["country_code"] == "GE"
    at.selectbox(key="undo_pick").set_value(2)
    button(at, "Undo").click()
    at.run()
    assert store.corrections()["state"].tolist() == ["undone", "undone"]


def test_the_app_says_when_articles_were_parsed_by_an_older_parser(store):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    assert not any("older version of the parser" in w.value for w in at.sidebar.warning)
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE articles SET parser_version = 'p-000000000000'"))
    st.cache_data.clear()  # as STATE_TTL seconds passing would: the app re-reads the store's state
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    assert any("1 of 1 articles were parsed by an older version of the parser" in w.value for w in at.sidebar.warning)
