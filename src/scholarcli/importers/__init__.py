"""Reading records from other formats (BibTeX/BibLaTeX, CSL-JSON) as candidates for the store."""

from __future__ import annotations

import codecs
from dataclasses import replace

from scholarcli.errors import ScholarError
from scholarcli.importers.result import ImportFormat as ImportFormat
from scholarcli.importers.result import ImportResult as ImportResult

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_READABLE = "UTF-8, and UTF-16 or UTF-32 with a byte-order mark, are read without --encoding"


def _is_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def decode(raw: bytes, path: str, encoding: str | None) -> str:
    """The file's text: in the named encoding (any codec Python knows), else by its byte-order mark,
    else UTF-8. A file that is not that text is refused with the line of its first bad byte."""
    chosen = encoding
    if chosen is None:
        chosen = next((name for bom, name in _BOMS if raw.startswith(bom)), "utf-8-sig")
    try:
        text = raw.decode(chosen)
    except LookupError as exc:
        if _is_codec(chosen):  # rot13, base64: codecs, but not from bytes to text
            raise ScholarError(f"the encoding '{encoding}' does not read text ({exc})") from None
        raise ScholarError(
            f"unknown encoding '{encoding}'; use a Python codec name such as utf-8, latin-1, cp1252 or utf-16"
        ) from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = ""
        if encoding is None:
            hint = (
                f"; it may be UTF-16 without a byte-order mark: run again with --encoding utf-16-le ({_READABLE})"
                if raw.count(b"\x00") > len(raw) // 4
                else f"; if it is Latin-1, run again with --encoding latin-1 ({_READABLE})"
            )
        raise ScholarError(
            f"{path}:{line}: the file is not {encoding or chosen.removesuffix('-sig').upper()} text (byte 0x{raw[exc.start]:02X}){hint}"
        ) from None
    except (TypeError, ValueError) as exc:  # a codec that is not text to text (base64, rot13, zlib)
        raise ScholarError(f"the encoding '{encoding}' does not read text ({exc})") from None
    if "\x00" in text:  # UTF-16 read as Latin-1: every other character a NUL
        line = text[: text.index("\x00")].count("\n") + 1
        raise ScholarError(
            f"{path}:{line}: the text has NUL characters: is it UTF-16 or UTF-32? ({_READABLE})"
        )
    return text


def detect_format(text: str, path: str) -> ImportFormat:
    """CSL-JSON when the text starts with `[` or `{`, BibTeX when it has an `@type{` entry."""
    stripped = text.lstrip()
    if stripped[:1] in ("[", "{"):
        return ImportFormat.csl_json
    if "@" in text:
        return ImportFormat.bibtex
    raise ScholarError(f"{path}: neither BibTeX nor CSL-JSON; name the format with --from bibtex|csl-json")


def read_records(text: str, path: str, import_format: ImportFormat | None = None) -> ImportResult:
    """Read candidate records from text in a given or detected format."""
    chosen = import_format or detect_format(text, path)
    if chosen is ImportFormat.bibtex:
        from scholarcli.importers.bibtex import read_bibtex

        result = read_bibtex(text, path)
    else:
        from scholarcli.importers.csl_json import read_csl_json

        result = read_csl_json(text, path)
    _one_line_messages(result)
    if result.entries == 0 and result.macros:
        result.notes.append(
            (path, f"no entries: the file defines {result.macros} @string macros and no works")
        )
    elif result.entries == 0 and text.strip() and "".join(text.split()) != "[]":
        raise ScholarError(
            f"{path}: no entries found in a file that is not empty; is it {chosen.value}, and in the encoding "
            f"read? ({_READABLE})"
        )
    return result


def _one_line(text: str) -> str:
    """A message that quotes the input shows its line breaks and tabs as `\\n` and `\\t`: one line each."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _one_line_messages(result: ImportResult) -> None:
    result.rejected = [(_one_line(source), _one_line(reason)) for source, reason in result.rejected]
    result.notes = [(_one_line(source), _one_line(note)) for source, note in result.notes]
    result.candidates = [
        candidate
        if candidate.source.isprintable()
        else replace(candidate, source=_one_line(candidate.source))
        for candidate in result.candidates
    ]
