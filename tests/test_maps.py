"""The map module against real stores: aggregation, filters, escaping, offline assets, budgets."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from geo.store import Filters, Store
from geo.web import assets, layers, popups, styles
from geo.web import map_data as md

REPO = Path(__file__).resolve().parent.parent
D = dt.date


def script_data(html: str, call: str) -> dict:
    """The JSON object passed to `call(` (DL.markers, DL.flows...) in a rendered map."""
    i = html.index(call + "(")
    start = html.index("{", i)
    return json.JSONDecoder().raw_decode(html, start)[0]


def rendered(data: md.MapData, **kw) -> str:
    return layers.build_map(data, **kw).get_root().render()


@pytest.fixture(scope="module")
def samples(tmp_path_factory, pipeline):
    """The bundled sample articles, parsed by the real pipeline into a SQLite store."""
    from test_app import ingest_samples

    store = Store(ingest_samples(tmp_path_factory.mktemp("maps"), pipeline))
    yield store
    store.close()


def test_markers_account_for_every_located_event(samples):
    data = md.map_data(samples)
    events = samples.events()
    located = events[events["lon"].notna()]
    assert data.events == len(events)
    assert data.located == len(located)
    assert sum(r[2] for r in data.markers) == len(located)
    # Samples are small: one marker per place and type, every popup complete.
    assert data.mode == "type"
    assert len(data.markers) == len(located.groupby(["lat", "lon", "type"]))
    assert all(r[10] == 0 or len(r[9]) == md.MAX_PER_POPUP for r in data.markers)
    assert data.countries == {cc: n for cc, n in located["country_code"].value_counts().items()}
    assert data.type_counts == {t: n for t, n in located["type"].value_counts().items()}
    (s, w), (n, e) = data.bounds
    assert s <= located["lat"].min() and n >= located["lat"].max() and w <= located["lon"].min() and e >= located["lon"].max()


def test_flows_are_routes_with_arrows(samples):
    data = md.map_data(samples)
    flows = samples.flows()
    assert data.flow_events == len(flows) > 0
    assert sum(f[1] for f in data.flows) == len(flows)
    for paths, n, ti, bearing, people, origin, dest, evs, more, *_ in data.flows:
        assert 0 <= bearing < 360 and len(evs) + more == n
        assert all(len(p) >= 2 for p in paths)
    html = rendered(data)
    assert len(script_data(html, "DL.flows")["rows"]) == len(data.flows)


@pytest.mark.parametrize(
    "filters",
    [
        dict(types=["border_crossing"]),
        dict(start=D(2019, 2, 1), end=D(2019, 3, 31)),
        dict(countries=["VE", "CO"]),
        dict(text="aid"),
    ],
)
def test_filters_select_what_the_store_selects(samples, filters):
    data = md.map_data(samples, Filters(**filters))
    events = samples.events(**filters)
    assert 0 < data.events == len(events) < len(samples.events())
    assert data.located == events["lon"].notna().sum()
    names = [row[0] for row in data.type_table]
    assert {names[r[3]] for r in data.markers} == set(events.loc[events["lon"].notna(), "type"])


def test_article_html_never_reaches_the_page_unescaped(samples):
    events = samples.events()
    xss = events[events["article_title"].str.contains("<script>", regex=False)]
    assert xss["lon"].notna().any(), "the sample-xss article should put events on the map"
    html = rendered(md.map_data(samples))
    for raw in ("<script>alert", "<img src=x", "onerror=alert(1)>"):
        assert raw not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    # The whole map script has exactly the <script> tags folium writes, none from data.
    assert html.count("<script") == html.count("</script>")


def test_template_syntax_in_an_article_is_text_not_code(make_doc, places, tmp_path):
    # branca renders each element's script a second time as a Jinja template: article text
    # that reached it unguarded was evaluated on the server ("{{ 6*7 }}" became 42).
    import streamlit_folium

    title, sentence = "Talks {{ 6*7 }} and {% if true %}RAN{% endif %}", "Protest in Kyiv {# hidden #} over {{ config }}."
    with Store(f"sqlite:///{tmp_path / 'jinja.db'}") as store:
        store.add_document(make_doc(sentence, title=title, events=[
            dict(type="protest", date=D(2024, 1, 1), location=places["Kyiv"], sentence=sentence),
            dict(type="displacement", date=D(2024, 1, 2), origin=places["Kyiv"], destination=places["Warsaw"], sentence=sentence),
        ]), url="https://news.example/jinja")  # fmt: skip
        data = md.map_data(store)
    page = rendered(data)
    m = layers.base_map()
    m.get_root().render()
    swapped = "".join(streamlit_folium._get_feature_group_string(fg, map=m, idx=i) for i, fg in enumerate(layers.data_layers(data)))
    for html in (page, swapped):
        assert "and RAN" not in html and "Talks 42" not in html  # what evaluation would print
        for call in ("DL.markers", "DL.flows"):
            strings = json.dumps(script_data(html, call), ensure_ascii=False)
            assert "Talks {{ 6*7 }} and {% if true %}RAN{% endif %}" in strings  # read back as written
            assert "{# hidden #} over {{ config }}" in strings


def test_evidence_marks_the_mention_and_escapes():
    out = popups.evidence_html("Troops <b>fled</b> to Cúcuta & beyond", mention="Cúcuta", trigger="fled")
    assert out == "Troops &lt;b&gt;<b>fled</b>&lt;/b&gt; to <mark>Cúcuta</mark> &amp; beyond"
    long = "word " * 100 + "Caracas" + " word" * 100
    cut = popups.evidence_html(long, mention="Caracas", limit=80)
    assert "<mark>Caracas</mark>" in cut and cut.startswith("…") and cut.endswith("…") and len(cut) < 120
    assert popups.evidence_html(None) == ""


def test_dates_are_written_as_precisely_as_known():
    d = D(2019, 2, 23)
    assert popups.date_label(d, "day") == "2019-02-23"
    assert popups.date_label(d, "week") == "week of 2019-02-18"
    assert popups.date_label(d, "month") == "Feb 2019"
    assert popups.date_label(d, "year") == "2019"
    assert popups.date_label(None, "day") == "undated"


def test_only_web_links_are_links(make_doc, places, tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'links.db'}")
    for i, url in enumerate(["javascript:alert(1)", "https://example.org/a?b=1&c=<2>"]):
        doc = make_doc(f"Protest {i} in Kyiv.", title=f"t{i}", events=[dict(type="protest", date=D(2024, 1, 1), location=places["Kyiv"])])
        store.add_document(doc, url=url)
    html = rendered(md.map_data(store))
    assert "javascript:alert" not in html
    assert "https://example.org/a?b=1&amp;c=&lt;2&gt;" in html


def test_the_map_loads_nothing_from_the_internet(samples, tmp_path):
    written = assets.install(tmp_path / "vendor")
    assert not assets.missing(tmp_path / "vendor") and written
    assert assets.install(tmp_path / "vendor") == []  # idempotent
    countries = json.loads((tmp_path / "vendor" / assets.COUNTRIES).read_text())
    assert len(countries["features"]) > 150
    m = layers.build_map(md.map_data(samples), online=False)
    assert assets.external_links(m) == []
    html = m.get_root().render()
    loaded = re.findall(r'<script[^>]+src="([^"]+)"', html) + re.findall(r'<link[^>]+href="([^"]+)"', html)
    assert loaded and all(u.startswith("/app/static/") for u in loaded)
    # Each is a file the app serves: vendored at set-up, or Dateline's own map script and styles.
    for u in loaded:
        rel = u.removeprefix("/app/static/").split("?")[0]
        where = tmp_path / rel if rel.startswith("vendor/") else assets.STATIC_DIR / rel
        assert where.is_file(), u
    # One script, Leaflet then markercluster then Dateline's map.js, so the page fetches one file
    # before the map can start; stylesheets load side by side.
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert [u.split("?v=")[0] for u in scripts] == [f"{assets.VENDOR_URL}/{assets.BUNDLE}"]
    bundle = (tmp_path / "vendor" / assets.BUNDLE).read_text(encoding="utf-8")
    own = (assets.RUNTIME_DIR / "map.js").read_text(encoding="utf-8")
    assert bundle.index("Leaflet 1.") < bundle.index("MarkerClusterGroup") < bundle.index(own) == len(bundle) - len(own)
    assert any("/dateline/map.css?v=" in u for u in loaded)
    assert "tile.openstreetmap" not in html and "basemaps.cartocdn" not in html
    assert "L.Icon.Default.imagePath" in html and assets.LEAFLET_IMAGES in html
    assert "font-awesome" not in html.lower() and "bootstrap" not in html.lower()


def test_online_tiles_are_optional_base_layers(samples):
    html = rendered(md.map_data(samples), online=True)
    assert "tile.openstreetmap.org" in html and "basemaps.cartocdn.com" in html
    assert '"Countries (offline)"' in html  # still the default base layer


def test_legend_lists_types_with_their_glyphs(samples):
    data = md.map_data(samples, Filters(types=["attack", "border_crossing"]))
    legend = layers.legend_html(data)
    assert "attack" in legend and "border crossing" in legend and "statement" not in legend
    assert legend.count("<svg") >= 2 and "Events per country" in legend


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """20,000 synthetic events at 2,000 places (the store engineer's generator)."""
    sys.path.insert(0, str(REPO / "bench"))
    from bench_store import build

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('maps') / 'synthetic.db'}")
    build(store, 20_000)
    yield store
    store.close()


def test_many_events_are_aggregated_within_budget(synthetic, monkeypatch):
    monkeypatch.setattr(md, "MAX_ROUTES", 100)
    data = md.map_data(synthetic)
    assert data.events == data.located == 20_000
    assert data.mode == "place" and len(data.markers) == data.places <= md.MAX_PLACE_MARKERS
    assert sum(r[2] for r in data.markers) == 20_000
    assert data.popup_events <= md.POPUP_EVENTS
    assert data.routes_drawn == 100 < data.routes and sum(f[1] for f in data.flows) < data.flow_events
    # More markers than the popup budget: the busiest describe an event, the rest give counts.
    described, bare = [r for r in data.markers if r[9]], [r for r in data.markers if not r[9]]
    assert len(described) == md.POPUP_EVENTS and bare
    assert min(r[2] for r in described) >= max(r[2] for r in bare) and all(r[10] == r[2] for r in bare)
    assert sum(len(f[7]) for f in data.flows) <= md.ROUTE_POPUP_EVENTS
    assert all(len(f[7]) + f[8] == f[1] for f in data.flows)  # described + counted = the route's events
    html = rendered(data)
    assert len(html.encode()) < 2_500_000
    assert script_data(html, "DL.markers")["rows"] and "DL.cluster()" in html


def test_popup_budget_goes_to_the_big_groups():
    # 100 one-event places and 10 busy ones: the small ones cost 100, leaving room for 8 each.
    assert md.per_popup([1] * 100 + [50] * 10, 200) == md.MAX_PER_POPUP
    assert md.per_popup([50] * 300, 1000) == 3
    assert md.per_popup([50] * 3000, 1000) == 1  # over budget even at one: see described


def test_dense_places_fall_back_to_a_grid(synthetic, monkeypatch):
    monkeypatch.setattr(md, "MAX_PLACE_MARKERS", 300)
    data = md.map_data(synthetic)
    assert data.mode == "grid" and data.cell_deg in md.GRID_STEPS
    assert len(data.markers) <= 300
    assert sum(r[2] for r in data.markers) == 20_000
    names = [r[6] for r in data.markers]
    assert any("more place" in n for n in names)
    # Playback in grid mode: each cell's series under its marker's key, every dated event once.
    from geo.web import playback as pb

    series = md.play_series(synthetic, Filters(), data.mode, data.cell_deg)
    counts = {k: sum(pb.unpack(v).values()) for k, v in series["markers"].items()}
    assert set(counts) == {r[13] for r in data.markers}
    dated = synthetic.events(limit=None)["date"].notna()
    assert sum(counts.values()) == int(dated.sum()) > 0


def test_the_same_selection_draws_the_same_map(samples):
    a, b = md.map_data(samples, Filters(types=["attack"])), md.map_data(samples, Filters(types=["attack"]))
    assert a.digest() == b.digest() != md.map_data(samples).digest()


def test_map_data_on_each_backend(store, make_doc, places):
    """The aggregate queries (window functions, grid cells) on SQLite and PostGIS alike."""
    P = places
    docs = [
        make_doc("Protest in Kyiv.", title="a", events=[dict(type="protest", date=D(2024, 3, 4), location=P["Kyiv"])] * 3),
        make_doc("Families fled Lviv for Warsaw.", title="b",
                 events=[dict(type="displacement", date=D(2024, 3, 9), origin=P["Lviv"], destination=P["Warsaw"], count=300)]),
        make_doc("Clashes in Nairobi.", title="c", events=[dict(type="armed_clash", date=D(2024, 4, 1), location=P["Nairobi"])]),
    ]  # fmt: skip
    for doc in docs:
        store.add_document(doc)
    data = md.map_data(store)
    assert data.located == 5 and data.places == 3 and len(data.flows) == 1
    kyiv = next(r for r in data.markers if r[6] == "Kyiv")
    assert kyiv[2] == 3 and len(kyiv[9]) == 3
    flow = data.flows[0]
    assert (flow[5], flow[6], flow[4]) == ("Lviv", "Warsaw", 300)
    assert 270 < flow[3] < 330  # Lviv to Warsaw arrives heading north-west
    march = md.map_data(store, Filters(start=D(2024, 3, 1), end=D(2024, 3, 31)))
    assert march.located == 4 and {r[6] for r in march.markers} == {"Kyiv", "Warsaw"}


def test_grid_cells_on_each_backend(store, make_doc, places, monkeypatch):
    P = places
    doc = make_doc("Events in Kyiv, Lviv and Nairobi.", title="g", events=[
        dict(type="protest", date=D(2024, 3, 4), location=P["Kyiv"]),
        dict(type="arrest", date=D(2024, 3, 5), location=P["Lviv"]),
        dict(type="attack", date=D(2024, 3, 6), location=P["Nairobi"]),
    ])  # fmt: skip
    store.add_document(doc)
    monkeypatch.setattr(md, "MAX_TYPE_MARKERS", 0)
    monkeypatch.setattr(md, "MAX_PLACE_MARKERS", 2)
    data = md.map_data(store)
    # 10-degree cells: Kyiv (30.5 E) and Lviv (24.0 E) fall in neighbouring columns, so three cells
    # remain; the grid stops at its coarsest step rather than merge continents.
    assert data.mode == "grid" and data.cell_deg == md.GRID_STEPS[-1]
    assert sorted(r[2] for r in data.markers) == [1, 1, 1]
    assert all(len(r[9]) == 1 for r in data.markers)


def test_every_event_type_has_a_style():
    from geo.text.taxonomy import TYPES

    assert [t.name for t in TYPES if t.name not in styles.TYPE_STYLES] == []
    colours = [s.color for s in styles.TYPE_STYLES.values()]
    assert len(set(colours)) == len(colours)


# -- playback: every marker, route and country carries its events per time bin ------------------


def at_marker(events, r):
    """Events of a marker in type mode: those of its place (its key's first part, a place id),
    since a town and the municipality named after it can share one point; events stored
    without a place by the point (rounded to COORD_DIGITS for the page)."""
    place = r[13].split("|")[0]
    if place.isdigit():
        return events["place_id"] == int(place)
    return events["place_id"].isna() & ((events["lat"] - r[0]).abs() < 6e-5) & ((events["lon"] - r[1]).abs() < 6e-5)


def with_place_ids(store, events):
    with store.engine.connect() as conn:
        ids = dict(conn.exec_driver_sql("SELECT id, place_id FROM events").all())
    return events.assign(place_id=events["id"].map(ids))


def test_time_bins_follow_the_timeline():
    from geo.web import playback as pb

    assert pb.time_unit(D(2019, 1, 1), D(2019, 1, 31)) == "day"
    assert pb.time_unit(D(2019, 1, 1), D(2019, 12, 31)) == "week"
    assert pb.time_unit(D(2015, 1, 1), D(2024, 11, 2)) == "month"
    assert pb.time_unit(D(1990, 1, 1), D(2024, 1, 1)) == "year"
    unit, first, n = pb.bins(D(2019, 2, 20), D(2019, 9, 3))  # a Wednesday to a Tuesday: weeks from Monday 18 Feb
    assert (unit, first) == ("week", D(2019, 2, 18)) and n == pb.bin_of(D(2019, 9, 3), unit, first) + 1 == 29
    for unit in pb.UNITS:
        start = pb.bin_start(D(2019, 2, 20), unit)
        for i in (0, 1, 13, 40):
            assert pb.bin_of(pb.nth_bin(start, unit, i), unit, start) == i
            assert pb.bin_of(pb.nth_bin(start, unit, i + 1) - dt.timedelta(days=1), unit, start) == i
    counts = {0: 2, 5: 1, 6: 7, 119: 3}
    assert pb.series(counts) == [0, 2, 5, 1, 1, 7, 113, 3] and pb.unpack(pb.series(counts)) == counts


def test_markers_routes_and_countries_carry_their_dated_events(samples):
    from geo.web import playback as pb

    data = md.map_data(samples)
    events = with_place_ids(samples, samples.events())
    dated = events[events["date"].notna()]
    lo, hi = dated["date"].min().date(), dated["date"].max().date()
    unit, first, n = pb.bins(lo, hi)
    assert {k: data.play[k] for k in ("unit", "first", "bins")} == {"unit": unit, "first": first.isoformat(), "bins": n}
    assert data.play["series"].startswith(pb.SERIES_PATH + "?")
    # The page asks for markers' and countries' series only when playback starts.
    series = md.play_series(samples, Filters(), data.mode, data.cell_deg)
    assert (series["unit"], series["first"], series["bins"]) == (unit, first.isoformat(), n)
    names = [row[0] for row in data.type_table]
    # Type mode: a marker is a place and type; its bins are its dated events' bins.
    for r in data.markers:
        mine = dated[at_marker(dated, r) & (dated["type"] == names[r[3]])]
        want = mine["date"].dt.date.map(lambda d: pb.bin_of(d, unit, first)).value_counts().to_dict()
        assert pb.unpack(series["markers"].get(r[13], [])) == want, r[6]
        assert len(r[14]) == len(r[9]) and all(d is None or d[:4].isdigit() for d in r[14])
    assert len({r[13] for r in data.markers}) == len(data.markers), "one key, one marker"
    flows = samples.flows()
    assert sum(sum(pb.unpack(f[9]).values()) for f in data.flows) == flows["date"].notna().sum()
    per_country = dated.groupby("country_code").size().to_dict()
    assert {cc: sum(pb.unpack(s).values()) for cc, s in series["countries"].items()} == per_country
    html = rendered(data)
    assert script_data(html, "DL.begin")["play"] == data.play
    assert "series" not in script_data(html, "DL.shading"), "the first draw carries no series"


def test_time_bins_on_each_backend(store, make_doc, places):
    """The database bins dates as playback.bin_of does, on SQLite and PostGIS alike."""
    from geo.web import playback as pb

    days = [D(2023, 12, 31), D(2024, 1, 1), D(2024, 1, 7), D(2024, 1, 8), D(2024, 2, 29), D(2024, 3, 1), D(2025, 1, 1)]
    doc = make_doc("Protests in Kyiv and Nairobi.", title="bins", events=[
        dict(type="protest", date=d, location=places["Kyiv" if i % 2 else "Nairobi"]) for i, d in enumerate(days)
    ])  # fmt: skip
    store.add_document(doc)
    assert store.date_range() == (days[0], days[-1])
    for unit in pb.UNITS:
        first = pb.bin_start(days[0], unit)
        got: dict = {}
        for *_, b, n in store.time_series(unit=unit, first=first, group="place"):
            got[int(b)] = got.get(int(b), 0) + int(n)
        want: dict = {}
        for d in days:
            want[pb.bin_of(d, unit, first)] = want.get(pb.bin_of(d, unit, first), 0) + 1
        assert got == want, unit
    cells = store.time_series(unit="year", first=D(2023, 1, 1), group="cell", cell_deg=10.0)
    assert sum(int(r[-1]) for r in cells) == len(days) and {r[2] for r in cells} == {"UA", "KE"}


def test_the_series_route_answers_what_the_page_asks(store, make_doc, places, monkeypatch):
    """GET /dateline/series through a real Starlette app on SQLite and PostGIS: the series the map's
    link names, a clear 400 for what it cannot answer, and never an old store's answer."""
    from urllib.parse import quote

    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from geo.web import playback as pb
    from geo.web import series_route

    def protests(title, days):
        return make_doc(f"{title}: protests in Kyiv and Nairobi.", title=title, events=[
            dict(type="protest", date=d, location=places["Kyiv" if i % 2 else "Nairobi"]) for i, d in enumerate(days)
        ])  # fmt: skip

    store.add_document(protests("first", [D(2024, 1, 1), D(2024, 1, 9), D(2024, 3, 2)]))
    monkeypatch.setenv("DATELINE_DB", store.url)
    client = TestClient(Starlette(routes=series_route.routes()))
    data = md.map_data(store, Filters(types=["protest"]))
    r = client.get(data.play["series"])
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    got = r.json()
    assert got == md.play_series(store, Filters(types=["protest"]), data.mode, data.cell_deg)
    assert sorted(got["markers"]) == sorted(m[13] for m in data.markers)
    assert sum(sum(pb.unpack(v).values()) for v in got["countries"].values()) == 3
    # The store changes: the same link gets the new counts, not the answer it had before.
    store.add_document(protests("second", [D(2024, 2, 1)]))
    again = client.get(data.play["series"]).json()
    assert sum(sum(pb.unpack(v).values()) for v in again["countries"].values()) == 4
    for query, named in (
        ("mode=nonsense&key=%7B%7D", "mode='nonsense'"),
        ("mode=type&key=%5B1%5D", "key='[1]'"),
        ("mode=type&key=" + quote('{"start": "garbage"}'), "garbage"),
        ("mode=type&key=" + quote('{"colour": "red"}'), "colour"),
        ("mode=grid&key=%7B%7D", "cell=None"),
    ):
        bad = client.get(pb.SERIES_PATH + "?" + query)
        assert bad.status_code == 400 and named in bad.json()["error"], query


# -- honest placement ----------------------------------------------------------------------------


def test_markers_say_how_they_were_placed(samples):
    from geo.store.aggregates import DATELINE_REASON

    data = md.map_data(samples)
    events = samples.events(located=True)
    weak = events["location_reason"].fillna("").str.lower().str.startswith(DATELINE_REASON.rstrip("%"))
    assert data.weak == int(weak.sum()) > 0
    assert sum(r[12] for r in data.markers) == data.weak
    with samples.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT e.lat, e.lon, e.type, p.level, e.place_id FROM events e JOIN places p ON p.id = e.place_id WHERE e.lat IS NOT NULL"
        ).all()
    placed = pd.DataFrame(rows, columns=["lat", "lon", "type", "level", "place_id"])
    placed["area"] = placed["level"].isin(md.AREA_LEVELS)
    assert data.area == int(placed["area"].sum()) > 0
    names = [row[0] for row in data.type_table]
    for r in data.markers:
        at = placed[at_marker(placed, r) & (placed["type"] == names[r[3]])]
        assert len(at) == r[2] and bool(r[11]) == at["area"].all(), r[6]
        assert (r[11] == 2) == (at["level"] == "country").all()
    russia = [r for r in data.markers if r[6] == "Russia"]
    assert russia and all(r[11] == 2 for r in russia)  # a whole country: the page outlines it on hover
    legend = layers.legend_html(data)
    assert "in a country or region as a whole" in legend and "only by the article" in legend
    assert 'class="dl-glyph dl-area"' in legend and 'class="dl-glyph dl-weak"' in legend


def test_a_flow_from_a_country_starts_at_its_capital(samples):
    """"Russia -> Ukraine" left from GeoNames' point for Russia, in central Siberia; it is drawn
    from Moscow to Kyiv, and the popup says why."""
    data = md.map_data(samples)
    route = next(f for f in data.flows if (f[5], f[6]) == ("Russia", "Ukraine"))
    start, end = route[0][0][0], route[0][-1][-1]
    assert abs(start[0] - 55.752) < 0.01 and abs(start[1] - 37.618) < 0.01  # Moscow
    assert abs(end[0] - 50.455) < 0.01 and abs(end[1] - 30.524) < 0.01  # Kyiv
    assert route[11] == ["Moscow", "Kyiv"]
    town = [f for f in data.flows if f[11] == [None, None]]
    assert all(f[0][0][0] != [60.0, 100.0] for f in data.flows) and town is not None


def test_the_legend_shows_the_colours_the_map_fills():
    # The map fills a country with its class colour at opacity 0.5 over the land (#f4f1ea).
    assert styles.shaded_on_land("#ffeda0") == "#faefc5"
    assert styles.shaded_on_land("#800026") == "#ba7888"
    data = md.MapData(countries={"VE": 3, "CO": 40})
    legend = layers.legend_html(data)
    breaks, colors = styles.shading_classes(40)
    assert all(f"background:{styles.shaded_on_land(c)}" in legend for c in colors)
    assert not any(f"background:{c}" in legend for c in colors)


def test_table_dates_are_as_precise_as_known_and_sort_in_time():
    d = D(2019, 2, 23)
    cells = [popups.date_cell(d, p) for p in ("year", "month", "week", "day")]
    assert cells == ["2019", "2019-02", "2019-02-18 (week)", "2019-02-23"]
    assert sorted(cells) == cells and popups.date_cell(None, "day") is None
