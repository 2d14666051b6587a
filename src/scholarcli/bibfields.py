"""What BibTeX/BibLaTeX entry types and fields mean in the record, shared by the importer and the exporters.

The importer reads an entry type as the CSL type in `ENTRY_TYPES`; the exporters write an
`entrysubtype` with the CSL type wherever that reading would give another type (an @misc that was a
patent, an @article that was a magazine article), so every type survives a round trip. Kept apart from
`importers/bibtex.py` so that an export need not load the importer's parser libraries.
"""

from __future__ import annotations

import re

from scholarcli.model import CSL_TYPES

# BibTeX/BibLaTeX entry type -> CSL type.
ENTRY_TYPES: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "collection": "book",
    "mvcollection": "book",
    "proceedings": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "manual": "report",
    "report": "report",
    "techreport": "report",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "unpublished": "manuscript",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "webpage": "webpage",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "misc": "document",
}
DEFAULT_TYPE = "document"
# biblatex's own `entrysubtype` words for an @article (biblatex-chicago and others use them).
SUBTYPE_WORDS: dict[str, str] = {"magazine": "article-magazine", "newspaper": "article-newspaper"}
_SUBTYPE_BY_TYPE = {csl: word for word, csl in SUBTYPE_WORDS.items()}
MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# A field name every BibTeX reader takes (btparse, bibtexparser, biber): `extra` keys of another shape
# are written under a name of this shape (export/latex.py `_bib_field_name`).
LEGAL_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


def imported_type(entry_type: str, subtype: str | None) -> str:
    """The CSL type of an entry: its `entrysubtype` when that names a CSL type, else the type's."""
    if subtype:
        word = subtype.strip().lower()
        if word in CSL_TYPES:
            return word
        if word in SUBTYPE_WORDS:
            return SUBTYPE_WORDS[word]
    return ENTRY_TYPES.get(entry_type, DEFAULT_TYPE)


def entry_subtype(entry_type: str, csl_type: str) -> str | None:
    """The `entrysubtype` an exported entry needs so that it reads back as `csl_type`, or None."""
    if ENTRY_TYPES.get(entry_type, DEFAULT_TYPE) == csl_type:
        return None
    return _SUBTYPE_BY_TYPE.get(csl_type, csl_type)
