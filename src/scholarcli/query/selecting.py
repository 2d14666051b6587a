"""Selecting works: the one way every command takes works from a store.

`select(store, selection)` walks the store's index (kept in the parse cache, or built in memory when
there is none) in the order the selection asks for, tests the author and text filters on the index's
folded texts and builds a record only when another filter needs it or the caller asks for the works.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from scholarcli.errors import UnknownIdError
from scholarcli.model import Library, Publication
from scholarcli.query.index import RecordIndex, build_index
from scholarcli.query.keys import folded_query, matches, may_span_names, search_fold
from scholarcli.query.selection import Selection
from scholarcli.text import did_you_mean


class Indexed(Protocol):
    """A store's content and its index (`store.LoadedStore` is one; query does not import store)."""

    @property
    def library(self) -> Library: ...

    @property
    def index(self) -> RecordIndex: ...


@dataclass(frozen=True)
class InMemory:
    """Records held in code, with an index built in memory on first use: what `select` needs from a
    library that was not read from a store (a store's own read is a `store.LoadedStore`)."""

    library: Library

    @cached_property
    def index(self) -> RecordIndex:
        return build_index(self.library.publications)


@dataclass(frozen=True)
class Selected:
    """The works a selection took, as positions in the store's file order, in the selection's order.

    `works` builds their records; `tsv_rows` and `id_lines` come from the index without building any.
    """

    store: Indexed
    positions: Sequence[int]

    def __len__(self) -> int:
        return len(self.positions)

    @cached_property
    def works(self) -> list[Publication]:
        publications = self.store.library.publications
        return [publications[position] for position in self.positions]

    def tsv_rows(self) -> Iterator[str]:
        """Each work's TSV line (`query.rows.tsv_row`), as the index holds it."""
        rows = self.store.index.tsv_rows
        return (rows[position] for position in self.positions)

    def id_lines(self) -> Iterator[str]:
        """Each work's id and a newline."""
        ids = self.store.index.ids
        return (ids[position] + "\n" for position in self.positions)


def select(store: Indexed, selection: Selection) -> Selected:
    """The works of a store that pass a selection's filters, in its order, cut to its limit.

    Raises BadSelectionError for a value no work could match (an unknown theme, type, status or tag).
    """
    library, index = store.library, store.index
    selection.check_against(library)
    if selection.limit == 0:
        return Selected(store, ())
    order = index.orders[selection.sort]
    positions: Iterable[int] = reversed(order) if selection.reverse else order
    author = folded_query(selection.author) if selection.author else None
    words = search_fold(selection.search).split() if selection.search else None
    # The text search is decided here in full (the index holds the same text `matches` reads), and so
    # is the author test when it is `needle in names_text` (see keys._has_author); otherwise the test
    # here is a necessary condition (one name's text is part of the joined text), confirmed by `matches`.
    exact_author = author is not None and not may_span_names(author)
    rest = dataclasses.replace(selection, search=None, author=None if exact_author else selection.author)
    needs_record = rest != Selection(sort=rest.sort, reverse=rest.reverse, limit=rest.limit)
    publications = library.publications
    names_texts = index.names_texts if author is not None else ()
    search_texts = index.search_texts if words is not None else ()
    chosen: list[int] = []
    for position in positions:
        if author is not None and author not in names_texts[position]:
            continue
        if words is not None and not all(word in search_texts[position] for word in words):
            continue
        if needs_record and not matches(publications[position], rest):
            continue
        chosen.append(position)
        if len(chosen) == selection.limit:
            break
    return Selected(store, chosen)


def find_ids(store: Indexed, ids: Sequence[str]) -> list[Publication]:
    """The works with these ids (written in any case), in the order asked; an unknown id raises
    UnknownIdError with a did-you-mean hint."""
    known = store.index.ids
    publications = store.library.publications
    by_folded: dict[str, int] | None = None
    found = []
    for publication_id in ids:
        position: int | None = None
        if len(ids) == 1:
            # One id as written (`show ID`): a scan of the ids is cheaper than making the map.
            with contextlib.suppress(ValueError):
                position = known.index(publication_id)
        if position is None:
            if by_folded is None:
                # Ids are unique in any case, so the folded map finds the one work an id names.
                by_folded = {key.casefold(): n for n, key in enumerate(known)}
            position = by_folded.get(publication_id.casefold())
        if position is None:
            raise UnknownIdError(f"no publication '{publication_id}'{did_you_mean(publication_id, known)}")
        found.append(publications[position])
    return found
