"""Hugo Blox (formerly Wowchemy / Hugo Academic) publication page bundles.

One bundle per work: `content/publication/<slug>/index.md` (YAML front matter, the note as body) and
`content/publication/<slug>/cite.bib` (our BibTeX of that one work, which Hugo Blox offers as the
"Cite" button). The slug is the record id made safe as a file name (`export.site.slug`).

Front matter, as Hugo Blox reads it (each only when the record has it):

    title, subtitle     the record's, as written (Hugo escapes them when it renders the page)
    authors             display names; the owner (profile name_variants) as `admin`, the Hugo Blox
                        author slug of the site's owner. An edited book's editors, with author_notes
                        "Editor"
    author_notes        one note per author, by position, from the roles (issue #14): "Equal
                        contribution", "Corresponding author", "Student", "Senior author" (several
                        joined by ", "; "" for an author with none); only when some author has one
    date, publishDate   the publication date (year, month, day as known); none for undated works,
                        which Hugo then lists last. publishDate is the same date, not the build day:
                        the output stays deterministic and no page is held back as "future"
    publication_types   the CSL type, as current Hugo Blox uses them (collection and classic: book;
                        encyclopedia entries: chapter; standard: report)
    publication         the venue, Markdown: `*Journal* 37(3)`, else the publisher; a work not out
                        yet says its status (`Under contract`)
    abstract            Markdown-escaped (Hugo Blox runs it through markdownify)
    tags                the record's tags
    featured            the record's `featured` field
    doi, url_source     the DOI; the record's `url`
    url_pdf, url_code, url_dataset, url_poster, url_slides, url_video
                        the record's `links` pdf, code, data, poster, slides, video
    links               every other link label (preprint, supplement, press, ...) as
                        `{name: label, url: ...}`, in the record's order (Hugo Blox shows them as
                        buttons)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scholarcli.export.base import ExportOptions
from scholarcli.export.bibtex import render_entry
from scholarcli.export.site import escape_body, front_matter, markdown_inline, slugs, work_date
from scholarcli.model import Library, Profile, Publication

CONTENT_FOLDER = "content/publication"
OWNER_SLUG = "admin"
# A role's note in author_notes, in ROLES order.
ROLE_NOTES = {
    "equal": "Equal contribution",
    "corresponding": "Corresponding author",
    "student": "Student",
    "senior": "Senior author",
}
# The links labels Hugo Blox has a front matter field for; other labels go to `links`.
LINK_FIELDS = {
    "pdf": "url_pdf",
    "code": "url_code",
    "data": "url_dataset",
    "poster": "url_poster",
    "slides": "url_slides",
    "video": "url_video",
}
# CSL types Hugo Blox does not list, mapped to the nearest one it does; every other type is kept.
_PUBLICATION_TYPES = {
    "collection": "book",
    "classic": "book",
    "entry": "chapter",
    "entry-dictionary": "chapter",
    "entry-encyclopedia": "chapter",
    "standard": "report",
}


def export_tree(works: Sequence[Publication], library: Library, options: ExportOptions) -> dict[str, str]:
    """Two files per work (see the module docstring), keyed by their path under the site folder."""
    names = slugs(works)
    files: dict[str, str] = {}
    for work in works:
        folder = f"{CONTENT_FOLDER}/{names[work.id]}"
        files[f"{folder}/index.md"] = page(work, library.profile)
        files[f"{folder}/cite.bib"] = render_entry(work)
    return files


def page(work: Publication, profile: Profile) -> str:
    """A work's `index.md`: front matter, then the note (escaped Markdown) as the body."""
    body = f"\n{escape_body(work.note)}\n" if work.note else ""
    return front_matter(fields(work, profile)) + body


def fields(work: Publication, profile: Profile) -> dict[str, Any]:
    """The front matter of a work, in Hugo Blox's usual order (values as YAML will hold them)."""
    result: dict[str, Any] = {}
    if work.title:
        result["title"] = work.title
    if work.subtitle:
        result["subtitle"] = work.subtitle
    names = work.contributors
    if names:
        result["authors"] = [OWNER_SLUG if profile.is_owner(name) else name.display() for name in names]
    # One note per author, "" for none, as Hugo Blox pairs author_notes with authors by position.
    if not work.authors and work.editors:
        result["author_notes"] = ["Editor"] * len(names)
    else:
        notes = [", ".join(ROLE_NOTES[role] for role in work.author_roles(name)) for name in work.authors]
        if any(notes):
            result["author_notes"] = notes
    date = work_date(work)
    if date is not None:
        result["date"] = date
        result["publishDate"] = date
    result["publication_types"] = [_PUBLICATION_TYPES.get(work.type, work.type)]
    venue = publication(work)
    if venue:
        result["publication"] = venue
    if work.abstract:
        result["abstract"] = markdown_inline(work.abstract)
    if work.tags:
        result["tags"] = list(work.tags)
    result["featured"] = work.featured
    if work.doi:
        result["doi"] = work.doi
    if work.url:
        result["url_source"] = work.url
    others = []
    for label, address in work.links:
        if label in LINK_FIELDS:
            result[LINK_FIELDS[label]] = address
        else:
            others.append({"name": label, "url": address})
    if others:
        result["links"] = others
    return result


def publication(work: Publication) -> str:
    """The venue line, Markdown (Hugo Blox runs it through markdownify): `*Journal* 37(3)`."""
    text = ""
    if work.container:
        text = f"*{markdown_inline(work.container)}*"
        if work.volume:
            text += f" {markdown_inline(work.volume)}"
        if work.issue:
            text += f"({markdown_inline(work.issue)})"
    elif work.publisher:
        text = markdown_inline(work.publisher)
    if work.status != "published":
        text = f"{text} ({work.status_label})" if text else work.status_label
    return text
