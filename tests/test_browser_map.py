"""The map page in a real browser: Debian's Chromium driven by Playwright, the app served by
`streamlit run` on a free port against a temporary store holding the sample articles.

Screenshots go to test-artifacts/. The helpers live in browser_support.py.
"""

from __future__ import annotations

import sys

import pytest
from browser_support import (
    MAP_IFRAME,
    REPO,
    Traffic,
    browser_missing,
    chromium,
    drawn,
    query_of,
    serve_app,
    shot,
    wait_for_map,
)

# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory, pipeline):
    from test_app import ingest_samples

    return ingest_samples(tmp_path_factory.mktemp("browser"), pipeline)


@pytest.fixture(scope="module")
def app_url(sample_url):
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    with serve_app(sample_url) as url:
        yield url


@pytest.fixture(scope="module")
def browser(app_url):
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.traffic = Traffic(pg)
    yield pg
    context.close()


# -- tests ---------------------------------------------------------------------------------------


def test_the_map_draws_offline(page, app_url, sample_url):
    from geo.store import Store

    with Store(sample_url) as store:
        located = store.events(located=True)
        n_places_types = len(located.groupby(["lat", "lon", "type"]))
        n_routes = len(store.flows().groupby(["origin_lon", "origin_lat", "destination_lon", "destination_lat"]))
    page.goto(app_url)
    frame, _ = wait_for_map(page)
    page.wait_for_timeout(500)  # fonts and the legend settle before the screenshot
    seen = drawn(frame)
    shot(page, "map-default")
    assert seen["markers"] == n_places_types > 50  # one marker per place and type, none clustered
    assert seen["flows"] == seen["arrows"] == n_routes >= 3
    assert seen["countries"] > 150, "the offline basemap draws the country outlines"
    assert seen["shaded"] > 20 and seen["legend"] >= 10
    assert frame.evaluate("document.documentElement.getAttribute('data-dl-error')") is None
    assert frame.evaluate("L.Icon.Default.imagePath") == "/app/static/vendor/leaflet/images/"
    page.traffic.check_offline()
    assert any("/app/static/vendor/leaflet/leaflet.js" in u for u in page.traffic.requests)
    assert any("/app/static/vendor/countries.geojson" in u for u in page.traffic.requests)


def test_article_markup_never_runs(page, app_url):
    page.goto(app_url)
    frame, _ = wait_for_map(page)
    # Open every popup and tooltip the map has; an injected <img onerror> or <script> would run
    # the moment its popup's HTML is inserted.
    texts = frame.evaluate(
        """() => { const out = [];
            map.eachLayer(l => {
                if (l.getTooltip && l.getTooltip()) { l.openTooltip(); }
                if (l.getPopup && l.getPopup()) { l.openPopup(); out.push(l.getPopup().getElement().querySelector('.leaflet-popup-content').textContent); }
            });
            return out; }"""
    )
    page.wait_for_timeout(1000)  # an onerror handler fires asynchronously
    assert len(texts) > 50
    assert any("<script>alert('x')</script> {{ 7*7 }}" in t for t in texts), "the title shows as text, not run, not evaluated"
    for where in (frame, page):
        assert where.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
        assert where.evaluate("document.querySelectorAll('.leaflet-popup-content script, .leaflet-tooltip script').length") == 0
    # Leave the XSS article's popup open for the screenshot.
    frame.evaluate(
        """() => map.eachLayer(l => { if (l.getPopup && l.getPopup() && l.getTooltip && l.getTooltip()
                && String(l.getTooltip().getContent()).indexOf('Lagos') >= 0) { map.setView(l.getLatLng(), 5, {animate: false}); l.openPopup(); } })"""
    )
    page.wait_for_timeout(500)
    shot(page, "map-xss-popup")
    page.traffic.check_offline()


def test_changing_the_date_range_changes_the_map(page, app_url, browser):
    page.goto(app_url)
    frame, token = wait_for_map(page)
    before = drawn(frame)
    # The sidebar's date field: type the years, then leave the field to commit it.
    page.get_by_role("spinbutton", name="year, Dates start date").click()
    page.keyboard.type("2019")
    page.get_by_role("spinbutton", name="year, Dates end date").click()
    page.keyboard.type("2019")
    page.get_by_text("Filters", exact=True).click()
    frame, token2 = wait_for_map(page, token)
    after = drawn(frame)
    shot(page, "map-2019")
    assert 0 < after["markers"] < before["markers"]
    q = query_of(page)
    assert q["dates"][0].startswith("2019-") and q["dates"][1].startswith("2019-")
    # The URL reproduces the view in a fresh browser context.
    link = page.evaluate("location.href")
    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    other.goto(link)
    frame3, token3 = wait_for_map(other)
    assert token3 == token2 and drawn(frame3)["markers"] == after["markers"]
    other.context.close()
    page.traffic.check_offline()


def test_brushing_the_timeline_filters_the_map(page, app_url):
    page.goto(app_url)
    frame, token = wait_for_map(page)
    before = drawn(frame)
    chart = page.locator('[data-testid="stVegaLiteChart"]')
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    y = box["y"] + box["height"] * 0.45
    page.mouse.move(box["x"] + box["width"] * 0.70, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.80, y, steps=10)
    page.mouse.up()
    frame, _ = wait_for_map(page, token)
    after = drawn(frame)
    shot(page, "map-brushed")
    assert 0 < after["markers"] < before["markers"]
    assert "brush" in query_of(page)
    page.traffic.check_offline()


def test_pan_and_zoom_stay_in_the_browser(page, app_url):
    page.goto(app_url)
    frame, token = wait_for_map(page)
    frame.evaluate("window.__still_here = true")
    page.wait_for_timeout(500)
    sent = len(page.traffic.sent)
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.move(box["x"] + 500, box["y"] + 300)
    page.mouse.down()
    page.mouse.move(box["x"] + 350, box["y"] + 250, steps=8)
    page.mouse.up()
    frame.evaluate("map.setZoom(4)")
    page.wait_for_timeout(1500)
    assert len(page.traffic.sent) == sent, "panning or zooming sent something to the server"
    assert frame.evaluate("window.__still_here === true"), "the map was not redrawn"
    view = query_of(page)["view"][0].split(",")
    assert view[2] == "4"
    # A filter change draws a new map, which keeps the view the user chose.
    page.get_by_role("combobox", name="Event types").click()
    page.keyboard.type("border cross")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    frame, _ = wait_for_map(page, token)
    assert frame.evaluate("map.getZoom()") == 4
    assert query_of(page)["type"] == ["border_crossing"] and "view" in query_of(page)
    shot(page, "map-zoomed-filtered")
    page.traffic.check_offline()


@pytest.fixture(scope="module")
def dense_url(tmp_path_factory, app_url):
    """5,000 synthetic events at up to 2,000 places: enough to cluster (bench/bench_store.py)."""
    sys.path.insert(0, str(REPO / "bench"))
    from bench_store import build

    from geo.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('dense') / 'dense.db'}"
    with Store(url) as store:
        build(store, 5_000)
    with serve_app(url) as served:
        yield served, url


def test_a_dense_store_clusters(page, dense_url):
    from geo.store import Store

    url, db = dense_url
    with Store(db) as store:
        places = store.events(located=True).groupby(["lat", "lon"]).ngroups
    page.goto(url)
    frame, _ = wait_for_map(page)
    seen = drawn(frame)
    shot(page, "map-dense-clustered")
    assert int(frame.evaluate("document.documentElement.getAttribute('data-dl-markers')")) == places
    assert seen["clusters"] > 5 and seen["markers"] + seen["clusters"] < places
    shown = frame.evaluate("[...document.querySelectorAll('.marker-cluster span')].map(s => +s.textContent.replace(/,/g, ''))")
    assert 0 < sum(shown) <= 5_000  # cluster labels count events, not markers
    frame.evaluate("map.setView([20, 10], 9, {animate: false})")  # past the clustering zoom
    page.wait_for_timeout(800)
    assert drawn(frame)["clusters"] == 0
    page.traffic.check_offline()
