"""The store and what feeds and drains it: the SQLite/PostGIS repository, input readers, ingest, export.

May import geo.model, geo.settings, geo.gazetteer and geo.text; never the web side. All SQL lives here.
"""

from __future__ import annotations

__all__ = ["Filters", "Store", "normalise_url", "text_hash"]


def __getattr__(name: str):
    # Loaded on first use: `python -m geo parse` reads geo.store.cli's argument helpers and should
    # not pay for geopandas and the database drivers that Store brings (about 0.7 s at start).
    if name == "Filters":
        from .filters import Filters

        return Filters
    if name in ("Store", "normalise_url", "text_hash"):
        from . import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
