"""Place names as the index keys them: folding, and which alternate names are worth keeping.

Shared by the builder and the reader, so a name is keyed the same way when it is written and
when it is looked up.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_NAME_WORDS = 6  # n-gram scanners need a bound; longer names are rare and never the whole mention
MAX_NAME_CHARS = 60

# Words that make a name an administrative division ("Rutshuru territory", "Province of
# Mindoro Occidental"): written beside the name in news, rarely part of it in GeoNames.
DIVISION_WORDS = frozenset(
    "territory district province governorate department region state county municipality prefecture "
    "division subdivision oblast raion regency commune cercle canton parish".split()
)

# Compass words that name part of a place ("North Lebanon" when GeoNames has "Liban-Nord").
DIRECTION_WORDS = frozenset(
    "north south east west northern southern eastern western central upper lower nord sud".split()
)

# Kinds of name rows. A primary name is what the place is called; the resolver trusts it more
# than an alternate that may be an old or foreign name shared with something better known.
PRIMARY, ALTERNATE, CURATED = 0, 1, 2

# Letters NFKD leaves whole, and the many apostrophes and dashes that transliterations use.
_FOLD = str.maketrans(
    {
        "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
        "ħ": "h", "ŀ": "l", "ĸ": "k",
        "‘": "'", "’": "'", "‛": "'", "ʼ": "'", "ʻ": "'", "ʹ": "'", "`": "'", "´": "'", "′": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "﹣": "-", "－": "-",
        ".": None,
    }
)  # fmt: skip


@lru_cache(maxsize=1 << 16)
def normalize(name: str) -> str:
    """The lookup key of a name: accents, case, periods and spacing do not tell names apart."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().translate(_FOLD).split())


# Where GeoNames writes places with the Arabic article ("Al Muthanna", "An Najaf", "El Fasher")
# and English news often drops it ("Muthanna province", "Najaf", "Fasher"), or the other way
# round ("Al-Anbar" for GeoNames' "Anbar"): the countries where Arabic is an official language.
# Elsewhere "El Paso" or "El Oro" keep theirs.
ARABIC_NAMING = frozenset("AE BH DJ DZ EG EH IQ JO KM KW LB LY MA MR OM PS QA SA SD SO SY TD TN YE".split())
_ARABIC_ARTICLE = re.compile(r"(?:al|el|an|ar|as|ash|ad|adh|at|ath|az)[ -]['‘’ʿ]?")


def without_arabic_article(key: str) -> str | None:
    """A name's key without the Arabic article it begins with, or None."""
    m = _ARABIC_ARTICLE.match(key)
    bare = key[m.end() :] if m else ""
    return bare if len(bare) >= 3 and bare[0].isalpha() else None


# Compass words of French, Spanish and Portuguese names that GeoNames writes in English ("Sud-Kivu",
# the French name of its "South Kivu").
_FOREIGN_COMPASS = {"nord": "north", "sud": "south", "est": "east", "ouest": "west", "norte": "north", "sur": "south", "oeste": "west"}
_KEY_WORDS = re.compile(r"[ -]+")


def english_compass(key: str) -> str | None:
    """A name's key with its foreign compass words in English ("sud-kivu" -> "south kivu"), or
    None when it has none or is no more than one."""
    words = _KEY_WORDS.split(key)
    if len(words) < 2 or not any(w in _FOREIGN_COMPASS for w in words):
        return None
    return " ".join(_FOREIGN_COMPASS.get(w, w) for w in words)


# Abbreviations English writes in place names ("St. Petersburg", "Ft. Worth", "Mt. Kenya"), as
# `normalize` leaves them without their period, and hyphens French names take ("Saint-Louis").
_SPELLED_OUT = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def spelled_out(key: str) -> str:
    """A name's key with its abbreviations written out and hyphens as spaces: "st petersburg"
    and "saint petersburg", "saint-louis" and "st louis" are one name."""
    return " ".join(_SPELLED_OUT.get(w, w) for w in _KEY_WORDS.split(key) if w)


# What transliterations of one name disagree on: Arabic articles, apostrophes for the ayn,
# doubled letters, the vowels and glides, a final h ("Tel Abyad", "Baqouba", "Ain Issa" against
# GeoNames' "Tall Abyad", "Baqubah", "'Ayn 'Isa").
_SPELLING_ARTICLES = frozenset("al el ad ar as ash at az an ed en er es et ez ul".split())
_SPELLING_LETTERS = str.maketrans("eoyw", "auiu")
_SPELLING_SPLIT = re.compile(r"[\s\-/]+")
_DOUBLED = re.compile(r"(.)\1+")
_FINAL_H = re.compile(r"(?<=[aiu])h$")  # the ta marbuta: "Baqubah", "Baqouba"
# Shorter keys meet too many other names ("Bani", "Hama"): those are left to the exact key.
MIN_SPELLING_LETTERS = 5


def spelling_key(name: str, min_letters: int = MIN_SPELLING_LETTERS) -> str | None:
    """The key under which two transliterations of one name meet, or None for a short name.

    Looser than `normalize` by design and so wrong more often: only for a name the exact key
    does not know, and only where the text says where to look (see Resolver._fallback)."""
    words = [w for w in _SPELLING_SPLIT.split(normalize(name).replace("'", "")) if w and w not in _SPELLING_ARTICLES]
    key = " ".join(_FINAL_H.sub("", _DOUBLED.sub(r"\1", w.translate(_SPELLING_LETTERS))) for w in words)
    return key if sum(ch.isalpha() for ch in key) >= min_letters else None


_LATIN = re.compile(r"[a-z]")
# IATA/ICAO and other codes that GeoNames lists among a city's alternate names ("CCS", "SVMI").
_CODE = re.compile(r"[A-Z]{2,5}")


def usable_alternate(name: str) -> bool:
    if len(name) > MAX_NAME_CHARS or _CODE.fullmatch(name) or any(ch.isdigit() for ch in name):
        return False
    # All-lowercase alternates are machine romanisations ("kalakaseu" for Caracas) that collide
    # with ordinary English words; real names are capitalised.
    return not (name == name.lower() or "http" in name or "/" in name)


def latin_key(name: str) -> str | None:
    # Articles are English: a name with no Latin letter cannot be matched and only fattens the index.
    key = normalize(name)
    return key if _LATIN.search(key) else None


def word_count(key: str) -> int:
    return len(key.split())
