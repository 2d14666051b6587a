"""Rendered scalars and records read back as the values they were rendered from."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from scholarcli.store import load_library, locate_store, validate, yamlio
from scholarcli.write import render


@given(st.text(min_size=1).filter(lambda s: s.strip()))
def test_rendered_scalars_read_back_as_the_same_text(text: str) -> None:
    rendered = render.render_scalar(text)
    assert "\n" not in rendered
    data, problems = yamlio.load_text(f"key: {rendered}\n", "t")
    if problems:  # the strict reader refuses some characters outright (a NUL, say); so does the store
        assert any("YAML error" in p.message for p in problems)
        return
    assert data["key"] == text


def test_rendered_record_reads_back_equal(stress_store: Path) -> None:
    library = load_library(locate_store(stress_store), use_cache=False).library
    theme_ids = [theme.id for theme in library.themes]
    for publication in library.publications:
        text = render.render_record(publication)
        data, problems = yamlio.load_text(text, "r")
        assert problems == []
        read, record_problems = validate.read_publications(data, "r", theme_ids)
        assert [p for p in record_problems if p.severity == "error"] == []
        assert read == (publication,)


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
    assert render._is_safe_plain(text) == (_SAFE_PLAIN_SPEC.fullmatch(text) is not None)
