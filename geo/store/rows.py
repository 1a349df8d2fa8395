"""A parsed Document as rows of the store's tables: places, mentions, events and the flows of movements."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from geo.model import Document, Event, Place

from .flows import flow_geometry


def place_key(p: Place) -> str:
    if p.geonameid is not None:
        return f"g{p.geonameid}"
    return f"n:{p.name}|{p.country_code or ''}|{p.level}|{p.lat:.5f}|{p.lon:.5f}"


def document_places(doc: Document) -> dict[str, Place]:
    places: dict[str, Place] = {}
    for m in doc.mentions:
        if m.place is not None:
            places.setdefault(place_key(m.place), m.place)
    for e in doc.events:
        for m in (e.location, e.origin, e.destination):
            if m is not None and m.place is not None:
                places.setdefault(place_key(m.place), m.place)
    return places


def place_row(key: str, p: Place) -> dict:
    return {
        "key": key,
        "geonameid": p.geonameid,
        "name": p.name,
        "country_code": p.country_code,
        "level": p.level,
        "lat": float(p.lat),
        "lon": float(p.lon),
        "population": p.population,
        "feature_code": p.feature_code,
        "admin1": p.admin1,
        "alt_names": p.alt_names,
    }


def mention_row(article_id: int, m, ids: dict[str, int]) -> dict:
    return {
        "article_id": article_id,
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "kind": m.kind,
        "label": m.label,
        "place_id": ids[place_key(m.place)] if m.place is not None else None,
        "score": float(m.score) if m.place is not None else None,
        "reason": m.reason or None,
        "candidates": json.dumps(
            [
                {"geonameid": c.place.geonameid, "name": c.place.name, "country_code": c.place.country_code, "score": round(c.score, 4)}
                for c in m.candidates[:5]
            ],
            ensure_ascii=False,
        )
        if m.candidates
        else None,
    }


def event_row(article_id: int, seq: int, e: Event, ids: dict[str, int]) -> dict:
    p = e.primary()
    place = p.place if p is not None else None

    def pid(m):
        return ids[place_key(m.place)] if m is not None and m.place is not None else None

    return {
        "article_id": article_id,
        "seq": seq,
        "key": e.id or None,
        "type": e.type,
        "trigger": e.trigger,
        "sentence": e.sentence,
        "start": e.start,
        "end": e.end,
        "date": e.date,
        "date_precision": e.date_precision,
        "date_text": e.date_text,
        "actors": json.dumps([a for a in e.actors if a], ensure_ascii=False),
        "target": e.target,
        "count": e.count,
        "confidence": float(e.confidence) if e.confidence is not None else None,
        "place_id": pid(p),
        "place_text": p.text if p is not None else None,
        "place_name": place.name if place else None,
        "geonameid": place.geonameid if place else None,
        "country_code": place.country_code if place else None,
        "lat": float(place.lat) if place else None,
        "lon": float(place.lon) if place else None,
        "location_id": pid(e.location),
        "origin_id": pid(e.origin),
        "destination_id": pid(e.destination),
        "location_reason": e.location_reason or None,
    }


def flow_rows(events: Iterable[Event]) -> list[tuple[int, tuple[Place, Place, Any]]]:
    """(event index, (origin, destination, line)) for events that go from one place to another."""
    out = []
    for i, e in enumerate(events):
        if e.origin is None or e.destination is None or e.origin.place is None or e.destination.place is None:
            continue
        o, d = e.origin.place, e.destination.place
        if place_key(o) == place_key(d):
            continue
        geom = flow_geometry(o, d)
        if geom is not None and not geom.is_empty:
            out.append((i, (o, d, geom)))
    return out
