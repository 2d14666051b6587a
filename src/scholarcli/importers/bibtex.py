"""BibTeX and BibLaTeX import, strict where bibtexparser 2.x is lenient.

bibtexparser silently merges two fields when a comma is missing, accepts entries without a key, keeps
an undefined macro as its raw name, fails on Latin-1 bytes, and starts a phantom entry at an `@` at
the start of a line inside a value. Once it has done so the evidence is gone, so this module reads
the entry structure itself, reports each of those as `file:line: message` and takes nothing from an
entry that has one. Names are split with bibtexparser's own BibTeX name rules (and biblatex's extended
form, see `names`); LaTeX is decoded to Unicode by `latex_decode`, which keeps what it cannot decode.

Every entry becomes a candidate or a rejection with `file:line (key): reason`; fields with no place in
the record are kept verbatim in `extra`; `crossref` and `xdata` are followed as biber follows them.
Nesting is bounded (`latex_decode.MAX_DEPTH`), so no input costs unbounded memory or recursion.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from scholarcli.bibfields import ENTRY_TYPES as ENTRY_TYPES  # the table lives there (exports use it)
from scholarcli.bibfields import imported_type
from scholarcli.importers import latex_decode, names
from scholarcli.importers.latex_decode import MAX_DEPTH, Decoded, LatexError
from scholarcli.importers.result import ImportResult
from scholarcli.model import ID_PATTERN, Name, Publication
from scholarcli.write.operations import Candidate

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")  # fmt: skip
# BibLaTeX's `pubstate` values, and the states our own export writes first in `note`.
_PUBSTATES = {
    "forthcoming": "forthcoming",
    "inpress": "in-press",
    "in press": "in-press",
    "submitted": "submitted",
    "revise and resubmit": "revise-and-resubmit",
    "under review": "under-review",
    "in preparation": "in-preparation",
    "inpreparation": "in-preparation",
    "under contract": "under-contract",
    "prepublished": "forthcoming",
}
_NOTE_STATE = re.compile(
    r"^(Forthcoming|In press|Under review|Submitted|Revise and resubmit|Under contract|In preparation|Published)(?:\.\s*(.*))?$",
    re.DOTALL,
)
_ENTRY_START = re.compile(r"@[ \t]*([A-Za-z][A-Za-z0-9_-]*)[ \t\r\n]*([{(])")
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_:.+-]*")
# BibTeX reads a key up to a comma, brace or space: `o'brien:beckett` (frankenstein.bib) is a key.
_KEY = re.compile(r"[^\s,={}()\"#%]+")
# BibTeX's macro names take any non-ASCII character (`Göttingen`, the soft hyphen in archaeologie's
# `Liddell-\u00adScott-Jones-short`), as its identifiers take any 8-bit byte.
_MACRO_NAME = re.compile(r"[A-Za-z_\u0080-\uffff][A-Za-z0-9_:.+\-\u0080-\uffff]*")
_NUMBER = re.compile(r"[0-9]+")
_LINE_START_AT = re.compile(r"\n[ \t]*@")
_YEAR = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")
_REPRINT = re.compile(r"^\s*\[\s*([0-9]{4})\s*\]\s*([0-9]{4})\s*$")  # `[1893] 1984`: first published 1893
_DOI = re.compile(r"^(?:10\.[0-9]{4,9}/\S+|10/[A-Za-z0-9]+)$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi\.org/|doi:\s*)", re.IGNORECASE)
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_LINK = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}(?:\s*\{.*\})?", re.DOTALL)
_BRACE = re.compile(r"\\.|[{}]", re.DOTALL)
_BRACE_OR_PARENTHESIS = re.compile(r"\\.|[{})]", re.DOTALL)
_SIMPLE_ESCAPES_ONLY = re.compile(r"(?:[^\\{}~`-]|\\[&%$#_]|[{}]|-(?!-))*")
_SIMPLE_ESCAPE = re.compile(r"\\([&%$#_])")
_VERBATIM_ESCAPE = re.compile(r"\\([_%&#$~{}])")


class EntryError(Exception):
    """A problem that makes a whole entry unusable; `position` is where it was found."""

    def __init__(self, position: int, message: str) -> None:
        super().__init__(message)
        self.position = position
        self.message = message


@dataclass
class RawEntry:
    entry_type: str
    key: str
    position: int
    fields: dict[str, str] = field(default_factory=dict)  # values with macros resolved, LaTeX still in
    field_positions: dict[str, int] = field(default_factory=dict)
    # Fields that use a macro no @string defines: (the value as written, the undefined names). BibTeX
    # and biber read such a field as empty with a warning; we keep it as written in `extra`.
    undefined: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class _Reader:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.line_starts = [0] + [match.end() for match in re.finditer(r"\n", text)]
        self.macros: dict[str, str] = dict(zip(_MONTHS, _MONTH_NAMES, strict=True))
        self.entries: list[RawEntry] = []
        self.rejected: list[tuple[str, str]] = []
        self.missing: list[str] = []  # the undefined macros of the value last read
        self.defined = 0  # @string definitions read: a file of macros only is no error

    def line(self, position: int) -> int:
        return bisect.bisect_right(self.line_starts, position)

    def where(self, position: int) -> str:
        return f"{self.path}:{self.line(position)}"

    def skip_space(self, position: int) -> int:
        while position < len(self.text) and self.text[position] in " \t\r\n":
            position += 1
        return position

    def read(self) -> None:
        position = 0
        text = self.text
        while True:
            at = text.find("@", position)
            if at < 0:
                return
            match = _ENTRY_START.match(text, at)
            if match is None:
                position = at + 1  # text outside entries is a comment, as in BibTeX
                continue
            kind = match.group(1).lower()
            close = "}" if match.group(2) == "{" else ")"
            body = match.end()
            try:
                if kind == "comment":
                    # BibTeX skips only the word: what follows is text outside entries (a comment
                    # anyway), so an unbalanced `@comment{` cannot swallow the entries after it.
                    position = match.end(1)
                    continue
                if kind == "preamble":
                    position = self.balanced_end(body - 1) or len(text)
                    continue
                position = self.string(body, close) if kind == "string" else self.entry(kind, at, body, close)
            except EntryError as error:
                self.rejected.append(self.rejection(at, body, error))
                position = self.recover(at, body)

    def rejection(self, at: int, body: int, error: EntryError) -> tuple[str, str]:
        """(`file:line (key)`, reason) for a broken entry; an entry without a key is named by its line."""
        key = _KEY.match(self.text, self.skip_space(body))
        if key and self.text.startswith(",", self.skip_space(key.end())):
            return f"{self.where(error.position)} ({key.group(0)})", error.message
        kind = _ENTRY_START.match(self.text, at)
        name = kind.group(1) if kind else "entry"
        return self.where(error.position), f"@{name} on line {self.line(at)}: {error.message}"

    def balanced_end(self, opening: int) -> int | None:
        """The position after the `}` or `)` that closes the one at `opening`, or None."""
        text = self.text
        parenthesis = text[opening] == "("
        depth = 0 if parenthesis else 1
        pattern = _BRACE_OR_PARENTHESIS if parenthesis else _BRACE
        position = opening + 1
        while (found := pattern.search(text, position)) is not None:
            char = found.group(0)[0]
            position = found.end()
            if char == "{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise EntryError(found.start(), f"braces nested deeper than {MAX_DEPTH} levels")
            elif char == "}":
                depth -= 1
                if depth == 0 and not parenthesis:
                    return position
            elif char == ")" and depth == 0:
                return position
        return None

    def recover(self, at: int, body: int) -> int:
        """Where to go on after a broken entry: past its closing brace, else the next line-start `@`.

        Going past the closing brace also skips any `@` inside the entry's values, which bibtexparser
        would have taken for a (phantom) entry of its own.
        """
        try:
            end = self.balanced_end(body - 1)
        except EntryError:  # nested too deep: go on at the next entry
            end = None
        if end is not None:
            return end
        following = _LINE_START_AT.search(self.text, at + 1)
        return following.end() - 1 if following else len(self.text)

    def string(self, position: int, close: str) -> int:
        position = self.skip_space(position)
        name = _MACRO_NAME.match(self.text, position)
        if name is None:
            raise EntryError(position, "expected a macro name after @string")
        position = self.skip_space(name.end())
        if not self.text.startswith("=", position):
            raise EntryError(position, f"expected '=' after the macro name '{name.group(0)}'")
        start = position + 1
        value, position = self.value(start, name.group(0), close)
        if self.missing:
            raise EntryError(start, self.undefined_message(name.group(0)))
        position = self.skip_space(position)
        if not self.text.startswith(close, position):
            raise EntryError(position, f"expected '{close}' to end @string{{{name.group(0)}}}")
        self.macros[name.group(0).lower()] = value
        self.defined += 1
        return position + 1

    def entry(self, kind: str, at: int, position: int, close: str) -> int:
        text = self.text
        position = self.skip_space(position)
        key_match = _KEY.match(text, position)
        after_key = self.skip_space(key_match.end()) if key_match else position
        if key_match is None or not text.startswith(",", after_key):
            if key_match is None or text.startswith("=", after_key):
                raise EntryError(position, "the entry has no key (write '@type{key,' before its fields)")
            raise EntryError(after_key, f"expected ',' after the key '{key_match.group(0)}'")
        entry = RawEntry(kind, key_match.group(0), at)
        position = after_key + 1
        previous: str | None = None
        while True:
            position = self.skip_space(position)
            if text.startswith(close, position):
                break
            if position >= len(text):
                raise EntryError(at, f"the entry is not closed: '{close}' is missing")
            name = _FIELD_NAME.match(text, position)
            if name is None:
                raise EntryError(
                    position, f"expected a field name, found '{text[position : position + 10].strip()}'"
                )
            field_name = name.group(0).lower()
            field_start = position
            position = self.skip_space(name.end())
            if not text.startswith("=", position):
                raise EntryError(position, f"expected '=' after the field name '{name.group(0)}'")
            value_start = position + 1
            value, position = self.value(value_start, field_name, close)
            if field_name in entry.fields or field_name in entry.undefined:
                # BibTeX warns and keeps the first; the later value is kept too, never dropped unsaid.
                self.repeated(entry, field_name, value, value_start, position)
            elif self.missing:
                written = " ".join(self.text[value_start:position].split())
                entry.undefined[field_name] = (written, tuple(dict.fromkeys(self.missing)))
                entry.field_positions[field_name] = field_start
            else:
                entry.fields[field_name] = value
                entry.field_positions[field_name] = field_start
            previous = field_name
            position = self.skip_space(position)
            if text.startswith(",", position):
                position += 1
                continue
            if text.startswith(close, position):
                break
            following = _FIELD_NAME.match(text, position)
            found = following.group(0) if following else text[position : position + 1]
            raise EntryError(
                position, f"missing ',' after the value of '{previous}' (before '{found}'); add the comma"
            )
        self.entries.append(entry)
        return position + 1

    def repeated(self, entry: RawEntry, field_name: str, value: str, start: int, end: int) -> None:
        """A field given again: the first value stays, a different later one goes to `extra` as
        `name-2` (`-3`, ...), with a note."""
        written = value if not self.missing else self.text[start:end]
        first = entry.fields.get(field_name, entry.undefined.get(field_name, ("",))[0])
        if " ".join(written.split()) == " ".join(first.split()):
            entry.notes.append(f"the field '{field_name}' is given twice with the same value: read once")
            return
        number = 2
        while f"{field_name}-{number}" in entry.fields:
            number += 1
        entry.fields[f"{field_name}-{number}"] = written
        entry.notes.append(
            f"the field '{field_name}' is given twice: the first value taken (as BibTeX does), "
            f"the other kept in extra as '{field_name}-{number}'"
        )

    def undefined_message(self, field_name: str) -> str:
        names = ", ".join(f"'{name}'" for name in dict.fromkeys(self.missing))
        return (
            f"undefined macro {names} in '{field_name}' (define it with @string, or put the value in braces)"
        )

    def value(self, position: int, field_name: str, close: str) -> tuple[str, int]:
        """A field value: braced, quoted, a number or a macro, joined by `#`; macros resolved, and
        those no @string defines listed in `self.missing` (read as empty, as BibTeX does)."""
        text = self.text
        parts: list[str] = []
        self.missing = []
        while True:
            position = self.skip_space(position)
            char = text[position : position + 1]
            if char == "{":
                end = self.balanced_end(position)
                if end is None:
                    raise EntryError(position, f"the value of '{field_name}' has no closing '}}'")
                self.check_line_start_at(position, end, field_name)
                parts.append(text[position + 1 : end - 1])
                position = end
            elif char == '"':
                end = self.quoted_end(position, field_name)
                self.check_line_start_at(position, end, field_name)
                parts.append(text[position + 1 : end - 1])
                position = end
            elif (number := _NUMBER.match(text, position)) is not None:
                parts.append(number.group(0))
                position = number.end()
            elif (macro := _MACRO_NAME.match(text, position)) is not None:
                name = macro.group(0)
                if name.lower() in self.macros:
                    parts.append(self.macros[name.lower()])
                else:
                    self.missing.append(name)
                position = macro.end()
            else:
                raise EntryError(position, f"expected a value for '{field_name}'")
            after = self.skip_space(position)
            if text.startswith("#", after):
                position = after + 1
                continue
            return "".join(parts), position

    def quoted_end(self, position: int, field_name: str) -> int:
        depth = 0
        index = position + 1
        text = self.text
        while index < len(text):
            char = text[index]
            if char == "\\":
                index += 2
                continue
            if char == "{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise EntryError(index, f"braces nested deeper than {MAX_DEPTH} levels")
            elif char == "}":
                depth -= 1
            elif char == '"' and depth == 0:
                return index + 1
            index += 1
        raise EntryError(position, f"the value of '{field_name}' has no closing '\"'")

    def check_line_start_at(self, start: int, end: int, field_name: str) -> None:
        found = _LINE_START_AT.search(self.text, start, end)
        if found is not None:
            raise EntryError(
                found.end() - 1,
                f"an '@' starts this line inside the value of '{field_name}': bibtexparser and other tools "
                "read a new entry there; move the '@' off the start of the line",
            )


def decode_latex(value: str) -> str:
    """LaTeX to Unicode text: `{\\"u}` -> ü, `\\&` -> &, braces dropped, spacing collapsed."""
    return decode_value(value).text


def decode_value(value: str) -> Decoded:
    """A value as Unicode text, with the macros kept undecoded; raises LatexError when nested too deep."""
    if "\\" not in value and "{" not in value and "~" not in value and "--" not in value and "`" not in value:
        return Decoded(" ".join(value.split()))
    if _SIMPLE_ESCAPES_ONLY.fullmatch(value):  # only \& \% \_ \# \$ and braces: nothing else to decode
        text = _SIMPLE_ESCAPE.sub(r"\1", value.replace("{", "").replace("}", ""))
        return Decoded(" ".join(text.split()))
    return latex_decode.decode(value)


def verbatim_value(value: str) -> str:
    """A DOI or URL: kept as written, but with BibTeX escapes (`\\_`, `\\%`) removed."""
    return "".join(_VERBATIM_ESCAPE.sub(r"\1", value).split())


def split_names(value: str) -> list[Name]:
    """BibTeX names (`A and B`) to Names; `{Barnes and Noble, Inc.}` is one body, `others` a literal name."""
    return names.split_names(value, decode_latex)


def bare_doi(value: str) -> str | None:
    """The bare DOI of `https://doi.org/10...`, `doi:10...`, `\\url{...}`, a short DOI `10/fqd6hj`; None
    when the value is no DOI."""
    text = _VERBATIM_ESCAPE.sub(r"\1", _unwrap_link(value.strip())).strip()
    # Spaces are not joined: a DOI has none, so `10.1000/a b` is no DOI (kept as written, noted).
    text = _DOI_PREFIX.sub("", text).strip()
    return text if _DOI.match(text) else None


def normalised_url(value: str) -> str | None:
    """An `http(s)://` address from `\\url{...}`, `\\href{u}{t}` or a bare `www.` host; None when the value
    is no single address."""
    text = _unwrap_link(value.strip())
    text = _VERBATIM_ESCAPE.sub(r"\1", text).strip()
    if not text or any(char.isspace() for char in text):
        return None
    if text.lower().startswith("www."):
        text = "https://" + text
    return text if _URL.match(text) else None


def _unwrap_link(text: str) -> str:
    found = _LINK.fullmatch(text)
    return found.group(1) if found else text


@dataclass
class _Mapping:
    """One entry's way into a record: the fields used, what went to `extra`, and notes for the report."""

    values: dict[str, str]
    used: set[str] = field(default_factory=set)
    extra: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # fields given empty

    def text(self, *keys: str) -> str | None:
        """The first of the fields that is set, decoded; the others stay for `extra`."""
        for name in keys:
            value = self.values.get(name, "")
            if value.strip():
                self.used.add(name)
                return self.decode(name, value) or None
        return None

    def checked(self, name: str, rule: Callable[[str], str | None]) -> str | None:
        """A field's decoded text when `rule` finds no problem with it; else None, the field kept
        verbatim in `extra` and the problem noted (the record is still taken)."""
        value = self.values.get(name, "")
        if not value.strip():
            return None
        decoded = self.decode(name, value).strip()
        problem = rule(decoded)
        if problem is None:
            self.used.add(name)
            return decoded
        self.notes.append(f"kept '{name}' in extra: {problem}")
        return None

    def first_valid(self, name: str, rule: Callable[[str], str | None], token: re.Pattern[str]) -> str | None:
        """Like `checked`, but a value that holds several numbers (`0036-8733 (print), 1946-7087
        (electronic)`, `0-486-23928-4 (paperback)`) gives its first valid one; the whole value is
        kept in `extra` with a note, so the others are not lost."""
        value = self.values.get(name, "")
        if not value.strip():
            return None
        decoded = self.decode(name, value).strip()
        if rule(decoded) is None:
            self.used.add(name)
            return decoded
        found = next(
            (match.group(0) for match in token.finditer(decoded) if rule(match.group(0)) is None), None
        )
        if found is None:
            self.notes.append(f"kept '{name}' in extra: {rule(decoded)}")
            return None
        self.used.add(name)
        self.extra[name] = " ".join(value.split())
        self.notes.append(f"took the {name.upper()} {found} of '{decoded}'; the whole value kept in extra")
        return found

    def decode(self, name: str, value: str) -> str:
        if name in _PARAGRAPH_FIELDS:  # the store keeps their paragraph breaks as blank lines
            paragraphs = (self.decode_one(name, part) for part in _paragraphs(value))
            return "\n\n".join(part for part in paragraphs if part)
        return self.decode_one(name, value)

    def decode_one(self, name: str, value: str) -> str:
        try:
            decoded = decode_value(value)
        except LatexError as error:
            raise _FieldError(name, error.message) from None
        if decoded.unknown:
            self.notes.append(f"kept {', '.join(decoded.unknown)} undecoded in '{name}'")
        return decoded.text


_NO_PREFIX = re.compile(r"\buseprefix\s*=\s*\{?\s*false\b", re.IGNORECASE)
_PARAGRAPH_FIELDS = frozenset({"abstract", "note"})  # the store's multi-line fields
_PARAGRAPH_BREAK = re.compile(r"\\par(?![A-Za-z@])|\n[ \t\r]*\n|\\.|[{}]", re.DOTALL)


def _paragraphs(value: str) -> list[str]:
    """A value split at its paragraph breaks (a blank line or `\\par`) outside braces, as LaTeX reads it."""
    parts: list[str] = []
    depth = start = 0
    for found in _PARAGRAPH_BREAK.finditer(value):
        piece = found.group(0)
        if piece == "{":
            depth += 1
        elif piece == "}":
            depth -= 1
        elif depth == 0 and (piece == "\\par" or piece[0] == "\n"):
            parts.append(value[start : found.start()])
            start = found.end()
    parts.append(value[start:])
    return parts


class _FieldError(Exception):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name
        self.message = message


@dataclass
class _Date:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    original_year: int | None = None


def _date(mapping: _Mapping) -> _Date:
    """The year of `year` (or `date`), with `date`'s month and day (`2020-05-17`); `[1893] 1984` is 1984,
    first published 1893. A date that says more than that (`1984/1985`, `2020-05-17T10:00`) gives its
    year and is kept whole in `extra`."""
    found_date = _Date()
    for name in ("year", "date"):
        raw = mapping.values.get(name, "")
        if not raw.strip():
            continue
        text = mapping.decode(name, raw).strip()
        reprint = _REPRINT.match(text)
        if reprint:
            mapping.used.add(name)
            return _Date(int(reprint.group(2)), original_year=int(reprint.group(1)))
        iso = _ISO_DATE.match(text)
        if iso is not None:
            mapping.used.add(name)
            month = int(iso.group(2)) if iso.group(2) else None
            day = int(iso.group(3)) if iso.group(3) else None
            if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
                mapping.extra[name] = " ".join(raw.split())
                month = day = None
            return _Date(int(iso.group(1)), month, day)
        found = _YEAR.search(text)
        if found is None:
            continue
        mapping.used.add(name)
        mapping.extra[name] = " ".join(raw.split())  # `1984/1985`, `ca. 1900`: the year taken, the rest kept
        return _Date(int(found.group(1)))
    return found_date


def _original_year(mapping: _Mapping) -> int | None:
    for name in ("origdate", "origyear"):
        raw = mapping.values.get(name, "")
        if raw.strip():
            text = mapping.decode(name, raw).strip()
            if _ISO_DATE.match(text):
                mapping.used.add(name)
                if len(text) > 4:
                    mapping.extra[name] = text  # the year taken, the full date kept
                return int(text[:4])
            return None
    return None


_DAY_MONTH = re.compile(r"^([0-9]{1,2})\.?\s+([^\s0-9]+)$|^([^\s0-9]+)\s+([0-9]{1,2})$")  # `10~jan`, `jan~10`


def _month_day(text: str) -> tuple[int, int | None] | None:
    """The month of a `month` field, and its day when it gives one (`10~jan`, as in xampl.bib)."""
    month = _month_of(text)
    if month is not None:
        return month, None
    found = _DAY_MONTH.match(text.strip())
    if found is None:
        return None
    day, word = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
    month = _month_of(word) if not word.isdigit() else None
    if month is None or not 1 <= int(day) <= 31:
        return None
    return month, int(day)


def _month_problem(text: str) -> str | None:
    return None if _month_day(text) is not None else f"'{text}' is not a month"


def _day_problem(text: str) -> str | None:
    return None if text.isascii() and text.isdigit() and 1 <= int(text) <= 31 else f"'{text}' is not a day"


def _iso_date_problem(text: str) -> str | None:
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return None
    return f"'{text}' is not a date YYYY-MM-DD"


def _slug_problem(text: str) -> str | None:
    slug = text.lower().replace(" ", "-")
    return None if _SLUG.match(slug) else f"'{text}' is not a word such as arxiv or pubmed"


# Field mapping (issue #11) ---------------------------------------------------------------------------
# Which .bib fields fill which record field. Every field of an entry that none of these consume is kept
# verbatim (LaTeX and all, spaces collapsed as BibTeX reads them) in the record's `extra`, so nothing
# is dropped silently. A value the record's rule for that field refuses (an ISBN with a wrong check
# digit) is kept in `extra` too, and the summary notes it: the entry is still taken.

_CONTAINER_FIELDS = ("journal", "journaltitle", "booktitle", "maintitle", "howpublished")
_PUBLISHER_FIELDS = ("publisher", "school", "institution", "organization")
_PLACE_FIELDS = ("address", "location")
_ARTICLE_TYPES = frozenset({"article-journal", "article-magazine", "article-newspaper", "article"})
# Text fields read one to one (the first name given that the entry has).
_TEXT_MAP: dict[str, tuple[str, ...]] = {
    "short_title": ("shorttitle",),
    "series": ("series",),
    "edition": ("edition",),
    "language": ("language", "langid"),
    "volume": ("volume",),
    "abstract": ("abstract",),
    "event": ("eventtitle",),  # biblatex's event fields (issue #14: talks)
    "event_place": ("venue",),
}
# The entry type and `type` words that mean "no genre": our own export writes them for a plain thesis
# or report, so they read back as no genre.
_DEFAULT_GENRES = frozenset({"phdthesis", "techreport"})
_ENTRY_GENRES = {"mastersthesis": "Master's thesis"}
_ISO_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
# One ISBN or ISSN inside a longer value; the check digit decides which of them are valid.
_ISBN_TOKEN = re.compile(r"(?<![0-9])(?:97[89][- ]?)?[0-9](?:[- ]?[0-9]){8}[- ]?[0-9Xx](?![0-9Xx])")
_ISSN_TOKEN = re.compile(r"(?<![0-9])[0-9]{4}-?[0-9]{3}[0-9Xx](?![0-9Xx])")
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
_MONTH_NUMBER = {name.lower(): n for n, name in enumerate(_MONTH_NAMES, 1)} | {
    short: n for n, short in enumerate(_MONTHS, 1)
}


def _month_of(text: str | None) -> int | None:
    if not text:
        return None
    word = text.strip().rstrip(".").lower()
    if word.isdigit() and 1 <= int(word) <= 12:
        return int(word)
    return _MONTH_NUMBER.get(word) or _MONTH_NUMBER.get(word[:3])


def to_publication(entry: RawEntry) -> tuple[Publication, _Mapping]:
    """An entry as a Publication (not yet validated: the store's validator judges the values), and how
    its fields were used."""
    from scholarcli.store.validate import isbn_problem, issn_problem

    mapping = _Mapping(entry.fields)
    values = entry.fields
    text = mapping.text
    for name, (written, missing) in entry.undefined.items():
        mapping.extra[name] = written
        undefined = ", ".join(f"'{macro}'" for macro in missing)
        mapping.notes.append(
            f"kept '{name}' in extra as written: undefined macro {undefined} (BibTeX reads it as empty; "
            "define it with @string)"
        )

    kind = imported_type(entry.entry_type, text("entrysubtype"))
    people: dict[str, tuple[Name, ...]] = {}
    for role in ("author", "editor", "translator"):
        if values.get(role, "").strip():
            mapping.used.add(role)
            try:
                people[role] = tuple(split_names(values[role]))
            except names.NameReadError as problem:
                raise _FieldError(role, str(problem)) from None
            except LatexError as error:
                raise _FieldError(role, error.message) from None
            if _NO_PREFIX.search(values[role]):
                mapping.extra[f"original_{role}"] = " ".join(values[role].split())
                mapping.notes.append(
                    f"kept '{role}' as written in extra as 'original_{role}': useprefix=false (a particle "
                    "dropped in sorting) has no place in the record"
                )
    date = _date(mapping)
    year = date.year
    month, day = date.month, date.day
    if month is None and (month_text := mapping.checked("month", _month_problem)) is not None:
        month, day = _month_day(month_text) or (None, None)
    if month is not None and day is None and (day_text := mapping.checked("day", _day_problem)) is not None:
        day = int(day_text)
    if month is not None and day is not None and day > calendar.monthrange(year or 2000, month)[1]:
        mapping.notes.append(
            f"kept the day in extra: {_MONTH_NAMES[month - 1]} {year or ''} has no day {day}"
        )
        mapping.extra["day"] = str(day)  # 30 February: the store's rule refuses the day, not the work
        day = None
    original_year = date.original_year or _original_year(mapping)
    note = text("note")
    status = "published"
    pubstate = text("pubstate")
    year_text = values.get("year", "")
    if pubstate:
        status = _PUBSTATES.get(pubstate.lower(), pubstate.lower())
    elif year is None and year_text.strip() and decode_latex(year_text).lower() in _PUBSTATES:
        mapping.used.add("year")  # year = {forthcoming}
        status = _PUBSTATES[decode_latex(year_text).lower()]
    elif note and (state := _NOTE_STATE.match(note)):  # our own export writes the state first in `note`
        status = state.group(1).lower().replace(" ", "-")
        note = state.group(2) or None
    title = text("title")
    subtitle = text("subtitle")
    if title and subtitle and title.endswith(f": {subtitle}"):  # our BibTeX export's `Title: Subtitle`
        title = title.removesuffix(f": {subtitle}")
    # `number` is an article's issue; on anything else it is the number in a series (or a report's).
    if kind in _ARTICLE_TYPES:
        issue, number = text("number", "issue"), None
    else:
        number, issue = text("number"), text("issue")
    genre = text("type")
    if genre is not None and genre.lower() in _DEFAULT_GENRES:
        genre = None
    genre = genre or _ENTRY_GENRES.get(entry.entry_type)
    eprint = verbatim_value(values["eprint"]) if values.get("eprint", "").strip() else None
    eprint_type = None
    if eprint is not None:
        mapping.used.add("eprint")
        eprint_type = mapping.checked("eprinttype", _slug_problem) or mapping.checked(
            "archiveprefix", _slug_problem
        )
    pages = text("pages")
    doi = url = None
    if values.get("doi", "").strip():
        doi = bare_doi(values["doi"])
        if doi is not None:
            mapping.used.add("doi")
        else:
            mapping.notes.append("kept 'doi' in extra: not a DOI (10.NNNN/...)")
    if values.get("url", "").strip():
        url = normalised_url(values["url"])
        if url is not None:
            mapping.used.add("url")
        else:
            mapping.notes.append("kept 'url' in extra: not one http(s):// address")
    keywords = text("keywords")
    record_id = entry.key if ID_PATTERN.match(entry.key) else ""
    if not record_id:
        mapping.extra["original_key"] = entry.key
        mapping.notes.append(
            f"the key '{entry.key}' cannot be an id: an id is generated, the key kept in extra"
        )
    # Any: the keys are Publication's text fields, which mypy cannot tell from its other fields.
    mapped: dict[str, Any] = {field_name: text(*sources) for field_name, sources in _TEXT_MAP.items()}
    publication = Publication(
        id=record_id,
        type=kind,
        title=title,
        subtitle=subtitle,
        authors=people.get("author", ()),
        editors=people.get("editor", ()),
        translators=people.get("translator", ()),
        year=year,
        month=month,
        day=day if month is not None else None,
        original_year=original_year,
        status=status,
        container=text(*_CONTAINER_FIELDS),
        issue=issue,
        number=number,
        pages=re.sub(r"\s*[-\u2013\u2014]+\s*", "-", pages) if pages else None,
        publisher=text(*_PUBLISHER_FIELDS),
        place=text(*_PLACE_FIELDS),
        genre=genre,
        isbn=mapping.first_valid("isbn", isbn_problem, _ISBN_TOKEN),
        issn=mapping.first_valid("issn", issn_problem, _ISSN_TOKEN),
        doi=doi,
        eprint=eprint,
        eprint_type=eprint_type.lower().replace(" ", "-") if eprint_type else None,
        url=url,
        accessed=mapping.checked("urldate", _iso_date_problem),
        tags=tuple(dict.fromkeys(word.strip() for word in keywords.split(",") if word.strip()))
        if keywords
        else (),
        note=note,
        **mapped,
    )
    publication = _href_addresses(publication, mapping)
    for name, value in values.items():  # every other field, verbatim: nothing is lost without a word
        if name not in mapping.used and name not in mapping.extra:
            kept = " ".join(value.split())
            if kept:
                mapping.extra[RESOLVED_LINKS.get(name, name)] = kept
            elif name not in mapping.used:
                mapping.dropped.append(name)
    if mapping.extra:
        publication = replace(publication, extra=tuple(mapping.extra.items()))
    return publication, mapping


_HREF = re.compile(r"\\href\s*\{([^{}]*)\}")
_HREF_URL_FIELDS = ("note", "howpublished")  # where an \href is the work's own address


def _href_addresses(publication: Publication, mapping: _Mapping) -> Publication:
    """Keep the addresses of `\\href{url}{text}`, which decoding turns into their text: the record's url
    when it has none (from `note` or `howpublished`), else the field as written in `extra`, noted."""
    for name in sorted(mapping.used - {"url", "doi", "eprint"}, key=list(mapping.values).index):
        addresses = [normalised_url(found) or found for found in _HREF.findall(mapping.values[name])]
        if not addresses:
            continue
        if publication.url is None and name in _HREF_URL_FIELDS and normalised_url(addresses[0]):
            publication = replace(publication, url=addresses[0])
            mapping.notes.append(f"took the url {addresses[0]} from the \\href in '{name}'")
        if any(address != publication.url for address in addresses):
            mapping.extra[name] = " ".join(mapping.values[name].split())
            mapping.notes.append(f"kept '{name}' in extra as written: its \\href address has no other place")
    return publication


# Links to other entries, followed on import (their values are in the record now): kept under other names,
# since an export with the link but not its target is "a bad cross reference" to BibTeX and biber.
RESOLVED_LINKS = {name: f"original_{name}" for name in ("crossref", "xdata", "xref")}


# Fields biber never passes from a parent to its child (biber's default inheritance rules).
_NOT_INHERITED = frozenset(
    {"ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label", "options",
     "presort", "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand",
     "shorthandintro", "sortkey"}
)  # fmt: skip
_BOOKS = frozenset({"book", "collection", "proceedings", "reference", "mvbook", "mvcollection",
                    "mvproceedings", "mvreference"})  # fmt: skip
_IN_BOOKS = frozenset({"inbook", "bookinbook", "suppbook", "incollection", "suppcollection",
                       "inproceedings", "conference", "inreference"})  # fmt: skip
_TITLE_FIELDS = ("title", "subtitle", "titleaddon", "shorttitle", "sorttitle", "indextitle", "indexsorttitle")


def _inherited_name(parent_type: str, child_type: str, name: str) -> str | None:
    """The child's field a parent's field fills (biber's rules), None when it is not passed on."""
    if name in _NOT_INHERITED:
        return None
    if name in _TITLE_FIELDS:
        if parent_type in _BOOKS and child_type in _IN_BOOKS:
            prefix = "main" if parent_type.startswith("mv") else "book"
            return {"title": f"{prefix}title", "subtitle": f"{prefix}subtitle",
                    "titleaddon": f"{prefix}titleaddon"}.get(name)  # fmt: skip
        if parent_type == "periodical" and child_type in ("article", "suppperiodical"):
            return {"title": "journaltitle", "subtitle": "journalsubtitle"}.get(name)
        if parent_type in _BOOKS or parent_type == "periodical":
            return None  # a child's own title is never its parent's
    return name


def _resolve_inheritance(entries: list[RawEntry], notes: dict[int, list[str]]) -> None:
    """Fill each child from its `crossref` parent and `xdata` entries, the way biber does: only fields
    the child lacks, through chains, each entry once (a cycle stops)."""
    by_key = {entry.key.casefold(): entry for entry in entries}
    done: set[int] = set()

    def resolve(entry: RawEntry, visiting: frozenset[int]) -> None:
        if id(entry) in done or id(entry) in visiting:
            return
        visiting = visiting | {id(entry)}
        sources: list[tuple[str, str]] = []
        if entry.fields.get("xdata", "").strip():
            sources += [("xdata", key.strip()) for key in entry.fields["xdata"].split(",") if key.strip()]
        if entry.fields.get("crossref", "").strip():
            sources.append(("crossref", entry.fields["crossref"].strip()))
        for how, key in sources:
            parent = by_key.get(key.casefold())
            if parent is None:
                notes.setdefault(id(entry), []).append(
                    f"its {how} '{key}' is not in the file: nothing inherited"
                )
                continue
            if id(parent) in visiting:
                notes.setdefault(id(entry), []).append(
                    f"its {how} '{key}' leads back to itself: not followed"
                )
                continue
            resolve(parent, visiting)
            taken = []
            for name, value in parent.fields.items():
                target = (
                    name if how == "xdata" else _inherited_name(parent.entry_type, entry.entry_type, name)
                )
                if target is None or target in _NOT_INHERITED or entry.fields.get(target, "").strip():
                    continue
                entry.fields[target] = value
                entry.field_positions.setdefault(target, entry.position)
                taken.append(target)
            if taken:
                notes.setdefault(id(entry), []).append(f"inherited {', '.join(taken)} from {how} '{key}'")
        done.add(id(entry))

    for entry in entries:
        resolve(entry, frozenset())


def read_bibtex(text: str, path: str) -> ImportResult:
    """Every entry of a .bib text as a candidate record, or rejected with `file:line (key): reason`."""
    reader = _Reader(text, path)
    reader.read()
    result = ImportResult(
        rejected=list(reader.rejected),
        entries=len(reader.entries) + len(reader.rejected),
        macros=reader.defined,
    )
    inheritance: dict[int, list[str]] = {}
    _resolve_inheritance(reader.entries, inheritance)
    for entry in reader.entries:
        source = f"{reader.where(entry.position)} ({entry.key})"
        if entry.entry_type in _NOT_RECORDS:
            result.notes.append((source, f"@{entry.entry_type}: {_NOT_RECORDS[entry.entry_type]}"))
            continue
        try:
            publication, mapping = to_publication(entry)
        except _FieldError as error:
            where = reader.where(entry.field_positions.get(error.field_name, entry.position))
            result.rejected.append((f"{where} ({entry.key})", f"'{error.field_name}': {error.message}"))
            continue
        for note in [*entry.notes, *inheritance.get(id(entry), ()), *mapping.notes]:
            result.notes.append((source, note))
        result.kept.update(name for name, _ in publication.extra)
        result.dropped.update(mapping.dropped)
        result.candidates.append(Candidate(publication, source))
    result.rejected.sort(key=lambda item: _line_of(item[0]))
    return result


# Entry types that are not works: their fields go to the entries that name them.
_NOT_RECORDS = {
    "xdata": "a data container for the entries that name it in 'xdata', not a work",
    "set": "a set of other entries, which are imported one by one",
}


def _line_of(source: str) -> int:
    tail = source.split(" ", 1)[0].rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0
