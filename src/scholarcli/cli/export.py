"""`scholar export`: render the selected works in one format, to stdout or atomically to a file."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from scholarcli.cli import console
from scholarcli.cli.app import app
from scholarcli.cli.options import StoreOption, with_selection
from scholarcli.export import FORMATS, ExportOptions, export_selection
from scholarcli.query import Selection
from scholarcli.store import open_store

FormatChoice = Enum("FormatChoice", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]


class GroupChoice(str, Enum):
    type = "type"
    year = "year"
    theme = "theme"
    none = "none"


@app.command("export")
@with_selection
def export_command(
    selection: Selection,
    output_format: Annotated[
        FormatChoice,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file (atomically) instead of stdout.", metavar="FILE"
        ),
    ] = None,
    group_by: Annotated[
        GroupChoice, typer.Option("--group-by", help="Markdown: sections by type, year, theme or none.")
    ] = GroupChoice.type,
    style: Annotated[
        str | None,
        typer.Option(
            "--style",
            help="Markdown: a CSL style name or .csl file, rendered with pandoc (default: built-in ASA).",
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Export the selected works as BibTeX, BibLaTeX, CSL-JSON, Markdown, YAML or JSON.

    Example: scholar export --format bibtex --theme citizen-response > citizen.bib
    """
    loaded = open_store(store)
    options = ExportOptions(group_by=group_by.value, style=style)
    exported = export_selection(output_format.value, loaded, selection, options)
    if output is None:
        console.out_utf8(exported.content)
        return
    from scholarcli.fileio import write_export

    write_export(output, exported.content, loaded.location)
    console.message(f"wrote {exported.count} works to {output}")
