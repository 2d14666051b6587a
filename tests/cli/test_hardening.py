"""Issue #12, the CLI robustness items: odd stores, odd options and odd input end in one clear line.

What needs a real process (closed or full stdout, signals) is in tests/test_subprocess.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from tests.conftest import STRESS_STORE


def run(runner: CliRunner, *args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin)


def test_the_runner_fails_a_test_on_a_crash(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    # CliRunner alone reports any exception as exit code 1, so a traceback could pass as a user error.
    from scholarcli.cli import read

    def crash(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(read, "locate_store", crash)
    with pytest.raises(AssertionError, match=r"the command crashed:(.|\n)*RuntimeError: a bug"):
        run(runner, "where")


# 7. A --store that is a symbolic link loop -----------------------------------------------------------


@pytest.mark.parametrize("command", ["list", "check", "where", "show", "themes", "stats", "export"])
def test_a_store_that_is_a_symlink_loop_is_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("loop").symlink_to("loop")
    extra = {"show": ["x"], "export": ["--format", "bibtex"]}.get(command, [])
    result = run(runner, command, "--store", "loop", *extra)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "error: loop: a symbolic link that leads back to itself (given with --store); "
        "point it at a store folder\n"
    )


def test_a_store_variable_that_is_a_symlink_loop_is_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a").symlink_to("b")
    Path("b").symlink_to("a")
    result = runner.invoke(app, ["where"], env={"SCHOLAR_STORE": "a"})
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "error: a: a symbolic link that leads back to itself (set by $SCHOLAR_STORE); "
        "point it at a store folder\n"
    )


def test_init_into_a_symlink_loop_is_one_line_and_writes_nothing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("loop").symlink_to("loop")
    result = run(runner, "init", "loop")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "error: loop: a symbolic link that leads back to itself; nothing was changed\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["loop"]


# 20. Clear messages -----------------------------------------------------------------------------------


def test_a_store_file_that_is_a_folder_is_called_a_folder(
    runner: CliRunner, default_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(default_store.parent)
    (default_store / "publications.yaml").unlink()
    (default_store / "publications.yaml").mkdir()
    result = run(runner, "check", "--store", "store")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "error: store: not a store, publications.yaml is a folder, not a file (given with --store)\n"
    )


def test_a_store_file_that_is_missing_or_loops_is_named(
    runner: CliRunner, default_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(default_store.parent)
    (default_store / "profile.yaml").unlink()
    (default_store / "themes.yaml").unlink()
    (default_store / "themes.yaml").symlink_to("themes.yaml")
    result = run(runner, "list", "--store", "store")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "error: store: not a store, profile.yaml missing, themes.yaml is a symbolic link that leads back "
        "to itself (given with --store); create one with 'scholar init'\n"
    )


def test_check_escapes_control_characters_in_the_store_path(
    runner: CliRunner, make_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store("- id: a2020\n  type: book\n  authors: [A, B]\n  year: 2020\n")
    odd = store.rename(store.parent / "odd\nname\x1b[31m")
    monkeypatch.chdir(odd.parent)
    result = run(runner, "check", "--store", odd.name)
    assert (result.exit_code, result.stdout) == (
        0,
        "odd\\x0aname\\x1b[31m/publications.yaml:1:3: warning: 'a2020' has no title\n",
    )
    assert result.stderr == "odd\\x0aname\\x1b[31m: 0 error(s), 1 warning(s)\n"


# 8. A store file nested hundreds of levels deep ------------------------------------------------------


@pytest.mark.parametrize("depth", [490, 100_000])
def test_check_of_a_deeply_nested_store_is_one_line_per_file(
    runner: CliRunner, default_store: Path, monkeypatch: pytest.MonkeyPatch, depth: int
) -> None:
    monkeypatch.chdir(default_store.parent)
    (default_store / "publications.yaml").write_text(
        "- id: x\n  note: " + "{a: " * depth + "x" + "}" * depth + "\n", encoding="utf-8"
    )
    (default_store / "profile.yaml").write_text("[" * depth + "]" * depth + "\n", encoding="utf-8")
    result = run(runner, "check", "--store", "store")
    message = (
        "lists and mappings nested more than 32 levels deep; a store needs four at most "
        "(the list of records, a record, a list of names, a name)"
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"store/profile.yaml:1:33: {message}",
        "store/profile.yaml: the profile is empty; give at least 'name: Your Name'",
        f"store/publications.yaml:2:{9 + 4 * 30}: {message}",
    ]


# 11. Options given to a command group reach its subcommands ------------------------------------------


def test_themes_store_given_before_show_is_the_store_show_reads(runner: CliRunner) -> None:
    result = run(runner, "themes", "--store", str(STRESS_STORE), "show", "names", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "names"


def test_themes_missing_store_given_before_show_is_an_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(runner, "themes", "--store", "nope", "show", "west-imaginary")
    assert (result.exit_code, result.stdout) == (1, "")
    assert (
        result.stderr == "error: nope: no such store (given with --store); create one with 'scholar init'\n"
    )


def test_themes_format_given_before_show_is_the_format_show_writes(runner: CliRunner) -> None:
    given_to_group = run(runner, "themes", "--format", "json", "show", "west-imaginary")
    given_to_show = run(runner, "themes", "show", "west-imaginary", "--format", "json")
    assert given_to_group.exit_code == given_to_show.exit_code == 0
    assert given_to_group.stdout == given_to_show.stdout
    assert json.loads(given_to_group.stdout)["id"] == "west-imaginary"


def test_themes_option_given_to_both_levels_with_two_values_is_refused(
    runner: CliRunner, default_store: Path
) -> None:
    result = run(
        runner, "themes", "--store", str(default_store), "show", "west-imaginary", "--store", "other"
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (
        "Error: --store given twice, to 'themes' and to 'themes show', with different values; give it once"
    )
    same = run(runner, "themes", "--format", "json", "show", "west-imaginary", "--format", "json")
    assert same.exit_code == 0


# 18. init --name is checked by the profile's own rule before anything is written ---------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Ada\x07Lovelace", "'name' contains the control character U+0007; remove it"),
        ("Ada\nLovelace", "'name' contains the control character U+000A; remove it"),
        ("Ada \x1b[31mLovelace", "'name' contains the control character U+001B; remove it"),
        ("  ", "'name' is empty; give a value or remove the field"),
    ],
)
def test_init_refuses_a_name_its_own_check_would_reject(
    runner: CliRunner, tmp_path: Path, name: str, message: str
) -> None:
    target = tmp_path / "new"
    result = run(runner, "init", str(target), "--name", name)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"error: --name: {message}; nothing was changed\n"
    assert not target.exists()


def test_init_with_a_name_check_accepts_is_checked_clean(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "new"
    created = run(runner, "init", str(target), "--name", "刘春成 (Chuncheng Liu): “No”")
    assert created.exit_code == 0, created.stderr
    checked = run(runner, "check", "--store", str(target))
    assert (checked.exit_code, checked.stdout) == (0, "")


def test_a_record_with_an_empty_or_missing_id_is_not_called_none(
    runner: CliRunner, make_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(
        "- id:\n  type: book\n  authors: [A, B]\n  year: 2020\n"
        "- type: article-journal\n  authors: [A, B]\n  year: 2020\n"
    )
    monkeypatch.chdir(store)
    result = run(runner, "check", "--store", ".")
    assert result.exit_code == 1
    assert "None" not in result.stdout
    assert result.stdout.splitlines() == [
        "publications.yaml:1:3: warning: this record (its id is missing or empty) has no title",
        "publications.yaml:1:6: 'id' is empty; give a value or remove the field",
        "publications.yaml:5:3: missing required field 'id'",
        "publications.yaml:5:3: warning: this record (its id is missing or empty) has no title",
        "publications.yaml:5:3: warning: this record (its id is missing or empty) is published but has no pages",
        "publications.yaml:5:3: warning: this record (its id is missing or empty) is published but has no DOI",
    ]


def test_add_from_bibtex_refuses_field_options_it_would_ignore(
    runner: CliRunner, default_store: Path
) -> None:
    before = (default_store / "publications.yaml").read_bytes()
    entry = "@book{new2020, author = {New, A.}, title = {From the File}, year = {2020}, publisher = {P}}\n"
    result = run(
        runner,
        "add",
        "--store",
        str(default_store),
        "--bibtex",
        "-",
        "--title",
        "X",
        "--year",
        "2021",
        stdin=entry,
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (
        "Error: --title, --year cannot be combined with --bibtex: the record's fields come from the file "
        "(change them there, or with 'scholar set' after adding)"
    )
    assert (default_store / "publications.yaml").read_bytes() == before
    added = run(
        runner, "add", "--store", str(default_store), "--bibtex", "-", "--theme", "metricocracy", stdin=entry
    )
    assert (added.exit_code, added.stdout) == (0, "new2020\n")
