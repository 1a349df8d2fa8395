"""Events and flows as GeoJSON Feature texts, written by the database and streamed in chunks, so an
export of a million events never holds a frame in memory."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import shapely
import sqlalchemy as sa

from .filters import Filters


def feature_json(
    store, kind: str, properties: Sequence[tuple[str, str]], filters: Filters | None = None, *,
    limit: int | None = None, chunk: int = 20_000,
) -> Iterable[str]:  # fmt: skip
    """GeoJSON Feature texts for events ('event': points) or flows ('flow': lines), streamed.
    A limit counts events; flows are those of the events it keeps.

    The database writes each feature's properties (and a point's geometry) as JSON, so an
    export of a million events never holds a frame in memory. `properties` pairs an output
    name with a column of `events()`/`flows()`, in output order; a 'kind' property leads.
    """
    f = filters or Filters()
    if kind == "event":
        q, exact_box = store.sql.events(f, limit), None
    elif kind == "flow":
        q, exact_box = store.sql.flows(f, None, event_limit=limit)
        limit = None
    else:
        raise ValueError(f"kind {kind!r}: expected 'event' or 'flow'")
    cols = q.selected_columns
    pg = store.postgis
    obj = sa.func.json_build_object if pg else sa.func.json_object
    arr = sa.func.json_build_array if pg else sa.func.json_array

    def rounded(col, digits):
        # PostgreSQL rounds only numeric, whose JSON keeps trailing zeros: back to float8.
        return sa.cast(sa.func.round(sa.cast(col, sa.Numeric), digits), sa.Float) if pg else sa.func.round(col, digits)

    def value(col):
        c = cols[col]
        if col == "actors":
            return sa.cast(c, sa.JSON) if pg else sa.func.json(c)
        if col == "confidence":
            return rounded(c, 3)
        return c

    args: list = [sa.literal("kind"), sa.literal(kind)]
    for name, col in properties:
        args += [sa.literal(name), value(col)]
    ident = cols["flow_id"] if kind == "flow" else cols["id"]
    if kind == "event":
        e = store.t["events"]
        point = obj(sa.literal("type"), sa.literal("Point"), sa.literal("coordinates"), arr(rounded(e.c.lon, 6), rounded(e.c.lat, 6)))
        geom = sa.case((e.c.lon.is_(None), None), else_=point)
        geom = sa.cast(geom, sa.Text) if pg else sa.func.json(geom)
    elif pg:
        geom = sa.func.ST_AsGeoJSON(store.t["flows"].c.geom, 6)
    else:
        geom = cols["wkb"]
    props = sa.cast(obj(*args), sa.Text) if pg else obj(*args)
    q = q.with_only_columns(ident, geom, props, maintain_column_froms=True)
    template = '{"type":"Feature","id":"' + kind + '/%s","geometry":%s,"properties":%s}'
    left = int(limit) if limit else None
    with store.engine.connect() as conn:
        res = conn.execution_options(stream_results=True, yield_per=chunk).execute(q)
        while left is None or left > 0:
            rows = res.fetchmany(chunk)
            if not rows:
                break
            ids, geoms, texts = zip(*rows)
            if kind == "flow" and not pg:
                shapes = shapely.from_wkb(np.array(geoms, dtype=object))
                if exact_box is not None:
                    keep = shapely.intersects(shapes, exact_box)
                    shapes = shapes[keep]
                    ids = [i for i, k in zip(ids, keep.tolist()) if k]
                    texts = [t for t, k in zip(texts, keep.tolist()) if k]
                geoms = shapely.to_geojson(shapely.transform(shapes, lambda xy: np.round(xy, 6))).tolist()
            geoms = ["null" if g is None else g for g in geoms]
            out = [template % r for r in zip(ids, geoms, texts)]
            if left is not None:
                out, left = out[:left], left - len(out)
            yield from out
