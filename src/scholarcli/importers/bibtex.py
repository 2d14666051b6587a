"""BibTeX and BibLaTeX import, strict where bibtexparser 2.x is lenient.

bibtexparser silently merges two fields when a comma is missing, accepts entries without a key, keeps
an undefined macro as its raw name, fails on Latin-1 bytes, and starts a phantom entry at an `@` at
the start of a line inside a value. Once it has done so the evidence is gone, so this module reads
the entry structure itself, reports each of those as `file:line: message` and takes nothing from an
entry that has one. Names are split with bibtexparser's own BibTeX name rules; LaTeX is decoded to
Unicode with pylatexenc.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from typing import Any

from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from pylatexenc.latex2text import LatexNodes2Text

from scholarcli.bibfields import ENTRY_TYPES as ENTRY_TYPES  # the table lives there (exports use it)
from scholarcli.bibfields import imported_type
from scholarcli.importers import ImportResult
from scholarcli.model import Name, Publication
from scholarcli.writes import Candidate

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")  # fmt: skip
# BibLaTeX's `pubstate` values, and the states our own export writes first in `note`.
_PUBSTATES = {
    "forthcoming": "forthcoming",
    "inpress": "in-press",
    "in press": "in-press",
    "submitted": "under-review",
    "under review": "under-review",
    "in preparation": "in-preparation",
    "inpreparation": "in-preparation",
    "under contract": "under-contract",
    "prepublished": "forthcoming",
}
_NOTE_STATE = re.compile(
    r"^(Forthcoming|In press|Under review|Under contract|In preparation|Published)(?:\.\s*(.*))?$", re.DOTALL
)
_ENTRY_START = re.compile(r"@[ \t]*([A-Za-z][A-Za-z0-9_-]*)[ \t\r\n]*([{(])")
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_:.+-]*")
_KEY = re.compile(r"[^\s,={}()\"#%']+")
_NUMBER = re.compile(r"[0-9]+")
_LINE_START_AT = re.compile(r"\n[ \t]*@")
_YEAR = re.compile(r"^\s*([0-9]{4})")
_LATEX = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)
# Text-mode symbols pylatexenc drops (or renders as another mark): private-use placeholders carry them.
_TEXT_SYMBOLS = {
    r"\textbraceleft": "{",
    r"\textbraceright": "}",
    r"\textasciicircum": "^",
    r"\textasciigrave": "`",
    r"\textbar": "|",
    r"\textless": "<",
    r"\textgreater": ">",
    r"\textunderscore": "_",
    r"\textdollar": "$",
    r"\textquotedbl": '"',
}
_TEXT_COMMANDS = tuple((command, chr(0xE000 + number)) for number, command in enumerate(_TEXT_SYMBOLS))
_PLACEHOLDERS = str.maketrans({chr(0xE000 + n): symbol for n, symbol in enumerate(_TEXT_SYMBOLS.values())})
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


class _Reader:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.line_starts = [0] + [match.end() for match in re.finditer(r"\n", text)]
        self.macros: dict[str, str] = dict(zip(_MONTHS, _MONTH_NAMES, strict=True))
        self.entries: list[RawEntry] = []
        self.rejected: list[tuple[str, str]] = []

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
            if kind in ("comment", "preamble"):
                position = self.balanced_end(body - 1) or len(text)
                continue
            try:
                position = self.string(body, close) if kind == "string" else self.entry(kind, at, body, close)
            except EntryError as error:
                label = self.entry_label(at, body)
                self.rejected.append((f"{self.where(error.position)}", f"{label}: {error.message}"))
                position = self.recover(at, body)

    def entry_label(self, at: int, body: int) -> str:
        key = _KEY.match(self.text, self.skip_space(body))
        kind = _ENTRY_START.match(self.text, at)
        name = kind.group(1) if kind else "entry"
        if key and self.text.startswith(",", self.skip_space(key.end())):
            return f"@{name}{{{key.group(0)}}}"
        return f"@{name} on line {self.line(at)}"

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
        end = self.balanced_end(body - 1)
        if end is not None:
            return end
        following = _LINE_START_AT.search(self.text, at + 1)
        return following.end() - 1 if following else len(self.text)

    def string(self, position: int, close: str) -> int:
        position = self.skip_space(position)
        name = _FIELD_NAME.match(self.text, position)
        if name is None:
            raise EntryError(position, "expected a macro name after @string")
        position = self.skip_space(name.end())
        if not self.text.startswith("=", position):
            raise EntryError(position, f"expected '=' after the macro name '{name.group(0)}'")
        value, position = self.value(position + 1, name.group(0), close)
        position = self.skip_space(position)
        if not self.text.startswith(close, position):
            raise EntryError(position, f"expected '{close}' to end @string{{{name.group(0)}}}")
        self.macros[name.group(0).lower()] = value
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
            if field_name in entry.fields:
                raise EntryError(field_start, f"the field '{field_name}' is given twice")
            value, position = self.value(position + 1, field_name, close)
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

    def value(self, position: int, field_name: str, close: str) -> tuple[str, int]:
        """A field value: braced, quoted, a number or a macro, joined by `#`; macros resolved."""
        text = self.text
        parts: list[str] = []
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
            elif (macro := _FIELD_NAME.match(text, position)) is not None:
                name = macro.group(0)
                if name.lower() not in self.macros:
                    raise EntryError(
                        position,
                        f"undefined macro '{name}' in '{field_name}' (define it with @string, or put the "
                        "value in braces)",
                    )
                parts.append(self.macros[name.lower()])
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
    if "\\" not in value and "{" not in value and "~" not in value and "--" not in value and "`" not in value:
        return " ".join(value.split())
    if _SIMPLE_ESCAPES_ONLY.fullmatch(value):  # only \& \% \_ \# \$ and braces: no need for a LaTeX parser
        text = _SIMPLE_ESCAPE.sub(r"\1", value.replace("{", "").replace("}", ""))
        return " ".join(text.split())
    # A bare % in a .bib value is text, not a LaTeX comment.
    protected = re.sub(r"(?<!\\)%", r"\\%", value)
    for command, placeholder in _TEXT_COMMANDS:  # symbols pylatexenc drops or renders as other marks
        # Whole commands only: `\textquotedbl` is not the start of `\textquotedblleft` (a curly quote).
        protected = re.sub(re.escape(command) + r"(?:\{\}|(?![A-Za-z]))", placeholder, protected)
    text = _LATEX.latex_to_text(protected).translate(_PLACEHOLDERS)
    return " ".join(text.replace("\xa0", " ").split())


def verbatim_value(value: str) -> str:
    """A DOI or URL: kept as written, but with BibTeX escapes (`\\_`, `\\%`) removed."""
    return "".join(_VERBATIM_ESCAPE.sub(r"\1", value).split())


def split_names(value: str) -> list[Name]:
    """BibTeX names (`A and B`) to Names; `{Barnes and Noble, Inc.}` is one body, `others` is dropped."""
    names = []
    for raw in split_multiple_persons_names(value):
        raw = raw.strip()
        if not raw or raw == "others":
            continue
        if raw.startswith("{") and raw.endswith("}") and _one_group(raw):
            names.append(Name(literal=decode_latex(raw[1:-1])))
            continue
        parts = parse_single_name_into_parts(raw)

        def joined(words: list[str]) -> str | None:
            return decode_latex(" ".join(words)) or None

        family = joined(parts.last)
        if family is None:
            raise ValueError(f"'{raw}' has no family name")  # (InvalidNameError takes two arguments)
        names.append(
            Name(
                family=family, given=joined(parts.first), particle=joined(parts.von), suffix=joined(parts.jr)
            )
        )
    return names


def _one_group(text: str) -> bool:
    depth = 0
    for index, char in enumerate(text):
        depth += char == "{"
        depth -= char == "}"
        if depth == 0 and index < len(text) - 1:
            return False
    return True


# Field mapping (issue #11) ---------------------------------------------------------------------------
# Which .bib fields fill which record field. Every field of an entry that none of these consume is kept
# verbatim (LaTeX and all) in the record's `extra`, so nothing is dropped silently.

_CONTAINER_FIELDS = ("journal", "journaltitle", "booktitle", "maintitle", "howpublished")
_PUBLISHER_FIELDS = ("publisher", "school", "institution", "organization")
_PLACE_FIELDS = ("address", "location")
_ARTICLE_TYPES = frozenset({"article-journal", "article-magazine", "article-newspaper", "article"})
# Text fields read one to one (the first name given that the entry has).
_TEXT_MAP: dict[str, tuple[str, ...]] = {
    "short_title": ("shorttitle",),
    "series": ("series",),
    "edition": ("edition",),
    "isbn": ("isbn",),
    "issn": ("issn",),
    "language": ("language", "langid"),
    "volume": ("volume",),
    "abstract": ("abstract",),
}
# The entry type and `type` words that mean "no genre": our own export writes them for a plain thesis
# or report, so they read back as no genre.
_DEFAULT_GENRES = frozenset({"phdthesis", "techreport"})
_ENTRY_GENRES = {"mastersthesis": "Master's thesis"}
_ISO_DATE = re.compile(r"^\s*([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\s*$")
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


def to_publication(entry: RawEntry) -> Publication:
    """An entry as a Publication (not yet validated: the store's validator judges the values)."""
    values = entry.fields
    used: set[str] = set()

    def text(*names: str) -> str | None:
        for name in names:
            if values.get(name, "").strip():
                used.add(name)
                return decode_latex(values[name]) or None
        return None

    def names_of(field_name: str) -> tuple[Name, ...]:
        if field_name not in values:
            return ()
        used.add(field_name)
        return tuple(split_names(values[field_name]))

    kind = imported_type(entry.entry_type, text("entrysubtype"))
    authors = names_of("author")
    editors = names_of("editor")
    translators = names_of("translator")
    year_text = values.get("year") or values.get("date") or ""
    used.update(name for name in ("year", "date") if values.get(name))
    year_match = _YEAR.match(year_text)
    month = day = None
    if (iso := _ISO_DATE.match(values.get("date", ""))) is not None:
        month = int(iso.group(2)) if iso.group(2) else None
        day = int(iso.group(3)) if iso.group(3) else None
    if month is None and (month := _month_of(text("month"))) is not None and values.get("day", "").strip():
        day = int(values["day"]) if values["day"].strip().isdigit() else None
        if day is not None:
            used.add("day")
    original = _YEAR.match(values.get("origdate") or values.get("origyear") or "")
    if original:
        used.update(name for name in ("origdate", "origyear") if values.get(name))
    note = text("note")
    status = "published"
    pubstate = text("pubstate")
    if pubstate:
        status = _PUBSTATES.get(pubstate.lower(), pubstate.lower())
    elif not year_match and decode_latex(year_text).lower() in _PUBSTATES:  # year = {forthcoming}
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
    eprint_type = text("eprinttype", "archiveprefix")
    pages = text("pages")
    doi = values.get("doi")
    url = values.get("url")
    used.update(("doi", "url", "eprint", "crossref", "xdata"))  # crossref/xdata are followed by the reader
    keywords = text("keywords")
    accessed = text("urldate")
    # Any: the keys are Publication's text fields, which mypy cannot tell from its other fields.
    mapped: dict[str, Any] = {field_name: text(*sources) for field_name, sources in _TEXT_MAP.items()}
    publication = Publication(
        id=entry.key,
        type=kind,
        title=title,
        subtitle=subtitle,
        authors=authors,
        editors=editors,
        translators=translators,
        year=int(year_match.group(1)) if year_match else None,
        month=month,
        day=day,
        original_year=int(original.group(1)) if original else None,
        status=status,
        container=text(*_CONTAINER_FIELDS),
        issue=issue,
        number=number,
        pages=re.sub(r"\s*[-\u2013\u2014]+\s*", "-", pages) if pages else None,
        publisher=text(*_PUBLISHER_FIELDS),
        place=text(*_PLACE_FIELDS),
        genre=genre,
        doi=verbatim_value(doi) if doi and doi.strip() else None,
        eprint=verbatim_value(values["eprint"]) if values.get("eprint", "").strip() else None,
        eprint_type=eprint_type.lower().replace(" ", "-") if eprint_type else None,
        url=verbatim_value(url) if url and url.strip() else None,
        accessed=accessed,
        tags=tuple(dict.fromkeys(word.strip() for word in keywords.split(",") if word.strip()))
        if keywords
        else (),
        note=note,
        **mapped,
    )
    extra = tuple(
        (name, value.replace("\r\n", "\n").replace("\r", "\n"))
        for name, value in values.items()
        if name not in used and value.strip()
    )
    return replace(publication, extra=extra) if extra else publication


def read_bibtex(text: str, path: str) -> ImportResult:
    """Every entry of a .bib text as a candidate record, or rejected with `file:line: reason`."""
    reader = _Reader(text, path)
    reader.read()
    result = ImportResult(rejected=list(reader.rejected))
    for entry in reader.entries:
        source = f"{reader.where(entry.position)}"
        try:
            publication = to_publication(entry)
        except (InvalidNameError, ValueError) as exc:
            result.rejected.append((source, f"@{entry.entry_type}{{{entry.key}}}: cannot read a name: {exc}"))
            continue
        result.candidates.append(Candidate(publication, f"{source} ({entry.key})"))
    result.rejected.sort(key=lambda item: _line_of(item[0]))
    return result


def _line_of(source: str) -> int:
    tail = source.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0
