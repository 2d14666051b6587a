"""Machine-readable listings of works: TSV, JSON, JSON Lines, YAML and bare ids.

Each is produced in pieces (an iterator of text chunks) so a long listing streams to a pipe instead of
being built as one string. Field names and column order are a documented interface (docs/formats.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from scholarcli.model import Publication
from scholarcli.query.rows import TSV_COLUMNS as TSV_COLUMNS
from scholarcli.query.rows import tsv_row
from scholarcli.text import json_safe


def iter_tsv(works: Iterable[Publication]) -> Iterator[str]:
    for publication in works:
        yield tsv_row(publication)


def iter_keys(works: Iterable[Publication]) -> Iterator[str]:
    for publication in works:
        yield publication.id + "\n"


def json_record(publication: Publication, *, indent: int | None = None) -> str:
    import json  # here, not at the top: the default TSV listing never needs it

    return json_safe(json.dumps(publication.as_dict(), ensure_ascii=False, indent=indent, allow_nan=False))


def iter_jsonl(works: Iterable[Publication]) -> Iterator[str]:
    for publication in works:
        yield json_record(publication) + "\n"


def iter_json(works: Iterable[Publication]) -> Iterator[str]:
    """A JSON array of records (2-space indent), written one record at a time."""
    first = True
    for publication in works:
        body = json_record(publication, indent=2).replace("\n", "\n  ")
        yield ("[\n  " if first else ",\n  ") + body
        first = False
    yield "[]\n" if first else "\n]\n"


def iter_yaml(works: Iterable[Publication]) -> Iterator[str]:
    """Records in the store's own format: the output can be pasted into a publications.yaml."""
    from scholarcli.store.yamlio import dump_text

    any_work = False
    for publication in works:
        yield dump_text([publication.to_store_dict()])
        any_work = True
    if not any_work:
        yield "[]\n"
