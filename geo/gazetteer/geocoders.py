"""geopy geocoders Dateline can resolve names with: its own offline one, and Nominatim (online).

`DatelineGeocoder` never touches the network: `geocode` and `reverse` answer from the gazetteer
index, so it can stand in for Nominatim in notebooks, the bench and the app when DATELINE_ONLINE
is off. `SERVICES` names each geocoder, as geopy's `get_geocoder_for_service` does; `from_settings`
builds the one DATELINE_GEOCODER names.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from geo import settings
from geo.model import Place

from .index import Gazetteer

__all__ = ("SERVICES", "DatelineGeocoder", "RateLimitedNominatim", "from_settings", "get_geocoder_for_service", "rank_key")

_COARSE = frozenset({"continent", "region", "country"})


def rank_key(place: Place) -> tuple[int, float]:
    """Sort key, larger first: a country or state beats its namesake hamlets, a big city does not
    lose to a state only because states sum the population of all their towns."""
    if place.level in _COARSE:
        tier = 3
    elif place.level == "admin1" or place.feature_code == "PPLC" or place.population >= 100_000:
        tier = 2
    else:
        tier = 1
    return tier, math.log10(place.population + 1) + math.log10(place.alt_names + 1)


class DatelineGeocoder(Geocoder):
    """geopy geocoder answering from Dateline's offline gazetteer."""

    def __init__(self, gazetteer: Gazetteer | None = None, **kwargs):
        super().__init__(**kwargs)
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.default()
        return self._gazetteer

    def geocode(self, query, *, exactly_one=True, country_codes=None, limit=None):
        """Places named `query`, best first; None when nothing matches.

        A comma-separated tail restricts the candidates: "Long Beach, CA", "Paris, Texas",
        "Caracas, Venezuela". Each tail part may be a country name or code, an admin1 name or
        code; a part that is none of these is ignored. `country_codes` (a code or a list of
        them) restricts the candidates to those countries.
        """
        gaz = self.gazetteer
        text = " ".join(str(query).split())
        candidates = gaz.lookup(text)
        qualifiers: list[str] = []
        if not candidates and "," in text:
            # The whole string first: "Washington, D.C." is one name, not a name and a qualifier.
            head, *qualifiers = [part.strip() for part in text.split(",")]
            candidates = gaz.lookup(head)
        allowed = _country_set(country_codes)
        if allowed is not None:
            candidates = [p for p in candidates if p.country_code in allowed]
        candidates = [(place, 0) for place in candidates]

        for qualifier in filter(None, qualifiers):
            candidates = self._restrict(candidates, qualifier)
        scored = [((specificity, *rank_key(place)), place) for place, specificity in candidates]
        if not scored:
            return None
        scored.sort(key=lambda item: item[0], reverse=True)
        places = [place for _, place in scored]
        if exactly_one:
            return self._location(places[0])
        if limit:
            places = places[: int(limit)]
        return [self._location(p) for p in places]

    def reverse(self, query, *, exactly_one=True, limit=None):
        """The nearest city (or `limit` nearest cities) to a point."""
        point = query if isinstance(query, Point) else Point(query)
        k = 1 if exactly_one else max(1, int(limit or 1))
        found = self.gazetteer.nearest_cities(point.latitude, point.longitude, k)
        if not found:
            return None
        locations = [self._location(place) for place, _ in found]
        return locations[0] if exactly_one else locations

    # -- helpers ------------------------------------------------------------------------------

    def _restrict(self, candidates: list[tuple[Place, int]], qualifier: str) -> list[tuple[Place, int]]:
        """Keep the candidates inside the admin1 (+2) or country (+1) that `qualifier` names.

        A qualifier nothing recognises ("northern Syria") restricts nothing.
        """
        gaz = self.gazetteer
        named = gaz.lookup(qualifier)
        countries = {p.country_code for p in named if p.level == "country"}
        if len(qualifier) == 2 and gaz.country(qualifier) is not None:
            countries.add(qualifier.upper())
        recognised = bool(countries) or any(p.level == "admin1" for p in named)
        kept = []
        for place, specificity in candidates:
            region = gaz.admin1(place.country_code, qualifier) if place.country_code else None
            if region is not None and place.admin1 == region.name:
                kept.append((place, specificity + 2))
            elif place.country_code in countries:
                kept.append((place, specificity + 1))
        return kept if kept or recognised else candidates

    def _location(self, place: Place) -> Location:
        parts = [place.name]
        if place.level in ("city", "admin2") and place.admin1:
            parts.append(place.admin1)
        if place.level not in ("country", "continent") and place.country_code:
            country = self.gazetteer.country(place.country_code)
            if country is not None and country.name not in parts:
                parts.append(country.name)
        return Location(", ".join(parts), (place.lat, place.lon), place.to_dict())


def _country_set(country_codes: str | Iterable[str] | None) -> set[str] | None:
    if not country_codes:
        return None
    if isinstance(country_codes, str):
        country_codes = [country_codes]
    return {c.upper() for c in country_codes}


class RateLimitedNominatim:
    """OpenStreetMap's Nominatim through geopy, one request a second as its usage policy asks.
    It reaches the internet, so it is only built with DATELINE_ONLINE=1."""

    def __init__(self, user_agent: str | None = None):
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        if not settings.online():
            raise RuntimeError("DATELINE_GEOCODER=nominatim reaches the internet: set DATELINE_ONLINE=1 to allow it")
        nominatim = Nominatim(user_agent=user_agent or settings.user_agent())
        self._geocode = RateLimiter(nominatim.geocode, min_delay_seconds=1.0)

    def geocode(self, query, exactly_one=True):
        return self._geocode(query, exactly_one=exactly_one, addressdetails=True)


# Each geocoder the resolver can use instead of its own ranking, by the name DATELINE_GEOCODER takes.
SERVICES: dict[str, type] = {"gazetteer": DatelineGeocoder, "nominatim": RateLimitedNominatim}


def get_geocoder_for_service(service: str) -> type:
    """The geocoder class for a service name, as geopy.geocoders.get_geocoder_for_service does."""
    try:
        return SERVICES[service.strip().lower()]
    except KeyError:
        raise RuntimeError(f"DATELINE_GEOCODER={service!r}: expected one of {', '.join(SERVICES)}") from None


def from_settings():
    """The geocoder DATELINE_GEOCODER names, or None for Dateline's own resolver."""
    name = settings.geocoder_name()
    return None if name is None else get_geocoder_for_service(name)()
