"""The store's SELECTs: one selection (Filters) as WHERE clauses, the events and flows queries, and
rows read into typed frames. Every value is bound, never spliced into SQL text.
"""

from __future__ import annotations

import gc
import json
import re
import unicodedata
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import sqlalchemy as sa

from .filters import Filters
from .schema import FTS_TOKENIZE, PG_FOLD, pg_tsv  # noqa: F401 - FTS_TOKENIZE: named in a comment below

CRS = "EPSG:4326"

# A box smaller than this share of the globe selects fewer rows than a date or type index, so the
# spatial index should drive the query; a larger one would make it walk most of the table.
SMALL_BOX = 0.05
WORLD_DEG2 = 360.0 * 180.0

# Combining marks left over after NFC (letters with no precomposed form) stay inside their word.
WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])*")


def tokens(text: str | None) -> list[str]:
    # Letters and digits only: what both FTS5's unicode61 and PostgreSQL's parser call words, and
    # nothing that could be query syntax. Accents are left for the database to fold (see
    # FTS_TOKENIZE); lower(), not casefold(), since FTS5 keeps "ß" in the text and casefold
    # would make the query's "ss".
    return WORD.findall(unicodedata.normalize("NFC", text).lower()) if text else []


class Queries:
    """SELECT statements over one store's tables, in its database's dialect."""

    def __init__(self, tables: dict[str, sa.Table], postgis: bool):
        self.t = tables
        self.postgis = postgis
        # Whether the PostgreSQL text index folds accents (the store settles it when it opens):
        # a query must repeat the index's own expression to use it.
        self.pg_fold = True

    def events(self, f: Filters, limit: int | None) -> sa.Select:
        q = self.event_select().where(*self.where(f)).order_by(*self.order())
        return q.limit(int(limit)) if limit else q

    def flows(self, f: Filters, limit: int | None, event_limit: int | None = None):
        """The flows select, and the box Python must still test lines against (SQLite only
        compares bounding boxes). The box keeps lines that cross it, wherever their events are."""
        box = f.bbox
        fl = self.t["flows"]
        geom = sa.func.ST_AsBinary(fl.c.geom) if self.postgis else fl.c.wkb
        q = (
            self.event_select(flows=True)
            .add_columns(fl.c.id.label("flow_id"), fl.c.origin_cc, fl.c.destination_cc, geom.label("wkb"))
            .where(*self.where(replace(f, bbox=None), flows=True))
            .order_by(*self.order())
        )
        if event_limit:
            e = self.t["events"]
            newest = sa.select(e.c.id).where(*self.where(f)).order_by(*self.order()).limit(int(event_limit))
            q = q.where(e.c.id.in_(newest))
        if box:
            q = q.where(self._flow_box(box))
        exact_box = box_geometry(box) if box is not None and not self.postgis else None
        if limit and exact_box is None:
            q = q.limit(int(limit))
        return q, exact_box

    def event_select(self, flows: bool = False) -> sa.Select:
        e, a, p = self.t["events"], self.t["articles"], self.t["places"]
        loc, ori, dst = p.alias("loc"), p.alias("ori"), p.alias("dst")
        j = e.join(a, a.c.id == e.c.article_id)
        if flows:
            j = j.join(self.t["flows"], self.t["flows"].c.event_id == e.c.id)
        j = (
            j.outerjoin(loc, loc.c.id == e.c.location_id)
            .outerjoin(ori, ori.c.id == e.c.origin_id)
            .outerjoin(dst, dst.c.id == e.c.destination_id)
        )
        cols = [
            e.c.id, e.c.article_id, e.c.type, e.c.date, e.c.date_precision, e.c.date_text, e.c.actors,
            e.c.target, e.c.count, e.c.confidence, e.c.trigger, e.c.sentence, e.c.place_text,
            e.c.place_name, e.c.geonameid, e.c.country_code,
            loc.c.name.label("location_name"), loc.c.geonameid.label("location_geonameid"),
            ori.c.name.label("origin_name"), ori.c.geonameid.label("origin_geonameid"),
            dst.c.name.label("destination_name"), dst.c.geonameid.label("destination_geonameid"),
            e.c.location_reason, a.c.title.label("article_title"), a.c.url.label("article_url"),
            a.c.published, e.c.lon, e.c.lat,
            ori.c.lon.label("origin_lon"), ori.c.lat.label("origin_lat"),
            dst.c.lon.label("destination_lon"), dst.c.lat.label("destination_lat"),
            # A user's corrections are already in the values above; these say so (geo/store/corrections.py).
            e.c.correction.is_not(None).label("corrected"), e.c.correction,
        ]  # fmt: skip
        return sa.select(*cols).select_from(j)

    # Filters each events index answers by itself, with the column it leads with.
    INDEX_COVERS = {"type": {"type", "start", "end"}, "country_code": {"country_code", "start", "end"}, "date": {"start", "end"}}

    def group_key(self, col, f: Filters):
        """`col` to group by. SQLite likes to walk the index on the grouped column to skip a sort;
        when the filters need columns that index lacks, it then tests every row against them: a
        whole-table walk where the filter's own index reads a tenth (seconds at a million
        events). `col || ''` keeps the values and takes that index out of the running."""
        renamed = {"types": "type", "hide_statements": "type", "countries": "country_code", "brush": "start"}
        used = {renamed.get(u, u) for u in f.used()}
        if self.postgis or used <= self.INDEX_COVERS.get(col.name, set()) | {col.name}:
            return col
        as_text = sa.type_coerce(col, sa.Text).concat("")
        return sa.type_coerce(as_text, col.type).label(col.name)  # typed as the column for the frame

    def order(self):
        e = self.t["events"]
        return [e.c.date.desc().nulls_last(), e.c.id.desc()]

    def where(self, f: Filters, flows: bool = False) -> list:
        e = self.t["events"]
        w = []
        start, end = f.window()
        if start and end and start > end:
            return [sa.false()]  # a timeline brush outside the dates selected
        if start:
            w.append(e.c.date >= start)
        if end:
            w.append(e.c.date <= end)
        if f.types:
            w.append(e.c.type.in_(f.types))
        if f.countries:
            if flows:
                fl = self.t["flows"]
                w.append(sa.or_(e.c.country_code.in_(f.countries), fl.c.origin_cc.in_(f.countries), fl.c.destination_cc.in_(f.countries)))
            else:
                w.append(e.c.country_code.in_(f.countries))
        if f.actors:
            ea = self.t["event_actors"]
            keys = sorted({a.casefold() for a in f.actors})
            w.append(e.c.id.in_(sa.select(ea.c.event_id).where(ea.c.actor_key.in_(keys))))
        if f.text:
            w.append(self._text_match(f.text))
        if f.located:
            w.append(e.c.lon.is_not(None))
        elif f.located is False:
            w.append(e.c.lon.is_(None))
        if f.bbox:
            w.append(self._point_box(f.bbox))
        if f.min_confidence:
            w.append(e.c.confidence >= f.min_confidence)
        if f.hide_statements:
            w.append(e.c.type != "statement")
        return w

    def _text_match(self, text: str):
        e = self.t["events"]
        toks = tokens(text)
        if not toks:
            return sa.false()
        if self.postgis:
            # Each word folded like the text, then quoted: unaccent can turn a letter into
            # punctuation ("ŉ" -> "'n") that would otherwise be tsquery syntax.
            fold = f"{PG_FOLD}(:t{{i}})" if self.pg_fold else ":t{i}"
            tsq = " && ".join(
                f"to_tsquery('simple'::regconfig, quote_literal({fold.format(i=i)}) || ':*')" for i in range(len(toks))
            )
            expr = pg_tsv(self.pg_fold, "events")
            return sa.text(f"{expr} @@ ({tsq})").bindparams(**{f"t{i}": t for i, t in enumerate(toks)})
        fts = sa.table("events_fts", sa.column("rowid"), sa.column("events_fts"))
        match = " ".join(f'"{t}"*' for t in toks)
        return e.c.id.in_(sa.select(fts.c.rowid).where(fts.c.events_fts.op("MATCH")(match)))

    def _point_box(self, box):
        e = self.t["events"]
        w, s, east, n = box
        if w <= east:
            exact = sa.and_(e.c.lat.between(s, n), e.c.lon.between(w, east))
        else:
            exact = sa.and_(e.c.lat.between(s, n), sa.or_(e.c.lon >= w, e.c.lon <= east))
        if self.postgis:
            env = [sa.func.ST_MakeEnvelope(w, s, east, n, 4326)] if w <= east else [
                sa.func.ST_MakeEnvelope(w, s, 180, n, 4326), sa.func.ST_MakeEnvelope(-180, s, east, n, 4326)
            ]  # fmt: skip
            return sa.and_(sa.or_(*[e.c.geom.op("&&")(x) for x in env]), exact)
        width = east - w if w <= east else 360 - (w - east)
        if width * (n - s) / WORLD_DEG2 < SMALL_BOX and w <= east:
            r = sa.table("events_rtree", *(sa.column(c) for c in ("id", "min_lon", "max_lon", "min_lat", "max_lat")))
            near = sa.select(r.c.id).where(r.c.max_lon >= w, r.c.min_lon <= east, r.c.max_lat >= s, r.c.min_lat <= n)
            return sa.and_(e.c.id.in_(near), exact)
        return exact

    def _flow_box(self, box):
        fl = self.t["flows"]
        w, s, east, n = box
        if self.postgis:
            return sa.func.ST_Intersects(fl.c.geom, sa.func.ST_GeomFromWKB(shapely.to_wkb(box_geometry(box)), 4326))
        lat = sa.and_(fl.c.max_lat >= s, fl.c.min_lat <= n)
        if w <= east:
            return sa.and_(lat, fl.c.max_lon >= w, fl.c.min_lon <= east)
        return sa.and_(lat, sa.or_(fl.c.max_lon >= w, fl.c.min_lon <= east))


def frame(engine: sa.Engine, q, json_lists: Sequence[str] = ()) -> pd.DataFrame:
    """Rows of `q` as a DataFrame typed from the query's column types; `json_lists` names
    JSON-array text columns to parse into lists.

    Built for 100,000-row exports: rows come straight from the DBAPI cursor (SQLAlchemy's
    per-row processing costs more than the query), text stays object dtype (inferring
    pandas' str dtype costs more than the query too), and the garbage collector is paused
    while millions of new objects are made, none of them cyclic.
    """
    types = [c.type for c in q.selected_columns]
    with gc_paused(), engine.connect() as conn:
        res = conn.execute(q)
        cols = list(res.keys())
        rows = res.cursor.fetchall() if res.cursor is not None else []
        data = {c: np.array(v, dtype=object) for c, v in zip(cols, zip(*rows))} if rows else {}
        for c in json_lists:
            if c in data:
                parsed = json.loads("[" + ",".join(a or "[]" for a in data[c]) + "]")
                data[c] = pd.Series(parsed, dtype=object).to_numpy()
        df = pd.DataFrame(data, columns=cols, dtype=object)
        for c, t in zip(cols, types):
            if c in json_lists:
                continue
            if isinstance(t, sa.Boolean):  # SQLite answers 0/1
                df[c] = df[c].astype(bool)
            elif isinstance(t, sa.Integer):
                df[c] = pd.array(df[c].to_numpy(), dtype="Int64")
            elif isinstance(t, sa.Float):
                df[c] = pd.to_numeric(df[c]).astype("float64")
            elif isinstance(t, sa.DateTime):
                # SQLite keeps timestamps as zone-less text; every timestamp stored is UTC.
                df[c] = pd.to_datetime(df[c], format="ISO8601", utc=True)
            elif isinstance(t, sa.Date):
                df[c] = pd.to_datetime(df[c], format="ISO8601")
    return df


@contextmanager
def gc_paused():
    """For code that makes millions of short-lived, acyclic objects (rows, JSON fragments):
    collections triggered by allocation counts would re-walk them all, for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def box_geometry(box):
    w, s, e, n = box
    if w <= e:
        return shapely.box(w, s, e, n)
    return shapely.MultiPolygon([shapely.box(w, s, 180, n), shapely.box(-180, s, e, n)])


def event_frame(df: pd.DataFrame, geometry=None) -> gpd.GeoDataFrame:
    """The frame of `Queries.event_select` rows with its geometry: points from lon/lat unless given."""
    for c in ("id", "article_id", "flow_id"):
        if c in df:
            df[c] = df[c].astype("int64")
    if geometry is None:
        lon, lat = df["lon"].to_numpy(dtype="float64", na_value=np.nan), df["lat"].to_numpy(dtype="float64", na_value=np.nan)
        geometry = shapely.points(lon, lat)
        geometry[np.isnan(lon) | np.isnan(lat)] = None
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geometry, index=df.index, crs=CRS), crs=CRS)
