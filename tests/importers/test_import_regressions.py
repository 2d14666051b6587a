"""Issue #11: each crash or silent loss on real files, pinned (each test failed before the fix)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.errors import ScholarError
from scholarcli.importers import decode, read_records
from scholarcli.importers.bibtex import decode_latex, read_bibtex
from scholarcli.model import Name
from scholarcli.store import load_library, locate_store
from tests.conftest import require_program


def one(text: str):  # type: ignore[no-untyped-def]
    result = read_bibtex(text, "in.bib")
    assert result.rejected == [], result.rejected
    assert len(result.candidates) == 1
    return result.candidates[0].publication


def entry(fields: str, key: str = "k", kind: str = "book") -> str:
    return f"@{kind}{{{key},\n  author = {{Doe, Jane}},\n  year = {{2020}},\n{fields}\n}}\n"


def test_href_in_a_note_is_its_text_not_a_traceback() -> None:
    publication = one(
        entry("  title = {T},\n  note = {See \\href{https://example.org/a_b}{the \\emph{site}}}")
    )
    assert publication.note == "See the site"


def test_an_empty_name_is_a_rejection_with_its_line_not_a_type_error() -> None:
    result = read_bibtex(
        "@book{k,\n  title = {T},\n  author = {Smith, John and , David},\n  year = 2020\n}\n", "in.bib"
    )
    assert result.candidates == []
    assert result.rejected == [("in.bib:3 (k)", "'author': the name ', David' has no family name")]


def test_biblatex_extended_names_are_read() -> None:
    publication = one(
        entry(
            "  title = {T},\n  editor = {family=Gogh, given=Vincent, prefix=van, useprefix=true and "
            'given={Jean}, family={de La Fontaine}, suffix="Jr." and Roe, R}'
        )
    )
    assert publication.editors == (
        Name(family="Gogh", given="Vincent", particle="van"),
        Name(family="de La Fontaine", given="Jean", suffix="Jr."),
        Name(family="Roe", given="R"),
    )


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("\\TeX{} and \\LaTeX\\ and \\MF", "TeX and LaTeX and Metafont"),
        ("\\TeX\\hyph based", "TeX-based"),
        ("\\S 3, \\P 2, \\copyright{} 2020", "§3, ¶2, © 2020"),
        ("\\pounds 5 or \\euro 6", "£5 or €6"),
        ("\\url{http://x.org/~me}", "http://x.org/~me"),
        ("{\\noopsort{1973b}}1973", "1973"),
        ("\\mbox{kept text}", "kept text"),
        ("\\^{}caret", "^caret"),
    ],
)
def test_macros_are_decoded_not_deleted(latex: str, text: str) -> None:
    assert decode_latex(latex) == text


def test_an_unknown_macro_is_kept_visible_and_reported() -> None:
    result = read_bibtex(entry("  title = {The \\foo{bar} macro}"), "in.bib")
    assert result.candidates[0].publication.title == "The \\foo{bar} macro"
    assert result.notes == [("in.bib:1 (k)", "kept \\foo undecoded in 'title'")]


@pytest.mark.parametrize("key", ["averroes/bland", "пункт3", "_dalain_2010", "1984orwell", "a:b.c+d-e"])
def test_keys_that_bibtex_reads_are_kept_as_ids(
    key: str, runner: CliRunner, make_store, tmp_path: Path
) -> None:
    store = make_store("")
    bib = tmp_path / "k.bib"
    bib.write_text(entry("  title = {T},\n  publisher = {P}", key=key), encoding="utf-8")
    result = runner.invoke(app, ["import", "--store", str(store), str(bib)], catch_exceptions=False)
    assert (result.exit_code, result.stderr) == (
        0,
        "added 1, updated 0, skipped 0 as duplicate, rejected 0\n",
    )
    assert [p.id for p in load_library(locate_store(store), use_cache=False).library.publications] == [key]


def test_a_key_that_cannot_be_an_id_gets_one_and_is_kept(
    runner: CliRunner, make_store, tmp_path: Path
) -> None:
    store = make_store("")
    bib = tmp_path / "k.bib"
    bib.write_text(entry("  title = {Odd Key},\n  publisher = {P}", key="key@odd"), encoding="utf-8")
    result = runner.invoke(app, ["import", "--store", str(store), str(bib)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr.startswith(
        f"{bib}:1 (key@odd): the key 'key@odd' cannot be an id: an id is generated, the key kept in extra\n"
    )
    (publication,) = load_library(locate_store(store), use_cache=False).library.publications
    assert (publication.id, dict(publication.extra)) == ("doe2020odd", {"original_key": "key@odd"})


@pytest.mark.parametrize(
    ("written", "doi"),
    [
        ("https://doi.org/10.1000/xyz", "10.1000/xyz"),
        ("http://dx.doi.org/10.1000/xyz", "10.1000/xyz"),
        ("doi:10.1000/xyz", "10.1000/xyz"),
        ("DOI: 10.1000/x\\_y", "10.1000/x_y"),
        ("10/fqd6hj", "10/fqd6hj"),
        ("\\url{https://doi.org/10.1000/xyz}", "10.1000/xyz"),
    ],
)
def test_dois_are_normalised_not_refused(
    written: str, doi: str, runner: CliRunner, make_store, tmp_path: Path
) -> None:
    assert one(entry(f"  title = {{T}},\n  doi = {{{written}}}")).doi == doi
    store = make_store("")
    bib = tmp_path / "d.bib"
    bib.write_text(entry(f"  title = {{T}},\n  publisher = {{P}},\n  doi = {{{written}}}"), encoding="utf-8")
    assert runner.invoke(app, ["import", "--store", str(store), str(bib)]).exit_code == 0


def test_a_url_without_a_scheme_gets_https() -> None:
    assert one(entry("  title = {T},\n  url = {www.example.org/a\\_b}")).url == "https://www.example.org/a_b"


def test_crossref_children_inherit_as_biber_has_it() -> None:
    text = (
        "@incollection{child,\n  author = {Roe, R},\n  title = {Chapter},\n  crossref = {parent},\n  pages = {1--2}\n}\n"
        "@collection{parent,\n  editor = {Ed, E},\n  title = {The Book},\n  year = 1999,\n  publisher = {P}\n}\n"
    )
    result = read_bibtex(text, "in.bib")
    child = result.candidates[0].publication
    assert (child.title, child.container, child.year, child.editors, child.publisher) == (
        "Chapter", "The Book", 1999, (Name(family="Ed", given="E"),), "P"
    )  # fmt: skip
    assert result.notes == [
        ("in.bib:1 (child)", "inherited editor, booktitle, year, publisher from crossref 'parent'")
    ]


def test_reprint_and_noopsort_years() -> None:
    reprint = one(entry("  title = {T}").replace("year = {2020}", "year = {[1893] 1984}"))
    assert (reprint.year, reprint.original_year, reprint.extra) == (1984, 1893, ())
    assert (
        one(entry("  title = {T}").replace("year = {2020}", "year = {{\\noopsort{1973b}}1973}")).year == 1973
    )


GOOD = "@book{m, title = {Über}, author = {Müller, Jörg}, year = 2020, publisher = {P}}\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-8-sig"])
def test_a_byte_order_mark_names_the_encoding(codec: str) -> None:
    assert (
        read_records(decode(GOOD.encode(codec), "in.bib", None), "in.bib").candidates[0].publication.title
        == "Über"
    )


@pytest.mark.parametrize("codec", ["cp1252", "utf-16-le", "mac_roman", "iso8859_15"])
def test_any_python_codec_can_be_named(codec: str) -> None:
    assert (
        read_records(decode(GOOD.encode(codec), "in.bib", codec), "in.bib").candidates[0].publication.title
        == "Über"
    )


def test_encoding_messages(runner: CliRunner, make_store, tmp_path: Path) -> None:
    store = make_store("")
    bib = tmp_path / "u16.bib"
    bib.write_bytes(GOOD.encode("utf-16-le"))  # no byte-order mark
    refused = runner.invoke(app, ["import", "--store", str(store), str(bib)])
    assert refused.exit_code == 1
    assert "it may be UTF-16 without a byte-order mark: run again with --encoding utf-16-le" in refused.stderr
    as_latin = runner.invoke(app, ["import", "--store", str(store), "--encoding", "latin-1", str(bib)])
    assert (as_latin.exit_code, as_latin.stderr) == (
        1,
        f"error: {bib}:1: the text has NUL characters: is it UTF-16 or UTF-32? (UTF-8, and UTF-16 or UTF-32 "
        "with a byte-order mark, are read without --encoding)\n",
    )
    rot = runner.invoke(app, ["import", "--store", str(store), "--encoding", "rot13", str(bib)])
    assert rot.exit_code == 1
    assert rot.stderr.startswith("error: the encoding 'rot13' does not read text")
    unknown = runner.invoke(app, ["import", "--store", str(store), "--encoding", "klingon", str(bib)])
    assert unknown.stderr == (
        "error: unknown encoding 'klingon'; use a Python codec name such as utf-8, latin-1, cp1252 or utf-16\n"
    )


def test_no_entries_from_a_non_empty_file_is_an_error(runner: CliRunner, make_store, tmp_path: Path) -> None:
    store = make_store("")
    bib = tmp_path / "none.bib"
    bib.write_text("% just a comment with an @ sign\n@comment{nothing}\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "--store", str(store), str(bib)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {bib}: no entries found in a file that is not empty; is it bibtex, and in the encoding read? "
        "(UTF-8, and UTF-16 or UTF-32 with a byte-order mark, are read without --encoding)\n",
    )
    empty = tmp_path / "empty.bib"
    empty.write_text("\n", encoding="utf-8")
    assert (
        runner.invoke(app, ["import", "--store", str(store), "--from", "bibtex", str(empty)]).exit_code == 0
    )


@pytest.mark.parametrize(
    "title",
    [
        '{\\"' * 50 + "x" + "}" * 50,  # 24 GB in pylatexenc
        "\\emph{" * 200 + "x" + "}" * 200,  # RecursionError in pylatexenc
        '\\"' * 5000 + "x",  # accents nested without braces
        "\\emph" * 5000 + "{x}",
    ],
)
def test_deep_nesting_is_a_file_line_rejection_in_bounded_time(title: str) -> None:
    started = time.perf_counter()
    result = read_bibtex(
        f"@book{{deep,\n  author = {{A, B}},\n  title = {{{title}}},\n  year = 2020\n}}\n" + GOOD, "in.bib"
    )
    assert time.perf_counter() - started < 2
    assert [c.publication.id for c in result.candidates] == ["m"]
    ((source, reason),) = result.rejected
    assert source in ("in.bib:3 (deep)", "in.bib:1 (deep)")
    assert "nested deeper than 40 levels" in reason


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[1e400]]", ("in.json:1", "item 1: the number 1e400 is too large")),
        (
            "[" + "9" * 5000 + "]",
            ("in.json:1", "item 1: the number 99999999999999999999... (5000 digits) is too long"),
        ),
        ('[{"id": "a", "type": "book", "volume": NaN}]', ("in.json:1 (a)", "NaN is not a JSON number")),
        (
            '[{"id": "a", "type": "book", "volume": -Infinity}]',
            ("in.json:1 (a)", "-Infinity is not a JSON number"),
        ),
        (
            '[{"id": "a", "type": "book", "type": "article"}]',
            ("in.json:1 (a)", "the key 'type' is given twice in one object"),
        ),
        (
            '[{"id": "a", "type": "book", "issued": {"date-parts": [[2020.5]]}}]',
            ("in.json:1 (a)", "'issued' has the date part 2020.5: date parts are whole numbers"),
        ),
    ],
)
def test_csl_json_values_that_are_no_data_are_rejected(text: str, message: tuple[str, str]) -> None:
    assert read_records(text, "in.json").rejected == [message]


def test_csl_json_nested_too_deep_is_an_error_not_a_recursion_error() -> None:
    with pytest.raises(ScholarError, match=r"^in\.json:1: JSON nested deeper than 40 levels$"):
        read_records("[" * 100_000, "in.json")


def test_a_numeric_csl_id_is_kept() -> None:
    text = '[{"id": 30, "type": "book", "title": "T", "author": [{"family": "D"}], "issued": {"date-parts": [[2000]]}}]'
    assert read_records(text, "in.json").candidates[0].publication.id == "30"


def test_a_dry_run_reports_every_duplicate_and_rejection(
    runner: CliRunner, make_store, tmp_path: Path
) -> None:
    store = make_store("")
    bib = tmp_path / "dups.bib"
    first = "@book{a1, title = {Same}, author = {Doe, J}, year = 2020, publisher = {P}}\n"
    bib.write_text(
        first
        + first.replace("a1", "a2")
        + first.replace("a1", "a3")
        + "@book{bad, title = {T} author = {X}}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", "--store", str(store), "--dry-run", str(bib)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {bib}:4 (bad): missing ',' after the value of 'title' (before 'author'); add the comma\n"
        f"error: {bib}:2 (a2): duplicates 'a1' (same title and year (2020)); choose --on-duplicate\n"
        f"error: {bib}:3 (a3): duplicates 'a1' (same title and year (2020)); choose --on-duplicate\n"
        "would add 1, would update 0, skipped 0 as duplicate, rejected 3 (dry run: nothing written; would not "
        "import: 3, exit status 1)\n"
    )


def test_our_exports_of_wide_keys_read_back_in_pybtex_and_bibtex(tmp_path: Path) -> None:
    import subprocess

    import pybtex.database

    from scholarcli.export import export
    from scholarcli.model import Library, Profile, Publication

    keys = [
        "averroes/bland",
        "пункт3",
        "_dalain_2010",
        "1984orwell",
        "30",
        "http://zotero.org/users/1/items/AB",
    ]
    works = tuple(
        Publication(
            id=key, type="book", title="T", authors=(Name(family="X", given="Y"),), year=2000, publisher="P"
        )
        for key in keys
    )
    library = Library(profile=Profile(name="Y X"), publications=works)
    for format_name in ("bibtex", "biblatex"):
        text = export(format_name, works, library)
        assert list(pybtex.database.parse_string(text, "bibtex").entries) == keys
        assert [c.publication.id for c in read_bibtex(text, "back.bib").candidates] == keys
    require_program("bibtex")  # skips, or fails in CI, without it
    (tmp_path / "refs.bib").write_text(export("bibtex", works, library), encoding="utf-8")
    citations = "".join(f"\\citation{{{key}}}\n" for key in keys)
    (tmp_path / "doc.aux").write_text(
        f"{citations}\\bibstyle{{plain}}\n\\bibdata{{refs}}\n", encoding="utf-8"
    )
    done = subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert all(f"\\bibitem{{{key}}}" in bbl for key in keys)


def test_one_title_in_one_year_with_other_pages_or_issue_is_not_a_duplicate(
    runner: CliRunner, make_store, tmp_path: Path
) -> None:
    # tugboat.bib: the column "Editor's comments" recurs in each issue of a year, by one editor. A
    # duplicate is the same DOI, or the same normalised title and year with nothing both records give
    # differing (first author's family name, container, volume, issue, pages).
    store = make_store("")
    bib = tmp_path / "columns.bib"
    column = (
        "@article{{{key}, title = {{Editor's comments}}, author = {{Beeton, Barbara}}, journal = {{TUGboat}},"
        " volume = 10, number = {{{issue}}}, pages = {{{pages}}}, year = 1989}}\n"
    )
    bib.write_text(
        column.format(key="c1", issue=1, pages="5--6")
        + column.format(key="c2", issue=2, pages="157--158")
        + column.format(key="c3", issue=1, pages="5--6")  # the first again: a duplicate
        + "@article{c4, title = {Editor's Comments.}, author = {Beeton, B.}, year = 1989}\n",  # says less: one work
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", "--store", str(store), "--dry-run", str(bib)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {bib}:3 (c3): duplicates 'c1' (same title and year (1989)); choose --on-duplicate\n"
        f"error: {bib}:4 (c4): duplicates 'c1' (same title and year (1989)); choose --on-duplicate\n"
        "published without (field: entries): doi 2 (scholar check lists them)\n"
        "would add 2, would update 0, skipped 0 as duplicate, rejected 2 (dry run: nothing written; would not "
        "import: 2, exit status 1)\n",
    )
    other = runner.invoke(app, ["import", "--store", str(store), str(bib), "--on-duplicate", "skip"])
    assert other.exit_code == 0
    assert other.stderr.splitlines()[-1] == "added 2, updated 0, skipped 2 as duplicate, rejected 0"
