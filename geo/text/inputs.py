"""What an article must be before it is parsed: one check for every way text comes in.

`parse`, `batch` and `ingest` on the command line and the Ingest page all call `check_text`, so
they accept and refuse the same inputs with the same reasons. Light to import (no spaCy): the
readers and the command line check input before any model is loaded.
"""

from __future__ import annotations

import codecs
import os
import re

# An "article" longer than this is most likely a mistake in the input. Parsing time grows
# linearly with length (geo/text/sections.py), about 45 s per million characters on a 2-CPU
# laptop, so the default keeps the longest article to about 25 s and well under 1 GB;
# DATELINE_MAX_CHARS raises it (bench/bench_long_article.py measures both).
DEFAULT_MAX_CHARS = 500_000
MAX_CHARS = int(os.environ.get("DATELINE_MAX_CHARS", DEFAULT_MAX_CHARS))
# UTF-8 takes at most 4 bytes a character: a file larger than this cannot be an article.
MAX_BYTES = MAX_CHARS * 4

# Lone surrogates come from JSON escapes ("\ud800") or bytes kept by surrogateescape; either
# would fail later, when the text is encoded for the database or the output file.
_SURROGATE = re.compile("[\ud800-\udfff]")


class InputError(ValueError):
    """Input that cannot be parsed; the message says what is wrong, the caller says where."""


def check_text(text, *, empty_ok: bool = False) -> str:
    """`text` when it is an article Dateline can parse; InputError with the reason otherwise.
    The commands and the readers refuse an empty or blank article; the Pipeline, a library,
    parses one into an empty Document (`empty_ok`)."""
    if not isinstance(text, str):
        raise InputError(f"text is {type(text).__name__}, not a string")
    if "\x00" in text:
        raise InputError("binary data (contains NUL bytes), not text")
    bad = _SURROGATE.search(text)
    if bad:
        raise InputError(f"not valid UTF-8 (a lone surrogate at character {bad.start():,})")
    if len(text) > MAX_CHARS:
        raise InputError(
            f"{len(text):,} characters is over the {MAX_CHARS:,}-character article limit (set "
            "DATELINE_MAX_CHARS to raise it; parsing takes about 45 s per million characters)"
        )
    if not (empty_ok or text.strip()):
        raise InputError("empty article (no text)")
    return text


def decode_text(data: bytes, encoding: str = "utf-8") -> str:
    """Text from a file's bytes (a UTF-8 byte order mark dropped), checked by `check_text`;
    InputError naming the first bad byte otherwise."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("UTF-16 text; save it as UTF-8")
    if b"\x00" in data:
        raise InputError("binary data (contains NUL bytes), not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(f"not valid {e.encoding.upper()} (byte {e.start:,}: {data[e.start : e.start + 1]!r})") from None
    return check_text(text.removeprefix("\ufeff"))
