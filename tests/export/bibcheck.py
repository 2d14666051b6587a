"""Judges for our `.bib` output: pybtex (strict), BibTeX 0.99d with plain.bst, bibtexparser 2.x.

Each reads our text independently; the decoder turns field values back into plain text so a test can
compare them with the record they came from.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import bibtexparser
import pybtex.database
import pybtex.errors
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from scholarcli.export import biblatex as biblatex_format
from scholarcli.export import bibtex as bibtex_format
from scholarcli.model import Name, Publication

# LaTeX kernel text commands pylatexenc's default table lacks (or decodes as a look-alike: it reads
# \textasciicircum as the modifier letter U+02C6).
_KERNEL_SYMBOLS = {
    "textbraceleft": "{",
    "textbraceright": "}",
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
    "textasciicircum": "^",
    "textasciitilde": "~",
    "textbackslash": "\\",
    "textasciigrave": "`",
}
_context = get_default_latex_context_db().filter_context()
_context.add_context_category(
    "scholarcli-kernel-symbols",
    macros=[MacroTextSpec(name, text) for name, text in _KERNEL_SYMBOLS.items()],
    prepend=True,
)
_latex2text = LatexNodes2Text(latex_context=_context)


def plain(text: str) -> str:
    """Whitespace collapsed, as the exporters write every field."""
    return " ".join(text.split())


def decode(value: str) -> str:
    """A field value's LaTeX back to plain text (braces and accents resolved), whitespace collapsed."""
    return plain(_latex2text.latex_to_text(value))


def expected_text(text: str, *, ascii_only: bool) -> str:
    text = plain(text)
    return unicodedata.normalize("NFC", text) if ascii_only else text


def expected_pages(text: str, *, ascii_only: bool) -> str:
    """`22-32` reads back as `22–32`: the exporter writes BibTeX's `--`, which LaTeX prints as an en dash."""
    parts = [part for part in re.split(r"\s*[-\u2010-\u2015\u2212]+\s*", text.strip()) if part]
    return "\u2013".join(expected_text(part, ascii_only=ascii_only) for part in parts)


def parse_pybtex(text: str) -> pybtex.database.BibliographyData:
    """Parse with pybtex in strict mode: any error raises instead of being logged."""
    previous = pybtex.errors.strict
    pybtex.errors.strict = True
    try:
        return pybtex.database.parse_string(text, "bibtex")
    finally:
        pybtex.errors.strict = previous


def parse_bibtexparser(text: str) -> bibtexparser.Library:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    return library


@dataclass(frozen=True)
class BibtexRun:
    returncode: int
    log: str
    bbl: str


def run_bibtex(bibtex: str, text: str, folder: Path, style: str = "plain") -> BibtexRun:
    """Run real BibTeX on `text` citing every entry, in `folder`."""
    (folder / "refs.bib").write_text(text, encoding="utf-8")
    (folder / "main.aux").write_text(
        f"\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n", encoding="utf-8"
    )
    result = subprocess.run(
        [bibtex, "main"], cwd=folder, capture_output=True, text=True, check=False, timeout=120
    )
    log = (folder / "main.blg").read_text(encoding="utf-8", errors="replace")
    bbl_path = folder / "main.bbl"
    bbl = bbl_path.read_text(encoding="utf-8", errors="replace") if bbl_path.exists() else ""
    return BibtexRun(result.returncode, log, bbl)


def check_names(persons: list[pybtex.database.Person], names: tuple[Name, ...], *, ascii_only: bool) -> None:
    """Each name splits back into its parts: particle as `von`, suffix as `Jr`, a body as one unit."""
    assert len(persons) == len(names)
    for person, name in zip(persons, names, strict=True):

        def joined(parts: list[str]) -> str:
            return decode(" ".join(parts))

        def want(text: str | None) -> str:
            return expected_text(text or "", ascii_only=ascii_only)

        if name.literal is not None or name.is_cjk or not name.family or (name.suffix and not name.given):
            assert (
                person.first_names + person.middle_names + person.prelast_names + person.lineage_names == []
            )
            assert len(person.last_names) == 1, person.last_names  # one braced unit
            unit = name.literal is not None or name.is_cjk or not name.family
            whole = name.display() if unit else f"{name.full_family}, {name.suffix}"
            assert joined(person.last_names) == want(whole)
            continue
        assert joined(person.prelast_names + person.last_names) == want(name.full_family)
        if name.particle and name.particle[:1].islower() and name.family[:1].isupper():
            assert joined(person.prelast_names) == want(name.particle)
            assert joined(person.last_names) == want(name.family)
        assert joined(person.first_names + person.middle_names) == want(name.given)
        assert joined(person.lineage_names) == want(name.suffix)


def expected_fields(work: Publication, dialect: str) -> dict[str, str]:
    """The plain-text value each field should read back as, by the mapping the exporters document."""
    ascii_only = dialect == "bibtex"

    def text(value: str) -> str:
        return expected_text(value, ascii_only=ascii_only)

    fields: dict[str, str] = {}
    if work.title:
        # BibTeX styles print no subtitle: the bibtex dialect's title carries it (issue #11).
        with_subtitle = dialect == "bibtex" and work.subtitle
        fields["title"] = text(f"{work.title}: {work.subtitle}" if with_subtitle else work.title)
    if work.volume:
        fields["volume"] = text(work.volume)
    if work.issue:
        # `number` is an article's issue; any other entry keeps its issue in `issue` (issue #11).
        module = bibtex_format if dialect == "bibtex" else biblatex_format
        fields["number" if module.entry_type(work) == "article" else "issue"] = text(work.issue)
    if work.pages:
        fields["pages"] = expected_pages(work.pages, ascii_only=ascii_only)
    if work.abstract:
        fields["abstract"] = text(work.abstract)
    if dialect == "bibtex":
        if work.year is not None:
            fields["year"] = str(work.year)
        if work.place:
            fields["address"] = text(work.place)
        note = ". ".join(
            part for part in (work.status_label if work.status != "published" else None, work.note) if part
        )
        if note:
            fields["note"] = text(note)
    else:
        if work.year is not None:
            parts = [f"{work.year}"] + [f"{n:02d}" for n in (work.month, work.day) if n is not None]
            fields["date"] = "-".join(parts if work.month is not None else parts[:1])
        if work.place:
            fields["location"] = text(work.place)
        if work.note:
            fields["note"] = text(work.note)
        if work.status != "published":
            fields["pubstate"] = biblatex_format.PUBSTATES[work.status]
    return fields


def check_entry_values(fields: dict[str, str], work: Publication, dialect: str) -> None:
    """Decoded values equal the record's: every expected field present, with the same text."""
    ascii_only = dialect == "bibtex"
    for key, want in expected_fields(work, dialect).items():
        assert key in fields, f"{work.id}: no {key}"
        assert decode(fields[key]) == want, (work.id, key, fields[key])
    containers = [
        fields[key] for key in ("journal", "journaltitle", "booktitle", "howpublished") if key in fields
    ]
    if work.container:
        assert [decode(value) for value in containers] == [
            expected_text(work.container, ascii_only=ascii_only)
        ]
    else:
        assert not containers
    publishers = [fields[key] for key in ("publisher", "school", "institution") if key in fields]
    if work.publisher:
        assert [decode(value) for value in publishers] == [
            expected_text(work.publisher, ascii_only=ascii_only)
        ]
    else:
        assert not publishers
    for key in ("doi", "url"):
        original = getattr(work, key)
        if original is None:
            assert key not in fields
        else:
            # Verbatim: the same address, at most with characters percent-encoded.
            assert unquote(fields[key]) == unquote(original), (work.id, key, fields[key])
            if ascii_only:
                assert fields[key].isascii()
