"""Exports on both backends: RFC 7946 GeoJSON checked by geojson-pydantic, CSV, GeoPackage read back."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from geojson_pydantic import FeatureCollection

from geo.store import Filters, Store
from geo.store.export import PROPERTIES, export_bytes, export_file, main, query, to_geojson

REPO = Path(__file__).resolve().parent.parent
D = dt.date


@pytest.fixture
def filled(store, make_doc, places):
    P = places
    docs = [
        make_doc("Thousands of students protested in Kyiv. Police detained 12 people.", title="Kyiv protest",
                 published=D(2024, 3, 5), events=[
                     dict(type="protest", date=D(2024, 3, 4), actors=["students"], location=P["Kyiv"]),
                     dict(type="arrest", date=D(2024, 3, 4), actors=["Police", "Interior Ministry"], count=12, location=P["Kyiv"]),
                 ]),
        make_doc("Families fled from Lviv to Warsaw.", title="Lviv to Warsaw", published=D(2024, 3, 20), events=[
            dict(type="displacement", date=D(2024, 3, 19), date_precision="week", actors=["families"],
                 origin=P["Lviv"], destination=P["Warsaw"], count=300),
        ]),
        make_doc("Hundreds crossed from Ciudad Juarez into El Paso.", title="Border", published=D(2024, 4, 2), events=[
            dict(type="border_crossing", date=D(2024, 4, 1), origin=P["Ciudad Juarez"], destination=P["El Paso"]),
        ]),
        make_doc("Delegates flew from Tokyo to Los Angeles for talks.", title="Pacific", published=D(2024, 4, 3), events=[
            dict(type="displacement", date=D(2024, 4, 2), origin=P["Tokyo"], destination=P["Los Angeles"]),
        ]),
        make_doc('Officials said "talks" would resume; no place was named.', title="Nowhere", published=D(2024, 4, 4),
                 events=[dict(type="statement", date=D(2024, 4, 4), actors=["officials"])]),
    ]  # fmt: skip
    for i, d in enumerate(docs):
        assert store.add_document(d, url=f"https://news.example/{i}") is not None
    return store


def test_geojson_is_rfc7946(filled):
    data = export_bytes(filled, "geojson")
    fc = FeatureCollection.model_validate_json(data)  # the validator's own reading of the spec
    doc = json.loads(data)
    assert "crs" not in doc and doc["type"] == "FeatureCollection"
    kinds = [f["properties"]["kind"] for f in doc["features"]]
    assert kinds.count("event") == 6 and kinds.count("flow") == 3
    assert len(fc.features) == 9
    by_type = {}
    for f in doc["features"]:
        by_type.setdefault((f["properties"]["kind"], f["properties"]["type"]), []).append(f)
    arrest = by_type[("event", "arrest")][0]
    assert arrest["geometry"] == {"type": "Point", "coordinates": [30.5238, 50.45466]}  # lon, lat
    p = arrest["properties"]
    assert list(p) == ["kind", *PROPERTIES]
    assert p["date"] == "2024-03-04" and p["date_precision"] == "day" and p["count"] == 12
    assert p["actors"] == ["Police", "Interior Ministry"] and p["place_name"] == "Kyiv" and p["geonameid"] == 703448
    assert p["article_title"] == "Kyiv protest" and p["article_url"] == "https://news.example/0"
    assert p["published"] == "2024-03-05"
    statement = by_type[("event", "statement")][0]
    assert statement["geometry"] is None and statement["properties"]["sentence"].startswith('Officials said "talks"')
    flows = {f["properties"]["origin_name"]: f for f in doc["features"] if f["properties"]["kind"] == "flow"}
    lviv = flows["Lviv"]
    assert lviv["geometry"]["type"] == "LineString"
    assert lviv["geometry"]["coordinates"][0] == [24.02324, 49.83826] and lviv["geometry"]["coordinates"][-1] == [21.01178, 52.22977]
    assert lviv["properties"]["destination_geonameid"] == 756135 and lviv["properties"]["date_precision"] == "week"
    pacific = flows["Tokyo"]["geometry"]
    assert pacific["type"] == "MultiLineString"  # cut at the antimeridian, as RFC 7946 §3.1.9 asks
    for f in doc["features"]:
        g = f["geometry"]
        if g is None:
            continue
        coords = [g["coordinates"]] if g["type"] == "Point" else g["coordinates"] if g["type"] == "LineString" else sum(g["coordinates"], [])
        assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in coords)


def test_database_written_geojson_equals_the_frames(filled):
    streamed = json.loads(export_bytes(filled, "geojson"))
    framed = json.loads(to_geojson(filled.events(), filled.flows()))
    assert streamed == framed
    some = json.loads(export_bytes(filled, "geojson", Filters(types=["displacement"], start="2024-04-01")))
    assert [f["properties"]["origin_name"] for f in some["features"]] == ["Tokyo", "Tokyo"]  # its point and its line
    assert json.loads(export_bytes(filled, "geojson", Filters(types=["nothing"]))) == {"type": "FeatureCollection", "features": []}
    limited = json.loads(export_bytes(filled, "geojson", limit=2))
    kinds = [(f["properties"]["kind"], f["properties"]["type"]) for f in limited["features"]]
    # the two newest events, and the line of the one that has a flow: not the flows of the others
    assert kinds == [("event", "statement"), ("event", "displacement"), ("flow", "displacement")]
    assert limited == json.loads(to_geojson(*query(filled, "geojson", limit=2)))


def test_csv(filled):
    df = pd.read_csv(io.BytesIO(export_bytes(filled, "csv")))
    assert len(df) == 6 and list(df.columns[: len(PROPERTIES)]) == PROPERTIES
    arrest = df[df["type"] == "arrest"].iloc[0]
    assert arrest["actors"] == "Police; Interior Ministry" and (arrest["lon"], arrest["lat"]) == (30.5238, 50.45466)
    flow = df[df["type"] == "border_crossing"].iloc[0]
    assert (flow["origin_lon"], flow["origin_lat"]) == (-106.46084, 31.72024) and flow["destination_name"] == "El Paso"
    assert pd.isna(df[df["type"] == "statement"].iloc[0]["lon"])


def test_geopackage_reads_back(filled, tmp_path):
    path = tmp_path / "out.gpkg"
    assert export_file(filled, "gpkg", path) == (6, 3)
    layers = dict(pyogrio.list_layers(path))
    assert layers == {"events": "Point", "flows": "MultiLineString"}
    ev = gpd.read_file(path, layer="events")
    assert ev.crs.to_epsg() == 4326 and len(ev) == 6
    arrest = ev[ev["type"] == "arrest"].iloc[0]
    assert (arrest.geometry.x, arrest.geometry.y) == pytest.approx((30.5238, 50.45466))
    assert arrest["actors"] == "Police; Interior Ministry" and arrest["date"] == "2024-03-04"
    info = pyogrio.read_info(path, layer="events")
    assert dict(zip(info["fields"], info["dtypes"]))["count"] == "int64"
    fl = gpd.read_file(path, layer="flows")
    assert len(fl) == 3 and set(fl.geom_type) == {"MultiLineString"}
    assert set(fl["origin_name"]) == {"Lviv", "Ciudad Juarez", "Tokyo"}
    blob = export_bytes(filled, "gpkg", Filters(countries=["JP", "ZZ"]))
    assert blob[:16] == b"SQLite format 3\x00"
    path.write_bytes(blob)
    assert len(gpd.read_file(path, layer="events")) == 0 and len(gpd.read_file(path, layer="flows")) == 1


def test_cli_filters_and_formats(filled, db_url, tmp_path, capsys):
    out = tmp_path / "sub" / "events.geojson"
    assert main(["--db", db_url, "--start", "2024-03-01", "--end", "2024-03-31", "--type", "protest", "arrest", "-o", str(out)]) == 0
    assert "wrote 2 events and 0 flows" in capsys.readouterr().err
    doc = FeatureCollection.model_validate_json(out.read_text())
    assert {f.properties["type"] for f in doc.features} == {"protest", "arrest"}
    cases = [
        (["--country", "US"], {"border_crossing", "displacement"}),  # flow Tokyo -> Los Angeles ends in the US
        (["--actor", "police"], {"arrest"}),
        (["--text", "families"], {"displacement"}),
        (["--bbox", "20,45,35,55"], {"protest", "arrest", "displacement"}),
        (["--type", "displacement", "--type", "statement"], {"displacement", "statement"}),
        (["--min-confidence", "0.5", "--actor", "police"], {"arrest"}),  # every event here is 0.8
        (["--min-confidence", "0.9"], set()),
    ]
    for args, types in cases:
        path = tmp_path / "x.csv"
        assert main(["--db", db_url, *args, "-o", str(path)]) == 0
        assert set(pd.read_csv(path)["type"]) == types, args
    assert main(["--db", db_url, "--format", "csv", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("event_id,type,date")


def test_cli_rejects_bad_arguments(db_url, tmp_path, capsys):
    Store(db_url).close()
    for args in (["--start", "yesterday-ish"], ["--bbox", "1,2,3"], ["--end", "2024-01-01", "--start", "2024-02-01"], ["--min-confidence", "2"]):
        with pytest.raises(SystemExit) as exc:
            main(["--db", db_url, *args, "-o", str(tmp_path / "x.geojson")])
        assert exc.value.code == 2
    with pytest.raises(SystemExit):
        main(["--db", db_url, "-o", str(tmp_path / "x.unknown")])
    assert "--format is needed" in capsys.readouterr().err
    assert main(["--db", db_url, "--format", "gpkg", "-o", "-"]) == 2
    assert not list(tmp_path.glob("*.geojson"))


def test_cli_missing_sqlite_database(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "none.db"), "-o", str(tmp_path / "x.geojson")]) == 2
    assert "no database" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_python_m_geo_export(filled, db_url, tmp_path):
    out = tmp_path / "all.gpkg"
    r = subprocess.run([sys.executable, "-m", "geo", "export", "--db", db_url, "--format", "gpkg", "-o", str(out)],
                       cwd=REPO, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert len(gpd.read_file(out, layer="events")) == 6
