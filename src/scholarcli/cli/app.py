"""The `scholar` application: the command tree, the one place user errors become exit code 1."""

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from scholarcli import __version__
from scholarcli.cli import console
from scholarcli.errors import ScholarError


class ScholarGroup(TyperGroup):
    """Runs a command and turns a ScholarError into `error: ...` on stderr and exit code 1.

    Only our own error class is caught: any other exception is a bug and keeps its traceback.
    """

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


def _register() -> None:
    # Each module adds its commands to `app`; imported here so the tree is complete before parsing.
    from scholarcli.cli import export, read, write  # noqa: F401


_register()


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
