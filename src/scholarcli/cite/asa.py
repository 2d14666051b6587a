"""ASA (American Sociological Association) reference-list citations, built in.

The rules follow the CSL style `american-sociological-association.csl` as citeproc (pandoc's CSL
engine) applies it: title case, name order and initials, page-range abbreviation ("1017–33"), and
where punctuation goes around quotes. Each record is formatted on its own: the style's year suffixes
for same-author, same-year works ("2004a") need the whole bibliography and are not added.

The issue #11 fields print where the style prints them: the subtitle after the title (`Title:
Subtitle`, the CSL-JSON export's title), the original year before the year (`[1893] 1984`), the
edition (`2nd ed.`), the series, the genre of a thesis, report, manuscript or dataset, month and day
of a magazine or newspaper article or a speech, the access date of an undated web page, and the
language (titles are title-cased only for English works). The style prints no translator unless one
stands in for a missing author, and never the series number, ISBN, ISSN, eprint, short title,
keywords or `extra`.

`citation()` builds styled text (`Rich`); a renderer turns it into plain text or Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from scholarcli.cite.styled import (
    EMPTY,
    MarkdownRenderer,
    PlainRenderer,
    Renderer,
    Rich,
    Span,
    affix,
    concat,
    join,
    plain,
    styled,
)
from scholarcli.model import Name, Publication, has_cjk

OwnerTest = Callable[[Name], bool]
# The marks after one author's name, as styled text (spans with `mark` set). The one place where a
# name's marks are decided: equal contribution today; issue #14's per-author roles (corresponding,
# student, senior) are added here and reach every renderer (Markdown, the LaTeX CV) at once.
NameMarks = Callable[[Name], Rich]

# Types whose title is italic and title-cased (a whole work); other titles go in quotes.
_ITALIC_TITLE_TYPES = frozenset(
    ("bill", "book", "graphic", "legal_case", "legislation", "motion_picture", "report", "song")
)
# Types whose citation ends with the DOI (or, without one, the URL).
_ACCESS_TYPES = frozenset(("article-journal", "report", "dataset"))
_WEB_TYPES = frozenset(("webpage", "post-weblog", "post"))


def doi_url(doi: str) -> str:
    """The doi.org link of a DOI, percent-encoded as the DOI Handbook's URL-encoding rules ask.

    A DOI may hold any printable character (`%`, `#`, `?`, `<>`, parentheses, spaces...), and each of
    those means something else in a URL or breaks it. Every character but `/` and RFC 3986's
    unreserved ones is encoded (non-ASCII as UTF-8 bytes); doi.org decodes them all. The result is
    also safe inside a Markdown link target.
    """
    if doi.startswith(("http://", "https://")):  # already a URL (not a valid store value): as written
        return doi
    from urllib.parse import quote  # here: most commands never write a DOI link

    return "https://doi.org/" + quote(doi, safe="/")


# --- text ----------------------------------------------------------------------------------------

_APOSTROPHE = re.compile(r"(?<=\w)'|'(?=\w)(?<!\s')|^'(?=\w)")
_DOUBLE_QUOTED = re.compile(r'"([^"]*)"')
_SINGLE_QUOTED = re.compile(r"(?<!\w)'([^']*)'(?!\w)")


def smart_text(text: str, *, inside_quotes: bool = False) -> str:
    """Straight quotes as CSL processors print them: apostrophes curl, quoted words get curly quotes.

    Quotes inside a title that is itself quoted alternate to single quotes (“A ‘B’ C”).
    """
    if "'" not in text and '"' not in text:
        return text
    inner_open, inner_close = ("‘", "’") if inside_quotes else ("“", "”")
    text = _DOUBLE_QUOTED.sub(lambda m: f"{inner_open}{m.group(1)}{inner_close}", text)
    text = _SINGLE_QUOTED.sub(lambda m: f"‘{m.group(1)}’", text)
    return text.replace("'", "’")


# citeproc's stop words: left in lower case inside a title.
_STOP_WORDS = frozenset(
    (
        *("a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor"),
        *("of", "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet"),
        *("about", "van", "von", "de", "d", "l"),  # citeproc adds these (name particles, "about")
    )
)
_WORD_BREAKS = frozenset("-/\u2013\u2014")


def _is_word_break(char: str) -> bool:
    return char in _WORD_BREAKS or char.isspace()


def title_case(text: str) -> str:
    """CSL title case: lower-case words are capitalised, except stop words inside the title.

    Words with a capital already (iPhone, NASA) are left alone; a word right after a colon or
    sentence end is capitalised even if it is a stop word, and so is the last word. The state
    machine is citeproc's: it walks runs of letters and digits, spaces, and single other characters.
    """
    text = " ".join(text.split())  # as pandoc reads it: words and single spaces
    tokens = _TOKENS.findall(text)
    last_space = text.rfind(" ")
    last_word = text[last_space + 1 :]
    # The last word gets its own state only when it is a plain word after others (citeproc's rule).
    last_start = (
        len(tokens) - len(_TOKENS.findall(last_word))
        if last_space >= 0 and last_word and _WORD_BREAK.search(last_word) is None
        else -1
    )
    state = "start"
    out: list[str] = []
    for index, piece in enumerate(tokens):
        if index == last_start and state in ("after-word-end", "start-sentence", "start"):
            state = "before-last-word"
        if piece.isalnum():
            out.append(_title_case_chunk(state, piece))
            state = "after-word-char"
        elif piece == " ":
            out.append(piece)
            state = "start-sentence" if state == "after-sentence-end" else "after-word-end"
        else:
            out.append(piece)
            state = _next_state(state, piece)
    return "".join(out)


_WORD_BREAK = re.compile(r"[-/\u2013\u2014\s]")
_TOKENS = re.compile(r"[^\W_]+|\s+|.", flags=re.DOTALL)


def _next_state(state: str, token: str) -> str:
    last = token[-1]
    if last in ".?!:":
        return "after-sentence-end"
    if last.isspace() and state == "after-sentence-end":
        return "start-sentence"
    if _is_word_break(last):
        return "after-word-end"
    return state  # other punctuation (brackets, quotes, `@`) leaves the state as it was


def _title_case_chunk(state: str, chunk: str) -> str:
    lower = chunk.lower()
    has_upper = lower != chunk
    if has_upper and chunk.upper() != chunk:  # mixed case: iPhone, McCarthy
        return chunk
    if has_upper and all(c.isupper() for c in chunk):  # NASA (but "3D" is lowered, as citeproc does)
        return chunk
    if state in ("start", "start-sentence") or (
        len(chunk) > 1
        and (state == "before-last-word" or (state == "after-word-end" and chunk not in _STOP_WORDS))
    ):
        return lower[:1].upper() + lower[1:]
    return chunk


def page_range(pages: str) -> str:
    """Pages with en dashes, abbreviated in the Chicago manner the style asks for (1017–33)."""
    parts = [part.strip() for part in re.split(r"([,&])", pages)]
    out: list[str] = []
    for part in parts:
        if not part:
            continue
        out.append(part if part in (",", "&") else _one_range(part))
    text = " ".join(out)
    return text.replace(" ,", ",")


def _one_range(text: str) -> str:
    if "\\-" in text:
        return text.replace("\\-", "-")
    ends = [end.strip() for end in re.split("[-\u2013]", text)]
    if len(ends) == 1:
        return ends[0]
    if len(ends) != 2:
        return text
    first, second = ends
    first_prefix, second_prefix = first.rstrip("0123456789"), second.rstrip("0123456789")
    if first_prefix != second_prefix:
        return f"{first}\u2013{second}"
    x, y = first[len(first_prefix) :], second[len(second_prefix) :]
    if len(y) < len(x):
        y = x[: len(x) - len(y)] + y
    if len(x) < 3 or x.endswith("00"):
        shown = y
    elif x[-2:-1] == "0":
        shown = _minimal(1, x, y)
    elif len(x) == 4 and sum(a != b for a, b in zip(x.ljust(len(y)), y, strict=False)) >= 3:
        shown = y
    else:
        shown = _minimal(2, x, y)
    return f"{first_prefix}{x}\u2013{shown}"


def _minimal(threshold: int, x: str, y: str) -> str:
    common = 0
    while common < min(len(x), len(y)) and x[common] == y[common]:
        common += 1
    if common == 0:
        return y
    rest = y[common:]
    if len(rest) < threshold and len(y) >= threshold:
        return y[-threshold:]
    return rest


def _is_plural_pages(pages: str) -> bool:
    return len(re.findall(r"[,;\-\u2013\s]+|[^,;\-\u2013\s]+", pages)) > 1


# --- dates, editions, language ------------------------------------------------------------------

# The en-US locale's month names (not the `calendar` module's: those follow the process locale).
MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


def month_day(month: int | None, day: int | None) -> str:
    """`March 4`, or `March` without a day: the style's "day-month" date; empty without a month."""
    if month is None or not 1 <= month <= 12:
        return ""
    return MONTHS[month - 1] if day is None else f"{MONTHS[month - 1]} {day}"


def text_date(iso: str) -> str:
    """An ISO date in the locale's long text form: `2024-03-01` -> `March 1, 2024`.

    The store holds full dates; a year or year-month (from a record built in code) prints what it has.
    """
    parts = iso.split("-")
    if not all(part.isdigit() for part in parts) or not 1 <= len(parts) <= 3:
        return iso
    year, *rest = (int(part) for part in parts)
    month = month_day(rest[0], rest[1] if len(rest) > 1 else None) if rest else ""
    if not month:
        return str(year)
    return f"{month}, {year}" if len(rest) > 1 else f"{month} {year}"


_ORDINAL_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def ordinal(number: int) -> str:
    """The en-US locale's ordinal: 1st, 2nd, 3rd, 4th; 11th to 13th (and 111th...) end in "th"."""
    if 11 <= number % 100 <= 13:
        return f"{number}th"
    return f"{number}{_ORDINAL_SUFFIXES.get(number % 10, 'th')}"


# A numeric edition as citeproc reads one: pieces without spaces, each with a digit, joined by
# hyphens, en dashes or commas ("2", "2nd", "2-3", "2, 3"). "2 & 3", "II" and "second" are text.
_NUMERIC_PIECE = r"[^\s,\-\u2013]*\d[^\s,\-\u2013]*"
_NUMERIC = re.compile(rf"{_NUMERIC_PIECE}(?:(?:,\s*|[-\u2013]){_NUMERIC_PIECE})*")
_NUMERIC_SEPARATOR = re.compile(r"(,\s*|[-\u2013])")


def edition_text(edition: str) -> str:
    """The style's edition macro: a numeric edition as an ordinal with "ed." (`2` -> `2nd ed.`), other
    text as written with a period (`Revised` -> `Revised.`; the period merges with a final one).

    Plain numbers become ordinals; pieces with letters (`2nd`, `2e`) stay as written; a hyphen
    between pieces prints as an en dash (`2-3` -> `2nd–3rd ed.`).
    """
    if _NUMERIC.fullmatch(edition) is None:
        return edition
    pieces = _NUMERIC_SEPARATOR.split(edition)
    shown = [
        ("\u2013" if piece == "-" else piece)
        if index % 2
        else (ordinal(int(piece)) if piece.isdigit() else piece)
        for index, piece in enumerate(pieces)
    ]
    return "".join(shown) + " ed."


_PRIMARY_LANGUAGE = re.compile(r"[A-Za-z]*")


def is_english(language: str | None) -> bool:
    """Whether a work is in English for title casing, as citeproc decides from `language`.

    CSL title-cases only English works: no language, or a tag whose primary subtag is "en" (`en`,
    `en-GB`, `EN_us`). Any other language name, even `english` or `eng`, is not "en". Text citeproc
    cannot read as a tag (no 2-8 letter primary subtag: `x`, `123`) leaves the style's locale, English.
    """
    if not language:
        return True
    primary = _PRIMARY_LANGUAGE.match(language)
    code = primary.group() if primary else ""
    return not 2 <= len(code) <= 8 or code.lower() == "en"


# --- names ---------------------------------------------------------------------------------------


def _is_cjk(name: Name) -> bool:
    return bool(name.family and has_cjk(name.family))


def _initials(given: str) -> str:
    """`Juan Pablo` -> `J. P.`, `Jean-Paul` -> `J.-P.`; initials already written stay as they are."""
    words = []
    for word in given.replace(".", ". ").split():
        parts = word.split("-")
        words.append("-".join(f"{part[0]}." if part and part[0].isalpha() else part for part in parts))
    return " ".join(words)


def _spaced_initials(given: str) -> str:
    """`J.P.` -> `J. P.`: names are not abbreviated, but run-together initials are spaced."""
    return " ".join(given.replace(".", ". ").split())


def name_text(name: Name, *, inverted: bool, initialize: bool) -> str:
    """One name as the style prints it: `Smith, John, Jr.` or `John Smith Jr.`, `刘春成`."""
    if name.literal is not None:
        return smart_text(name.literal)
    family = name.full_family
    if _is_cjk(name):
        return smart_text(f"{family}{name.given or ''}")
    given = name.given
    if given:
        given = _initials(given) if initialize else _spaced_initials(given)
    if inverted:
        text = ", ".join(part for part in (family, given, name.suffix) if part)
    else:
        text = " ".join(part for part in (given, family, name.suffix) if part)
    return smart_text(text)


def _names(
    names: Sequence[Name],
    *,
    first_inverted: bool,
    initialize: bool,
    always_serial_comma: bool,
    owner: OwnerTest | None,
    marks: NameMarks | None,
) -> Rich:
    rendered: list[Rich] = []
    for index, name in enumerate(names):
        text = name_text(name, inverted=first_inverted and index == 0, initialize=initialize)
        part = plain(text, bold=bool(owner and owner(name)))
        rendered.append(concat(part, marks(name)) if marks else part)
    if len(rendered) == 1:
        return rendered[0]
    if len(rendered) == 2:
        return join((rendered[0], rendered[1]), ", and " if always_serial_comma else " and ")
    return join((join(rendered[:-1], ", "), rendered[-1]), ", and ")


# --- the citation --------------------------------------------------------------------------------


class _Builder:
    """One record's citation, following the style's macros; tracks substituted variables."""

    def __init__(self, publication: Publication, owner: OwnerTest | None, marks: Mapping[str, str]) -> None:
        self.work = publication
        self.owner = owner
        self.marks = marks
        # Names are marked only when some author has a role that has a mark: the common case (no
        # roles) builds no marks at all.
        self.marker = bool(marks) and any(publication.author_roles(name) for name in publication.authors)
        self.used: set[str] = set()  # variables consumed by the author substitute, not repeated
        self.english = is_english(publication.language)  # the style title-cases English works only

    def case(self, text: str) -> str:
        """`text-case="title"`: title case for an English work, the text as written otherwise."""
        return title_case(text) if self.english else text

    def full_title(self) -> str:
        """The title with its subtitle (`Title: Subtitle`): the CSL-JSON export's one `title`."""
        work = self.work
        if work.title and work.subtitle:
            return f"{work.title}: {work.subtitle}"
        return work.title or ""

    def author(self) -> Rich:
        work = self.work
        if work.authors:
            return self._name_list(work.authors, marks=self.author_marks if self.marker else None)
        if work.editors or work.translators:
            return self._editor_translator()
        if work.type == "report" and work.publisher:
            self.used.add("publisher")
            return plain(smart_text(work.publisher))
        if work.title:
            self.used.add("title")
            return plain(smart_text(self.full_title()))
        return EMPTY

    def _editor_translator(self) -> Rich:
        """The substitute `<names variable="editor translator director"/>`: each list with its short
        label ("ed.", "tran."; the terms of pandoc's en-US locale), one right after the other (the
        style sets no delimiter between them); one person both editor and translator once, "ed. & tran."
        """
        work = self.work
        self.used.update(("editor", "translator"))
        if work.editors and work.editors == work.translators:
            label = ", eds. & trans." if len(work.editors) > 1 else ", ed. & tran."
            return concat(self._name_list(work.editors, marks=None), plain(label))
        lists = (
            (work.editors, ", eds." if len(work.editors) > 1 else ", ed."),
            (work.translators, ", trans." if len(work.translators) > 1 else ", tran."),
        )
        return join(
            concat(self._name_list(names, marks=None), plain(label)) for names, label in lists if names
        )

    def author_marks(self, name: Name) -> Rich:
        """The marks after an author's name (see `NameMarks`): one per role of the author on this work
        (`Publication.author_roles`, so `equal_contribution` marks every author), in ROLES order,
        each span's `mark` naming its role; a role with no mark in `marks` is not shown."""
        return tuple(
            Span(self.marks[role], mark=role) for role in self.work.author_roles(name) if self.marks.get(role)
        )

    def _name_list(self, names: Sequence[Name], *, marks: NameMarks | None) -> Rich:
        return _names(
            names,
            first_inverted=True,
            initialize=False,
            always_serial_comma=True,
            owner=self.owner,
            marks=marks,
        )

    def editor(self) -> Rich:
        if not self.work.editors or "editor" in self.used:
            return EMPTY
        names = _names(
            self.work.editors,
            first_inverted=False,
            initialize=True,
            always_serial_comma=False,
            owner=self.owner,
            marks=None,
        )
        return concat(plain("edited by "), names)

    def issued(self) -> bool:
        """Whether the work has a date (CSL `issued`): published or in press, with a year."""
        return self.work.is_out and self.work.year is not None

    def year(self) -> Rich:
        if self.issued():
            original = self.work.original_year
            # A reprint: the first edition's year in brackets before this one's, `[1893] 1984`.
            return plain(f"[{original}] {self.work.year}" if original else str(self.work.year))
        if self.work.status != "published":
            return plain(self.work.status_label.lower())
        return plain("n.d.")

    def title(self, *, extra_quotes: bool = False) -> Rich:
        work = self.work
        if not work.title or "title" in self.used:
            return EMPTY
        if work.type in _ITALIC_TITLE_TYPES:
            text = plain(self.case(smart_text(self.full_title())), italic=True)
        else:
            quoted = self.case(smart_text(self.full_title(), inside_quotes=True))
            text = plain(f"‘{quoted}’" if extra_quotes else quoted)
            text = affix(text, "“", "”")
        target = doi_url(work.doi) if work.doi else work.url
        if target and not self.access():  # the style prints no identifier: the title carries the link
            text = styled(text, link=target)
        return text

    def container(self, *, italic: bool = True, case: bool = True) -> Rich:
        if not self.work.container:
            return EMPTY
        text = smart_text(self.work.container)
        return plain(self.case(text) if case else text, italic=italic)

    def series(self, *, italic: bool = False, case: bool = True) -> Rich:
        """The series (CSL `collection-title`); its number (`collection-number`) the style never prints."""
        if not self.work.series:
            return EMPTY
        text = smart_text(self.work.series)
        return plain(self.case(text) if case else text, italic=italic)

    def edition(self) -> Rich:
        """The style's edition macro: `2nd ed.`, or text as written with a period (`Revised.`)."""
        if not self.work.edition:
            return EMPTY
        return affix(plain(edition_text(smart_text(self.work.edition))), suffix=".")

    def genre(self, *, italic: bool = False) -> Rich:
        return plain(smart_text(self.work.genre), italic=italic) if self.work.genre else EMPTY

    def day_month(self) -> Rich:
        """The style's "day-month" macro: `March 4` from the record's month and day (if dated)."""
        if not self.issued():
            return EMPTY
        return plain(month_day(self.work.month, self.work.day))

    def publisher(self) -> Rich:
        publisher = "" if "publisher" in self.used else (self.work.publisher or "")
        return join((plain(smart_text(self.work.place or "")), plain(smart_text(publisher))), ": ")

    def volume(self) -> Rich:
        volume = self.work.volume
        if not volume:
            return EMPTY
        return plain(f"{'Vols.' if _is_plural_pages(volume) else 'Vol.'} {smart_text(volume)}")

    def pages(self) -> Rich:
        return plain(page_range(self.work.pages)) if self.work.pages else EMPTY

    def pages_with_label(self) -> Rich:
        if not self.work.pages:
            return EMPTY
        label = "Pp." if _is_plural_pages(self.work.pages) else "P."
        return join((plain(label), self.pages()), " ")

    def access(self) -> Rich:
        work = self.work
        if work.type in _WEB_TYPES:
            # An undated page says when it was read: "Retrieved March 1, 2024".
            retrieved = (
                plain(f"Retrieved {text_date(work.accessed)}")
                if work.accessed and not self.issued()
                else EMPTY
            )
            url = plain(work.url, link=work.url) if work.url else EMPTY
            return join((retrieved, url), ". ")
        if work.type in _ACCESS_TYPES:
            if work.doi:
                return concat(plain("doi:"), plain(work.doi, link=doi_url(work.doi)))
            if work.url:
                return plain(work.url, link=work.url)
        return EMPTY

    def body(self) -> Rich:
        kind = self.work.type
        if kind in ("article-newspaper", "article-magazine"):
            # The edition here is the paper's ("late edition"), as written.
            edition = plain(smart_text(self.work.edition or ""))
            where = join((self.container(), self.day_month(), edition, self.pages()), ", ")
            return concat(affix(self.title(), suffix="."), affix(where, prefix=" "))
        edition_editor_publisher = (self.edition(), affix(self.editor(), suffix="."), self.publisher())
        if kind == "manuscript":
            rest = affix(join(edition_editor_publisher, ", "), prefix=" ")
            return join((self.title(extra_quotes=True), rest, self.genre()), ". ")
        if kind == "dataset":
            rest = affix(join(edition_editor_publisher, ", "), prefix=" ")
            title = join((self.title(), affix(self.genre(), "[", "]")), " ")
            return join((title, rest), ". ")
        if kind == "thesis":
            # The genre ("PhD thesis") goes between the editor and the publisher.
            details = (*edition_editor_publisher[:2], self.genre(), self.publisher())
            return concat(affix(self._thesis_title(), suffix="."), affix(join(details, ", "), prefix=" "))
        if kind in _ITALIC_TITLE_TYPES:
            # A report's genre ("Working paper") is italic; the series is title-cased, not italic.
            report = self.genre(italic=True) if kind == "report" else EMPTY
            return join(
                (
                    self.title(),
                    self.volume(),
                    self.edition(),
                    affix(self.editor(), suffix="."),
                    report,
                    self.series(),
                    self.publisher(),
                ),
                ". ",
            )
        if kind in ("chapter", "paper-conference"):
            where = join((self.container(case=False), self.volume()), ". ")
            where = (
                join((self.pages_with_label(), plain("in"), where), " ")
                if (where or self.work.pages)
                else EMPTY
            )
            # The series follows the book, italic and as written.
            series = self.series(italic=True, case=False)
            return join(
                (
                    affix(self.title(), suffix="."),
                    affix(join((where, series, self.editor()), ", "), suffix="."),
                    self.publisher(),
                ),
                " ",
            )
        if kind == "speech":
            # The style's `presented at` term is "presented at the" in pandoc's en-US locale.
            event = self.work.event
            presented = plain(f"Presented at the {smart_text(event)}") if event else EMPTY
            place = plain(smart_text(self.work.event_place or ""))
            return join((join((self.title(), presented), ". "), self.day_month(), place), ", ")
        if kind in _WEB_TYPES:
            return join((self.title(), self.publisher()), ". ")
        numbers = concat(plain(self.work.volume or ""), affix(plain(self.work.issue or ""), "(", ")"))
        where = join((numbers, self.pages()), ":")
        return join(
            (
                join((self.title(), self.editor()), " "),
                affix(join((self.container(), where), " "), suffix="."),
            ),
            ". ",
        )

    def _thesis_title(self) -> Rich:
        if not self.work.title or "title" in self.used:
            return EMPTY
        return affix(plain(self.case(smart_text(self.full_title(), inside_quotes=True))), "“", "”")

    def build(self) -> Rich:
        author = self.author()  # first: it decides which variables the substitute used up
        main = join((author, self.year(), self.body()), ". ")
        return concat(concat(main, affix(self.access(), prefix=". ")), plain("."))


def citation(
    publication: Publication,
    *,
    owner: OwnerTest | None = None,
    equal_marker: str = "",
    marks: Mapping[str, str] | None = None,
) -> Rich:
    """The ASA reference for one work as styled text.

    `owner` picks names to set in bold; `marks` maps each author role (model.ROLES) to the mark put
    after the names that have it (the CVs use `export.markdown.DEFAULT_MARKS` with a legend).
    `equal_marker` alone is the older form of `marks={"equal": equal_marker}`.
    """
    if marks is None:
        marks = {"equal": equal_marker} if equal_marker else {}
    return _Builder(publication, owner, marks).build()


def render_citation(publication: Publication, renderer: Renderer, **options: object) -> str:
    return renderer.render(citation(publication, **options))  # type: ignore[arg-type]


def plain_citation(publication: Publication) -> str:
    """The ASA reference as plain text, for terminals and `scholar show`."""
    return PlainRenderer().render(citation(publication))


def markdown_citation(
    publication: Publication, *, owner: OwnerTest | None = None, equal_marker: str = ""
) -> str:
    """The ASA reference as Markdown: italics, bold owner, DOI links, record text escaped."""
    return MarkdownRenderer().render(citation(publication, owner=owner, equal_marker=equal_marker))
