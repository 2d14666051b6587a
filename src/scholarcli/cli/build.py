"""`scholar build`: write every output named in the store's scholar.toml, rewriting only what changed."""

from typing import Annotated

import typer

from scholarcli.build import build, config_path, read_config
from scholarcli.cli import console
from scholarcli.cli.options import StoreOption
from scholarcli.store import open_store

# This module's commands. The root app (cli/app.py) imports the module and builds one of them only
# when it is run; the module does not import the root app, so there is no import loop.
app = typer.Typer()


@app.command("build")
def build_command(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be written, and write nothing.")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Write every output named in the store's scholar.toml (CV, web pages, bibliographies) that changed.

    Example: scholar import new.bib && scholar build
    """

    loaded = open_store(store)
    outputs = read_config(config_path(loaded))
    for result in build(loaded, outputs, dry_run=dry_run):
        for warning in result.warnings:
            console.warning(warning)
        console.message(result.line(dry_run=dry_run))
