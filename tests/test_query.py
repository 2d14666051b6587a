"""Selection: filters combine with AND, repeats within a filter with OR; the order is total."""

from __future__ import annotations

import pytest

from scholarcli.index import build_index
from scholarcli.model import Library, Publication
from scholarcli.query import BadSelectionError, Selection, YearRange, find_ids, select_from
from scholarcli.store import open_store
from tests.conftest import DEFAULT_ORDER, DEFAULT_STORE, STRESS_STORE


@pytest.fixture(scope="module")
def library() -> Library:
    return open_store(DEFAULT_STORE).library


def ids(library: Library, **selection: object) -> list[str]:
    return [p.id for p in select_from(library, Selection(**selection))]  # type: ignore[arg-type]


def test_default_order_is_newest_first_with_work_in_progress_on_top(library: Library) -> None:
    assert ids(library) == DEFAULT_ORDER


def test_reverse_and_limit(library: Library) -> None:
    assert ids(library, reverse=True, limit=2) == ["liu2019multiple", "liu2022who"]
    assert ids(library, limit=0) == []


def test_theme_filter_repeats_are_or(library: Library) -> None:
    assert ids(library, themes=("west-imaginary",)) == ["liu2026imaginary"]
    assert ids(library, themes=("citizen-response", "monolith-myth")) == [
        "trauthgoik2023black",
        "liu2022who",
        "liu2019multiple",
    ]


def test_filters_combine_with_and(library: Library) -> None:
    assert ids(library, themes=("citizen-response",), years=YearRange.parse("2023")) == [
        "trauthgoik2023black"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022", ["liu2022who"]),
        ("2023..2025", ["liu2025handbook", "liu2025trusting", "trauthgoik2023black"]),
        ("2025..", ["liu2026imaginary", "liu2025handbook", "liu2025trusting"]),
        ("..2019", ["liu2019multiple"]),
    ],
)
def test_year_ranges(library: Library, text: str, expected: list[str]) -> None:
    assert ids(library, years=YearRange.parse(text)) == expected


@pytest.mark.parametrize("text", ["22", "2020..2019", "..", "2020-2023", "soon"])
def test_bad_year_ranges_are_refused(text: str) -> None:
    with pytest.raises(BadSelectionError):
        YearRange.parse(text)


def test_author_matches_any_author_or_editor_ignoring_accents_and_case(library: Library) -> None:
    assert ids(library, author="TRAUTH") == ["trauthgoik2023black"]
    assert ids(library, author="pardo-guerra") == ["liu2025handbook"]
    assert ids(library, author="von blomberg") == ["liu2026imaginary"]
    stress = open_store(STRESS_STORE).library
    assert "specials2020" in ids(stress, author="emile durkheim")
    assert ids(stress, author="godel") == ["names2019"]


def test_an_author_that_folds_to_nothing_filters_nothing_with_or_without_the_index(library: Library) -> None:
    # A lone combining accent folds to "", which is in every names text (as an empty --search is in
    # every search text): the name-by-name test once dropped works with no names, the index did not.
    works = (*library.publications, Publication(id="anonymous2020", type="report", title="Unsigned"))
    unindexed = Library(library.profile, library.themes, works)
    indexed = unindexed.with_index(build_index(works))
    every = [work.id for work in select_from(unindexed, Selection())]
    assert "anonymous2020" in every
    assert ids(unindexed, author="\u0301") == every
    assert ids(indexed, author="\u0301") == every


def test_type_status_venue_and_search(library: Library) -> None:
    assert ids(library, types=("chapter", "book")) == ["liu-metricocracy", "liu2025handbook"]
    assert ids(library, statuses=("under-contract",)) == ["liu-metricocracy"]
    assert ids(library, venue="international sociology") == ["liu2022who"]
    assert ids(library, venue="SOCIOLOGY") == [
        "liu2025handbook",
        "liu2025trusting",
        "liu2022who",
        "liu2019multiple",
    ]
    assert ids(library, search="blacklist china") == ["trauthgoik2023black"]
    assert ids(library, search="meritown") == ["liu-metricocracy"]


def test_sort_by_title_author_and_venue(library: Library) -> None:
    assert ids(library, sort="title")[:3] == ["trauthgoik2023black", "liu-metricocracy", "liu2019multiple"]
    assert ids(library, sort="title")[-2:] == ["liu2025handbook", "liu2026imaginary"]
    assert ids(library, sort="author")[:2] == ["liu-metricocracy", "liu2026imaginary"]
    assert ids(library, sort="author")[-1] == "trauthgoik2023black"
    assert ids(library, sort="venue")[0] == "liu2025trusting"


def test_unknown_theme_is_refused_with_a_hint(library: Library) -> None:
    with pytest.raises(
        BadSelectionError, match="no theme 'west-imagnary' \\(did you mean 'west-imaginary'\\?\\)"
    ):
        select_from(library, Selection(themes=("west-imagnary",)))


def test_find_ids_keeps_order_and_hints(library: Library) -> None:
    assert [p.id for p in find_ids(library, ["liu2022who", "LIU2019MULTIPLE"])] == [
        "liu2022who",
        "liu2019multiple",
    ]
    with pytest.raises(Exception, match="no publication 'liu2022woh' \\(did you mean 'liu2022who'\\?\\)"):
        find_ids(library, ["liu2022woh"])
