"""What the real-browser tests and bench/bench_browser.py share: the app served by
`streamlit run app.py` on a free port, Debian's Chromium driven by Playwright, and what a page
requested and drew.

Without /usr/bin/chromium or the playwright package the browser tests skip, saying why (and fail
under DATELINE_REQUIRE_ALL=1, as in CI).
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

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
START_TIMEOUT = 90.0  # seconds for a new server to answer its health check


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
def serve_app(
    db_url: str, script: Path = APP, timeout: float = START_TIMEOUT, env: dict | None = None, cwd: Path = REPO
) -> Iterator[str]:
    """`streamlit run SCRIPT` against `db_url` on a free port, as `make run` starts it; yields
    the base URL (the map; other pages at base + their url_path). The log goes to ARTIFACTS.
    `cwd`: another checkout to serve (the benchmark's previous app)."""
    from geo.web import assets

    assets.install()  # the map page would do it on its first run; the browser must not race it
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    run_env = {**os.environ, "DATELINE_DB": db_url, **(env or {})}
    run_env.pop("DATELINE_ONLINE", None)
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"streamlit-{port}.log", "w")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(cmd, cwd=cwd, env=run_env, stdout=log, stderr=subprocess.STDOUT)
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
                raise TimeoutError(f"streamlit did not answer on port {port} in {timeout:.0f} s; see {log.name}")
            time.sleep(0.2)
        yield f"http://localhost:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextlib.contextmanager
def chromium():
    """Debian's Chromium under Playwright, with the flags the issue names; closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Traffic:
    """Every request a page (and its iframes) makes, those that failed, dialogs, script errors
    and the websocket frames it sent."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.sent: list[str] = []  # websocket frames from the browser: reruns and widget changes
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", self._failed)
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("websocket", lambda ws: ws.on("framesent", lambda payload: self.sent.append(payload)))

    def _failed(self, r) -> None:
        # Leaving a page aborts Streamlit's own pending health and host-config requests, and
        # a font of its own that was still loading: the page went away, nothing was missing.
        local = urlsplit(r.url).hostname in LOCAL_HOSTS
        if local and urlsplit(r.url).path.startswith(("/_stcore/", "/static/")) and "ABORTED" in (r.failure or ""):
            return
        self.failed.append(f"{r.url}: {r.failure}")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def foreign(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname not in LOCAL_HOSTS
        ]

    def check_offline(self) -> None:
        assert self.foreign() == [], f"requests left the machine: {self.foreign()[:5]}"
        assert self.failed == [], f"requests failed: {self.failed[:5]}"
        assert self.dialogs == [], f"a dialog opened (did script from an article run?): {self.dialogs}"
        assert self.errors == [], f"JavaScript errors: {self.errors[:5]}"


def settle(page, timeout_ms: int = 60_000) -> None:
    """Wait until the script run has finished (Streamlit shows a status widget while running)."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.evaluate("location.href")).query)


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
