"""JSON export: the selected records with every field, as `scholar list --format json` gives them."""

from __future__ import annotations

from collections.abc import Sequence

from scholarcli.export import listing
from scholarcli.export.base import ExportOptions
from scholarcli.model import Library, Publication


def export(works: Sequence[Publication], library: Library, options: ExportOptions) -> str:
    return "".join(listing.iter_json(works))
