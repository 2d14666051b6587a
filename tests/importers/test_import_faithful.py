"""Issue #11, second review: data a faithful import must not lose (each test failed before its fix)."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.importers.bibtex import read_bibtex
from tests.conftest import REQUIRE_EXTERNAL_ENV


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
        f"warning: {bib}:2 (a): the record has no authors or editors\n"
        f"warning: {bib}:3 (b): the record has no authors or editors\n"
        "published without (field: entries): doi 2, pages 2 (scholar check lists them)\n"
        "added 2, updated 0, skipped 0 as duplicate, rejected 0\n",
    )


def test_and_others_is_kept_as_pandoc_keeps_it() -> None:
    # pandoc -f bibtex -t csljson writes `and others` as a last name {"literal": "others"}.
    from scholarcli.model import Name

    result = read_bibtex(
        "@article{a, author={A, B and C, D and others}, editor={E, F and others}}\n", "o.bib"
    )
    publication = result.candidates[0].publication
    assert publication.authors == (
        Name(family="A", given="B"),
        Name(family="C", given="D"),
        Name(literal="others"),
    )
    assert publication.editors == (Name(family="E", given="F"), Name(literal="others"))


def test_and_others_round_trips_through_bibtex_biblatex_and_csl_json() -> None:
    from scholarcli.export import biblatex, bibtex, export
    from scholarcli.importers.csl_json import read_csl_json
    from scholarcli.model import Library, Profile

    [candidate] = read_bibtex(
        "@article{a, author={A, B and C, D and others}, title={T}, journal={J}, year=2001}\n", "o.bib"
    ).candidates
    work = candidate.publication
    assert "author = {A, B and C, D and others}" in bibtex.render_entry(work)
    assert "author = {A, B and C, D and others}" in biblatex.render_entry(work)
    exported = export("csl-json", [work], Library(profile=Profile(name="A")))
    assert json.loads(exported)[0]["author"][-1] == {"literal": "others"}
    [back] = read_csl_json(exported, "o.json").candidates
    assert back.publication.authors == work.authors


def test_and_others_reads_as_pandoc_cites_it() -> None:
    from scholarcli.cite.asa import plain_citation

    [candidate] = read_bibtex(
        "@article{a, author={Smith, John and Doe, Jane and others}, title={T}, journal={J}, year=2001}\n",
        "o.bib",
    ).candidates
    # pandoc --citeproc with american-sociological-association.csl prints exactly this for the entry.
    assert plain_citation(candidate.publication) == "Smith, John, Jane Doe, and others. 2001. “T.” J."


def _extras(text: str) -> dict[str, str]:
    [candidate] = read_bibtex(text, "x.bib").candidates
    return dict(candidate.publication.extra)


@pytest.mark.parametrize(
    ("dialect", "text", "written"),
    [
        # a date range: biblatex wrote `date = {2011}` and dropped the range
        ("biblatex", "@misc{a, title={T}, date={2011-05/2012-06}}", "date = {2011-05/2012-06}"),
        ("bibtex", "@misc{a, title={T}, date={2011-05/2012-06}}", "date = {2011-05/2012-06}"),
        # `circa 1850`: bibtex wrote `year = {1850}` and dropped the rest
        ("bibtex", "@book{a, title={T}, year={circa 1850}}", "year = {circa 1850}"),
        ("biblatex", "@book{a, title={T}, year={circa 1850}}", "year = {circa 1850}"),
        # a @misc whose container came from `journal`: its own `howpublished` was dropped
        (
            "bibtex",
            "@misc{a, title={T}, journal={J}, howpublished={Online}, year=2001}",
            "howpublished = {Online}",
        ),
        (
            "biblatex",
            "@misc{a, title={T}, journal={J}, howpublished={Online}, year=2001}",
            "howpublished = {Online}",
        ),
        ("bibtex", "@book{a, title={T}, publisher={P}, institution={I}, year=2001}", "institution = {I}"),
        ("biblatex", "@book{a, title={T}, address={A}, location={L}, year=2001}", "location = {L}"),
    ],
)
def test_an_extra_that_clashes_with_an_exported_field_is_not_dropped(
    dialect: str, text: str, written: str
) -> None:
    from scholarcli.export import biblatex, bibtex

    module = bibtex if dialect == "bibtex" else biblatex
    [candidate] = read_bibtex(text, "x.bib").candidates
    work = candidate.publication
    exported = module.render_entry(work)
    assert written in exported
    [back] = read_bibtex(exported, "y.bib").candidates
    assert dict(back.publication.extra) == dict(work.extra)
    assert replace(back.publication, extra=()) == replace(work, extra=())


def test_an_href_address_becomes_the_url_when_there_is_none() -> None:
    result = read_bibtex(
        "@misc{k, title={T}, year=2001, note={See \\href{https://example.org/a\\_b}{the site}}}\n", "h.bib"
    )
    [candidate] = result.candidates
    assert (candidate.publication.url, candidate.publication.note) == (
        "https://example.org/a_b",
        "See the site",
    )
    assert candidate.publication.extra == ()
    assert ("h.bib:1 (k)", "took the url https://example.org/a_b from the \\href in 'note'") in result.notes


def test_an_href_address_beside_a_url_is_kept_in_extra_and_round_trips() -> None:
    from scholarcli.export import bibtex

    text = (
        "@misc{k, title={T}, year=2001, url={https://example.org/u},\n"
        " howpublished={\\href{https://example.org/h}{Online}}}\n"
    )
    result = read_bibtex(text, "h.bib")
    [candidate] = result.candidates
    work = candidate.publication
    assert (work.url, work.container) == ("https://example.org/u", "Online")
    assert dict(work.extra) == {"howpublished": "\\href{https://example.org/h}{Online}"}
    assert (
        "h.bib:1 (k)",
        "kept 'howpublished' in extra as written: its \\href address has no other place",
    ) in result.notes
    exported = bibtex.render_entry(work)
    assert "howpublished = {\\href{https://example.org/h}{Online}}" in exported
    [back] = read_bibtex(exported, "y.bib").candidates
    assert back.publication == work


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_a_note_with_an_href_beside_a_url_round_trips(dialect: str) -> None:
    from scholarcli.export import biblatex, bibtex

    module = bibtex if dialect == "bibtex" else biblatex
    text = "@misc{k, title={T}, year=2001, url={https://example.org/u}, note={See \\href{https://e.org/h}{here}}}\n"
    [candidate] = read_bibtex(text, "h.bib").candidates
    work = candidate.publication
    exported = module.render_entry(work)
    assert "note = {See \\href{https://e.org/h}{here}}" in exported
    [back] = read_bibtex(exported, "y.bib").candidates
    assert back.publication == work


@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u202f", "\u2028"])
def test_csl_json_unicode_spaces_are_read_as_the_store_keeps_them(
    space: str, runner: CliRunner, make_store, tmp_path: Path
) -> None:
    store = make_store("")
    item = {
        "id": "k",
        "type": "book",
        "title": f"A{space}Title",
        "publisher": f"P{space}Q",
        "author": [{"family": f"Van{space}Dyke", "given": "J."}],
        "issued": {"date-parts": [[2001]]},
        "note": f"one{space}two",
    }
    source = tmp_path / "s.json"
    source.write_text(json.dumps([item]), encoding="utf-8")
    result = runner.invoke(app, ["import", "--store", str(store), str(source)])
    assert (result.exit_code, result.stderr) == (
        0,
        "added 1, updated 0, skipped 0 as duplicate, rejected 0\n",
    )
    from scholarcli.store import open_store

    [work] = open_store(store).library.publications
    assert (work.title, work.publisher, work.authors[0].family) == ("A Title", "P Q", "Van Dyke")


BIBLATEX_EXAMPLES = Path("/usr/share/texlive/texmf-dist/bibtex/bib/biblatex/biblatex/biblatex-examples.bib")


def test_pandocs_csl_json_of_biblatex_examples_imports(runner: CliRunner, make_store, tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import require_program

    pandoc = require_program("pandoc")
    if not BIBLATEX_EXAMPLES.is_file():
        reason = f"{BIBLATEX_EXAMPLES} is not installed (texlive-bibtex-extra)"
        if os.environ.get(REQUIRE_EXTERNAL_ENV):  # CI installs it: a missing file there is a failure
            pytest.fail(f"{reason}, and {REQUIRE_EXTERNAL_ENV} is set")
        pytest.skip(reason)
    csl = subprocess.run(
        [pandoc, "-f", "biblatex", "-t", "csljson", str(BIBLATEX_EXAMPLES)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    source = tmp_path / "examples.json"
    source.write_text(csl, encoding="utf-8")
    store = make_store("")
    result = runner.invoke(app, ["import", "--store", str(store), "--on-duplicate", "keep-both", str(source)])
    assert "error:" not in result.stderr, result.stderr
    assert result.exit_code == 0
    assert result.stderr.endswith(", updated 0, skipped 0 as duplicate, rejected 0\n")
    assert f"added {len(json.loads(csl))}," in result.stderr


def test_pandocs_empty_csl_type_is_a_document() -> None:
    from scholarcli.importers.csl_json import read_csl_json

    result = read_csl_json(
        '[{"id": "m", "type": "", "title": "M", "issued": {"date-parts": [[2001]]}}]', "m.json"
    )
    assert result.rejected == []
    assert result.candidates[0].publication.type == "document"
    assert result.notes == [
        ("m.json:1 (m)", "the item's 'type' is empty (pandoc's for @misc and @set): read as 'document'")
    ]


def test_the_store_warnings_of_imported_records_are_in_the_summary(
    runner: CliRunner, make_store, tmp_path: Path
) -> None:
    store = make_store("")
    bib = tmp_path / "w.bib"
    bib.write_text("@book{a, title={A}}\n@book{b, author={Doe, J}, title={B}, year=2001}\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "--store", str(store), "--dry-run", str(bib)])
    assert (result.exit_code, result.stderr) == (
        0,
        f"warning: {bib}:1 (a): the record has no authors or editors\n"
        f"warning: {bib}:1 (a): the record has no year\n"
        "would add 2, would update 0, skipped 0 as duplicate, rejected 0 (dry run: nothing written)\n",
    )


def _csl_one(item: dict[str, object]):  # type: ignore[no-untyped-def]
    from scholarcli.importers.csl_json import read_csl_json

    result = read_csl_json(json.dumps([{"id": "k", "type": "book", "title": "T", **item}]), "d.json")
    assert result.rejected == []
    return result.candidates[0].publication, [note for _, note in result.notes]


@pytest.mark.parametrize(
    ("date", "parts"),
    [
        ({"raw": "2020"}, (2020, None, None)),
        ({"raw": "2020-03"}, (2020, 3, None)),
        ({"raw": "2020-03-15"}, (2020, 3, 15)),
        ({"raw": "2020-3-5"}, (2020, 3, 5)),
        ({"raw": "2020/03/15"}, (2020, 3, 15)),
        ({"literal": "2020-03"}, (2020, 3, None)),
    ],
)
def test_csl_raw_iso_dates_are_parsed(date: dict[str, str], parts: tuple[int, ...]) -> None:
    work, notes = _csl_one({"issued": date, "accessed": {"raw": "2021-01-02"}})
    assert (work.year, work.month, work.day, work.accessed) == (*parts, "2021-01-02")
    assert (work.extra, notes) == ((), [])


@pytest.mark.parametrize(
    ("date", "year"),
    [
        ({"literal": "Spring 2011"}, 2011),
        ({"raw": "2020/2021"}, 2020),
        ({"raw": "2020-13"}, 2020),
        ({"raw": "circa"}, None),
    ],
)
def test_csl_dates_that_say_more_are_kept_in_extra_with_a_note(
    date: dict[str, str], year: int | None
) -> None:
    work, notes = _csl_one({"issued": date})
    assert work.year == year
    assert dict(work.extra) == {"issued": json.dumps(date)}
    assert notes == [
        f"kept 'issued' in extra: the date {json.dumps(date)} says more than a year, month and day"
    ]


def test_a_csl_accessed_date_without_a_day_is_kept_with_a_note() -> None:
    work, notes = _csl_one({"accessed": {"date-parts": [[2020, 3]]}})
    assert work.accessed is None
    assert dict(work.extra) == {"accessed": '{"date-parts": [[2020, 3]]}'}
    assert notes == ["kept 'accessed' in extra: the date {\"date-parts\": [[2020, 3]]} is no full day"]


def test_zoteros_citation_key_is_the_id_and_the_item_uri_is_kept() -> None:
    work, notes = _csl_one({"id": "http://zotero.org/users/1/items/ABCD", "citation-key": "smith2020"})
    assert work.id == "smith2020"
    assert dict(work.extra) == {"original_key": "http://zotero.org/users/1/items/ABCD"}
    assert notes == []


def test_a_citation_key_that_cannot_be_an_id_stays_in_extra() -> None:
    work, _ = _csl_one({"id": "k", "citation-key": "bad key@"})
    assert work.id == "k"
    assert dict(work.extra) == {"citation-key": "bad key@"}


CROSSREF_BIB = (
    "@incollection{child, author={Doe, Jane}, title={C}, crossref={parent}, pages={1--2}}\n"
    "@book{parent, editor={Roe, R}, title={P}, publisher={Pub}, year=2001}\n"
)


def test_a_resolved_crossref_is_kept_under_another_name_and_bibtex_reads_the_export(tmp_path: Path) -> None:
    from scholarcli.export import bibtex
    from tests.conftest import require_program
    from tests.export.bibcheck import run_bibtex

    program = require_program("bibtex")
    result = read_bibtex(CROSSREF_BIB, "c.bib")
    child = next(c.publication for c in result.candidates if c.publication.id == "child")
    assert (child.container, child.year, dict(child.extra)) == ("P", 2001, {"original_crossref": "parent"})
    exported = bibtex.render_entry(child)  # the child alone: its parent is not exported
    assert "original_crossref = {parent}" in exported
    assert "\n  crossref" not in exported
    run = run_bibtex(program, exported, tmp_path)
    assert run.returncode == 0, run.log
    assert "bad cross reference" not in run.log.lower()
    [back] = read_bibtex(exported, "y.bib").candidates
    assert back.publication == child


@pytest.mark.parametrize("name", ["crossref", "xdata", "xref"])
def test_an_old_crossref_extra_is_exported_under_another_name(name: str) -> None:
    from scholarcli.export import biblatex, bibtex

    [candidate] = read_bibtex("@misc{k, title={T}, year=2001}\n", "k.bib").candidates
    work = replace(candidate.publication, extra=((name, "gone"),))
    for module in (bibtex, biblatex):
        exported = module.render_entry(work)
        assert f"original_{name} = {{gone}}" in exported
        assert f"\n  {name} =" not in exported


def test_a_doi_with_a_space_is_no_doi_and_is_kept_as_written() -> None:
    result = read_bibtex("@misc{k, title={T}, year=2001, doi={10.1000/a b}}\n", "d.bib")
    [candidate] = result.candidates
    assert (candidate.publication.doi, dict(candidate.publication.extra)) == (None, {"doi": "10.1000/a b"})
    assert result.notes == [("d.bib:1 (k)", "kept 'doi' in extra: not a DOI (10.NNNN/...)")]


def test_a_csl_doi_with_a_space_is_no_doi_and_is_kept() -> None:
    work, notes = _csl_one({"DOI": "10.1000/a b"})
    assert (work.doi, dict(work.extra), notes) == (
        None,
        {"doi": "10.1000/a b"},
        ["kept 'DOI' in extra: not a DOI (10.NNNN/...)"],
    )


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_paragraph_breaks_in_abstract_and_note_are_kept_and_round_trip(dialect: str) -> None:
    from scholarcli.export import biblatex, bibtex, export
    from scholarcli.model import Library, Profile

    module = bibtex if dialect == "bibtex" else biblatex
    text = (
        "@misc{k, title={T}, year=2001,\n"
        "  abstract={First {\\em para}\n   graph.\n\n  Second one.\\par Third.},\n"
        "  note={One.\n\n\n Two.}}\n"
    )
    [candidate] = read_bibtex(text, "p.bib").candidates
    work = candidate.publication
    assert work.abstract == "First para graph.\n\nSecond one.\n\nThird."
    assert work.note == "One.\n\nTwo."
    exported = module.render_entry(work)
    assert "abstract = {First para graph. \\par Second one. \\par Third.}" in exported
    [back] = read_bibtex(exported, "y.bib").candidates
    assert back.publication == work
    csl = json.loads(export("csl-json", [work], Library(profile=Profile(name="A"))))
    assert (csl[0]["abstract"], csl[0]["note"]) == (work.abstract, work.note)


def test_paragraph_breaks_survive_the_store(runner: CliRunner, make_store, tmp_path: Path) -> None:
    from scholarcli.store import open_store

    store = make_store("")
    bib = tmp_path / "p.bib"
    bib.write_text(
        "@misc{k, author={A, B}, title={T}, year=2001, abstract={One.\n\nTwo.}}\n", encoding="utf-8"
    )
    assert runner.invoke(app, ["import", "--store", str(store), str(bib)]).exit_code == 0
    [work] = open_store(store).library.publications
    assert work.abstract == "One.\n\nTwo."


def test_useprefix_false_is_kept_as_written_and_noted() -> None:
    value = "family=Gogh, given=Vincent, prefix=van, useprefix=false"
    result = read_bibtex(f"@misc{{k, author={{{value}}}, title={{T}}, year=2001}}\n", "u.bib")
    [candidate] = result.candidates
    assert dict(candidate.publication.extra) == {"original_author": value}
    assert (
        "u.bib:1 (k)",
        "kept 'author' as written in extra as 'original_author': useprefix=false (a particle dropped in "
        "sorting) has no place in the record",
    ) in result.notes


def test_a_csl_dropping_particle_is_kept_and_noted() -> None:
    names = [{"family": "Gogh", "given": "Vincent", "dropping-particle": "van"}]
    work, notes = _csl_one({"author": names})
    assert work.authors[0].particle == "van"
    assert dict(work.extra) == {"original_author": json.dumps(names, ensure_ascii=False, sort_keys=True)}
    assert notes == [
        "kept 'author' as written in extra as 'original_author': a dropping-particle has no place in the record"
    ]
