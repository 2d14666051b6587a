"""Sequences read from the parse cache's body a piece at a time: the records and the index's texts.

A cache hit must not pay for 10,000 records when a command uses one (`show ID`), nor unmarshal 10 MB
of search text for a command that does not search. Both sequences stay behind plain `Sequence` types,
so queries, listings and exporters treat them as the tuples a parse gives.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import marshal
from collections.abc import Callable, Iterator, Sequence
from typing import overload

import xxhash

from scholarcli.model import Name, Publication
from scholarcli.query.index import DeferredTexts

_PUBLICATION_FIELDS = tuple(field.name for field in dataclasses.fields(Publication))
AUTHORS = _PUBLICATION_FIELDS.index("authors")
EDITORS = _PUBLICATION_FIELDS.index("editors")
TRANSLATORS = _PUBLICATION_FIELDS.index("translators")
# Setting each slot through its descriptor skips the frozen dataclass's __init__, which sets every
# field through object.__setattr__: a record is built in ~3 µs instead of ~5.
_SETTERS = tuple(getattr(Publication, name).__set__ for name in _PUBLICATION_FIELDS)
_set_authors = _SETTERS[AUTHORS]
_set_editors = _SETTERS[EDITORS]
_set_translators = _SETTERS[TRANSLATORS]
_new_object = object.__new__


def checksum(data: bytes | bytearray | memoryview) -> int:
    """The 64-bit checksum guarding each part of a cache file: XXH3, which reads ~20 GB/s here where
    zlib's CRC-32 reads ~3 GB/s (a 12 MB export's stored entries are checked in under 1 ms, not 4)."""
    return xxhash.xxh3_64_intdigest(data)


def record_row(publication: Publication, name_index: Callable[[Name], int]) -> tuple[object, ...]:
    """A record as the plain tuple a blob holds: its fields in order, names as indexes into the table."""
    row = [getattr(publication, name) for name in _PUBLICATION_FIELDS]
    row[AUTHORS] = tuple(map(name_index, publication.authors))
    row[EDITORS] = tuple(map(name_index, publication.editors))
    row[TRANSLATORS] = tuple(map(name_index, publication.translators))
    return tuple(row)


class CachedRecords(Sequence[Publication]):
    """A store's records, each built into a Publication the first time it is used.

    `body` holds one marshal blob per record, one after another (record n ends at `ends[n]` and has
    the checksum `checksums[n]`), written by `record_row`; `names` is the store's name table.
    Compares equal to, and hashes as, a tuple of the same publications.

    Each blob is checked as it is built, not all of them when the cache is read: `show ID` on a
    100,000-record store then reads one record's pages of the mapped file, not 110 MB of them. A blob
    found damaged (the file was changed on disk after it was written) switches the sequence to
    `reparse()`, the store's records parsed from its YAML, for every record not built yet.
    """

    __slots__ = ("_body", "_built", "_checksums", "_ends", "_names", "_parsed", "_reparse")

    def __init__(
        self,
        body: bytes | bytearray | memoryview,
        ends: Sequence[int],
        checksums: Sequence[int],
        names: Sequence[Name],
        reparse: Callable[[], Sequence[Publication]],
    ) -> None:
        if len(checksums) != len(ends):
            raise ValueError("a checksum for each record")
        self._body = body
        self._ends = ends
        self._checksums = checksums
        self._names = names
        self._reparse = reparse
        self._parsed: Sequence[Publication] | None = None
        self._built: list[Publication | None] = [None] * len(ends)

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, position: int) -> Publication: ...
    @overload
    def __getitem__(self, position: slice) -> list[Publication]: ...
    def __getitem__(self, position: int | slice) -> Publication | list[Publication]:
        if isinstance(position, slice):
            return [self[n] for n in range(*position.indices(len(self._ends)))]
        publication = self._built[position]
        if publication is None:
            publication = self._built[position] = self._build(position % len(self._ends))
        return publication

    def __iter__(self) -> Iterator[Publication]:
        for position, publication in enumerate(self._built):
            yield publication if publication is not None else self[position]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))  # equal to the tuple a parse gives, so hashed as one

    def __repr__(self) -> str:
        return f"CachedRecords({len(self._ends)} records)"

    def _build(self, position: int) -> Publication:
        if self._parsed is None:
            start = self._ends[position - 1] if position else 0
            blob = self._body[start : self._ends[position]]
            if checksum(blob) == self._checksums[position]:
                return self._from_row(marshal.loads(blob))  # noqa: S302  (checked just above)
            self._parsed = self._reparse()
        return self._parsed[position]

    def _from_row(self, row: tuple[object, ...]) -> Publication:
        names = self._names.__getitem__
        publication = _new_object(Publication)
        for setter, value in zip(_SETTERS, row, strict=True):
            setter(publication, value)
        # The row's name fields are tuples of name-table positions (see `record_row`); no cast on
        # this path, which builds every record a read uses.
        _set_authors(publication, tuple(map(names, row[AUTHORS])))  # type: ignore[call-overload]
        _set_editors(publication, tuple(map(names, row[EDITORS])))  # type: ignore[call-overload]
        _set_translators(publication, tuple(map(names, row[TRANSLATORS])))  # type: ignore[call-overload]
        return publication


def stored_texts(
    data: bytes | memoryview, length: int, expected_checksum: int, rebuild: Callable[[], Sequence[str]]
) -> DeferredTexts:
    """A tuple of texts kept as marshal bytes until first used. A section found damaged then (its
    checksum differs) is computed again with `rebuild` from the records (each checked as it is built)."""
    return DeferredTexts(functools.partial(_load_texts, data, length, expected_checksum, rebuild), length)


def _load_texts(
    data: bytes | memoryview, length: int, expected_checksum: int, rebuild: Callable[[], Sequence[str]]
) -> Sequence[str]:
    if checksum(data) == expected_checksum:
        with contextlib.suppress(EOFError, ValueError, TypeError):
            items = marshal.loads(data)  # noqa: S302  (checked just above)
            if isinstance(items, tuple) and len(items) == length:
                return items
    return rebuild()
