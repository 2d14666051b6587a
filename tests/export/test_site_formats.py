"""Hugo and Jekyll site formats: golden trees, front matter that YAML reads back to the same values
whatever the title holds, bodies that no template language can read, safe and unique file names."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pybtex.database
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholarcli.export import FORMATS, ExportOptions, hugo, jekyll
from scholarcli.export.site import escape_body, front_matter, slug, slugs
from scholarcli.export.sitewrite import check_relative_path
from scholarcli.model import Library, Name, Profile, Publication
from scholarcli.query import InMemory, Selection, select
from scholarcli.store import open_store
from tests.conftest import DEFAULT_STORE, REPO, RICH_STORE, STRESS_STORE

GOLDEN = REPO / "tests" / "golden"
SITE_FORMATS = ("hugo", "jekyll")
HOSTILE = "A --- B: c # d 'e' \"f\" {g} {{< shortcode >}} {% include x %} </script> %\n---\nnext: line"


def tree(format_name: str, store: Path = DEFAULT_STORE) -> tuple[dict[str, str], Library]:
    library = open_store(store).library
    works = select(InMemory(library), Selection()).works
    return FORMATS[format_name].tree_exporter()(works, library, ExportOptions()), library


def split_page(text: str) -> tuple[dict[str, object], str]:
    """The front matter (parsed by PyYAML, as a site generator would) and the body of a page."""
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4 : end + 1]), text[end + 5 :]


@pytest.mark.parametrize("format_name", SITE_FORMATS)
def test_golden_tree(format_name: str, update_golden: bool) -> None:
    files, _ = tree(format_name)
    golden = GOLDEN / format_name
    if update_golden:
        for name, text in files.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_bytes(text.encode("utf-8"))
    on_disk = {path.relative_to(golden).as_posix() for path in golden.rglob("*") if path.is_file()}
    assert on_disk == set(files), "run pytest --update-golden and review tests/golden"
    for name, text in files.items():
        assert text.encode("utf-8") == (golden / name).read_bytes(), name
    assert tree(format_name)[0] == files  # deterministic


def test_hugo_tree_has_a_bundle_per_work() -> None:
    files, library = tree("hugo")
    expected = {
        f"content/publication/{work.id}/{name}"
        for work in library.publications
        for name in ("index.md", "cite.bib")
    }
    assert set(files) == expected
    matter, body = split_page(files["content/publication/liu2026imaginary/index.md"])
    assert matter == {
        "authors": ["admin", "Marianne von Blomberg"],
        "author_notes": ["Equal contribution", "Equal contribution"],
        "date": datetime.date(2026, 1, 1),
        "publishDate": datetime.date(2026, 1, 1),
        "publication_types": ["article-journal"],
        "publication": "*Information, Communication & Society* 29(8)",
        "featured": False,
    }
    assert body == ""
    matter, _ = split_page(files["content/publication/liu-metricocracy/index.md"])
    assert "date" not in matter  # not out yet: no date is made up
    assert matter["publication"] == "University of California Press (Under contract)"


def test_hugo_cite_bib_is_the_works_own_bibtex_entry() -> None:
    files, _ = tree("hugo")
    parsed = pybtex.database.parse_string(files["content/publication/liu2022who/cite.bib"], "bibtex")
    assert list(parsed.entries) == ["liu2022who"]
    assert parsed.entries["liu2022who"].fields["doi"] == "10.1177/02685809221084446"


def test_jekyll_tree_names_pages_by_date_and_writes_alfolio_bib() -> None:
    files, library = tree("jekyll")
    assert "_publications/2022-01-01-liu2022who.md" in files
    assert "_publications/liu-metricocracy.md" in files  # undated: no date in the name
    matter, _ = split_page(files["_publications/2022-01-01-liu2022who.md"])
    assert matter["collection"] == "publications"
    assert matter["permalink"] == "/publication/2022-01-01-liu2022who"
    assert matter["date"] == datetime.date(2022, 1, 1)
    assert matter["venue"] == "International Sociology"
    assert matter["paperurl"] == "https://doi.org/10.1177/02685809221084446"
    assert str(matter["citation"]).startswith("Liu, Chuncheng. 2022. “Who Supports Expanding Surveillance?")
    parsed = pybtex.database.parse_string(files["_bibliography/papers.bib"], "bibtex")
    assert set(parsed.entries) == {work.id for work in library.publications}
    for entry in parsed.entries.values():
        assert entry.fields["bibtex_show"] == "true"
    # The 2019 article's SocArXiv preprint is `links.preprint` now, which al-folio has no field for.
    assert "html" not in parsed.entries["liu2019multiple"].fields


def test_the_featured_field_sets_featured_and_selected() -> None:
    work = Publication(id="x1", type="article-journal", title="T", year=2020, featured=True)
    profile = Profile(name="P")
    assert hugo.fields(work, profile)["featured"] is True
    assert "selected = {true}" in jekyll.alfolio_entry(work)
    # The tag `featured` no longer counts: `--featured` and the CVs read the field alone.
    tagged = Publication(id="x2", type="book", title="T", year=2020, tags=("featured",))
    assert hugo.fields(tagged, profile)["featured"] is False
    assert "selected" not in jekyll.alfolio_entry(tagged)


ROLE_WORK = Publication(
    id="x3",
    type="article-journal",
    title="T",
    year=2020,
    authors=(
        Name(family="Liu", given="Chuncheng", roles=("equal", "corresponding")),
        Name(family="Wu", given="Ann", roles=("equal", "student")),
        Name(family="Roe", given="Jane"),
        Name(family="Poe", given="Sam", roles=("senior",)),
    ),
    links=(
        ("pdf", "https://example.org/p.pdf"),
        ("preprint", "https://osf.io/x"),
        ("code", "https://github.com/x/y"),
        ("data", "https://example.org/d"),
        ("slides", "https://example.org/s"),
        ("poster", "https://example.org/po"),
        ("video", "https://example.org/v"),
        ("supplement", "https://example.org/su"),
    ),
    award="Best Paper {Award} & more",
    url="https://example.org/page",
)


def test_hugo_author_notes_from_roles_and_links_as_url_fields() -> None:
    matter = hugo.fields(ROLE_WORK, Profile(name="Chuncheng Liu"))
    assert matter["authors"] == ["admin", "Ann Wu", "Jane Roe", "Sam Poe"]
    assert matter["author_notes"] == [
        "Equal contribution, Corresponding author",
        "Equal contribution, Student",
        "",
        "Senior author",
    ]
    assert matter["url_pdf"] == "https://example.org/p.pdf"
    assert matter["url_code"] == "https://github.com/x/y"
    assert matter["url_dataset"] == "https://example.org/d"
    assert matter["url_slides"] == "https://example.org/s"
    assert matter["url_poster"] == "https://example.org/po"
    assert matter["url_video"] == "https://example.org/v"
    assert matter["url_source"] == "https://example.org/page"
    assert matter["links"] == [
        {"name": "preprint", "url": "https://osf.io/x"},
        {"name": "supplement", "url": "https://example.org/su"},
    ]
    plain = Publication(id="x4", type="book", title="T", year=2020, authors=(Name(family="A", given="B"),))
    assert "author_notes" not in hugo.fields(plain, Profile(name="P"))
    assert "links" not in hugo.fields(plain, Profile(name="P"))


def test_jekyll_links_award_and_paperurl() -> None:
    matter = jekyll.fields(ROLE_WORK, "2020-01-01-x3")
    assert matter["paperurl"] == "https://example.org/p.pdf"  # links.pdf before url
    assert matter["slidesurl"] == "https://example.org/s"
    parsed = pybtex.database.parse_string(jekyll.alfolio_entry(ROLE_WORK), "bibtex")
    fields = parsed.entries["x3"].fields
    assert fields["html"] == "https://example.org/page"
    assert fields["pdf"] == "https://example.org/p.pdf"
    assert fields["code"] == "https://github.com/x/y"
    assert fields["slides"] == "https://example.org/s"
    assert fields["poster"] == "https://example.org/po"
    assert fields["video"] == "https://example.org/v"
    assert fields["supp"] == "https://example.org/su"
    assert "Best Paper" in fields["award"]
    assert "\\&" in fields["award"]
    assert "award_name" not in fields


@pytest.mark.parametrize("format_name", SITE_FORMATS)
@pytest.mark.parametrize("store", [STRESS_STORE, RICH_STORE, DEFAULT_STORE])
def test_every_front_matter_reads_back_to_the_values_written(format_name: str, store: Path) -> None:
    files, library = tree(format_name, store)
    by_slug = slugs(library.publications)
    pages = {name: text for name, text in files.items() if name.endswith(".md")}
    assert len(pages) == len(library.publications)
    for work in library.publications:
        if format_name == "hugo":
            text = pages[f"content/publication/{by_slug[work.id]}/index.md"]
            expected = hugo.fields(work, library.profile)
        else:
            (name,) = [name for name in pages if name.removesuffix(".md").endswith(by_slug[work.id])]
            text = pages[name]
            expected = jekyll.fields(work, name.removeprefix("_publications/").removesuffix(".md"))
        matter, body = split_page(text)
        assert matter == expected, work.id
        assert "{" not in body
        assert "}" not in body


hostile_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=60
) | st.sampled_from(
    [
        HOSTILE,
        "---",
        "...",
        ": x",
        "#",
        "'",
        '"',
        "{}",
        "[a",
        "*",
        "&x",
        "!tag",
        "%YAML",
        "null",
        "true",
        "2020-01-01",
    ]
)


@given(title=hostile_text, venue=hostile_text, note=hostile_text)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_hostile_text_cannot_break_the_front_matter(title: str, venue: str, note: str) -> None:
    work = Publication(
        id="a/b:Ü",
        type="article-journal",
        title=title,
        year=2020,
        container=venue,
        note=note,
        abstract=note,
        authors=(Name(family=title, given=venue),),
    )
    library = Library(Profile(name="Someone"), publications=(work,))
    for format_name in SITE_FORMATS:
        files = FORMATS[format_name].tree_exporter()([work], library, ExportOptions())
        for name, text in files.items():
            check_relative_path(name)
            if not name.endswith(".md"):
                continue
            matter, body = split_page(text)
            if format_name == "hugo":
                assert matter == hugo.fields(work, library.profile)
                assert matter["title"] == title  # Hugo escapes the title itself
            else:
                assert matter == jekyll.fields(work, name.removeprefix("_publications/").removesuffix(".md"))
            # the block ends where we ended it: no line of a value starts a new one
            assert text.count("\n---\n") == 1
            # no `{{`, `{%` (Liquid) nor `{{<` (Hugo shortcode) can form: no brace at all
            assert "{" not in body
            assert "}" not in body


def test_front_matter_quotes_every_string() -> None:
    text = front_matter({"title": "null", "year": "2020", "x": "true", "y": HOSTILE})
    assert yaml.safe_load(text.removeprefix("---\n").removesuffix("---\n")) == {
        "title": "null",
        "year": "2020",
        "x": "true",
        "y": HOSTILE,
    }
    assert text.count("\n") == 6  # one line per key, whatever the value holds


def test_body_escapes_markdown_and_template_braces() -> None:
    assert (
        escape_body("{{< x >}} *a* {% y %}") == "&#123;&#123;\\< x \\>&#125;&#125; \\*a\\* &#123;% y %&#125;"
    )


@pytest.mark.parametrize(
    ("work_id", "expected"),
    [
        ("liu2019multiple", "liu2019multiple"),
        ("liu-metricocracy", "liu-metricocracy"),
        ("a.b_c-1", "a.b_c-1"),
    ],
)
def test_safe_ids_are_their_own_slug(work_id: str, expected: str) -> None:
    assert slug(work_id) == expected


@pytest.mark.parametrize(
    "work_id", ["../etc", "a/b", "a:b", "Smith2020", "刘2020", "con", ".hidden", "a..b", "x" * 200, "/abs"]
)
def test_unsafe_ids_get_a_safe_hashed_slug(work_id: str) -> None:
    name = slug(work_id)
    assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*-[0-9a-f]{8}", name), name
    assert ".." not in name
    assert len(name) <= 90
    assert slug(work_id) == name  # deterministic


@given(
    st.lists(
        st.from_regex(r"[\w:./+-]{1,20}", fullmatch=True), min_size=1, max_size=30, unique_by=str.casefold
    )
)
@settings(max_examples=200, deadline=None)
def test_slugs_are_safe_and_unique(ids: list[str]) -> None:
    works = [Publication(id=work_id, type="book") for work_id in ids]
    names = slugs(works)
    assert len({name.casefold() for name in names.values()}) == len(ids)
    for name in names.values():
        check_relative_path(f"content/{name}/index.md")
        assert not name.startswith(".")
