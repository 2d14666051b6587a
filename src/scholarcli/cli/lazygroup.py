"""A Typer command group whose commands are imported and built only when run or asked for.

Measured on this machine (30 interleaved runs, median): `scholar --help` takes 82 ms with this group
and 143 ms with every command module imported and every command built up front (the target is
150 ms; importing Typer alone is 69 ms). `scholar show ID` saves ~11 ms as well.

Each command is named once, by the function that defines it ("module:function"). Its module
registers it, the usual way (`@app.command("list")`), on a Typer app of its own, so it need not
import the root app that imports it (no import loop; tests/test_architecture.py). The overview
of `--help` needs only each command's first help paragraph: that is read from the function's
docstring in the module's source, without importing the module (which would import the store, the
query engine and the exporters), so the docstring stays the one place a summary is written.

No private (underscored) Typer or Click name: Typer's TyperGroup and TyperCommand (typer.core),
Click's documented extension points of a group (`commands`, `get_command`, `list_commands`,
`format_commands`), and `typer.main.get_command_from_info` / `get_group_from_info`, which build one
command from its registration. Those two are not in Typer's documentation, and their keywords have
changed between versions: the Typer range in pyproject.toml is the one tested (tests/cli/, and
tests/test_startup.py builds every command through them).
"""

import ast
import contextlib
import functools
import importlib
import importlib.util
import inspect
import io
import re
import tokenize
from collections.abc import Iterator, Mapping, MutableMapping
from gettext import gettext
from typing import Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

# A Click command. Typer vendors Click under a private name, so the type is not named here; what
# this module builds is always a TyperCommand or a TyperGroup.
Command = Any


def docstring(entry: str) -> str | None:
    """The docstring of the function named by `entry` ("module:function"), cleaned as Typer cleans
    a command's help, read from the module's source without importing the module. None when the
    source is not there (an installation without .py files): the caller then builds the command."""
    module, _, function = entry.partition(":")
    source = _source(module)
    if source is None:
        return None
    start = source.find(f"\ndef {function}(")
    if start < 0:
        raise LookupError(f"{module} defines no function {function}")
    # The usual shape, `) -> None:` then an indented triple-quoted string, is found by a pattern (a
    # few microseconds); anything else is tokenized (~0.7 ms a command). Parsing the whole modules
    # (ast) cost ~22 ms of a ~100 ms `--help`. tests/test_startup.py compares the overview made from
    # these with the one Typer makes from the built commands.
    signature_end = _SIGNATURE_END.search(source, start)
    if signature_end is not None and not _DEFINITION.search(source, start + 5, signature_end.start()):
        # The function's own `) -> X:` line (no other def or class begins before it); its docstring,
        # if any, is the very next line.
        docstring_start = _DOCSTRING_START.match(source, signature_end.end())
        if docstring_start is not None:
            quote = docstring_start.group("quote")
            end = source.find(quote, docstring_start.end())
            literal = source[docstring_start.end() : end]
            if end >= 0 and "\\" not in literal:  # no escape: the text is the string's value
                return inspect.cleandoc(literal)
    # Any other shape (a comment first, a prefix, an escape, no return annotation): read exactly.
    return _tokenized_docstring(source[start + 1 :])


_SIGNATURE_END = re.compile(r"\) -> [^\n]*:\n")
_DEFINITION = re.compile(r"^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]", re.MULTILINE)
_DOCSTRING_START = re.compile(r"[ \t]+(?P<quote>\"\"\"|\'\'\')")


def _tokenized_docstring(function_source: str) -> str | None:
    after_signature = False
    for token in tokenize.generate_tokens(io.StringIO(function_source).readline):
        if token.type == tokenize.NEWLINE and not after_signature:
            after_signature = True
        elif after_signature and token.type not in (tokenize.INDENT, tokenize.NL, tokenize.COMMENT):
            value = None
            if token.type == tokenize.STRING:
                with contextlib.suppress(ValueError, SyntaxError):  # an f-string is no docstring
                    value = ast.literal_eval(token.string)
            # Cleaned as Typer cleans a command's help (inspect.getdoc uses cleandoc).
            return inspect.cleandoc(value) if isinstance(value, str) else None  # else: no docstring
    return None


@functools.cache  # several commands share a module: its source is read once
def _source(module: str) -> str | None:
    spec = importlib.util.find_spec(module)
    get_source = getattr(spec.loader if spec is not None else None, "get_source", None)
    return get_source(module) if get_source is not None else None


class LazyCommands(MutableMapping[str, Command]):
    """A group's commands by name: every name known up front, each command built on first use."""

    def __init__(self, group: "LazyGroup", built: Mapping[str, Command]) -> None:
        self._group = group
        self._built = dict(built)

    def __getitem__(self, name: str) -> Command:
        if name not in self._built and name in self._group.entries:
            self._built[name] = self._group.build_command(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("a lazy group's commands cannot be removed")

    def __iter__(self) -> Iterator[str]:
        yield from self._group.entries
        yield from (name for name in self._built if name not in self._group.entries)

    def __len__(self) -> int:
        return len(self._group.entries) + sum(1 for name in self._built if name not in self._group.entries)

    def is_built(self, name: str) -> bool:
        return name in self._built


class LazyGroup(TyperGroup):
    """A TyperGroup of the commands in `entries` (name -> "module:function", in `--help` order).

    A subclass sets `entries` and `typer_app`, the Typer app on which the modules register.
    """

    entries: Mapping[str, str] = {}
    typer_app: typer.Typer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(self, self.commands)

    def build_command(self, name: str) -> Command:
        """Import the module of a command and build the command from its registration: on the
        module's own Typer app (its `app`) when it has one, else on the group's."""
        app = self.typer_app
        module = importlib.import_module(self.entries[name].partition(":")[0])
        registry = getattr(module, "app", None)
        if not isinstance(registry, typer.Typer):
            registry = app
        for info in registry.registered_commands:
            if info.name == name:
                return typer.main.get_command_from_info(
                    info,
                    pretty_exceptions_short=app.pretty_exceptions_short,
                    rich_markup_mode=app.rich_markup_mode,
                )
        for group_info in registry.registered_groups:
            if group_info.name == name:  # a command with subcommands (`themes`)
                return typer.main.get_group_from_info(
                    group_info,
                    pretty_exceptions_short=app.pretty_exceptions_short,
                    rich_markup_mode=app.rich_markup_mode,
                    suggest_commands=app.suggest_commands,
                )
        raise LookupError(f"{module.__name__} registers no command '{name}'")

    def list_commands(self, ctx: Any) -> list[str]:
        # TyperGroup's own reads `commands.items()`, which would build every command.
        return list(self.commands)

    def command_short_help(self, name: str, limit: int) -> str:
        """The one-line help of a command as Click shortens it, built from its docstring alone
        when the command is not built yet."""
        assert isinstance(self.commands, LazyCommands)
        unbuilt = name in self.entries and not self.commands.is_built(name)
        help_text = docstring(self.entries[name]) if unbuilt else None
        if help_text is None:
            return self.commands[name].get_short_help_str(limit)
        # A command that is only its help: Click's own shortening of it, through the public method.
        return TyperCommand(name, help=help_text, rich_markup_mode=None).get_short_help_str(limit)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The Commands section of `--help`, as TyperGroup writes it, with no command built.

        Like TyperGroup's, but a command not built yet is never hidden (none of ours is; the
        test of this module compares the two overviews)."""
        names = [
            name for name in self.list_commands(ctx) if name in self.entries or not self.commands[name].hidden
        ]
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)  # Click's own spacing rule
        rows = [(name, self.command_short_help(name, limit)) for name in names]
        with formatter.section(gettext("Commands")):  # Click translates the heading
            formatter.write_dl(rows)
