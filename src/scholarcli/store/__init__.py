"""Finding a store and reading it into a validated `Library`.

A store is a folder holding `profile.yaml`, `themes.yaml` and `publications.yaml`. Which one is used:
`--store PATH`, else `$SCHOLAR_STORE`, else the user data folder (when it holds a store), else the
read-only default store embedded in the package.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from scholarcli.errors import Problem, StoreInvalidError, StoreNotFoundError, display_path
from scholarcli.model import Library
from scholarcli.query.index import RecordIndex, build_index
from scholarcli.store.gcpause import gc_paused
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


@dataclass(frozen=True)
class LoadedStore:
    """A store's content with the warnings found while reading it (errors would have raised), and the
    index `query.select` reads: the parse cache's (`kept_index`), or one built in memory on first use."""

    location: StoreLocation
    library: Library
    warnings: tuple[Problem, ...] = ()
    kept_index: RecordIndex | None = field(default=None, repr=False, compare=False)

    @cached_property
    def index(self) -> RecordIndex:
        if self.kept_index is not None:
            return self.kept_index
        return build_index(self.library.publications)

    @property
    def from_cache(self) -> bool:
        """Whether this content was read through the parse cache (a hit or the miss that wrote it)."""
        return self.kept_index is not None


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


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """A store file's text, or a problem naming the line of the first byte that is not UTF-8."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, 0, 0, f"cannot read the file: {exc.strerror or exc}")]
    return decode_text(raw, path)


def decode_text(raw: bytes, path: Path) -> tuple[str | None, list[Problem]]:
    """A store file's bytes as text, or a problem naming the line of the first byte that is not UTF-8."""
    shown = display_path(path)
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem(shown, line, column, "the file is not UTF-8 text; save it as UTF-8")]


def load_library(location: StoreLocation, *, use_cache: bool = True) -> LoadedStore:
    """Read and validate every file of a store. Raises StoreInvalidError listing all errors.

    With `use_cache` (and unless --no-cache or $SCHOLAR_NO_CACHE says otherwise) the records come from
    the parse cache when it matches the files' bytes (see cache.py); writes pass `use_cache=False`.
    """
    if use_cache:
        from scholarcli.store.cache import parse as cache

        if not cache.bypassed():
            return cache.load(location, parse_library)
    return parse_library(location)


def parse_library(location: StoreLocation, contents: Mapping[str, bytes] | None = None) -> LoadedStore:
    """Parse and validate a store, from `contents` (file name -> bytes) where given, else from disk."""
    with gc_paused():
        return _parse_library(location, contents or {})


def _parse_library(location: StoreLocation, contents: Mapping[str, bytes]) -> LoadedStore:
    # Imported here: a read served by the parse cache never needs the YAML parser or the validator.
    from scholarcli.store import validate, yamlio

    problems: list[Problem] = []

    def load(name: str) -> object:
        path = location.file(name)
        raw = contents.get(name)
        text, read_problems = read_text(path) if raw is None else decode_text(raw, path)
        problems.extend(read_problems)
        if text is None:
            return None
        data, yaml_problems = yamlio.load_text(text, display_path(path))
        problems.extend(yaml_problems)
        return data

    profile_data = load(PROFILE_FILE)
    profile, profile_problems = validate.read_profile(profile_data, display_path(location.file(PROFILE_FILE)))
    problems.extend(profile_problems)
    themes, theme_problems = validate.read_themes(load(THEMES_FILE), display_path(location.file(THEMES_FILE)))
    problems.extend(theme_problems)
    publications, publication_problems = validate.read_publications(
        load(PUBLICATIONS_FILE),
        display_path(location.file(PUBLICATIONS_FILE)),
        [theme.id for theme in themes],
    )
    problems.extend(publication_problems)
    if profile is None or any(problem.severity == "error" for problem in problems):
        raise StoreInvalidError(problems)
    library = Library(profile=profile, themes=themes, publications=publications)
    return LoadedStore(location, library, tuple(problems))


def profile_problems(text: str, path: Path) -> list[Problem]:
    """What reading `text` as a store's profile would find: the loader's own parse and rules (for a
    profile written by a command, checked before it is written)."""
    from scholarcli.store import validate, yamlio

    shown = display_path(path)
    data, problems = yamlio.load_text(text, shown)
    return problems + validate.read_profile(data, shown)[1]


def open_store(explicit: Path | str | None = None) -> LoadedStore:
    """Locate and read a store in one call: the entry point for library users."""
    return load_library(locate_store(explicit))
