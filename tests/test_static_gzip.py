"""The compression in front of Streamlit (geo/web/static_gzip.py), on a real Starlette app that
serves files from disk, as Streamlit's /static/ route does."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from geo.web.static_gzip import CachedGZip, compression


@pytest.fixture()
def site(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "files").mkdir()
    bundle = ("function f(a){return a+1}\n" * 4000).encode()
    (tmp_path / "static" / "index.abc123.js").write_bytes(bundle)
    (tmp_path / "static" / "tiny.js").write_bytes(b"var x=1;")
    (tmp_path / "files" / "data.json").write_bytes(b'{"a": 1}' * 500)
    app = Starlette(
        routes=[Mount("/static", StaticFiles(directory=tmp_path / "static")), Mount("/files", StaticFiles(directory=tmp_path / "files"))],
        middleware=compression(immutable=["/static/"]),
    )
    return tmp_path, bundle, TestClient(app)


def test_a_static_file_arrives_compressed_and_whole(site):
    _, bundle, client = site
    r = client.get("/static/index.abc123.js", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["vary"] == "Accept-Encoding"
    assert int(r.headers["content-length"]) < len(bundle) / 10
    assert r.content == bundle  # httpx decodes gzip
    assert r.headers["content-type"].startswith(("text/javascript", "application/javascript"))


def test_each_static_file_is_compressed_once(site):
    """The second request is answered from what the first compressed: changing the file on
    disk afterwards does not show, which is why only content-hashed paths may go through it."""
    root, bundle, client = site
    first = client.get("/static/index.abc123.js", headers={"Accept-Encoding": "gzip"})
    (root / "static" / "index.abc123.js").write_bytes(b"changed " * 1000)
    second = client.get("/static/index.abc123.js", headers={"Accept-Encoding": "gzip"})
    assert second.content == first.content == bundle
    # Paths not declared immutable are compressed per response, so they follow the disk.
    before = client.get("/files/data.json", headers={"Accept-Encoding": "gzip"})
    assert before.headers["content-encoding"] == "gzip"
    (root / "files" / "data.json").write_bytes(b'{"b": 2}' * 500)
    assert client.get("/files/data.json", headers={"Accept-Encoding": "gzip"}).content == b'{"b": 2}' * 500


def test_what_it_does_not_compress_passes_through(site):
    root, bundle, client = site
    # A client that does not take gzip gets the file as it is.
    r = client.get("/static/index.abc123.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in r.headers and r.content == bundle
    # Ranged and conditional requests are the file server's to answer.
    r = client.get("/static/index.abc123.js", headers={"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
    assert r.status_code == 206 and r.content == bundle[:10]
    etag = client.get("/static/index.abc123.js", headers={"Accept-Encoding": "identity"}).headers["etag"]
    r = client.get("/static/index.abc123.js", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert r.status_code == 304
    # Missing files keep their 404, and nothing is kept for them.
    r = client.get("/static/missing.js", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 404
    (root / "static" / "missing.js").write_bytes(b"now here " * 200)
    assert client.get("/static/missing.js", headers={"Accept-Encoding": "gzip"}).content == b"now here " * 200
    # A body too small to gain is sent as it is.
    r = client.get("/static/tiny.js", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in r.headers and r.content == b"var x=1;"
    assert r.headers["content-length"] == "8"
    # HEAD requests too go to the file server.
    r = client.head("/static/index.abc123.js", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.content == b""


def test_the_cache_stops_growing_at_its_bound(tmp_path):
    (tmp_path / "a.js").write_bytes(("alpha " * 5000).encode())
    (tmp_path / "b.js").write_bytes(("beta " * 5000).encode())
    inner = Starlette(routes=[Mount("/static", StaticFiles(directory=tmp_path))])
    mw = CachedGZip(inner, prefixes=("/static/",), max_bytes=150)
    client = TestClient(mw)
    client.get("/static/a.js", headers={"Accept-Encoding": "gzip"})
    first = mw.held
    assert 0 < first <= 150
    r = client.get("/static/b.js", headers={"Accept-Encoding": "gzip"})
    assert r.content == ("beta " * 5000).encode() and r.headers["content-encoding"] == "gzip"
    assert mw.held == first  # served compressed, not kept
