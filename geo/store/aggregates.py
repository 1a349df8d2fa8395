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


# An event placed only by its article's dateline: the reason the parser gave starts so (see
# geo/text/event_locate.py: "dateline", "dateline only: ..."), whatever it adds after.
DATELINE_REASON = "dateline%"


def place_groups(store, f: Filters) -> list[tuple]:
    """Located events counted per place and type: (place_id, lat, lon, type, place name,
    country code, events, events placed only by the dateline, the place's level). Events stored
    without a place id are told apart by their point; their level is None."""
    e, p = store.t["events"], store.t["places"]
    weak = sa.func.sum(sa.case((sa.func.lower(e.c.location_reason).like(DATELINE_REASON), 1), else_=0))
    cols = [
        e.c.place_id, e.c.lat, e.c.lon, e.c.type, sa.func.min(e.c.place_name).label("name"),
        sa.func.min(e.c.country_code).label("cc"), sa.func.count().label("n"), weak.label("weak"),
    ]  # fmt: skip
    grouped = (
        sa.select(*cols)
        .where(*store.sql.where(f), e.c.lon.is_not(None), e.c.lat.is_not(None))
        .group_by(e.c.place_id, e.c.lat, e.c.lon, e.c.type)
        .subquery()
    )
    # The level is looked up after grouping: a few thousand groups, not every event, meet the join.
    q = sa.select(*grouped.c, p.c.level).select_from(grouped.outerjoin(p, p.c.id == grouped.c.place_id))
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(q).all()]


# Time bins, the steps of the map's playback: each is counted from the bin holding `first`.
TIME_UNITS = ("day", "week", "month", "year")


def _bin_expr(store, col, unit: str, first):
    """The bin of a date column: whole days, weeks (from `first`, a Monday), months or years
    since `first`'s."""
    if unit not in TIME_UNITS:
        raise ValueError(f"unit {unit!r}: expected one of {', '.join(TIME_UNITS)}")
    if store.postgis:
        days = col - sa.literal(first, sa.Date)
        year, month = sa.extract("year", col), sa.extract("month", col)
    else:  # dates are ISO text in SQLite
        if unit in ("day", "month", "year"):
            # A prefix of the text is the bin's name, a third cheaper per row than date
            # functions; _bin_number turns the few names into numbers.
            return sa.func.substr(col, 1, {"day": 10, "month": 7, "year": 4}[unit])
        days = sa.func.julianday(col) - sa.func.julianday(first.isoformat())
    if unit == "day":
        return sa.cast(days, sa.Integer)
    if unit == "week":
        return sa.cast(sa.func.floor(days / 7.0), sa.Integer) if store.postgis else sa.cast(days / 7, sa.Integer)
    if unit == "month":
        return sa.cast(year * 12 + month, sa.Integer) - (first.year * 12 + first.month)
    return sa.cast(year, sa.Integer) - first.year


def date_range(store, f: Filters) -> tuple:
    """The first and last date of the selected events (None, None when none is dated)."""
    e = store.t["events"]
    where = store.sql.where(f)
    with store.engine.connect() as conn:
        # Separate statements, so each can read one end of a date index.
        lo = conn.execute(sa.select(sa.func.min(e.c.date)).where(*where)).scalar()
        hi = conn.execute(sa.select(sa.func.max(e.c.date)).where(*where)).scalar()
    return lo, hi


def time_series(store, f: Filters, unit: str, first, group: str = "place_type", cell_deg: float | None = None) -> list[tuple]:
    """Dated events counted per map group (see GROUPINGS), country and time bin, for the map's
    playback: (group key..., country code, bin, events). The group key is (place_id, lat, lon,
    type), (place_id, lat, lon) or a grid cell's (column, row); unlocated events come with a
    None key and count for their country only. Bins count `unit`s from `first` (TIME_UNITS)."""
    e = store.t["events"]
    b = _bin_expr(store, e.c.date, unit, first).label("bin")
    if group in ("place_type", "place"):
        # A place id fixes the point and the country: grouping by the id alone (the point only
        # where there is no id) sorts a third less than grouping by all of them.
        unplaced = [sa.case((e.c.place_id.is_(None), c)) for c in (e.c.lat, e.c.lon)]
        by = [e.c.place_id, *unplaced] + ([e.c.type] if group == "place_type" else [])
        cols = [e.c.place_id, sa.func.min(e.c.lat), sa.func.min(e.c.lon)] + ([e.c.type] if group == "place_type" else [])
        cols.append(sa.func.min(e.c.country_code))
    elif group == "cell" and cell_deg:
        cells = [k.label(f"cell{i}") for i, k in enumerate(_cell_exprs(store, cell_deg))]
        by = cols = [*cells, e.c.country_code]
    else:
        raise ValueError(f"group {group!r}: expected one of {', '.join(GROUPINGS)} (cell needs cell_deg)")
    q = sa.select(*cols, b, sa.func.count()).where(*store.sql.where(f), e.c.date.is_not(None)).group_by(*by, b)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    number = _bin_number(unit, first)
    return [(*r[:-2], number(r[-2]), r[-1]) for r in rows]


def _bin_number(unit: str, first):
    """Bin names (an ISO prefix from SQLite) or numbers (PostgreSQL) -> bin numbers."""
    import datetime as dt

    seen: dict = {}

    def number(v):
        if isinstance(v, int):
            return v
        if v not in seen:
            y, m, d = (str(v).split("-") + ["1", "1"])[:3]
            day = dt.date(int(y), int(m), int(d))
            if unit == "day":
                seen[v] = (day - first).days
            elif unit == "month":
                seen[v] = (day.year - first.year) * 12 + day.month - first.month
            elif unit == "year":
                seen[v] = day.year - first.year
            else:
                seen[v] = int(v)
        return seen[v]

    return number


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
        e.c.correction,  # what a user's correction changed (geo/store/corrections.py), for the popup
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
