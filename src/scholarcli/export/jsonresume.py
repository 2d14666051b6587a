"""JSON Resume (`--format jsonresume`): a resume object with `basics` and `publications`.

The output is a whole resume, `{"$schema": ..., "basics": {...}, "publications": [...]}`, which
validates against the JSON Resume schema v1.0.0 (tested with the `resume-schema` package's
schema.json): a theme (`resume export`) renders it as is, and a resume kept elsewhere takes the
`publications` array (and `basics` if it has none).

- `basics` from the profile: `name`, `label` (the field), `email`, `url` (the homepage) and an ORCID
  entry in `profiles`. Only what the profile has.
- one publication per work, in the selection's order: `name` the title (with its subtitle) or,
  untitled, its ASA citation, `publisher` where it appeared (the journal or book, else the
  publisher), `releaseDate` the ISO 8601 date as far as known (`2026`, `2026-03`, `2026-03-04`; none for a work not yet out), `url` the DOI
  as a doi.org link (else the record's `url`), `summary` the abstract, after the status ("Under
  review.") for a work not yet out, which the schema has no field for.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from scholarcli.cite.asa import doi_url, plain_citation
from scholarcli.export.base import ExportOptions
from scholarcli.model import Library, Profile, Publication

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"


def basics(profile: Profile) -> dict[str, object]:
    """The resume's `basics` from the store's profile."""
    result: dict[str, object] = {"name": profile.name}
    if profile.field:
        result["label"] = profile.field
    if profile.email:
        result["email"] = profile.email
    if profile.homepage:
        result["url"] = profile.homepage
    if profile.orcid:
        result["profiles"] = [
            {"network": "ORCID", "username": profile.orcid, "url": f"https://orcid.org/{profile.orcid}"}
        ]
    return result


def release_date(work: Publication) -> str | None:
    """The ISO 8601 date (year, year-month or full date) of a work that is out, else None."""
    # The schema's pattern takes years 1000-2999 only; an older year is left out, not made invalid.
    if work.year is None or not work.is_out or not 1000 <= work.year <= 2999:
        return None
    if work.month is None:
        return f"{work.year:04d}"
    if work.day is None:
        return f"{work.year:04d}-{work.month:02d}"
    return f"{work.year:04d}-{work.month:02d}-{work.day:02d}"


def publication(work: Publication) -> dict[str, str]:
    """One work as a JSON Resume publication (see the module docstring)."""
    title = f"{work.title}: {work.subtitle}" if work.title and work.subtitle else work.title
    if not title:  # an untitled work (an article in press) is named by its ASA citation
        title = plain_citation(work)
    summary = [f"{work.status_label}."] if work.status != "published" else []
    if work.abstract:
        summary.append(" ".join(work.abstract.split()))
    values = {
        "name": title,
        "publisher": work.container or work.publisher,
        "releaseDate": release_date(work),
        "url": doi_url(work.doi) if work.doi else work.url,
        "summary": " ".join(summary),
    }
    return {key: value for key, value in values.items() if value}


def export(works: Sequence[Publication], library: Library, options: ExportOptions) -> str:
    """The JSON Resume of the given works (see the module docstring)."""
    resume = {
        "$schema": SCHEMA_URL,
        "basics": basics(library.profile),
        "publications": [publication(work) for work in works],
    }
    return json.dumps(resume, ensure_ascii=False, indent=2) + "\n"
