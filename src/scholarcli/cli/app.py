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
            return super().invoke(ctx)
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


def main() -> None:
    """Console-script entry point: run the app; a closed pipe (`scholar list | head -1`) ends quietly."""
    try:
        app()
    except BrokenPipeError:
        # The reader went away. Point stdout at /dev/null so the interpreter's final flush cannot
        # raise again, and exit as a process killed by SIGPIPE would (128 + 13).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
