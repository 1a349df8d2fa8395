"""The map page in a real browser: Debian's Chromium driven by Playwright, the app served by
`streamlit run` on a free port against a temporary store holding the sample articles.

Screenshots go to test-artifacts/. The helpers live in browser_support.py.
"""

from __future__ import annotations

import datetime as dt
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
    # Leaflet, its clustering plugin and our map script arrive as one bundled file, not three
    # requests in a row that each hold up the first draw.
    scripts = [u for u in page.traffic.requests if u.split("?")[0].endswith(".js") and "/app/static/" in u]
    assert any("/dateline/map-bundle.js" in u for u in scripts), scripts
    assert not any(u.split("?")[0].endswith(("/leaflet.js", "/map.js")) for u in scripts), scripts
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
    # A filter change draws a new map on the same page; border crossings on several continents
    # are not all in this view, so the map fits them, and the URL has the new view.
    page.get_by_role("combobox", name="Event types").click()
    page.keyboard.type("border cross")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    frame, _ = wait_for_map(page, token)
    assert frame.evaluate("window.__still_here === true"), "a filter change reloaded the map"
    assert frame.evaluate("map.getBounds().contains(L.latLngBounds(DL.bounds))"), "the map fits the new selection"
    page.wait_for_timeout(500)
    q = query_of(page)
    assert q["type"] == ["border_crossing"] and q["view"][0].split(",")[2] == str(frame.evaluate("map.getZoom()"))
    shot(page, "map-zoomed-filtered")
    page.traffic.check_offline()


def choose(page, box: str, typed: str) -> None:
    page.get_by_role("combobox", name=box).click()
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def test_a_shared_view_survives_a_filter_change_and_a_page_switch(page, app_url):
    view = "8.000,-66.000,5"  # Venezuela
    page.goto(app_url + "?view=" + view)
    frame, token = wait_for_map(page)
    frame.evaluate("window.__still_here = true")
    assert frame.evaluate("[Math.round(map.getCenter().lat), Math.round(map.getCenter().lng), map.getZoom()]") == [8, -66, 5]
    # Venezuela's events are in this view: the view stays, in the map and in the link.
    choose(page, "Countries", "Venezuela")
    frame, token = wait_for_map(page, token)
    page.wait_for_timeout(500)
    assert frame.evaluate("window.__still_here === true")
    assert frame.evaluate("map.getZoom()") == 5
    q = query_of(page)
    assert q["country"] == ["VE"] and q["view"] == [view]
    # To the Events page and back: the map opens where it was.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Events").click()
    page.get_by_role("heading", name="Events", exact=True).wait_for()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Map").click()
    frame, _ = wait_for_map(page)
    page.wait_for_timeout(500)
    assert frame.evaluate("[Math.round(map.getCenter().lat), Math.round(map.getCenter().lng), map.getZoom()]") == [8, -66, 5]
    assert query_of(page)["view"] == [view] and query_of(page)["country"] == ["VE"]
    # A selection outside the view: the map moves to it.
    page.get_by_role("button", name="Reset filters").click()
    frame, token = wait_for_map(page)
    choose(page, "Countries", "Ukraine")
    frame, _ = wait_for_map(page, token)
    page.wait_for_timeout(500)
    assert frame.evaluate("map.getBounds().contains(L.latLngBounds(DL.bounds))")
    # the link follows the map as it flies from Venezuela: read it once the flight has landed
    # (the reset took the view out of the link; the map writes it back when it comes to rest)
    lat = lon = None
    for _ in range(40):
        written = query_of(page).get("view")
        if written:
            lat, lon, _ = (float(x) for x in written[0].split(","))
            if 40 < lat < 60 and 15 < lon < 45:
                break
        page.wait_for_timeout(250)
    assert lat is not None, "the map wrote no view into the link after the selection"
    assert 40 < lat < 60 and 15 < lon < 45, f"the map shows Ukraine and the link says so ({lat}, {lon})"
    shot(page, "map-view-kept-then-fitted")
    page.traffic.check_offline()


def test_playback_runs_and_changes_the_drawn_markers(page, app_url, sample_url):
    from geo.store import Store

    with Store(sample_url) as store:
        dated = store.events(located=True)
        dated = dated[dated["date"].notna()]
    page.goto(app_url)
    frame, token = wait_for_map(page)
    everything = drawn(frame)["markers"]
    bar = frame.locator(".dl-play")
    assert bar.is_visible() and frame.locator(".dl-date").is_hidden()
    frame.locator(".dl-speed").select_option("4")
    frame.locator(".dl-go").click()  # play
    frame.wait_for_function("+document.documentElement.getAttribute('data-dl-frame') >= 10")
    frame.locator(".dl-go").click()  # pause
    state = frame.evaluate("DL.play.state()")
    assert state["active"] and not state["playing"] and 10 <= state["i"] < state["bins"] - 1
    page.wait_for_timeout(300)
    assert frame.evaluate("DL.play.state().i") == state["i"], "paused: the frame stays"
    label = frame.locator(".dl-date").inner_text()
    assert label.startswith("up to ")
    # Cumulative: every marker drawn has events up to the frame's month, and only those.
    first = dt.date.fromisoformat(frame.evaluate("DL.timebins.first"))
    month = first.year * 12 + first.month - 1 + state["i"]
    upto = dt.date(month // 12 + (month % 12 == 11), (month + 1) % 12 + 1, 1)  # the next month's first day
    early = dated[dated["date"].dt.date < upto]
    shown = drawn(frame)["markers"]
    assert shown == len(early.groupby(["lat", "lon", "type"])) < everything
    q = query_of(page)
    assert q["play"] == ["cumulative"] and q["at"][0].startswith(f"{(upto - dt.timedelta(days=1)).isoformat()[:7]}")
    shot(page, "map-playback-paused")
    # A window of 3 months at the same date: fewer markers again, and the label says which months.
    frame.locator(".dl-mode").select_option("window")
    windowed = drawn(frame)["markers"]
    assert windowed <= shown and " – " in frame.locator(".dl-date").inner_text()
    assert query_of(page)["play"] == ["window"] and query_of(page)["win"] == ["3"]
    # The link keeps the playback: a new tab opens on the same frame, paused.
    link = page.evaluate("location.href")
    other = page.context.new_page()
    other.goto(link)
    f2, _ = wait_for_map(other)
    f2.wait_for_function("document.documentElement.getAttribute('data-dl-frame') !== ''")
    assert f2.evaluate("DL.play.state()")["i"] == state["i"] and not f2.evaluate("DL.play.state().playing")
    assert drawn(f2)["markers"] == windowed
    other.close()
    # Stop: the whole selection again, and the URL forgets the playback.
    frame.locator(".dl-stop").click()
    assert drawn(frame)["markers"] == everything and frame.locator(".dl-date").is_hidden()
    page.wait_for_timeout(300)
    assert "play" not in query_of(page)
    # Played to the end, cumulative shows every dated event.
    frame.locator(".dl-mode").select_option("cumulative")
    frame.locator(".dl-speed").select_option("4")
    frame.locator(".dl-go").click()
    frame.wait_for_function("!DL.play.state().playing", timeout=60_000)
    assert drawn(frame)["markers"] == len(dated.groupby(["lat", "lon", "type"]))
    page.traffic.check_offline()


def test_walkthrough_fixes_a_browser_shows(page, app_url, browser):
    page.goto(app_url)
    frame, token = wait_for_map(page)
    # The page starts with its title, not 100 px of blank.
    title = page.get_by_role("heading", name="Map", exact=True)
    assert title.bounding_box()["y"] < 90
    # Enter takes the highlighted type, not "Select N matches".
    choose(page, "Event types", "diplomatic")
    frame, token = wait_for_map(page, token)
    assert len(query_of(page)["type"]) == 1 and query_of(page)["type"][0].startswith("diplomatic_")
    # Country-level and dateline-only markers are drawn apart, and the legend says how.
    assert frame.evaluate("document.querySelectorAll('.dl-mk.dl-area').length") > 0
    # Hovering a whole country's marker outlines the country.
    country = frame.evaluate("""() => { const j = DL.mk.D.rows.findIndex(r => r[11] === 2);
        DL.mk.list[j].fire('mouseover'); return DL.mk.D.rows[j][7]; }""")
    frame.wait_for_function("document.querySelectorAll('path.dl-outline').length === 1")
    assert frame.evaluate("DL._outline.getLayers()[0].feature.properties.iso_a2") == country
    legend = frame.locator(".dl-legend")
    frame.locator(".dl-legend summary").click()
    assert "as a whole" in legend.inner_text()
    # A narrow window folds the sidebar.
    narrow = browser.new_context(viewport={"width": 800, "height": 900}).new_page()
    narrow.goto(app_url)
    wait_for_map(narrow)
    narrow.wait_for_function("document.querySelector('[data-testid=\"stSidebar\"]').getAttribute('data-collapsed') === 'true'")
    shot(narrow, "map-800px")
    narrow.context.close()
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
