"""Output to stdout: long texts go out in pieces that add up to the text."""

from __future__ import annotations

import pytest

from scholarcli.cli import console


@pytest.mark.parametrize("length", [0, 1, console._CHUNK, console._CHUNK + 1, 3 * console._CHUNK + 17])
def test_out_writes_the_text_exactly(capsys: pytest.CaptureFixture[str], length: int) -> None:
    pattern = "é刘a\n🙂"  # characters of every width, a chunk boundary may fall between any two
    text = (pattern * (length // len(pattern) + 1))[:length]
    console.out(text)
    assert capsys.readouterr().out == text
