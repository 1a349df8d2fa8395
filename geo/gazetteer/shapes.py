"""Country outlines for the offline basemap, from countryinfo."""

from __future__ import annotations

import json
import os
from functools import lru_cache

from geo.settings import cache_dir

from .build import BUILD_VERSION, countryinfo_entries, package_version


@lru_cache(maxsize=1)
def country_shapes() -> dict:
    """Country outlines as a GeoJSON FeatureCollection (properties iso_a2, name). Read-only.

    countryinfo ships low-resolution outlines for most but not all countries (no Hungary, Serbia,
    Singapore...); the missing ones are simply absent.
    """
    version = package_version("countryinfo")
    path = cache_dir() / f"country-shapes-{version}-{BUILD_VERSION}.geojson"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    features = []
    for cc, infos in sorted(countryinfo_entries().items()):
        for info in infos:
            collection = info.get("geoJSON") or {}
            geoms = [f.get("geometry") for f in collection.get("features") or () if f.get("geometry")]
            if geoms:
                for geom in geoms:
                    props = {"iso_a2": cc, "name": info.get("name") or cc}
                    features.append({"type": "Feature", "properties": props, "geometry": geom})
                break
    shapes = {"type": "FeatureCollection", "features": features}
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".country-shapes-", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(shapes, fh, separators=(",", ":"))
    os.replace(tmp, path)
    return shapes
