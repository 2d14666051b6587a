"""LaTeX text for `.bib` fields: escaping, accents, names, page ranges and capital protection.

Shared by the `bibtex` dialect (ASCII, accents as LaTeX commands) and the `biblatex` dialect (UTF-8).
Every field is escaped here, value by value; no BibTeX library touches the text on the way out.

Rules (the golden files and tests in `tests/export/` hold them):

- Whitespace, newlines included, collapses to single spaces.
- The ten LaTeX specials never reach a field raw. `& % $ # _` become `\\&`-style control symbols; the
  other five, and `< > |` and the backquote (which print as other glyphs in LaTeX's default OT1
  font encoding or as a quote), become a text command inside a group: `{\\textbackslash}`,
  `{\\textbraceleft}`, `{\\textbraceright}`, `{\\textasciitilde}`, `{\\textasciicircum}`, `{\\textless}`,
  `{\\textgreater}`, `{\\textbar}`, `{\\textasciigrave}`. So every brace we write is balanced (BibTeX
  counts `\\{` as a brace, escaped or not), and BibTeX treats the group as one "special character"
  that its case changes and `purify$` leave alone.
- Pairs that TeX fonts turn into ligatures (`--`, `''`, `,,`) get an empty group between them, so
  they print as typed.
- `bibtex` dialect: text is NFC-normalised and each non-ASCII character is written as a LaTeX
  command in a group, `{\\'E}mile`, `{\\L}{\\'o}d{\\'z}`, `{\\ss}`, `{\\textendash}`: our own table for
  accents and letters, pylatexenc for other symbols (kept only if it gives ASCII). A character LaTeX
  has no ASCII notation for (CJK, most non-Latin scripts, `Ⅱ`) stays UTF-8, because no ASCII
  stand-in works under both pdfLaTeX (CJKutf8) and XeLaTeX (xeCJK), which read the UTF-8 as is.
- Capitals in titles: the store writes a title as it is printed, and nothing in a Title Case title
  tells a proper noun (China) from a capitalised common word, so every capital is kept. Each word
  holding an upper-case letter is wrapped in braces (`{NASA}`, `{COVID-19}`, `{iPhone}`, `{China}`),
  except the title's first word when its only capital is its first letter and is ASCII: every
  sentence-casing style keeps that one. Lower-case words stay free.
- `url` and `doi` are verbatim: only characters that cannot stand in a braced BibTeX value (braces,
  backslash, whitespace) are percent-encoded, and in the `bibtex` dialect non-ASCII too (as UTF-8
  bytes); the address stays the same.
- Names: `von Blomberg, Marianne`, `Smith, Jr., John`; a body (`literal`) or a CJK name is one
  braced unit, `{World Health Organization}`, `{刘春成}`, so BibTeX never splits or reorders it. A
  part holding a comma or the word "and", a part BibTeX would read as empty (no letter or digit, or
  a hyphen at either end), or a family name of several words with a lower-case one, is braced too.
  A suffix with no given name makes the whole name one unit (`{Smith, Jr.}`): BibTeX refuses an
  empty first part.
- In a braced title word, punctuation around it stays outside (`{Numbers}:`), and a word whose
  LaTeX starts with a backslash gets two braces (`{{\\_Nor}}`), or BibTeX would lower-case it.
- Pages: a hyphen or dash between two parts becomes `--`, BibTeX's en dash for ranges.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from scholarcli.bibfields import LEGAL_FIELD_NAME, MONTH_MACROS
from scholarcli.export.base import EntryFrame
from scholarcli.model import OTHERS, Name, Publication

# ASCII characters that cannot be written as themselves in LaTeX text.
_SPECIALS: dict[str, str] = {
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
    "<": r"{\textless}",
    ">": r"{\textgreater}",
    "|": r"{\textbar}",
    "`": r"{\textasciigrave}",
}
_SPECIALS_TABLE = str.maketrans(_SPECIALS)
# An empty group between two characters TeX fonts would join into one glyph.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=')(?=')|(?<=,)(?=,)")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# In the `bibtex` dialect a letter with combining marks that have no precomposed form (`P̄`) is one
# unit, written as an accent command on the letter (`{\=P}`), not the letter and a raw mark.
_ASCII_TARGET = re.compile(r"[A-Za-z\u0131\u0237][\u0300-\u036f]+|[^\x00-\x7f]")
_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]+\s*")
_WORD_CORE = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)
_AND_WORD = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)
_NAME_TOKENS = re.compile(r"[\s~-]+")  # where BibTeX splits a name into tokens
# Printable ASCII but the three a braced value cannot hold; the rest of a URL is percent-encoded.
_VERBATIM_SAFE = "".join(chr(code) for code in range(0x21, 0x7F) if chr(code) not in "{}\\")
_VERBATIM_UNSAFE = re.compile(r"[{}\\\s]")

# Combining marks LaTeX writes as accent commands. Symbol accents take the letter directly
# (`\'E`); letter accents need it in braces (`\v{s}`).
_ACCENTS: dict[str, str] = {
    "\u0300": "\\`",
    "\u0301": "\\'",
    "\u0302": "\\^",
    "\u0303": "\\~",
    "\u0304": "\\=",
    "\u0307": "\\.",
    "\u0308": '\\"',
    "\u0306": "\\u",
    "\u030c": "\\v",
    "\u030b": "\\H",
    "\u030a": "\\r",
    "\u0327": "\\c",
    "\u0328": "\\k",
    "\u0323": "\\d",
    "\u0331": "\\b",
}
# Letters that are not an ASCII letter plus accents.
_LETTERS: dict[str, str] = {
    "ß": r"\ss",
    "æ": r"\ae",
    "Æ": r"\AE",
    "œ": r"\oe",
    "Œ": r"\OE",
    "ø": r"\o",
    "Ø": r"\O",
    "ł": r"\l",
    "Ł": r"\L",
    "ı": r"\i",
    "ȷ": r"\j",
    "å": r"\aa",
    "Å": r"\AA",
}
_DOTLESS = {"i": r"\i", "j": r"\j"}
# En and em dash as TeX's ligatures, which BibTeX, LaTeX and pandoc all read back (pandoc keeps
# `{\textendash}` as raw TeX).
_DASH_LIGATURES = {"\u2013": "--", "\u2014": "---"}
_DASH = re.compile("[\u2013\u2014]")
# pylatexenc's table covers symbols; loaded on first use so a UTF-8 export never imports it.
_encoder = None
_decoder = None
_char_cache: dict[str, str] = {}
_name_cache: dict[tuple[Name, bool], str] = {}
_NAME_CACHE_SIZE = 50_000


def _pylatexenc_form(char: str) -> str | None:
    global _encoder, _decoder
    if _encoder is None or _decoder is None:
        from pylatexenc.latex2text import LatexNodes2Text
        from pylatexenc.latexencode import UnicodeToLatexEncoder

        _encoder = UnicodeToLatexEncoder(
            non_ascii_only=True,
            replacement_latex_protection="braces-all",
            unknown_char_policy="keep",
            unknown_char_warning=False,
        )
        _decoder = LatexNodes2Text()
    form = _encoder.unicode_to_latex(char)
    # Checked, not trusted: one braced ASCII group with no space, that both pylatexenc (what other
    # Python tools read with) and our own importer read back as the same character (its table also has
    # look-alikes: `\textsc{k}` for `ĸ`; `{\textasciicircum}` for U+02C6, which reads back as `^`).
    if form == char or not form.isascii() or not form.startswith("{") or any(c.isspace() for c in form):
        return None
    from scholarcli.importers.latex_decode import decode  # the reader `scholar import` uses

    read_back = decode(form)
    if read_back.text != char or read_back.unknown:
        return None
    return form if _decoder.latex_to_text(form) == char else None


def _accented_form(char: str) -> str | None:
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not all(mark in _ACCENTS for mark in marks):
        return None
    if base in _DOTLESS and marks[0] in (
        "\u0301",
        "\u0300",
        "\u0302",
        "\u0308",
        "\u0304",
        "\u0306",
        "\u030c",
    ):
        base = _DOTLESS[base]  # an accent replaces the dot: \'\i
    elif not (base.isascii() and base.isalpha()):
        return None
    form = base
    for mark in marks:
        command = _ACCENTS[mark]
        form = (
            f"{command}{form}"
            if command[1] in "`'^~=.\"" and (len(form) == 1 or form in _DOTLESS.values())
            else f"{command}{{{form}}}"
        )
    return "{" + form + "}"


def accent_command(char: str) -> str | None:
    """An ASCII letter with accents as LaTeX accent commands in a group (`{\\'K}`), or None for any
    other character: what every engine and font encoding sets (the LaTeX CV's fallback)."""
    return _accented_form(char)


def latex_char(char: str) -> str:
    """The ASCII LaTeX for one non-ASCII character, in a group; the character itself if there is none."""
    cached = _char_cache.get(char)
    if cached is not None:
        return cached
    if char in _LETTERS:
        form = "{" + _LETTERS[char] + "}"
    elif char in _DASH_LIGATURES:
        form = _DASH_LIGATURES[char]
    else:
        form = _accented_form(char) or _pylatexenc_form(char) or char
    _char_cache[char] = form
    return form


def _ascii_match(match: re.Match[str]) -> str:
    return latex_char(match.group())


def escape(text: str, *, ascii_only: bool) -> str:
    """Any text as the LaTeX of a field value; see the module docstring for the rules."""
    # Each step runs only when a C-speed scan finds work for it: exports of 10,000 works stay fast.
    if not text.isprintable() or "  " in text or text[:1] == " " or text[-1:] == " ":
        text = " ".join(text.split())  # newlines, tabs, other spaces, runs
    if (
        "\\" in text or "{" in text or "}" in text or "&" in text or "%" in text or "$" in text
        or "#" in text or "_" in text or "~" in text or "^" in text or "<" in text or ">" in text
        or "|" in text or "`" in text
    ):  # fmt: skip
        text = text.translate(_SPECIALS_TABLE)
    if "--" in text or "''" in text or ",," in text:
        text = _LIGATURE.sub("{}", text)
    if ascii_only and not text.isascii():
        if "\u2013" in text or "\u2014" in text:
            text = _DASH.sub(_dash_form, text)
        text = _ASCII_TARGET.sub(_ascii_match, unicodedata.normalize("NFC", text))
    return text


def paragraphs(text: str | None, *, ascii_only: bool) -> str | None:
    """A multi-line field (note, abstract): its paragraphs joined by `\\par`, since BibTeX reads a blank
    line in a value as a space; the importer reads `\\par` back as a paragraph break."""
    if not text:
        return None
    if "\n" not in text:
        return escape(text, ascii_only=ascii_only)
    parts = (escape(part, ascii_only=ascii_only) for part in re.split(r"\n[ \t]*\n", text))
    return " \\par ".join(part for part in parts if part) or None


def _dash_form(match: re.Match[str]) -> str:
    """An en or em dash as `--` or `---`, in a group when a hyphen or dash is beside it (`-{--}`), so
    the ligatures do not run together."""
    form = _DASH_LIGATURES[match.group()]
    text, start, end = match.string, match.start(), match.end()
    crowded = (start and text[start - 1] in "-\u2013\u2014") or text[end : end + 1] in (
        "-",
        "\u2013",
        "\u2014",
    )
    return "{" + form + "}" if crowded else form


def _needs_protection(word: str, first: bool) -> bool:
    """Whether a title word holds a capital (a letter that lower-casing would change)."""
    if word.lower() == word:
        return False
    if first and word[0].isascii() and word[0].isupper():
        rest = word[1:]
        return rest.lower() != rest
    return True


def title(text: str, *, ascii_only: bool) -> str:
    """A title: escaped, with each word holding a capital braced (see the module docstring)."""
    out: list[str] = []
    plain_run: list[str] = []  # words with no capital, escaped together
    first = True
    for word in text.split():
        # Inlined `_needs_protection` for the common case (a word with no capital): titles are hot.
        if word.lower() == word or (first and not _needs_protection(word, first=True)):
            plain_run.append(word)
            first = False
            continue
        first = False
        if plain_run:
            out.append(escape(" ".join(plain_run), ascii_only=ascii_only))
            plain_run = []
        # Punctuation around the word stays outside the braces: `{Numbers}:`, not `{Numbers:}`.
        lead, core, trail = _WORD_CORE.match(word).groups()  # type: ignore[union-attr]
        escaped = escape(core, ascii_only=ascii_only)
        # `{\_Nor}` would be one BibTeX "special character", whose letters styles still lower-case.
        protected = "{{" + escaped + "}}" if escaped.startswith("\\") else "{" + escaped + "}"
        if lead:
            protected = escape(lead, ascii_only=ascii_only) + protected
        if trail:
            protected += escape(trail, ascii_only=ascii_only)
        out.append(protected)
    if plain_run:
        out.append(escape(" ".join(plain_run), ascii_only=ascii_only))
    return " ".join(out)


def pages(text: str, *, ascii_only: bool) -> str:
    """A page range with BibTeX's `--`: `22-32` -> `22--32`; other text is escaped."""
    parts = [part for part in _DASHES.split(text.strip()) if part]
    return "--".join(escape(part, ascii_only=ascii_only) for part in parts)


def verbatim(text: str, *, ascii_only: bool) -> str:
    """A URL or DOI as is, percent-encoding only what a braced value (or ASCII) cannot hold."""
    if text.isascii() and _VERBATIM_UNSAFE.search(text) is None:
        return text
    if ascii_only:
        return quote(text, safe=_VERBATIM_SAFE)
    return "".join(quote(c, safe=_VERBATIM_SAFE) if c.isascii() or c.isspace() else c for c in text)


def _braced_if(text: str, condition: bool) -> str:
    return "{" + text + "}" if condition else text


def _part(text: str, *, ascii_only: bool) -> str:
    """A name part, braced when BibTeX would split it (a comma, "and") or read it as empty (`-`)."""
    escaped = escape(text, ascii_only=ascii_only)
    splits = "," in text or _AND_WORD.search(text) is not None
    # BibTeX takes a hyphen as a separator between name tokens, like a space.
    empty = text[:1] == "-" or text[-1:] == "-" or not any(char.isalnum() for char in text)
    return _braced_if(escaped, splits or empty)


def name(person: Name, *, ascii_only: bool) -> str:
    """One name in BibTeX's `von Last, Jr, First` form, or one braced unit for a body or CJK name."""
    # The same people recur across a record (the owner above all): write each name once.
    key = (person, ascii_only)
    written = _name_cache.get(key)
    if written is None:
        if len(_name_cache) >= _NAME_CACHE_SIZE:
            _name_cache.clear()
        written = _name_cache[key] = _name(person, ascii_only=ascii_only)
    return written


def _name(person: Name, *, ascii_only: bool) -> str:
    if person.literal == OTHERS:
        return OTHERS  # unbraced: BibTeX's and biber's "et al." marker
    if person.literal is not None or person.is_cjk or not person.family:
        return "{" + escape(person.display(), ascii_only=ascii_only) + "}"
    family_words = person.family.split()
    # Words of one family name that BibTeX would split off as a "von" part or another name.
    split_risk = len(family_words) > 1 and any(not word[:1].isupper() for word in family_words)
    particle = person.particle
    if particle and _part(particle, ascii_only=ascii_only).startswith("{"):
        family = "{" + escape(f"{particle} {person.family}", ascii_only=ascii_only) + "}"
        particle = None
    elif split_risk:
        family = "{" + escape(person.family, ascii_only=ascii_only) + "}"
    else:
        family = _part(person.family, ascii_only=ascii_only)
    if not (person.given or person.suffix) and not split_risk:
        # Written alone (no comma), `A B`, `Smith-Jones` and `Van Gogh` read as First Last (BibTeX splits
        # tokens at spaces, hyphens and ties); only a lower-case particle starts a von part there. Such
        # a name with no given name stays one unit.
        if particle and not particle[:1].islower():
            family = "{" + escape(f"{particle} {person.family}", ascii_only=ascii_only) + "}"
            particle = None
        elif not particle and len(_NAME_TOKENS.split(person.family.strip())) > 1:
            family = "{" + escape(person.family, ascii_only=ascii_only) + "}"
    last = f"{escape(particle, ascii_only=ascii_only)} {family}" if particle else family
    if person.suffix and not person.given:
        # BibTeX refuses `Last, Jr, ` with an empty first part: the whole name is then one unit.
        return "{" + escape(f"{person.full_family}, {person.suffix}", ascii_only=ascii_only) + "}"
    parts = [last]
    if person.suffix:
        parts.append(_part(person.suffix, ascii_only=ascii_only))
    if person.given:
        parts.append(_part(person.given, ascii_only=ascii_only))
    return ", ".join(parts)


def names(people: Sequence[Name], *, ascii_only: bool) -> str:
    """An `author` or `editor` value: names joined by ` and `."""
    return " and ".join(name(person, ascii_only=ascii_only) for person in people)


class Bare(str):
    """A value written without braces: a month macro (`mar`), which BibTeX styles print in their language."""

    __slots__ = ()


def entry(entry_type: str, key: str, fields: Iterable[tuple[str, str | None]]) -> str:
    """One `@type{key, field = {value}, ...}` block; fields with no value are left out."""
    body = ",\n".join(
        [
            f"  {field} = {value}" if isinstance(value, Bare) else f"  {field} = {{{value}}}"
            for field, value in fields
            if value
        ]
    )
    return f"@{entry_type}{{{key},\n{body}\n}}\n" if body else f"@{entry_type}{{{key},\n}}\n"


# Entries (each ending in a newline) as one `.bib` file, separated by blank lines.
ENTRY_FRAME = EntryFrame(empty="", head="", separator="\n", tail="")


def entry_fields(
    work: Publication,
    *,
    ascii_only: bool,
    container_field: str,
    publisher_field: str,
    place_field: str,
    date_field: str,
    note: str | None,
    with_editors: bool = True,
    subtype: str | None = None,
    pubstate: str | None = None,
    number_is_issue: bool = True,
    entrysubtype: str | None = None,
) -> dict[str, str | None]:
    """A work's fields, escaped, in the order both dialects write them (their FIELD_ORDER).

    The dialects differ in field names (`journal` or `journaltitle`, `address` or `location`, `year` or
    `date`), ASCII or UTF-8 text, what goes in `note`, and the date: `bibtex` writes `year`, `month`
    (a macro) and `day`, `biblatex` one ISO `date`. `number` is the issue of an article
    (`number_is_issue`), else the number in a series (and the issue, if any, is `issue`). Fields with
    no place in either dialect's record (`extra`) come last, under their own names, where those are
    legal field names and not written already. A field whose value is None is left out by `entry`.
    """
    bibtex = date_field == "year"

    def text(value: str | None) -> str | None:
        return escape(value, ascii_only=ascii_only) if value else None

    container = work.container
    if container and container_field == "booktitle":
        container_text: str | None = title(container, ascii_only=ascii_only)
    else:
        container_text = text(container)
    full_title = work.title
    if bibtex and work.title and work.subtitle:
        # BibTeX styles know no `subtitle`: the title they print carries it (the importer splits it off).
        full_title = f"{work.title}: {work.subtitle}"
    if number_is_issue:
        number, issue = work.issue, None
    else:
        number, issue = work.number, work.issue
    if bibtex:
        date_values: dict[str, str | None] = {
            "year": str(work.year) if work.year is not None else None,
            "month": Bare(MONTH_MACROS[work.month - 1]) if work.month and work.year is not None else None,
            "day": str(work.day) if work.day and work.month and work.year is not None else None,
        }
    else:
        date_values = {"date": _iso_date(work)}
    keywords = list(dict.fromkeys((*work.tags, *work.keywords)))
    values: dict[str, str | None] = {
        "author": names(work.authors, ascii_only=ascii_only) if work.authors else None,
        "editor": names(work.editors, ascii_only=ascii_only) if work.editors and with_editors else None,
        "translator": names(work.translators, ascii_only=ascii_only) if work.translators else None,
        "title": title(full_title, ascii_only=ascii_only) if full_title else None,
        "subtitle": title(work.subtitle, ascii_only=ascii_only) if work.subtitle else None,
        "shorttitle": title(work.short_title, ascii_only=ascii_only) if work.short_title else None,
        container_field: container_text,
        "series": text(work.series),
        "volume": text(work.volume),
        "number": text(number),
        "issue": text(issue),
        "edition": text(work.edition),
        "pages": pages(work.pages, ascii_only=ascii_only) if work.pages else None,
        publisher_field: _braced_and(text(work.publisher), ascii_only),
        place_field: text(work.place),
        # A talk's event and its place: biblatex's `eventtitle` and `venue` (BibTeX styles skip them;
        # biber and our importer read them in either dialect).
        "eventtitle": text(work.event),
        "venue": text(work.event_place),
        "type": text(work.genre) or subtype,
        "entrysubtype": entrysubtype,
        **date_values,
        "origdate": str(work.original_year) if work.original_year is not None else None,
        "pubstate": pubstate,
        "isbn": text(work.isbn),
        "issn": text(work.issn),
        "eprint": verbatim(work.eprint, ascii_only=ascii_only) if work.eprint else None,
        "eprinttype": text(work.eprint_type),
        "note": paragraphs(note, ascii_only=ascii_only),
        "language": text(work.language),
        "doi": verbatim(work.doi, ascii_only=ascii_only) if work.doi else None,
        "url": verbatim(work.url, ascii_only=ascii_only) if work.url else None,
        "urldate": work.accessed,
        "keywords": escape(", ".join(keywords), ascii_only=ascii_only) if keywords else None,
        "abstract": paragraphs(work.abstract, ascii_only=ascii_only),
    }
    # A `crossref`, `xdata` or `xref` was followed on import (the values are in the record), and its target
    # may not be exported: written under another name, as the importer now keeps them.
    extras: dict[str, str] = {}
    for name_, raw in work.extra:
        field_name = _RESOLVED_LINKS.get(name_) or _bib_field_name(name_)
        while field_name in extras:  # `a.b` and `a:b` both become `a-b`: neither is lost
            field_name += "-2"
        extras[field_name] = raw
    if not bibtex and "year" in extras and work.month is None and _same_year(extras["year"], work.year):
        values["date"] = None  # `year = {circa 1850}` is the original of the date: written alone below
    for name_, raw in extras.items():
        if values.get(name_):
            values = _resolve_clash(name_, raw, values, extras, work, ascii_only=ascii_only)
            continue
        values[name_] = _extra_value(raw, ascii_only=ascii_only)
    return values


_RESOLVED_LINKS = {name: f"original_{name}" for name in ("crossref", "xdata", "xref")}


def _bib_field_name(name: str) -> str:
    """An `extra` key as a field name every BibTeX reader takes: `.`, `:` and `+` (CSL variables such as
    `custom.x`, some tools' fields) become `-`, a leading digit gets an `x`; written, never left out."""
    if LEGAL_FIELD_NAME.match(name):
        return name
    legal = re.sub(r"[^a-z0-9_-]", "-", name.lower())
    return legal if legal[:1].isalpha() else "x" + legal


# The importer fills one record field from the first of these that an entry has (importers/bibtex.py).
_FIELD_GROUPS: tuple[tuple[str, ...], ...] = (
    ("journal", "journaltitle", "booktitle", "maintitle", "howpublished"),
    ("publisher", "school", "institution", "organization"),
    ("address", "location"),
)
_DATE_FIELDS = frozenset({"year", "date"})


def _same_year(raw: str, year: int | None) -> bool:
    found = re.search(r"(?<![0-9])([0-9]{4})(?![0-9])", raw)
    return year is not None and found is not None and int(found.group(1)) == year


def _resolve_clash(
    name_: str,
    raw: str,
    values: dict[str, str | None],
    extras: dict[str, str],
    work: Publication,
    *,
    ascii_only: bool,
) -> dict[str, str | None]:
    """An `extra` field named as a field written from the record: never dropped (issue #11).

    A `year` or `date` the record's year was read from (`circa 1850`, `2011-05/2012-06`) is the verbatim
    original: it replaces the written one and reads back to the same year, as does a field kept as
    written for its `\\href` address (the record has the text, not the address). A field of a group the
    importer takes the first of (a @misc's `howpublished` beside the `journal` its container came from)
    moves the record's value to a name of the group read before it. Anything else is written as
    `name-2`, the importer's own name for a second value of a field.
    """
    if name_ in _DATE_FIELDS and _same_year(raw, work.year) and (name_ == "year" or work.month is None):
        values[name_] = _extra_value(raw, ascii_only=ascii_only)
        return values
    if "\\href" in raw and (name_ != "note" or work.status == "published"):
        values[name_] = _extra_value(raw, ascii_only=ascii_only)  # the field as written, its address kept
        return values
    for group in _FIELD_GROUPS:
        if name_ not in group:
            continue
        first_extra = min(group.index(other) for other in group if other in extras)
        free = [other for other in group[:first_extra] if other not in extras and not values.get(other)]
        if free:
            renamed = {(free[0] if key == name_ else key): value for key, value in values.items()}
            renamed[name_] = _extra_value(raw, ascii_only=ascii_only)
            return renamed
    number = 2
    while values.get(f"{name_}-{number}") or f"{name_}-{number}" in extras:
        number += 1
    values[f"{name_}-{number}"] = _extra_value(raw, ascii_only=ascii_only)
    return values


def _iso_date(work: Publication) -> str | None:
    if work.year is None:
        return None
    if work.month is None:
        return str(work.year)
    if work.day is None:
        return f"{work.year}-{work.month:02d}"
    return f"{work.year}-{work.month:02d}-{work.day:02d}"


def _braced_and(value: str | None, ascii_only: bool) -> str | None:
    """A publisher naming two bodies with ` and ` (`Chapman and Hall`) braced whole: biblatex's
    publisher is a list split at ` and `, so unbraced it would read as two publishers."""
    if value is None or ascii_only or _AND_WORD.search(value) is None:
        return value
    return "{" + value + "}"


def _balanced(text: str) -> bool:
    depth = 0
    for found in re.finditer(r"\\.|[{}]", text, re.DOTALL):
        depth += {"{": 1, "}": -1}.get(found.group(), 0)
        if depth < 0:
            return False
    return depth == 0


def _extra_value(raw: str, *, ascii_only: bool) -> str:
    """An `extra` value as it came from a .bib file (LaTeX kept): written as is when its braces balance,
    else escaped as text; non-ASCII as LaTeX commands in the `bibtex` dialect."""
    value = " ".join(raw.split())
    if not _balanced(value):
        return escape(value, ascii_only=ascii_only)
    if ascii_only and not value.isascii():
        value = _ASCII_TARGET.sub(_ascii_match, unicodedata.normalize("NFC", value))
    return value
