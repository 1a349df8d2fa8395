"""The map page (app.py) run by Streamlit's AppTest against a real store holding the samples."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.store import Filters, Store
from geo.store.filters import QUERY_KEYS
from geo.web import view

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"
SAMPLES = REPO / "data" / "samples" / "articles.jsonl"
D = dt.date
TIMEOUT = 120

sys.path.insert(0, str(REPO))  # app.py imports app_state from the repository root


def ingest_samples(folder: Path, pipeline) -> str:
    """A SQLite store in `folder` holding the bundled samples, parsed by the real pipeline."""
    from geo.store.ingest import ingest

    url = f"sqlite:///{folder / 'samples.db'}"
    with Store(url) as store:
        report = ingest([str(SAMPLES)], store, pipeline=pipeline, progress=False)
    assert report.stored >= 40 and not report.failed
    return url


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory, pipeline):
    return ingest_samples(tmp_path_factory.mktemp("app"), pipeline)


@pytest.fixture
def store(sample_url):
    s = Store(sample_url)
    yield s
    s.close()


@pytest.fixture
def app(sample_url, monkeypatch):
    monkeypatch.setenv("DATELINE_DB", sample_url)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    yield at
    # app.py's page guard turns an exception into a plain message: the test must still fail on it.
    assert "dl_page_failed" not in at.session_state, [e.value for e in at.error]


def map_args(at: AppTest) -> dict:
    (el,) = at.get("component_instance")
    assert el.proto.component_name == "streamlit_folium.st_folium"
    return json.loads(el.proto.json_args)


def script_data(script: str, call: str) -> dict:
    start = script.index("{", script.index(call + "("))
    return json.JSONDecoder().raw_decode(script, start)[0]


def layers(at: AppTest) -> str:
    """The selection's layers: the feature groups streamlit-folium swaps into the map."""
    return map_args(at)["feature_group"]


def markers(at: AppTest) -> list:
    return script_data(layers(at), "DL.markers")["rows"]


def plain_texts(at: AppTest) -> list[str]:
    """Text shown through app_state.plain: escaped HTML holding only the text."""
    return [html.unescape(re.sub(r"<[^>]+>", "", h.proto.body)) for h in at.html]


def headline(at: AppTest) -> str:
    return at.markdown[0].value


def selected(at: AppTest) -> int:
    return int(re.search(r"\*\*([\d,]+)\*\* events? selected", headline(at)).group(1).replace(",", ""))


MULTI = ("dates", "type", "country", "actor")


def query(at: AppTest) -> dict:
    """The page's query string; AppTest gives a repeated key with one value as a plain string."""
    out = {}
    for k, v in at.query_params.items():
        if v in ([], "", None):
            continue
        out[k] = ([v] if isinstance(v, str) else list(v)) if k in MULTI else v
    return out


def test_the_map_page_draws_the_store(app, store):
    app.run()
    assert not app.exception
    total = store.facets()["events"]
    located = store.events(located=True)
    assert selected(app) == total
    rows = markers(app)
    assert sum(r[2] for r in rows) == len(located)
    args = map_args(app)
    assert args["returned_objects"] == []  # panning and zooming never rerun the script
    links = args["js_links"] + args["css_links"]
    assert links and all(u.startswith(("/app/static/vendor/", "/app/static/dateline/")) for u in links)
    assert "DL.basemap" in args["script"] and "DL.flows" in args["feature_group"]
    assert "Events per country" in args["layer_control"]
    assert app.get("vega_lite_chart"), "the timeline is drawn under the map"
    assert f"{total:,} of {total:,} events selected" in app.sidebar.caption[-1].value


def test_filters_change_the_counts_and_the_map(app, store):
    app.run()
    assert app.button(key="f_reset").disabled  # nothing to reset yet
    base, everything = map_args(app)["script"], layers(app)
    app.multiselect(key="f_types").set_value(["border_crossing"]).run()
    assert not app.exception
    assert not app.button(key="f_reset").disabled  # in the same run that applied the filter
    n_type = store.facets(types=["border_crossing"])["events"]
    assert selected(app) == n_type
    # Same map, new layers: the browser keeps its map and view and swaps the layers.
    assert map_args(app)["script"] == base and layers(app) != everything
    table = [row[0] for row in script_data(layers(app), "DL.markers")["types"]]
    assert {table[r[3]] for r in markers(app)} == {"border_crossing"}
    assert query(app)["type"] == ["border_crossing"]

    app.date_input(key="f_dates").set_value((D(2019, 1, 1), D(2019, 12, 31))).run()
    n_2019 = store.facets(start="2019-01-01", end="2019-12-31", types=["border_crossing"])["events"]
    assert selected(app) == n_2019 < n_type
    assert query(app)["dates"] == ["2019-01-01", "2019-12-31"]

    app.text_input(key="f_text").input("Colombia").run()
    n_text = store.facets(start="2019-01-01", end="2019-12-31", types=["border_crossing"], text="Colombia")["events"]
    assert selected(app) == n_text <= n_2019
    assert query(app)["q"] == "Colombia"

    app.button(key="f_reset").click().run()
    assert selected(app) == store.facets()["events"]
    assert not any(k in query(app) for k in QUERY_KEYS)


def test_countries_and_actors(app, store):
    app.run()
    app.multiselect(key="f_countries").set_value(["VE", "CO"]).run()
    assert selected(app) == store.facets(countries=["VE", "CO"])["events"]
    assert {r[7] for r in markers(app)} <= {"VE", "CO"}
    assert "Selection: Venezuela, Colombia" in plain_texts(app)  # names, not codes
    actor = store.facets(countries=["VE", "CO"])["actors"][0][0]
    app.multiselect(key="f_actors").set_value([actor]).run()
    assert selected(app) == store.facets(countries=["VE", "CO"], actors=[actor])["events"] > 0
    assert query(app)["actor"] == [actor] and query(app)["country"] == ["VE", "CO"]


def test_minimum_confidence_hides_hedged_events(app, store):
    app.run()
    app.slider(key="f_conf").set_value(0.7).run()
    assert not app.exception
    n = store.facets(min_confidence=0.7)["events"]
    assert 0 < n < store.facets()["events"] and selected(app) == n
    assert query(app)["conf"] == "0.7"
    located = store.events(located=True, min_confidence=0.7)
    assert sum(r[2] for r in markers(app)) == len(located)


def test_a_link_reproduces_the_view(sample_url, monkeypatch, store):
    monkeypatch.setenv("DATELINE_DB", sample_url)
    link = {"dates": ["2019-01-01", "2019-06-30"], "type": ["border_crossing", "border_closure"], "country": ["CO"]}
    first = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for k, v in link.items():
        first.query_params[k] = v
    first.run()
    assert not first.exception
    assert first.date_input(key="f_dates").value == (D(2019, 1, 1), D(2019, 6, 30))
    assert first.multiselect(key="f_types").value == ["border_crossing", "border_closure"]
    assert first.multiselect(key="f_countries").value == ["CO"]
    expected = store.facets(start="2019-01-01", end="2019-06-30", types=link["type"], countries=["CO"])["events"]
    assert selected(first) == expected > 0
    assert query(first) == link  # the URL the page leaves is the URL it was given

    second = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for k, v in query(first).items():
        second.query_params[k] = v
    second.run()
    assert layers(second) == layers(first)
    assert Filters.from_query(query(second)) == Filters.from_query(link)


def test_timeline_brush_in_the_url_narrows_the_map(app, store):
    app.query_params["brush"] = "2019-02-20..2019-02-28"
    app.run()
    assert not app.exception
    assert selected(app) == store.facets(start="2019-02-20", end="2019-02-28")["events"] < store.facets()["events"]
    assert any("Timeline selection: 2019-02-20 to 2019-02-28" in c.value for c in app.sidebar.caption)
    assert query(app)["brush"] == "2019-02-20..2019-02-28"
    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    assert "brush" in json.dumps(spec.get("params", [])) and "2019" in json.dumps(spec.get("params", []))
    app.button(key="f_clear_brush").click().run()
    assert selected(app) == store.facets()["events"]
    assert "brush" not in query(app)


def timeline_rows(at: AppTest):
    """The timeline's data as the browser gets it (Arrow), and the caption that names its unit."""
    import pyarrow as pa

    (chart,) = at.get("vega_lite_chart")
    (dataset,) = chart.proto.datasets
    caption = next(c.value for c in at.caption if c.value.startswith("Events per "))
    return pa.ipc.open_stream(dataset.data.data).read_all().to_pandas(), caption


def test_the_timeline_bins_to_a_readable_number_of_bars(app, store):
    """Each bar's colour, opacity and tooltip are computed in the browser, so the timeline takes
    the finest unit that draws the dates in 120 bars or fewer: the samples' ten years by month,
    two and a half years by month too (not 130 weeks), half a year by week, ten weeks by day."""
    app.run()
    rows, caption = timeline_rows(app)
    assert caption.startswith("Events per month") and rows["date"].nunique() <= 120
    assert set(rows["date"].str[8:]) == {"01"}  # months start on the first
    assert rows["events"].sum() == store.counts_by_day()["events"].sum()  # every dated event, once
    for (start, end), unit in [
        (("2017-01-01", "2019-06-30"), "month"),
        (("2019-01-01", "2019-06-30"), "week"),
        (("2019-01-15", "2019-03-31"), "day"),
    ]:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        at.query_params["dates"] = [start, end]
        at.run()
        rows, caption = timeline_rows(at)
        assert caption.startswith(f"Events per {unit}"), (start, end, caption)
        assert rows["events"].sum() == store.counts_by_day(start=start, end=end)["events"].sum() > 0
        if unit == "week":
            assert {pd.Timestamp(d).day_name() for d in rows["date"]} == {"Monday"}


def test_article_markup_is_escaped_in_the_map_script(app):
    app.run()
    script = map_args(app)["script"] + layers(app)
    assert "<script>alert" not in script and "<img src=x" not in script
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in script


def test_an_empty_store_says_how_to_fill_it(tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_DB", f"sqlite:///{tmp_path / 'empty.db'}")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert "No events are stored yet" in at.info[0].value
    assert markers(at) == [] and "DL.basemap" in map_args(at)["script"]


# -- the selection and its query string (geo/store/filters.py) -----------------------------------


def test_statements_can_be_hidden_and_the_link_says_so(app, store):
    app.run()
    total = store.facets()["events"]
    said = store.facets(types=["statement"])["events"]
    assert said > 0  # the samples report many statements: the switch is worth having
    app.toggle(key="f_statements").set_value(True).run()
    assert not app.exception
    assert selected(app) == total - said
    assert query(app)["statements"] == "hide"
    table = [row[0] for row in script_data(layers(app), "DL.markers")["types"]]
    assert "statement" not in {table[r[3]] for r in markers(app)}
    # The switch and a type filter combine: asking for statements while hiding them selects none.
    assert store.facets(types=["statement"], hide_statements=True)["events"] == 0
    assert Filters.from_query({"statements": "hide"}).hide_statements
    f, notes = Filters.parse_query({"statements": "yes please"})
    assert not f.hide_statements and notes and "statements" in notes[0]


def test_selection_query_round_trip():
    f = Filters(D(2019, 2, 1), D(2019, 3, 31), ("border_crossing",), ("VE", "CO"), ("Maduro",), "aid convoy",
                0.6, (D(2019, 2, 20), D(2019, 2, 28)))  # fmt: skip
    q = f.to_query()
    assert q == {"dates": ["2019-02-01", "2019-03-31"], "type": ["border_crossing"], "country": ["VE", "CO"],
                 "actor": ["Maduro"], "q": "aid convoy", "conf": "0.6", "brush": "2019-02-20..2019-02-28"}  # fmt: skip
    assert Filters.from_query(q) == f and Filters.from_key(f.to_key()) == f
    assert Filters.from_query({}) == Filters() and Filters().to_query() == {}
    # Hand-written links are forgiving: lower-case codes, reversed ranges, junk ignored.
    g = Filters.from_query({"country": "ve", "brush": "2019-03-01..2019-02-01", "dates": ["nope"], "conf": "7"})
    assert g.countries == ("VE",) and g.brush == (D(2019, 2, 1), D(2019, 3, 1)) and g.start is None
    assert g.min_confidence == 0.0 and Filters.from_query({"conf": "high"}).min_confidence == 0.0
    # The store, the export command and the API are strict instead.
    for bad in (dict(start="2019-13-01"), dict(min_confidence=2), dict(bbox="1,2,3"), dict(start="2020-01-01", end="2019-01-01")):
        with pytest.raises(ValueError):
            Filters(**bad)


def test_brushed_interval_reads_as_days():
    utc = dt.UTC

    def ms(*args):
        return dt.datetime(*args, tzinfo=utc).timestamp() * 1000

    # Drawn back from a link: midnight to midnight after the last day.
    assert view.brush_range([ms(2019, 2, 20), ms(2019, 3, 1)]) == (D(2019, 2, 20), D(2019, 2, 28))
    # Dragged by hand: whatever days the ends fall in.
    assert view.brush_range([ms(2019, 2, 28, 6), ms(2019, 2, 20, 13)]) == (D(2019, 2, 20), D(2019, 2, 28))
    assert view.brush_range(["2019-02-20", "2019-02-21"]) == (D(2019, 2, 20), D(2019, 2, 20))
    assert view.brush_range(None) is None and view.brush_range([1]) is None


def test_brush_narrows_the_dates(store):
    f = Filters(D(2019, 1, 1), D(2019, 12, 31), brush=(D(2018, 12, 1), D(2019, 2, 1)))
    assert f.window() == (D(2019, 1, 1), D(2019, 2, 1))
    assert f.without("brush").window() == (D(2019, 1, 1), D(2019, 12, 31))
    dates = store.events(f)["date"].dropna()
    assert len(dates) and dates.min() >= pd.Timestamp(2019, 1, 1) and dates.max() <= pd.Timestamp(2019, 2, 1)
    outside = Filters(D(2019, 1, 1), D(2019, 12, 31), brush=(D(2020, 1, 1), D(2020, 2, 1)))
    assert len(store.events(outside)) == 0 and len(store.events(outside.without("brush")))  # nothing, as asked
    assert view.parse_view("7.12,-72.4,6") == (7.12, -72.4, 6) and view.parse_view("x") is None


# -- walkthrough fixes the page itself shows -----------------------------------------------------


def test_the_map_page_has_a_title_and_its_timeline_a_colour_key(app, store):
    app.run()
    assert [t.value for t in app.title] == ["Map"]
    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    color = spec["encoding"]["color"]
    assert color.get("legend") is not None, "the timeline says which colour is which type"
    labels = color["scale"]["domain"]
    assert labels and all("_" not in x for x in labels)  # the names the sidebar and the legend use
    assert "foot of the map plays" in next(c.value for c in app.caption if c.value.startswith("Events per "))


def test_the_events_table_writes_dates_as_precisely_as_known(app, store):
    app.run()
    app.switch_page("pages/2_Events.py").run()
    assert not app.exception
    table = app.dataframe[0].value
    events = store.events(limit=5000).set_index("id")
    precision = events.loc[table["id"], "date_precision"].tolist()
    seen = set()
    for cell, p in zip(table["date"], precision):
        if cell is None:
            continue
        seen.add(p)
        assert {"year": re.fullmatch(r"\d{4}", cell), "month": re.fullmatch(r"\d{4}-\d\d", cell),
                "week": re.fullmatch(r"\d{4}-\d\d-\d\d \(week\)", cell),
                "day": re.fullmatch(r"\d{4}-\d\d-\d\d", cell)}[p], (cell, p)  # fmt: skip
    assert {"year", "month", "day"} <= seen


def test_ingest_names_event_types_as_the_map_does(app):
    app.run()
    app.switch_page("pages/1_Ingest.py").run()
    app.checkbox(key="store_articles").uncheck().run()
    app.text_area(key="paste_text").input(
        "CUCUTA, Colombia -- Venezuelan soldiers blocked aid trucks at the border crossing on Saturday, officials said. "
        "Hundreds of Venezuelans crossed the border into Colombia."
    )
    app.button(key="paste_go").click().run()
    assert not app.exception
    events = next(df.value for df in app.dataframe if "trigger" in df.value.columns)
    assert len(events) and all("_" not in t for t in events["type"]) and "border closure" in set(events["type"])

