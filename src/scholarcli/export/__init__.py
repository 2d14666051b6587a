"""Export formats: each is a pure function `(works, library, options) -> str` in its own module.

`FORMATS` is the one registry: it feeds `scholar export --format`'s choices and docs/formats.md. Modules
are imported only when their format is used, so start-up does not pay for every exporter.

A format written one entry per work (`per_record`) also has `render_entry(work) -> str` and an
`ENTRY_FRAME` (what goes before, between and after the entries), and its `export` is
`ENTRY_FRAME.join(map(render_entry, works))`: `export_selection` then takes the entries from the entry
cache (`scholarcli.store.cache.entries`) when the store has one, as UTF-8 bytes, and joins them as bytes.

A format that writes a folder (`site`: Hugo, Jekyll) has instead `export_tree(works, library,
options) -> dict[relative path, text]`, which `scholarcli.export.sitewrite` puts in place.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, AnyStr, Literal, NamedTuple, Protocol

from scholarcli.model import ROLES, Library, Publication
from scholarcli.query.select import select
from scholarcli.text import did_you_mean

if TYPE_CHECKING:
    from scholarcli.query import Selection
    from scholarcli.store import LoadedStore

GroupBy = Literal["type", "year", "theme", "none"]
Numbering = Literal["prefix", "plain", "none"]


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Choices that some formats honour (Markdown grouping, a CSL style); others ignore them."""

    group_by: GroupBy = "type"
    style: str | None = None  # a CSL style name or .csl path; None means the built-in ASA formatter
    numbering: Numbering = "plain"  # LaTeX CV: J5 ... J1 (prefix), 5 ... 1 (plain) or bullets (none)
    # Markdown, HTML and LaTeX: the mark after an author with a role, as (role, mark) pairs that
    # replace DEFAULT_MARKS' (a tuple so the options stay hashable); "" leaves a role unmarked.
    marks: tuple[tuple[str, str], ...] = ()

    def role_marks(self) -> dict[str, str]:
        """Each role's mark: the defaults with `marks` applied, in ROLES order."""
        chosen = {**DEFAULT_MARKS, **dict(self.marks)}
        return {role: chosen[role] for role in ROLES}


# The marks a CV puts after an author's name for each role (model.ROLES), and the legend line each
# one gets when a page uses it. Markdown has no underline, so a student is marked like the others;
# `--marks` (ExportOptions.marks) chooses others.
DEFAULT_MARKS: dict[str, str] = {
    "equal": "\u2020",
    "corresponding": "*",
    "student": "\u2021",
    "senior": "\u00a7",
}
ROLE_LEGENDS: dict[str, str] = {
    "equal": "Equal contribution.",
    "corresponding": "Corresponding author.",
    "student": "Student author (supervised).",
    "senior": "Senior author.",
}


def parse_marks(specs: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """`ROLE=MARK` texts (the `--marks` option) as ExportOptions.marks; ValueError names a bad one."""
    pairs: dict[str, str] = {}
    for spec in specs:
        role, equals, mark = spec.partition("=")
        role = role.strip()
        if not equals or role not in ROLES:
            hint = did_you_mean(role, ROLES) if equals else ""
            raise ValueError(f"--marks '{spec}': give ROLE=MARK with a role of {', '.join(ROLES)}{hint}")
        if any(not char.isprintable() for char in mark) or len(mark) > 8:
            raise ValueError(f"--marks '{spec}': a mark is up to 8 printable characters")
        pairs[role] = mark
    return tuple((role, pairs[role]) for role in ROLES if role in pairs)


def used_roles(works: Iterable[Publication], marks: dict[str, str]) -> list[str]:
    """The roles (in ROLES order) some author of `works` has and that have a mark: the legend's lines."""
    found: set[str] = set()
    for work in works:
        for name in work.authors:
            found.update(work.author_roles(name))
    return [role for role in ROLES if role in found and marks.get(role)]


def legend_lines(works: Iterable[Publication], marks: dict[str, str]) -> list[str]:
    """`† Equal contribution.` for each role used, as plain text lines."""
    return [f"{marks[role]} {ROLE_LEGENDS[role]}" for role in used_roles(works, marks)]


class Exporter(Protocol):
    def __call__(self, works: Sequence[Publication], library: Library, options: ExportOptions) -> str: ...


class TreeExporter(Protocol):
    def __call__(
        self, works: Sequence[Publication], library: Library, options: ExportOptions
    ) -> dict[str, str]: ...


EntryRenderer = Callable[[Publication], str]  # one work's entry, from the record alone


class EntryFrame(NamedTuple):
    """How a per-record format joins its entries into one file: `empty` when there are none, else
    `head`, the entries with `separator` between them, and `tail`."""

    empty: str
    head: str
    separator: str
    tail: str

    def join(self, entries: Iterable[str]) -> str:
        """The entries (from `render_entry`), in order, as one file."""
        return _framed(list(entries), self.empty, self.head, self.separator, self.tail)

    def join_utf8(self, entries: list[bytes]) -> bytes:
        """`join` for entries encoded as UTF-8, giving the file's UTF-8 bytes: what an export writes
        from the entry cache, which keeps entries as bytes so they are neither decoded nor encoded."""
        return _framed(list(entries), *(part.encode("utf-8") for part in self))


def _framed(items: list[AnyStr], empty: AnyStr, head: AnyStr, separator: AnyStr, tail: AnyStr) -> AnyStr:
    if not items:
        return empty
    # The head and tail go onto the first and last item, so the (maybe 100 MB) file is copied once.
    items[0] = head + items[0]
    items[-1] = items[-1] + tail
    return separator.join(items)


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    description: str
    module: str  # dotted module path holding `export`
    suffix: str  # the usual file name ending, for messages and docs
    per_record: bool = False  # one entry per work, from `render_entry` and `ENTRY_FRAME` (see above)
    site: bool = False  # writes a folder: `export_tree` (see above), not `export`

    def exporter(self) -> Exporter:
        if self.site:
            raise ValueError(f"{self.name} writes a folder: use tree_exporter")
        module = importlib.import_module(self.module)
        return module.export

    def tree_exporter(self) -> TreeExporter:
        """`export_tree` of a site format (ValueError for another format)."""
        if not self.site:
            raise ValueError(f"{self.name} writes one file, not a folder")
        module = importlib.import_module(self.module)
        return module.export_tree

    def entry_functions(self) -> tuple[EntryRenderer, EntryFrame]:
        """`render_entry` and `ENTRY_FRAME` of a per-record format (ValueError for another format)."""
        if not self.per_record:
            raise ValueError(f"{self.name} is not written one entry per work")
        module = importlib.import_module(self.module)
        return module.render_entry, module.ENTRY_FRAME


FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("bibtex", "BibTeX for LaTeX with bibtex (ASCII, LaTeX accents)", "scholarcli.export.bibtex", ".bib", per_record=True),
        ExportFormat("biblatex", "BibLaTeX for biber (UTF-8, journaltitle, date)", "scholarcli.export.biblatex", ".bib", per_record=True),
        ExportFormat("csl-json", "CSL-JSON for pandoc, Zotero and citeproc", "scholarcli.export.csl_json", ".json", per_record=True),
        ExportFormat("markdown", "a Markdown CV or publications page", "scholarcli.export.markdown", ".md"),
        ExportFormat("html", "a self-contained, accessible HTML publications page", "scholarcli.export.html", ".html"),
        ExportFormat("yaml", "records in the store's own YAML format", "scholarcli.export.yaml_records", ".yaml"),
        ExportFormat("json", "records as JSON (the fields of 'list --format json')", "scholarcli.export.json_records", ".json"),
        ExportFormat("ris", "RIS for NCBI My Bibliography, Zotero, EndNote", "scholarcli.export.ris", ".ris", per_record=True),
        ExportFormat("jsonresume", "a JSON Resume (basics and publications)", "scholarcli.export.jsonresume", ".json"),
        ExportFormat("latex", "a LaTeX CV publications section to \\input (pdfLaTeX, XeLaTeX)", "scholarcli.export.cvlatex", ".tex"),
        ExportFormat("hugo", "Hugo Blox publication page bundles (a folder: -o DIR)", "scholarcli.export.hugo", "/", site=True),
        ExportFormat("jekyll", "academicpages pages and an al-folio papers.bib (a folder: -o DIR)", "scholarcli.export.jekyll", "/", site=True),
    )
}  # fmt: skip


def export(
    format_name: str, works: Sequence[Publication], library: Library, options: ExportOptions | None = None
) -> str:
    """Render works in a registered format. Raises KeyError for an unknown format name."""
    return FORMATS[format_name].exporter()(works, library, options or ExportOptions())


@dataclass(frozen=True)
class Exported:
    """An export, and how many works it holds.

    `content` is its text, or its UTF-8 bytes when a per-record format was read through the parse
    cache (its entries are then joined as bytes, never decoded nor encoded); `text` and `data` give
    either form, whichever it is.
    """

    content: str | bytes
    count: int

    @cached_property
    def text(self) -> str:
        return self.content if isinstance(self.content, str) else self.content.decode("utf-8")

    @cached_property
    def data(self) -> bytes:
        """The UTF-8 bytes, what `scholar export` writes."""
        return self.content if isinstance(self.content, bytes) else self.content.encode("utf-8")


def export_selection(
    format_name: str, loaded: LoadedStore, selection: Selection, options: ExportOptions | None = None
) -> Exported:
    """The works of a store that a selection picks, in a registered format: the same text as
    `export(format_name, select(loaded, selection).works, ...)` (as UTF-8 bytes for a per-record
    format), with each entry of a per-record format taken from the entry cache where it is current.
    Raises BadSelectionError (an unknown theme)."""
    export_format = FORMATS[format_name]
    selected = select(loaded, selection)
    if export_format.per_record:
        from scholarcli.store.cache.entries import selected_entries

        render, frame = export_format.entry_functions()
        entries = selected_entries(loaded, format_name, render, selected.positions)
        return Exported(frame.join_utf8(entries), len(entries))
    return Exported(export(format_name, selected.works, loaded.library, options), len(selected))


def export_tree_selection(
    format_name: str, loaded: LoadedStore, selection: Selection, options: ExportOptions | None = None
) -> tuple[dict[str, str], int]:
    """The files of a site format (`site=True`) for the works a selection picks, and how many works.
    Raises BadSelectionError (an unknown theme)."""
    works = select(loaded, selection).works
    tree = FORMATS[format_name].tree_exporter()(works, loaded.library, options or ExportOptions())
    return tree, len(works)


class WorkExtras(NamedTuple):
    """What a CV shows after a work's citation (issue #14): its labelled links in order, a note on a
    linked preprint with no address, its award and whether it is featured."""

    links: tuple[tuple[str, str], ...]
    preprint_note: str | None
    award: str | None
    featured: bool


def fold_preprints(works: Sequence[Publication]) -> tuple[list[Publication], dict[str, Publication]]:
    """The works a CV lists, without each preprint whose published version is among them, and those
    preprints by the published version's id (the CV notes them under it)."""
    ids = {work.id.casefold() for work in works}
    preprints: dict[str, Publication] = {}
    for work in works:
        target = work.published_version
        if target is not None and target.casefold() in ids:
            preprints.setdefault(target.casefold(), work)
    if not preprints:
        return list(works), {}
    folded = {id(work) for work in preprints.values()}
    return [work for work in works if id(work) not in folded], preprints


def work_extras(work: Publication, preprints: dict[str, Publication]) -> WorkExtras:
    """A work's links, with its preprint's address as the `preprint` link when it has none itself."""
    links = list(work.links)
    note = None
    preprint = preprints.get(work.id.casefold())
    if preprint is not None and not any(label == "preprint" for label, _ in links):
        from scholarcli.cite.asa import doi_url

        address = dict(preprint.links).get("preprint") or preprint.url
        if address is None and preprint.doi is not None:
            address = doi_url(preprint.doi)
        if address is not None:
            links.append(("preprint", address))
        else:
            note = preprint.container or preprint.title or preprint.id
    return WorkExtras(tuple(links), note, work.award, work.featured)
