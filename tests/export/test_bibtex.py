"""BibTeX and BibLaTeX exports: golden files, real BibTeX, pybtex, bibtexparser, and the escaping rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholarcli.export import ExportOptions, export, latex
from scholarcli.export import biblatex as biblatex_format
from scholarcli.export import bibtex as bibtex_format
from scholarcli.model import Library, Name, Profile, Publication
from scholarcli.query import InMemory, Selection, select
from scholarcli.store import open_store
from tests.conftest import DEFAULT_STORE, RICH_STORE, STRESS_STORE, require_program
from tests.export import bibcheck

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
DIALECTS = ("bibtex", "biblatex")
STORES = {"default": DEFAULT_STORE, "stress": STRESS_STORE, "rich": RICH_STORE}
CASES = [(dialect, store) for dialect in DIALECTS for store in STORES]


def export_store(dialect: str, store_name: str) -> tuple[str, list[Publication]]:
    library = open_store(STORES[store_name]).library
    works = list(select(InMemory(library), Selection()).works)
    assert works, f"the {store_name} store selected no works"
    return export(dialect, works, library, ExportOptions()), works


@pytest.mark.parametrize(("dialect", "store_name"), CASES)
def test_golden_file(dialect: str, store_name: str, update_golden: bool) -> None:
    text, _ = export_store(dialect, store_name)
    golden = GOLDEN / dialect / f"{store_name}-store.bib"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.is_file(), f"{golden} is missing; run pytest --update-golden and review it"
    assert text.encode("utf-8") == golden.read_bytes()


@pytest.mark.parametrize(("dialect", "store_name"), CASES)
def test_same_store_same_bytes(dialect: str, store_name: str) -> None:
    assert export_store(dialect, store_name)[0] == export_store(dialect, store_name)[0]


@pytest.mark.parametrize(("dialect", "store_name"), CASES)
def test_pybtex_strict_reads_every_entry_with_the_record_values(dialect: str, store_name: str) -> None:
    text, works = export_store(dialect, store_name)
    data = bibcheck.parse_pybtex(text)
    assert list(data.entries) == [work.id for work in works]
    for work in works:
        entry = data.entries[work.id]
        bibcheck.check_names(entry.persons.get("author", []), work.authors, ascii_only=dialect == "bibtex")
        if "editor" in entry.persons:
            bibcheck.check_names(entry.persons["editor"], work.editors, ascii_only=dialect == "bibtex")
        bibcheck.check_entry_values(dict(entry.fields), work, dialect)


@pytest.mark.parametrize(("dialect", "store_name"), CASES)
def test_bibtexparser_reads_every_entry_with_the_record_values(dialect: str, store_name: str) -> None:
    text, works = export_store(dialect, store_name)
    library = bibcheck.parse_bibtexparser(text)
    assert [entry.key for entry in library.entries] == [work.id for work in works]
    for entry, work in zip(library.entries, works, strict=True):
        bibcheck.check_entry_values({field.key: field.value for field in entry.fields}, work, dialect)


@pytest.mark.slow
@pytest.mark.parametrize(("dialect", "store_name"), CASES)
def test_real_bibtex_with_plain_bst_reports_no_error(dialect: str, store_name: str, tmp_path: Path) -> None:
    bibtex = require_program("bibtex")
    text, works = export_store(dialect, store_name)
    run = bibcheck.run_bibtex(bibtex, text, tmp_path)
    assert run.returncode == 0, run.log
    assert "error message" not in run.log, run.log
    assert run.bbl.count("\\bibitem{") == len(works)


def test_bibtex_dialect_is_ascii_but_for_characters_latex_cannot_write_in_ascii() -> None:
    text, _ = export_store("bibtex", "stress")
    leftovers = {char for char in text if not char.isascii()}
    assert leftovers == set("刘春成Ⅱ")
    assert export_store("bibtex", "default")[0].isascii()


def test_default_store_ampersand_and_particle() -> None:
    bibtex_text, _ = export_store("bibtex", "default")
    assert "journal = {Information, Communication \\& Society}" in bibtex_text
    assert "author = {Liu, Chuncheng and von Blomberg, Marianne}" in bibtex_text
    assert "pages = {22--32}" in bibtex_text
    biblatex_text, _ = export_store("biblatex", "default")
    assert "journaltitle = {Information, Communication \\& Society}" in biblatex_text


def _work(**fields: object) -> Publication:
    defaults: dict[str, object] = {"id": "key", "type": "article-journal", "title": "T", "year": 2020}
    defaults.update(fields)
    return Publication(**defaults)  # type: ignore[arg-type]


def _one(dialect: str, work: Publication) -> str:
    return export(dialect, [work], Library(Profile(name="X")), ExportOptions())


def test_not_yet_out_has_no_year_and_says_its_state() -> None:
    work = _work(year=None, status="forthcoming", container="Sociological Science")
    bibtex_text = _one("bibtex", work)
    assert "year" not in bibtex_text
    assert "note = {Forthcoming}" in bibtex_text
    biblatex_text = _one("biblatex", work)
    assert "date" not in biblatex_text
    assert "pubstate = {forthcoming}" in biblatex_text
    under_contract = _one("biblatex", _work(type="book", year=None, status="under-contract"))
    assert "pubstate = {under contract}" in under_contract
    assert "@book{key," in under_contract


def test_in_press_keeps_its_year() -> None:
    work = _work(status="in-press", year=2026)
    assert "year = {2026}" in _one("bibtex", work)
    assert "note = {In press}" in _one("bibtex", work)
    assert "pubstate = {inpress}" in _one("biblatex", work)


@pytest.mark.parametrize(
    ("csl_type", "bibtex_type", "biblatex_type"),
    [
        ("article-journal", "article", "article"),
        ("chapter", "incollection", "incollection"),
        ("book", "book", "book"),
        ("paper-conference", "inproceedings", "inproceedings"),
        ("report", "techreport", "report"),
        ("thesis", "phdthesis", "thesis"),
        ("manuscript", "unpublished", "unpublished"),
        ("entry-encyclopedia", "incollection", "inreference"),
        ("webpage", "misc", "online"),
        ("dataset", "misc", "dataset"),
        ("speech", "misc", "misc"),
    ],
)
def test_entry_types(csl_type: str, bibtex_type: str, biblatex_type: str) -> None:
    work = _work(type=csl_type, status="under-review", year=None)
    assert _one("bibtex", work).startswith(f"@{bibtex_type}{{key,\n")
    assert _one("biblatex", work).startswith(f"@{biblatex_type}{{key,\n")


def test_published_manuscript_with_no_note_is_misc() -> None:
    assert _one("bibtex", _work(type="manuscript")).startswith("@misc{key,")


def test_chapter_fields_in_documented_order() -> None:
    work = _work(
        type="chapter",
        title="A Chapter",
        authors=(Name(family="Liu", given="Chuncheng"),),
        editors=(Name(family="Borch", given="Christian"),),
        container="The Handbook",
        pages="385-390",
        publisher="Oxford University Press",
        place="Oxford",
    )
    assert _one("bibtex", work) == (
        "@incollection{key,\n"
        "  author = {Liu, Chuncheng},\n"
        "  editor = {Borch, Christian},\n"
        "  title = {A {Chapter}},\n"
        "  booktitle = {The {Handbook}},\n"
        "  pages = {385--390},\n"
        "  publisher = {Oxford University Press},\n"
        "  address = {Oxford},\n"
        "  year = {2020}\n"
        "}\n"
    )


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Information, Communication & Society", "Information, Communication \\& Society"),
        ("100% $5 #1 a_b", "100\\% \\$5 \\#1 a\\_b"),
        ("a } b { c", "a {\\textbraceright} b {\\textbraceleft} c"),
        ("\\x ~y ^z", "{\\textbackslash}x {\\textasciitilde}y {\\textasciicircum}z"),
        ("<a|b>", "{\\textless}a{\\textbar}b{\\textgreater}"),
        ("pre--post '' ,,", "pre-{}-post '{}' ,{},"),
        ("two\nlines\t here", "two lines here"),
    ],
)
def test_escape_specials(text: str, escaped: str) -> None:
    assert latex.escape(text, ascii_only=True) == escaped
    assert latex.escape(text, ascii_only=False) == escaped


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Émile", "{\\'E}mile"),
        ("Łódź", "{\\L}{\\'o}d{\\'z}"),
        ("Weiß Sørensen", "Wei{\\ss} S{\\o}rensen"),
        ("Šimić ǎ", "{\\v{S}}imi{\\'c} {\\v{a}}"),
        ("naïve", 'na{\\"\\i}ve'),
        ("Gödel's Ω", "G{\\\"o}del's {\\ensuremath{\\Omega}}"),
        ("e\u0301", "{\\'e}"),  # decomposed input is composed first
        ("刘春成", "刘春成"),
    ],
)
def test_ascii_accents(text: str, escaped: str) -> None:
    assert latex.escape(text, ascii_only=True) == escaped
    assert bibcheck.decode(escaped) == bibcheck.expected_text(text, ascii_only=True)


@pytest.mark.parametrize(
    ("text", "protected"),
    [
        ("Multiple Social Credit Systems in China", "Multiple {Social} {Credit} {Systems} in {China}"),
        ("NASA, COVID-19 and the iPhone", "{NASA}, {COVID-19} and the {iPhone}"),
        ("Trusting by Numbers: An Analysis", "Trusting by {Numbers}: {An} {Analysis}"),
        ("Émile's book", "{{\\'E}mile's} book"),
        ("the _Nor case", "the {{\\_Nor}} case"),
        ("a {Braces} title", "a {\\textbraceleft}{Braces}{\\textbraceright} title"),
        ("lower case only", "lower case only"),
    ],
)
def test_title_capitals_are_protected(text: str, protected: str) -> None:
    assert latex.title(text, ascii_only=True) == protected


@pytest.mark.parametrize(
    ("name", "written"),
    [
        (Name(family="Blomberg", given="Marianne", particle="von"), "von Blomberg, Marianne"),
        (Name(family="Smith", given="John", suffix="Jr."), "Smith, Jr., John"),
        (Name(literal="Barnes & Noble, Inc."), "{Barnes \\& Noble, Inc.}"),
        (Name(family="刘", given="春成"), "{刘春成}"),
        (Name(family="Dürkheim-Ōsaka", given="Émile"), "D{\\\"u}rkheim-{\\=O}saka, {\\'E}mile"),
        (Name(family="Ruiz y Picasso", given="Pablo"), "{Ruiz y Picasso}, Pablo"),
        (Name(family="Rock", given="Salt and Pepa"), "Rock, {Salt and Pepa}"),
    ],
)
def test_names(name: Name, written: str) -> None:
    assert latex.name(name, ascii_only=True) == written


@pytest.mark.parametrize(
    ("name", "written", "von", "last"),
    [
        # Found by the round-trip property: without a given name (no comma) BibTeX reads `A B` as
        # First Last, and a capitalised particle as a first name.
        (Name(family="A É"), "{A {\\'E}}", "", "A É"),
        (Name(family="Gogh", particle="Van"), "{Van Gogh}", "", "Van Gogh"),
        (Name(family="Gogh", particle="van"), "van Gogh", "van", "Gogh"),
        (Name(family="A B", particle="de la"), "de la A B", "de la", "A B"),
        (Name(family="Smith-Jones"), "{Smith-Jones}", "", "Smith-Jones"),
        (Name(family="Smith"), "Smith", "", "Smith"),
    ],
)
def test_a_family_name_without_a_given_name_reads_back_whole(
    name: Name, written: str, von: str, last: str
) -> None:
    assert latex.name(name, ascii_only=True) == written
    text = latex.entry("misc", "k", [("author", written)])
    (person,) = bibcheck.parse_pybtex(text).entries["k"].persons["author"]
    assert person.first_names + person.middle_names == []
    assert bibcheck.decode(" ".join(person.prelast_names)) == von
    assert bibcheck.decode(" ".join(person.last_names)) == last


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("https://example.org/a_b/c%20d?x=1&y=~z#frag", "https://example.org/a_b/c%20d?x=1&y=~z#frag"),
        ("https://example.org/{x}\\y", "https://example.org/%7Bx%7D%5Cy"),
        (
            "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
            "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
        ),
    ],
)
def test_url_and_doi_are_verbatim(value: str, written: str) -> None:
    assert latex.verbatim(value, ascii_only=True) == written


def test_non_ascii_url_is_percent_encoded_only_in_the_ascii_dialect() -> None:
    assert latex.verbatim("https://example.org/Zürich", ascii_only=True) == "https://example.org/Z%C3%BCrich"
    assert latex.verbatim("https://example.org/Zürich", ascii_only=False) == "https://example.org/Zürich"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_fields_come_in_the_documented_order(dialect: str) -> None:
    module = {"bibtex": bibtex_format, "biblatex": biblatex_format}[dialect]
    seen = 0
    for store_name in STORES:
        text, _ = export_store(dialect, store_name)
        for entry in bibcheck.parse_bibtexparser(text).entries:
            keys = [field.key for field in entry.fields]
            # The record's `extra` fields come last, under their own names, in the record's order.
            documented = [key for key in keys if key in module.FIELD_ORDER]
            assert keys[: len(documented)] == documented, (entry.key, keys)
            positions = [module.FIELD_ORDER.index(key) for key in documented]
            assert positions == sorted(positions), (entry.key, keys)
            seen += 1
    assert seen == 26  # with issue #14's eventtitle and venue


# -- DOIs with characters special to BibTeX or LaTeX (issue #12, item 14) ---------------------------

ODD_DOIS = (
    "10.1000/100%pure",
    "10.1000/a#b##c",
    "10.1000/{braced}",
    "10.1000/open{only",
    "10.1000/close}only",
    "10.1000/back\\slash\\",
    "10.1000/with space",
    "10.1000/a&b_c$d~e^f",
    '10.1000/@quote"s',
    "10.1000/zürich",
)
# A style that writes each entry's key and doi field, as BibTeX read it, one line each.
_DOI_BST = (
    "ENTRY { doi } {} {}\n"
    'FUNCTION {article} { cite$ " " * doi * write$ newline$ }\n'
    "READ\n"
    "ITERATE {call.type$}\n"
)


def _odd_doi_works() -> list[Publication]:
    return [
        Publication(
            id=f"w{number}",
            type="article-journal",
            title="T",
            authors=(Name(family="Doe", given="Jane"),),
            year=2020,
            container="J",
            doi=doi,
        )
        for number, doi in enumerate(ODD_DOIS)
    ]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_odd_dois_stay_verbatim_and_keep_the_bib_readable(dialect: str) -> None:
    from urllib.parse import unquote

    works = _odd_doi_works()
    text = export(dialect, works, Library(Profile(name="X")), ExportOptions())
    data = bibcheck.parse_pybtex(text)
    library = bibcheck.parse_bibtexparser(text)
    for work, entry in zip(works, library.entries, strict=True):
        assert work.doi is not None
        written = latex.verbatim(work.doi, ascii_only=dialect == "bibtex")
        assert data.entries[work.id].fields["doi"] == written
        assert entry.fields_dict["doi"].value == written
        # `%` and `#` stay as they are; only what a braced value cannot hold is percent-encoded.
        assert unquote(written) == work.doi
        assert not any(c in written for c in "{}\\ ")
    assert "10.1000/100%pure" in text
    assert "10.1000/a#b##c" in text


@pytest.mark.slow
@pytest.mark.parametrize("dialect", DIALECTS)
def test_real_bibtex_reads_odd_dois_whole(dialect: str, tmp_path: Path) -> None:
    bibtex = require_program("bibtex")
    works = _odd_doi_works()
    text = export(dialect, works, Library(Profile(name="X")), ExportOptions())
    (tmp_path / "doionly.bst").write_text(_DOI_BST, encoding="utf-8")
    run = bibcheck.run_bibtex(bibtex, text, tmp_path, style="doionly")
    assert run.returncode == 0, run.log
    assert "Warning" not in run.log, run.log
    assert "error message" not in run.log, run.log
    assert run.bbl.splitlines() == [
        f"{work.id} {latex.verbatim(work.doi or '', ascii_only=dialect == 'bibtex')}" for work in works
    ]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_extra_keys_of_any_shape_are_written_under_a_legal_field_name(dialect: str) -> None:
    # `custom.note` (a CSL variable kept in extra), `a:b`, `1st` and `a+b` were once left out of the
    # .bib silently; `a.b` and `a-b` (or `a:b`) meet at one legal name and both stay.
    extra = (("custom.note", "kept"), ("1st", "one"), ("a:b", "colon"), ("a-b", "dash"), ("a+b", "plus"))
    work = Publication(id="w", type="book", title="T", authors=(Name(family="Doe"),), year=2000, extra=extra)
    text = export(dialect, [work], Library(Profile(name="X")), ExportOptions())
    fields = bibcheck.parse_pybtex(text).entries["w"].fields
    assert {key.lower(): value for key, value in fields.items() if value in dict(extra).values()} == {
        "custom-note": "kept",
        "x1st": "one",
        "a-b": "colon",
        "a-b-2": "dash",
        "a-b-2-2": "plus",
    }
