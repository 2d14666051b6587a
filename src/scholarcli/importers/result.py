"""What an importer gives: the records it read as candidates, what it could not read and why, and
what it did to the rest (apart from __init__.py, which dispatches to the importers, so they need not
import it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only named in annotations: importing writes would load the YAML parser at start-up
    from scholarcli.write.operations import Candidate


class ImportFormat(str, Enum):
    bibtex = "bibtex"
    csl_json = "csl-json"


@dataclass
class ImportResult:
    """Records read from a file, and the entries that could not be read (source, reason).

    `notes` say what was done to entries that were taken (an id generated, fields inherited through
    crossref, a macro kept undecoded); `kept` counts, per field name, the entries that keep it in
    `extra`, and `dropped` those where it was empty; `entries` is how many entries the file has, `macros` how many @string
    macros it defines.
    """

    candidates: list[Candidate] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    kept: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)
    entries: int = 0
    macros: int = 0  # @string definitions: a file of them only (amsj.bib) is a macro file, no error


# Byte-order marks, longest first: a UTF-32-LE mark begins with the UTF-16-LE one.
