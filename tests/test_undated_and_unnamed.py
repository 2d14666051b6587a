"""Works with no year or no names (issue #11 store rule): accepted with a warning, exported, sorted.

A file that BibTeX, biber, Zotero or pandoc read without complaint imports whole: an @online or @manual
by an organisation has no author, an @unpublished or an @online often no date. The ASA text of such
works is checked against pandoc in tests/cite (the asa-cases store has one record of each kind).
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.importers import read_records
from scholarcli.model import Library, Profile, Publication
from scholarcli.query import InMemory, Selection, select

STORE = (
    "- id: dated2020\n  type: book\n  title: Dated\n  authors: ['Doe, Jane']\n  year: 2020\n  publisher: P\n"
    "- id: nodate\n  type: manuscript\n  title: No Date\n  authors: ['Roe, Richard']\n"
    "- id: orgpage\n  type: webpage\n  title: An Organisation's Page\n  year: 2019\n"
    "  url: https://example.org/page\n"
    "- id: draft\n  type: article-journal\n  title: Draft\n  authors: ['Doe, Jane']\n  status: in-preparation\n"
    "- id: dated2010\n  type: book\n  title: Older\n  authors: ['Doe, Jane']\n  year: 2010\n  publisher: P\n"
)


def test_check_passes_with_a_warning_for_each(runner: CliRunner, make_store) -> None:  # type: ignore[no-untyped-def]
    store = make_store(STORE)
    result = runner.invoke(app, ["check", "--store", str(store)])
    assert result.exit_code == 0
    assert "warning: 'nodate' has no year" in result.stdout
    assert "warning: 'orgpage' has no authors or editors" in result.stdout
    assert "0 error(s), 2 warning(s)" in result.stderr
    strict = runner.invoke(app, ["check", "--store", str(store), "--strict"])
    assert strict.exit_code == 1


def test_default_order_puts_published_undated_works_last(runner: CliRunner, make_store) -> None:  # type: ignore[no-untyped-def]
    store = make_store(STORE)
    keys = runner.invoke(app, ["list", "--store", str(store), "--format", "keys"]).stdout.split()
    assert keys == ["draft", "dated2020", "orgpage", "dated2010", "nodate"]
    reverse = runner.invoke(app, ["list", "--store", str(store), "--format", "keys", "--reverse"])
    assert reverse.stdout.split() == keys[::-1]
    by_author = runner.invoke(app, ["list", "--store", str(store), "--format", "keys", "--sort", "author"])
    # Doe's works: not yet out, then newest first, after the page with no names (an empty name first).
    assert by_author.stdout.split() == ["orgpage", "draft", "dated2020", "dated2010", "nodate"]
    assert runner.invoke(
        app, ["list", "--store", str(store), "--year", "..2030", "--format", "keys"]
    ).stdout.split() == [
        "dated2020",
        "orgpage",
        "dated2010",
    ]  # an undated work matches no --year


def test_sort_keys_place_undated_published_works_after_every_year() -> None:
    works = [
        Publication(id="a", type="book", year=1000),
        Publication(id="b", type="book"),
        Publication(id="c", type="book", status="forthcoming"),
    ]
    assert [
        work.id
        for work in select(InMemory(Library(Profile(name="x"), publications=tuple(works))), Selection()).works
    ] == ["c", "a", "b"]


def test_exports_leave_the_year_and_names_out(runner: CliRunner, make_store) -> None:  # type: ignore[no-untyped-def]
    store = make_store(STORE)
    bibtex = runner.invoke(app, ["export", "--store", str(store), "--format", "bibtex"]).stdout
    entry = bibtex[bibtex.index("{nodate,") :].split("\n}\n")[0]
    assert "year" not in entry
    assert "note" not in entry
    page = bibtex[bibtex.index("{orgpage,") :].split("\n}\n")[0]
    assert "author" not in page
    assert "editor" not in page
    items = json.loads(runner.invoke(app, ["export", "--store", str(store), "--format", "csl-json"]).stdout)
    by_id = {item["id"]: item for item in items}
    assert "issued" not in by_id["nodate"]
    assert "status" not in by_id["nodate"]
    assert "author" not in by_id["orgpage"]
    markdown = runner.invoke(
        app, ["export", "--store", str(store), "--format", "markdown", "--group-by", "year"]
    ).stdout
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Forthcoming and in Progress (1)",
        "## 2020 (1)",
        "## 2019 (1)",
        "## 2010 (1)",
        "## No Date (1)",
    ]
    assert "Roe, Richard. n.d." in markdown
    assert "An Organisation’s Page. 2019." in markdown  # no author: the title goes first (as pandoc)


def test_import_takes_entries_with_no_year_or_no_names(runner: CliRunner, make_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bib = tmp_path / "in.bib"
    bib.write_text(
        "@online{ctan, title = {CTAN}, organization = {TeX Users Group}, url = {https://ctan.org}, year = 2006}\n"
        "@unpublished{draft, author = {Doe, Jane}, title = {A Draft}, note = {Manuscript}}\n"
        "@proceedings{procs, title = {Proceedings}, year = 1983, publisher = {P}}\n",
        encoding="utf-8",
    )
    result = read_records(bib.read_text(encoding="utf-8"), "in.bib")
    assert result.rejected == []
    records = {candidate.publication.id: candidate.publication for candidate in result.candidates}
    # biblatex never makes `organization` a name (its labelname is author, editor, translator): it is
    # the publisher here, not a stand-in author.
    assert (records["ctan"].authors, records["ctan"].publisher) == ((), "TeX Users Group")
    assert (records["draft"].year, records["draft"].status) == (None, "published")
    store = make_store("")
    done = runner.invoke(app, ["import", "--store", str(store), str(bib)])
    assert (done.exit_code, done.stderr.splitlines()[-1]) == (
        0,
        "added 3, updated 0, skipped 0 as duplicate, rejected 0",
    )
    assert runner.invoke(app, ["check", "--store", str(store)]).exit_code == 0
