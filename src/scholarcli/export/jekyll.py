"""Jekyll: academicpages publication pages and an al-folio bibliography, in one tree.

- `_publications/<date>-<slug>.md` for academicpages (one page per work; an undated work is
  `_publications/<slug>.md` and has no `date`, which Jekyll then sets to the build time);
- `_bibliography/papers.bib` for al-folio (jekyll-scholar): our BibTeX with al-folio's fields.

academicpages front matter (its templates print some fields as HTML, others through markdownify,
so each is escaped for the way it is printed):

    title       Markdown-escaped (markdownify)
    collection  publications
    category    books (book, chapter), conferences (paper-conference), manuscripts (the rest):
                the three categories academicpages' _config.yml lists
    permalink   /publication/<file name without .md>
    excerpt     the abstract, Markdown-escaped (markdownify)
    date        the publication date (year, month, day as known)
    venue       the container (else the publisher), HTML-escaped (printed as HTML)
    paperurl    the record's `links.pdf`, else its url, else its DOI link
    slidesurl   the record's `links.slides`
    citation    the ASA reference as plain text, HTML-escaped (printed as HTML)

The body is the abstract and the note, Markdown-escaped with `{` `}` escaped too (Liquid).

al-folio fields added to each BibTeX entry: `bibtex_show = {true}` (the "Bib" button), `selected =
{true}` for a featured work (the record's `featured`), `html` = the record's url, the record's `links`
pdf, code, slides, poster, video, supplement as `pdf`, `code`, `slides`, `poster`, `video`, `supp`
(al-folio shows each as a button; a full URL, not a file under assets/), and `award` = the record's
award (al-folio's "Awarded" button shows it; `award_name`, the button's label, is left unset).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scholarcli.cite.asa import citation, doi_url
from scholarcli.cite.styled import PlainRenderer, escape_html
from scholarcli.export.base import ExportOptions
from scholarcli.export.bibtex import render_entry
from scholarcli.export.latex import ENTRY_FRAME
from scholarcli.export.site import escape_body, front_matter, markdown_inline, slugs, work_date
from scholarcli.model import Library, Publication

PUBLICATIONS_FOLDER = "_publications"
BIBLIOGRAPHY_FILE = "_bibliography/papers.bib"
# The record's links labels that al-folio has a BibTeX field for, in the order they are written.
ALFOLIO_LINKS = {
    "pdf": "pdf",
    "code": "code",
    "slides": "slides",
    "poster": "poster",
    "video": "video",
    "supplement": "supp",
}
_CATEGORIES = {"book": "books", "collection": "books", "classic": "books", "chapter": "books"}
_CATEGORIES["paper-conference"] = "conferences"
DEFAULT_CATEGORY = "manuscripts"


def export_tree(works: Sequence[Publication], library: Library, options: ExportOptions) -> dict[str, str]:
    """One page per work and the al-folio `papers.bib`, keyed by their path under the site folder."""
    names = slugs(works)
    files: dict[str, str] = {}
    for work in works:
        date = work_date(work)
        stem = f"{date.isoformat()}-{names[work.id]}" if date is not None else names[work.id]
        files[f"{PUBLICATIONS_FOLDER}/{stem}.md"] = page(work, stem)
    files[BIBLIOGRAPHY_FILE] = ENTRY_FRAME.join(map(alfolio_entry, works))
    return files


def page(work: Publication, stem: str) -> str:
    paragraphs = [escape_body(text) for text in (work.abstract, work.note) if text]
    body = "".join(f"\n{paragraph}\n" for paragraph in paragraphs)
    return front_matter(fields(work, stem)) + body


def fields(work: Publication, stem: str) -> dict[str, Any]:
    """The academicpages front matter of a work (values as YAML will hold them)."""
    result: dict[str, Any] = {}
    if work.title:
        result["title"] = markdown_inline(work.title)
    result["collection"] = "publications"
    result["category"] = _CATEGORIES.get(work.type, DEFAULT_CATEGORY)
    result["permalink"] = f"/publication/{stem}"
    if work.abstract:
        result["excerpt"] = markdown_inline(work.abstract)
    date = work_date(work)
    if date is not None:
        result["date"] = date
    venue = work.container or work.publisher
    if venue:
        result["venue"] = escape_html(venue)
    links = dict(work.links)
    paper = links.get("pdf") or work.url or (doi_url(work.doi) if work.doi else None)
    if paper:
        result["paperurl"] = paper
    if "slides" in links:
        result["slidesurl"] = links["slides"]
    result["citation"] = escape_html(PlainRenderer().render(citation(work)))
    return result


def alfolio_entry(work: Publication) -> str:
    """Our BibTeX entry with al-folio's fields after the others."""
    extra = ["  bibtex_show = {true}"]
    # `abbr` (al-folio's venue badge) needs a short venue name, which the record does not have yet.
    if work.featured:
        extra.append("  selected = {true}")
    if work.url:
        extra.append(f"  html = {{{_bib_url(work.url)}}}")
    links = dict(work.links)
    extra += [
        f"  {field} = {{{_bib_url(links[label])}}}"
        for label, field in ALFOLIO_LINKS.items()
        if label in links
    ]
    if work.award:
        # al-folio shows `award` (Markdown) under an "Awarded" button; `award_name` would rename the
        # button, and the record has no short form of the award for it.
        extra.append(f"  award = {{{_bib_text(work.award)}}}")
    head, _, tail = render_entry(work).rpartition("\n}")
    separator = "\n" if head.endswith(",") else ",\n"
    return head + separator + ",\n".join(extra) + "\n}" + tail


def _bib_text(text: str) -> str:
    """A plain text as a BibTeX field value, escaped as our BibTeX writes one."""
    from scholarcli.export.latex import escape

    return escape(text, ascii_only=True)


def _bib_url(url: str) -> str:
    # A brace would end the field early; a URL has no business holding one.
    return url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")
