"""Counts over a selection of works: by year, type, status and theme, and co-authors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from scholarcli.model import STATUSES, Library, Publication


@dataclass(frozen=True, slots=True)
class Summary:
    """Each list is (label, count) in a stable order, ready to draw or print."""

    total: int
    by_year: list[tuple[str, int]]
    by_type: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    by_theme: list[tuple[str, int]]
    coauthors: list[tuple[str, int]]


def summarise(works: Sequence[Publication], library: Library) -> Summary:
    """Count works; years ascending (undated last), themes in store order, the rest most frequent first."""
    years = Counter("undated" if p.year is None else str(p.year) for p in works)
    by_year = sorted(years.items(), key=lambda item: (item[0] == "undated", item[0]))
    types = Counter(p.type for p in works)
    statuses = Counter(p.status for p in works)
    themes = Counter(theme for p in works for theme in p.themes)
    coauthors: Counter[str] = Counter()
    for publication in works:
        # Each co-author counts once per work, whatever role they had in it.
        names = {name.display() for name in publication.authors if not library.profile.is_owner(name)}
        coauthors.update(names)
    return Summary(
        total=len(works),
        by_year=by_year,
        by_type=_most_common(types),
        by_status=[(status, statuses[status]) for status in STATUSES if statuses[status]],
        by_theme=[(theme.id, themes[theme.id]) for theme in library.themes if themes[theme.id]],
        coauthors=_most_common(coauthors),
    )


def _most_common(counter: Counter[str]) -> list[tuple[str, int]]:
    # Ties by label so the output is the same on every run.
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))
