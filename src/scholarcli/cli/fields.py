"""The fields of one work as (label, text) rows: shared by `show`'s Rich grid and its plain output.

Kept apart from views.py so plain output to a pipe does not import Rich.
"""

from __future__ import annotations

from scholarcli.model import Library, Publication


def detail_fields(publication: Publication, library: Library) -> list[tuple[str, str]]:
    """(label, text) for each field that is set, in the documented order (shared by plain text output)."""
    rows: list[tuple[str, str]] = []
    for key, value in publication.as_dict().items():
        if value is None or value == [] or value == {} or value is False:
            continue
        if key in ("authors", "editors", "translators"):
            names = getattr(publication, key)
            rows.append((key, "; ".join(_with_roles(name.display(), name.roles) for name in names)))
        elif key == "keywords":
            rows.append((key, ", ".join(publication.keywords)))
        elif key == "extra":
            rows.append((key, "\n".join(f"{name}: {text}" for name, text in publication.extra)))
        elif key == "themes":
            titles = library.theme_by_id
            rows.append(
                (key, "\n".join(f"{t}: {titles[t].title}" if t in titles else t for t in publication.themes))
            )
        elif key == "tags":
            rows.append((key, ", ".join(publication.tags)))
        elif key in ("equal_contribution", "featured"):
            rows.append((key, "yes"))
        elif key == "links":
            rows.append((key, "\n".join(f"{label}: {url}" for label, url in publication.links)))
        else:
            rows.append((key, str(value)))
    return rows


def _with_roles(text: str, roles: tuple[str, ...]) -> str:
    """A name followed by its roles: `Chuncheng Liu (equal, corresponding)`."""
    return f"{text} ({', '.join(roles)})" if roles else text
