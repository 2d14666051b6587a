"""RIS (`--format ris`): for NCBI My Bibliography, Zotero, EndNote, Mendeley and other reference managers.

One record per work, `TY  - JOUR` to `ER  - `, each line a two-letter tag, two spaces, a hyphen and a
space, then the value (the RIS specification's layout). Written one entry per work from the record
alone, so exports go through the entry cache.

- Line ends: `\\n`, as every export of this project. The specification of the format (Research
  Information Systems, RefMan) names CR LF; rispy (tested) and Zotero's RIS importer split lines at
  LF too. EndNote and NCBI My Bibliography were not tried; `unix2dos` converts if one wants CR LF.
- UTF-8, without a byte-order mark (EndNote and Zotero read UTF-8; the old specification's Windows
  code page cannot hold 刘春成).
- Types: CSL types to RIS (`TYPES`): JOUR, CHAP, BOOK (EDBOOK for an edited book with no authors),
  CONF, RPRT, THES, UNPB, ELEC, MGZN, NEWS, DATA, COMP, ..., GEN for the rest.
- Names: one `AU` (authors) or `ED` (editors) line each, `Family, Given, Suffix` with the particle
  in the family name (`von Blomberg, Marianne`); an organisation or a one-part name as written.
- Untrusted text cannot break a record: every value is one line (newlines and other whitespace runs
  become one space), so a value holding `ER  - ` or a line break never starts a line of its own.
- `PY` is the year; `DA` the full date (`2026/03/04`) when the month is known. A work not yet out has
  no `PY` and its status in an `N1` line. Pages `101-120` are `SP  - 101` and `EP  - 120`.
- `ID` is the record's id, `KW` one line per tag and keyword, `SN` the ISBN and ISSN, `ET` the
  edition, `T3` the series, `LA` the language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scholarcli.export.base import EntryFrame, ExportOptions
from scholarcli.model import Library, Name, Publication

TYPES: dict[str, str] = {
    "article-journal": "JOUR",
    "article": "JOUR",
    "review": "JOUR",
    "review-book": "JOUR",
    "chapter": "CHAP",
    "book": "BOOK",
    "classic": "BOOK",
    "collection": "BOOK",
    "paper-conference": "CONF",
    "report": "RPRT",
    "standard": "STAND",
    "thesis": "THES",
    "manuscript": "UNPB",
    "webpage": "ELEC",
    "post": "ELEC",
    "post-weblog": "BLOG",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "periodical": "JFULL",
    "dataset": "DATA",
    "software": "COMP",
    "entry-encyclopedia": "ENCYC",
    "entry-dictionary": "DICT",
    "entry": "ENCYC",
    "legal_case": "CASE",
    "legislation": "STAT",
    "bill": "BILL",
    "patent": "PAT",
    "map": "MAP",
    "graphic": "ART",
    "motion_picture": "MPCT",
    "broadcast": "MPCT",
    "song": "MUSIC",
    "pamphlet": "PAMP",
    "interview": "GEN",
    "speech": "GEN",
}
_PAGE_RANGE = re.compile(r"^\s*([^\s\-\u2010-\u2015\u2212]+)\s*[-\u2010-\u2015\u2212]+\s*(\S+)\s*$")


def _line(tag: str, value: str | None) -> str:
    """`TAG  - value` on one line: whitespace, line breaks included, collapses to single spaces."""
    if not value:
        return ""
    text = " ".join(value.split())
    return f"{tag}  - {text}\n" if text else ""


def ris_name(name: Name) -> str:
    """`Family, Given, Suffix` (the RIS form), or an organisation's name as written."""
    if name.literal is not None or not name.family:
        return " ".join(name.display().split())
    parts = (" ".join(part.split()) for part in (name.full_family, name.given, name.suffix) if part)
    return ", ".join(part for part in parts if part)


def _type(work: Publication) -> str:
    if work.type == "book" and work.editors and not work.authors:
        return "EDBOOK"
    return TYPES.get(work.type, "GEN")


def _pages(pages: str) -> tuple[str, str | None]:
    match = _PAGE_RANGE.match(pages)
    return (match.group(1), match.group(2)) if match else (pages, None)


def render_entry(work: Publication) -> str:
    """One work's RIS record, from `TY` to `ER`."""
    lines = [_line("TY", _type(work)), _line("ID", work.id)]
    lines += [_line("AU", ris_name(name)) for name in work.authors]
    lines += [_line("ED", ris_name(name)) for name in work.editors]
    lines += [_line("A4", ris_name(name)) for name in work.translators]  # RIS's translator tag
    title = f"{work.title}: {work.subtitle}" if work.title and work.subtitle else work.title
    lines += [_line("TI", title), _line("T2", work.container), _line("T3", work.series)]
    if work.year is not None and work.is_out:
        lines.append(_line("PY", str(work.year)))
        if work.month:
            day = f"/{work.day:02d}" if work.day else ""
            lines.append(_line("DA", f"{work.year}/{work.month:02d}{day}"))
    lines += [_line("VL", work.volume), _line("IS", work.issue)]
    if work.pages:
        start, end = _pages(work.pages)
        lines += [_line("SP", start), _line("EP", end)]
    lines += [_line("ET", work.edition), _line("PB", work.publisher), _line("CY", work.place)]
    lines += [_line("SN", work.isbn), _line("SN", work.issn)]
    lines += [_line("DO", work.doi), _line("UR", work.url), _line("LA", work.language)]
    lines += [_line("KW", keyword) for keyword in dict.fromkeys((*work.tags, *work.keywords))]
    lines += [_line("AB", work.abstract), _line("N1", work.note)]
    if work.status != "published":
        lines.append(_line("N1", f"Status: {work.status_label}"))
    lines.append("ER  - \n")
    return "".join(lines)


# Records separated by a blank line, as reference managers write them.
ENTRY_FRAME = EntryFrame(empty="", head="", separator="\n", tail="")


def export(works: Sequence[Publication], library: Library, options: ExportOptions) -> str:
    """The RIS file of the given works (see the module docstring)."""
    return ENTRY_FRAME.join(render_entry(work) for work in works)
