"""The package's layout is its data flow (ARCHITECTURE.md): imports point down the layers, never up,
and no two modules import each other, directly or round a loop, even inside a function. Only cli/
imports the terminal libraries (Typer, Click, Rich): everything below it is usable as a library.

The graph is read from the source (ast), so an import inside a function counts as much as one at
the top; one under `if TYPE_CHECKING:` does not (it never runs). A string that names one of our
modules (`"scholarcli.export.bibtex"` in the format registry, `"scholarcli.cli.read:list_command"` in
the command table, an `importlib.import_module` argument) counts as an import of it: that is how the
registries load their modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "scholarcli"

# Low to high. A module may import its own layer and the layers before it. Within a layer the cycle
# test keeps the imports in order.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # "scholarcli" is the package's __init__ alone (see layer_of): a new top-level module must be
    # given a layer here.
    ("core", ("scholarcli", "scholarcli.errors", "scholarcli.text", "scholarcli.model", "scholarcli.ids",
              "scholarcli.bibfields")),
    ("query", ("scholarcli.query",)),
    ("store", ("scholarcli.store",)),
    ("cite", ("scholarcli.cite",)),
    ("write", ("scholarcli.write",)),
    ("importers", ("scholarcli.importers",)),
    ("export", ("scholarcli.export",)),
    ("build", ("scholarcli.build",)),
    ("cli", ("scholarcli.cli", "scholarcli.__main__")),
)  # fmt: skip
TERMINAL_LIBRARIES = ("typer", "click", "rich")


def module_names(package: Path) -> dict[str, Path]:
    names = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(name: str, path: Path, modules: set[str]) -> tuple[set[str], set[str]]:
    """(our modules it imports, the top-level names of other packages it imports)."""
    is_package = path.name == "__init__.py"
    ours: set[str] = set()
    others: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = alias.name
                (ours if target.split(".")[0] == "scholarcli" else others).add(
                    target if target.split(".")[0] == "scholarcli" else target.split(".")[0]
                )
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            named = node.value.partition(":")[0]  # "module" or "module:function"
            if named in modules:
                ours.add(named)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if source.split(".")[0] != "scholarcli":
                others.add(source.split(".")[0])
                return
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                ours.add(submodule if submodule in modules else source)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    ours.discard(name)
    return ours, others


def import_graph(package: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    modules = module_names(package)
    graph: dict[str, set[str]] = {}
    external: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name], external[name] = imports_of(name, path, set(modules))
    return graph, external


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def layer_of(module: str) -> int:
    """The rank of the layer a module belongs to (the longest matching prefix decides)."""
    best, rank = -1, -1
    for position, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            inside = prefix != "scholarcli" and module.startswith(prefix + ".")
            if (module == prefix or inside) and len(prefix) > best:
                best, rank = len(prefix), position
    return rank


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{source} ({LAYERS[layer_of(source)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for source, targets in graph.items()
        for target in targets
        if layer_of(target) > layer_of(source)
    )


GRAPH, EXTERNAL = import_graph(PACKAGE)


def test_the_graph_is_read() -> None:
    """Not vacuous: the graph holds the edges the layout is known to have."""
    assert len(GRAPH) >= 60
    assert "scholarcli.query.selecting" in GRAPH["scholarcli.export"]
    assert "scholarcli.store.cache.parse" in GRAPH["scholarcli.store.load"]  # inside a function
    assert "scholarcli.query.selecting" in GRAPH["scholarcli.query"]
    assert "typer" in EXTERNAL["scholarcli.cli.app"]
    assert "scholarcli.export.bibtex" in GRAPH["scholarcli.export"]  # the registry's string
    assert "scholarcli.cli.read" in GRAPH["scholarcli.cli.app"]  # the command table's "module:function"


def test_every_module_is_in_a_layer() -> None:
    assert [module for module in sorted(GRAPH) if layer_of(module) < 0] == []


def test_a_new_top_level_module_has_no_layer_until_it_is_given_one() -> None:
    assert layer_of("scholarcli.brand_new") == -1
    assert layer_of("scholarcli") == 0
    assert layer_of("scholarcli.store.cache.parse") == layer_of("scholarcli.store")


def test_no_import_cycle() -> None:
    assert cycles(GRAPH) == []


def test_imports_point_down_the_layers() -> None:
    assert upward_imports(GRAPH) == []


def test_only_the_cli_imports_typer_click_or_rich() -> None:
    offenders = sorted(
        f"{module} imports {library}"
        for module, libraries in EXTERNAL.items()
        for library in libraries & set(TERMINAL_LIBRARIES)
        if layer_of(module) != len(LAYERS) - 1
    )
    assert offenders == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ],
)
def test_the_cycle_finder_finds_planted_cycles(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert cycles(graph) == expected


def test_an_upward_import_is_reported() -> None:
    planted = {"scholarcli.model": {"scholarcli.cli.app"}, "scholarcli.cli.app": {"scholarcli.model"}}
    assert upward_imports(planted) == ["scholarcli.model (core) imports scholarcli.cli.app (cli)"]


def test_a_function_level_import_counts_and_a_type_checking_one_does_not(tmp_path: Path) -> None:
    package = tmp_path / "scholarcli"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "model.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from scholarcli import cli\n"
        "def f():\n    import rich\n    from scholarcli.cli import app\n"
        "REGISTRY = {'x': 'scholarcli.cli.app:main', 'y': 'not.ours', 'z': 'scholarcli.nothing'}\n"
    )
    (package / "cli").mkdir()
    (package / "cli" / "__init__.py").write_text("")
    (package / "cli" / "app.py").write_text("from . import __name__ as _n\n")
    graph, external = import_graph(package)
    assert graph["scholarcli.model"] == {"scholarcli.cli.app"}
    assert external["scholarcli.model"] == {"typing", "rich"}
    assert graph["scholarcli.cli.app"] == {"scholarcli.cli"}
