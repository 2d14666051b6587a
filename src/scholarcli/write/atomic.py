"""Writing files safely: a temp file in the same folder, fsync, then an atomic replace.

Also the names of the files a store uses beside its YAML files (the lock, backups, temp files), so an
export never writes over them and a writer can find the temp files of writers that were killed.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import secrets
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from scholarcli.errors import ScholarError, display_path
from scholarcli.store import STORE_FILES, StoreLocation

LOCK_FILE = ".scholar.lock"
BACKUP_SUFFIX = ".bak"
TEMP_SUFFIX = ".tmp"
# Our temp files: `.<name>.<pid>.<random>.tmp` (the pid says whose it is, see stale_temp_files);
# `.<name>.<pid>.tmp` is how older versions named a backup's temp file.
_TEMP_NAME = re.compile(r"\.(?P<name>.+?)\.(?P<pid>[0-9]+)(?:\.[A-Za-z0-9_]+)?\.tmp")

Content = str | bytes | tuple[bytes, ...]
Step = Callable[[str], None]


_DEFERRED_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold back Ctrl-C and SIGTERM while the block runs; one that arrives meanwhile takes effect after.

    For a write's critical section (the new file renamed into place, the old one made the backup): an
    interrupt between the two once left the change in place and the backup not rotated. The signals are
    blocked in the kernel (pending, not lost) and delivered, to whatever handler is set, when unblocked.
    Where that is not available (Windows, a thread other than the main one), the block runs as is.
    """
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _no_step(name: str) -> None:
    """Where a write reports its progress (temp-written, fsynced); tests hook in to race it."""


def temp_prefix(path: Path) -> str:
    """The start of the name of a temp file written for `path` by this process."""
    return f".{path.name}.{os.getpid()}."


def temp_owner(name: str, file_names: set[str]) -> int | None:
    """The pid that made the temp file `name` for one of `file_names`, or None if it is not ours."""
    match = _TEMP_NAME.fullmatch(name)
    if match is None or match["name"] not in file_names:
        return None
    return int(match["pid"])


def unique_temp_path(path: Path) -> Path:
    """A fresh name for a temp file of `path`, beside it (for os.link, which cannot use mkstemp)."""
    return path.with_name(f"{temp_prefix(path)}{secrets.token_hex(4)}{TEMP_SUFFIX}")


def _file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_temp(path: Path, data: Content, *, mode: int | None = None, step: Step = _no_step) -> Path:
    """Write `data` (text as UTF-8; a tuple of bytes, one part after another) to a new temp file beside
    `path`, fsynced and with `path`'s mode (or `mode`). The caller renames it into place."""
    if mode is None:
        mode = _file_mode(path)
    descriptor, temp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if isinstance(data, tuple):
                handle.writelines(data)
            else:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            step("temp-written")
            os.fsync(handle.fileno())
            step("fsynced")
            os.fchmod(handle.fileno(), mode)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return temp


def atomic_write(path: Path, data: Content, *, mode: int | None = None) -> None:
    """Replace `path` with `data` (text is written as UTF-8; a tuple of bytes, one part after another):
    a reader, or a crash, sees the old file or the new one, never a part.

    Keeps the mode of a file it replaces; fsyncs the file and then its folder so the rename is durable.
    """
    replace_with_temp(write_temp(path, data, mode=mode), path)
    fsync_folder(path.parent)


def replace_with_temp(temp: Path, path: Path) -> None:
    """Rename a temp file from `write_temp` over `path`; the temp file is removed if that fails. The
    caller fsyncs the folder (once for many files, where it writes many)."""
    try:
        temp.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise


def fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # some platforms cannot open a folder; the rename is still atomic there
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# Linux renameat2(2): RENAME_EXCHANGE swaps two names atomically, so a writer can put its new file in
# place and still get back whatever was there at that instant, to check it was what it read.
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}


@functools.cache
def _lookup_renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # only a store write needs it

    try:
        function: Callable[..., int] = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without renameat2 (glibc before 2.28)
        return None
    return function


def exchange(first: Path, second: Path) -> bool:
    """Swap the files named `first` and `second` atomically (both must exist). False where the system or
    the file system cannot (then nothing happened); OSError for a real failure (e.g. one is missing)."""
    renameat2 = _lookup_renameat2()
    if renameat2 is None:
        return False
    import ctypes

    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))


# exports ----------------------------------------------------------------------------------------------


def store_owns(store: StoreLocation, resolved: Path) -> bool:
    """Whether `resolved` (a resolved path) is a file the store uses: one of its YAML files (as named in
    the store folder, or where a symlink leads), or beside one of them its backup, the lock or a temp
    file of ours."""
    for name in STORE_FILES:
        named = store.path / name
        for file in {named.parent.resolve() / name, named.resolve()}:
            if resolved == file:
                return True
            if resolved.parent != file.parent:
                continue
            names = {file.name, file.name + BACKUP_SUFFIX}
            if resolved.name in names or resolved.name == LOCK_FILE or temp_owner(resolved.name, names):
                return True
    return False


def existing_mode(path: Path, shown: str) -> int | None:
    """The file type and mode of what is at `path` (an output about to be written), None when
    nothing is; anything else that stops a stat is the user's `cannot write` error."""
    try:
        return path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ScholarError(f"{shown}: cannot write: {exc.strerror or exc}") from None


def write_export(path: Path, content: str | bytes, store: StoreLocation) -> None:
    """Write an export to `path`, refusing the store's own files and reporting an unwritable path.

    A regular file (or a new one) is replaced atomically. Anything else that exists, such as a device
    (`/dev/null`) or a named pipe, is written through, never replaced: renaming a file over /dev/null
    would break the whole system's /dev/null.
    """
    target = path.expanduser()
    resolved = target.resolve()
    shown = display_path(target)
    if store_owns(store, resolved):
        raise ScholarError(f"{shown}: refusing to write an export over a file of the store")
    mode = existing_mode(resolved, shown)
    if mode is not None and stat.S_ISDIR(mode):
        raise ScholarError(f"{shown}: is a folder; name a file to write")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if mode is not None and not stat.S_ISREG(mode):
            _write_through(resolved, data)
            return
        if not resolved.parent.is_dir():
            raise ScholarError(
                f"{shown}: cannot write: the folder {display_path(resolved.parent)} does not exist"
            )
        atomic_write(resolved, data)
    except OSError as exc:
        raise ScholarError(f"{shown}: cannot write: {exc.strerror or exc}") from None


def _write_through(path: Path, data: bytes) -> None:
    """Write into an existing file that is not a regular one (a device, a FIFO), without creating,
    truncating or replacing it. A FIFO blocks until a reader opens it, as a shell redirection does."""
    descriptor = os.open(path, os.O_WRONLY | os.O_NOCTTY)
    try:
        view = memoryview(data)
        while view:  # a pipe may take part of the data at a time
            written = os.write(descriptor, view)
            view = view[written:]
    finally:
        os.close(descriptor)
