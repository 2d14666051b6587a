"""`scholar export --format bibtex|biblatex` through CliRunner: stdout, `-o FILE`, refusals, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from tests.conftest import DEFAULT_STORE
from tests.export import bibcheck

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def run(runner: CliRunner, *args: str):
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_export_to_stdout_is_the_golden_file(runner: CliRunner, dialect: str) -> None:
    result = run(runner, "export", "--format", dialect, "--store", str(DEFAULT_STORE))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout_bytes == (GOLDEN / dialect / "default-store.bib").read_bytes()


def test_selection_options_choose_the_entries(runner: CliRunner) -> None:
    result = run(runner, "export", "-f", "biblatex", "--theme", "citizen-response")
    assert result.exit_code == 0, result.output
    keys = list(bibcheck.parse_pybtex(result.stdout).entries)
    assert keys == ["trauthgoik2023black", "liu2022who"]


def test_output_file_is_written_whole_and_reported(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "cv.bib"
    target.write_text("old content\n", encoding="utf-8")
    target.chmod(0o640)
    result = run(runner, "export", "--format", "bibtex", "-o", "cv.bib")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "wrote 7 works to cv.bib\n"
    assert target.read_bytes() == (GOLDEN / "bibtex" / "default-store.bib").read_bytes()
    assert target.stat().st_mode & 0o777 == 0o640  # replacing keeps the file's mode
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cv.bib"]  # no temp file left behind


def test_output_refuses_a_file_of_the_store(
    runner: CliRunner, default_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(default_store.parent)
    before = (default_store / "publications.yaml").read_bytes()
    result = run(
        runner, "export", "-f", "bibtex", "--store", str(default_store), "-o", "store/publications.yaml"
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        result.stderr
        == "error: store/publications.yaml: refusing to write an export over a file of the store\n"
    )
    assert (default_store / "publications.yaml").read_bytes() == before


def test_output_into_a_missing_folder_is_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(runner, "export", "-f", "biblatex", "-o", "missing/cv.bib")
    assert result.exit_code == 1
    assert result.stderr == "error: missing/cv.bib: cannot write: the folder missing does not exist\n"
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_is_one_line_and_touches_nothing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "cv.bib"
    target.write_text("old content\n", encoding="utf-8")

    # The tests may run as root, whom file modes do not stop; refuse the temp file the way a
    # read-only folder would.
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("scholarcli.write.atomic.tempfile.mkstemp", refuse)
    result = run(runner, "export", "-f", "bibtex", "-o", "cv.bib")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "error: cv.bib: cannot write: Permission denied\n"
    assert target.read_text(encoding="utf-8") == "old content\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cv.bib"]
