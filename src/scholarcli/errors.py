"""One vocabulary of user errors. Each names where the problem is (path:line:col) so it can be fixed.

The CLI turns a `ScholarError` into a message on stderr and exit code 1; anything else is a bug and
keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from scholarcli.text import visible

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about a store file. `line` and `column` are 1-based; 0 means 'the whole file'."""

    path: str
    line: int
    column: int
    message: str
    severity: Severity = "error"
    field: str | None = None

    def location(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        return f"{self.location()}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "field": self.field,
            "message": self.message,
        }


class ScholarError(Exception):
    """A problem the user can fix: bad input, a missing file, a refused write."""

    def messages(self) -> list[str]:
        return [str(self)]


class ManyProblemsError(ScholarError):
    """Several problems reported together (one per line), with a closing summary."""

    def __init__(self, lines: Sequence[str], summary: str) -> None:
        self.lines = list(lines)
        super().__init__(summary)

    def messages(self) -> list[str]:
        return self.lines


class StoreInvalidError(ScholarError):
    """The store has errors; every problem found is carried so all can be reported at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the store")

    def messages(self) -> list[str]:
        return [str(p) for p in self.problems if p.severity == "error"]


class StoreNotFoundError(ScholarError):
    """A store was named (option or variable) but is not there."""


class StoreChangedError(ScholarError):
    """A store file changed under a command: between a write's read and its replace (nothing is
    written), or while a read whose parse cache turned out damaged had to parse the store after all."""


class ReadOnlyStoreError(ScholarError):
    """A write was asked of the embedded default store."""


class OutputError(ScholarError):
    """stdout cannot take the output: a full disk (`> /dev/full`), a closed descriptor (`>&-`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"cannot write output: {reason}")


class UnknownIdError(ScholarError):
    """An id that names no publication or theme."""


def display_path(path: Path | str) -> str:
    """A path as the user will recognise it: relative to the working folder when it is inside it.

    Only ever shown, never opened: control characters (a newline, an ESC) are written as escapes, so
    a message stays one line and cannot drive the terminal.
    """

    p = Path(path)
    try:
        shown = str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop before Python 3.13
        shown = str(p)
    return visible(shown)
