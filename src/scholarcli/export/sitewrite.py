"""Writing a tree of files (a "site" export: Hugo, Jekyll) under a folder, safely and incrementally.

A site format gives a mapping `relative path -> text`. `plan_tree` compares it with the folder and
with the manifest of what we wrote last time (`.scholar-manifest.json`, the files and their SHA-256),
and `apply_tree` carries the plan out:

- a file whose bytes are already what we would write is left alone (its mtime too), so a site
  generator watching the folder rebuilds only what changed;
- a changed file is replaced atomically, one file at a time;
- we never overwrite a file we did not write: a file that exists but is not in the manifest, or that
  was edited since we wrote it (its hash differs from the manifest's), is refused, naming it, and
  nothing at all is written, unless `force`;
- a file in the manifest that the new output no longer has (a work was removed) is deleted only if it
  is still exactly what we wrote; an edited one is left, with a warning, and leaves the manifest.

The folder is the user's (a whole Hugo site, say): nothing outside the output's own paths is read,
written or deleted, except the manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import posixpath
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scholarcli.errors import ManyProblemsError, ScholarError, display_path
from scholarcli.store import STORE_FILES, StoreLocation
from scholarcli.write.atomic import (
    atomic_write,
    existing_mode,
    fsync_folder,
    replace_with_temp,
    store_owns,
    write_temp,
)

MANIFEST_NAME = ".scholar-manifest.json"
_MANIFEST_VERSION = 1


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class TreePlan:
    """What writing a tree would do; `refused` non-empty means it must not be applied."""

    folder: Path
    format_name: str
    writes: dict[str, bytes] = field(default_factory=dict)  # new or changed files
    unchanged: list[str] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)  # ours, unchanged, no longer in the output
    kept: list[str] = field(default_factory=list)  # ours once, edited since, no longer in the output
    refused: list[str] = field(default_factory=list)  # messages: files we would overwrite but may not
    manifest: dict[str, str] = field(default_factory=dict)  # the manifest after applying
    manifest_changed: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.writes or self.deletes or self.manifest_changed)

    def warnings(self) -> list[str]:
        return [
            f"{display_path(self.folder / name)}: no longer exported but edited since scholar wrote it; "
            "left in place"
            for name in self.kept
        ]

    def summary(self, *, dry_run: bool = False) -> str:
        """`files 3 written, 11 unchanged, 1 deleted` (counts that are zero left out); for a dry
        run `files 3 to write, 11 unchanged, 1 to delete`."""
        parts = [
            f"{count} {label}"
            for count, label in (
                (len(self.writes), "to write" if dry_run else "written"),
                (len(self.unchanged), "unchanged"),
                (len(self.deletes), "to delete" if dry_run else "deleted"),
            )
            if count
        ]
        return f"files {', '.join(parts)}" if parts else "no files"


def check_relative_path(name: str) -> None:
    """Refuse a path a site format must never produce (a bug, not a user error: slugs are safe)."""
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(part in ("", ".", "..") for part in parts)
        or posixpath.normpath(name) != name
        or name == MANIFEST_NAME
    ):
        raise ValueError(f"unsafe path in a site export: {name!r}")


def read_manifest(folder: Path) -> dict[str, str]:
    """The files we wrote under `folder` last time and their hashes ({} when there is no manifest)."""
    path = folder / MANIFEST_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ScholarError(f"{display_path(path)}: cannot read the manifest: {exc}") from None
    try:
        data = json.loads(text)
        files = data["files"]
        if not isinstance(files, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in files.items()
        ):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise ScholarError(
            f"{display_path(path)}: not a scholar manifest (damaged?); move it away and export with --force"
        ) from None
    for name in files:
        try:
            check_relative_path(name)
        except ValueError:
            # A hand-edited manifest must not make us delete or write outside the folder.
            raise ScholarError(f"{display_path(path)}: unsafe path {name!r} in the manifest") from None
    return dict(files)


def _current(path: Path) -> bytes | None:
    """The bytes of a regular file at `path`; None if there is none. A symlink or anything else is
    refused: following it could write or delete outside the folder."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise ScholarError(f"{display_path(path)}: a parent folder is a file") from None
    if not stat.S_ISREG(mode):
        kind = "a symlink" if stat.S_ISLNK(mode) else "a folder" if stat.S_ISDIR(mode) else "not a file"
        raise ScholarError(f"{display_path(path)}: is {kind}; scholar writes only regular files here")
    return path.read_bytes()


def plan_tree(
    folder: Path,
    files: Mapping[str, str],
    format_name: str,
    store: StoreLocation | None = None,
    *,
    force: bool = False,
) -> TreePlan:
    """Compare the output `files` with `folder` and its manifest (see the module docstring)."""
    folder = folder.expanduser()
    folder_mode = existing_mode(folder, display_path(folder))
    if folder_mode is not None and not stat.S_ISDIR(folder_mode):
        raise ScholarError(f"{display_path(folder)}: is a file; the {format_name} format writes a folder")
    manifest = read_manifest(folder) if folder_mode is not None else {}
    plan = TreePlan(folder, format_name)
    owned = _StoreFiles(store)
    for name in sorted(files):
        check_relative_path(name)
        data = files[name].encode("utf-8")
        target = folder / name
        if owned.holds(target):
            raise ScholarError(
                f"{display_path(target)}: refusing to write an export over a file of the store"
            )
        try:
            current = _current(target)
        except OSError as exc:
            raise ScholarError(f"{display_path(target)}: cannot read: {exc.strerror or exc}") from None
        plan.manifest[name] = digest(data)
        if current is None:
            plan.writes[name] = data
            continue
        ours = name in manifest and digest(current) == manifest[name]
        if not ours and not force:
            why = "edited since scholar wrote it" if name in manifest else "not written by scholar"
            plan.refused.append(f"{display_path(target)}: {why}; refusing to overwrite it (use --force)")
            continue
        if current == data:
            plan.unchanged.append(name)
        else:
            plan.writes[name] = data
    for name in sorted(set(manifest) - set(files)):
        try:
            current = _current(folder / name)
        except (ScholarError, OSError):  # no longer a regular file we can read: not ours to delete
            plan.kept.append(name)
            continue
        if current is None:
            continue
        if digest(current) == manifest[name]:
            plan.deletes.append(name)
        else:
            plan.kept.append(name)
    plan.manifest_changed = plan.manifest != manifest or folder_mode is None
    return plan


class _StoreFiles:
    """Whether a path is one of the store's files (write.atomic.store_owns), asked of 20k paths: only a
    path whose folder, resolved once per folder, is a folder of the store's files is checked."""

    def __init__(self, store: StoreLocation | None) -> None:
        self.store = store
        self.folders: set[Path] = set()
        if store is not None:
            for name in STORE_FILES:
                named = store.path / name
                self.folders |= {named.parent.resolve(), named.resolve().parent}
        self.resolved: dict[Path, Path] = {}

    def holds(self, path: Path) -> bool:
        if self.store is None:
            return False
        parent = self.resolved.get(path.parent)
        if parent is None:
            parent = self.resolved[path.parent] = path.parent.resolve()
        return parent in self.folders and store_owns(self.store, parent / path.name)


class OverwriteRefusedError(ManyProblemsError):
    """Files an export would overwrite but may not: each is one message; nothing was written."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines, f"{len(lines)} files would be overwritten; nothing was written")


def refusal_error(plans: list[TreePlan]) -> OverwriteRefusedError | None:
    """One error naming every file the plans refuse to overwrite (None when there is none)."""
    lines = [line for plan in plans for line in plan.refused]
    return OverwriteRefusedError(lines) if lines else None


def apply_tree(plan: TreePlan) -> None:
    """Write, delete and record what `plan` says. Each file is replaced atomically; the manifest is
    written last, so a crash in between leaves files the manifest does not name yet: the next run
    refuses them (unless --force) rather than deleting anything it is unsure of."""
    if plan.refused:
        raise AssertionError("a plan with refused files must not be applied")
    folder = plan.folder.expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        touched: set[Path] = set()
        for name, data in plan.writes.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            # atomic_write, but each folder is fsynced once at the end, not once per file: a
            # 10k-work Hugo site is 20k files, which would otherwise be 20k more fsyncs.
            replace_with_temp(write_temp(target, data), target)
            touched.add(target.parent)
        for name in plan.deletes:
            target = folder / name
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
            _remove_empty_parents(target.parent, folder)
            touched.add(target.parent)
        for parent in sorted(touched):
            if parent.is_dir():
                fsync_folder(parent)
        if plan.manifest_changed:
            text = json.dumps(
                {"version": _MANIFEST_VERSION, "format": plan.format_name, "files": plan.manifest},
                indent=1,
                sort_keys=True,
                ensure_ascii=False,
            )
            atomic_write(folder / MANIFEST_NAME, text + "\n")
    except OSError as exc:
        where = exc.filename or folder
        raise ScholarError(f"{display_path(where)}: cannot write: {exc.strerror or exc}") from None


def _remove_empty_parents(folder: Path, top: Path) -> None:
    """Remove `folder` and its parents up to (not including) `top` while they are empty: a removed
    work's Hugo bundle folder goes with its files, a folder holding anything else stays."""
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (the user's files), or gone
            return
        folder = folder.parent
