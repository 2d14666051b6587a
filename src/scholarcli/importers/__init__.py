"""Reading records from other formats (BibTeX/BibLaTeX, CSL-JSON) as candidates for the store."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from scholarcli.errors import ScholarError

if TYPE_CHECKING:  # only named in annotations: importing writes would load the YAML parser at start-up
    from scholarcli.writes import Candidate


class ImportFormat(str, Enum):
    bibtex = "bibtex"
    csl_json = "csl-json"


@dataclass
class ImportResult:
    """Records read from a file, and the entries that could not be read (source, reason).

    `notes` say what was done to entries that were taken (an id generated, fields inherited through
    crossref, a macro kept undecoded); `kept` counts, per field name, the entries that keep it in
    `extra`; `entries` is how many entries the file has (taken, rejected or skipped).
    """

    candidates: list[Candidate] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    kept: Counter[str] = field(default_factory=Counter)
    entries: int = 0


def decode(raw: bytes, path: str, encoding: str | None) -> str:
    """The file's text; a file that is not UTF-8 is refused with the line of its first bad byte."""
    chosen = encoding or "utf-8-sig"
    try:
        return raw.decode(chosen)
    except LookupError:
        raise ScholarError(f"unknown encoding '{encoding}'; try utf-8 or latin-1") from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "; if it is Latin-1, run again with --encoding latin-1" if encoding is None else ""
        raise ScholarError(
            f"{path}:{line}: the file is not {encoding or 'UTF-8'} text (byte 0x{raw[exc.start]:02X}){hint}"
        ) from None


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

        return read_bibtex(text, path)
    import json  # here, not at the top: `scholar add` imports this module for ImportFormat alone

    from scholarcli.importers.csl_json import read_csl_json

    try:
        return read_csl_json(text, path)
    except json.JSONDecodeError as exc:
        raise ScholarError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
