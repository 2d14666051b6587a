"""Issue #11, second review: data a faithful import must not lose (each test failed before its fix)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.importers.bibtex import read_bibtex


def test_an_unbalanced_comment_does_not_swallow_the_file() -> None:
    # BibTeX skips only the word `comment`: what follows is text outside entries, the next `@` an entry.
    result = read_bibtex(
        "@comment{ unbalanced { brace }\n@article{a, title={A}, year=2001}\n@article{b, title={B}, year=2002}\n",
        "cm.bib",
    )
    assert result.rejected == []
    assert [c.publication.title for c in result.candidates] == ["A", "B"]


def test_an_unbalanced_comment_through_the_cli(runner: CliRunner, make_store, tmp_path: Path) -> None:
    store = make_store("")
    bib = tmp_path / "cm.bib"
    bib.write_text(
        "@comment{ unbalanced { brace }\n@article{a, title={A}, year=2001}\n@article{b, title={B}, year=2002}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", "--store", str(store), str(bib)])
    assert (result.exit_code, result.stderr) == (
        0,
        "added 2, updated 0, skipped 0 as duplicate, rejected 0\n",
    )
