"""Store and ingest benchmark: prints figures, asserts nothing.

    python bench/bench_store.py                 # ingest 1 and 2 workers, then 1,000,000 events
    python bench/bench_store.py --events 100000 --articles 100
    python bench/bench_store.py --db postgresql://postgres@127.0.0.1:55432/dateline_test  # the same on PostGIS

Targets from issue 4: date-range + type query <= 100 ms on SQLite with 1,000,000 events; GeoJSON
export of 100,000 events <= 3 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.store import Filters, Store, text_hash  # noqa: E402
from geo.store.export import export_bytes  # noqa: E402
from geo.store.rows import place_key  # noqa: E402

TYPES = ["protest", "arrest", "attack", "border_crossing", "displacement", "statement", "election", "disaster", "strike", "meeting"]
COUNTRIES = ["UA", "KE", "NG", "BD", "PE", "PH", "PK", "CO", "MX", "US", "FR", "DE", "IN", "BR", "ZA", "EG", "TR", "ID", "VN", "AR"]
WORDS = (
    "officials said police protesters gathered near the border on Monday after clashes with troops in the "
    "capital while aid groups reported thousands displaced by floods and the ministry announced new measures "
    "against smuggling as residents fled toward the coast"
).split()
CITIES = [
    ("Kyiv", "Ukraine"), ("Nairobi", "Kenya"), ("Lagos", "Nigeria"), ("Dhaka", "Bangladesh"), ("Lima", "Peru"),
    ("Manila", "Philippines"), ("Karachi", "Pakistan"), ("Bogota", "Colombia"), ("Ciudad Juarez", "Mexico"),
    ("Marseille", "France"), ("Hamburg", "Germany"), ("Chennai", "India"), ("Recife", "Brazil"), ("Durban", "South Africa"),
]  # fmt: skip
TEMPLATES = [
    "{city}, {country} - Thousands of protesters marched in {city} on {day}, police said. Officers arrested {n} people "
    "near the central square after clashes with riot police. The interior ministry said the protest was illegal.",
    "Heavy flooding displaced {n} families in {city}, {country}, officials said on {day}. Many fled to shelters outside "
    "the city, and aid groups warned that the water could rise again.",
    "{n} migrants crossed the border near {city}, {country}, on {day}, border agents said. Police detained a smuggler "
    "who had driven a truck from {city2}.",
]


def articles(n: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    out = []
    for i in range(n):
        (city, country), (city2, _) = rng.sample(CITIES, 2)
        body = rng.choice(TEMPLATES).format(city=city, country=country, city2=city2, day=rng.choice(days), n=rng.randint(5, 5000))
        out.append({"id": str(i), "title": f"Report {i} from {city}", "url": f"https://bench.example/{i}",
                    "published": (dt.date(2024, 1, 1) + dt.timedelta(days=i % 300)).isoformat(), "text": body})  # fmt: skip
    return out


def bench_ingest(n: int, tmp: Path) -> None:
    from geo.store.ingest import ingest

    src = tmp / "articles.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in articles(n)), encoding="utf-8")
    for workers in (1, 2):
        with Store(f"sqlite:///{tmp / f'ingest{workers}.db'}") as store:
            report = ingest([str(src)], store, workers=workers, progress=False)
        rate = report.stored / report.elapsed
        steady = (report.stored - report.warmup_articles) / max(report.elapsed - (report.warmup or 0), 1e-9)
        print(f"ingest, SQLite, {workers} worker{'s' if workers > 1 else ''}: {report.stored} articles, "
              f"{report.events} events in {report.elapsed:.1f} s = {rate:.1f} articles/s "
              f"({steady:.1f} articles/s after {report.warmup or 0:.1f} s of model loading)")  # fmt: skip


def build(store: Store, n_events: int, seed: int = 2) -> float:
    """A synthetic store: 5 events an article, 2,000 places, 3 years of dates, 2% of events with a flow."""
    import shapely

    from geo.model import Place
    from geo.store.flows import flow_geometry as flow_line

    rng = random.Random(seed)
    t0 = time.perf_counter()
    places = []
    for i in range(2000):
        cc = COUNTRIES[i % len(COUNTRIES)]
        places.append(Place(9_000_000 + i, f"Town {i}", cc, "city", rng.uniform(-50, 60), rng.uniform(-120, 140), rng.randint(1000, 10**6)))
    store.bulk_insert("places", [
        {"id": i + 1, "key": place_key(p), "geonameid": p.geonameid, "name": p.name, "country_code": p.country_code,
         "level": p.level, "lat": p.lat, "lon": p.lon, "population": p.population} for i, p in enumerate(places)
    ])  # fmt: skip
    n_articles = max(1, n_events // 5)
    now = dt.datetime.now(dt.timezone.utc)
    start = dt.date(2022, 1, 1)
    rows = []
    for i in range(n_articles):
        text = " ".join(rng.choices(WORDS, k=150))
        rows.append({"id": i + 1, "url": f"https://synthetic.example/{i}", "title": f"Synthetic article {i}",
                     "source": "bench", "published": start + dt.timedelta(days=rng.randrange(1096)),
                     "text_hash": text_hash(f"{i} {text}"), "text": f"{i} {text}", "n_mentions": 5, "n_events": 5,
                     "ingested_at": now})  # fmt: skip
    store.bulk_insert("articles", rows)
    del rows
    def pid(p):  # places were inserted with ids 1..2000 in geonameid order
        return p.geonameid - 9_000_000 + 1

    actors_pool = [f"actor {k}" for k in range(300)]
    events, actors, flows = [], [], []
    for i in range(n_events):
        p = rng.choice(places)
        acts = rng.sample(actors_pool, rng.randint(0, 2))
        eid = i + 1
        origin = dest = None
        if rng.random() < 0.02:
            origin, dest = rng.sample(places, 2)
            p = dest
        events.append({"id": eid, "article_id": i // 5 + 1, "seq": i % 5, "type": rng.choice(TYPES),
                       "trigger": "said", "sentence": " ".join(rng.choices(WORDS, k=18)) + ".", "start": 0, "end": 100,
                       "date": start + dt.timedelta(days=rng.randrange(1096)), "date_precision": "day",
                       "actors": json.dumps(acts), "count": rng.choice([None, rng.randint(1, 10000)]),
                       "confidence": 0.7, "place_id": pid(p),
                       "place_text": p.name, "place_name": p.name, "geonameid": p.geonameid, "country_code": p.country_code,
                       "lat": p.lat, "lon": p.lon,
                       "location_id": None if origin else pid(p),
                       "origin_id": pid(origin) if origin else None,
                       "destination_id": pid(dest) if dest else None})  # fmt: skip
        actors += [{"event_id": eid, "actor_key": a, "actor": a} for a in acts]
        if origin:
            geom = flow_line(origin, dest)
            w, s, e, n = geom.bounds
            row = {"event_id": eid, "origin_id": events[-1]["origin_id"], "destination_id": events[-1]["destination_id"],
                   "origin_cc": origin.country_code, "destination_cc": dest.country_code,
                   "min_lon": w, "min_lat": s, "max_lon": e, "max_lat": n}  # fmt: skip
            if store.postgis:
                from geoalchemy2.shape import from_shape

                row["geom"] = from_shape(geom, srid=4326)
            else:
                row["wkb"] = shapely.to_wkb(geom)
            flows.append(row)
    store.bulk_insert("events", events)
    store.bulk_insert("event_actors", actors)
    store.bulk_insert("flows", flows)
    store.optimize()
    return time.perf_counter() - t0


def timed(fn, repeat: int = 5):
    fn()  # warm the page cache and the statement cache: the app's steady state
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def bench_store(n_events: int, url: str | None, tmp: Path, reuse: bool = False) -> None:
    url = url or f"sqlite:///{tmp / 'million.db'}"
    store = Store(url)
    backend = "PostGIS" if store.postgis else "SQLite"
    have = store.counts()["events"]
    if have and not (reuse and have == n_events):
        print(f"{url}: holds {have:,} events; give an empty database (or --reuse one built by this script)", file=sys.stderr)
        raise SystemExit(2)
    if not have:
        secs = build(store, n_events)
        print(f"synthetic {backend} store: {n_events:,} events, {n_events // 5:,} articles built in {secs:.0f} s")

    q = dict(start="2024-03-01", end="2024-03-31", types=["protest"])
    t, gdf = timed(lambda: store.events(**q))
    print(f"date-range + type query (one month, one type of 10; {len(gdf):,} rows to a GeoDataFrame): {t * 1000:.0f} ms (target <= 100 ms)")
    t, gdf = timed(lambda: store.events(start="2024-03-01", end="2024-03-31", types=["protest", "arrest"], countries=["UA", "KE"]))
    print(f"date + 2 types + 2 countries ({len(gdf):,} rows): {t * 1000:.0f} ms")
    t, gdf = timed(lambda: store.events(start="2024-01-01", end="2024-06-30", bbox=(-10, 35, 30, 60)))
    print(f"half a year in a Europe-sized box ({len(gdf):,} rows): {t * 1000:.0f} ms")
    t, gdf = timed(lambda: store.events(bbox=(10, 10, 12, 12)))
    print(f"a 2x2 degree box, all dates ({len(gdf):,} rows): {t * 1000:.0f} ms")
    t, gdf = timed(lambda: store.events(text="troops border", start="2024-01-01", end="2024-01-31"))
    print(f"free text 'troops border' in one month ({len(gdf):,} rows): {t * 1000:.0f} ms")
    t, _ = timed(lambda: store.counts_by_day(start="2024-01-01", end="2024-12-31"), repeat=3)
    print(f"counts_by_day over a year: {t * 1000:.0f} ms")
    t, _ = timed(lambda: store.facets(), repeat=3)
    print(f"facets over the whole store: {t * 1000:.0f} ms")

    t, data = timed(lambda: export_bytes(store, "geojson", Filters(start="2022-01-01"), limit=100_000), repeat=3)
    n = json.loads(data)["features"]
    print(f"GeoJSON export of {sum(f['properties']['kind'] == 'event' for f in n):,} events (+{sum(f['properties']['kind'] == 'flow' for f in n):,} flows), "
          f"query included: {t:.2f} s, {len(data) / 1e6:.0f} MB (target <= 3 s)")  # fmt: skip
    if not store.postgis:
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db = Path(store.engine.url.database)
        size = db.stat().st_size
        with store.engine.connect() as conn:
            text_bytes = conn.exec_driver_sql("SELECT sum(length(text)) FROM articles").scalar()
        print(f"store size: {size / 1e6:.0f} MB = {size / n_events:.0f} bytes per event "
              f"({(size - text_bytes) / n_events:.0f} without the article texts)")  # fmt: skip
    else:
        with store.engine.connect() as conn:
            size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
        print(f"database size: {size / 1e6:.0f} MB = {size / n_events:.0f} bytes per event")
    store.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--articles", type=int, default=400, help="articles for the ingest throughput runs")
    ap.add_argument("--db", help="run the store part on this (empty) database instead of a temporary SQLite file")
    ap.add_argument("--reuse", action="store_true", help="with --db: time a store this script built before")
    ap.add_argument("--skip-ingest", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="dateline-bench-") as tmp:
        if not args.skip_ingest:
            bench_ingest(args.articles, Path(tmp))
        bench_store(args.events, args.db, Path(tmp), reuse=args.reuse)
    return 0


if __name__ == "__main__":
    sys.exit(main())
