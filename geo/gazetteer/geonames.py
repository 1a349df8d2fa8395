"""Bring your own GeoNames: merge dump files a user downloaded into the gazetteer index.

    python -m geo gazetteer --geonames allCountries.zip admin1CodesASCII.txt admin2Codes.txt
    python -m geo gazetteer --geonames CM.zip NE.txt          # one or a few countries
    python -m geo gazetteer --no-geonames                     # back to the bundled data only

The default index holds towns of 500 people or more (cities500); reports of fighting and flight
name villages. A dump file is the standard GeoNames table (19 tab-separated columns, UTF-8,
`allCountries.zip`, a country's `XX.zip`, or the `.txt` inside one). Its populated places
(feature class P, less historical, abandoned and destroyed ones) become towns, and its ADM1/ADM2
rows give the index's states and counties their GeoNames id and point, or add the missing ones.
`admin1CodesASCII.txt` and `admin2Codes.txt`, when given, name the states and counties.

Which files to merge is remembered in the cache folder (geonames-sources.json) and is part of
the index key, so the merged index is what every later `Gazetteer.default()` opens, and it is
rebuilt, files and all, when the bundled data changes. Rows are streamed: memory stays flat
whatever the file's size (a bitmap of ids seen, 1.6 MB for GeoNames' 13 million ids); a bad row
is reported with its file and line and skipped.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geo.model import Place
from geo.settings import cache_dir

from .names import ALTERNATE, PRIMARY, latin_key, normalize, usable_alternate

SOURCES_FILE = "geonames-sources.json"
COLUMNS = 19
NAME_FILES = {"admin1codesascii.txt": "admin1", "admin2codes.txt": "admin2"}
# Populated places that are not there any more, or not a place of their own.
SKIP_CODES = {"PPLH", "PPLQ", "PPLW", "PPLCH"}
MAX_REPORTED = 20


# --- which files -----------------------------------------------------------------------------


def sources() -> list[dict]:
    """The GeoNames files the index merges: [{"path", "size", "mtime"}], in the order given."""
    path = cache_dir() / SOURCES_FILE
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("files", [])


def set_sources(files: list[str | os.PathLike]) -> list[dict]:
    """Remember `files` (checked: they exist and look like GeoNames files); [] forgets them."""
    entries = []
    for f in files:
        p = Path(f).expanduser().resolve()
        if not p.is_file():
            raise ValueError(f"{f}: no such file")
        if p.suffix.lower() not in (".zip", ".txt"):
            raise ValueError(f"{f}: expected a GeoNames .zip or .txt file")
        st = p.stat()
        entries.append({"path": str(p), "size": st.st_size, "mtime": st.st_mtime_ns})
    path = cache_dir() / SOURCES_FILE
    if entries:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"files": entries}, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    elif path.exists():
        path.unlink()
    return entries


def key_part() -> str:
    """What the index key takes from the merged files: their paths, sizes and times."""
    return "".join(f"|geonames={e['path']}:{e['size']}:{e['mtime']}" for e in sources())


def report_of(index: Path) -> dict:
    """What merging did when `index` was built ({} when it merged nothing)."""
    import sqlite3

    db = sqlite3.connect(Path(index).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'geonames'").fetchone()
    finally:
        db.close()
    return json.loads(row[0]) if row and row[0] else {}


# --- reading ---------------------------------------------------------------------------------


@dataclass
class Report:
    rows: int = 0
    towns: int = 0
    admin: int = 0
    known: int = 0  # already in the index (cities500 towns) or in an earlier file
    bad: int = 0
    problems: list[str] = field(default_factory=list)

    def fail(self, where: str, line: int, reason: str) -> None:
        self.bad += 1
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(f"{where}:{line}: {reason}")


def _open_lines(path: Path) -> tuple[Iterator[bytes], int]:
    """Raw lines of a dump (a .txt, or the table inside a .zip) and its size in bytes."""
    if path.suffix.lower() == ".zip":
        import io
        import zipfile

        zf = zipfile.ZipFile(path)
        members = [i for i in zf.infolist() if i.filename.lower().endswith(".txt") and "readme" not in i.filename.lower()]
        if not members:
            raise ValueError(f"{path}: no GeoNames table (.txt) inside")
        info = next((i for i in members if Path(i.filename).stem == path.stem), members[0])
        return io.BufferedReader(zf.open(info), buffer_size=1 << 20), info.file_size
    return open(path, "rb", buffering=1 << 20), path.stat().st_size


def _code_names(path: Path, report: Report) -> dict[str, str]:
    """'CC.A1' (or 'CC.A1.A2') -> name, from admin1CodesASCII.txt / admin2Codes.txt."""
    out = {}
    lines, _ = _open_lines(path)
    with lines as fh:
        for n, raw in enumerate(fh, start=1):
            try:
                cols = raw.decode("utf-8").rstrip("\r\n").split("\t")
            except UnicodeDecodeError:
                report.fail(path.name, n, "not valid UTF-8")
                continue
            if len(cols) < 2 or "." not in cols[0] or not cols[1]:
                report.fail(path.name, n, "expected code<TAB>name<TAB>...")
                continue
            out[cols[0]] = cols[1]
    return out


@dataclass(slots=True)
class Row:
    geonameid: int
    name: str
    asciiname: str
    alternates: list[str]
    lat: float
    lon: float
    fclass: str
    fcode: str
    cc: str
    admin1: str
    admin2: str
    population: int


def parse_row(line: str) -> Row:
    """One line of a GeoNames table; ValueError saying what is wrong."""
    cols = line.rstrip("\r\n").split("\t")
    if len(cols) != COLUMNS:
        raise ValueError(f"expected {COLUMNS} tab-separated columns, found {len(cols)}")
    try:
        gid = int(cols[0])
    except ValueError:
        raise ValueError(f"geonameid {cols[0]!r} is not a number") from None
    try:
        lat, lon = float(cols[4]), float(cols[5])
    except ValueError:
        raise ValueError(f"coordinates {cols[4]!r}, {cols[5]!r} are not numbers") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"coordinates {lat}, {lon} are off the globe")
    try:
        pop = int(cols[14] or 0)
    except ValueError:
        raise ValueError(f"population {cols[14]!r} is not a number") from None
    if not cols[1].strip():
        raise ValueError("no name")
    alternates = [a for a in cols[3].split(",") if a] if cols[3] else []
    return Row(gid, cols[1].strip(), cols[2].strip(), alternates, lat, lon, cols[6], cols[7], cols[8].upper(),
               cols[10], cols[11], max(pop, 0))  # fmt: skip


# --- merging ---------------------------------------------------------------------------------


class _Seen:
    """Which GeoNames ids are in the index: a bitmap, flat in memory however many rows stream by."""

    def __init__(self, ids) -> None:
        self.bits = bytearray(1 << 21)
        for i in ids:
            self.add(i)

    def add(self, i: int) -> None:
        if i >> 3 >= len(self.bits):
            self.bits.extend(bytearray(max(len(self.bits), (i >> 3) + 1 - len(self.bits))))
        self.bits[i >> 3] |= 1 << (i & 7)

    def __contains__(self, i: int) -> bool:
        return i >> 3 < len(self.bits) and bool(self.bits[i >> 3] & (1 << (i & 7)))


def merge(w, files: list[Path], a1_names: dict[tuple[str, str], str], progress: bool = True) -> Report:
    """Add the towns and admin units of GeoNames dump `files` through the index writer `w`.

    `a1_names`: (cc, admin1 code) -> the admin1 name the index already uses, so merged towns
    name their state as the index's state rows do (the resolver compares the two).
    """
    from tqdm import tqdm

    report = Report()
    codes1: dict[str, str] = {}
    codes2: dict[str, str] = {}
    tables = []
    for f in files:
        kind = NAME_FILES.get(f.name.lower())
        if kind == "admin1":
            codes1.update(_code_names(f, report))
        elif kind == "admin2":
            codes2.update(_code_names(f, report))
        else:
            tables.append(f)
    db = w.db
    seen = _Seen(gid for (gid,) in db.execute("SELECT geonameid FROM places WHERE geonameid IS NOT NULL"))
    # Each ADM1/ADM2 row looks its state or county up; without these, every lookup would scan
    # the whole table, which grows by millions of towns.
    db.execute("CREATE INDEX IF NOT EXISTS merge_admin1 ON places (cc, a1code) WHERE level = 'admin1'")
    db.execute("CREATE INDEX IF NOT EXISTS merge_admin2 ON places (cc, name) WHERE level = 'admin2'")
    for f in tables:
        lines, size = _open_lines(f)
        bar = tqdm(total=size, unit="B", unit_scale=True, desc=f"GeoNames {f.name}", disable=not progress,
                   file=sys.stderr, dynamic_ncols=True)  # fmt: skip
        done = 0
        with lines as fh, bar:
            for n, raw in enumerate(fh, start=1):
                done += len(raw)
                if n % 20000 == 0:
                    bar.update(done)
                    done = 0
                if not raw.strip():
                    continue
                report.rows += 1
                try:
                    row = parse_row(raw.decode("utf-8"))
                except UnicodeDecodeError:
                    report.fail(f.name, n, "not valid UTF-8")
                    continue
                except ValueError as e:
                    report.fail(f.name, n, str(e))
                    continue
                if row.fclass == "A" and row.fcode in ("ADM1", "ADM2"):
                    _admin(w, row, a1_names, codes1, codes2, seen, report)
                elif row.fclass == "P" and row.fcode not in SKIP_CODES:
                    if row.geonameid in seen:
                        report.known += 1
                        continue
                    seen.add(row.geonameid)
                    _town(w, row, a1_names, codes1, codes2)
                    report.towns += 1
            bar.update(done)
    w.flush()
    db.execute("DROP INDEX merge_admin1")
    db.execute("DROP INDEX merge_admin2")
    return report


def _state_name(row: Row, a1_names, codes1) -> str | None:
    return a1_names.get((row.cc, row.admin1)) or codes1.get(f"{row.cc}.{row.admin1}")


def _names(w, pid: int, row: Row) -> None:
    primary = normalize(row.name)
    w.name(pid, primary, PRIMARY)
    keys = {latin_key(row.asciiname) if row.asciiname else None}
    keys.update(latin_key(a) for a in row.alternates if usable_alternate(a))
    for key in keys - {None, primary}:
        w.name(pid, key, ALTERNATE)


def _town(w, row: Row, a1_names, codes1, codes2) -> None:
    place = Place(
        geonameid=row.geonameid, name=row.name, country_code=row.cc or None,
        level="district" if row.fcode == "PPLX" else "city", lat=row.lat, lon=row.lon,
        population=row.population, feature_code=row.fcode, admin1=_state_name(row, a1_names, codes1),
        alt_names=len(row.alternates),
    )  # fmt: skip
    admin2 = codes2.get(f"{row.cc}.{row.admin1}.{row.admin2}") if row.admin2 else None
    _names(w, w.place(place, row.admin1 or None, admin2), row)


def _admin(w, row: Row, a1_names, codes1, codes2, seen: _Seen, report: Report) -> None:
    """A state or county: give the index's row its GeoNames id and point, or add it."""
    if row.geonameid in seen:
        report.known += 1
        return
    seen.add(row.geonameid)
    db = w.db
    state = _state_name(row, a1_names, codes1)
    if row.fcode == "ADM1":
        hit = db.execute(
            "UPDATE places SET geonameid = ?, lat = ?, lon = ? WHERE level = 'admin1' AND cc = ? AND a1code = ?"
            " AND geonameid IS NULL",
            (row.geonameid, row.lat, row.lon, row.cc, row.admin1),
        ).rowcount  # fmt: skip
        level, name = "admin1", state or row.name
    else:
        name = codes2.get(f"{row.cc}.{row.admin1}.{row.admin2}") or row.name
        hit = db.execute(
            "UPDATE places SET geonameid = ?, lat = ?, lon = ? WHERE level = 'admin2' AND cc = ? AND admin1 IS ?"
            " AND name IN (?, ?) AND geonameid IS NULL",
            (row.geonameid, row.lat, row.lon, row.cc, state, name, row.name),
        ).rowcount  # fmt: skip
        level = "admin2"
    report.admin += 1
    if hit:
        return
    place = Place(
        geonameid=row.geonameid, name=name, country_code=row.cc or None, level=level, lat=row.lat, lon=row.lon,
        population=row.population, feature_code=row.fcode, admin1=state if level == "admin2" else None,
        alt_names=len(row.alternates),
    )  # fmt: skip
    _names(w, w.place(place, row.admin1 or None), row)
