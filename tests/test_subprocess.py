"""The installed `scholar` as a real process: pipes, terminals, exit codes and `python -m`."""

from __future__ import annotations

import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from scholarcli.store.cache import parse as cache
from tests.conftest import REQUIRE_EXTERNAL_ENV, STRESS_STORE, require_program

SCHOLAR = shutil.which("scholar")


@pytest.fixture(autouse=True)
def installed_scholar() -> None:
    """These tests need the installed command: skip without it, but fail in CI (as for pandoc)."""
    require_program("scholar", install="pip install .")


def scholar(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    assert SCHOLAR is not None
    return subprocess.run(
        [SCHOLAR, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=stdin,
        check=False,
    )


def on_terminal(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run scholar with stdout and stderr on a pseudo-terminal; return its exit code and screen text."""
    assert SCHOLAR is not None
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child process
        os.environ.update({"COLUMNS": "160", "LINES": "50", "TERM": "xterm-256color", **(env or {})})
        os.execv(SCHOLAR, [SCHOLAR, *args])
    chunks = []
    while True:
        ready, _, _ = select.select([fd], [], [], 20)
        if not ready:
            break
        try:
            data = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode("utf-8", "replace")


def test_list_to_a_pipe_is_tsv_on_stdout_and_nothing_on_stderr() -> None:
    result = scholar("list", "--theme", "west-imaginary")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("liu2026imaginary\t2026\tarticle-journal\t")


def test_list_on_a_terminal_is_a_table_in_colour() -> None:
    code, screen = on_terminal("list")
    assert code == 0
    assert "┃" in screen
    assert "Metricocracy" in screen
    assert "\x1b[36m" in screen  # the id column is cyan


def test_no_color_is_honoured_on_a_terminal() -> None:
    code, screen = on_terminal("list", env={"NO_COLOR": "1"})
    assert code == 0
    assert "┃" in screen
    assert "\x1b[36m" not in screen
    code, screen = on_terminal("list", "--theme", "nope", env={"NO_COLOR": "1"})
    assert code == 1
    assert screen.startswith("error: --theme 'nope': no such theme in this store")


def test_terminal_never_receives_escapes_from_record_text(make_store) -> None:
    store = make_store(
        '- id: x\n  type: book\n  title: "A \\u202E B [red]C[/] :x:"\n  authors: [A, B]\n  year: 2020\n'
    )
    code, screen = on_terminal("list", "--store", str(store), env={"NO_COLOR": "1"})
    assert code == 0
    assert "\u202e" not in screen
    assert "A \\u202e B [red]C[/] :x:" in screen
    assert "❌" not in screen


def test_head_closing_the_pipe_shows_no_traceback(tmp_path: Path) -> None:
    assert SCHOLAR is not None
    pipeline = subprocess.run(
        f"'{SCHOLAR}' list --store '{STRESS_STORE}' --format json | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert pipeline.stdout == "[\n"
    assert "Traceback" not in pipeline.stderr
    assert pipeline.stderr == ""


def test_a_reader_closing_the_pipe_early_ends_with_the_sigpipe_status(make_store) -> None:
    # Enough output (~300 KB) that it cannot all sit in the pipe's buffer when the reader leaves.
    records = "".join(
        f"- id: w{index}\n  type: book\n  title: Work number {index} {'x' * 150}\n  authors: [A, B]\n  year: 2020\n"
        for index in range(2000)
    )
    store = make_store(records)
    assert SCHOLAR is not None
    process = subprocess.Popen(
        [SCHOLAR, "list", "--store", str(store), "--format", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b'{"id": "w')
    process.stdout.close()
    assert process.wait(timeout=60) == 141
    assert process.stderr is not None
    with process.stderr:
        assert process.stderr.read() == b""


def test_user_error_exits_1_and_usage_error_exits_2() -> None:
    missing = scholar("show", "nope2020")
    assert (missing.returncode, missing.stdout) == (1, "")
    assert missing.stderr == "error: no publication 'nope2020'\n"
    usage = scholar("list", "--no-such-option")
    assert usage.returncode == 2
    assert "No such option" in usage.stderr


def test_python_dash_m_runs_the_same_program() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scholarcli", "list", "--format", "keys", "--limit", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "liu-metricocracy\n")


def test_show_reads_ids_from_a_pipe() -> None:
    result = scholar("show", "-", "--format", "yaml", stdin="liu2022who\n")
    assert result.returncode == 0
    assert result.stdout.startswith("- id: liu2022who\n")


def test_store_variable_selects_the_store() -> None:
    result = scholar("list", "--format", "keys", "--limit", "1", env={"SCHOLAR_STORE": str(STRESS_STORE)})
    assert (result.returncode, result.stdout) == (0, "draft-forthcoming\n")


def test_shell_completion_offers_theme_and_publication_ids() -> None:
    themes = scholar(
        env={
            "_SCHOLAR_COMPLETE": "complete_bash",
            "COMP_WORDS": "scholar list --theme west",
            "COMP_CWORD": "3",
        }
    )
    assert themes.stdout.split() == ["west-imaginary"]
    ids = scholar(
        env={"_SCHOLAR_COMPLETE": "complete_bash", "COMP_WORDS": "scholar show liu2025", "COMP_CWORD": "2"}
    )
    assert sorted(ids.stdout.split()) == ["liu2025handbook", "liu2025trusting"]


@pytest.mark.parametrize("format_name", ["bibtex", "csl-json"])
def test_exports_from_stored_entries_are_the_bytes_of_a_fresh_render(
    default_store: Path, format_name: str
) -> None:
    arguments = ["export", "--store", str(default_store), "--format", format_name]
    fresh = scholar("--no-cache", *arguments)
    first = scholar(*arguments)  # renders every entry and keeps them
    entry_files = list(cache.cache_folder().glob("*.entries"))  # the child has the same environment
    second = scholar(*arguments)  # joins the kept entries
    assert fresh.returncode == 0, fresh.stderr
    assert len(entry_files) == 1
    assert fresh.stdout == first.stdout == second.stdout
    assert first.stderr == second.stderr == ""


@pytest.mark.parametrize("format_name", ["biblatex", "csl-json", "markdown"])
def test_an_export_is_utf8_in_any_locale_and_the_bytes_output_writes(
    tmp_path: Path, format_name: str
) -> None:
    # An export goes to stdout as UTF-8 bytes with "\n" line ends whatever stdout's encoding (here
    # Latin-1, which cannot hold 刘春成), from a parse, from the entry cache or to a file alike.
    assert SCHOLAR is not None
    folder = tmp_path / "store"
    shutil.copytree(STRESS_STORE, folder)
    arguments = [SCHOLAR, "export", "--store", str(folder), "--format", format_name]
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    runs = [
        subprocess.run(command, capture_output=True, env=env, check=False)
        for command in ([SCHOLAR, "--no-cache", *arguments[1:]], arguments, arguments)
    ]
    written = tmp_path / "out"
    to_file = subprocess.run([*arguments, "-o", str(written)], capture_output=True, env=env, check=False)
    assert [run.returncode for run in (*runs, to_file)] == [0, 0, 0, 0], runs[0].stderr
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout == written.read_bytes()
    assert "刘春成" in runs[0].stdout.decode("utf-8")
    assert b"\r\n" not in runs[0].stdout


def test_a_pipe_in_an_ascii_locale_gets_utf8_not_a_traceback(tmp_path: Path) -> None:
    # LC_ALL=C without UTF-8 mode makes Python's stdout ASCII: printing 刘春成 once raised
    # UnicodeEncodeError. A pipe gets the same UTF-8 bytes as in a UTF-8 locale.
    assert SCHOLAR is not None
    arguments = [SCHOLAR, "list", "--store", str(STRESS_STORE)]
    utf8 = subprocess.run(arguments, capture_output=True, check=False)
    ascii_env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}
    ascii_env.pop("PYTHONIOENCODING", None)
    legacy = subprocess.run(arguments, capture_output=True, env=ascii_env, check=False)
    assert utf8.returncode == legacy.returncode == 0, legacy.stderr
    assert legacy.stdout == utf8.stdout
    assert "刘春成" in legacy.stdout.decode("utf-8")


def test_an_encoding_the_user_names_escapes_what_it_cannot_hold() -> None:
    assert SCHOLAR is not None
    result = subprocess.run(
        [SCHOLAR, "show", "--store", str(STRESS_STORE), "names2019"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    shown = result.stdout.decode("latin-1")
    assert "\\u0141" in shown  # Ł, which Latin-1 lacks, as an escape
    assert "Kurt Gödel" in shown  # ö, which it has, as itself


# Issue #12, item 9: a full or closed stdout, a closed stdin, Ctrl-C -------------------------------------

OUTPUT_COMMANDS = [
    ["list"],
    ["show", "liu2022who"],
    ["themes"],
    ["themes", "show", "west-imaginary"],
    ["stats"],
    ["check", "--store", str(STRESS_STORE)],  # its warnings go to stdout
    ["where"],
    ["export", "--format", "bibtex"],
    ["export", "--format", "csl-json"],
    ["--help"],
    ["list", "--help"],
    ["--version"],
]
# Python's stdout is block-buffered, or with PYTHONUNBUFFERED unbuffered: a failure shows at another moment.
BUFFERING = [{"PYTHONUNBUFFERED": ""}, {"PYTHONUNBUFFERED": "1"}]


def _run_with_stdout(
    arguments: list[str], stdout: object, buffering: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    assert SCHOLAR is not None
    return subprocess.run(
        [SCHOLAR, *arguments],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **buffering},
        check=False,
    )


def require_dev_full() -> None:
    """Skip without /dev/full, but fail in CI (SCHOLAR_REQUIRE_EXTERNAL_TOOLS), as for pandoc."""
    if not Path("/dev/full").exists():
        if os.environ.get(REQUIRE_EXTERNAL_ENV):
            pytest.fail(f"/dev/full is missing, and {REQUIRE_EXTERNAL_ENV} is set")
        pytest.skip("needs /dev/full")


@pytest.mark.parametrize("buffering", BUFFERING, ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("arguments", OUTPUT_COMMANDS, ids=" ".join)
def test_a_full_stdout_is_one_line_and_exit_1(arguments: list[str], buffering: dict[str, str]) -> None:
    require_dev_full()
    with Path("/dev/full").open("w") as full:
        result = _run_with_stdout(arguments, full, buffering)
    error = "error: cannot write output: No space left on device"
    # Block-buffered, the output fails at the last flush, after the command's own messages (check's
    # summary, where's reason) are on stderr; unbuffered, at the first write, before them.
    own = scholar(*arguments).stderr.splitlines()
    assert result.returncode == 1
    assert result.stderr.splitlines() in ([error], [*own, error])


def _shell(command: str, buffering: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        shell=True,
        capture_output=True,
        text=True,
        env={**os.environ, **(buffering or {})},
        check=False,
    )


@pytest.mark.parametrize("buffering", BUFFERING, ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("arguments", [["list"], ["where"], ["--help"], ["--version"]], ids=" ".join)
def test_a_closed_stdout_is_one_line_and_exit_1(arguments: list[str], buffering: dict[str, str]) -> None:
    result = _shell(f"'{SCHOLAR}' {' '.join(arguments)} >&-", buffering)
    expected = "error: cannot write output: Bad file descriptor\n"
    if arguments == ["where"]:  # its reason goes to stderr first
        expected = (
            "store: the embedded default store (read-only; run 'scholar init --from-default' to make an editable copy)\n"
            + expected
        )
    assert (result.returncode, result.stdout, result.stderr) == (1, "", expected)


def test_a_closed_stdout_does_not_trouble_a_command_that_writes_nothing_there(make_store) -> None:
    store = make_store("- id: a2020\n  type: book\n  title: T\n  authors: [A, B]\n  year: 2020\n")
    result = _shell(f"'{SCHOLAR}' check --store '{store}' >&-")
    assert (result.returncode, result.stderr) == (0, f"{store}: 0 error(s), 0 warning(s)\n")


def test_a_closed_stdout_never_lends_its_descriptor_to_a_store_file(default_store: Path) -> None:
    # With fd 1 closed, the first file opened (the lock, a temp file) would become fd 1, and whatever
    # is printed would be written into it. The new id goes nowhere; the store file holds only YAML.
    result = _shell(
        f"'{SCHOLAR}' add --store '{default_store}' --type book --title 'Closed Out' --author 'A, B' --year 2020 >&-"
    )
    assert (result.returncode, result.stderr) == (
        1, "error: cannot write output: Bad file descriptor; the store was changed: added 'a2020closed'\n"
    )  # fmt: skip
    text = (default_store / "publications.yaml").read_text(encoding="utf-8")
    assert text.count("Closed Out") == 1
    assert yaml.safe_load(text)[-1]["id"] == "a2020closed"
    assert sorted(path.name for path in default_store.iterdir() if path.name.startswith(".p")) == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["show", "-"], "error: no ids on stdin\n"),
        (
            ["remove", "liu2022who"],
            "error: removing needs --yes when stdin is not a terminal; nothing was removed\n",
        ),
        (
            ["add"],
            "error: missing --type, --title, --author, --year; give them as options "
            "(stdin is not a terminal, so there is no prompt)\n",
        ),
    ],
    ids=["show", "remove", "add"],
)
def test_a_closed_stdin_reads_as_empty(default_store: Path, arguments: list[str], message: str) -> None:
    store = ["--store", str(default_store)]
    result = _shell(f"'{SCHOLAR}' {' '.join(arguments + store)} <&-")
    assert (result.returncode, result.stdout, result.stderr) == (1, "", message)


def test_a_closed_stderr_does_not_trouble_a_command() -> None:
    result = _shell(f"'{SCHOLAR}' show nope2020 2>&-")
    assert (result.returncode, result.stdout) == (1, "")


# Ctrl-C: the child interrupts itself at its N-th import from the moment our entry point starts (the
# `import signal` in scholarcli.cli.entry), so every moment of start-up is reached deterministically,
# however fast or slow the machine; a wall-clock delay would mostly land inside Python's own start-up.
_INTERRUPT_AT_IMPORT = """
import _signal, os, runpy, sys  # not signal: entry's own `import signal` starts the count
target, script = int(sys.argv[1]), sys.argv[2]
state = {"started": False, "count": 0}
def hook(event, args):
    if event != "import" or state["count"] < 0:
        return
    if not state["started"]:
        state["started"] = args[0] == "signal" and "scholarcli.cli.entry" in sys.modules
        if not state["started"]:
            return
    state["count"] += 1
    if state["count"] == target:
        state["count"] = -1
        os.kill(os.getpid(), _signal.SIGINT)
sys.addaudithook(hook)
sys.argv = [script, *sys.argv[3:]]
try:
    runpy.run_path(script, run_name="__main__")
finally:
    if state["count"] >= 0:
        sys.stderr.write(f"imports: {state['count']}")
"""


def _interrupted_at_import(target: int, *arguments: str) -> subprocess.CompletedProcess[str]:
    assert SCHOLAR is not None
    return subprocess.run(
        [sys.executable, "-c", _INTERRUPT_AT_IMPORT, str(target), SCHOLAR, *arguments],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("arguments", [["list"], ["export", "--format", "bibtex"]], ids=" ".join)
def test_ctrl_c_at_any_moment_of_start_up_exits_130_silently(arguments: list[str]) -> None:
    _interrupted_at_import(10**9, *arguments)  # fills the parse cache: later runs import the same
    uninterrupted = _interrupted_at_import(10**9, *arguments)
    assert uninterrupted.returncode == 0
    imports = int(uninterrupted.stderr.rpartition("imports: ")[2])
    assert imports > 50  # Typer, Click, our modules: the start-up this test covers
    for target in sorted({1, 2, 3, *range(5, imports + 1, max(1, imports // 12)), imports}):
        result = _interrupted_at_import(target, *arguments)
        assert (result.returncode, result.stdout, result.stderr) == (130, "", ""), (
            f"interrupted at import {target}"
        )


def test_ctrl_c_while_a_command_waits_exits_130_silently(default_store: Path) -> None:
    # `show -` waits for ids on stdin; the interrupt comes while it reads.
    assert SCHOLAR is not None
    process = subprocess.Popen(
        [SCHOLAR, "show", "-", "--store", str(default_store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        time.sleep(1.5)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert (process.returncode, stdout, stderr) == (130, b"", b"")


# SIGTERM as SIGINT, and neither inside a write's critical section: the child sends itself the signal
# right after the new file is swapped into place, before the old one becomes the backup.
_SIGNAL_AFTER_SWAP = """
import os, signal, sys
import scholarcli.cli.entry as entry
from scholarcli.write import atomic
original, number = atomic.exchange, getattr(signal, sys.argv[1])
def exchange(first, second):
    done = original(first, second)
    os.kill(os.getpid(), number)
    return done
atomic.exchange = exchange
sys.argv = ["scholar", *sys.argv[2:]]
entry.main()
"""


@pytest.mark.parametrize(("name", "status"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_a_signal_during_the_replace_waits_for_the_backup(
    default_store: Path, name: str, status: int
) -> None:
    publications = default_store / "publications.yaml"
    before = publications.read_bytes()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _SIGNAL_AFTER_SWAP,
            name,
            "set",
            "--store",
            str(default_store),
            "liu2022who",
            "note=changed",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (status, "", "")
    assert b"note: changed" in publications.read_bytes()  # the change landed ...
    assert (default_store / "publications.yaml.bak").read_bytes() == before  # ... and the backup rotated
    assert sorted(path.name for path in default_store.iterdir() if path.name.endswith(".tmp")) == []


def test_sigterm_while_a_command_waits_exits_143_silently(default_store: Path) -> None:
    assert SCHOLAR is not None
    process = subprocess.Popen(
        [SCHOLAR, "show", "-", "--store", str(default_store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        time.sleep(1.5)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert (process.returncode, stdout, stderr) == (143, b"", b"")


# `scholar edit`: the temp file of the edit is removed, or kept and named when it holds the user's edit.
def _edit_temp_files(tmp: Path) -> list[str]:
    return sorted(path.name for path in tmp.iterdir() if path.name.startswith("scholar-"))


@pytest.mark.parametrize(
    ("editor_code", "status", "kept"),
    [
        ("sys.exit(3)", 1, False),  # the editor fails before any change: nothing to keep
        ("open(sys.argv[1], 'a').write('  note: mine\\n'); sys.exit(3)", 1, True),  # after the user's save
        ("os.kill(os.getppid(), signal.SIGTERM); time.sleep(5)", 143, False),
        ("os.kill(os.getppid(), signal.SIGINT); time.sleep(5)", 130, False),
        (
            "open(sys.argv[1], 'a').write('  note: mine\\n'); os.kill(os.getppid(), signal.SIGTERM); time.sleep(5)",
            143,
            True,
        ),
    ],
)
def test_edit_leaves_no_unnamed_temp_file(
    default_store: Path, tmp_path: Path, editor_code: str, status: int, kept: bool
) -> None:
    script = tmp_path / "editor.py"
    script.write_text(f"import os, signal, sys, time\n{editor_code}\n", encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    before = (default_store / "publications.yaml").read_bytes()
    result = scholar(
        "edit", "--store", str(default_store), "liu2022who",
        env={"EDITOR": f"{sys.executable} {script}", "TMPDIR": str(temp)},
    )  # fmt: skip
    left = _edit_temp_files(temp)
    assert result.returncode == status, result.stderr
    assert (default_store / "publications.yaml").read_bytes() == before
    if kept:
        assert len(left) == 1
        assert f"your edit is kept in {temp / left[0]}\n" in result.stderr
        assert "note: mine" in (temp / left[0]).read_text(encoding="utf-8")
    else:
        assert left == []
        assert "kept" not in result.stderr


def test_an_editor_variable_with_an_unclosed_quote_is_one_clear_error(default_store: Path) -> None:
    result = scholar("edit", "--store", str(default_store), "liu2022who", env={"EDITOR": '"unterminated'})
    assert (result.returncode, result.stderr) == (
        1, "error: $EDITOR '\"unterminated' cannot be read as a command (no closing quotation); check its quotes\n"
    )  # fmt: skip


@pytest.mark.parametrize("buffering", BUFFERING, ids=["buffered", "unbuffered"])
def test_a_full_stdout_after_a_write_says_the_store_was_changed(
    default_store: Path, tmp_path: Path, buffering: dict[str, str]
) -> None:
    require_dev_full()
    add = ["add", "--store", str(default_store), "--type", "book", "--title", "Full Out", "--author", "A, B",
           "--year", "2020"]  # fmt: skip
    with Path("/dev/full").open("w") as full:
        added = _run_with_stdout(add, full, buffering)
        created = _run_with_stdout(["init", str(tmp_path / "new")], full, buffering)
    assert (added.returncode, added.stderr) == (
        1, "error: cannot write output: No space left on device; the store was changed: added 'a2020full'\n"
    )  # fmt: skip
    assert created.returncode == 1
    assert created.stderr.endswith(
        f"error: cannot write output: No space left on device; the store was changed: created in {tmp_path / 'new'}\n"
    )
    assert (tmp_path / "new" / "publications.yaml").exists()
