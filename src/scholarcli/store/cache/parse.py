"""A parse cache: a store's validated records kept as marshal data, so a read need not parse YAML again.

Parsing a 10,000-record store takes seconds; loading the same records from marshal takes milliseconds.
One cache file per store folder lives in the user cache folder. It is used only when its key matches:
the format, the package's code (a hash of every module: `code_digest`), the Python version, the year (validation depends on it) and, for each
store file, its size, mtime_ns and a 128-bit XXH3 hash of its bytes, so any edit (even one that keeps
size and mtime) is seen. XXH3, not SHA-256: it reads 13 MB in 1 ms instead of 9 ms, and the hash only
has to notice an edit, not resist an attacker who can already write the store.

A missing, stale, truncated or corrupt cache is ignored and rebuilt: checksums guard the directory
(checked on reading), each record (checked when it is built; a damaged one makes the command parse
the store after all) and each index section (checked when first used; a damaged one is recomputed).
A cache that cannot be written is skipped. Files are replaced atomically, so readers see an old or a
new cache, never part of one. Only reads use it: writes re-read the store under its lock
(`load_library(..., use_cache=False)`), and then, after a successful replace, write the cache of the
new file from the old one (`store/cache/update.py`), so the next read is warm.

Beside the records it keeps the query index (`query/index.py`), and its body is mapped and used a piece at a
time (`store/cache/records.py`): a command pays for the records and index sections it touches, not the store.
"""

from __future__ import annotations

import array
import contextlib
import dataclasses
import datetime
import functools
import marshal
import mmap
import os
import struct
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import xxhash

from scholarcli.errors import Problem, StoreChangedError, display_path
from scholarcli.model import Library, Name, Profile, Publication, Theme
from scholarcli.query.index import RecordIndex, TextSection, name_fields, rebuild
from scholarcli.store.cache.records import CachedRecords, checksum, record_row, stored_texts
from scholarcli.store.gcpause import gc_paused
from scholarcli.store.loaded import LoadedStore
from scholarcli.store.locate import APP_NAME, STORE_FILES, StoreLocation

NO_CACHE_ENV = "SCHOLAR_NO_CACHE"
# 2: records built on first use from a mapped body; the query index. 3: each work's content digest.
# 4: XXH3 hashes and checksums instead of SHA-256 and CRC-32; a checksum per record. 5: the index's
# names and search texts folded by `query.search_fold` (ł as l, one apostrophe, one dash). 6: the
# issue #11 fields (translators in the name table, month, day, isbn, extra, ...). 7: works with no
# year or no names are valid (a warning), sorted and grouped as undated. 8: a name's roles (issue #14)
# in the name table.
FORMAT_VERSION = 8
_MAGIC = b"SCHOLARCLI-CACHE"
# MAGIC; the lengths of the key, the directory and the body; the directory's checksum. Then the key, the
# directory (marshal data: the profile, themes, names, ids, sort orders and the body's layout and
# checksums) and the body, which is mapped, not read: each record's marshal blob, then the index's text
# sections (search texts, TSV rows, name texts, content digests), each unmarshalled (and checked) on
# first use.
_HEADER = struct.Struct("<16sIQQQ")
_HASH_CHUNK = 1 << 20
_UNUSED_CACHE_SECONDS = 30 * 24 * 3600
_ORPHAN_TEMP_SECONDS = 3600

_PROFILE_FIELDS = tuple(field.name for field in dataclasses.fields(Profile))

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
    folder_key = xxhash.xxh3_128_hexdigest(os.fsencode(location.path.absolute()))
    return cache_folder() / f"{folder_key}.marshal"


def load(location: StoreLocation, parse: Parser) -> LoadedStore:
    """The store's content from its cache when the cache is current, else from `parse` (then cached).

    `parse(location, contents)` must read the store from `contents` (file name -> bytes) and raise
    StoreInvalidError for a store with errors; such a store is never cached.
    """
    try:
        stamps = [content_stamp(location.file(name)) for name in STORE_FILES]
    except OSError:  # a missing or unreadable file: let the parser report it
        return parse(location, {})
    path = cache_file(location)
    key = cache_key(location, stamps)
    # Unmarshalling (or parsing and encoding) builds a million objects that all live on: the cyclic
    # collector would walk them again and again for nothing.
    with gc_paused():
        cached = read_file(path, key)
        if cached is not None:
            with contextlib.suppress(TypeError, ValueError, IndexError, KeyError, AttributeError):
                loaded = _decode(
                    location, *cached, functools.partial(_reparse, location, parse, path, stamps)
                )
                with contextlib.suppress(OSError):  # its mtime says when it was last used (see _prune)
                    os.utime(path)
                return loaded
            # (a payload of another shape falls through to a parse)
        contents = _read_contents(location)
        if contents is None:
            return parse(location, {})
        loaded = parse(location, contents)
        # Key the cache by the bytes that were parsed (they may differ from what was hashed above, if the
        # file changed in between): a cache never holds records that do not match its key.
        parsed_stamps = [
            _stamp_of_bytes(stamp, contents[name]) for name, stamp in zip(STORE_FILES, stamps, strict=True)
        ]
        key = cache_key(location, parsed_stamps)
        # The index goes into the cache; this run uses it too, so a miss answers as a hit would.
        loaded = dataclasses.replace(loaded, kept_index=loaded.index)
        encoded = _encode(location, loaded)
        if encoded is not None:
            write_file(path, key, *encoded)
        return loaded


def content_stamp(path: Path) -> tuple[int, int, bytes]:
    """(size, mtime_ns, XXH3-128 of the bytes), reading the file in chunks to keep memory flat."""
    with path.open("rb") as handle:
        status = os.fstat(handle.fileno())
        digest = xxhash.xxh3_128()
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return status.st_size, status.st_mtime_ns, digest.digest()


def _stamp_of_bytes(stamp: tuple[int, int, bytes], data: bytes) -> tuple[int, int, bytes]:
    return len(data), stamp[1], xxhash.xxh3_128_digest(data)


def _read_contents(location: StoreLocation) -> dict[str, bytes] | None:
    try:
        return {name: location.file(name).read_bytes() for name in STORE_FILES}
    except OSError:
        return None


def code_digest() -> str:
    """A hash of the code that decides what a cache holds: every .py file of the installed package.

    Any module counts, not a hand-kept list of those thought to matter: a new exporter, a changed
    validator or model invalidates every parse and entry cache. Hashing ~50 files on each run would cost
    a few milliseconds, so the hash is kept in the cache folder under a digest of the files' (name,
    size, mtime_ns), which a walk of the package's folders gives in a fraction of one: it is computed
    once per install (and again after any module changes). A package that cannot be walked (a zipped
    or frozen install) gives "", and the version in the key must do.
    """
    global _code_digest
    if _code_digest is None:
        _code_digest = _compute_code_digest(_PACKAGE)
    return _code_digest


_PACKAGE = Path(__file__).resolve().parents[2]  # scholarcli/, from scholarcli/store/cache/parse.py
_code_digest: str | None = None


def package_files(package: Path) -> list[tuple[str, int, int]]:
    """(path relative to `package`, size, mtime_ns) of each of its .py files, its subpackages' too."""
    found = []
    folders = [(package, "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".py") and entry.is_file():
                    status = entry.stat()
                    found.append((prefix + entry.name, status.st_size, status.st_mtime_ns))
                elif (
                    entry.is_dir() and entry.name not in _NOT_CODE_FOLDERS and not entry.name.startswith(".")
                ):
                    folders.append((Path(entry.path), f"{prefix}{entry.name}/"))
    return sorted(found)


_NOT_CODE_FOLDERS = frozenset({"__pycache__", "data"})


def _compute_code_digest(package: Path) -> str:
    try:
        files = package_files(package)
    except OSError:
        return ""
    stamp_digest = xxhash.xxh3_128_hexdigest(repr(files).encode("utf-8", "backslashreplace"))
    memo = cache_folder().parent / "code" / f"{stamp_digest}.digest"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        kept = memo.read_text(encoding="ascii")
        if len(kept) == 32 and kept.isalnum():
            return kept
    digest = xxhash.xxh3_128()
    try:
        for name, _, _ in files:
            data = (package / name).read_bytes()
            digest.update(repr((name, len(data))).encode("utf-8", "backslashreplace"))
            digest.update(data)
    except OSError:
        return ""
    hexdigest = digest.hexdigest()
    temp = memo.with_name(f".{memo.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(hexdigest, encoding="ascii")
        temp.replace(memo)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        return hexdigest
    _prune(memo.parent, keep=memo)  # the digests of installs not seen for a month
    return hexdigest


def file_stamp(path: Path, name: str | None = None) -> tuple[str, int, int]:
    """(name or path, size, mtime_ns) of a file, or sizes of -1 when it cannot be read (a zipped or
    frozen install: the version alone must do)."""
    try:
        status = path.stat()
    except OSError:
        return (name or str(path), -1, -1)
    return (name or str(path), status.st_size, status.st_mtime_ns)


def cache_key(location: StoreLocation, stamps: list[tuple[int, int, bytes]]) -> bytes:
    from scholarcli import __version__

    key = (
        FORMAT_VERSION,
        __version__,
        code_digest(),
        tuple(sys.version_info[:2]),
        marshal.version,
        sys.byteorder,  # the sort orders and offsets are stored as machine integers
        datetime.date.today().year,
        str(location.path.absolute()),
        tuple((name, *stamp) for name, stamp in zip(STORE_FILES, stamps, strict=True)),
    )
    # repr, not marshal: marshal's output depends on reference counts (it shares objects referred to
    # more than once), so equal keys could give different bytes in different processes.
    return repr(key).encode("utf-8", "backslashreplace")


def read_file(path: Path, key: bytes) -> tuple[Any, memoryview] | None:
    """The directory and the body stored under `key`, or None for a missing, stale, truncated or
    corrupt file (see `_map_or_read` for the body). Also reads the entry cache's files."""
    try:
        with path.open("rb") as handle:
            header = handle.read(_HEADER.size)
            if len(header) != _HEADER.size:
                return None
            magic, key_length, directory_length, body_length, directory_checksum = _HEADER.unpack(header)
            if magic != _MAGIC or key_length != len(key) or handle.read(key_length) != key:
                return None
            directory = handle.read(directory_length)
            body_start = _HEADER.size + key_length + directory_length
            size = os.fstat(handle.fileno()).st_size
            if len(directory) != directory_length or size != body_start + body_length:
                return None
            if checksum(directory) != directory_checksum:
                return None
            body = _map_or_read(handle, body_start, body_length)
    except (OSError, ValueError):
        return None
    try:
        # Our own file in the user's own cache folder, checked against its key and checksum above.
        return marshal.loads(directory), body  # noqa: S302
    except (EOFError, ValueError, TypeError):
        return None


def _map_or_read(handle: BinaryIO, start: int, length: int) -> memoryview:
    """The body: mapped where that is safe, so a command copies out only the parts it uses.

    On Windows a mapped file cannot be replaced, which would keep other processes from refreshing the
    cache, and some network file systems cannot map at all: there (and when mapping fails) it is read.
    A cache file is only ever replaced by a rename, which leaves a mapped old file intact.
    """
    if length and os.name == "posix":
        with contextlib.suppress(OSError, ValueError):
            return memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))[start:]
    handle.seek(start)
    data = handle.read(length)
    if len(data) != length:
        raise ValueError("a truncated cache")
    return memoryview(data)


def write_file(
    path: Path, key: bytes, directory: bytes, body: bytes | bytearray | Sequence[bytes | memoryview]
) -> None:
    """Write the cache beside its final name and rename it into place; failures only cost the cache.
    `body` may be given as its parts, written one after the other (a cache update writes the records
    it keeps straight from the old file's mapping, without copying them into memory first)."""
    parts = [body] if isinstance(body, (bytes, bytearray)) else body
    temp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temp.open("xb") as handle:
            length = sum(len(part) for part in parts)
            handle.write(_HEADER.pack(_MAGIC, len(key), len(directory), length, checksum(directory)))
            handle.write(key)
            handle.write(directory)
            for part in parts:
                handle.write(part)
        temp.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        return
    _prune(path.parent, keep=path)


def _prune(folder: Path, keep: Path) -> None:
    """Remove caches (and entry caches) of stores not read for a month, and temp files a crashed
    writer left behind."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.path == str(keep):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
            stale = entry.name.endswith((".marshal", ".entries", ".digest")) and age > _UNUSED_CACHE_SECONDS
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

    def index_of(name: Name) -> int:
        return name_index.setdefault(name, len(name_index))

    body = bytearray()
    ends = []
    record_checksums = []
    for publication in library.publications:
        # A row holds only str, int, bool, None and tuples of them: marshal's own types.
        blob = marshal.dumps(record_row(publication, index_of))  # type: ignore[arg-type]
        body += blob
        ends.append(len(body))
        record_checksums.append(checksum(blob))
    index = loaded.index
    sections = []  # (end, checksum) of each text section, in LAZY_SECTIONS order
    for name in LAZY_SECTIONS:
        start = len(body)
        body += marshal.dumps(tuple(getattr(index, name)))
        sections.append((len(body), checksum(memoryview(body)[start:])))
    directory = (
        tuple(name_fields(name) for name in name_index),
        tuple((theme.id, theme.title, theme.summary) for theme in library.themes),
        tuple(getattr(library.profile, field) for field in _PROFILE_FIELDS),
        tuple(warnings),
        tuple(index.ids),
        # Positions and offsets as machine integers: read back by copying bytes, not by building and
        # keeping 50,000 int objects (the key holds the byte order).
        {key: array.array("q", order).tobytes() for key, order in index.orders.items()},
        array.array("q", ends).tobytes(),
        array.array("Q", record_checksums).tobytes(),
        tuple(sections),
    )
    return marshal.dumps(directory), bytes(body)


def _reparse(
    location: StoreLocation, parse: Parser, path: Path, stamps: list[tuple[int, int, bytes]]
) -> Sequence[Publication]:
    """The store's records parsed from its files, for a cache found damaged after it was read.

    They are parsed from the very bytes the cache was keyed by (each file's size and XXH3 checked
    against the stamps of that read), so they equal what the cache held, and the records, index and
    warnings already handed out from it stay true; a store changed since is an error, not a mix of two
    versions. The damaged file is removed, so the next read writes it afresh.
    """
    with contextlib.suppress(OSError):
        path.unlink()
    contents = _read_contents(location)
    if contents is None or any(
        _stamp_of_bytes(stamp, contents[name]) != stamp
        for name, stamp in zip(STORE_FILES, stamps, strict=True)
    ):
        raise StoreChangedError(
            f"{display_path(location.path)}: the store changed while it was being read; run the command again"
        )
    return parse(location, contents).library.publications


# The index's text sections: large, and each needed by few commands.
LAZY_SECTIONS: tuple[TextSection, ...] = ("search_texts", "tsv_rows", "names_texts", "digests")


def integers(data: bytes, typecode: str = "q") -> array.array[int]:
    integers = array.array(typecode)
    integers.frombytes(data)
    return integers


def _decode(
    location: StoreLocation, directory: Any, body: memoryview, reparse: Callable[[], Sequence[Publication]]
) -> LoadedStore:
    (
        name_rows,
        theme_rows,
        profile_row,
        warning_rows,
        ids,
        order_bytes,
        end_bytes,
        checksum_bytes,
        sections,
    ) = directory
    count = len(ids)
    ends = integers(end_bytes)
    records_end = ends[-1] if ends else 0
    orders = {key: integers(data) for key, data in order_bytes.items()}
    if len(ends) != count or any(len(order) != count for order in orders.values()):
        raise ValueError("a damaged cache")
    # Each record is checked when it is built (see CachedRecords), so a read touches only the pages of
    # the records it uses; one found damaged then falls back to a parse of the store.
    records = CachedRecords(
        body, ends, integers(checksum_bytes, "Q"), tuple(Name(*row) for row in name_rows), reparse
    )
    texts = {}
    start = records_end
    for name, (end, expected) in zip(LAZY_SECTIONS, sections, strict=True):
        texts[name] = stored_texts(
            body[start:end], count, expected, functools.partial(rebuild, name, records)
        )
        start = end
    library = Library(
        profile=Profile(*profile_row), themes=tuple(Theme(*row) for row in theme_rows), publications=records
    )
    paths = [display_path(location.file(name)) for name in STORE_FILES]
    warnings = tuple(
        Problem(paths[index], line, column, message, severity, field)
        for index, line, column, message, severity, field in warning_rows
    )
    return LoadedStore(location, library, warnings, kept_index=RecordIndex(ids=ids, orders=orders, **texts))
