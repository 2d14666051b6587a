"""Writing a store safely: one lock per file, a re-read under the lock, a checked atomic replace, a backup.

Every write runs as `with write_session(location) as session: ...; session.commit(text)`:
- `.scholar.lock` beside the publications file (beside the file a symlink leads to, so two stores
  sharing one file through links take turns too) is held (fcntl.flock) from the read to the replace;
- under the lock, temp files that killed writers left beside the file are removed, then the file is
  read fresh (no parse cache), and refused with its parse errors if it does not parse (the lock file
  remembers a hash of the content last checked or written, so a run of writes parses once);
- the commit writes the new text to a temp file beside the file and fsyncs it; then it takes a hard
  link to the file in place (the future backup) and checks that it is still the very file read (same
  inode, size, mtime and bytes); then it swaps the two names atomically (Linux renameat2
  RENAME_EXCHANGE) and checks again what it swapped out: a save by another program at any moment
  before the swap is found, the file put back, and nothing written ("changed on disk since it was
  read"). Where the swap is unavailable, os.replace is used and a save into the replaced file is put
  back (a save by rename in the microseconds between the check and the replace would then be lost);
- only once the new file is in place does the link become `publications.yaml.bak`: a failed write
  keeps the previous backup;
- a symlinked `publications.yaml` is followed: its target is replaced and the link stays a link.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from scholarcli.errors import (
    ReadOnlyStoreError,
    ScholarError,
    StoreChangedError,
    StoreInvalidError,
    display_path,
)
from scholarcli.model import Profile, Theme
from scholarcli.store import (
    PROFILE_FILE,
    PUBLICATIONS_FILE,
    THEMES_FILE,
    StoreLocation,
    read_text,
    validate,
    yamlio,
)
from scholarcli.write import atomic
from scholarcli.write.atomic import BACKUP_SUFFIX, LOCK_FILE, Content
from scholarcli.write.outline import Outline, RecordSpan

if TYPE_CHECKING:
    import xxhash

    from scholarcli.store.cache.update import Segment

__all__ = ["BACKUP_SUFFIX", "LOCK_FILE", "StoreLockedError", "WriteSession", "store_lock", "write_session"]

LOCK_TIMEOUT_ENV = "SCHOLAR_LOCK_TIMEOUT"
_DEFAULT_LOCK_TIMEOUT = 60.0
_READ_ONLY_HINT = (
    "the embedded default store is read-only; run 'scholar init --from-default' to make an editable copy "
    "in your user data folder (or pass --store PATH)"
)
# Hard links are not everywhere (some network and FAT file systems): then the backup is written from
# the bytes read, and the check before the replace looks at the file itself.
_NO_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}


def _step(name: str) -> None:
    """Where a write has got to: read, render, temp-written, fsynced, before-replace. Does nothing;
    tests replace it to have another program save the file at each step."""


@dataclass(frozen=True)
class FileIdentity:
    """What says a file is the one that was read, besides its bytes: a save by rename makes a new
    inode, a save in place a new mtime."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, status: os.stat_result) -> FileIdentity:
        return cls(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


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
    identity: FileIdentity  # of the file `raw` was read from
    lock_path: Path
    committed: bool = field(default=False)
    # The outline's lines and record spans as first made (a commit of the outline compares them with
    # its edited lines to carry the parse cache across the write: see cache_update.py).
    _outline_before: tuple[list[str], list[int], list[RecordSpan]] | None = field(default=None, repr=False)

    @cached_property
    def outline(self) -> Outline:
        """The file's record and field spans, for splicing. Made on first use: an add that only
        appends never needs it (see scan.scan_values), and on a large store it is most of the cost."""
        outline = Outline(self.text, self.shown_path)
        records = list(outline.records)
        self._outline_before = (list(outline.lines), [record.first for record in records], records)
        return outline

    @property
    def shown_path(self) -> str:
        return display_path(self.publications_path)

    @property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(theme.id for theme in self.themes)

    def commit(self, text: str | bytes) -> None:
        """Replace the publications file with `text` (or its UTF-8 bytes), if it is still what was read.
        The parse cache is left for the next read to rebuild (see `commit_outline`)."""
        self._replace(text)

    def commit_outline(self) -> None:
        """Replace the publications file with the text of the (edited) outline, if it is still what was
        read; then carry the parse cache over to the new text (the records whose lines did not change
        are kept, the others parsed: see cache_update.py)."""
        outline = self.outline
        assert self._outline_before is not None  # set when the outline was made
        old_lines, old_firsts, old_spans = self._outline_before

        def segments(count: int) -> list[Segment]:
            from scholarcli.store.cache import update as cache_update

            return cache_update.outline_segments(
                old_lines, old_firsts, old_spans, outline.lines, outline.records, count
            )

        self._replace(outline.text(), segments)

    def commit_appended(self, extra: bytes, added: int | None = None) -> None:
        """Replace the publications file with the bytes read followed by `extra` (an add of `added`
        records, where known), if it is still what was read; then carry the parse cache over to the
        new bytes. The two are written one after the other: on a 13 MB store, joining them first
        would cost a third copy of the file in fresh memory."""

        def segments(count: int) -> list[Segment]:
            from scholarcli.store.cache import update as cache_update

            return cache_update.appended_segments(self.raw, extra, added, count)

        self._replace((self.raw, extra), segments)

    def _changed(self, detail: str = "") -> StoreChangedError:
        return StoreChangedError(
            f"{self.shown_path}: changed on disk since it was read{detail}; nothing was written, run the "
            "command again"
        )

    def _is_as_read(self, path: Path) -> bool:
        """Whether `path` names the very file that was read, holding the bytes that were read."""
        try:
            return FileIdentity.of(path.stat()) == self.identity and same_bytes(path, self.raw)
        except OSError:
            return False

    def _replace(self, content: Content, segments: Callable[[int], list[Segment]] | None = None) -> None:
        if self.committed:
            raise RuntimeError("a write session commits once")
        _step("render")
        target = self.target
        try:
            temp = atomic.write_temp(target, content, step=lambda name: _step(name))
        except OSError as exc:
            raise ScholarError(f"{self.shown_path}: cannot write: {exc.strerror or exc}") from None
        pending: Path | None = temp  # removed on leaving, unless it was renamed into place
        held: Path | None = None  # a second name for the file in place: the backup, once replaced
        try:
            held = _hold(target)
            if not self._is_as_read(held or target):
                raise self._changed()
            _step("before-replace")
            # From the replace to the backup's rotation, Ctrl-C and SIGTERM wait: an interrupt between
            # the two would leave the new version in place with the backup of the one before.
            with atomic.signals_deferred():
                try:
                    swapped = atomic.exchange(temp, target)
                except FileNotFoundError:  # the file was deleted meanwhile
                    raise self._changed() from None
                if swapped:  # `temp` now names the file that was in place a moment ago
                    if not self._is_as_read(temp):
                        atomic.exchange(temp, target)  # another program saved it after the check: put it back
                        raise self._changed()
                else:
                    temp.replace(target)
                    pending = None
                    if held is not None and not self._is_as_read(held):
                        # A save into the file in the moment between the check and the replace: restore it.
                        restore = atomic.unique_temp_path(target)
                        os.link(held, restore)
                        restore.replace(target)
                        raise self._changed()
                atomic.fsync_folder(target.parent)
                self.committed = True
                self._keep_backup(held)
                held = None
        except OSError as exc:
            raise ScholarError(f"{self.shown_path}: cannot write: {exc.strerror or exc}") from None
        finally:
            for leftover in (pending, held):
                if leftover is not None:
                    with contextlib.suppress(OSError):
                        leftover.unlink()
        digest = _content_digest(content)
        _remember_checked(self.lock_path, self.target, digest.hexdigest())
        if segments is not None:  # still under the lock: two writers cannot interleave cache files
            from scholarcli.store.cache import update as cache_update

            old_stamp = (len(self.raw), self.identity.mtime_ns, _content_digest(self.raw).digest())
            cache_update.update(self.location, old_stamp, digest.digest(), self.theme_ids, segments)

    def _keep_backup(self, held: Path | None) -> None:
        """Make the replaced version `publications.yaml.bak`: the held link, renamed (no copy), or a copy
        of the bytes read. Only now, so a write that fails keeps the previous backup."""
        backup = backup_path(self.target)
        try:
            if held is not None:
                held.replace(backup)
            else:
                atomic.atomic_write(backup, self.raw)
            atomic.fsync_folder(backup.parent)
        except OSError as exc:
            raise ScholarError(
                f"{display_path(backup)}: cannot keep a backup: {exc.strerror or exc} (the new version of "
                f"{self.shown_path} was written)"
            ) from None


def _hold(target: Path) -> Path | None:
    """A hard link to `target` under a temp name, or None where the file system has no hard links."""
    held = atomic.unique_temp_path(backup_path(target))
    try:
        os.link(target, held)
    except OSError as exc:
        if exc.errno in _NO_LINKS:
            return None
        raise
    return held


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


def _pid_alive(pid: int) -> bool:
    if pid <= 0:  # 0 and negative numbers name process groups, not a writer
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, as another user's process
        return True
    return True


def remove_stale_temp_files(target: Path) -> list[Path]:
    """Remove the temp files (ours by name: `.<file>.<pid>.<random>.tmp`, also of its backup) that
    writers killed mid-write left beside `target`. Call under the lock; a file whose writer is still
    running, or that we did not name, is left alone."""
    names = {target.name, target.name + BACKUP_SUFFIX}
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        pid = atomic.temp_owner(entry.name, names)
        if pid is None or pid == os.getpid() or _pid_alive(pid):
            continue
        stale = Path(entry.path)
        with contextlib.suppress(OSError):
            stale.unlink()
            removed.append(stale)
    return removed


# The lock file holds `<file name> <XXH3-128 of its bytes>` for the content last checked to parse (or
# written by a write of a checked file), so a run of writes does not parse a large store each time. A
# torn or stale note only costs a parse.
def _content_digest(content: Content) -> xxhash.xxh3_128:
    # XXH3, as the parse cache uses: 1 ms for 13 MB, where blake2b (already loaded) takes 76 ms.
    import xxhash

    digest = xxhash.xxh3_128()
    for part in content if isinstance(content, tuple) else (content,):
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
    return digest


def _content_hash(content: Content) -> str:
    return _content_digest(content).hexdigest()


def _checked_note(target: Path, content_hash: str) -> str:
    return f"{target.name} {content_hash}\n"


def _remember_checked(lock_path: Path, target: Path, content_hash: str) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(lock_path, os.O_WRONLY | os.O_TRUNC)
        try:
            os.write(descriptor, _checked_note(target, content_hash).encode("utf-8"))
        finally:
            os.close(descriptor)


def _check_parses(lock_path: Path, target: Path, raw: bytes, text: str, shown: str) -> None:
    """Refuse a file that does not parse, with the problems a read reports: splicing into it, or
    appending to it, would only bury the damage."""
    content_hash = _content_hash(raw)
    try:
        if lock_path.read_text(encoding="utf-8") == _checked_note(target, content_hash):
            return
    except (OSError, UnicodeDecodeError):
        pass
    _, problems = yamlio.load_text(text.removeprefix("\ufeff"), shown)
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise StoreInvalidError(errors)
    _remember_checked(lock_path, target, content_hash)


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
    """Lock the publications file, read it afresh and yield a session; the lock is released on leaving."""
    refuse_read_only(location)
    publications_path = location.file(PUBLICATIONS_FILE)
    shown = display_path(publications_path)
    target = publications_path.resolve()
    with store_lock(target.parent) as lock_path:
        if publications_path.resolve() != target:  # the link was pointed elsewhere while we waited
            raise StoreChangedError(
                f"{shown}: changed on disk while waiting; nothing was written, run the command again"
            )
        remove_stale_temp_files(target)
        try:
            with target.open("rb") as handle:
                identity = FileIdentity.of(os.fstat(handle.fileno()))
                raw = handle.read()
        except OSError as exc:
            raise ScholarError(f"{shown}: cannot read: {exc.strerror}") from None
        _step("read")
        if not writable(target) or not writable(target.parent):
            raise ScholarError(
                f"{shown}: cannot write: permission denied (the file or its folder is read-only)"
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ScholarError(f"{shown}:{line}: the file is not UTF-8 text; save it as UTF-8") from None
        _check_parses(lock_path, target, raw, text, shown)
        profile, themes = _read_side_files(location)
        yield WriteSession(
            location, publications_path, target, raw, text, profile, themes, identity, lock_path
        )
