"""A user's corrections: an event's place, type or date, "not an event", and aliases (a name's
place in one article or in the whole store). Each is a row of the corrections table, and each
is applied to the events it touches when it is made, so every query, index, count and export
shows it with no clause of its own.

How an event's row is kept right, whatever order corrections are made and undone in:

- The first correction of a field saves the parser's value in the event's `parsed` column
  (JSON); `refresh` recomputes an event from those parser values and the active corrections that
  apply to it: the event's own latest correction of each field, else for its place the newest
  alias of its place name in its article, else in the store. Undoing a correction marks it undone
  (it stays listed) and refreshes what it touched, so the next correction in line, or the
  parser's value, comes back.
- "Not an event" removes the event's rows (event, actors, flow) after saving them whole in the
  correction; undo puts them back with the same id. Nothing then has to remember to leave the
  event out: not the map's aggregates, the facets, the text index or an export.
- Mention rows keep what the parser wrote; the article reader shows them through the aliases in
  force (`overlay`), which is cheap for one article and never needs undoing.
- Corrections name their event by id and by a key that survives a re-parse (sentence offsets,
  trigger, the parser's type): `python -m geo reparse` finds each event again and re-applies
  (geo/store/reparse.py).

Corrections are never deleted: undo marks them undone.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import shapely
import sqlalchemy as sa

from geo.model import Place
from geo.text.aliases import REASON as ALIAS_REASON
from geo.text.aliases import RESOLVER_CHOICE, name_key
from geo.text.taxonomy import BY_NAME

from .flows import flow_geometry
from .rows import place_key

EVENT_FIELDS = ("place", "type", "date")
EVENT_TYPES = tuple(BY_NAME)  # what a type may be corrected to
WHATS = (*EVENT_FIELDS, "not_event", "alias")
PRECISIONS = ("day", "week", "month", "year")
# The columns that say where an event is: its one point (denormalised for the map), the roles'
# place ids and why it is there. A place correction or alias sets them together.
PLACE_COLS = ("place_id", "place_name", "geonameid", "country_code", "lat", "lon", "location_id", "origin_id", "destination_id", "location_reason")
ROLES = ("location", "destination", "origin")  # Event.primary()'s order


class CorrectionError(ValueError):
    """A correction that cannot be made or undone, with a message naming what and why."""


# -- values --------------------------------------------------------------------------------


def place_value(p: Place) -> dict:
    return {"geonameid": p.geonameid, "name": p.name, "country_code": p.country_code, "level": p.level,
            "lat": p.lat, "lon": p.lon, "population": p.population, "feature_code": p.feature_code,
            "admin1": p.admin1}  # fmt: skip


def place_from_value(v: dict) -> Place:
    return Place(v["geonameid"], v["name"], v.get("country_code"), v.get("level") or "city", float(v["lat"]), float(v["lon"]),
                 int(v.get("population") or 0), v.get("feature_code") or "", v.get("admin1"))  # fmt: skip


def parse_date_value(text: str) -> dict:
    """A corrected date from YYYY-MM-DD (day), YYYY-Www (week), YYYY-MM (month), YYYY (year) or
    'none' (undated); CorrectionError naming the text otherwise."""
    t = (text or "").strip()
    if t.lower() in ("none", "undated"):
        return {"date": None, "date_precision": "none"}
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
            return {"date": dt.date.fromisoformat(t).isoformat(), "date_precision": "day"}
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", t, flags=re.I):
            return {"date": dt.date.fromisocalendar(int(m[1]), int(m[2]), 1).isoformat(), "date_precision": "week"}
        if re.fullmatch(r"\d{4}-\d{2}", t):
            return {"date": dt.date.fromisoformat(t + "-01").isoformat(), "date_precision": "month"}
        if re.fullmatch(r"\d{4}", t):
            return {"date": dt.date(int(t), 1, 1).isoformat(), "date_precision": "year"}
    except ValueError:
        pass
    raise CorrectionError(f"date {text!r} is not a date: expected YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY or none")


def date_value(day: dt.date | None, precision: str) -> dict:
    """A corrected date from a day and how precisely it is known: stored as the week's Monday,
    the month's or the year's first day, as the parser stores such dates."""
    if precision not in (*PRECISIONS, "none"):
        raise CorrectionError(f"date precision {precision!r}: expected one of {', '.join(PRECISIONS)}")
    if day is None or precision == "none":
        return {"date": None, "date_precision": "none"}
    if precision == "week":
        day -= dt.timedelta(days=day.weekday())
    elif precision == "month":
        day = day.replace(day=1)
    elif precision == "year":
        day = day.replace(month=1, day=1)
    return {"date": day.isoformat(), "date_precision": precision}


def check_type(name: str) -> str:
    if name not in BY_NAME:
        raise CorrectionError(f"type {name!r} is not an event type: expected one of {', '.join(EVENT_TYPES)}")
    return name


def _place_label(v: dict | None) -> str:
    if not v or v.get("place_name") is None and v.get("name") is None:
        return "no place"
    name = v.get("place_name") or v.get("name")
    cc = v.get("country_code")
    return f"{name} ({cc})" if cc else str(name)


def _date_label(v: dict | None) -> str:
    if not v or not v.get("date"):
        return "undated"
    return f"{_iso(v['date'])} ({v.get('date_precision') or 'day'})"


def _iso(d) -> str:
    return d.isoformat() if isinstance(d, dt.date) else str(d)[:10]


def describe(what: str, v: Any) -> str:
    """A value as a person reads it: 'Georgia (US)', 'protest', '2019-02-03 (day)'."""
    if what in ("place", "alias"):
        return _place_label(v)
    if what == "date":
        return _date_label(v)
    if what == "type":
        return str(v).replace("_", " ")
    if what == "not_event":
        return "not an event"
    return str(v)


def was_text(parsed: str | dict | None) -> str | None:
    """What the parser said of the corrected fields: 'place was Georgia (GE); type was statement'."""
    if not parsed:
        return None
    p = json.loads(parsed) if isinstance(parsed, str) else parsed
    return "; ".join(f"{k} was {describe(k, p[k])}" for k in EVENT_FIELDS if k in p) or None


# -- rows of one event ---------------------------------------------------------------------


@dataclass
class Ctx:
    """What the functions below need of the store: its tables, dialect and place ids."""

    t: dict[str, sa.Table]
    postgis: bool
    place_ids: Any  # (conn, {key: Place}) -> {key: id}


def _json_row(row: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}


def _event_cols(t) -> list:
    # PostGIS computes geom from lon/lat; it is never written.
    return [c for c in t["events"].c if c.name != "geom"]


def _current(row: dict, what: str) -> dict | str:
    if what == "place":
        return {c: row[c] for c in PLACE_COLS}
    if what == "date":
        return {"date": _iso(row["date"]) if row["date"] else None, "date_precision": row["date_precision"], "date_text": row["date_text"]}
    return row["type"]


def parser_values(row: dict) -> dict:
    """The parser's place, type and date of an event row: its own values under those `parsed` saved."""
    saved = json.loads(row["parsed"]) if row.get("parsed") else {}
    return {f: saved[f] if f in saved else _current(row, f) for f in EVENT_FIELDS}


def event_key(row: dict) -> dict:
    """What finds an event again after a re-parse: sentence offsets, trigger, the parser's type."""
    return {"start": row["start"], "end": row["end"], "trigger": row["trigger"], "type": parser_values(row)["type"]}


def _role(v: dict) -> str:
    """Which role's place is the event's point: as saved, else Event.primary()'s order, else location."""
    if v.get("role") in ROLES:
        return v["role"]
    for r in ROLES:
        if v.get(f"{r}_id") is not None and v.get(f"{r}_id") == v.get("place_id"):
            return r
    return "location"


def _placed(base: dict, pid: int, p: Place, reason: str) -> dict:
    v = dict(base)
    role = _role(base)
    v.update(place_id=pid, place_name=p.name, geonameid=p.geonameid, country_code=p.country_code,
             lat=float(p.lat), lon=float(p.lon), location_reason=reason)  # fmt: skip
    v[f"{role}_id"] = pid
    return v


def _places_by_id(conn, ctx: Ctx, ids: Iterable[int]) -> dict[int, Place]:
    p = ctx.t["places"]
    ids = [i for i in set(ids) if i is not None]
    if not ids:
        return {}
    rows = conn.execute(sa.select(p.c.id, p.c.geonameid, p.c.name, p.c.country_code, p.c.level, p.c.lat, p.c.lon).where(p.c.id.in_(ids)))
    return {r.id: Place(r.geonameid, r.name, r.country_code, r.level or "city", r.lat, r.lon) for r in rows}


def flow_row(event_id: int, origin_id: int, dest_id: int, origin: Place, dest: Place, geom, postgis: bool) -> dict:
    w, s, e, n = shapely.bounds(geom).tolist()
    row = {
        "event_id": event_id, "origin_id": origin_id, "destination_id": dest_id,
        "origin_cc": origin.country_code, "destination_cc": dest.country_code,
        "min_lon": w, "min_lat": s, "max_lon": e, "max_lat": n,
    }  # fmt: skip
    if postgis:
        from geoalchemy2.shape import from_shape

        row["geom"] = from_shape(geom, srid=4326)
    else:
        row["wkb"] = shapely.to_wkb(geom)
    return row


def redraw_flow(conn, ctx: Ctx, event_id: int, origin_id: int | None, dest_id: int | None) -> None:
    """The event's origin -> destination line after either end moved (none when they meet)."""
    fl = ctx.t["flows"]
    conn.execute(fl.delete().where(fl.c.event_id == event_id))
    if origin_id is None or dest_id is None or origin_id == dest_id:
        return
    places = _places_by_id(conn, ctx, [origin_id, dest_id])
    o, d = places.get(origin_id), places.get(dest_id)
    geom = flow_geometry(o, d) if o and d else None
    if geom is not None and not geom.is_empty:
        conn.execute(fl.insert().values(**flow_row(event_id, origin_id, dest_id, o, d, geom, ctx.postgis)))


# -- which corrections apply -----------------------------------------------------------------


def _active(conn, ctx: Ctx, *conds) -> list[dict]:
    c = ctx.t["corrections"]
    return [dict(r) for r in conn.execute(sa.select(c).where(c.c.state == "active", *conds).order_by(c.c.id)).mappings()]


def refresh(conn, ctx: Ctx, event_ids: Sequence[int]) -> int:
    """Recompute events from their parser values and the corrections that apply now; returns
    how many rows changed. The events must exist (a hidden event has no row to refresh)."""
    if not event_ids:
        return 0
    e, c = ctx.t["events"], ctx.t["corrections"]
    changed = 0
    for i in range(0, len(event_ids), 500):
        chunk = list(event_ids[i : i + 500])
        rows = [dict(r) for r in conn.execute(sa.select(*_event_cols(ctx.t)).where(e.c.id.in_(chunk))).mappings()]
        if not rows:
            continue
        own: dict[int, dict[str, dict]] = {}
        for corr in _active(conn, ctx, c.c.event_id.in_([r["id"] for r in rows]), c.c.what.in_(EVENT_FIELDS)):
            own.setdefault(corr["event_id"], {})[corr["what"]] = corr  # later ids win
        keys = {name_key(r["place_text"]) for r in rows if r["place_text"]}
        aliases: dict[tuple, dict] = {}
        if keys:
            for corr in _active(conn, ctx, c.c.what == "alias", c.c.name_key.in_(sorted(keys))):
                aliases[(corr["article_id"], corr["name_key"])] = corr
        need = {}
        for corr in [*aliases.values(), *(x for d in own.values() for x in d.values() if x["what"] == "place")]:
            v = json.loads(corr["value"])
            need[place_key(place_from_value(v))] = place_from_value(v)
        ids = ctx.place_ids(conn, need) if need else {}
        for row in rows:
            changed += _refresh_row(conn, ctx, row, own.get(row["id"], {}), aliases, ids)
    return changed


def _refresh_row(conn, ctx: Ctx, row: dict, own: dict[str, dict], aliases: dict, ids: dict) -> int:
    parser = parser_values(row)
    new = {"type": parser["type"], "date": parser["date"], "place": parser["place"]}
    notes, parsed = [], {}
    if "type" in own:
        new["type"] = json.loads(own["type"]["value"])
        parsed["type"] = parser["type"]
        notes.append(f"type was {describe('type', parser['type'])} (#{own['type']['id']})")
    if "date" in own:
        new["date"] = {**json.loads(own["date"]["value"]), "date_text": None}
        parsed["date"] = parser["date"]
        notes.append(f"date was {describe('date', parser['date'])} (#{own['date']['id']})")
    key = name_key(row["place_text"]) if row["place_text"] else None
    place_fix = own.get("place") or aliases.get((row["article_id"], key)) or aliases.get((None, key))
    if place_fix is not None:
        p = place_from_value(json.loads(place_fix["value"]))
        if place_fix["what"] == "place":
            by = f"#{place_fix['id']}"
            reason = f"a user's correction ({by})"
        else:
            scope = "in this article" if place_fix["article_id"] is not None else "in the store"
            by = f"alias #{place_fix['id']}, '{place_fix['name']}' {scope}"
            reason = f"a user's alias (#{place_fix['id']}): '{place_fix['name']}' {scope}"
        new["place"] = _placed(parser["place"], ids[place_key(p)], p, reason)
        parsed["place"] = parser["place"]
        notes.insert(0, f"place was {describe('place', parser['place'])} ({by})")
    values: dict[str, Any] = {"type": new["type"], **{c: new["place"][c] for c in PLACE_COLS}}
    values.update(date=dt.date.fromisoformat(new["date"]["date"]) if new["date"]["date"] else None,
                  date_precision=new["date"]["date_precision"], date_text=new["date"].get("date_text"))  # fmt: skip
    values["parsed"] = json.dumps(parsed, ensure_ascii=False, sort_keys=True) if parsed else None
    values["correction"] = "; ".join(notes) if parsed else None
    now = {k: row[k] for k in values}
    if isinstance(now["date"], str):
        now["date"] = dt.date.fromisoformat(now["date"][:10])
    if values == now:
        return 0
    e = ctx.t["events"]
    conn.execute(e.update().where(e.c.id == row["id"]).values(**values))
    if any(values[f"{r}_id"] != row[f"{r}_id"] for r in ("origin", "destination")):
        redraw_flow(conn, ctx, row["id"], values["origin_id"], values["destination_id"])
    return 1


def overlay(conn, ctx: Ctx, article_id: int, mentions: list[dict]) -> list[dict]:
    """Mentions as the aliases in force read them, for display: a name with an alias (the
    article's, else the store's) shows the alias's place; a mention the parser placed by a store
    alias since removed shows the resolver's own choice again (a re-parse writes it back).
    Each mention dict has text, reason, candidates (JSON) and name, geonameid, country_code,
    lat, lon; `candidates` is left out of what comes back."""
    c = ctx.t["corrections"]
    keys = {name_key(m["text"]) for m in mentions}
    fixes: dict[tuple, dict] = {}
    if keys:
        q = c.c.what == "alias", c.c.name_key.in_(sorted(keys)), sa.or_(c.c.article_id.is_(None), c.c.article_id == article_id)
        for corr in _active(conn, ctx, *q):
            fixes[(corr["article_id"], corr["name_key"])] = corr
    out = []
    for m in mentions:
        m = dict(m)
        cands = json.loads(m.pop("candidates", None) or "[]")
        key = name_key(m["text"])
        fix = fixes.get((article_id, key)) or fixes.get((None, key))
        if fix is not None:
            v = json.loads(fix["value"])
            scope = "in this article" if fix["article_id"] is not None else "in the store"
            m.update(name=v["name"], geonameid=v["geonameid"], country_code=v.get("country_code"), lat=v["lat"], lon=v["lon"],
                     reason=f"a user's alias (#{fix['id']}): '{fix['name']}' {scope}")  # fmt: skip
        elif m["reason"] and m["reason"].startswith(ALIAS_REASON):
            first = cands[0] if cands and cands[0].get("reason") == RESOLVER_CHOICE else None
            m.update(name=first["name"] if first else None, geonameid=first["geonameid"] if first else None,
                     country_code=first["country_code"] if first else None, lat=None, lon=None,
                     reason="the resolver's choice (the store alias that replaced it was removed)" if first else None)  # fmt: skip
        out.append(m)
    return out


# -- hiding and restoring an event ---------------------------------------------------------------


def snapshot(conn, ctx: Ctx, event_id: int) -> dict | None:
    """The event's rows, whole, as JSON-able values: what "not an event" keeps."""
    e, ea, fl = ctx.t["events"], ctx.t["event_actors"], ctx.t["flows"]
    row = conn.execute(sa.select(*_event_cols(ctx.t)).where(e.c.id == event_id)).mappings().first()
    if row is None:
        return None
    actors = [list(r) for r in conn.execute(sa.select(ea.c.actor_key, ea.c.actor).where(ea.c.event_id == event_id))]
    geom = sa.func.ST_AsBinary(fl.c.geom) if ctx.postgis else fl.c.wkb
    flow = conn.execute(
        sa.select(*[col for col in fl.c if col.name not in ("geom", "wkb")], geom.label("wkb")).where(fl.c.event_id == event_id)
    ).mappings().first()  # fmt: skip
    if flow is not None:
        flow = {**dict(flow), "wkb": bytes(flow["wkb"]).hex()}
    return {"event": _json_row(dict(row)), "actors": actors, "flow": flow}


def hide(conn, ctx: Ctx, event_id: int) -> dict | None:
    snap = snapshot(conn, ctx, event_id)
    if snap is not None:
        conn.execute(ctx.t["events"].delete().where(ctx.t["events"].c.id == event_id))  # actors and flow cascade
    return snap


def restore(conn, ctx: Ctx, snap: dict) -> int:
    """Put a hidden event's rows back, with their ids."""
    row = dict(snap["event"])
    if row.get("date"):
        row["date"] = dt.date.fromisoformat(row["date"])
    conn.execute(ctx.t["events"].insert().values(**row))
    if snap["actors"]:
        conn.execute(ctx.t["event_actors"].insert(), [{"event_id": row["id"], "actor_key": k, "actor": a} for k, a in snap["actors"]])
    flow = snap.get("flow")
    if flow:
        flow = dict(flow)
        geom = shapely.from_wkb(bytes.fromhex(flow.pop("wkb")))
        if ctx.postgis:
            from geoalchemy2.shape import from_shape

            flow["geom"] = from_shape(geom, srid=4326)
        else:
            flow["wkb"] = shapely.to_wkb(geom)
        conn.execute(ctx.t["flows"].insert().values(**flow))
    return row["id"]


# -- making and undoing corrections ----------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def bump_revision(conn, ctx: Ctx) -> None:
    """The store's revision changes with every change made in place (the app's caches key on it)."""
    meta = ctx.t["meta"]
    n = conn.execute(
        meta.update().where(meta.c.key == "revision").values(value=sa.cast(sa.cast(meta.c.value, sa.Integer) + 1, sa.Text))
    ).rowcount
    if not n:
        conn.execute(meta.insert().values(key="revision", value="1"))


def hidden_by(conn, ctx: Ctx, event_id: int) -> dict | None:
    c = ctx.t["corrections"]
    found = _active(conn, ctx, c.c.event_id == event_id, c.c.what == "not_event")
    return found[-1] if found else None


def correct_event(conn, ctx: Ctx, event_id: int, what: str, value: Any, note: str | None, user: str | None) -> int:
    """Record and apply one correction of an event; returns its id. `value`: a Place for place, a
    type name, a date dict (parse_date_value/date_value), or None for not_event."""
    if what not in (*EVENT_FIELDS, "not_event"):
        raise CorrectionError(f"cannot correct {what!r}: expected place, type, date or not_event")
    e = ctx.t["events"]
    row = conn.execute(sa.select(*_event_cols(ctx.t)).where(e.c.id == event_id)).mappings().first()
    if row is None:
        hid = hidden_by(conn, ctx, event_id)
        if hid is not None:
            raise CorrectionError(f"event {event_id} is marked not an event (correction #{hid['id']}); undo that first")
        raise CorrectionError(f"no event {event_id} in this store")
    row = dict(row)
    if what == "type":
        value = check_type(value)
    elif what == "place":
        if not isinstance(value, Place):
            raise CorrectionError(f"place {value!r} is not a gazetteer place")
        value = place_value(value)
    elif what == "date" and not (isinstance(value, dict) and "date_precision" in value):
        raise CorrectionError(f"date {value!r} is not a date value")
    c = ctx.t["corrections"]
    old = None if what == "not_event" else _current(row, what)
    cid = conn.execute(
        c.insert().values(
            what=what, state="active", article_id=row["article_id"], event_id=event_id,
            event_key=json.dumps(event_key(row), ensure_ascii=False), value=json.dumps(value, ensure_ascii=False),
            old=json.dumps(old, ensure_ascii=False, default=str), note=note or None, user=user, at=_now(),
        ).returning(c.c.id)
    ).scalar_one()  # fmt: skip
    if what == "not_event":
        conn.execute(c.update().where(c.c.id == cid).values(old=json.dumps(hide(conn, ctx, event_id), ensure_ascii=False)))
    else:
        refresh(conn, ctx, [event_id])
    bump_revision(conn, ctx)
    return cid


def events_named(conn, ctx: Ctx, key: str, article_id: int | None) -> list[int]:
    """Events placed by a mention whose name folds to `key`, in one article or the whole store."""
    e = ctx.t["events"]
    q = sa.select(e.c.place_text).where(e.c.place_text.is_not(None)).distinct()
    if article_id is not None:
        q = q.where(e.c.article_id == article_id)
    texts = [t for (t,) in conn.execute(q) if name_key(t) == key]
    if not texts:
        return []
    q = sa.select(e.c.id).where(e.c.place_text.in_(texts))
    if article_id is not None:
        q = q.where(e.c.article_id == article_id)
    return [i for (i,) in conn.execute(q)]


def add_alias(conn, ctx: Ctx, name: str, place: Place, article_id: int | None, note: str | None, user: str | None) -> tuple[int, int]:
    """Record that `name` means `place` in one article (article_id) or the whole store, and apply
    it to the events that name places; returns (correction id, events changed)."""
    key = name_key(name)
    if not key:
        raise CorrectionError(f"alias name {name!r} is empty")
    if article_id is not None:
        a = ctx.t["articles"]
        if conn.execute(sa.select(a.c.id).where(a.c.id == article_id)).first() is None:
            raise CorrectionError(f"no article {article_id} in this store")
    c = ctx.t["corrections"]
    cid = conn.execute(
        c.insert().values(
            what="alias", state="active", article_id=article_id, name=name.strip(), name_key=key,
            value=json.dumps(place_value(place), ensure_ascii=False), note=note or None, user=user, at=_now(),
        ).returning(c.c.id)
    ).scalar_one()  # fmt: skip
    changed = refresh(conn, ctx, events_named(conn, ctx, key, article_id))
    bump_revision(conn, ctx)
    return cid, changed


def undo(conn, ctx: Ctx, correction_id: int) -> str:
    """Undo one correction: mark it undone and put back what applies without it. Returns what was done."""
    c = ctx.t["corrections"]
    corr = conn.execute(sa.select(c).where(c.c.id == correction_id)).mappings().first()
    if corr is None:
        raise CorrectionError(f"no correction #{correction_id} in this store")
    if corr["state"] != "active":
        raise CorrectionError(f"correction #{correction_id} is {corr['state']}, not active: nothing to undo")
    conn.execute(c.update().where(c.c.id == correction_id).values(state="undone", undone_at=_now()))
    what, eid = corr["what"], corr["event_id"]
    e = ctx.t["events"]
    if what == "alias":
        n = refresh(conn, ctx, events_named(conn, ctx, corr["name_key"], corr["article_id"]))
        done = f"alias '{corr['name']}' removed; {n} event{'s' if n != 1 else ''} changed"
    elif eid is None:
        done = "the event no longer exists since a re-parse; the correction is marked undone"
    elif what == "not_event":
        if conn.execute(sa.select(e.c.id).where(e.c.id == eid)).first() is None:
            restore(conn, ctx, json.loads(corr["old"]))
            refresh(conn, ctx, [eid])
        done = f"event {eid} restored"
    else:
        if conn.execute(sa.select(e.c.id).where(e.c.id == eid)).first() is not None:
            refresh(conn, ctx, [eid])
        done = f"event {eid}: {what} is back to {describe(what, _field_now(conn, ctx, eid, what))}"
    bump_revision(conn, ctx)
    return done


def _field_now(conn, ctx: Ctx, event_id: int, what: str):
    e = ctx.t["events"]
    row = conn.execute(sa.select(*_event_cols(ctx.t)).where(e.c.id == event_id)).mappings().first()
    return _current(dict(row), what) if row is not None else None


# -- after a re-parse ----------------------------------------------------------------------------


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of the Earth's mean radius: enough to tell a move."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def match(old: Sequence[dict], new: Sequence[Any]) -> dict[int, int]:
    """Which stored event each newly parsed one is (index in `new` -> old id), by the key a
    correction keeps: the same sentence and trigger and type, then the same sentence and
    trigger, then the same trigger in an overlapping sentence (the parser split it otherwise)."""
    plan: dict[int, int] = {}
    used: set[int] = set()
    passes = (
        lambda o, n: (o["start"], o["end"], o["trigger"], o["type"]) == (n.start, n.end, n.trigger, n.type),
        lambda o, n: (o["start"], o["end"], o["trigger"]) == (n.start, n.end, n.trigger),
        lambda o, n: o["trigger"] == n.trigger and o["start"] < n.end and n.start < o["end"],
    )
    for same in passes:
        for i, ev in enumerate(new):
            if i in plan:
                continue
            for o in old:
                if o["id"] is not None and o["id"] not in used and same(o, ev):
                    plan[i] = o["id"]
                    used.add(o["id"])
                    break
    return plan


def stored_keys(conn, ctx: Ctx, article_id: int) -> list[dict]:
    """The article's events as a re-parse must find them again: visible ones from their rows,
    hidden ones from their not_event corrections; each with its key and point."""
    e, c = ctx.t["events"], ctx.t["corrections"]
    out = []
    for r in conn.execute(sa.select(*_event_cols(ctx.t)).where(e.c.article_id == article_id)).mappings():
        out.append({"id": r["id"], **{k: v for k, v in event_key(dict(r)).items()}, "lat": r["lat"], "lon": r["lon"], "hidden": False})
    for corr in _active(conn, ctx, c.c.article_id == article_id, c.c.what == "not_event", c.c.event_id.is_not(None)):
        snap = json.loads(corr["old"])["event"]
        out.append({"id": snap["id"], **event_key(snap), "lat": snap["lat"], "lon": snap["lon"], "hidden": True})
    return out


def reapply(conn, ctx: Ctx, article_id: int, event_ids: list[int], fresh: set[int]) -> dict:
    """After an article's events were replaced by a new parse (ids kept for those found again,
    `fresh` ids for new ones): point its corrections at the events they now describe, apply
    them, and say which corrections lost their event. Returns {"orphaned": [ids], "refound": [ids]}."""
    c, e = ctx.t["corrections"], ctx.t["events"]
    present = set(event_ids)
    rows = {r["id"]: dict(r) for r in conn.execute(sa.select(*_event_cols(ctx.t)).where(e.c.article_id == article_id)).mappings()}
    mine = _active(conn, ctx, c.c.article_id == article_id, c.c.what.in_((*EVENT_FIELDS, "not_event")))
    orphaned, refound = [], []
    # Corrections whose event an earlier parse lost may find it in this one, among the new events.
    lost = [x for x in mine if x["event_id"] is None or x["event_id"] not in present]
    if lost:
        candidates = [{"id": i, **event_key(rows[i])} for i in sorted(fresh)]
        # One event's corrections share its key: find each event once.
        keys = list(dict.fromkeys(x["event_key"] for x in lost))
        found = match(candidates, [SimpleNamespace(**json.loads(k)) for k in keys])  # keys shaped like Events
        for x in lost:
            j = keys.index(x["event_key"])
            if j in found:
                x["event_id"] = found[j]
                refound.append(x["id"])
            else:
                orphaned.append(x["id"])
                if x["event_id"] is not None:
                    conn.execute(c.update().where(c.c.id == x["id"]).values(event_id=None))
                x["event_id"] = None
    for x in mine:
        if x["event_id"] is not None:
            conn.execute(c.update().where(c.c.id == x["id"]).values(event_id=x["event_id"]))
    refresh(conn, ctx, event_ids)
    for x in mine:
        if x["what"] == "not_event" and x["event_id"] is not None:
            snap = hide(conn, ctx, x["event_id"])
            if snap is not None:
                conn.execute(c.update().where(c.c.id == x["id"]).values(old=json.dumps(snap, ensure_ascii=False)))
    for x in mine:  # keys as this parse has them, so the next re-parse starts from these
        eid = x["event_id"]
        if eid is not None and eid in rows:
            conn.execute(c.update().where(c.c.id == x["id"]).values(event_key=json.dumps(event_key(rows[eid]), ensure_ascii=False)))
    bump_revision(conn, ctx)
    return {"orphaned": orphaned, "refound": refound}

