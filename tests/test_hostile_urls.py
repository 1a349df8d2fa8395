"""Links a stranger could send: every query parameter of every page given values out of range,
malformed, unknown, huge or written in Markdown and HTML.

First under Streamlit's AppTest (each page run alone, so nothing can hide an exception): no
exception, the sidebar drawn, what was ignored named, and every user-supplied string shown as
plain text. Then in a real Chromium against `streamlit run app.py`: no traceback or server path
on the page, no request off the machine, and the map drawn.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.store.filters import FIRST_DAY, LAST_DAY, Filters

REPO = Path(__file__).resolve().parent.parent
PAGES = {p.stem.split("_", 1)[1]: p for p in (REPO / "pages").glob("*.py")}
TIMEOUT = 120
# An address reserved for documentation (TEST-NET-3): a request to it is a request off the machine.
FOREIGN = "http://203.0.113.7"
MARKUP = {
    "actor": f"![tracker]({FOREIGN}/pixel.png) **Maduro**",
    "q": f"[click here]({FOREIGN}/login) <img src={FOREIGN}/x.png onerror=alert(1)>",
    "type": "<script>alert(1)</script>",
}

# (name, query) pairs; every page gets each.
HOSTILE = [
    ("dates-before-the-picker", {"dates": ["1800-01-01", "1850-01-01"]}),
    ("dates-after-the-picker", {"dates": ["2300-01-01", "9999-12-31"]}),
    ("dates-not-dates", {"dates": ["2019-02-30", "soon"]}),
    ("one-date", {"dates": ["2019-02-01"]}),
    ("three-dates", {"dates": ["2019-02-01", "2019-02-02", "2019-02-03"]}),
    ("brush-to-the-end-of-time", {"brush": "0001-01-01..9999-12-31"}),
    ("brush-garbage", {"brush": "x..y..z"}),
    ("view-far-away", {"view": "1e300,1e300,999"}),
    ("view-not-numbers", {"view": "nan,inf,-inf"}),
    ("conf-huge", {"conf": "1e300"}),
    ("conf-nan", {"conf": "nan"}),
    ("conf-negative", {"conf": "-0.5"}),
    ("unknown-type-and-countries", {"type": ["no_such_type", "protest"], "country": ["ZZ", "ve", "<b>x</b>"]}),
    ("markup-everywhere", {**MARKUP, "country": MARKUP["actor"]}),
    ("huge-values", {"q": "Caracas " * 5000, "actor": [f"actor {i}" for i in range(300)], "type": ["x" * 10_000]}),
    ("control-characters", {"actor": "Mad\u202euro\x00\x1b[31m", "q": "a\u2028b\u200bc"}),
    ("event-garbage", {"event": "'; DROP TABLE events; --"}),
]


def page(name: str) -> AppTest:
    return AppTest.from_file(str(PAGES[name]), default_timeout=TIMEOUT)


def plain_texts(at: AppTest) -> list[str]:
    """Text shown through app_state.plain: escaped HTML holding only the text."""
    return [html.unescape(re.sub(r"<[^>]+>", "", h.proto.body)) for h in at.html]


def markdown_texts(at: AppTest) -> list[str]:
    """Every text Streamlit reads as Markdown."""
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader")
    return [el.value for kind in kinds for el in getattr(at, kind)] + [el.value for kind in kinds for el in getattr(at.sidebar, kind)]


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory, pipeline):
    from test_app import ingest_samples

    return ingest_samples(tmp_path_factory.mktemp("hostile-urls"), pipeline)


@pytest.fixture
def samples(sample_url, monkeypatch):
    monkeypatch.setenv("DATELINE_DB", sample_url)
    return sample_url


# -- the parsing, one function per kind ---------------------------------------------------------


def test_each_kind_of_value_is_checked_and_what_is_dropped_is_named():
    f, notes = Filters.parse_query({"dates": ["1800-01-01", "1850-01-01"], "brush": "0001-01-01..9999-12-31"})
    assert (f.start, f.end) == (FIRST_DAY, FIRST_DAY) and f.brush == (FIRST_DAY, LAST_DAY)
    assert len(notes) == 4 and all("is outside" in n for n in notes)
    f, notes = Filters.parse_query({"type": ["protest", "bogus"], "country": ["ve", "ZZ", "xk"], "conf": "inf"})
    assert f.types == ("protest",) and f.countries == ("VE", "XK") and f.min_confidence == 0
    assert notes == ["type: 'bogus' unknown", "country: 'ZZ' unknown", "conf: 'inf' is not a number from 0 to 1"]
    f, notes = Filters.parse_query({"dates": ["2019-03-01", "2019-03-01"]})
    assert f.start == f.end == dt.date(2019, 3, 1) and notes == [], "a one-day selection is the same day twice"
    f, notes = Filters.parse_query({"q": "x" * 1000, "actor": "a\u202eb\x00c"})
    assert len(f.text) == 500 and f.actors == ("ab c",) and notes == ["q: cut to its first 500 characters"]


def test_the_app_hides_error_details_from_visitors():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


# -- every page, every hostile link, under AppTest -----------------------------------------------


# The map page takes every link; the others (which share its sidebar) the ones that reach them.
OTHER_PAGES = ("dates-before-the-picker", "brush-to-the-end-of-time", "markup-everywhere", "huge-values", "event-garbage")
CASES = [("Map", n, q) for n, q in HOSTILE] + [(p, n, q) for p in ("Events", "Export") for n, q in HOSTILE if n in OTHER_PAGES]
QUIET = ("control-characters", "event-garbage")  # nothing in them is dropped: no notice


@pytest.mark.parametrize("page_name, name, query", CASES, ids=[f"{p}-{n}" for p, n, _ in CASES])
def test_a_hostile_link_opens_the_page(samples, page_name, name, query):
    at = page(page_name)
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    assert at.sidebar.button(key="f_reset"), "the sidebar, with its Reset, is drawn"
    shown = markdown_texts(at)
    for value in MARKUP.values():
        assert not any(value in t for t in shown), "a link's text went through Markdown"
    assert not any(FOREIGN in t for t in shown)
    notice = [w.value for w in at.sidebar.warning]
    assert notice == ([] if name in QUIET else ["Parts of the link were ignored:"]), (name, notice)


def test_what_a_link_asked_for_is_shown_as_plain_text(samples):
    at = page("Map")
    at.query_params.update(MARKUP)
    at.run()
    assert not at.exception
    selection = next(t for t in plain_texts(at) if t.startswith("Selection: "))
    assert MARKUP["actor"] in selection and MARKUP["q"] in selection
    assert "type: '<script>alert(1)</script>' unknown" in plain_texts(at)
    bodies = " ".join(h.proto.body for h in at.html)
    assert "<img" not in bodies and "<script" not in bodies and "](http" in bodies


def test_a_bad_view_is_taken_out_of_the_url_before_the_map_reads_it(samples):
    at = page("Map")
    at.query_params["view"] = "1e300,1e300,999"
    at.run()
    assert not at.exception
    assert "view" not in at.query_params
    assert any(t.startswith("view: '1e300,1e300,999'") for t in plain_texts(at))
    at = page("Map")
    at.query_params["view"] = "10.5,-66.9,6"
    at.run()
    assert at.query_params["view"] == "10.5,-66.9,6" and not at.sidebar.warning


def test_the_notice_goes_once_the_selection_changes(samples):
    at = page("Events")
    at.query_params.update(type=["no_such_type"])
    at.run()
    assert [w.value for w in at.sidebar.warning] == ["Parts of the link were ignored:"]
    at.multiselect(key="f_types").set_value(["protest"]).run()
    assert not at.sidebar.warning


def test_the_ingest_pages_errors_quote_uploads_as_plain_text(tmp_path, monkeypatch):
    """A file's name and a CSV's header come from the user's upload and are quoted in the error;
    they reach the page as text, not Markdown."""
    monkeypatch.setenv("DATELINE_DB", f"sqlite:///{tmp_path / 'upload.db'}")
    at = page("Ingest").run()
    name = "[click](javascript:alert(1)) **bold**.csv"  # no slash: a file name keeps it all
    header = f"id,[title]({FOREIGN}/t),body\n1,x,Rain in Lima.\n".encode()
    at.file_uploader(key="upload_files").set_value([(name, header, "text/csv")])
    at.run()
    at.button(key="upload_go").click().run()
    assert not at.exception
    assert any(t.startswith(f"{name}:1: CSV has no 'text' column") and f"[title]({FOREIGN}/t)" in t for t in plain_texts(at))
    assert not any(FOREIGN in t for t in markdown_texts(at))


# -- in a real browser -------------------------------------------------------------------------

BROWSER_LINKS = [
    ("", {"dates": ["1800-01-01", "1850-01-01"]}),
    ("", {"brush": "0001-01-01..9999-12-31", "view": "1e300,1e300,999"}),
    ("", {**MARKUP, "conf": "nan"}),
    ("Events", {"dates": ["1800-01-01", "1850-01-01"], **MARKUP}),
    ("Export", {"brush": "0001-01-01..9999-12-31", **MARKUP}),
    ("Ingest", {"dates": ["2300-01-01", "9999-12-31"], "view": "nan,1,1"}),
]


@pytest.fixture(scope="module")
def served(sample_url):
    from browser_support import browser_missing, chromium, serve_app

    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    with serve_app(sample_url) as base, chromium() as browser:
        yield base, browser


def visit(browser, url: str, heading: str = "Filters"):
    from browser_support import Traffic, settle

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    traffic = Traffic(tab)
    tab.goto(url, wait_until="domcontentloaded")
    tab.get_by_role("heading", name=heading).first.wait_for()
    settle(tab, 60_000)
    return context, tab, traffic


def assert_no_server_details(tab, store_url: str = "") -> None:
    import sys

    text = tab.inner_text("body")
    folders = [str(REPO), sys.prefix, str(Path(store_url.removeprefix("sqlite:///")).parent)] if store_url else [str(REPO), sys.prefix]
    for leak in ("Traceback", "File \"", "site-packages", "Error:", *folders):
        assert leak not in text, f"{leak!r} shown to a visitor"
    assert tab.get_by_test_id("stException").count() == 0


@pytest.mark.parametrize("path, query", BROWSER_LINKS, ids=[f"{p or 'Map'}-{i}" for i, (p, _) in enumerate(BROWSER_LINKS)])
def test_hostile_links_in_a_real_browser(served, sample_url, path, query):
    from urllib.parse import urlencode

    from browser_support import drawn, query_of, shot, wait_for_map

    base, browser = served
    ingest = path == "Ingest"  # a page without the filters: it has nothing to take from a link
    context, tab, traffic = visit(browser, base + path + "?" + urlencode(query, doseq=True), "Ingest articles" if ingest else "Filters")
    try:
        if not ingest:
            tab.get_by_role("button", name="Reset filters").wait_for()  # the sidebar is drawn
            tab.get_by_text("Parts of the link were ignored:").wait_for()
        if "actor" in query:
            # The link's Markdown is on the page as the characters it was written in.
            assert tab.get_by_text(MARKUP["actor"], exact=False).count() >= 1
            assert tab.locator(f'a[href^="{FOREIGN}"], img[src^="{FOREIGN}"]').count() == 0
        if not path:
            frame, _ = wait_for_map(tab)
            if "view" in query:
                assert drawn(frame)["markers"] > 0, "the map is drawn at a real view, not left blank"
                assert "view" not in query_of(tab)
        shot(tab, f"hostile-{path or 'Map'}-{BROWSER_LINKS.index((path, query))}")
        assert_no_server_details(tab, sample_url)  # the Ingest page names its store by file name only
        traffic.check_offline()
    finally:
        context.close()


def test_a_failing_page_shows_a_plain_message(served, tmp_path):
    """A store that cannot be opened makes every page fail: the visitor reads a plain message,
    never the traceback, the exception's text or a path on the server."""
    from browser_support import serve_app, shot

    _, browser = served
    broken = tmp_path / "not-a-database.db"
    broken.write_text("these are notes, not a database\n" * 100)
    with serve_app(f"sqlite:///{broken}") as base:
        for path in ("", "Events"):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            tab = context.new_page()
            try:
                tab.goto(base + path, wait_until="domcontentloaded")
                tab.get_by_text("Sorry, this page could not be drawn").wait_for(timeout=60_000)
                shot(tab, f"hostile-broken-store-{path or 'Map'}")
                assert_no_server_details(tab, f"sqlite:///{broken}")
                assert str(broken) not in tab.inner_text("body") and "not a database" not in tab.inner_text("body")
                # the message and its button are drawn one after the other: wait for the button
                reset = tab.get_by_role("button", name="Reset the filters and try again")
                reset.first.wait_for(timeout=30_000)
                assert reset.count() == 1
            finally:
                context.close()
