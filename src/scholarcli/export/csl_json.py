"""CSL-JSON export: the records as citeproc, pandoc and Zotero read them (schema v1.0.2).

Only schema keys appear on an item; our own fields (themes, tags, equal contribution, the eprint,
`extra`) go under `custom`. A work not yet out has a `status` and no `issued`, so no processor invents
a year for it. `issued` has the month and day where the record has them; the title carries the
subtitle (`Title: Subtitle`, CSL has no subtitle variable) and `custom.subtitle` says where it starts;
`number` (in a series) is `collection-number`; `keyword` is the tags, then the keywords.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from json.encoder import encode_basestring

from scholarcli.export.base import EntryFrame, ExportOptions
from scholarcli.model import Library, Name, Publication
from scholarcli.text import json_safe

# Item keys in the order they are written: identity, names, date, then the rest as a citation reads.
ITEM_KEYS: tuple[str, ...] = (
    "id", "type", "title", "title-short", "author", "editor", "translator", "issued", "original-date",
    "status", "container-title", "collection-title", "collection-number", "volume", "issue", "edition",
    "page", "publisher", "publisher-place", "event", "event-title", "event-place", "genre", "ISBN", "ISSN", "DOI", "URL", "accessed",
    "language", "keyword", "note", "abstract", "custom",
)  # fmt: skip

# One encoder for every value: the C fast path, no NaN, UTF-8 kept as it is.
_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
_quote = encode_basestring  # a string straight to the C quoting function
_KEY_PREFIX = {key: f'    "{key}": ' for key in ITEM_KEYS}


def csl_name(name: Name) -> dict[str, str]:
    """A CSL name: `{literal}` for a body, else family, given, non-dropping particle and suffix."""
    if name.literal is not None:
        return {"literal": name.literal}
    result: dict[str, str] = {}
    if name.family is not None:
        result["family"] = name.family
    if name.given is not None:
        result["given"] = name.given
    if name.particle is not None:
        result["non-dropping-particle"] = name.particle
    if name.suffix is not None:
        result["suffix"] = name.suffix
    return result


def csl_status(publication: Publication) -> str | None:
    """The CSL `status` text ("forthcoming", "under contract"), or None for a published work."""
    if publication.status == "published":
        return None
    return publication.status_label.lower()


def csl_item(publication: Publication) -> dict[str, object]:
    """One record as a CSL-JSON item, keys in ITEM_KEYS order, absent values left out."""
    work = publication
    item: dict[str, object] = {"id": work.id, "type": work.type}
    if work.title is not None:
        item["title"] = full_title(work)
    if work.short_title is not None:
        item["title-short"] = work.short_title
    if work.authors:
        item["author"] = [csl_name(name) for name in work.authors]
    if work.editors:
        item["editor"] = [csl_name(name) for name in work.editors]
    if work.translators:
        item["translator"] = [csl_name(name) for name in work.translators]
    if work.year is not None and work.is_out:
        item["issued"] = {"date-parts": [date_parts(work)]}
    if work.original_year is not None:
        item["original-date"] = {"date-parts": [[work.original_year]]}
    status = csl_status(work)
    if status is not None:
        item["status"] = status
    # Written out rather than looped: this runs once per record and dominates large exports.
    if work.container is not None:
        item["container-title"] = work.container
    if work.series is not None:
        item["collection-title"] = work.series
    if work.number is not None:
        item["collection-number"] = work.number
    if work.volume is not None:
        item["volume"] = work.volume
    if work.issue is not None:
        item["issue"] = work.issue
    if work.edition is not None:
        item["edition"] = work.edition
    if work.pages is not None:
        item["page"] = work.pages
    if work.publisher is not None:
        item["publisher"] = work.publisher
    if work.place is not None:
        item["publisher-place"] = work.place
    if work.event is not None:
        # `event-title` is CSL 1.0.2's name; `event` (1.0.1's, still in the schema) is what pandoc 2's
        # citeproc and the ASA style read.
        item["event"] = work.event
        item["event-title"] = work.event
    if work.event_place is not None:
        item["event-place"] = work.event_place
    if work.genre is not None:
        item["genre"] = work.genre
    if work.isbn is not None:
        item["ISBN"] = work.isbn
    if work.issn is not None:
        item["ISSN"] = work.issn
    if work.doi is not None:
        item["DOI"] = work.doi
    if work.url is not None:
        item["URL"] = work.url
    if work.accessed is not None:
        item["accessed"] = {"date-parts": [[int(part) for part in work.accessed.split("-")]]}
    if work.language is not None:
        item["language"] = work.language
    keywords = csl_keyword(work)
    if keywords is not None:
        item["keyword"] = keywords
    if work.note is not None:
        item["note"] = work.note
    if work.abstract is not None:
        item["abstract"] = work.abstract
    custom = csl_custom(work)
    if custom:
        item["custom"] = custom
    return item


def full_title(work: Publication) -> str | None:
    """The title with its subtitle, `Title: Subtitle`, as CSL (which has no subtitle) prints it."""
    if work.title is not None and work.subtitle is not None:
        return f"{work.title}: {work.subtitle}"
    return work.title


def date_parts(work: Publication) -> list[int]:
    """`issued`'s date parts: the year, then the month and day where the record has them."""
    if work.year is None:
        return []
    if work.month is None:
        return [work.year]
    return [work.year, work.month] if work.day is None else [work.year, work.month, work.day]


def csl_keyword(work: Publication) -> str | None:
    """CSL's `keyword` (one text, comma-separated): the tags, then the keywords."""
    words = dict.fromkeys((*work.tags, *work.keywords))
    return ", ".join(words) if words else None


def csl_custom(work: Publication) -> dict[str, object]:
    """Our fields with no CSL variable: themes, tags, the equal-contribution flag, the subtitle (to split
    the title again), the eprint and its type, and `extra` (as a mapping)."""
    custom: dict[str, object] = {}
    if work.themes:
        custom["themes"] = list(work.themes)
    if work.tags:
        custom["tags"] = list(work.tags)
    if work.all_equal:
        custom["equal-contribution"] = True
    # The authors' own roles (`role:` in the store), one list per author in order: the flag above
    # stays for readers that know only it.
    if any(name.roles for name in work.authors):
        custom["author-roles"] = [list(name.roles) for name in work.authors]
    if work.subtitle is not None and work.title is not None:
        custom["subtitle"] = work.subtitle
    if work.keywords:
        custom["keywords"] = list(work.keywords)
    if work.eprint is not None:
        custom["eprint"] = work.eprint
    if work.eprint_type is not None:
        custom["eprint-type"] = work.eprint_type
    if work.extra:
        custom["extra"] = dict(work.extra)
    # Issue #14's: the labelled links, the award, featured and the preprint's published version.
    if work.links:
        custom["links"] = dict(work.links)
    if work.award is not None:
        custom["award"] = work.award
    if work.featured:
        custom["featured"] = True
    if work.preprint_of is not None:
        custom["preprint-of"] = work.preprint_of
    if work.published_as is not None:
        custom["published-as"] = work.published_as
    return custom


def render_entry(work: Publication) -> str:
    """One item as text: one top-level key a line, readable and diffable.

    Written from the record directly (the same keys and values as `csl_item`, which tests hold it
    to): strings go straight to the C quoting function and each distinct name is encoded once.
    """
    lines = [_line("id", work.id), _line("type", work.type)]
    if work.title is not None:
        lines.append(_line("title", full_title(work)))  # type: ignore[arg-type]
    if work.short_title is not None:
        lines.append(_line("title-short", work.short_title))
    if work.authors:
        lines.append(_safe(_KEY_PREFIX["author"] + "[" + ", ".join(map(_name_json, work.authors)) + "]"))
    if work.editors:
        lines.append(_safe(_KEY_PREFIX["editor"] + "[" + ", ".join(map(_name_json, work.editors)) + "]"))
    if work.translators:
        lines.append(
            _safe(_KEY_PREFIX["translator"] + "[" + ", ".join(map(_name_json, work.translators)) + "]")
        )
    if work.year is not None and work.is_out:
        if work.month is None:
            lines.append(f'{_KEY_PREFIX["issued"]}{{"date-parts": [[{work.year}]]}}')
        else:
            lines.append(f"{_KEY_PREFIX['issued']}{_encode({'date-parts': [date_parts(work)]})}")
    if work.original_year is not None:
        lines.append(f'{_KEY_PREFIX["original-date"]}{{"date-parts": [[{work.original_year}]]}}')
    status = csl_status(work)
    if status is not None:
        lines.append(_line("status", status))
    for key, value in (
        ("container-title", work.container),
        ("collection-title", work.series),
        ("collection-number", work.number),
        ("volume", work.volume),
        ("issue", work.issue),
        ("edition", work.edition),
        ("page", work.pages),
        ("publisher", work.publisher),
        ("publisher-place", work.place),
        ("event", work.event),
        ("event-title", work.event),
        ("event-place", work.event_place),
        ("genre", work.genre),
        ("ISBN", work.isbn),
        ("ISSN", work.issn),
        ("DOI", work.doi),
        ("URL", work.url),
    ):
        if value is not None:
            lines.append(_line(key, value))
    if work.accessed is not None:
        parts = [int(part) for part in work.accessed.split("-")]
        lines.append(f"{_KEY_PREFIX['accessed']}{_encode({'date-parts': [parts]})}")
    for key, value in (("language", work.language), ("keyword", csl_keyword(work))):
        if value is not None:
            lines.append(_line(key, value))
    for key, value in (("note", work.note), ("abstract", work.abstract)):
        if value is not None:
            lines.append(_line(key, value))
    custom = csl_custom(work)
    if custom:
        lines.append(_safe(_KEY_PREFIX["custom"] + _encode(custom)))
    return "  {\n" + ",\n".join(lines) + "\n  }"


def _line(key: str, text: str) -> str:
    return _safe(_KEY_PREFIX[key] + _quote(text))


def _safe(line: str) -> str:
    # Only a line with non-ASCII text or DEL can hold a character json leaves raw (bidi, U+2028).
    return line if line.isascii() and "\x7f" not in line else json_safe(line)


@functools.lru_cache(maxsize=4096)
def _name_json(name: Name) -> str:
    return _encode(csl_name(name))


# The items (from `render_entry`) as a JSON array, one item key a line.
ENTRY_FRAME = EntryFrame(empty="[]\n", head="[\n", separator=",\n", tail="\n]\n")


def export(works: Sequence[Publication], library: Library, options: ExportOptions) -> str:
    """A JSON array of CSL items in the order given (2-space indent, one item key a line)."""
    return ENTRY_FRAME.join(map(render_entry, works))
