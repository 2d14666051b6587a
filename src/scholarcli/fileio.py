"""Writing files safely: a temp file in the same folder, fsync, then an atomic replace."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from scholarcli.errors import ScholarError, display_path
from scholarcli.store import STORE_FILES, StoreLocation


def atomic_write(path: Path, data: str | bytes | tuple[bytes, ...], *, mode: int | None = None) -> None:
    """Replace `path` with `data` (text is written as UTF-8; a tuple of bytes, one part after another):
    a reader, or a crash, sees the old file or the new one, never a part.

    Keeps the mode of a file it replaces; fsyncs the file and then its folder so the rename is durable.
    """
    folder = path.parent
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if isinstance(data, tuple):
                handle.writelines(data)
            else:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp_name).chmod(mode)
        Path(temp_name).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(temp_name).unlink()
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
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


def write_export(path: Path, content: str | bytes, store: StoreLocation) -> None:
    """Write an export to `path`, refusing the store's own files and reporting an unwritable path."""
    target = path.expanduser()
    resolved = target.resolve()
    store_files = {(store.path / name).resolve() for name in STORE_FILES}
    if resolved in store_files:
        raise ScholarError(f"{display_path(target)}: refusing to write an export over a file of the store")
    if resolved.is_dir():
        raise ScholarError(f"{display_path(target)}: is a folder; name a file to write")
    if not resolved.parent.is_dir():
        raise ScholarError(
            f"{display_path(target)}: cannot write: the folder {display_path(resolved.parent)} does not exist"
        )
    try:
        atomic_write(resolved, content)
    except OSError as exc:
        raise ScholarError(f"{display_path(target)}: cannot write: {exc.strerror or exc}") from None
