"""The store and what feeds and drains it: the SQLite/PostGIS repository, input readers, ingest, export.

May import geo.model, geo.settings, geo.gazetteer and geo.text; never the web side. All SQL lives here.
"""

from .filters import Filters
from .store import Store, normalise_url, text_hash

__all__ = ["Filters", "Store", "normalise_url", "text_hash"]
