"""Every write command through CliRunner: exit codes, exact messages, and the bytes left on disk."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli import write as write_cli
from scholarcli.cli.app import app
from scholarcli.store import load_library, locate_store, user_store_path
from scholarcli.write import session as session_module

from ..conftest import DEFAULT_STORE

BASE = (
    "# My works. A comment the tool must keep.\n"
    "\n"
    "- id: liu2022who\n"
    "  type: article-journal\n"
    '  title: "Who Supports Expanding Surveillance?"\n'
    "  authors:\n"
    "    - Liu, Chuncheng\n"
    "  year: 2022   # a trailing comment\n"
    "  doi: 10.1177/02685809221084446\n"
    "  themes: [alpha]\n"
    "\n"
    "# Section comment before the second record\n"
    "- id: liu2026imaginary\n"
    "  type: article-journal\n"
    "  title: 'The Imaginary: a study'\n"
    "  authors:\n"
    "  - Liu, Chuncheng\n"
    "  status: forthcoming\n"
    "  container: Some Journal\n"
)


def records(store: Path) -> dict[str, object]:
    library = load_library(locate_store(store), use_cache=False).library
    return {publication.id: publication for publication in library.publications}


def run(runner: CliRunner, *args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


# init --------------------------------------------------------------------------------------------


def test_init_creates_an_empty_store_in_the_user_data_folder(runner: CliRunner) -> None:
    result = run(runner, "init", "--name", "Ada Lovelace")
    assert result.exit_code == 0, result.output
    folder = user_store_path()
    assert result.stdout == f"{folder}\n"
    assert (folder / "profile.yaml").read_text(encoding="utf-8") == "name: Ada Lovelace\n"
    assert records(folder) == {}
    # The new store is now the one used by default, and it is writable.
    added = run(
        runner, "add", "--type", "book", "--title", "First", "--author", "Lovelace, Ada", "--year", "1843"
    )
    assert added.exit_code == 0, added.output
    assert added.stdout == "lovelace1843first\n"


def test_init_from_default_copies_the_embedded_store(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "copy"
    result = run(runner, "init", str(target), "--from-default")
    assert result.exit_code == 0, result.output
    for name in ("profile.yaml", "themes.yaml", "publications.yaml"):
        assert (target / name).read_bytes() == (DEFAULT_STORE / name).read_bytes()


def test_init_refuses_an_existing_store(runner: CliRunner, default_store: Path) -> None:
    before = (default_store / "publications.yaml").read_bytes()
    result = run(runner, "init", str(default_store), "--from-default")
    assert result.exit_code == 1
    assert (
        "a store is already there (profile.yaml, themes.yaml, publications.yaml); nothing was changed"
        in result.stderr
    )
    assert (default_store / "publications.yaml").read_bytes() == before


# the embedded store --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["add", "--type", "book", "--title", "T", "--author", "A, B", "--year", "2020"],
        ["set", "liu2022who", "--status", "published"],
        ["remove", "liu2022who", "--yes"],
        ["import", "-"],
        ["edit", "liu2022who"],
    ],
)
def test_writes_to_the_embedded_store_are_refused_with_a_hint(runner: CliRunner, args: list[str]) -> None:
    before = (DEFAULT_STORE / "publications.yaml").read_bytes()
    result = run(runner, *args, input="")
    assert result.exit_code == 1
    assert "the embedded default store is read-only; run 'scholar init --from-default'" in result.stderr
    assert (DEFAULT_STORE / "publications.yaml").read_bytes() == before


# add ---------------------------------------------------------------------------------------------


def test_add_appends_one_record_and_keeps_every_other_byte(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    result = run(
        runner, "add", "--store", str(store), "--type", "book", "--title", "The Social Credit: A History",
        "--author", "Liu, Chuncheng", "--author", "von Blomberg, Marianne", "--year", "2024",
        "--theme", "beta", "--publisher", "MIT Press", "--tag", "r&d",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == "liu2024social\n"
    text = (store / "publications.yaml").read_text(encoding="utf-8")
    assert text == BASE + (
        "\n"
        "- id: liu2024social\n"
        "  type: book\n"
        '  title: "The Social Credit: A History"\n'
        "  authors:\n"
        "    - Liu, Chuncheng\n"
        "    - von Blomberg, Marianne\n"
        "  year: 2024\n"
        "  publisher: MIT Press\n"
        "  themes: [beta]\n"
        "  tags: [r&d]\n"
    )
    assert records(store)["liu2024social"].themes == ("beta",)


def test_add_beside_a_record_whose_year_is_a_superscript_digit(runner: CliRunner, make_store) -> None:
    # `²` is a digit to str.isdigit but not a number to int() or YAML: the duplicate index reads it as
    # no year (it once raised ValueError here, a traceback), and the add goes ahead.
    store = make_store(BASE + "\n- id: odd2020\n  type: book\n  title: Odd\n  year: ²\n")
    result = run(
        runner, "add", "--store", str(store), "--type", "book", "--title", "Odd", "--author", "Liu, C",
        "--year", "2020",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == "liu2020odd\n"


def test_generated_ids_take_suffixes_and_given_ids_are_kept(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    common = ["add", "--store", str(store), "--type", "book", "--author", "Liu, C", "--year", "2022"]
    first = run(runner, *common, "--title", "Who Else?")
    second = run(runner, *common, "--title", "Who Now")
    third = run(runner, *common, "--title", "The Who", "--id", "LIU2022WHO")
    assert (first.stdout, second.stdout) == ("liu2022whoa\n", "liu2022whob\n")
    assert third.exit_code == 1
    assert "the id 'LIU2022WHO' is already used in the store" in third.stderr


def test_add_in_a_pipeline_names_missing_fields_instead_of_prompting(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    result = run(runner, "add", "--store", str(store), "--title", "Only a title", input="")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: missing --type, --author, --year; give them as options (stdin is not a terminal, so there "
        "is no prompt)\n"
    )


def test_add_prompts_for_missing_fields_on_a_terminal(
    runner: CliRunner, make_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(BASE)
    monkeypatch.setattr(write_cli, "stdin_is_terminal", lambda: True)
    result = run(
        runner,
        "add",
        "--store",
        str(store),
        "--title",
        "Prompted",
        input="book\nLiu, C; Rona-Tas, Akos\n2023\n",
    )
    assert result.exit_code == 0, result.output
    # CliRunner echoes the typed answers into stdout as a terminal would; the id is the last line.
    assert result.stdout.splitlines()[-1] == "liu2023prompted"
    added = records(store)["liu2023prompted"]
    assert [name.inverted() for name in added.authors] == ["Liu, C", "Rona-Tas, Akos"]
    assert "Year" in result.stderr  # prompts go to stderr, the id alone to stdout


def test_add_reports_validation_errors_and_writes_nothing(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    before = (store / "publications.yaml").read_bytes()
    result = run(
        runner, "add", "--store", str(store), "--type", "book", "--title", "T", "--author", "A, B",
        "--year", "2020", "--doi", "not-a-doi", "--theme", "alpha",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "the new record: 'not-a-doi' is not a DOI (10.NNNN/...)" in result.stderr
    assert (store / "publications.yaml").read_bytes() == before
    unknown = run(runner, "add", "--store", str(store), "--type", "book", "--title", "T", "--author", "A, B",
                  "--year", "2020", "--theme", "alpah")  # fmt: skip
    assert unknown.stderr == "error: unknown theme 'alpah' (did you mean 'alpha'?)\n"


def test_duplicates_are_refused_unless_a_policy_is_given(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    before = (store / "publications.yaml").read_bytes()
    same_doi = ["add", "--store", str(store), "--type", "book", "--title", "Other", "--author", "X, Y",
                "--year", "2021", "--doi", "10.1177/02685809221084446", "--volume", "9"]  # fmt: skip
    refused = run(runner, *same_doi)
    assert refused.exit_code == 1
    assert refused.stderr == (
        "error: the new record: duplicates 'liu2022who' (same DOI 10.1177/02685809221084446)\n"
        "error: choose --on-duplicate skip, update or keep-both\n"
        "nothing was written\n"
    )
    same_title = run(runner, "add", "--store", str(store), "--type", "book", "--title", "who supports expanding surveillance",
                     "--author", "X, Y", "--year", "2022")  # fmt: skip
    assert "duplicates 'liu2022who' (same title and year (2022))" in same_title.stderr
    assert (store / "publications.yaml").read_bytes() == before

    skipped = run(runner, *same_doi, "--on-duplicate", "skip")
    assert (skipped.exit_code, skipped.stdout) == (0, "")
    assert (store / "publications.yaml").read_bytes() == before

    kept = run(runner, *same_doi, "--on-duplicate", "keep-both")
    assert kept.stdout == "x2021other\n"

    updated = run(runner, *same_doi, "--on-duplicate", "update")
    assert updated.stdout == "liu2022who\n"
    record = records(store)["liu2022who"]
    assert (record.title, record.year, record.volume, record.themes) == ("Other", 2021, "9", ("alpha",))
    # The update rewrote only that record's fields; the comments around it stay.
    text = (store / "publications.yaml").read_text(encoding="utf-8")
    assert text.startswith("# My works. A comment the tool must keep.\n\n- id: liu2022who\n  type: book\n")
    assert "# Section comment before the second record\n- id: liu2026imaginary\n" in text


# set ---------------------------------------------------------------------------------------------


def test_set_changes_only_the_named_fields(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    result = run(runner, "set", "--store", str(store), "liu2026imaginary", "--status", "published", "--year", "2026",
                 "pages=1-20", "container=")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == "updated 'liu2026imaginary': pages, container, status, year\n"
    assert (store / "publications.yaml").read_text(encoding="utf-8") == BASE.replace(
        "  status: forthcoming\n  container: Some Journal\n", "  year: 2026\n  pages: 1-20\n"
    )


def test_set_names_the_argument_of_a_bad_value(runner: CliRunner, make_store) -> None:
    # A value typed on the command line is reported by the argument that gave it, not by the line of
    # the file it would have been written on (review D2).
    store = make_store(BASE)
    before = (store / "publications.yaml").read_bytes()
    result = run(runner, "set", "--store", str(store), "liu2022who", "year=20x2")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: year=20x2: year '20x2' must be a four-digit year")
    by_option = run(runner, "set", "--store", str(store), "liu2022who", "--year", "²⁰²⁰")
    assert by_option.exit_code == 1
    assert by_option.stderr.startswith("error: --year: year '²⁰²⁰' must be a four-digit year")
    by_name = run(runner, "set", "--store", str(store), "liu2022who", "authors=,")
    assert (by_name.exit_code, by_name.stderr) == (
        1, "error: authors=,: cannot read the name ','; write it as 'Family, Given'\n"
    )  # fmt: skip
    assert (store / "publications.yaml").read_bytes() == before
    for args, message in (
        (["liu2022who", "yaer=2020"], "error: unknown field 'yaer' (did you mean 'year'?)\n"),
        (
            ["liu2022who", "id=new"],
            "error: the id cannot be changed with 'set'; use 'scholar edit ID' to rename a record\n",
        ),
        (
            ["nosuch", "year=2020"],
            f"error: no publication with the id 'nosuch' in {store / 'publications.yaml'}\n",
        ),
        (
            ["liu2022who"],
            "error: nothing to change; give field=value pairs or options such as --status published\n",
        ),
    ):
        failed = run(runner, "set", "--store", str(store), *args)
        assert (failed.exit_code, failed.stderr) == (1, message)


# remove ------------------------------------------------------------------------------------------


def test_remove_needs_yes_in_a_pipeline(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    refused = run(runner, "remove", "--store", str(store), "liu2022who", input="")
    assert refused.exit_code == 1
    assert refused.stderr == "error: removing needs --yes when stdin is not a terminal; nothing was removed\n"
    removed = run(runner, "remove", "--store", str(store), "LIU2022WHO", "--yes")
    assert removed.exit_code == 0, removed.output
    assert removed.stderr == "removed liu2022who\n"
    assert (store / "publications.yaml").read_text(encoding="utf-8") == (
        "# My works. A comment the tool must keep.\n\n" + BASE.split("\n\n", 2)[2]
    )


def test_remove_asks_on_a_terminal(runner: CliRunner, make_store, monkeypatch: pytest.MonkeyPatch) -> None:
    store = make_store(BASE)
    monkeypatch.setattr(write_cli, "stdin_is_terminal", lambda: True)
    declined = run(runner, "remove", "--store", str(store), "liu2022who", input="n\n")
    assert declined.exit_code == 1
    assert "liu2022who" in records(store)
    accepted = run(runner, "remove", "--store", str(store), "liu2022who", "liu2026imaginary", input="y\n")
    assert accepted.exit_code == 0
    assert records(store) == {}


def test_remove_of_an_unknown_id_removes_nothing(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    before = (store / "publications.yaml").read_bytes()
    result = run(runner, "remove", "--store", str(store), "liu2022who", "ghost", "--yes")
    assert result.exit_code == 1
    assert "no publication with the id 'ghost'" in result.stderr
    assert (store / "publications.yaml").read_bytes() == before


# edit --------------------------------------------------------------------------------------------


def _editor(tmp_path: Path, *replacements: str) -> str:
    """A fake editor that writes the next replacement text each time it runs."""
    script = tmp_path / "editor.py"
    state = tmp_path / "editor-count"
    script.write_text(
        "import sys, pathlib\n"
        f"texts = {list(replacements)!r}\n"
        f"state = pathlib.Path({str(state)!r})\n"
        "count = int(state.read_text()) if state.exists() else 0\n"
        "state.write_text(str(count + 1))\n"
        "pathlib.Path(sys.argv[1]).write_text(texts[min(count, len(texts) - 1)], encoding='utf-8')\n",
        encoding="utf-8",
    )
    return f"{sys.executable} {script}"


GOOD_EDIT = (
    "- id: liu2026imaginary\n  type: article-journal\n  title: 'The Imaginary: a study'  # edited\n"
    "  authors:\n  - Liu, Chuncheng\n  year: 2026\n  container: Some Journal\n"
)


def test_edit_saves_a_valid_record_as_written(
    runner: CliRunner, make_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(BASE)
    monkeypatch.setenv("VISUAL", _editor(tmp_path, GOOD_EDIT))
    result = run(runner, "edit", "--store", str(store), "liu2026imaginary")
    assert result.exit_code == 0, result.output
    assert result.stderr == "saved 'liu2026imaginary'\n"
    assert (store / "publications.yaml").read_text(encoding="utf-8") == BASE.split("- id: liu2026imaginary")[
        0
    ] + GOOD_EDIT


def test_edit_with_an_error_aborts_in_a_pipeline_and_leaves_the_store(
    runner: CliRunner, make_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(BASE)
    before = (store / "publications.yaml").read_bytes()
    monkeypatch.setenv("EDITOR", _editor(tmp_path, GOOD_EDIT.replace("year: 2026", "year: 20x6")))
    result = run(runner, "edit", "--store", str(store), "liu2026imaginary", input="")
    assert result.exit_code == 1
    assert ":6:9: year '20x6' must be a four-digit year" in result.stderr
    assert "nothing was changed; your edit is kept in " in result.stderr
    assert (store / "publications.yaml").read_bytes() == before


def test_edit_can_be_retried_on_a_terminal(
    runner: CliRunner, make_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(BASE)
    monkeypatch.setattr(write_cli, "stdin_is_terminal", lambda: True)
    taken_id = "- id: liu2022who\n  type: book\n  authors: [Liu, C]\n  year: 2020\n"
    bad_type = "- id: liu2026imaginary\n  type: nonsense\n  authors: [Liu, C]\n  year: 2020\n"
    monkeypatch.setenv("EDITOR", _editor(tmp_path, taken_id, bad_type, GOOD_EDIT))
    result = run(runner, "edit", "--store", str(store), "liu2026imaginary", input="y\ny\n")
    assert result.exit_code == 0, result.output
    assert "the id 'liu2022who' is already used by another record" in result.stderr
    assert "unknown type 'nonsense'" in result.stderr
    assert records(store)["liu2026imaginary"].year == 2026


def test_edit_without_an_editor_says_how_to_set_one(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    result = run(runner, "edit", "--store", str(store), "liu2022who")
    assert (result.exit_code, result.stderr) == (
        1, "error: set $VISUAL or $EDITOR to the editor to use, e.g. export EDITOR=nano\n"
    )  # fmt: skip


def test_edit_refuses_when_the_file_changed_meanwhile(
    runner: CliRunner, make_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(BASE)
    publications = store / "publications.yaml"
    # The "editor" saves the record, and meanwhile someone else changes the store file by hand.
    script = tmp_path / "sneaky.py"
    script.write_text(
        "import sys, pathlib\n"
        f"pathlib.Path(sys.argv[1]).write_text({GOOD_EDIT!r}, encoding='utf-8')\n"
        f"p = pathlib.Path({str(publications)!r})\n"
        "p.write_text(p.read_text(encoding='utf-8') + '# hand edit\\n', encoding='utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    result = run(runner, "edit", "--store", str(store), "liu2026imaginary")
    assert result.exit_code == 1
    assert "publications.yaml: changed on disk since it was read; nothing was written" in result.stderr
    assert publications.read_text(encoding="utf-8") == BASE + "# hand edit\n"


# safe-write details ---------------------------------------------------------------------------------


def test_commit_refuses_a_file_changed_between_read_and_write(make_store) -> None:
    store = make_store(BASE)
    location = locate_store(store)
    with session_module.write_session(location) as session:
        (store / "publications.yaml").write_text(BASE + "# changed\n", encoding="utf-8")
        with pytest.raises(session_module.StoreChangedError, match="changed on disk since it was read"):
            session.commit(BASE)
    assert (store / "publications.yaml").read_text(encoding="utf-8") == BASE + "# changed\n"


def test_an_add_commit_refuses_a_same_size_change_past_the_first_megabyte(make_store) -> None:
    # The check reads the file a megabyte at a time: a change in a later piece, keeping the size, is
    # still seen, and nothing is appended.
    padding = "# " + "x" * (3 << 20) + "\n"
    store = make_store(BASE + padding)
    publications = store / "publications.yaml"
    location = locate_store(store)
    with session_module.write_session(location) as session:
        changed = BASE + padding[:-10] + "yyyyyyyyy\n"
        assert len(changed) == len(BASE + padding)
        publications.write_text(changed, encoding="utf-8")
        with pytest.raises(session_module.StoreChangedError, match="changed on disk since it was read"):
            session.commit_appended(b"- id: new\n")
    assert publications.read_text(encoding="utf-8") == changed
    assert session_module.same_bytes(publications, changed.encode("utf-8"))
    assert not session_module.same_bytes(publications, changed.encode("utf-8")[:-1])
    assert not session_module.same_bytes(publications, changed.encode("utf-8") + b"\n")


def test_an_add_commit_writes_the_bytes_read_then_the_new_ones(make_store) -> None:
    store = make_store(BASE)
    location = locate_store(store)
    with session_module.write_session(location) as session:
        session.commit_appended(b"\n- id: new2020\n  type: book\n  title: New\n")
    assert (store / "publications.yaml").read_bytes() == BASE.encode("utf-8") + (
        b"\n- id: new2020\n  type: book\n  title: New\n"
    )
    assert (store / "publications.yaml.bak").read_text(encoding="utf-8") == BASE


def test_a_write_keeps_the_previous_version_and_the_mode(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    publications = store / "publications.yaml"
    publications.chmod(0o640)
    result = run(runner, "set", "--store", str(store), "liu2022who", "volume=3")
    assert result.exit_code == 0, result.output
    assert (store / "publications.yaml.bak").read_text(encoding="utf-8") == BASE
    assert stat.S_IMODE(publications.stat().st_mode) == 0o640
    assert (store / ".scholar.lock").exists()


def test_a_symlinked_store_file_is_followed(runner: CliRunner, make_store, tmp_path: Path) -> None:
    store = make_store(BASE)
    real = tmp_path / "elsewhere" / "works.yaml"
    real.parent.mkdir()
    (store / "publications.yaml").rename(real)
    (store / "publications.yaml").symlink_to(real)
    result = run(runner, "set", "--store", str(store), "liu2022who", "volume=3")
    assert result.exit_code == 0, result.output
    assert (store / "publications.yaml").is_symlink()
    assert '  volume: "3"\n' in real.read_text(encoding="utf-8")
    assert (real.parent / "works.yaml.bak").read_text(encoding="utf-8") == BASE


@pytest.mark.parametrize("which", ["file", "folder"])
def test_a_read_only_store_is_reported(
    runner: CliRunner, make_store, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    # Tests may run as root, who can write anything: ask the store what it may write instead.
    store = make_store(BASE)
    refused = (store / "publications.yaml").resolve() if which == "file" else store.resolve()
    monkeypatch.setattr(session_module, "writable", lambda path: path != refused)
    before = (store / "publications.yaml").read_bytes()
    result = run(runner, "set", "--store", str(store), "liu2022who", "volume=3")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {store / 'publications.yaml'}: cannot write: permission denied (the file or its folder is "
        "read-only)\n"
    )
    assert (store / "publications.yaml").read_bytes() == before


def test_a_held_lock_times_out_with_a_message(make_store) -> None:
    store = make_store(BASE)
    with (
        session_module.store_lock(store),
        pytest.raises(session_module.StoreLockedError) as raised,
        session_module.store_lock(store, timeout=0.05),
    ):
        pytest.fail("a second holder got the lock")
    assert str(raised.value) == (
        f"{store / '.scholar.lock'}: another scholar command has been writing this store for 0.05 s; try again "
        "when it has finished"
    )


def test_remove_takes_the_comment_block_above_the_record(runner: CliRunner, make_store) -> None:
    # Issue #12 item 19: the comment directly above a record (no blank line between) is about that
    # record and goes with it; it was left above the next record, where it said something false.
    store = make_store(BASE + "\n# About the third one\n# (two lines)\n- id: third\n  type: book\n"
                       "  authors: [X, Y]\n  year: 2020  # trailing\n  # indented, about third\n")  # fmt: skip
    removed = run(runner, "remove", "--store", str(store), "liu2026imaginary", "--yes")
    assert (removed.exit_code, removed.stderr) == (0, "removed liu2026imaginary\n")
    assert (store / "publications.yaml").read_text(encoding="utf-8") == (
        BASE.split("# Section comment")[0]
        + "# About the third one\n# (two lines)\n- id: third\n  type: book\n"
        "  authors: [X, Y]\n  year: 2020  # trailing\n  # indented, about third\n"
    )
    removed = run(runner, "remove", "--store", str(store), "third", "--yes")
    assert (removed.exit_code, removed.stderr) == (0, "removed third\n")
    assert (store / "publications.yaml").read_text(encoding="utf-8") == BASE.split("\n\n# Section comment")[
        0
    ] + "\n"
