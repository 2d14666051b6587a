"""A store as read: its content, the warnings found reading it, and the index queries read."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from scholarcli.errors import Problem
from scholarcli.model import Library
from scholarcli.query.index import RecordIndex, build_index
from scholarcli.store.locate import StoreLocation


@dataclass(frozen=True)
class LoadedStore:
    """A store's content with the warnings found while reading it (errors would have raised), and the
    index `query.select` reads: the parse cache's (`kept_index`), or one built in memory on first use."""

    location: StoreLocation
    library: Library
    warnings: tuple[Problem, ...] = ()
    kept_index: RecordIndex | None = field(default=None, repr=False, compare=False)

    @cached_property
    def index(self) -> RecordIndex:
        if self.kept_index is not None:
            return self.kept_index
        return build_index(self.library.publications)

    @property
    def from_cache(self) -> bool:
        """Whether this content was read through the parse cache (a hit or the miss that wrote it)."""
        return self.kept_index is not None
