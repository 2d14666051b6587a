"""From strictly-loaded YAML to typed records, reporting every problem with its file, line and column.

Each `read_*` function takes what `yamlio.load_text` gave and returns the records it could build
plus the problems it found; a caller decides whether errors are fatal.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable
from typing import Any

from scholarcli.errors import Problem
from scholarcli.model import (
    CSL_TYPES,
    ID_PATTERN,
    PUBLICATION_FIELDS,
    STATUSES,
    THEME_ID_PATTERN,
    Extra,
    Name,
    Profile,
    Publication,
    Theme,
    parse_name,
)
from scholarcli.yamlio import YamlList, YamlMap

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


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or an empty string."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


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
    if homepage is not None and not _URL.match(homepage):
        checker.error(
            record.value_marks["homepage"], "'homepage' must start with http:// or https://", "homepage"
        )
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
    data: Any, path: str, theme_ids: Iterable[str], *, today: datetime.date | None = None
) -> tuple[tuple[Publication, ...], list[Problem]]:
    """The works from `publications.yaml`, checked against the store's themes."""
    checker = _Checker(path)
    if data is None:
        return (), checker.problems
    if not isinstance(data, YamlList):
        checker.error((1, 1), "publications.yaml must be a list of records, each starting with '- id: ...'")
        return (), checker.problems
    known_themes = tuple(theme_ids)
    latest_year = (today or datetime.date.today()).year + _LATEST_YEAR_AHEAD
    publications: list[Publication] = []
    seen: dict[str, tuple[str, int]] = {}
    for item, mark in zip(data, data.item_marks, strict=True):
        record = checker.mapping(item, mark, "each publication")
        if record is None:
            continue
        publication = _read_publication(checker, record, known_themes, latest_year)
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
    return tuple(publications), checker.sorted_problems()


def _read_publication(
    checker: _Checker, record: YamlMap, known_themes: tuple[str, ...], latest_year: int
) -> Publication | None:
    """One record; None when it has an error (the problems say which)."""
    errors_before = sum(p.severity == "error" for p in checker.problems)
    here = (record.line, record.column)
    checker.unknown_fields(record, PUBLICATION_FIELDS, "a publication")

    publication_id = checker.text(record, "id", required=True)
    if publication_id is not None and not ID_PATTERN.match(publication_id):
        checker.error(
            record.value_marks["id"],
            f"id '{publication_id}' must use only letters, digits and _:./+-",
            "id",
        )
    kind = checker.text(record, "type", required=True)
    if kind is not None and kind not in CSL_TYPES:
        checker.error(
            record.value_marks["type"], f"unknown type '{kind}'{did_you_mean(kind, CSL_TYPES)}", "type"
        )
    status = checker.text(record, "status") or "published"
    if status not in STATUSES:
        checker.error(
            record.value_marks["status"],
            f"unknown status '{status}'{did_you_mean(status, STATUSES)}; one of {', '.join(STATUSES)}",
            "status",
        )
    authors = _names(checker, record, "authors")
    editors = _names(checker, record, "editors")
    if "authors" not in record and "editors" not in record:
        checker.error(here, "missing required field 'authors' (or 'editors' for an edited book)", "authors")

    year: int | None = None
    year_text = checker.text(record, "year")
    if year_text is not None:
        year_mark = record.value_marks["year"]
        if not _YEAR.match(year_text) or not 1000 <= int(year_text) <= latest_year:
            checker.error(
                year_mark, f"year '{year_text}' must be a four-digit year up to {latest_year}", "year"
            )
        else:
            year = int(year_text)
    elif "year" not in record and status == "published":
        checker.error(
            here,
            "missing required field 'year' (or a 'status' such as in-preparation for unfinished work)",
            "year",
        )

    doi = checker.text(record, "doi")
    if doi is not None:
        bare = _DOI_PREFIX.sub("", doi)
        if not _DOI.match(bare):
            checker.error(record.value_marks["doi"], f"'{doi}' is not a DOI (10.NNNN/...)", "doi")
        elif bare != doi:
            checker.error(record.value_marks["doi"], f"write the bare DOI '{bare}' without the prefix", "doi")
    url = checker.text(record, "url")
    if url is not None and not _URL.match(url):
        checker.error(record.value_marks["url"], "'url' must start with http:// or https://", "url")

    themes = checker.text_list(record, "themes") or ()
    for theme_id, theme_mark in themes:
        if theme_id not in known_themes:
            checker.error(
                theme_mark, f"unknown theme '{theme_id}'{did_you_mean(theme_id, known_themes)}", "themes"
            )
    tags = checker.text_list(record, "tags") or ()

    equal_contribution = False
    flag = checker.text(record, "equal_contribution")
    if flag is not None:
        if flag not in ("true", "false"):
            checker.error(
                record.value_marks["equal_contribution"], "'equal_contribution' must be true or false"
            )
        equal_contribution = flag == "true"

    # Every remaining field is read now, before the error count, so all its problems are reported.
    title = checker.text(record, "title")
    pages = checker.text(record, "pages")
    plain = {key: checker.text(record, key) for key in _PLAIN_TEXT_FIELDS}
    if title is None and "title" not in record:
        checker.warning(here, f"'{publication_id}' has no title", "title")
    if status == "published" and kind in ("article-journal", "chapter", "paper-conference"):
        if pages is None and "pages" not in record:
            checker.warning(here, f"'{publication_id}' is published but has no pages", "pages")
        if doi is None and "doi" not in record:
            checker.warning(here, f"'{publication_id}' is published but has no DOI", "doi")

    extra = _extra(checker, record)

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
        extra=extra,
    )


_EXTRA_KEY = re.compile(r"^[a-z0-9_][a-z0-9_:.+-]*$")


def _extra(checker: _Checker, record: YamlMap) -> Extra:
    """`extra`: a mapping of lower-case field name -> text (fields kept verbatim from an import)."""
    if "extra" not in record or record["extra"] is None:
        return Extra()
    value = record["extra"]
    mark = record.value_marks["extra"]
    if not isinstance(value, YamlMap):
        checker.error(mark, "'extra' must be a mapping of 'field: text' lines", "extra")
        return Extra()
    items = {}
    for key, text in value.items():
        key_mark = value.key_marks.get(key, mark)
        if not isinstance(key, str) or not _EXTRA_KEY.match(key):
            checker.error(
                key_mark, f"'extra' field name '{key}' must be lower-case letters, digits and _:.+-", "extra"
            )
            continue
        if not isinstance(text, str):
            checker.error(value.value_marks.get(key, key_mark), f"'extra.{key}' must be text", "extra")
            continue
        cleaned = checker.clean_text(text, value.value_marks.get(key, key_mark), f"extra.{key}")
        if cleaned is not None:
            items[key] = cleaned
    return Extra(items)


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
            if part not in NAME_PARTS:
                checker.error(part_mark, f"unknown name part '{part}'{did_you_mean(part, NAME_PARTS)}", key)
        parts = {part: checker.text(item, part) for part in NAME_PARTS if part in item}
        if "literal" in parts and len(parts) > 1:
            checker.error(mark, "a name is either {literal: ...} or {family, given, ...}, not both", key)
            return None
        if "literal" not in parts and "family" not in parts:
            checker.error(mark, "a name needs 'family' (or 'literal' for an organisation)", key)
            return None
        if any(value is None for value in parts.values()):
            return None
        return Name(**parts)
    if item is not None:
        checker.error(mark, f"each of '{key}' must be 'Family, Given' or a mapping", key)
    return None
