"""The parse cache carried across a write: our own writes leave it warm for the new file.

Without this, the first read after `add`, `set`, `remove`, `edit` or `import` finds a cache keyed by
the old bytes and parses the whole store again (~1.8 s and ~285 MiB at 10,000 records). A write knows
what it changed, so after its replace succeeded, still under the store's lock (two writers cannot
interleave cache files), it writes the cache of the new file from the old one:

- the file is cut into record regions, each from a record's `- ` line to the next one's (the last to
  the end of the file), as the Outline finds them; a region whose lines did not change keeps its
  record: its marshal blob, index texts and warnings are copied (the blobs and texts written straight
  from the old cache file's mapping, the warnings moved by the lines inserted or removed before it); every changed region (a record set, replaced or added, the last
  record of an add with what was appended after it) is parsed and validated on its own, with its
  lines offset to where it is, and its records built into blobs and index entries; removed regions
  drop their records;
- the sort orders lose the removed positions and take each new record by binary search (the orders
  are total, so that is the order a sort gives);
- the key is the new file's stamp (size, mtime_ns, XXH3 of the bytes written).

The result reads back identical to the cache a cold read would build (records, index, warnings; tested
over random sequences of writes). It is not byte-identical: the name table keeps the names of removed
records and lists new names last, which no reader can tell. A region parses on its own as it does in
the file because the file is a plain block list of records (the writes refuse any other shape), YAML
aliases are refused by the reader, and `%` directives in the header make us stop.

It is only done when it is safe and cheap: the old cache must be valid for the bytes the write read
(same key, so the profile and themes are also unchanged), and the themes the write validated against
must be the cached ones. Otherwise, or on a failure (`UPDATE_FAILURES`: the file system, a cache that
does not decode, no memory), nothing is written: the next read rebuilds the cache as before. Such a
failure never fails the write; any other exception is a bug and is not hidden.
"""

from __future__ import annotations

import array
import bisect
import functools
import marshal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import xxhash

from scholarcli.errors import Problem, display_path
from scholarcli.model import Name, Publication
from scholarcli.query.index import name_fields, rebuild
from scholarcli.query.keys import sort_keys
from scholarcli.query.selection import SORT_KEYS
from scholarcli.store import validate, yamlio
from scholarcli.store.cache import parse as cache
from scholarcli.store.cache.records import CachedRecords, checksum, record_row
from scholarcli.store.gcpause import gc_paused
from scholarcli.store.locate import PUBLICATIONS_FILE, STORE_FILES, StoreLocation

_PUBLICATIONS_INDEX = STORE_FILES.index(PUBLICATIONS_FILE)


class LinesBefore:
    """The number of lines before `offset` in `data`, counted when first asked for.

    Counting the lines of a 13 MB store takes ~15 ms, and an add needs the number only to place
    warnings (the old ones, and any in the records it reads again), which most stores have none of."""

    __slots__ = ("_count", "data", "offset")

    def __init__(self, data: bytes, offset: int) -> None:
        self.data = data
        self.offset = offset
        self._count: int | None = None

    def __int__(self) -> int:
        if self._count is None:
            self._count = self.data.count(b"\n", 0, self.offset)
        return self._count


@dataclass(frozen=True)
class Kept:
    """Old records [start, end), whose regions were old lines [line_start, line_end) (0-based), now
    `shift` lines further down."""

    start: int
    end: int
    line_start: int
    line_end: int | LinesBefore
    shift: int


@dataclass(frozen=True)
class Fresh:
    """Text of one or more records to parse, starting `line_offset` lines into the file."""

    text: str
    line_offset: int | LinesBefore
    count: int | None = None  # the number of records it must give, where the writer knows it
    # The old record it reads again first (the last one, for an add): kept as it was when it reads
    # back the same (an add then leaves every old record, blob and index entry as it was).
    rereads: int | None = None


Segment = Kept | Fresh


class _GiveUpError(Exception):
    """The update is not safe or not possible: leave the cache for the next read to rebuild."""


# What makes an update fail without a bug: it gives up (`_GiveUpError`), the file system refuses
# (`OSError`: the cache folder, the old cache, the new file's stat), the old cache does not decode as
# this version writes it (marshal's `ValueError` and `EOFError`, `array.frombytes`'s `ValueError`), or
# there is no memory for the new one. Any other exception is a bug, and is not hidden.
UPDATE_FAILURES = (_GiveUpError, OSError, ValueError, EOFError, MemoryError)


def appended_segments(old_raw: bytes, extra: bytes, added: int | None, count: int) -> list[Segment]:
    """The regions of a file that is `old_raw` (`count` records) with `extra` (`added` records, where
    known) appended: every record but the last kept, the last read again with what follows it (an
    append can change its last value: a final line break, the trailing blank lines of a `|+` scalar).
    Bytes, not text: finding and counting lines in 13 MB of text costs ~25 ms, in its bytes ~3."""
    if count == 0:
        raise _GiveUpError
    body = old_raw.removeprefix(_BOM)
    last = body.rfind(b"\n-")
    while last >= 0 and body[last + 2 : last + 3] not in (b"", b" ", b"\t", b"\r", b"\n"):
        last = body.rfind(b"\n-", 0, last)
    if last >= 0:
        last += 1
    elif body.startswith(b"-"):
        last = 0
    else:
        raise _GiveUpError
    lines_before = LinesBefore(body, last)
    text = (body[last:] + extra).decode("utf-8")
    fresh = Fresh(text, lines_before, None if added is None else 1 + added, count - 1)
    return [Kept(0, count - 1, 0, lines_before, 0), fresh] if count > 1 else [fresh]


_BOM = "\ufeff".encode()


def outline_segments(
    old_lines: Sequence[str], old_firsts: Sequence[int], old_spans: Sequence[object], lines: Sequence[str],
    spans: Sequence[Any], count: int,
) -> list[Segment]:  # fmt: skip
    """The regions of a file edited through an Outline: `old_spans` (RecordSpan objects, at
    `old_firsts` in `old_lines`) are the records before (as many as the cache's `count`), `spans` those
    after, in `lines`."""
    if not old_spans or not spans or len(old_spans) != count:
        raise _GiveUpError
    # Before the first record: blank lines, comments and a `---` (writes refuse anything else). A
    # record removed or edited may move comments into it or out of it, nothing else.
    header, old_header = lines[: spans[0].first], old_lines[: old_firsts[0]]
    if any(line.startswith("%") for line in old_header) or (
        header != old_header and _content_lines(header) != _content_lines(old_header)
    ):
        raise _GiveUpError
    position = {id(span): number for number, span in enumerate(old_spans)}
    old_ends = [*old_firsts[1:], len(old_lines)]
    segments: list[Segment] = []
    previous = -1
    for number, span in enumerate(spans):
        first = span.first
        end = spans[number + 1].first if number + 1 < len(spans) else len(lines)
        old = position.get(id(span))
        if old is not None and old <= previous:
            raise _GiveUpError
        if old is not None:
            previous = old
            old_first, old_end = old_firsts[old], old_ends[old]
        if (  # (a span that was not there before is a record the edits added: read)
            old is not None
            and end - first == old_end - old_first
            and lines[first:end] == old_lines[old_first:old_end]
        ):
            last = segments[-1] if segments else None
            if isinstance(last, Kept) and last.end == old and last.shift == first - old_first:
                segments[-1] = Kept(last.start, old + 1, last.line_start, old_end, last.shift)
            else:
                segments.append(Kept(old, old + 1, old_first, old_end, first - old_first))
            continue
        text = "".join(lines[first:end])
        last = segments[-1] if segments else None
        if isinstance(last, Fresh) and int(last.line_offset) + last.text.count("\n") == first:
            segments[-1] = Fresh(last.text + text, last.line_offset)
        else:
            segments.append(Fresh(text, first))
    return segments


def _content_lines(lines: Sequence[str]) -> list[str]:
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def update(
    location: StoreLocation,
    old_stamp: tuple[int, int, bytes],
    new_digest: bytes,
    theme_ids: Sequence[str],
    segments: Callable[[int], list[Segment]],
) -> bool:
    """Write the cache of the store's new publications file (whose XXH3-128 is `new_digest`) from the
    cache of the old one (whose stamp was `old_stamp`); `segments(old_count)` says how the new file's
    records come from the old. True when the cache was written. Never raises."""
    try:
        with gc_paused():
            return _update(location, old_stamp, new_digest, theme_ids, segments)
    except UPDATE_FAILURES:  # the write succeeded: a cache that cannot be updated only costs the cache
        return False


def _update(
    location: StoreLocation,
    old_stamp: tuple[int, int, bytes],
    new_digest: bytes,
    theme_ids: Sequence[str],
    segments_of: Callable[[int], list[Segment]],
) -> bool:
    if cache.bypassed():
        return False
    side = {
        name: cache.content_stamp(location.file(name)) for name in STORE_FILES if name != PUBLICATIONS_FILE
    }
    old_stamps = [old_stamp if name == PUBLICATIONS_FILE else side[name] for name in STORE_FILES]
    path = cache.cache_file(location)
    found = cache.read_file(path, cache.cache_key(location, old_stamps))
    if found is None:
        return False
    directory, body = found
    (
        name_rows,
        theme_rows,
        profile_row,
        warning_rows,
        old_ids,
        order_bytes,
        end_bytes,
        checksum_bytes,
        sections,
    ) = directory
    if tuple(row[0] for row in theme_rows) != tuple(theme_ids):
        return False
    count = len(old_ids)
    old_ends = cache.integers(end_bytes)
    old_checksums = cache.integers(checksum_bytes, "Q")
    if len(old_ends) != count or len(old_checksums) != count:
        return False
    try:
        segments = segments_of(count)
    except _GiveUpError:
        return False

    def reparse() -> Sequence[Publication]:
        raise _GiveUpError

    old_records = CachedRecords(body, old_ends, old_checksums, _Names(name_rows), reparse)
    # The names: the old table, new names added at its end.
    name_table: dict[tuple[object, ...], int] = {row: number for number, row in enumerate(name_rows)}
    new_name_rows = list(name_rows)

    def index_of(name: Name) -> int:
        row = name_fields(name)
        number = name_table.get(row)
        if number is None:
            number = name_table[row] = len(new_name_rows)
            new_name_rows.append(row)
        return number

    shown = display_path(location.file(PUBLICATIONS_FILE))
    # The new body, as its parts in order: slices of the old cache's mapping for what is kept, and the
    # bytes made now. They are written one after the other and never joined: copying 26 MB of kept
    # records into fresh memory cost more than the rest of an add's update (see `cache.write_file`).
    parts: list[bytes | memoryview] = []
    size = 0  # of the parts so far: where the next one starts in the new body

    def add_part(part: bytes | memoryview) -> None:
        nonlocal size
        parts.append(part)
        size += len(part)

    old_at = array.array("q")  # new position -> old position (-1 for a record parsed now)
    ends = array.array("q")
    checksums = array.array("Q")
    ids: list[str] = []
    new_position = array.array("q", [-1]) * count  # old position -> new position, -1 when gone
    runs: list[tuple[int, int] | int] = []  # where the new records come from: old ranges, fresh counts
    fresh: dict[int, Publication] = {}  # new position -> the record parsed now
    warnings = [row for row in warning_rows if row[0] != _PUBLICATIONS_INDEX]
    old_warnings = [row for row in warning_rows if row[0] == _PUBLICATIONS_INDEX]
    placed_warnings = 0

    def keep(start: int, end: int) -> None:
        if start == end:
            return
        start_byte = old_ends[start - 1] if start else 0
        offset = size - start_byte
        add_part(body[start_byte : old_ends[end - 1]])
        old_at.extend(range(start, end))
        new_start = len(ids)
        new_position[start:end] = array.array("q", range(new_start, new_start + end - start))
        ends.extend(
            old_ends[start:end]
            if offset == 0
            else array.array("q", (e + offset for e in old_ends[start:end]))
        )
        checksums.extend(old_checksums[start:end])
        ids.extend(old_ids[start:end])
        if runs and isinstance(runs[-1], tuple) and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))

    for segment in segments:
        if isinstance(segment, Kept):
            keep(segment.start, segment.end)
            for row in old_warnings:
                if segment.line_start < row[1] <= int(segment.line_end):
                    warnings.append((row[0], row[1] + segment.shift, *row[2:]))
                    placed_warnings += 1
            continue
        publications, problems = _parse(segment, shown, theme_ids)
        if segment.rereads is not None and publications[0] == old_records[segment.rereads]:
            keep(segment.rereads, segment.rereads + 1)
            publications = publications[1:]
        for publication in publications:
            fresh[len(ids)] = publication
            blob = marshal.dumps(record_row(publication, index_of))  # type: ignore[arg-type]
            add_part(blob)
            old_at.append(-1)
            ends.append(size)
            checksums.append(checksum(blob))
            ids.append(publication.id)
        if publications:
            runs.append(len(publications))
        warnings.extend(
            (_PUBLICATIONS_INDEX, p.line, p.column, p.message, p.severity, p.field) for p in problems
        )
    kept_regions = [segment for segment in segments if isinstance(segment, Kept)]
    dropped = [
        row for row in old_warnings if not any(s.line_start < row[1] <= int(s.line_end) for s in kept_regions)
    ]
    if placed_warnings + len(dropped) != len(old_warnings) or any(row[1] <= 0 for row in dropped):
        return False  # a warning outside every record region: not one this update can place
    if len({record_id.casefold() for record_id in ids}) != len(ids):
        return False  # a duplicate id: the store is invalid now, and a read must say so

    total = len(ids)
    keys: dict[int, Any] = {}

    def keys_of(position: int) -> Any:
        # A kept record is read from the old cache (the old name table is the start of the new one),
        # a new one is the record parsed now: the new body is never read back.
        found = keys.get(position)
        if found is None:
            old = old_at[position]
            found = keys[position] = sort_keys(old_records[old] if old >= 0 else fresh[position])
        return found

    removed = [old for old in range(count) if new_position[old] < 0] if total - len(fresh) != count else []
    renumbered = any(
        isinstance(run, tuple) and new_position[run[0]] != run[0] for run in runs
    )  # fmt: skip
    orders: dict[str, bytes] = {}
    for key in SORT_KEYS:
        order = cache.integers(order_bytes[key])
        if len(order) != count:
            return False
        if renumbered:
            order = array.array("q", [new_position[old] for old in order if new_position[old] >= 0])
        else:
            for old in removed:
                order.remove(old)
        for position in fresh:
            bisect.insort(order, position, key=functools.partial(_key_of, keys_of, key))
        orders[key] = order.tobytes()

    fresh_records = list(fresh.values())
    appended_only = runs[:1] == [(0, count)] and len(runs) <= 2  # an add: old texts, then new ones
    start = old_ends[-1] if count else 0
    section_rows = []
    for name, (end, expected) in zip(cache.LAZY_SECTIONS, sections, strict=True):
        data = body[start:end]
        start = end
        if checksum(data) != expected:
            return False
        computed = rebuild(name, fresh_records)
        section: list[bytes | memoryview]
        if appended_only and bytes(data[:1]) in (b"(", b"\xa8"):
            # Marshal's tuple: its type, a 4-byte count, the items. New items are appended in
            # format 2 (no references to other objects), which any format reads back.
            section = [bytes(data[:1]) + (count + len(computed)).to_bytes(4, "little"), data[5:]]
            section.extend(marshal.dumps(text, 2) for text in computed)
        else:
            old_texts = marshal.loads(data)  # noqa: S302  (checked just above)
            if not isinstance(old_texts, tuple) or len(old_texts) != count:
                return False
            texts: list[str] = []
            used = 0  # of `computed`
            for run in runs:
                if isinstance(run, tuple):
                    texts.extend(old_texts[run[0] : run[1]])
                else:
                    texts.extend(computed[used : used + run])
                    used += run
            section = [marshal.dumps(tuple(texts))]
        digest = xxhash.xxh3_64()  # the checksum of the section's parts, as one
        for part in section:
            digest.update(part)
            add_part(part)
        section_rows.append((size, digest.intdigest()))

    new_directory = (
        tuple(new_name_rows),
        theme_rows,
        profile_row,
        tuple(warnings),
        tuple(ids),
        orders,
        ends.tobytes(),
        checksums.tobytes(),
        tuple(section_rows),
    )
    status = location.file(PUBLICATIONS_FILE).stat()
    new_stamp = (status.st_size, status.st_mtime_ns, new_digest)
    new_stamps = [new_stamp if name == PUBLICATIONS_FILE else side[name] for name in STORE_FILES]
    cache.write_file(path, cache.cache_key(location, new_stamps), marshal.dumps(new_directory), parts)
    return True


def _key_of(keys_of: Callable[[int], Any], key: str, position: int) -> Any:
    return keys_of(position)[key]


class _Names(Sequence[Name]):
    """The name table's rows, each made a Name when a record being built uses it (most are not)."""

    def __init__(self, rows: Sequence[tuple[Any, ...]]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, position: Any) -> Any:
        return Name(*self._rows[position])


def _parse(
    segment: Fresh, shown: str, theme_ids: Sequence[str]
) -> tuple[tuple[Publication, ...], list[Problem]]:
    """The records of a region read on its own, as the whole file's read finds them there."""
    data, problems = yamlio.load_text(segment.text, shown)
    publications, record_problems = validate.read_publications(data, shown, theme_ids)
    problems = problems + record_problems
    if not publications or any(problem.severity == "error" for problem in problems):
        raise _GiveUpError
    if segment.count is not None and len(publications) != segment.count:
        raise _GiveUpError
    if not isinstance(data, list) or len(data) != len(publications):
        raise _GiveUpError  # an item that is not a record (an empty `-`): the regions would not line up
    return publications, [
        Problem(
            problem.path, problem.line + int(segment.line_offset), problem.column, problem.message,
            problem.severity, problem.field,
        )
        for problem in problems
    ]  # fmt: skip
