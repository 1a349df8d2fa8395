"""Store aliases: a user's "this name means that place" ("Georgia" -> the US state), applied to
mentions after the resolver and before events are read, so an event's place, origin and
destination all follow it.

The resolver never sees aliases (they are the store's, not the gazetteer's): the Pipeline is
given a mapping from folded name to Place (`Pipeline.aliases`) and calls `apply` on each
article's mentions. The store keeps the aliases as corrections (geo/store/corrections.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from geo.gazetteer.names import normalize
from geo.model import Candidate, Mention, Place

REASON = "store alias: a user's correction says this name is this place"
REASON_UNRESOLVED = REASON + " (the resolver found none)"
# Put first among an aliased mention's candidates, so the resolver's own answer stays visible
# (and a store can show what the alias replaced).
RESOLVER_CHOICE = "the resolver's choice, replaced by a store alias"
MAX_CANDIDATES = 5


def name_key(name: str) -> str:
    """How aliases match names: as the gazetteer folds them (case, accents, periods, spacing)."""
    return normalize(name or "")


def apply(mentions: list[Mention], aliases: Mapping[str, Place]) -> list[Mention]:
    """Give every mention whose name has an alias the alias's place; returns those changed."""
    if not aliases:
        return []
    changed = []
    for m in mentions:
        place = aliases.get(name_key(m.text))
        if place is None or m.place == place:
            continue
        others = [c for c in m.candidates if c.place != place and c.reason != RESOLVER_CHOICE]
        if m.place is not None:
            others.insert(0, Candidate(m.place, m.score, RESOLVER_CHOICE))
        m.candidates = others[:MAX_CANDIDATES]
        m.place, m.score, m.reason = place, 1.0, REASON if m.place is not None else REASON_UNRESOLVED
        changed.append(m)
    return changed


def resolver_choice(m: Mention) -> tuple[bool, Place | None]:
    """(whether a store alias placed this mention, the place the resolver had chosen or None)."""
    if m.reason == REASON_UNRESOLVED:
        return True, None
    if m.reason == REASON and m.candidates and m.candidates[0].reason == RESOLVER_CHOICE:
        return True, m.candidates[0].place
    return False, None
