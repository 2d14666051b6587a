"""Issue #12, the CLI robustness items: odd stores, odd options and odd input end in one clear line.

What needs a real process (closed or full stdout, signals) is in tests/test_subprocess.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app


def run(runner: CliRunner, *args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin)


def test_the_runner_fails_a_test_on_a_crash(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    # CliRunner alone reports any exception as exit code 1, so a traceback could pass as a user error.
    from scholarcli.cli import read

    def crash(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(read, "locate_store", crash)
    with pytest.raises(AssertionError, match="the command crashed:(.|\n)*RuntimeError: a bug"):
        run(runner, "where")
