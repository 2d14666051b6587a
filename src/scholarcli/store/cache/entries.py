"""Rendered export entries, kept per store and format beside the parse cache, by each work's content.

BibTeX, BibLaTeX and CSL-JSON write each work as an entry of its own, and an entry depends on nothing
but the record (`render_entry(work) -> str` in each of those exporters). Rendering 10,000 works takes
0.3 to 0.5 s, several times what reading them from the parse cache takes, and an export to a file kept
under version control (`scholar export -f bibtex > cv.bib`) is re-run after every edit. So, as Better
BibTeX does for Zotero, the entries are kept, each under its work's content digest (`index.py`): an
export joins the stored entries of the works it selects, in its own order, and renders only the works
whose content has no entry yet (new or edited ones).

The file of a format is keyed by the package's code (`cache.code_digest`: every module, so a new or
changed exporter is seen without a list to keep) and the pylatexenc files that rendered its entries:
a change to either makes every entry stale. An export of at least half the store rewrites the file
when it rendered anything or the file holds entries of works no longer in the store, so the file
tracks the store; a smaller export writes nothing, and one of less than a sixteenth of the store
renders its works without reading the file (that is quicker than reading every entry). Only a store
read through the parse cache has the digests (`--no-cache` and writes never use it). Like the parse
cache, the file is replaced atomically, checked by its checksum on reading, and ignored when it is missing,
stale or damaged.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from scholarcli.model import Publication
from scholarcli.store.cache import parse as cache
from scholarcli.store.loaded import LoadedStore
from scholarcli.store.locate import StoreLocation

# 2: entries by content digest. 3: XXH3 checksums. 4: entries as UTF-8 bytes. 5: the issue #11 fields.
# 6: issue #14 (author roles, links, statuses).
ENTRY_FORMAT_VERSION = 6
# Third-party files whose content decides what an entry holds: pylatexenc's table of LaTeX symbols.
_LIBRARY_FILES = (("pylatexenc", "version.py"), ("pylatexenc", "latexencode", "_uni2latexmap.py"))
# An export of at least 1/_READ_SHARE of the store reads the stored entries (rendering fewer is
# quicker than reading them all); one of at least 1/_WRITE_SHARE keeps what it rendered.
_READ_SHARE = 16
_WRITE_SHARE = 2

Renderer = Callable[[Publication], str]


def entry_file(location: StoreLocation, format_name: str) -> Path:
    """The entry cache of one store folder and one format (beside the store's parse cache)."""
    return cache.cache_file(location).with_suffix(f".{format_name}.entries")


def selected_entries(
    loaded: LoadedStore, format_name: str, render: Renderer, positions: Sequence[int]
) -> list[bytes]:
    """The entries of the works at `positions` in `loaded.library.publications`, in that order, as
    UTF-8 bytes.

    Always `[render(publications[p]).encode() for p in positions]`: stored entries stand in for
    renders of works with the same content (see the module docstring for when the file is read and
    written). Entries are kept and returned as bytes: an export writes bytes, and 10,000 entries
    unmarshalled as bytes are a copy, as text a decode (and then an encode to write them).
    """
    records = loaded.library.publications
    if not loaded.from_cache or len(positions) * _READ_SHARE < len(records):
        return [render(records[position]).encode("utf-8") for position in positions]
    path = entry_file(loaded.location, format_name)
    key = _key(format_name)
    stored = _read(path, key) or {}
    digests = loaded.index.digests
    rendered: dict[str, bytes] = {}

    def entry_at(position: int) -> bytes:
        digest = digests[position]
        entry = stored.get(digest) or rendered.get(digest)
        if entry is None:
            entry = rendered[digest] = render(records[position]).encode("utf-8")
        return entry

    entries = [entry_at(position) for position in positions]
    if len(positions) * _WRITE_SHARE >= len(records) and (rendered or len(stored) != len(records)):
        _write(path, key, {digests[position]: entry_at(position) for position in range(len(records))})
    return entries


def _key(format_name: str) -> bytes:
    # The Python version too: its Unicode tables decide the NFC forms and accents of BibTeX text.
    key = (
        ENTRY_FORMAT_VERSION,
        format_name,
        tuple(sys.version_info[:2]),
        cache.code_digest(),
        _library_stamp(),
    )
    return repr(key).encode("utf-8", "backslashreplace")


def _library_stamp() -> tuple[tuple[str, int, int], ...]:
    """(path, size, mtime_ns) of each of _LIBRARY_FILES where the import system would find it (the
    first folder of sys.path that has it); an upgrade rewrites them. A few stat calls, where
    `importlib.metadata` would cost milliseconds."""
    stamps = []
    for parts in _LIBRARY_FILES:
        places = (Path(folder or os.curdir).joinpath(*parts) for folder in sys.path)
        stamps.append(cache.file_stamp(next((path for path in places if path.is_file()), Path(*parts))))
    return tuple(stamps)


def _read(path: Path, key: bytes) -> dict[str, bytes] | None:
    """The stored entries by content digest, or None for a missing, stale or damaged file."""
    found = cache.read_file(path, key)
    if found is None:
        return None
    directory, body = found
    try:
        count, expected_checksum = directory
        if cache.checksum(body) != expected_checksum:
            return None
        # Our own file in the user's own cache folder, checked against its key and checksum above.
        entries = marshal.loads(body)  # noqa: S302
    except (TypeError, ValueError, EOFError):
        return None
    if not isinstance(entries, dict) or len(entries) != count:
        return None
    if not all(type(digest) is str and type(entry) is bytes for digest, entry in entries.items()):
        return None
    with contextlib.suppress(OSError):  # its mtime says when it was last used (see cache._prune)
        os.utime(path)
    return entries


def _write(path: Path, key: bytes, entries: dict[str, bytes]) -> None:
    body = marshal.dumps(entries)
    cache.write_file(path, key, marshal.dumps((len(entries), cache.checksum(body))), body)
