"""A bulk rebuild over several processes: worker processes replay shares of the aggregates and
record what the writer would have done; the rebuilding process replays those records in the
original aggregate order into its one ``PageWriter``, inside its one transaction.

In a bulk rebuild every aggregate is applied alone, all its events in a row, and what reads across
records (R-RUSH, R-CALENDAR-CHANGED) is deferred to the end (``projections/deferred.py``): an
aggregate's rows depend only on its own stream and on the posts and units the store holds. So a
worker with its own connections to the event store (a new process, ``spawn``: nothing inherited
across a fork) and an applier of its own computes exactly the operations — row inserts, closes and
appends, deferred changes — the rebuilding process would have made, and the rebuilding process
replays them in the order the serial rebuild makes them. The rows, their ids and recorded ranges are
the serial rebuild's (tests compare the checksums).

The log is cut into chunks of consecutive aggregates. Whoever is free claims the next chunk (a
counter shared by the processes); the rebuilding process applies a chunk itself when it is its turn
and nobody has claimed it, and while it waits for a worker's chunk it records one ahead of its own.
A worker that fails sends its traceback; one that dies is noticed within a second: either way the
rebuild raises ``RebuildWorkerFailed`` and its transaction rolls back (the read models stay as they
were, as with any interrupted rebuild).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import traceback
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent
from sqlalchemy import Connection

from projections.bulk_gc import fewer_collections
from projections.deferred import DeferredChanges
from projections.findings import FindingsProjection
from projections.reading import stored_streams
from projections.rebuild_chunks import Chunk, ChunkFile
from projections.source import EventSource
from projections.writer import PageWriter

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess
    from multiprocessing.queues import Queue
    from multiprocessing.sharedctypes import Synchronized

    from projections.applier import EventApplier

__all__ = ["RebuildWorkerFailed", "WorkerPool", "apply_stream", "processes_for", "record", "replay"]

AHEAD = 2  # chunks the rebuilding process records ahead of its turn while it waits for a worker
# An operation: (INSERT, table, row) | (CLOSE, table, signature, ts) | (APPEND, table, row)
# | (DEFER, position, change) | (DEFER_CALENDAR, position, change) | (DONE, aggregate, events)
Op = tuple[Any, ...]
INSERT, CLOSE, APPEND, DEFER, DEFER_CALENDAR, DONE = range(6)


def processes_for(setting: int | None, cores: int | None) -> int:
    """The processes of a bulk rebuild: the setting (JISHI_REBUILD_PROCESSES), else one per core, two at
    most (the rebuilding process writes every row: a third one gains little)."""
    return setting if setting is not None else min(2, cores or 1)


class RebuildWorkerFailed(RuntimeError):
    """A worker process of a bulk rebuild failed or died; ``detail``: its traceback, if it sent one."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


@dataclass(frozen=True)
class Recipe:
    """What a worker needs to apply aggregates as the rebuilding process would (picklable)."""

    open_source: Callable[[], EventSource]  # the application over the same store, with its own connections
    # (picklable: the composition root's ``partial(build_application, settings)``)
    names: tuple[str, ...]
    horizon: date  # the findings' horizon, as the rebuilding process read it when the rebuild began
    signature_key: bytes
    selective: bool


def apply_stream(app: EventSource, applier: EventApplier, conn: Connection, writer: PageWriter,
                 originator_id: UUID, ids: array[int], positions: dict[str, int],
                 stored: Sequence[StoredEvent] | None = None) -> None:
    """Every event of one aggregate (its positions ``ids``, in log order; ``stored``: its events if
    read already, ``projections/reading.py``), then its caches dropped."""
    if stored is None:
        stored = app.recorder.select_events(originator_id, limit=len(ids))
    for position, stored_event in zip(ids, stored, strict=True):
        applier.apply(conn, writer, Notification(
            id=position, originator_id=stored_event.originator_id, originator_version=stored_event.originator_version,
            topic=stored_event.topic, state=stored_event.state), positions)
    applier.done_with(originator_id)


class RecordingWriter(PageWriter):
    """A writer that only records, in order, what it is asked to do."""

    def __init__(self, ops: list[Op]) -> None:
        super().__init__()
        self.ops = ops

    def insert(self, table: Any, row: dict[str, Any]) -> None:
        self.ops.append((INSERT, table, row))

    def close(self, table: Any, signature: str, ts: datetime) -> None:
        self.ops.append((CLOSE, table, signature, ts))

    def append(self, table: Any, row: dict[str, Any]) -> None:
        self.ops.append((APPEND, table, row))

    def flush(self, conn: Connection) -> None:
        raise RuntimeError("a recorded rebuild chunk never reads the read models (nothing is flushed)")


class RecordingDeferral:
    """Stands for a ``DeferredChanges``: records each change as an operation of ``kind``."""

    def __init__(self, ops: list[Op], kind: int) -> None:
        self.ops, self.kind = ops, kind

    def append(self, position: int, change: tuple[Any, ...]) -> None:
        self.ops.append((self.kind, position, change))


def record(app: EventSource, applier: EventApplier, chunk: Chunk, positions: dict[str, int],
           restore: tuple[DeferredChanges | None, DeferredChanges | None] = (None, None)) -> list[Op]:
    """The operations applying ``chunk`` makes, recorded (then the applier defers to ``restore``)."""
    ops: list[Op] = []
    writer = RecordingWriter(ops)
    applier.defer(cast(DeferredChanges, RecordingDeferral(ops, DEFER)),
                  cast(DeferredChanges, RecordingDeferral(ops, DEFER_CALENDAR)))
    try:
        for originator_id, ids, stored in stored_streams(app.recorder, chunk):
            apply_stream(app, applier, cast(Connection, None), writer, originator_id, ids, positions, stored)
            ops.append((DONE, originator_id, len(ids)))
    finally:
        applier.defer(*restore)
    return ops


def replay(ops: list[Op], writer: PageWriter, deferred: DeferredChanges, deferred_calendar: DeferredChanges
           ) -> Iterator[tuple[UUID, int]]:
    """Make the recorded operations; yields each aggregate (and its number of events) once its are made."""
    insert, close, append = writer.insert, writer.close, writer.append
    for op in ops:
        kind = op[0]
        if kind == INSERT:
            insert(op[1], op[2])
        elif kind == CLOSE:
            close(op[1], op[2], op[3])
        elif kind == APPEND:
            append(op[1], op[2])
        elif kind == DEFER:
            deferred.append(op[1], op[2])
        elif kind == DEFER_CALENDAR:
            deferred_calendar.append(op[1], op[2])
        else:
            yield op[1], op[2]


def work(recipe: Recipe, chunks: ChunkFile, counter: Synchronized[int], results: Queue[tuple[int, Any]]) -> None:
    """A worker process: claims chunks until none is left and sends each one's operations back
    (chunk -1: its traceback, then it exits with status 1)."""
    from projections.applier import EventApplier

    try:
        app = recipe.open_source()
        findings = FindingsProjection(app, lambda: recipe.horizon)
        findings.selective = recipe.selective
        findings.fresh = True  # the rebuilding process emptied the tables: every row is one the rebuild writes
        applier = EventApplier(app, recipe.names, findings, signature_key=recipe.signature_key)
        positions = dict.fromkeys(recipe.names, 0)
        with fewer_collections():
            while (claimed := claim(counter, len(chunks), _end_if_orphaned)) is not None:
                send(results, (claimed, record(app, applier, chunks[claimed], positions)))
        chunks.close()
        close = getattr(app, "close", None)
        if close is not None:
            close()
    except BaseException:
        results.put((-1, traceback.format_exc()))
        results.close()
        results.join_thread()
        os._exit(1)


def send(results: Queue[tuple[int, Any]], item: tuple[int, Any]) -> None:
    """Put a chunk's operations in the queue, waiting while it is full — unless the rebuilding process
    is gone (killed): then this worker ends too, instead of waiting for ever."""
    while True:
        try:
            results.put(item, timeout=1.0)
            return
        except queue.Full:
            _end_if_orphaned()


def _end_if_orphaned() -> None:
    parent = multiprocessing.parent_process()
    if parent is not None and not parent.is_alive():
        os._exit(2)


def claim(counter: Synchronized[int], count: int, alive: Callable[[], object] | None = None) -> int | None:
    """The next chunk nobody has claimed (None: all are). ``alive``: called while the counter's lock is
    held elsewhere for more than a second (a process killed while holding it: raises, never waits for ever)."""
    lock = counter.get_lock()
    while not lock.acquire(timeout=1.0):
        if alive is not None:
            alive()
    try:
        claimed = counter.value
        if claimed >= count:
            return None
        counter.value = claimed + 1
    finally:
        lock.release()
    return claimed


class WorkerPool:
    """``processes - 1`` worker processes over ``chunks``; the rebuilding process is the last one."""

    def __init__(self, recipe: Recipe, chunks: ChunkFile, processes: int,
                 target: Callable[..., None] | None = None) -> None:
        context = multiprocessing.get_context("spawn")
        self.chunks = chunks
        self.counter: Synchronized[int] = context.Value("q", 0)
        self.results: Queue[tuple[int, Any]] = context.Queue(maxsize=2 * processes)
        self.workers: list[BaseProcess] = [
            context.Process(target=target or work, args=(recipe, chunks, self.counter, self.results),
                            name=f"jishi-rebuild-{i}", daemon=True)
            for i in range(1, processes)]
        for worker in self.workers:
            worker.start()

    def claim(self) -> int | None:
        return claim(self.counter, len(self.chunks), self._dead)

    def _dead(self) -> None:
        """Raises if a worker died (the counter's lock may have died with it)."""
        for worker in self.workers:
            if worker.exitcode is not None and worker.exitcode != 0:
                raise RebuildWorkerFailed(f"重建工作进程意外退出 (a rebuild worker died): {worker.name}, "
                                          f"{_how(worker.exitcode)}")

    def unclaimed(self, chunk: int) -> bool:
        return self.counter.value <= chunk

    def receive(self, timeout: float) -> tuple[int, list[Op]] | None:
        """A worker's next chunk, or None after ``timeout`` seconds; raises if a worker failed or died."""
        try:
            chunk, ops = self.results.get(timeout=timeout)
        except queue.Empty:
            found = self._check()
            if found is None:
                return None
            chunk, ops = found
        if chunk < 0:
            text = str(ops)
            last = text.strip().splitlines()[-1] if text.strip() else "?"
            raise RebuildWorkerFailed(f"重建工作进程出错 (a rebuild worker failed): {last}", text)
        return chunk, ops

    def _check(self) -> tuple[int, Any] | None:
        """Raises if a worker died; else what a worker that has ended sent last, if anything."""
        self._dead()
        if all(worker.exitcode == 0 for worker in self.workers):
            try:  # every worker ended: what they sent is in the queue, or never will be
                return self.results.get(timeout=1.0)
            except queue.Empty:
                raise RebuildWorkerFailed(
                    "重建工作进程提前结束 (the rebuild workers ended without sending every chunk)") from None
        return None

    def close(self) -> None:
        """Stop the workers (at once if they are still running: the rebuild is over or has failed)."""
        for worker in self.workers:
            if worker.is_alive():
                worker.terminate()
        for worker in self.workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.kill()
                worker.join()
        self.results.cancel_join_thread()
        self.results.close()


def _how(code: int) -> str:
    return f"signal {-code}" if code < 0 else f"status {code}"
