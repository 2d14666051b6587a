"""The outline reads what the full parser reads; splices change only the bytes of the records they touch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scholarcli.errors import ScholarError
from scholarcli.model import PUBLICATION_FIELDS
from scholarcli.store import load_library, locate_store
from scholarcli.write import scan
from scholarcli.write.outline import (
    Outline,
    append_records,
    appended_part,
    newline_of,
    remove_record,
    replace_lines,
    set_fields,
)

from ..conftest import DEFAULT_STORE, STRESS_STORE
from .test_scan import _LAYOUTS, _outline_values


@pytest.mark.parametrize("folder", [DEFAULT_STORE, STRESS_STORE], ids=["default", "stress"])
def test_outline_values_match_the_full_parse(folder: Path) -> None:
    library = load_library(locate_store(folder), use_cache=False).library
    outline = Outline((folder / "publications.yaml").read_text(encoding="utf-8"), "p.yaml")
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
    outline = Outline(text, "p.yaml")
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
    with pytest.raises(scan.OutlineError, match=rf"^p\.yaml:{line}: cannot edit this file in place"):
        Outline(text, "p.yaml")


def test_a_separator_line_at_the_top_and_an_empty_file_are_accepted() -> None:
    assert Outline("---\n- id: a\n", "p").records[0].line == 2
    assert Outline("", "p").records == []
    assert Outline("# only a comment\n", "p").records == []


def test_lines_split_only_at_newlines() -> None:
    # U+2028 is a line break for str.splitlines; inside a quoted value YAML folds it, and the outline's
    # lines are split at "\n" alone.
    text = '- id: a\n  title: "x\u2028y"\n- id: b\n'
    outline = Outline(text, "p")
    assert [record.line for record in outline.records] == [1, 3]
    assert outline.text() == text


def test_a_file_with_other_line_breaks_that_the_loader_refuses_is_refused_with_its_reason() -> None:
    # U+2028 ends a line for YAML: `y z` is then a line of its own, which the loader refuses, and so
    # does a write (the outline, split at "\n" alone, would have seen nothing wrong).
    text = "- id: a\n  title: x\u2028y z\n- id: b\n"
    message = "p:3:1: cannot edit this file in place: YAML syntax error: could not find expected ':'"
    with pytest.raises(scan.OutlineError, match="^" + re.escape(message)):
        Outline(text, "p")


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
    outline = Outline(text, "p")
    record = outline.records[0]
    lines = set_fields(
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
    outline = Outline("- id: a\n  type: book\n", "p")
    with pytest.raises(ScholarError, match="cannot remove 'id'"):
        set_fields(outline, outline.records[0], {"id": None}, PUBLICATION_FIELDS)


def test_remove_takes_the_separating_blank_lines() -> None:
    text = (
        "# head\n\n- id: a\n  type: book\n\n- id: b\n  type: book\n\n# tail comment\n- id: c\n  type: book\n"
    )
    outline = Outline(text, "p")
    remove_record(outline, outline.records[1])
    assert outline.text() == "# head\n\n- id: a\n  type: book\n\n# tail comment\n- id: c\n  type: book\n"
    outline = Outline(text, "p")
    remove_record(outline, outline.records[2])
    # The comment directly above the last record is that record's and goes with it (issue #12 item 19).
    assert outline.text() == "# head\n\n- id: a\n  type: book\n\n- id: b\n  type: book\n"
    # A comment directly above the first record with nothing above it is the file's header: it stays.
    outline = Outline("# header\n- id: a\n  type: book\n\n- id: b\n", "p")
    remove_record(outline, outline.records[0])
    assert outline.text() == "# header\n- id: b\n"


@pytest.mark.parametrize("text", _LAYOUTS)
def test_index_values_reads_what_the_outline_reads(text: str) -> None:
    # The outline's own use of the scan (an update-add): a leading `---` once made it refuse the file.
    outline = Outline(text, "p.yaml")
    outline.index_values()
    indexed = [
        {key: outline.value(record, key) for key in ("id", "doi", "title", "year")}
        for record in outline.records
    ]
    assert indexed == _outline_values(text)


@pytest.mark.parametrize("text", _LAYOUTS)
@pytest.mark.parametrize("count", [0, 1, 2])
def test_appended_writes_what_append_records_writes(text: str, count: int) -> None:
    newline = newline_of(text)
    outline = Outline(text, "p.yaml")
    assert newline == outline.newline
    records = [f"- id: new{number}{newline}  title: New{newline}" for number in range(count)]
    append_records(outline, records)
    assert text + appended_part(text, records, newline) == outline.text()


def test_edits_in_any_order_keep_the_spans_true() -> None:
    # Issue #13 item 6: replace_lines once left the spans after an edit stale, so edits had to go
    # bottom-up. Top-down now gives what bottom-up gives.
    text = "- id: a\n  title: A\n\n- id: b\n  title: B\n\n# about c\n- id: c\n  title: C\n"
    results = []
    for order in ((0, 1, 2), (2, 1, 0)):
        outline = Outline(text, "p")
        a, b, c = outline.records
        for number in order:
            record = (a, b, c)[number]
            if number == 0:
                replace_lines(outline, record.first, record.end, ["- id: a\n", "  x: 1\n", "  y: 2\n"])
            elif number == 1:
                remove_record(outline, record)
            else:
                new = set_fields(outline, record, {"title": "New C"}, PUBLICATION_FIELDS)
                replace_lines(outline, record.first, record.end, new)
        assert [outline.value(record, "id") for record in outline.records] == ["a", "c"]
        assert [outline.record_text(record) for record in outline.records] == [
            "- id: a\n  x: 1\n  y: 2\n",
            "- id: c\n  title: New C\n",
        ]
        results.append(outline.text())
    assert results[0] == results[1] == "- id: a\n  x: 1\n  y: 2\n\n# about c\n- id: c\n  title: New C\n"


# -- edits in any order (issue #13 item 6): the edit API gives the same file whatever the order --------


@st.composite
def _stores_and_edits(draw: st.DrawFn) -> tuple[str, dict[int, str], list[int]]:
    """A store in the house layout with comments and blank lines of every kind between records, one edit
    for some of its records (each record is edited once at most: two edits of one record do depend on
    their order), and an order to make them in."""
    count = draw(st.integers(1, 7))
    parts = [draw(st.sampled_from(["", "# header\n", "# header\n\n", "---\n"]))]
    for number in range(count):
        if number:
            parts.append("\n" * draw(st.integers(0, 2)))
        parts.append(draw(st.sampled_from(["", f"# about r{number}\n"])))
        parts.append(f"- id: r{number}\n  title: Title {number}\n")
        parts.append(draw(st.sampled_from(["", "  year: 2020\n", "  abstract: |\n    two\n\n    lines\n"])))
        parts.append(draw(st.sampled_from(["", "  # below\n"])))
    parts.append(draw(st.sampled_from(["", "\n", "# tail\n"])))
    edited = draw(st.lists(st.integers(0, count - 1), unique=True, max_size=count))
    edits = {number: draw(st.sampled_from(["set", "replace", "remove", "insert"])) for number in edited}
    return "".join(parts), edits, draw(st.permutations(edited))


def _edit(outline: Outline, number: int, kind: str) -> None:
    """One edit of record `r<number>`, found through the outline as a write finds it (by its id)."""
    record = dict(outline.ids())[f"r{number}"]
    if kind == "set":
        changes: dict[str, object | None] = {"title": f"New {number}", "doi": f"10.1/{number}", "year": None}
        replace_lines(
            outline, record.first, record.end, set_fields(outline, record, changes, PUBLICATION_FIELDS)
        )
    elif kind == "replace":
        replace_lines(outline, record.first, record.end, [f"- id: r{number}\n", "  type: book\n"])
    elif kind == "remove":
        remove_record(outline, record)
    else:  # a new record just above this one
        replace_lines(outline, record.first, record.first, [f"- id: new{number}\n", "  title: New\n", "\n"])


def _assert_spans_true(outline: Outline) -> None:
    # Each record span the outline keeps is the span a fresh outline of its text finds, fields included.
    fresh = {record.first: record for record in Outline(outline.text(), "p").records}
    for record in outline.records:
        assert record.first in fresh, outline.text()
        again = fresh[record.first]
        assert (record.end, record.key_indent) == (again.end, again.key_indent), outline.text()
        assert {key: (span.first, span.end) for key, span in record.fields.items()} == {
            key: (span.first, span.end) for key, span in again.fields.items()
        }


@settings(max_examples=300, deadline=None)
@given(_stores_and_edits())
def test_edits_give_the_same_file_in_any_order(case: tuple[str, dict[int, str], list[int]]) -> None:
    text, edits, order = case
    bottom_up = Outline(text, "p")
    for number in sorted(edits, reverse=True):  # the order that needs no span kept up to date
        _edit(bottom_up, number, edits[number])
    outline = Outline(text, "p")
    for number in order:
        _edit(outline, number, edits[number])
        _assert_spans_true(outline)
    assert outline.text() == bottom_up.text()
    expected: list[str] = []
    for number in range(text.count("- id: r")):
        kind = edits.get(number)
        expected.extend(
            [f"new{number}", f"r{number}"] if kind == "insert" else [] if kind == "remove" else [f"r{number}"]
        )
    # The spans kept through the edits name every record, the inserted ones too.
    assert [record_id for record_id, _ in outline.ids()] == expected


def test_records_an_edit_adds_are_outlined() -> None:
    # Lines spliced in that start records (an insert, an append) once had no spans: the outline's ids
    # then failed (a scan of the text found more records than the outline had) or left them out.
    outline = Outline("- id: a\n  title: A\n\n- id: b\n  title: B\n", "p")
    replace_lines(outline, 3, 3, ["- id: new\n", "  title: New\n", "\n"])
    append_records(outline, ["- id: z\n  title: Z\n"])
    assert [record_id for record_id, _ in outline.ids()] == ["a", "new", "b", "z"]
    assert [(record.first, record.end) for record in outline.records] == [(0, 2), (3, 5), (6, 8), (9, 11)]
    remove_record(outline, dict(outline.ids())["new"])
    assert outline.text() == "- id: a\n  title: A\n\n- id: b\n  title: B\n\n- id: z\n  title: Z\n"


def test_comments_a_removal_brings_to_the_top_are_not_the_header() -> None:
    # Removing `a` brings b's comment to the top of the file; it is still b's, not the file's header
    # (it once stayed when `a` went first, and went when `b` went first).
    text = "- id: a\n  title: A\n# about b\n- id: b\n  title: B\n- id: c\n"
    for order in (("a", "b"), ("b", "a")):
        outline = Outline(text, "p")
        for record_id in order:
            remove_record(outline, dict(outline.ids())[record_id])
        assert outline.text() == "- id: c\n"
    outline = Outline("# header\n- id: a\n# about b\n- id: b\n- id: c\n", "p")
    for record_id in ("a", "b"):
        remove_record(outline, dict(outline.ids())[record_id])
    assert outline.text() == "# header\n- id: c\n"


def test_the_three_edit_modules_import_no_cycle() -> None:
    # outline uses scan and render; neither of those may import the other or outline (issue #13 item 6).
    import ast

    import scholarcli.write as write

    folder = Path(write.__file__).parent
    for name, allowed in (("scan", set()), ("render", set()), ("outline", {"scan", "render"})):
        tree = ast.parse((folder / f"{name}.py").read_text(encoding="utf-8"))
        imported = {
            alias.name if node.module == "scholarcli.write" else node.module.rsplit(".", 1)[-1]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("scholarcli.write")
            for alias in node.names
        }
        assert imported & {"scan", "render", "outline"} == allowed, name
