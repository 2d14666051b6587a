"""Issue #14's record fields: links, award, featured, the preprint link, the new statuses."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.export import ExportOptions, cvlatex, html, markdown
from scholarcli.export.biblatex import PUBSTATES
from scholarcli.export.csl_json import csl_item
from scholarcli.model import STATUSES, Library, Name, Profile, Publication
from scholarcli.query import InMemory, Selection, select
from tests.store.test_validate import problems_of, records_of

HEAD = """\
- id: a2020
  type: article-journal
  title: Title
  authors: [Liu, Chuncheng]
  year: 2020
  doi: 10.1234/x
  pages: 1-2
"""


def test_links_award_and_featured_are_read_in_order() -> None:
    text = HEAD + (
        "  links:\n    pdf: https://example.org/a.pdf\n    code: https://github.com/x/y\n"
        "    talk-recording: https://example.org/v\n  award: Best Paper\n  featured: true\n"
    )
    (work,) = records_of(text)
    assert work.links == (
        ("pdf", "https://example.org/a.pdf"),
        ("code", "https://github.com/x/y"),
        ("talk-recording", "https://example.org/v"),
    )
    assert (work.award, work.featured) == ("Best Paper", True)


def test_bad_links_and_flags_are_named_with_their_place() -> None:
    text = HEAD + "  links:\n    Code: https://x.org\n    data: ftp://x.org/d\n  featured: yes\n"
    assert problems_of(text) == [
        "p.yaml:9:5: link label 'Code' must be a lower-case word such as pdf, preprint, code (did you mean "
        "'code'?)",
        "p.yaml:10:11: 'links.data' must start with http:// or https://",
        "p.yaml:11:13: 'featured' must be true or false",
    ]
    assert problems_of(HEAD + "  links: https://x.org\n") == [
        "p.yaml:8:10: 'links' must be a mapping of 'field: value' lines"
    ]


PREPRINT = """\
- id: p2019
  type: article
  title: Same Thing
  authors: [Liu, Chuncheng]
  container: SocArXiv
  status: in-preparation
"""


def test_a_preprint_link_names_a_work_of_the_store() -> None:
    assert problems_of(HEAD + PREPRINT + "  preprint_of: a2021\n") == [
        "p.yaml:14:16: 'preprint_of': no work has the id 'a2021' (did you mean 'a2020'?)"
    ]
    assert problems_of(HEAD + PREPRINT + "  published_as: p2019\n") == [
        "p.yaml:14:17: 'published_as': a work cannot be its own published version"
    ]
    both = HEAD + PREPRINT + "  preprint_of: a2020\n  published_as: p2019\n"
    assert problems_of(both) == [
        "p.yaml:15:17: 'published_as' (p2019) and 'preprint_of' (a2020) name two works; they name the "
        "same published version, so give one"
    ]
    assert problems_of(HEAD + PREPRINT + "  published_as: a2020\n") == []


def test_two_preprints_of_one_work_and_a_chain_are_errors() -> None:
    second = PREPRINT.replace("p2019", "q2019") + "  preprint_of: a2020\n"
    assert problems_of(HEAD + PREPRINT + "  preprint_of: a2020\n" + second) == [
        "p.yaml:21:16: 'preprint_of': 'p2019' is already the preprint of 'a2020'"
    ]
    chain = PREPRINT.replace("p2019", "q2019") + "  preprint_of: p2019\n"
    assert problems_of(HEAD + PREPRINT + "  preprint_of: a2020\n" + chain) == [
        "p.yaml:21:16: 'preprint_of': 'p2019' is itself a preprint (of 'a2020')"
    ]


def test_check_warns_of_a_preprint_whose_published_version_is_not_linked() -> None:
    same_title = PREPRINT.replace("Same Thing", "Title")
    assert problems_of(HEAD + same_title) == [
        "p.yaml:8:3: warning: 'p2019' looks like a preprint of 'a2020' (same title); link them with "
        "'preprint_of: a2020'"
    ]
    same_doi = PREPRINT + "  doi: 10.1234/X\n"
    assert problems_of(HEAD + same_doi) == [
        "p.yaml:8:3: warning: 'p2019' looks like a preprint of 'a2020' (same DOI); link them with "
        "'preprint_of: a2020'"
    ]
    assert problems_of(HEAD + same_title + "  preprint_of: a2020\n") == []


_AUTHOR = (Name(family="Roe", given="Ann"),)
_PUBLISHED = Publication(
    id="j2021",
    type="article-journal",
    title="Published",
    authors=_AUTHOR,
    year=2021,
    container="Journal",
    links=(("pdf", "https://example.org/j.pdf"), ("code", "javascript:alert(1)")),
    award="Best Paper <Award>",
    featured=True,
)
_PREPRINT = Publication(
    id="p2020",
    type="article",
    title="Preprint",
    authors=_AUTHOR,
    container="SocArXiv",
    status="in-preparation",
    url="https://osf.io/p",
    preprint_of="j2021",
)


def _library(*works: Publication) -> Library:
    return Library(profile=Profile(name="Ann Roe"), publications=works)


def test_markdown_lists_the_published_work_with_its_links_and_the_preprint_folded_in() -> None:
    library = _library(_PUBLISHED, _PREPRINT)
    text = markdown.export(library.publications, library, ExportOptions())
    assert "Preprint" not in text.split("[pdf]")[0].split("## Journal")[0]
    assert "Working Papers" not in text  # the preprint is not listed on its own
    assert text.count("- ") == 1
    assert (
        "*Journal*. [pdf](<https://example.org/j.pdf>) [preprint](<https://osf.io/p>) "
        "Award: Best Paper \\<Award\\>. Featured.\n" in text
    )
    assert "javascript" not in text


def test_a_preprint_without_its_published_version_is_listed_and_one_without_an_address_is_a_note() -> None:
    library = _library(_PREPRINT)
    alone = markdown.export(library.publications, library, ExportOptions())
    assert "- **Roe, Ann**. in preparation. [“Preprint.”](<https://osf.io/p>) *SocArXiv*." in alone
    quiet = Publication(
        id="p2020",
        type="article",
        title="Preprint",
        authors=_AUTHOR,
        container="SocArXiv",
        preprint_of="j2021",
    )
    both = _library(_PUBLISHED, quiet)
    assert "Preprint: SocArXiv." in markdown.export(both.publications, both, ExportOptions())


def test_html_links_are_buttons_and_award_and_featured_badges() -> None:
    library = _library(_PUBLISHED, _PREPRINT)
    page = html.export(library.publications, library, ExportOptions())
    assert '<li><span class="badge featured">Featured</span> <strong>Roe, Ann</strong>. 2021.' in page
    assert (
        '<span class="links"><a class="button" href="https://example.org/j.pdf">pdf</a> '
        '<a class="button" href="https://osf.io/p">preprint</a> '
        '<span class="badge award">Best Paper &lt;Award&gt;</span></span></li>'
    ) in page
    assert "javascript" not in page


def test_latex_links_are_scholarlinks() -> None:
    library = _library(_PUBLISHED, _PREPRINT)
    tex = cvlatex.export(library.publications, library, ExportOptions())
    assert (
        r"\scholarlinks{\scholarlink{https://example.org/j.pdf}{pdf}, \scholarlink{https://osf.io/p}{preprint}}"
        r"\scholaraward{Best Paper {\textless}Award{\textgreater}}\scholarfeatured{}" in tex
    )
    assert "javascript" not in tex
    assert tex.count(r"\item") == 1


def test_csl_json_keeps_the_links_under_custom() -> None:
    custom = csl_item(_PUBLISHED)["custom"]
    assert custom == {
        "links": {"pdf": "https://example.org/j.pdf", "code": "javascript:alert(1)"},
        "award": "Best Paper <Award>",
        "featured": True,
    }
    assert csl_item(_PREPRINT)["custom"] == {"preprint-of": "j2021"}


def test_featured_filter() -> None:
    assert select(
        InMemory(Library(Profile(name="x"), publications=(_PUBLISHED, _PREPRINT))), Selection(featured=True)
    ).works == [_PUBLISHED]


def test_cli_featured_filter(runner: CliRunner, make_store) -> None:
    folder = make_store(HEAD + "  featured: true\n" + HEAD.replace("a2020", "b2020"))
    result = runner.invoke(app, ["list", "--featured", "--format", "keys", "--store", str(folder)])
    assert result.exit_code == 0
    assert result.stdout == "a2020\n"


def test_the_new_statuses_sit_in_order_and_reach_the_exports() -> None:
    assert STATUSES == (
        "in-preparation", "submitted", "under-review", "revise-and-resubmit", "under-contract",
        "forthcoming", "in-press", "published",
    )  # fmt: skip
    (work,) = records_of(
        "- id: r2026\n  type: article-journal\n  title: T\n  authors: [Liu, Chuncheng]\n"
        "  status: revise-and-resubmit\n  container: American Sociological Review\n"
    )
    assert work.status_label == "Revise and resubmit"
    assert csl_item(work)["status"] == "revise and resubmit"
    assert PUBSTATES["submitted"] == "submitted"
    assert PUBSTATES["revise-and-resubmit"] == "revise and resubmit"
    library = _library(work)
    text = markdown.export(library.publications, library, ExportOptions())
    assert "revise and resubmit. “T.” *American Sociological Review*. *(Revise and resubmit)*" in text
    assert problems_of(
        "- id: r2026\n  type: article-journal\n  title: T\n  authors: [Liu, Chuncheng]\n  status: submited\n"
    ) == [
        "p.yaml:5:11: unknown status 'submited' (did you mean 'submitted'?); one of in-preparation, submitted, "
        "under-review, revise-and-resubmit, under-contract, forthcoming, in-press, published"
    ]


def test_the_default_store_links_the_2019_article_to_its_preprint(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "--format", "json", "--year", "2019"])
    (record,) = json.loads(result.stdout)
    assert record["links"] == {"preprint": "https://osf.io/preprints/socarxiv/v9frs"}
    assert record["url"] is None


def test_the_writer_writes_links_as_a_block(tmp_path: Path) -> None:
    from scholarcli.write.render import render_record

    assert render_record(_PUBLISHED) == (
        "- id: j2021\n  type: article-journal\n  title: Published\n  authors:\n    - Roe, Ann\n  year: 2021\n"
        '  container: Journal\n  links:\n    pdf: "https://example.org/j.pdf"\n    code: "javascript:alert(1)"\n'
        "  award: Best Paper <Award>\n  featured: true\n"
    )


_TALK = Publication(
    id="t2024",
    type="speech",
    title="Scoring the City",
    authors=_AUTHOR,
    year=2024,
    month=8,
    day=10,
    event="Annual Meeting of the American Sociological Association",
    event_place="Montréal, QC",
)


def test_a_talk_is_read_cited_as_pandoc_does_and_grouped_under_presentations() -> None:
    (work,) = records_of(
        "- id: t2024\n  type: speech\n  title: Scoring the City\n  authors: ['Roe, Ann']\n  year: 2024\n"
        "  month: 8\n  day: 10\n  event: Annual Meeting of the American Sociological Association\n"
        "  event_place: Montréal, QC\n"
    )
    assert work == _TALK
    library = _library(_TALK)
    text = markdown.export(library.publications, library, ExportOptions())
    # pandoc --citeproc with american-sociological-association.csl prints the same words.
    assert (
        "## Presentations (1)\n\n- **Roe, Ann**. 2024. “Scoring the City.” Presented at the Annual Meeting of "
        "the American Sociological Association, August 10, Montréal, QC.\n"
    ) in text
    assert r"\scholarsection{Presentations}{1}" in cvlatex.export(
        library.publications, library, ExportOptions()
    )


def test_a_talk_in_csl_json_and_bibtex() -> None:
    item = csl_item(_TALK)
    assert (item["event"], item["event-title"], item["event-place"]) == (
        "Annual Meeting of the American Sociological Association",
        "Annual Meeting of the American Sociological Association",
        "Montréal, QC",
    )
    from scholarcli.export import biblatex, bibtex

    assert (
        "  eventtitle = {Annual Meeting of the American Sociological Association},\n"
        in bibtex.render_entry(_TALK)
    )
    assert "  venue = {Montr{\\'e}al, QC},\n" in bibtex.render_entry(_TALK)
    assert "  venue = {Montréal, QC},\n" in biblatex.render_entry(_TALK)


def test_show_prints_links_one_a_line_and_featured(runner: CliRunner, make_store) -> None:
    folder = make_store(
        HEAD
        + "  links:\n    pdf: https://example.org/a.pdf\n    code: https://example.org/c\n  featured: true\n"
    )
    result = runner.invoke(app, ["show", "a2020", "--store", str(folder)])
    assert result.exit_code == 0
    assert "links: pdf: https://example.org/a.pdf\n  code: https://example.org/c\n" in result.stdout
    assert "featured: yes\n" in result.stdout
