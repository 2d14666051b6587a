"""The `scholar` application: the command tree, the one place user errors become exit code 1."""

import importlib
import os
import sys
from collections.abc import Iterator, MutableMapping
from typing import Annotated, Any

import typer
import typer.main
from typer import _click as click  # Typer >= 0.26 vendors Click; the `click` package may be absent
from typer.core import TyperGroup

from scholarcli import __version__
from scholarcli.cli import console
from scholarcli.errors import ScholarError

# The module that defines each command, in the order `--help` lists them. A command's module is
# imported, and its Click command built, only when the command is run or listed: `scholar show` does
# not import the write commands' machinery nor build the dozen commands it does not run (~25 ms).
COMMAND_MODULES: dict[str, str] = {
    "export": "scholarcli.cli.export",
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

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            result = super().invoke(ctx)
            # Flush here, not at interpreter exit, so a reader that went away is noticed below.
            sys.stdout.flush()
            return result
        except BrokenPipeError:
            _closed_pipe_exit()
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
    from scholarcli import cache

    # Set for this invocation either way, so one run's --no-cache never outlives it in the process.
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
    """Console-script entry point (also `python -m scholarcli`)."""
    try:
        app()
    except BrokenPipeError:  # raised outside a command (help or version text)
        _closed_pipe_exit()
