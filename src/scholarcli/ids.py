"""Publication ids: generated as `{family}{year}{firstword}` in ASCII (`liu2022who`), unique ignoring case."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from scholarcli.model import Publication, fold

# Letters that Unicode does not decompose into a base letter plus an accent.
_NO_DECOMPOSITION = str.maketrans(
    {"ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)
# Words skipped when taking a title's first word, as citation-key generators commonly do.
_SKIPPED_WORDS = frozenset({"a", "an", "the", "on", "of", "in", "and", "for", "to", "at", "by", "with"})


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: `Dürkheim-Ōsaka` -> `durkheimosaka`."""
    folded = fold(text).translate(_NO_DECOMPOSITION)
    decomposed = unicodedata.normalize("NFKD", folded)
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode("ascii"))


def base_id(publication: Publication) -> str:
    """The id a work would get before collisions: first author's family name, year, first title word."""
    family = ""
    names = publication.contributors
    if names:
        first = names[0]
        family = ascii_fold(first.literal.split()[0] if first.literal else (first.family or ""))
    year = str(publication.year) if publication.year is not None else ""
    word = ""
    for candidate in (publication.title or "").split():
        folded = ascii_fold(candidate)
        if folded and folded not in _SKIPPED_WORDS:
            word = folded
            break
    text = f"{family or 'anon'}{year}{word}"
    return text if text[0].isalpha() else f"work{text}"


def unique_id(base: str, taken: Collection[str]) -> str:
    """`base`, or `base` + a, b, ..., z, aa, ab, ... : the first not in `taken` (casefolded ids)."""
    if base.casefold() not in taken:
        return base
    for suffix in _suffixes():
        candidate = f"{base}{suffix}"
        if candidate.casefold() not in taken:
            return candidate
    raise AssertionError("unreachable: the suffixes never run out")  # pragma: no cover


def _suffixes():  # type: ignore[no-untyped-def]
    letters = "abcdefghijklmnopqrstuvwxyz"
    length = 1
    while True:
        for number in range(len(letters) ** length):
            word = ""
            for _ in range(length):
                number, digit = divmod(number, len(letters))
                word = letters[digit] + word
            yield word
        length += 1
