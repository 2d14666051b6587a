"""The choice for a record that duplicates one in the store.

Kept apart from operations.py so the CLI can declare its `--on-duplicate` option without importing the
write machinery (and with it the YAML parser) on every command.
"""

from __future__ import annotations

from enum import Enum


class OnDuplicate(str, Enum):
    """What to do with a record that duplicates one in the store (same DOI, or same title and year)."""

    skip = "skip"
    update = "update"
    keep_both = "keep-both"
