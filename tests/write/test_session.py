"""write/session.py: the commit sequence of a store write, against another program saving the file meanwhile,
a failing replace, a symlinked file shared by two stores, an unparseable store and stale temp files.

Issue #12, items 3, 4, 5, 6 and 16 (the real-process checks are in test_safety.py).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.store import locate_store
from scholarcli.write import atomic
from scholarcli.write import session as session_module

from .test_commands import BASE

THEIRS = BASE + "# saved by another program\n"
STEPS = ["read", "render", "temp-written", "fsynced", "before-replace"]
WRITES = {
    "add": ["add", "--type", "book", "--author", "Roe, R", "--year", "2020", "--title", "Another"],
    "set": ["set", "liu2022who", "volume=3"],
    "remove": ["remove", "liu2022who", "--yes"],
}


def run(runner: CliRunner, store: Path, *args: str):
    return runner.invoke(app, [*args, "--store", str(store)])


def save_in_place(path: Path) -> None:
    """Another program writing into the file itself (same inode: open, truncate, write)."""
    path.write_text(THEIRS, encoding="utf-8")


def save_by_rename(path: Path) -> None:
    """Another program saving as editors do: a new file renamed over the old one (a new inode)."""
    temp = path.with_name("their-save.tmp")
    temp.write_text(THEIRS, encoding="utf-8")
    temp.replace(path)


def race_at(monkeypatch: pytest.MonkeyPatch, step: str, save: Callable[[], None]) -> list[str]:
    """Make the other program save once, when the write reaches `step`; returns the steps seen."""
    seen: list[str] = []

    def hook(name: str) -> None:
        seen.append(name)
        if name == step and seen.count(name) == 1:
            save()

    monkeypatch.setattr(session_module, "_step", hook)
    return seen


# item 3: another program's save is never lost, at whatever step it lands ------------------------------


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("how", [save_in_place, save_by_rename], ids=["in-place", "by-rename"])
@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_save_by_another_program_during_a_write_is_never_lost(
    runner: CliRunner,
    make_store,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    how: Callable[[Path], None],
    step: str,
) -> None:
    store = make_store(BASE)
    publications = store / "publications.yaml"
    seen = race_at(monkeypatch, step, lambda: how(publications))
    result = run(runner, store, *WRITES[command])
    assert step in seen  # the race really happened at this step
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"error: {publications}: changed on disk since it was read; nothing was written, run the command "
        "again\n"
    )
    assert publications.read_text(encoding="utf-8") == THEIRS
    assert sorted(p.name for p in store.iterdir() if p.name.endswith(".tmp")) == []


@pytest.mark.parametrize("step", STEPS)
def test_without_an_atomic_exchange_an_in_place_save_is_still_never_lost(
    runner: CliRunner, make_store, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    # Where renameat2(RENAME_EXCHANGE) is missing, the write falls back to os.replace and checks the
    # file it replaced afterwards; a save into that file is put back.
    monkeypatch.setattr(atomic, "exchange", lambda first, second: False)
    store = make_store(BASE)
    publications = store / "publications.yaml"
    race_at(monkeypatch, step, lambda: save_in_place(publications))
    result = run(runner, store, *WRITES["set"])
    assert result.exit_code == 1, result.output
    assert "changed on disk since it was read; nothing was written" in result.stderr
    assert publications.read_text(encoding="utf-8") == THEIRS


def test_the_steps_come_in_order_and_an_undisturbed_write_lands(
    runner: CliRunner, make_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(BASE)
    seen = race_at(monkeypatch, "none", lambda: None)
    result = run(runner, store, *WRITES["set"])
    assert result.exit_code == 0, result.output
    assert seen == STEPS
    assert '  volume: "3"\n' in (store / "publications.yaml").read_text(encoding="utf-8")
    assert (store / "publications.yaml.bak").read_text(encoding="utf-8") == BASE


# item 5: a failed write keeps the previous backup ----------------------------------------------------


def fail_the_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> bool:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic, "exchange", refuse)
    monkeypatch.setattr(session_module.os, "replace", refuse)


def test_a_failed_write_keeps_the_previous_backup(
    runner: CliRunner, make_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(BASE)
    publications = store / "publications.yaml"
    assert run(runner, store, "set", "liu2022who", "volume=3").exit_code == 0
    after_first = publications.read_text(encoding="utf-8")
    fail_the_replace(monkeypatch)
    result = run(runner, store, "set", "liu2022who", "volume=4")
    assert result.exit_code == 1
    assert result.stderr == f"error: {publications}: cannot write: Input/output error\n"
    assert publications.read_text(encoding="utf-8") == after_first
    assert (store / "publications.yaml.bak").read_text(encoding="utf-8") == BASE  # the version before
    assert sorted(p.name for p in store.iterdir() if p.name.endswith(".tmp")) == []


def test_a_failed_first_write_makes_no_backup(
    runner: CliRunner, make_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(BASE)
    fail_the_replace(monkeypatch)
    assert run(runner, store, "set", "liu2022who", "volume=4").exit_code == 1
    assert not (store / "publications.yaml.bak").exists()
    assert (store / "publications.yaml").read_text(encoding="utf-8") == BASE


def test_a_refused_write_keeps_the_previous_backup(
    runner: CliRunner, make_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(BASE)
    publications = store / "publications.yaml"
    (store / "publications.yaml.bak").write_text("# an older version\n", encoding="utf-8")
    race_at(monkeypatch, "before-replace", lambda: save_in_place(publications))
    assert run(runner, store, "set", "liu2022who", "volume=4").exit_code == 1
    assert (store / "publications.yaml.bak").read_text(encoding="utf-8") == "# an older version\n"


# item 4: two stores sharing one file through symlinks take one lock ------------------------------------


def shared_stores(make_store, tmp_path: Path) -> tuple[Path, Path, Path]:
    shared = tmp_path / "shared" / "works.yaml"
    shared.parent.mkdir()
    shared.write_text(BASE, encoding="utf-8")
    first, second = make_store(""), make_store("")
    for store in (first, second):
        (store / "publications.yaml").unlink()
        (store / "publications.yaml").symlink_to(shared)
    return first, second, shared


def test_stores_sharing_a_file_lock_beside_the_file(
    runner: CliRunner, make_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, second, shared = shared_stores(make_store, tmp_path)
    monkeypatch.setenv(session_module.LOCK_TIMEOUT_ENV, "0.05")
    with session_module.store_lock(shared.parent):  # as a write through the first store holds it
        result = run(runner, second, "set", "liu2022who", "volume=3")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {shared.parent / '.scholar.lock'}: another scholar command has been writing this store for "
        "0.05 s; try again when it has finished\n"
    )
    assert shared.read_text(encoding="utf-8") == BASE


def test_the_temp_file_and_backup_are_written_beside_the_linked_file(
    runner: CliRunner, make_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _, shared = shared_stores(make_store, tmp_path)
    temps: list[str] = []

    def hook(name: str) -> None:
        if name == "fsynced":
            temps.extend(p.name for p in shared.parent.iterdir() if p.name.endswith(".tmp"))

    monkeypatch.setattr(session_module, "_step", hook)
    result = run(runner, first, "set", "liu2022who", "volume=3")
    assert result.exit_code == 0, result.output
    assert len(temps) == 1
    assert temps[0].startswith(f".works.yaml.{os.getpid()}.")
    assert (first / "publications.yaml").is_symlink()
    assert '  volume: "3"\n' in shared.read_text(encoding="utf-8")
    assert (shared.parent / "works.yaml.bak").read_text(encoding="utf-8") == BASE
    assert sorted(p.name for p in first.iterdir()) == ["profile.yaml", "publications.yaml", "themes.yaml"]


# item 6: a store that does not parse is refused by every write ------------------------------------------

UNCLOSED_QUOTE = BASE.replace("title: 'The Imaginary: a study'", "title: 'The Imaginary: a study")
DUPLICATE_KEY = BASE.replace("  year: 2022   # a trailing comment\n", "  year: 2022\n  year: 2023\n")
BIB = "@book{roe2020,\n  author = {Roe, R},\n  title = {Another},\n  year = {2020},\n}\n"


@pytest.mark.parametrize(
    "command",
    [
        WRITES["add"],
        ["import", "-"],
        ["set", "liu2022who", "volume=3"],
        ["remove", "liu2022who", "--yes"],
        ["edit", "liu2022who"],
    ],
    ids=["add", "import", "set", "remove", "edit"],
)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            UNCLOSED_QUOTE,
            ":15:10: YAML syntax error: found unexpected end of stream while scanning a quoted scalar that "
            "starts here (reached 5 lines below)",
        ),
        (DUPLICATE_KEY, ":9:3: duplicate key 'year' (first given on line 8); keep only one"),
    ],
    ids=["unclosed-quote", "duplicate-key"],
)
def test_a_write_into_an_unparseable_store_is_refused_as_a_read_is(
    runner: CliRunner,
    make_store,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    text: str,
    expected: str,
) -> None:
    store = make_store(text)
    publications = store / "publications.yaml"
    monkeypatch.setenv("EDITOR", "true")
    read = run(runner, store, "list")
    assert read.exit_code == 1
    assert f"error: {publications}{expected}" in read.stderr.splitlines()
    result = runner.invoke(app, [*command, "--store", str(store)], input=BIB)
    assert result.exit_code == 1, result.output
    assert result.stderr == read.stderr  # the same lines as a read (and `scholar check`)
    assert publications.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in store.iterdir()) == [
        ".scholar.lock", "profile.yaml", "publications.yaml", "themes.yaml"
    ]  # fmt: skip


def test_a_checked_store_is_not_parsed_again_by_the_next_write(
    runner: CliRunner, make_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The lock file remembers the content a write checked or wrote, so a run of adds parses once.
    store = make_store(BASE)
    parsed: list[str] = []
    real_load = session_module.yamlio.load_text
    monkeypatch.setattr(
        session_module.yamlio, "load_text", lambda text, path: parsed.append(path) or real_load(text, path)
    )
    for title in ("One", "Two", "Three"):
        result = run(
            runner, store, "add", "--type", "book", "--author", "Roe, R", "--year", "2020", "--title", title
        )
        assert result.exit_code == 0, result.output
    assert [path for path in parsed if path.endswith("publications.yaml")] == [
        str(store / "publications.yaml")
    ]
    # A change by hand is parsed again (and refused when it does not parse).
    (store / "publications.yaml").write_text(UNCLOSED_QUOTE, encoding="utf-8")
    assert run(runner, store, *WRITES["set"]).exit_code == 1


# item 16: stale temp files of killed writers are removed under the lock -------------------------------


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_stale_temp_files_of_dead_writers_are_removed(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    dead, alive = dead_pid(), os.getppid()
    stale = [
        f".publications.yaml.bak.{dead}.tmp",  # a backup's temp file, as older versions named it
        f".publications.yaml.{dead}.ab12cd34.tmp",
        f".publications.yaml.bak.{dead}.ab12cd34.tmp",
    ]
    kept = [
        f".publications.yaml.{alive}.ab12cd34.tmp",  # its writer is still running
        ".publications.yaml.k3j4h5g6.tmp",  # no pid: not named by us
        f".notes.txt.{dead}.ab12cd34.tmp",  # not a file of the store
        f"publications.yaml.{dead}.tmp",  # no leading dot
    ]
    for name in stale + kept:
        (store / name).write_text("x\n", encoding="utf-8")
    result = run(runner, store, "set", "liu2022who", "volume=3")
    assert result.exit_code == 0, result.output
    left = sorted(p.name for p in store.iterdir())
    assert not set(stale) & set(left)
    assert set(kept) <= set(left)


def test_stale_temp_files_are_left_alone_without_the_lock(make_store) -> None:
    store = make_store(BASE)
    name = f".publications.yaml.{dead_pid()}.ab12cd34.tmp"
    (store / name).write_text("x\n", encoding="utf-8")
    location = locate_store(store)
    with session_module.store_lock(store):  # held by someone else: a write waits, and removes nothing
        pass
    assert (store / name).exists()
    with session_module.write_session(location):
        assert not (store / name).exists()
