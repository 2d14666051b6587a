"""BibTeX export for classic `bibtex` and its `.bst` styles: ASCII, accents as LaTeX commands.

Entries come in the selection's order, keyed by the record id. Escaping, names, pages and capital
protection follow `scholarcli.export.latex` (CJK text stays UTF-8; see there why).

Entry types, from the store's CSL type:

    CSL type                                   BibTeX type
    article-journal, article-magazine,
      article-newspaper, review, review-book   @article
    chapter                                    @incollection
    entry, entry-dictionary,
      entry-encyclopedia                       @incollection
    book, collection, classic                  @book
    paper-conference                           @inproceedings
    report, standard                           @techreport
    thesis                                     @phdthesis (the store records no degree)
    pamphlet                                   @booklet
    manuscript                                 @unpublished (@misc when there is no note to give)
    every other type (article, dataset,
      software, webpage, post, speech, ...)    @misc

Fields, always in this order, each only when the record has it:

    author, editor, translator, title, subtitle, shorttitle, journal, booktitle, howpublished,
    series, volume, number, issue, edition, pages, publisher, school, institution, address, type,
    entrysubtype, year, month, day, origdate, isbn, issn, eprint, eprinttype, note, language, doi,
    url, urldate, keywords, abstract; then the record's `extra` fields under their own names.

The title is `Title: Subtitle` (BibTeX styles print no `subtitle`; it is also written, so the
importer splits the title again). `month` is a macro (`mar`), which styles print in their language.
`number` is the issue of an @article, else the number in a series (an issue then goes to `issue`).
`type` is the record's genre ("Working paper"). `keywords` are the tags, then the keywords. Where
the entry type would read back as another CSL type (@misc for a patent), `entrysubtype` names the
CSL type, so the type survives a round trip.

`editor` is written on an @book that has authors too (plain.bst warns and prints the authors). The
container is `journal` for @article, `booktitle` for @incollection and @inproceedings, and
`howpublished` otherwise; the publisher is `school` for a thesis and `institution` for a report.
A work not yet out has no `year` (none is made up) and its state first in `note`: `Forthcoming`,
`Under review. <the record's note>`; a work in press keeps its year and says `In press`.
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
    "entry": "incollection",
    "entry-dictionary": "incollection",
    "entry-encyclopedia": "incollection",
    "book": "book",
    "collection": "book",
    "classic": "book",
    "paper-conference": "inproceedings",
    "report": "techreport",
    "standard": "techreport",
    "thesis": "phdthesis",
    "pamphlet": "booklet",
    "manuscript": "unpublished",
}
DEFAULT_ENTRY_TYPE = "misc"
_CONTAINER_FIELD = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle"}
_PUBLISHER_FIELD = {"phdthesis": "school", "techreport": "institution"}


def entry_type(work: Publication) -> str:
    """The BibTeX type of a work (see the table in the module docstring)."""
    kind = ENTRY_TYPES.get(work.type, DEFAULT_ENTRY_TYPE)
    if kind == "unpublished" and work.is_out and not work.note:
        return DEFAULT_ENTRY_TYPE  # @unpublished needs a note; a finished manuscript has none to give
    return kind


def note_text(work: Publication) -> str | None:
    """The `note`: the state of a work that is not published, then the record's own note."""
    parts = []
    if work.status != "published":
        parts.append(work.status_label)
    if work.note:
        parts.append(work.note)
    return ". ".join(parts) or None


def render_entry(work: Publication) -> str:
    """One work's entry, from the record alone (the entry cache relies on that)."""
    kind = entry_type(work)
    values = latex.entry_fields(
        work,
        ascii_only=True,
        container_field=_CONTAINER_FIELD.get(kind, "howpublished"),
        publisher_field=_PUBLISHER_FIELD.get(kind, "publisher"),
        place_field="address",
        date_field="year",
        note=note_text(work),
        # plain.bst warns "can't use both author and editor fields" on a @book, but prints the authors
        # and compiles: the editors are kept (issue #11), for biber, pandoc and a re-import.
        number_is_issue=kind == "article",
        entrysubtype=entry_subtype(kind, work.type),
    )
    # The mapping is built in FIELD_ORDER already (a test holds it to that); `extra` fields follow.
    return latex.entry(kind, work.id, values.items())


FIELD_ORDER: tuple[str, ...] = (
    "author", "editor", "translator", "title", "subtitle", "shorttitle", "journal", "booktitle",
    "howpublished", "series", "volume", "number", "issue", "edition", "pages", "publisher", "school",
    "institution", "address", "eventtitle", "venue", "type", "entrysubtype", "year", "month", "day", "origdate", "isbn", "issn",
    "eprint", "eprinttype", "note", "language", "doi", "url", "urldate", "keywords", "abstract",
)  # fmt: skip


def export(works: Sequence[Publication], library: Library, options: ExportOptions) -> str:
    """The works as a `.bib` file for BibTeX, one entry per work, separated by blank lines."""
    return latex.ENTRY_FRAME.join(map(render_entry, works))
