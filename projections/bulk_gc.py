"""The cyclic garbage collector during a bulk rebuild (``projections/rebuild.py``, its workers).

Applying an event allocates many container objects (the event, its payload, rows, facts) that reference
counting frees at once; hardly any form a cycle. With the default thresholds (700, 10, 10) the collector
still walks the young objects every 700 allocations, and the older generations, which grow with the
caches, every 7,000 and 70,000. A rebuild raises the thresholds while it runs: the same objects are
freed, cycles a little later (a few megabytes of them at most), and the read models are the same —
only when the collector runs changes, not what it frees. The thresholds are the process's: they are
put back afterwards, whatever happens."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BULK_THRESHOLDS = (50_000, 20, 100)  # young objects before a collection; collections before an older one


@contextmanager
def fewer_collections(thresholds: tuple[int, int, int] = BULK_THRESHOLDS) -> Iterator[None]:
    """Run the block with the collector's thresholds raised to ``thresholds``, then restore them."""
    before = gc.get_threshold()
    gc.set_threshold(*thresholds)
    try:
        yield
    finally:
        gc.set_threshold(*before)
