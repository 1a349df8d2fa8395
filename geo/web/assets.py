"""Offline front-end assets for the map: Leaflet, jQuery and Leaflet.markercluster, served by the app.

folium and streamlit-folium load every script and stylesheet from public CDNs by default, and one
unreachable script leaves the map blank. Here the same files are copied out of the XStatic PyPI
packages into `static/vendor/` (Streamlit serves `static/` at `/app/static/` when
`server.enableStaticServing` is on) and folium's elements are pointed at those URLs. Bootstrap,
Font Awesome and the awesome-markers plugin are dropped altogether: Dateline's markers are
CircleMarkers and DivIcons with inline SVG, which need no icon font.

    install()            # copy the files (idempotent); `python -m geo setup-app` and the map page call it
    use_local_assets()   # point folium's classes at /app/static/vendor/...; idempotent

The map page loads one script, BUNDLE_JS: Leaflet, markercluster and Dateline's map.js joined
at set-up. streamlit-folium loads a map's scripts one after another, each waiting for the one
before, so three files cost three round trips before the map can start (some 0.15 s of a new
visitor's first map); their stylesheets load side by side and stay separate.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import tempfile
from pathlib import Path

from geo.settings import REPO

STATIC_DIR = REPO / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
# Where the browser finds STATIC_DIR: Streamlit's fixed prefix for app static files.
STATIC_URL = "/app/static"
VENDOR_URL = f"{STATIC_URL}/vendor"

# vendor path -> (XStatic package, file inside its data folder)
_FILES = {
    "leaflet/leaflet.js": ("xstatic.pkg.leaflet", "leaflet.js"),
    "leaflet/leaflet.css": ("xstatic.pkg.leaflet", "leaflet.css"),
    "leaflet/images/layers.png": ("xstatic.pkg.leaflet", "images/layers.png"),
    "leaflet/images/layers-2x.png": ("xstatic.pkg.leaflet", "images/layers-2x.png"),
    "leaflet/images/marker-icon.png": ("xstatic.pkg.leaflet", "images/marker-icon.png"),
    "leaflet/images/marker-icon-2x.png": ("xstatic.pkg.leaflet", "images/marker-icon-2x.png"),
    "leaflet/images/marker-shadow.png": ("xstatic.pkg.leaflet", "images/marker-shadow.png"),
    "jquery/jquery.min.js": ("xstatic.pkg.jquery", "jquery.min.js"),
    "markercluster/leaflet.markercluster.js": ("xstatic.pkg.leaflet_markercluster", "leaflet.markercluster.js"),
    "markercluster/MarkerCluster.css": ("xstatic.pkg.leaflet_markercluster", "MarkerCluster.css"),
    "markercluster/MarkerCluster.Default.css": ("xstatic.pkg.leaflet_markercluster", "MarkerCluster.Default.css"),
}
COUNTRIES = "countries.geojson"  # the offline basemap, written from geo.gazetteer.country_shapes()

LEAFLET_JS = f"{VENDOR_URL}/leaflet/leaflet.js"
LEAFLET_CSS = f"{VENDOR_URL}/leaflet/leaflet.css"
LEAFLET_IMAGES = f"{VENDOR_URL}/leaflet/images/"
JQUERY_JS = f"{VENDOR_URL}/jquery/jquery.min.js"
MARKERCLUSTER_JS = f"{VENDOR_URL}/markercluster/leaflet.markercluster.js"
MARKERCLUSTER_CSS = f"{VENDOR_URL}/markercluster/MarkerCluster.css"
MARKERCLUSTER_DEFAULT_CSS = f"{VENDOR_URL}/markercluster/MarkerCluster.Default.css"
COUNTRIES_URL = f"{VENDOR_URL}/{COUNTRIES}"

# Two decimals is about a kilometre: far finer than countryinfo's outlines, and a third smaller.
_COUNTRY_DIGITS = 2


def _source(package: str, name: str) -> Path:
    return Path(importlib.import_module(package).BASE_DIR) / name


def _write_atomic(path: Path, data: bytes) -> None:
    # A running app may be serving the old file: it must never see half a new one.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _round_coords(obj, digits: int):
    if isinstance(obj, float):
        return round(obj, digits)
    if isinstance(obj, list):
        return [_round_coords(v, digits) for v in obj]
    return obj


def _countries_bytes() -> bytes:
    from geo.gazetteer import country_shapes

    shapes = country_shapes()
    features = []
    for f in shapes["features"]:
        geom = dict(f["geometry"])
        geom["coordinates"] = _round_coords(geom["coordinates"], _COUNTRY_DIGITS)
        features.append({"type": "Feature", "properties": f["properties"], "geometry": geom})
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode("utf-8")


def install(vendor_dir: Path | None = None, force: bool = False) -> list[Path]:
    """Copy the vendored files (and write the country outlines) where missing or changed.
    Returns the files written; an up-to-date folder costs a read and a compare per file."""
    vendor_dir = Path(vendor_dir) if vendor_dir is not None else VENDOR_DIR
    written = []
    for rel, (package, name) in _FILES.items():
        data = _source(package, name).read_bytes()
        dest = vendor_dir / rel
        if force or not dest.exists() or dest.stat().st_size != len(data) or dest.read_bytes() != data:
            _write_atomic(dest, data)
            written.append(dest)
    for dest, data in ((vendor_dir / COUNTRIES, _countries_bytes()), (vendor_dir / BUNDLE, _bundle_bytes())):
        if force or not dest.exists() or dest.read_bytes() != data:
            _write_atomic(dest, data)
            written.append(dest)
    return written


def missing(vendor_dir: Path | None = None) -> list[str]:
    vendor_dir = Path(vendor_dir) if vendor_dir is not None else VENDOR_DIR
    return [rel for rel in [*_FILES, COUNTRIES, BUNDLE] if not (vendor_dir / rel).is_file()]


def fingerprint(vendor_dir: Path | None = None) -> str:
    """Changes whenever a vendored file does: lets callers bust caches after an upgrade."""
    vendor_dir = Path(vendor_dir) if vendor_dir is not None else VENDOR_DIR
    h = hashlib.sha256()
    for rel in sorted([*_FILES, COUNTRIES, BUNDLE]):
        p = vendor_dir / rel
        st = p.stat() if p.exists() else None
        h.update(f"{rel}:{st.st_size if st else -1}:{st.st_mtime_ns if st else -1};".encode())
    return h.hexdigest()[:16]


# Dateline's own script and styles for the map, kept in the repository (not copied at set-up).
# The URL carries a hash of the file, so a page never mixes this code with data laid out for
# another version of it, and a browser cache never serves a stale copy.
RUNTIME_DIR = STATIC_DIR / "dateline"


def _versioned(name: str) -> str:
    digest = hashlib.sha256((RUNTIME_DIR / name).read_bytes()).hexdigest()[:12]
    return f"{STATIC_URL}/dateline/{name}?v={digest}"


MAP_JS = [("leaflet", LEAFLET_JS), ("jquery", JQUERY_JS)]
MAP_CSS = [("leaflet_css", LEAFLET_CSS)]
CLUSTER_JS = [("markerclusterjs", MARKERCLUSTER_JS)]
CLUSTER_CSS = [("markerclustercss", MARKERCLUSTER_CSS), ("markerclusterdefaultcss", MARKERCLUSTER_DEFAULT_CSS)]
RUNTIME_JS = [("dateline_map", _versioned("map.js"))]
# Leaflet, markercluster and map.js in one file, in the order they must run (see the top).
BUNDLE = "dateline/map-bundle.js"
_BUNDLED = (_source("xstatic.pkg.leaflet", "leaflet.js"), _source("xstatic.pkg.leaflet_markercluster", "leaflet.markercluster.js"), RUNTIME_DIR / "map.js")


def _bundle_bytes() -> bytes:
    # A newline and a semicolon between files: none of them may end mid-statement.
    return b"\n;\n".join(p.read_bytes() for p in _BUNDLED)


BUNDLE_JS = [("dateline_bundle", f"{VENDOR_URL}/{BUNDLE}?v={hashlib.sha256(_bundle_bytes()).hexdigest()[:12]}")]
RUNTIME_CSS = [("dateline_map_css", _versioned("map.css"))]


def use_local_assets() -> None:
    """Point folium's Map and MarkerCluster at the vendored files, for every map built in this
    process (the Streamlit pages too). Lists are replaced, never mutated: folium's
    `add_js_link` appends to whatever list a class holds."""
    import folium
    from folium.plugins import MarkerCluster

    folium.Map.default_js = list(MAP_JS)
    folium.Map.default_css = list(MAP_CSS)
    MarkerCluster.default_js = list(CLUSTER_JS)
    MarkerCluster.default_css = list(CLUSTER_CSS)


def external_links(m) -> list[str]:
    """Every script or stylesheet URL a folium map would load that is not served by the app.
    Empty for a map that works offline; streamlit-folium loads exactly these lists."""
    import branca
    import folium.elements

    out = []

    def walk(el):
        if isinstance(el, branca.colormap.ColorMap):
            out.append("branca colormap (streamlit-folium loads d3 from a CDN for it)")
        if isinstance(el, folium.elements.JSCSSMixin):
            for _, url in [*el.default_js, *el.default_css]:
                if not url.startswith("/"):
                    out.append(url)
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(m)
    return out
