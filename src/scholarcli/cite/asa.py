"""ASA (American Sociological Association) citations. Provisional: replaced by the exact formatter."""

from __future__ import annotations

from scholarcli.model import Publication


def plain_citation(publication: Publication) -> str:
    names = [n.inverted() if i == 0 else n.display() for i, n in enumerate(publication.contributors)]
    authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", and " + names[-1]
    year = str(publication.year) if publication.year else publication.status_label.lower()
    parts = [f"{authors}. {year}."]
    if publication.title:
        parts.append(f"“{publication.title}.”")
    if publication.container:
        parts.append(publication.container)
    return " ".join(parts)
