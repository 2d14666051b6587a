"""Per-author roles (issue #14): store format, validation, writer, caches, JSON and the CV marks."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scholarcli import store
from scholarcli.cli.app import app
from scholarcli.export import ExportOptions, cvlatex, html, markdown
from scholarcli.model import ROLES, Library, Name, Profile, Publication
from scholarcli.store.cache import parse as cache
from scholarcli.store.validate import read_publications
from scholarcli.store.yamlio import dump_text, load_text
from tests.store.test_validate import TODAY, problems_of, records_of

HEAD = """\
- id: a2020
  type: article-journal
  title: Title
  year: 2020
  doi: 10.1234/x
  pages: 1-2
"""


def test_a_role_is_one_word_or_a_list_and_is_kept_in_roles_order() -> None:
    records = records_of(
        HEAD
        + "  authors:\n"
        + "    - {family: Liu, given: Chuncheng, role: corresponding}\n"
        + "    - {family: Roe, given: Ann, role: [student, equal, student]}\n"
        + "    - Doe, Jane\n"
    )
    assert [name.roles for name in records[0].authors] == [("corresponding",), ("equal", "student"), ()]


def test_an_unknown_role_is_named_with_its_place_and_a_hint() -> None:
    text = HEAD + "  authors:\n    - {family: Liu, given: Chuncheng, role: corespondent}\n"
    assert problems_of(text) == [
        "p.yaml:8:45: unknown role 'corespondent' (did you mean 'corresponding'?); "
        "one of equal, corresponding, student, senior"
    ]


def test_an_unknown_role_in_a_list_is_named_at_its_item() -> None:
    text = HEAD + "  authors:\n    - family: Liu\n      role: [equal, senor]\n"
    assert problems_of(text) == [
        "p.yaml:9:21: unknown role 'senor' (did you mean 'senior'?); "
        "one of equal, corresponding, student, senior"
    ]


def test_a_role_is_for_authors_only_and_not_empty_or_nested() -> None:
    editors = HEAD + "  authors: [Liu, Chuncheng]\n  editors:\n    - {family: Roe, role: equal}\n"
    assert problems_of(editors) == ["p.yaml:9:21: 'role' is for authors only, not editors"]
    empty = HEAD + "  authors:\n    - {family: Roe, role: []}\n"
    assert problems_of(empty) == ["p.yaml:8:27: 'role' is an empty list; give at least one role or remove it"]
    nested = HEAD + "  authors:\n    - {family: Roe, role: [[equal]]}\n"
    assert problems_of(nested) == [
        "p.yaml:8:28: each role must be one of equal, corresponding, student, senior"
    ]


def test_a_misspelt_role_key_is_an_unknown_name_part_with_a_hint() -> None:
    text = HEAD + "  authors:\n    - {family: Roe, roles: equal}\n"
    assert problems_of(text) == ["p.yaml:8:21: unknown name part 'roles' (did you mean 'role'?)"]


def test_the_flag_marks_all_authors_and_a_role_on_some_replaces_it() -> None:
    liu, roe = Name(family="Liu", given="C"), Name(family="Roe", given="A")
    flag = Publication(id="x", type="article-journal", authors=(liu, roe), equal_contribution=True)
    assert [flag.author_roles(name) for name in flag.authors] == [("equal",), ("equal",)]
    assert flag.all_equal
    first = Name(family="Liu", given="C", roles=("equal",))
    subset = Publication(
        id="y", type="article-journal", authors=(first, roe, Name(family="Doe")), equal_contribution=True
    )
    assert [subset.author_roles(name) for name in subset.authors] == [("equal",), (), ()]
    assert not subset.all_equal


def test_the_store_writer_writes_roles_as_the_store_reads_them() -> None:
    work = Publication(
        id="x",
        type="article-journal",
        authors=(
            Name(family="Liu", given="C", roles=("equal",)),
            Name(family="Roe", given="A", roles=("corresponding", "student")),
            Name(family="Doe", given="J"),
        ),
    )
    stored = work.to_store_dict()
    assert stored["authors"] == [
        {"family": "Liu", "given": "C", "role": "equal"},
        {"family": "Roe", "given": "A", "role": ["corresponding", "student"]},
        "Doe, J",
    ]


_NAMES = st.builds(
    Name,
    family=st.sampled_from(["Liu", "Roe", "Blomberg", "Ōta"]),
    given=st.sampled_from([None, "Ann", "Chuncheng"]),
    particle=st.sampled_from([None, "von"]),
    roles=st.lists(st.sampled_from(ROLES), unique=True).map(
        lambda roles: tuple(role for role in ROLES if role in roles)
    ),
)


@settings(max_examples=40, deadline=None)
@given(authors=st.lists(_NAMES, min_size=1, max_size=4))
def test_roles_survive_the_yaml_writer_and_the_parse_cache(authors: list[Name], tmp_path_factory) -> None:
    work = Publication(id="w2020", type="article-journal", title="T", year=2020, authors=tuple(authors))
    text = dump_text([work.to_store_dict()])
    data, problems = load_text(text, "p.yaml")
    assert problems == []
    records, problems = read_publications(data, "p.yaml", (), today=TODAY)
    assert [p for p in problems if p.severity == "error"] == []
    assert records == (work,)
    folder = tmp_path_factory.mktemp("store")
    (folder / "profile.yaml").write_text("name: Test Person\n", encoding="utf-8")
    (folder / "themes.yaml").write_text("", encoding="utf-8")
    (folder / "publications.yaml").write_text(text, encoding="utf-8")
    cache.set_bypass(False)
    location = store.locate_store(folder)
    store.load_library(location)  # a miss writes the cache
    hit = store.load_library(location)
    assert list(hit.library.publications) == [work]


def test_list_json_has_roles_inside_the_names(runner: CliRunner, make_store) -> None:
    folder = make_store(HEAD + "  authors:\n    - {family: Roe, given: Ann, role: [senior, corresponding]}\n")
    result = runner.invoke(app, ["list", "--format", "json", "--store", str(folder)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["authors"] == [
        {"family": "Roe", "given": "Ann", "roles": ["corresponding", "senior"]}
    ]


def _library(*works: Publication) -> Library:
    return Library(profile=Profile(name="Ann Roe"), publications=works)


_WORK = Publication(
    id="r2020",
    type="article-journal",
    title="Roles",
    year=2020,
    container="Journal",
    authors=(
        Name(family="Roe", given="Ann", roles=("corresponding",)),
        Name(family="Doe", given="Jane", roles=("student",)),
    ),
)


def test_markdown_marks_each_role_and_explains_only_the_marks_used() -> None:
    library = _library(_WORK)
    text = markdown.export(library.publications, library, ExportOptions())
    assert "- **Roe, Ann**\\*, and Jane Doe‡. 2020. “Roles.” *Journal*." in text
    assert text.endswith("\\* Corresponding author. ‡ Student author (supervised).\n")
    assert "Equal contribution" not in text


def test_marks_are_configurable_and_an_empty_mark_hides_a_role() -> None:
    library = _library(_WORK)
    options = ExportOptions(marks=(("corresponding", "✉"), ("student", "")))
    text = markdown.export(library.publications, library, options)
    assert "- **Roe, Ann**✉, and Jane Doe. 2020." in text
    assert text.endswith("✉ Corresponding author.\n")


def test_html_marks_and_legend() -> None:
    library = _library(_WORK)
    page = html.export(library.publications, library, ExportOptions())
    assert "<li><strong>Roe, Ann</strong>*, and Jane Doe‡. 2020." in page
    assert (
        '<p class="legend">* Corresponding author.</p>\n<p class="legend">‡ Student author (supervised).</p>'
        in page
    )


def test_latex_marks_are_commands_with_a_legend_line_each() -> None:
    library = _library(_WORK)
    tex = cvlatex.export(library.publications, library, ExportOptions())
    assert r"\scholarowner{Roe, Ann}\scholarcorresponding{}, and Jane Doe\scholarstudent{}. 2020." in tex
    assert tex.endswith(
        "\\scholarlegend{\\scholarcorresponding{}}{Corresponding author.}\n"
        "\\scholarlegend{\\scholarstudent{}}{Student author (supervised).}\n"
    )
    chosen = cvlatex.export(library.publications, library, ExportOptions(marks=(("student", "%"),)))
    assert r"Jane Doe\%. 2020." in chosen
    assert "\\scholarlegend{\\%}{Student author (supervised).}\n" in chosen


def test_the_default_store_marks_both_equal_co_first_authors_as_before(runner: CliRunner) -> None:
    result = runner.invoke(app, ["export", "--format", "markdown", "--theme", "west-imaginary"])
    assert result.exit_code == 0
    assert "- **Liu, Chuncheng**†, and Marianne von Blomberg†. 2026." in result.stdout
    assert result.stdout.endswith("† Equal contribution.\n")


def test_cli_marks_option(runner: CliRunner, default_store: Path) -> None:
    result = runner.invoke(
        app, ["export", "-f", "markdown", "--marks", "equal==", "--store", str(default_store)]
    )
    assert result.exit_code == 0
    assert "**Liu, Chuncheng**=, and Marianne von Blomberg=." in result.stdout
    bad = runner.invoke(
        app, ["export", "-f", "markdown", "--marks", "equel=x", "--store", str(default_store)]
    )
    assert bad.exit_code == 2
    assert (
        "Invalid value: --marks 'equel=x': give ROLE=MARK with a role of equal, corresponding, student, "
        "senior (did you mean 'equal'?)" in " ".join(bad.stderr.split())
    )
    # Bad usage is said before the store is read: exit 2 even when the store is missing too.
    missing = runner.invoke(
        app, ["export", "-f", "markdown", "--marks", "equel=x", "--store", str(default_store / "nope")]
    )
    assert missing.exit_code == 2
    assert "--marks 'equel=x'" in " ".join(missing.stderr.split())


def test_the_flag_beside_per_author_equal_roles_is_a_warning() -> None:
    text = (
        HEAD + "  equal_contribution: true\n  authors:\n    - {family: Roe, role: equal}\n    - Doe, Jane\n"
    )
    assert problems_of(text) == [
        "p.yaml:7:23: warning: 'equal_contribution' is not used when authors have 'role: equal'; remove it"
    ]
