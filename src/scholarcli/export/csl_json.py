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
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


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
    item: dict[str, object] = {"id": publication.id, "type": publication.type}
    if publication.title is not None:
        item["title"] = publication.title
    if publication.authors:
        item["author"] = [csl_name(name) for name in publication.authors]
    if publication.editors:
        item["editor"] = [csl_name(name) for name in publication.editors]
    if publication.is_out and publication.year is not None:
        item["issued"] = {"date-parts": [[publication.year]]}
    status = csl_status(publication)
    if status is not None:
        item["status"] = status
    for key, value in (
        ("container-title", publication.container),
        ("volume", publication.volume),
        ("issue", publication.issue),
        ("page", publication.pages),
        ("publisher", publication.publisher),
        ("publisher-place", publication.place),
        ("DOI", publication.doi),
        ("URL", publication.url),
        ("note", publication.note),
        ("abstract", publication.abstract),
    ):
        if value is not None:
            item[key] = value
    custom: dict[str, object] = {}
    if publication.themes:
        custom["themes"] = list(publication.themes)
    if publication.tags:
        custom["tags"] = list(publication.tags)
    if publication.equal_contribution:
        custom["equal-contribution"] = True
    if custom:
        item["custom"] = custom
    return item


def _item_text(item: dict[str, object]) -> str:
    # One top-level key a line: readable and diffable, while each value goes through the C encoder.
    encode = _ENCODER.encode
    lines = [f'    "{key}": {encode(value)}' for key, value in item.items()]
    return "  {\n" + ",\n".join(lines) + "\n  }"


def export(works: Sequence[Publication], library: Library, options: ExportOptions) -> str:
    """A JSON array of CSL items in the order given (2-space indent, one item key a line)."""
    if not works:
        return "[]\n"
    body = ",\n".join(_item_text(csl_item(publication)) for publication in works)
    return json_safe("[\n" + body + "\n]\n")
