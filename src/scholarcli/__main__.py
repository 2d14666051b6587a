"""`python -m scholarcli` runs the same program as the `scholar` command."""

from scholarcli.cli.entry import main

main()
