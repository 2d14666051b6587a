"""Strict YAML reading: every plain scalar stays a string, with the line and column of each value.

YAML 1.1's implicit typing turns `No` into False, `0123` into 83, `3:16` into 196 and `1.10` into 1.1;
for a CV that silently corrupts data. We compose nodes with no implicit resolvers (so everything
untagged is a string), refuse explicit tags, anchors and aliases, and report duplicate keys, and let
the model decide what a field's text means.
"""

from __future__ import annotations

from typing import Any

import yaml

from scholarcli.errors import Problem

try:  # libyaml is ~10x faster; fall back to the pure-Python parser where it is missing.
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _StringLoader(_BaseLoader):
    """A loader whose resolver knows no implicit types: an untagged scalar is always `str`."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - class-level resolver table


# How deep lists and mappings may nest. A store needs four levels at most (the list of records, a
# record, a list of names, a name mapping); the limit leaves room and stops a hostile or broken file
# long before any parser's recursion could fail (PyYAML's pure-Python composer recurses per level,
# libyaml stops at 1000 with a message of its own). Documented in docs/store-format.md under "Strict reading".
MAX_DEPTH = 32
_DEPTH_MESSAGE = (
    f"lists and mappings nested more than {MAX_DEPTH} levels deep; a store needs four at most "
    "(the list of records, a record, a list of names, a name)"
)

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class YamlMap(dict):
    """A mapping that remembers where it, each key and each value stand (1-based line, column)."""

    __slots__ = ("column", "key_marks", "line", "value_marks")

    line: int
    column: int
    key_marks: dict[str, tuple[int, int]]
    value_marks: dict[str, tuple[int, int]]


class YamlList(list):
    """A sequence that remembers where it and each item stand (1-based line, column)."""

    __slots__ = ("column", "item_marks", "line")

    line: int
    column: int
    item_marks: list[tuple[int, int]]


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _TooDeepError(Exception):
    """A list or mapping nested past MAX_DEPTH: the whole file is refused, as for a syntax error."""

    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__(mark)
        self.mark = mark


class _Converter:
    """Turns composed nodes into YamlMap / YamlList / str, collecting every problem on the way."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._said: set[Problem] = set()
        self.seen: set[int] = set()
        self.depth = 0  # lists and mappings open around the node being converted

    def problem(self, node: yaml.Node, message: str) -> None:
        line, column = _mark(node)
        problem = Problem(self.path, line, column, message)
        if problem not in self._said:  # an anchor reused N times is one problem, said once
            self._said.add(problem)
            self.problems.append(problem)

    def convert(self, node: yaml.Node) -> Any:
        # An alias makes the composer hand back the very node object it anchored, so identity
        # tells us an alias was used. We refuse them: a CV record should say what it means in place.
        if id(node) in self.seen:
            self.problem(
                node,
                "YAML anchors and aliases are not supported (the value anchored here is reused by an "
                "alias); write the value out in full where it is used",
            )
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag != _STR:
                self.problem(
                    node, f"YAML tag '{_short(node.tag)}' is not allowed; remove it (values are text)"
                )
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.problem(node, f"YAML tag '{_short(node.tag)}' is not allowed; remove it")
                return None
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _TooDeepError(node.start_mark)
            items = YamlList()
            items.line, items.column = _mark(node)
            marks: list[tuple[int, int]] = []
            items.item_marks = marks
            convert = self.convert
            for child in node.value:
                items.append(convert(child))
                start = child.start_mark  # _mark() inlined: this loop runs for every item of the store
                marks.append((start.line + 1, start.column + 1))
            self.depth -= 1
            return items
        if isinstance(node, yaml.MappingNode):
            return self.convert_mapping(node)
        raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - PyYAML has no other kind

    def convert_mapping(self, node: yaml.MappingNode) -> YamlMap | None:
        if node.tag != _MAP:
            self.problem(node, f"YAML tag '{_short(node.tag)}' is not allowed; remove it")
            return None
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeepError(node.start_mark)
        mapping = YamlMap()
        mapping.line, mapping.column = _mark(node)
        key_marks: dict[str, tuple[int, int]] = {}
        value_marks: dict[str, tuple[int, int]] = {}
        mapping.key_marks = key_marks
        mapping.value_marks = value_marks
        convert = self.convert
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                self.problem(key_node, "a key must be plain text")
                continue
            key = key_node.value
            if key == "<<":
                self.problem(key_node, "YAML merge keys ('<<') are not supported; write the fields out")
                continue
            if key in key_marks:
                first_line = key_marks[key][0]
                self.problem(
                    key_node,
                    f"duplicate key '{key}' (first given on line {first_line}); keep only one",
                )
                continue
            # _mark() inlined: this loop runs for every field of every record.
            start = key_node.start_mark
            key_marks[key] = (start.line + 1, start.column + 1)
            start = value_node.start_mark
            value_marks[key] = (start.line + 1, start.column + 1)
            mapping[key] = convert(value_node)
        self.depth -= 1
        return mapping


def load_text(text: str, path: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document strictly. Returns (data, problems); data is None for an empty file.

    Lists and mappings nested more than MAX_DEPTH deep refuse the file, with the position of the
    first one too deep, however deep the nesting goes.
    """
    try:
        node = yaml.compose(text, Loader=_StringLoader)
    except RecursionError:  # the pure-Python composer, some hundreds of levels down
        return None, [_depth_problem(text, path) or Problem(path, 0, 0, _DEPTH_MESSAGE)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "depth" in (exc.problem or ""):  # libyaml's own limit (1000 levels): say ours, and where
            too_deep = _depth_problem(text, path)
            if too_deep is not None:
                return None, [too_deep]
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = exc.problem or exc.context or "invalid YAML"
        context = exc.context_mark
        if context is not None and exc.problem and (exc.context or "").startswith("while scanning"):
            # An unclosed quote or bracket is found only where the text ends (often the file's end):
            # the place to fix is where it opened, so that is where the problem is reported.
            # (Where the scan stopped is said relative to here: a record's problems are moved down to
            # the record's place in the file by line number alone.)
            below = line - (context.line + 1)
            reached = f"{below} line{'s' if below != 1 else ''} below" if below else "on this line"
            reason = f"{exc.problem} {exc.context} that starts here (reached {reached})"
            line, column = context.line + 1, context.column + 1
        return None, [Problem(path, line, column, f"YAML syntax error: {reason}")]
    except yaml.YAMLError as exc:  # a reader error (e.g. a control character) carries its own position
        position = getattr(exc, "position", None)
        detail = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        line, column = _position_to_line_column(text, position) if position is not None else (0, 0)
        return None, [Problem(path, line, column, f"YAML error: {detail}")]
    if node is None:
        return None, []
    converter = _Converter(path)
    try:
        data = converter.convert(node)
    except _TooDeepError as exc:
        return None, [_mark_problem(path, exc.mark)]
    return data, converter.problems


def _depth_problem(text: str, path: str) -> Problem | None:
    """The first list or mapping nested past MAX_DEPTH, found from the parser's events.

    Only for a file the composer could not build: events come from a loop, not a recursion, so any
    depth is walked safely. PyYAML's own parser, not libyaml's: libyaml scans flow collections ahead
    and fails at its 1000-level limit before handing out the events of the first levels. None when the
    text is not that deep (its failure is another one).
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return _mark_problem(path, event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _mark_problem(path: str, mark: object | None) -> Problem:
    # libyaml's and PyYAML's marks are different classes with the same line/column attributes.
    line, column = getattr(mark, "line", -1), getattr(mark, "column", -1)
    return Problem(path, line + 1, column + 1, _DEPTH_MESSAGE)


def _position_to_line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    return line, column


def dump_text(data: Any) -> str:
    """YAML that the strict loader reads back to the same strings: block style, Unicode kept, key order kept.

    Strings that YAML 1.1 would type (`2019`, `true`, `No`) are quoted by the emitter, so a value written
    here never changes meaning on the way back.
    """
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )
