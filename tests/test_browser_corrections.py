"""Correcting in a real browser: Debian's Chromium driven by Playwright against `streamlit run
app.py` on a store of the bundled samples. A user follows a map popup's "Correct…" link, moves an
event to another place, sees it on the map and in the export, and undoes it; adds a store alias
and ingests an article the alias then places. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from browser_support import Traffic, browser_missing, chromium, serve_app, settle, shot, wait_for_map

TIMEOUT = 90_000  # ms: a loaded 2-CPU machine runs several of these suites at once
GEORGIA_GE, GEORGIA_US = 614540, 4197000

# In the map's frame: the marker whose popup describes event `id`, its popup opened; its point.
OPEN_POPUP = """(id) => {
  var found = null;
  DL.map.eachLayer(function (l) {
    if (found || !l.getPopup || !l.getPopup() || !l.getLatLng) return;
    var c = l.getPopup().getContent(), h = typeof c === "function" ? c(l) : c;
    if (String(h).indexOf("event=" + id + '"') >= 0) found = l;
  });
  if (!found) return null;
  found.openPopup();
  var p = found.getLatLng();
  return [p.lat, p.lng];
}"""


@pytest.fixture(scope="module")
def store(tmp_path_factory, pipeline):
    """A store of the samples of its own: these tests change it."""
    from test_app import ingest_samples

    from geo.store import Store

    with Store(ingest_samples(tmp_path_factory.mktemp("corrections"), pipeline)) as s:
        # an article whose "Georgia" the parser reads as the country, with the US state its
        # runner-up: the place a user corrects below
        text = "Police detained dozens of protesters in Georgia on Tuesday night after a rally against a bill on foreign agents."
        s.add_document(pipeline.parse(text, published=dt.date(2023, 3, 9), title="Detentions after a rally in Georgia"))
        yield s


@pytest.fixture(scope="module")
def base(store):
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    with serve_app(store.url) as url:
        yield url


@pytest.fixture(scope="module")
def browser(base):
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT)
    pg.traffic = Traffic(pg)
    yield pg
    context.close()


def go_to(page, name: str, heading: str | None = None) -> None:
    """Another page through the app's own navigation, as a user clicks it."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True).click()
    page.get_by_role("heading", name=heading or name, exact=True).first.wait_for()
    settle(page, TIMEOUT)


def export_geojson(page) -> dict:
    go_to(page, "Export")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download GeoJSON").click()
    return json.loads(Path(info.value.path()).read_bytes())


def feature(doc: dict, event_id: int) -> dict:
    return next(f for f in doc["features"] if f["properties"]["kind"] == "event" and f["properties"]["event_id"] == event_id)


def test_correct_a_place_from_a_popup_see_it_on_the_map_and_in_the_export_then_undo(page, base, store):
    ev = store.events(countries=["GE"])
    target = ev[(ev["geonameid"] == GEORGIA_GE) & (ev["place_text"] == "Georgia")].iloc[0]
    eid = int(target["id"])

    page.goto(base + "?country=GE", wait_until="domcontentloaded")
    frame, token = wait_for_map(page)
    at = frame.evaluate(OPEN_POPUP, eid)
    assert at == pytest.approx([42.0, 43.5], abs=0.5)  # the parser put it in the country
    link = frame.locator(f'.leaflet-popup a.dl-fix[href*="event={eid}"]')
    link.wait_for()
    shot(page, "correct-popup")
    link.click()

    page.wait_for_url(re.compile(rf"/Events\?.*event={eid}"))
    assert "country=GE" in page.url  # the selection came along
    page.get_by_text("Correct this event").wait_for()
    settle(page, TIMEOUT)
    page.locator("label").filter(has_text=re.compile(r"Georgia \(US.*runner-up")).first.click()
    page.get_by_role("textbox", name="Note (why)").first.fill("the story is about the US state")
    page.get_by_role("button", name="Correct the place").click()
    page.get_by_text(re.compile(r"Place corrected \(#\d+\)")).wait_for()
    page.get_by_text("✎ Corrected.").first.wait_for()
    shot(page, "correct-events")
    row = store.event(eid)
    assert (row["geonameid"], row["country_code"]) == (GEORGIA_US, "US")

    # the map: the event is in the US now, its popup says corrected and what the parser said
    page.goto(base, wait_until="domcontentloaded")
    frame, token = wait_for_map(page)
    at = frame.evaluate(OPEN_POPUP, eid)
    assert at == pytest.approx([32.75, -83.5], abs=0.5)
    popup = frame.locator(".leaflet-popup-content")
    popup.get_by_text("✎ corrected").wait_for()
    assert "The parser said: place was Georgia (GE)" in popup.inner_text()
    shot(page, "correct-map")

    f = feature(export_geojson(page), eid)
    assert f["properties"]["corrected"] is True and f["properties"]["country_code"] == "US"
    assert f["geometry"]["coordinates"] == pytest.approx([-83.5, 32.75], abs=0.5)
    assert "place was Georgia (GE)" in f["properties"]["correction"]

    # undo, from the Corrections page
    go_to(page, "Corrections")
    page.get_by_role("button", name="Undo", exact=True).click()
    page.get_by_text(re.compile(r"Undid #\d+")).wait_for()
    settle(page, TIMEOUT)
    shot(page, "correct-undone")
    page.goto(base, wait_until="domcontentloaded")
    frame, token = wait_for_map(page)
    assert frame.evaluate(OPEN_POPUP, eid) == pytest.approx([42.0, 43.5], abs=0.5)
    assert frame.locator(".leaflet-popup-content").get_by_text("✎ corrected").count() == 0
    f = feature(export_geojson(page), eid)
    assert f["properties"]["corrected"] is False and f["properties"]["country_code"] == "GE"
    page.traffic.check_offline()


def test_a_store_alias_places_a_newly_ingested_article(page, base, store):
    page.goto(base + "Corrections", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Corrections", exact=True).first.wait_for()
    settle(page, TIMEOUT)
    page.get_by_text("Add an alias").click()
    page.get_by_role("textbox", name="Name, as articles write it").fill("Georgia")
    search = page.get_by_role("textbox", name="Its place: search the gazetteer")
    search.fill("Georgia")
    search.press("Enter")
    page.locator("label").filter(has_text=f"GeoNames {GEORGIA_US}").first.click()
    page.get_by_role("button", name="Add the alias").click()
    page.get_by_text(re.compile(r"Alias #\d+ added")).wait_for()
    settle(page, TIMEOUT)
    assert store.alias_places()["georgia"].geonameid == GEORGIA_US
    shot(page, "alias-added")

    go_to(page, "Ingest", "Ingest articles")
    page.get_by_role("textbox", name="Title (optional)").fill("Arrests in Georgia")
    page.get_by_role("textbox", name="Article text").fill(
        "Police arrested 20 protesters in Georgia on Tuesday after clashes near the state capitol."
    )
    page.get_by_role("button", name="Parse", exact=True).click()
    page.get_by_text("1 stored", exact=False).first.wait_for()
    settle(page, TIMEOUT)
    shot(page, "alias-ingested")
    arts = store.articles()
    aid = int(arts.loc[arts["title"] == "Arrests in Georgia", "id"].iloc[0])
    ev = store.events()
    mine = ev[ev["article_id"] == aid]
    placed = mine[mine["place_text"] == "Georgia"].iloc[0]
    assert (placed["geonameid"], placed["country_code"]) == (GEORGIA_US, "US") and placed["corrected"]
    assert {m["geonameid"] for m in store.article(aid)["mentions"] if m["text"] == "Georgia"} == {GEORGIA_US}

    page.goto(base + f"Events?event={int(placed['id'])}", wait_until="domcontentloaded")
    said = page.locator("p").filter(has_text="✎ Corrected.").first
    said.wait_for()
    assert "place was Georgia (GE) (alias #" in said.inner_text()
    assert page.get_by_text("older version of the parser").count() == 0  # all parsed by this one
    page.traffic.check_offline()


def test_the_sidebar_says_when_articles_were_parsed_by_an_older_parser(page, base, store):
    import sqlalchemy as sa

    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE articles SET parser_version = 'p-000000000000' WHERE id <= 3"))
    eid = int(store.events().iloc[0]["id"])
    store.undo(store.correct(eid, type="protest"))  # moves the store's revision, which the app's caches key on
    notice = page.get_by_text(re.compile(r"3 of \d+ articles were parsed by an older version of the parser"))
    for _ in range(30):  # the app re-reads the store's state every STATE_TTL seconds
        page.goto(base, wait_until="domcontentloaded")
        wait_for_map(page)
        if notice.count():
            break
    notice.wait_for()
    assert "python -m geo reparse" in page.get_by_test_id("stSidebar").inner_text()
    shot(page, "older-parser-notice")
