"""State and province abbreviations that news copy writes after a town: "Athens, Ga.", "London, Ont.".

Wire style (AP for the United States, Canadian Press for Canada, the usual short forms for
Australia) abbreviates the state that tells namesakes apart. These are conventions of the
writing, not place names: "Pa." alone is no place, and "Ala." alone is a town in India, so the
recogniser takes them only right after a place and a comma (or inside brackets after it) and in
datelines, and the resolver reads them as the state they stand for.
"""

from __future__ import annotations

import re

from geo.gazetteer import normalize

# abbreviation -> (country code, admin1 name as the gazetteer names it)
STATE_ABBREVIATIONS: dict[str, tuple[str, str]] = {
    # AP style, United States
    "Ala.": ("US", "Alabama"), "Ariz.": ("US", "Arizona"), "Ark.": ("US", "Arkansas"),
    "Calif.": ("US", "California"), "Colo.": ("US", "Colorado"), "Conn.": ("US", "Connecticut"),
    "Del.": ("US", "Delaware"), "Fla.": ("US", "Florida"), "Ga.": ("US", "Georgia"),
    "Ill.": ("US", "Illinois"), "Ind.": ("US", "Indiana"), "Kan.": ("US", "Kansas"),
    "Kans.": ("US", "Kansas"), "Ky.": ("US", "Kentucky"), "La.": ("US", "Louisiana"),
    "Md.": ("US", "Maryland"), "Mass.": ("US", "Massachusetts"), "Mich.": ("US", "Michigan"),
    "Minn.": ("US", "Minnesota"), "Miss.": ("US", "Mississippi"), "Mo.": ("US", "Missouri"),
    "Mont.": ("US", "Montana"), "Neb.": ("US", "Nebraska"), "Nebr.": ("US", "Nebraska"),
    "Nev.": ("US", "Nevada"), "N.H.": ("US", "New Hampshire"), "N.J.": ("US", "New Jersey"),
    "N.M.": ("US", "New Mexico"), "N.Y.": ("US", "New York"), "N.C.": ("US", "North Carolina"),
    "N.D.": ("US", "North Dakota"), "Okla.": ("US", "Oklahoma"), "Ore.": ("US", "Oregon"),
    "Pa.": ("US", "Pennsylvania"), "R.I.": ("US", "Rhode Island"), "S.C.": ("US", "South Carolina"),
    "S.D.": ("US", "South Dakota"), "Tenn.": ("US", "Tennessee"), "Tex.": ("US", "Texas"),
    "Vt.": ("US", "Vermont"), "Va.": ("US", "Virginia"), "Wash.": ("US", "Washington"),
    "W.Va.": ("US", "West Virginia"), "W. Va.": ("US", "West Virginia"), "Wis.": ("US", "Wisconsin"),
    "Wyo.": ("US", "Wyoming"), "D.C.": ("US", "Washington, D.C."),
    # Canadian Press
    "Alta.": ("CA", "Alberta"), "B.C.": ("CA", "British Columbia"), "Man.": ("CA", "Manitoba"),
    "N.B.": ("CA", "New Brunswick"), "N.L.": ("CA", "Newfoundland and Labrador"),
    "Nfld.": ("CA", "Newfoundland and Labrador"), "N.S.": ("CA", "Nova Scotia"),
    "N.W.T.": ("CA", "Northwest Territories"), "Ont.": ("CA", "Ontario"),
    "P.E.I.": ("CA", "Prince Edward Island"), "Que.": ("CA", "Quebec"), "Sask.": ("CA", "Saskatchewan"),
    # Australia
    "NSW": ("AU", "New South Wales"), "N.S.W.": ("AU", "New South Wales"), "Vic.": ("AU", "Victoria"),
    "Qld": ("AU", "Queensland"), "Qld.": ("AU", "Queensland"), "Tas.": ("AU", "Tasmania"),
    "ACT": ("AU", "Australian Capital Territory"),
}  # fmt: skip

# Two-letter postal codes ("Long Beach, CA") are read through the gazetteer's admin1 codes.
_BY_KEY = {normalize(k): v for k, v in STATE_ABBREVIATIONS.items()}

# An abbreviation right after "Town," or "Town (": longest first, so "W. Va." beats "Va.".
ABBREVIATION_AFTER = re.compile(
    r"(?P<lead>\s*,\s*|\s*\(\s*)(?P<abbr>"
    + "|".join(re.escape(a) for a in sorted(STATE_ABBREVIATIONS, key=len, reverse=True))
    + r")(?=[\s,;:)\u2014\u2013-]|\Z)"
)


def abbreviation(text: str) -> tuple[str, str] | None:
    """(country code, admin1 name) that a wire-style abbreviation stands for, else None."""
    if "." not in text and not text.isupper() and text != "Qld":
        return None
    return _BY_KEY.get(normalize(text))
