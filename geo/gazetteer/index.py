"""Reading the gazetteer index: look names up, fetch places, countries, capitals, neighbours.

The index is built once by geo/gazetteer/build.py; a `Gazetteer` only ever opens it read-only.
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from geo.model import Place

from .build import BUILD_VERSION, ensure_built
from .names import ARABIC_NAMING, CURATED, DIRECTION_WORDS, DIVISION_WORDS, PRIMARY, english_compass, normalize, spelled_out, spelling_key, without_arabic_article

_WORDS = re.compile(r"[^\W\d_]+(?:[ '/-][^\W\d_]+)*")
_PLACE_COLUMNS = "p.geonameid, p.name, p.cc, p.level, p.lat, p.lon, p.population, p.fcode, p.admin1, p.alt_names"


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
        self._states: dict[str, tuple[Place, ...]] | None = None
        # Per instance, so a test opening a second index never sees the first one's answers.
        self._lookup_key = lru_cache(maxsize=1 << 16)(self._lookup_key_uncached)
        self._is_key = lru_cache(maxsize=1 << 16)(self._is_key_uncached)
        self._demonym_key = lru_cache(maxsize=1 << 14)(self._demonym_key_uncached)
        self._admin2_of = lru_cache(maxsize=1 << 16)(self._admin2_of_uncached)
        # the finder and the resolver both ask for the spellings of a name the exact key lacks
        self._spelling_key = lru_cache(maxsize=1 << 14)(self._spelling_key_uncached)

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
        """Every place one of whose names normalises like `name`, coarsest level first. A
        hyphenated name the index lacks is tried with spaces (news writes "Nord-Kivu" where
        GeoNames has "Nord Kivu"), and one with an Arabic article without it, in the countries
        that write Arabic names; one with a French, Spanish or Portuguese compass word in English.
        """
        key = normalize(name)
        found = self._lookup_key(key)
        if not found and "-" in key:
            found = self._lookup_key(" ".join(key.replace("-", " ").split()))
        elif not found and " " in key:
            found = self._lookup_key(key.replace(" ", "-"))  # "Mbuji Mayi" for "Mbuji-Mayi"
        if not found and (bare := without_arabic_article(key)) is not None:
            # "Al-Anbar", "Al-Quneitra" where GeoNames has "Anbar", "Quneitra"
            found = tuple(p for p in self._lookup_key(bare) if p.country_code in ARABIC_NAMING)
        if not found and (english := english_compass(key)) is not None:
            # "Sud-Kivu" where GeoNames has "South Kivu": the division only, as a town's
            # English name is no translation of its own
            found = tuple(p for p in self._lookup_key(english) if p.level in ("admin1", "admin2"))
        return list(found)

    def state_spellings(self, name: str) -> list[Place]:
        """The states one of whose names is `name` in another spelling: "Castilla-La Mancha"
        for GeoNames' "Castille-La Mancha", "Kunar" for "Konar". For a name the text says is a
        state (a division word, a qualifier's place): the key alone also makes "Crime" Crimea."""
        key = normalize(name)
        if not _WORDS.fullmatch(key):
            return []  # "Calif.--": a token with more than a name in it
        return list(self._state_keys().get(spelling_key(key) or "", ()))

    def _state_keys(self) -> dict[str, tuple[Place, ...]]:
        if self._states is None:
            rows = self._query(
                f"SELECT s.skey, {_PLACE_COLUMNS} FROM spellings s JOIN places p ON p.id = s.pid"
                " WHERE p.level = 'admin1' ORDER BY p.population DESC, p.id"
            )
            states: dict[str, tuple[Place, ...]] = {}
            for skey, *row in rows:
                states[skey] = (*states.get(skey, ()), Place(*row))
            self._states = states
        return self._states

    def lookup_division(self, name: str) -> list[Place]:
        """The places a name written as an administrative division may mean: "Rutshuru
        territory", "Dadu district", "Province of Mindoro Occidental" are the division called
        Rutshuru, Dadu, Mindoro Occidental, or else the town it is named after and governed
        from; "North Lebanon" is (in) Lebanon. [] when the name carries no division or compass
        word, or the rest is unknown."""
        words = name.split()
        if len(words) < 2:
            return []
        if words[0].lower() in DIRECTION_WORDS:
            # "North Lebanon", "Northern Kordofan": part of a country or state, at least in it
            return [p for p in self.lookup(" ".join(words[1:])) if p.level in ("country", "admin1")]
        if words[-1].lower() in DIVISION_WORDS:
            rest = " ".join(words[:-1])
        elif len(words) > 2 and words[0].lower() in DIVISION_WORDS and words[1].lower() == "of":
            rest = " ".join(words[2:])
        else:
            return []
        found = self.lookup(rest) or self.state_spellings(rest)
        divisions = [p for p in found if p.level in ("admin1", "admin2")]
        return divisions or [p for p in found if p.level == "city"]

    def spelling_variants(self, name: str) -> list[Place]:
        """The places whose name is `name` in another transliteration ("Tel Abyad" for Tall
        Abyad, "Baqouba" for Baqubah), largest first; [] for a name too short to tell. Loose on
        purpose: a caller narrows them to where the text puts the name."""
        key = spelling_key(name)
        return list(self._spelling_key(key)) if key is not None else []

    def _spelling_key_uncached(self, key: str) -> tuple[Place, ...]:
        return self._places(
            "JOIN spellings s ON s.pid = p.id WHERE s.skey = ? ORDER BY p.level_rank, p.population DESC, p.id", (key,)
        )

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
        """The countries a demonym or its plural names ("Venezuelans" -> [Venezuela]); for the
        nations of a country, the nation ("English" -> [England])."""
        return list(self._demonym_key(normalize(word)))

    def _demonym_key_uncached(self, key: str) -> tuple[Place, ...]:
        rows = self._query("SELECT cc, admin1 FROM demonyms WHERE norm = ? ORDER BY cc, admin1", (key,))
        places = (self.admin1(cc, admin1) if admin1 else self.country(cc) for cc, admin1 in rows)
        return tuple(p for p in places if p is not None)

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

    def admin2(self, place: Place) -> str | None:
        """The county or district (admin2 name) a town lies in, where the index knows it."""
        if place.level == "admin2":
            return place.name
        if place.level != "city" or place.geonameid is None:
            return None
        return self._admin2_of(int(place.geonameid))

    def _admin2_of_uncached(self, geonameid: int) -> str | None:
        rows = self._query("SELECT admin2 FROM places WHERE geonameid = ? AND level = 'city' LIMIT 1", (geonameid,))
        return rows[0][0] if rows else None

    def shared_names(self, min_places: int = 2, min_population: int = 1000) -> list[str]:
        """Own names of towns that several towns share ("Paris", "Springfield"), sorted: what a
        resolver must tell apart, and what the resolver's synthetic training stories are about."""
        rows = self._query(
            "SELECT n.norm FROM names n JOIN places p ON p.id = n.pid WHERE n.kind = ? AND p.level = 'city'"
            " GROUP BY n.norm HAVING COUNT(*) >= ? AND MAX(p.population) >= ? ORDER BY n.norm",
            (PRIMARY, min_places, min_population),
        )
        return [r[0] for r in rows]

    def places_at(self, level: str) -> list[Place]:
        """Every place of one level ("admin1", "country"...), by country and name."""
        return list(self._places("WHERE p.level = ? ORDER BY p.cc, p.name, p.id", (level,)))

    def name_matches_primary(self, place: Place, name: str) -> bool:
        """Whether `name` is what the place is called, not just one of its alternate names."""
        key = normalize(name)
        if key == normalize(place.name) or spelled_out(key) == spelled_out(normalize(place.name)):
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
            chunks = self._query("SELECT pid, lat, lon FROM city_points ORDER BY chunk")
            self._coords = (
                np.frombuffer(b"".join(c[0] for c in chunks), dtype=np.int32),
                np.radians(np.frombuffer(b"".join(c[1] for c in chunks), dtype=np.float64)),
                np.radians(np.frombuffer(b"".join(c[2] for c in chunks), dtype=np.float64)),
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
