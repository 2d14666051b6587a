"""Shared test set-up. No test ever reads or writes the real user's store, data or cache folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from traceback import format_exception
from typing import Any

import pytest
from typer.testing import CliRunner, Result

REPO = Path(__file__).resolve().parents[1]
DEFAULT_STORE = REPO / "data"
STRESS_STORE = REPO / "tests" / "fixtures" / "stress-store"
RICH_STORE = REPO / "tests" / "fixtures" / "rich-store"  # every field issue #11 added
# The default store's works in the default order: newest first, work not yet out on top.
DEFAULT_ORDER = [
    "liu-metricocracy",
    "liu2026imaginary",
    "liu2025handbook",
    "liu2025trusting",
    "trauthgoik2023black",
    "liu2022who",
    "liu2019multiple",
]
# CI sets this so a test that needs pandoc or bibtex fails instead of skipping when they are missing.
REQUIRE_EXTERNAL_ENV = "SCHOLAR_REQUIRE_EXTERNAL_TOOLS"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", default=False, help="rewrite golden files from current output"
    )


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every per-user folder at a fresh temp folder and clear the store variables."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for name in ("SCHOLAR_STORE", "NO_COLOR", "SCHOLAR_NO_CACHE", "VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


class CheckedRunner(CliRunner):
    """A CliRunner whose every run fails the test on a crash.

    CliRunner catches any exception and reports exit code 1, so a traceback would pass as a user
    error ("exit 1"); only a SystemExit (what Click and Typer raise to exit) is an exit.
    """

    def invoke(self, *args: Any, **kwargs: Any) -> Result:
        result = super().invoke(*args, **kwargs)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            trace = "".join(format_exception(result.exception))
            raise AssertionError(f"the command crashed:\n{trace}") from result.exception
        return result


@pytest.fixture
def runner() -> CliRunner:
    return CheckedRunner()


@pytest.fixture
def default_store(tmp_path: Path) -> Path:
    """A writable copy of the embedded default store."""
    target = tmp_path / "store"
    shutil.copytree(DEFAULT_STORE, target)
    return target


@pytest.fixture
def stress_store(tmp_path: Path) -> Path:
    """A writable copy of the stress store (every special character, script and name shape)."""
    target = tmp_path / "stress"
    shutil.copytree(STRESS_STORE, target)
    return target


PROFILE_YAML = "name: Test Person\nname_variants:\n  - Person, Test\n"
THEMES_YAML = "- id: alpha\n  title: Alpha question?\n- id: beta\n  title: Beta question?\n"


@pytest.fixture
def make_store(tmp_path: Path):
    """Build a store folder from YAML texts: make_store(publications, themes=..., profile=...)."""
    counter = iter(range(1_000_000))

    def make(publications: str, themes: str = THEMES_YAML, profile: str = PROFILE_YAML) -> Path:
        folder = tmp_path / f"store{next(counter)}"
        folder.mkdir()
        (folder / "profile.yaml").write_text(profile, encoding="utf-8")
        (folder / "themes.yaml").write_text(themes, encoding="utf-8")
        (folder / "publications.yaml").write_text(publications, encoding="utf-8")
        return folder

    return make


def require_program(name: str, install: str = "apt-get install pandoc texlive-binaries texlive-base") -> str:
    """The path of an external program; skip (or, in CI, fail) when it is not installed."""
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed ({install})"
        if os.environ.get(REQUIRE_EXTERNAL_ENV):
            pytest.fail(f"{reason}, and {REQUIRE_EXTERNAL_ENV} is set")
        pytest.skip(reason)
    return path
