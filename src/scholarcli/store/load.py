"""Reading a store: its files decoded, parsed and validated, through the parse cache unless told not to.

`open_store` is the one entry point of the read commands: locate, then read (see `load_library`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from scholarcli.errors import Problem, StoreInvalidError, display_path
from scholarcli.model import Library
from scholarcli.store.gcpause import gc_paused
from scholarcli.store.loaded import LoadedStore
from scholarcli.store.locate import PROFILE_FILE, PUBLICATIONS_FILE, THEMES_FILE, StoreLocation, locate_store


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
    the parse cache when it matches the files' bytes (see store/cache/parse.py); writes pass `use_cache=False`.
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
