"""Python's cyclic garbage collector paused while many acyclic objects are made.

Readers, the batch evaluator and the batch analysis make a few objects per cell (answers,
dicts, lists, records) and keep nearly all of them. Each time enough new objects pile up, the collector walks the survivors looking for
reference cycles; while a whole export is read that was a quarter to a half of the reading time,
and finds nothing: readers make no cycles per row (reference counting frees what they drop).
Pausing it changes nothing else; it runs again, as before, once the block returns or raises.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block; restore it as it was (so a pause
    nested in another leaves it paused)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
