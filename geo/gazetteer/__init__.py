"""The offline gazetteer: building the GeoNames index once, reading it, and geopy geocoders over it.

May import geo.model and geo.settings only.
"""

from .build import ensure_built, index_key, index_path
from .index import Gazetteer
from .names import normalize
from .shapes import country_shapes

__all__ = ["Gazetteer", "country_shapes", "ensure_built", "index_key", "index_path", "normalize"]
