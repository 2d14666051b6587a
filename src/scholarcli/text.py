"""Untrusted text made safe to show: control and bidi characters become visible escapes.

A title is data. Written raw to a terminal, an ESC sequence could recolour or rewrite the screen and a
U+202E could reverse what follows; we show `\\x1b` and `\\u202e` instead. Rich markup and emoji codes
are never interpreted because views hand Rich `Text` objects, not markup strings.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

# C0 and C1 controls, DEL, bidi embeddings/overrides/isolates, and the line/paragraph separators.
_UNSAFE = "[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]"
_UNSAFE_KEEP_LINES = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]"
_JSON_UNSAFE = "[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]"


@functools.cache
def _pattern(character_class: str) -> re.Pattern[str]:
    # Compiled on first use, not at import: every command imports this module, few need the patterns.
    return re.compile(character_class)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control or invisible direction character written as an escape."""
    return _pattern(_UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE).sub(_escape, text)


def one_line(text: str) -> str:
    """A value for a single line (a table cell, a TSV field): whitespace runs become one space."""
    # Fast path for the usual value: printable text has no whitespace but the ASCII space and none of
    # the characters `visible` escapes, so without doubled or edge spaces it is already one clean line.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return visible(" ".join(text.split()))


def json_safe(text: str) -> str:
    """Serialised JSON with the characters json.dumps leaves raw escaped as `\\uXXXX` (still valid JSON)."""
    return _pattern(_JSON_UNSAFE).sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or an empty string."""
    import difflib  # only an error message needs it; every command imports this module

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
