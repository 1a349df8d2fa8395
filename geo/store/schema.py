"""What the store's tables are: their columns and indexes, per database, and the set-up of a SQLite connection.

SQLite keeps points as lon/lat columns with an R*Tree beside them and full-text search in FTS5;
PostGIS keeps the same columns plus geometry columns with GiST indexes and a GIN text index.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event as sa_event

SCHEMA_VERSION = 3

# Ids grow past 2**31 on a busy PostGIS; SQLite's rowid alias must be spelled INTEGER.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# Free text is folded to ignore accents on both sides of a match, by the database itself: FTS5's
# tokenizer on SQLite, the unaccent extension on PostgreSQL. Python folding the query instead would
# disagree with them (NFKD turns Cyrillic "ї" into "і" + a mark, which neither database strips).
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
# unaccent() is only STABLE (it looks its dictionary up by name), which an index expression may not
# be; this wrapper names the dictionary's schema, so it always means the same thing.
PG_FOLD = "dateline_unaccent"
PG_HAS_FOLD = (
    "SELECT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
    f"WHERE n.nspname = current_schema() AND p.proname = '{PG_FOLD}')"
)
PG_FTS_INDEX = "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'ix_events_fts'"


def pg_tsv(fold: bool, table: str = "") -> str:
    """The text a free-text query searches, per event. PostgreSQL matches an index on an expression
    only when the query repeats it, so the index and the query both use this one string; `fold` is
    False only for a store whose index predates accent folding and could not be upgraded."""
    t = f"{table}." if table else ""
    text = f"coalesce({t}sentence, '') || ' ' || coalesce({t}place_name, '') || ' ' || coalesce({t}actors, '')"
    return f"to_tsvector('simple'::regconfig, {f'{PG_FOLD}({text})' if fold else text})"


def build_tables(postgis: bool) -> tuple[sa.MetaData, dict[str, sa.Table]]:
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
        sa.Column("id", ID, primary_key=True, autoincrement=True),
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
        # Which parser produced the rows (geo/text/version.py) and when: `reparse` redoes the
        # articles of other versions, and the app says when some were parsed by an older one.
        sa.Column("parser_version", sa.Text, index=True),
        sa.Column("parsed_at", ts()),
        # The publication's home region the article came with (input field or --region), so
        # that `reparse` resolves its namesakes in the same light as the first parse did.
        sa.Column("region", sa.Text),
    )
    places_cols = [
        sa.Column("id", ID, primary_key=True, autoincrement=True),
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
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("article_id", ID, sa.ForeignKey("articles.id", **fk), nullable=False, index=True),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("kind", sa.Text),
        sa.Column("label", sa.Text),
        sa.Column("place_id", ID, sa.ForeignKey("places.id"), index=True),
        sa.Column("score", sa.Float),
        sa.Column("reason", sa.Text),
        sa.Column("candidates", sa.Text),  # JSON: the runners-up, for the corrections screen
    )
    event_cols = [
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("article_id", ID, sa.ForeignKey("articles.id", **fk), nullable=False, index=True),
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
        sa.Column("place_id", ID, sa.ForeignKey("places.id")),
        sa.Column("place_text", sa.Text),
        sa.Column("place_name", sa.Text),
        sa.Column("geonameid", sa.BigInteger),
        sa.Column("country_code", sa.String(2)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("location_id", ID, sa.ForeignKey("places.id")),
        sa.Column("origin_id", ID, sa.ForeignKey("places.id")),
        sa.Column("destination_id", ID, sa.ForeignKey("places.id")),
        sa.Column("location_reason", sa.Text),
        # Corrections are applied to the row itself (geo/store/corrections.py), so every query,
        # index and aggregate shows them. `parsed` keeps the parser's values of the corrected
        # fields (JSON), which undo restores; `correction` says what changed, for popups,
        # tables and exports. Both are NULL on an uncorrected event.
        sa.Column("parsed", sa.Text),
        sa.Column("correction", sa.Text),
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
        sa.Column("event_id", ID, sa.ForeignKey("events.id", **fk), primary_key=True),
        sa.Column("actor_key", sa.Text, primary_key=True),  # casefolded: filters ignore case
        sa.Column("actor", sa.Text, nullable=False),
        sa.Index("ix_event_actors_key", "actor_key", "event_id"),
    )
    flow_cols = [
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("event_id", ID, sa.ForeignKey("events.id", **fk), nullable=False, unique=True),
        sa.Column("origin_id", ID, sa.ForeignKey("places.id"), nullable=False),
        sa.Column("destination_id", ID, sa.ForeignKey("places.id"), nullable=False),
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
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("run", sa.String(32), index=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("line", sa.Integer),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", ts(), nullable=False),
    )
    corrections = sa.Table(
        "corrections",
        md,
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        # place | type | date | not_event: one event's field; alias: a name's place, in one
        # article (article_id set) or the whole store (geo/store/corrections.py).
        sa.Column("what", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),  # active | undone | legacy (from schema 1, never applied)
        sa.Column("article_id", ID, index=True),  # no foreign key: a correction outlives its rows
        sa.Column("event_id", ID, index=True),  # NULL once a re-parse no longer finds the event
        # What finds the event again after a re-parse: its sentence offsets, trigger and the
        # parser's type (JSON).
        sa.Column("event_key", sa.Text),
        sa.Column("name", sa.Text),  # an alias's name as the user gave it
        sa.Column("name_key", sa.Text, index=True),  # ...and folded as the resolver folds names
        sa.Column("value", sa.Text),  # JSON: the new value
        sa.Column("old", sa.Text),  # JSON: the value it replaced (not_event: the whole event)
        sa.Column("user", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("at", ts(), nullable=False),
        sa.Column("undone_at", ts()),
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


def migrate(conn, found: int, postgis: bool, tables: dict[str, sa.Table]) -> list[str]:
    """Bring a store of schema `found` up to SCHEMA_VERSION inside the caller's transaction, so a
    failure leaves it as it was; returns what was done. Columns are only ever added, and a
    reshaped table's rows are copied over before the old one goes."""
    done = []
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar() if postgis else None

    def columns(table: str) -> set[str]:
        return {c["name"] for c in sa.inspect(conn).get_columns(table, schema=schema)}

    if found < 2:
        stamp = "TIMESTAMP WITH TIME ZONE" if postgis else "DATETIME"
        for table, col, ddl in (
            ("articles", "parser_version", "TEXT"),
            ("articles", "parsed_at", stamp),
            ("events", "parsed", "TEXT"),
            ("events", "correction", "TEXT"),
        ):
            if col not in columns(table):
                conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {col} {ddl}")
                done.append(f"added {table}.{col}")
        conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_articles_parser_version ON articles (parser_version)")
        old = columns("corrections")
        if "what" not in old:
            # Schema 1 had a corrections table nothing wrote to; any rows it holds are kept,
            # marked legacy: their values were never applied and their format is unknown.
            conn.exec_driver_sql("ALTER TABLE corrections RENAME TO corrections_v1")
            if postgis:  # index names are per schema on PostgreSQL: free the old one's
                conn.exec_driver_sql("ALTER INDEX IF EXISTS ix_corrections_target RENAME TO ix_corrections_v1_target")
            tables["corrections"].create(conn)
            n = conn.exec_driver_sql(
                'INSERT INTO corrections (id, what, state, event_id, value, "user", note, at) '
                "SELECT id, substr(field, 1, 16), 'legacy', CASE WHEN target = 'event' THEN target_id END, "
                'value, "user", note, at FROM corrections_v1'
            ).rowcount
            if postgis and n:
                conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('corrections', 'id'), (SELECT max(id) FROM corrections))")
            conn.exec_driver_sql("DROP TABLE corrections_v1")
            done.append(f"reshaped corrections ({n} legacy rows kept)")
    if found < 3 and "region" not in columns("articles"):
        conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN region TEXT")
        done.append("added articles.region")
    return done


SQLITE_EXTRAS = [
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
         tokenize='{FTS_TOKENIZE}')""",
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

PG_EXTRAS = [
    "CREATE INDEX IF NOT EXISTS ix_places_geom ON places USING gist (geom)",
]


def sqlite_has_stats(conn) -> bool:
    return conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is not None


def sqlite_setup(engine: sa.Engine) -> None:
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
