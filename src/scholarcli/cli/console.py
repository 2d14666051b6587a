"""Where output goes: data to stdout, messages to stderr, tables only on a terminal.

Rich is imported only by the functions that draw with it, so commands that write plain lines to a
pipe do not pay for it at start-up.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from scholarcli.errors import OutputError
from scholarcli.text import visible

if TYPE_CHECKING:
    from rich.console import Console


class _GuardedStdout(io.FileIO):
    """stdout's file descriptor, whose write failures are a user-facing OutputError.

    Every writer (our own lines, Rich, Click's help) reaches the descriptor through this one method,
    so a full disk or a closed descriptor is told apart here from any other OSError (a bug keeps its
    traceback). After the first failure output is dropped: the error has been said once, and the
    interpreter's last flush must not fail again. A closed pipe stays a BrokenPipeError (see app.py).
    """

    def __init__(self, fd: int, *, was_closed: bool) -> None:
        super().__init__(fd, "w", closefd=False)
        self._was_closed = was_closed
        self._failed = False

    def write(self, data: Any) -> int:
        size = len(memoryview(data))
        if self._failed or not size:
            # Nothing to write is no failure, though /dev/full refuses even that: Click writes b""
            # to probe a stream and would swallow the error (and with it the one report of it).
            return size
        try:
            if self._was_closed:  # the descriptor is /dev/null, holding the place of the closed one
                raise OSError(errno.EBADF, os.strerror(errno.EBADF))
            return super().write(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            self._failed = True
            raise OutputError(exc.strerror or str(exc)) from None


def guard_standard_streams() -> None:
    """Make the standard streams safe to use, whatever the shell left open (`scholar` calls this first).

    A closed descriptor (`<&-`, `>&-`, `2>&-`) is held by /dev/null, so no file opened later (a
    store file, a lock, a temp file) can become fd 0, 1 or 2 and be read or written as a stream,
    nor be handed to a child (pandoc, $EDITOR). A closed stdin reads as empty; a closed stderr takes
    messages nowhere; a closed stdout is an OutputError at the first write ("Bad file descriptor"),
    as `cat` and `ls` report it. stdout's write failures become OutputError (see _GuardedStdout).
    """
    closed = set()
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.add(fd)
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    if 0 in closed or sys.stdin is None:
        sys.stdin = Path(os.devnull).open(encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if 2 in closed or sys.stderr is None:
        sys.stderr = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    old = sys.stdout
    if old is not None and not isinstance(old, io.TextIOWrapper):
        return  # replaced by the caller (a test, an embedding program): leave it alone
    if old is not None:
        try:
            if old.fileno() != 1:
                return
        except (OSError, ValueError):
            return
        old.flush()
    raw = _GuardedStdout(1, was_closed=1 in closed)
    unbuffered = old is not None and isinstance(old.buffer, io.RawIOBase)  # python -u
    sys.stdout = io.TextIOWrapper(
        raw if unbuffered else io.BufferedWriter(raw),
        encoding=old.encoding if old is not None else "utf-8",
        errors=old.errors if old is not None else "strict",
        newline=None if os.name == "nt" else "\n",  # as Python sets up its own stdout
        line_buffering=old.line_buffering if old is not None else False,
        write_through=old.write_through if old is not None else False,
    )


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


# What this run changed in a store, for the message if its output then cannot be written: the write
# happened, and a user seeing only "cannot write output" would run the command again (a second add).
_changes: list[str] = []


def store_changed(what: str) -> None:
    """Note a change a write command made (`added 'liu2022who'`), before it prints anything."""
    _changes.append(what)


def output_error_message(error: Exception) -> str:
    """An output error's message, with what this run changed in the store, if anything."""
    if not _changes:
        return str(error)
    return f"{error}; the store was changed: {', '.join(_changes)}"


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
