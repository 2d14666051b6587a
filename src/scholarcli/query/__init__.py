"""Selecting and ordering works: the filters shared by `list`, `show`, `stats` and `export`.

Filters combine with AND; a repeated `--theme` (or type, status, tag) is an OR within that filter.
The order is total (ties fall back to the id), so the same store always gives the same output.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from scholarcli.errors import ScholarError
from scholarcli.model import CSL_TYPES, STATUSES, Library, NameMemo, Publication, Theme, fold

SortKey = Literal["year", "title", "author", "venue"]
SORT_KEYS: tuple[SortKey, ...] = typing.get_args(SortKey)

_YEAR_RANGE = re.compile(r"^\s*(\d{4})?\s*(\.\.)?\s*(\d{4})?\s*$")


class BadSelectionError(ScholarError):
    """A filter value that cannot be understood (a malformed year range, an unknown theme)."""


@dataclass(frozen=True, slots=True)
class YearRange:
    """Inclusive bounds; None means open. `2022`, `2020..2023`, `2022..`, `..2019`."""

    start: int | None = None
    end: int | None = None

    @classmethod
    def parse(cls, text: str) -> YearRange:
        match = _YEAR_RANGE.match(text)
        if not match or not (match.group(1) or match.group(3)):
            raise BadSelectionError(
                f"--year '{text}' is not a year or range (2022, 2020..2023, 2022.., ..2019)"
            )
        start, dots, end = match.groups()
        if not dots:
            if start and end:
                raise BadSelectionError(f"--year '{text}': write a range as 2020..2023")
            year = int(start or end)
            return cls(year, year)
        low, high = (int(start) if start else None), (int(end) if end else None)
        if low is not None and high is not None and low > high:
            raise BadSelectionError(f"--year '{text}': the range runs backwards; write {high}..{low}")
        return cls(low, high)

    def contains(self, year: int | None) -> bool:
        if year is None:
            return False
        return (self.start is None or year >= self.start) and (self.end is None or year <= self.end)


@dataclass(frozen=True, slots=True)
class Selection:
    """Which works to take and in what order. The default takes everything, newest first."""

    themes: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    years: YearRange | None = None
    author: str | None = None
    venue: str | None = None
    statuses: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    search: str | None = None
    featured: bool = False  # only works marked `featured: true` (issue #14)
    sort: SortKey = "year"
    reverse: bool = False
    limit: int | None = None

    def __post_init__(self) -> None:
        # A text filter is read without the blanks around it, and one of blanks alone filters nothing:
        # `--author '  lodz  '` finds Łódź as `--author lodz` does, and `--venue ' '` drops no work, as
        # `--author ' '` and `--search ' '` do not (indexed and unindexed searches see the same needle).
        for name in ("author", "venue", "search"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, value.strip() or None)

    def check_against(self, library: Library) -> None:
        """Refuse a value no work could match: a theme, type or status that does not exist, a tag no
        work in the store has (a typo would otherwise just match nothing, with success)."""
        for theme_id in self.themes:
            if theme_id not in library.theme_by_id:
                known = [theme.id for theme in library.themes]
                raise _unknown("--theme", theme_id, "no such theme in this store", known)
        for type_name in self.types:
            if type_name not in CSL_TYPES:
                raise _unknown("--type", type_name, "no such CSL type", CSL_TYPES)
        for status in self.statuses:
            if status not in STATUSES:
                raise _unknown("--status", status, "no such status", STATUSES)
        if self.tags:
            # Tags match folded (see `matches`), so a tag is known when its folded form is. Only a
            # --tag pays for reading every work's tags.
            store_tags = sorted({tag for publication in library.publications for tag in publication.tags})
            folded = {fold(tag) for tag in store_tags}
            for tag in self.tags:
                if fold(tag) not in folded:
                    raise _unknown("--tag", tag, "no work in this store has this tag", store_tags)
        if self.limit is not None and self.limit < 0:
            raise BadSelectionError("--limit must be zero or more")


def _unknown(option: str, value: str, problem: str, known: Iterable[str]) -> BadSelectionError:
    return BadSelectionError(f"{option} '{value}': {problem}{_did_you_mean(value, known)}")


def find_theme(library: Library, theme_id: str) -> Theme:
    """The theme with this id; an unknown id raises with a did-you-mean hint."""
    theme = library.theme_by_id.get(theme_id)
    if theme is None:
        known = [theme.id for theme in library.themes]
        raise BadSelectionError(f"no theme '{theme_id}'{_did_you_mean(theme_id, known)}")
    return theme


# What `fold` (accents stripped, case folded) leaves apart but a reader takes as the same: letters
# Unicode does not decompose into a base letter and an accent, and the variants of the apostrophe and
# the hyphen that keyboards, word processors and databases put in names and titles.
_SEARCH_FOLDS = str.maketrans(
    {
        **dict.fromkeys("łŁ", "l"), **dict.fromkeys("øØ", "o"), **dict.fromkeys("đĐðÐ", "d"),
        **dict.fromkeys("æÆ", "ae"), **dict.fromkeys("œŒ", "oe"), **dict.fromkeys("þÞ", "th"),
        **dict.fromkeys("ħĦ", "h"), "ı": "i", "ß": "ss", "ẞ": "ss",
        # right and left single quotes, modifier letter apostrophe, grave, acute, prime, fullwidth
        **dict.fromkeys("\u2019\u2018\u02bc`\u00b4\u2032\uff07", "'"),
        # hyphen, non-breaking hyphen, figure dash, en and em dash, horizontal bar, minus sign,
        # small and fullwidth hyphen-minus
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    }
)  # fmt: skip


def search_fold(text: str) -> str:
    """The key `--author`, `--venue` and `--search` compare: `fold` (accents and case), and also
    `ł` as `l`, `ø` as `o`, `æ` as `ae`, `þ` as `th` (...), every apostrophe as `'` and every dash as
    `-`, so `lodz` finds Łódź and `O’Brien` finds O'Brien. The index holds texts folded by this."""
    # Mapped before `fold`: NFKD would turn the acute accent `´` into a space and a combining mark.
    # The text is ASCII after the mapping whenever it was ASCII before but for these characters, so
    # `fold` keeps its fast path.
    if text.isascii():
        folded = text.casefold()
        return folded.replace("`", "'") if "`" in folded else folded
    return fold(text.translate(_SEARCH_FOLDS))


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    # Imported only for an error message: the validator (and the YAML parser it imports) is not needed
    # by a selection that succeeds.
    from scholarcli.store.validate import did_you_mean

    return did_you_mean(word, choices)


def search_text(publication: Publication) -> str:
    """The folded text `--search` looks in: title, venue, names, abstract and note."""
    # Each part is folded on its own and the parts joined with spaces: the same text as folding the
    # joined text (a space ends any combining sequence), but an ASCII abstract keeps fold's fast path
    # even when a name has accents, and each name is folded once per store.
    parts: list[str] = [search_fold(publication.title or ""), search_fold(publication.container or "")]
    parts.extend(_folded_display(name) for name in publication.authors)
    parts.extend(_folded_display(name) for name in publication.editors)
    parts.extend((search_fold(publication.abstract or ""), search_fold(publication.note or "")))
    return " ".join(parts)


def names_text(publication: Publication) -> str:
    """The folded text of a work's names, each as `Given Family | Family, Given`, joined by ' | '."""
    # Folding the parts and joining them with ' | ' gives the same text as folding the joined text
    # (the separator is ASCII and starts no combining sequence); names recur across a store, so each
    # one is folded once.
    names = (*publication.authors, *publication.editors)
    return " | ".join(_folded_name(name) for name in names)


_folded_name = NameMemo(lambda name: search_fold(f"{name.display()} | {name.inverted()}"))
_folded_display = NameMemo(lambda name: search_fold(name.display()))
_name_sort_key = NameMemo(lambda name: name.sort_key())


@functools.lru_cache(maxsize=64)
def _folded_query(text: str) -> str:
    return search_fold(text)


def _may_span_names(needle: str) -> bool:
    """Whether a folded author needle could match across the ' | ' between two names' texts."""
    return "|" in needle or needle[:1] == " " or needle[-1:] == " "


def _has_author(publication: Publication, needle: str) -> bool:
    """`needle in names_text(publication)`, name by name where that is the same test.

    A needle with no '|' and no space at either end cannot span the ' | ' between two names, so it is
    in the joined text exactly when it is in one name's text.
    """
    # An empty needle (an `--author` of accents alone, folded) is in every text, even the empty one of
    # a work with no names, which the loop below would miss: the index's test says so too.
    if not needle or _may_span_names(needle):
        return needle in names_text(publication)
    for name in publication.authors:
        if needle in _folded_name(name):
            return True
    return any(needle in _folded_name(name) for name in publication.editors)


def matches(publication: Publication, selection: Selection) -> bool:
    """Whether one work passes every filter of a selection."""
    if selection.themes and not any(theme in publication.themes for theme in selection.themes):
        return False
    if selection.types and publication.type not in selection.types:
        return False
    if selection.years is not None and not selection.years.contains(publication.year):
        return False
    if selection.statuses and publication.status not in selection.statuses:
        return False
    if selection.tags:
        wanted = {fold(tag) for tag in selection.tags}
        if wanted.isdisjoint(fold(tag) for tag in publication.tags):
            return False
    if selection.featured and not publication.featured:
        return False
    if selection.venue and search_fold(selection.venue) not in search_fold(publication.container or ""):
        return False
    if selection.author and not _has_author(publication, _folded_query(selection.author)):
        return False
    if selection.search:
        haystack = search_text(publication)
        if not all(word in haystack for word in search_fold(selection.search).split()):
            return False
    return True


def _first_author_key(publication: Publication) -> tuple[str, str]:
    names = publication.contributors
    return _name_sort_key(names[0]) if names else ("", "")


def sort_key(publication: Publication, key: SortKey) -> tuple[object, ...]:
    """The ordering key for `--sort`, before `--reverse` applies."""
    return sort_key_from(publication, key, fold(publication.title or ""), _first_author_key(publication))


def sort_keys(publication: Publication) -> dict[SortKey, tuple[object, ...]]:
    """`sort_key` for every key, folding the title and the first name once (the index needs all)."""
    title, first_author = fold(publication.title or ""), _first_author_key(publication)
    return {key: sort_key_from(publication, key, title, first_author) for key in SORT_KEYS}


def sort_key_from(
    publication: Publication, key: SortKey, title: str, first_author: tuple[str, str]
) -> tuple[object, ...]:
    """`sort_key`, given the work's folded title and first-author key."""
    tie = (first_author, title, publication.id.casefold())
    if key == "year":
        # Newest first, with undated works in progress ahead of everything dated, nearest to
        # publication first, and published works with no year ("n.d.") after everything dated.
        # Negated numbers let one ascending sort do it.
        if publication.year is None:
            if publication.status == "published":
                return (2, 0, *tie)
            return (0, -STATUSES.index(publication.status), *tie)
        return (1, -publication.year, *tie)
    if key == "title":
        # Untitled works (a title not yet known) go after every titled one.
        return (title or "\uffff", publication.id.casefold())
    if key == "author":
        return (
            first_author,
            _year_rank(publication),
            title,
            publication.id.casefold(),
        )
    return (fold(publication.container or "\uffff"), _year_rank(publication), *tie)


def _year_rank(publication: Publication) -> int:
    """Newest first within an author or venue: works not yet out first, published undated works last."""
    if publication.year is not None:
        return -publication.year
    return 0 if publication.status == "published" else -10_000


def select(publications: Iterable[Publication], selection: Selection) -> list[Publication]:
    """The works that pass the filters, in the selection's order, cut to its limit."""
    chosen = [publication for publication in publications if matches(publication, selection)]
    chosen.sort(key=lambda publication: sort_key(publication, selection.sort), reverse=selection.reverse)
    if selection.limit is not None:
        chosen = chosen[: selection.limit]
    return chosen


def select_from(library: Library, selection: Selection) -> list[Publication]:
    """`select` over a whole store, after checking the selection's theme ids against it.

    With an index (any store read through the parse cache) the same works come out in the same
    order, but only the works that can pass the author and text filters are built, and none is sorted.
    """
    positions = select_positions(library, selection)
    if positions is None:
        return select(library.publications, selection)
    return [library.publications[position] for position in positions]


def select_positions(library: Library, selection: Selection) -> list[int] | None:
    """Where the selected works are in `library.publications`, in the selection's order; None when the
    library has no index (`--no-cache`, a write's own read): only an index makes this cheaper than
    `select_from`."""
    selection.check_against(library)
    index = library.index
    if index is None:
        return None
    order = index.orders[selection.sort]
    positions: Iterable[int] = reversed(order) if selection.reverse else order
    if selection.limit == 0:
        return []
    author = _folded_query(selection.author) if selection.author else None
    words = search_fold(selection.search).split() if selection.search else None
    # The text search is decided here in full (the index holds the same text), and so is the author
    # test when `_has_author` is `needle in names_text` (see there); otherwise the test here is a
    # necessary condition (one name's text is part of the joined text), confirmed by `matches`.
    exact_author = author is not None and not _may_span_names(author)
    rest = dataclasses.replace(selection, search=None, author=None if exact_author else selection.author)
    needs_record = rest != Selection(sort=rest.sort, reverse=rest.reverse, limit=rest.limit)
    publications, names_texts, search_texts = library.publications, index.names_texts, index.search_texts
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
    return chosen


def find_ids(library: Library, ids: Sequence[str]) -> list[Publication]:
    """The works with these ids, in the order asked; an unknown id raises with a did-you-mean hint."""
    from scholarcli.errors import UnknownIdError

    found = []
    for publication_id in ids:
        publication = library.get(publication_id)
        if publication is None:
            hint = _did_you_mean(publication_id, library.ids)
            raise UnknownIdError(f"no publication '{publication_id}'{hint}")
        found.append(publication)
    return found
