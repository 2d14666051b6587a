"""CSL-JSON export: the records as citeproc, pandoc and Zotero read them (schema v1.0.2).

Only schema keys appear on an item; our own fields (themes, tags, equal contribution) go under
`custom`. A work not yet out has a `status` and no `issued`, so no processor invents a year for it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from scholarcli.export import ExportOptions
from scholarcli.model import Library, Name, Publication
from scholarcli.textsafe import json_safe

# Item keys in the order they are written: identity, names, date, then the rest as a citation reads.
ITEM_KEYS: tuple[str, ...] = (
    "id", "type", "title", "author", "editor", "issued", "status", "container-title", "volume",
    "issue", "page", "publisher", "publisher-place", "DOI", "URL", "note", "abstract", "custom",
)  # fmt: skip

# One encoder for every value: the C fast path, no NaN, UTF-8 kept as it is.
_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


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
        item["title"] = work.title
    if work.authors:
        item["author"] = [csl_name(name) for name in work.authors]
    if work.editors:
        item["editor"] = [csl_name(name) for name in work.editors]
    if work.year is not None and work.is_out:
        item["issued"] = {"date-parts": [[work.year]]}
    status = csl_status(work)
    if status is not None:
        item["status"] = status
    # Written out rather than looped: this runs once per record and dominates large exports.
    if work.container is not None:
        item["container-title"] = work.container
    if work.volume is not None:
        item["volume"] = work.volume
    if work.issue is not None:
        item["issue"] = work.issue
    if work.pages is not None:
        item["page"] = work.pages
    if work.publisher is not None:
        item["publisher"] = work.publisher
    if work.place is not None:
        item["publisher-place"] = work.place
    if work.doi is not None:
        item["DOI"] = work.doi
    if work.url is not None:
        item["URL"] = work.url
    if work.note is not None:
        item["note"] = work.note
    if work.abstract is not None:
        item["abstract"] = work.abstract
    if work.themes or work.tags or work.equal_contribution:
        custom: dict[str, object] = {}
        if work.themes:
            custom["themes"] = list(work.themes)
        if work.tags:
            custom["tags"] = list(work.tags)
        if work.equal_contribution:
            custom["equal-contribution"] = True
        item["custom"] = custom
    return item


def _item_text(item: dict[str, object]) -> str:
    # One top-level key a line: readable and diffable, while each value goes through the C encoder.
    # Only a line with non-ASCII text or DEL can hold a character json leaves raw (bidi, U+2028).
    lines = []
    for key, value in item.items():
        encoded = _encode(value)
        if not encoded.isascii() or "\x7f" in encoded:
            encoded = json_safe(encoded)
        lines.append(f'    "{key}": {encoded}')
    return "  {\n" + ",\n".join(lines) + "\n  }"


def export(works: Sequence[Publication], library: Library, options: ExportOptions) -> str:
    """A JSON array of CSL items in the order given (2-space indent, one item key a line)."""
    if not works:
        return "[]\n"
    body = ",\n".join(_item_text(csl_item(publication)) for publication in works)
    return "[\n" + body + "\n]\n"
