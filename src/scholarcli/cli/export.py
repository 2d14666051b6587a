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


class NumberingChoice(str, Enum):
    prefix = "prefix"
    plain = "plain"
    none = "none"


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
        GroupChoice,
        typer.Option("--group-by", help="Markdown, HTML and LaTeX: sections by type, year, theme or none."),
    ] = GroupChoice.type,
    style: Annotated[
        str | None,
        typer.Option(
            "--style",
            help="Markdown, HTML: a CSL style name or .csl file, rendered with pandoc (default: built-in ASA).",
        ),
    ] = None,
    numbering: Annotated[
        NumberingChoice,
        typer.Option(
            "--numbering", help="LaTeX: numbers in reverse per section: J5...J1 (prefix), 5...1, or none."
        ),
    ] = NumberingChoice.plain,
    marks: Annotated[
        list[str] | None,
        typer.Option(
            "--marks",
            help="Markdown, HTML, LaTeX: ROLE=MARK for an author role's mark (equal, corresponding, student, "
            "senior; repeatable; ROLE= for none).",
            metavar="ROLE=MARK",
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Export the selected works as BibTeX, BibLaTeX, CSL-JSON, Markdown, HTML, LaTeX, RIS, JSON Resume, YAML or JSON.

    Example: scholar export --format bibtex --theme citizen-response > citizen.bib
    """
    if style is not None and output_format.value == "latex":
        from typer._click.exceptions import UsageError  # Typer >= 0.26 vendors Click

        # Silently ignored, a CV would come out in ASA while the user asked for another style.
        raise UsageError("--style cannot be combined with --format latex: the LaTeX CV is built-in ASA")
    from scholarcli.export import parse_marks

    try:
        chosen_marks = parse_marks(marks or ())
    except ValueError as exc:
        from typer._click.exceptions import BadParameter  # Typer >= 0.26 vendors Click

        raise BadParameter(str(exc)) from None
    loaded = open_store(store)
    options = ExportOptions(
        group_by=group_by.value, style=style, numbering=numbering.value, marks=chosen_marks
    )
    exported = export_selection(output_format.value, loaded, selection, options)
    if output is None:
        console.out_utf8(exported.content)
        return
    from scholarcli.fileio import write_export

    write_export(output, exported.content, loaded.location)
    console.message(f"wrote {exported.count} works to {output}")
