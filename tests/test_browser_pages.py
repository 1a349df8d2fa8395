"""The Events and Export pages in a real browser: Debian's Chromium driven by Playwright against
`streamlit run` on a free port and a store of the bundled samples.

They check what AppTest cannot: the file a click on the download button really saves, a click on
a table row, filters written to the URL by the browser, that no request leaves the machine, and
that an article's `<script>` and `<img onerror>` stay text (no dialog, no element injected).
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_browser_map import CHROMIUM, CHROMIUM_ARGS, free_port  # one Chromium set-up for both

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples" / "articles.jsonl"
ARTIFACTS = REPO / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
PAGES = ("Ingest", "Events", "Export")
START_TIMEOUT = 90  # seconds for the server to answer its health check
PAGE_TIMEOUT = 60_000  # ms; the first page load parses nothing but opens the store and imports geo

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


class Server:
    """`streamlit run SCRIPT` in a child process on a free port, stopped by `close`."""

    def __init__(self, script: Path, db_url: str, log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DATELINE_DB": db_url, "PYTHONPATH": str(REPO)}
        self.log = log.open("wb")
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(script),
            "--server.port", str(self.port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}: see {log}")
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.close()
        raise RuntimeError(f"streamlit did not answer on {self.base} within {START_TIMEOUT} s: see {log}")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory, pipeline):
    from geo.ingest import ingest
    from geo.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'samples.db'}"
    store = Store(url)
    report = ingest([str(SAMPLES)], store, progress=False, pipeline=pipeline)
    assert report.failed == 0, report.summary()
    yield store
    store.close()


@pytest.fixture(scope="module")
def urls(sample_store, tmp_path_factory):
    """Page name -> URL. With app.py, one server and its page URLs; before app.py exists, each
    page file runs as an app of its own."""
    logs = tmp_path_factory.mktemp("streamlit-logs")
    servers: list[Server] = []
    try:
        if (REPO / "app.py").exists():
            server = Server(REPO / "app.py", sample_store.url, logs / "app.log")
            servers.append(server)
            out = {name: f"{server.base}/{name}" for name in PAGES}
        else:
            out = {}
            for name in PAGES:
                server = Server(next((REPO / "pages").glob(f"*_{name}.py")), sample_store.url, logs / f"{name}.log")
                servers.append(server)
                out[name] = server.base + "/"
        yield out
    finally:
        for s in servers:
            s.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watched:
    """A page that records dialogs, requests to other hosts and failed requests."""

    def __init__(self, browser):
        self.context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.page.set_default_timeout(PAGE_TIMEOUT)
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        self.failed: list[str] = []

        def on_dialog(d):
            self.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        def on_request(r):
            host = urlsplit(r.url).hostname
            if host and host not in LOCAL_HOSTS:
                self.foreign.append(r.url)

        def on_failed(r):
            # Streamlit aborts its own health/stream requests on navigation; only others count.
            if "/_stcore/" not in r.url:
                self.failed.append(f"{r.url}: {r.failure}")

        self.page.on("dialog", on_dialog)
        self.page.on("request", on_request)
        self.page.on("requestfailed", on_failed)

    def goto(self, url: str, heading: str):
        self.page.goto(url, wait_until="domcontentloaded")
        self.page.get_by_role("heading", name=heading, exact=True).first.wait_for()
        self.settle()

    def settle(self) -> None:
        """Wait until the script run has finished (Streamlit shows a status widget while running)."""
        self.page.wait_for_timeout(300)
        self.page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=PAGE_TIMEOUT
        )

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=True)

    def assert_clean(self) -> None:
        assert self.dialogs == [], f"a dialog opened: script from an article ran: {self.dialogs}"
        assert self.foreign == [], f"requests left the machine: {self.foreign[:5]}"
        assert self.failed == [], f"requests failed: {self.failed[:5]}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser):
    t = Watched(browser)
    yield t
    t.close()


def metric(tab: Watched, label: str) -> int:
    box = tab.page.get_by_test_id("stMetric").filter(has_text=label).first
    return int(box.get_by_test_id("stMetricValue").inner_text().replace(",", ""))


def selected(n: int) -> re.Pattern:
    """The count caption the pages share (app_state.counts_line)."""
    return re.compile(rf"^{n:,} of [\d,]+ events selected")


def test_export_page_downloads_valid_geojson(tab, urls, sample_store):
    from geojson_pydantic import FeatureCollection

    tab.goto(urls["Export"] + "?country=VE&country=CO", "Export")
    n_events, n_flows = metric(tab, "Events"), metric(tab, "Flows")
    assert n_events == sample_store.facets(countries=["VE", "CO"])["events"] > 0
    tab.shot("export-page.png")
    with tab.page.expect_download() as info:
        tab.page.get_by_role("button", name="Download GeoJSON").click()
    download = info.value
    assert download.suggested_filename == "dateline.geojson"
    data = Path(download.path()).read_bytes()
    fc = FeatureCollection.model_validate_json(data)
    kinds = [f.properties["kind"] for f in fc.features]
    assert kinds.count("event") == n_events and kinds.count("flow") == n_flows
    assert "crs" not in json.loads(data)
    tab.assert_clean()


def test_events_page_shows_article_markup_as_text(tab, urls, sample_store):
    arts = sample_store.articles()
    xss = int(arts.loc[arts["external_id"] == "sample-xss", "id"].iloc[0])
    events = sample_store.events()
    eid = int(events.loc[events["article_id"] == xss, "id"].iloc[0])

    tab.goto(urls["Events"] + f"?event={eid}", "Events")
    page = tab.page
    page.get_by_text("Evidence", exact=True).wait_for()
    page.get_by_text("Article text, places marked").click()
    tab.settle()
    tab.shot("events-xss.png")
    body = page.locator("body").inner_text()
    assert "<script>alert('x')</script>" in body  # the title, shown as text
    assert "<img src=x onerror=alert(1)>" in body  # the article text, shown as text
    injected = page.evaluate(
        """() => ({
            imgs: document.querySelectorAll('img[src="x"], [onerror]').length,
            scripts: [...document.scripts].filter(s => s.textContent.includes("alert(")).length,
        })"""
    )
    assert injected == {"imgs": 0, "scripts": 0}
    tab.assert_clean()


def test_events_page_row_click_and_filters_in_the_url(tab, urls, sample_store):
    page = tab.page
    tab.goto(urls["Events"] + "?type=border_crossing", "Events")
    n = sample_store.facets(types=["border_crossing"])["events"]
    page.get_by_text(selected(n)).first.wait_for()

    # Single-row selection: a click on the first row's marker cell selects it.
    grid = page.get_by_test_id("stDataFrame").first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    page.get_by_text("Evidence", exact=True).wait_for()
    tab.settle()
    first = sample_store.events(types=["border_crossing"]).iloc[0]
    assert f"event={first['id']}" in page.url
    assert page.locator("blockquote mark").first.inner_text() == first["place_text"]
    tab.shot("events-selected.png")

    text = page.get_by_role("textbox", name="Text", exact=True)
    text.fill("Colombia")
    text.press("Enter")
    m = sample_store.facets(types=["border_crossing"], text="Colombia")["events"]
    assert 0 < m < n
    page.get_by_text(selected(m)).first.wait_for()
    assert "q=Colombia" in page.url and "type=border_crossing" in page.url
    tab.assert_clean()


def test_ingest_page_preview_escapes_and_names_a_bad_file(tab, urls, sample_store):
    before = sample_store.counts()
    page = tab.page
    tab.goto(urls["Ingest"], "Ingest articles")
    page.get_by_text("Store the articles").click()  # preview: the shared sample store stays as it is
    page.get_by_role("textbox", name="Title (optional)").fill("Border <script>alert('t')</script> report")
    page.get_by_role("textbox", name="Article text").fill(
        "CUCUTA, Colombia -- Venezuelan soldiers blocked aid trucks on Saturday, officials said in Bogota. "
        "A post online carried <img src=x onerror=alert(1)> and <script>alert('x')</script> in its text."
    )
    page.get_by_role("button", name="Parse", exact=True).click()
    page.get_by_text("0 stored, 0 already stored, 1 previewed, 0 failed").wait_for()
    tab.settle()
    page.locator("mark").first.scroll_into_view_if_needed()  # Streamlit scrolls its own container
    tab.shot("ingest-preview.png")
    body = page.locator("body").inner_text()
    assert "Border <script>alert('t')</script> report" in body
    assert "<img src=x onerror=alert(1)>" in body
    assert page.locator("mark").filter(has_text="CUCUTA").count() == 1
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"], [onerror]').length") == 0

    page.get_by_role("tab", name="Upload files").click()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "broken.jsonl", "mimeType": "application/json", "buffer": b"{oops\n"}]
    )
    page.get_by_role("button", name="Parse files").click()
    page.get_by_text("broken.jsonl:1: not JSON", exact=False).wait_for()
    tab.shot("ingest-bad-upload.png")
    assert sample_store.counts() == before
    tab.assert_clean()
