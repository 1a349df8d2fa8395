"""The geopy geocoder over the offline gazetteer, on real data."""

from __future__ import annotations

import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from geo.gazetteer import Gazetteer
from geo.gazetteer.geocoders import DatelineGeocoder


@pytest.fixture(scope="module")
def geocoder() -> DatelineGeocoder:
    return DatelineGeocoder(Gazetteer.default())


def test_is_a_geopy_geocoder(geocoder):
    assert isinstance(geocoder, Geocoder)
    loc = geocoder.geocode("Caracas")
    assert isinstance(loc, Location)
    assert loc.raw["geonameid"] == 3646738 and loc.raw["feature_code"] == "PPLC"
    assert loc.address == "Caracas, Capital, Venezuela"
    assert (loc.latitude, loc.longitude) == pytest.approx((10.488, -66.879), abs=0.01)


def test_state_code_qualifier(geocoder):
    loc = geocoder.geocode("Long Beach, CA")
    assert loc.raw["country_code"] == "US" and loc.raw["admin1"] == "California"
    assert 32.5 < loc.latitude < 42 and -124.5 < loc.longitude < -114  # inside California


def test_state_name_qualifier(geocoder):
    loc = geocoder.geocode("Paris, Texas")
    assert loc.raw["country_code"] == "US" and loc.raw["admin1"] == "Texas"
    assert geocoder.geocode("Paris").raw["country_code"] == "FR"


def test_country_qualifier(geocoder):
    assert geocoder.geocode("Caracas, Venezuela").raw["geonameid"] == 3646738
    assert geocoder.geocode("Caracas, Colombia") is None  # a known country that contradicts
    assert geocoder.geocode("Aleppo, northern Syria").raw["country_code"] == "SY"  # unknown: ignored


def test_province_code_qualifier(geocoder):
    assert geocoder.geocode("Toronto, ON").raw["country_code"] == "CA"


def test_name_with_a_comma(geocoder):
    assert geocoder.geocode("Washington, D.C.").raw["geonameid"] == 4140963


def test_coarse_places_beat_namesake_towns(geocoder):
    assert geocoder.geocode("Texas").raw["level"] == "admin1"
    assert geocoder.geocode("Colombia").raw["level"] == "country"
    assert geocoder.geocode("Venezuela").raw["country_code"] == "VE"


def test_many_results_limit_and_country_filter(geocoder):
    found = geocoder.geocode("Springfield", exactly_one=False, limit=3)
    assert len(found) == 3 and all(isinstance(loc, Location) for loc in found)
    assert geocoder.geocode("Paris", country_codes=["us"]).raw["country_code"] == "US"
    assert geocoder.geocode("Paris", country_codes="VE") is None


def test_nothing_found(geocoder):
    assert geocoder.geocode("Xyzzyville Qwerty") is None
    assert geocoder.geocode("Xyzzyville Qwerty", exactly_one=False) is None


def test_reverse(geocoder):
    assert geocoder.reverse((48.8566, 2.3522)).raw["name"].startswith("Paris")
    assert geocoder.reverse(Point(10.49, -66.88)).raw["country_code"] == "VE"
    assert geocoder.reverse("64.73, 177.51").raw["country_code"] == "RU"  # Anadyr, by the antimeridian
    near = geocoder.reverse((40.7128, -74.0060), exactly_one=False, limit=4)
    assert len(near) == 4 and all(loc.raw["country_code"] == "US" for loc in near)
