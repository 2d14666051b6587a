"""`scholar build`: every output named in the store's `scholar.toml`, rewriting only what changed.

    [[output]]
    path = "cv.md"          # relative to the folder of scholar.toml
    format = "markdown"
    group_by = "type"
    [[output]]
    path = "site/"
    format = "hugo"
    [[output]]
    path = "cv.tex"
    format = "latex"
    theme = ["west-imaginary"]   # selection filters, named as the CLI's options

Keys of an output: `path` and `format` (required), the export options `group_by`, `style`,
`numbering`, `force` (folder formats), and the selection filters `theme`, `type`, `year`, `author`,
`venue`, `status`, `tag`, `search`, `sort`, `reverse`, `limit` (the repeatable ones take a string or
a list). A mistake is reported as `scholar.toml:LINE: message`.

Everything is checked and planned before anything is written: a bad output, or a folder file that
must not be overwritten, stops the build with nothing written.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scholarcli.errors import ManyProblemsError, ScholarError, display_path
from scholarcli.export import FORMATS, ExportOptions, export_selection, export_tree_selection
from scholarcli.export.sitewrite import TreePlan, apply_tree, plan_tree, refusal_error
from scholarcli.model import STATUSES
from scholarcli.query import BadSelectionError, Selection, YearRange
from scholarcli.store import LoadedStore
from scholarcli.write.atomic import store_owns, write_export

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAME = "scholar.toml"
GROUP_BY = ("type", "year", "theme", "none")
NUMBERING = ("prefix", "plain", "none")
SORTS = ("year", "title", "author", "venue")
_LIST_FILTERS = {"theme": "themes", "type": "types", "status": "statuses", "tag": "tags"}
_TEXT_FILTERS = ("author", "venue", "search")
KEYS = (
    "path", "format", "group_by", "style", "numbering", "force",
    "theme", "type", "year", "author", "venue", "status", "tag", "search", "sort", "reverse", "limit",
)  # fmt: skip


class BuildConfigError(ManyProblemsError):
    """A mistake in scholar.toml; every one found is reported, each as `file:line: message`."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines, f"{len(lines)} error(s) in {CONFIG_NAME}")


@dataclass(frozen=True)
class Output:
    """One output of the build, checked."""

    path: str  # as written in scholar.toml, for messages
    target: Path  # resolved against the toml's folder
    format: str
    options: ExportOptions
    selection: Selection
    force: bool = False
    line: int = 1  # its [[output]] line in scholar.toml, for messages about it found later


@dataclass
class OutputResult:
    output: Output
    count: int
    changed: bool
    detail: str = ""  # folder outputs: "files 3 written, 11 unchanged"
    warnings: list[str] = field(default_factory=list)

    def line(self, *, dry_run: bool) -> str:
        """`wrote cv.md (7 works)` or `unchanged cv.md`, as `scholar build` prints it."""
        if not self.changed:
            return f"unchanged {self.output.path}"
        verb = "would write" if dry_run else "wrote"
        works = "1 work" if self.count == 1 else f"{self.count} works"
        detail = f"; {self.detail}" if self.detail else ""
        return f"{verb} {self.output.path} ({works}{detail})"


def config_path(loaded: LoadedStore) -> Path:
    return loaded.location.path / CONFIG_NAME


def read_config(path: Path) -> list[Output]:
    """The outputs of a scholar.toml, checked (BuildConfigError naming each mistake's line)."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScholarError(
            f"{shown}: no such file; name the outputs there, e.g.\n"
            '[[output]]\npath = "cv.md"\nformat = "markdown"'
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScholarError(f"{shown}: cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
        line = match.group(1) if match else "1"
        reason = message[: match.start()] if match else message
        raise BuildConfigError([f"{shown}:{line}: {reason}"]) from None
    lines = _Lines(text)
    errors: list[str] = []
    for key in data:
        if key != "output":
            errors.append(
                f"{shown}:{lines.top_key(key)}: unknown key '{key}'{_did_you_mean(key, ['output'])}"
            )
    raw_outputs = data.get("output", [])
    if not isinstance(raw_outputs, list) or not all(isinstance(item, dict) for item in raw_outputs):
        errors.append(f"{shown}:{lines.top_key('output')}: 'output' must be [[output]] tables")
        raw_outputs = []
    if not raw_outputs and not errors:
        errors.append(f"{shown}:1: no [[output]] tables; name at least one output")
    outputs: list[Output] = []
    seen: dict[Path, int] = {}
    for index, raw in enumerate(raw_outputs):

        def report(key: str | None, message: str, index: int = index) -> None:
            errors.append(f"{shown}:{lines.output_key(index, key)}: {message}")

        output = _check_output(raw, path.parent, report)
        if output is None:
            continue
        output = replace(output, line=lines.output_key(index, None))
        if output.target in seen:
            report("path", f"output '{output.path}' is also output {seen[output.target] + 1}")
            continue
        seen[output.target] = index
        outputs.append(output)
    if errors:
        raise BuildConfigError(errors)
    return outputs


def _check_output(raw: dict[str, Any], folder: Path, report: Callable[..., None]) -> Output | None:
    ok = True

    def fail(key: str | None, message: str) -> None:
        nonlocal ok
        ok = False
        report(key, message)

    for key in raw:
        if key not in KEYS:
            fail(key, f"unknown key '{key}'{_did_you_mean(key, KEYS)}")
    path = raw.get("path")
    fmt = raw.get("format")
    if path is None:
        fail(None, "this output has no 'path'")
    elif not isinstance(path, str) or not path.strip():
        fail("path", "'path' must be a file or folder name (a string)")
    if fmt is None:
        fail(None, "this output has no 'format'")
    elif not isinstance(fmt, str) or fmt not in FORMATS:
        fail(
            "format", f"unknown format '{fmt}'{_did_you_mean(str(fmt), FORMATS)}; one of {', '.join(FORMATS)}"
        )
    group_by = _choice(raw, "group_by", GROUP_BY, "type", fail)
    numbering = _choice(raw, "numbering", NUMBERING, "plain", fail)
    sort = _choice(raw, "sort", SORTS, "year", fail)
    style = raw.get("style")
    if style is not None and not isinstance(style, str):
        fail("style", "'style' must be a CSL style name or .csl file (a string)")
    if style is not None and fmt == "latex":
        fail("style", "'style' cannot be combined with format latex: the LaTeX CV is built-in ASA")
    force = _boolean(raw, "force", fail)
    if force and isinstance(fmt, str) and fmt in FORMATS and not FORMATS[fmt].site:
        fail("force", "'force' applies only to the folder formats (hugo, jekyll)")
    reverse = _boolean(raw, "reverse", fail)
    # Any: the keys are Selection's tuple fields, which mypy cannot tell from its other fields.
    lists: dict[str, Any] = {}
    for key, attribute in _LIST_FILTERS.items():
        value = raw.get(key, [])
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(item, str) for item in values):
            fail(key, f"'{key}' must be a string or a list of strings")
            values = []
        lists[attribute] = tuple(values)
    for status in lists["statuses"]:
        if status not in STATUSES:
            fail("status", f"unknown status '{status}'{_did_you_mean(status, STATUSES)}")
    texts: dict[str, str | None] = {}
    for key in _TEXT_FILTERS:
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            fail(key, f"'{key}' must be a string")
            value = None
        texts[key] = value
    years = None
    year = raw.get("year")
    if year is not None:
        try:
            years = YearRange.parse(str(year)) if isinstance(year, str | int) else None
            if years is None:
                fail("year", "'year' must be a year or a range string (\"2020..2023\")")
        except BadSelectionError as exc:
            fail("year", str(exc).replace("--year", "'year'", 1))
    limit = raw.get("limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        fail("limit", "'limit' must be a number of works (0 or more)")
    if not ok:
        return None
    assert isinstance(path, str)
    assert isinstance(fmt, str)
    return Output(
        path=path,
        target=_absolute(folder / Path(path).expanduser()),
        format=fmt,
        options=ExportOptions(group_by=group_by, style=style, numbering=numbering),  # type: ignore[arg-type]
        selection=Selection(
            **lists,
            years=years,
            author=texts["author"],
            venue=texts["venue"],
            search=texts["search"],
            sort=sort,  # type: ignore[arg-type]
            reverse=reverse,
            limit=limit,
        ),
        force=force,
    )


def _absolute(path: Path) -> Path:
    # Not resolved: a symlinked file is written through write_export's own rules.
    return Path(*path.absolute().parts)


def _choice(
    raw: dict[str, Any], key: str, choices: tuple[str, ...], default: str, fail: Callable[..., None]
) -> str:
    value = raw.get(key, default)
    if value not in choices:
        fail(
            key,
            f"'{key}' must be one of {', '.join(choices)}, not {value!r}{_did_you_mean(str(value), choices)}",
        )
        return default
    return str(value)


def _boolean(raw: dict[str, Any], key: str, fail: Callable[..., None]) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        fail(key, f"'{key}' must be true or false")
        return False
    return value


def _did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _Lines:
    """Line numbers of a TOML text's tables and keys (tomllib gives values only), for messages.

    Good enough for the `[[output]]` layout scholar.toml documents; anything else points at the
    output's table line, or line 1."""

    _TABLE = re.compile(r"^\s*\[\[\s*output\s*\]\]")
    _HEADER = re.compile(r"^\s*\[")
    _KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.tables = [number for number, line in enumerate(self.lines, 1) if self._TABLE.match(line)]

    def _keys(self, start: int, end: int) -> Iterator[tuple[str, int]]:
        for number in range(start, end):
            match = self._KEY.match(self.lines[number - 1])
            if match:
                yield next(group for group in match.groups() if group is not None), number

    def top_key(self, key: str) -> int:
        first_header = next(
            (number for number, line in enumerate(self.lines, 1) if self._HEADER.match(line)),
            len(self.lines) + 1,
        )
        found = dict(self._keys(1, first_header))
        if key in found:
            return found[key]
        return next(
            (
                number
                for number, line in enumerate(self.lines, 1)
                if re.match(rf"^\s*\[+\s*{re.escape(key)}\b", line)
            ),
            1,
        )

    def output_key(self, index: int, key: str | None) -> int:
        if index >= len(self.tables):
            return 1
        start = self.tables[index]
        end = next(
            (
                number
                for number in range(start + 1, len(self.lines) + 1)
                if self._HEADER.match(self.lines[number - 1])
            ),
            len(self.lines) + 1,
        )
        if key is not None:
            for name, number in self._keys(start + 1, end):
                if name == key:
                    return number
        return start


@dataclass
class _Planned:
    output: Output
    count: int
    data: bytes | None = None  # a file output's new bytes, None when unchanged
    plan: TreePlan | None = None  # a folder output's plan


def build(loaded: LoadedStore, outputs: list[Output], *, dry_run: bool = False) -> list[OutputResult]:
    """Render every output, then write those that changed (nothing when `dry_run`). Everything is
    rendered and checked first: an output that may not be written stops the build before any write."""

    config = config_path(loaded).absolute()
    planned: list[_Planned] = []
    for output in outputs:
        try:
            if FORMATS[output.format].site:
                files, count = export_tree_selection(output.format, loaded, output.selection, output.options)
                inside = _relative_to(config, output.target)
                if inside in files:
                    raise ScholarError(f"{output.path}: would write over {CONFIG_NAME}")
                plan = plan_tree(output.target, files, output.format, loaded.location, force=output.force)
                planned.append(_Planned(output, count, plan=plan))
                continue
            exported = export_selection(output.format, loaded, output.selection, output.options)
        except BadSelectionError as exc:
            raise ScholarError(f"{display_path(config)}:{output.line}: {exc}") from None
        if output.target == config or output.target.resolve() == config.resolve():
            raise ScholarError(
                f"{display_path(config)}:{output.line}: output '{output.path}' is {CONFIG_NAME} itself"
            )
        _check_file_target(output, loaded)
        data = exported.data
        planned.append(
            _Planned(output, exported.count, data=None if _same_bytes(output.target, data) else data)
        )
    error = refusal_error([item.plan for item in planned if item.plan is not None])
    if error is not None:
        raise error
    results = []
    for item in planned:
        results.append(_apply(item, loaded, dry_run=dry_run))
    return results


def _apply(item: _Planned, loaded: LoadedStore, *, dry_run: bool) -> OutputResult:
    if item.plan is not None:
        plan = item.plan
        if plan.changed and not dry_run:
            apply_tree(plan)
        return OutputResult(
            item.output, item.count, plan.changed, plan.summary(dry_run=dry_run), plan.warnings()
        )
    if item.data is not None and not dry_run:
        write_export(item.output.target, item.data, loaded.location)
    return OutputResult(item.output, item.count, item.data is not None)


def _check_file_target(output: Output, loaded: LoadedStore) -> None:
    """Refuse early (before any output is written) what write_export would refuse."""

    if store_owns(loaded.location, output.target.resolve()):
        raise ScholarError(f"{output.path}: refusing to write an export over a file of the store")
    if output.target.is_dir():
        raise ScholarError(f"{output.path}: is a folder; the {output.format} format writes one file")


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:  # missing, or unreadable: write_export will say why if it cannot write either
        return False


def _relative_to(path: Path, folder: Path) -> str | None:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return None
