"""The `scholar` application: the command tree, the one place user errors become exit code 1."""

import os
import sys
from typing import Annotated, Any

import typer

from scholarcli import __version__
from scholarcli.cli import console
from scholarcli.cli.lazygroup import LazyGroup
from scholarcli.errors import OutputError, ScholarError

# Each command, in the order `--help` lists them, by the function that defines it: its module is
# imported, and its command built, only when the command is run or asked for (see lazygroup.py).
COMMANDS: dict[str, str] = {
    "export": "scholarcli.cli.export:export_command",
    "build": "scholarcli.cli.build:build_command",
    "list": "scholarcli.cli.read:list_command",
    "show": "scholarcli.cli.read:show_command",
    "themes": "scholarcli.cli.read:themes_command",
    "stats": "scholarcli.cli.read:stats_command",
    "where": "scholarcli.cli.read:where_command",
    "check": "scholarcli.cli.read:check_command",
    "init": "scholarcli.cli.write:init_command",
    "add": "scholarcli.cli.write:add_command",
    "import": "scholarcli.cli.write:import_command",
    "set": "scholarcli.cli.write:set_command",
    "remove": "scholarcli.cli.write:remove_command",
    "edit": "scholarcli.cli.write:edit_command",
}


class ScholarGroup(LazyGroup):
    """Runs a command and turns a ScholarError into `error: ...` on stderr and exit code 1.

    Only our own error class is caught: any other exception is a bug and keeps its traceback.
    Commands are built on first use (see COMMANDS).
    """

    entries = COMMANDS

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
ScholarGroup.typer_app = app  # its settings (markup, exceptions) apply to every command built


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
