"""The store's write operations: add (with ids and duplicates), set fields, replace a record, remove.

Each runs in one `session.write_session`: read under the lock, validate what changes, splice, commit.
Records that a write does not touch are neither parsed nor re-emitted (see `outline`, `scan` and `render`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from scholarcli import ids
from scholarcli.errors import (
    ManyProblemsError,
    Problem,
    ScholarError,
    StoreChangedError,
    StoreInvalidError,
    UnknownIdError,
)
from scholarcli.model import NAME_LIST_FIELDS, PUBLICATION_FIELDS, Publication, fold, parse_name
from scholarcli.store import StoreLocation, validate, yamlio
from scholarcli.write import render, scan
from scholarcli.write.duplicates import OnDuplicate
from scholarcli.write.outline import (
    Outline,
    RecordSpan,
    append_records,
    appended_part,
    newline_of,
    remove_record,
    replace_lines,
    shift_problems,
)
from scholarcli.write.outline import (
    set_fields as splice_fields,
)
from scholarcli.write.session import WriteSession, write_session

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A record to add. `publication.id` is "" when it should be generated; `source` says where it came from."""

    publication: Publication
    source: str


@dataclass
class AddReport:
    """What an add or import did (or, on a dry run, would do)."""

    added: list[tuple[str, str]] = field(default_factory=list)  # (source, new id)
    updated: list[tuple[str, str]] = field(default_factory=list)  # (source, existing id)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (source, existing id, why)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    # (source, field, message): the store's warnings on a new record (no year, no authors), which
    # `check` would show later; an import says them at once.
    warnings: list[tuple[str, str, str]] = field(default_factory=list)


def normalised_title(title: str | None) -> str:
    """A title for duplicate matching: accents, case, punctuation and spacing ignored."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(title or "")).split())


def bare_doi(doi: str) -> str:
    """A DOI for matching: no `https://doi.org/` or `doi:` prefix, case folded (DOIs ignore case)."""
    doi = doi.strip()
    if doi[:1] in "hHdD":
        doi = _DOI_PREFIX.sub("", doi)
    return doi.casefold()


# What tells two works of one title and year apart: first author's family name, container, volume,
# issue, pages. None where a record does not say (or, for a record of the store, was not read).
Details = tuple[str | None, str | None, str | None, str | None, str | None]


def work_details(publication: Publication) -> Details:
    """A publication's `Details`, normalised as titles are (case, accents, punctuation ignored)."""
    first = publication.authors[0].family if publication.authors else None

    def norm(text: str | None) -> str | None:
        return normalised_title(text) or None

    return (norm(first), norm(publication.container), norm(publication.volume), norm(publication.issue),
            norm(publication.pages))  # fmt: skip


def same_work(one: Details | None, other: Details | None) -> bool:
    """Two records of one title and year are one work unless something both of them give differs:
    TUGboat's column "Editor's comments" recurs in every issue of a year, with other pages."""
    if one is None or other is None:
        return True
    return all(a is None or b is None or a == b for a, b in zip(one, other, strict=True))


class DuplicateIndex:
    """Which record already has a DOI, or a title in a year (and the same first author, container,
    volume, issue and pages, where both records give them: see `same_work`).

    Titles are normalised only for the years asked about: adding one record to a large store then
    folds a few hundred titles, not every one.
    """

    def __init__(self) -> None:
        self.by_doi: dict[str, str] = {}
        # year -> [(title, id, details)]; details None for the store's records, whose scan reads only
        # id, DOI, title and year: against those, title and year decide, as they always did.
        self._titles: dict[int | None, list[tuple[str, str, Details | None]]] = {}
        self._normalised: dict[int | None, dict[str, list[tuple[str, Details | None]]]] = {}

    def note(
        self,
        record_id: str,
        doi: str | None,
        title: str | None,
        year: int | None,
        details: Details | None = None,
    ) -> None:
        if doi:
            self.by_doi.setdefault(bare_doi(doi), record_id)
        if title:
            if year in self._normalised:
                self._normalised[year].setdefault(normalised_title(title), []).append((record_id, details))
            else:
                self._titles.setdefault(year, []).append((title, record_id, details))

    def _titles_of(self, year: int | None) -> dict[str, list[tuple[str, Details | None]]]:
        if year not in self._normalised:
            table: dict[str, list[tuple[str, Details | None]]] = {}
            for title, record_id, details in self._titles.pop(year, ()):
                table.setdefault(normalised_title(title), []).append((record_id, details))
            self._normalised[year] = table
        return self._normalised[year]

    def find(self, publication: Publication) -> tuple[str, str] | None:
        """(existing id, why) for a duplicate, else None."""
        if publication.doi and bare_doi(publication.doi) in self.by_doi:
            return self.by_doi[bare_doi(publication.doi)], f"same DOI {publication.doi}"
        if publication.title and normalised_title(publication.title):
            matches = self._titles_of(publication.year).get(normalised_title(publication.title), ())
            mine: Details | None = None
            for existing, details in matches:
                if details is not None and mine is None:
                    mine = work_details(publication)
                if same_work(details, mine):
                    year = publication.year if publication.year is not None else "no year"
                    return existing, f"same title and year ({year})"
        return None


def _record_spans(session: WriteSession) -> dict[str, RecordSpan]:
    """Each record's span in the outline, by its id casefolded (the first, if an id repeats)."""
    records: dict[str, RecordSpan] = {}
    session.outline.index_values()
    for record_id, record in session.outline.ids():
        records.setdefault(record_id.casefold(), record)
    return records


def _store_index(session: WriteSession) -> tuple[set[str], DuplicateIndex]:
    """The ids in use (casefolded) and the duplicate index, from regex scans of the file (see
    scan.scan_values)."""
    values = scan.scan_values(session.text, session.shown_path)
    taken: set[str] = set()
    index = DuplicateIndex()
    for record in values:
        record_id = record.get("id")
        if record_id is None:
            continue
        taken.add(record_id.casefold())
        index.note(record_id, record.get("doi"), record.get("title"), _year_of(record.get("year")))
    return taken, index


def _year_of(text: str | None) -> int | None:
    """The year a scanned value gives for duplicate matching: an int from ASCII digits only (`²` is a
    digit to str.isdigit, but not a number to YAML or to int())."""
    return int(text) if text and text.isascii() and text.isdigit() else None


def parse_records(
    text: str,
    path: str,
    theme_ids: Sequence[str],
    line_offset: int = 0,
    *,
    other_ids: Iterable[str] = (),
) -> tuple[tuple[Publication, ...], list[Problem], object]:
    """Validate records written as YAML list items; problems are moved `line_offset` lines down.
    `other_ids`: the store's other works, which a preprint link may name."""
    data, problems = yamlio.load_text(text, path)
    publications, record_problems = validate.read_publications(data, path, theme_ids, other_ids=other_ids)
    shifted = shift_problems(problems + record_problems, path, line_offset)
    return publications, shifted, data


def _other_ids(outline: Outline, record: RecordSpan) -> list[str]:
    """The ids of the file's records but `record`: what a preprint link in it may name."""
    return [record_id for record_id, span in outline.ids() if span is not record]


def _errors(problems: Sequence[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "error"]


def add_publications(
    location: StoreLocation,
    candidates: Sequence[Candidate],
    *,
    on_duplicate: OnDuplicate | None = None,
    extra_themes: Sequence[str] = (),
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> AddReport:
    """Add records to the store, generating ids and handling duplicates; one write for all of them.

    Invalid records are rejected (with the validator's reasons) and the rest still added. A duplicate
    with no `on_duplicate` policy refuses the whole write.
    """
    report = AddReport()
    with write_session(location) as session:
        _check_themes(extra_themes, session.theme_ids)
        taken, index = _store_index(session)
        in_store = frozenset(taken)  # `taken` grows with the ids this add gives out
        newline = newline_of(session.text)

        # Pass 1: render each record with a provisional id and validate them all in one parse.
        prepared: list[Publication] = []
        for candidate in candidates:
            publication = candidate.publication
            themes = tuple(dict.fromkeys((*publication.themes, *extra_themes)))
            prepared.append(
                replace(publication, id=publication.id or ids.base_id(publication), themes=themes)
            )
        valid = _validate_new(prepared, candidates, session, report, in_store)

        # Pass 2: duplicates and ids, in input order.
        texts: list[str] = []
        updates: dict[str, Publication] = {}  # existing id casefolded -> its new version
        duplicates: list[str] = []
        for number, candidate in enumerate(candidates):
            if progress is not None:
                progress(number + 1)
            publication = valid.get(number)  # type: ignore[assignment]  # pass 1's name; None skipped below
            if publication is None:
                continue
            duplicate = index.find(publication)
            if duplicate is not None and on_duplicate is not OnDuplicate.keep_both:
                existing_id, why = duplicate
                if on_duplicate is None and dry_run:  # a dry run reports them all, with the rest
                    report.rejected.append(
                        (candidate.source, f"duplicates '{existing_id}' ({why}); choose --on-duplicate")
                    )
                elif on_duplicate is None:
                    duplicates.append(f"{candidate.source}: duplicates '{existing_id}' ({why})")
                elif on_duplicate is OnDuplicate.skip:
                    report.skipped.append((candidate.source, existing_id, why))
                elif existing_id.casefold() in in_store and existing_id.casefold() not in updates:
                    updates[existing_id.casefold()] = publication
                    report.updated.append((candidate.source, existing_id))
                else:  # a second update of one record in one import: the first one wins
                    report.skipped.append((candidate.source, existing_id, f"{why}; already updated"))
                continue
            given = candidate.publication.id
            if given:
                if given.casefold() in taken:
                    report.rejected.append(
                        (candidate.source, f"the id '{given}' is already used in the store")
                    )
                    continue
                new_id = given
            else:
                new_id = ids.unique_id(publication.id, taken)
            taken.add(new_id.casefold())
            final = replace(publication, id=new_id)
            index.note(new_id, final.doi, final.title, final.year, work_details(final))
            texts.append(render.render_record(final, newline))
            report.added.append((candidate.source, new_id))
        if duplicates:
            raise ManyProblemsError(
                [*duplicates, "choose --on-duplicate skip, update or keep-both"], "nothing was written"
            )
        if not updates:  # the usual add: new records at the end, no outline needed
            emptied = scan.empty_list_dropped(session.text)
            if not dry_run and texts and emptied is not None:  # `[]`: the first records replace it
                session.commit(emptied + appended_part(emptied, texts, newline))
            elif not dry_run and texts:
                # The file's own bytes, then the new records': 13 MB of text is not encoded again.
                appended = appended_part(session.text, texts, newline)
                session.commit_appended(appended.encode("utf-8"), len(texts))
            return report
        spans = _record_spans(session)
        for record, publication in sorted(
            ((spans[key], publication) for key, publication in updates.items()),
            key=lambda item: -item[0].first,
        ):
            _update_record(session, record, publication)
        append_records(session.outline, texts)
        if not dry_run:
            session.commit_outline()
    return report


def _check_themes(themes: Sequence[str], known: Sequence[str]) -> None:
    for theme in themes:
        problem = validate.theme_problem(theme, known)
        if problem is not None:
            raise ScholarError(problem)


def _validate_new(
    prepared: Sequence[Publication],
    candidates: Sequence[Candidate],
    session: WriteSession,
    report: AddReport,
    store_ids: frozenset[str],
) -> dict[int, Publication]:
    """Render and read back every new record in one parse; those with errors are rejected."""
    lines: list[str] = []
    starts: list[int] = []
    for publication in prepared:
        starts.append(len(lines))
        lines.extend(render.render_record(publication).splitlines(keepends=True))
    path = "<new>"
    publications, problems, _ = parse_records("".join(lines), path, session.theme_ids, other_ids=store_ids)
    by_id = {publication.id.casefold(): publication for publication in publications}
    reasons: dict[int, list[str]] = {}
    warnings: dict[int, list[tuple[str, str]]] = {}
    for problem in problems:
        if problem.severity == "warning":
            number = _record_at(starts, problem.line - 1)
            who = (
                f"'{prepared[number].id}'"
                if prepared[number].id
                else "this record (its id is missing or empty)"
            )
            message = problem.message.replace(who, "the record", 1)  # the id may still change
            warnings.setdefault(number, []).append((problem.field or "", message))
    seen_ids: set[str] = set()
    for problem in _errors(problems):
        number = _record_at(starts, problem.line - 1)
        if "duplicate id" in problem.message and problem.field == "id":
            continue  # two new records with one provisional id: ids are made unique later
        reasons.setdefault(number, []).append(problem.message)
    valid: dict[int, Publication] = {}
    for number, (publication, candidate) in enumerate(zip(prepared, candidates, strict=True)):
        if number in reasons:
            report.rejected.append((candidate.source, "; ".join(reasons[number])))
            continue
        key = publication.id.casefold()
        read_back: Publication | None
        if key in by_id and key not in seen_ids:
            seen_ids.add(key)
            read_back = by_id[key]
        else:  # a provisional id shared with an earlier new record: read it alone
            read_back = _read_one(publication, session, store_ids)
        if read_back != publication:
            report.rejected.append((candidate.source, "the record does not survive being written (a bug)"))
            continue
        valid[number] = publication
        report.warnings.extend((candidate.source, *warning) for warning in warnings.get(number, ()))
    return valid


def _read_one(
    publication: Publication, session: WriteSession, store_ids: frozenset[str]
) -> Publication | None:
    publications, _, _ = parse_records(
        render.render_record(publication), "<new>", session.theme_ids, other_ids=store_ids
    )
    return publications[0] if publications else None


def _record_at(starts: Sequence[int], line_index: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= line_index:
            low = middle
        else:
            high = middle - 1
    return low


def _update_record(session: WriteSession, record: RecordSpan, publication: Publication) -> None:
    """Overwrite the fields the new version has; the record's id and its other fields stay."""
    new_values = publication.to_store_dict()
    changes: dict[str, object | None] = {key: value for key, value in new_values.items() if key != "id"}
    if "status" not in new_values and "status" in record.fields:
        changes["status"] = None  # published: the store leaves the status out
    _splice_fields(session, record, changes)


def _splice_fields(
    session: WriteSession, record: RecordSpan, changes: dict[str, object | None]
) -> Publication:
    """Change fields of a record: its own lines spliced where that gives the record the loader reads
    from the parsed record with the changes made; else (a layout that cannot be spliced field by field)
    the record rewritten whole in the house layout."""
    outline = session.outline
    path = session.shown_path
    try:
        spliced: list[str] | None = splice_fields(outline, record, changes, PUBLICATION_FIELDS)
    except ScholarError:
        spliced = None  # the first field removed: only a rewrite can
    spliced_errors: list[Problem] = []
    if spliced is not None:
        publications, problems, _ = parse_records(
            "".join(spliced), path, session.theme_ids, record.first, other_ids=_other_ids(outline, record)
        )
        spliced_errors = _errors(problems) or (
            [] if len(publications) == 1 else [Problem(path, record.line, 1, "the record is not valid")]
        )
    original = scan.parse_record(outline.record_text(record), path, lambda: record.first)
    try:
        rewritten = (
            None
            if original is None
            else render.render_changed(original, changes, PUBLICATION_FIELDS, outline.newline)
        )
    except ValueError:
        rewritten = None
    if rewritten is None:  # no parsed record to compare with: the splice is all there is
        if spliced is None or spliced_errors:
            raise StoreInvalidError(
                spliced_errors or [Problem(path, record.line, 1, "the record is not valid")]
            )
        replace_lines(outline, record.first, record.end, spliced)
        return publications[0]
    expected, problems, _ = parse_records(
        "".join(rewritten), path, session.theme_ids, record.first, other_ids=_other_ids(outline, record)
    )
    errors = _errors(problems)
    if errors or len(expected) != 1:  # the change itself is invalid: say so at the file's own lines
        raise StoreInvalidError(
            spliced_errors or errors or [Problem(path, record.line, 1, "the record is not valid")]
        )
    if spliced is not None and not spliced_errors and publications == expected:
        replace_lines(outline, record.first, record.end, spliced)
    else:
        replace_lines(outline, record.first, record.end, rewritten)
    return expected[0]


def _find(session: WriteSession, publication_id: str) -> RecordSpan:
    for record_id, record in session.outline.ids():
        if record_id.casefold() == publication_id.casefold():
            return record
    raise UnknownIdError(f"no publication with the id '{publication_id}' in {session.shown_path}")


# set -----------------------------------------------------------------------------------------------

_TEXT_FIELDS = (
    "type", "title", "subtitle", "short_title", "status", "container", "series", "number", "volume",
    "issue", "edition", "pages", "publisher", "place", "event", "event_place", "genre", "isbn", "issn",
    "doi", "eprint", "eprint_type", "url", "accessed", "language", "award", "preprint_of",
    "published_as", "note", "abstract",
)  # fmt: skip
# How `set` reads a value typed on the command line, for every field of a record (a test holds the
# table to model.PUBLICATION_FIELDS: a new field without a kind fails it, rather than being written as
# one text where the loader wants a list, as `keywords=surveillance` once was, letter by letter).
FIELD_KINDS: dict[str, str] = {
    "id": "id",  # not changed with set
    **dict.fromkeys(NAME_LIST_FIELDS, "names"),  # `;`-separated names
    **dict.fromkeys(("themes", "tags", "keywords"), "list"),  # `,`-separated texts
    **dict.fromkeys(("year", "month", "day", "original_year"), "number"),
    **dict.fromkeys(("equal_contribution", "featured"), "flag"),
    # One key at a time: extra.KEY=value, links.LABEL=https://...
    **dict.fromkeys(("extra", "links"), "mapping"),
    **dict.fromkeys(_TEXT_FIELDS, "text"),
}
MAPPING_FIELDS = tuple(key for key, kind in FIELD_KINDS.items() if kind == "mapping")


def parse_assignment(text: str) -> tuple[str, str | None]:
    """`field=value` -> (field, value); `field=` (nothing after '=') removes the field. `extra.KEY=value`
    sets one key of the `extra` mapping (`extra.KEY=` removes it, `extra=` removes them all); likewise
    `links.LABEL=URL`."""
    key, equals, value = text.partition("=")
    key = key.strip()
    if not equals or not key:
        raise ScholarError(f"'{text}': write changes as field=value (field= with no value removes the field)")
    mapping, dot, sub_key = key.partition(".")
    if dot and mapping in MAPPING_FIELDS and sub_key:
        return key, given_value(key, value)
    if key not in PUBLICATION_FIELDS:
        raise ScholarError(f"unknown field '{key}'{validate.did_you_mean(key, PUBLICATION_FIELDS)}")
    if key == "id":
        raise ScholarError("the id cannot be changed with 'set'; use 'scholar edit ID' to rename a record")
    if FIELD_KINDS[key] == "mapping" and value.strip():
        raise ScholarError(
            f"'{text}': set one key of '{key}' with {key}.KEY=value ({key}.KEY= removes that key, {key}= "
            "removes them all)"
        )
    return key, given_value(key, value)


def given_value(key: str, value: str) -> str | None:
    """The value of `key=value`: None (remove) for nothing after '='; blank text is refused, as the
    loader refuses a blank value in the file (rather than read as a removal)."""
    if not value:
        return None
    if not value.strip():
        raise ScholarError(f"'{key}' is blank; give a value, or {key}= with nothing after '=' to remove it")
    return value.strip()


def store_value_from_text(key: str, value: str | None) -> object | None:
    """A value typed on the command line, as the store writes it (by the field's kind in `FIELD_KINDS`:
    names `;`-separated, lists `,`-separated).

    Nothing is judged here: the record is read back with the loader after the change (see
    `_splice_fields`), so a bad value gets the rule and the message `scholar check` gives. Text that does
    not convert (`maybe` for a flag, `²⁰²⁰` for a year, a name that does not parse) is written as given
    for the loader to refuse.
    """
    if value is None:
        return None
    kind = FIELD_KINDS[key]
    if kind == "names":
        names: list[object] = []
        for part in value.split(";"):
            try:
                names.append(render.names_for_store([parse_name(part.strip())])[0])
            except ValueError:
                names.append(part.strip())  # the loader reports it, with the same message
        return names
    if kind == "list":
        return [item.strip() for item in value.split(",") if item.strip()]
    if kind == "flag" and value in ("true", "false"):
        return value == "true"
    if kind == "number":
        return year_from_text(value)
    return value


def year_from_text(text: str) -> int | str:
    """A year as an int when that is what the text says in ASCII digits (no leading zero), else the
    text itself, for the loader's year rule to judge (`int("²⁰²⁰")` is a ValueError, `0999` is not 999)."""
    if text.isascii() and text.isdigit() and str(int(text)) == text:
        return int(text)
    return text


def set_fields(location: StoreLocation, publication_id: str, changes: dict[str, str | None]) -> Publication:
    """Change fields of one record; lines of the fields not changed stay as they are."""
    with write_session(location) as session:
        record = _find(session, publication_id)
        values = {key: store_value_from_text(key, value) for key, value in changes.items() if "." not in key}
        for mapping in MAPPING_FIELDS:
            prefix = mapping + "."
            mapping_changes = {
                key.removeprefix(prefix): value for key, value in changes.items() if key.startswith(prefix)
            }
            if mapping_changes:
                values[mapping] = _changed_mapping(
                    session, record, mapping, mapping_changes, cleared=mapping in changes
                )
        if values.get("status") == "published":
            values["status"] = None  # the store leaves the default status out
        updated = _splice_fields(session, record, values)
        session.commit_outline()
    return updated


def _changed_mapping(
    session: WriteSession,
    record: RecordSpan,
    mapping: str,
    changes: dict[str, str | None],
    *,
    cleared: bool,
) -> dict[str, str] | None:
    """The record's `extra` or `links` mapping with keys set or removed (None: no key left, the field
    goes)."""
    current: dict[str, str] = {}
    if not cleared:
        parsed = scan.parse_record(
            session.outline.record_text(record), session.shown_path, lambda: record.first
        )
        found = None if parsed is None else parsed.get(mapping)
        if isinstance(found, dict):
            current = {str(key): value for key, value in found.items()}
    for key, value in changes.items():
        if value is None:
            current.pop(key, None)
        else:
            current[key] = value
    return current or None


# edit ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordForEdit:
    """A record's own text, and the file's bytes it was read from (to detect a change meanwhile)."""

    publication_id: str
    text: str
    raw: bytes


def record_for_edit(location: StoreLocation, publication_id: str) -> RecordForEdit:
    with write_session(location) as session:
        record = _find(session, publication_id)
        found_id = session.outline.value(record, "id") or publication_id
        return RecordForEdit(found_id, session.outline.record_text(record), session.raw)


def check_record_text(
    location: StoreLocation, original: RecordForEdit, text: str, path: str
) -> list[Problem]:
    """Problems of an edited record (as lines of `path`); empty when it can replace the original."""
    with write_session(location) as session:
        return _check_edit(session, original, text, path)[1]


def _check_edit(
    session: WriteSession, original: RecordForEdit, text: str, path: str
) -> tuple[Publication | None, list[Problem]]:
    data, problems = yamlio.load_text(text, path)
    if not problems and not (isinstance(data, list) and len(data) == 1):
        return None, [Problem(path, 1, 1, "write exactly one record, starting with '- id: ...'")]
    publications, record_problems = validate.read_publications(
        data, path, session.theme_ids, other_ids=(record_id for record_id, _ in session.outline.ids())
    )
    errors = _errors(problems + record_problems)
    if errors or not publications:
        return None, errors or [Problem(path, 1, 1, "the record is not valid")]
    publication = publications[0]
    if publication.id.casefold() != original.publication_id.casefold():
        for record_id, _ in session.outline.ids():
            if record_id.casefold() == publication.id.casefold():
                return None, [
                    Problem(path, 1, 1, f"the id '{publication.id}' is already used by another record")
                ]
    return publication, []


def replace_record(location: StoreLocation, original: RecordForEdit, text: str, path: str) -> Publication:
    """Put an edited record in place of the original, if the file is unchanged since it was read."""
    with write_session(location) as session:
        if session.raw != original.raw:
            raise StoreChangedError(
                f"{session.shown_path}: changed on disk since it was read; nothing was written, your edit is "
                f"kept in {path}"
            )
        publication, problems = _check_edit(session, original, text, path)
        if publication is None:
            raise StoreInvalidError(problems)
        record = _find(session, original.publication_id)
        new_text = text if text.endswith("\n") else text + "\n"
        lines = new_text.splitlines(keepends=True)
        if session.outline.newline == "\r\n":
            lines = [line.removesuffix("\r\n").removesuffix("\n") + "\r\n" for line in lines]
        replace_lines(session.outline, record.first, record.end, lines)
        session.commit_outline()
    return publication


# remove --------------------------------------------------------------------------------------------


def remove_publications(location: StoreLocation, publication_ids: Sequence[str]) -> list[str]:
    """Remove records by id (all must exist); returns their ids as written in the store."""
    with write_session(location) as session:
        found: dict[int, tuple[str, RecordSpan]] = {}
        missing = []
        by_id = {record_id.casefold(): (record_id, record) for record_id, record in session.outline.ids()}
        for publication_id in publication_ids:
            entry = by_id.get(publication_id.casefold())
            if entry is None:
                missing.append(publication_id)
            else:
                found[entry[1].first] = entry
        if missing:
            raise UnknownIdError(
                f"no publication with the id {', '.join(repr(m) for m in missing)} in {session.shown_path}; "
                "nothing was removed"
            )
        for first in sorted(found, reverse=True):
            remove_record(session.outline, found[first][1])
        session.commit_outline()
    return [found[first][0] for first in sorted(found)]
