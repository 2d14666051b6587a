"""Options shared by several commands: the store, the selection filters and output formats.

The selection filters are declared once and added to each selecting command by `with_selection`,
so `list`, `stats` and `export` accept exactly the same filters with the same help.
"""

import functools
import inspect
import typing
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from scholarcli.errors import ScholarError
from scholarcli.model import Library, Profile
from scholarcli.query import Selection, YearRange
from scholarcli.store import open_store

T = TypeVar("T")


def from_group(
    ctx: typer.Context, name: str, value: T | None, option: str, kind: Callable[[Any], T]
) -> T | None:
    """A subcommand's option, or else the same option given to its group (`scholar themes --store X
    show ID` reads X). Given to both with different values, it is refused as bad usage (exit 2)
    rather than one of them being ignored unseen. `kind` makes the group's value the type Typer
    gives the command (the group's context holds Click's value: the text of an Enum choice)."""
    parent = ctx.parent
    raw = parent.params.get(name) if parent is not None else None
    given = None if raw is None else kind(raw)
    if given is None or value == given:
        return value if given is None else given
    if value is not None:
        assert parent is not None
        ctx.fail(  # bad usage, exit 2 (Click's UsageError, through Typer's public Context)
            f"{option} given twice, to '{parent.info_name}' and to '{parent.info_name} {ctx.info_name}', "
            "with different values; give it once"
        )
    return given


def _complete_theme(ctx: typer.Context, incomplete: str) -> list[str]:
    return [theme.id for theme in _library_for_completion(ctx).themes if theme.id.startswith(incomplete)]


def complete_publication_id(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for publication ids, from the store the command line names."""

    try:
        ids = open_store(ctx.params.get("store")).index.ids
    except ScholarError:  # completion must never fail loudly; offer nothing instead
        return []
    return [key for key in ids if key.startswith(incomplete)]


def _library_for_completion(ctx: typer.Context) -> Any:
    try:
        return open_store(ctx.params.get("store")).library
    except ScholarError:  # completion must never fail loudly; offer nothing instead
        return Library(Profile(name=""))


StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Store folder to use (overrides $SCHOLAR_STORE and the user data folder).",
        show_default=False,
        metavar="PATH",
    ),
]


class SortChoice(str, Enum):
    year = "year"
    title = "title"  # type: ignore[assignment]  # the member shadows str.title, never called on it
    author = "author"
    venue = "venue"


_SELECTION_PARAMETERS = {
    "theme": (
        Annotated[
            list[str] | None,
            typer.Option(
                "--theme", "-t", metavar="ID", help="Only works on this theme (repeat for any of several).",
                autocompletion=_complete_theme, rich_help_panel="Selection",
            ),
        ],
        None,
    ),
    "type": (
        Annotated[
            list[str] | None,
            typer.Option("--type", metavar="TYPE", help="Only this CSL type, e.g. article-journal (repeatable).", rich_help_panel="Selection"),
        ],
        None,
    ),
    "year": (
        Annotated[
            str | None,
            typer.Option("--year", metavar="YEARS", help="A year or range: 2022, 2020..2023, 2022.., ..2019.", rich_help_panel="Selection"),
        ],
        None,
    ),
    "author": (
        Annotated[
            str | None,
            typer.Option("--author", metavar="TEXT", help="Any author or editor containing this (accents and case ignored).", rich_help_panel="Selection"),
        ],
        None,
    ),
    "venue": (
        Annotated[
            str | None,
            typer.Option("--venue", metavar="TEXT", help="Journal or book title containing this.", rich_help_panel="Selection"),
        ],
        None,
    ),
    "status": (
        Annotated[
            list[str] | None,
            typer.Option("--status", metavar="STATUS", help="Only this status, e.g. forthcoming (repeatable).", rich_help_panel="Selection"),
        ],
        None,
    ),
    "tag": (
        Annotated[list[str] | None, typer.Option("--tag", metavar="TAG", help="Only works with this tag (repeatable).", rich_help_panel="Selection")],
        None,
    ),
    "featured": (
        Annotated[bool, typer.Option("--featured", help="Only works marked featured.", rich_help_panel="Selection")],
        False,
    ),
    "search": (
        Annotated[
            str | None,
            typer.Option(
                "--search", "-q", metavar="WORDS", help="Words that must all appear in title, venue, names, abstract or note.",
                rich_help_panel="Selection",
            ),
        ],
        None,
    ),
    "sort": (
        Annotated[
            SortChoice,
            typer.Option("--sort", help="Order: year (newest first, unfinished work first), title, author, venue.", rich_help_panel="Selection"),
        ],
        SortChoice.year,
    ),
    "reverse": (
        Annotated[bool, typer.Option("--reverse", help="Reverse the order.", rich_help_panel="Selection")],
        False,
    ),
    "limit": (
        Annotated[int | None, typer.Option("--limit", "-n", metavar="N", min=0, help="At most this many works.", rich_help_panel="Selection")],
        None,
    ),
}  # fmt: skip


def selection_from_options(options: dict[str, Any]) -> Selection:
    """Build a Selection from the parsed filter options (raises BadSelectionError for a bad --year)."""
    year = options.get("year")
    return Selection(
        themes=tuple(options.get("theme") or ()),
        types=tuple(options.get("type") or ()),
        years=YearRange.parse(year) if year else None,
        author=options.get("author"),
        venue=options.get("venue"),
        statuses=tuple(options.get("status") or ()),
        tags=tuple(options.get("tag") or ()),
        search=options.get("search"),
        featured=bool(options.get("featured")),
        sort=options.get("sort", SortChoice.year).value,
        reverse=bool(options.get("reverse")),
        limit=options.get("limit"),
    )


F = TypeVar("F", bound=Callable[..., Any])


def with_selection(command: F) -> F:
    """Give a command the shared selection options; it receives them as one `selection: Selection`.

    Typer reads a command's parameters from its signature, so the wrapper advertises the command's
    own parameters (minus `selection`) followed by the filters.
    """
    hints = typing.get_type_hints(command, include_extras=True)
    own = [
        parameter.replace(annotation=hints.get(name, parameter.annotation))
        for name, parameter in inspect.signature(command).parameters.items()
        if name != "selection"
    ]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
        for name, (annotation, default) in _SELECTION_PARAMETERS.items()
    ]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        filters = {name: kwargs.pop(name) for name in _SELECTION_PARAMETERS}
        return command(selection=selection_from_options(filters), **kwargs)

    parameters = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own] + added
    wrapper.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
    del wrapper.__wrapped__  # so inspect.signature stops at our signature
    return typing.cast(F, wrapper)
