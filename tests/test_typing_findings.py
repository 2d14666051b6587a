"""Defects the type checker (mypy, see pyproject.toml) found, each reproduced before its fix."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.store import load_library, locate_store


def test_a_bibtex_name_without_a_family_name_is_rejected_not_a_crash(
    runner: CliRunner, make_store, tmp_path: Path
) -> None:
    # mypy: 'Missing positional argument "reason" in call to "InvalidNameError"'. bibtexparser's
    # InvalidNameError takes (name, reason), so raising it with one message was a TypeError: a
    # traceback instead of the rejected entry.
    store = make_store("")
    bib = tmp_path / "in.bib"
    bib.write_text(
        "@article{nofamily, title = {T}, author = {, John}, year = 2020}\n"
        "@article{fine, title = {U}, author = {Doe, Jane}, year = 2021, journal = {J}}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", "--store", str(store), str(bib)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: {bib}:1 (nofamily): 'author': the name ', John' has no family name\n"
        "published without (field: entries): doi 1, pages 1 (scholar check lists them)\n"
        "added 1, updated 0, skipped 0 as duplicate, rejected 1 (not imported: 1, exit status 1)\n"
    )
    library = load_library(locate_store(store), use_cache=False).library
    assert [work.id for work in library.publications] == ["fine"]
