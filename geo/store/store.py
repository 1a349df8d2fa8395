"""The event store: one repository over SQLite (embedded default) or PostgreSQL + PostGIS.

    store = Store()                                   # DATELINE_DB, else data/dateline.db
    store = Store("postgresql://user@host/dateline")  # PostGIS for a team
    store.add_document(doc, url=..., source=...)      # one article = one transaction
    store.events(Filters(start="2024-01-01", types=["protest"]))  # GeoDataFrame
    store.events(types=["protest"], bbox=(20, 44, 41, 53))        # the same fields by name

Every query method takes one selection (geo/store/filters.py), binds every value and returns
EPSG:4326 frames. The tables are in schema.py, the SELECTs in sql.py, rows from a Document in
rows.py, the map's aggregates in aggregates.py and streamed GeoJSON in geojson.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from geo import settings
from geo.model import Document, Place
from geo.text.aliases import RESOLVER_CHOICE, name_key, resolver_choice
from geo.text.version import parser_version as current_parser_version

from . import aggregates, corrections
from .corrections import flow_row
from .filters import Filters, as_date, selection
from .geojson import feature_json
from .rows import document_places, event_row, flow_rows, mention_row, place_key, place_row
from .schema import (
    FTS_TOKENIZE,
    PG_EXTRAS,
    PG_FOLD,
    PG_FTS_INDEX,
    PG_HAS_FOLD,
    SCHEMA_VERSION,
    SQLITE_EXTRAS,
    build_tables,
    migrate,
    pg_tsv,
    sqlite_has_stats,
    sqlite_setup,
)
from .sql import Queries, event_frame, frame, gc_paused  # noqa: F401 - gc_paused: export uses it through here


def normalise_url(url: str | None = None) -> str:
    """A SQLAlchemy URL from --db / DATELINE_DB: bare paths are SQLite files, postgres uses psycopg 3."""
    url = url or settings.db_url()
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def text_hash(text: str) -> str:
    """Identity of an article's text: the same words with other line endings or padding are the same article."""
    norm = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


class Store:
    """The repository. Open one per process; it is cheap to keep and safe to share between threads."""

    def __init__(self, url: str | None = None, *, create: bool = True, echo: bool = False):
        self.url = normalise_url(url)
        u = sa.engine.make_url(self.url)
        self.dialect = u.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported database {self.url!r}: use sqlite:///FILE or postgresql://...")
        self.postgis = self.dialect == "postgresql"
        if not self.postgis and u.database and u.database != ":memory:":
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # pre_ping: the app keeps its store for hours, through database restarts.
        self.engine = sa.create_engine(self.url, echo=echo, pool_pre_ping=self.postgis)
        if not self.postgis:
            sqlite_setup(self.engine)
        self.metadata, self.t = build_tables(self.postgis)
        self._place_ids: dict[str, int] = {}
        self.sql = Queries(self.t, self.postgis)
        self.ctx = corrections.Ctx(self.t, self.postgis, self.place_ids)
        if create:
            self.create()
        elif self.postgis:
            self._text_index_current()  # only to learn which text expression the index has

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # -- schema -----------------------------------------------------------------------------

    def create(self) -> None:
        """Create what is missing and bring an older text index up to date; never loses data."""
        current = self._schema_version() == SCHEMA_VERSION
        if current and self._text_index_current():
            return  # the common case, settled by two reads: no write lock for every reader that opens the store
        try:
            self._create()
        except sa.exc.DBAPIError as e:
            if not current:
                raise
            # Only the text index was to be upgraded, and this user may not: searching still works
            # on the old index, accents and all.
            warnings.warn(
                f"{self!r}: could not upgrade the free-text index to ignore accents ({e.orig}); "
                "search stays accent-sensitive until a user allowed to alter the store opens it",
                RuntimeWarning,
                stacklevel=3,
            )

    def _create(self) -> None:
        unaccent = None
        if self.postgis:
            with self._write() as conn:
                try:
                    conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
                except sa.exc.DBAPIError as e:
                    raise RuntimeError(
                        f"{self!r}: PostGIS is not available in this database ({e.orig}); "
                        "run CREATE EXTENSION postgis as a superuser"
                    ) from None
            unaccent = self._pg_unaccent()
        with self._write() as conn:
            if self.postgis:
                # Look in the schema tables are created in, not along the whole search_path: a
                # store in another schema must not pass for this one.
                schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
                existing = set(sa.inspect(conn).get_table_names(schema=schema))
            else:
                existing = set(sa.inspect(conn).get_table_names())
            self._migrate(conn, existing)
            if self.postgis:
                missing = [t for t in self.metadata.sorted_tables if t.name not in existing]
                self.metadata.create_all(conn, tables=missing, checkfirst=False)
            else:
                self.metadata.create_all(conn, checkfirst=True)
            if self.postgis:
                self._pg_text_index(conn, unaccent)
            else:
                self._sqlite_text_index(conn)
            for ddl in PG_EXTRAS if self.postgis else SQLITE_EXTRAS:
                conn.exec_driver_sql(ddl)
            meta = self.t["meta"]
            found = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
            if found is None:
                conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif int(found) > SCHEMA_VERSION:
                raise RuntimeError(f"{self!r} has schema version {found}, newer than this code ({SCHEMA_VERSION}); upgrade Dateline")

    def _migrate(self, conn, existing: set[str]) -> None:
        """Upgrade an older store's tables in the caller's transaction (schema.migrate). The
        version is read again under a lock: two processes opening an old store upgrade it once."""
        if "meta" not in existing:
            return
        if self.postgis:
            conn.exec_driver_sql("LOCK TABLE meta IN SHARE ROW EXCLUSIVE MODE")
        meta = self.t["meta"]
        found = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        if found is None or int(found) >= SCHEMA_VERSION:
            return
        migrate(conn, int(found), self.postgis, self.t)
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION)))

    def _text_index_current(self) -> bool:
        """Whether the free-text index folds accents; on PostgreSQL also settles which expression
        queries must repeat to use it."""
        try:
            with self.engine.connect() as conn:
                if not self.postgis:
                    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'events_fts'").scalar()
                    return sql is not None and f"tokenize='{FTS_TOKENIZE}'" in sql
                fold = conn.exec_driver_sql(PG_HAS_FOLD).scalar()
                index = conn.exec_driver_sql(PG_FTS_INDEX).scalar()
        except sa.exc.DBAPIError:
            return False
        self.sql.pg_fold = bool(fold) and (index is None or PG_FOLD in index)
        return self.sql.pg_fold and index is not None

    def _pg_unaccent(self) -> str | None:
        """The schema of the unaccent extension, created if need be; None when this database has
        none and this user may not create it: search then keeps accents, with a warning."""
        try:
            with self._write() as conn:
                conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
                return conn.exec_driver_sql("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'").scalar()
        except sa.exc.DBAPIError as e:
            warnings.warn(
                f"{self!r}: the unaccent extension is not available ({e.orig}); free-text search "
                "stays accent-sensitive. Install PostgreSQL's contrib package or run CREATE EXTENSION "
                "unaccent as a user allowed to, and the next Store opened here upgrades the index.",
                RuntimeWarning,
                stacklevel=5,
            )
            return None

    def _pg_text_index(self, conn, unaccent: str | None) -> None:
        if unaccent is not None:
            lit = unaccent.replace("'", "''")
            conn.exec_driver_sql(
                f"CREATE OR REPLACE FUNCTION {PG_FOLD}(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
                f"AS $$ SELECT {unaccent}.unaccent('{lit}.unaccent'::regdictionary, $1) $$"
            )
            index = conn.exec_driver_sql(PG_FTS_INDEX).scalar()
            if index is not None and PG_FOLD not in index:
                conn.exec_driver_sql("DROP INDEX ix_events_fts")  # built before accents were folded
        # Without unaccent now, a fold made earlier still defines the index queries must repeat.
        self.sql.pg_fold = unaccent is not None or bool(conn.exec_driver_sql(PG_HAS_FOLD).scalar())
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_events_fts ON events USING gin ({pg_tsv(self.sql.pg_fold)})")

    def _sqlite_text_index(self, conn) -> None:
        """Rebuild an FTS table made with another tokenizer (stores from before accent folding):
        in the caller's transaction, so a failure leaves the old index, and from the events table,
        which holds all the text (the FTS table is external-content)."""
        sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'events_fts'").scalar()
        if sql is None or f"tokenize='{FTS_TOKENIZE}'" in sql:
            return
        conn.exec_driver_sql("DROP TABLE events_fts")
        conn.exec_driver_sql(next(d for d in SQLITE_EXTRAS if "events_fts USING fts5" in d))
        conn.exec_driver_sql("INSERT INTO events_fts(events_fts) VALUES ('rebuild')")

    def _schema_version(self) -> int | None:
        meta = self.t["meta"]
        try:
            with self.engine.connect() as conn:
                if self.postgis and not conn.exec_driver_sql(
                    "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'meta'"
                ).first():
                    return None  # a meta table further along the search_path belongs to another store
                found = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        except sa.exc.DBAPIError:  # no meta table yet
            return None
        return int(found) if found is not None else None

    @contextmanager
    def _write(self):
        """A write transaction. On SQLite it takes the write lock up front (BEGIN IMMEDIATE) so two
        writers queue on busy_timeout instead of one failing with 'database is locked' mid-way."""
        with self.engine.connect() as conn:
            if not self.postgis:
                conn.execution_options(dateline_immediate=True)
            with conn.begin():
                yield conn

    def optimize(self) -> None:
        """Refresh planner statistics; ingest calls it after a run."""
        with self.engine.connect() as conn:
            if self.postgis:
                names = ", ".join(t.name for t in self.metadata.sorted_tables)
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(f"ANALYZE {names}")
            else:
                # A first ANALYZE gives the planner row counts for the type/date/country indexes;
                # afterwards `optimize` re-analyses only tables that changed a lot.
                conn.exec_driver_sql("PRAGMA optimize" if sqlite_has_stats(conn) else "ANALYZE")
                conn.commit()

    # -- writing ----------------------------------------------------------------------------

    def has_article(self, url: str | None = None, text_hash: str | None = None) -> bool:
        a = self.t["articles"]
        conds = []
        if url:
            conds.append(a.c.url == url)
        if text_hash:
            conds.append(a.c.text_hash == text_hash)
        if not conds:
            return False
        with self.engine.connect() as conn:
            return conn.execute(sa.select(a.c.id).where(sa.or_(*conds)).limit(1)).first() is not None

    def add_document(
        self,
        doc: Document,
        *,
        url: str | None = None,
        source: str | None = None,
        site: str | None = None,
        external_id: str | None = None,
        hash: str | None = None,
        parser_version: str | None = None,
        region: str | None = None,
    ) -> int | None:
        """Store one parsed article with its mentions, places, events and flows, all or nothing;
        the store's corrections that apply (aliases of its place names) are applied in the same
        transaction. `parser_version` stamps the parser that made `doc` (default: the parser the
        settings make, geo/text/version.py); `region` is the home region it was parsed with, kept
        for `reparse`.

        Returns the new article id, or None when the article is already stored (same URL or text).
        """
        a = self.t["articles"]
        h = hash or text_hash(doc.text)
        url = url or None
        now = dt.datetime.now(dt.timezone.utc)
        new_places: dict[str, int] = {}
        try:
            with self._write() as conn:
                dup = sa.or_(a.c.text_hash == h, a.c.url == url) if url else a.c.text_hash == h
                if conn.execute(sa.select(a.c.id).where(dup).limit(1)).first() is not None:
                    return None
                article_id = conn.execute(
                    a.insert()
                    .values(
                        url=url,
                        title=doc.title,
                        source=source,
                        site=site,
                        external_id=external_id,
                        published=doc.published,
                        text_hash=h,
                        text=doc.text,
                        n_mentions=len(doc.mentions),
                        n_events=len(doc.events),
                        ingested_at=now,
                        parser_version=parser_version or current_parser_version(),
                        parsed_at=now,
                        region=region or None,
                    )
                    .returning(a.c.id)
                ).scalar_one()
                event_ids = self._insert_rows(conn, article_id, doc, new_places)
                self._apply_aliases(conn, doc, event_ids)
        except IntegrityError:
            # Another writer stored the same article between our check and our insert.
            if self.has_article(url, h):
                return None
            raise
        # Only ids of committed places may be reused: a rolled-back transaction's ids are gone.
        self._place_ids.update(new_places)
        return article_id

    def _insert_rows(self, conn, article_id: int, doc: Document, new_places: dict[str, int], reuse: dict[int, int] | None = None) -> list[int]:
        """Mentions, events, actors and flows of `doc` under `article_id`; returns the event ids.
        `reuse` maps an event's index to the id it keeps (a re-parse keeps ids of events it finds again)."""
        ids = self._place_id_map(conn, document_places(doc), new_places)
        if doc.mentions:
            conn.execute(self.t["mentions"].insert(), [mention_row(article_id, m, ids) for m in doc.mentions])
        if not doc.events:
            return []
        ev = self.t["events"]
        rows = [event_row(article_id, i, e, ids) for i, e in enumerate(doc.events)]
        reuse = reuse or {}
        event_ids: list[int | None] = [reuse.get(i) for i in range(len(rows))]
        kept = [{**rows[i], "id": event_ids[i]} for i in range(len(rows)) if event_ids[i] is not None]
        if kept:
            conn.execute(ev.insert(), kept)
        fresh = [i for i in range(len(rows)) if event_ids[i] is None]
        if fresh:
            got = conn.execute(ev.insert().returning(ev.c.id, sort_by_parameter_order=True), [rows[i] for i in fresh]).scalars().all()
            for i, eid in zip(fresh, got):
                event_ids[i] = eid
        actor_rows = []
        for eid, e in zip(event_ids, doc.events):
            seen = set()
            for actor in e.actors:
                key = actor.strip().casefold()
                if key and key not in seen:
                    seen.add(key)
                    actor_rows.append({"event_id": eid, "actor_key": key, "actor": actor.strip()})
        if actor_rows:
            conn.execute(self.t["event_actors"].insert(), actor_rows)
        flows = flow_rows(doc.events)
        if flows:
            conn.execute(
                self.t["flows"].insert(),
                [flow_row(event_ids[i], ids[place_key(o)], ids[place_key(d)], o, d, g, self.postgis) for i, (o, d, g) in flows],
            )
        return event_ids

    def replace_document(self, article_id: int, doc: Document, *, parser_version: str) -> dict | None:
        """Replace an article's mentions, events and flows with a new parse of its text, in one
        transaction, keeping the ids of the events found again and re-applying the corrections
        (geo/store/corrections.py). Returns what changed: events `added` (ids), `removed`
        (ids), `moved` ((id, km) for those whose point moved), corrections `orphaned` (their event
        is gone) and `refound`; None when the article is no longer stored."""
        a, e, m = self.t["articles"], self.t["events"], self.t["mentions"]
        new_places: dict[str, int] = {}
        with self._write() as conn:
            q = sa.select(a.c.id).where(a.c.id == article_id)
            if conn.execute(q.with_for_update() if self.postgis else q).first() is None:
                return None
            old = corrections.stored_keys(conn, self.ctx, article_id)
            plan = corrections.match(old, doc.events)
            conn.execute(e.delete().where(e.c.article_id == article_id))
            conn.execute(m.delete().where(m.c.article_id == article_id))
            event_ids = self._insert_rows(conn, article_id, doc, new_places, reuse=plan)
            conn.execute(
                a.update().where(a.c.id == article_id).values(
                    n_mentions=len(doc.mentions), n_events=len(doc.events), parser_version=parser_version,
                    parsed_at=dt.datetime.now(dt.timezone.utc),
                )
            )  # fmt: skip
            kept = set(plan.values())
            fixes = corrections.reapply(conn, self.ctx, article_id, event_ids, {i for i in event_ids if i not in kept})
            now = {r.id: (r.lat, r.lon) for r in conn.execute(sa.select(e.c.id, e.c.lat, e.c.lon).where(e.c.article_id == article_id))}
        self._place_ids.update(new_places)
        before = {o["id"]: o for o in old if not o["hidden"]}
        moved = []
        for eid, (lat, lon) in now.items():
            o = before.get(eid)
            if o is not None and None not in (lat, lon, o["lat"], o["lon"]):
                km = corrections.distance_km(o["lat"], o["lon"], lat, lon)
                if km > 0:
                    moved.append((eid, km))
        return {
            "added": sorted(set(now) - set(before) - {o["id"] for o in old}),
            "removed": sorted(set(before) - set(now)),
            "moved": moved,
            **fixes,
        }

    def _apply_aliases(self, conn, doc: Document, event_ids: list[int]) -> None:
        """Refresh the new events a store alias may place (geo/store/corrections.py): those
        placed by a name with an alias, and those the pipeline placed with an alias it was
        given (one since removed gives the resolver's place back)."""
        c = self.t["corrections"]
        keys = {
            k for (k,) in conn.execute(sa.select(c.c.name_key).where(c.c.what == "alias", c.c.state == "active", c.c.article_id.is_(None)))
        }
        todo = [
            eid for eid, e in zip(event_ids, doc.events)
            if (m := e.primary()) is not None and (name_key(m.text) in keys or resolver_choice(m)[0])
        ]  # fmt: skip
        if todo:
            corrections.refresh(conn, self.ctx, todo)

    def place_ids(self, conn, places: dict[str, Place]) -> dict[str, int]:
        """Ids of places (by place_key), added to the places table where new, in `conn`'s transaction."""
        return self._place_id_map(conn, places, {})

    def _place_id_map(self, conn, places: dict[str, Place], new: dict[str, int]) -> dict[str, int]:
        ids = {k: self._place_ids[k] for k in places if k in self._place_ids}
        missing = [k for k in places if k not in ids]
        if not missing:
            return ids
        p = self.t["places"]
        ins = _dialect_insert(self.dialect, p).on_conflict_do_nothing(index_elements=["key"])
        conn.execute(ins, [place_row(k, places[k]) for k in missing])
        for key, pid in conn.execute(sa.select(p.c.key, p.c.id).where(p.c.key.in_(missing))):
            ids[key] = new[key] = pid
        return ids

    def add_error(self, source: str, line: int | None, reason: str, run: str | None = None) -> None:
        with self._write() as conn:
            conn.execute(
                self.t["ingest_errors"].insert().values(
                    run=run, source=source, line=line, reason=reason, at=dt.datetime.now(dt.timezone.utc)
                )
            )

    def delete_article(self, article_id: int) -> bool:
        """Remove an article and everything extracted from it (to re-ingest it after a parser upgrade)."""
        with self._write() as conn:
            return conn.execute(self.t["articles"].delete().where(self.t["articles"].c.id == article_id)).rowcount > 0

    # -- corrections (geo/store/corrections.py) ---------------------------------------------------

    def correct(
        self, event_id: int, *, place: Place | int | None = None, type: str | None = None, date: str | dict | None = None,
        not_event: bool = False, note: str | None = None, user: str | None = None,
    ) -> int:  # fmt: skip
        """Correct one event, applied at once: its place (a Place, or a GeoNames id looked up in
        the gazetteer), type, date ('YYYY-MM-DD', 'YYYY-Www', 'YYYY-MM', 'YYYY', 'none', or a
        corrections.date_value) or that it is not an event. Exactly one of them. Returns the
        correction's id; CorrectionError (a ValueError) names what cannot be done."""
        given = [k for k, v in (("place", place), ("type", type), ("date", date), ("not_event", not_event or None)) if v is not None]
        if len(given) != 1:
            raise corrections.CorrectionError(f"give exactly one of place, type, date or not_event (got {', '.join(given) or 'none'})")
        what = given[0]
        value: Any = None
        if what == "place":
            value = self.gazetteer_place(place) if not isinstance(place, Place) else place
        elif what == "type":
            value = type
        elif what == "date":
            value = corrections.parse_date_value(date) if isinstance(date, str) else date
        with self._write() as conn:
            return corrections.correct_event(conn, self.ctx, int(event_id), what, value, note, user)

    def add_alias(
        self, name: str, place: Place | int, *, article_id: int | None = None, note: str | None = None, user: str | None = None
    ) -> tuple[int, int]:
        """Say `name` means `place` in one article, or (article_id None) everywhere in the store
        and in articles parsed from now on. Applied at once to the events that name places;
        returns (correction id, events changed)."""
        p = place if isinstance(place, Place) else self.gazetteer_place(place)
        with self._write() as conn:
            return corrections.add_alias(conn, self.ctx, name, p, article_id, note, user)

    def undo(self, correction_id: int) -> str:
        """Undo a correction or remove an alias; it stays listed, marked undone. Says what was done."""
        with self._write() as conn:
            return corrections.undo(conn, self.ctx, int(correction_id))

    @staticmethod
    def gazetteer_place(geonameid: int | str) -> Place:
        """The gazetteer's place for a GeoNames id; CorrectionError naming it when there is none."""
        from geo.gazetteer import Gazetteer

        try:
            gid = int(geonameid)
        except (TypeError, ValueError):
            raise corrections.CorrectionError(f"place {geonameid!r} is not a GeoNames id (a number)") from None
        p = Gazetteer.default().get(gid)
        if p is None:
            raise corrections.CorrectionError(f"GeoNames id {gid} is not in the gazetteer")
        return p

    def corrections(self, *, what: str | None = None, active: bool | None = None, event_id: int | None = None) -> pd.DataFrame:
        """Corrections, oldest first: id, what, state, article_id, event_id, name, value and old
        (described for people), note, at, undone_at, and the article's title."""
        c, a = self.t["corrections"], self.t["articles"]
        q = (
            sa.select(c.c.id, c.c.what, c.c.state, c.c.article_id, c.c.event_id, c.c.name, c.c.value, c.c.old,
                      c.c.note, c.c.at, c.c.undone_at, a.c.title.label("article_title"))  # fmt: skip
            .select_from(c.outerjoin(a, a.c.id == c.c.article_id))
            .order_by(c.c.id)
        )
        if what:
            q = q.where(c.c.what == what)
        if active is not None:
            q = q.where(c.c.state == "active") if active else q.where(c.c.state != "active")
        if event_id is not None:
            q = q.where(c.c.event_id == int(event_id))
        df = frame(self.engine, q)
        for col in ("value", "old"):
            df[col] = [
                None if v is None or what_ == "not_event" and col == "old" else corrections.describe(what_, json.loads(v))
                for what_, v in zip(df["what"], df[col])
            ]
        return df

    def alias_places(self) -> dict[str, Place]:
        """The store's active aliases as the Pipeline takes them: folded name -> Place (newest wins)."""
        c = self.t["corrections"]
        q = sa.select(c.c.name_key, c.c.value).where(c.c.what == "alias", c.c.state == "active", c.c.article_id.is_(None)).order_by(c.c.id)
        with self.engine.connect() as conn:
            return {k: corrections.place_from_value(json.loads(v)) for k, v in conn.execute(q)}

    def event(self, event_id: int) -> dict[str, Any] | None:
        """One event as `events()` gives it (a dict), whatever the filters; None when there is none.
        An event marked not an event has `hidden` set to that correction's id, and its saved values."""
        e = self.t["events"]
        df = frame(self.engine, self.sql.event_select().where(e.c.id == int(event_id)), json_lists=["actors"])
        if len(df):
            return {**df.iloc[0].to_dict(), "hidden": None}
        with self.engine.connect() as conn:
            hid = corrections.hidden_by(conn, self.ctx, int(event_id))
        if hid is None:
            return None
        row = json.loads(hid["old"])["event"]
        row["actors"] = json.loads(row.get("actors") or "[]")
        return {**row, "hidden": int(hid["id"])}

    def mention_candidates(self, article_id: int, text: str | None, near: int | None = None) -> list[dict]:
        """The places a mention could be, as the resolver ranked them: its chosen place first,
        then its runners-up (mentions.candidates), for the mention named `text` in the article
        (the one nearest the offset `near` when it occurs more than once). Each: geonameid, name,
        country_code, score, chosen, and why it is listed."""
        if not text:
            return []
        m, p = self.t["mentions"], self.t["places"]
        q = (
            sa.select(m.c.start, m.c.candidates, m.c.score, p.c.geonameid, p.c.name, p.c.country_code)
            .select_from(m.outerjoin(p, p.c.id == m.c.place_id))
            .where(m.c.article_id == int(article_id), m.c.text == text)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        if not rows:
            return []
        row = min(rows, key=lambda r: abs(r.start - near) if near is not None else r.start)
        out = []
        if row.geonameid is not None:
            out.append({"geonameid": row.geonameid, "name": row.name, "country_code": row.country_code, "score": row.score,
                        "chosen": True, "why": "the parser's choice"})  # fmt: skip
        for c in json.loads(row.candidates or "[]"):
            if c.get("geonameid") is not None and all(o["geonameid"] != c["geonameid"] for o in out):
                if c.get("reason") == RESOLVER_CHOICE:  # the parser read a store alias here
                    out[0]["why"] = "a store alias, when parsed"
                    why = "the resolver's choice"
                else:
                    why = f"runner-up, score {c['score']:.2f}"
                out.append({**c, "chosen": False, "why": why})
        return out

    def parser_versions(self) -> dict[str | None, int]:
        """Articles per parser version (None: stored before versions were recorded)."""
        a = self.t["articles"]
        with self.engine.connect() as conn:
            return {v: int(n) for v, n in conn.execute(sa.select(a.c.parser_version, sa.func.count()).group_by(a.c.parser_version))}

    def bulk_insert(self, table: str, rows: Sequence[dict], chunk: int = 50_000) -> None:
        """Rows straight into one table in one transaction, for loaders and benchmarks that build
        ids themselves. No deduplication and no derived rows (actors, flows): callers own both."""
        tbl = self.t[table]
        with self._write() as conn:
            for i in range(0, len(rows), chunk):
                conn.execute(tbl.insert(), list(rows[i : i + chunk]))

    # -- reading ----------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table, for summaries and tests, and the store's `revision`, which every change
        made in place (a correction, an undo, a re-parsed article) moves on: the app keys its
        caches on this dict."""
        out = {}
        with self.engine.connect() as conn:
            for name in ("articles", "mentions", "places", "events", "event_actors", "flows", "ingest_errors", "corrections"):
                out[name] = conn.execute(sa.select(sa.func.count()).select_from(self.t[name])).scalar_one()
            out["revision"] = self._revision(conn)
        return out

    def _revision(self, conn) -> int:
        meta = self.t["meta"]
        return int(conn.execute(sa.select(meta.c.value).where(meta.c.key == "revision")).scalar() or 0)

    def revision(self) -> tuple[int, int, int]:
        """Changes whenever articles are added or deleted, or anything is changed in place (a
        correction, an undo, a re-parse): a cheap cache key for the app (counts() reads whole tables)."""
        a = self.t["articles"]
        with self.engine.connect() as conn:
            top, n = conn.execute(sa.select(sa.func.max(a.c.id), sa.func.count()).select_from(a)).one()
            rev = self._revision(conn)
        return int(top or 0), int(n), rev

    def errors(self, run: str | None = None) -> pd.DataFrame:
        e = self.t["ingest_errors"]
        q = sa.select(e.c.run, e.c.source, e.c.line, e.c.reason, e.c.at).order_by(e.c.id)
        if run:
            q = q.where(e.c.run == run)
        return frame(self.engine, q)

    def articles(self, limit: int | None = None) -> pd.DataFrame:
        a = self.t["articles"]
        q = sa.select(
            a.c.id, a.c.title, a.c.url, a.c.site, a.c.published, a.c.source, a.c.external_id,
            a.c.region, a.c.n_mentions, a.c.n_events, a.c.ingested_at,
        ).order_by(a.c.id)  # fmt: skip
        return frame(self.engine, q.limit(limit) if limit else q)

    def article(self, article_id: int) -> dict[str, Any] | None:
        """One article with its text and mentions (with their places), for the app's reader view.
        A mention's place is the one the aliases in force give its name (corrections.overlay)."""
        a, m, p = self.t["articles"], self.t["mentions"], self.t["places"]
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(a).where(a.c.id == article_id)).mappings().first()
            if row is None:
                return None
            ments = conn.execute(
                sa.select(m.c.id, m.c.start, m.c.end, m.c.text, m.c.kind, m.c.score, m.c.reason, m.c.candidates,
                          p.c.name, p.c.geonameid, p.c.country_code, p.c.lat, p.c.lon)  # fmt: skip
                .select_from(m.outerjoin(p, m.c.place_id == p.c.id))
                .where(m.c.article_id == article_id)
                .order_by(m.c.start)
            ).mappings()
            out = dict(row)
            out["mentions"] = corrections.overlay(conn, self.ctx, article_id, [dict(r) for r in ments])
        return out

    def events(self, filters: Filters | None = None, /, *, limit: int | None = None, **fields) -> gpd.GeoDataFrame:
        """Events the selection matches, newest first, as points (None when unlocated).

        `filters` is a Filters, or its fields are given by name (`types=["protest"]`), or both.
        types/countries/actors match any of the values given (actors ignore case); text matches
        events whose sentence, place or actors contain every word (a word matches as a prefix;
        case and accents are ignored); bbox is (west, south, east, north), west > east for a box
        across the antimeridian; min_confidence keeps events whose confidence is at least that
        (0-1: lower when the text hedges, plans, denies or reports a failure).
        """
        q = self.sql.events(selection(filters, fields), limit)
        return event_frame(frame(self.engine, q, json_lists=["actors"]))

    def flows(
        self, filters: Filters | None = None, /, *, limit: int | None = None, event_limit: int | None = None, **fields
    ) -> gpd.GeoDataFrame:
        """Origin-destination lines of events that have both; filters as for `events`.

        countries matches the event's, the origin's or the destination's country; bbox keeps lines
        that cross the box. `event_limit` keeps the flows of the events `events(limit=...)` returns,
        so an export with a limit has the lines of its points.
        """
        q, exact_box = self.sql.flows(selection(filters, fields), limit, event_limit)
        df = frame(self.engine, q, json_lists=["actors"])
        wkb = df.pop("wkb").to_numpy()
        geoms = shapely.from_wkb(wkb) if len(wkb) else np.array([], dtype=object)
        if exact_box is not None and len(df):
            keep = shapely.intersects(geoms, exact_box)
            df, geoms = df[keep].reset_index(drop=True), geoms[keep]
            if limit:
                df, geoms = df.iloc[: int(limit)], geoms[: int(limit)]
        return event_frame(df, geometry=geoms)

    def counts_by_day(self, filters: Filters | None = None, /, *, by: str | None = "type", **fields) -> pd.DataFrame:
        """Events per day (and per `by`: 'type', 'country_code' or None), dated events only;
        filters as for `events`."""
        if by not in (None, "type", "country_code"):
            raise ValueError(f"by={by!r}: expected 'type', 'country_code' or None")
        e = self.t["events"]
        f = selection(filters, fields)
        where = self.sql.where(f)
        keys = [self.sql.group_key(e.c.date, f)] + ([self.sql.group_key(e.c[by], f)] if by else [])
        q = sa.select(*keys, sa.func.count().label("events")).where(keys[0].is_not(None), *where).group_by(*keys).order_by(*keys)
        df = frame(self.engine, q)
        df["events"] = df["events"].astype("int64")
        return df

    def counts_by_country(self, filters: Filters | None = None, /, **fields) -> pd.DataFrame:
        """Events per country of their place (None: unlocated), most first; filters as for `events`."""
        f = selection(filters, fields)
        where = self.sql.where(f)
        cc = self.sql.group_key(self.t["events"].c.country_code, f)
        n = sa.func.count().label("events")
        df = frame(self.engine, sa.select(cc, n).where(*where).group_by(cc).order_by(n.desc(), cc))
        df["events"] = df["events"].astype("int64")
        return df

    def facets(self, filters: Filters | None = None, /, *, top: int = 50, **fields) -> dict[str, Any]:
        """What the sidebar offers: types, countries and the `top` actors with event counts, and
        the date range, under the filters given as for `events` (none: the whole store)."""
        e, ea = self.t["events"], self.t["event_actors"]
        f = selection(filters, fields)
        where = self.sql.where(f)
        n = sa.func.count().label("n")
        with self.engine.connect() as conn:

            def pairs(q):
                return [(k, int(v)) for k, v in conn.execute(q)]

            kind, cc = self.sql.group_key(e.c.type, f), self.sql.group_key(e.c.country_code, f)
            out = {
                "types": pairs(sa.select(kind, n).where(*where).group_by(kind).order_by(n.desc(), kind)),
                "countries": pairs(sa.select(cc, n).where(cc.is_not(None), *where).group_by(cc).order_by(n.desc(), cc)),
            }
            # Count by the casefolded key and look up how the top actors are spelled after: the
            # count then reads only an index. Unfiltered, every actor row counts and the join to
            # events is skipped (it cost seconds at a million events).
            by_key = sa.select(ea.c.actor_key, n)
            if where:
                by_key = by_key.where(ea.c.event_id.in_(sa.select(e.c.id).where(*where)))
            top_keys = pairs(by_key.group_by(ea.c.actor_key).order_by(n.desc(), ea.c.actor_key).limit(top))
            spelled = dict(
                conn.execute(
                    sa.select(ea.c.actor_key, sa.func.min(ea.c.actor))
                    .where(ea.c.actor_key.in_([k for k, _ in top_keys]))
                    .group_by(ea.c.actor_key)
                ).all()
            )
            out["actors"] = [(spelled.get(k, k), v) for k, v in top_keys]
            # Separate statements so min and max each read one end of the date index.
            lo = conn.execute(sa.select(sa.func.min(e.c.date)).where(*where)).scalar()
            hi = conn.execute(sa.select(sa.func.max(e.c.date)).where(*where)).scalar()
            total = conn.execute(sa.select(sa.func.count()).select_from(e).where(*where)).scalar_one()
            n_articles = conn.execute(sa.select(sa.func.count()).select_from(self.t["articles"])).scalar_one()
        out["start"], out["end"] = as_date(lo, "min date"), as_date(hi, "max date")
        out["events"], out["articles"] = int(total), int(n_articles)
        return out

    def place_groups(self, filters: Filters | None = None, /, **fields) -> list[tuple]:
        """Located events counted per place and type, with how many were placed only by the
        dateline and the place's level (geo/store/aggregates.py), for the map."""
        return aggregates.place_groups(self, selection(filters, fields))

    def date_range(self, filters: Filters | None = None, /, **fields) -> tuple[dt.date | None, dt.date | None]:
        """The first and last date of the selected events; (None, None) when none is dated."""
        lo, hi = aggregates.date_range(self, selection(filters, fields))
        return as_date(lo, "min date"), as_date(hi, "max date")

    def time_series(
        self, filters: Filters | None = None, /, *, unit: str, first: dt.date, group: str = "place_type",
        cell_deg: float | None = None, **fields,
    ) -> list[tuple]:  # fmt: skip
        """Dated events per map group, country and time bin, for the map's playback (aggregates.py)."""
        return aggregates.time_series(self, selection(filters, fields), unit, first, group, cell_deg)

    def latest_events(
        self, filters: Filters | None = None, /, *, per_group: int, group: str = "place_type", cell_deg: float | None = None, **fields
    ) -> list[dict]:
        """The newest events of each place (and type) or grid cell, with what a popup shows."""
        return aggregates.latest_events(self, selection(filters, fields), per_group, group, cell_deg)

    def feature_json(
        self, kind: str, properties: Sequence[tuple[str, str]], filters: Filters | None = None, *,
        limit: int | None = None, chunk: int = 20_000,
    ) -> Iterable[str]:  # fmt: skip
        """GeoJSON Feature texts for events ('event': points) or flows ('flow': lines), streamed
        (geo/store/geojson.py). A limit counts events; flows are those of the events it keeps."""
        return feature_json(self, kind, properties, filters, limit=limit, chunk=chunk)


def _dialect_insert(dialect: str, table: sa.Table):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)
