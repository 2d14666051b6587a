"""CSL-JSON import: our own export reads back to equal records; broken items are reported with their line."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.errors import ScholarError
from scholarcli.export import export
from scholarcli.importers import ImportFormat, read_records
from scholarcli.model import Name
from scholarcli.store import load_library, locate_store

from ..conftest import DEFAULT_STORE, STRESS_STORE


def _expected(publication):
    # The export gives a year only to works that are out (no processor should invent one for the rest).
    return publication if publication.is_out else replace(publication, year=None)


@pytest.mark.parametrize("folder", [DEFAULT_STORE, STRESS_STORE], ids=["default", "stress"])
def test_our_export_reads_back_to_equal_records(folder: Path) -> None:
    library = load_library(locate_store(folder), use_cache=False).library
    text = export("csl-json", library.publications, library)
    result = read_records(text, "works.json")
    assert result.rejected == []
    assert [candidate.publication for candidate in result.candidates] == [
        _expected(publication) for publication in library.publications
    ]


def test_an_export_round_trip_through_the_commands(runner: CliRunner, stress_store: Path, make_store) -> None:
    exported = runner.invoke(app, ["export", "--store", str(stress_store), "--format", "csl-json"])
    assert exported.exit_code == 0, exported.output
    store = make_store("", themes=(STRESS_STORE / "themes.yaml").read_text(encoding="utf-8"))
    imported = runner.invoke(app, ["import", "--store", str(store), "-"], input=exported.stdout)
    assert imported.exit_code == 0, imported.output
    original = load_library(locate_store(stress_store), use_cache=False).library.publications
    back = load_library(locate_store(store), use_cache=False).library.publications
    # `export` lists works newest first; the import keeps that order, so compare by id.
    assert sorted(back, key=lambda p: p.id) == sorted((_expected(p) for p in original), key=lambda p: p.id)
    assert len(back) == len(original)


def test_csl_name_parts_and_dates_are_read() -> None:
    text = json.dumps(
        [
            {
                "id": "x1",
                "type": "book",
                "title": "T",
                "author": [
                    {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
                    {"literal": "World Health Organization"},
                    {"family": "Smith", "given": "John", "suffix": "Jr."},
                ],
                "issued": {"date-parts": [[2019, 5, 1]]},
                "DOI": "https://doi.org/10.1234/x",
                "keyword": "a, b",
            },
            {
                "type": "article-journal",
                "title": "U",
                "author": [{"family": "Roe"}],
                "issued": {"raw": "May 2020"},
            },
        ]
    )
    first, second = (candidate.publication for candidate in read_records(text, "in.json").candidates)
    assert first.authors == (
        Name(family="Beethoven", given="Ludwig", particle="van"),
        Name(literal="World Health Organization"),
        Name(family="Smith", given="John", suffix="Jr."),
    )
    assert (first.year, first.doi, first.tags) == (2019, "10.1234/x", ("a", "b"))
    assert (second.id, second.year) == ("", 2020)  # no id: one is generated when it is added


def test_broken_items_are_rejected_with_their_line() -> None:
    text = '[\n  {"id": "a", "type": "book", "title": "A"},\n  {"id": "b", "type": "novel"},\n  {"id": "c", "type": "book", "author": "Roe"}\n]\n'
    result = read_records(text, "in.json", ImportFormat.csl_json)
    assert result.rejected == [
        ("in.json:3 (b)", "unknown CSL type 'novel'"),
        ("in.json:4 (c)", "'author' must be a list of names"),
    ]


def test_invalid_json_is_reported_with_line_and_column() -> None:
    with pytest.raises(ScholarError, match=r"^in\.json:2:4: not valid JSON: Expecting property name"):
        read_records("[\n  {,}\n]", "in.json")


def test_add_from_csl_json_and_a_progress_bar_for_large_imports(
    runner: CliRunner, make_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scholarcli.cli import console
    from scholarcli.cli import write as write_cli

    store = make_store("")
    item = {
        "id": "roe2020t",
        "type": "book",
        "title": "T",
        "author": [{"family": "Roe"}],
        "issued": {"date-parts": [[2020]]},
    }
    added = runner.invoke(app, ["add", "--store", str(store), "--csl-json", "-"], input=json.dumps(item))
    assert (added.exit_code, added.stdout) == (0, "roe2020t\n")

    many = [{**item, "id": f"n{number}", "title": f"Title {number}"} for number in range(30)]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(many), encoding="utf-8")
    monkeypatch.setattr(write_cli, "PROGRESS_THRESHOLD", 10)
    monkeypatch.setattr(console, "stderr_is_terminal", lambda: True)
    imported = runner.invoke(app, ["import", "--store", str(store), str(path)])
    assert imported.exit_code == 0, imported.output
    assert imported.stderr.endswith("added 30, updated 0, skipped 0 as duplicate, rejected 0\n")
    assert len(load_library(locate_store(store), use_cache=False).library.publications) == 31
