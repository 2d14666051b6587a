"""Selection: filters combine with AND, repeats within a filter with OR; the order is total."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.model import Library, Publication
from scholarcli.query import BadSelectionError, InMemory, Selection, YearRange, find_ids, select
from scholarcli.store import load_library, locate_store, open_store
from scholarcli.store.cache import parse as cache
from tests.conftest import DEFAULT_ORDER, DEFAULT_STORE, STRESS_STORE


@pytest.fixture(autouse=True)
def cache_enabled() -> Iterator[None]:
    # A CLI run with --no-cache sets the parse cache's bypass for the process; the tests here that
    # compare indexed and unindexed reads need the cache on.
    cache.set_bypass(False)
    yield
    cache.set_bypass(False)


@pytest.fixture(scope="module")
def library() -> Library:
    return open_store(DEFAULT_STORE).library


def ids(library: Library, **selection: object) -> list[str]:
    return [p.id for p in select(InMemory(library), Selection(**selection)).works]  # type: ignore[arg-type]


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
    every = [work.id for work in select(InMemory(unindexed), Selection()).works]
    assert "anonymous2020" in every
    assert ids(unindexed, author="\u0301") == every
    # and the same through a cached index (a hit of the parse cache) is tested in test_index.py


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
    with pytest.raises(BadSelectionError) as raised:
        select(InMemory(library), Selection(themes=("west-imagnary",)))
    assert str(raised.value) == (
        "--theme 'west-imagnary': no such theme in this store (did you mean 'west-imaginary'?)"
    )


# -- every value a filter option names is checked (issue #12, item 13) ---------------------------------

TAGGED_STORE = """\
- id: a2020
  type: article-journal
  title: First
  authors: [Doe, Jane]
  year: 2020
  tags: [Survey-Methods, R&D]
- id: b2021
  type: book
  title: Second
  authors: [Roe, Rick]
  year: 2021
  tags: [fieldwork]
"""


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        (
            Selection(types=("article-jounal",)),
            "--type 'article-jounal': no such CSL type (did you mean 'article-journal'?)",
        ),
        (Selection(types=("book", "bogus")), "--type 'bogus': no such CSL type"),
        (
            Selection(tags=("survey-method",)),
            "--tag 'survey-method': no work in this store has this tag (did you mean 'Survey-Methods'?)",
        ),
        (Selection(tags=("fieldwork", "nowhere")), "--tag 'nowhere': no work in this store has this tag"),
        (
            Selection(statuses=("publishd",)),
            "--status 'publishd': no such status (did you mean 'published'?)",
        ),
        (
            Selection(themes=("alpah",)),
            "--theme 'alpah': no such theme in this store (did you mean 'alpha'?)",
        ),
    ],
)
def test_unknown_filter_values_are_refused_with_and_without_the_index(
    make_store, selection: Selection, message: str
) -> None:
    folder = make_store(TAGGED_STORE)
    location = locate_store(folder)
    unindexed = load_library(location, use_cache=False)
    indexed = load_library(location)
    assert indexed.from_cache
    assert not unindexed.from_cache
    for loaded in (indexed, unindexed):
        with pytest.raises(BadSelectionError) as raised:
            select(loaded, selection)
        assert str(raised.value) == message


def test_known_types_and_tags_any_case_are_accepted_even_when_nothing_matches(make_store) -> None:
    library = open_store(make_store(TAGGED_STORE)).library
    # A valid CSL type no work has is a valid filter (as a status is), just an empty one.
    assert ids(library, types=("dataset",)) == []
    # Tags match ignoring case and accents, so they are known the same way.
    assert ids(library, tags=("survey-methods",)) == ["a2020"]
    assert ids(library, tags=("r&d", "FIELDWORK")) == ["b2021", "a2020"]
    assert ids(library, tags=("fieldwork",), types=("article-journal",)) == []


@pytest.mark.parametrize("command", [["list"], ["stats"], ["export", "--format", "bibtex"]])
@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--type", "artcle"], "error: --type 'artcle': no such CSL type (did you mean 'article'?)\n"),
        (
            ["--tag", "feldwork"],
            "error: --tag 'feldwork': no work in this store has this tag (did you mean 'fieldwork'?)\n",
        ),
        (["--status", "bogus"], "error: --status 'bogus': no such status\n"),
        (["--theme", "bogus"], "error: --theme 'bogus': no such theme in this store\n"),
    ],
)
def test_list_stats_and_export_refuse_unknown_filter_values(
    runner: CliRunner, make_store, command: list[str], option: list[str], message: str
) -> None:
    folder = make_store(TAGGED_STORE)
    for no_cache in ([], ["--no-cache"]):
        result = runner.invoke(app, [*no_cache, *command, "--store", str(folder), *option])
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)


def test_find_ids_keeps_order_and_hints(library: Library) -> None:
    assert [p.id for p in find_ids(InMemory(library), ["liu2022who", "LIU2019MULTIPLE"])] == [
        "liu2022who",
        "liu2019multiple",
    ]
    with pytest.raises(Exception, match="no publication 'liu2022woh' \\(did you mean 'liu2022who'\\?\\)"):
        find_ids(InMemory(library), ["liu2022woh"])


# -- letters and marks that accents-stripping does not fold (issue #12, item 17) --------------------

FOLD_STORE = """\
- id: lodz2020
  type: article-journal
  title: "Łódź Revisited: Æther, Œuvre and Straße"
  authors: ["Kowalski, Łukasz", "Ødegård, Þóra"]
  year: 2020
  container: "Scandinavian Journal of Social–Theory"
- id: obrien2021
  type: article-journal
  title: "The ‘Quiet’ Revolution in Đakovo"
  authors: ["O'Brien, Seán", "Kılıç, Ayşe"]
  year: 2021
  container: Journal of Past‐Present Studies
- id: other2022
  type: book
  title: Nothing Special
  authors: ["Doe, Jane"]
  year: 2022
  publisher: Press
"""


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (Selection(author="lodz"), []),  # no author is called Łódź: the title is
        (Selection(search="lodz"), ["lodz2020"]),
        (Selection(search="ŁÓDŹ"), ["lodz2020"]),
        (Selection(author="lukasz kowalski"), ["lodz2020"]),
        (Selection(author="KOWALSKI, LUKASZ"), ["lodz2020"]),
        (Selection(author="odegard"), ["lodz2020"]),
        (Selection(author="thora"), ["lodz2020"]),
        (Selection(search="aether oeuvre strasse"), ["lodz2020"]),
        (Selection(search="Æther"), ["lodz2020"]),
        (Selection(search="dakovo"), ["obrien2021"]),
        (Selection(author="kilic"), ["obrien2021"]),
        (Selection(author="O'Brien"), ["obrien2021"]),
        (Selection(author="o’brien"), ["obrien2021"]),
        (Selection(author="oʼbrien"), ["obrien2021"]),
        (Selection(author="o‘brien"), ["obrien2021"]),
        (Selection(author="o`brien"), ["obrien2021"]),
        (Selection(author="o´brien"), ["obrien2021"]),
        (Selection(author="o′brien"), ["obrien2021"]),
        (Selection(author="obrien"), []),  # an apostrophe is folded to one form, not dropped
        (Selection(search="'quiet'"), ["obrien2021"]),
        (Selection(venue="social-theory"), ["lodz2020"]),
        (Selection(venue="social—theory"), ["lodz2020"]),
        (Selection(venue="past-present"), ["obrien2021"]),
        (Selection(venue="past−present"), ["obrien2021"]),
        (Selection(search="social‒theory"), ["lodz2020"]),
    ],
)
def test_search_key_folds_letters_apostrophes_and_dashes_with_and_without_the_index(
    make_store, selection: Selection, expected: list[str]
) -> None:
    location = locate_store(make_store(FOLD_STORE))
    unindexed = load_library(location, use_cache=False)  # an index built in memory
    written = load_library(location)  # the miss that writes the parse cache
    read = load_library(location)  # a hit: the index read back from the cache
    assert not unindexed.from_cache
    assert written.from_cache
    assert read.from_cache
    for loaded in (unindexed, written, read):
        assert [work.id for work in select(loaded, selection).works] == expected, loaded


def test_author_lodz_finds_lodz_on_the_command_line(runner: CliRunner, make_store) -> None:
    folder = make_store(FOLD_STORE.replace("Kowalski, Łukasz", "Łódź, Łukasz"))
    for no_cache in ([], ["--no-cache"], []):
        result = runner.invoke(
            app, [*no_cache, "list", "--store", str(folder), "--author", "lodz", "-f", "keys"]
        )
        assert (result.exit_code, result.stdout, result.stderr) == (0, "lodz2020\n", "")
        result = runner.invoke(
            app, [*no_cache, "list", "--store", str(folder), "--author", "O’Brien", "-f", "keys"]
        )
        assert (result.exit_code, result.stdout, result.stderr) == (0, "obrien2021\n", "")


def test_text_filters_are_stripped_and_blank_ones_filter_nothing(runner: CliRunner, make_store) -> None:
    folder = make_store(FOLD_STORE.replace("Kowalski, Łukasz", "Łódź, Łukasz"))
    every = runner.invoke(app, ["list", "--store", str(folder), "-f", "keys"]).stdout
    assert every.count("\n") > 2
    for no_cache in ([], ["--no-cache"]):
        for option in ("--author", "--venue", "--search"):
            for blank in (" ", "  \t "):
                result = runner.invoke(
                    app, [*no_cache, "list", "--store", str(folder), option, blank, "-f", "keys"]
                )
                assert (result.exit_code, result.stdout) == (0, every), (option, no_cache)
        result = runner.invoke(
            app, [*no_cache, "list", "--store", str(folder), "--author", "  lodz  ", "-f", "keys"]
        )
        assert (result.exit_code, result.stdout, result.stderr) == (0, "lodz2020\n", "")


def test_show_reads_ids_separated_by_any_blank_from_stdin(runner: CliRunner, default_store) -> None:
    ids = DEFAULT_ORDER[:3]
    result = runner.invoke(app, ["show", "-", "--store", str(default_store)], input=" ".join(ids) + "\n")
    expected = runner.invoke(app, ["show", *ids, "--store", str(default_store)])
    assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout), result.stderr
    assert expected.exit_code == 0
