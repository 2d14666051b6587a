"""Where output goes: data to stdout, messages to stderr, tables only on a terminal.

Rich is imported only by the functions that draw with it, so commands that write plain lines to a
pipe do not pay for it at start-up.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from scholarcli.textsafe import visible

if TYPE_CHECKING:
    from rich.console import Console


def configure_streams(environ: Mapping[str, str] | None = None) -> None:
    """Make stdout and stderr able to write any record (the `scholar` command calls this first).

    In a locale whose encoding cannot hold every character (Latin-1, say), printing 刘春成 would
    raise UnicodeEncodeError, a traceback. A stdout that is not a terminal is made UTF-8, what pipes
    and files of TSV and JSON expect (exports are UTF-8 bytes anyway, see `out_utf8`), unless
    PYTHONIOENCODING names an encoding; where the encoding stays one that cannot hold a character
    (a terminal, or PYTHONIOENCODING), the character is written as a backslash escape instead.
    """
    env = os.environ if environ is None else environ
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper) or _is_utf8(stream.encoding):
            continue
        if stream is sys.stdout and not env.get("PYTHONIOENCODING") and not stream.isatty():
            stream.reconfigure(encoding="utf-8")
        else:
            stream.reconfigure(errors="backslashreplace")


def _is_utf8(encoding: str | None) -> bool:
    return (encoding or "").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


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


def out_utf8(content: str | bytes) -> None:
    """Write an export to stdout as UTF-8 bytes with its own line ends, on every platform and in every
    locale: the same bytes `--output` writes to a file (and `\n`, not Windows' `\r\n`). Bytes (from
    the entry cache) go out as they are; text is encoded a megabyte at a time (see `out`)."""
    sys.stdout.flush()  # anything written as text before goes first
    buffer = sys.stdout.buffer
    if isinstance(content, bytes):
        buffer.write(content)
    else:
        for start in range(0, len(content), _CHUNK):
            buffer.write(content[start : start + _CHUNK].encode("utf-8"))
    buffer.flush()


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
