"""The map page in a real browser: Debian's Chromium driven by Playwright, the app served by
`streamlit run` on a free port against a temporary store holding the sample articles.

Screenshots go to test-artifacts/. Without /usr/bin/chromium these tests skip, saying why (and
fail under DATELINE_REQUIRE_ALL=1, as in CI). bench/bench_browser.py reuses the helpers here.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


# -- helpers (bench/bench_browser.py uses them too) ----------------------------------------------


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}: `apt-get install chromium` (.ci/run installs it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -r requirements.txt)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(db_url: str, script: Path = REPO / "app.py", timeout: float = 90.0, env: dict | None = None) -> Iterator[str]:
    """`streamlit run SCRIPT` against `db_url` on a free port; yields the page URL."""
    from geo import assets

    assets.install()  # the app would do it on its first run; the browser must not race it
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    run_env = {**os.environ, "DATELINE_DB": db_url, **(env or {})}
    run_env.pop("DATELINE_ONLINE", None)
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"streamlit-{port}.log", "w")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(cmd, cwd=REPO, env=run_env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://localhost:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit did not answer on port {port} in {timeout:.0f} s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_for_map(page, previous: str | None = None, timeout: float = 60.0):
    """The map's frame once it has drawn a map other than `previous`, and that map's token.

    The map sets data-dl-ready on its <html> when its markers, flows and basemap are drawn; a
    filter change mounts a new iframe, so a new token means the new map is on screen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            handle = page.locator(MAP_IFRAME).element_handle(timeout=500)
            frame = handle.content_frame() if handle else None
            token = frame.evaluate("document.documentElement.getAttribute('data-dl-ready')") if frame else None
        except Exception:  # noqa: BLE001 - the iframe is being replaced; look again
            token = None
        if token and token != previous:
            return frame, token
        time.sleep(0.03)
    raise TimeoutError(f"no new map within {timeout:.0f} s")


def drawn(frame) -> dict[str, int]:
    """What the map shows, counted in its DOM."""
    return frame.evaluate(
        """() => ({
            markers: document.querySelectorAll('.dl-mk').length,
            clusters: document.querySelectorAll('.marker-cluster').length,
            flows: document.querySelectorAll('path.dl-flow').length,
            arrows: document.querySelectorAll('.dl-arrow').length,
            countries: document.querySelectorAll('.leaflet-dl-land-pane path').length,
            shaded: document.querySelectorAll('.leaflet-dl-shade-pane path').length,
            legend: document.querySelectorAll('.dl-legend .row').length,
        })"""
    )


class Traffic:
    """Every request the page (and its iframes) makes, those that failed, dialogs and errors."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.sent: list[str] = []  # websocket frames from the browser: reruns and widget changes
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("websocket", lambda ws: ws.on("framesent", lambda payload: self.sent.append(payload)))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def foreign(self) -> list[str]:
        return [u for u in self.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname not in LOCAL_HOSTS]

    def check_offline(self) -> None:
        assert self.foreign() == [], f"requests left the machine: {self.foreign()[:5]}"
        assert self.failed == [], f"requests failed: {self.failed[:5]}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"
        assert self.errors == [], f"JavaScript errors: {self.errors[:5]}"


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.evaluate("location.href")).query)


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
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


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
    assert any("<script>alert('x')</script>" in t for t in texts), "the title shows as text"
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
