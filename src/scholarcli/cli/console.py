"""Where output goes: data to stdout, messages to stderr, tables only on a terminal.

Rich is imported only by the functions that draw with it, so commands that write plain lines to a
pipe do not pay for it at start-up.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, BinaryIO

from scholarcli.textsafe import visible

if TYPE_CHECKING:
    from rich.console import Console


def configure_streams(environ: Mapping[str, str] | None = None) -> None:
    """Make stdout and stderr able to write any record (the `scholar` command calls this first).

    In a locale whose encoding cannot hold every character (ASCII under `LC_ALL=C`, Latin-1), printing
    刘春成 would raise UnicodeEncodeError, a traceback. A stdout that is not a terminal is made UTF-8,
    what pipes and files of TSV and JSON expect, unless PYTHONIOENCODING names an encoding; where the
    encoding stays one that cannot hold a character (a terminal, or PYTHONIOENCODING's choice), the
    character is written as a backslash escape, unless PYTHONIOENCODING names an error handler too.
    """
    env = os.environ if environ is None else environ
    encoding, _, errors = env.get("PYTHONIOENCODING", "").partition(":")
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper) or _is_utf8(stream.encoding):
            continue
        if stream is sys.stdout and not encoding and not stream.isatty():
            stream.reconfigure(encoding="utf-8")
        elif not errors:
            stream.reconfigure(errors="backslashreplace")


def _is_utf8(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "").name == "utf-8"
    except LookupError:
        return False


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def use_color(stream_is_terminal: bool) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (to anything but empty)."""
    return stream_is_terminal and not os.environ.get("NO_COLOR")


_CHUNK = 1 << 20


def out(text: str) -> None:
    """Write data to stdout as is (callers pass text already made safe for its format)."""
    sys.stdout.write(text)


def out_utf8(content: str | bytes) -> None:
    r"""Write an export to stdout as UTF-8 bytes with its own line ends, on every platform and in every
    locale, on a terminal too: the same bytes `--output` writes to a file (`\n`, not Windows'
    `\r\n`). Bytes (from the entry cache) go out as they are; text is encoded a megabyte at a time,
    so a 100,000-work export is never held twice over (as text and as bytes). A stdout with no byte
    layer (a StringIO, a notebook) gets the text."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        out(content if isinstance(content, str) else content.decode("utf-8"))
        return
    sys.stdout.flush()  # anything written as text before goes first
    if isinstance(content, bytes):
        _write_all(buffer, content)
    else:
        for start in range(0, len(content), _CHUNK):
            _write_all(buffer, content[start : start + _CHUNK].encode("utf-8"))
    buffer.flush()


def _write_all(buffer: BinaryIO, data: bytes) -> None:
    # A raw (unbuffered: `python -u`) stream may take part of what it is given; a buffered one takes all.
    view = memoryview(data)
    while view:
        written = buffer.write(view[:_CHUNK])
        if written is None:  # a non-blocking stream that is full
            raise BlockingIOError("stdout cannot take more output now")
        view = view[written:]


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
