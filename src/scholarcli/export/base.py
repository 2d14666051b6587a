"""What the exporters share: the options they honour, the role marks of a CV, how a per-record format
joins its entries, and a work's extras (links, award, preprint) on a CV.

Apart from __init__.py (the registry, which imports each exporter by name) so that an exporter imports
this module and not the registry: no import loop between them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import AnyStr, Literal, NamedTuple, Protocol

from scholarcli.model import ROLES, Library, Publication
from scholarcli.text import did_you_mean

GroupBy = Literal["type", "year", "theme", "none"]
Numbering = Literal["prefix", "plain", "none"]


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Choices that some formats honour (Markdown grouping, a CSL style); others ignore them."""

    group_by: GroupBy = "type"
    style: str | None = None  # a CSL style name or .csl path; None means the built-in ASA formatter
    numbering: Numbering = "plain"  # LaTeX CV: J5 ... J1 (prefix), 5 ... 1 (plain) or bullets (none)
    # Markdown, HTML and LaTeX: the mark after an author with a role, as (role, mark) pairs that
    # replace DEFAULT_MARKS' (a tuple so the options stay hashable); "" leaves a role unmarked.
    marks: tuple[tuple[str, str], ...] = ()

    def role_marks(self) -> dict[str, str]:
        """Each role's mark: the defaults with `marks` applied, in ROLES order."""
        chosen = {**DEFAULT_MARKS, **dict(self.marks)}
        return {role: chosen[role] for role in ROLES}


# The marks a CV puts after an author's name for each role (model.ROLES), and the legend line each
# one gets when a page uses it. Markdown has no underline, so a student is marked like the others;
# `--marks` (ExportOptions.marks) chooses others.
DEFAULT_MARKS: dict[str, str] = {
    "equal": "\u2020",
    "corresponding": "*",
    "student": "\u2021",
    "senior": "\u00a7",
}
ROLE_LEGENDS: dict[str, str] = {
    "equal": "Equal contribution.",
    "corresponding": "Corresponding author.",
    "student": "Student author (supervised).",
    "senior": "Senior author.",
}


def parse_marks(specs: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """`ROLE=MARK` texts (the `--marks` option) as ExportOptions.marks; ValueError names a bad one."""
    pairs: dict[str, str] = {}
    for spec in specs:
        role, equals, mark = spec.partition("=")
        role = role.strip()
        if not equals or role not in ROLES:
            hint = did_you_mean(role, ROLES) if equals else ""
            raise ValueError(f"--marks '{spec}': give ROLE=MARK with a role of {', '.join(ROLES)}{hint}")
        if any(not char.isprintable() for char in mark) or len(mark) > 8:
            raise ValueError(f"--marks '{spec}': a mark is up to 8 printable characters")
        pairs[role] = mark
    return tuple((role, pairs[role]) for role in ROLES if role in pairs)


def used_roles(works: Iterable[Publication], marks: dict[str, str]) -> list[str]:
    """The roles (in ROLES order) some author of `works` has and that have a mark: the legend's lines."""
    found: set[str] = set()
    for work in works:
        for name in work.authors:
            found.update(work.author_roles(name))
    return [role for role in ROLES if role in found and marks.get(role)]


def legend_lines(works: Iterable[Publication], marks: dict[str, str]) -> list[str]:
    """`† Equal contribution.` for each role used, as plain text lines."""
    return [f"{marks[role]} {ROLE_LEGENDS[role]}" for role in used_roles(works, marks)]


class Exporter(Protocol):
    def __call__(self, works: Sequence[Publication], library: Library, options: ExportOptions) -> str: ...


class TreeExporter(Protocol):
    def __call__(
        self, works: Sequence[Publication], library: Library, options: ExportOptions
    ) -> dict[str, str]: ...


EntryRenderer = Callable[[Publication], str]  # one work's entry, from the record alone


class EntryFrame(NamedTuple):
    """How a per-record format joins its entries into one file: `empty` when there are none, else
    `head`, the entries with `separator` between them, and `tail`."""

    empty: str
    head: str
    separator: str
    tail: str

    def join(self, entries: Iterable[str]) -> str:
        """The entries (from `render_entry`), in order, as one file."""
        return _framed(list(entries), self.empty, self.head, self.separator, self.tail)

    def join_utf8(self, entries: list[bytes]) -> bytes:
        """`join` for entries encoded as UTF-8, giving the file's UTF-8 bytes: what an export writes
        from the entry cache, which keeps entries as bytes so they are neither decoded nor encoded."""
        return _framed(list(entries), *(part.encode("utf-8") for part in self))


def _framed(items: list[AnyStr], empty: AnyStr, head: AnyStr, separator: AnyStr, tail: AnyStr) -> AnyStr:
    if not items:
        return empty
    # The head and tail go onto the first and last item, so the (maybe 100 MB) file is copied once.
    items[0] = head + items[0]
    items[-1] = items[-1] + tail
    return separator.join(items)


class WorkExtras(NamedTuple):
    """What a CV shows after a work's citation (issue #14): its labelled links in order, a note on a
    linked preprint with no address, its award and whether it is featured."""

    links: tuple[tuple[str, str], ...]
    preprint_note: str | None
    award: str | None
    featured: bool


def fold_preprints(works: Sequence[Publication]) -> tuple[list[Publication], dict[str, Publication]]:
    """The works a CV lists, without each preprint whose published version is among them, and those
    preprints by the published version's id (the CV notes them under it)."""
    ids = {work.id.casefold() for work in works}
    preprints: dict[str, Publication] = {}
    for work in works:
        target = work.published_version
        if target is not None and target.casefold() in ids:
            preprints.setdefault(target.casefold(), work)
    if not preprints:
        return list(works), {}
    folded = {id(work) for work in preprints.values()}
    return [work for work in works if id(work) not in folded], preprints


def work_extras(work: Publication, preprints: dict[str, Publication]) -> WorkExtras:
    """A work's links, with its preprint's address as the `preprint` link when it has none itself."""
    links = list(work.links)
    note = None
    preprint = preprints.get(work.id.casefold())
    if preprint is not None and not any(label == "preprint" for label, _ in links):
        from scholarcli.cite.asa import doi_url

        address = dict(preprint.links).get("preprint") or preprint.url
        if address is None and preprint.doi is not None:
            address = doi_url(preprint.doi)
        if address is not None:
            links.append(("preprint", address))
        else:
            note = preprint.container or preprint.title or preprint.id
    return WorkExtras(tuple(links), note, work.award, work.featured)
