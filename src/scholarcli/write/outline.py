"""The outline of a publications file, and the edits that splice its text.

Writes work on an *outline* instead of a parse of the whole file: the file's lines, the line spans of
its top-level records (`- id: ...` at the start of a line) and of each record's fields. Only the
records a write adds, edits or removes are rendered (`render`) or parsed (`scan.parse_record`);
comments, key order, quoting and blank lines elsewhere are copied through untouched. The edits
(`replace_lines`, `remove_record`, `append_records`) keep every span true, so edits may be made in
any order.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from scholarcli.errors import Problem, ScholarError
from scholarcli.store import yamlio
from scholarcli.write.render import render_field
from scholarcli.write.scan import (
    DOCUMENT_START,
    INDEXED_KEYS,
    NEEDS_YAML,
    RECORD_START,
    body_values,
    check_other_breaks,
    check_plain_list,
    has_other_break,
    single_line_value,
    split_bom,
    without_empty_flow_list,
)

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]|\r?$)")


@dataclass
class FieldSpan:
    """One `key: value` of a record: its lines, `[first, end)` as indexes into the file's lines."""

    key: str
    first: int
    end: int


class RecordSpan:
    """One top-level record: lines `[first, end)`; its keys start `key_indent` columns in.

    Its field spans are found on first use: most writes look at the fields of one record only.
    """

    __slots__ = ("_fields", "end", "first", "key_indent", "lines")

    def __init__(self, lines: list[str], first: int, end: int, key_indent: int) -> None:
        self.lines = lines
        self.first = first
        self.end = end
        self.key_indent = key_indent
        self._fields: dict[str, FieldSpan] | None = None

    @property
    def line(self) -> int:
        """The 1-based line of the record's `- `."""
        return self.first + 1

    @property
    def fields(self) -> dict[str, FieldSpan]:
        if self._fields is None:
            self._fields = _fields(self.lines, self.first, self.end, self.key_indent)
        return self._fields


def _split_lines(text: str) -> list[str]:
    # Only "\n" ends a line (as in YAML); str.splitlines would also split at U+2028, \x0c and others.
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


class Outline:
    """The record and field spans of a publications file, read without a YAML parse of the whole."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.bom, self.body = split_bom(text)
        emptied = without_empty_flow_list(self.body)
        if emptied is not None:
            self.body = emptied
        self.lines: list[str] = _split_lines(self.body)
        self.newline = "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"
        self.scan_text = "\n" + self.body  # offsets in it are those of the body, shifted by the "\n"
        self.line_starts = [0, *itertools.accumulate(len(line) for line in self.lines)]
        self.records: list[RecordSpan] = self._scan()
        # Lines [0, header_end) are the file's header, kept by every removal (see `remove_record`).
        self.header_end = _header_end(self.lines, self.records)
        self._values: dict[int, dict[str, str | None]] | None = None

    def _line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1

    def _scan(self) -> list[RecordSpan]:
        check_plain_list(self.body, self.path)
        starts = [self._line_of(match.start()) for match in RECORD_START.finditer(self.scan_text)]
        records = []
        for number, first in enumerate(starts):
            limit = starts[number + 1] if number + 1 < len(starts) else len(self.lines)
            records.append(_record(self.lines, first, limit))
        if has_other_break(self.body):
            check_other_breaks(self.body, self.path, len(records))
        return records

    def text(self) -> str:
        return self.bom + "".join(self.lines)

    def record_text(self, record: RecordSpan) -> str:
        return "".join(self.lines[record.first : record.end])

    def value(self, record: RecordSpan, key: str) -> str | None:
        """The text of a scalar field, decoded as YAML would; None when absent or not a scalar."""
        if key in INDEXED_KEYS:
            if self._values is None:
                self.index_values()
            assert self._values is not None
            return self._values[record.first].get(key)
        span = record.fields.get(key)
        if span is None:
            return None
        return _scalar_value(self.lines, span, record.key_indent)

    def index_values(self) -> None:
        """Read id, doi, title and year of every record with regex scans of the text (see
        `scan_values`), so `value` answers for them without walking each record's lines."""
        values = body_values(self.body, self.path)  # the shape was checked when outlining
        self._values = {record.first: found for record, found in zip(self.records, values, strict=True)}

    def ids(self) -> Iterator[tuple[str, RecordSpan]]:
        for record in self.records:
            record_id = self.value(record, "id")
            if record_id is not None:
                yield record_id, record


def newline_of(text: str) -> str:
    """The file's line ending, as `Outline.newline` reads it (from its first line)."""
    first_end = text.find("\n")
    return "\r\n" if first_end > 0 and text[first_end - 1] == "\r" else "\n"


def appended_part(text: str, texts: Sequence[str], newline: str) -> str:
    """What to add after `text` to append rendered records as `append_records` appends them to an
    Outline: the records, with the line end and blank lines the house style puts before them. A writer
    adds its bytes to the file's own bytes instead of encoding the whole text again."""
    if not texts:
        return ""
    body = split_bom(text)[1]
    last = body[body.rfind("\n", 0, len(body) - 1) + 1 :] if body else None
    parts = []
    if body and not body.endswith("\n"):
        parts.append(newline)
    previous_blank = last is None or _is_blank(last)
    for record in texts:
        if not previous_blank:
            parts.append(newline)
        parts.append(record)
        previous_blank = _is_blank(record.splitlines()[-1]) if record else True
    return "".join(parts)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_blank(line: str) -> bool:
    return not line.strip()


def _is_comment(line: str) -> bool:
    return line.lstrip(" \t").startswith("#")


def _record(lines: list[str], first: int, limit: int) -> RecordSpan:
    head = lines[first]
    after_dash = head[1:].rstrip("\r\n")
    if after_dash.strip() and not after_dash.strip().startswith("#"):
        key_indent = 1 + _indent(after_dash)
    else:  # `-` alone: the keys start on the next content line
        following = (
            line for line in lines[first + 1 : limit] if not _is_blank(line) and not _is_comment(line)
        )
        key_indent = _indent(next(following, "  "))
    # Trailing blank lines and comments at the record's own level belong to the gap, not the record.
    end = limit
    while end > first + 1 and (
        _is_blank(lines[end - 1]) or (_is_comment(lines[end - 1]) and _indent(lines[end - 1]) <= key_indent)
    ):
        end -= 1
    return RecordSpan(lines, first, end, key_indent)


def _fields(lines: list[str], first: int, end: int, key_indent: int) -> dict[str, FieldSpan]:
    fields: dict[str, FieldSpan] = {}
    current: FieldSpan | None = None
    for index in range(first, end):
        line = lines[index]
        body = line[key_indent:]
        if index > first and (_is_blank(line) or _indent(line) > key_indent):
            continue  # a continuation of the current field (or a blank line within it)
        if index > first and _indent(line) == key_indent and body.startswith("-"):
            continue  # an indentless sequence continuing the current field
        if current is not None:
            current.end = _last_content(lines, current.first, index) + 1
            current = None
        match = _KEY_LINE.match(body) if _indent(line) == key_indent or index == first else None
        if match and match.group(1) not in fields:
            current = FieldSpan(match.group(1), index, index + 1)
            fields[current.key] = current
    if current is not None:
        current.end = _last_content(lines, current.first, end) + 1
    return fields


def _last_content(lines: list[str], first: int, end: int) -> int:
    index = end - 1
    while index > first and (_is_blank(lines[index]) or _is_comment(lines[index])):
        index -= 1
    return index


def _scalar_value(lines: list[str], span: FieldSpan, key_indent: int) -> str | None:
    first = lines[span.first]
    if span.end - span.first == 1:
        value = single_line_value(first[first.index(":", key_indent) + 1 :])
        if value is not NEEDS_YAML:
            return value  # type: ignore[return-value]
    # Anything else (escapes, several lines, comments): the strict loader reads this one field.
    snippet = "".join(
        line[key_indent:] if not _is_blank(line) else "\n" for line in lines[span.first : span.end]
    )
    data, problems = yamlio.load_text(snippet, "")
    value = data.get(span.key) if isinstance(data, dict) and not problems else None
    return value if isinstance(value, str) else None


def append_records(outline: Outline, texts: Sequence[str]) -> None:
    """Add rendered records at the end, separated by a blank line as the house style has them."""
    if not texts:
        return
    lines = outline.lines
    block: list[str] = []
    last = lines[-1] if lines else None
    if last is not None and not last.endswith("\n"):
        last += outline.newline
    for text in texts:
        previous = block[-1] if block else last
        if previous is not None and not _is_blank(previous):
            block.append(outline.newline)
        block.extend(text.splitlines(keepends=True))
    if last is None:
        replace_lines(outline, 0, 0, block)
    else:  # the last line given its line end, then the records: one edit, so the spans follow
        replace_lines(outline, len(lines) - 1, len(lines), [last, *block])


def replace_lines(outline: Outline, first: int, end: int, new_lines: Sequence[str]) -> None:
    """Replace lines `[first, end)`, keeping every record span true whatever order edits are made in.

    Records wholly after the lines move by the change in length and stay the same objects (a write
    holds on to the spans it found, and the cache update tells records apart by them). The records the
    lines touch, and the one before them (new lines at its end may continue it), are outlined again
    from the text: one that still starts on the same line keeps its object, a record the new lines
    start is a new one, and one whose start was replaced goes.
    """
    lines = outline.lines
    lines[first:end] = list(new_lines)
    delta = len(new_lines) - (end - first)
    before: list[RecordSpan] = []
    around: list[RecordSpan] = []
    after: list[RecordSpan] = []
    for record in outline.records:
        if record.first >= end and (record.first > first or first == end):  # wholly after: moved
            record.first += delta
            record.end += delta
            record._fields = None  # (field spans are line numbers in the file)
            after.append(record)
        elif record.end <= first:
            before.append(record)
        else:
            around.append(record)
    if before:  # new lines right after a record may be more of it
        around.insert(0, before.pop())
    window_start = min([first, *(record.first for record in around)])
    window_end = after[0].first if after else len(lines)
    # Only a record that started at or above the replaced lines still starts where it did.
    reusable = {record.first: record for record in around if record.first <= first}
    starts = [number for number in range(window_start, window_end) if _starts_record(lines[number])]
    respanned: list[RecordSpan] = []
    for position, start in enumerate(starts):
        limit = starts[position + 1] if position + 1 < len(starts) else window_end
        fresh = _record(lines, start, limit)
        kept = reusable.get(start)
        if kept is not None:
            kept.end, kept.key_indent, kept._fields = fresh.end, fresh.key_indent, None
        respanned.append(fresh if kept is None else kept)
    outline.records = before + respanned + after
    if first < outline.header_end:  # an edit in the header moves its end; one across it ends it there
        outline.header_end = outline.header_end + delta if end <= outline.header_end else first
    if outline.records:
        outline.header_end = min(outline.header_end, outline.records[0].first)
    # Values are keyed by first lines, which moved: read again from the new text on next use.
    outline._values = None
    outline.body = "".join(lines)


def _comments_above(lines: Sequence[str], first: int) -> int:
    """Where the block of comments at the margin directly above line `first` starts."""
    above = first
    while above > 0 and _is_comment(lines[above - 1]) and lines[above - 1][:1] == "#":
        above -= 1
    return above


def _header_end(lines: Sequence[str], records: Sequence[RecordSpan]) -> int:
    """Where the file's header ends: the comments directly above the first record are the header when
    they start the file (or follow its `---` line), and that record's own otherwise."""
    if not records:
        return len(lines)
    first = records[0].first
    above = _comments_above(lines, first)
    return first if above == 0 or (above == 1 and DOCUMENT_START.fullmatch(lines[0])) else above


def _starts_record(line: str) -> bool:
    """Whether the line starts a top-level record, as `RECORD_START` finds one (`-` then a blank, a
    line end or the end of the file)."""
    return line[:1] == "-" and line[1:2] in ("", " ", "\t", "\r", "\n")


def remove_record(outline: Outline, record: RecordSpan) -> None:
    """Remove a record's lines with the comments that are about it, and the blank lines that separated
    it from the next one.

    Comments directly above the record at the margin (no blank line between) and indented comments
    directly below it are the record's own; a comment block that started the file (see
    `Outline.header_end`) is its header and stays.
    """
    lines = outline.lines
    first, end = record.first, record.end
    while end < len(lines) and _is_comment(lines[end]) and lines[end][:1] in (" ", "\t"):
        end += 1
    # (The header is told by where it ended when the file was outlined, not by what is at the top now:
    # a record's comments that a removal above it brought to the top are still the record's.)
    first = max(_comments_above(lines, first), outline.header_end)
    while end < len(lines) and _is_blank(lines[end]):
        end += 1
    if end == len(lines):  # the last record: take the blank lines before it instead
        while first > 0 and _is_blank(lines[first - 1]):
            first -= 1
    replace_lines(outline, first, end, [])


def set_fields(
    outline: Outline, record: RecordSpan, changes: dict[str, object | None], order: Sequence[str]
) -> list[str]:
    """The record's lines with fields replaced, added (after the fields `order` puts before them) or,
    for a value of None, removed. Lines of other fields, and comments between fields, are kept as is.
    """
    indent = record.key_indent
    newline = outline.newline
    blocks: list[tuple[str | None, list[str]]] = []
    position = record.first
    for span in sorted(record.fields.values(), key=lambda span: span.first):
        if span.first > position:
            blocks.append((None, outline.lines[position : span.first]))
        blocks.append((span.key, outline.lines[span.first : span.end]))
        position = span.end
    if position < record.end:
        blocks.append((None, outline.lines[position : record.end]))
    rank = {name: number for number, name in enumerate(order)}
    for key, value in changes.items():
        index = next((i for i, (name, _) in enumerate(blocks) if name == key), None)
        new = [] if value is None else render_field(key, value, indent, newline)
        if index is not None:
            if record.fields[key].first == record.first:
                if not new:
                    raise ScholarError(
                        f"{outline.path}:{record.line}: cannot remove '{key}', the record's first field"
                    )
                new[0] = outline.lines[record.first][:indent] + new[0][indent:]
            blocks[index] = (key, new)
        elif new:
            wanted = rank.get(key, len(order))
            after = max(
                (
                    i
                    for i, (name, _) in enumerate(blocks)
                    if name is not None and rank.get(name, len(order)) < wanted
                ),
                default=0,
            )
            blocks.insert(after + 1, (key, new))
    return [line for _, block in blocks for line in block]


def shift_problems(problems: Sequence[Problem], path: str, line_offset: int) -> list[Problem]:
    """Problems found in a record's own text, moved to its lines in the file."""
    return [
        Problem(path, p.line + line_offset if p.line else 0, p.column, p.message, p.severity, p.field)
        for p in problems
    ]
