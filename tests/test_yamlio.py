"""The strict YAML reader: YAML 1.1's typing traps stay text; unsafe features are refused with positions."""

from __future__ import annotations

import pytest

from scholarcli.yamlio import YamlList, YamlMap, dump_text, load_text


@pytest.mark.parametrize(
    "value",
    ["No", "yes", "off", "0123", "3:16", "1.10", "2019-01-05", "1e3", "0x1F", "~", "null", ".inf", "true"],
)
def test_plain_scalars_stay_exactly_the_text_written(value: str) -> None:
    data, problems = load_text(f"key: {value}\n", "f.yaml")
    assert problems == []
    assert data == {"key": value}
    assert type(data["key"]) is str


def test_marks_are_one_based_lines_and_columns() -> None:
    data, _ = load_text("# comment\n- id: a\n  title: T\n- id: b\n", "f.yaml")
    assert isinstance(data, YamlList)
    assert data.item_marks == [(2, 3), (4, 3)]
    first = data[0]
    assert isinstance(first, YamlMap)
    assert first.key_marks["title"] == (3, 3)
    assert first.value_marks["title"] == (3, 10)


def test_duplicate_key_names_both_lines() -> None:
    _, problems = load_text("id: a\ntitle: One\ntitle: Two\n", "f.yaml")
    assert [str(p) for p in problems] == [
        "f.yaml:3:1: duplicate key 'title' (first given on line 2); keep only one"
    ]


def test_aliases_are_refused() -> None:
    _, problems = load_text("a: &x Hello\nb: *x\n", "f.yaml")
    assert len(problems) == 1
    assert problems[0].line == 1
    assert "anchors and aliases are not supported" in problems[0].message


def test_merge_keys_are_refused() -> None:
    _, problems = load_text("base: &b {x: '1'}\nother:\n  <<: *b\n", "f.yaml")
    messages = [p.message for p in problems]
    assert any("merge keys" in m for m in messages)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object:os.system echo\n", "!!python/object:os.system"),
        ("a: !!python/name:os.system ''\n", "!!python/name:os.system"),
        ("a: !!int '5'\n", "!!int"),
        ("a: !custom x\n", "!custom"),
    ],
)
def test_explicit_tags_are_refused(text: str, tag: str) -> None:
    data, problems = load_text(text, "f.yaml")
    assert [str(p) for p in problems] == [
        f"f.yaml:1:4: YAML tag '{tag}' is not allowed; remove it (values are text)"
    ]
    assert data == {"a": None}


def test_every_problem_is_reported_at_once() -> None:
    _, problems = load_text("a: !!int 1\nb: 2\nb: 3\nc: &x 4\nd: *x\n", "f.yaml")
    assert [p.line for p in problems] == [1, 3, 4]


def test_syntax_error_has_a_position() -> None:
    data, problems = load_text("a: [1, 2\nb: 3\n", "f.yaml")
    assert data is None
    assert len(problems) == 1
    assert problems[0].line == 2
    assert problems[0].message.startswith("YAML syntax error:")


def test_control_character_in_a_plain_value_is_a_reader_error_with_a_position() -> None:
    data, problems = load_text("a: ok\nb: x\x07y\n", "f.yaml")
    assert data is None
    assert (problems[0].line, problems[0].column) == (2, 5)
    assert "control characters are not allowed" in problems[0].message


def test_empty_document_is_none_without_problems() -> None:
    assert load_text("# only a comment\n", "f.yaml") == (None, [])


def test_non_string_key_is_refused() -> None:
    _, problems = load_text("? [a, b]\n: value\n", "f.yaml")
    assert [p.message for p in problems] == ["a key must be plain text"]


@pytest.mark.parametrize(
    "value", ["No", "2019", "1.10", "true", "3:16", "a: b", "- x", "#x", "  lead", "é 刘"]
)
def test_dump_text_reads_back_to_the_same_strings(value: str) -> None:
    data, problems = load_text(dump_text({"key": value, "list": [value]}), "f.yaml")
    assert problems == []
    assert data == {"key": value, "list": [value]}
