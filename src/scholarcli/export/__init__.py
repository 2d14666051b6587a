"""Export formats: each is a pure function `(works, library, options) -> str` in its own module.

`FORMATS` is the one registry: it feeds `scholar export --format`'s choices and the README. Modules
are imported only when their format is used, so start-up does not pay for every exporter.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from scholarcli.model import Library, Publication

GroupBy = Literal["type", "year", "theme", "none"]


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Choices that some formats honour (Markdown grouping, a CSL style); others ignore them."""

    group_by: GroupBy = "type"
    style: str | None = None  # a CSL style name or .csl path; None means the built-in ASA formatter


class Exporter(Protocol):
    def __call__(self, works: Sequence[Publication], library: Library, options: ExportOptions) -> str: ...


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    description: str
    module: str  # dotted module path holding `export`
    suffix: str  # the usual file name ending, for messages and docs

    def exporter(self) -> Exporter:
        module = importlib.import_module(self.module)
        return module.export  # type: ignore[no-any-return]


FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("bibtex", "BibTeX for LaTeX with bibtex (ASCII, LaTeX accents)", "scholarcli.export.bibtex", ".bib"),
        ExportFormat("biblatex", "BibLaTeX for biber (UTF-8, journaltitle, date)", "scholarcli.export.biblatex", ".bib"),
        ExportFormat("csl-json", "CSL-JSON for pandoc, Zotero and citeproc", "scholarcli.export.csl_json", ".json"),
        ExportFormat("markdown", "a Markdown CV or publications page", "scholarcli.export.markdown", ".md"),
        ExportFormat("yaml", "records in the store's own YAML format", "scholarcli.export.yaml_records", ".yaml"),
        ExportFormat("json", "records as JSON (the fields of 'list --format json')", "scholarcli.export.json_records", ".json"),
    )
}  # fmt: skip


def export(
    format_name: str, works: Sequence[Publication], library: Library, options: ExportOptions | None = None
) -> str:
    """Render works in a registered format. Raises KeyError for an unknown format name."""
    return FORMATS[format_name].exporter()(works, library, options or ExportOptions())
