"""The add path's line scan reads each record with a fast screen (`_RECORD_OR_FIELD_SCREEN`) and checks
the records it matches with the careful pattern: it must send exactly the records to the parser that
one scan with the careful definition (as written in e20d0a5, kept here verbatim) sends there."""

from __future__ import annotations

import bisect
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from scholarcli.errors import ScholarError
from scholarcli.store import yamlio
from scholarcli.write import scan

from .test_layouts import LAYOUTS

# The careful definition as e20d0a5 wrote it: one pattern, `_UNSURE` tried at every line.
_PLAIN_KEY = r"[A-Za-z_][A-Za-z0-9_-]*[ \t]*:(?=[ \t\r\n]|\Z)"
_DQ = r'"(?:[^"\\\n]|\\[^\n])*"'
_SQ = r"'(?:[^'\n]|'')*'"
_FLAT = r"[\[{](?:[^\[\]{}\"'\n]|" + _DQ + "|" + _SQ + r")*[\]}]"
_FLOW = r"[\[{](?:[^\[\]{}\"'\n]|" + _DQ + "|" + _SQ + "|" + _FLAT + r")*[\]}]"
_CLOSED_TO_LINE_END = "(?:" + _DQ + "|" + _SQ + "|" + _FLOW + r")[ \t]*(?:#[^\n]*)?\r?(?=\n|\Z)"
_UNSURE = (
    r"\n (?=[^ \t\r\n#])"
    r"|\n  (?=[^ \t\r\n#])(?!" + _PLAIN_KEY + r"|-(?:[ \t\r\n]|\Z))"
    r"|\n[ ]*\t"
    r"|\n {0,2}#[^\n]*(?:\n[ \t]*(?:#[^\n]*)?\r?(?=\n))*?\n {3,}[^ \t\r\n]"
    r"|\n {3,}#"
    r"|\n[ ]*(?:-[ \t]+)*(?:" + _PLAIN_KEY + r"[ \t]+)?(?=[\"'\[{&*!?%@`])(?!" + _CLOSED_TO_LINE_END + ")"
)
_OTHER_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_REFERENCE = re.compile(
    r"\n(?:(-)(?=[ \t\r\n]|\Z)([ \t]*)(?:(id|doi|title|year)[ \t]*:(?=[ \t\r\n]|\Z)[ \t]*([^\n]*))?"
    r"|  (id|doi|title|year)[ \t]*:(?=[ \t\r\n]|\Z)[ \t]*([^\n]*)"
    r"|(?!-[ \t\r\n]|-\Z)([^ \t\r\n#]))"
    r"(\n {3,}(?=[^ \t\r\n#]))?"
    r"|(" + _UNSURE + ")"
)


def _reference(body: str) -> tuple[list[dict[str, str | None]], set[int]]:
    """e20d0a5's `_scan_values` up to the parse: the scanned values and the records to parse."""
    values: list[dict[str, str | None]] = []
    odd: set[int] = set()
    number = -1
    found: dict[str, str | None] = {}
    for dash, blanks, dash_key, dash_value, key, value, refused, goes_on, unsure in _REFERENCE.findall(
        "\n" + body
    ):
        if unsure:
            if number >= 0:
                odd.add(number)
            continue
        if refused:
            scan.check_plain_list(body, "p.yaml")
            continue
        if dash:
            number += 1
            found = {}
            values.append(found)
            if blanks != " " or dash_key != "id":
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
        simple = scan.single_line_value(value)
        if simple is scan.NEEDS_YAML:
            odd.add(number)
        else:
            found[key] = simple  # type: ignore[assignment]
    starts = scan._record_starts(body)
    assert len(starts) == len(values)
    for match in _OTHER_BREAK.finditer(body):
        number = bisect.bisect_right(starts, match.start()) - 1
        if number >= 0:
            odd.add(number)
    return values, odd


def _result(scanner: object, body: str) -> object:
    # The records to parse, and the values scanned in the others (a parsed record's are replaced), or
    # the error.
    try:
        values, odd = scanner(body)  # type: ignore[operator]
    except scan.OutlineError as error:
        return str(error)
    return odd, [found for number, found in enumerate(values) if number not in odd]


def _outcome(body: str) -> object:
    return _result(_reference, body)


def _fast(body: str) -> object:
    return _result(lambda text: scan._scan_records(text, "p.yaml"), body)


# Record texts: the layouts of test_layouts (plain and CRLF), the house layout, and lines that
# hit each `_UNSURE` alternative or nearly do.
_RECORDS = [
    *LAYOUTS.values(),
    *(text.replace("\n", "\r\n") for text in LAYOUTS.values()),
    '- id: a\n  type: book\n  title: "Quoted: with \'marks\'"\n  volume: "60"\n  themes: [x, y]\n'
    "  tags: ['a, b', \"c\"]\n  abstract: >-\n    Text words & more? 100% (yes)!\n    'quoted' line\n",
    '- id: b\n  authors:\n    - Liu, C\n    - {family: X, given: Y}\n    - "Open\n',
    '- id: c\n  note: [a, [b, {c: d}], \'e\']  # a comment\n  other: {a: "b\\"c"}\n',
]
_LINES = [
    "- id: x",
    "  title: T",
    '  title: "T',
    "  title: 'T''s'",
    "  key: [a, b",
    '  key : "open',
    "  key :\t[x]",
    "  key:value",
    "  -item",
    "  - item",
    "  - key: 'v'",
    "  - key: 'v",
    "    - &a x",
    '   text: "open',
    "    Word words: 'open",
    "    words: {a: b}",
    "    !tag x",
    " one space",
    "  ? key",
    "  : value",
    "\tx",
    "  \tx",
    "# comment",
    "  # comment",
    "   # deep comment",
    "",
    "  ",
    "\r",
    "    continued",
    "  year: 2020",
    "  doi: 10.1/x",
    "-",
    "-\tid: y",
]
_SPECIALS = list("{}[]\"'?&!*%@`\t#:-, \r\x85\u2028\u2029")


@st.composite
def _texts(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.sampled_from(_RECORDS) | st.sampled_from(_LINES).map(lambda line: line + "\n"), max_size=8
        )
    )
    text = "".join(parts)
    for _ in range(draw(st.integers(0, 3))):  # random insertions of the special characters
        if not text:
            break
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(_SPECIALS)) + text[at:]
    return text


@settings(max_examples=1500, deadline=None)
@given(_texts())
@example("- id: a\n  title: T\n# c\n\n    more\n")
@example('- id: a\n  x: 1\n   "open\n')
@example("- id: a\n  key : 'open\n")
def test_the_screen_flags_what_the_careful_scan_flags(text: str) -> None:
    assert _fast(text) == _outcome(text)


def test_every_layout_alone_and_after_a_house_record() -> None:
    house = '- id: h\n  type: book\n  title: H\n  themes: [a]\n  volume: "1"\n'
    for record in _RECORDS:
        for text in (record, house + record, record + house, "# head\n---\n" + record + "\n" + house):
            assert _fast(text) == _outcome(text)


def _loader_values(text: str) -> list[dict[str, str]] | None:
    """id, doi, title and year of each record as the YAML loader reads them; None when the loader
    does not read the text as a list of records."""
    data, problems = yamlio.load_text(text, "p.yaml")
    if problems or not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        return None
    return [
        {
            key: value
            for key, value in item.items()
            if key in ("id", "doi", "title", "year") and isinstance(value, str)
        }
        for item in data
    ]


@settings(max_examples=800, deadline=None)
@given(_texts())
@example("# a\r- id: a\r  title: T\r- id: b\r")
@example("- id: a\x85- id: b\n")
@example("- id: a\n  title: T\u2028- id: b\n")
def test_the_scan_reads_what_the_loader_reads_or_refuses(text: str) -> None:
    # Against the loader itself, not only the careful scan: the two scans share their "\n"-only view
    # of lines, so a line break YAML reads elsewhere (a lone CR, NEL, U+2028, U+2029) was missed by both.
    expected = _loader_values(text)
    try:
        scanned = scan.scan_values(text, "p.yaml")
    except ScholarError:
        return  # refused: a write then changes nothing
    if expected is None:
        return  # the loader does not read a list of records: writes validate what they change
    assert [{k: v for k, v in found.items() if v is not None} for found in scanned] == expected
