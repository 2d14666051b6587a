"""The real-world-style corpus (tests/fixtures/real/): for each file, exactly which entries are taken,
which are rejected and why, and which fields are kept in `extra`; and the values that matter."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.importers import decode, read_records
from scholarcli.model import Name

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"

EXPECTED_STDERR = {
    "biblatex-style.bib": (
        "biblatex-style.bib:29 (collected:letters): inherited editor, maintitle, mainsubtitle, date, volumes, publisher, location from crossref 'collected:works'\n"
        "biblatex-style.bib:46 (gaonkar:in): inherited editor, booktitle, date, publisher, location, isbn from crossref 'gaonkar'\n"
        "biblatex-style.bib:53 (hostdata): @xdata: a data container for the entries that name it in 'xdata', not a work\n"
        "biblatex-style.bib:58 (westfahl:frontier): inherited publisher, location from xdata 'hostdata'\n"
        "warning: biblatex-style.bib:77 (ctan): the record has no authors or editors\n"
        "published without (field: entries): doi 2, pages 1 (scholar check lists them)\n"
        "kept in extra (field: entries): date 2, original_crossref 2, volumes 2, hyphenation 1, label 1, langidopts 1, mainsubtitle 1, options 1, original_xdata 1, origlanguage 1\n"
        "would add 9, would update 0, skipped 0 as duplicate, rejected 0 (dry run: nothing written)\n"
    ),
    "csl-suite-style.json": (
        'csl-suite-style.json:25 (ITEM-3): kept \'issued\' in extra: the date {"raw": "Spring 2011"} says more than a year, month and day\n'
        "error: csl-suite-style.json:37 (ITEM-4): 'issued' has the date part 2020.5: date parts are whole numbers\n"
        "error: csl-suite-style.json:44 (ITEM-5): the key 'title' is given twice in one object\n"
        "error: csl-suite-style.json:52 (ITEM-6): unknown CSL type 'novel'\n"
        "error: csl-suite-style.json:59 (ITEM-7): the number 1e400 is too large\n"
        "published without (field: entries): doi 1, pages 1 (scholar check lists them)\n"
        "kept in extra (field: entries): issued 1\n"
        "would add 3, would update 0, skipped 0 as duplicate, rejected 4 (dry run: nothing written; would not import: 4, exit status 1)\n"
    ),
    "tugboat-style.bib": (
        "tugboat-style.bib:25 (Beeton:1985:PS): took the url http://www.tug.org/ from the \\href in 'note'\n"
        "tugboat-style.bib:36 (Hoenig:1998:AU): kept \\oldstylenums undecoded in 'title'\n"
        "error: tugboat-style.bib:60 (Deep:2010:NE): braces nested deeper than 40 levels\n"
        "published without (field: entries): doi 3 (scholar check lists them)\n"
        "kept in extra (field: entries): acknowledgement 1, bibdate 1, bibsource 1\n"
        "would add 4, would update 0, skipped 0 as duplicate, rejected 1 (dry run: nothing written; would not import: 1, exit status 1)\n"
    ),
    "utf16-bom.bib": (
        "published without (field: entries): doi 1 (scholar check lists them)\n"
        "would add 2, would update 0, skipped 0 as duplicate, rejected 0 (dry run: nothing written)\n"
    ),
    "xampl-style.bib": (
        "xampl-style.bib:9 (inproceedings-crossref): inherited key, organization, booktitle, address, year from crossref 'whole-proceedings'\n"
        "xampl-style.bib:87 (whole-set): kept \\switchargs undecoded in 'year'\n"
        "error: xampl-style.bib:99 (article-broken): missing ',' after the value of 'title' (before 'journal'); add the comma\n"
        "warning: xampl-style.bib:18 (whole-proceedings): the record has no authors or editors\n"
        "warning: xampl-style.bib:70 (unpublished-minimal): the record has no year\n"
        "published without (field: entries): doi 1 (scholar check lists them)\n"
        "kept in extra (field: entries): key 2, original_crossref 1, year 1\n"
        "would add 9, would update 0, skipped 0 as duplicate, rejected 1 (dry run: nothing written; would not import: 1, exit status 1)\n"
    ),
    "zotero-bbt.bib": (
        "zotero-bbt.bib:50 (gogh_letters): kept 'author' as written in extra as 'original_author': useprefix=false (a particle dropped in sorting) has no place in the record\n"
        "zotero-bbt.bib:50 (gogh_letters): took the url https://vangoghletters.org from the \\href in 'note'\n"
        "zotero-bbt.bib:77 (key@odd): the key 'key@odd' cannot be an id: an id is generated, the key kept in extra\n"
        "zotero-bbt.bib:85 (nodoi_2012): kept 'doi' in extra: not a DOI (10.NNNN/...)\n"
        "error: zotero-bbt.bib:60 (smith_broken_names): 'author': the name ', David' has no family name\n"
        "published without (field: entries): doi 1, pages 1 (scholar check lists them)\n"
        "kept in extra (field: entries): doi 1, file 1, original_author 1, original_key 1\n"
        "would add 8, would update 0, skipped 0 as duplicate, rejected 1 (dry run: nothing written; would not import: 1, exit status 1)\n"
    ),
}
# (entries in the file, taken, rejected) per file; the rejections' reasons are in EXPECTED_STDERR.
COUNTS = {
    "biblatex-style.bib": (10, 9, 0),  # + 1 @xdata, which is no work
    "csl-suite-style.json": (7, 3, 4),
    "tugboat-style.bib": (5, 4, 1),
    "utf16-bom.bib": (2, 2, 0),
    "xampl-style.bib": (10, 9, 1),
    "zotero-bbt.bib": (9, 8, 1),
}


def test_every_corpus_file_is_judged() -> None:
    assert sorted(path.name for path in REAL.iterdir()) == sorted(EXPECTED_STDERR) == sorted(COUNTS)


@pytest.mark.parametrize("name", sorted(EXPECTED_STDERR))
def test_a_dry_run_reports_every_entry_of_each_file(
    name: str, runner: CliRunner, make_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store("")
    monkeypatch.chdir(REAL)
    result = runner.invoke(app, ["import", "--store", str(store), "--dry-run", name], catch_exceptions=False)
    assert result.stderr == EXPECTED_STDERR[name]
    entries, taken, rejected = COUNTS[name]
    assert read_records(decode((REAL / name).read_bytes(), name, None), name).entries == entries
    assert result.exit_code == (1 if rejected else 0)
    assert f"would add {taken}," in result.stderr
    assert f"rejected {rejected} " in result.stderr
    assert result.stdout == ""


def _records(name: str) -> dict[str, object]:
    path = REAL / name
    result = read_records(decode(path.read_bytes(), name, None), name)
    return {
        c.publication.id or dict(c.publication.extra)["original_key"]: c.publication
        for c in result.candidates
    }


def test_the_biblatex_file_reads_extended_names_crossref_xdata_and_reprint_years() -> None:
    records = _records("biblatex-style.bib")
    letters = records["collected:letters"]
    assert letters.authors == (Name(family="Gogh", given="Vincent", particle="van"),)
    assert (letters.editors, letters.year, letters.container, letters.publisher) == (
        (Name(family="Maier", given="Fritz"),), 1990, "Collected Works", "Cambridge University Press"
    )  # fmt: skip
    chapter = records["gaonkar:in"]
    assert (chapter.container, chapter.year, chapter.place) == (
        "Alternative Modernities",
        2001,
        "Durham and London",
    )
    assert (chapter.isbn, chapter.extra) == ("0-822-32714-7", (("original_crossref", "gaonkar"),))
    frontier = records["westfahl:frontier"]
    assert (frontier.publisher, frontier.place, frontier.year) == ("Springer", "Berlin", 2000)
    assert (frontier.month, frontier.day, frontier.series, frontier.number) == (
        6, 15, "Contributions to the Study of Science Fiction and Fantasy", "90"
    )  # fmt: skip
    nietzsche = records["nietzsche:ksa"]
    assert (nietzsche.year, nietzsche.original_year, nietzsche.edition, nietzsche.title) == (
        1988,
        1872,
        "2",
        "Die Geburt der Tragödie",
    )
    assert nietzsche.extra == (("origlanguage", "german"),)
    works = records["collected:works"]
    assert (works.year, works.subtitle, works.extra) == (
        1990,
        "In Five Volumes",
        (("date", "1990/1994"), ("volumes", "5")),
    )
    ctan = records["ctan"]
    assert (ctan.accessed, ctan.subtitle, ctan.extra) == (
        "2006-10-01", "The Comprehensive TeX Archive Network", (("label", "CTAN"),)
    )  # fmt: skip
    assert (records["aristotle:poetics"].series, records["aristotle:poetics"].language) == (
        "Clarendon Aristotle", "english"
    )  # fmt: skip
    kastenholz = records["kastenholz"]
    assert kastenholz.title == "Computation of methodology-independent ionic solvation free energies"
    assert (kastenholz.container, kastenholz.doi) == ("J. Chem. Phys.", "10.1063/1.2201698")
    assert (kastenholz.eprint, kastenholz.eprint_type, kastenholz.issue, kastenholz.extra) == (
        "physics/0512001", "arxiv", "22", ()
    )  # fmt: skip


def test_the_tugboat_file_keeps_every_logo_and_symbol() -> None:
    records = _records("tugboat-style.bib")
    knuth = records["Knuth:1980:TR"]
    assert knuth.title == "The TeX report: Metafont and the LaTeX team"
    assert (knuth.month, knuth.issn, [name for name, _ in knuth.extra]) == (
        10, "0896-3207", ["bibdate", "bibsource", "acknowledgement"]
    )  # fmt: skip
    beeton = records["Beeton:1985:PS"]
    assert beeton.title == "TeX-based typesetting: §3 and ¶2 of the © rules"
    assert beeton.note == "Prices in £ and €; see the TUG site"
    assert beeton.url == "http://www.tug.org/"  # the \href's address, not only its text
    hoenig = records["Hoenig:1998:AU"]
    assert hoenig.title == "Alternatives to TUG's \\halign and \\oldstylenums{1998}"
    assert hoenig.url == "http://www.tug.org/~hoenig/tb19-3.pdf"
    mittelbach = records["Mittelbach:2004:BU"]
    assert mittelbach.title == "LaTeX3: a new look at the old AMS BibTeX"
    assert mittelbach.doi == "10.47397/tb/25-2/tb81mitt"


def test_the_zotero_file_keeps_odd_keys_and_normalises_dois_and_urls() -> None:
    records = _records("zotero-bbt.bib")
    assert {"_dalain_2010", "averroes/bland", "пункт3", "1984orwell"} <= set(records)
    assert records["_dalain_2010"].doi == "10.1111/j.1467-954X.2010.01234.x"
    assert records["пункт3"].doi == "10/fqd6hj"
    assert records["1984orwell"].url == "https://www.orwell.ru/library/novels/1984"
    assert records["gogh_letters"].authors == (
        Name(family="Gogh", given="Vincent", particle="van"),
        Name(family="Beethoven", given="Ludwig", particle="van"),
    )
    assert records["gogh_letters"].note == "Open with the letters site"
    odd = records["key@odd"]
    assert (odd.id, odd.extra) == ("", (("original_key", "key@odd"),))  # the store generates the id
    assert records["nodoi_2012"].extra == (("doi", "not a doi"),)
    bland = records["averroes/bland"]
    assert (bland.translators, bland.series, bland.number) == (
        (Name(family="Bland", given="Kalman P."),), "Moreshet: Studies in Jewish History, Literature and Thought", "7"
    )  # fmt: skip
    dalain = records["_dalain_2010"]
    assert (dalain.short_title, dalain.month, dalain.issue, dalain.language, dalain.accessed) == (
        "Mapping the Field", 3, "1", "english", "2020-01-15"
    )  # fmt: skip
    assert [name for name, _ in dalain.extra] == ["file"]
    who = records["who_2021"]
    assert (who.isbn, who.eprint, who.eprint_type, who.genre) == (
        "978-92-4-002705-3",
        "34000000",
        "pubmed",
        "Report",
    )


def test_the_csl_file_keeps_numeric_and_uri_ids() -> None:
    records = _records("csl-suite-style.json")
    assert set(records) == {"30", "http://zotero.org/users/12345/items/ABCD2345", "ITEM-3"}
    thirty = records["30"]
    assert (thirty.original_year, thirty.month, thirty.day, thirty.series, thirty.number, thirty.edition) == (
        1893, 6, 12, "Series of Books", "4", "2"
    )  # fmt: skip
    assert (thirty.isbn, thirty.extra) == ("978-0-00-000000-2", ())
    assert records["ITEM-3"].extra == (("issued", '{"raw": "Spring 2011"}'),)
    assert (records["ITEM-3"].language, records["ITEM-3"].accessed) == ("en-GB", "2020-01-02")
    assert records["http://zotero.org/users/12345/items/ABCD2345"].doi == "10.1234/uri.2004"
    assert records["ITEM-3"].url == "https://www.example.org/things"


def test_the_utf16_file_is_read_by_its_byte_order_mark(runner: CliRunner, make_store) -> None:
    store = make_store("")
    result = runner.invoke(app, ["import", "--store", str(store), str(REAL / "utf16-bom.bib")])
    assert (result.exit_code, result.stderr) == (
        0,
        "published without (field: entries): doi 1 (scholar check lists them)\n"
        "added 2, updated 0, skipped 0 as duplicate, rejected 0\n",
    )
    records = _records("utf16-bom.bib")
    assert records["müller2020"].title == "Über die Grenzen: ≠ and ∞"
    assert records["li2021"].authors == (Name(literal="刘春成"),)
