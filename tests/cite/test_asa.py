"""The built-in ASA formatter: equal to pandoc --citeproc with the ASA CSL style, record by record."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholarcli.cite.asa import (
    citation,
    edition_text,
    is_english,
    markdown_citation,
    page_range,
    plain_citation,
    title_case,
)
from scholarcli.cite.styled import MarkdownRenderer, PlainRenderer, Span, concat, join, plain
from scholarcli.model import Library, Name, Profile, Publication
from scholarcli.store import open_store
from tests.cite.citeproc_reference import (
    asa_style_path,
    citeproc_entries,
    markdown_to_plain,
    normalise,
)
from tests.conftest import DEFAULT_STORE, REPO, RICH_STORE, STRESS_STORE, require_program

ASA_CASES = REPO / "tests" / "fixtures" / "asa-cases"
STORES = {
    "default": DEFAULT_STORE,
    "stress": STRESS_STORE,
    "rich": RICH_STORE,
    "asa-cases": ASA_CASES,
}

# Records the store format cannot hold (no authors): the style's substitutes for the author.
SUBSTITUTE_LIBRARY = Library(
    profile=Profile(name="Nobody"),
    publications=(
        Publication(
            id="report-by-publisher", type="report", title="a report", year=2003, publisher="Org & Co"
        ),
        Publication(
            id="page-by-title", type="webpage", title="a page", year=2004, url="https://example.org/p"
        ),
        Publication(id="untitled-nothing", type="article-journal", year=2005, container="Journal"),
        # Translators stand in for a missing author after the editors, each list with its label.
        Publication(
            id="translated-by-only",
            type="book",
            title="a translation",
            subtitle="with a subtitle",
            translators=(Name(family="Tran", given="Tom"), Name(family="Uu", given="Una")),
            year=2006,
            publisher="P",
        ),
        Publication(
            id="edited-and-translated",
            type="chapter",
            title="a chapter",
            editors=(Name(family="Ed", given="Eve"),),
            translators=(Name(family="Tran", given="Tom"),),
            year=2007,
            container="Book",
        ),
        Publication(id="titled-with-subtitle", type="report", title="a title", subtitle="the sub", year=2008),
    ),
)


def library_of(store_name: str) -> Library:
    return open_store(STORES[store_name]).library


@pytest.mark.slow
@pytest.mark.parametrize("store_name", [*STORES, "substitutes"])
def test_asa_text_equals_pandoc_citeproc_for_every_record(store_name: str, tmp_path: Path) -> None:
    pandoc = require_program("pandoc")
    library = SUBSTITUTE_LIBRARY if store_name == "substitutes" else library_of(store_name)
    works = library.publications
    expected, _ = citeproc_entries(pandoc, works, library, tmp_path, asa_style_path())
    assert sorted(expected) == sorted(work.id for work in works), "pandoc did not render every record"
    ours = {work.id: normalise(plain_citation(work)) for work in works}
    mismatches = {key: (ours[key], expected[key]) for key in ours if ours[key] != expected[key]}
    assert not mismatches


@pytest.mark.slow
@pytest.mark.parametrize("store_name", list(STORES))
def test_markdown_citation_reads_back_as_pandoc_citeproc_text(store_name: str, tmp_path: Path) -> None:
    """Our Markdown (bold owner, italics, links, escapes) shows exactly pandoc's words once read."""
    pandoc = require_program("pandoc")
    library = library_of(store_name)
    works = library.publications
    expected, _ = citeproc_entries(pandoc, works, library, tmp_path, asa_style_path())
    markdown = {work.id: markdown_citation(work, owner=library.profile.is_owner) for work in works}
    for reader in ("markdown", "commonmark"):
        shown = markdown_to_plain(pandoc, markdown, reader)
        assert sorted(shown) == sorted(expected)
        mismatches = {key: (shown[key], expected[key]) for key in shown if shown[key] != expected[key]}
        assert not mismatches, reader


def test_plain_citation_of_a_real_record() -> None:
    work = library_of("default").get("trauthgoik2023black")
    assert work is not None
    assert plain_citation(work) == (
        "Trauth-Goik, Alexander, and Chuncheng Liu. 2023. “Black or Fifty Shades of Grey? The Power and "
        "Limits of the Social Credit Blacklist System in China.” Journal of Contemporary China "
        "32(144):1017–33. doi:10.1080/10670564.2022.2128638."
    )


def test_markdown_citation_bolds_the_owner_and_italicises_the_journal() -> None:
    library = library_of("default")
    work = library.get("trauthgoik2023black")
    assert work is not None
    text = markdown_citation(work, owner=library.profile.is_owner)
    assert text.startswith("Trauth-Goik, Alexander, and **Chuncheng Liu**. 2023. “Black or Fifty")
    assert "*Journal of Contemporary China* 32(144):1017–33." in text
    assert text.endswith(
        "doi:[10.1080/10670564.2022.2128638](<https://doi.org/10.1080/10670564.2022.2128638>)."
    )


def test_equal_contribution_marker_follows_each_author() -> None:
    library = library_of("default")
    work = library.get("liu2026imaginary")
    assert work is not None
    text = PlainRenderer().render(citation(work, equal_marker="†"))
    assert text.startswith("Liu, Chuncheng†, and Marianne von Blomberg†. 2026.")
    assert "†" not in plain_citation(work)


def test_work_not_yet_out_shows_its_status_where_the_year_goes() -> None:
    work = library_of("default").get("liu-metricocracy")
    assert work is not None
    assert (
        plain_citation(work)
        == "Liu, Chuncheng. under contract. Metricocracy. University of California Press."
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("the politics of the iPhone", "The Politics of the iPhone"),
        ("a book: the sequel", "A Book: The Sequel"),
        ("what it is about", "What It Is About"),
        ("NASA and COVID-19 in Łódź", "NASA and COVID-19 in Łódź"),
        ("über alles", "Über Alles"),
        ("x-ray/the 3rd", "X-Ray/the 3rd"),
        ("onerror=alert and [bold]tag", "Onerror=alert and [Bold]tag"),
        ("Hits_for the win", "Hits_for the Win"),
        ("van Gogh and de la Cruz", "Van Gogh and de La Cruz"),  # "la" is no stop word to citeproc
    ],
)
def test_title_case(title: str, expected: str) -> None:
    assert title_case(title) == expected


TRICKY_TITLES = (
    "the end. of it",
    "a-b c-d",
    "it's the 'best' one",
    "über-cool stuff yes",
    "a.b.c. and d",
    "COVID-19: a review of the evidence",
    "of",
    "é",
    'the "scare quotes" of it',
    "why? because: the end",
)


@pytest.mark.slow
def test_title_case_and_quotes_match_pandoc_on_tricky_titles(tmp_path: Path) -> None:
    pandoc = require_program("pandoc")
    works = tuple(
        Publication(
            id=f"t{index}",
            type="article-journal",
            title=title,
            authors=(Name(family=f"A{index:02d}"),),
            year=2000,
        )
        for index, title in enumerate(TRICKY_TITLES)
    )
    library = Library(profile=Profile(name="Nobody"), publications=works)
    expected, _ = citeproc_entries(pandoc, works, library, tmp_path, asa_style_path())
    assert len(expected) == len(works)
    assert {work.id: plain_citation(work) for work in works} == expected


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("22-32", "22–32"),
        ("1017-1033", "1017–33"),
        ("101-120", "101–20"),
        ("101-108", "101–8"),
        ("100-104", "100–104"),
        ("321-328", "321–28"),
        ("1496-1504", "1496–1504"),
        ("S12-S20", "S12–20"),
        ("100-104, 107-108", "100–104, 107–8"),
        ("385", "385"),
        ("e12", "e12"),
    ],
)
def test_page_ranges_are_abbreviated_the_chicago_way(pages: str, expected: str) -> None:
    assert page_range(pages) == expected


def test_punctuation_moves_inside_closing_quotes_once() -> None:
    quoted = plain("“Title”")
    assert PlainRenderer().render(concat(quoted, plain(". Next"))) == "“Title.” Next"
    asked = plain("“Why?”")
    assert PlainRenderer().render(concat(asked, plain(". Next"))) == "“Why?” Next"
    assert PlainRenderer().render(join((plain("Smith, J."), plain("2019")), ". ")) == "Smith, J. 2019"


def test_markdown_renderer_keeps_spaces_outside_markup_and_escapes_text() -> None:
    rich = (Span("Ann *Lee*", bold=True), Span(". "), Span("A_B", italic=True), Span("."))
    assert MarkdownRenderer().render(rich) == "**Ann \\*Lee\\***. *A\\_B*."


def test_line_start_that_would_be_a_list_is_escaped() -> None:
    work = Publication(
        id="x", type="report", title="T", authors=(Name(literal="1984. Group"),), year=2001, publisher="P"
    )
    assert markdown_citation(work).startswith("1984\\. Group. 2001.")


def test_cjk_names_are_written_family_first_without_space() -> None:
    work = Publication(
        id="x",
        type="article-journal",
        title="t",
        authors=(Name(family="刘", given="春成"), Name(family="王", given="伟")),
        year=2001,
    )
    assert plain_citation(work).startswith("刘春成, and 王伟. 2001.")


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="pandoc's citeproc prints an editor who is also the translator twice: once merged into the "
    "author substitute (`ed. & tran.`), then again as `edited by`. CSL suppresses a variable the "
    "substitute used in the rest of the entry, and so do we.",
)
def test_editor_who_is_also_the_translator_is_named_once(tmp_path: Path) -> None:
    pandoc = require_program("pandoc")
    both = (Name(family="Ed", given="Eve"),)
    work = Publication(
        id="ed-tr", type="book", title="t", editors=both, translators=both, year=2000, publisher="P"
    )
    assert plain_citation(work) == "Ed, Eve, ed. & tran. 2000. T. P."
    library = Library(profile=Profile(name="Nobody"), publications=(work,))
    expected, _ = citeproc_entries(pandoc, (work,), library, tmp_path, asa_style_path())
    assert expected["ed-tr"] == plain_citation(work)  # pandoc: "... 2000. T. edited by E. Ed. P."


@pytest.mark.parametrize(
    ("edition", "expected"),
    [
        ("2", "2nd ed."),
        ("02", "2nd ed."),
        ("1", "1st ed."),
        ("11", "11th ed."),
        ("21", "21st ed."),
        ("112", "112th ed."),
        ("2nd", "2nd ed."),
        ("2e", "2e ed."),
        ("2-3", "2nd\u20133rd ed."),
        ("2, 3", "2nd, 3rd ed."),
        ("Revised", "Revised"),  # text: the style adds a period after it
        ("2nd ed.", "2nd ed."),
        ("2 & 3", "2 & 3"),
        ("II", "II"),
    ],
)
def test_edition_is_an_ordinal_when_numeric(edition: str, expected: str) -> None:
    assert edition_text(edition) == expected


@pytest.mark.parametrize(
    ("language", "english"),
    [
        (None, True),
        ("", True),
        ("en", True),
        ("en-GB", True),
        ("EN_us", True),
        ("x", True),  # no language tag citeproc can read: the style's locale, English
        ("english", False),  # a language name, not the tag "en": pandoc does not title-case it
        ("eng", False),
        ("fr", False),
        ("de-DE", False),
    ],
)
def test_only_english_works_are_title_cased(language: str | None, english: bool) -> None:
    assert is_english(language) is english
    work = Publication(
        id="x", type="book", title="the title", authors=(Name(family="A"),), year=2000, language=language
    )
    assert plain_citation(work).startswith("A. 2000. The Title." if english else "A. 2000. the title.")
