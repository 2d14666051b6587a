"""Where output goes: data to stdout, messages to stderr, tables only on a terminal.

Rich is imported only by the functions that draw with it, so commands that write plain lines to a
pipe do not pay for it at start-up.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from scholarcli.textsafe import visible

if TYPE_CHECKING:
    from rich.console import Console


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def use_color(stream_is_terminal: bool) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (to anything but empty)."""
    return stream_is_terminal and not os.environ.get("NO_COLOR")


_CHUNK = 1 << 20


def out(text: str) -> None:
    """Write data to stdout as is (callers pass text already made safe for its format).

    A long text goes out a megabyte at a time: stdout encodes what it is given in one piece, and an
    export of 100,000 works would otherwise hold a second, encoded copy of 100 MB and more.
    """
    if len(text) <= _CHUNK:
        sys.stdout.write(text)
        return
    for start in range(0, len(text), _CHUNK):
        sys.stdout.write(text[start : start + _CHUNK])


def message(text: str) -> None:
    """A line for the user on stderr, with control characters shown as escapes."""
    sys.stderr.write(visible(text, keep_newlines=True) + "\n")


def error(text: str) -> None:
    """An error line on stderr: `error: ...`, red on a terminal unless NO_COLOR."""
    prefix = "\x1b[31merror:\x1b[0m" if use_color(stderr_is_terminal()) else "error:"
    sys.stderr.write(f"{prefix} {visible(text, keep_newlines=True)}\n")


def warning(text: str) -> None:
    prefix = "\x1b[33mwarning:\x1b[0m" if use_color(stderr_is_terminal()) else "warning:"
    sys.stderr.write(f"{prefix} {visible(text, keep_newlines=True)}\n")


def rich_stdout() -> Console:
    """A Rich console for stdout that never reads markup or emoji codes in what it prints."""
    from rich.console import Console

    return Console(markup=False, emoji=False, highlight=False, soft_wrap=False)
