"""Markdown escaping: any record text reads back from pandoc (and CommonMark) exactly as written."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholarcli.cite.styled import escape_line_start, escape_markdown, safe_url
from tests.cite.citeproc_reference import markdown_to_plain, normalise
from tests.conftest import require_program

# Every character Markdown readers give a meaning to, plus letters, digits and spaces around them.
HOSTILE = "\\`*_{}[]()<>#+-.!|@~^$&%:;'\"=/ \tabcXYZ019é刘"
WORDS = (
    "1984.",
    "# x",
    "[a](b)",
    "<img src=x onerror=alert(1)>",
    "a | b",
    "@key",
    "&amp;",
    "&#42;",
    "- item",
    "> quote",
    "1) one",
    "+ plus",
    "---",
    "***",
    "`code`",
    "<https://x.org>",
    "http://x.org",
    "$x$",
    "~~s~~",
    ":x:",
    ":smile_cat:",
    "^sup^",
    "[^1]",
    "{.class}",
    ":::",
    "\\\\",
)


def hostile_texts(count: int, seed: int) -> list[str]:
    chooser = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = [
            chooser.choice(WORDS)
            if chooser.random() < 0.4
            else "".join(chooser.choices(HOSTILE, k=chooser.randint(1, 12)))
            for _ in range(chooser.randint(1, 6))
        ]
        text = " ".join(parts).strip()
        if text:
            texts.append(text)
    return texts


@pytest.mark.slow
# pandoc's own reader runs without `smart`: with it, straight quotes curl, which changes no words.
@pytest.mark.parametrize("reader", ["markdown-smart", "commonmark", "gfm"])
def test_escaped_text_reads_back_literally(reader: str) -> None:
    pandoc = require_program("pandoc")
    texts = hostile_texts(400, seed=20261127)
    escaped = {index: escape_markdown(text) for index, text in enumerate(texts)}
    shown = markdown_to_plain(pandoc, escaped, reader)
    assert len(shown) == len(texts)
    wrong = {
        index: (texts[index], escaped[index], shown[index])
        for index in shown
        if shown[index] != normalise(texts[index])
    }
    assert not wrong


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_escape_is_one_line_without_raw_specials(text: str) -> None:
    escaped = escape_markdown(text)
    assert "\n" not in escaped
    assert "\r" not in escaped
    for special in "*_[]<>|@`$#~^":
        # every special is preceded by a backslash that is itself not escaped
        position = escaped.find(special)
        while position >= 0:
            run = len(escaped[:position]) - len(escaped[:position].rstrip("\\"))
            assert run % 2 == 1, (text, escaped)
            position = escaped.find(special, position + 1)


def test_line_start_escapes() -> None:
    assert escape_line_start("1984. Orwell") == "1984\\. Orwell"
    assert escape_line_start("2) two") == "2\\) two"
    assert escape_line_start("- item") == "\\- item"
    assert escape_line_start("> quote") == "\\> quote"
    assert escape_line_start("Orwell 1984.") == "Orwell 1984."


def test_safe_url_encodes_what_breaks_a_link() -> None:
    assert safe_url("https://x.org/a b<c>") == "https://x.org/a%20b%3Cc%3E"
    assert safe_url("https://doi.org/10.1002/(SICI)1097") == "https://doi.org/10.1002/(SICI)1097"
