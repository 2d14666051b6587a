"""Validation of store files: every problem at once, each with file, line, column and a hint."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from scholarcli.errors import StoreInvalidError
from scholarcli.model import Name
from scholarcli.store import StoreLocation, load_library
from scholarcli.store.validate import read_profile, read_publications, read_themes
from scholarcli.store.yamlio import load_text

THEMES = ("alpha", "beta")
TODAY = datetime.date(2026, 11, 26)


def problems_of(text: str) -> list[str]:
    data, yaml_problems = load_text(text, "p.yaml")
    _, problems = read_publications(data, "p.yaml", THEMES, today=TODAY)
    return [str(p) for p in yaml_problems + problems]


def records_of(text: str):
    data, _ = load_text(text, "p.yaml")
    records, problems = read_publications(data, "p.yaml", THEMES, today=TODAY)
    assert [p for p in problems if p.severity == "error"] == []
    return records


GOOD = """\
- id: a2020
  type: article-journal
  title: Title
  authors: [Liu, Chuncheng]
  year: 2020
  doi: 10.1234/x
  pages: 1-2
"""


def test_a_good_record_reads_with_no_problem() -> None:
    assert problems_of(GOOD) == []


def test_a_single_name_string_is_a_list_of_one() -> None:
    text = GOOD.replace("authors: [Liu, Chuncheng]", 'authors: "Liu, Chuncheng"')
    (record,) = records_of(text)
    assert record.authors == (Name(family="Liu", given="Chuncheng"),)


def test_unknown_field_has_a_did_you_mean_hint() -> None:
    assert problems_of(GOOD + "  volumme: '3'\n") == [
        "p.yaml:8:3: unknown field 'volumme' in a publication (did you mean 'volume'?)"
    ]


def test_duplicate_ids_are_compared_ignoring_case() -> None:
    assert problems_of(GOOD + GOOD.replace("a2020", "A2020")) == [
        "p.yaml:8:7: duplicate id 'A2020' (ids are compared ignoring case; 'a2020' is on line 1)"
    ]


def test_unknown_theme_and_type_with_hints() -> None:
    text = GOOD.replace("type: article-journal", "type: article-jurnal") + "  themes: [alpha, bta]\n"
    assert problems_of(text) == [
        "p.yaml:2:9: unknown type 'article-jurnal' (did you mean 'article-journal'?)",
        "p.yaml:8:19: unknown theme 'bta' (did you mean 'beta'?)",
    ]


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("'20'", "year '20' must be a four-digit year up to 2031"),
        ("2040", "year '2040' must be a four-digit year up to 2031"),
        ("twenty", "year 'twenty' must be a four-digit year up to 2031"),
        ("2019-01-05", "year '2019-01-05' must be a four-digit year up to 2031"),
    ],
)
def test_bad_years(year: str, message: str) -> None:
    assert problems_of(GOOD.replace("year: 2020", f"year: {year}")) == [f"p.yaml:5:9: {message}"]


def test_control_characters_are_errors() -> None:
    text = GOOD.replace("title: Title", 'title: "Bad\\e[31m title"')
    assert problems_of(text) == ["p.yaml:3:10: 'title' contains the control character U+001B; remove it"]


def test_bidi_override_is_a_warning_not_an_error() -> None:
    text = GOOD.replace("title: Title", 'title: "Evil \\u202Eoops"')
    assert problems_of(text) == [
        "p.yaml:3:10: warning: 'title' contains the invisible bidirectional control U+202E"
    ]


def test_empty_strings_and_lists_are_errors() -> None:
    text = GOOD.replace("title: Title", 'title: ""') + "  tags: []\n  note:\n"
    assert problems_of(text) == [
        "p.yaml:3:10: 'title' is empty; give a value or remove the field",
        "p.yaml:8:9: 'tags' is an empty list; give at least one item or remove the field",
        "p.yaml:9:8: 'note' is empty; give a value or remove the field",
    ]


@pytest.mark.parametrize("bad_id", ["a b", "a,b", "a{b}", "a%b", "a#b", "a@b", "a\\b", "a=b"])
def test_ids_must_match_the_pattern(bad_id: str) -> None:
    problems = problems_of(GOOD.replace("id: a2020", f"id: '{bad_id}'"))
    assert problems == [f"p.yaml:1:7: id '{bad_id}' must use only letters, digits and _:./+-"]


@pytest.mark.parametrize(
    "good_id",
    ["2020a", "a/b", "é2020", "averroes/bland", "пункт3", "_dalain_2010", "30", "http://x.org/items/AB"],
)
def test_ids_take_any_key_bibtex_and_biber_read(good_id: str) -> None:
    assert problems_of(GOOD.replace("id: a2020", f"id: '{good_id}'")) == []


def test_missing_required_fields_are_reported_together() -> None:
    assert problems_of("- title: Lonely\n") == [
        "p.yaml:1:3: missing required field 'id'",
        "p.yaml:1:3: missing required field 'type'",
        "p.yaml:1:3: warning: this record (its id is missing or empty) has no authors or editors",
        "p.yaml:1:3: warning: this record (its id is missing or empty) has no year",
    ]


@pytest.mark.parametrize(
    ("text", "warnings"),
    [
        # an @online or @manual by an organisation: no names
        ("- id: o\n  type: webpage\n  title: T\n  year: 2020\n", ["'o' has no authors or editors"]),
        # an @unpublished with no date
        ("- id: u\n  type: manuscript\n  title: T\n  authors: [A, B]\n", ["'u' has no year"]),
        ("- id: n\n  type: book\n  title: T\n", ["'n' has no authors or editors", "'n' has no year"]),
    ],
)
def test_no_names_or_no_year_is_a_warning_and_the_record_is_read(text: str, warnings: list[str]) -> None:
    data, _ = load_text(text, "p.yaml")
    records, problems = read_publications(data, "p.yaml", THEMES, today=TODAY)
    assert [(p.severity, p.message) for p in problems] == [("warning", w) for w in warnings]
    (record,) = records
    assert (record.authors, record.editors) == ((), ()) or record.year is None


def test_year_is_optional_for_work_not_yet_out() -> None:
    text = "- id: x\n  type: book\n  title: T\n  authors: [A, B]\n  status: under-contract\n"
    (record,) = records_of(text)
    assert (record.year, record.status, record.is_out) == (None, "under-contract", False)


def test_missing_title_doi_and_pages_are_warnings() -> None:
    text = "- id: x\n  type: article-journal\n  authors: [A, B]\n  year: 2020\n"
    assert problems_of(text) == [
        "p.yaml:1:3: warning: 'x' has no title",
        "p.yaml:1:3: warning: 'x' is published but has no pages",
        "p.yaml:1:3: warning: 'x' is published but has no DOI",
    ]


@pytest.mark.parametrize(
    ("doi", "message"),
    [
        ("https://doi.org/10.1234/x", "write the bare DOI '10.1234/x' without the prefix"),
        ("11.1/x", "'11.1/x' is not a DOI (10.NNNN/...)"),
    ],
)
def test_doi_shape(doi: str, message: str) -> None:
    assert problems_of(GOOD.replace("doi: 10.1234/x", f"doi: {doi}")) == [f"p.yaml:6:8: {message}"]


def test_name_mapping_parts_are_checked() -> None:
    text = GOOD.replace(
        "authors: [Liu, Chuncheng]", "authors:\n    - {famly: Liu}\n    - {literal: X, given: Y}"
    )
    assert problems_of(text) == [
        "p.yaml:5:7: a name needs 'family' (or 'literal' for an organisation)",
        "p.yaml:5:8: unknown name part 'famly' (did you mean 'family'?)",
        "p.yaml:6:7: a name is either {literal: ...} or {family, given, ...}, not both",
    ]


def test_equal_contribution_is_true_or_false() -> None:
    assert problems_of(GOOD + "  equal_contribution: yes\n") == [
        "p.yaml:8:23: 'equal_contribution' must be true or false"
    ]


def test_top_level_shapes() -> None:
    data, _ = load_text("id: x\n", "p.yaml")
    _, problems = read_publications(data, "p.yaml", THEMES)
    assert "must be a list of records" in problems[0].message
    _, problems = read_themes(data, "t.yaml")
    assert "must be a list of themes" in problems[0].message
    _, problems = read_profile(None, "profile.yaml")
    assert "the profile is empty" in problems[0].message


def test_theme_ids_are_slugs_and_unique() -> None:
    data, _ = load_text("- id: Alpha\n  title: A\n- id: b\n  title: B\n- id: b\n  title: C\n", "t.yaml")
    themes, problems = read_themes(data, "t.yaml")
    assert [t.id for t in themes] == ["b"]
    assert [str(p) for p in problems] == [
        "t.yaml:1:7: theme id 'Alpha' must be lower-case words joined by '-' (a slug)",
        "t.yaml:5:7: duplicate theme id 'b' (first on line 3)",
    ]


def test_profile_fields_are_checked() -> None:
    data, _ = load_text("name: X\norcid: 1234\nhomepage: example.org\nnick: y\n", "profile.yaml")
    _, problems = read_profile(data, "profile.yaml")
    assert [str(p) for p in problems] == [
        "profile.yaml:2:8: '1234' is not an ORCID (0000-0000-0000-0000)",
        "profile.yaml:3:11: 'homepage' must start with http:// or https://",
        "profile.yaml:4:1: unknown field 'nick' in the profile",
    ]


def test_a_store_with_errors_in_several_files_reports_them_all(make_store) -> None:
    folder = make_store(GOOD + "  themes: [gamma]\n", themes="- id: alpha\n  title: A\n  colour: red\n")
    with pytest.raises(StoreInvalidError) as caught:
        load_library(StoreLocation(folder, "test"))
    messages = caught.value.messages()
    assert len(messages) == 2
    assert messages[0].endswith("themes.yaml:3:3: unknown field 'colour' in a theme")
    assert messages[1].endswith("publications.yaml:8:12: unknown theme 'gamma'")


def test_non_utf8_file_names_line_and_column(make_store) -> None:
    folder: Path = make_store(GOOD)
    (folder / "publications.yaml").write_bytes(GOOD.encode() + b"  note: caf\xe9\n")
    with pytest.raises(StoreInvalidError) as caught:
        load_library(StoreLocation(folder, "test"))
    assert caught.value.messages()[0].endswith(
        "publications.yaml:8:12: the file is not UTF-8 text; save it as UTF-8"
    )
