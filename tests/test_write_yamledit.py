"""The outline reads what the full parser reads; splices change only the bytes of the records they touch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scholarcli.errors import ScholarError
from scholarcli.model import PUBLICATION_FIELDS
from scholarcli.store import load_library, locate_store, validate, yamlio
from scholarcli.write import yamledit

from .conftest import DEFAULT_STORE, STRESS_STORE


@pytest.mark.parametrize("folder", [DEFAULT_STORE, STRESS_STORE], ids=["default", "stress"])
def test_outline_values_match_the_full_parse(folder: Path) -> None:
    library = load_library(locate_store(folder), use_cache=False).library
    outline = yamledit.Outline((folder / "publications.yaml").read_text(encoding="utf-8"), "p.yaml")
    outline.index_values()
    found = dict(outline.ids())
    assert list(found) == [publication.id for publication in library.publications]
    for publication in library.publications:
        record = found[publication.id]
        title = outline.value(record, "title")
        assert (" ".join(title.split()) if title else None) == publication.title
        assert outline.value(record, "doi") == publication.doi
        year = outline.value(record, "year")
        assert (int(year) if year else None) == publication.year


def test_outline_reads_quoted_multiline_and_commented_values() -> None:
    text = (
        "# head\n"
        "- id: a1  # the id\n"
        "  title: 'It''s: quoted'\n"
        '  year: "2020"\n'
        "- id: a2\n"
        "  title: >-\n"
        "    folded\n"
        "    title\n"
        '  doi: "10.1/\\u00e9"\n'
    )
    outline = yamledit.Outline(text, "p.yaml")
    outline.index_values()
    records = dict(outline.ids())
    assert list(records) == ["a1", "a2"]
    assert outline.value(records["a1"], "title") == "It's: quoted"
    assert outline.value(records["a1"], "year") == "2020"
    assert outline.value(records["a2"], "title") == "folded title"
    assert outline.value(records["a2"], "doi") == "10.1/é"


@pytest.mark.parametrize(
    ("text", "line"),
    [("key: value\n", 1), ("- id: a\n  type: book\nother: 1\n", 3), ("  - id: a\n", 1)],
)
def test_outline_refuses_files_it_cannot_splice(text: str, line: int) -> None:
    with pytest.raises(yamledit.OutlineError, match=rf"^p\.yaml:{line}: cannot edit this file in place"):
        yamledit.Outline(text, "p.yaml")


def test_a_separator_line_at_the_top_and_an_empty_file_are_accepted() -> None:
    assert yamledit.Outline("---\n- id: a\n", "p").records[0].line == 2
    assert yamledit.Outline("", "p").records == []
    assert yamledit.Outline("# only a comment\n", "p").records == []


def test_lines_split_only_at_newlines() -> None:
    # U+2028 is a line break for str.splitlines; inside a quoted value YAML folds it, and the outline's
    # lines are split at "\n" alone.
    text = '- id: a\n  title: "x\u2028y"\n- id: b\n'
    outline = yamledit.Outline(text, "p")
    assert [record.line for record in outline.records] == [1, 3]
    assert outline.text() == text


def test_a_file_with_other_line_breaks_that_the_loader_refuses_is_refused_with_its_reason() -> None:
    # U+2028 ends a line for YAML: `y z` is then a line of its own, which the loader refuses, and so
    # does a write (the outline, split at "\n" alone, would have seen nothing wrong).
    text = "- id: a\n  title: x\u2028y z\n- id: b\n"
    message = "p:3:1: cannot edit this file in place: YAML syntax error: could not find expected ':'"
    with pytest.raises(yamledit.OutlineError, match="^" + re.escape(message)):
        yamledit.Outline(text, "p")


@given(st.text(min_size=1).filter(lambda s: s.strip()))
def test_rendered_scalars_read_back_as_the_same_text(text: str) -> None:
    rendered = yamledit.render_scalar(text)
    assert "\n" not in rendered
    data, problems = yamlio.load_text(f"key: {rendered}\n", "t")
    if problems:  # the strict reader refuses some characters outright (a NUL, say); so does the store
        assert any("YAML error" in p.message for p in problems)
        return
    assert data["key"] == text


def test_set_fields_keeps_other_lines_and_comments() -> None:
    text = (
        "- id: a1\n"
        "  type: book   # kept\n"
        "  title: Old\n"
        "  # a comment between fields\n"
        "  authors:\n"
        "  - Liu, C\n"
        "  year: 2020\n"
    )
    outline = yamledit.Outline(text, "p")
    record = outline.records[0]
    lines = yamledit.set_fields(
        outline, record, {"title": "New: title", "year": None, "status": "forthcoming"}, PUBLICATION_FIELDS
    )
    assert "".join(lines) == (
        "- id: a1\n"
        "  type: book   # kept\n"
        '  title: "New: title"\n'
        "  # a comment between fields\n"
        "  authors:\n"
        "  - Liu, C\n"
        "  status: forthcoming\n"
    )


def test_first_field_cannot_be_removed() -> None:
    outline = yamledit.Outline("- id: a\n  type: book\n", "p")
    with pytest.raises(ScholarError, match="cannot remove 'id'"):
        yamledit.set_fields(outline, outline.records[0], {"id": None}, PUBLICATION_FIELDS)


def test_rendered_record_reads_back_equal(stress_store: Path) -> None:
    library = load_library(locate_store(stress_store), use_cache=False).library
    theme_ids = [theme.id for theme in library.themes]
    for publication in library.publications:
        text = yamledit.render_record(publication)
        data, problems = yamlio.load_text(text, "r")
        assert problems == []
        read, record_problems = validate.read_publications(data, "r", theme_ids)
        assert [p for p in record_problems if p.severity == "error"] == []
        assert read == (publication,)


def test_remove_takes_the_separating_blank_lines() -> None:
    text = (
        "# head\n\n- id: a\n  type: book\n\n- id: b\n  type: book\n\n# tail comment\n- id: c\n  type: book\n"
    )
    outline = yamledit.Outline(text, "p")
    yamledit.remove_record(outline, outline.records[1])
    assert outline.text() == "# head\n\n- id: a\n  type: book\n\n# tail comment\n- id: c\n  type: book\n"
    outline = yamledit.Outline(text, "p")
    yamledit.remove_record(outline, outline.records[2])
    # The comment directly above the last record is that record's and goes with it (issue #12 item 19).
    assert outline.text() == "# head\n\n- id: a\n  type: book\n\n- id: b\n  type: book\n"
    # A comment directly above the first record with nothing above it is the file's header: it stays.
    outline = yamledit.Outline("# header\n- id: a\n  type: book\n\n- id: b\n", "p")
    yamledit.remove_record(outline, outline.records[0])
    assert outline.text() == "# header\n- id: b\n"


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
    outline = yamledit.Outline(text, "p.yaml")
    return [
        {key: outline.value(record, key) for key in ("id", "doi", "title", "year")}
        for record in outline.records
    ]


def _present(values: list[dict[str, str | None]]) -> list[dict[str, str]]:
    # The scan leaves out a field a record lacks; the outline reports it as None.
    return [{key: value for key, value in found.items() if value is not None} for found in values]


@pytest.mark.parametrize("text", _LAYOUTS)
def test_scan_values_reads_what_the_outline_reads(text: str) -> None:
    assert _present(yamledit.scan_values(text, "p.yaml")) == _present(_outline_values(text))


@pytest.mark.parametrize("text", _LAYOUTS)
def test_index_values_reads_what_the_outline_reads(text: str) -> None:
    # The outline's own use of the scan (an update-add): a leading `---` once made it refuse the file.
    outline = yamledit.Outline(text, "p.yaml")
    outline.index_values()
    indexed = [
        {key: outline.value(record, key) for key in ("id", "doi", "title", "year")}
        for record in outline.records
    ]
    assert indexed == _outline_values(text)


@pytest.mark.parametrize("folder", [DEFAULT_STORE, STRESS_STORE], ids=["default", "stress"])
def test_scan_values_reads_real_stores_as_the_outline_does(folder: Path) -> None:
    text = (folder / "publications.yaml").read_text(encoding="utf-8")
    scanned = _present(yamledit.scan_values(text, "p"))
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
    for read in (lambda: yamledit.Outline(text, "p.yaml"), lambda: yamledit.scan_values(text, "p.yaml")):
        with pytest.raises(yamledit.OutlineError, match=rf"^p\.yaml:{line}: cannot edit this file in place"):
            read()


@pytest.mark.parametrize("text", _LAYOUTS)
@pytest.mark.parametrize("count", [0, 1, 2])
def test_appended_writes_what_append_records_writes(text: str, count: int) -> None:
    newline = yamledit.newline_of(text)
    outline = yamledit.Outline(text, "p.yaml")
    assert newline == outline.newline
    records = [f"- id: new{number}{newline}  title: New{newline}" for number in range(count)]
    yamledit.append_records(outline, records)
    assert text + yamledit.appended_part(text, records, newline) == outline.text()


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
    except yamledit.OutlineError:
        with pytest.raises(yamledit.OutlineError):
            yamledit.scan_values(text, "p.yaml")
        return
    assert _present(yamledit.scan_values(text, "p.yaml")) == _present(outlined)
    outline = yamledit.Outline(text, "p.yaml")
    yamledit.append_records(outline, ["- id: z\n"])
    assert text + yamledit.appended_part(text, ["- id: z\n"], yamledit.newline_of(text)) == outline.text()


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
    for pattern in (yamledit._RECORD_OR_FIELD, yamledit._RECORD_OR_FIELD_SCREEN):
        assert yamledit._scan_matches(body, pattern) == pattern.findall("\n" + body)


_SAFE_PLAIN_SPEC = re.compile(r"[A-Za-z\u00c0-\U0010ffff][^:#\x00-\x1f\x7f]*(?<! )")


@settings(max_examples=500)
@example("a ")
@example("Ab c")
@example("a:b")
@example("a#")
@example("")
@example(" a")
@example("\u00c0x")
@example("\u00bfx")
@example("1a")
@example("a\x7f")
@example("a\tb")
@example("a\x85")
@example("刘春成")
@given(
    st.text(
        alphabet=st.sampled_from(
            list("aZz-:# 0.\t\n\x00\x1f\x7f\x85\u00bf\u00c0\u00e9\u2028\u5218\U0001f600")
        )
        | st.characters(),
        max_size=8,
    )
)
def test_the_safe_plain_test_is_its_regex(text: str) -> None:
    assert yamledit._is_safe_plain(text) == (_SAFE_PLAIN_SPEC.fullmatch(text) is not None)


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
    | st.text(min_size=1).filter(lambda s: s.strip()).map(yamledit.render_scalar)
)
def test_a_value_read_without_yaml_is_what_yaml_reads(value: str) -> None:
    read = yamledit._single_line_value(value)
    if read is yamledit._NEEDS_YAML:
        return
    data, problems = yamlio.load_text(f"key: {value}\n", "t")
    assert not problems, (value, read)
    assert data["key"] == read


def test_edits_in_any_order_keep_the_spans_true() -> None:
    # Issue #13 item 6: replace_lines once left the spans after an edit stale, so edits had to go
    # bottom-up. Top-down now gives what bottom-up gives.
    text = "- id: a\n  title: A\n\n- id: b\n  title: B\n\n# about c\n- id: c\n  title: C\n"
    results = []
    for order in ((0, 1, 2), (2, 1, 0)):
        outline = yamledit.Outline(text, "p")
        a, b, c = outline.records
        for number in order:
            record = (a, b, c)[number]
            if number == 0:
                yamledit.replace_lines(
                    outline, record.first, record.end, ["- id: a\n", "  x: 1\n", "  y: 2\n"]
                )
            elif number == 1:
                yamledit.remove_record(outline, record)
            else:
                new = yamledit.set_fields(outline, record, {"title": "New C"}, PUBLICATION_FIELDS)
                yamledit.replace_lines(outline, record.first, record.end, new)
        assert [outline.value(record, "id") for record in outline.records] == ["a", "c"]
        assert [outline.record_text(record) for record in outline.records] == [
            "- id: a\n  x: 1\n  y: 2\n",
            "- id: c\n  title: New C\n",
        ]
        results.append(outline.text())
    assert results[0] == results[1] == "- id: a\n  x: 1\n  y: 2\n\n# about c\n- id: c\n  title: New C\n"
