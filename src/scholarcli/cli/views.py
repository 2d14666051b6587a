"""Rich renderings for a terminal. Every string from a record goes in as `Text` (never as markup)
after `visible()`, so `[bold]`, `:x:` and escape sequences in titles print as themselves."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from scholarcli.cli.fields import detail_fields
from scholarcli.model import Library, Profile, Publication, Theme
from scholarcli.text import one_line, visible


def _names(publication: Publication, profile: Profile) -> Text:
    text = Text()
    for index, name in enumerate(publication.contributors):
        if index:
            text.append(", ")
        text.append(one_line(name.display()), style="bold" if profile.is_owner(name) else "")
        roles = [
            role for role in publication.author_roles(name) if role != "equal" or not publication.all_equal
        ]
        if roles:
            text.append(f" ({', '.join(roles)})", style="dim")
    if publication.all_equal:
        text.append(" (equal)", style="dim")
    return text


def publications_table(works: Sequence[Publication], library: Library, *, title: str | None = None) -> Table:
    table = Table(title=Text(title) if title else None, show_lines=False, expand=False, header_style="bold")
    table.add_column("Year", no_wrap=True)
    table.add_column("Authors", ratio=2)
    table.add_column("Title", ratio=4)
    table.add_column("Venue", ratio=2)
    table.add_column("Id", no_wrap=True, style="cyan")
    for publication in works:
        year = (
            Text(str(publication.year))
            if publication.year
            else Text(publication.status_label, style="italic")
        )
        title_text = (
            Text(one_line(publication.title)) if publication.title else Text("(untitled)", style="dim")
        )
        table.add_row(
            year,
            _names(publication, library.profile),
            title_text,
            Text(one_line(publication.container or publication.publisher or "")),
            Text(publication.id),
        )
    return table


def publication_detail(publication: Publication, library: Library, citation: str) -> Table:
    """Every field of one work, then its themes and its citation, as a two-column grid."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for key, value in detail_fields(publication, library):
        grid.add_row(Text(key), Text(visible(value, keep_newlines=True)))
    grid.add_row(Text("citation"), Text(visible(citation)))
    return grid


def themes_table(themes: Sequence[Theme], counts: dict[str, int]) -> Table:
    table = Table(header_style="bold")
    table.add_column("Theme", style="cyan", no_wrap=True)
    table.add_column("Question")
    table.add_column("Works", justify="right")
    for theme in themes:
        table.add_row(Text(theme.id), Text(one_line(theme.title)), Text(str(counts.get(theme.id, 0))))
    return table


def bar_chart(title: str, rows: Sequence[tuple[str, int]], *, width: int = 30) -> Table:
    """A labelled horizontal bar per row, scaled to the largest count."""
    table = Table(title=Text(title, style="bold"), show_header=False, box=None, title_justify="left")
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(justify="right")
    largest = max((count for _, count in rows), default=0)
    for label, count in rows:
        length = round(width * count / largest) if largest else 0
        table.add_row(
            Text(one_line(label)), Text("█" * max(length, 1 if count else 0), style="green"), Text(str(count))
        )
    return table
