"""A new work given field by field (`scholar add --title ... --author ...`): which fields it still
needs, and the record it makes.

The rules live here, not in the command, so a script that adds works through the library gets the
same answers as the command line. Every value is judged again by the loader's own rules when the new
record is read back (see operations.add_publications); only what cannot wait for that (a year that is
not a number, a name that cannot be parsed) is refused here.
"""

from __future__ import annotations

from dataclasses import dataclass

from scholarcli.errors import ManyProblemsError, ScholarError
from scholarcli.model import Name, Publication, parse_name
from scholarcli.store.validate import year_problem
from scholarcli.write.operations import Candidate, year_from_text

SOURCE = "the new record"  # how messages name it (there is no file or line yet)


@dataclass(frozen=True)
class NewWork:
    """The fields of a work to add, as the user wrote them (None or empty: not given)."""

    type: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    year: str | None = None
    status: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    place: str | None = None
    doi: str | None = None
    url: str | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()
    id: str | None = None

    @property
    def needs_year(self) -> bool:
        """A published work needs its year; one in progress may not have one yet."""
        return (self.status or "published") == "published"

    def missing(self) -> list[str]:
        """The options still needed, in the order they are asked for: a type, a title, someone
        responsible (an author or an editor) and, for a published work, a year."""
        missing = []
        if self.type is None:
            missing.append("--type")
        if self.title is None:
            missing.append("--title")
        if not self.authors and not self.editors:
            missing.append("--author")
        if self.year is None and self.needs_year:
            missing.append("--year")
        return missing

    def candidate(self) -> Candidate:
        """The record to add (its id "" when it is to be generated). Raises ScholarError for a name
        that cannot be read and ManyProblemsError for a year that is not a year."""
        year = year_from_text(self.year.strip()) if self.year is not None else None
        if isinstance(year, str):
            reason = year_problem(year) or f"year '{year}' is not a year"
            raise ManyProblemsError([f"{SOURCE}: {reason}"], "nothing was added")
        publication = Publication(
            id=self.id or "",
            type=self.type or "",
            title=self.title,
            authors=_names(self.authors, "--author"),
            editors=_names(self.editors, "--editor"),
            year=year,
            status=self.status or "published",
            container=self.container,
            volume=self.volume,
            issue=self.issue,
            pages=self.pages,
            publisher=self.publisher,
            place=self.place,
            doi=self.doi,
            url=self.url,
            tags=self.tags,
            note=self.note,
        )
        return Candidate(publication, SOURCE)


def _names(texts: tuple[str, ...], option: str) -> tuple[Name, ...]:
    names = []
    for text in texts:
        try:
            names.append(parse_name(text))
        except ValueError as exc:
            raise ScholarError(f"{option}: {exc}") from None
    return tuple(names)
