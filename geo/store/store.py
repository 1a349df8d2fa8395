"""The event store: one repository over SQLite (embedded default) or PostgreSQL + PostGIS.

    store = Store()                                   # DATELINE_DB, else data/dateline.db
    store = Store("postgresql://user@host/dateline")  # PostGIS for a team
    store.add_document(doc, url=..., source=...)      # one article = one transaction
    store.events(start="2024-01-01", types=["protest"], bbox=(20, 44, 41, 53))  # GeoDataFrame

SQLite keeps points as lon/lat columns with an R*Tree beside them and full-text search in FTS5;
PostGIS keeps the same columns plus geometry columns with GiST indexes and a GIN text index. Every
query method takes the same filters, binds every value and returns EPSG:4326 frames.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.exc import IntegrityError

from geo import settings
from geo.model import Document, Event, Place

SCHEMA_VERSION = 1
CRS = "EPSG:4326"

# Ids grow past 2**31 on a busy PostGIS; SQLite's rowid alias must be spelled INTEGER.
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# A box smaller than this share of the globe selects fewer rows than a date or type index, so the
# spatial index should drive the query; a larger one would make it walk most of the table.
_SMALL_BOX = 0.05
_WORLD_DEG2 = 360.0 * 180.0

# Free text is folded to ignore accents on both sides of a match, by the database itself: FTS5's
# tokenizer on SQLite, the unaccent extension on PostgreSQL. Python folding the query instead would
# disagree with them (NFKD turns Cyrillic "ї" into "і" + a mark, which neither database strips).
_FTS_TOKENIZE = "unicode61 remove_diacritics 2"
# unaccent() is only STABLE (it looks its dictionary up by name), which an index expression may not
# be; this wrapper names the dictionary's schema, so it always means the same thing.
_PG_FOLD = "dateline_unaccent"
_PG_HAS_FOLD = (
    "SELECT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
    f"WHERE n.nspname = current_schema() AND p.proname = '{_PG_FOLD}')"
)
_PG_FTS_INDEX = "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'ix_events_fts'"


def _pg_tsv(fold: bool, table: str = "") -> str:
    """The text a free-text query searches, per event. PostgreSQL matches an index on an expression
    only when the query repeats it, so the index and the query both use this one string; `fold` is
    False only for a store whose index predates accent folding and could not be upgraded."""
    t = f"{table}." if table else ""
    text = f"coalesce({t}sentence, '') || ' ' || coalesce({t}place_name, '') || ' ' || coalesce({t}actors, '')"
    return f"to_tsvector('simple'::regconfig, {f'{_PG_FOLD}({text})' if fold else text})"


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


def place_key(p: Place) -> str:
    if p.geonameid is not None:
        return f"g{p.geonameid}"
    return f"n:{p.name}|{p.country_code or ''}|{p.level}|{p.lat:.5f}|{p.lon:.5f}"


def _build_tables(postgis: bool) -> tuple[sa.MetaData, dict[str, sa.Table]]:
    md = sa.MetaData()
    fk = dict(ondelete="CASCADE")

    def ts():
        return sa.DateTime(timezone=True)

    def point_geom():
        from geoalchemy2 import Geometry

        # Derived from lon/lat so the two can never disagree, and writers need not know PostGIS.
        return sa.Column(
            "geom",
            Geometry("POINT", 4326, spatial_index=False),
            sa.Computed("ST_SetSRID(ST_MakePoint(lon, lat), 4326)", persisted=True),
        )

    meta = sa.Table("meta", md, sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text))
    articles = sa.Table(
        "articles",
        md,
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("url", sa.Text, unique=True),
        sa.Column("title", sa.Text),
        sa.Column("source", sa.Text),  # where it was read from: file, file:line, <stdin>
        sa.Column("site", sa.Text),  # the outlet: sitename or URL host
        sa.Column("external_id", sa.Text),  # the input's own id column
        sa.Column("published", sa.Date, index=True),
        sa.Column("text_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("n_mentions", sa.Integer, nullable=False, default=0),
        sa.Column("n_events", sa.Integer, nullable=False, default=0),
        sa.Column("ingested_at", ts(), nullable=False),
    )
    places_cols = [
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("geonameid", sa.BigInteger, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country_code", sa.String(2)),
        sa.Column("level", sa.Text),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("population", sa.BigInteger),
        sa.Column("feature_code", sa.Text),
        sa.Column("admin1", sa.Text),
        sa.Column("alt_names", sa.Integer),
    ]
    if postgis:
        places_cols.append(point_geom())
    places = sa.Table("places", md, *places_cols)
    mentions = sa.Table(
        "mentions",
        md,
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("article_id", _ID, sa.ForeignKey("articles.id", **fk), nullable=False, index=True),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("kind", sa.Text),
        sa.Column("label", sa.Text),
        sa.Column("place_id", _ID, sa.ForeignKey("places.id"), index=True),
        sa.Column("score", sa.Float),
        sa.Column("reason", sa.Text),
        sa.Column("candidates", sa.Text),  # JSON: the runners-up, for the corrections screen
    )
    event_cols = [
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("article_id", _ID, sa.ForeignKey("articles.id", **fk), nullable=False, index=True),
        sa.Column("seq", sa.Integer, nullable=False),  # order within the article
        sa.Column("key", sa.Text),  # the pipeline's own event id
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("trigger", sa.Text),
        sa.Column("sentence", sa.Text),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("date", sa.Date),
        sa.Column("date_precision", sa.Text),
        sa.Column("date_text", sa.Text),
        sa.Column("actors", sa.Text, nullable=False, default="[]"),  # JSON list; searchable text
        sa.Column("target", sa.Text),
        sa.Column("count", sa.BigInteger),
        sa.Column("confidence", sa.Float),
        # The event's one point (Event.primary()), denormalised so map queries need no join.
        sa.Column("place_id", _ID, sa.ForeignKey("places.id")),
        sa.Column("place_text", sa.Text),
        sa.Column("place_name", sa.Text),
        sa.Column("geonameid", sa.BigInteger),
        sa.Column("country_code", sa.String(2)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("location_id", _ID, sa.ForeignKey("places.id")),
        sa.Column("origin_id", _ID, sa.ForeignKey("places.id")),
        sa.Column("destination_id", _ID, sa.ForeignKey("places.id")),
        sa.Column("location_reason", sa.Text),
        sa.Index("ix_events_type_date", "type", "date"),
        sa.Index("ix_events_country_date", "country_code", "date"),
    ]
    if postgis:
        event_cols += [point_geom(), sa.Index("ix_events_geom", "geom", postgresql_using="gist")]
    events = sa.Table("events", md, *event_cols)
    if postgis:
        # In the order queries read (newest first, undated last): a backward scan of a plain date
        # index gives undated first, so PostgreSQL sorted the whole table for each export.
        sa.Index("ix_events_date", events.c.date.desc().nulls_last(), events.c.id.desc())
    else:
        sa.Index("ix_events_date", events.c.date)  # SQLite reads it backwards: NULLs come last
    event_actors = sa.Table(
        "event_actors",
        md,
        sa.Column("event_id", _ID, sa.ForeignKey("events.id", **fk), primary_key=True),
        sa.Column("actor_key", sa.Text, primary_key=True),  # casefolded: filters ignore case
        sa.Column("actor", sa.Text, nullable=False),
        sa.Index("ix_event_actors_key", "actor_key", "event_id"),
    )
    flow_cols = [
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("event_id", _ID, sa.ForeignKey("events.id", **fk), nullable=False, unique=True),
        sa.Column("origin_id", _ID, sa.ForeignKey("places.id"), nullable=False),
        sa.Column("destination_id", _ID, sa.ForeignKey("places.id"), nullable=False),
        sa.Column("origin_cc", sa.String(2), index=True),
        sa.Column("destination_cc", sa.String(2), index=True),
        sa.Column("min_lon", sa.Float, nullable=False),
        sa.Column("min_lat", sa.Float, nullable=False),
        sa.Column("max_lon", sa.Float, nullable=False),
        sa.Column("max_lat", sa.Float, nullable=False),
    ]
    if postgis:
        from geoalchemy2 import Geometry

        # LineString, or MultiLineString when the geodesic is cut at the antimeridian.
        flow_cols += [
            sa.Column("geom", Geometry("GEOMETRY", 4326, spatial_index=False), nullable=False),
            sa.Index("ix_flows_geom", "geom", postgresql_using="gist"),
        ]
    else:
        flow_cols.append(sa.Column("wkb", sa.LargeBinary, nullable=False))
    flows = sa.Table("flows", md, *flow_cols)
    ingest_errors = sa.Table(
        "ingest_errors",
        md,
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("run", sa.String(32), index=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("line", sa.Integer),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", ts(), nullable=False),
    )
    corrections = sa.Table(
        "corrections",
        md,
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("target", sa.String(16), nullable=False),  # event | mention
        sa.Column("target_id", _ID, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("value", sa.Text),  # JSON
        sa.Column("user", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("at", ts(), nullable=False),
        sa.Index("ix_corrections_target", "target", "target_id"),
    )
    tables = dict(
        meta=meta,
        articles=articles,
        places=places,
        mentions=mentions,
        events=events,
        event_actors=event_actors,
        flows=flows,
        ingest_errors=ingest_errors,
        corrections=corrections,
    )
    return md, tables


_SQLITE_EXTRAS = [
    # R*Tree over event points (float32 boxes, rounded outwards: queries re-check lon/lat exactly).
    "CREATE VIRTUAL TABLE IF NOT EXISTS events_rtree USING rtree(id, min_lon, max_lon, min_lat, max_lat)",
    """CREATE TRIGGER IF NOT EXISTS events_rtree_ai AFTER INSERT ON events
       WHEN new.lon IS NOT NULL AND new.lat IS NOT NULL
       BEGIN INSERT INTO events_rtree VALUES (new.id, new.lon, new.lon, new.lat, new.lat); END""",
    """CREATE TRIGGER IF NOT EXISTS events_rtree_ad AFTER DELETE ON events
       BEGIN DELETE FROM events_rtree WHERE id = old.id; END""",
    """CREATE TRIGGER IF NOT EXISTS events_rtree_au AFTER UPDATE OF lon, lat ON events
       BEGIN
         DELETE FROM events_rtree WHERE id = old.id;
         INSERT INTO events_rtree SELECT new.id, new.lon, new.lon, new.lat, new.lat
           WHERE new.lon IS NOT NULL AND new.lat IS NOT NULL;
       END""",
    # External-content FTS5: the index only, the text stays in events. Diacritics are dropped
    # from text and query alike ("Guaido" finds "Guaidó" and back), as unaccent does on PostgreSQL;
    # mode 2, as mode 1 leaves letters with two marks (Vietnamese "ễ") unfolded.
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(
         sentence, place_name, actors, content='events', content_rowid='id',
         tokenize='{_FTS_TOKENIZE}')""",
    """CREATE TRIGGER IF NOT EXISTS events_fts_ai AFTER INSERT ON events
       BEGIN INSERT INTO events_fts(rowid, sentence, place_name, actors)
             VALUES (new.id, new.sentence, new.place_name, new.actors); END""",
    """CREATE TRIGGER IF NOT EXISTS events_fts_ad AFTER DELETE ON events
       BEGIN INSERT INTO events_fts(events_fts, rowid, sentence, place_name, actors)
             VALUES ('delete', old.id, old.sentence, old.place_name, old.actors); END""",
    """CREATE TRIGGER IF NOT EXISTS events_fts_au AFTER UPDATE OF sentence, place_name, actors ON events
       BEGIN
         INSERT INTO events_fts(events_fts, rowid, sentence, place_name, actors)
           VALUES ('delete', old.id, old.sentence, old.place_name, old.actors);
         INSERT INTO events_fts(rowid, sentence, place_name, actors)
           VALUES (new.id, new.sentence, new.place_name, new.actors);
       END""",
]

_PG_EXTRAS = [
    "CREATE INDEX IF NOT EXISTS ix_places_geom ON places USING gist (geom)",
]


def _as_date(value, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a date (expected YYYY-MM-DD)") from None


def _as_list(value, name: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    out = [str(v).strip() for v in value if v is not None and str(v).strip()]
    return out or None


# Combining marks left over after NFC (letters with no precomposed form) stay inside their word.
_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])*")


def _tokens(text: str | None) -> list[str]:
    # Letters and digits only: what both FTS5's unicode61 and PostgreSQL's parser call words, and
    # nothing that could be query syntax. Accents are left for the database to fold (see
    # _FTS_TOKENIZE); lower(), not casefold(), since FTS5 keeps "ß" in the text and casefold
    # would make the query's "ss".
    return _WORD.findall(unicodedata.normalize("NFC", text).lower()) if text else []


@dataclass(frozen=True, slots=True)
class Filters:
    """What the app's sidebar and the export command can select on. All optional; all combined with AND."""

    start: dt.date | None = None
    end: dt.date | None = None
    types: tuple[str, ...] | None = None
    countries: tuple[str, ...] | None = None
    actors: tuple[str, ...] | None = None
    text: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    located: bool | None = None  # True: only events with a point
    min_confidence: float | None = None  # events the text reports at least this firmly (0-1)

    @classmethod
    def of(
        cls,
        start=None,
        end=None,
        types=None,
        countries=None,
        actors=None,
        text=None,
        bbox=None,
        located=None,
        min_confidence=None,
    ) -> "Filters":
        start, end = _as_date(start, "start"), _as_date(end, "end")
        if start and end and start > end:
            raise ValueError(f"start {start} is after end {end}")
        types = _as_list(types, "types")
        countries = _as_list(countries, "countries")
        actors = _as_list(actors, "actors")
        if bbox is not None:
            bbox = parse_bbox(bbox)
        if min_confidence is not None:
            try:
                min_confidence = float(min_confidence)
            except (TypeError, ValueError):
                raise ValueError(f"min_confidence {min_confidence!r} is not a number from 0 to 1") from None
            if not 0.0 <= min_confidence <= 1.0:
                raise ValueError(f"min_confidence {min_confidence!r} is not a number from 0 to 1")
            min_confidence = min_confidence or None  # 0 selects everything
        return cls(
            start,
            end,
            tuple(types) if types else None,
            tuple(c.upper() for c in countries) if countries else None,
            tuple(a.casefold() for a in actors) if actors else None,
            text.strip() if text and text.strip() else None,
            bbox,
            located,
            min_confidence,
        )


def parse_bbox(value) -> tuple[float, float, float, float]:
    """(west, south, east, north) from a sequence or 'W,S,E,N'; west > east crosses the antimeridian."""
    if isinstance(value, str):
        parts = value.replace(" ", "").split(",")
    else:
        parts = list(value)
    try:
        w, s, e, n = (float(v) for v in parts)
    except (TypeError, ValueError):
        raise ValueError(f"bbox {value!r} is not four numbers W,S,E,N") from None
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90):
        raise ValueError(f"bbox {value!r} is out of range (lon -180..180, lat -90..90, south <= north)")
    return (w, s, e, n)


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
            _sqlite_setup(self.engine)
        self.metadata, self.t = _build_tables(self.postgis)
        self._place_ids: dict[str, int] = {}
        self._pg_fold = True  # whether this store's text index folds accents (PostgreSQL; see create)
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
                missing = [t for t in self.metadata.sorted_tables if t.name not in existing]
                self.metadata.create_all(conn, tables=missing, checkfirst=False)
            else:
                self.metadata.create_all(conn, checkfirst=True)
            if self.postgis:
                self._pg_text_index(conn, unaccent)
            else:
                self._sqlite_text_index(conn)
            for ddl in _PG_EXTRAS if self.postgis else _SQLITE_EXTRAS:
                conn.exec_driver_sql(ddl)
            meta = self.t["meta"]
            found = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
            if found is None:
                conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif int(found) > SCHEMA_VERSION:
                raise RuntimeError(f"{self!r} has schema version {found}, newer than this code ({SCHEMA_VERSION}); upgrade Dateline")

    def _text_index_current(self) -> bool:
        """Whether the free-text index folds accents; on PostgreSQL also settles which expression
        queries must repeat to use it."""
        try:
            with self.engine.connect() as conn:
                if not self.postgis:
                    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'events_fts'").scalar()
                    return sql is not None and f"tokenize='{_FTS_TOKENIZE}'" in sql
                fold = conn.exec_driver_sql(_PG_HAS_FOLD).scalar()
                index = conn.exec_driver_sql(_PG_FTS_INDEX).scalar()
        except sa.exc.DBAPIError:
            return False
        self._pg_fold = bool(fold) and (index is None or _PG_FOLD in index)
        return self._pg_fold and index is not None

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
                f"CREATE OR REPLACE FUNCTION {_PG_FOLD}(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
                f"AS $$ SELECT {unaccent}.unaccent('{lit}.unaccent'::regdictionary, $1) $$"
            )
            index = conn.exec_driver_sql(_PG_FTS_INDEX).scalar()
            if index is not None and _PG_FOLD not in index:
                conn.exec_driver_sql("DROP INDEX ix_events_fts")  # built before accents were folded
        # Without unaccent now, a fold made earlier still defines the index queries must repeat.
        self._pg_fold = unaccent is not None or bool(conn.exec_driver_sql(_PG_HAS_FOLD).scalar())
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_events_fts ON events USING gin ({_pg_tsv(self._pg_fold)})")

    def _sqlite_text_index(self, conn) -> None:
        """Rebuild an FTS table made with another tokenizer (stores from before accent folding):
        in the caller's transaction, so a failure leaves the old index, and from the events table,
        which holds all the text (the FTS table is external-content)."""
        sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'events_fts'").scalar()
        if sql is None or f"tokenize='{_FTS_TOKENIZE}'" in sql:
            return
        conn.exec_driver_sql("DROP TABLE events_fts")
        conn.exec_driver_sql(next(d for d in _SQLITE_EXTRAS if "events_fts USING fts5" in d))
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
                conn.exec_driver_sql("PRAGMA optimize" if _sqlite_has_stats(conn) else "ANALYZE")
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
    ) -> int | None:
        """Store one parsed article with its mentions, places, events and flows, all or nothing.

        Returns the new article id, or None when the article is already stored (same URL or text).
        """
        a = self.t["articles"]
        h = hash or text_hash(doc.text)
        url = url or None
        now = dt.datetime.now(dt.timezone.utc)
        flows = _flow_rows(doc.events)
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
                    )
                    .returning(a.c.id)
                ).scalar_one()
                places = _document_places(doc)
                ids = self._place_id_map(conn, places, new_places)
                if doc.mentions:
                    conn.execute(self.t["mentions"].insert(), [_mention_row(article_id, m, ids) for m in doc.mentions])
                if doc.events:
                    rows = [_event_row(article_id, i, e, ids) for i, e in enumerate(doc.events)]
                    event_ids = (
                        conn.execute(self.t["events"].insert().returning(self.t["events"].c.id, sort_by_parameter_order=True), rows)
                        .scalars()
                        .all()
                    )
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
                    if flows:
                        conn.execute(self.t["flows"].insert(), [self._flow_row(event_ids[i], f, ids) for i, f in flows])
        except IntegrityError:
            # Another writer stored the same article between our check and our insert.
            if self.has_article(url, h):
                return None
            raise
        # Only ids of committed places may be reused: a rolled-back transaction's ids are gone.
        self._place_ids.update(new_places)
        return article_id

    def _place_id_map(self, conn, places: dict[str, Place], new: dict[str, int]) -> dict[str, int]:
        ids = {k: self._place_ids[k] for k in places if k in self._place_ids}
        missing = [k for k in places if k not in ids]
        if not missing:
            return ids
        p = self.t["places"]
        ins = _dialect_insert(self.dialect, p).on_conflict_do_nothing(index_elements=["key"])
        conn.execute(ins, [_place_row(k, places[k]) for k in missing])
        for key, pid in conn.execute(sa.select(p.c.key, p.c.id).where(p.c.key.in_(missing))):
            ids[key] = new[key] = pid
        return ids

    def _flow_row(self, event_id: int, flow: tuple[Place, Place, Any], ids: dict[str, int]) -> dict:
        origin, dest, geom = flow
        w, s, e, n = shapely.bounds(geom).tolist()
        row = {
            "event_id": event_id,
            "origin_id": ids[place_key(origin)],
            "destination_id": ids[place_key(dest)],
            "origin_cc": origin.country_code,
            "destination_cc": dest.country_code,
            "min_lon": w,
            "min_lat": s,
            "max_lon": e,
            "max_lat": n,
        }
        if self.postgis:
            from geoalchemy2.shape import from_shape

            row["geom"] = from_shape(geom, srid=4326)
        else:
            row["wkb"] = shapely.to_wkb(geom)
        return row

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

    def bulk_insert(self, table: str, rows: Sequence[dict], chunk: int = 50_000) -> None:
        """Rows straight into one table in one transaction, for loaders and benchmarks that build
        ids themselves. No deduplication and no derived rows (actors, flows): callers own both."""
        tbl = self.t[table]
        with self._write() as conn:
            for i in range(0, len(rows), chunk):
                conn.execute(tbl.insert(), list(rows[i : i + chunk]))

    # -- reading ----------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table: for summaries and tests."""
        out = {}
        with self.engine.connect() as conn:
            for name in ("articles", "mentions", "places", "events", "event_actors", "flows", "ingest_errors", "corrections"):
                out[name] = conn.execute(sa.select(sa.func.count()).select_from(self.t[name])).scalar_one()
        return out

    def revision(self) -> tuple[int, int, int]:
        """Changes whenever articles are added or deleted or a correction is made: a cheap cache
        key for the app (counts() reads whole tables)."""
        a, c = self.t["articles"], self.t["corrections"]
        with self.engine.connect() as conn:
            top, n = conn.execute(sa.select(sa.func.max(a.c.id), sa.func.count()).select_from(a)).one()
            fix = conn.execute(sa.select(sa.func.max(c.c.id))).scalar()
        return int(top or 0), int(n), int(fix or 0)

    def errors(self, run: str | None = None) -> pd.DataFrame:
        e = self.t["ingest_errors"]
        q = sa.select(e.c.run, e.c.source, e.c.line, e.c.reason, e.c.at).order_by(e.c.id)
        if run:
            q = q.where(e.c.run == run)
        return self._frame(q)

    def articles(self, limit: int | None = None) -> pd.DataFrame:
        a = self.t["articles"]
        q = sa.select(
            a.c.id, a.c.title, a.c.url, a.c.site, a.c.published, a.c.source, a.c.external_id,
            a.c.n_mentions, a.c.n_events, a.c.ingested_at,
        ).order_by(a.c.id)  # fmt: skip
        return self._frame(q.limit(limit) if limit else q)

    def article(self, article_id: int) -> dict[str, Any] | None:
        """One article with its text and mentions (with their places), for the app's reader view."""
        a, m, p = self.t["articles"], self.t["mentions"], self.t["places"]
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(a).where(a.c.id == article_id)).mappings().first()
            if row is None:
                return None
            ments = conn.execute(
                sa.select(m.c.id, m.c.start, m.c.end, m.c.text, m.c.kind, m.c.score, m.c.reason,
                          p.c.name, p.c.geonameid, p.c.country_code, p.c.lat, p.c.lon)  # fmt: skip
                .select_from(m.outerjoin(p, m.c.place_id == p.c.id))
                .where(m.c.article_id == article_id)
                .order_by(m.c.start)
            ).mappings()
            out = dict(row)
            out["mentions"] = [dict(r) for r in ments]
        return out

    def events(
        self,
        start=None,
        end=None,
        types=None,
        countries=None,
        actors=None,
        text=None,
        bbox=None,
        limit: int | None = None,
        located: bool | None = None,
        min_confidence=None,
    ) -> gpd.GeoDataFrame:
        """Events matching every given filter, newest first, as points (None when unlocated).

        types/countries/actors match any of the values given (actors ignore case); text matches
        events whose sentence, place or actors contain every word (a word matches as a prefix;
        case and accents are ignored); bbox is (west, south, east, north), west > east for a box
        across the antimeridian; min_confidence keeps events whose confidence is at least that
        (0-1: lower when the text hedges, plans, denies or reports a failure).
        """
        q = self._events_query(Filters.of(start, end, types, countries, actors, text, bbox, located, min_confidence), limit)
        return _event_frame(self._frame(q, json_lists=["actors"]))

    def flows(self, bbox=None, limit: int | None = None, event_limit: int | None = None, **filters) -> gpd.GeoDataFrame:
        """Origin-destination lines of events that have both; filters as for `events`.

        countries matches the event's, the origin's or the destination's country; bbox keeps lines
        that cross the box. `event_limit` keeps the flows of the events `events(limit=...)` returns,
        so an export with a limit has the lines of its points.
        """
        q, exact_box = self._flows_query(Filters.of(**filters), bbox, limit, event_limit)
        df = self._frame(q, json_lists=["actors"])
        wkb = df.pop("wkb").to_numpy()
        geoms = shapely.from_wkb(wkb) if len(wkb) else np.array([], dtype=object)
        if exact_box is not None and len(df):
            keep = shapely.intersects(geoms, exact_box)
            df, geoms = df[keep].reset_index(drop=True), geoms[keep]
            if limit:
                df, geoms = df.iloc[: int(limit)], geoms[: int(limit)]
        return _event_frame(df, geometry=geoms)

    def counts_by_day(self, by: str | None = "type", **filters) -> pd.DataFrame:
        """Events per day (and per `by`: 'type', 'country_code' or None), dated events only;
        filters as for `events`."""
        if by not in (None, "type", "country_code"):
            raise ValueError(f"by={by!r}: expected 'type', 'country_code' or None")
        e = self.t["events"]
        f = Filters.of(**filters)
        where = self._where(f)
        keys = [self._group_key(e.c.date, f)] + ([self._group_key(e.c[by], f)] if by else [])
        q = sa.select(*keys, sa.func.count().label("events")).where(keys[0].is_not(None), *where).group_by(*keys).order_by(*keys)
        df = self._frame(q)
        df["events"] = df["events"].astype("int64")
        return df

    def counts_by_country(self, **filters) -> pd.DataFrame:
        """Events per country of their place (None: unlocated), most first; filters as for `events`."""
        f = Filters.of(**filters)
        where = self._where(f)
        cc = self._group_key(self.t["events"].c.country_code, f)
        n = sa.func.count().label("events")
        df = self._frame(sa.select(cc, n).where(*where).group_by(cc).order_by(n.desc(), cc))
        df["events"] = df["events"].astype("int64")
        return df

    def facets(self, top: int = 50, **filters) -> dict[str, Any]:
        """What the sidebar offers: types, countries and the `top` actors with event counts, and
        the date range, under the filters given as for `events` (none: the whole store)."""
        e, ea = self.t["events"], self.t["event_actors"]
        f = Filters.of(**filters)
        where = self._where(f)
        n = sa.func.count().label("n")
        with self.engine.connect() as conn:

            def pairs(q):
                return [(k, int(v)) for k, v in conn.execute(q)]

            kind, cc = self._group_key(e.c.type, f), self._group_key(e.c.country_code, f)
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
        out["start"], out["end"] = _as_date(lo, "min date"), _as_date(hi, "max date")
        out["events"], out["articles"] = int(total), int(n_articles)
        return out

    def feature_json(
        self, kind: str, properties: Sequence[tuple[str, str]], bbox=None, limit: int | None = None, chunk: int = 20_000, **filters
    ) -> Iterable[str]:
        """GeoJSON Feature texts for events ('event': points) or flows ('flow': lines), streamed.
        A limit counts events; flows are those of the events it keeps.

        The database writes each feature's properties (and a point's geometry) as JSON, so an
        export of a million events never holds a frame in memory. `properties` pairs an output
        name with a column of `events()`/`flows()`, in output order; a 'kind' property leads.
        """
        f = Filters.of(bbox=bbox if kind == "event" else None, **filters)
        if kind == "event":
            q, exact_box = self._events_query(f, limit), None
        elif kind == "flow":
            q, exact_box = self._flows_query(f, bbox, None, event_limit=limit)
            limit = None
        else:
            raise ValueError(f"kind {kind!r}: expected 'event' or 'flow'")
        cols = q.selected_columns
        pg = self.postgis
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
            e = self.t["events"]
            point = obj(sa.literal("type"), sa.literal("Point"), sa.literal("coordinates"), arr(rounded(e.c.lon, 6), rounded(e.c.lat, 6)))
            geom = sa.case((e.c.lon.is_(None), None), else_=point)
            geom = sa.cast(geom, sa.Text) if pg else sa.func.json(geom)
        elif pg:
            geom = sa.func.ST_AsGeoJSON(self.t["flows"].c.geom, 6)
        else:
            geom = cols["wkb"]
        props = sa.cast(obj(*args), sa.Text) if pg else obj(*args)
        q = q.with_only_columns(ident, geom, props, maintain_column_froms=True)
        template = '{"type":"Feature","id":"' + kind + '/%s","geometry":%s,"properties":%s}'
        left = int(limit) if limit else None
        with self.engine.connect() as conn:
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

    # -- query building ---------------------------------------------------------------------

    def _events_query(self, f: Filters, limit: int | None) -> sa.Select:
        q = self._event_select().where(*self._where(f)).order_by(*self._order())
        return q.limit(int(limit)) if limit else q

    def _flows_query(self, f: Filters, bbox, limit: int | None, event_limit: int | None = None):
        """The flows select, and the box Python must still test lines against (SQLite only
        compares bounding boxes)."""
        box = parse_bbox(bbox) if bbox is not None else None
        fl = self.t["flows"]
        geom = sa.func.ST_AsBinary(fl.c.geom) if self.postgis else fl.c.wkb
        q = (
            self._event_select(flows=True)
            .add_columns(fl.c.id.label("flow_id"), fl.c.origin_cc, fl.c.destination_cc, geom.label("wkb"))
            .where(*self._where(f, flows=True))
            .order_by(*self._order())
        )
        if event_limit:
            e = self.t["events"]
            newest = sa.select(e.c.id).where(*self._where(replace(f, bbox=box))).order_by(*self._order()).limit(int(event_limit))
            q = q.where(e.c.id.in_(newest))
        if box:
            q = q.where(self._flow_box(box))
        exact_box = _box_geometry(box) if box is not None and not self.postgis else None
        if limit and exact_box is None:
            q = q.limit(int(limit))
        return q, exact_box

    def _event_select(self, flows: bool = False) -> sa.Select:
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
        ]  # fmt: skip
        return sa.select(*cols).select_from(j)

    # Filters each events index answers by itself, with the column it leads with.
    _INDEX_COVERS = {"type": {"type", "start", "end"}, "country_code": {"country_code", "start", "end"}, "date": {"start", "end"}}

    def _group_key(self, col, f: Filters):
        """`col` to group by. SQLite likes to walk the index on the grouped column to skip a sort;
        when the filters need columns that index lacks, it then tests every row against them: a
        whole-table walk where the filter's own index reads a tenth (seconds at a million
        events). `col || ''` keeps the values and takes that index out of the running."""
        used = {fld.name for fld in fields(f) if getattr(f, fld.name) is not None}
        used = {"type" if u == "types" else "country_code" if u == "countries" else u for u in used}
        if self.postgis or used <= self._INDEX_COVERS.get(col.name, set()) | {col.name}:
            return col
        as_text = sa.type_coerce(col, sa.Text).concat("")
        return sa.type_coerce(as_text, col.type).label(col.name)  # typed as the column for the frame

    def _order(self):
        e = self.t["events"]
        return [e.c.date.desc().nulls_last(), e.c.id.desc()]

    def _where(self, f: Filters, flows: bool = False) -> list:
        e = self.t["events"]
        w = []
        if f.start:
            w.append(e.c.date >= f.start)
        if f.end:
            w.append(e.c.date <= f.end)
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
            w.append(e.c.id.in_(sa.select(ea.c.event_id).where(ea.c.actor_key.in_(f.actors))))
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
        return w

    def _text_match(self, text: str):
        e = self.t["events"]
        toks = _tokens(text)
        if not toks:
            return sa.false()
        if self.postgis:
            # Each word folded like the text, then quoted: unaccent can turn a letter into
            # punctuation ("ŉ" -> "'n") that would otherwise be tsquery syntax.
            fold = f"{_PG_FOLD}(:t{{i}})" if self._pg_fold else ":t{i}"
            tsq = " && ".join(
                f"to_tsquery('simple'::regconfig, quote_literal({fold.format(i=i)}) || ':*')" for i in range(len(toks))
            )
            expr = _pg_tsv(self._pg_fold, "events")
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
        if width * (n - s) / _WORLD_DEG2 < _SMALL_BOX and w <= east:
            r = sa.table("events_rtree", *(sa.column(c) for c in ("id", "min_lon", "max_lon", "min_lat", "max_lat")))
            near = sa.select(r.c.id).where(r.c.max_lon >= w, r.c.min_lon <= east, r.c.max_lat >= s, r.c.min_lat <= n)
            return sa.and_(e.c.id.in_(near), exact)
        return exact

    def _flow_box(self, box):
        fl = self.t["flows"]
        w, s, east, n = box
        if self.postgis:
            return sa.func.ST_Intersects(fl.c.geom, sa.func.ST_GeomFromWKB(shapely.to_wkb(_box_geometry(box)), 4326))
        lat = sa.and_(fl.c.max_lat >= s, fl.c.min_lat <= n)
        if w <= east:
            return sa.and_(lat, fl.c.max_lon >= w, fl.c.min_lon <= east)
        return sa.and_(lat, sa.or_(fl.c.max_lon >= w, fl.c.min_lon <= east))

    def _frame(self, q, json_lists: Sequence[str] = ()) -> pd.DataFrame:
        """Rows of `q` as a DataFrame typed from the query's column types; `json_lists` names
        JSON-array text columns to parse into lists.

        Built for 100,000-row exports: rows come straight from the DBAPI cursor (SQLAlchemy's
        per-row processing costs more than the query), text stays object dtype (inferring
        pandas' str dtype costs more than the query too), and the garbage collector is paused
        while millions of new objects are made, none of them cyclic.
        """
        types = [c.type for c in q.selected_columns]
        with gc_paused(), self.engine.connect() as conn:
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
                if isinstance(t, sa.Integer):
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


def _box_geometry(box):
    w, s, e, n = box
    if w <= e:
        return shapely.box(w, s, e, n)
    return shapely.MultiPolygon([shapely.box(w, s, 180, n), shapely.box(-180, s, e, n)])


def _event_frame(df: pd.DataFrame, geometry=None) -> gpd.GeoDataFrame:
    """The frame of `_event_select` rows with its geometry: points from lon/lat unless given."""
    for c in ("id", "article_id", "flow_id"):
        if c in df:
            df[c] = df[c].astype("int64")
    if geometry is None:
        lon, lat = df["lon"].to_numpy(dtype="float64", na_value=np.nan), df["lat"].to_numpy(dtype="float64", na_value=np.nan)
        geometry = shapely.points(lon, lat)
        geometry[np.isnan(lon) | np.isnan(lat)] = None
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geometry, index=df.index, crs=CRS), crs=CRS)


def _document_places(doc: Document) -> dict[str, Place]:
    places: dict[str, Place] = {}
    for m in doc.mentions:
        if m.place is not None:
            places.setdefault(place_key(m.place), m.place)
    for e in doc.events:
        for m in (e.location, e.origin, e.destination):
            if m is not None and m.place is not None:
                places.setdefault(place_key(m.place), m.place)
    return places


def _place_row(key: str, p: Place) -> dict:
    return {
        "key": key,
        "geonameid": p.geonameid,
        "name": p.name,
        "country_code": p.country_code,
        "level": p.level,
        "lat": float(p.lat),
        "lon": float(p.lon),
        "population": p.population,
        "feature_code": p.feature_code,
        "admin1": p.admin1,
        "alt_names": p.alt_names,
    }


def _mention_row(article_id: int, m, ids: dict[str, int]) -> dict:
    return {
        "article_id": article_id,
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "kind": m.kind,
        "label": m.label,
        "place_id": ids[place_key(m.place)] if m.place is not None else None,
        "score": float(m.score) if m.place is not None else None,
        "reason": m.reason or None,
        "candidates": json.dumps(
            [
                {"geonameid": c.place.geonameid, "name": c.place.name, "country_code": c.place.country_code, "score": round(c.score, 4)}
                for c in m.candidates[:5]
            ],
            ensure_ascii=False,
        )
        if m.candidates
        else None,
    }


def _event_row(article_id: int, seq: int, e: Event, ids: dict[str, int]) -> dict:
    p = e.primary()
    place = p.place if p is not None else None

    def pid(m):
        return ids[place_key(m.place)] if m is not None and m.place is not None else None

    return {
        "article_id": article_id,
        "seq": seq,
        "key": e.id or None,
        "type": e.type,
        "trigger": e.trigger,
        "sentence": e.sentence,
        "start": e.start,
        "end": e.end,
        "date": e.date,
        "date_precision": e.date_precision,
        "date_text": e.date_text,
        "actors": json.dumps([a for a in e.actors if a], ensure_ascii=False),
        "target": e.target,
        "count": e.count,
        "confidence": float(e.confidence) if e.confidence is not None else None,
        "place_id": pid(p),
        "place_text": p.text if p is not None else None,
        "place_name": place.name if place else None,
        "geonameid": place.geonameid if place else None,
        "country_code": place.country_code if place else None,
        "lat": float(place.lat) if place else None,
        "lon": float(place.lon) if place else None,
        "location_id": pid(e.location),
        "origin_id": pid(e.origin),
        "destination_id": pid(e.destination),
        "location_reason": e.location_reason or None,
    }


def _flow_rows(events: Iterable[Event]) -> list[tuple[int, tuple[Place, Place, Any]]]:
    """(event index, (origin, destination, line)) for events that go from one place to another."""
    out = []
    for i, e in enumerate(events):
        if e.origin is None or e.destination is None or e.origin.place is None or e.destination.place is None:
            continue
        o, d = e.origin.place, e.destination.place
        if place_key(o) == place_key(d):
            continue
        geom = flow_line(o, d)
        if geom is not None and not geom.is_empty:
            out.append((i, (o, d, geom)))
    return out


def flow_line(origin: Place, destination: Place):
    """The geodesic from geo.flows; a straight segment while that module is not available."""
    try:
        from .flows import flow_geometry
    except ImportError:
        return shapely.LineString([(origin.lon, origin.lat), (destination.lon, destination.lat)])
    return flow_geometry(origin, destination)


def _dialect_insert(dialect: str, table: sa.Table):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def _sqlite_has_stats(conn) -> bool:
    return conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is not None


def _sqlite_setup(engine: sa.Engine) -> None:
    @sa_event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        # SQLAlchemy emits BEGIN itself (below); pysqlite's own implicit BEGIN would defeat
        # BEGIN IMMEDIATE and SAVEPOINTs.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")  # readers (the app) never block the ingest writer
        cur.execute("PRAGMA synchronous=NORMAL")  # durable against a killed process; fsync per checkpoint
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA cache_size=-65536")
        cur.execute("PRAGMA temp_store=MEMORY")
        # Reads through the OS page cache instead of copying pages: a third off large exports.
        cur.execute("PRAGMA mmap_size=1073741824")
        cur.close()

    @sa_event.listens_for(engine, "begin")
    def _begin(conn):
        immediate = conn.get_execution_options().get("dateline_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
