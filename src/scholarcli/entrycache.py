"""Rendered export entries, kept per store and format beside the parse cache.

BibTeX, BibLaTeX and CSL-JSON write each work as an entry of its own, and an entry depends on nothing
but the record (`render_entry(work) -> str` in each of those exporters). Rendering 10,000 works takes
0.3 to 0.5 s, several times what reading them from the parse cache takes, and an export to a file kept
under version control (`scholar export -f bibtex > cv.bib`) is re-run after every edit. So, as Better
BibTeX does for Zotero, the entries of a whole store are kept after an export has rendered them; the
next export joins the stored entries of the works it selects, in its own order.

The file is keyed by the parse cache's key, which names the store's bytes, the Python version and the
code that parsed them, and by the export code and the pylatexenc files that rendered the entries: a
change to any of them makes the file stale, and the next export that renders at least half the store
writes it again (a smaller selection renders in milliseconds and writes nothing). A store read without
the parse cache (`--no-cache`, a write's own read) never uses it. Like the parse cache, it is replaced
atomically, checked by CRC-32 on reading, and ignored when it is missing, stale or damaged.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from scholarcli import cache
from scholarcli.model import Publication
from scholarcli.store import LoadedStore, StoreLocation

ENTRY_FORMAT_VERSION = 1
# The modules whose code decides what an entry holds (relative to the package).
_EXPORT_CODE_FILES = (
    "model.py", "textsafe.py", "entrycache.py", "export/__init__.py", "export/latex.py",
    "export/bibtex.py", "export/biblatex.py", "export/csl_json.py",
)  # fmt: skip
# Third-party files whose content decides what an entry holds: pylatexenc's table of LaTeX symbols.
_LIBRARY_FILES = (("pylatexenc", "version.py"), ("pylatexenc", "latexencode", "_uni2latexmap.py"))

Renderer = Callable[[Publication], str]


def entry_file(location: StoreLocation, format_name: str) -> Path:
    """The entry cache of one store and one format (beside the store's parse cache)."""
    return cache.cache_file(location).with_suffix(f".{format_name}.entries")


def selected_entries(
    loaded: LoadedStore, format_name: str, render: Renderer, positions: Sequence[int]
) -> list[str]:
    """The entries of the works at `positions` in `loaded.library.publications`, in that order.

    Always `[render(publications[p]) for p in positions]`; taken from the entry cache when it is
    current, and the cache is written when at least half the store had to be rendered anyway.
    """
    records = loaded.library.publications
    if loaded.cache_key is None:
        return [render(records[position]) for position in positions]
    path = entry_file(loaded.location, format_name)
    key = _key(loaded.cache_key, format_name)
    stored = _read(path, key, len(records))
    if stored is None:
        if 2 * len(positions) < len(records):
            return [render(records[position]) for position in positions]
        stored = tuple(map(render, records))
        _write(path, key, stored)
    return [stored[position] for position in positions]


def _key(store_key: bytes, format_name: str) -> bytes:
    key = (ENTRY_FORMAT_VERSION, format_name, cache.code_stamp(_EXPORT_CODE_FILES), _library_stamp())
    return repr(key).encode("utf-8", "backslashreplace") + b"\n" + store_key


def _library_stamp() -> tuple[tuple[str, int, int], ...]:
    """(path, size, mtime_ns) of each of _LIBRARY_FILES, as the import system would find it (the
    first folder of sys.path that has it); an upgrade rewrites them. Stat calls cost microseconds
    where `importlib.metadata` would cost milliseconds."""
    stamps = []
    for parts in _LIBRARY_FILES:
        for folder in sys.path:
            path = Path(folder or os.curdir).joinpath(*parts)
            with contextlib.suppress(OSError):
                status = path.stat()
                stamps.append((str(path), status.st_size, status.st_mtime_ns))
                break
        else:
            stamps.append(("/".join(parts), -1, -1))
    return tuple(stamps)


def _read(path: Path, key: bytes, count: int) -> tuple[str, ...] | None:
    """The stored entries, or None for a missing, stale or damaged file (or one of another store size)."""
    found = cache.read_file(path, key)
    if found is None:
        return None
    directory, body = found
    try:
        stored_count, crc = directory
        if stored_count != count or zlib.crc32(body) != crc:
            return None
        # Our own file in the user's own cache folder, checked against its key and checksum above.
        entries = marshal.loads(body)  # noqa: S302
    except (TypeError, ValueError, EOFError):
        return None
    if not isinstance(entries, tuple) or len(entries) != count:
        return None
    with contextlib.suppress(OSError):  # its mtime says when it was last used (see cache._prune)
        os.utime(path)
    return entries


def _write(path: Path, key: bytes, entries: tuple[str, ...]) -> None:
    body = marshal.dumps(entries)
    cache.write_file(path, key, marshal.dumps((len(entries), zlib.crc32(body))), body)
