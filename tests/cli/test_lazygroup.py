"""cli/lazygroup.py: commands built on first use, their summaries read from their docstrings."""

from __future__ import annotations

import inspect

import pytest
import typer

from scholarcli.cli import lazygroup


def test_a_docstring_is_read_from_the_source_as_typer_cleans_it() -> None:
    from scholarcli.cli import read

    assert lazygroup.docstring("scholarcli.cli.read:where_command") == inspect.getdoc(read.where_command)


def test_a_function_the_module_does_not_define_is_an_error() -> None:
    with pytest.raises(LookupError, match=r"scholarcli\.cli\.read defines no function nothing_command"):
        lazygroup.docstring("scholarcli.cli.read:nothing_command")


def _group(entries: dict[str, str]) -> type[lazygroup.LazyGroup]:
    app = typer.Typer(rich_markup_mode=None)

    class Group(lazygroup.LazyGroup):
        pass

    Group.entries = entries
    Group.typer_app = app
    app.info.cls = Group

    @app.command("hello")
    def hello_command() -> None:
        """Say hello to the world, politely and at length, with every word spelled out in full.

        Second paragraph.
        """

    @app.command("bye")
    def bye_command() -> None:
        """Say goodbye."""

    return Group


def test_a_command_is_built_only_when_asked_for_and_listed_from_its_docstring(monkeypatch) -> None:
    group_class = _group({"hello": f"{__name__}:_nothing", "bye": f"{__name__}:_nothing"})
    group = typer.main.get_command(group_class.typer_app)
    group.commands = lazygroup.LazyCommands(group, {})
    built: list[str] = []
    real_build = group_class.build_command
    monkeypatch.setattr(
        group_class, "build_command", lambda self, name: built.append(name) or real_build(self, name)
    )
    monkeypatch.setattr(lazygroup, "docstring", lambda entry: "Summary from the docstring.\n\nMore.")
    context = typer.Context(group, info_name="tool", terminal_width=80, max_content_width=80)
    formatter = context.make_formatter()
    group.format_commands(context, formatter)
    assert formatter.getvalue() == (
        "Commands:\n  hello  Summary from the docstring.\n  bye    Summary from the docstring.\n"
    )
    assert built == []
    assert list(group.commands) == ["hello", "bye"]
    assert group.commands["hello"].help.startswith("Say hello")
    assert built == ["hello"]


def test_without_the_source_the_command_is_built_for_its_summary(monkeypatch) -> None:
    group_class = _group({"hello": f"{__name__}:_nothing", "bye": f"{__name__}:_nothing"})
    group = typer.main.get_command(group_class.typer_app)
    group.commands = lazygroup.LazyCommands(group, {})
    monkeypatch.setattr(lazygroup, "_docstrings", lambda module: None)
    context = typer.Context(group, info_name="tool", terminal_width=60, max_content_width=60)
    formatter = context.make_formatter()
    group.format_commands(context, formatter)
    assert formatter.getvalue() == (
        "Commands:\n  hello  Say hello to the world, politely and at...\n  bye    Say goodbye.\n"
    )
    assert group.commands.is_built("hello")
