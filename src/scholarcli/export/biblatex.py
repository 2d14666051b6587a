"""BibLaTeX export for biber: UTF-8 text, `journaltitle`, `date`, `location` and `pubstate`.

Entries come in the selection's order, keyed by the record id. Escaping, names, pages and capital
protection follow `scholarcli.export.latex`; text stays UTF-8 (only LaTeX's specials are escaped).

Entry types, from the store's CSL type:

    CSL type                                   BibLaTeX type
    article-journal, article-magazine,
      article-newspaper, review, review-book   @article
    chapter                                    @incollection
    entry, entry-dictionary,
      entry-encyclopedia                       @inreference
    book, classic                              @book (@collection when it has editors only)
    collection                                 @collection
    paper-conference                           @inproceedings
    report, standard                           @report, type = {techreport}
    thesis                                     @thesis, type = {phdthesis} (no degree is recorded)
    pamphlet                                   @booklet
    manuscript                                 @unpublished
    webpage, post, post-weblog                 @online
    dataset                                    @dataset
    software                                   @software
    patent                                     @patent
    every other type (article, speech, ...)    @misc

Fields, always in this order, each only when the record has it:

    author, editor, translator, title, subtitle, shorttitle, journaltitle, booktitle, howpublished,
    series, volume, number, issue, edition, pages, publisher, institution, location, type,
    entrysubtype, date, origdate, pubstate, isbn, issn, eprint, eprinttype, note, language, doi, url,
    urldate, keywords, abstract; then the record's `extra` fields under their own names.

`date` is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the record knows it. `number` is the issue of an
@article, else the number in a series (an issue then goes to `issue`). `type` is the record's genre,
else `phdthesis`/`techreport`. A publisher or institution with ` and ` in it is braced whole
(`{Chapman and Hall}`): biblatex reads those fields as lists split at ` and `. `keywords` are the
tags, then the keywords. Where the entry type would read back as another CSL type, `entrysubtype`
names the CSL type (`magazine`, `newspaper` for articles).

The container is `journaltitle` for @article, `booktitle` for @incollection, @inreference and
@inproceedings, and `howpublished` otherwise; the publisher is `institution` for a thesis or a
report. A work not yet out has no `date` (none is made up) and a `pubstate`: biblatex's keys
`inpreparation`, `submitted` (under review), `forthcoming` and `inpress`, and `under contract`, which
has no key and is printed as written.
"""

from __future__ import annotations

from collections.abc import Sequence

from scholarcli.bibfields import entry_subtype
from scholarcli.export import latex
from scholarcli.export.base import ExportOptions
from scholarcli.export.latex import ENTRY_FRAME as ENTRY_FRAME  # how entries are joined (export/__init__.py)
from scholarcli.model import Library, Publication

ENTRY_TYPES: dict[str, str] = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "review": "article",
    "review-book": "article",
    "chapter": "incollection",
    "entry": "inreference",
    "entry-dictionary": "inreference",
    "entry-encyclopedia": "inreference",
    "book": "book",
    "classic": "book",
    "collection": "collection",
    "paper-conference": "inproceedings",
    "report": "report",
    "standard": "report",
    "thesis": "thesis",
    "pamphlet": "booklet",
    "manuscript": "unpublished",
    "webpage": "online",
    "post": "online",
    "post-weblog": "online",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
}
DEFAULT_ENTRY_TYPE = "misc"
PUBSTATES: dict[str, str] = {
    "in-preparation": "inpreparation",
    "submitted": "submitted",
    "under-review": "under review",  # not "submitted": that is a status of its own (issue #14)
    "revise-and-resubmit": "revise and resubmit",
    "under-contract": "under contract",
    "forthcoming": "forthcoming",
    "in-press": "inpress",
}
_CONTAINER_FIELD = {
    "article": "journaltitle",
    "incollection": "booktitle",
    "inreference": "booktitle",
    "inproceedings": "booktitle",
}
_PUBLISHER_FIELD = {"thesis": "institution", "report": "institution"}
_SUBTYPES = {"thesis": "phdthesis", "report": "techreport"}

FIELD_ORDER: tuple[str, ...] = (
    "author", "editor", "translator", "title", "subtitle", "shorttitle", "journaltitle", "booktitle",
    "howpublished", "series", "volume", "number", "issue", "edition", "pages", "publisher",
    "institution", "location", "eventtitle", "venue", "type", "entrysubtype", "date", "origdate", "pubstate", "isbn", "issn",
    "eprint", "eprinttype", "note", "language", "doi", "url", "urldate", "keywords", "abstract",
)  # fmt: skip


def entry_type(work: Publication) -> str:
    """The BibLaTeX type of a work (see the table in the module docstring)."""
    kind = ENTRY_TYPES.get(work.type, DEFAULT_ENTRY_TYPE)
    if kind == "book" and not work.authors and work.editors:
        return "collection"  # biblatex's @book wants an author; an edited volume is a @collection
    return kind


def render_entry(work: Publication) -> str:
    """One work's entry, from the record alone (the entry cache relies on that)."""
    kind = entry_type(work)
    values = latex.entry_fields(
        work,
        ascii_only=False,
        container_field=_CONTAINER_FIELD.get(kind, "howpublished"),
        publisher_field=_PUBLISHER_FIELD.get(kind, "publisher"),
        place_field="location",
        date_field="date",
        note=work.note,
        subtype=_SUBTYPES.get(kind),
        pubstate=PUBSTATES.get(work.status),
        number_is_issue=kind == "article",
        entrysubtype=entry_subtype(kind, work.type),
    )
    # The mapping is built in FIELD_ORDER already (a test holds it to that).
    return latex.entry(kind, work.id, values.items())


def export(works: Sequence[Publication], library: Library, options: ExportOptions) -> str:
    """The works as a `.bib` file for biblatex and biber, one entry per work, separated by blank lines."""
    return latex.ENTRY_FRAME.join(map(render_entry, works))
