"""From strictly-loaded YAML to typed records, reporting every problem with its file, line and column.

Each `read_*` function takes what `yamlio.load_text` gave and returns the records it could build
plus the problems it found; a caller decides whether errors are fatal.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from typing import Any

from scholarcli.errors import Problem
from scholarcli.model import (
    CSL_TYPES,
    ID_PATTERN,
    LINK_LABELS,
    PUBLICATION_FIELDS,
    ROLES,
    STATUSES,
    THEME_ID_PATTERN,
    Name,
    Profile,
    Publication,
    Theme,
    parse_name,
)
from scholarcli.store.yamlio import YamlList, YamlMap
from scholarcli.text import did_you_mean

PROFILE_FIELDS = (
    "name",
    "native_name",
    "name_variants",
    "field",
    "affiliation",
    "homepage",
    "orcid",
    "email",
)
THEME_FIELDS = ("id", "title", "summary")
NAME_PARTS = ("family", "given", "particle", "suffix", "literal")
NAME_KEYS = (*NAME_PARTS, "role")  # what a name mapping may hold: its parts and an author's roles
_PLAIN_TEXT_FIELDS = ("container", "volume", "issue", "publisher", "place", "note", "abstract")
_MULTILINE_FIELDS = frozenset({"abstract", "note", "summary"})
_YEAR = re.compile(r"^[0-9]{4}$")
# A DOI, or a short DOI (`10/fqd6hj`, resolved by doi.org like the long form).
_DOI = re.compile(r"^(?:10\.[0-9]{4,9}/\S+|10/[A-Za-z0-9]+)$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_URL = re.compile(r"^https?://\S+$")
_ORCID = re.compile(r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$")
# Bidirectional overrides can make text display in an order other than it reads (a spoofing trick).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI = re.compile("[" + "".join(sorted(_BIDI_CONTROLS)) + "]")
# Unicode category Cc is exactly C0, DEL and C1; multi-line fields may also hold newlines and tabs.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_MULTILINE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI_CONTROLS)) + "]")
# Years run from the earliest plausible reprint to a few years ahead (forthcoming volumes).
_LATEST_YEAR_AHEAD = 5


# One rule per field -----------------------------------------------------------------------------------
# Each returns the message `scholar check` gives for a bad value (None when the value is good). The
# loader below uses them, and so do the write commands for what they take on the command line, so a
# value is judged by one rule with one message wherever it comes from.


def latest_year(today: datetime.date | None = None) -> int:
    """The latest year a work may have: a few years ahead, for forthcoming volumes."""
    return (today or datetime.date.today()).year + _LATEST_YEAR_AHEAD


def id_problem(publication_id: str) -> str | None:
    if ID_PATTERN.match(publication_id):
        return None
    return f"id '{publication_id}' must use only letters, digits and _:./+-"


def type_problem(kind: str) -> str | None:
    return None if kind in CSL_TYPES else f"unknown type '{kind}'{did_you_mean(kind, CSL_TYPES)}"


def status_problem(status: str) -> str | None:
    if status in STATUSES:
        return None
    return f"unknown status '{status}'{did_you_mean(status, STATUSES)}; one of {', '.join(STATUSES)}"


def year_problem(year: str, latest: int | None = None) -> str | None:
    """Four ASCII digits from 1000 to `latest_year()` (`²⁰²⁰` and `٢٠٢٠` are digits to Python, not years)."""
    latest = latest_year() if latest is None else latest
    if _YEAR.match(year) and 1000 <= int(year) <= latest:
        return None
    return f"year '{year}' must be a four-digit year up to {latest}"


def doi_problem(doi: str) -> str | None:
    bare = _DOI_PREFIX.sub("", doi)
    if not _DOI.match(bare):
        return f"'{doi}' is not a DOI (10.NNNN/...)"
    if bare != doi:
        return f"write the bare DOI '{bare}' without the prefix"
    return None


def url_problem(url: str, key: str = "url") -> str | None:
    return None if _URL.match(url) else f"'{key}' must start with http:// or https://"


def theme_problem(theme_id: str, known_themes: Iterable[str]) -> str | None:
    known = tuple(known_themes)
    return None if theme_id in known else f"unknown theme '{theme_id}'{did_you_mean(theme_id, known)}"


def flag_problem(flag: str, key: str = "equal_contribution") -> str | None:
    """A yes/no field is exactly `true` or `false` (not `yes`, `on`, `True` or `1`)."""
    return None if flag in ("true", "false") else f"'{key}' must be true or false"


class _Checker:
    """Collects problems for one file; helpers return None for a value that is wrong."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        # A store names the same people again and again: each distinct spelling is parsed once.
        self.parsed_names: dict[str, Name] = {}

    def error(self, mark: tuple[int, int], message: str, field: str | None = None) -> None:
        self.problems.append(Problem(self.path, mark[0], mark[1], message, "error", field))

    def warning(self, mark: tuple[int, int], message: str, field: str | None = None) -> None:
        self.problems.append(Problem(self.path, mark[0], mark[1], message, "warning", field))

    def sorted_problems(self) -> list[Problem]:
        """In file order; problems on one line keep the order they were found in."""
        return sorted(self.problems, key=lambda problem: (problem.line, problem.column))

    def mapping(self, value: Any, mark: tuple[int, int], what: str) -> YamlMap | None:
        if isinstance(value, YamlMap):
            return value
        if value is not None:
            self.error(mark, f"{what} must be a mapping of 'field: value' lines")
        return None

    def unknown_fields(self, record: YamlMap, allowed: tuple[str, ...], what: str) -> None:
        for key, mark in record.key_marks.items():
            if key not in allowed:
                hint = did_you_mean(key, allowed)
                self.error(mark, f"unknown field '{key}' in {what}{hint}", key)

    def text(self, record: YamlMap, key: str, *, required: bool = False) -> str | None:
        """A text field: present, a string, not empty, free of control characters."""
        mark = record.value_marks.get(key) or (record.line, record.column)
        if key not in record:
            if required:
                self.error((record.line, record.column), f"missing required field '{key}'", key)
            return None
        value = record[key]
        if value is None:  # already reported by the YAML reader
            return None
        if not isinstance(value, str):
            self.error(
                mark, f"'{key}' must be text, not a {'list' if isinstance(value, list) else 'mapping'}", key
            )
            return None
        return self.clean_text(value, mark, key)

    def clean_text(self, value: str, mark: tuple[int, int], key: str) -> str | None:
        stripped = value.strip()
        if not stripped:
            self.error(mark, f"'{key}' is empty; give a value or remove the field", key)
            return None
        # Regular-expression scans instead of a Python loop per character (the hot path of a cache
        # miss): one scan finds most values clean; the first match is the first offending character.
        if _SUSPECT.search(stripped) is not None:
            control = (_MULTILINE_CONTROL if key in _MULTILINE_FIELDS else _CONTROL).search(stripped)
            if control is not None:
                char = control.group()
                self.error(mark, f"'{key}' contains the control character U+{ord(char):04X}; remove it", key)
                return None
            if _BIDI.search(stripped) is not None:
                bidi = sorted({f"U+{ord(c):04X}" for c in stripped if c in _BIDI_CONTROLS})
                self.warning(
                    mark, f"'{key}' contains the invisible bidirectional control {', '.join(bidi)}", key
                )
        if key not in _MULTILINE_FIELDS:
            # One-line fields: a YAML folded line break or doubled space is layout, not content.
            stripped = " ".join(stripped.split())
        return stripped

    def text_list(self, record: YamlMap, key: str) -> tuple[tuple[str, tuple[int, int]], ...] | None:
        """A list of texts (a single text is accepted as a list of one)."""
        if key not in record or record[key] is None:
            return None
        value = record[key]
        mark = record.value_marks[key]
        if isinstance(value, str):
            text = self.clean_text(value, mark, key)
            return ((text, mark),) if text is not None else None
        if not isinstance(value, YamlList):
            self.error(mark, f"'{key}' must be a list", key)
            return None
        if not value:
            self.error(mark, f"'{key}' is an empty list; give at least one item or remove the field", key)
            return None
        items = []
        for item, item_mark in zip(value, value.item_marks, strict=True):
            if item is None:
                continue
            if not isinstance(item, str):
                self.error(item_mark, f"each item of '{key}' must be text", key)
                continue
            text = self.clean_text(item, item_mark, key)
            if text is not None:
                items.append((text, item_mark))
        return tuple(items)


def read_profile(data: Any, path: str) -> tuple[Profile | None, list[Problem]]:
    """The owner's profile from `profile.yaml`."""
    checker = _Checker(path)
    record = checker.mapping(data, (1, 1), "profile.yaml")
    if data is None:
        checker.error((0, 0), "the profile is empty; give at least 'name: Your Name'")
    if record is None:
        return None, checker.problems
    checker.unknown_fields(record, PROFILE_FIELDS, "the profile")
    name = checker.text(record, "name", required=True)
    variants = checker.text_list(record, "name_variants") or ()
    orcid = checker.text(record, "orcid")
    if orcid is not None and not _ORCID.match(orcid.removeprefix("https://orcid.org/")):
        checker.error(
            record.value_marks["orcid"], f"'{orcid}' is not an ORCID (0000-0000-0000-0000)", "orcid"
        )
    homepage = checker.text(record, "homepage")
    homepage_problem = url_problem(homepage, "homepage") if homepage is not None else None
    if homepage_problem is not None:
        checker.error(record.value_marks["homepage"], homepage_problem, "homepage")
    if name is None:
        return None, checker.problems
    profile = Profile(
        name=name,
        native_name=checker.text(record, "native_name"),
        name_variants=tuple(text for text, _ in variants),
        field=checker.text(record, "field"),
        affiliation=checker.text(record, "affiliation"),
        homepage=homepage,
        orcid=orcid.removeprefix("https://orcid.org/") if orcid else None,
        email=checker.text(record, "email"),
    )
    return profile, checker.sorted_problems()


def read_themes(data: Any, path: str) -> tuple[tuple[Theme, ...], list[Problem]]:
    """The ordered themes from `themes.yaml`."""
    checker = _Checker(path)
    if data is None:
        return (), checker.problems
    if not isinstance(data, YamlList):
        checker.error((1, 1), "themes.yaml must be a list of themes, each starting with '- id: ...'")
        return (), checker.problems
    themes: list[Theme] = []
    seen: dict[str, int] = {}
    for item, mark in zip(data, data.item_marks, strict=True):
        record = checker.mapping(item, mark, "each theme")
        if record is None:
            continue
        checker.unknown_fields(record, THEME_FIELDS, "a theme")
        theme_id = checker.text(record, "id", required=True)
        title = checker.text(record, "title", required=True)
        summary = checker.text(record, "summary")
        if theme_id is not None:
            id_mark = record.value_marks["id"]
            if not THEME_ID_PATTERN.match(theme_id):
                checker.error(
                    id_mark, f"theme id '{theme_id}' must be lower-case words joined by '-' (a slug)", "id"
                )
                continue
            if theme_id in seen:
                checker.error(
                    id_mark, f"duplicate theme id '{theme_id}' (first on line {seen[theme_id]})", "id"
                )
                continue
            seen[theme_id] = id_mark[0]
        if theme_id is not None and title is not None:
            themes.append(Theme(theme_id, title, summary))
    return tuple(themes), checker.sorted_problems()


def read_publications(
    data: Any,
    path: str,
    theme_ids: Iterable[str],
    *,
    today: datetime.date | None = None,
    other_ids: Iterable[str] = (),
) -> tuple[tuple[Publication, ...], list[Problem]]:
    """The works from `publications.yaml`, checked against the store's themes.

    `other_ids`: the ids of the store's other works, when `data` is only some of them (a write reads
    back the records it changes): a preprint link may name one of those.
    """
    checker = _Checker(path)
    if data is None:
        return (), checker.problems
    if not isinstance(data, YamlList):
        checker.error((1, 1), "publications.yaml must be a list of records, each starting with '- id: ...'")
        return (), checker.problems
    known_themes = tuple(theme_ids)
    latest = latest_year(today)
    publications: list[Publication] = []
    seen: dict[str, tuple[str, int]] = {}
    for item, mark in zip(data, data.item_marks, strict=True):
        record = checker.mapping(item, mark, "each publication")
        if record is None:
            continue
        publication = _read_publication(checker, record, known_themes, latest)
        if publication is None:
            continue
        folded = publication.id.casefold()
        if folded in seen:
            first_id, first_line = seen[folded]
            checker.error(
                record.value_marks["id"],
                f"duplicate id '{publication.id}' (ids are compared ignoring case; '{first_id}' is on line "
                f"{first_line})",
                "id",
            )
            continue
        seen[folded] = (publication.id, record.value_marks["id"][0])
        publications.append(publication)
    _check_preprint_links(checker, publications, frozenset(map(str.casefold, other_ids)))
    return tuple(publications), checker.sorted_problems()


def _read_publication(
    checker: _Checker, record: YamlMap, known_themes: tuple[str, ...], latest: int
) -> Publication | None:
    """One record; None when it has an error (the problems say which)."""
    errors_before = sum(p.severity == "error" for p in checker.problems)
    here = (record.line, record.column)
    checker.unknown_fields(record, PUBLICATION_FIELDS, "a publication")

    publication_id = checker.text(record, "id", required=True)
    problem = id_problem(publication_id) if publication_id is not None else None
    if problem is not None:
        checker.error(record.value_marks["id"], problem, "id")
    kind = checker.text(record, "type", required=True)
    problem = type_problem(kind) if kind is not None else None
    if problem is not None:
        checker.error(record.value_marks["type"], problem, "type")
    status = checker.text(record, "status") or "published"
    problem = status_problem(status)
    if problem is not None:
        checker.error(record.value_marks["status"], problem, "status")
    authors = _names(checker, record, "authors")
    editors = _names(checker, record, "editors")
    # A record without names or a year is accepted with a warning (a page by an organisation, an
    # undated manuscript): BibTeX, biber and citeproc read such works, and the citation says "n.d.".
    who = f"'{publication_id}'" if publication_id else "this record (its id is missing or empty)"
    if "authors" not in record and "editors" not in record:
        checker.warning(here, f"{who} has no authors or editors", "authors")

    year: int | None = None
    year_text = checker.text(record, "year")
    if year_text is not None:
        problem = year_problem(year_text, latest)
        if problem is not None:
            checker.error(record.value_marks["year"], problem, "year")
        else:
            year = int(year_text)
    elif "year" not in record and status == "published":
        checker.warning(here, f"{who} has no year", "year")

    doi = checker.text(record, "doi")
    problem = doi_problem(doi) if doi is not None else None
    if problem is not None:
        checker.error(record.value_marks["doi"], problem, "doi")
    url = checker.text(record, "url")
    problem = url_problem(url) if url is not None else None
    if problem is not None:
        checker.error(record.value_marks["url"], problem, "url")

    themes = checker.text_list(record, "themes") or ()
    for theme_id, theme_mark in themes:
        problem = theme_problem(theme_id, known_themes)
        if problem is not None:
            checker.error(theme_mark, problem, "themes")
    tags = checker.text_list(record, "tags") or ()
    added = _read_added_fields(checker, record, year)
    added.update(_read_cv_fields(checker, record))

    equal_contribution = False
    flag = checker.text(record, "equal_contribution")
    if flag is not None:
        problem = flag_problem(flag)
        if problem is not None:
            checker.error(record.value_marks["equal_contribution"], problem)
        equal_contribution = flag == "true"

    # Every remaining field is read now, before the error count, so all its problems are reported.
    title = checker.text(record, "title")
    pages = checker.text(record, "pages")
    # Any: the keys are Publication's text fields, which mypy cannot tell from its other fields.
    plain: dict[str, Any] = {key: checker.text(record, key) for key in _PLAIN_TEXT_FIELDS}
    # (`who`, above: a record whose id is missing or empty is not called 'None'.)
    if title is None and "title" not in record:
        checker.warning(here, f"{who} has no title", "title")
    if status == "published" and kind in ("article-journal", "chapter", "paper-conference"):
        if pages is None and "pages" not in record:
            checker.warning(here, f"{who} is published but has no pages", "pages")
        if doi is None and "doi" not in record:
            checker.warning(here, f"{who} is published but has no DOI", "doi")

    if sum(p.severity == "error" for p in checker.problems) > errors_before:
        return None
    assert publication_id is not None and kind is not None  # noqa: PT018 - guaranteed by the error count
    return Publication(
        id=publication_id,
        type=kind,
        title=title,
        authors=authors,
        editors=editors,
        year=year,
        status=status,
        pages=pages,
        doi=doi,
        url=url,
        themes=tuple(theme_id for theme_id, _ in themes),
        tags=tuple(tag for tag, _ in tags),
        equal_contribution=equal_contribution,
        **plain,
        **added,
    )


def _names(checker: _Checker, record: YamlMap, key: str) -> tuple[Name, ...]:
    if key not in record or record[key] is None:
        return ()
    value = record[key]
    mark = record.value_marks[key]
    if isinstance(value, (str, YamlMap)):
        value_list = YamlList([value])
        value_list.item_marks = [mark]
        value = value_list
    if not isinstance(value, YamlList):
        checker.error(mark, f"'{key}' must be a list of names", key)
        return ()
    if not value:
        checker.error(mark, f"'{key}' is an empty list; give at least one name or remove the field", key)
        return ()
    names = []
    for item, item_mark in zip(value, value.item_marks, strict=True):
        name = _name(checker, item, item_mark, key)
        if name is not None:
            names.append(name)
    return tuple(names)


def _name(checker: _Checker, item: Any, mark: tuple[int, int], key: str) -> Name | None:
    if isinstance(item, str):
        text = checker.clean_text(item, mark, key)
        if text is None:
            return None
        parsed = checker.parsed_names.get(text)
        if parsed is not None:
            return parsed
        try:
            parsed = parse_name(text)
        except ValueError as exc:
            checker.error(mark, str(exc), key)
            return None
        checker.parsed_names[text] = parsed
        return parsed
    if isinstance(item, YamlMap):
        for part, part_mark in item.key_marks.items():
            if part not in NAME_KEYS:
                checker.error(part_mark, f"unknown name part '{part}'{did_you_mean(part, NAME_KEYS)}", key)
        parts = {part: checker.text(item, part) for part in NAME_PARTS if part in item}
        if "literal" in parts and len(parts) > 1:
            checker.error(mark, "a name is either {literal: ...} or {family, given, ...}, not both", key)
            return None
        if "literal" not in parts and "family" not in parts:
            checker.error(mark, "a name needs 'family' (or 'literal' for an organisation)", key)
            return None
        roles = _roles(checker, item, key)
        if any(value is None for value in parts.values()) or roles is None:
            return None
        return Name(**parts, roles=roles)
    if item is not None:
        checker.error(mark, f"each of '{key}' must be 'Family, Given' or a mapping", key)
    return None


def role_problem(role: str) -> str | None:
    """Why `role` is not an author role, or None when it is one."""
    if role in ROLES:
        return None
    return f"unknown role '{role}'{did_you_mean(role, ROLES)}; one of {', '.join(ROLES)}"


def _roles(checker: _Checker, item: YamlMap, key: str) -> tuple[str, ...] | None:
    """A name mapping's `role`: one role or a list of them, for authors only; in ROLES order, each
    once. None when it is wrong (reported)."""
    if "role" not in item or item["role"] is None:
        return ()
    mark = item.value_marks["role"]
    if key != "authors":
        checker.error(item.key_marks["role"], f"'role' is for authors only, not {key}", key)
        return None
    value = item["role"]
    items: list[tuple[object, tuple[int, int]]]
    if isinstance(value, YamlList):
        if not value:
            checker.error(mark, "'role' is an empty list; give at least one role or remove it", key)
            return None
        items = list(zip(value, value.item_marks, strict=True))
    else:
        items = [(value, mark)]
    found: set[str] = set()
    for role, role_mark in items:
        if not isinstance(role, str):
            checker.error(role_mark, f"each role must be one of {', '.join(ROLES)}", key)
            return None
        problem = role_problem(role.strip())
        if problem is not None:
            checker.error(role_mark, problem, key)
            return None
        found.add(role.strip())
    return tuple(role for role in ROLES if role in found)


# The fields issue #11 added (model.NEW_FIELDS): each rule below, called once per record ------------

_ADDED_TEXT_FIELDS = ("subtitle", "short_title", "series", "number", "edition", "genre", "eprint", "language")
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_EXTRA_KEY = re.compile(r"^[a-z0-9_][a-z0-9_:.+-]*$")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")  # fmt: skip


def isbn_problem(text: str) -> str | None:
    """Why `text` is not an ISBN-10 or ISBN-13 (hyphens and spaces allowed), or None when it is one."""
    digits = text.replace("-", "").replace(" ", "").upper()
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        values = [int(c) for c in digits[:9]] + [10 if digits[9] == "X" else int(digits[9])]
        if sum((10 - n) * v for n, v in enumerate(values)) % 11 == 0:
            return None
        return f"'{text}' is not a valid ISBN-10: its check digit is wrong"
    if len(digits) == 13 and digits.isdigit():
        if sum(int(c) * (3 if n % 2 else 1) for n, c in enumerate(digits)) % 10 == 0:
            return None
        return f"'{text}' is not a valid ISBN-13: its check digit is wrong"
    return f"'{text}' is not an ISBN (10 or 13 digits, hyphens allowed)"


def issn_problem(text: str) -> str | None:
    """Why `text` is not an ISSN (`NNNN-NNNC`), or None when it is one."""
    digits = text.replace("-", "").upper()
    if len(digits) != 8 or not digits[:7].isdigit() or not (digits[7].isdigit() or digits[7] == "X"):
        return f"'{text}' is not an ISSN (NNNN-NNNC)"
    check = (11 - sum((8 - n) * int(c) for n, c in enumerate(digits[:7])) % 11) % 11
    if (10 if digits[7] == "X" else int(digits[7])) != check:
        return f"'{text}' is not a valid ISSN: its check digit is wrong"
    return None


def _number(checker: _Checker, record: YamlMap, key: str, low: int, high: int, message: str) -> int | None:
    text = checker.text(record, key)
    if text is None:
        return None
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        checker.error(record.value_marks[key], f"{key} '{text}' {message}", key)
        return None
    return int(text)


def _read_added_fields(checker: _Checker, record: YamlMap, year: int | None) -> dict[str, Any]:
    """The issue #11 fields of one record, each checked; a wrong one is reported and left out."""
    values: dict[str, Any] = {key: checker.text(record, key) for key in _ADDED_TEXT_FIELDS}
    month = _number(checker, record, "month", 1, 12, "must be a month number from 1 to 12")
    values["month"] = month
    day_text = checker.text(record, "day")
    values["day"] = None
    if day_text is not None:
        mark = record.value_marks["day"]
        # 29 February only in a leap year; without a year any day the month ever has is allowed.
        last = calendar.monthrange(year if year is not None else 2000, month)[1] if month else 31
        if not day_text.isascii() or not day_text.isdigit() or not 1 <= int(day_text) <= last:
            where = f"{_MONTH_NAMES[month - 1]} {year or ''}".strip() if month else "a month"
            checker.error(mark, f"day '{day_text}' is not a day of {where} (1 to {last})", "day")
        elif "month" not in record:
            checker.error(mark, "'day' needs a 'month'", "day")
        else:
            values["day"] = int(day_text)
    original = checker.text(record, "original_year")
    values["original_year"] = None
    if original is not None:
        if not _YEAR.match(original):
            checker.error(
                record.value_marks["original_year"],
                f"original_year '{original}' must be a four-digit year",
                "original_year",
            )
        else:
            values["original_year"] = int(original)
    for key, rule in (("isbn", isbn_problem), ("issn", issn_problem)):
        text = checker.text(record, key)
        if text is not None and (problem := rule(text)) is not None:
            checker.error(record.value_marks[key], problem, key)
        values[key] = text
    eprint_type = checker.text(record, "eprint_type")
    if eprint_type is not None and not _SLUG.match(eprint_type):
        checker.error(
            record.value_marks["eprint_type"],
            f"eprint_type '{eprint_type}' must be a lower-case word such as arxiv or pubmed",
            "eprint_type",
        )
    if eprint_type is not None and "eprint" not in record:
        checker.error(record.value_marks["eprint_type"], "'eprint_type' needs an 'eprint'", "eprint_type")
    values["eprint_type"] = eprint_type
    accessed = checker.text(record, "accessed")
    if accessed is not None:
        valid = _ISO_DATE.match(accessed) is not None
        if valid:
            try:
                datetime.date.fromisoformat(accessed)
            except ValueError:
                valid = False
        if not valid:
            checker.error(
                record.value_marks["accessed"],
                f"accessed '{accessed}' must be a date, YYYY-MM-DD",
                "accessed",
            )
    values["accessed"] = accessed
    values["translators"] = _names(checker, record, "translators")
    values["keywords"] = tuple(word for word, _ in checker.text_list(record, "keywords") or ())
    values["extra"] = _extra(checker, record)
    return values


def _extra(checker: _Checker, record: YamlMap) -> tuple[tuple[str, str], ...]:
    """`extra`: lower-case field names to text, the text kept verbatim (no spaces collapsed)."""
    if "extra" not in record or record["extra"] is None:
        return ()
    mapping = checker.mapping(record["extra"], record.value_marks["extra"], "'extra'")
    if mapping is None:
        return ()
    pairs = []
    for key, key_mark in mapping.key_marks.items():
        value = mapping[key]
        mark = mapping.value_marks.get(key, key_mark)
        if not _EXTRA_KEY.match(key):
            checker.error(
                key_mark, f"'extra' field name '{key}' must be lower-case letters, digits and _:.+-", "extra"
            )
            continue
        if not isinstance(value, str):
            if value is not None:
                checker.error(mark, f"'extra.{key}' must be text", "extra")
            continue
        control = _MULTILINE_CONTROL.search(value)
        if control is not None:
            checker.error(
                mark, f"'extra.{key}' contains the control character U+{ord(control.group()):04X}", "extra"
            )
            continue
        if not value.strip():
            checker.error(mark, f"'extra.{key}' is empty; give a value or remove it", "extra")
            continue
        pairs.append((key, value))
    return tuple(pairs)


# Issue #14's fields: links, award, featured and the preprint link ------------------------------------

_LINK_LABEL = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_RELATIONS = ("preprint_of", "published_as")


def _read_cv_fields(checker: _Checker, record: YamlMap) -> dict[str, Any]:
    """`links`, `award`, `featured`, `preprint_of` and `published_as` of one record, each checked."""
    values: dict[str, Any] = {"award": checker.text(record, "award"), "featured": False}
    values["event"] = checker.text(record, "event")
    values["event_place"] = checker.text(record, "event_place")
    if record.get("id") is not None and ("title" in record or "doi" in record):
        # Where a record starts, for the warnings across records (`_unlinked_preprints`).
        checker.__dict__.setdefault("record_marks", {})[record.get("id")] = (record.line, record.column)
    flag = checker.text(record, "featured")
    if flag is not None:
        problem = flag_problem(flag, "featured")
        if problem is not None:
            checker.error(record.value_marks["featured"], problem, "featured")
        values["featured"] = flag == "true"
    values["links"] = _links(checker, record)
    _flag_beside_roles(checker, record)
    for key in _RELATIONS:
        target = checker.text(record, key)
        if target is not None and (problem := id_problem(target)) is not None:
            checker.error(record.value_marks[key], f"'{key}': {problem}", key)
            target = None
        values[key] = target
        if target is not None:
            # Kept for the check across records (`_check_preprint_links`), which needs the place.
            checker.__dict__.setdefault("relation_marks", {})[(record.get("id"), key)] = record.value_marks[
                key
            ]
    preprint_of, published_as = values["preprint_of"], values["published_as"]
    if preprint_of and published_as and preprint_of != published_as:
        checker.error(
            record.value_marks["published_as"],
            f"'published_as' ({published_as}) and 'preprint_of' ({preprint_of}) name two works; they name "
            "the same published version, so give one",
            "published_as",
        )
    return values


def _flag_beside_roles(checker: _Checker, record: YamlMap) -> None:
    """`equal_contribution: true` with `role: equal` on some authors: the roles decide (a warning)."""
    if record.get("equal_contribution") != "true" or not isinstance(record.get("authors"), YamlList):
        return
    for author in record["authors"]:
        role = author.get("role") if isinstance(author, YamlMap) else None
        if role == "equal" or (isinstance(role, YamlList) and "equal" in role):
            checker.warning(
                record.value_marks["equal_contribution"],
                "'equal_contribution' is not used when authors have 'role: equal'; remove it",
                "equal_contribution",
            )
            return


def _links(checker: _Checker, record: YamlMap) -> tuple[tuple[str, str], ...]:
    """`links`: labels (`pdf`, `code`, ... or any lower-case slug) to http(s) addresses."""
    if "links" not in record or record["links"] is None:
        return ()
    mapping = checker.mapping(record["links"], record.value_marks["links"], "'links'")
    if mapping is None:
        return ()
    pairs = []
    for label, label_mark in mapping.key_marks.items():
        mark = mapping.value_marks.get(label, label_mark)
        if not _LINK_LABEL.match(label):
            hint = did_you_mean(label.lower(), LINK_LABELS)
            checker.error(
                label_mark,
                f"link label '{label}' must be a lower-case word such as {', '.join(LINK_LABELS[:3])}{hint}",
                "links",
            )
            continue
        url = checker.text(mapping, label)
        if url is None:
            continue
        problem = url_problem(url, f"links.{label}")
        if problem is not None:
            checker.error(mark, problem, "links")
            continue
        pairs.append((label, url))
    return tuple(pairs)


def _check_preprint_links(
    checker: _Checker, publications: list[Publication], other_ids: frozenset[str] = frozenset()
) -> None:
    """A preprint's link names a work of the store that is not itself linked as a preprint, and no two
    preprints name one published work; a preprint whose published version is here by DOI or title but
    not linked is a warning (`scholar check` says how to link them)."""
    marks: dict[tuple[object, str], tuple[int, int]] = checker.__dict__.get("relation_marks", {})
    by_id = {publication.id.casefold(): publication for publication in publications}
    claimed: dict[str, str] = {}
    for publication in publications:
        target_id = publication.published_version
        if target_id is None:
            continue
        key = "preprint_of" if publication.preprint_of else "published_as"
        mark = marks.get((publication.id, key), (1, 1))
        target = by_id.get(target_id.casefold())
        if target is None and target_id.casefold() in other_ids:
            continue  # a work this partial read does not hold; the store's own read checks the rest
        if target is None:
            hint = did_you_mean(target_id, [p.id for p in publications])
            checker.error(mark, f"'{key}': no work has the id '{target_id}'{hint}", key)
        elif target is publication:
            checker.error(mark, f"'{key}': a work cannot be its own published version", key)
        elif target.published_version is not None:
            checker.error(
                mark, f"'{key}': '{target.id}' is itself a preprint (of '{target.published_version}')", key
            )
        elif target.id in claimed:
            checker.error(
                mark, f"'{key}': '{claimed[target.id]}' is already the preprint of '{target.id}'", key
            )
        else:
            claimed[target.id] = publication.id
    _unlinked_preprints(checker, publications, claimed)


def is_preprint(publication: Publication) -> bool:
    """A preprint: CSL type `article` (CSL's preprint type), or a work with a `preprint` link only."""
    return publication.type == "article"


def _unlinked_preprints(checker: _Checker, publications: list[Publication], claimed: dict[str, str]) -> None:
    published: dict[str, Publication] = {}
    for publication in publications:
        if is_preprint(publication) or publication.published_version is not None:
            continue
        if publication.doi:
            published.setdefault("doi:" + publication.doi.casefold(), publication)
        if publication.title:
            published.setdefault("title:" + _title_key(publication.title), publication)
    if not published:
        return
    marks = checker.__dict__.get("record_marks", {})
    for publication in publications:
        if not is_preprint(publication) or publication.published_version is not None:
            continue
        keys = []
        if publication.doi:
            keys.append("doi:" + publication.doi.casefold())
        if publication.title:
            keys.append("title:" + _title_key(publication.title))
        match = next((published[key] for key in keys if key in published), None)
        if match is None or match.id in claimed:
            continue
        how = "DOI" if publication.doi and keys[0] in published else "title"
        checker.warning(
            marks.get(publication.id, (1, 1)),
            f"'{publication.id}' looks like a preprint of '{match.id}' (same {how}); link them with "
            f"'preprint_of: {match.id}'",
            "preprint_of",
        )


def _title_key(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", title.casefold()).split())
