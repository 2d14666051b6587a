"""The `scholar` command line: thin Typer commands over the core modules."""
