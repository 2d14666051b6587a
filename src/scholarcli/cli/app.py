"""The `scholar` application: the command tree, the one place user errors become exit code 1."""

import importlib
import os
import sys
from collections.abc import Iterator, MutableMapping
from gettext import gettext
from typing import Annotated, Any

import typer
import typer.main
from typer import _click as click  # Typer >= 0.26 vendors Click; the `click` package may be absent
from typer._click.utils import make_default_short_help  # Click's own shortening (vendored, as above)
from typer.core import TyperGroup

from scholarcli import __version__
from scholarcli.cli import console
from scholarcli.errors import OutputError, ScholarError

# The module that defines each command, in the order `--help` lists them. A command's module is
# imported, and its Click command built, only when the command is run or listed: `scholar show` does
# not import the write commands' machinery nor build the dozen commands it does not run (~25 ms).
COMMAND_MODULES: dict[str, str] = {
    "export": "scholarcli.cli.export",
    "build": "scholarcli.cli.build",
    "list": "scholarcli.cli.read",
    "show": "scholarcli.cli.read",
    "themes": "scholarcli.cli.read",
    "stats": "scholarcli.cli.read",
    "where": "scholarcli.cli.read",
    "check": "scholarcli.cli.read",
    "init": "scholarcli.cli.write",
    "add": "scholarcli.cli.write",
    "import": "scholarcli.cli.write",
    "set": "scholarcli.cli.write",
    "remove": "scholarcli.cli.write",
    "edit": "scholarcli.cli.write",
}

# The first paragraph of each command's help, which `scholar --help` shortens to one line. Kept here
# so the overview lists every command without importing and building all of them (~55 ms, a third
# of `--help`); tests/test_startup.py checks each against the command's own docstring.
COMMAND_SUMMARIES: dict[str, str] = {
    "export": "Export the selected works as BibTeX, BibLaTeX, CSL-JSON, Markdown, HTML, LaTeX, RIS, JSON Resume, YAML or JSON.",
    "build": "Write every output named in the store's scholar.toml (CV, web pages, bibliographies) that changed.",
    "list": "List works, newest first, filtered by theme, type, year, author and more.",
    "show": "Show every field of works, their themes and their ASA citation.",
    "themes": "List the research themes with their questions and number of works.",
    "stats": "Count works by year, type, status and theme, and list co-authors.",
    "where": "Print the folder of the store in use (stdout) and why it was chosen (stderr).",
    "check": "Validate the store: report every error and warning with its file, line and column.",
    "init": "Create a store, empty or a copy of the embedded default store; never over an existing one.",
    "add": "Add a work from options, or from BibTeX or CSL-JSON; print its new id.",
    "import": "Import many works from BibTeX, BibLaTeX or CSL-JSON, with a summary of what happened.",
    "set": "Change fields of one work, for scripts: field=value pairs or options.",
    "remove": "Remove works by id; asks first on a terminal, needs --yes in a pipeline.",
    "edit": "Edit one work's YAML in $VISUAL or $EDITOR; it is saved only once it is valid.",
}


class _LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands by name: every name is known up front, each command built on first use."""

    def __init__(self, built: MutableMapping[str, click.Command]) -> None:
        self._built = dict(built)

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._built and name in COMMAND_MODULES:
            self._built[name] = _build_command(name)
        return self._built[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("scholar's commands cannot be removed")

    def __iter__(self) -> Iterator[str]:
        yield from COMMAND_MODULES
        yield from (name for name in self._built if name not in COMMAND_MODULES)

    def __len__(self) -> int:
        return len(COMMAND_MODULES) + sum(1 for name in self._built if name not in COMMAND_MODULES)

    def short_help(self, name: str, limit: int) -> str:
        """The one-line help of a command, as Click shortens it, without building the command."""
        if name in self._built or name not in COMMAND_SUMMARIES:
            return self[name].get_short_help_str(limit)
        return make_default_short_help(COMMAND_SUMMARIES[name], limit).strip()


def _build_command(name: str) -> click.Command:
    """Import the module of a command (it registers itself on `app`) and build its Click command."""
    importlib.import_module(COMMAND_MODULES[name])
    command_info = next((info for info in app.registered_commands if info.name == name), None)
    if command_info is not None:
        return typer.main.get_command_from_info(
            command_info,
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode,
        )
    group_info = next((info for info in app.registered_groups if info.name == name), None)
    if group_info is not None:  # a command with subcommands (`themes`)
        return typer.main.get_group_from_info(
            group_info,
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode,
            suggest_commands=app.suggest_commands,
        )
    raise LookupError(f"{COMMAND_MODULES[name]} defines no command '{name}'")


class ScholarGroup(TyperGroup):
    """Runs a command and turns a ScholarError into `error: ...` on stderr and exit code 1.

    Only our own error class is caught: any other exception is a bug and keeps its traceback.
    Commands are built on first use (see COMMAND_MODULES).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _LazyCommands(self.commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        # TyperGroup's own reads `commands.items()`, which would build every command.
        return list(self.commands)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The Commands section of `--help`, as Click writes it, from the summaries (none is built)."""
        names = [
            name
            for name in self.list_commands(ctx)
            if name in COMMAND_SUMMARIES or not self.commands[name].hidden
        ]
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)  # Click's own spacing rule
        assert isinstance(self.commands, _LazyCommands)
        rows = [(name, self.commands.short_help(name, limit)) for name in names]
        with formatter.section(gettext("Commands")):  # Click translates the heading
            formatter.write_dl(rows)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]  # Typer passes its Context
        try:
            result = super().invoke(ctx)
            # Flush here, not at interpreter exit, so a reader that went away is noticed below.
            sys.stdout.flush()
            return result
        except BrokenPipeError:
            _closed_pipe_exit()
        except OutputError as exc:
            console.error(console.output_error_message(exc))
            raise typer.Exit(1) from None
        except ScholarError as exc:
            lines = exc.messages()
            for line in lines:
                console.error(line)
            if len(lines) > 1:
                console.message(str(exc))
            raise typer.Exit(1) from None


app = typer.Typer(
    name="scholar",
    cls=ScholarGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        console.out(f"scholar {__version__}\n")
        raise typer.Exit


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Parse the store's YAML instead of reading the parse cache (also: SCHOLAR_NO_CACHE=1).",
        ),
    ] = False,
) -> None:
    """Keep a scholar's publications and research themes as YAML; list, filter and export them.

    Example: scholar list --theme west-imaginary
    """
    # Set for this invocation either way, so one run's --no-cache never outlives it in the process; but
    # a write, which never reads the cache, does not import it just to say so (~8 ms): a module not
    # imported yet holds the default.
    if no_cache or "scholarcli.store.cache.parse" in sys.modules:
        from scholarcli.store.cache import parse as cache

        cache.set_bypass(no_cache)


def _closed_pipe_exit() -> None:
    """The reader of stdout went away (`scholar list | head -1`): end quietly, as `cat` would.

    stdout is pointed at /dev/null so the interpreter's last flush cannot fail again, and the exit
    status is the one of a process ended by SIGPIPE (128 + 13), which `set -o pipefail` scripts expect.
    Caught before Click's own handler, which would exit 1 as if the user had erred.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(141)


def main() -> None:
    """Run the command line. The `scholar` command enters through entry.main, which handles Ctrl-C
    before this module (and Typer with it) is imported."""
    console.guard_standard_streams()
    console.configure_streams()
    try:
        try:
            app()
        finally:
            # Flushed here, not at interpreter exit, so output that cannot be written is one message
            # and exit 1 (at exit it would be Python's "Exception ignored" and status 120).
            sys.stdout.flush()
    except BrokenPipeError:  # raised outside a command (help or version text), or by the last flush
        _closed_pipe_exit()
    except OutputError as exc:  # raised outside a command (help or version text), or by the last flush
        console.error(console.output_error_message(exc))
        raise SystemExit(1) from None
