"""Output to stdout: long texts go out in pieces that add up to the text."""

from __future__ import annotations

import io
import sys

import pytest

from scholarcli.cli import console


@pytest.mark.parametrize("length", [0, 1, console._CHUNK, console._CHUNK + 1, 3 * console._CHUNK + 17])
def test_out_writes_the_text_exactly(capsys: pytest.CaptureFixture[str], length: int) -> None:
    pattern = "é刘a\n🙂"  # characters of every width, a chunk boundary may fall between any two
    text = (pattern * (length // len(pattern) + 1))[:length]
    console.out(text)
    assert capsys.readouterr().out == text


@pytest.mark.parametrize("length", [0, 1, console._CHUNK, console._CHUNK + 1, 3 * console._CHUNK + 17])
def test_out_utf8_encodes_a_long_text_in_pieces_that_add_up(
    monkeypatch: pytest.MonkeyPatch, length: int
) -> None:
    pattern = "é刘a\n🙂"  # characters of every width, a chunk boundary may fall between any two
    text = (pattern * (length // len(pattern) + 1))[:length]
    stdout = _stream("utf-8")
    monkeypatch.setattr(sys, "stdout", stdout)
    console.out_utf8(text)
    assert stdout.buffer.getvalue() == text.encode("utf-8")  # type: ignore[attr-defined]


def _stream(encoding: str, errors: str = "strict") -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors=errors)


@pytest.mark.parametrize(
    ("variable", "encoding", "errors"),
    [
        (None, "utf-8", "strict"),  # a pipe in a Latin-1 locale: made UTF-8
        (":strict", "utf-8", "strict"),  # an error handler alone names no encoding
        ("latin-1", "latin-1", "backslashreplace"),  # the user's encoding stays, escapes what it lacks
        ("latin-1:strict", "latin-1", "strict"),  # ... unless the user named the handler too
    ],
)
def test_configure_streams_makes_a_legacy_stdout_safe(
    monkeypatch: pytest.MonkeyPatch, variable: str | None, encoding: str, errors: str
) -> None:
    stdout, stderr = _stream("latin-1"), _stream("latin-1")
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    console.configure_streams({} if variable is None else {"PYTHONIOENCODING": variable})
    assert (stdout.encoding, stdout.errors) == (encoding, errors)
    assert stderr.encoding == "latin-1"  # messages keep the locale's encoding ...
    assert stderr.errors == ("strict" if variable and variable.endswith(":strict") else "backslashreplace")


def test_configure_streams_leaves_utf8_streams_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    stdout = _stream("UTF8")  # any spelling of UTF-8
    monkeypatch.setattr(sys, "stdout", stdout)
    console.configure_streams({})
    assert (stdout.encoding, stdout.errors) == ("UTF8", "strict")


def test_out_utf8_writes_bytes_and_text_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    stdout = _stream("latin-1")
    monkeypatch.setattr(sys, "stdout", stdout)
    stdout.write("before ")
    console.out_utf8("刘春成\n")
    console.out_utf8("Łódź\n".encode())
    assert stdout.buffer.getvalue() == "before 刘春成\nŁódź\n".encode()  # type: ignore[attr-defined]


def test_out_utf8_to_a_stream_without_bytes_writes_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stdout)
    console.out_utf8("刘春成\n".encode())
    console.out_utf8("text\n")
    assert stdout.getvalue() == "刘春成\ntext\n"
