"""A parse cache: a store's validated records kept as marshal data, so a read need not parse YAML again.

Parsing a 10,000-record store takes seconds; loading the same records from marshal takes milliseconds.
One cache file per store folder lives in the user cache folder. It is used only when its key matches:
the format, the package's code, the Python version, the year (validation depends on it) and, for each
store file, its size, mtime_ns and a SHA-256 of its bytes, so any edit (even one that keeps size and
mtime) is seen. A missing, stale, truncated or corrupt cache is ignored and rebuilt; a cache that cannot
be written is skipped. Files are replaced atomically, so readers see an old or a new cache, never part
of one. Only reads use it: writes re-read the store under its lock (`load_library(..., use_cache=False)`).
"""

from __future__ import annotations

import array
import contextlib
import dataclasses
import datetime
import functools
import hashlib
import marshal
import mmap
import operator
import os
import struct
import sys
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, overload

from scholarcli.errors import Problem, display_path
from scholarcli.index import RecordIndex, build_index, rebuild
from scholarcli.model import Library, Name, Profile, Publication, Theme
from scholarcli.store import APP_NAME, STORE_FILES, LoadedStore, StoreLocation, _gc_paused

NO_CACHE_ENV = "SCHOLAR_NO_CACHE"
FORMAT_VERSION = 2  # 2: records built on first use from a mapped body; the query index
_MAGIC = b"SCHOLARCLI-CACHE"
# MAGIC; the lengths of the key, the directory and the body; the directory's CRC-32. Then the key, the
# directory (marshal data: the profile, themes, names, ids, sort orders and the body's layout and
# CRC-32s) and the body, which is mapped, not read: each record's marshal blob, then the index's text
# sections (search texts, TSV rows, name texts), each unmarshalled (and checked) on first use.
_HEADER = struct.Struct("<16sIQQI")
_HASH_CHUNK = 1 << 20
_UNUSED_CACHE_SECONDS = 30 * 24 * 3600
_ORPHAN_TEMP_SECONDS = 3600
# The modules whose code decides what a store parses into: a change to any of them invalidates caches.
_CODE_FILES = (
    "cache.py", "errors.py", "index.py", "listing.py", "model.py", "query.py", "store.py", "textsafe.py",
    "validate.py", "yamlio.py",
)  # fmt: skip

_PUBLICATION_FIELDS = tuple(field.name for field in dataclasses.fields(Publication))
_PROFILE_FIELDS = tuple(field.name for field in dataclasses.fields(Profile))
_NAME_FIELDS = tuple(field.name for field in dataclasses.fields(Name))
_publication_fields = operator.attrgetter(*_PUBLICATION_FIELDS)
_name_fields = operator.attrgetter(*_NAME_FIELDS)
_AUTHORS = _PUBLICATION_FIELDS.index("authors")
_EDITORS = _PUBLICATION_FIELDS.index("editors")

_bypass = False

Parser = Callable[[StoreLocation, Mapping[str, bytes]], LoadedStore]


def set_bypass(flag: bool) -> None:
    """Turn the cache off (or on again) for this process: the `--no-cache` option."""
    global _bypass
    _bypass = flag


def bypassed() -> bool:
    """Whether `--no-cache` was given or $SCHOLAR_NO_CACHE is set (to anything but empty or 0)."""
    return _bypass or os.environ.get(NO_CACHE_ENV, "") not in ("", "0")


def cache_folder() -> Path:
    import platformdirs  # only a cached read needs it

    return platformdirs.user_cache_path(APP_NAME) / "stores"


def cache_file(location: StoreLocation) -> Path:
    """The cache file of one store folder (named by a hash of its absolute path)."""
    folder_key = hashlib.sha256(os.fsencode(location.path.absolute())).hexdigest()[:32]
    return cache_folder() / f"{folder_key}.marshal"


def load(location: StoreLocation, parse: Parser) -> LoadedStore:
    """The store's content from its cache when the cache is current, else from `parse` (then cached).

    `parse(location, contents)` must read the store from `contents` (file name -> bytes) and raise
    StoreInvalidError for a store with errors; such a store is never cached.
    """
    try:
        stamps = [_file_stamp(location.file(name)) for name in STORE_FILES]
    except OSError:  # a missing or unreadable file: let the parser report it
        return parse(location, {})
    path = cache_file(location)
    key = _key(location, stamps)
    # Unmarshalling (or parsing and encoding) builds a million objects that all live on: the cyclic
    # collector would walk them again and again for nothing.
    with _gc_paused():
        cached = _read(path, key)
        if cached is not None:
            with contextlib.suppress(TypeError, ValueError, IndexError, KeyError, AttributeError):
                loaded = _decode(location, *cached)
                with contextlib.suppress(OSError):  # its mtime says when it was last used (see _prune)
                    os.utime(path)
                return loaded
            # (a payload of another shape falls through to a parse)
        contents = _read_contents(location)
        if contents is None:
            return parse(location, {})
        loaded = parse(location, contents)
        # The index goes into the cache; this run uses it too, so a miss answers as a hit would.
        library = loaded.library
        loaded = dataclasses.replace(
            loaded, library=dataclasses.replace(library, index=build_index(library.publications))
        )
        # Key the cache by the bytes that were parsed (they may differ from what was hashed above, if the
        # file changed in between): a cache never holds records that do not match its key.
        parsed_stamps = [
            _stamp_of_bytes(stamp, contents[name]) for name, stamp in zip(STORE_FILES, stamps, strict=True)
        ]
        encoded = _encode(location, loaded)
        if encoded is not None:
            _write(path, _key(location, parsed_stamps), *encoded)
        return loaded


def _file_stamp(path: Path) -> tuple[int, int, bytes]:
    """(size, mtime_ns, SHA-256 of the bytes), reading the file in chunks to keep memory flat."""
    with path.open("rb") as handle:
        status = os.fstat(handle.fileno())
        digest = hashlib.sha256()
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return status.st_size, status.st_mtime_ns, digest.digest()


def _stamp_of_bytes(stamp: tuple[int, int, bytes], data: bytes) -> tuple[int, int, bytes]:
    return len(data), stamp[1], hashlib.sha256(data).digest()


def _read_contents(location: StoreLocation) -> dict[str, bytes] | None:
    try:
        return {name: location.file(name).read_bytes() for name in STORE_FILES}
    except OSError:
        return None


def _code_stamp() -> tuple[tuple[str, int, int], ...]:
    here = Path(__file__).resolve().parent
    stamps = []
    for name in _CODE_FILES:
        try:
            status = (here / name).stat()
        except OSError:  # a zipped or frozen install: the version alone must do
            stamps.append((name, -1, -1))
        else:
            stamps.append((name, status.st_size, status.st_mtime_ns))
    return tuple(stamps)


def _key(location: StoreLocation, stamps: list[tuple[int, int, bytes]]) -> bytes:
    from scholarcli import __version__

    key = (
        FORMAT_VERSION,
        __version__,
        _code_stamp(),
        tuple(sys.version_info[:2]),
        marshal.version,
        datetime.date.today().year,
        str(location.path.absolute()),
        tuple((name, *stamp) for name, stamp in zip(STORE_FILES, stamps, strict=True)),
    )
    # repr, not marshal: marshal's output depends on reference counts (it shares objects referred to
    # more than once), so equal keys could give different bytes in different processes.
    return repr(key).encode("utf-8", "backslashreplace")


def _read(path: Path, key: bytes) -> tuple[Any, memoryview] | None:
    """The directory and the body stored under `key`, or None for a missing, stale, truncated or
    corrupt file. The body is a read-only map of the file: only what a command uses is copied out of
    it (a rename that replaces the file leaves a mapped old file intact)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(_HEADER.size)
            if len(header) != _HEADER.size:
                return None
            magic, key_length, directory_length, body_length, directory_crc = _HEADER.unpack(header)
            if magic != _MAGIC or key_length != len(key) or handle.read(key_length) != key:
                return None
            directory = handle.read(directory_length)
            body_start = _HEADER.size + key_length + directory_length
            size = os.fstat(handle.fileno()).st_size
            if len(directory) != directory_length or size != body_start + body_length:
                return None
            if zlib.crc32(directory) != directory_crc:
                return None
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if body_length else b""
    except (OSError, ValueError):
        return None
    try:
        # Our own file in the user's own cache folder, checked against its key and checksum above.
        return marshal.loads(directory), memoryview(mapped)[body_start:]  # noqa: S302
    except (EOFError, ValueError, TypeError):
        return None


def _write(path: Path, key: bytes, directory: bytes, body: bytes) -> None:
    """Write the cache beside its final name and rename it into place; failures only cost the cache."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temp.open("xb") as handle:
            handle.write(_HEADER.pack(_MAGIC, len(key), len(directory), len(body), zlib.crc32(directory)))
            handle.write(key)
            handle.write(directory)
            handle.write(body)
        temp.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        return
    _prune(path.parent, keep=path)


def _prune(folder: Path, keep: Path) -> None:
    """Remove caches of stores not read for a month and temp files a crashed writer left behind."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.path == str(keep):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
            stale = entry.name.endswith(".marshal") and age > _UNUSED_CACHE_SECONDS
            orphan = entry.name.endswith(".tmp") and age > _ORPHAN_TEMP_SECONDS
            if stale or orphan:
                with contextlib.suppress(OSError):
                    Path(entry.path).unlink()


def _encode(location: StoreLocation, loaded: LoadedStore) -> tuple[bytes, bytes] | None:
    """Plain data for marshal. Names are stored once and referred to by index; each record is its own
    marshal blob, built into a Publication only when it is used; the query index comes along. None when
    a problem's path is not one of the store's files (it could not be shown relative to another
    working folder)."""
    library = loaded.library
    paths = {display_path(location.file(name)): index for index, name in enumerate(STORE_FILES)}
    warnings = []
    for problem in loaded.warnings:
        if problem.path not in paths:
            return None
        warnings.append(
            (
                paths[problem.path],
                problem.line,
                problem.column,
                problem.message,
                problem.severity,
                problem.field,
            )
        )
    name_index: dict[Name, int] = {}
    index_of = name_index.setdefault
    body = bytearray()
    ends = []
    for publication in library.publications:
        row = list(_publication_fields(publication))
        row[_AUTHORS] = tuple([index_of(name, len(name_index)) for name in row[_AUTHORS]])
        row[_EDITORS] = tuple([index_of(name, len(name_index)) for name in row[_EDITORS]])
        body += marshal.dumps(tuple(row))
        ends.append(len(body))
    records_crc = zlib.crc32(body)
    index = library.index if library.index is not None else build_index(library.publications)
    sections = []  # (end, CRC-32) of each text section, in _LAZY_SECTIONS order
    for name in _LAZY_SECTIONS:
        start = len(body)
        body += marshal.dumps(tuple(getattr(index, name)))
        sections.append((len(body), zlib.crc32(memoryview(body)[start:])))
    directory = (
        tuple(_name_fields(name) for name in name_index),
        tuple((theme.id, theme.title, theme.summary) for theme in library.themes),
        tuple(getattr(library.profile, field) for field in _PROFILE_FIELDS),
        tuple(warnings),
        tuple(index.ids),
        # Positions as machine integers: read back by copying bytes, not by building 40,000 ints.
        {key: array.array("q", order).tobytes() for key, order in index.orders.items()},
        tuple(ends),
        records_crc,
        tuple(sections),
    )
    return marshal.dumps(directory), bytes(body)


# The index's text sections: large, and each needed by few commands.
_LAZY_SECTIONS = ("search_texts", "tsv_rows", "names_texts")


def _decode(location: StoreLocation, directory: Any, body: memoryview) -> LoadedStore:
    (name_rows, theme_rows, profile_row, warning_rows, ids, order_bytes, ends, records_crc, sections) = (
        directory
    )
    count = len(ids)
    records_end = ends[-1] if ends else 0
    # The records are checked now, while a damaged cache can still fall back to a parse.
    if len(ends) != count or zlib.crc32(body[:records_end]) != records_crc:
        raise ValueError("a damaged cache")
    orders = {}
    for key, data in order_bytes.items():
        orders[key] = array.array("q")
        orders[key].frombytes(data)
        if len(orders[key]) != count:
            raise ValueError("a damaged cache")
    records = CachedRecords(body, ends, tuple(Name(*row) for row in name_rows))
    texts = {}
    start = records_end
    for name, (end, crc) in zip(_LAZY_SECTIONS, sections, strict=True):
        texts[name] = _Unmarshalled(body[start:end], count, crc, functools.partial(rebuild, name, records))
        start = end
    library = Library(
        profile=Profile(*profile_row),
        themes=tuple(Theme(*row) for row in theme_rows),
        publications=records,
        index=RecordIndex(ids=ids, orders=orders, **texts),
    )
    paths = [display_path(location.file(name)) for name in STORE_FILES]
    warnings = tuple(
        Problem(paths[index], line, column, message, severity, field)
        for index, line, column, message, severity, field in warning_rows
    )
    return LoadedStore(location, library, warnings)


class _Unmarshalled(Sequence[str]):
    """A tuple of texts kept as marshal bytes until first used. A section found damaged then (its
    CRC-32 differs) is computed again from the records (`rebuild`), which were checked on reading."""

    __slots__ = ("_crc", "_data", "_items", "_length", "_rebuild")

    def __init__(self, data: memoryview, length: int, crc: int, rebuild: Callable[[], Sequence[str]]) -> None:
        self._data = data
        self._length = length
        self._crc = crc
        self._rebuild = rebuild
        self._items: Sequence[str] | None = None

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, position: int) -> str: ...
    @overload
    def __getitem__(self, position: slice) -> Sequence[str]: ...
    def __getitem__(self, position: int | slice) -> str | Sequence[str]:
        if self._items is None:
            self._items = self._load()
        return self._items[position]

    def _load(self) -> Sequence[str]:
        if zlib.crc32(self._data) == self._crc:
            with contextlib.suppress(EOFError, ValueError, TypeError):
                items = marshal.loads(self._data)  # noqa: S302  (checked just above)
                if isinstance(items, tuple) and len(items) == self._length:
                    return items
        return self._rebuild()


# Setting each slot through its descriptor skips the frozen dataclass's __init__, which sets every
# field through object.__setattr__: building a record this way takes ~3 µs instead of ~5.
_PUBLICATION_SETTERS = tuple(getattr(Publication, name).__set__ for name in _PUBLICATION_FIELDS)
_new_object = object.__new__
_set_authors = _PUBLICATION_SETTERS[_AUTHORS]
_set_editors = _PUBLICATION_SETTERS[_EDITORS]


class CachedRecords(Sequence[Publication]):
    """A store's records from the cache, each built into a Publication the first time it is used.

    `show ID` or a filter that matches a few works builds a few records, not the whole store. Compares
    equal to any sequence of the same publications (such as the tuple a parse gives).
    """

    __slots__ = ("_body", "_built", "_ends", "_names")

    def __init__(self, body: bytes | memoryview, ends: Sequence[int], names: Sequence[Name]) -> None:
        self._body = body  # the records' marshal blobs, one after another; record n ends at ends[n]
        self._ends = ends
        self._names = names
        self._built: list[Publication | None] = [None] * len(ends)

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, position: int) -> Publication: ...
    @overload
    def __getitem__(self, position: slice) -> list[Publication]: ...
    def __getitem__(self, position: int | slice) -> Publication | list[Publication]:
        if isinstance(position, slice):
            return [self[n] for n in range(*position.indices(len(self._ends)))]
        publication = self._built[position]
        if publication is None:
            publication = self._built[position] = self._build(position % len(self._ends))
        return publication

    def __iter__(self) -> Iterator[Publication]:
        for position, publication in enumerate(self._built):
            yield publication if publication is not None else self[position]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # like a list: equal to sequences of other types

    def __repr__(self) -> str:
        return f"CachedRecords({len(self._ends)} records)"

    def _build(self, position: int) -> Publication:
        start = self._ends[position - 1] if position else 0
        # Our own data, checked against its key and checksum when the cache was read.
        row = marshal.loads(self._body[start : self._ends[position]])  # noqa: S302
        names = self._names.__getitem__
        publication = _new_object(Publication)
        for setter, value in zip(_PUBLICATION_SETTERS, row, strict=True):
            setter(publication, value)
        # The names were stored as indexes into the store's name table.
        _set_authors(publication, tuple(map(names, row[_AUTHORS])))
        _set_editors(publication, tuple(map(names, row[_EDITORS])))
        return publication
