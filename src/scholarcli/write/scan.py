"""Reading a publications file's shape and key values with regex scans instead of a YAML parse.

A full YAML parse of a 10,000-record file takes seconds; writes need only the record starts and each
record's id, doi, title and year. `check_plain_list` checks the file is a block list of records (the
shape writes splice), `scan_values` reads the four values of every record with C-speed regex scans,
and a safety screen (`_UNSURE`, screened by `_MAYBE_UNSURE`) sends any record whose lines the scan
cannot be sure of to the real parser (`parse_record`). `OutlineError` says a file cannot be edited in
place. Nothing here knows of line spans or edits: that is `outline`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from scholarcli.errors import ScholarError
from scholarcli.store import yamlio

_BOM = "\ufeff"


class OutlineError(ScholarError):
    """The file is not in the shape that can be edited in place (a top-level block list of records)."""


# A line at the start of the file that is neither blank, a comment, nor the start of a record.
# These patterns run over "\n" + the text and start with that "\n": a literal first character lets the
# regex engine skip ahead, where `^` with MULTILINE would be tried at every position of a 13 MB file.
_NOT_A_RECORD_START = re.compile(r"\n(?![ \t\r\n#]|-[ \t\r\n]|-\Z|\Z)")
RECORD_START = re.compile(r"\n-(?=[ \t\r\n]|\Z)")
_CONTENT_BEFORE = re.compile(r"\n[ \t]+[^ \t\r\n#]")
# Lines and values whose meaning the line-by-line reading of a record cannot be sure of. A record
# holding one is read with the real parser instead (see `body_values`): a plain key two columns in,
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
# are not the lines split at "\n". (Searched for with `has_other_break` first: a pattern that does not
# start with one fixed character is tried at every position, ~0.2 s on a 13 MB store.)
_OTHER_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_LONE_CR = re.compile("\r(?!\n)")
# The fields a write looks up in every record, in the house layout (keys two columns in), in one scan.
# Either a record start, `RECORD_START` (groups: the dash, the blanks after it, and the first field
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
DOCUMENT_START = re.compile(
    r"(?:(?:%YAML[ \t][^\n]*|[ \t]*(?:#[^\n]*)?)\r?\n)*---[ \t]*(?:#[^\n]*)?\r?(?:\n|\Z)"
)
_TRAILING_COMMENT = re.compile(r"[ \t]+#.*$")
_ESCAPE_OR_QUOTE = re.compile(r'[\\"]')
# Double-quoted text whose only escapes are \\ and \" (a title with a backslash or a quote, as the
# renderer writes it), and one such escape.
_SIMPLE_DOUBLE_QUOTED = re.compile(r'(?:[^\\"]|\\[\\"])*')
_SIMPLE_ESCAPE = re.compile(r'\\([\\"])')


def split_bom(text: str) -> tuple[str, str]:
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
    bom, body = split_bom(text)
    emptied = without_empty_flow_list(body)
    return None if emptied is None else bom + emptied


INDEXED_KEYS = ("id", "doi", "title", "year")


def check_plain_list(body: str, path: str) -> None:
    """Raise OutlineError unless the text (without a BOM) is a block list of records starting at the
    left margin, with nothing but blank lines and comments before the first: the shape writes splice.
    A few C-speed regex scans; line numbers are counted only for the message."""
    scan = "\n" + body
    header = DOCUMENT_START.match(body)
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
    first = RECORD_START.search(scan)
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
    body = split_bom(text)[1]
    emptied = without_empty_flow_list(body)
    if emptied is not None:
        body = emptied
    # The patterns read a line start as "\n", and a file's first line has none. The whole text is not
    # copied to put one there ("\n" + 13 MB of text costs ~20 ms on a fresh process, most of it page
    # faults): only the part up to the first record is, for the check, and the first two lines are
    # for the scan (see _scan_matches).
    first = _first_record(body)
    _check_start("\n" + body[: len(body) if first is None else first + 1], path)  # the rest is in the scan
    values = body_values(body, path)
    if has_other_break(body):
        check_other_breaks(body, path, len(values))
    return values


def _first_record(body: str) -> int | None:
    r"""Where the first record starts (its dash), as `RECORD_START` finds it in "\n" + body."""
    if RECORD_START.match("\n" + body[:2]):
        return 0
    found = RECORD_START.search(body)
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


def body_values(body: str, path: str) -> list[dict[str, str | None]]:
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
        if plain and plain[0] not in SPECIAL_START and "#" not in plain:
            found[key] = plain  # the usual value: what single_line_value returns for it, sooner
            continue
        simple = single_line_value(value)
        if simple is NEEDS_YAML:
            odd.add(number)
        else:
            found[key] = simple  # type: ignore[assignment]
    maybe -= odd
    other_break = has_other_break(body)
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
    starts.extend(match.start() + 1 for match in RECORD_START.finditer(body, first or 0))
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


def has_other_break(body: str) -> bool:
    """Whether `_OTHER_BREAK` is in the text: `str.find` and one fixed-character pattern, ~5 ms on a
    13 MB store where `_OTHER_BREAK.search` takes ~0.2 s."""
    return (
        "\x85" in body
        or "\u2028" in body
        or "\u2029" in body
        or ("\r" in body and _LONE_CR.search(body) is not None)
    )


def check_other_breaks(body: str, path: str, scanned: int) -> None:
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
    return {key: value for key in INDEXED_KEYS if isinstance(value := record.get(key), str)}


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


NEEDS_YAML = object()
# A plain scalar cannot start with these (quotes, flow collections, block scalars, anchors, tags...).
SPECIAL_START = "\"'[{|>&*!%@`#"


def single_line_value(rest: str) -> object:
    """A one-line value read without YAML where that is certain; `NEEDS_YAML` otherwise."""
    rest = rest.strip()
    if not rest or "\x85" in rest or "\u2028" in rest or "\u2029" in rest:
        return NEEDS_YAML  # (YAML takes NEL and the Unicode line and paragraph separators as line ends)
    if rest[0] not in SPECIAL_START:
        return _TRAILING_COMMENT.sub("", rest).strip() if "#" in rest else rest
    if rest[0] == "'" and rest.endswith("'") and len(rest) > 1 and "'" not in rest[1:-1].replace("''", ""):
        return rest[1:-1].replace("''", "'")
    if rest[0] == '"' and rest.endswith('"') and len(rest) > 1:
        inner = rest[1:-1]
        if not _ESCAPE_OR_QUOTE.search(inner):
            return inner
        if _SIMPLE_DOUBLE_QUOTED.fullmatch(inner):
            return _SIMPLE_ESCAPE.sub(r"\1", inner)
    return NEEDS_YAML
