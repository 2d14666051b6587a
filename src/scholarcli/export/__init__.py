"""Export formats: each is a pure function `(works, library, options) -> str` in its own module.

`FORMATS` is the one registry: it feeds `scholar export --format`'s choices and docs/formats.md. Modules
are imported only when their format is used, so start-up does not pay for every exporter. What the
exporters share (ExportOptions, EntryFrame, the role marks, a work's extras) is in base.py, re-exported
here.

A format written one entry per work (`per_record`) also has `render_entry(work) -> str` and an
`ENTRY_FRAME` (what goes before, between and after the entries), and its `export` is
`ENTRY_FRAME.join(map(render_entry, works))`: `export_selection` then takes the entries from the entry
cache (`scholarcli.store.cache.entries`) when the store has one, as UTF-8 bytes, and joins them as bytes.

A format that writes a folder (`site`: Hugo, Jekyll) has instead `export_tree(works, library,
options) -> dict[relative path, text]`, which `scholarcli.export.sitewrite` puts in place.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from scholarcli.export.base import (
    DEFAULT_MARKS,
    ROLE_LEGENDS,
    EntryFrame,
    EntryRenderer,
    Exporter,
    ExportOptions,
    GroupBy,
    Numbering,
    TreeExporter,
    WorkExtras,
    fold_preprints,
    legend_lines,
    parse_marks,
    used_roles,
    work_extras,
)
from scholarcli.model import Library, Publication
from scholarcli.query.selecting import select

if TYPE_CHECKING:
    from scholarcli.query import Selection
    from scholarcli.store import LoadedStore

__all__ = [
    "DEFAULT_MARKS",
    "FORMATS",
    "ROLE_LEGENDS",
    "EntryFrame",
    "EntryRenderer",
    "ExportFormat",
    "ExportOptions",
    "Exported",
    "Exporter",
    "GroupBy",
    "Numbering",
    "TreeExporter",
    "WorkExtras",
    "export",
    "export_selection",
    "export_tree_selection",
    "fold_preprints",
    "legend_lines",
    "parse_marks",
    "used_roles",
    "work_extras",
]


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
