"""Shared fixtures.

`db_url` runs a test once per store backend: SQLite in a temporary folder, and PostGIS when
DATELINE_TEST_PG_URL names a database (`.ci/postgis.sh start` prints one), each PostGIS test in a
schema of its own that is dropped afterwards. With DATELINE_REQUIRE_ALL=1 a skipped test fails
instead, so CI cannot pass by quietly not running the PostGIS half (or anything else).
"""

from __future__ import annotations

import os
import uuid

import pytest

PG_ENV = "DATELINE_TEST_PG_URL"
REQUIRE_ALL_ENV = "DATELINE_REQUIRE_ALL"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if os.environ.get(REQUIRE_ALL_ENV) == "1" and rep.skipped and not hasattr(rep, "wasxfail"):
        reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
        rep.outcome = "failed"
        rep.longrepr = f"skipped, and {REQUIRE_ALL_ENV}=1 forbids skips: {reason}"


def _pg_schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    # libpq options: tables go to the test's schema; PostGIS types stay reachable in public.
    return f"{base}{sep}options=-csearch_path%3D{schema},public"


@pytest.fixture(params=["sqlite", "postgis"])
def db_url(request, tmp_path):
    """A URL for an empty store, per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'dateline.db'}"
    return request.getfixturevalue("postgis_url")


@pytest.fixture
def postgis_url():
    """A URL for an empty PostGIS store: a fresh schema in DATELINE_TEST_PG_URL's database."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: run `.ci/postgis.sh start` and export the URL it prints")
    import sqlalchemy as sa

    from geo.store import normalise_url

    base = normalise_url(base)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        yield _pg_schema_url(base, schema)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def store(db_url):
    from geo.store import Store

    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def pipeline():
    """The real pipeline, loaded once per test session."""
    from geo.text.pipeline import default_pipeline

    return default_pipeline()


@pytest.fixture(scope="session")
def make_doc():
    """Build a Document by hand: make_doc(text, events=[dict(type=..., location=place, ...)]).

    Places are geo.model.Place; each event dict takes type, date, actors, count, sentence and
    location/origin/destination places. Mentions are made for every place used.
    """
    from geo.model import Document, Event, Mention

    def build(text: str, events=(), published=None, title=None, mentions=()):
        ments = []

        def mention(place):
            if place is None:
                return None
            i = text.find(place.name)
            start = max(i, 0)
            m = Mention(place.name, start, start + len(place.name), place=place, score=0.9, reason="test")
            ments.append(m)
            return m

        for p in mentions:
            mention(p)
        evs = []
        for k, spec in enumerate(events):
            spec = dict(spec)
            sentence = spec.pop("sentence", text)
            evs.append(
                Event(
                    type=spec.pop("type"),
                    trigger=spec.pop("trigger", "said"),
                    sentence=sentence,
                    start=0,
                    end=len(sentence),
                    date=spec.pop("date", None),
                    date_precision=spec.pop("date_precision", "day"),
                    actors=list(spec.pop("actors", [])),
                    count=spec.pop("count", None),
                    location=mention(spec.pop("location", None)),
                    origin=mention(spec.pop("origin", None)),
                    destination=mention(spec.pop("destination", None)),
                    confidence=spec.pop("confidence", 0.8),
                    id=f"e{k + 1}",
                )
            )
            assert not spec, f"unknown event fields {spec}"
        return Document(text=text, published=published, title=title, mentions=ments, events=evs)

    return build


@pytest.fixture(scope="session")
def places():
    """A few real GeoNames places, by name."""
    from geo.model import Place

    return {
        "Kyiv": Place(703448, "Kyiv", "UA", "city", 50.45466, 30.5238, 2797553, "PPLC"),
        "Lviv": Place(702550, "Lviv", "UA", "city", 49.83826, 24.02324, 717803, "PPLA"),
        "Warsaw": Place(756135, "Warsaw", "PL", "city", 52.22977, 21.01178, 1702139, "PPLC"),
        "Nairobi": Place(184745, "Nairobi", "KE", "city", -1.28333, 36.81667, 2750547, "PPLC"),
        "El Paso": Place(5520993, "El Paso", "US", "city", 31.75872, -106.48693, 678815, "PPLA2"),
        "Ciudad Juarez": Place(4013708, "Ciudad Juarez", "MX", "city", 31.72024, -106.46084, 1512354, "PPLA2"),
        "Tokyo": Place(1850147, "Tokyo", "JP", "city", 35.6895, 139.69171, 8336599, "PPLC"),
        "Los Angeles": Place(5368361, "Los Angeles", "US", "city", 34.05223, -118.24368, 3971883, "PPLA2"),
        "Suva": Place(2198148, "Suva", "FJ", "city", -18.14161, 178.44149, 77366, "PPLC"),
    }

