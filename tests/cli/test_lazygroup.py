"""cli/lazygroup.py: commands built on first use, their summaries read from their docstrings."""

from __future__ import annotations

import inspect

import pytest
import typer

from scholarcli.cli import lazygroup


def test_a_docstring_is_read_from_the_source_as_typer_cleans_it() -> None:
    from scholarcli.cli import read

    assert lazygroup.docstring("scholarcli.cli.read:where_command") == inspect.getdoc(read.where_command)


def test_every_command_docstring_read_from_source_is_typers_by_pattern_and_by_tokens() -> None:
    import importlib

    from scholarcli.cli.app import COMMANDS

    for entry in COMMANDS.values():
        module, _, function = entry.partition(":")
        source = lazygroup._source(module)
        assert source is not None
        own = source[source.find(f"\ndef {function}(") + 1 :]
        expected = inspect.getdoc(getattr(importlib.import_module(module), function))
        assert lazygroup.docstring(entry) == lazygroup._tokenized_docstring(own) == expected, entry


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('def f(x: int):\n    # a comment\n    """One.\n\n    Two."""\n', "One.\n\nTwo."),
        ("def f(\n    x=(1, 2),\n) -> dict[str, int]:\n    r'''Raw \\n.'''\n", "Raw \\n."),
        ("def f() -> None:\n    return None\n", None),
        ('def f() -> None:\n    x = 1\n\ndef g() -> None:\n    """Not f\'s."""\n', None),
        # A nested function's or a later method's docstring is not f's (f has none).
        ('def f():\n    def inner() -> None:\n        """Inner."""\n', None),
        ('def f() -> None:\n    def inner() -> None:\n        """Inner."""\n', None),
        ('def f():\n    pass\n\nclass C:\n    def m(self) -> None:\n        """M."""\n', None),
        # An escape in the docstring: its value, not its source text.
        ('def f() -> None:\n    """Say \\"""hi\\""" \\u00e9."""\n', 'Say """hi""" \u00e9.'),
        ('def f() -> None:\n    f"""Not a docstring."""\n', None),
    ],
)
def test_a_docstring_in_another_shape_is_read_or_known_absent(
    monkeypatch: pytest.MonkeyPatch, source: str, expected: str | None
) -> None:
    monkeypatch.setattr(lazygroup, "_source", lambda module: "x = 0\n" + source)
    assert lazygroup.docstring("any.module:f") == expected


def test_the_usual_shape_is_read_without_tokenizing(monkeypatch: pytest.MonkeyPatch) -> None:
    source = 'x = 0\n@app.command("f")\ndef f(\n    a: int = 1,\n) -> None:\n    """One.\n\n    Two."""\n'
    monkeypatch.setattr(lazygroup, "_source", lambda module: source)
    monkeypatch.setattr(lazygroup, "_tokenized_docstring", lambda text: pytest.fail("tokenized"))
    assert lazygroup.docstring("any.module:f") == "One.\n\nTwo."


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
    monkeypatch.setattr(lazygroup, "_source", lambda module: None)
    context = typer.Context(group, info_name="tool", terminal_width=60, max_content_width=60)
    formatter = context.make_formatter()
    group.format_commands(context, formatter)
    assert formatter.getvalue() == (
        "Commands:\n  hello  Say hello to the world, politely and at...\n  bye    Say goodbye.\n"
    )
    assert group.commands.is_built("hello")
