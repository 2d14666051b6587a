"""Where a store is: an explicit folder, $SCHOLAR_STORE, the user data folder or the embedded default."""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from scholarcli.errors import StoreNotFoundError, display_path
from scholarcli.text import visible

PROFILE_FILE = "profile.yaml"
THEMES_FILE = "themes.yaml"
PUBLICATIONS_FILE = "publications.yaml"
STORE_FILES = (PROFILE_FILE, THEMES_FILE, PUBLICATIONS_FILE)
STORE_ENV = "SCHOLAR_STORE"
APP_NAME = "scholarcli"


@dataclass(frozen=True, slots=True)
class StoreLocation:
    """Where a store is and why it was chosen. The embedded default store is never written."""

    path: Path
    reason: str
    read_only: bool = False

    def file(self, name: str) -> Path:
        return self.path / name

    @property
    def is_embedded(self) -> bool:
        return self.path == embedded_store_path()


def embedded_store_path() -> Path:
    """The default store shipped with the package.

    A wheel carries `data/` inside the package (`scholarcli/data`); an editable install or a source
    checkout finds it at the top of the repository instead.
    """
    packaged = Path(__file__).resolve().parents[1] / "data"
    if (packaged / PUBLICATIONS_FILE).is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "data"


def user_store_path() -> Path:
    """The per-user store folder (`scholar init` creates it)."""
    import platformdirs  # imported here: only store resolution needs it, not every import of this module

    return platformdirs.user_data_path(APP_NAME) / "store"


def is_store(path: Path) -> bool:
    return (path / PUBLICATIONS_FILE).is_file()


def locate_store(
    explicit: Path | str | None = None, environ: Mapping[str, str] | None = None
) -> StoreLocation:
    """Choose the store to use, by the documented precedence. Raises StoreNotFoundError for a bad path."""
    env = os.environ if environ is None else environ
    if explicit is not None and str(explicit) != "":
        return _named_store(Path(explicit), "given with --store")
    env_value = env.get(STORE_ENV, "")
    if env_value:
        return _named_store(Path(env_value), f"set by ${STORE_ENV}")
    user_path = user_store_path()
    if is_store(user_path):
        return StoreLocation(user_path, "the user data folder")
    return StoreLocation(
        embedded_store_path(),
        "the embedded default store (read-only; run 'scholar init --from-default' to make an editable copy)",
        read_only=True,
    )


def _named_store(path: Path, reason: str) -> StoreLocation:
    path = path.expanduser()
    if leads_back_to_itself(path):
        raise StoreNotFoundError(
            f"{display_path(path)}: a symbolic link that leads back to itself ({reason}); "
            "point it at a store folder"
        )
    if not path.exists():
        raise StoreNotFoundError(
            f"{display_path(path)}: no such store ({reason}); create one with 'scholar init'"
        )
    if not path.is_dir():
        raise StoreNotFoundError(
            f"{display_path(path)}: a store is a folder holding {', '.join(STORE_FILES)}"
        )
    unfit = {name: _not_a_file(path / name) for name in STORE_FILES}
    missing = [name for name, fault in unfit.items() if fault == "missing"]
    faults = [f"{', '.join(missing)} missing"] if missing else []
    faults += [f"{name} {fault}" for name, fault in unfit.items() if fault and fault != "missing"]
    if faults:
        hint = "; create one with 'scholar init'" if missing else ""
        raise StoreNotFoundError(f"{display_path(path)}: not a store, {', '.join(faults)} ({reason}){hint}")
    return StoreLocation(path.resolve(), reason, read_only=path.resolve() == embedded_store_path())


def leads_back_to_itself(path: Path) -> bool:
    """Whether `path` is a symbolic link loop (directly or through its folders).

    pathlib's exists() calls a loop missing and, before Python 3.13, resolve() raises RuntimeError
    on one, so a loop is told apart here, once, to be named as what it is.
    """
    try:
        path.stat()
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _not_a_file(path: Path) -> str | None:
    """Why a store file cannot be read as one (None when it is a regular file), said plainly."""
    if path.is_file():
        return None
    if leads_back_to_itself(path):
        return "is a symbolic link that leads back to itself"
    if path.is_dir():
        return "is a folder, not a file"
    if path.exists():
        return "is not a regular file"
    if path.is_symlink():  # exists() follows the link: a dangling one is not "missing", it is broken
        return f"is a symbolic link to a missing file ({visible(str(path.readlink()))})"
    return "missing"
