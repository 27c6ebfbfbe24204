"""A bulk rebuild's deferred cross-cadre changes, kept on disk instead of in memory.

The bulk rebuild applies the log one aggregate at a time and defers what R-RUSH (突击提拔) reads
across cadres — post span and post row changes, and the units R-RUSH is due for — to apply them
in log order at the end. At L that is some 600,000 changes: half a gigabyte as Python objects.
Here each is pickled to an anonymous temporary file as it comes (the process's own file, gone
when closed), and only its position and offset stay in memory (16 bytes). Replaying sorts the
offsets by position — stably, so an event's span changes stay before its R-RUSH — and reads the
changes back in that order.
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Iterator
from typing import Any

__all__ = ["DeferredChanges"]


class DeferredChanges:
    """Changes appended with their positions, replayed in position order; a context manager."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="jishi-rebuild-")  # noqa: SIM115 — closed with the object
        self._positions = array("q")
        self._offsets = array("q")
        self._end = 0

    def __len__(self) -> int:
        return len(self._positions)

    def append(self, position: int, change: tuple[Any, ...]) -> None:
        data = pickle.dumps(change, protocol=pickle.HIGHEST_PROTOCOL)
        self._positions.append(position)
        self._offsets.append(self._end)
        self._file.write(data)
        self._end += len(data)

    def in_log_order(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """Every change with its position, in position order (equal positions as appended)."""
        self._file.flush()
        positions, offsets = self._positions, self._offsets
        ends = offsets[1:] + array("q", [self._end])
        read = self._file.read
        for i in sorted(range(len(positions)), key=positions.__getitem__):
            self._file.seek(offsets[i])
            yield positions[i], pickle.loads(read(ends[i] - offsets[i]))

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> DeferredChanges:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
