"""Selecting and ordering works: the filters shared by `list`, `show`, `stats`, `export` and `build`.

selection.py says what is asked (Selection), keys.py how one work compares, index.py holds those keys
for every work of a store, selecting.py walks the index (`select`, the one read path), stats.py counts.
"""

from scholarcli.query.keys import matches, search_fold, sort_key
from scholarcli.query.selecting import Indexed, InMemory, Selected, find_ids, select
from scholarcli.query.selection import SORT_KEYS, BadSelectionError, Selection, SortKey, YearRange, find_theme

__all__ = [
    "SORT_KEYS",
    "BadSelectionError",
    "InMemory",
    "Indexed",
    "Selected",
    "Selection",
    "SortKey",
    "YearRange",
    "find_ids",
    "find_theme",
    "matches",
    "search_fold",
    "select",
    "sort_key",
]
