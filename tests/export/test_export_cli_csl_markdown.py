"""`scholar export --format csl-json|markdown` through CliRunner: stdout, -o, --group-by, --style errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from tests.conftest import DEFAULT_STORE, REPO, STRESS_STORE

GOLDEN = REPO / "tests" / "golden"


def run(runner: CliRunner, *args: str):
    return runner.invoke(app, list(args))


@pytest.mark.parametrize(("store", "name"), [(DEFAULT_STORE, "default"), (STRESS_STORE, "stress")])
def test_csl_json_on_stdout_is_the_golden_file(runner: CliRunner, store: Path, name: str) -> None:
    result = run(runner, "export", "--format", "csl-json", "--store", str(store))
    assert result.exit_code == 0, result.output
    assert result.stdout.encode("utf-8") == (GOLDEN / "csl-json" / f"{name}-store.json").read_bytes()


@pytest.mark.parametrize("group_by", ["type", "year", "theme", "none"])
def test_markdown_group_by_is_the_golden_file(runner: CliRunner, group_by: str) -> None:
    result = run(runner, "export", "-f", "markdown", "--group-by", group_by, "--store", str(STRESS_STORE))
    assert result.exit_code == 0, result.output
    assert result.stdout.encode("utf-8") == (GOLDEN / "markdown" / f"stress-store-{group_by}.md").read_bytes()


def test_markdown_defaults_to_sections_by_type(runner: CliRunner) -> None:
    result = run(runner, "export", "-f", "markdown", "--store", str(DEFAULT_STORE))
    assert result.exit_code == 0
    assert result.stdout.encode("utf-8") == (GOLDEN / "markdown" / "default-store-type.md").read_bytes()


def test_selection_options_apply_to_csl_json(runner: CliRunner) -> None:
    result = run(
        runner, "export", "-f", "csl-json", "--theme", "citizen-response", "--store", str(DEFAULT_STORE)
    )
    assert result.exit_code == 0
    assert [item["id"] for item in json.loads(result.stdout)] == ["trauthgoik2023black", "liu2022who"]


def test_theme_page_for_one_theme(runner: CliRunner) -> None:
    result = run(
        runner,
        "export",
        "-f",
        "markdown",
        "--group-by",
        "theme",
        "-t",
        "metricocracy",
        "--store",
        str(DEFAULT_STORE),
    )
    assert result.exit_code == 0
    assert [line for line in result.stdout.splitlines() if line.startswith("## ")] == ["## Metricocracy"]


def test_output_file_gets_the_same_bytes(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "cv.md"
    result = run(runner, "export", "-f", "markdown", "-o", str(target), "--store", str(DEFAULT_STORE))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == (GOLDEN / "markdown" / "default-store-type.md").read_bytes()
    assert result.stdout == ""


def test_unknown_group_by_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner, "export", "-f", "markdown", "--group-by", "venue", "--store", str(DEFAULT_STORE))
    assert result.exit_code == 2
    assert "venue" in result.output


def test_style_without_pandoc_is_one_clear_error(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run(runner, "export", "-f", "markdown", "--style", "apa", "--store", str(DEFAULT_STORE))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: --style needs pandoc, which is not on PATH: install pandoc (apt-get install pandoc, "
        "brew install pandoc, or https://pandoc.org/installing.html)\n"
    )


def test_style_file_that_does_not_exist(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nope.csl"
    result = run(runner, "export", "-f", "markdown", "--style", str(missing), "--store", str(DEFAULT_STORE))
    assert result.exit_code == 1
    assert result.stderr == f"error: --style: no such file '{missing}'\n"


def test_style_that_is_not_csl_is_reported_not_a_traceback(runner: CliRunner, tmp_path: Path) -> None:
    from tests.conftest import require_program

    require_program("pandoc")
    broken = tmp_path / "broken.csl"
    broken.write_text("this is not XML", encoding="utf-8")
    result = run(runner, "export", "-f", "markdown", "--style", str(broken), "--store", str(DEFAULT_STORE))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: --style '{broken}': pandoc failed: ")
    assert result.stderr.count("\n") == 1
