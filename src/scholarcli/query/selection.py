"""What a command asks for: which works (filters) and in what order (`--sort`, `--reverse`, `--limit`).

Filters combine with AND; a repeated `--theme` (or type, status, tag) is an OR within that filter.
The order is total (ties fall back to the id), so the same store always gives the same output.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from scholarcli.errors import ScholarError
from scholarcli.model import CSL_TYPES, STATUSES, Library, Theme, fold
from scholarcli.text import did_you_mean

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
    return BadSelectionError(f"{option} '{value}': {problem}{did_you_mean(value, known)}")


def find_theme(library: Library, theme_id: str) -> Theme:
    """The theme with this id; an unknown id raises with a did-you-mean hint."""
    theme = library.theme_by_id.get(theme_id)
    if theme is None:
        known = [theme.id for theme in library.themes]
        raise BadSelectionError(f"no theme '{theme_id}'{did_you_mean(theme_id, known)}")
    return theme
