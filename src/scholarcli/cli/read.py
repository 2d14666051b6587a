"""The read commands: list, show, themes, stats, where, check.

Rich (its tables, rules and bar charts, through cli/views.py, ~11 ms), the ASA formatter (~21 ms) and
the export package's listings (~4 ms: the package builds its format table) are imported inside the
commands that use them: a TSV listing to a pipe, the common case in a script, needs none of them.
"""

import json
import sys
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from scholarcli.cli import console
from scholarcli.cli.fields import detail_fields
from scholarcli.cli.options import StoreOption, complete_publication_id, from_group, with_selection
from scholarcli.errors import StoreInvalidError, UnknownIdError, display_path
from scholarcli.query import Selection, find_ids, find_theme, select
from scholarcli.store import LoadedStore, load_library, locate_store, open_store
from scholarcli.text import json_safe, one_line, visible

# This module's commands. The root app (cli/app.py) imports the module and builds one of them only
# when it is run; the module does not import the root app, so there is no import loop.
app = typer.Typer()


# A Rich table of thousands of rows takes seconds to lay out; past this a terminal listing is cut
# (with a note) unless --limit asks for more. Pipes always get everything.
TERMINAL_ROW_CAP = 200


class ListFormat(str, Enum):
    table = "table"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    yaml = "yaml"
    keys = "keys"


class ShowFormat(str, Enum):
    text = "text"
    json = "json"
    yaml = "yaml"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


def _write_all(chunks: Iterable[str]) -> None:
    for chunk in chunks:
        console.out(chunk)


@app.command("list")
@with_selection
def list_command(
    selection: Selection,
    store: StoreOption = None,
    output_format: Annotated[
        ListFormat | None,
        typer.Option(
            "--format", "-f", help="table on a terminal, tsv when piped; or json, jsonl, yaml, keys."
        ),
    ] = None,
) -> None:
    """List works, newest first, filtered by theme, type, year, author and more.

    Example: scholar list --theme west-imaginary --year 2022..
    """
    loaded = open_store(store)
    chosen = output_format or (ListFormat.table if console.stdout_is_terminal() else ListFormat.tsv)
    selected = select(loaded, selection)
    if chosen is ListFormat.tsv:
        _write_all(selected.tsv_rows())
        return
    if chosen is ListFormat.keys:
        _write_all(selected.id_lines())
        return
    works = selected.works
    if chosen is ListFormat.table:
        from scholarcli.cli.views import publications_table

        shown = works if selection.limit is not None else works[:TERMINAL_ROW_CAP]
        console.rich_stdout().print(publications_table(shown, loaded.library))
        if len(shown) < len(works):
            console.message(
                f"showing {len(shown)} of {len(works)} works; use --limit N, or --format tsv to get all of them"
            )
        return
    from scholarcli.export import listing  # (see the module docstring)

    writers = {
        ListFormat.json: listing.iter_json,
        ListFormat.jsonl: listing.iter_jsonl,
        ListFormat.yaml: listing.iter_yaml,
    }
    _write_all(writers[chosen](works))


@app.command("show")
def show_command(
    ids: Annotated[
        list[str],
        typer.Argument(
            help="Publication ids, or - to read ids from stdin.", autocompletion=complete_publication_id
        ),
    ],
    store: StoreOption = None,
    output_format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="text, json or yaml.")
    ] = ShowFormat.text,
) -> None:
    """Show every field of works, their themes and their ASA citation.

    Example: scholar show liu2022who
    """
    if ids == ["-"]:
        ids = sys.stdin.read().split()  # one id a line, or several on one line (ids hold no blanks)
        if not ids:
            raise UnknownIdError("no ids on stdin")
    loaded = open_store(store)
    works = find_ids(loaded, ids)
    if output_format in (ShowFormat.json, ShowFormat.yaml):
        from scholarcli.export import listing  # (see the module docstring)

        _write_all((listing.iter_json if output_format is ShowFormat.json else listing.iter_yaml)(works))
        return
    from scholarcli.cite.asa import plain_citation

    if console.stdout_is_terminal():
        from rich.rule import Rule

        from scholarcli.cli.views import publication_detail

        rich_console = console.rich_stdout()
        for index, publication in enumerate(works):
            if index:
                rich_console.print(Rule())
            rich_console.print(publication_detail(publication, loaded.library, plain_citation(publication)))
        return

    for index, publication in enumerate(works):
        if index:
            console.out("\n")
        for key, value in detail_fields(publication, loaded.library):
            # Continuation lines of a multi-line value are indented so each record stays parseable.
            console.out(f"{key}: {visible(value, keep_newlines=True).replace(chr(10), chr(10) + '  ')}\n")
        console.out(f"citation: {visible(plain_citation(publication))}\n")


class TableFormat(str, Enum):
    table = "table"
    tsv = "tsv"
    json = "json"


_TABLE_FORMAT_HELP = "table on a terminal, tsv when piped; or json."


def _table_or_pipe(chosen: TableFormat | None) -> TableFormat:
    return chosen or (TableFormat.table if console.stdout_is_terminal() else TableFormat.tsv)


themes_app = typer.Typer(
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(themes_app, name="themes")


@themes_app.callback()
def themes_command(
    ctx: typer.Context,
    store: StoreOption = None,
    output_format: Annotated[
        TableFormat | None, typer.Option("--format", "-f", help=_TABLE_FORMAT_HELP)
    ] = None,
) -> None:
    """List the research themes with their questions and number of works.

    Example: scholar themes; scholar themes show west-imaginary
    """
    if ctx.invoked_subcommand is not None:
        return

    library = open_store(store).library
    counts = {theme.id: 0 for theme in library.themes}
    for publication in library.publications:
        for theme_id in publication.themes:
            counts[theme_id] += 1
    chosen = _table_or_pipe(output_format)
    if chosen is TableFormat.table:
        from scholarcli.cli.views import themes_table

        console.rich_stdout().print(themes_table(library.themes, counts))
    elif chosen is TableFormat.tsv:
        for theme in library.themes:
            console.out(f"{theme.id}\t{counts[theme.id]}\t{one_line(theme.title)}\n")
    else:
        records = [
            {"id": t.id, "title": t.title, "summary": t.summary, "works": counts[t.id]}
            for t in library.themes
        ]
        console.out(json_safe(json.dumps(records, ensure_ascii=False, indent=2)) + "\n")


@themes_app.command("show")
def theme_show_command(
    ctx: typer.Context,
    theme_id: Annotated[str, typer.Argument(metavar="ID", help="A theme id.")],
    store: StoreOption = None,
    output_format: Annotated[
        TableFormat | None, typer.Option("--format", "-f", help=_TABLE_FORMAT_HELP)
    ] = None,
) -> None:
    """Show one theme: its question, its summary and its works.

    Example: scholar themes show citizen-response
    """
    # `scholar themes --store X --format json show ID` means X and json here too.
    store = from_group(ctx, "store", store, "--store", Path)
    output_format = from_group(ctx, "output_format", output_format, "--format", TableFormat)
    loaded = open_store(store)
    library = loaded.library
    theme = find_theme(library, theme_id)  # an argument, not --theme: its own message
    works = select(loaded, Selection(themes=(theme_id,))).works
    chosen = _table_or_pipe(output_format)
    if chosen is TableFormat.json:
        record = {
            "id": theme.id,
            "title": theme.title,
            "summary": theme.summary,
            "works": [p.as_dict() for p in works],
        }
        console.out(json_safe(json.dumps(record, ensure_ascii=False, indent=2)) + "\n")
        return
    if chosen is TableFormat.table:
        from rich.text import Text

        from scholarcli.cli.views import publications_table

        rich_console = console.rich_stdout()
        rich_console.print(Text(visible(theme.title), style="bold"))
        if theme.summary:
            rich_console.print(Text(visible(theme.summary, keep_newlines=True)))
        rich_console.print(publications_table(works, library))
        return

    # Plain: the question and summary as '#' lines, then the works as TSV rows.
    console.out(f"# {one_line(theme.title)}\n")
    if theme.summary:
        console.out(f"# {one_line(theme.summary)}\n")
    from scholarcli.export import listing  # (see the module docstring)

    _write_all(listing.iter_tsv(works))


@app.command("stats")
@with_selection
def stats_command(
    selection: Selection,
    store: StoreOption = None,
    output_format: Annotated[
        TableFormat | None,
        typer.Option("--format", "-f", help="table (bar charts) on a terminal, tsv when piped; or json."),
    ] = None,
) -> None:
    """Count works by year, type, status and theme, and list co-authors.

    Example: scholar stats --year 2020..
    """

    loaded = open_store(store)
    from scholarcli.query.stats import summarise  # only this command counts (~1.5 ms to import)

    summary = summarise(select(loaded, selection).works, loaded.library)
    sections = {
        "year": summary.by_year,
        "type": summary.by_type,
        "status": summary.by_status,
        "theme": summary.by_theme,
        "coauthor": summary.coauthors,
    }
    chosen = _table_or_pipe(output_format)
    if chosen is TableFormat.table:
        from rich.text import Text

        from scholarcli.cli.views import bar_chart

        rich_console = console.rich_stdout()
        rich_console.print(Text(f"{summary.total} works", style="bold"))
        titles = {
            "year": "By year",
            "type": "By type",
            "status": "By status",
            "theme": "By theme",
            "coauthor": "Co-authors",
        }
        for key, rows in sections.items():
            if rows:
                rich_console.print(bar_chart(titles[key], rows))
        return
    if chosen is TableFormat.json:
        record = {"total": summary.total, **{key: dict(rows) for key, rows in sections.items()}}
        console.out(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        return

    console.out(f"total\t\t{summary.total}\n")
    for key, rows in sections.items():
        for label, count in rows:
            console.out(f"{key}\t{one_line(label)}\t{count}\n")


@app.command("where")
def where_command(store: StoreOption = None) -> None:
    """Print the folder of the store in use (stdout) and why it was chosen (stderr).

    Example: cd "$(scholar where)"
    """
    location = locate_store(store)
    console.out(f"{location.path}\n")
    console.message(f"store: {location.reason}")


@app.command("check")
def check_command(
    store: StoreOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="text or json.")
    ] = CheckFormat.text,
) -> None:
    """Validate the store: report every error and warning with its file, line and column.

    Exit status 1 when there are errors (or, with --strict, warnings). Example: scholar check --strict
    """
    location = locate_store(store)
    try:
        loaded: LoadedStore | None = load_library(location)
        problems = list(loaded.warnings) if loaded else []
    except StoreInvalidError as exc:
        problems = exc.problems
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    if output_format is CheckFormat.json:
        report = {
            "store": str(location.path),
            "errors": errors,
            "warnings": warnings,
            "problems": [problem.as_dict() for problem in problems],
        }
        console.out(json_safe(json.dumps(report, ensure_ascii=False, indent=2)) + "\n")
    else:
        for problem in problems:
            console.out(visible(str(problem)) + "\n")
        console.message(f"{display_path(location.path)}: {errors} error(s), {warnings} warning(s)")
    if errors or (strict and warnings):
        raise typer.Exit(1)
