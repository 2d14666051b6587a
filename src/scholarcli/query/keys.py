"""The keys a selection compares: folded texts for `--author`, `--venue` and `--search`, and the sort keys.

`matches` and `sort_key` decide for one work; the index (index.py) holds the same keys for every work,
computed by these functions, so a selection gives the same works whether the keys come from there or not.
"""

from __future__ import annotations

import functools

from scholarcli.model import STATUSES, NameMemo, Publication, fold
from scholarcli.query.selection import SORT_KEYS, Selection, SortKey

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
def folded_query(text: str) -> str:
    return search_fold(text)


def may_span_names(needle: str) -> bool:
    """Whether a folded author needle could match across the ' | ' between two names' texts."""
    return "|" in needle or needle[:1] == " " or needle[-1:] == " "


def _has_author(publication: Publication, needle: str) -> bool:
    """`needle in names_text(publication)`, name by name where that is the same test.

    A needle with no '|' and no space at either end cannot span the ' | ' between two names, so it is
    in the joined text exactly when it is in one name's text.
    """
    # An empty needle (an `--author` of accents alone, folded) is in every text, even the empty one of
    # a work with no names, which the loop below would miss: the index's test says so too.
    if not needle or may_span_names(needle):
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
    if selection.author and not _has_author(publication, folded_query(selection.author)):
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
