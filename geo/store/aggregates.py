"""What the map draws, counted and picked in the database: events per place (and type), per grid
cell, and the newest events of each group for its popup. Rows come back as plain tuples and
dicts: the map walks a few thousand of them group by group, which pandas makes a hundred times
slower.
"""

from __future__ import annotations

import sqlalchemy as sa

from .filters import Filters

# How latest_events groups: per place and type (one marker per type at a place), per place, or
# per grid cell of `cell_deg` degrees.
GROUPINGS = ("place_type", "place", "cell")


def place_groups(store, f: Filters) -> list[tuple]:
    """Located events counted per place and type: (place_id, lat, lon, type, place name,
    country code, events). Events stored without a place id are told apart by their point."""
    e = store.t["events"]
    cols = [e.c.place_id, e.c.lat, e.c.lon, e.c.type, sa.func.min(e.c.place_name), sa.func.min(e.c.country_code), sa.func.count()]
    q = (
        sa.select(*cols)
        .where(*store.sql.where(f), e.c.lon.is_not(None), e.c.lat.is_not(None))
        .group_by(e.c.place_id, e.c.lat, e.c.lon, e.c.type)
    )
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(q).all()]


def _cell_exprs(store, deg: float):
    e = store.t["events"]
    if store.postgis:  # PostgreSQL rounds a float cast to integer; floor is what a grid needs
        return (sa.func.floor((e.c.lon + 180.0) / deg), sa.func.floor((e.c.lat + 90.0) / deg))
    # Both operands are non-negative, so SQLite's truncating cast is floor.
    return (sa.cast((e.c.lon + 180.0) / deg, sa.Integer), sa.cast((e.c.lat + 90.0) / deg, sa.Integer))


def latest_events(store, f: Filters, per_group: int, group: str = "place_type", cell_deg: float | None = None) -> list[dict]:
    """The `per_group` newest located events of every group (see GROUPINGS), newest first, with
    what popups show: the article, the place and why the resolver chose it, the route's ends."""
    e, a, p, m = store.t["events"], store.t["articles"], store.t["places"], store.t["mentions"]
    if group == "place_type":
        partition = [e.c.place_id, e.c.lat, e.c.lon, e.c.type]
    elif group == "place":
        partition = [e.c.place_id, e.c.lat, e.c.lon]
    elif group == "cell" and cell_deg:
        partition = list(_cell_exprs(store, cell_deg))
    else:
        raise ValueError(f"group {group!r}: expected one of {', '.join(GROUPINGS)} (cell needs cell_deg)")
    rn = sa.func.row_number().over(partition_by=partition, order_by=store.sql.order())
    ranked = sa.select(e.c.id, rn.label("rn")).where(*store.sql.where(f), e.c.lon.is_not(None), e.c.lat.is_not(None)).subquery()
    ids = sa.select(ranked.c.id).where(ranked.c.rn <= per_group)
    ori, dst = p.alias("ori"), p.alias("dst")

    # Why the gazetteer chose this place: the resolver's reason for the mention the event is
    # placed by, else for any mention of that place (SQLite cannot order a correlated subquery
    # by an outer column, hence two subqueries).
    def first_reason(*conds):
        return (
            sa.select(m.c.reason)
            .where(m.c.article_id == e.c.article_id, m.c.place_id == e.c.place_id, *conds)
            .order_by(m.c.start)
            .limit(1)
            .scalar_subquery()
        )

    reason = sa.func.coalesce(first_reason(m.c.text == e.c.place_text), first_reason())
    cols = [
        e.c.id, e.c.place_id, e.c.lat, e.c.lon, e.c.type, e.c.date, e.c.date_precision, e.c.date_text,
        e.c.actors, e.c.count, e.c.trigger, e.c.sentence, e.c.place_text, e.c.place_name, e.c.country_code,
        e.c.location_reason, reason.label("place_reason"), a.c.title.label("article_title"),
        a.c.url.label("article_url"), a.c.published, ori.c.name.label("origin_name"),
        dst.c.name.label("destination_name"),
    ]  # fmt: skip
    q = (
        sa.select(*cols)
        .select_from(
            e.join(a, a.c.id == e.c.article_id)
            .outerjoin(ori, ori.c.id == e.c.origin_id)
            .outerjoin(dst, dst.c.id == e.c.destination_id)
        )
        .where(e.c.id.in_(ids))
        .order_by(*store.sql.order())
    )
    with store.engine.connect() as conn:
        res = conn.execute(q)
        keys = list(res.keys())
        return [dict(zip(keys, row)) for row in res.all()]
