"""Writing a store safely: one lock per store, a re-read under the lock, a checked atomic replace, a backup.

Every write runs as `with write_session(location) as session: ...; session.commit(text)`:
- `.scholar.lock` in the store folder is held (fcntl.flock) from the read to the replace, so concurrent
  `scholar` writers take turns and none loses another's change;
- the publications file is read fresh under the lock (no parse cache) and outlined for splicing (or,
  for an add, scanned for ids and duplicates and appended to);
- before the replace, the file is read again: if its bytes differ from what was read (an editor saved it
  meanwhile), nothing is written ("changed on disk since it was read");
- the old version is kept as `publications.yaml.bak` beside the file (a hard link to the replaced inode,
  so it costs no copy), then the new text is written to a temp file, fsynced, and renamed over it;
- a symlinked `publications.yaml` is followed: its target is replaced and the link stays a link.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from scholarcli import validate, yamlio
from scholarcli.errors import (
    ReadOnlyStoreError,
    ScholarError,
    StoreChangedError,
    StoreInvalidError,
    display_path,
)
from scholarcli.fileio import atomic_write
from scholarcli.model import Profile, Theme
from scholarcli.store import PROFILE_FILE, PUBLICATIONS_FILE, THEMES_FILE, StoreLocation, read_text
from scholarcli.yamledit import Outline

LOCK_FILE = ".scholar.lock"
BACKUP_SUFFIX = ".bak"
LOCK_TIMEOUT_ENV = "SCHOLAR_LOCK_TIMEOUT"
_DEFAULT_LOCK_TIMEOUT = 60.0
_READ_ONLY_HINT = (
    "the embedded default store is read-only; run 'scholar init --from-default' to make an editable copy "
    "in your user data folder (or pass --store PATH)"
)


class StoreLockedError(ScholarError):
    """Another process held the store's lock for longer than we wait."""


def refuse_read_only(location: StoreLocation) -> None:
    if location.read_only or location.is_embedded:
        raise ReadOnlyStoreError(f"{display_path(location.path)}: {_READ_ONLY_HINT}")


@contextlib.contextmanager
def store_lock(folder: Path, timeout: float | None = None) -> Iterator[Path]:
    """Hold `.scholar.lock` in `folder` exclusively. Waits up to `timeout` seconds for another writer."""
    if timeout is None:
        timeout = float(os.environ.get(LOCK_TIMEOUT_ENV) or _DEFAULT_LOCK_TIMEOUT)
    lock_path = folder / LOCK_FILE
    try:
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ScholarError(
            f"{display_path(lock_path)}: cannot create the lock file: {exc.strerror}"
        ) from None
    try:
        deadline = time.monotonic() + timeout
        delay = 0.002
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    f"{display_path(lock_path)}: another scholar command has been writing this store for "
                    f"{timeout:g} s; try again when it has finished"
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        yield lock_path
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock


@dataclass
class WriteSession:
    """A store read under its lock, ready to be changed by splicing and committed once."""

    location: StoreLocation
    publications_path: Path  # as the user names it (may be a symlink)
    target: Path  # the real file written
    raw: bytes
    text: str  # `raw` decoded
    profile: Profile | None
    themes: tuple[Theme, ...]
    committed: bool = field(default=False)

    @cached_property
    def outline(self) -> Outline:
        """The file's record and field spans, for splicing. Made on first use: an add that only
        appends never needs it (see yamledit.scan_values), and on a large store it is most of the cost."""
        return Outline(self.text, self.shown_path)

    @property
    def shown_path(self) -> str:
        return display_path(self.publications_path)

    @property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(theme.id for theme in self.themes)

    def commit(self, text: str | bytes) -> None:
        """Replace the publications file with `text` (or its UTF-8 bytes), if it is still what was read."""
        self._replace(text)

    def commit_appended(self, extra: bytes) -> None:
        """Replace the publications file with the bytes read followed by `extra` (an add), if it is
        still what was read. The two are written one after the other: on a 13 MB store, joining them
        first would cost a third copy of the file in fresh memory."""
        self._replace((self.raw, extra))

    def _replace(self, content: str | bytes | tuple[bytes, ...]) -> None:
        if self.committed:
            raise RuntimeError("a write session commits once")
        try:
            unchanged = same_bytes(self.target, self.raw)
        except OSError as exc:
            raise StoreChangedError(
                f"{self.shown_path}: changed on disk since it was read ({exc.strerror}); nothing was written"
            ) from None
        if not unchanged:
            raise StoreChangedError(
                f"{self.shown_path}: changed on disk since it was read; nothing was written, run the "
                "command again"
            )
        keep_backup(self.target)
        try:
            atomic_write(self.target, content)
        except OSError as exc:
            raise ScholarError(f"{self.shown_path}: cannot write: {exc.strerror or exc}") from None
        self.committed = True


def same_bytes(path: Path, expected: bytes) -> bool:
    """Whether the file holds exactly `expected`: its size first, then a megabyte at a time, compared
    in place (no second copy of a large file)."""
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size != len(expected):
            return False
        offset = 0
        while chunk := handle.read(1 << 20):
            if not expected.startswith(chunk, offset):
                return False
            offset += len(chunk)
    return offset == len(expected)


def writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def backup_path(target: Path) -> Path:
    """Where the previous version of a store file is kept: beside it, with `.bak` added."""
    return target.with_name(target.name + BACKUP_SUFFIX)


def keep_backup(target: Path) -> None:
    """Make `publications.yaml.bak` the current version, atomically (a hard link, else a copy)."""
    backup = backup_path(target)
    temporary = target.with_name(f".{target.name}.bak.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    try:
        os.link(target, temporary)
    except OSError:  # a file system without hard links: copy instead
        try:
            atomic_write(backup, target.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ScholarError(f"{display_path(backup)}: cannot keep a backup: {exc}") from None
        return
    try:
        temporary.replace(backup)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise ScholarError(f"{display_path(backup)}: cannot keep a backup: {exc.strerror}") from None


def _read_side_files(location: StoreLocation) -> tuple[Profile | None, tuple[Theme, ...]]:
    """The profile and the themes, fully validated (they are small; a write needs the theme ids)."""
    problems = []
    data = {}
    for name in (PROFILE_FILE, THEMES_FILE):
        path = location.file(name)
        text, read_problems = read_text(path)
        problems.extend(read_problems)
        if text is not None:
            data[name], yaml_problems = yamlio.load_text(text, display_path(path))
            problems.extend(yaml_problems)
    profile, profile_problems = validate.read_profile(
        data.get(PROFILE_FILE), display_path(location.file(PROFILE_FILE))
    )
    themes, theme_problems = validate.read_themes(
        data.get(THEMES_FILE), display_path(location.file(THEMES_FILE))
    )
    problems.extend(profile_problems + theme_problems)
    if any(problem.severity == "error" for problem in problems):
        raise StoreInvalidError(problems)
    return profile, themes


@contextlib.contextmanager
def write_session(location: StoreLocation) -> Iterator[WriteSession]:
    """Lock the store, read it afresh and yield a session; the lock is released on leaving."""
    refuse_read_only(location)
    with store_lock(location.path):
        publications_path = location.file(PUBLICATIONS_FILE)
        target = publications_path.resolve()
        try:
            raw = target.read_bytes()
        except OSError as exc:
            raise ScholarError(f"{display_path(publications_path)}: cannot read: {exc.strerror}") from None
        if not writable(target) or not writable(target.parent):
            raise ScholarError(
                f"{display_path(publications_path)}: cannot write: permission denied (the file or its "
                "folder is read-only)"
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ScholarError(
                f"{display_path(publications_path)}:{line}: the file is not UTF-8 text; save it as UTF-8"
            ) from None
        profile, themes = _read_side_files(location)
        yield WriteSession(location, publications_path, target, raw, text, profile, themes)
