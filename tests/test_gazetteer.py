"""The offline gazetteer against real package data (the index is built once into the cache)."""

from __future__ import annotations

import csv
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo import gazetteer
from geo.gazetteer import Gazetteer, country_shapes, ensure_built, normalize
from geo.model import LEVELS
from geo.settings import REPO


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def only(places, **fields):
    return [p for p in places if all(getattr(p, k) == v for k, v in fields.items())]


# -- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("U.S.", "US"),
        ("São Paulo", "sao paulo"),
        ("  New\tYork ", "new york"),
        ("Côte d’Ivoire", "cote d'ivoire"),
        ("Guinea–Bissau", "guinea-bissau"),
        ("København", "kobenhavn"),
        ("Straße", "STRASSE"),
    ],
)
def test_normalize_makes_spellings_meet(a, b):
    assert normalize(a) == normalize(b)


def test_normalize_keeps_different_names_apart():
    assert normalize("Guinea-Bissau") != normalize("Guinea Bissau Town")
    assert normalize("Niger") != normalize("Nigeria")


# -- lookup ---------------------------------------------------------------------------------------


def test_caracas_is_the_venezuelan_capital(gaz):
    capitals = only(gaz.lookup("Caracas"), country_code="VE", level="city", feature_code="PPLC")
    assert [p.geonameid for p in capitals] == [3646738]
    assert gaz.capital("VE") == capitals[0]


def test_country_found_by_name(gaz):
    colombia = only(gaz.lookup("Colombia"), level="country")
    assert [p.country_code for p in colombia] == ["CO"]
    assert colombia[0].feature_code == "PCLI"
    # Colombia's country point lies inside Colombia (roughly 4N 72W), not in a namesake town.
    assert km((colombia[0].lat, colombia[0].lon), (4.0, -72.0)) < 500


@pytest.mark.parametrize("name", ["U.S.", "US", "USA", "United States", "United States of America", "America"])
def test_united_states_aliases(gaz, name):
    countries = only(gaz.lookup(name), level="country")
    assert [p.country_code for p in countries] == ["US"]
    assert countries[0].geonameid == 6252001


def test_lookup_lists_coarsest_level_first(gaz):
    places = gaz.lookup("Mexico")
    ranks = [LEVELS.index(p.level) for p in places]
    assert ranks == sorted(ranks)
    assert places[0].country_code == "MX" and places[0].level == "country"


def test_unknown_name(gaz):
    assert gaz.lookup("Xyzzyville Qwerty") == []
    assert not gaz.is_name("Xyzzyville Qwerty")
    assert gaz.is_name("caracas") and gaz.is_name("CARACAS")


def test_a_name_in_another_transliteration_meets_the_gazetteers_spelling(gaz):
    # none of these is a name the gazetteer has as written
    for written, cc, geonames_spelling in [("Tel Abyad", "SY", "Tall Abya"), ("Baqouba", "IQ", "Baqubah"),
                                           ("Ain Issa", "SY", "Ayn"), ("Tuz Khurmato", "IQ", "Khūrmātū")]:
        assert not gaz.lookup(written)
        found = [p for p in gaz.spelling_variants(written) if p.country_code == cc]
        assert found and geonames_spelling in found[0].name, (written, gaz.spelling_variants(written))
    # a short name meets too many others to be tried at all
    assert gaz.spelling_variants("Bani") == []
    # states have a lookup of their own, for names the text says are states
    assert [(p.name, p.level) for p in gaz.state_spellings("Castilla-La Mancha")] == [("Castille-La Mancha", "admin1")]
    assert not gaz.lookup("Castilla-La Mancha") and gaz.state_spellings("Calif.--") == []


def test_a_name_written_with_an_arabic_article_that_geonames_writes_without(gaz):
    assert [(p.name, p.level) for p in gaz.lookup("Al-Anbar")] == [("Anbar", "admin1")]
    assert "SY" in {p.country_code for p in gaz.lookup("al-Tall")}
    # only where Arabic names places: "El Paso" is still El Paso, Texas, and no "Paso"
    assert gaz.lookup("El Paso")[0].country_code == "US"


def test_texas_is_a_us_state_near_its_geographic_centre(gaz):
    (texas,) = only(gaz.lookup("Texas"), level="admin1", country_code="US")
    # Texas' geographic centre is near Brady, about 31.0N 99.9W.
    assert km((texas.lat, texas.lon), (31.0, -99.9)) < 300
    assert texas.geonameid == 4736286  # GeoNames' Texas, from us_states.json
    assert texas.population > 10_000_000


@pytest.mark.parametrize(
    "name, cc", [("California", "US"), ("Zulia", "VE"), ("Bavaria", "DE"), ("Ontario", "CA"), ("England", "GB")]
)
def test_admin1_places(gaz, name, cc):
    assert only(gaz.lookup(name), level="admin1", country_code=cc)
    assert gaz.admin1(cc, name).name == name


def test_admin1_by_code(gaz):
    assert gaz.admin1("US", "TX") == gaz.admin1("US", "texas")
    assert gaz.admin1("CA", "ON").name == "Ontario"  # ISO 3166-2 code via pycountry
    assert gaz.admin1("US", "Bavaria") is None


def test_cities_carry_their_admin1_name(gaz):
    (long_beach,) = only(gaz.lookup("Long Beach"), country_code="US", admin1="California")
    assert long_beach.population > 400_000


def test_admin1_centre_across_the_antimeridian(gaz):
    # Fiji's divisions straddle 180 degrees; averaging degrees would put them near 0.
    fiji = [p for p in gaz.lookup("Eastern") if p.country_code == "FJ" and p.level == "admin1"]
    assert fiji and all(abs(p.lon) > 170 for p in fiji)


def test_admin2_counties(gaz):
    (county,) = only(gaz.lookup("Los Angeles County"), level="admin2")
    assert county.admin1 == "California"
    assert km((county.lat, county.lon), (34.05, -118.25)) < 100


def test_continents_and_curated_regions(gaz):
    assert only(gaz.lookup("Europe"), level="continent", geonameid=6255148)
    assert only(gaz.lookup("South America"), level="continent")
    (middle_east,) = only(gaz.lookup("Middle East"), level="region")
    assert 20 < middle_east.lat < 40 and 30 < middle_east.lon < 60
    assert only(gaz.lookup("Gaza"), level="region", country_code="PS")
    assert only(gaz.lookup("Americas"), level="region")  # "the Americas" without its article


def test_curated_aliases(gaz):
    assert only(gaz.lookup("Holland"), level="country")[0].country_code == "NL"
    assert only(gaz.lookup("Burma"), level="country")[0].country_code == "MM"
    assert only(gaz.lookup("D.C."), geonameid=4140963)
    assert only(gaz.lookup("NYC"), geonameid=5128581)


def test_every_override_row_is_indexed(gaz):
    with open(REPO / "data/gazetteer/overrides.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    assert len(rows) > 40
    for row in rows:
        places = gaz.lookup(row["name"])
        assert places, row
        assert row["reason"], row
        if row["target"].startswith("country:"):
            assert only(places, level="country", country_code=row["target"][8:]), row
        elif row["target"].isdigit():
            assert only(places, geonameid=int(row["target"])), row


def test_codes_and_romanisations_are_not_names(gaz):
    # GeoNames lists the airport code CCS and lowercase romanisations among Caracas' names.
    assert not only(gaz.lookup("CCS"), geonameid=3646738)
    assert not only(gaz.lookup("kalakaseu"), geonameid=3646738)
    assert not only(gaz.lookup("VEN"), level="country")  # ISO codes of altSpellings are skipped


def test_name_matches_primary(gaz):
    kyiv = gaz.get(703448)
    assert gaz.name_matches_primary(kyiv, "Kyiv")
    assert not gaz.name_matches_primary(kyiv, "Kiev")  # an alternate, not its name
    us = gaz.country("US")
    assert gaz.name_matches_primary(us, "United States")
    assert not gaz.name_matches_primary(us, "U.S.")
    # "St." is "Saint", and a hyphen a space: Russia's city is called "St. Petersburg" too
    petersburg = gaz.get(498817)
    assert gaz.name_matches_primary(petersburg, "St. Petersburg")
    assert gaz.name_matches_primary(petersburg, "Saint-Petersburg")
    assert not gaz.name_matches_primary(petersburg, "Petrograd")


def test_a_reviewed_alias_outranks_a_raw_alternate(gaz):
    # GeoNames has "Odessa" among Odesa's alternate names; overrides.csv reviews it as the name
    # news writes: the index keeps the review
    odesa = gaz.get(698740)
    assert "Odessa" in {p.name for p in gaz.lookup("Odessa")}  # the Texan city is still found
    assert gaz.is_curated(odesa, "Odessa")
    assert not gaz.is_curated(odesa, "Odesa")  # its own name stays its own
    assert gaz.name_matches_primary(odesa, "Odesa")


def test_get_country_capital_neighbours(gaz):
    assert gaz.get(3646738).name == "Caracas"
    assert gaz.get(999_999_999) is None
    assert gaz.country("ve").name == "Venezuela"
    assert gaz.country("ZZ") is None
    assert gaz.capital("FR").geonameid == 2988507
    assert gaz.capital("US").geonameid == 4140963
    assert {"BR", "CO", "GY"} <= set(gaz.neighbours("VE"))
    codes = {p.country_code for p in gaz.countries()}
    assert {"US", "VE", "XK", "PS"} <= codes and len(codes) > 240
    assert all(p.level == "country" and p.feature_code == "PCLI" for p in gaz.countries())


def test_max_name_words(gaz):
    assert 3 <= gaz.max_name_words() <= 6


# -- demonyms -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, cc",
    [
        ("Venezuelan", "VE"),
        ("Venezuelans", "VE"),
        ("Colombian", "CO"),
        ("Chinese", "CN"),
        ("Americans", "US"),
        ("British", "GB"),
        ("Saudi", "SA"),
        ("Filipinos", "PH"),
        ("Emiratis", "AE"),
        ("Palestinians", "PS"),
        ("Israeli", "IL"),
    ],
)
def test_demonyms(gaz, word, cc):
    assert [p.country_code for p in gaz.demonym(word)] == [cc]


def test_a_nations_demonym_is_the_nation_not_the_state(gaz):
    # "English pianist", "the English Premier League": England, not the United Kingdom.
    for word, nation in (("English", "England"), ("Scottish", "Scotland"), ("Welsh", "Wales")):
        [place] = gaz.demonym(word)
        assert (place.name, place.level, place.country_code) == (nation, "admin1", "GB"), word
    assert [(p.name, p.level) for p in gaz.demonym("British")] == [("United Kingdom", "country")]


def test_not_demonyms(gaz):
    assert gaz.demonym("Kurdish") == []
    assert gaz.demonym("Caracas") == []
    assert gaz.demonym("Chineses") == []
    assert {p.country_code for p in gaz.demonym("Congolese")} == {"CD", "CG"}


# -- shapes ---------------------------------------------------------------------------------------


def test_country_shapes():
    shapes = country_shapes()
    assert shapes["type"] == "FeatureCollection"
    by_iso = {f["properties"]["iso_a2"]: f for f in shapes["features"]}
    assert {"US", "VE", "CO", "FR"} <= set(by_iso)
    assert by_iso["VE"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert json.loads(json.dumps(shapes)) == shapes


# -- the index file -------------------------------------------------------------------------------


def test_package_versions_for_the_key_match_the_installed_ones():
    # The key reads versions from .dist-info folder names, faster than importlib.metadata; they
    # must be the same answer, or an upgrade of a source package would leave a stale index.
    import importlib.metadata

    for package in (*gazetteer.build.SOURCE_PACKAGES, "countryinfo"):
        assert gazetteer.build.package_version(package) == importlib.metadata.version(package)


def test_places_at_a_level(gaz):
    states = gaz.places_at("admin1")
    assert {"Texas", "Ontario", "New South Wales"} <= {p.name for p in states}
    assert all(p.level == "admin1" for p in states)
    assert len(gaz.places_at("country")) == len(gaz.countries())


def test_index_key_covers_the_curated_files(tmp_path):
    for path in (REPO / "data/gazetteer").glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    assert gazetteer.index_key(tmp_path) == gazetteer.index_key()
    with open(tmp_path / "overrides.csv", "a", encoding="utf-8") as fh:
        fh.write('Dateline Testville,"point:1.0,2.0,region,",test row\n')
    assert gazetteer.index_key(tmp_path) != gazetteer.index_key()


_BUILDER = """
import sys
from pathlib import Path
from geo import gazetteer
from geo.gazetteer import build
build.DATA_DIR = Path(sys.argv[1])
path = gazetteer.ensure_built()
print(path, bool(gazetteer.Gazetteer.open(path).lookup("Dateline Testville")))
"""


def test_rebuilds_when_the_key_changes(gaz, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("DATELINE_CACHE", str(cache))
    current = gazetteer.index_path()
    shutil.copy(gaz.path, current)
    stamp = current.stat().st_mtime_ns
    assert ensure_built() == current and current.stat().st_mtime_ns == stamp  # up to date: no build

    data = tmp_path / "data"
    data.mkdir()
    for path in (REPO / "data/gazetteer").glob("*.csv"):
        shutil.copy(path, data / path.name)
    with open(data / "overrides.csv", "a", encoding="utf-8") as fh:
        fh.write('Dateline Testville,"point:1.0,2.0,region,",test row\n')
    # Three processes start on the stale cache at once: one builds, the others wait for it.
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen([sys.executable, "-c", _BUILDER, str(data)], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = {p.communicate(timeout=600)[0].strip() for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert len(outputs) == 1
    new_path, found = outputs.pop().rsplit(" ", 1)
    assert found == "True"
    assert Path(new_path) != current and Path(new_path).parent == cache
    assert not list(cache.glob("*.tmp"))

    monkeypatch.setattr(gazetteer.build, "DATA_DIR", data)
    assert ensure_built() == Path(new_path)
    place = only(Gazetteer.open(new_path).lookup("Dateline Testville"), level="region")[0]
    assert (place.lat, place.lon) == (1.0, 2.0)


def test_a_hyphenated_name_meets_its_spaced_spelling(gaz):
    # GeoNames writes "Nord Kivu"; news writes "Nord-Kivu".
    (kivu,) = only(gaz.lookup("Nord-Kivu"), level="admin1", country_code="CD")
    assert kivu.name == "Nord Kivu"
    assert gaz.lookup("Port-au-Prince") and gaz.lookup("Port-au-Prince")[0].country_code == "HT"
    # ... and the other way round: GeoNames writes "Mbuji-Mayi"
    assert ("Mbuji-Mayi", "CD") in {(p.name, p.country_code) for p in gaz.lookup("Mbuji Mayi")}


def test_an_arabic_name_is_found_without_its_article(gaz):
    # GeoNames writes "Al Muthanna", "El Fasher", "Al Kharj"; news often writes them without it
    assert [(p.name, p.level, p.country_code) for p in gaz.lookup("Muthanna")] == [("Al Muthanna", "admin1", "IQ")]
    assert ("El Fasher", "SD") in {(p.name, p.country_code) for p in gaz.lookup("Fasher")}
    assert ("Al Kharj", "SA") in {(p.name, p.country_code) for p in gaz.lookup("Kharj")}
    # only where Arabic names places: "El Paso" keeps its article, "Paso" is not the Texan city
    assert not [p for p in gaz.lookup("Paso") if p.country_code == "US"]


def test_a_division_is_found_by_its_name_without_the_division_word(gaz):
    # "Rutshuru territory" (DR Congo) has no row of its own: the town it is named after stands in.
    (rutshuru,) = gaz.lookup_division("Rutshuru territory")
    assert (rutshuru.name, rutshuru.country_code) == ("Rutshuru", "CD")
    assert {p.country_code for p in gaz.lookup_division("Laghman province")} == {"AF"}
    assert all(p.level in ("admin1", "admin2") for p in gaz.lookup_division("Laghman province"))
    # "North Lebanon" (GeoNames: Liban-Nord) is at least in Lebanon
    assert [(p.level, p.country_code) for p in gaz.lookup_division("North Lebanon")] == [("country", "LB")]
    # no division or compass word, or nothing known behind it: no answer
    assert gaz.lookup_division("Cairo") == []
    assert gaz.lookup_division("Xyzzyville district") == []
