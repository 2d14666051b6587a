"""The query index: per-work keys a selection reads instead of building records.

Every read has one: the parse cache keeps it (computed once per version of a store), and a store read
without the cache (`--no-cache`, a write's own read) builds it in memory, each part on first use.

With it an ordered listing needs no sort, a search by author or text reads short strings instead of
building every record, and a TSV listing writes rows made when the cache was. Every key is what the
unindexed path computes with the same functions, so results are the same with or without it (tested
for every command and format). Each work's content digest keys its rendered export entries
(`store/cache/entries.py`), so an edit re-renders only the works it changed.
"""

from __future__ import annotations

import dataclasses
import marshal
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, overload

from scholarcli.model import NAME_LIST_FIELDS, PUBLICATION_FIELDS, Name, Publication
from scholarcli.query.keys import names_text, search_text, sort_key, sort_keys
from scholarcli.query.rows import tsv_row
from scholarcli.query.selection import SORT_KEYS


@dataclass(frozen=True, slots=True)
class RecordIndex:
    """For each work, by its position in file order: its id, its texts for filters and its TSV row."""

    ids: Sequence[str]
    # For each sort key, the positions of all works in ascending order. The order is total (ties end
    # at the id, unique case-insensitively), so filtering this order equals sorting the filtered works.
    orders: Mapping[str, Sequence[int]]
    names_texts: Sequence[str]
    search_texts: Sequence[str]
    tsv_rows: Sequence[str]
    digests: Sequence[str]  # content_digest of each work


def build_index(publications: Sequence[Publication]) -> RecordIndex:
    """The index of a store's works (in file order), each part computed when first used.

    A listing sorted by year needs one order and a TSV listing the rows; nothing else is computed for
    them. The parse cache, which stores every part, reads them all.
    """
    count = len(publications)
    return RecordIndex(
        ids=tuple(publication.id for publication in publications),
        orders=_Orders(publications),
        names_texts=DeferredTexts(lambda: rebuild("names_texts", publications), count),
        search_texts=DeferredTexts(lambda: rebuild("search_texts", publications), count),
        tsv_rows=DeferredTexts(lambda: rebuild("tsv_rows", publications), count),
        digests=DeferredTexts(lambda: rebuild("digests", publications), count),
    )


class _Orders(Mapping[str, Sequence[int]]):
    """Each sort key's order of the works, sorted on first use.

    The first order asked for computes that key alone (`list --no-cache` sorts by one key); a second
    computes every remaining key at once (`sort_keys` folds a title and a name once for all of them:
    the parse cache stores all four orders).
    """

    def __init__(self, publications: Sequence[Publication]) -> None:
        self._publications = publications
        self._orders: dict[str, Sequence[int]] = {}

    def __getitem__(self, key: str) -> Sequence[int]:
        order = self._orders.get(key)
        if order is not None:
            return order
        if key not in SORT_KEYS:
            raise KeyError(key)
        publications = self._publications
        if not self._orders:
            keys: Sequence[object] = [sort_key(publication, key) for publication in publications]
            self._orders[key] = _sorted_positions(keys)
        else:
            every = [sort_keys(publication) for publication in publications]
            for other in SORT_KEYS:
                if other not in self._orders:
                    self._orders[other] = _sorted_positions([work_keys[other] for work_keys in every])
        return self._orders[key]

    def __iter__(self) -> Iterator[str]:
        return iter(SORT_KEYS)

    def __len__(self) -> int:
        return len(SORT_KEYS)


def _sorted_positions(keys: Sequence[Any]) -> tuple[int, ...]:
    return tuple(sorted(range(len(keys)), key=keys.__getitem__))


class DeferredTexts(Sequence[str]):
    """A text section computed (all of it) on first use: from the records here, or unmarshalled from
    the parse cache (store/cache/records.py, `stored_texts`)."""

    __slots__ = ("_compute", "_length", "_texts")

    def __init__(self, compute: Callable[[], Sequence[str]], length: int) -> None:
        self._compute: Callable[[], Sequence[str]] | None = compute
        self._length = length
        self._texts: Sequence[str] = ()

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, position: int) -> str: ...
    @overload
    def __getitem__(self, position: slice) -> Sequence[str]: ...
    def __getitem__(self, position: int | slice) -> str | Sequence[str]:
        if self._compute is not None:
            self._texts, self._compute = self._compute(), None
        return self._texts[position]


_plain_fields = operator.attrgetter(*(name for name in PUBLICATION_FIELDS if name not in NAME_LIST_FIELDS))
# A name's parts as a plain tuple (the parse cache stores its name table in this form too).
name_fields = operator.attrgetter(*(field.name for field in dataclasses.fields(Name)))
_MARSHAL_FORMAT = 2  # the last format without back-references (see content_digest)


def content_digest(publication: Publication) -> str:
    """A digest of every field of a work (names included): equal for equal records, in any process.

    From marshal format 2 of the field values as plain tuples: before format 3 marshal writes no
    back-references and no "interned" marks, so its bytes depend on the values alone, not on how
    many references a process holds to them (and it is three times quicker than their repr).
    """
    row = (
        _plain_fields(publication),
        tuple(map(name_fields, publication.authors)),
        tuple(map(name_fields, publication.editors)),
        tuple(map(name_fields, publication.translators)),
    )
    import hashlib  # only a cache miss computes digests; a read of the cache need not load OpenSSL

    return hashlib.blake2b(marshal.dumps(row, _MARSHAL_FORMAT), digest_size=16).hexdigest()


TextSection = Literal["names_texts", "search_texts", "tsv_rows", "digests"]


def rebuild(section: TextSection, publications: Sequence[Publication]) -> tuple[str, ...]:
    """One text section of the index, computed (again) from the records."""
    compute = {
        "names_texts": names_text,
        "search_texts": search_text,
        "tsv_rows": tsv_row,
        "digests": content_digest,
    }[section]
    return tuple(compute(publication) for publication in publications)
