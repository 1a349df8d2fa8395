"""How each event type looks on the map and in the legend: colour by type, shape by family, and
the classes countries are shaded in. Plain values and inline SVG: no image file, no icon font.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class TypeStyle:
    name: str
    label: str
    color: str
    shape: str  # circle | square | triangle | diamond | star
    family: str


# Shape says the family (what kind of event), colour the type. Families follow ACLED's broad
# split: violence, protest, movement of people and forces, coercion, and talk.
FAMILIES = {
    "violence": ("Violence", "diamond"),
    "protest": ("Protest", "star"),
    "movement": ("Movement", "triangle"),
    "coercion": ("Coercion", "square"),
    "diplomacy": ("Diplomacy and statements", "circle"),
    "other": ("Other", "circle"),
}
_TYPES = [
    ("attack", "#d7191c", "violence"),
    ("armed_clash", "#8b0000", "violence"),
    ("casualties", "#5c0a0a", "violence"),
    ("protest", "#e6a700", "protest"),
    ("border_crossing", "#1f78b4", "movement"),
    ("displacement", "#2fa4c7", "movement"),
    ("military_movement", "#4d4d99", "movement"),
    ("aid_delivery", "#2ca25f", "movement"),
    ("border_closure", "#f47920", "coercion"),
    ("arrest", "#c51b7d", "coercion"),
    ("sanction", "#8c6d31", "coercion"),
    ("diplomatic_seizure", "#7a0177", "coercion"),
    ("diplomatic_break", "#b35806", "coercion"),
    ("diplomatic_meeting", "#6a51a3", "diplomacy"),
    ("agreement", "#238b45", "diplomacy"),
    ("recognition", "#9e9ac8", "diplomacy"),
    ("statement", "#8c8c8c", "diplomacy"),
    ("disaster", "#6b8e23", "other"),
]
TYPE_STYLES: dict[str, TypeStyle] = {
    name: TypeStyle(name, name.replace("_", " "), color, FAMILIES[fam][1], fam) for name, color, fam in _TYPES
}
# Types the taxonomy may grow: stable colours from their name, never a crash.
_SPARE_COLORS = ["#66a61e", "#e7298a", "#a6761d", "#1b9e77", "#d95f02", "#7570b3", "#666666"]


def type_style(name: str) -> TypeStyle:
    if name in TYPE_STYLES:
        return TYPE_STYLES[name]
    k = int(hashlib.md5(str(name).encode()).hexdigest(), 16) % len(_SPARE_COLORS)
    return TypeStyle(str(name), str(name).replace("_", " "), _SPARE_COLORS[k], "circle", "other")


def type_order(names) -> list[str]:
    """Types in legend order: by family, then as listed in TYPE_STYLES, unknown ones last."""
    known = list(TYPE_STYLES)
    return sorted(set(names), key=lambda t: (known.index(t) if t in known else len(known), t))


def _shape_markup(shape: str) -> str:
    # Drawn in a 20x20 box, so one path serves every size.
    if shape == "square":
        return '<rect x="3" y="3" width="14" height="14" rx="1.5"/>'
    if shape == "triangle":
        return '<polygon points="10,1.5 18.5,17 1.5,17"/>'
    if shape == "diamond":
        return '<polygon points="10,1 19,10 10,19 1,10"/>'
    if shape == "star":
        pts = []
        for i in range(10):
            r = 9.5 if i % 2 == 0 else 4.2
            a = math.pi / 5 * i - math.pi / 2
            pts.append(f"{10 + r * math.cos(a):.1f},{10.8 + r * math.sin(a):.1f}")
        return f'<polygon points="{" ".join(pts)}"/>'
    return '<circle cx="10" cy="10" r="8.2"/>'


SIZE = "__S__"  # replaced by the pixel size in the browser


def glyph_svg(name: str, size: int | str = SIZE) -> str:
    """The inline SVG for a type's marker: no image file, no icon font."""
    s = type_style(name)
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 20 20"><g fill="{s.color}" fill-opacity="0.9" '
        f'stroke="#fff" stroke-width="1.4">{_shape_markup(s.shape)}</g></svg>'
    )


def placement_glyph(cls: str = "", size: int = 13) -> str:
    """A neutral marker drawn as the map draws a placement (static/dateline/map.css): plain for a
    point, `dl-area` (hollow) for a country or region as a whole, `dl-weak` for the dateline only."""
    svg = glyph_svg("statement", size).replace("<svg ", '<svg style="color:#555" ', 1)
    return f'<span class="dl-glyph {cls}">{svg}</span>'


# Choropleth classes, fixed so the same shade means the same count in every view.
CLASS_BREAKS = [1, 5, 20, 100, 500, 2_000, 10_000, 50_000, 200_000, 1_000_000, 10**12]
# ColorBrewer YlOrRd without its palest yellow, which is hard to tell from the land (#f4f1ea).
_RAMP = ["#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"]


# The land colour of the offline basemap and how opaque the shading over it is (map.js draws both).
LAND = "#f4f1ea"
SHADE_OPACITY = 0.5


def shaded_on_land(color: str, alpha: float = SHADE_OPACITY, land: str = LAND) -> str:
    """The colour a shading class shows on the map: `color` at `alpha` over the land."""
    a = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(land[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(alpha * x + (1 - alpha) * y):02x}" for x, y in zip(a, b))


def shading_classes(top: int) -> tuple[list[int], list[str]]:
    """Upper bounds of the classes needed up to `top` and their colours, light to dark."""
    k = next((i for i, b in enumerate(CLASS_BREAKS) if top <= b), len(CLASS_BREAKS) - 1) + 1
    k = max(k, 3)
    colors = [_RAMP[round(i * (len(_RAMP) - 1) / (k - 1))] for i in range(k)]
    return CLASS_BREAKS[:k], colors
