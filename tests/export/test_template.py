"""`scholar export --template FILE`: context, filters, autoescape by name, the sandbox, errors with
FILE:line, determinism, hostile text, the shipped templates (golden files; cv.md.j2 equals Markdown)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
from typer.testing import CliRunner

from scholarcli.cite.asa import citation
from scholarcli.cite.styled import HtmlRenderer, MarkdownRenderer, PlainRenderer, visible_in_html
from scholarcli.cli.app import app
from scholarcli.export import ExportOptions, export
from scholarcli.export.cvlatex import LatexRenderer
from scholarcli.export.markdown import EQUAL_MARKER
from scholarcli.export.template import TemplateError, autoescaped, render_template, target_of
from scholarcli.model import Library
from scholarcli.query import InMemory, Selection, select
from scholarcli.store import open_store
from tests.cite.citeproc_reference import asa_style_path
from tests.conftest import DEFAULT_ORDER, DEFAULT_STORE, REPO, RICH_STORE, STRESS_STORE, require_program

TEMPLATES = REPO / "src" / "scholarcli" / "templates"
GOLDEN = REPO / "tests" / "golden" / "template"
STORES = {"default": DEFAULT_STORE, "stress": STRESS_STORE, "rich": RICH_STORE}


def library_of(store: Path) -> Library:
    return open_store(store).library


def render(
    tmp_path: Path, text: str, name: str = "t.txt.j2", store: Path = DEFAULT_STORE, **options: object
) -> str:
    template = tmp_path / name
    template.write_text(text, encoding="utf-8")
    library = library_of(store)
    works = select(InMemory(library), Selection()).works
    return render_template(template, works, library, ExportOptions(**options))  # type: ignore[arg-type]


def render_error(tmp_path: Path, text: str, name: str = "t.txt.j2") -> str:
    with pytest.raises(TemplateError) as caught:
        render(tmp_path, text, name)
    return str(caught.value)


# --- the shipped templates ---------------------------------------------------------------------


@pytest.mark.parametrize("group_by", ["type", "year", "theme", "none"])
@pytest.mark.parametrize("store_name", sorted(STORES))
def test_the_shipped_markdown_cv_equals_format_markdown(store_name: str, group_by: str) -> None:
    # Byte for byte: the example is the built-in format written as a template, so copying it is
    # where a user starts changing the CV.
    library = library_of(STORES[store_name])
    works = select(InMemory(library), Selection()).works
    options = ExportOptions(group_by=group_by)  # type: ignore[arg-type]
    ours = render_template(TEMPLATES / "cv.md.j2", works, library, options)
    assert ours == export("markdown", works, library, options)


def test_the_shipped_markdown_cv_equals_format_markdown_for_no_works() -> None:
    library = library_of(DEFAULT_STORE)
    text = render_template(TEMPLATES / "cv.md.j2", [], library, ExportOptions())
    assert text == export("markdown", [], library, ExportOptions())
    assert "No works selected." in text


def test_the_shipped_markdown_cv_equals_format_markdown_with_a_csl_style() -> None:
    require_program("pandoc")
    library = library_of(DEFAULT_STORE)
    works = select(InMemory(library), Selection()).works
    options = ExportOptions(style=str(asa_style_path()))
    assert render_template(TEMPLATES / "cv.md.j2", works, library, options) == export(
        "markdown", works, library, options
    )


@pytest.mark.parametrize(
    ("template", "golden"), [("cv.md.j2", "cv.md"), ("publications.html.j2", "publications.html")]
)
def test_shipped_template_golden_file_on_the_default_store(
    runner: CliRunner, template: str, golden: str, update_golden: bool
) -> None:
    result = runner.invoke(
        app, ["export", "--template", str(TEMPLATES / template), "--store", str(DEFAULT_STORE)]
    )
    assert result.exit_code == 0, result.output
    path = GOLDEN / f"default-store-{golden}"
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(result.stdout.encode("utf-8"))
    assert path.is_file(), f"{path} is missing; run pytest --update-golden and review it"
    assert result.stdout.encode("utf-8") == path.read_bytes()


def parse_strict(text: str) -> ET.Element:
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


@pytest.mark.parametrize("group_by", ["type", "theme"])
def test_the_shipped_html_page_keeps_hostile_text_as_text(group_by: str) -> None:
    library = library_of(STRESS_STORE)
    works = select(InMemory(library), Selection()).works
    text = render_template(
        TEMPLATES / "publications.html.j2",
        works,
        library,
        ExportOptions(group_by=group_by),  # type: ignore[arg-type]
    )
    tree = parse_strict(text)  # any stray `<`, control character or bad attribute is a parse error
    assert {element.tag for element in tree.iter()} <= {
        *("html", "head", "meta", "title", "style", "body", "header", "h1", "p", "main", "section"),
        *("h2", "ol", "li", "strong", "i", "a", "span"),
    }
    assert all(link.get("href", "").startswith("https://") for link in tree.iter("a"))
    page = " ".join("".join(tree.find("body").itertext()).split())  # type: ignore[union-attr]
    # The stress titles, shown as the words they are (title-cased by ASA).
    assert "<Img Src=x Onerror=alert(1)> @Key" in page
    assert "<Script>alert(1)</Script> Review" in page
    sections = library_of(STRESS_STORE).themes if group_by == "theme" else None
    if sections is None:  # by type every work is one list item
        assert len(list(tree.iter("li"))) == len(works)


# --- context -----------------------------------------------------------------------------------


def test_works_are_the_selection_in_order_with_every_field(tmp_path: Path) -> None:
    text = render(tmp_path, "{% for w in works %}{{ w.id }} {{ w.year }} {{ w.type_label }}|{% endfor %}")
    assert [item.split()[0] for item in text.split("|")[:-1]] == DEFAULT_ORDER
    assert "liu2022who 2022 Journal article|" in text
    library = library_of(DEFAULT_STORE)
    every_field = " ".join(f"{{{{ w.{key} is defined }}}}" for key in library.publications[0].as_dict())
    checked = render(tmp_path, "{% for w in works %}" + every_field + "\n{% endfor %}")
    assert set(checked.split()) == {"True"}


def test_unset_fields_print_as_nothing_not_none(tmp_path: Path) -> None:
    assert render(tmp_path, "[{{ works[0].volume }}]") == "[]"  # the book under contract has none


def test_authors_are_name_objects(tmp_path: Path) -> None:
    text = render(
        tmp_path,
        "{% for a in works[1].authors %}{{ a.family }}/{{ a.given }}/{{ a.display }}/{{ a.inverted }}/"
        "{{ a.is_owner }};{% endfor %}{{ works[1].authors[1] }}",
    )
    assert text == (
        "Liu/Chuncheng/Chuncheng Liu/Liu, Chuncheng/True;"
        "Blomberg/Marianne/Marianne von Blomberg/von Blomberg, Marianne/False;Marianne von Blomberg"
    )


def test_groups_profile_themes_and_generated_by(tmp_path: Path) -> None:
    text = render(
        tmp_path,
        "{% for g in groups %}{{ g.title }}={{ g.works|map(attribute='id')|join(',') }};{% endfor %}|\n"
        "{{ profile.name }}|{{ profile.native_name }}|{{ themes|map(attribute='id')|join(',') }}|"
        "{{ generated_by }}|{{ target }}",
        group_by="type",
    )
    groups, rest = text.split("|\n")
    assert groups.startswith("Journal Articles=liu2026imaginary,liu2025trusting,")
    assert "Books=liu-metricocracy;" in groups
    library = library_of(DEFAULT_STORE)
    themes = ",".join(theme.id for theme in library.themes)
    assert rest == f"Chuncheng Liu|刘春成|{themes}|scholarcli 0.1.0|plain"


def test_theme_groups_carry_the_question_and_summary(tmp_path: Path) -> None:
    text = render(
        tmp_path, "{% for g in groups %}{{ g.title }}:{{ g.counted }}\n{% endfor %}", group_by="theme"
    )
    library = library_of(DEFAULT_STORE)
    assert text.splitlines()[0] == f"{library.themes[0].title}:False"


def test_output_is_deterministic(tmp_path: Path) -> None:
    template = "{{ generated_by }}\n{% for w in works %}{{ w|citation }} {{ w|date }}\n{% endfor %}"
    first = render(tmp_path, template)
    assert first == render(tmp_path, template)
    assert first.startswith("scholarcli 0.1.0\n")


def test_the_trailing_newline_is_kept_and_tag_lines_leave_no_blank_line(tmp_path: Path) -> None:
    assert render(tmp_path, "{% for w in works[:2] %}\n{{ w.id }}\n{% endfor %}\n") == (
        "liu-metricocracy\nliu2026imaginary\n"
    )
    assert render(tmp_path, "x\n\n") == "x\n\n"


# --- filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "renderer"),
    [
        ("plain", PlainRenderer),
        ("markdown", MarkdownRenderer),
        ("html", HtmlRenderer),
        ("latex", LatexRenderer),
    ],
)
def test_citation_in_each_target_is_the_renderers(tmp_path: Path, target: str, renderer: type) -> None:
    library = library_of(DEFAULT_STORE)
    work = library.get("liu2026imaginary")
    assert work is not None
    expected = renderer().render(citation(work, owner=library.profile.is_owner, equal_marker=EQUAL_MARKER))
    text = render(tmp_path, "{{ works[1]|citation('" + target + "') }}")
    assert text == expected
    assert "Liu" in text


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("cv.md.j2", "markdown"),
        ("cv.tex.j2", "latex"),
        ("page.html.j2", "html"),
        ("page.HTM", "html"),
        ("feed.xml.jinja2", "html"),
        ("notes.txt.j2", "plain"),
        ("cv.j2", "plain"),
    ],
)
def test_the_target_is_read_from_the_template_name(tmp_path: Path, name: str, target: str) -> None:
    assert target_of(name) == target
    assert render(tmp_path, "{{ target }}", name) == target


def test_citation_defaults_to_the_templates_target(tmp_path: Path) -> None:
    assert render(tmp_path, "{{ works[3]|citation }}", "cv.md.j2").startswith("**Liu, Chuncheng**")
    assert render(tmp_path, "{{ works[3]|citation }}", "cv.txt.j2").startswith("Liu, Chuncheng, and")
    assert render(tmp_path, "{{ works[3]|citation }}", "cv.html.j2").startswith(
        "<strong>Liu, Chuncheng</strong>"
    )
    assert render(tmp_path, "{{ works[3]|citation }}", "cv.tex.j2").startswith(
        r"\scholarowner{Liu, Chuncheng}"
    )


def test_a_markdown_citation_in_an_html_template_is_escaped_as_text(tmp_path: Path) -> None:
    assert render(tmp_path, "{{ works[3]|citation('markdown') }}", "p.html.j2").startswith(
        "**Liu, Chuncheng**, and Akos Rona-Tas. 2025. “Trusting"
    )
    assert "&#34;" not in render(tmp_path, "{{ works[3]|citation('plain') }}", "p.html.j2")


def test_owner_bold_and_names(tmp_path: Path) -> None:
    authors = "{{ works[4].authors|owner_bold('%s') }}"
    assert render(tmp_path, authors % "markdown") == "Alexander Trauth-Goik and **Chuncheng Liu**"
    assert render(tmp_path, authors % "html") == "Alexander Trauth-Goik and <strong>Chuncheng Liu</strong>"
    assert render(tmp_path, authors % "latex") == r"Alexander Trauth-Goik and \scholarowner{Chuncheng Liu}"
    assert render(tmp_path, authors % "plain") == "Alexander Trauth-Goik and Chuncheng Liu"
    assert render(tmp_path, "{{ works[4].authors|owner_bold }}", "x.html.j2") == render(
        tmp_path, authors % "html"
    )
    assert render(tmp_path, "{{ works[1].authors|names }}") == "Chuncheng Liu and Marianne von Blomberg"
    assert render(tmp_path, "{{ works[1].authors|names('inverted') }}") == (
        "Liu, Chuncheng and von Blomberg, Marianne"
    )
    assert render(tmp_path, "{{ works[1].authors|names('family') }}") == "Liu and von Blomberg"


def test_names_of_three_take_a_serial_comma(tmp_path: Path, make_store) -> None:
    store = make_store(
        "- id: a2020\n  type: book\n  title: A\n  year: 2020\n  authors: ['Person, Test', 'B, Bee', 'C, Cee']\n"
    )
    assert render(tmp_path, "{{ works[0].authors|owner_bold('markdown') }}", store=store) == (
        "**Test Person**, Bee B, and Cee C"
    )


def test_owner_bold_escapes_each_name_for_its_target(tmp_path: Path, make_store) -> None:
    store = make_store(
        "- id: a2020\n  type: book\n  title: A\n  year: 2020\n  authors: ['<b>_x_ & {%}, *y*']\n"
    )
    template = "{{ works[0].authors|owner_bold('%s') }}"
    assert render(tmp_path, template % "html", store=store) == "*y* &lt;b&gt;_x_ &amp; {%}"
    assert render(tmp_path, template % "markdown", store=store) == r"\*y\* \<b\>\_x\_ & {%}"
    assert render(tmp_path, template % "latex", store=store) == (
        r"*y* {\textless}b{\textgreater}\_x\_ \& {\textbraceleft}\%{\textbraceright}"
    )


def test_date_doi_url_and_escapes(tmp_path: Path, make_store) -> None:
    store = make_store(
        "- id: a\n  type: article-newspaper\n  title: A\n  year: 2026\n  month: 3\n  day: 4\n  doi: 10.1234/a#b\n"
        "- id: b\n  type: book\n  title: B\n  year: 2026\n  month: 3\n"
        "- id: c\n  type: book\n  title: C\n  year: 2025\n"
        "- id: d\n  type: book\n  title: D\n  status: under-review\n"
    )
    text = render(tmp_path, "{% for w in works %}{{ w.id }}={{ w|date }};{% endfor %}", store=store)
    assert text == "d=Under review;a=March 4, 2026;b=March 2026;c=2025;"
    assert render(
        tmp_path, "{{ works[1]|doi_url }}|{{ works[1].doi|doi_url }}|{{ works[2]|doi_url }}", store=store
    ) == ("https://doi.org/10.1234/a%23b|https://doi.org/10.1234/a%23b|")
    assert render(tmp_path, "{{ '50% of {x} & #1 ---'|escape_latex }}") == (
        r"50\% of {\textbraceleft}x{\textbraceright} \& \#1 -{}-{}-"
    )
    assert render(tmp_path, "{{ '*a* [b](c) #1'|escape_markdown }}") == r"\*a\* \[b\](c) \#1"
    assert render(tmp_path, "{{ 'a b<c>'|url }}") == "a%20b%3Cc%3E"


def test_a_filter_given_the_wrong_value_is_a_template_error(tmp_path: Path) -> None:
    assert render_error(tmp_path, "x\n{{ works|citation }}") == (
        f"{tmp_path / 't.txt.j2'}:2: citation: expected a work (an item of works), got list"
    )
    assert render_error(tmp_path, "{{ works[0]|citation('rtf') }}") == (
        f"{tmp_path / 't.txt.j2'}:1: unknown target 'rtf': use one of html, markdown, latex, plain"
    )
    assert render_error(tmp_path, "{{ works[0].authors|names('short') }}") == (
        f"{tmp_path / 't.txt.j2'}:1: names: unknown form 'short': use display, inverted or family"
    )


def test_with_a_csl_style_latex_citations_are_refused(tmp_path: Path) -> None:
    require_program("pandoc")
    message = render_error_with_style(tmp_path, "{{ works[0]|citation('latex') }}", str(asa_style_path()))
    assert (
        message
        == f"{tmp_path / 't.txt.j2'}:1: with --style, citations are markdown or html (pandoc), not latex"
    )


def render_error_with_style(tmp_path: Path, text: str, style: str) -> str:
    with pytest.raises(TemplateError) as caught:
        render(tmp_path, text, style=style)
    return str(caught.value)


# --- autoescape, the sandbox, errors -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("p.html.j2", True),
        ("p.htm.j2", True),
        ("p.xml.j2", True),
        ("p.html", True),
        ("P.HTML.JINJA", True),
        ("p.md.j2", False),
        ("p.tex.j2", False),
        ("p.j2", False),
        ("html.j2", False),
    ],
)
def test_autoescape_follows_the_template_name(tmp_path: Path, name: str, escaped: bool) -> None:
    assert autoescaped(name) is escaped
    text = render(tmp_path, "{{ '<b>&\"' }}", name)
    assert text == ("&lt;b&gt;&amp;&#34;" if escaped else '<b>&"')


def test_hostile_text_in_an_html_template_is_escaped(tmp_path: Path) -> None:
    text = render(
        tmp_path,
        '<ul>{% for w in works %}<li title="{{ w.title }}">{{ w.title }} {{ w.container }} {{ w.note }}</li>{% endfor %}</ul>',
        "p.html.j2",
        store=STRESS_STORE,
    )
    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Review" in text
    parse_strict(f"<!DOCTYPE html><html lang=en><title>t</title>{text}</html>")  # controls shown, not raw


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ works.__class__.__mro__ }}", "access to attribute '__class__' of 'list' object is unsafe."),
        (
            "{{ works[0]._publication }}",
            "access to attribute '_publication' of 'TemplateWork' object is unsafe.",
        ),
        (
            "{{ works[0].__init__.__globals__ }}",
            "access to attribute '__init__' of 'TemplateWork' object is unsafe.",
        ),
        ("{{ profile.__dict__ }}", "access to attribute '__dict__' of 'TemplateProfile' object is unsafe."),
    ],
)
def test_the_sandbox_refuses_internals_with_a_clear_error(
    tmp_path: Path, template: str, message: str
) -> None:
    assert render_error(tmp_path, "line one\n" + template) == (
        f"{tmp_path / 't.txt.j2'}:2: not allowed in a template: {message}"
    )


def test_an_undefined_name_or_field_is_an_error_with_its_line(tmp_path: Path) -> None:
    assert (
        render_error(tmp_path, "a\nb\n{{ wroks }}\n")
        == f"{tmp_path / 't.txt.j2'}:3: undefined: 'wroks' is undefined"
    )
    assert render_error(tmp_path, "{% for w in works %}\n{{ w.titel }}\n{% endfor %}") == (
        f"{tmp_path / 't.txt.j2'}:2: undefined: a work has no attribute 'titel'"
    )


def test_a_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    assert render_error(tmp_path, "ok\n{% if %}\n") == (
        f"{tmp_path / 't.txt.j2'}:2: Expected an expression, got 'end of statement block'"
    )


def test_an_included_template_beside_it_is_read_and_its_errors_name_it(tmp_path: Path) -> None:
    (tmp_path / "part.j2").write_text("{{ works|length }}\n{{ nope }}\n", encoding="utf-8")
    assert (
        render_error(tmp_path, "{% include 'part.j2' %}")
        == f"{tmp_path / 'part.j2'}:2: undefined: 'nope' is undefined"
    )
    assert (
        render_error(tmp_path, "{% include '../x.j2' %}")
        == f"{tmp_path / 't.txt.j2'}:1: template not found: ../x.j2"
    )


# --- the command -------------------------------------------------------------------------------


def test_cli_renders_to_stdout_and_to_a_file(runner: CliRunner, tmp_path: Path) -> None:
    template = tmp_path / "ids.txt.j2"
    template.write_text("{% for w in works %}{{ w.id }}\n{% endfor %}", encoding="utf-8")
    result = runner.invoke(
        app, ["export", "--template", str(template), "--year", "2025", "--store", str(DEFAULT_STORE)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "liu2025handbook\nliu2025trusting\n"
    out = tmp_path / "ids.txt"
    result = runner.invoke(
        app, ["export", "--template", str(template), "-o", str(out), "--store", str(DEFAULT_STORE)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote 7 works to {out}\n"
    assert out.read_text(encoding="utf-8").splitlines() == DEFAULT_ORDER


def test_cli_template_error_is_one_line_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    template = tmp_path / "bad.md.j2"
    template.write_text("# CV\n{{ works.__class__.__mro__ }}\n", encoding="utf-8")
    result = runner.invoke(app, ["export", "--template", str(template), "--store", str(DEFAULT_STORE)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {template}:2: not allowed in a template: access to attribute '__class__' of 'list' object is unsafe.\n"
    )


def test_cli_missing_template_is_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nope.j2"
    result = runner.invoke(app, ["export", "--template", str(missing), "--store", str(DEFAULT_STORE)])
    assert result.exit_code == 1
    assert result.stderr == f"error: {missing}: cannot read the template: No such file or directory\n"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--template", "x.j2", "--format", "markdown"], "--template cannot be combined with --format"),
        ([], "give one of --format or --template"),
    ],
)
def test_cli_template_and_format_are_exclusive_and_one_is_required(
    runner: CliRunner, arguments: list[str], message: str
) -> None:
    result = runner.invoke(app, ["export", *arguments, "--store", str(DEFAULT_STORE)])
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: {message}\n")


def test_bidi_and_control_characters_are_shown_in_html_templates_only(tmp_path: Path, make_store) -> None:
    # A right-to-left override would reorder the page around it; in HTML it becomes a visible escape.
    store = make_store('- id: a2020\n  type: book\n  title: "A\\u202eB"\n  year: 2020\n')
    html_text = render(tmp_path, "{{ works[0].title }}", "p.html.j2", store=store)
    assert "\u202e" not in html_text
    assert html_text == visible_in_html("A\u202eB")
    assert render(tmp_path, "{{ works[0].title }}", "p.txt.j2", store=store) == "A\u202eB"


def test_cli_builtin_names_a_shipped_template(runner: CliRunner) -> None:
    result = runner.invoke(app, ["export", "--template", "builtin:cv.md.j2", "--store", str(DEFAULT_STORE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.encode("utf-8") == (GOLDEN / "default-store-cv.md").read_bytes()
    result = runner.invoke(app, ["export", "--template", "builtin:cv.tex.j2", "--store", str(DEFAULT_STORE)])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no built-in template 'cv.tex.j2': the built-in templates are builtin:cv.md.j2, "
        "builtin:publications.html.j2\n"
    )


def test_the_readme_worked_example_gives_the_output_shown(runner: CliRunner, tmp_path: Path) -> None:
    readme = (REPO / "docs" / "cv.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Templates") :]
    template = section.split("```jinja\n", 1)[1].split("```", 1)[0]
    shown = section.split("```markdown\n", 1)[1].split("```", 1)[0]
    (tmp_path / "talks.md.j2").write_text(template, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "export",
            "--template",
            str(tmp_path / "talks.md.j2"),
            "--year",
            "2025..",
            "--store",
            str(DEFAULT_STORE),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == shown


# --- issue #14: roles, links, award, featured, preprints ------------------------------------------


def _issue14_library() -> Library:
    from scholarcli.model import Name, Profile, Publication

    published = Publication(
        id="pub1",
        type="article-journal",
        title="Published *work*",
        container="Journal",
        year=2024,
        authors=(
            Name(family="Liu", given="Chuncheng", roles=("equal", "corresponding")),
            Name(family="Wu", given="Ann", roles=("equal", "student")),
            Name(family="Poe", given="Sam", roles=("senior",)),
        ),
        links=(("pdf", "https://example.org/a b.pdf"), ("code", "https://github.com/x/y")),
        award="Best [Paper] Award",
        featured=True,
    )
    preprint = Publication(
        id="pre1",
        type="article",
        title="Preprint",
        year=2023,
        authors=(Name(family="Liu", given="Chuncheng"),),
        url="https://osf.io/preprints/x",
        preprint_of="pub1",
    )
    bare = Publication(
        id="pub2", type="book", title="Book", year=2020, authors=(Name(family="Liu", given="C"),)
    )
    noted = Publication(
        id="pre2", type="article", title="Draft", container="SocArXiv", year=2019, published_as="pub2"
    )
    return Library(Profile(name="Chuncheng Liu"), (), (published, preprint, bare, noted))


@pytest.mark.parametrize("marks", [(), (("equal", "^"), ("student", ""), ("senior", "#"))])
@pytest.mark.parametrize("group_by", ["type", "year", "none"])
def test_the_shipped_markdown_cv_equals_format_markdown_with_roles_links_and_marks(
    group_by: str, marks: tuple[tuple[str, str], ...]
) -> None:
    library = _issue14_library()
    works = list(library.publications)
    options = ExportOptions(group_by=group_by, marks=marks)  # type: ignore[arg-type]
    ours = render_template(TEMPLATES / "cv.md.j2", works, library, options)
    assert ours == export("markdown", works, library, options)
    assert "Featured." in ours
    assert "[preprint](<https://osf.io/preprints/x>)" in ours  # the folded preprint's address
    assert "Preprint: SocArXiv." in ours  # a folded preprint with no address
    assert "Draft" not in ours


def test_the_context_has_roles_links_award_featured_and_the_legend(tmp_path: Path) -> None:
    template = tmp_path / "t.txt.j2"
    template.write_text(
        "{% for work in works %}{{ work }}|{% for name in work.authors %}{{ name.family }}"
        "={{ name.roles|join('+') }};{% endfor %}|{{ work.links|dictsort|map('first')|join(',') }}"
        "|{{ work.award }}|{{ work.featured }}|{{ work.extras.links|map('first')|join(',') }}\n"
        "{% endfor %}{{ marks['senior'] }}|{{ legend|join(' ') }}\n",
        encoding="utf-8",
    )
    library = _issue14_library()
    text = render_template(template, list(library.publications), library, ExportOptions())
    lines = text.splitlines()
    assert lines[0] == (
        "pub1|Liu=equal+corresponding;Wu=equal+student;Poe=senior;|code,pdf|Best [Paper] Award|True"
        "|pdf,code,preprint"
    )
    assert lines[1] == "pre1|Liu=;|||False|"
    assert lines[-1] == (
        "\u00a7|\u2020 Equal contribution. * Corresponding author. \u2021 Student author (supervised)."
        " \u00a7 Senior author."
    )
