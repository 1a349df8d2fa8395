"""Which parser produced a Document: a stamp of everything that decides its output (the parsing
code, the spaCy pipeline, the gazetteer index and the resolver in use), so a store knows which
articles were parsed by another version and `python -m geo reparse` knows what to redo.

Code is hashed as syntax trees, so a comment or a reformatted line is not a new parser; a changed
rule, model file, package version or gazetteer row is. Computing it reads files only: the app
asks for it without loading spaCy.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
from pathlib import Path

from geo import settings
from geo.gazetteer.build import index_key

GEO = Path(__file__).resolve().parent.parent
# What the parser is made of, below geo/: the value types and the gazetteer and text layers.
PARSER_PARTS = ("model.py", "gazetteer", "text")


def _package_version(name: str) -> str:
    for dist in (name, name.replace("_", "-")):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    path = Path(name).expanduser()
    meta = path / "meta.json"
    if meta.is_file():  # a pipeline loaded from a folder: its meta names its version
        return hashlib.sha256(meta.read_bytes()).hexdigest()[:12]
    return "unknown"


def _code_digest() -> str:
    h = hashlib.sha256()
    files = []
    for part in PARSER_PARTS:
        p = GEO / part
        files += [p] if p.is_file() else sorted(f for f in p.rglob("*") if f.is_file() and "__pycache__" not in f.parts)
    for f in files:
        h.update(f"|{f.relative_to(GEO).as_posix()}=".encode())
        data = f.read_bytes()
        if f.suffix == ".py":
            data = ast.dump(ast.parse(data), include_attributes=False).encode()
        h.update(data)
    return h.hexdigest()


@functools.lru_cache(maxsize=8)
def parser_version(model: str | None = None, geocoder: str | None = "settings") -> str:
    """A short stamp ('p-' and 12 hex digits) of the parser `Pipeline(model, geocoder)` would be;
    the defaults are the settings' (DATELINE_SPACY_MODEL, DATELINE_GEOCODER)."""
    model = model or settings.spacy_model()
    geocoder = settings.geocoder_name() if geocoder == "settings" else geocoder
    h = hashlib.sha256(_code_digest().encode())
    h.update(f"|spacy={_package_version('spacy')}|model={model}={_package_version(model)}".encode())
    h.update(f"|gazetteer={index_key()}|geocoder={geocoder or 'dateline'}".encode())
    return "p-" + h.hexdigest()[:12]
