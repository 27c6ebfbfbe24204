"""A bulk rebuild's chunks of aggregates, kept in a temporary file instead of in memory.

The rebuild groups the log's positions by aggregate (``projections.reading.streams_in``) and cuts them into chunks of
consecutive aggregates (``chunks_of``). Held as Python objects that is a UUID, an array and a dict
entry per aggregate plus 8 bytes per event: ≈ 16 MB at M (480 k events), ten times that at L — and
every worker process was given a pickled copy of all of it, though it applies only the chunks it
claims. Here each chunk is pickled to a file as it is cut, and only the chunks' offsets stay in
memory (8 bytes a chunk); whoever applies a chunk reads it back (``chunks[i]``). A worker is given
the file's descriptor and the offsets.
"""

from __future__ import annotations

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
    """The chunks in order, pickled one after another to an anonymous temporary file (it has no name, so
    nothing is left behind even when the process is killed); a sequence of chunks (``len``, ``[i]``,
    iteration). Given to a worker process as its ``Process`` argument it pickles as a duplicate of the file
    descriptor (``multiprocessing.reduction.DupFd``) and the offsets; every process reads with ``os.pread``,
    which leaves the shared file offset alone."""

    def __init__(self, fd: int, offsets: array[int], file: IO[bytes] | None = None) -> None:
        self._fd, self._offsets = fd, offsets
        self._file = file  # the writer's file object (closing it frees the file); None in a worker

    @classmethod
    def write(cls, chunks: Iterable[Chunk], directory: str | None = None) -> ChunkFile:
        """The chunks written to a new temporary file (in ``directory``, else the system's)."""
        file = tempfile.TemporaryFile(prefix="jishi-rebuild-chunks-", dir=directory)  # noqa: SIM115 — closed by close()
        offsets = array("q", [0])
        try:
            for chunk in chunks:
                # (16 bytes, the positions' bytes) per aggregate: smaller and quicker than UUID objects
                file.write(pickle.dumps([(stream_id.bytes, ids.tobytes()) for stream_id, ids in chunk],
                                        protocol=pickle.HIGHEST_PROTOCOL))
                offsets.append(file.tell())
            file.flush()
        except BaseException:
            file.close()
            raise
        return cls(file.fileno(), offsets, file)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, index: int) -> Chunk:
        if not 0 <= index < len(self):
            raise IndexError(index)
        start, end = self._offsets[index], self._offsets[index + 1]
        data = os.pread(self._fd, end - start, start)
        return [(UUID(bytes=stream_id), array("q", ids)) for stream_id, ids in pickle.loads(data)]

    def __iter__(self) -> Iterator[Chunk]:
        for index in range(len(self)):
            yield self[index]

    def __reduce__(self) -> tuple[Any, ...]:
        from multiprocessing.reduction import DupFd

        return _opened, (DupFd(self._fd), self._offsets)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        elif self._fd >= 0:
            os.close(self._fd)
        self._fd = -1

    def __enter__(self) -> ChunkFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _opened(fd: Any, offsets: array[int]) -> ChunkFile:
    """A ``ChunkFile`` unpickled: the descriptor passed to this process."""
    return ChunkFile(fd.detach(), offsets)
