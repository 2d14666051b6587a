"""Start-up imports only what a command needs: checked with `python -X importtime` on real processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _imported(arguments: list[str]) -> set[str]:
    """The modules a `scholar` process imported (from -X importtime, which reports on stderr)."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "scholarcli", *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = {line.rsplit("|", 1)[-1].strip() for line in completed.stderr.splitlines() if "|" in line}
    assert "scholarcli.cli.app" in modules  # the report was read; an empty set would pass vacuously
    return modules


@pytest.mark.parametrize("arguments", [["--version"], ["--help"]])
def test_version_and_help_import_no_parser_renderer_or_validator(arguments: list[str]) -> None:
    modules = _imported(arguments)
    for heavy in ("yaml", "rich", "pydantic", "bibtexparser", "pylatexenc", "scholarcli.validate"):
        assert heavy not in modules, heavy


@pytest.mark.parametrize(
    "arguments",
    [
        ["list"],
        ["list", "--format", "keys"],
        ["list", "--author", "Liu"],
        ["show", "liu2022who"],
        ["export", "--format", "csl-json"],
    ],
)
def test_a_cached_read_to_a_pipe_imports_no_parser_or_renderer(
    default_store: Path, arguments: list[str]
) -> None:
    _imported(["list", "--store", str(default_store), "--format", "keys"])  # builds the cache
    modules = _imported([*arguments, "--store", str(default_store)])
    for heavy in (
        "yaml",
        "rich",
        "scholarcli.validate",
        "scholarcli.yamlio",
        "scholarcli.writes",
        "bibtexparser",
    ):
        assert heavy not in modules, heavy
