"""The cyclic garbage collector held off while a store is parsed or its cache read.

Apart from yamlio.py so that a warm read (which unmarshals the cache and never parses YAML) can use it
without importing the YAML parser.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    # Parsing allocates millions of objects that all live on; the cyclic collector would walk them
    # again and again for nothing (it roughly doubles the parse time of a large store).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
