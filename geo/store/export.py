"""Events and flows out of the store as GeoJSON (RFC 7946), CSV or GeoPackage.

The app's Export page calls `export_bytes` (or the `to_*` functions on frames it already has);
`python -m geo export` calls `export_file`, which writes through a temporary file so an
interrupted export never leaves a half-written file under the requested name.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import sqlalchemy as sa

from .cli import ArgumentParser, OutputError, one_line, replacing
from .filters import Filters
from .sql import gc_paused
from .store import Store, normalise_url

FORMATS = ("geojson", "csv", "gpkg")
MEDIA_TYPES = {"geojson": "application/geo+json", "csv": "text/csv", "gpkg": "application/geopackage+sqlite3"}
SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".gpkg": "gpkg"}

# RFC 7946 §11.2: six decimals is about 10 cm, more than any gazetteer point is worth.
PRECISION = 6

# Feature properties, in order, named as a GIS user reads them; `id` becomes `event_id` because
# GeoJSON features and GeoPackage rows have ids of their own.
PROPERTIES = [
    "event_id", "type", "date", "date_precision", "date_text", "actors", "target", "count",
    "confidence", "trigger", "sentence", "place_text", "place_name", "geonameid", "country_code",
    "location_name", "location_geonameid", "origin_name", "origin_geonameid", "destination_name",
    "destination_geonameid", "location_reason", "article_id", "article_title", "article_url", "published",
    # A user's corrections are in the values above; these say which, and what the parser had said.
    "corrected", "correction",
]  # fmt: skip
# The CSV has no geometry column: a point is lon/lat, a flow is its two ends.
CSV_COORDS = ["lon", "lat", "origin_lon", "origin_lat", "destination_lon", "destination_lat"]


def _properties(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=df.index)
    for c in PROPERTIES:
        src = "id" if c == "event_id" else c
        out[c] = df[src] if src in df else None
    for c in ("date", "published"):
        out[c] = pd.to_datetime(out[c]).dt.strftime("%Y-%m-%d")
    if "confidence" in out:
        out["confidence"] = out["confidence"].astype("float64").round(3)
    return out


_encode_str = json.encoder.encode_basestring  # the C escaper json.dumps uses (ensure_ascii=False)


def _json_fragments(s: pd.Series) -> list[str]:
    """Each value of a column as JSON text, 'null' for every kind of missing.

    GeoJSON of 100,000 events is about 3 million values; encoding them column by column with C
    functions mapped over lists, then splicing the fragments into a per-feature template, is
    several times faster than building dicts and calling json.dumps on them.
    """
    missing = s.isna().to_numpy()
    kind = s.dtype.kind if isinstance(s.dtype, np.dtype) else getattr(s.dtype, "kind", "O")
    if kind in "iu":
        out = list(map(str, s.to_numpy(dtype="int64", na_value=0).tolist()))
    elif kind == "f":
        vals = s.to_numpy(dtype="float64", na_value=np.nan)
        missing = missing | ~np.isfinite(vals)  # NaN and Infinity are not JSON
        out = list(map(repr, vals.tolist()))
    elif kind == "b":
        out = ["true" if v else "false" for v in s.tolist()]
    else:
        vals = s.astype(object).where(~missing, "").tolist()
        try:
            out = list(map(_encode_str, vals))
        except TypeError:  # not all text: a column of mixed values
            out = list(map(_encode_str, map(str, vals)))
    if missing.any():
        for i in np.flatnonzero(missing).tolist():
            out[i] = "null"
    return out


def _actor_fragments(s: pd.Series) -> list[str]:
    return ["[" + ",".join(map(_encode_str, a)) + "]" if isinstance(a, (list, tuple)) and len(a) else "[]" for a in s]


def _feature_strings(df: gpd.GeoDataFrame | None, kind: str) -> list[str]:
    if df is None or len(df) == 0:
        return []
    props = _properties(df)
    frags = [_actor_fragments(props[c]) if c == "actors" else _json_fragments(props[c]) for c in props.columns]
    ids = list(map(str, df["flow_id" if kind == "flow" else "id"].tolist()))
    if kind == "event":
        lon = np.round(df["lon"].to_numpy(dtype="float64", na_value=np.nan), PRECISION)
        lat = np.round(df["lat"].to_numpy(dtype="float64", na_value=np.nan), PRECISION)
        located = (np.isfinite(lon) & np.isfinite(lat)).tolist()
        geoms = [
            f'{{"type":"Point","coordinates":[{x!r},{y!r}]}}' if ok else "null"
            for x, y, ok in zip(lon.tolist(), lat.tolist(), located)
        ]
    else:
        rounded = shapely.transform(df.geometry.to_numpy(), lambda xy: np.round(xy, PRECISION))
        geoms = [g if g is not None else "null" for g in shapely.to_geojson(rounded).tolist()]
    keys = "".join(f",{_encode_str(c)}:%s" for c in props.columns)
    template = '{"type":"Feature","id":"' + kind + '/%s","geometry":%s,"properties":{"kind":"' + kind + '"' + keys + "}}"
    return [template % row for row in zip(ids, geoms, *frags)]


def to_geojson(events: gpd.GeoDataFrame | None, flows: gpd.GeoDataFrame | None = None) -> str:
    """An RFC 7946 FeatureCollection: events as Points, flows as (Multi)LineStrings, lon/lat WGS84,
    no `crs` member. Events without a place keep a null geometry rather than being dropped."""
    with gc_paused():
        features = _feature_strings(events, "event") + _feature_strings(flows, "flow")
        return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """Properties for flat formats: actors joined with '; '."""
    out = _properties(df)
    out["actors"] = pd.Series(
        ["; ".join(a) if isinstance(a, (list, tuple, np.ndarray)) else "" for a in out["actors"]], index=out.index, dtype=object
    )
    return out


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell a spreadsheet shows as text: one starting like a formula gets a leading quote
    (the OWASP rule). Numbers are left alone: -72.5 is a longitude, not a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(events: gpd.GeoDataFrame) -> str:
    """One row per event: the GeoJSON properties plus lon/lat and the flow's two ends. Text
    cells that a spreadsheet would run as formulas are neutralised (`neutralise`)."""
    out = _flat(events)
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise, na_action="ignore")
    for c in CSV_COORDS:
        out[c] = events[c].astype("float64").round(PRECISION)
    # RFC 4180's CRLF rows: the csv module quotes a cell only for the characters of the line
    # terminator, so with "\n" alone a cell holding a bare "\r" would split its row.
    return out.to_csv(index=False, lineterminator="\r\n")


def write_gpkg(path: str | Path, events: gpd.GeoDataFrame, flows: gpd.GeoDataFrame | None = None) -> None:
    """Layers `events` (Point) and `flows` (MultiLineString), both always present, possibly empty."""
    layers = [("events", events, "Point")]
    if flows is not None:
        layers.append(("flows", flows, "MultiLineString"))
    for layer, frame, gtype in layers:
        flat = _flat(frame)
        gdf = gpd.GeoDataFrame(flat, geometry=gpd.GeoSeries(frame.geometry.to_numpy(), index=flat.index, crs="EPSG:4326"))
        gdf.to_file(
            path,
            layer=layer,
            driver="GPKG",
            engine="pyogrio",
            geometry_type=gtype,
            promote_to_multi=gtype.startswith("Multi"),
        )


def to_gpkg(events: gpd.GeoDataFrame, flows: gpd.GeoDataFrame | None = None) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dateline.gpkg"
        write_gpkg(path, events, flows)
        return path.read_bytes()


def _property_columns() -> list[tuple[str, str]]:
    return [(c, "id" if c == "event_id" else c) for c in PROPERTIES]


def geojson_chunks(store: Store, filters: Filters | None = None, *, limit: int | None = None, counts: dict | None = None):
    """The FeatureCollection as a stream of text pieces, features written by the database.
    Same features as `to_geojson(store.events(...), store.flows(...))`, without the frames."""
    counts = {} if counts is None else counts
    yield '{"type":"FeatureCollection","features":['
    first = True
    for kind in ("event", "flow"):
        counts[kind] = 0
        for feature in store.feature_json(kind, _property_columns(), filters, limit=limit):
            yield feature if first else "," + feature
            first = False
            counts[kind] += 1
    yield "]}"


def query(
    store: Store, fmt: str, filters: Filters | None = None, limit: int | None = None
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None]:
    """The frames an export writes: at most `limit` events, newest first, and their flows."""
    events = store.events(filters, limit=limit)
    flows = None if fmt == "csv" else store.flows(filters, event_limit=limit)
    return events, flows


def export_bytes(store: Store, fmt: str, filters: Filters | None = None, *, limit: int | None = None) -> bytes:
    """The export of the selection as bytes (for a download button)."""
    fmt = _check_format(fmt)
    if fmt == "geojson":
        return "".join(geojson_chunks(store, filters, limit=limit)).encode("utf-8")
    events, flows = query(store, fmt, filters, limit)
    if fmt == "csv":
        return to_csv(events).encode("utf-8")
    return to_gpkg(events, flows)


def export_file(
    store: Store, fmt: str, path: str | Path, filters: Filters | None = None, *, limit: int | None = None
) -> tuple[int, int]:
    """Write the export to `path` ('-' for stdout, not for gpkg); returns (events, flows) written.

    GeoJSON streams from the database in chunks; CSV and GeoPackage go through frames.
    """
    fmt = _check_format(fmt)
    if str(path) == "-" and fmt == "gpkg":
        raise ValueError("a GeoPackage cannot go to standard output; give a file name with -o")
    counts = {"event": 0, "flow": 0}

    def write_text(out) -> None:
        if fmt == "geojson":
            for piece in geojson_chunks(store, filters, limit=limit, counts=counts):
                out.write(piece)
            out.write("\n")
        else:
            events, _ = query(store, fmt, filters, limit)
            counts["event"] = len(events)
            out.write(to_csv(events))

    if str(path) == "-":
        write_text(sys.stdout)
        return counts["event"], counts["flow"]
    with replacing(path) as tmp:
        if fmt == "gpkg":
            tmp.unlink()  # GDAL creates the file itself and will not write into an empty one
            events, flows = query(store, fmt, filters, limit)
            counts.update(event=len(events), flow=len(flows))
            write_gpkg(tmp, events, flows)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as out:
                write_text(out)
    return counts["event"], counts["flow"]


def _check_format(fmt: str) -> str:
    f = (fmt or "").lower().lstrip(".")
    f = {"json": "geojson"}.get(f, f)
    if f not in FORMATS:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    return f


def main(argv: list[str] | None = None) -> int:
    ap = ArgumentParser(
        prog="python -m geo export",
        description="Write stored events (points) and flows (lines) as GeoJSON, CSV or GeoPackage.",
    )
    ap.add_argument("--db", help="database URL or SQLite file (default: DATELINE_DB, else data/dateline.db)")
    ap.add_argument("--start", metavar="D", help="first event date, YYYY-MM-DD")
    ap.add_argument("--end", metavar="D", help="last event date, YYYY-MM-DD (inclusive)")
    ap.add_argument("--type", dest="types", nargs="+", action="extend", metavar="T", help="event types (any of)")
    ap.add_argument("--country", dest="countries", nargs="+", action="extend", metavar="CC", help="ISO country codes (any of)")
    ap.add_argument("--actor", dest="actors", nargs="+", action="extend", metavar="A", help="actors (any of, case ignored)")
    ap.add_argument("--text", metavar="Q", help="words that must all appear in the sentence, place or actors")
    ap.add_argument(
        "--min-confidence", type=float, metavar="C",
        help="only events the text reports at least this firmly, 0-1 (hedged, planned, denied or failed events score lower)",
    )  # fmt: skip
    ap.add_argument("--no-statements", action="store_true", help="leave statements out (what was said, not what happened)")
    ap.add_argument("--bbox", metavar="W,S,E,N", help="bounding box in degrees; W > E crosses the antimeridian")
    ap.add_argument("--limit", type=int, metavar="N", help="at most N events (newest first)")
    ap.add_argument("--format", choices=FORMATS, help="output format (default: from the -o suffix)")
    ap.add_argument("-o", "--output", required=True, metavar="FILE", help="output file, or - for standard output")
    args = ap.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        ap.error(f"--limit {args.limit}: give 1 or more events (leave it out for all)")
    fmt = args.format or SUFFIXES.get(Path(args.output).suffix.lower())
    if fmt is None:
        ap.error(f"--format is needed: cannot tell the format of {args.output!r} from its name")
    try:  # bad dates and boxes fail before the query
        filters = Filters(
            start=args.start, end=args.end, types=args.types, countries=args.countries, actors=args.actors,
            text=args.text, min_confidence=args.min_confidence, bbox=args.bbox, hide_statements=args.no_statements,
        )  # fmt: skip
    except ValueError as e:
        ap.error(str(e))
    try:
        url = normalise_url(args.db)
        db_file = sa.engine.make_url(url).database if url.startswith("sqlite") else None
    except sa.exc.ArgumentError:
        ap.error(f"--db {args.db!r} is neither a database URL nor a file name")
    if db_file and db_file != ":memory:" and not Path(db_file).is_file():
        if Path(db_file).is_dir():
            print(f"error: {db_file} is a folder, not a database", file=sys.stderr)
        else:
            print(f"error: no database at {db_file} (ingest some articles first, or pass --db)", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    try:
        store = Store(url)
    except (ValueError, OSError, sa.exc.SQLAlchemyError) as e:
        print(f"error: cannot open the store {args.db or url}: {one_line(e)}", file=sys.stderr)
        return 2
    try:
        with store:
            n_events, n_flows = export_file(store, fmt, args.output, filters, limit=args.limit)
    except (ValueError, OutputError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except sa.exc.SQLAlchemyError as e:
        print(f"error: reading the store {args.db or url}: {one_line(e)}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"error: writing {args.output}: {one_line(e)}", file=sys.stderr)
        return 2
    where = "standard output" if args.output == "-" else args.output
    flows = f" and {n_flows} flows" if fmt != "csv" else ""
    print(f"wrote {n_events} events{flows} to {where} ({fmt}, {time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    return 0
