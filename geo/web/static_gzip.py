"""GZip for immutable static files, compressed once per server instead of once per request.

Streamlit serves its frontend (/static/: some 100 content-hashed scripts, 4 MB, on every new
visitor's first page) uncompressed and leaves compression to a reverse proxy; Dateline runs
on a laptop with none. Starlette's GZipMiddleware would compress those files again on every
request, on the event loop that also serves the websocket and the map's assets: some 0.2 s of
CPU per new visitor on a 2-CPU laptop. This middleware keeps each compressed body and replays
it, which is what a proxy's cache would do. A plain ASGI middleware, so it knows nothing of
Streamlit: `compression()` is the stack app.py puts in front of Streamlit.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable

Headers = list[tuple[bytes, bytes]]


def compression(immutable: Iterable[str] = ("/static/",)) -> list:
    """Starlette middleware for an st.App: paths under `immutable` (content-hashed files) are
    compressed once and replayed, everything else per response by Starlette's GZipMiddleware
    (the root page, the app's own /app/static/ files)."""
    from starlette.middleware import Middleware
    from starlette.middleware.gzip import GZipMiddleware

    return [
        Middleware(CachedGZip, prefixes=tuple(immutable)),
        Middleware(GZipMiddleware, minimum_size=1000, compresslevel=6),
    ]


class CachedGZip:
    """Serve gzip-compressed responses for GET requests under `prefixes`, compressing each
    path's body once. Only whole 200 responses are kept; a conditional or ranged request, a
    client that does not accept gzip, or a body already encoded goes through untouched."""

    def __init__(
        self,
        app,
        prefixes: Iterable[str] = ("/static/",),
        minimum_size: int = 1000,
        compresslevel: int = 6,
        max_bytes: int = 64_000_000,
    ) -> None:
        self.app = app
        self.prefixes = tuple(prefixes)
        self.minimum_size = minimum_size
        self.compresslevel = compresslevel
        self.max_bytes = max_bytes  # bound on what the cache holds, compressed
        self.held = 0
        self._cache: dict[str, tuple[int, Headers, bytes]] = {}

    async def __call__(self, scope, receive, send) -> None:
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return
        key = scope["path"] + "?" + scope.get("query_string", b"").decode("latin-1")
        hit = self._cache.get(key)
        if hit is None:
            hit = await self._fetch(key, scope, receive, send)
            if hit is None:  # not cacheable: already sent as the app answered it
                return
        status, headers, body = hit
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _applies(self, scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(self.prefixes):
            return False
        headers = dict(scope["headers"])
        if b"range" in headers or b"if-none-match" in headers or b"if-modified-since" in headers:
            return False
        return b"gzip" in headers.get(b"accept-encoding", b"")

    async def _fetch(self, key: str, scope, receive, send) -> tuple[int, Headers, bytes] | None:
        """Ask the app for the identity body (no compressing middleware behind this one does
        the work again) and keep its gzip; anything else is passed on as it comes."""
        inner = dict(scope, headers=[(k, v) for k, v in scope["headers"] if k != b"accept-encoding"])
        start: dict | None = None
        chunks: list[bytes] = []
        passing = False

        async def capture(message) -> None:
            nonlocal start, passing
            if message["type"] == "http.response.start":
                start = message
                encoded = any(k.lower() == b"content-encoding" for k, _ in message.get("headers", []))
                if message["status"] != 200 or encoded:
                    passing = True
                    await send(message)
            elif message["type"] == "http.response.body":
                if passing:
                    await send(message)
                else:
                    chunks.append(message.get("body", b""))
            else:
                await send(message)

        await self.app(inner, receive, capture)
        if passing or start is None:
            return None
        body = b"".join(chunks)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length", b"vary")]
        headers.append((b"vary", b"Accept-Encoding"))
        if len(body) < self.minimum_size:
            headers.append((b"content-length", str(len(body)).encode()))
            return start["status"], headers, body  # not worth compressing, nor keeping
        packed = gzip.compress(body, compresslevel=self.compresslevel, mtime=0)
        headers += [(b"content-encoding", b"gzip"), (b"content-length", str(len(packed)).encode())]
        entry = (start["status"], headers, packed)
        if self.held + len(packed) <= self.max_bytes:
            self._cache[key] = entry
            self.held += len(packed)
        return entry
