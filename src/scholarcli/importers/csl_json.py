"""CSL-JSON import (schema v1.0.2): everything our own CSL-JSON export writes reads back to equal records.

Our fields without a CSL variable come back from `custom` (themes, tags, equal-contribution); a work
not yet out carries its state in `status` ("forthcoming", "under review"). Other variables are kept
verbatim in `extra` (JSON text for a non-text value).

The input is bounded before Python's JSON reader sees it: nesting deeper than `MAX_DEPTH` (100,000 `[`
is a RecursionError there), numbers too long or too large (`1e400`, a 5,000-digit integer), NaN and
Infinity, and a key given twice in one object are each a `file:line` rejection, never a traceback.
"""

from __future__ import annotations

import calendar
import json
import math
import re
from collections import Counter
from dataclasses import replace
from typing import Any

from scholarcli.errors import ScholarError
from scholarcli.importers.latex_decode import MAX_DEPTH
from scholarcli.importers.result import ImportResult
from scholarcli.model import CSL_TYPES, ID_PATTERN, ROLES, STATUS_LABELS, Name, Publication
from scholarcli.write.operations import Candidate

_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}\n]')
_LONGEST_NUMBER = 40  # digits: more is no date part, volume or id, and int() of 5,000 digits raises
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI = re.compile(r"^(?:10\.[0-9]{4,9}/\S+|10/[A-Za-z0-9]+)$")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_EXTRA_KEY = re.compile(r"[^a-z0-9_:.+-]")


class _Invalid:
    """A value the JSON reader was given that cannot be data (NaN, 1e400, a duplicate key): the item
    that holds it is rejected with `reason`."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _constant(name: str) -> _Invalid:
    return _Invalid(f"{name} is not a JSON number")


def _float(text: str) -> float | _Invalid:
    if len(text) > _LONGEST_NUMBER:
        return _Invalid(f"the number {text[:20]}... is too long")
    value = float(text)
    return value if math.isfinite(value) else _Invalid(f"the number {text} is too large")


def _int(text: str) -> int | _Invalid:
    if len(text) > _LONGEST_NUMBER:
        return _Invalid(f"the number {text[:20]}... ({len(text)} digits) is too long")
    return int(text)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            result.setdefault("\0invalid", _Invalid(f"the key '{key}' is given twice in one object"))
        result[key] = value
    return result


def _first_invalid(value: Any, depth: int = 0) -> str | None:
    """The reason of the first `_Invalid` inside a value (depth is bounded by the pre-scan)."""
    if isinstance(value, _Invalid):
        return value.reason
    if isinstance(value, dict):
        for item in value.values():
            if (reason := _first_invalid(item, depth + 1)) is not None:
                return reason
    elif isinstance(value, list):
        for item in value:
            if (reason := _first_invalid(item, depth + 1)) is not None:
                return reason
    return None


def load_json(text: str, path: str) -> Any:
    """JSON with bounded nesting; NaN, overlong numbers and repeated keys become `_Invalid` values."""
    depth = 0
    line = 1
    for found in _STRUCTURE.finditer(text):
        char = found.group(0)
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ScholarError(f"{path}:{line}: JSON nested deeper than {MAX_DEPTH} levels")
        elif char in "]}":
            depth -= 1
        elif "\n" in char:  # a string with a raw newline: invalid JSON, which json reports
            line += char.count("\n")
    try:
        return json.loads(
            text, parse_constant=_constant, parse_float=_float, parse_int=_int, object_pairs_hook=_object
        )
    except json.JSONDecodeError as exc:
        raise ScholarError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:  # pragma: no cover - bounded above; kept for safety
        raise ScholarError(f"{path}: not readable JSON: {exc}") from None


_STATUS_BY_LABEL = {label.lower(): status for status, label in STATUS_LABELS.items()}
_STATUS_BY_LABEL.update({"in press": "in-press", "accepted": "forthcoming"})
_TEXT_FIELDS = {
    "container-title": "container",
    "volume": "volume",
    "issue": "issue",
    "page": "pages",
    "publisher": "publisher",
    "publisher-place": "place",
    "event-title": "event",  # CSL 1.0.2's name; 1.0.1's `event` is read where it is missing
    "event-place": "event_place",
    "DOI": "doi",
    "URL": "url",
    "note": "note",
    "abstract": "abstract",
}


class _ItemError(Exception):
    pass


_MULTILINE_KEYS = frozenset({"note", "abstract"})  # the store's multi-line fields (validate.py)


def _text(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise _ItemError(f"'{key}' must be text")
    if key in _MULTILINE_KEYS:
        return value.replace("\u2029", "\n\n").replace("\u2028", "\n")
    # One-line text as the store keeps it: any Unicode space (pandoc writes U+00A0 for every `~`, and
    # U+2009, U+202F, U+2028 occur) is a space, as the .bib reader and the store's loader have it.
    return " ".join(value.split())


def _names(value: Any, key: str) -> tuple[Name, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _ItemError(f"'{key}' must be a list of names")
    names = []
    for item in value:
        if not isinstance(item, dict):
            raise _ItemError(f"each of '{key}' must be an object with 'family' and 'given', or 'literal'")
        if "literal" in item:
            names.append(Name(literal=_text(item["literal"], key)))
            continue
        particle = " ".join(
            part
            for part in (
                _text(item.get("dropping-particle"), key),
                _text(item.get("non-dropping-particle"), key),
            )
            if part
        )
        family = _text(item.get("family"), key)
        if not family:
            raise _ItemError(f"a name in '{key}' has no 'family' (or 'literal')")
        names.append(
            Name(
                family=family,
                given=_text(item.get("given"), key),
                particle=particle or None,
                suffix=_text(item.get("suffix"), key),
            )
        )
    return tuple(names)


def _string_list(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _ItemError(f"'{key}' must be a list of text")
    return tuple(dict.fromkeys(item.strip() for item in value if item.strip()))


# Field mapping (issue #11) ---------------------------------------------------------------------------
# Which CSL variables fill which record field. Every other variable of an item is kept in the record's
# `extra` (text as is, anything else as its JSON), so nothing is dropped silently.

_MAPPED_TEXT = {
    "title-short": "short_title",
    "collection-title": "series",
    "edition": "edition",
    "genre": "genre",
    "ISBN": "isbn",
    "ISSN": "issn",
    "language": "language",
}
_CONSUMED = frozenset(
    {"id", "type", "title", "author", "editor", "translator", "issued", "original-date", "accessed",
     "status", "custom", "keyword", "collection-number", "number", "event", *_TEXT_FIELDS, *_MAPPED_TEXT}
)  # fmt: skip
_CUSTOM_CONSUMED = frozenset(
    {"themes", "tags", "equal-contribution", "subtitle", "keywords", "eprint", "eprint-type", "extra"}
) | {"author-roles", "links", "award", "featured", "preprint-of", "published-as"}  # issue #14's


def _cv_fields(custom: dict[str, Any]) -> dict[str, Any]:
    """Issue #14's fields from our own export's `custom`: links, award, featured, the preprint link."""
    links = custom.get("links") or {}
    if not isinstance(links, dict) or not all(isinstance(url, str) for url in links.values()):
        raise _ItemError("'custom.links' must be an object of texts")
    return {
        "links": tuple((str(label), url) for label, url in links.items()),
        "award": _text(custom.get("award"), "custom.award"),
        "featured": custom.get("featured") is True,
        "preprint_of": _text(custom.get("preprint-of"), "custom.preprint-of"),
        "published_as": _text(custom.get("published-as"), "custom.published-as"),
    }


def _with_roles(names: tuple[Name, ...], value: Any) -> tuple[Name, ...]:
    """The authors with `custom.author-roles` (our export's per-author roles: a list per author)."""
    if value is None:
        return names
    if not isinstance(value, list) or len(value) != len(names):
        raise _ItemError("'custom.author-roles' must be a list with one list of roles per author")

    result = []
    for name, roles in zip(names, value, strict=True):
        if not isinstance(roles, list) or any(role not in ROLES for role in roles):
            raise _ItemError(f"'custom.author-roles' holds a role not among {', '.join(ROLES)}")
        result.append(replace(name, roles=tuple(role for role in ROLES if role in roles)))
    return tuple(result)


def _date_parts(value: Any, key: str) -> list[Any]:
    """The first date of a CSL date object, as its parts ([] when it has none)."""
    if value is None:
        return []
    if not isinstance(value, dict):
        raise _ItemError(f"'{key}' must be a date object")
    parts = value.get("date-parts")
    if parts:
        if not isinstance(parts, list) or not isinstance(parts[0], list) or not parts[0]:
            raise _ItemError(f"'{key}' has no year in 'date-parts'")
        for part in parts[0]:
            text = str(part).strip()
            if (
                isinstance(part, bool)
                or not isinstance(part, (int, str))
                or not (text.isascii() and text.isdigit())
            ):
                raise _ItemError(
                    f"'{key}' has the date part {json.dumps(part)}: date parts are whole numbers"
                )
        return list(parts[0])
    for name in ("raw", "literal"):
        text = str(value.get(name, ""))
        if (parsed := _raw_date(text)) is not None:
            return list(parsed)
        found = re.search(r"\b([0-9]{4})\b", text)
        if found:
            return [found.group(1)]
    return []


# An ISO-like `raw` or `literal` date, as Zotero and pandoc write them: 2020, 2020-03, 2020-3-5, 2020/03/15.
_RAW_DATE = re.compile(r"^\s*([0-9]{4})(?:[-/]([0-9]{1,2})(?:[-/]([0-9]{1,2}))?)?\s*$")


def _raw_date(text: str) -> tuple[int, ...] | None:
    """A raw date's year, month and day when it is one of the ISO-like forms and a real date."""
    found = _RAW_DATE.match(text)
    if found is None:
        return None
    parts = tuple(int(group) for group in found.groups() if group is not None)
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return None
    if len(parts) > 2 and not 1 <= parts[2] <= calendar.monthrange(parts[0], parts[1])[1]:
        return None
    return parts


def _plain_date(date: dict[str, Any]) -> bool:
    """Whether a CSL date is one date the record holds whole: one `date-parts`, or a parsed raw date."""
    if set(date) == {"date-parts"}:
        return len(date["date-parts"] or [[0]]) <= 1
    if len(date) == 1 and set(date) <= {"raw", "literal"}:
        return _raw_date(str(next(iter(date.values())))) is not None
    return False


def _int_part(parts: list[Any], index: int, key: str) -> int | None:
    if len(parts) <= index:
        return None
    try:
        return int(parts[index])
    except (TypeError, ValueError):
        raise _ItemError(f"'{key}' has a date part that is not a number") from None


def _accessed(value: Any) -> str | None:
    parts = _date_parts(value, "accessed")
    year, month, day = (_int_part(parts, n, "accessed") for n in range(3))
    if year is None or month is None or day is None:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _extra_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _notes_and_extra(
    item: dict[str, Any], publication: Publication, dropped: Counter[str]
) -> tuple[Publication, list[str]]:
    """Normalised DOI and URL, the id checked, what a date keeps beyond year, month and day, and the
    `extra` names made field names (lower case, other characters as `_`)."""
    notes: list[str] = []
    extra: dict[str, str] = {}
    doi = url = None
    for role in ("author", "editor", "translator"):
        people = item.get(role)
        if isinstance(people, list) and any(
            isinstance(n, dict) and n.get("dropping-particle") for n in people
        ):
            extra[f"original_{role}"] = json.dumps(people, ensure_ascii=False, sort_keys=True)
            notes.append(
                f"kept '{role}' as written in extra as 'original_{role}': a dropping-particle has no place "
                "in the record"
            )
    if isinstance(item.get("type"), str) and not item["type"].strip():
        notes.append("the item's 'type' is empty (pandoc's for @misc and @set): read as 'document'")
    if publication.doi:
        bare = _DOI_PREFIX.sub("", publication.doi.strip()).strip()  # a DOI has no spaces: none joined
        if _DOI.match(bare):
            doi = bare
        else:
            extra["doi"] = publication.doi
            notes.append("kept 'DOI' in extra: not a DOI (10.NNNN/...)")
    if publication.url:
        address = publication.url.strip()
        if address.lower().startswith("www."):
            address = "https://" + address
        if _URL.match(address):
            url = address
        else:
            extra["url"] = publication.url
            notes.append("kept 'URL' in extra: not one http(s):// address")
    record_id = publication.id
    if record_id and not ID_PATTERN.match(record_id):
        extra["original_key"] = record_id
        notes.append(
            f"the id '{record_id}' cannot be an id here: an id is generated, the original kept in extra"
        )
        record_id = ""
    for key in ("issued", "original-date", "accessed"):  # a range, a season, circa, a literal date
        date = item.get(key)
        if not isinstance(date, dict) or not date:
            continue
        written = json.dumps(date, ensure_ascii=False, sort_keys=True)
        if not _plain_date(date):
            why = "says more than a year, month and day"
        elif key == "accessed" and publication.accessed is None:
            why = "is no full day"  # the record's `accessed` is a day
        elif key == "original-date" and len(_date_parts(date, key)) > 1:
            why = "has more than the year the record keeps"
        else:
            continue
        extra[key] = written
        notes.append(f"kept '{key}' in extra: the date {written} {why}")
    for key, value in item.items():
        if value is None or value in ("", [], {}):
            dropped[key] += 1
    for key, value in publication.extra:
        extra.setdefault(_EXTRA_KEY.sub("_", key.lower()) or "_", value)
    # One line each, as the BibTeX importer keeps them (a line break in a CSL text variable is layout).
    pairs = tuple((key, " ".join(value.split())) for key, value in extra.items() if value.strip())
    return replace(publication, id=record_id, doi=doi, url=url, extra=pairs), notes


def to_publication(item: dict[str, Any]) -> Publication:
    """One CSL item as a Publication (not yet validated: the store's validator judges the values)."""
    kind = _text(item.get("type"), "type")
    if kind == "":
        kind = "document"  # pandoc's CSL for @misc and @set; `_notes_and_extra` says so
    if not kind:
        raise _ItemError("the item has no 'type'")
    if kind not in CSL_TYPES:
        raise _ItemError(f"unknown CSL type '{kind}'")
    record_id = item.get("id")
    status_text = _text(item.get("status"), "status")
    status = "published"
    if status_text:
        status = _STATUS_BY_LABEL.get(
            status_text.strip().lower(), status_text.strip().lower().replace(" ", "-")
        )
    custom = item.get("custom") or {}
    if not isinstance(custom, dict):
        raise _ItemError("'custom' must be an object")
    keyword = _string_list(item.get("keyword"), "keyword")
    tags = _string_list(custom.get("tags"), "custom.tags")
    # Our own export writes the tags, then the keywords, into `keyword` and each list in `custom`;
    # a `keyword` from elsewhere is the work's tags (as BibTeX `keywords` are).
    keywords = _string_list(custom.get("keywords"), "custom.keywords")
    if not tags and not keywords:
        tags = keyword
    fields: dict[str, Any] = {ours: _text(item.get(key), key) for key, ours in _TEXT_FIELDS.items()}
    if fields["event"] is None:
        fields["event"] = _text(item.get("event"), "event")
    mapped: dict[str, Any] = {ours: _text(item.get(key), key) for key, ours in _MAPPED_TEXT.items()}
    title = _text(item.get("title"), "title")
    subtitle = _text(custom.get("subtitle"), "custom.subtitle")
    if title and subtitle and title.endswith(f": {subtitle}"):
        title = title.removesuffix(f": {subtitle}")
    issued = _date_parts(item.get("issued"), "issued")
    original = _date_parts(item.get("original-date"), "original-date")
    number = _text(item.get("collection-number"), "collection-number")
    extra = {
        key: _extra_text(value)
        for key, value in item.items()
        if key not in _CONSUMED and value not in (None, "", [], {})
    }
    if number is None:
        number = _text(item.get("number"), "number")
    elif item.get("number") is not None:
        extra["number"] = _extra_text(item["number"])
    kept = custom.get("extra") or {}
    if not isinstance(kept, dict):
        raise _ItemError("'custom.extra' must be an object")
    extra.update({str(key): _extra_text(value) for key, value in kept.items()})
    extra.update(
        {f"custom.{key}": _extra_text(value) for key, value in custom.items() if key not in _CUSTOM_CONSUMED}
    )
    eprint_type = _text(custom.get("eprint-type"), "custom.eprint-type")
    citation_key = item.get("citation-key")
    if isinstance(citation_key, str) and ID_PATTERN.match(citation_key.strip()):
        # Zotero's (and Better BibTeX's) citation key is the work's key; its `id` is an item URI.
        del extra["citation-key"]
        if record_id is not None and str(record_id).strip() != citation_key.strip():
            extra["original_key"] = _extra_text(record_id)
        record_id = citation_key.strip()
    return Publication(
        id=str(record_id).strip()
        if isinstance(record_id, (str, int)) and not isinstance(record_id, bool)
        else "",
        type=kind,
        title=title,
        subtitle=subtitle,
        authors=_with_roles(_names(item.get("author"), "author"), custom.get("author-roles")),
        editors=_names(item.get("editor"), "editor"),
        translators=_names(item.get("translator"), "translator"),
        year=_int_part(issued, 0, "issued"),
        month=_int_part(issued, 1, "issued"),
        day=_int_part(issued, 2, "issued"),
        original_year=_int_part(original, 0, "original-date"),
        status=status,
        number=number,
        eprint=_text(custom.get("eprint"), "custom.eprint"),
        eprint_type=eprint_type,
        accessed=_accessed(item.get("accessed")),
        themes=_string_list(custom.get("themes"), "custom.themes"),
        tags=tags,
        keywords=keywords,
        # With per-author roles, the flag is what `role: equal` on every author already says.
        equal_contribution=custom.get("equal-contribution") is True
        and not any("equal" in roles for roles in custom.get("author-roles") or ()),
        extra=tuple((key.lower(), value) for key, value in extra.items()),
        **_cv_fields(custom),
        **fields,
        **mapped,
    )


def _item_lines(text: str) -> list[int]:
    """The line of each top-level item of a JSON array (for messages), found by a light scan."""
    lines: list[int] = []
    depth = 0
    line = 1
    in_string = False
    escaped = False
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth == 2 and char == "{":
                lines.append(line)
        elif char in "]}":
            depth -= 1
    return lines


def read_csl_json(text: str, path: str) -> ImportResult:
    """Every item of a CSL-JSON array (or a single item) as a candidate record."""
    data = load_json(text, path)
    items = data if isinstance(data, list) else [data]
    lines = _item_lines(text) if isinstance(data, list) else [1]
    result = ImportResult(entries=len(items))
    for number, item in enumerate(items):
        line = lines[number] if number < len(lines) else 1
        where = f"{path}:{line}"
        if not isinstance(item, dict):
            if (invalid := _first_invalid(item)) is not None:
                result.rejected.append((where, f"item {number + 1}: {invalid}"))
                continue
            result.rejected.append((where, f"item {number + 1}: each item must be a JSON object"))
            continue
        item_id = item.get("id")
        shown_id = (
            item_id if isinstance(item_id, (str, int)) and not isinstance(item_id, bool) else number + 1
        )
        source = f"{where} ({shown_id})"
        invalid = _first_invalid(item)
        if invalid is not None:
            result.rejected.append((source, invalid))
            continue
        try:
            publication, notes = _notes_and_extra(item, to_publication(item), result.dropped)
        except _ItemError as exc:
            result.rejected.append((source, str(exc)))
            continue
        result.notes.extend((source, note) for note in notes)
        result.kept.update(name for name, _ in publication.extra)
        result.candidates.append(Candidate(publication, source))
    return result
