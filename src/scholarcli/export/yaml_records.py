"""YAML export: the selected records in the store's own format (a publications.yaml fragment)."""

from __future__ import annotations

from collections.abc import Sequence

from scholarcli.export import listing
from scholarcli.export.base import ExportOptions
from scholarcli.model import Library, Publication


def export(works: Sequence[Publication], library: Library, options: ExportOptions) -> str:
    return "".join(listing.iter_yaml(works))
