"""`scholar export`: render the selected works in one format, to stdout or atomically to a file."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from scholarcli.cli import console
from scholarcli.cli.options import StoreOption, with_selection
from scholarcli.export import FORMATS, ExportOptions, export_selection
from scholarcli.query import Selection
from scholarcli.store import LoadedStore, open_store

# This module's commands. The root app (cli/app.py) imports the module and builds one of them only
# when it is run; the module does not import the root app, so there is no import loop.
app = typer.Typer()


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
    ctx: typer.Context,
    selection: Selection,
    output_format: Annotated[
        FormatChoice | None,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="Render this Jinja2 template instead of a --format (builtin:cv.md.j2 and "
            "builtin:publications.html.j2 ship with scholarcli).",
            metavar="FILE",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (atomically) instead of stdout; hugo, jekyll: this folder (required).",
            metavar="FILE",
        ),
    ] = None,
    group_by: Annotated[
        GroupChoice,
        typer.Option(
            "--group-by", help="Markdown, HTML, LaTeX and templates: sections by type, year, theme or none."
        ),
    ] = GroupChoice.type,
    style: Annotated[
        str | None,
        typer.Option(
            "--style",
            help="Markdown, HTML, templates: a CSL style name or .csl file, rendered with pandoc (default: built-in ASA).",
        ),
    ] = None,
    numbering: Annotated[
        NumberingChoice,
        typer.Option(
            "--numbering", help="LaTeX: numbers in reverse per section: J5...J1 (prefix), 5...1, or none."
        ),
    ] = NumberingChoice.plain,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="hugo, jekyll: overwrite files in the folder that scholar did not write."
        ),
    ] = False,
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

    Or through a Jinja2 template: scholar export --template cv.md.j2 -o cv.md
    """
    if (output_format is None) == (template is None):
        ctx.fail(  # bad usage, exit 2 (Click's UsageError, through Typer's public Context)
            "give one of --format or --template"
            if template is None
            else "--template cannot be combined with --format"
        )
    if style is not None and output_format is not None and output_format.value == "latex":
        # Silently ignored, a CV would come out in ASA while the user asked for another style.
        ctx.fail("--style cannot be combined with --format latex: the LaTeX CV is built-in ASA")
    site = output_format is not None and FORMATS[output_format.value].site
    if site:
        assert output_format is not None
        _check_site_usage(ctx, output_format.value, output)
    elif force:
        ctx.fail("--force applies only to the folder formats (hugo, jekyll)")
    from scholarcli.export import parse_marks

    try:
        chosen_marks = parse_marks(marks or ())
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    loaded = open_store(store)  # after every usage check: bad usage is exit 2 whatever the store
    options = ExportOptions(
        group_by=group_by.value, style=style, numbering=numbering.value, marks=chosen_marks
    )
    if template is not None:
        from scholarcli.export.template import export_template  # imports Jinja2: only when asked

        exported = export_template(template, loaded, selection, options)
    else:
        assert output_format is not None
        if site:
            assert output is not None  # _check_site_usage refused a folder format without -o
            _export_site(output_format.value, output, loaded, selection, options, force=force)
            return
        exported = export_selection(output_format.value, loaded, selection, options)
    if output is None:
        console.out_utf8(exported.content)
        return
    from scholarcli.write.atomic import write_export

    write_export(output, exported.content, loaded.location)
    console.message(f"wrote {exported.count} works to {output}")


def _check_site_usage(ctx: typer.Context, format_name: str, output: Path | None) -> None:
    if output is None:
        # A folder of files has no place on stdout.
        ctx.fail(f"--format {format_name} writes a folder: name it with -o DIR")


def _export_site(
    format_name: str,
    folder: Path,
    loaded: LoadedStore,
    selection: Selection,
    options: ExportOptions,
    *,
    force: bool,
) -> None:
    from scholarcli.export import export_tree_selection
    from scholarcli.export.sitewrite import apply_tree, plan_tree, refusal_error

    files, count = export_tree_selection(format_name, loaded, selection, options)
    plan = plan_tree(folder, files, format_name, loaded.location, force=force)
    error = refusal_error([plan])
    if error is not None:
        raise error
    apply_tree(plan)
    for warning in plan.warnings():
        console.warning(warning)
    console.message(f"wrote {count} works to {folder} ({plan.summary()})")
