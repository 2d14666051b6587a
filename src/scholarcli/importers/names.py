"""BibTeX name lists to Names: BibTeX's `First von Last, Jr` forms and biblatex's extended form.

The classic forms are split with bibtexparser's own BibTeX name rules. biblatex's extended form
(`family=Gogh, given=Vincent, prefix=van, useprefix=true`) is read here: bibtexparser takes it for a
`Last, First` name and stores garbage. Any shape that cannot be a name raises `NameReadError` with a
message for the user (never bibtexparser's own exceptions).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from scholarcli.model import OTHERS, Name

# The first key of an extended name: `family=...`, `given = {...}`, `prefix=...`.
_EXTENDED = re.compile(r"^\s*(?:family|given|prefix|suffix|useprefix|family-i|given-i)\s*=", re.IGNORECASE)


class NameReadError(ValueError):
    """A name that cannot be read; the message says which and why."""


def split_names(value: str, decode: Callable[[str], str]) -> list[Name]:
    """BibTeX names (`A and B`) to Names; `{Barnes and Noble, Inc.}` is one body, `others` a literal name."""
    names = []
    try:
        raws = split_multiple_persons_names(value)
    except (InvalidNameError, ValueError, IndexError) as exc:  # bibtexparser's own, on odd braces
        raise NameReadError(f"cannot split '{value.strip()}' into names ({exc})") from None
    for raw in raws:
        raw = raw.strip()
        if not raw:
            raise NameReadError(f"an empty name in '{' '.join(value.split())}' (two 'and's in a row?)")
        if raw == "others":
            # BibTeX's "et al." marker: kept as pandoc keeps it (a last name `{"literal": "others"}`),
            # which the exports write back as `and others` and citeproc prints as "and others".
            names.append(Name(literal=OTHERS))
            continue
        if raw.startswith("{") and raw.endswith("}") and _one_group(raw):
            names.append(Name(literal=decode(raw[1:-1])))
            continue
        if _EXTENDED.match(raw):
            names.append(_extended(raw, decode))
            continue
        try:
            parts = parse_single_name_into_parts(raw)
        except (InvalidNameError, ValueError, IndexError, TypeError):
            raise NameReadError(f"cannot read the name '{raw}'") from None

        def joined(words: list[str]) -> str | None:
            return decode(" ".join(words)) or None

        family = joined(parts.last)
        if family is None:
            raise NameReadError(f"the name '{raw}' has no family name")
        names.append(
            Name(
                family=family, given=joined(parts.first), particle=joined(parts.von), suffix=joined(parts.jr)
            )
        )
    return names


def _extended(raw: str, decode: Callable[[str], str]) -> Name:
    """biblatex's `family=Gogh, given=Vincent, prefix=van, useprefix=true` (keys in any order)."""
    parts: dict[str, str] = {}
    for item in _top_level_split(raw, ","):
        if not item.strip():
            continue
        key, equals, text = item.partition("=")
        if not equals:
            raise NameReadError(f"'{item.strip()}' in the name '{raw}' is not 'part=value'")
        text = text.strip()
        if len(text) >= 2 and (
            (text[0] == "{" and text[-1] == "}" and _one_group(text)) or text[0] == text[-1] == '"'
        ):
            text = text[1:-1]
        parts[key.strip().lower()] = decode(text)
    family = parts.get("family") or None
    if family is None:
        raise NameReadError(f"the name '{raw}' has no 'family='")
    return Name(
        family=family,
        given=parts.get("given") or None,
        particle=parts.get("prefix") or None,
        suffix=parts.get("suffix") or None,
    )


def _top_level_split(text: str, separator: str) -> list[str]:
    items: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == separator and depth == 0:
            items.append(text[start:index])
            start = index + 1
    items.append(text[start:])
    return items


def _one_group(text: str) -> bool:
    depth = 0
    for index, char in enumerate(text):
        depth += char == "{"
        depth -= char == "}"
        if depth == 0 and index < len(text) - 1:
            return False
    return True
