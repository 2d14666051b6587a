"""Machine-readable listings of works: TSV, JSON, JSON Lines, YAML and bare ids.

Each is produced in pieces (an iterator of text chunks) so a long listing streams to a pipe instead of
being built as one string. Field names and column order are a documented interface (README).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from scholarcli.model import Library, Name, NameMemo, Publication
from scholarcli.query import Selection, select, select_positions
from scholarcli.text import json_safe, one_line

TSV_COLUMNS = ("id", "year", "type", "status", "authors", "title", "container", "themes")

# Names recur across a store (the cache shares one object per spelling): display each once.
_display = NameMemo(Name.display)


def tsv_row(publication: Publication) -> str:
    """One line: the TSV_COLUMNS, tab-separated; names joined by '; ', themes by ','.

    Only the free-text columns go through `one_line`: an id, year, type, status or theme id has
    already been checked against its pattern or vocabulary and holds no tab, newline or control.
    """
    year = "" if publication.year is None else str(publication.year)
    names = one_line("; ".join([_display(name) for name in publication.contributors]))
    title = one_line(publication.title) if publication.title else ""
    container = one_line(publication.container) if publication.container else ""
    themes = ",".join(publication.themes)
    return (
        f"{publication.id}\t{year}\t{publication.type}\t{publication.status}\t{names}\t{title}\t{container}\t"
        f"{themes}\n"
    )


def iter_tsv(works: Iterable[Publication]) -> Iterator[str]:
    for publication in works:
        yield tsv_row(publication)


def iter_keys(works: Iterable[Publication]) -> Iterator[str]:
    for publication in works:
        yield publication.id + "\n"


def selected_tsv(library: Library, selection: Selection) -> Iterator[str]:
    """The TSV rows of the works a selection takes; from the index, without building records, when
    the library has one (the rows are `tsv_row`'s, made when the parse cache was)."""
    positions = select_positions(library, selection)
    if positions is None or library.index is None:  # (the second test only tells the type checker)
        return iter_tsv(select(library.publications, selection))
    rows = library.index.tsv_rows
    return (rows[position] for position in positions)


def selected_keys(library: Library, selection: Selection) -> Iterator[str]:
    """The ids of the works a selection takes, one a line; from the index when the library has one."""
    positions = select_positions(library, selection)
    if positions is None or library.index is None:  # (the second test only tells the type checker)
        return iter_keys(select(library.publications, selection))
    ids = library.index.ids
    return (ids[position] + "\n" for position in positions)


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
