"""The strict YAML reader: YAML 1.1's typing traps stay text; unsafe features are refused with positions."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scholarcli.store import yamlio
from scholarcli.store.yamlio import MAX_DEPTH, YamlList, YamlMap, dump_text, load_text


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


# Nesting depth (issue #12, item 8) --------------------------------------------------------------------

DEPTH_MESSAGE = (
    f"lists and mappings nested more than {MAX_DEPTH} levels deep; a store needs four at most "
    "(the list of records, a record, a list of names, a name)"
)


def _flow_lists(depth: int) -> tuple[str, tuple[int, int]]:
    return "[" * depth + "]" * depth, (1, MAX_DEPTH + 1)


def _flow_maps(depth: int) -> tuple[str, tuple[int, int]]:
    return "{a: " * depth + "x" + "}" * depth, (1, 4 * MAX_DEPTH + 1)


def _block_maps(depth: int) -> tuple[str, tuple[int, int]]:  # quadratic in size: keep depth small
    text = "".join("  " * level + "a:\n" for level in range(depth)) + "  " * depth + "x\n"
    return text, (MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)


def _block_lists(depth: int) -> tuple[str, tuple[int, int]]:
    return "- " * depth + "x\n", (1, 2 * MAX_DEPTH + 1)


SHAPES = [_flow_lists, _flow_maps, _block_maps, _block_lists]


class _PurePythonLoader(yaml.SafeLoader):
    """The loader yamlio falls back to where PyYAML was built without libyaml: it recurses in Python."""

    yaml_implicit_resolvers: dict = {}  # noqa: RUF012


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "pure-python":
        monkeypatch.setattr(yamlio, "_StringLoader", _PurePythonLoader)
    return request.param


@pytest.mark.parametrize(
    ("shape", "depth"),
    [
        (shape, depth)
        for shape in SHAPES
        for depth in [MAX_DEPTH + 1, 490, 1001, 5000, 100_000]
        # Block mappings indent each level: 100,000 of them would be 10 GB of text.
        if not (shape is _block_maps and depth > 2000)
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else str(value),
)
def test_nesting_deeper_than_the_limit_is_one_problem_at_the_first_level_too_deep(
    loader: str, shape, depth: int
) -> None:
    text, (line, column) = shape(depth)
    data, problems = load_text(text, "f.yaml")
    assert data is None
    assert [str(problem) for problem in problems] == [f"f.yaml:{line}:{column}: {DEPTH_MESSAGE}"]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: shape.__name__.strip("_"))
def test_nesting_up_to_the_limit_is_read(loader: str, shape) -> None:
    text, _ = shape(MAX_DEPTH)
    data, problems = load_text(text, "f.yaml")
    assert problems == []
    levels = 0
    while isinstance(data, YamlList | YamlMap):
        levels += 1
        data = (data[0] if data else None) if isinstance(data, YamlList) else data["a"]
    assert (levels, data) == (MAX_DEPTH, None if shape is _flow_lists else "x")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["[", "{a: ", "- ", "{b: ["]), min_size=1, max_size=80))
def test_any_nesting_reads_or_is_refused_for_its_depth_never_a_crash(openers: list[str]) -> None:
    # Block lists ("- ") may only open a line or follow another "- ", so they lead.
    openers = sorted(openers, key=lambda opener: opener != "- ")
    depth = sum(opener.count("[") + opener.count("{") + opener.count("-") for opener in openers)
    closers = "".join(
        {"[": "]", "{a: ": "}", "- ": "", "{b: [": "]}"}[opener] for opener in reversed(openers)
    )
    data, problems = load_text("".join(openers) + "x" + closers + "\n", "f.yaml")
    if depth > MAX_DEPTH:
        assert [problem.message for problem in problems] == [DEPTH_MESSAGE]
    else:
        assert problems == []
        assert data is not None


def test_an_unclosed_quote_is_reported_where_it_opens() -> None:
    # Found only at the end of the text; the place to fix is the quote's own line (issue #12 review D1).
    text = '- id: a\n  title: "Open\n  year: 2020\n- id: b\n  title: B\n'
    data, problems = yamlio.load_text(text, "p.yaml")
    assert data is None
    assert [str(problem) for problem in problems] == [
        "p.yaml:2:10: YAML syntax error: found unexpected end of stream while scanning a quoted scalar that "
        "starts here (reached 4 lines below)"
    ]


def test_an_anchor_reused_several_times_is_one_problem() -> None:
    text = "- id: a\n  title: &t 42\n- id: b\n  title: *t\n  note: *t\n- id: c\n  title: *t\n"
    _, problems = yamlio.load_text(text, "p.yaml")
    assert [str(problem) for problem in problems] == [
        "p.yaml:2:10: YAML anchors and aliases are not supported (the value anchored here is reused by an "
        "alias); write the value out in full where it is used"
    ]
