"""Browser benchmark of the map page: prints Markdown tables, asserts nothing.

    python bench/bench_browser.py                     # 100,000 and 1,000,000 events, beside main
    python bench/bench_browser.py --events 1000 10000 --plain-max 10000 --baseline none
    python bench/bench_browser.py --baseline 719bddb --runs 3

For each store size, a synthetic store (bench/bench_store.py's generator: 2,000 places, 2% of
events with a flow) is served by `streamlit run app.py`, and Debian's Chromium measures:
  - server just started: navigation to the map drawn (markers, flows and basemap on screen),
    the first page after `streamlit run`;
  - new visitor: the same with the server running and the browser cache empty, the median of
    NEW_VISITORS visits (the issue's "time from navigation to map drawn");
  - payload: bytes one more new visitor received, HTTP bodies as sent (encoded) plus websocket
    messages;
  - repeat load: the same in a new tab, browser and query caches warm;
  - filter change: choosing one event type in the sidebar until the new map is drawn (a query
    the app has not cached yet);
  - playback (this app): frames per second while the map plays the selection through time at
    its top speed (cumulative, then a 3-bin window), from the first frame to the last, and the
    wait from pressing play to the first frame (the page fetches the series on the first play);
  - a date step: the last day of the date filter moved (one rerun per step), which is what
    playing through time costs an app without playback.
The previous app (--baseline, a git revision: the code before playback) is served from a
checkout of that revision beside this one, on the same stores, in the same run, for the ratio
(when this branch only added columns to the store since, on a copy stamped with its older
schema version, which it reads as it would its own).
Dateline's times are the page's own: the map stamps the moment it is drawn (data-dl-at), counted
from the page's navigation start or from the moment the widget's message left the page. Each
server gets a fresh browser.
The plain approach, one folium Marker with a popup per event (what a first folium app does),
is measured in the same run on the same stores up to --plain-max events, for the ratio.
Targets (issue 5) at 100,000 events: new visitor <= 3 s, payload <= 5 MB, filter change <= 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE), str(REPO / "tests")]

from bench_store import build
from browser_support import (
    MAP_IFRAME,
    browser_missing,
    chromium,
    drawn,
    serve_app,
    wait_for_map,
)

from geo.store import Store

# The plain approach, as a first folium + streamlit-folium app would write it, with only the
# asset URLs pointed at the app so that it too runs offline.
PLAIN_APP = '''
import html
import folium
import streamlit as st
from streamlit_folium import st_folium
from geo.web import assets
from geo import settings
from geo.store import Store

assets.use_local_assets()
store = Store(settings.db_url())
types = st.multiselect("Event types", sorted(t for t, _ in store.facets()["types"]), key="f_types")
events = store.events(types=types or None, located=True)
m = folium.Map(location=[20, 10], zoom_start=2, tiles=None)
for e in events.itertuples():
    text = html.escape(f"{e.type} {e.date:%Y-%m-%d} {e.place_name}: {e.sentence} ({e.article_title})")
    folium.Marker([e.lat, e.lon], popup=folium.Popup(text, max_width=300), tooltip=html.escape(str(e.place_name))).add_to(m)
st_folium(m, height=600, use_container_width=True, returned_objects=[])
'''

# Served like app.py (the same compression in front of Streamlit), so the ratio compares the
# two maps, not servers.
PLAIN_ENTRY = '''
import streamlit as st
from geo.web.static_gzip import compression

app = st.App("plain_app.py", middleware=compression(immutable=["/static/"]))
'''


NEW_VISITORS = 3
PLAY_PASSES = 3


class Meter:
    """Bytes a page receives: HTTP bodies as transferred, and websocket messages. Streamlit's
    own frontend (/static/: about 4 MB, 1.2 MB gzip-compressed, whatever the app draws) is
    counted apart from what this app sends (websocket, /app/static/, the map component)."""

    def __init__(self, page):
        self.http = 0
        self.streamlit = 0
        self.ws = 0
        page.on("requestfinished", self._finished)
        page.on("websocket", self._socket)

    def _socket(self, ws) -> None:
        ws.on("framereceived", self._frame)

    def _finished(self, request) -> None:
        try:
            size = max(0, request.sizes()["responseBodySize"])
        except Exception:  # noqa: BLE001 - a request torn down with its iframe has no sizes
            return
        self.http += size
        if urlsplit(request.url).path.startswith("/static/"):
            self.streamlit += size

    def _frame(self, payload) -> None:
        self.ws += len(payload.encode() if isinstance(payload, str) else payload)

    @property
    def total(self) -> int:
        return self.http + self.ws


def plain_ready(page, expected: int, timeout: float = 600.0, previous=None):
    """The plain map is drawn when every one of its markers is in the DOM."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            handle = page.locator(MAP_IFRAME).element_handle(timeout=500)
            frame = handle.content_frame() if handle else None
            n = frame.evaluate("document.querySelectorAll('.leaflet-marker-icon').length") if frame else 0
        except Exception:  # noqa: BLE001 - the iframe is being replaced
            frame, n = None, 0
        if frame is not None and n >= expected and frame != previous:
            return frame, n
        time.sleep(0.05)
    raise TimeoutError(f"plain map not drawn in {timeout:.0f} s")


def choose_type(page, name: str) -> None:
    page.get_by_role("combobox", name="Event types").click()
    page.keyboard.type(name.replace("_", " "))
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


# Streamlit's websocket is the page's only one; each message it sends is stamped in the page, so a
# filter change is timed from the moment the widget's value left the browser.
STAMP_SENDS = """(() => {
  const send = WebSocket.prototype.send; window.__dlSent = [];
  WebSocket.prototype.send = function (d) { window.__dlSent.push(Date.now()); return send.call(this, d); };
})();"""


def sent_since(page, t0: float) -> float:
    """When (time.time() scale) the page first sent a message after t0: a widget committed its value."""
    return page.evaluate("t => window.__dlSent.find(x => x >= t)", t0 * 1000) / 1000


def drawn_at(frame) -> float:
    """When the map reported itself drawn (time.time() scale): DL.check's timestamp."""
    return float(frame.evaluate("document.documentElement.getAttribute('data-dl-at')")) / 1000


# One pass of the playback at the page's top speed: frames rendered from the first to the last,
# each drawn in its own animation frame (so the time includes layout and paint).
PLAY_PASS = """async ([mode, win]) => {
  await DL.play.load();  // the selection's series, fetched once (timed apart: FIRST_FRAME)
  DL.play.stop(); DL.play.set('mode', mode); DL.play.set('win', win); DL.play.set('speed', 100);
  const f0 = DL.play.state().frames, t0 = performance.now();
  DL.play.play();
  while (DL.play.state().playing) await new Promise(r => setTimeout(r, 10));
  const s = DL.play.state(), t1 = performance.now();
  return {frames: s.frames - f0, ms: t1 - t0, bins: s.bins};
}"""


# Play pressed on a selection whose series the page has not fetched yet, until its first frame is
# drawn: the request for the series (map_data.play_series, through series_route.py) and the frame.
FIRST_FRAME = """async () => {
  DL.play.stop();
  const f0 = DL.play.state().frames, t0 = performance.now();
  DL.play.play();
  while (!(DL.play.state().active && DL.play.state().frames > f0)) await new Promise(r => setTimeout(r, 5));
  const ms = performance.now() - t0;
  DL.play.stop();
  return ms;
}"""


def playback_fps(frame, mode: str, win: int = 3) -> tuple[float, int]:
    """Median frames per second over PLAY_PASSES passes, and the frames in a pass."""
    rates, bins = [], 0
    for _ in range(PLAY_PASSES):
        r = frame.evaluate(PLAY_PASS, [mode, win])
        bins = r["bins"]
        rates.append(r["frames"] / (r["ms"] / 1000))
    frame.evaluate("DL.play.stop()")
    return statistics.median(rates), bins


def date_steps(page, years: tuple[int, ...], token) -> float:
    """Median time of moving the date filter's last year (one rerun each), widget message to map drawn."""
    times = []
    for y in years:
        t0 = time.time()
        page.get_by_role("spinbutton", name="year, Dates end date").click()
        page.keyboard.type(str(y))
        page.get_by_text("Filters", exact=True).click()
        f, token = wait_for_map(page, token, timeout=600)
        times.append(drawn_at(f) - sent_since(page, t0))
    return statistics.median(times)


def load(browser, url: str, plain: bool, expected: int, meter: bool = False):
    """A page in a new browser context (empty HTTP cache), timed from navigation to the map
    drawn. Dateline's map stamps the moment it is drawn, so the time is the page's own
    (navigation start is performance.timeOrigin); the plain map has no such hook and is timed
    by polling its markers. Only a metered load counts bytes: Playwright's per-request
    events would otherwise take CPU from the page being timed."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(600_000)
    page.add_init_script(STAMP_SENDS)
    m = Meter(page) if meter else None
    t0 = time.perf_counter()
    page.goto(url)
    if plain:
        frame, token = plain_ready(page, expected)
        took = time.perf_counter() - t0
    else:
        frame, token = wait_for_map(page, timeout=600)
        took = drawn_at(frame) - page.evaluate("performance.timeOrigin") / 1000
    return ctx, page, m, frame, token, took


def measure(browser, url: str, plain: bool, expected: int, pick: tuple[str, int], play: bool = False, years=()) -> dict:
    out: dict = {}
    # First visit: the server has just started (imports, store, queries all cold).
    ctx, page, meter, frame, token, out["cold"] = load(browser, url, plain, expected)
    ctx.close()
    if not plain:
        # A selection nobody has asked for yet warms the server but not the default view's queries.
        ctx, *_ = load(browser, url + "?q=warmup-selects-nothing", plain, 0)
        ctx.close()
    # New visitors: server running, browser cache empty (plain: it caches nothing). One load
    # on this 2-CPU machine varies by some 0.4 s, so the median of NEW_VISITORS loads is given.
    firsts = []
    for _ in range(NEW_VISITORS):
        c, *_, t = load(browser, url, plain, expected)
        firsts.append(t)
        c.close()
    out["first"] = statistics.median(firsts)
    # One more new visitor, metered: its payload, then its tab for the repeat and filter timings.
    ctx, page, meter, frame, token, _ = load(browser, url, plain, expected, meter=True)
    page.wait_for_timeout(1000)  # late requests (basemap revalidation, fonts) count as payload
    out["payload"] = meter.total
    out["app"] = meter.total - meter.streamlit
    out["ws"] = meter.ws
    if plain:
        out["dom"] = token
    else:
        seen = drawn(frame)
        out["dom"] = seen["markers"] + seen["clusters"]

    repeat = []
    for _ in range(2):
        p2 = ctx.new_page()
        t0 = time.perf_counter()
        p2.goto(url)
        if plain:
            plain_ready(p2, expected)
            repeat.append(time.perf_counter() - t0)
        else:
            f2, _ = wait_for_map(p2, timeout=600)
            repeat.append(drawn_at(f2) - p2.evaluate("performance.timeOrigin") / 1000)
        p2.close()
    out["repeat"] = statistics.median(repeat)

    # Timed from the widget's message to the server, not from the first keystroke: typing in the
    # box is the user's time, not the page's.
    t0 = time.time()
    choose_type(page, pick[0])
    if plain:
        plain_ready(page, pick[1], previous=frame)
        # The old map is replaced by one with fewer markers: wait until the count is exact.
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            f = page.locator(MAP_IFRAME).element_handle().content_frame()
            if f.evaluate("document.querySelectorAll('.leaflet-marker-icon').length") == pick[1]:
                break
            time.sleep(0.05)
        out["filter"] = time.time() - sent_since(page, t0)
    else:
        f2, picked = wait_for_map(page, token, timeout=600)
        out["filter"] = drawn_at(f2) - sent_since(page, t0)
        # Back to every type: a selection the app has cached, so what is left is the page's share.
        t0 = time.time()
        page.get_by_role("combobox", name="Event types").click()
        page.keyboard.press("Backspace")
        page.keyboard.press("Escape")
        f3, back = wait_for_map(page, picked, timeout=600)
        out["cached"] = drawn_at(f3) - sent_since(page, t0)
        if play:
            out["first_frame"] = f3.evaluate(FIRST_FRAME) / 1000
            out["fps"], out["bins"] = playback_fps(f3, "cumulative")
            out["fps_window"], _ = playback_fps(f3, "window", 3)
        if years:
            out["step"] = date_steps(page, years, back)
    ctx.close()
    return out


def previous_app(rev: str, into: Path) -> Path:
    """A checkout of `rev` (its tracked files) with Leaflet & co. installed, to serve beside this one."""
    import subprocess

    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    subprocess.run([sys.executable, "-c", "from geo.web import assets; assets.install()"], cwd=into, check=True)
    return into


_COLUMNS = (
    "import json, re; from geo.store.schema import build_tables, SCHEMA_VERSION; "
    "print(json.dumps([SCHEMA_VERSION, {n: sorted(c.name for c in t.columns) for n, t in build_tables(False)[1].items()}]))"
)


def schema_of(code: Path) -> tuple[int, dict[str, list[str]]]:
    """The store schema version and tables' columns of the code at `code`."""
    import json
    import subprocess

    out = subprocess.run([sys.executable, "-c", _COLUMNS], cwd=code, check=True, capture_output=True, text=True).stdout
    version, tables = json.loads(out)
    return version, tables


def store_for_previous(db: Path, prev: Path) -> Path:
    """The store the previous app reads: `db` itself, or, when this branch's schema is newer, a copy
    stamped with the older version. Only when every table and column the older code knows is
    still there (columns added since are ignored by it); otherwise a clear error, not a page that
    waits for a map the older app refuses to draw."""
    import sqlite3

    ours, our_tables = schema_of(REPO)
    theirs, their_tables = schema_of(prev)
    if theirs >= ours:
        return db
    gone = {t: sorted(set(cols) - set(our_tables.get(t, []))) for t, cols in their_tables.items()}
    gone = {t: c for t, c in gone.items() if c or t not in our_tables}
    if gone:
        raise SystemExit(f"--baseline: its store schema {theirs} has tables or columns schema {ours} dropped ({gone}); it cannot read this store")
    copy = db.with_name(f"{db.stem}-schema{theirs}{db.suffix}")
    if not copy.exists():
        with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:  # the backup API reads the WAL too
            src.backup(dst)
            dst.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(theirs),))
    return copy


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--plain-max", type=int, default=0, help="largest store the plain approach is run on")
    ap.add_argument("--baseline", default="main", help="git revision of the previous app, measured beside this one ('none': skip)")
    args = ap.parse_args()
    reason = browser_missing()
    if reason:
        print(f"## bench_browser.py\n\nskipped: {reason}")
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        prev = None
        if args.baseline != "none":
            import subprocess

            label = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", args.baseline], check=True, capture_output=True, text=True).stdout.strip()
            prev = previous_app(args.baseline, tmp / "previous")
            prev_name = f"previous app ({args.baseline}, {label})"
        plain_script = tmp / "plain_app.py"
        plain_script.write_text(PLAIN_APP, encoding="utf-8")
        plain_entry = tmp / "plain_entry.py"
        plain_entry.write_text(PLAIN_ENTRY, encoding="utf-8")
        (tmp / "static").symlink_to(REPO / "static")  # Streamlit serves static/ beside the script
        env = {"PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
        for n in args.events:
            url_db = f"sqlite:///{tmp / f'bench{n}.db'}"
            with Store(url_db) as store:
                t_build = build(store, n)
                types = store.facets()["types"]
                pick = min(types, key=lambda kv: kv[1])
                located = len(store.events(located=True, limit=None)) if n <= args.plain_max else n
            print(f"built {n:,} events in {t_build:.1f} s", file=sys.stderr, flush=True)
            # A browser of its own for each server, so one run's leftovers (the plain map's 10,000
            # markers) do not weigh on the next.
            years = (2023, 2022)  # the synthetic stores span 2022-2024: the end moves back a year at a time
            with serve_app(url_db) as url, chromium() as browser:
                rows.append((n, "Dateline (this branch)", measure(browser, url, False, 0, pick, play=True, years=years)))
            if prev is not None:
                prev_db = f"sqlite:///{store_for_previous(tmp / f'bench{n}.db', prev)}"
                with serve_app(prev_db, script=prev / "app.py", cwd=prev) as url, chromium() as browser:
                    rows.append((n, prev_name, measure(browser, url, False, 0, pick, years=years)))
            if n <= args.plain_max:
                with serve_app(url_db, script=plain_entry, env=env) as url, chromium() as browser:
                    rows.append((n, "plain: one folium Marker per event", measure(browser, url, True, located, pick)))

    print("## Browser: the map page (bench_browser.py)\n")
    print(
        "| events | approach | server just started | new visitor | payload: all (app's part) | repeat visit "
        "| filter change | back to a cached view | map elements |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for n, name, m in rows:
        cached = f"{m['cached']:.2f} s" if "cached" in m else "n/a"
        print(
            f"| {n:,} | {name} | {m['cold']:.2f} s | {m['first']:.2f} s | {m['payload'] / 1e6:.2f} MB ({m['app'] / 1e6:.2f} MB) "
            f"| {m['repeat']:.2f} s | {m['filter']:.2f} s | {cached} | {m['dom']:,} |"
        )
    print()
    print("\n### Playback\n")
    print(
        "| events | app | frames in a pass | play pressed to first frame | playback, cumulative | playback, 3-bin window "
        "| one date step (a rerun) | steps per second by rerunning |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for n, name, m in rows:
        if "step" not in m:
            continue
        fps = f"{m['fps']:.1f} fps" if "fps" in m else "no playback"
        win = f"{m['fps_window']:.1f} fps" if "fps_window" in m else "no playback"
        bins = f"{m['bins']:,}" if "bins" in m else "-"
        first = f"{m['first_frame']:.2f} s" if "first_frame" in m else "-"
        print(f"| {n:,} | {name} | {bins} | {first} | {fps} | {win} | {m['step']:.2f} s | {1 / m['step']:.1f} |")
    print()
    by = {(n, name.split(" ")[0]): m for n, name, m in rows}
    for n in args.events:
        a = by.get((n, "Dateline"))
        if a and (n, "plain:") in by:
            b = by[(n, "plain:")]
            print(
                f"- {n:,} events: plain / aggregated = {b['first'] / a['first']:.1f}x first load, "
                f"{b['payload'] / a['payload']:.1f}x payload, {b['filter'] / a['filter']:.1f}x filter change."
            )
        if a and (n, "previous") in by:
            b = by[(n, "previous")]
            print(
                f"- {n:,} events, this branch / previous app: new visitor {a['first']:.2f} / {b['first']:.2f} s "
                f"({a['first'] / b['first']:.2f}x), payload {a['payload'] / 1e6:.2f} / {b['payload'] / 1e6:.2f} MB "
                f"({a['payload'] / b['payload']:.2f}x), filter change {a['filter']:.2f} / {b['filter']:.2f} s "
                f"({a['filter'] / b['filter']:.2f}x); playback {a['fps']:.1f} fps where the previous app redraws "
                f"{1 / b['step']:.1f} times a second by rerunning ({a['fps'] * b['step']:.0f}x)."
            )
    goals = {100_000: ("new visitor <= 3 s", "payload <= 5 MB", "filter change <= 1 s", "playback >= 5 fps"),
             1_000_000: ("new visitor <= 3 s", "playback >= 2 fps")}  # fmt: skip
    for n in args.events:
        m = by.get((n, "Dateline"))
        if not m or n not in goals:
            continue
        got = {
            "new visitor <= 3 s": (m["first"] <= 3, f"{m['first']:.2f} s"),
            "payload <= 5 MB": (m["payload"] <= 5e6, f"{m['payload'] / 1e6:.2f} MB"),
            "filter change <= 1 s": (m["filter"] <= 1, f"{m['filter']:.2f} s"),
            "playback >= 5 fps": (m["fps"] >= 5, f"{m['fps']:.1f} fps"),
            "playback >= 2 fps": (m["fps"] >= 2, f"{m['fps']:.1f} fps"),
        }
        print(f"- Targets at {n:,} events: " + "; ".join(f"{g}: {'met' if got[g][0] else 'NOT met'} ({got[g][1]})" for g in goals[n]) + ".")
    if args.plain_max and max(args.events) > args.plain_max:
        print(f"- The plain approach is not run above {args.plain_max:,} events: its page grows by about 1 kB per event.")
    print(
        "\nTimes run from navigation to the map drawn (markers, flows, basemap), as the page itself stamps them "
        "(Dateline; the plain map is polled). *Server just started*: the first "
        "page after `streamlit run` (imports, store and queries cold). *New visitor*: empty browser cache, server "
        f"running, median of {NEW_VISITORS} visits. *Repeat visit*: median of 2 more tabs, both caches warm. "
        "*Filter change*: one event type chosen in the sidebar (a query not yet cached), from the widget's message to "
        "the server until the new layers are drawn. "
        "*Back to a cached view*: the type removed again, a view the app has cached. "
        f"*Playback*: frames drawn per second while the map plays the selection at its top speed, from the first frame "
        f"to the last (every frame in an animation frame of its own, so layout and paint count), median of {PLAY_PASSES} passes. "
        "*Play pressed to first frame*: ▶ on a selection whose series the page has not fetched yet (they are asked for "
        "on the first play, not sent with the map), until its first frame is drawn. "
        "*One date step*: the date filter's last year moved back, from the widget's message to the map drawn, median of 2: "
        "what each step of time costs an app that can only rerun. *Payload*: bytes received by "
        "one more new visitor (metered apart: counting every request slows the page being timed), HTTP bodies as sent plus websocket messages as decoded (deflate compresses them on the wire); in "
        "brackets what this app sends, without Streamlit's own frontend bundle (/static/, gzip-compressed by app.py). "
        f"Machine: {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} at the end."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
