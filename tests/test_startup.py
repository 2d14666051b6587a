"""Start-up imports only what a command needs: checked with `python -X importtime` on real processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _imported(arguments: list[str]) -> set[str]:
    """The modules a `scholar` process imported (from -X importtime, which reports on stderr)."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "scholarcli", *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = {line.rsplit("|", 1)[-1].strip() for line in completed.stderr.splitlines() if "|" in line}
    assert "scholarcli.cli.app" in modules  # the report was read; an empty set would pass vacuously
    return modules


@pytest.mark.parametrize("arguments", [["--version"], ["--help"]])
def test_version_and_help_import_no_parser_renderer_or_validator(arguments: list[str]) -> None:
    modules = _imported(arguments)
    for heavy in (
        "yaml",
        "rich",
        "pydantic",
        "bibtexparser",
        "pylatexenc",
        "scholarcli.store.validate",
        "jinja2",
    ):
        assert heavy not in modules, heavy


@pytest.mark.parametrize(
    "arguments",
    [
        ["list"],
        ["list", "--format", "keys"],
        ["list", "--author", "Liu"],
        ["show", "liu2022who"],
        ["export", "--format", "csl-json"],
    ],
)
def test_a_cached_read_to_a_pipe_imports_no_parser_or_renderer(
    default_store: Path, arguments: list[str]
) -> None:
    _imported(["list", "--store", str(default_store), "--format", "keys"])  # builds the cache
    modules = _imported([*arguments, "--store", str(default_store)])
    for heavy in (
        "yaml",
        "rich",
        "scholarcli.store.validate",
        "scholarcli.store.yamlio",
        "scholarcli.write.operations",
        "bibtexparser",
        "jinja2",
        "scholarcli.export.template",
    ):
        assert heavy not in modules, heavy


def test_jinja2_is_imported_only_for_a_template(default_store: Path, tmp_path: Path) -> None:
    template = tmp_path / "ids.txt.j2"
    template.write_text("{% for w in works %}{{ w.id }}\n{% endfor %}", encoding="utf-8")
    store = ["--store", str(default_store)]
    for fmt in ("markdown", "html", "latex"):
        modules = _imported(["export", "--format", fmt, *store])
        assert "jinja2" not in modules, fmt
        assert "markupsafe" not in modules, fmt
    modules = _imported(["export", "--template", str(template), *store])
    assert "jinja2" in modules  # the positive control: the check above can see the import
    assert "scholarcli.export.template" in modules


def test_an_add_imports_no_json_or_rich(make_store) -> None:
    # `add` from options needs neither JSON nor Rich. (It does load the parse cache, and platformdirs
    # with it: after the write it carries the cache over to the new file, see cachewrite.py; and
    # xxhash: the lock file notes the XXH3 of the content last checked to parse, see storewrite.)
    store = make_store("- id: a2020\n  type: book\n  title: A\n  year: 2020\n")
    modules = _imported(
        [
            "add",
            "--store",
            str(store),
            "--type",
            "book",
            "--title",
            "B",
            "--year",
            "2021",
            "--author",
            "Liu, C",
        ]
    )
    assert "scholarcli.write.operations" in modules
    for heavy in ("json", "rich", "bibtexparser"):
        assert heavy not in modules, heavy


@pytest.mark.parametrize(
    ("arguments", "loaded", "not_loaded"),
    [
        (["--version"], (), ("scholarcli.cli.read", "scholarcli.cli.write", "scholarcli.cli.export")),
        (
            ["list", "--limit", "1"],
            ("scholarcli.cli.read",),
            ("scholarcli.cli.write", "scholarcli.cli.export"),
        ),
        (["where"], ("scholarcli.cli.read",), ("scholarcli.cli.write", "scholarcli.cli.export")),
        (
            ["export", "--limit", "1"],
            ("scholarcli.cli.export",),
            ("scholarcli.cli.write", "scholarcli.cli.read"),
        ),
        (["--help"], (), ("scholarcli.cli.read", "scholarcli.cli.write", "scholarcli.cli.export")),
        ([], (), ("scholarcli.cli.read", "scholarcli.cli.write", "scholarcli.cli.export")),
        (["list", "--help"], ("scholarcli.cli.read",), ("scholarcli.cli.write", "scholarcli.cli.export")),
    ],
)
def test_only_the_module_of_the_command_run_is_imported(
    arguments: list[str], loaded: tuple[str, ...], not_loaded: tuple[str, ...]
) -> None:
    # sys.modules after the run, not -X importtime: a module imported by importlib.import_module from
    # within Click's dispatch is not always reported by importtime.
    script = (
        "import sys\nfrom scholarcli.cli.app import main\nsys.argv = ['scholar', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('\\n'.join(sorted(sys.modules)))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script, *arguments], capture_output=True, text=True, check=True
    )
    modules = set(completed.stderr.splitlines())
    assert "scholarcli.cli.app" in modules
    for name in loaded:
        assert name in modules, name
    for name in not_loaded:
        assert name not in modules, name


def test_the_command_table_names_every_registered_command() -> None:
    import importlib

    from scholarcli.cli.app import COMMANDS

    apps = {importlib.import_module(entry.partition(":")[0]).app for entry in COMMANDS.values()}
    commands = [info for app in apps for info in app.registered_commands]
    groups_info = [info for app in apps for info in app.registered_groups]
    registered = [info.name for info in commands] + [info.name for info in groups_info]
    assert sorted(registered) == sorted(COMMANDS)
    for name, entry in COMMANDS.items():
        callbacks = [info.callback for info in commands if info.name == name]
        groups = [info.typer_instance for info in groups_info if info.name == name]
        callback = callbacks[0] if callbacks else groups[0].registered_callback.callback
        # with_selection's wrapper keeps the name and module of the function it wraps.
        assert f"{callback.__module__}:{callback.__name__}" == entry, name


@pytest.mark.parametrize("width", [40, 60, 80, 120, 200])
def test_the_overview_written_from_docstrings_equals_typers_own(width: int) -> None:
    """`scholar --help` written from the docstrings is byte for byte what Typer writes from the
    built commands (the help text of each is the first paragraph of its docstring, shortened)."""
    import typer.main
    from typer.core import TyperGroup

    from scholarcli.cli.app import COMMANDS, app
    from scholarcli.cli.lazygroup import LazyCommands

    def overview(built_first: bool) -> str:
        group = typer.main.get_command(app)
        # In this process the command modules may be imported already; start from no built command.
        commands = group.commands = LazyCommands(group, {})
        if built_first:
            for name in COMMANDS:
                commands[name]
        context = typer.Context(group, info_name="scholar", terminal_width=width, max_content_width=width)
        formatter = context.make_formatter()
        if built_first:
            TyperGroup.format_commands(group, context, formatter)  # Typer's own, from built commands
        else:
            group.format_commands(context, formatter)
            assert not any(commands.is_built(name) for name in COMMANDS)  # from the docstrings alone
        return formatter.getvalue()

    ours = overview(built_first=False)
    assert "Commands:" in ours
    assert all(f"  {name} " in ours for name in COMMANDS)
    assert ours == overview(built_first=True)


def test_no_module_imports_typers_private_modules() -> None:
    """Typer's vendored Click (typer._click) is private: it moved once and may again."""
    import ast

    import scholarcli

    root = Path(scholarcli.__file__).parent
    private = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if isinstance(node, ast.ImportFrom) and node.module == "typer":
                names += [f"typer.{alias.name}" for alias in node.names]
            private += [f"{path.relative_to(root)}: {name}" for name in names if name.startswith("typer._")]
    assert private == []
