"""Changing `publications.yaml` by splicing its text, so everything a write does not touch stays byte-identical.

A full YAML parse of a 10,000-record file takes seconds, so writes work on an *outline* instead: the
line spans of the top-level records (`- id: ...` at the start of a line) and of each record's fields.
Only the records a write adds, edits or removes are rendered or parsed; comments, key order, quoting
and blank lines elsewhere are copied through untouched.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from scholarcli.errors import Problem, ScholarError
from scholarcli.model import Name, Publication
from scholarcli.store import yamlio

try:  # the C emitter when PyYAML was built with libyaml
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]|\r?$)")
_BOM = "\ufeff"
# Wide enough that the emitter never folds a scalar over lines: every rendered value is one line.
_NO_WRAP = 1 << 30
_SAFE_PLAIN_DIGIT = re.compile(r"[0-9][^:#\x00-\x1f\x7f]*(?<! )")
_RESOLVER = yaml.resolver.Resolver()
_YAML11_WORDS = frozenset(("y", "n", "yes", "no", "on", "off", "true", "false", "null"))


class OutlineError(ScholarError):
    """The file is not in the shape that can be edited in place (a top-level block list of records)."""


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


# A line at the start of the file that is neither blank, a comment, nor the start of a record.
# These patterns run over "\n" + the text and start with that "\n": a literal first character lets the
# regex engine skip ahead, where `^` with MULTILINE would be tried at every position of a 13 MB file.
_NOT_A_RECORD_START = re.compile(r"\n(?![ \t\r\n#]|-[ \t\r\n]|-\Z|\Z)")
_RECORD_START = re.compile(r"\n-(?=[ \t\r\n]|\Z)")
_CONTENT_BEFORE = re.compile(r"\n[ \t]+[^ \t\r\n#]")
# Lines and values whose meaning the line-by-line reading of a record cannot be sure of. A record
# holding one is read with the real parser instead (see `_scan_values`): a plain key two columns in,
# an indentless `- ` item, or a value that is plain or quoted and closed on its own line reads the same
# both ways; anything else (a flow record `- {id: ...}`, a quoted or `? ` key, odd indentation, tabs,
# a comment splitting a value, an anchor or tag, a quote or bracket left open to a later line) may not.
# Each pattern below reads from just after the "\n" that starts a line (see `_RECORD_OR_FIELD`).
_PLAIN_KEY = r"[A-Za-z_][A-Za-z0-9_-]*[ \t]*:(?=[ \t\r\n]|\Z)"
# A quoted or flow value closed on its line: each from just after its opening character, so that the
# screen below can test the character first and the rest only where it is one.
_DQ_REST = r'(?:[^"\\\n]|\\[^\n])*"'
_SQ_REST = r"(?:[^'\n]|'')*'"
_DQ = '"' + _DQ_REST
_SQ = "'" + _SQ_REST
_FLAT = r"[\[{](?:[^\[\]{}\"'\n]|" + _DQ + "|" + _SQ + r")*[\]}]"
_FLOW_REST = r"(?:[^\[\]{}\"'\n]|" + _DQ + "|" + _SQ + "|" + _FLAT + r")*[\]}]"
_LINE_END = r"[ \t]*(?:#[^\n]*)?\r?(?=\n|\Z)"
_CLOSED_TO_LINE_END = "(?:" + _DQ + "|" + _SQ + r"|[\[{]" + _FLOW_REST + ")" + _LINE_END
_COMMENT_IN_VALUE = r"#[^\n]*(?:\n[ \t]*(?:#[^\n]*)?\r?(?=\n))*?\n {3,}[^ \t\r\n]"  # after 0-2 spaces
_UNSURE = (
    r" (?=[^ \t\r\n#])"  # content one column in
    r"|  (?=[^ \t\r\n#])(?!" + _PLAIN_KEY + r"|-(?:[ \t\r\n]|\Z))"  # two in, not a key or an item
    r"|[ ]*\t"  # a tab in the indentation
    r"| {0,2}"
    + _COMMENT_IN_VALUE  # a comment inside a value
    + r"| {3,}#"  # a comment, or block-scalar text that looks like one
    # A value that starts with a quote, bracket, anchor, tag... and is not closed on its line (the
    # character itself is taken, so that the group is never empty).
    r"|[ ]*(?:-[ \t]+)*(?:" + _PLAIN_KEY + r"[ \t]+)?(?=[\"'\[{&*!?%@`])(?!" + _CLOSED_TO_LINE_END + ")."
)
# Line breaks for YAML that are not "\n" (a lone CR, NEL, U+2028, U+2029): the lines YAML sees there
# are not the lines split at "\n". (Searched for with `_has_other_break` first: a pattern that does not
# start with one fixed character is tried at every position, ~0.2 s on a 13 MB store.)
_OTHER_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_LONE_CR = re.compile("\r(?!\n)")
# The fields a write looks up in every record, in the house layout (keys two columns in), in one scan.
# Either a record start, `_RECORD_START` (groups: the dash, the blanks after it, and the first field
# when it is one of the four), or one of the four at two columns (key, value), or the first character
# of a line `_NOT_A_RECORD_START` refuses; then a next line that goes on more indented (not a
# comment), which continues a value there. Or else a line `_UNSURE` matches (the last group).
_FIELD = (
    r"(?:(-)(?=[ \t\r\n]|\Z)([ \t]*)(?:(id|doi|title|year)[ \t]*:(?=[ \t\r\n]|\Z)[ \t]*([^\n]*))?"
    r"|  (id|doi|title|year)[ \t]*:(?=[ \t\r\n]|\Z)[ \t]*([^\n]*)"
    r"|(?!-[ \t\r\n]|-\Z)([^ \t\r\n#]))"
    r"(\n {3,}(?=[^ \t\r\n#]))?"
)
# Every alternative starts with the "\n" written once in front: a pattern that starts with one fixed
# character is only tried where that character is (the engine skips to it at C speed); alternatives that
# do not all start so are tried at every position of the text (~0.5 s more on a 13 MB store).
_RECORD_OR_FIELD = re.compile(r"\n(?:" + _FIELD + "|(" + _UNSURE + "))")

# The screen. `_UNSURE` tried on each of a large store's lines is still slow (~0.5 s for the 250k lines
# of 13 MB: the engine pays for each alternative and each backtracking step it enters). `_MAYBE_UNSURE`
# matches on every line where `_UNSURE` does (and a few more), at a fraction of the cost: it reads the
# indentation once, a space at a time, and then tries alternatives that each start with a fixed
# character or set, which the engine passes over without entering when the next character is not one of
# them; a repeat is followed by a fixed character where it can be, which backtracks in a tight loop. A
# record where it matches is then read with `_RECORD_OR_FIELD` (see `_careful_unsure`), so the records
# read with the parser are exactly those one `_RECORD_OR_FIELD` scan flags (a test holds them equal).
# What an `_UNSURE` alternative matches, the screen's matches too (at the same line):
# - one space then content, a tab after the indentation, a comment inside a value: the same tests;
# - two spaces then content that is not a key or item: a character that starts neither, a dash that is
#   not an item's, or a name not followed by `:` and a blank (keys with blanks before the `:` included);
# - three spaces or more then `#`: the same;
# - an unclosed value: `_UNCLOSED_VALUE` tests `(?=[...])(?!_CLOSED_TO_LINE_END)` character by
#   character, after the indentation, dashes read as any run of dashes and blanks, and a key read as a
#   name, blanks and `:`.
_UNCLOSED_VALUE = (
    r"[&*!?%@`]"
    r'|"(?!' + _DQ_REST + _LINE_END + ")"
    r"|'(?!" + _SQ_REST + _LINE_END + ")"
    r"|[\[{](?!" + _FLOW_REST + _LINE_END + ")"
)
_NAME_REST = r"[A-Za-z0-9_-]*"
_KEY_THEN_UNCLOSED = (  # (three ways, so that each repeat is followed by a fixed character)
    r"[A-Za-z_](?:" + _NAME_REST + ":|" + _NAME_REST + r" [ \t]*:|" + _NAME_REST + r"\t[ \t]*:)"
    r"[ \t]+(?:" + _UNCLOSED_VALUE + ")"
)
_UNCLOSED_AT = (  # at the first character after the indentation
    r"-[ \t-]*(?:"
    + _KEY_THEN_UNCLOSED
    + "|"
    + _UNCLOSED_VALUE
    + ")|"
    + _KEY_THEN_UNCLOSED
    + "|"
    + _UNCLOSED_VALUE
)
_MAYBE_UNSURE_3 = r"[ ]*(?:\t|#|" + _UNCLOSED_AT + ")"  # after three spaces or more
_MAYBE_UNSURE_2 = (  # after two spaces
    r"\t|" + _COMMENT_IN_VALUE + r"|[^ \t\r\n#A-Za-z_-]|-(?=[^ \t\r\n])"
    r"|[A-Za-z_](?!" + _NAME_REST + r":(?:[ \t\r\n]|\Z))|" + _UNCLOSED_AT + "| " + _MAYBE_UNSURE_3
)
_MAYBE_UNSURE_1 = r"[^ \t\r\n#]|\t|" + _COMMENT_IN_VALUE + "| (?:" + _MAYBE_UNSURE_2 + ")"  # after one
_MAYBE_UNSURE = r"\t|" + _COMMENT_IN_VALUE + "| (?:" + _MAYBE_UNSURE_1 + ")"
_RECORD_OR_FIELD_SCREEN = re.compile(r"\n(?:" + _FIELD + "|(" + _MAYBE_UNSURE + "))")
# A line that is neither blank nor a comment (where a comment inside a value ends at the latest).
_CONTENT_LINE = re.compile(r"\n(?![ \t]*(?:#[^\n]*)?\r?(?:\n|\Z))")
# A document start line at the top of the file, after comments, blank lines and a %YAML directive.
_DOCUMENT_START = re.compile(
    r"(?:(?:%YAML[ \t][^\n]*|[ \t]*(?:#[^\n]*)?)\r?\n)*---[ \t]*(?:#[^\n]*)?\r?(?:\n|\Z)"
)
_TRAILING_COMMENT = re.compile(r"[ \t]+#.*$")
_ESCAPE_OR_QUOTE = re.compile(r'[\\"]')
# Double-quoted text whose only escapes are \\ and \" (a title with a backslash or a quote, as the
# renderer writes it), and one such escape.
_SIMPLE_DOUBLE_QUOTED = re.compile(r'(?:[^\\"]|\\[\\"])*')
_SIMPLE_ESCAPE = re.compile(r'\\([\\"])')


def _split_bom(text: str) -> tuple[str, str]:
    """(the byte-order marks the text starts with, the rest). The loader reads past any number of them,
    so the writer does too (and keeps them as they are)."""
    body = text.lstrip(_BOM)
    return text[: len(text) - len(body)], body


# A file whose only content is an empty flow list (`[]`, `[ ]  # none yet`), with blank and comment
# lines around: an empty store as YAML writes one. A write takes it as no records (the `[]` dropped, a
# comment on its line kept), so an add puts the first record there in the house layout.
_EMPTY_FLOW_LIST = re.compile(
    r"(?P<before>(?:[ \t]*(?:#[^\n]*)?\r?\n)*)[ \t]*\[[ \t]*\][ \t]*(?P<comment>#[^\n]*)?(?P<end>\r?\n|\Z)"
    r"(?P<after>(?:[ \t]*(?:#[^\n]*)?\r?\n)*(?:[ \t]*(?:#[^\n]*)?)?)\Z"
)


def without_empty_flow_list(body: str) -> str | None:
    """The text with its empty flow list taken out, if it is a file of one (see `_EMPTY_FLOW_LIST`)."""
    if "[" not in body:
        return None
    found = _EMPTY_FLOW_LIST.match(body)
    if found is None:
        return None
    comment = found["comment"] + (found["end"] or "\n") if found["comment"] else ""
    return found["before"] + comment + found["after"]


def empty_list_dropped(text: str) -> str | None:
    """The whole text (byte-order marks kept) with its empty flow list taken out, if it is a file of one."""
    bom, body = _split_bom(text)
    emptied = without_empty_flow_list(body)
    return None if emptied is None else bom + emptied


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
        self.bom, self.body = _split_bom(text)
        emptied = without_empty_flow_list(self.body)
        if emptied is not None:
            self.body = emptied
        self.lines: list[str] = _split_lines(self.body)
        self.newline = "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"
        self.scan_text = "\n" + self.body  # offsets in it are those of the body, shifted by the "\n"
        self.line_starts = [0, *itertools.accumulate(len(line) for line in self.lines)]
        self.records: list[RecordSpan] = self._scan()
        self._values: dict[int, dict[str, str | None]] | None = None

    def _line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1

    def _scan(self) -> list[RecordSpan]:
        check_plain_list(self.body, self.path)
        starts = [self._line_of(match.start()) for match in _RECORD_START.finditer(self.scan_text)]
        records = []
        for number, first in enumerate(starts):
            limit = starts[number + 1] if number + 1 < len(starts) else len(self.lines)
            records.append(_record(self.lines, first, limit))
        if _has_other_break(self.body):
            _check_other_breaks(self.body, self.path, len(records))
        return records

    def text(self) -> str:
        return self.bom + "".join(self.lines)

    def record_text(self, record: RecordSpan) -> str:
        return "".join(self.lines[record.first : record.end])

    def value(self, record: RecordSpan, key: str) -> str | None:
        """The text of a scalar field, decoded as YAML would; None when absent or not a scalar."""
        if key in _INDEXED_KEYS:
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
        values = _scan_values(self.body, self.path)  # the shape was checked when outlining
        self._values = {record.first: found for record, found in zip(self.records, values, strict=True)}

    def ids(self) -> Iterator[tuple[str, RecordSpan]]:
        for record in self.records:
            record_id = self.value(record, "id")
            if record_id is not None:
                yield record_id, record


_INDEXED_KEYS = ("id", "doi", "title", "year")


def _is_safe_plain(text: str) -> bool:
    """Whether printable text YAML reads back as the same string when written bare: it starts with a
    letter (so no indicator, number or date), has no ':' or '#' (no key or comment) and no space at its
    end. The regex `[A-Za-z\u00c0-\U0010ffff][^:#\x00-\x1f\x7f]*(?<! )` says the same (a test holds
    them equal), but its huge class took ~9 ms to compile, a fifth of a small add's own work."""
    first = text[:1]
    return (
        ("a" <= first <= "z" or "A" <= first <= "Z" or first >= "\u00c0")
        and text[-1] != " "
        and ":" not in text
        and "#" not in text
        and (text.isprintable() or not any(char <= "\x1f" or char == "\x7f" for char in text))
    )


def check_plain_list(body: str, path: str) -> None:
    """Raise OutlineError unless the text (without a BOM) is a block list of records starting at the
    left margin, with nothing but blank lines and comments before the first: the shape writes splice.
    A few C-speed regex scans; line numbers are counted only for the message."""
    scan = "\n" + body
    header = _DOCUMENT_START.match(body)
    header_end = header.end() if header else 0
    for bad in _NOT_A_RECORD_START.finditer(scan):
        if bad.start() < header_end:  # a `%YAML` or `---` line of the header
            continue
        raise OutlineError(
            f"{path}:{_line_of(scan, bad.start())}: cannot edit this file in place: expected a "
            "record starting with '- ' here (writes need the file to be a plain list of records; fix it "
            "or run 'scholar check')"
        )
    _check_start(scan, path)


def _check_start(scan: str, path: str) -> None:
    """The part of check_plain_list that reads only up to the first record (`scan` is "\n" + body)."""
    first = _RECORD_START.search(scan)
    before = _CONTENT_BEFORE.search(scan, 0, first.start() + 1 if first else len(scan))
    if before is not None:
        raise OutlineError(
            f"{path}:{_line_of(scan, before.start())}: cannot edit this file in place: records "
            "must start with '- ' at the start of a line"
        )


def _line_of(scan: str, offset: int) -> int:  # 1-based line of an offset into "\n" + body
    return scan.count("\n", 0, offset + 1)


def scan_values(text: str, path: str) -> list[dict[str, str | None]]:
    """id, doi, title and year of every record (in file order), as `Outline.value` reads them; a field
    a record lacks may be left out.

    Adding records needs only these values and the end of the file, so an add to a large store skips
    the line-by-line outline (most of its time): record starts and the four fields of the house
    layout come from regex scans; a record in another layout, or with one of these values in a form
    only YAML reads (quoted with escapes, over several lines), is outlined on its own. Raises
    OutlineError as the Outline would.
    """
    body = _split_bom(text)[1]
    emptied = without_empty_flow_list(body)
    if emptied is not None:
        body = emptied
    # The patterns read a line start as "\n", and a file's first line has none. The whole text is not
    # copied to put one there ("\n" + 13 MB of text costs ~20 ms on a fresh process, most of it page
    # faults): only the part up to the first record is, for the check, and the first two lines are
    # for the scan (see _scan_matches).
    first = _first_record(body)
    _check_start("\n" + body[: len(body) if first is None else first + 1], path)  # the rest is in the scan
    values = _scan_values(body, path)
    if _has_other_break(body):
        _check_other_breaks(body, path, len(values))
    return values


def _first_record(body: str) -> int | None:
    r"""Where the first record starts (its dash), as `_RECORD_START` finds it in "\n" + body."""
    if _RECORD_START.match("\n" + body[:2]):
        return 0
    found = _RECORD_START.search(body)
    return None if found is None else found.start() + 1


def _scan_matches(body: str, pattern: re.Pattern[str] = _RECORD_OR_FIELD_SCREEN) -> list[tuple[str, ...]]:
    r"""`pattern.findall("\n" + body)` (`pattern` one of the `_RECORD_OR_FIELD` scans), without that
    copy of the body.

    The first line is matched in a copy of the lines a match there can read (the next line's start,
    for a continuation, or for a comment inside a value the blank and comment lines after it up to the
    next other line), the rest in the body from where that match ended.
    """
    line_end = body.find("\n")
    if line_end < 0:
        return pattern.findall("\n" + body)
    content = _CONTENT_LINE.search(body, line_end)
    head_end = -1 if content is None else body.find("\n", content.start() + 1)
    head = pattern.match("\n" + body[: len(body) if head_end < 0 else head_end + 1])
    if head is None:
        return pattern.findall(body, line_end)
    return [head.groups(default=""), *pattern.findall(body, head.end() - 1)]


def _scan_values(body: str, path: str) -> list[dict[str, str | None]]:
    # `body` is the text without its BOM, its start checked by _check_start.
    values, odd = _scan_records(body, path)
    if odd:
        starts = _record_starts(body)
        for number in sorted(odd):
            end = starts[number + 1] if number + 1 < len(starts) else len(body)
            values[number] = _parsed_values(body, starts[number], end, path)
    return values


def _scan_records(body: str, path: str) -> tuple[list[dict[str, str | None]], set[int]]:
    """The values the line scan reads in each record, and the records to read with the real parser
    instead: those in another layout than the house one, with a value only YAML reads, or with a line
    `_UNSURE` matches (in one `_RECORD_OR_FIELD` scan) or a line break other than "\n"."""
    values: list[dict[str, str | None]] = []
    odd: set[int] = set()  # records to read with the real parser (see scan_values)
    maybe: set[int] = set()  # records where the screen matched: to check with `_UNSURE` itself
    number = -1
    found: dict[str, str | None] = {}
    for dash, blanks, dash_key, dash_value, key, value, refused, goes_on, unsure in _scan_matches(body):
        if unsure:
            if number >= 0:
                maybe.add(number)
            continue
        if refused:  # a line check_plain_list refuses, unless it is the header's `---`: it says which
            check_plain_list(body, path)
            continue
        if dash:
            number += 1
            found = {}
            values.append(found)
            if blanks != " " or dash_key != "id":  # not `- id: ...`, the house layout's first line
                odd.add(number)
            if not dash_key:
                continue
            key, value = dash_key, dash_value
        if number < 0:
            continue
        if goes_on:
            odd.add(number)
        if key in found:
            continue
        plain = value.strip()
        if plain and plain[0] not in _SPECIAL_START and "#" not in plain:
            found[key] = plain  # the usual value: what _single_line_value returns for it, sooner
            continue
        simple = _single_line_value(value)
        if simple is _NEEDS_YAML:
            odd.add(number)
        else:
            found[key] = simple  # type: ignore[assignment]
    maybe -= odd
    other_break = _has_other_break(body)
    if maybe or other_break:
        starts = _record_starts(body)
        if len(starts) != len(values):  # cannot happen (the same pattern starts a record in both) ...
            return [{} for _ in starts], set(range(len(starts)))  # ... but if it did, parse every record
        for number in maybe:
            end = starts[number + 1] if number + 1 < len(starts) else len(body)
            if _careful_unsure(body, starts[number], end):
                odd.add(number)
        if other_break:
            for match in _OTHER_BREAK.finditer(body):
                number = bisect.bisect_right(starts, match.start()) - 1
                if number >= 0:
                    odd.add(number)
    return values, odd


def _record_starts(body: str) -> list[int]:
    """Where each record starts (its dash), in file order."""
    first = _first_record(body)
    starts = [] if first is None else [first]
    starts.extend(match.start() + 1 for match in _RECORD_START.finditer(body, first or 0))
    return starts


def _careful_unsure(body: str, start: int, end: int) -> bool:
    r"""Whether a `_RECORD_OR_FIELD` scan of the whole text finds an `_UNSURE` line in the record at
    `body[start:end]`. A scan of the record's own text finds the same: no match takes the "\n" before
    a record's dash (so the scan is in step there), and none reads past the "\n" before the next one."""
    if start == 0:
        matches = _RECORD_OR_FIELD.findall("\n" + body[:end])
    else:
        matches = _RECORD_OR_FIELD.findall(body, start - 1, end)
    return any(match[-1] for match in matches)


def _has_other_break(body: str) -> bool:
    """Whether `_OTHER_BREAK` is in the text: `str.find` and one fixed-character pattern, ~5 ms on a
    13 MB store where `_OTHER_BREAK.search` takes ~0.2 s."""
    return (
        "\x85" in body
        or "\u2028" in body
        or "\u2029" in body
        or ("\r" in body and _LONE_CR.search(body) is not None)
    )


def _check_other_breaks(body: str, path: str, scanned: int) -> None:
    """Raise OutlineError unless the loader reads as many records in the file as the scan found.

    The scans and the outline split lines at "\n" only; YAML also ends a line at a lone CR, NEL, U+2028
    and U+2029. Inside a record the real parser reads such a record (see `_scan_records`), but where one
    of them starts a record (a file saved with CR line breaks, say), the scan sees fewer records than the
    loader: an id in use would look free and a record not found. Only files with such a break pay for
    this whole-file parse.
    """
    data, problems = yamlio.load_text(body, path)
    if problems:  # the loader refuses the file: say why, as `check` would
        problem = problems[0]
        raise OutlineError(
            f"{path}:{problem.line}:{problem.column}: cannot edit this file in place: {problem.message} (fix "
            "it or run 'scholar check')"
        )
    if isinstance(data, list) and len(data) == scanned:
        return
    found = _OTHER_BREAK.search(body)
    line = 1 if found is None else body.count("\n", 0, found.start()) + 1
    raise OutlineError(
        f"{path}:{line}: cannot edit this file in place: it has line breaks other than LF or CRLF (a lone "
        "CR, NEL, U+2028 or U+2029) between records; convert them to LF (\\n) line breaks, or run "
        "'scholar check'"
    )


def _parsed_values(body: str, start: int, end: int, path: str) -> dict[str, str | None]:
    """id, doi, title and year of the record at `body[start:end]`, as the loader reads it."""
    record = parse_record(body[start:end], path, lambda: body.count("\n", 0, start))
    if record is None:
        return {}
    return {key: value for key in _INDEXED_KEYS if isinstance(value := record.get(key), str)}


def parse_record(text: str, path: str, lines_before: Callable[[], int]) -> yamlio.YamlMap | None:
    """A record's own text (its `- ` line to the next record's) read with the strict loader: the
    mapping, or None when the item is not a mapping (the loader reports that as an error of the store).
    Raises OutlineError when the text does not read as exactly one list item: YAML then reads the file
    otherwise than its lines show (a value open across the next `- ` line, say), and no splice is safe.
    `lines_before` counts the file's lines above the record, for the message only."""
    data, problems = yamlio.load_text(text, path)
    if problems or not isinstance(data, list) or len(data) != 1:
        first = lines_before()
        if problems:
            problem = problems[0]
            where = f"{path}:{first + problem.line}:{problem.column}"
            reason = problem.message
        else:
            where, reason = f"{path}:{first + 1}", "this record does not read as one record on its own"
        raise OutlineError(
            f"{where}: cannot edit this file in place: {reason} (fix it or run 'scholar check')"
        )
    item = data[0]
    return item if isinstance(item, yamlio.YamlMap) else None


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
    body = _split_bom(text)[1]
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


_NEEDS_YAML = object()
# A plain scalar cannot start with these (quotes, flow collections, block scalars, anchors, tags...).
_SPECIAL_START = "\"'[{|>&*!%@`#"


def _single_line_value(rest: str) -> object:
    """A one-line value read without YAML where that is certain; `_NEEDS_YAML` otherwise."""
    rest = rest.strip()
    if not rest or "\x85" in rest or "\u2028" in rest or "\u2029" in rest:
        return _NEEDS_YAML  # (YAML takes NEL and the Unicode line and paragraph separators as line ends)
    if rest[0] not in _SPECIAL_START:
        return _TRAILING_COMMENT.sub("", rest).strip() if "#" in rest else rest
    if rest[0] == "'" and rest.endswith("'") and len(rest) > 1 and "'" not in rest[1:-1].replace("''", ""):
        return rest[1:-1].replace("''", "'")
    if rest[0] == '"' and rest.endswith('"') and len(rest) > 1:
        inner = rest[1:-1]
        if not _ESCAPE_OR_QUOTE.search(inner):
            return inner
        if _SIMPLE_DOUBLE_QUOTED.fullmatch(inner):
            return _SIMPLE_ESCAPE.sub(r"\1", inner)
    return _NEEDS_YAML


def _scalar_value(lines: list[str], span: FieldSpan, key_indent: int) -> str | None:
    first = lines[span.first]
    if span.end - span.first == 1:
        value = _single_line_value(first[first.index(":", key_indent) + 1 :])
        if value is not _NEEDS_YAML:
            return value  # type: ignore[return-value]
    # Anything else (escapes, several lines, comments): the strict loader reads this one field.
    snippet = "".join(
        line[key_indent:] if not _is_blank(line) else "\n" for line in lines[span.first : span.end]
    )
    data, problems = yamlio.load_text(snippet, "")
    value = data.get(span.key) if isinstance(data, dict) and not problems else None
    return value if isinstance(value, str) else None


# Rendering -----------------------------------------------------------------------------------------


def _reads_as_text(text: str) -> bool:
    """Whether a YAML 1.1 reader (not ours, which reads all as text) takes the bare text as a string."""
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"


def render_scalar(value: object) -> str:
    """One value as a one-line YAML scalar that the strict loader reads back as the same text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _is_safe_plain(text) and text.isprintable() and text.casefold() not in _YAML11_WORDS:
        return text
    if _SAFE_PLAIN_DIGIT.fullmatch(text) and text.isprintable() and _reads_as_text(text):
        return text  # `1-20`, `10.1177/0268...`: bare, as the emitter writes them  # the emitter would write it as is; taking the fast path saves most of an import
    if text.isprintable():  # one line, nothing to escape but the quotes themselves
        if "\\" not in text and '"' not in text:
            return f'"{text}"'
        return "'" + text.replace("'", "''") + "'"
    style = '"' if any(ch in text for ch in "\n\r\t") or not text.isprintable() else None
    dumped = yaml.dump(text, Dumper=_Dumper, allow_unicode=True, width=_NO_WRAP, default_style=style)
    dumped = dumped.removesuffix("\n...\n").rstrip("\n")
    if dumped in ("true", "false", "null", "~") or "\n" in dumped:  # pragma: no cover - emitter quotes these
        dumped = yaml.dump(text, Dumper=_Dumper, allow_unicode=True, width=_NO_WRAP, default_style='"')
        dumped = dumped.rstrip("\n")
    return dumped


def _render_flow(value: Any) -> str:
    return yaml.dump(
        value, Dumper=_Dumper, allow_unicode=True, width=_NO_WRAP, default_flow_style=True, sort_keys=False
    ).rstrip("\n")


def render_field(key: str, value: object, indent: int, newline: str = "\n") -> list[str]:
    """The lines of one field at `indent` columns: names as a block list, themes and tags as `[a, b]`."""
    pad = " " * indent
    if key in ("authors", "editors", "translators"):
        lines = [f"{pad}{key}:{newline}"]
        for name in value:  # type: ignore[attr-defined]
            item = render_scalar(name) if isinstance(name, str) else _render_flow(name)
            lines.append(f"{pad}  - {item}{newline}")
        return lines
    if key in ("themes", "tags", "keywords"):
        return [f"{pad}{key}: {_render_flow(list(value))}{newline}"]  # type: ignore[call-overload]
    if key in (
        "extra",
        "links",
    ):  # a block mapping, each value one scalar line (newlines as escapes: verbatim)
        lines = [f"{pad}{key}:{newline}"]
        for name, text in value.items():  # type: ignore[attr-defined]
            lines.append(f"{pad}  {render_scalar(name)}: {render_scalar(text)}{newline}")
        return lines
    return [f"{pad}{key}: {render_scalar(value)}{newline}"]


def render_record(publication: Publication, newline: str = "\n") -> str:
    """A new record in the store's house style: `- id: ...`, fields in the documented order."""
    lines: list[str] = []
    for key, value in publication.to_store_dict().items():
        lines.extend(render_field(key, value, 2, newline))
    lines[0] = "- " + lines[0][2:]
    return "".join(lines)


def _plain(value: object) -> object:
    """Parsed YAML (YamlMap, YamlList, str) as the dicts, lists and strings the emitter writes."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return value
    raise ValueError(f"cannot render {value!r}")


def render_changed(
    data: dict[str, object], changes: dict[str, object | None], order: Sequence[str], newline: str = "\n"
) -> list[str]:
    """A record in the house layout from its parsed fields with `changes` made (None removes a field):
    the fields in their order, a new one after those `order` puts before it. For a record in a layout
    whose lines cannot be spliced field by field (a flow mapping, quoted keys, ...). Raises ValueError
    for a value that has no text to write (an empty item), which the loader refuses anyway."""
    rank = {name: number for number, name in enumerate(order)}
    fields: list[tuple[str, object]] = [(key, _plain(value)) for key, value in data.items()]
    for key, value in changes.items():
        index = next((i for i, (name, _) in enumerate(fields) if name == key), None)
        if value is None:
            if index is not None:
                del fields[index]
        elif index is not None:
            fields[index] = (key, value)
        else:
            wanted = rank.get(key, len(order))
            after = max(
                (i for i, (name, _) in enumerate(fields) if rank.get(name, len(order)) < wanted), default=-1
            )
            fields.insert(after + 1, (key, value))
    lines: list[str] = []
    for key, value in fields:
        if key in ("authors", "editors", "themes", "tags") and not isinstance(value, list):
            value = [value]  # one name or item given alone: a list of one, as the loader reads it
        if key in ("authors", "editors") or key in ("themes", "tags") or not isinstance(value, (dict, list)):
            lines.extend(render_field(key, value, 2, newline))
        else:  # a mapping or list where text belongs: written as it is, for the loader to refuse
            lines.append(f"  {key}: {_render_flow(value)}{newline}")
    if not lines:
        raise ValueError("a record with no fields")
    lines[0] = "- " + lines[0][2:]
    return lines


def store_value(key: str, publication: Publication) -> object | None:
    """The value `to_store_dict` gives one field (None when the field is not written)."""
    return publication.to_store_dict().get(key)


def names_for_store(names: Sequence[Name]) -> list[object]:
    return [name.to_store_value() for name in names]


# Splicing ------------------------------------------------------------------------------------------


def append_records(outline: Outline, texts: Sequence[str]) -> None:
    """Add rendered records at the end, separated by a blank line as the house style has them."""
    if not texts:
        return
    lines = outline.lines
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += outline.newline
    block: list[str] = []
    for text in texts:
        previous = block[-1] if block else (lines[-1] if lines else None)
        if previous is not None and not _is_blank(previous):
            block.append(outline.newline)
        block.extend(text.splitlines(keepends=True))
    lines.extend(block)


def replace_lines(outline: Outline, first: int, end: int, new_lines: Sequence[str]) -> None:
    """Replace lines `[first, end)`: records after them move by the change in length, a record the
    lines were part of ends where its new lines do, and a record they replace whole goes; so spans
    stay true whatever order edits are made in."""
    outline.lines[first:end] = list(new_lines)
    delta = len(new_lines) - (end - first)
    kept: list[RecordSpan] = []
    for record in outline.records:
        if record.end <= first:  # wholly before: unchanged
            kept.append(record)
            continue
        if record.first >= end and (record.first > first or first == end):  # wholly after: moved
            record.first += delta
            record.end += delta
        elif first <= record.first and record.end <= end and not new_lines:
            continue  # removed whole
        else:  # changed: it now ends where the new lines end (or where it ended, moved)
            record.end = max(first + len(new_lines), record.end + delta)
        record._fields = None
        kept.append(record)
    outline.records = kept
    # Values are keyed by first lines, which moved: read again from the new text on next use.
    outline._values = None
    outline.body = "".join(outline.lines)


def remove_record(outline: Outline, record: RecordSpan) -> None:
    """Remove a record's lines with the comments that are about it, and the blank lines that separated
    it from the next one.

    Comments directly above the record at the margin (no blank line between) and indented comments
    directly below it are the record's own; a comment block that starts the file is its header and stays.
    """
    lines = outline.lines
    first, end = record.first, record.end
    while end < len(lines) and _is_comment(lines[end]) and lines[end][:1] in (" ", "\t"):
        end += 1
    above = first
    while above > 0 and _is_comment(lines[above - 1]) and lines[above - 1][:1] == "#":
        above -= 1
    if above > 0 and not (above == 1 and _DOCUMENT_START.fullmatch(lines[0])):
        first = above  # (a block from the top of the file, or just below its `---`, is the header)
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
