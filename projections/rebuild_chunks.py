"""A bulk rebuild's chunks of aggregates, kept in a temporary file instead of in memory.

The rebuild groups the log's positions by aggregate (``streams_of``) and cuts them into chunks of
consecutive aggregates (``chunks_of``). Held as Python objects that is a UUID, an array and a dict
entry per aggregate plus 8 bytes per event: ≈ 16 MB at M (480 k events), ten times that at L — and
every worker process was given a pickled copy of all of it, though it applies only the chunks it
claims. Here each chunk is pickled to a file as it is cut, and only the chunks' offsets stay in
memory (8 bytes a chunk); whoever applies a chunk reads it back (``chunks[i]``). A worker is given
the file's name and the offsets (``pickle``), and opens the file itself.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any
from uuid import UUID

__all__ = ["CHUNK_EVENTS", "Chunk", "ChunkFile", "Stream", "chunks_of"]

CHUNK_EVENTS = 2_000  # events in a chunk of aggregates (what a worker sends back at once)

Stream = tuple[UUID, "array[int]"]
Chunk = list[Stream]


def chunks_of(streams: Mapping[UUID, array[int]], size: int | None = None) -> Iterator[Chunk]:
    """Consecutive aggregates, about ``size`` (``CHUNK_EVENTS``) events a chunk, in the streams' order."""
    limit = CHUNK_EVENTS if size is None else size
    chunk: Chunk = []
    events = 0
    for stream in streams.items():
        chunk.append(stream)
        events += len(stream[1])
        if events >= limit:
            yield chunk
            chunk, events = [], 0
    if chunk:
        yield chunk


class ChunkFile:
    """The chunks in order, pickled one after another to a temporary file (removed by ``close``);
    a sequence of chunks (``len``, ``[i]``, iteration) that pickles as the file's name and the offsets."""

    def __init__(self, path: str, offsets: array[int], owner: bool = False) -> None:
        self.path, self._offsets, self._owner = path, offsets, owner
        self._file: IO[bytes] | None = None

    @classmethod
    def write(cls, chunks: Iterable[Chunk], directory: str | None = None) -> ChunkFile:
        """The chunks written to a new temporary file (in ``directory``, else the system's)."""
        handle, path = tempfile.mkstemp(prefix="jishi-rebuild-chunks-", dir=directory)
        offsets = array("q", [0])
        try:
            with os.fdopen(handle, "wb") as file:
                for chunk in chunks:
                    # (16 bytes, the positions' bytes) per aggregate: smaller and quicker than UUID objects
                    file.write(pickle.dumps([(stream_id.bytes, ids.tobytes()) for stream_id, ids in chunk],
                                            protocol=pickle.HIGHEST_PROTOCOL))
                    offsets.append(file.tell())
        except BaseException:
            os.unlink(path)
            raise
        return cls(path, offsets, owner=True)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, index: int) -> Chunk:
        if not 0 <= index < len(self):
            raise IndexError(index)
        if self._file is None:
            self._file = open(self.path, "rb")  # noqa: SIM115 — closed by close()
        self._file.seek(self._offsets[index])
        data = self._file.read(self._offsets[index + 1] - self._offsets[index])
        return [(UUID(bytes=stream_id), array("q", ids)) for stream_id, ids in pickle.loads(data)]

    def __iter__(self) -> Iterator[Chunk]:
        for index in range(len(self)):
            yield self[index]

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "offsets": self._offsets}  # a copy elsewhere reads, never removes

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"], state["offsets"])  # type: ignore[misc]

    def close(self) -> None:
        """Close the file; the process that wrote it removes it too."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._owner:
            self._owner = False
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)

    def __enter__(self) -> ChunkFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
