"""Strict BibTeX import: each of bibtexparser's silent problems is reported as file:line; LaTeX is decoded."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.export import export
from scholarcli.importers import read_records
from scholarcli.importers.bibtex import decode_latex, read_bibtex, split_names
from scholarcli.model import Name
from scholarcli.store import load_library, locate_store

from ..conftest import STRESS_STORE

GOOD = "@book{good2021, title = {Good}, author = {Doe, Jane}, year = 2021, publisher = {P}}\n"


def rejected(text: str) -> list[tuple[str, str]]:
    return read_bibtex(text, "in.bib").rejected


def test_a_missing_comma_is_reported_not_merged() -> None:
    text = "@article{a,\n  title = {One}\n  author = {Smith, John},\n  year = {2020}\n}\n" + GOOD
    result = read_bibtex(text, "in.bib")
    assert result.rejected == [
        ("in.bib:3 (a)", "missing ',' after the value of 'title' (before 'author'); add the comma")
    ]
    assert [candidate.publication.id for candidate in result.candidates] == ["good2021"]


def test_an_entry_without_a_key_is_reported() -> None:
    assert rejected("@article{\n  title = {One},\n  year = 2020\n}\n") == [
        ("in.bib:2", "@article on line 1: the entry has no key (write '@type{key,' before its fields)")
    ]


def test_an_undefined_macro_keeps_its_field_as_written_and_defined_ones_are_expanded() -> None:
    # BibTeX and biber read an undefined macro as empty, with a warning (archaeologie-examples.bib uses
    # the macros of archaeologie-lstabbrv.bib; beebe's font.bib names `pub-dover`, defined nowhere):
    # the entry is taken, the field kept in extra as written and noted, never dropped unsaid.
    result = read_bibtex(
        "@article{b,\n  title = {One},\n  journal = jabref # { Letters},\n  year = 2020\n}\n", "in.bib"
    )
    assert result.rejected == []
    publication = result.candidates[0].publication
    assert (publication.container, dict(publication.extra)) == (None, {"journal": "jabref # { Letters}"})
    assert result.notes == [
        ("in.bib:1 (b)", "kept 'journal' in extra as written: undefined macro 'jabref' (BibTeX reads it as "
         "empty; define it with @string)")
    ]  # fmt: skip
    result = read_bibtex(
        '@string{jr = "Journal of R"}\n@article{c, title = {T}, journal = jr # { Letters}, author = {A, B},'
        " year = 2020, month = jan}\n",
        "in.bib",
    )
    assert result.rejected == []
    assert result.candidates[0].publication.container == "Journal of R Letters"


def test_an_at_sign_at_a_line_start_inside_a_value_is_not_a_phantom_entry() -> None:
    text = (
        "@article{c,\n  title = {One},\n  abstract = {Text\n@misc{phantom, title = {Ghost}}\n more},\n"
        "  year = 2020\n}\n" + GOOD
    )
    result = read_bibtex(text, "in.bib")
    assert result.rejected == [
        (
            "in.bib:4 (c)",
            "an '@' starts this line inside the value of 'abstract': bibtexparser and other tools "
            "read a new entry there; move the '@' off the start of the line",
        )
    ]
    assert [candidate.publication.id for candidate in result.candidates] == ["good2021"]


def test_a_field_given_twice_keeps_the_first_and_the_other_in_extra() -> None:
    # tugboat.bib:21140 gives `bibsource` twice; BibTeX warns and keeps the first value.
    result = read_bibtex(
        "@article{d, title = {T}, title = {U}, title = jr, note = {N}, note = { N }, year = 2020}\n", "in.bib"
    )
    assert result.rejected == []
    publication = result.candidates[0].publication
    assert (publication.title, publication.note) == ("T", "N")
    assert dict(publication.extra) == {"title-2": "U", "title-3": "jr"}
    assert result.notes == [
        ("in.bib:1 (d)", "the field 'title' is given twice: the first value taken (as BibTeX does), the other kept in extra as 'title-2'"),
        ("in.bib:1 (d)", "the field 'title' is given twice: the first value taken (as BibTeX does), the other kept in extra as 'title-3'"),
        ("in.bib:1 (d)", "the field 'note' is given twice with the same value: read once"),
    ]  # fmt: skip


def test_keys_with_an_apostrophe_and_macro_names_beyond_ascii_are_read() -> None:
    # frankenstein.bib's `o'brien:beckettcountry:alt`; archaeologie-lstlocations.bib's `Göttingen` and
    # archaeologie-lstabbrv.bib's `Liddell-\u00adScott-Jones-short` (a soft hyphen): BibTeX reads them.
    result = read_bibtex(
        "@string{G\u00f6ttingen = {G\u00f6ttingen}}\n@string{Liddell-\u00adScott = {LSJ}}\n"
        "@book{o'brien:beckett, title = Liddell-\u00adScott, address = G\u00f6ttingen, year = 1992}\n",
        "in.bib",
    )
    assert result.rejected == []
    publication = result.candidates[0].publication
    assert (publication.title, publication.place) == ("LSJ", "G\u00f6ttingen")
    assert dict(publication.extra) == {"original_key": "o'brien:beckett"}


def test_a_file_of_macros_only_is_no_error(runner: CliRunner, make_store, tmp_path: Path) -> None:
    # amsj.bib, glsbase.bib, archaeologie-lstpublishers.bib: @string definitions for other .bib files.
    bib = tmp_path / "macros.bib"
    bib.write_text('@string{jr = "Journal of R"}\n@string{ams = "AMS"}\n', encoding="utf-8")
    result = runner.invoke(app, ["import", "--store", str(make_store("")), "--dry-run", str(bib)])
    assert (result.exit_code, result.stderr) == (
        0,
        f"{bib}: no entries: the file defines 2 @string macros and no works\n"
        "would add 0, would update 0, skipped 0 as duplicate, rejected 0 (dry run: nothing written)\n",
    )


def test_unclosed_entries_are_reported() -> None:
    assert rejected("@article{e, title = {T\n") == [
        ("in.bib:1 (e)", "the value of 'title' has no closing '}'")
    ]


def test_latin1_bytes_are_refused_with_a_hint_and_read_with_the_encoding(
    runner: CliRunner, make_store, tmp_path: Path
) -> None:
    store = make_store("")
    bib = tmp_path / "latin.bib"
    bib.write_bytes("@book{m, title = {Über}, author = {Müller, Jörg}, year = 2020}\n".encode("latin-1"))
    refused = runner.invoke(app, ["import", "--store", str(store), str(bib)])
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"error: {bib}:1: the file is not UTF-8 text (byte 0xDC); if it is Latin-1, run again with --encoding "
        "latin-1 (UTF-8, and UTF-16 or UTF-32 with a byte-order mark, are read without --encoding)\n"
    )
    accepted = runner.invoke(app, ["import", "--store", str(store), "--encoding", "latin-1", str(bib)])
    assert accepted.exit_code == 0, accepted.output
    library = load_library(locate_store(store), use_cache=False).library
    assert library.publications[0].title == "Über"
    assert library.publications[0].authors == (Name(family="Müller", given="Jörg"),)


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\"u}ber", "über"),
        (r"R\&D 100\% \$5 \#1 snake\_case", "R&D 100% $5 #1 snake_case"),
        (r"{NASA} and {\'E}mile \v{S}imi\'{c}", "NASA and Émile Šimić"),
        (r"\L{}\'od\'z and \o{}", "Łódź and ø"),
        ("pages~12 and\n  wrapped", "pages 12 and wrapped"),
        (r"\textasciicircum{}Caret \textasciitilde{}Tilde \textbackslash{}", "^Caret ~Tilde \\"),
    ],
)
def test_latex_is_decoded_to_unicode(latex: str, text: str) -> None:
    assert decode_latex(latex) == text


def test_names_split_as_bibtex_reads_them() -> None:
    names = split_names(
        r"{Barnes and Noble, Inc.} and Smith, Jr., John and van Beethoven, Ludwig and Ludwig van Beethoven"
        r" and {\"U}nal, Ahmet and de la Fontaine, Jean and others"
    )
    assert names == [
        Name(literal="Barnes and Noble, Inc."),
        Name(family="Smith", given="John", suffix="Jr."),
        Name(family="Beethoven", given="Ludwig", particle="van"),
        Name(family="Beethoven", given="Ludwig", particle="van"),
        Name(family="Ünal", given="Ahmet"),
        Name(family="Fontaine", given="Jean", particle="de la"),
        Name(literal="others"),  # `and others` is kept (et al.), as pandoc keeps it
    ]


def test_fields_map_to_the_store() -> None:
    text = (
        "@inproceedings{k1,\n  author = {Liu, Chuncheng},\n  title = {{Scoring} Citizens},\n"
        '  booktitle = {Proc. of X},\n  pages = {10--20},\n  year = {2019},\n  address = {Z{\\"u}rich},\n'
        "  doi = {https://doi.org/10.1145/1234},\n  url = {https://example.org/a\\_b},\n"
        "  keywords = {one, two},\n  note = {Forthcoming. Second part}\n}\n"
        "@article{k2, author = {A, B}, title = {T}, journal = {J}, year = {forthcoming}}\n"
    )
    first, second = (candidate.publication for candidate in read_bibtex(text, "in.bib").candidates)
    assert (first.type, first.title, first.container, first.pages, first.place) == (
        "paper-conference", "Scoring Citizens", "Proc. of X", "10-20", "Zürich"
    )  # fmt: skip
    assert (first.doi, first.url, first.tags) == (
        "10.1145/1234",
        "https://example.org/a_b",
        ("one", "two"),
    )
    assert (first.status, first.note) == ("forthcoming", "Second part")
    assert (second.status, second.year) == ("forthcoming", None)


def test_import_command_summary_dry_run_and_theme(runner: CliRunner, make_store, tmp_path: Path) -> None:
    store = make_store("# kept\n")
    bib = tmp_path / "new.bib"
    bib.write_text(
        GOOD + "@article{bad, title = {T} author = {A, B}}\n"
        "@article{, title = {No key}}\n"
        "@book{dup, title = {good}, author = {Doe, J.}, year = 2021}\n",
        encoding="utf-8",
    )
    dry = runner.invoke(
        app, ["import", "--store", str(store), "--dry-run", "--on-duplicate", "skip", str(bib)]
    )
    assert dry.exit_code == 1  # entries were rejected
    assert dry.stderr == (
        f"{bib}:4 (dup): skipped, duplicates 'good2021' (same title and year (2021))\n"
        f"error: {bib}:2 (bad): missing ',' after the value of 'title' (before 'author'); add the comma\n"
        f"error: {bib}:3: @article on line 3: the entry has no key (write '@type{{key,' before its fields)\n"
        "would add 1, would update 0, skipped 1 as duplicate, rejected 2 (dry run: nothing written; would not "
        "import: 2, exit status 1)\n"
    )
    assert (store / "publications.yaml").read_text(encoding="utf-8") == "# kept\n"
    done = runner.invoke(
        app,
        [
            "import",
            "--store",
            str(store),
            "--theme",
            "beta",
            "--on-duplicate",
            "skip",
            "--from",
            "bibtex",
            str(bib),
        ],
    )
    assert done.stderr.endswith(
        "added 1, updated 0, skipped 1 as duplicate, rejected 2 (not imported: 2, exit status 1)\n"
    )
    library = load_library(locate_store(store), use_cache=False).library
    assert [(p.id, p.themes) for p in library.publications] == [("good2021", ("beta",))]
    assert (store / "publications.yaml").read_text(encoding="utf-8").startswith("# kept\n\n- id: good2021\n")


def test_duplicates_without_a_policy_stop_the_import(runner: CliRunner, make_store, tmp_path: Path) -> None:
    store = make_store("")
    bib = tmp_path / "twice.bib"
    bib.write_text(GOOD + GOOD.replace("good2021", "again2021"), encoding="utf-8")
    result = runner.invoke(app, ["import", "--store", str(store), str(bib)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {bib}:2 (again2021): duplicates 'good2021' (same title and year (2021))\n"
        "error: choose --on-duplicate skip, update or keep-both\nnothing was written\n"
    )
    assert (store / "publications.yaml").read_text(encoding="utf-8") == ""


def test_add_from_bibtex_on_stdin_prints_the_id(runner: CliRunner, make_store) -> None:
    store = make_store("")
    result = runner.invoke(app, ["add", "--store", str(store), "--bibtex", "-"], input=GOOD)
    assert (result.exit_code, result.stdout) == (0, "good2021\n")


@pytest.mark.parametrize("format_name", ["bibtex", "biblatex"])
def test_the_stress_store_export_imports_back(
    runner: CliRunner, make_store, tmp_path: Path, format_name: str
) -> None:
    library = load_library(locate_store(STRESS_STORE), use_cache=False).library
    bib = export(format_name, library.publications, library)
    result = read_records(bib, "stress.bib")
    assert result.rejected == []
    imported = {candidate.publication.id: candidate.publication for candidate in result.candidates}
    assert list(imported) == [publication.id for publication in library.publications]
    for original in library.publications:
        back = imported[original.id]
        assert back.title == original.title, original.id
        # A CJK name is exported as one braced group ({刘春成}), which reads back as one literal name.
        assert [name.display() for name in back.authors] == [name.display() for name in original.authors]
        assert [name.display() for name in back.editors] == [
            name.display() for name in original.editors if back.editors
        ]
        assert (back.year, back.doi, back.url, back.pages) == (
            original.year,
            original.doi,
            original.url,
            original.pages,
        )
    # And through the command into a store with the stress themes: every record is added.
    store = make_store("", themes=(STRESS_STORE / "themes.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "stress.bib"
    path.write_text(bib, encoding="utf-8")
    done = runner.invoke(app, ["import", "--store", str(store), str(path)])
    assert done.exit_code == 0, done.output
    # BibLaTeX's `type` of a plain thesis or report (`phdthesis`, `techreport`) reads back as no genre.
    kept = "published without (field: entries): doi 2 (scholar check lists them)\n"
    assert done.stderr == (
        f"{kept}added {len(library.publications)}, updated 0, skipped 0 as duplicate, rejected 0\n"
    )


@pytest.mark.parametrize(
    ("field", "value", "taken"),
    [
        ("issn", "0036-8733 (print), 1946-7087 (electronic)", "0036-8733"),
        ("isbn", "0-486-23928-4, 0-486-23929-2", "0-486-23928-4"),
        ("isbn", "0-486-23929-2 (paperback)", "0-486-23929-2"),
        ("isbn", "0-486-23928-5 (wrong), 978-0-486-23928-6", "978-0-486-23928-6"),
    ],
)
def test_a_field_of_several_isbns_or_issns_takes_the_first_valid_one(
    field: str, value: str, taken: str
) -> None:
    # beebe's .bib files (tugboat.bib, font.bib, ...) list the print and electronic ISSN in one field.
    result = read_bibtex(f"@book{{k, title = {{T}}, year = 2000, {field} = {{{value}}}}}\n", "in.bib")
    publication = result.candidates[0].publication
    assert (getattr(publication, field), dict(publication.extra)) == (taken, {field: value})
    assert result.notes == [
        ("in.bib:1 (k)", f"took the {field.upper()} {taken} of '{value}'; the whole value kept in extra")
    ]


def test_a_field_with_no_valid_isbn_is_kept_in_extra_as_before() -> None:
    result = read_bibtex("@book{k, title = {T}, year = 2000, isbn = {????}}\n", "in.bib")
    publication = result.candidates[0].publication
    assert (publication.isbn, dict(publication.extra)) == (None, {"isbn": "????"})
    assert result.notes == [
        ("in.bib:1 (k)", "kept 'isbn' in extra: '????' is not an ISBN (10 or 13 digits, hyphens allowed)")
    ]
