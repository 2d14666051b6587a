"""The query index: per-work keys computed once per version of a store and kept in the parse cache.

With it an ordered listing needs no sort, a search by author or text reads short strings instead of
building every record, and a TSV listing writes rows made when the cache was. Every key is what the
unindexed path computes with the same functions, so results are the same with or without it (tested
for every command and format). Each work's content digest keys its rendered export entries
(`entrycache.py`), so an edit re-renders only the works it changed.
"""

from __future__ import annotations

import dataclasses
import marshal
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from scholarcli.export.listing import tsv_row
from scholarcli.model import NAME_LIST_FIELDS, PUBLICATION_FIELDS, Name, Publication
from scholarcli.query import SORT_KEYS, names_text, search_text, sort_keys


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
    """The index of a store's works (in file order)."""
    positions = range(len(publications))
    all_keys = [sort_keys(publication) for publication in publications]
    orders: dict[str, Sequence[int]] = {}
    for key in SORT_KEYS:
        keys = [work_keys[key] for work_keys in all_keys]
        orders[key] = tuple(sorted(positions, key=keys.__getitem__))
    return RecordIndex(
        ids=tuple(publication.id for publication in publications),
        orders=orders,
        names_texts=rebuild("names_texts", publications),
        search_texts=rebuild("search_texts", publications),
        tsv_rows=rebuild("tsv_rows", publications),
        digests=rebuild("digests", publications),
    )


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
