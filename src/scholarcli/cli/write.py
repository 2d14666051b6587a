"""The write commands: init, add, import, edit, set, remove. Each takes --store; none writes the embedded store.

Only a write command imports this module (see cli/lazygroup.py), so the write machinery and the YAML
parser it brings are imported here at the top: a read command or --help never loads them.
"""

import collections
import dataclasses
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scholarcli.cli import console
from scholarcli.cli.options import StoreOption, complete_publication_id
from scholarcli.errors import Problem, ScholarError, StoreInvalidError, display_path
from scholarcli.importers import ImportFormat, ImportResult, decode, read_records
from scholarcli.model import STATUSES, Publication
from scholarcli.store import (
    STORE_FILES,
    StoreLocation,
    embedded_store_path,
    leads_back_to_itself,
    locate_store,
    profile_problems,
    user_store_path,
)
from scholarcli.text import visible
from scholarcli.write import operations
from scholarcli.write.atomic import atomic_write
from scholarcli.write.duplicates import OnDuplicate
from scholarcli.write.newwork import NewWork
from scholarcli.write.render import render_scalar
from scholarcli.write.session import refuse_read_only

if TYPE_CHECKING:
    from collections import Counter


# This module's commands. The root app (cli/app.py) imports the module and builds one of them only
# when it is run; the module does not import the root app, so there is no import loop.
app = typer.Typer()

# Past this many records an import on a terminal shows a progress bar.
PROGRESS_THRESHOLD = 200

DuplicateOption = Annotated[
    OnDuplicate | None,
    typer.Option(
        "--on-duplicate",
        help="For a record with the DOI, or the title and year, of one in the store: skip it, update the "
        "existing record, or keep both. Without it a duplicate stops the write.",
        show_default=False,
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Text encoding of the file: any Python codec, e.g. latin-1, cp1252 (default: UTF-8, or UTF-16/32 "
        "by its byte-order mark).",
        metavar="NAME",
    ),
]


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _read_input(source: str, encoding: str | None) -> tuple[str, str]:
    """(text, name for messages) of a file, or of stdin for `-`."""
    if source == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>", encoding), "<stdin>"
    path = Path(source).expanduser()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScholarError(f"{display_path(path)}: cannot read: {exc.strerror or exc}") from None
    return decode(raw, display_path(path), encoding), display_path(path)


def refuse_undecodable(given: dict[str, str | list[str] | None]) -> None:
    """Refuse a command-line value with bytes that are not text in the locale's encoding.

    Python hands such bytes over as lone surrogates (`\\udcff` for the byte 0xFF), which no YAML or
    UTF-8 writer can encode: refused by name before anything is read or written, rather than a
    UnicodeEncodeError traceback halfway through a write.
    """
    for option, value in given.items():
        for text in value if isinstance(value, list) else [value]:
            bad = next((ch for ch in text or "" if "\ud800" <= ch <= "\udfff"), None)
            if bad is not None:
                shown = f"the byte 0x{ord(bad) - 0xDC00:02X}" if ord(bad) >= 0xDC80 else f"U+{ord(bad):04X}"
                raise ScholarError(f"{option}: {shown} is not text in UTF-8; nothing was written")


def _report(report: operations.AddReport, result: ImportResult, *, dry_run: bool) -> None:
    """What an import did, on stderr: notes on entries taken, duplicates skipped, every rejection with
    its reason, the fields kept in `extra` or dropped, then one summary line that says whether all was taken."""
    for source, note in result.notes:
        console.message(f"{source}: {note}")
    for source, existing, why in report.skipped:
        console.message(f"{source}: skipped, duplicates '{existing}' ({why})")
    for source, reason in report.rejected:
        console.error(f"{source}: {reason}")
    # The store's warnings on the new records: a missing author, year or title one by one; a published
    # work with no pages or DOI (common in any library) counted, as `scholar check` lists them.

    counted: Counter[str] = collections.Counter()
    added = {source for source, _ in report.added}
    for source, field_name, warning in report.warnings:
        if source not in added:  # a duplicate skipped or rejected after it was checked
            continue
        if field_name in _COUNTED_WARNINGS:
            counted[field_name] += 1
        else:
            console.warning(f"{source}: {warning}")
    if counted:
        console.message(f"published without (field: entries): {_counts(counted)} (scholar check lists them)")
    if result.kept:
        console.message("kept in extra (field: entries): " + _counts(result.kept))
    if result.dropped:
        console.message("dropped as empty (field: entries): " + _counts(result.dropped))
    verb = "would add" if dry_run else "added"
    summary = (
        f"{verb} {len(report.added)}, {'would update' if dry_run else 'updated'} {len(report.updated)}, "
        f"skipped {len(report.skipped)} as duplicate, rejected {len(report.rejected)}"
    )
    remarks = ["dry run: nothing written"] if dry_run else []
    if report.rejected:
        remarks.append(
            f"{'would not import' if dry_run else 'not imported'}: {len(report.rejected)}, exit status 1"
        )
    console.message(summary + (f" ({'; '.join(remarks)})" if remarks else ""))


_COUNTED_WARNINGS = frozenset({"pages", "doi"})


def _counts(counter: "Counter[str]") -> str:
    return ", ".join(
        f"{name} {count}" for name, count in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    )


# init ----------------------------------------------------------------------------------------------

_EMPTY_PUBLICATIONS = (
    "# Publications, one record per '- id:' item. Field reference: README.md (\"The store format\").\n"
)
_EMPTY_THEMES = "# Research themes: '- id: slug' and 'title: The question?' for each.\n"


@app.command("init")
def init_command(
    path: Annotated[
        Path | None,
        typer.Argument(help="Folder for the new store (default: the user data folder).", show_default=False),
    ] = None,
    from_default: Annotated[
        bool, typer.Option("--from-default", help="Start from a copy of the embedded default store.")
    ] = False,
    name: Annotated[
        str | None, typer.Option("--name", help="Your name, for the profile of an empty store.")
    ] = None,
) -> None:
    """Create a store, empty or a copy of the embedded default store; never over an existing one.

    Example: scholar init --from-default
    """
    refuse_undecodable({"--name": name})
    target = (path or user_store_path()).expanduser()
    if leads_back_to_itself(target):
        raise ScholarError(
            f"{display_path(target)}: a symbolic link that leads back to itself; nothing was changed"
        )
    dangling = [name for name in STORE_FILES if (target / name).is_symlink() and not (target / name).exists()]
    if dangling:  # exists() says False for these; writing would replace the link with a file
        link = target / dangling[0]
        raise ScholarError(
            f"{display_path(link)}: a symbolic link to a missing file ({visible(str(link.readlink()))}); "
            "nothing was changed (remove the link, or create the file it points to)"
        )
    existing = [name for name in STORE_FILES if (target / name).exists()]
    if existing:
        raise ScholarError(
            f"{display_path(target)}: a store is already there ({', '.join(existing)}); nothing was changed"
        )
    if target.exists() and not target.is_dir():
        raise ScholarError(f"{display_path(target)}: exists and is not a folder")
    profile = f"name: {_yaml_scalar(name or 'Your Name')}\n"
    # The loader's own rules, so init never writes a profile its own check would reject.
    refused = [p for p in profile_problems(profile, target / "profile.yaml") if p.severity == "error"]
    if refused:
        raise ScholarError(f"--name: {refused[0].message}; nothing was changed")
    try:
        target.mkdir(parents=True, exist_ok=True)
        if from_default:
            source = embedded_store_path()
            for file_name in STORE_FILES:
                atomic_write(target / file_name, (source / file_name).read_text(encoding="utf-8"))
        else:
            atomic_write(target / "themes.yaml", _EMPTY_THEMES)
            atomic_write(target / "profile.yaml", profile)
            # Written last: a folder is a store once publications.yaml is there.
            atomic_write(target / "publications.yaml", _EMPTY_PUBLICATIONS)
    except OSError as exc:
        raise ScholarError(
            f"{display_path(target)}: cannot create the store: {exc.strerror or exc}"
        ) from None
    console.store_changed(f"created in {display_path(target)}")
    console.out(f"{target}\n")
    console.message(f"created a store in {display_path(target)}")
    if not from_default and name is None:
        console.message(f"put your name in {display_path(target / 'profile.yaml')}")


def _yaml_scalar(text: str) -> str:
    return render_scalar(text)


# add -----------------------------------------------------------------------------------------------


def _ask_for_missing(work: NewWork) -> NewWork:
    """The work with what it still needs asked for on the terminal; on a pipe, one error naming it."""
    missing = work.missing()
    if not missing:
        return work
    if not stdin_is_terminal():
        raise ScholarError(
            f"missing {', '.join(missing)}; give them as options (stdin is not a terminal, so there is no prompt)"
        )
    answers: dict[str, object] = {}
    if work.type is None:
        answers["type"] = _prompt(
            f"Type ({', '.join(('article-journal', 'book', 'chapter', 'paper-conference'))}, ...)"
        )
    if work.title is None:
        answers["title"] = _prompt("Title")
    if not work.authors and not work.editors:
        answers["authors"] = tuple(
            part.strip()
            for part in _prompt("Authors ('Family, Given'; separate several with ';')").split(";")
        )
    if work.year is None and work.needs_year:
        answers["year"] = _prompt("Year")
    return dataclasses.replace(work, **answers)  # type: ignore[arg-type]


def _refuse(rejected: list[tuple[str, str]]) -> None:
    lines = [f"{where}: {reason}" for where, reason in rejected]
    raise operations.ManyProblemsError(lines, "nothing was added")


def _prompt(label: str) -> str:
    return typer.prompt(label, err=True).strip()


@app.command("add")
def add_command(
    ctx: typer.Context,
    title: Annotated[str | None, typer.Option("--title", help="Title of the work.")] = None,
    author: Annotated[
        list[str] | None,
        typer.Option(
            "--author", "-a", help="An author as 'Family, Given' (repeat for each).", metavar="NAME"
        ),
    ] = None,
    editor: Annotated[
        list[str] | None, typer.Option("--editor", help="An editor (repeatable).", metavar="NAME")
    ] = None,
    year: Annotated[str | None, typer.Option("--year", help="Year of publication.")] = None,
    work_type: Annotated[
        str | None, typer.Option("--type", help="CSL type, e.g. article-journal, book, chapter.")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help=f"One of {', '.join(STATUSES)} (default published).")
    ] = None,
    container: Annotated[str | None, typer.Option("--container", help="Journal or book title.")] = None,
    volume: Annotated[str | None, typer.Option("--volume")] = None,
    issue: Annotated[str | None, typer.Option("--issue")] = None,
    pages: Annotated[str | None, typer.Option("--pages")] = None,
    publisher: Annotated[str | None, typer.Option("--publisher")] = None,
    place: Annotated[str | None, typer.Option("--place")] = None,
    doi: Annotated[str | None, typer.Option("--doi")] = None,
    url: Annotated[str | None, typer.Option("--url")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    theme: Annotated[
        list[str] | None, typer.Option("--theme", "-t", help="A theme id (repeatable).", metavar="THEME")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable).", metavar="TAG")] = None,
    record_id: Annotated[
        str | None, typer.Option("--id", help="The id to use (default: generated, e.g. liu2022who).")
    ] = None,
    bibtex: Annotated[
        str | None,
        typer.Option("--bibtex", help="Read the record from a BibTeX file, or - for stdin.", metavar="FILE"),
    ] = None,
    csl_json: Annotated[
        str | None,
        typer.Option("--csl-json", help="Read the record from a CSL-JSON file, or -.", metavar="FILE"),
    ] = None,
    encoding: EncodingOption = None,
    on_duplicate: DuplicateOption = None,
    store: StoreOption = None,
) -> None:
    """Add a work from options, or from BibTeX or CSL-JSON; print its new id.

    Example: scholar add --type article-journal --title "Who Supports Expanding Surveillance?"
    --author "Liu, Chuncheng" --year 2022 --container "International Sociology"
    """

    refuse_undecodable(
        {
            "--title": title,
            "--author": author,
            "--editor": editor,
            "--year": year,
            "--type": work_type,
            "--status": status,
            "--container": container,
            "--volume": volume,
            "--issue": issue,
            "--pages": pages,
            "--publisher": publisher,
            "--place": place,
            "--doi": doi,
            "--url": url,
            "--note": note,
            "--theme": theme,
            "--tag": tag,
            "--id": record_id,
        }
    )
    if bibtex is not None or csl_json is not None:
        # The record comes whole from the file: a field option beside it would be silently dropped.
        fields = {
            "--title": title, "--author": author, "--editor": editor, "--year": year, "--type": work_type,
            "--status": status, "--container": container, "--volume": volume, "--issue": issue,
            "--pages": pages, "--publisher": publisher, "--place": place, "--doi": doi, "--url": url,
            "--note": note, "--tag": tag, "--id": record_id,
        }  # fmt: skip
        given = [option for option, value in fields.items() if value]
        if given:
            source_option = "--bibtex" if bibtex is not None else "--csl-json"
            ctx.fail(  # bad usage, exit 2 (Click's UsageError, through Typer's public Context)
                f"{', '.join(given)} cannot be combined with {source_option}: the record's fields come "
                "from the file (change them there, or with 'scholar set' after adding)"
            )
    location = locate_store(store)
    refuse_read_only(location)
    if bibtex is not None and csl_json is not None:
        raise ScholarError("give --bibtex or --csl-json, not both")
    if bibtex is not None or csl_json is not None:
        source = bibtex if bibtex is not None else csl_json
        assert source is not None
        text, shown = _read_input(source, encoding)
        result = read_records(
            text, shown, ImportFormat.bibtex if bibtex is not None else ImportFormat.csl_json
        )
        if result.rejected:
            _refuse(result.rejected)
        if not result.candidates:
            raise ScholarError(f"{shown}: no record found")
        candidates = result.candidates
    else:
        work = NewWork(
            type=work_type, title=title, authors=tuple(author or ()), editors=tuple(editor or ()),
            year=year, status=status, container=container, volume=volume, issue=issue, pages=pages,
            publisher=publisher, place=place, doi=doi, url=url, note=note, tags=tuple(tag or ()),
            id=record_id,
        )  # fmt: skip
        candidates = [_ask_for_missing(work).candidate()]
    report = operations.add_publications(
        location, candidates, on_duplicate=on_duplicate, extra_themes=tuple(theme or ())
    )
    changed = [f"added '{new_id}'" for _, new_id in report.added]
    changed += [f"updated '{existing}'" for _, existing in report.updated]
    if changed:
        console.store_changed(", ".join(changed))
    if report.rejected:
        _refuse(report.rejected)
    for _, new_id in report.added:
        console.out(f"{new_id}\n")
    for _, existing in report.updated:
        console.out(f"{existing}\n")
        console.message(f"updated '{existing}'")
    for _, existing, why in report.skipped:
        console.message(f"skipped: duplicates '{existing}' ({why})")


# import --------------------------------------------------------------------------------------------


@app.command("import")
def import_command(
    source: Annotated[str, typer.Argument(help="A .bib or CSL-JSON file, or - for stdin.", metavar="FILE|-")],
    import_format: Annotated[
        ImportFormat | None, typer.Option("--from", help="The file's format (default: detected).")
    ] = None,
    theme: Annotated[
        list[str] | None,
        typer.Option(
            "--theme", "-t", help="Tag every imported work with this theme (repeatable).", metavar="THEME"
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would happen; write nothing.")
    ] = False,
    encoding: EncodingOption = None,
    on_duplicate: DuplicateOption = None,
    store: StoreOption = None,
) -> None:
    """Import many works from BibTeX, BibLaTeX or CSL-JSON, with a summary of what happened.

    Example: scholar import zotero.bib --theme west-imaginary --on-duplicate skip
    """

    refuse_undecodable({"--theme": theme})
    location = locate_store(store)
    refuse_read_only(location)
    text, shown = _read_input(source, encoding)
    result: ImportResult = read_records(text, shown, import_format)

    try:
        report = _import_with_progress(location, result, on_duplicate, tuple(theme or ()), dry_run)
    except operations.ManyProblemsError as problems:
        # Duplicates without a policy: every rejection is still said.
        problems.lines[:0] = [f"{source}: {reason}" for source, reason in result.rejected]
        raise
    report.rejected[:0] = result.rejected
    _report(report, result, dry_run=dry_run)
    if report.rejected:
        raise typer.Exit(1)


def _import_with_progress(
    location: StoreLocation,
    result: ImportResult,
    on_duplicate: OnDuplicate | None,
    themes: tuple[str, ...],
    dry_run: bool,
) -> operations.AddReport:
    total = len(result.candidates)
    if total < PROGRESS_THRESHOLD or not console.stderr_is_terminal():
        return operations.add_publications(
            location,
            result.candidates,
            on_duplicate=on_duplicate,
            extra_themes=themes,
            dry_run=dry_run,
        )
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True, markup=False, highlight=False), transient=True) as progress:
        task = progress.add_task("importing", total=total)
        return operations.add_publications(
            location,
            result.candidates,
            on_duplicate=on_duplicate,
            extra_themes=themes,
            dry_run=dry_run,
            progress=lambda done: progress.update(task, completed=done),
        )


# set -----------------------------------------------------------------------------------------------


@app.command("set")
def set_command(
    publication_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete_publication_id)],
    assignments: Annotated[
        list[str] | None,
        typer.Argument(help="Changes as field=value; field= removes the field.", metavar="FIELD=VALUE..."),
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help=f"One of {', '.join(STATUSES)}.")] = None,
    year: Annotated[str | None, typer.Option("--year")] = None,
    title: Annotated[str | None, typer.Option("--title")] = None,
    container: Annotated[str | None, typer.Option("--container")] = None,
    volume: Annotated[str | None, typer.Option("--volume")] = None,
    issue: Annotated[str | None, typer.Option("--issue")] = None,
    pages: Annotated[str | None, typer.Option("--pages")] = None,
    doi: Annotated[str | None, typer.Option("--doi")] = None,
    url: Annotated[str | None, typer.Option("--url")] = None,
    store: StoreOption = None,
) -> None:
    """Change fields of one work, for scripts: field=value pairs or options.

    Example: scholar set liu2026imaginary --status published --year 2026 pages=1-20
    """

    refuse_undecodable(
        {"ID": publication_id, **{text.partition("=")[0] or text: text for text in assignments or ()}}
    )
    changes: dict[str, str | None] = {}
    for text in assignments or ():
        key, value = operations.parse_assignment(text)
        changes[key] = value
    options = {"status": status, "year": year, "title": title, "container": container, "volume": volume,
               "issue": issue, "pages": pages, "doi": doi, "url": url}  # fmt: skip
    refuse_undecodable({f"--{key}": value for key, value in options.items()})
    changes.update(
        {key: operations.given_value(key, value) for key, value in options.items() if value is not None}
    )
    if not changes:
        raise ScholarError("nothing to change; give field=value pairs or options such as --status published")
    location = locate_store(store)
    # How each field was given, to name it in a message about its value (not the line it would be on).
    given = {text.partition("=")[0].strip().partition(".")[0]: visible(text) for text in assignments or ()}
    given.update({key: f"--{key}" for key, value in options.items() if value is not None})
    try:
        updated = operations.set_fields(location, publication_id, changes)
    except StoreInvalidError as exc:
        raise StoreInvalidError(
            [
                Problem(given[problem.field], 0, 0, problem.message, problem.severity, problem.field)
                if problem.field in given
                else problem
                for problem in exc.problems
            ]
        ) from None
    console.message(f"updated '{updated.id}': {', '.join(changes)}")


# remove --------------------------------------------------------------------------------------------


@app.command("remove")
def remove_command(
    publication_ids: Annotated[
        list[str], typer.Argument(metavar="ID...", autocompletion=complete_publication_id)
    ],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask (needed when stdin is not a terminal).")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Remove works by id; asks first on a terminal, needs --yes in a pipeline.

    Example: scholar remove liu2019multiple --yes
    """

    location = locate_store(store)
    refuse_read_only(location)
    if not yes:
        if not stdin_is_terminal():
            raise ScholarError("removing needs --yes when stdin is not a terminal; nothing was removed")
        if not typer.confirm(f"Remove {', '.join(publication_ids)}?", default=False, err=True):
            raise ScholarError("nothing was removed")
    removed = operations.remove_publications(location, publication_ids)
    console.message(f"removed {', '.join(removed)}")


# edit ----------------------------------------------------------------------------------------------


def _editor_command() -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise ScholarError("set $VISUAL or $EDITOR to the editor to use, e.g. export EDITOR=nano")
    try:
        words = shlex.split(editor)
    except ValueError as exc:  # an unclosed quote, a lone backslash at the end
        variable = "$VISUAL" if os.environ.get("VISUAL") else "$EDITOR"
        raise ScholarError(
            f"{variable} '{editor}' cannot be read as a command ({str(exc).lower()}); check its quotes"
        ) from None
    if not words or shutil.which(words[0]) is None:
        raise ScholarError(f"the editor '{editor}' was not found; check $VISUAL / $EDITOR")
    return words


@app.command("edit")
def edit_command(
    publication_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete_publication_id)],
    store: StoreOption = None,
) -> None:
    """Edit one work's YAML in $VISUAL or $EDITOR; it is saved only once it is valid.

    Example: EDITOR=nano scholar edit liu2022who
    """

    location = locate_store(store)
    refuse_read_only(location)
    editor = _editor_command()
    original = operations.record_for_edit(location, publication_id)
    handle, name = tempfile.mkstemp(prefix=f"scholar-{original.publication_id}-", suffix=".yaml")
    os.close(handle)
    edited_path = Path(name)
    saved = False
    try:
        edited_path.write_text(original.text, encoding="utf-8")
        updated = _edit_until_valid(editor, location, original, edited_path)
        saved = True
    finally:
        # The temp file goes unless it holds changes of the user's that were not saved (an editor that
        # failed after a save, an invalid edit, an interrupt): then it stays, and the message names it.
        if not saved and _holds_changes(edited_path, original.text):
            if not isinstance(sys.exc_info()[1], ScholarError):  # our errors name it already
                console.error(f"interrupted; your edit is kept in {edited_path}")
        else:
            edited_path.unlink(missing_ok=True)
    if updated is None:
        console.message("no changes")
    else:
        console.message(f"saved '{updated.id}'")


def _holds_changes(path: Path, original: str) -> bool:
    try:
        return path.read_bytes() != original.encode("utf-8")
    except OSError:
        return False


def _edit_until_valid(
    editor: list[str], location: StoreLocation, original: "operations.RecordForEdit", edited_path: Path
) -> "Publication | None":
    """Run the editor until the record is valid and saved (its new version), or unchanged (None)."""

    while True:
        completed = subprocess.run([*editor, str(edited_path)], check=False)
        changed = _holds_changes(edited_path, original.text)
        if completed.returncode != 0:
            kept = f"; your edit is kept in {edited_path}" if changed else ""
            raise ScholarError(
                f"the editor exited with status {completed.returncode}; nothing was changed{kept}"
            )
        if not changed:
            return None
        try:
            text = edited_path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems = [f"{edited_path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02X} at {exc.start})"]
        except OSError as exc:
            raise ScholarError(
                f"{edited_path}: cannot read: {exc.strerror or exc}; nothing was changed"
            ) from None
        else:
            problems = [
                str(p) for p in operations.check_record_text(location, original, text, str(edited_path))
            ]
        if not problems:
            return operations.replace_record(location, original, text, str(edited_path))
        for problem in problems:
            console.error(problem)
        if not stdin_is_terminal() or not typer.confirm("Edit again?", default=True, err=True):
            raise ScholarError(f"nothing was changed; your edit is kept in {edited_path}")
