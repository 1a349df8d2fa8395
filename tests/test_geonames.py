"""Bring your own GeoNames: `python -m geo gazetteer --geonames` on small files in the dump format.

The fixture (tests/data/geonames) holds villages of Cameroon's Far North that the bundled data
lacks, two bad rows and a historical place. One index is built with it into a temporary cache
for the whole module (about half a minute: the bundled data is parsed too).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from geo.gazetteer import Gazetteer

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "data" / "geonames"


def run_geo(cache: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATELINE_CACHE": str(cache), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    files = [FIXTURE / "CM.txt", FIXTURE / "admin1CodesASCII.txt", FIXTURE / "admin2Codes.txt"]
    out = run_geo(cache, "gazetteer", "--geonames", *map(str, files))
    assert out.returncode == 0, out.stderr
    [index] = cache.glob("gazetteer-*.sqlite")
    return cache, Gazetteer.open(index), out.stdout


def test_villages_are_merged_with_their_state_and_county(merged):
    _, gaz, _ = merged
    [village] = gaz.lookup("Minawao")
    assert (village.geonameid, village.level, village.country_code) == (90000001, "city", "CM")
    assert village.admin1 == "Far North"  # the index's own name for CM.12, as its state row has it
    assert gaz.admin2(village) == "Mayo-Tsanaga"
    assert [p.geonameid for p in gaz.lookup("Minawao Camp")] == [90000001]  # alternate names too
    assert [p.geonameid for p in gaz.lookup("Zamai")] == [90000002]  # ASCII spelling of "Zamaï"
    # The bundled towns are all still there, once.
    assert len([p for p in gaz.lookup("Mokolo") if p.country_code == "CM"]) == 1
    # A historical place is not a place to put today's news.
    assert gaz.lookup("Old Minawao") == []
    county = [p for p in gaz.lookup("Mayo-Tsanaga") if p.level == "admin2"]
    assert county and county[0].admin1 == "Far North"
    # Merged towns are among the points nearest_cities searches (stored in chunks while building).
    [(nearest, d)] = gaz.nearest_cities(10.567, 13.851, k=1)
    assert nearest.geonameid == 90000001 and d < 1


def test_bad_rows_are_reported_with_their_line(merged):
    _, _, stdout = merged
    assert "2 bad rows" in stdout
    assert "CM.txt:4: expected 19 tab-separated columns, found 18" in stdout
    assert "CM.txt:5: coordinates 'north'" in stdout


def test_village_names_in_conflict_reports_resolve_to_the_village(merged):
    from geo.text.pipeline import Pipeline

    _, gaz, _ = merged
    pipe = Pipeline(gazetteer=gaz, events=False)
    doc = pipe.parse(
        "Boko Haram fighters attacked Minawao village, in the Mokolo subdivision of Cameroon's Far North "
        "region, on Tuesday night, witnesses said."
    )
    places = {m.text: m.place for m in doc.mentions if m.place is not None}
    assert places["Minawao"].geonameid == 90000001, places
    # Gawar is also a spelling of Gavar in Armenia; in a Cameroon story it is the village. Called
    # on the resolver with the names marked, as the NER does not know this village.
    from geo.model import Mention

    text = "Soldiers from Mokolo reached Gawar in northern Cameroon after the raid, the army said."
    mentions = [Mention(text=n, start=text.index(n), end=text.index(n) + len(n)) for n in ("Mokolo", "Gawar", "Cameroon")]
    pipe.resolver.resolve(mentions, text)
    assert mentions[1].place.geonameid == 90000003, (mentions[1].place, mentions[1].reason)


def test_the_merge_is_remembered_and_can_be_dropped(merged, tmp_path):
    cache, gaz, _ = merged
    local = tmp_path / "cache"
    shutil.copytree(cache, local)
    # Nothing changed: the remembered files give the same index, which is not rebuilt.
    out = run_geo(local, "gazetteer")
    assert out.returncode == 0 and Path(out.stdout.split()[2]).name == gaz.path.name, out.stdout
    out = run_geo(local, "gazetteer", "--no-geonames")
    assert out.returncode == 0, out.stderr
    plain = Gazetteer.open(out.stdout.split()[2])
    assert plain.lookup("Minawao") == []


def test_a_failed_merge_leaves_no_half_built_index(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    broken = tmp_path / "XX.zip"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("readme.txt", "no table here")
    out = run_geo(cache, "gazetteer", "--geonames", str(broken))
    assert out.returncode != 0
    assert "no GeoNames table" in out.stderr
    assert not list(cache.glob("gazetteer-*.sqlite")) and not list(cache.glob("*.tmp"))
    out = run_geo(cache, "gazetteer", "--geonames", str(tmp_path / "missing.zip"))
    assert out.returncode != 0 and "no such file" in out.stderr
