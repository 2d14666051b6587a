"""Markdown CV or research page: a header from the profile, then the works in sections.

Sections follow `--group-by`: type (Journal Articles, Book Chapters, Books, ... with counts), year,
theme (each theme's question, its summary, then its works: a research page) or none. Works are newest
first inside a section. Citations are ASA by the built-in formatter, or any CSL style through pandoc
(`--style`). Everything taken from the store is escaped, so a title prints as written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from scholarcli.cite.asa import citation
from scholarcli.cite.styled import MarkdownRenderer, Renderer, escape_markdown, is_web_url, safe_url
from scholarcli.export.base import (
    DEFAULT_MARKS,
    ExportOptions,
    WorkExtras,
    fold_preprints,
    legend_lines,
    work_extras,
)
from scholarcli.model import Library, Profile, Publication
from scholarcli.query import sort_key

EQUAL_MARKER = DEFAULT_MARKS["equal"]
EQUAL_LEGEND = f"{EQUAL_MARKER} Equal contribution."
Legend = bool | Mapping[str, str]  # the marks a page's legend explains (True: the defaults)

# Section headings for `--group-by type`, in the order a CV lists them. Types not named here
# (legal cases, maps, songs, ...) share one last section.
TYPE_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Journal Articles", ("article-journal",)),
    ("Book Chapters", ("chapter",)),
    ("Books", ("book", "collection", "classic")),
    ("Conference Papers", ("paper-conference",)),
    ("Reports", ("report", "standard")),
    ("Working Papers and Manuscripts", ("manuscript", "article")),
    ("Theses", ("thesis",)),
    ("Reviews", ("review", "review-book")),
    ("Encyclopedia Entries", ("entry", "entry-dictionary", "entry-encyclopedia")),
    ("Magazine and Newspaper Articles", ("article-magazine", "article-newspaper", "periodical")),
    ("Presentations", ("speech", "event", "interview")),
    ("Data Sets and Software", ("dataset", "software")),
    ("Web Publications", ("webpage", "post", "post-weblog")),
)
OTHER_SECTION = "Other Works"
UNDATED_SECTION = "Forthcoming and in Progress"
NO_DATE_SECTION = "No Date"  # published works with no year ("n.d." in their citation), after every year
_SECTION_OF_TYPE = {kind: title for title, kinds in TYPE_SECTIONS for kind in kinds}


@dataclass(frozen=True, slots=True)
class Section:
    """One heading and its works; `intro` is text shown under the heading (a theme's summary)."""

    title: str
    works: tuple[Publication, ...]
    intro: str | None = None
    counted: bool = True


Cite = Callable[[Publication], str]


def export(works: Sequence[Publication], library: Library, options: ExportOptions) -> str:
    """The Markdown CV of the given works (see the module docstring)."""
    listed, preprints = fold_preprints(works)
    sections = group(listed, library, options.group_by)
    cite, marks = citations(
        listed, library, options.style, MarkdownRenderer(), target="markdown", marks=options.role_marks()
    )
    return render(
        library.profile,
        sections,
        cite,
        legend=marks,
        extras=lambda work: markdown_extras(work_extras(work, preprints)),
    )


def markdown_extras(extras: WorkExtras) -> str:
    """` [pdf](<url>) [code](<url>) Preprint: SocArXiv. Award: Best Paper. Featured.`"""
    parts = [_link(label, url) for label, url in extras.links if is_web_url(url)]
    if extras.preprint_note:
        parts.append(f"Preprint: {escape_markdown(extras.preprint_note)}.")
    if extras.award:
        parts.append(f"Award: {escape_markdown(extras.award)}.")
    if extras.featured:
        parts.append("Featured.")
    return " ".join(parts)


def citations(
    works: Sequence[Publication],
    library: Library,
    style: str | None,
    renderer: Renderer,
    *,
    target: str,
    marks: Mapping[str, str] | None = None,
) -> tuple[Cite, dict[str, str]]:
    """How a CV page (Markdown, HTML) cites each work, and the role marks it uses (for the legend).

    Built-in ASA through `renderer` with the owner bold and each author role marked (`marks`, by
    default DEFAULT_MARKS), or a CSL style through pandoc writing `target`, whose text has no marks
    ({}: no legend).
    """
    if style is not None:
        from scholarcli.export.pandoc_style import render_with_style

        rendered = render_with_style(works, library, style, to=target)
        return (lambda publication: rendered[publication.id]), {}
    chosen = dict(DEFAULT_MARKS if marks is None else marks)

    owner = functools.lru_cache(maxsize=None)(library.profile.is_owner)  # names recur across works
    cache: dict[str, str] = {}  # a work under several themes is formatted once

    def cite(publication: Publication) -> str:
        text = cache.get(publication.id)
        if text is None:
            text = cache[publication.id] = renderer.render(citation(publication, owner=owner, marks=chosen))
        return text

    return cite, chosen


def group(works: Sequence[Publication], library: Library, group_by: str) -> list[Section]:
    """The sections for a grouping, each newest first; empty sections are left out."""
    if group_by == "theme":
        return _by_theme(works, library)
    if group_by == "year":
        # A year; None for works not yet out (first); -1 for published works with no year (last).
        years: dict[int | None, list[Publication]] = {}
        for publication in works:
            key = None if not publication.is_out else -1 if publication.year is None else publication.year
            years.setdefault(key, []).append(publication)
        ordered = sorted(
            years, key=lambda year: (0, 0) if year is None else (2, 0) if year == -1 else (1, -year)
        )
        headings: dict[int | None, str] = {None: UNDATED_SECTION, -1: NO_DATE_SECTION}
        return [Section(headings.get(year, str(year)), _newest_first(years[year])) for year in ordered]
    if group_by == "none":
        return [Section("Publications", _newest_first(works))] if works else []
    by_title: dict[str, list[Publication]] = {}
    for publication in works:
        by_title.setdefault(_SECTION_OF_TYPE.get(publication.type, OTHER_SECTION), []).append(publication)
    titles = [title for title, _ in TYPE_SECTIONS] + [OTHER_SECTION]
    return [Section(title, _newest_first(by_title[title])) for title in titles if title in by_title]


def _by_theme(works: Sequence[Publication], library: Library) -> list[Section]:
    sections = []
    for theme in library.themes:
        chosen = [publication for publication in works if theme.id in publication.themes]
        if chosen:
            sections.append(Section(theme.title, _newest_first(chosen), theme.summary, counted=False))
    unthemed = [publication for publication in works if not publication.themes]
    if unthemed:
        sections.append(Section(OTHER_SECTION, _newest_first(unthemed), counted=False))
    return sections


def _newest_first(works: Sequence[Publication]) -> tuple[Publication, ...]:
    return tuple(sorted(works, key=lambda publication: sort_key(publication, "year")))


def legend_marks(legend: Legend) -> dict[str, str]:
    """The marks a page's legend explains: `True` means the defaults, `False` none."""
    if isinstance(legend, bool):
        return dict(DEFAULT_MARKS) if legend else {}
    return dict(legend)


def render(
    profile: Profile, sections: Sequence[Section], cite: Cite, *, legend: Legend, extras: Cite | None = None
) -> str:
    """The document: header, then each section's heading, intro and one list item per work (its
    citation, status label and `extras`: links, award), then the legend of the role marks its works
    use (one paragraph, only the marks used)."""
    lines = _header(profile)
    if not sections:
        lines += ["No works selected.", ""]
    for section in sections:
        heading = escape_markdown(section.title)
        if section.counted:
            heading += f" ({len(section.works)})"
        lines += [f"## {heading}", ""]
        if section.intro:
            lines += [escape_markdown(section.intro), ""]
        for publication in section.works:
            after = extras(publication) if extras is not None else ""
            lines.append(f"- {cite(publication)}{_status_label(publication)}{' ' + after if after else ''}")
        lines.append("")
    explained = legend_lines((work for section in sections for work in section.works), legend_marks(legend))
    if explained:
        lines += [" ".join(escape_markdown(line) for line in explained), ""]
    return "\n".join(lines)


def _status_label(publication: Publication) -> str:
    if publication.status == "published":
        return ""
    return f" *({publication.status_label})*"


def _header(profile: Profile) -> list[str]:
    title = escape_markdown(profile.name)
    if profile.native_name and profile.native_name != profile.name:
        title += f" ({escape_markdown(profile.native_name)})"
    details = [escape_markdown(text) for text in (profile.field, profile.affiliation) if text]
    if profile.homepage:
        details.append(_link(profile.homepage, profile.homepage))
    if profile.orcid:
        details.append("ORCID " + _link(profile.orcid, f"https://orcid.org/{profile.orcid}"))
    if profile.email:
        details.append(_link(profile.email, f"mailto:{profile.email}"))
    lines = [f"# {title}", ""]
    if details:
        lines += [" · ".join(details), ""]
    return lines


def _link(text: str, url: str) -> str:
    return f"[{escape_markdown(text)}](<{safe_url(url)}>)"
