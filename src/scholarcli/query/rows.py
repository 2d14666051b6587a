"""A work's row in the TSV listing (`scholar list` on a pipe): computed once per version of a store
and kept in the index, so a listing writes rows without building records."""

from __future__ import annotations

from scholarcli.model import Name, NameMemo, Publication
from scholarcli.text import one_line

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
