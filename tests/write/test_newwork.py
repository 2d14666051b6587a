"""A new work given field by field: what it still needs and the record it makes (write/newwork.py)."""

from __future__ import annotations

import pytest

from scholarcli.errors import ScholarError
from scholarcli.model import Name
from scholarcli.store.validate import year_problem
from scholarcli.write.newwork import NewWork
from scholarcli.write.operations import ManyProblemsError


def test_an_empty_work_needs_a_type_a_title_a_name_and_a_year_in_that_order() -> None:
    assert NewWork().missing() == ["--type", "--title", "--author", "--year"]


def test_an_editor_stands_for_the_authors_and_a_work_in_progress_needs_no_year() -> None:
    assert NewWork(type="book", title="T", editors=("Liu, C",), status="in-preparation").missing() == []
    assert NewWork(type="book", title="T", authors=("Liu, C",), status="published").missing() == ["--year"]


def test_the_record_has_the_values_given_and_a_generated_id_when_none_is() -> None:
    work = NewWork(
        type="article-journal", title="Who Supports Expanding Surveillance?", authors=("Liu, Chuncheng",),
        year="2022", container="International Sociology", tags=("survey",),
    )  # fmt: skip
    candidate = work.candidate()
    publication = candidate.publication
    assert (publication.id, publication.year, publication.status) == ("", 2022, "published")
    assert publication.authors == (Name(family="Liu", given="Chuncheng"),)
    assert (publication.container, publication.tags) == ("International Sociology", ("survey",))
    assert candidate.source == "the new record"
    assert (
        NewWork(type="book", title="T", authors=("A, B",), year="2020", id="mine").candidate().publication.id
        == "mine"
    )


@pytest.mark.parametrize("year", ["²⁰²⁰", "20x0", "0999"])
def test_a_year_that_is_not_a_year_is_refused_with_the_loaders_message(year: str) -> None:
    with pytest.raises(ManyProblemsError) as raised:
        NewWork(type="book", title="T", authors=("A, B",), year=year).candidate()
    (line,) = raised.value.messages()
    assert line == f"the new record: {year_problem(year)}"  # the loader's own rule and message
    assert str(raised.value) == "nothing was added"


def test_a_name_that_cannot_be_read_names_its_option() -> None:
    with pytest.raises(ScholarError, match=r"^--editor: "):
        NewWork(type="book", title="T", editors=(",",), year="2020").candidate()
