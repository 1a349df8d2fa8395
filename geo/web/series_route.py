"""GET /dateline/series: the playback's events per time bin for one selection, as JSON.

The map page asks for it when a reader first presses play (or opens a link that plays): the
query behind it (map_data.play_series) takes longer than the rest of the map at a million
events, and most visitors never play, so it stays off the page's first draw. A Starlette route
that app.py mounts beside Streamlit; it reads the store the app serves (DATELINE_DB) and keeps
its latest answers, keyed by the store's revision, so a second play costs nothing and a changed
store is never answered from an old one.
"""

from __future__ import annotations

import functools
import json

from geo import settings
from geo.store import Filters, Store, normalise_url

from .map_data import GROUP_OF_MODE, play_series
from .playback import SERIES_PATH

CACHED_ANSWERS = 16


class BadRequest(ValueError):
    """A query this route cannot answer; its text names the parameter and what is wrong."""


def routes() -> list:
    """The routes app.py hands to st.App."""
    from starlette.routing import Route

    return [Route(SERIES_PATH, series_endpoint, methods=["GET"])]


def series_endpoint(request):
    # A plain function: Starlette runs it in its thread pool, so the query never blocks the
    # event loop that serves the websocket and every other page.
    from starlette.responses import JSONResponse, Response

    try:
        key, mode, cell = parse_query(request.query_params)
        store = _store(normalise_url(settings.db_url()))
        body = _answer(store.url, json.dumps(store.revision()), key, mode, cell)
    except BadRequest as e:
        return JSONResponse({"error": str(e)}, status_code=400)
    # Text already encoded once per selection and revision; the app's GZip middleware compresses it.
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})


def parse_query(q) -> tuple[str, str, float | None]:
    """(selection key, marker mode, grid cell size) from the query map.js sends (map_data.series_url)."""
    key, mode, cell = q.get("key"), q.get("mode"), q.get("cell")
    if mode not in GROUP_OF_MODE:
        raise BadRequest(f"mode={mode!r}: expected one of {', '.join(GROUP_OF_MODE)}")
    try:
        size = float(cell) if cell is not None else None
    except ValueError:
        raise BadRequest(f"cell={cell!r}: not a number") from None
    if mode == "grid" and not (size and 0 < size <= 90):
        raise BadRequest(f"cell={cell!r}: the grid mode needs a cell size in degrees")
    try:
        f = Filters.from_key(key or "")
    except (TypeError, ValueError) as e:  # not JSON, not an object, an unknown or invalid filter
        raise BadRequest(f"key={key!r}: not a selection ({e})") from None
    # The key again, in the canonical form the page's own cache uses.
    return f.to_key(), mode, size if mode == "grid" else None


@functools.lru_cache(maxsize=4)
def _store(url: str) -> Store:
    return Store(url)


@functools.lru_cache(maxsize=CACHED_ANSWERS)
def _answer(url: str, revision: str, key: str, mode: str, cell: float | None) -> bytes:
    data = play_series(_store(url), Filters.from_key(key), mode, cell)
    return json.dumps(data, separators=(",", ":")).encode("utf-8")
