"""Plain value types shared by every stage: Place, Mention, Event, Document.

They carry data only. Each stage fills in its part (toponyms -> Mention spans, resolve ->
Mention.place, events -> Event) and `to_dict` gives the JSON contract of `python -m geo parse`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# Feature levels, coarsest first. The order matters: resolution prefers a coarser level when a
# name is both a country and a town ("Colombia", "Mexico"), and the store sorts by it.
LEVELS = ("continent", "region", "country", "admin1", "admin2", "city", "district", "feature")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. Immutable so it can be shared between mentions and cached."""

    geonameid: int | None
    name: str
    country_code: str | None
    level: str
    lat: float
    lon: float
    population: int = 0
    feature_code: str = ""  # GeoNames feature code where known (PPLC = capital, ADM1, PCLI...)
    admin1: str | None = None  # admin1 name (state, province) for cities, to tell namesakes apart
    alt_names: int = 0  # how many alternate names GeoNames knows: a prior for how well known a place is

    def to_dict(self) -> dict[str, Any]:
        return {
            "geonameid": self.geonameid,
            "name": self.name,
            "country_code": self.country_code,
            "level": self.level,
            "lat": round(self.lat, 5),
            "lon": round(self.lon, 5),
            "population": self.population,
            "feature_code": self.feature_code,
            "admin1": self.admin1,
            "alt_names": self.alt_names,
        }


@dataclass(slots=True)
class Candidate:
    place: Place
    score: float
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {**self.place.to_dict(), "score": round(self.score, 4), "reason": self.reason}


# How a mention was found. `toponym`: a place name; `demonym`: "Venezuelan", "Colombian";
# `qualifier`: the "Venezuela" of "Caracas, Venezuela"; `dateline`: the "CARACAS" opening a wire
# story; `metonym`: a place standing for its government or people ("Washington has imposed").
MENTION_KINDS = ("toponym", "demonym", "qualifier", "dateline", "metonym")


@dataclass(slots=True)
class Mention:
    text: str
    start: int
    end: int
    kind: str = "toponym"
    label: str = ""  # what found it: spaCy label (GPE, LOC, FAC, NORP) or "GAZ" for the gazetteer
    place: Place | None = None
    score: float = 0.0
    reason: str = ""
    candidates: list[Candidate] = field(default_factory=list)

    def place_dict(self) -> dict[str, Any] | None:
        if self.place is None:
            return None
        return {**self.place.to_dict(), "score": round(self.score, 4), "reason": self.reason}

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "label": self.label,
            "place": self.place_dict(),
            "candidates": [c.to_dict() for c in self.candidates],
        }


@dataclass(slots=True)
class Event:
    type: str
    trigger: str
    sentence: str
    start: int  # evidence sentence offsets in the article text
    end: int
    date: dt.date | None = None
    date_precision: str = "none"  # day|week|month|year|none
    date_text: str | None = None
    actors: list[str] = field(default_factory=list)
    target: str | None = None
    count: int | None = None
    location: Mention | None = None
    origin: Mention | None = None
    destination: Mention | None = None
    location_reason: str = ""
    confidence: float = 0.5
    id: str = ""
    # how sure the placement ranker is of the place it chose (its probability among the
    # sentence's candidates); None when the event has no place or a fallback placed it
    place_score: float | None = None
    trigger_start: int | None = None  # offsets of the trigger's first and last word in the article
    trigger_end: int | None = None

    def primary(self) -> Mention | None:
        """The event's one point on a map: where it happened, else where it went, else whence."""
        for m in (self.location, self.destination, self.origin):
            if m is not None and m.place is not None:
                return m
        return None

    def place_mention(self) -> Mention | None:
        """The mention that places the event, resolved or not: a name the gazetteer lacks still
        tells a reader where it happened, though it gives no point on the map."""
        return self.primary() or next((m for m in (self.location, self.destination, self.origin) if m is not None), None)

    def to_dict(self) -> dict[str, Any]:
        p = self.primary()
        named = self.place_mention()

        def pd(m: Mention | None):
            return m.place_dict() if m is not None else None

        return {
            "id": self.id,
            "type": self.type,
            "trigger": self.trigger,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "date_text": self.date_text,
            "actors": list(self.actors),
            "target": self.target,
            "count": self.count,
            "location": pd(self.location),
            "origin": pd(self.origin),
            "destination": pd(self.destination),
            "location_reason": self.location_reason,
            "place_score": self.place_score,
            "trigger_start": self.trigger_start,
            "trigger_end": self.trigger_end,
            "confidence": round(self.confidence, 3),
            "lat": round(p.place.lat, 5) if p else None,
            "lon": round(p.place.lon, 5) if p else None,
            "place": named.text if named else None,
        }


@dataclass(slots=True)
class Document:
    text: str
    published: dt.date | None = None
    title: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "published": self.published.isoformat() if self.published else None,
            "title": self.title,
            "mentions": [m.to_dict() for m in self.mentions],
            "events": [e.to_dict() for e in self.events],
        }

    def toponyms(self) -> list[dict[str, Any]]:
        """The scorer's view: every recognised span with its point (null when unresolved)."""
        return [
            {
                "start": m.start,
                "end": m.end,
                "lat": round(m.place.lat, 5) if m.place else None,
                "lon": round(m.place.lon, 5) if m.place else None,
            }
            for m in self.mentions
        ]
