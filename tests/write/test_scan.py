"""The regex scans read what the outline (and the loader) read, or refuse what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from scholarcli.store import load_library, locate_store, yamlio
from scholarcli.write import render, scan
from scholarcli.write.outline import (
    Outline,
    append_records,
    appended_part,
    newline_of,
)

from ..conftest import DEFAULT_STORE, STRESS_STORE

# -- the add path: regex scans and appending must read and write what the outline does ---------------

_LAYOUTS = [
    "",
    "# only a comment\n",
    "---\n- id: a\n  title: T\n",
    "- id: a1  # the id\n  title: 'It''s: quoted'\n  year: \"2020\"\n- id: a2\n  title: >-\n    folded\n"
    '    title\n  doi: "10.1/\\u00e9"\n',
    "- id: a\n  title: Plain # a comment\n  year: 2020\n\n# between\n\n- id: b\n  doi: 10.1/x\n",
    "-\n  id: alone\n  title: dash alone\n- id: b\n  title: next\n",
    "-   id: wide\n    title: four columns\n- id: b\n",
    "- id: a\n  title: first line\n    continued\n  year: 2021\n- id: b\n",
    '- id: a\n  title: "esc \\" quote"\n- id: b\n  title: \'#not a comment\'\n',
    "\ufeff- id: bom\n  title: T\n",
    "- id: crlf\r\n  title: T\r\n- id: two\r\n",
    "- id: a\n  title: T\n- id: last\n  title: no newline at the end",
    "- id: a\n  title: T\n\n\n",
    "- id: a\n  abstract: |\n    id: not a field\n  title: after a block\n",
    "- title: no id\n  year: 2020\n- id: b\n",
]


def _outline_values(text: str) -> list[dict[str, str | None]]:
    # Without index_values: each value read from its record's own lines, the reference the scans match.
    outline = Outline(text, "p.yaml")
    return [
        {key: outline.value(record, key) for key in ("id", "doi", "title", "year")}
        for record in outline.records
    ]


def _present(values: list[dict[str, str | None]]) -> list[dict[str, str]]:
    # The scan leaves out a field a record lacks; the outline reports it as None.
    return [{key: value for key, value in found.items() if value is not None} for found in values]


@pytest.mark.parametrize("text", _LAYOUTS)
def test_scan_values_reads_what_the_outline_reads(text: str) -> None:
    assert _present(scan.scan_values(text, "p.yaml")) == _present(_outline_values(text))


@pytest.mark.parametrize("folder", [DEFAULT_STORE, STRESS_STORE], ids=["default", "stress"])
def test_scan_values_reads_real_stores_as_the_outline_does(folder: Path) -> None:
    text = (folder / "publications.yaml").read_text(encoding="utf-8")
    scanned = _present(scan.scan_values(text, "p"))
    assert scanned == _present(_outline_values(text))
    assert len(scanned) == len(load_library(locate_store(folder), use_cache=False).library.publications)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("key: value\n", 1),
        ("- id: a\n  type: book\nother: 1\n", 3),
        ("  - id: a\n", 1),
        ("# c\n  x\n- id: a\n", 2),
    ],
)
def test_scan_values_refuses_what_the_outline_refuses(text: str, line: int) -> None:
    for read in (lambda: Outline(text, "p.yaml"), lambda: scan.scan_values(text, "p.yaml")):
        with pytest.raises(scan.OutlineError, match=rf"^p\.yaml:{line}: cannot edit this file in place"):
            read()


@given(
    st.lists(
        st.sampled_from(
            ["- id: a\n", "  title: T\n", "\n", "# c\n", "  # c\n", "  year: 2020\n", "- id: b\n"]
        ),
        max_size=12,
    ).map("".join)
)
def test_scan_and_append_agree_with_the_outline_on_generated_layouts(text: str) -> None:
    try:
        outlined = _outline_values(text)
    except scan.OutlineError:
        with pytest.raises(scan.OutlineError):
            scan.scan_values(text, "p.yaml")
        return
    assert _present(scan.scan_values(text, "p.yaml")) == _present(outlined)
    outline = Outline(text, "p.yaml")
    append_records(outline, ["- id: z\n"])
    assert text + appended_part(text, ["- id: z\n"], newline_of(text)) == outline.text()


@given(
    st.lists(
        st.sampled_from(
            [
                "- id: a",
                "-",
                "- ",
                "-x",
                "  title: T",
                "   goes on",
                "    more",
                "",
                "# c",
                "  # c",
                "x: 1",
                "  year: 2020",
                "\r",
                "---",
                " - id: b",
                "-\tid: c",
                '   "open',
                "  # c",
                "\t",
            ]
        ),
        max_size=8,
    ).map("\n".join),
    st.booleans(),
)
@example("# c\n\n   goes on", False)  # a comment inside a value, from the first line over a blank one
@example('- id: a\n   "open', False)  # the first line's match takes the next line's start
@example("# c\n# d\n\n   goes on\n- id: a", True)
def test_scan_matches_equal_one_scan_of_the_text_after_a_newline(text: str, final_newline: bool) -> None:
    # _scan_matches reads the first line apart so as not to copy the whole text; it must find exactly
    # what one scan of "\n" + text finds, whatever the first lines are, with either scan.
    body = text + "\n" if final_newline else text
    for pattern in (scan._RECORD_OR_FIELD, scan._RECORD_OR_FIELD_SCREEN):
        assert scan._scan_matches(body, pattern) == pattern.findall("\n" + body)


@example('"a \\\\ b"')
@example('"say \\"hi\\""')
@example('"ends in a backslash \\\\"')
@example('"a\\"')
@example('"a\\n"')
@example('"x" "y"')
@example("'it''s'")
@example("a\u2028b")
@example('"a\x85b"')
@given(
    st.builds(
        lambda quote, inner: quote + inner + quote,
        st.sampled_from(['"', "'"]),
        st.text(alphabet=st.sampled_from(list("ab \\\"'#:nxu0\x85\u2028\u2029")), max_size=10),
    )
    | st.text(min_size=1).filter(lambda s: s.strip()).map(render.render_scalar)
)
def test_a_value_read_without_yaml_is_what_yaml_reads(value: str) -> None:
    read = scan.single_line_value(value)
    if read is scan.NEEDS_YAML:
        return
    data, problems = yamlio.load_text(f"key: {value}\n", "t")
    assert not problems, (value, read)
    assert data["key"] == read
