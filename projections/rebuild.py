"""The bulk rebuild: every projection of a runner emptied and the whole log applied again in one
transaction, one aggregate at a time — all of a cadre's events in a row, so its state, span rows and
findings stay in the caches instead of being replayed from the store for each event (at L, with 100k
cadres interleaved over ten years, nearly every event would miss them). R-RUSH and R-CALENDAR-CHANGED,
which read across records, run at the end over their deferred changes in log order. The rows are the
ones an event-by-event catch-up writes — the same recorded times from the same events (tests compare
the checksums). With more than one process (``JISHI_REBUILD_PROCESSES``) worker processes apply shares of
the aggregates and this process writes what they recorded, in the same order
(``projections/rebuild_workers.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Connection, update

from projections.bulk_gc import fewer_collections
from projections.deferred import DeferredChanges
from projections.maintenance import drop_secondary_indexes
from projections.models import JudgedPublicityRow, Position
from projections.reading import stored_streams, streams_in
from projections.rebuild_chunks import ChunkFile, chunks_of
from projections.rebuild_workers import AHEAD, Op, Recipe, WorkerPool, apply_stream, record, replay, work
from projections.writer import PageWriter

if TYPE_CHECKING:
    from projections.runner import ProjectionRunner

BULK_FLUSH = 2_000  # events between a bulk rebuild's flushes (all inside its one transaction)
# a log shorter than this is rebuilt by one process: starting a worker (a new interpreter) costs more
PARALLEL_FROM = 20_000
WORKER = work  # what a worker process runs (tests put one that fails in its place)


def chunked(runner: ProjectionRunner, target: int) -> ChunkFile:
    """The log's aggregates up to ``target``, in chunks, on disk: the positions grouped by aggregate are
    the one thing here that grows with the log, and are held only while they are written out."""
    streams = streams_in(runner.app.recorder, target)  # each aggregate's positions, in order of first event
    try:
        return ChunkFile.write(chunks_of(streams))
    finally:
        streams.clear()


def rebuild_in_bulk(runner: ProjectionRunner, target: int, progress: Callable[[int, int], None] | None) -> int:
    applier = runner.applier
    with fewer_collections(), chunked(runner, target) as chunks, runner.engine.begin() as conn, \
            DeferredChanges() as deferred, DeferredChanges() as deferred_calendar:
        runner.locked_positions(conn)
        runner.empty(conn, runner.names)
        runner.cache.clear()
        runner.forget()
        applier.findings.unit_spans.start_empty()
        applier.calendar.start_empty()
        applier.defer(deferred, deferred_calendar)
        applier.findings.fresh = True  # nothing is stored yet that this rebuild did not write itself
        try:
            # SQLite: insert without the secondary indexes, build them at the end (JudgedPublicityRow is
            # read by span while the deferred changes are applied)
            dropped = drop_secondary_indexes(conn, runner.names, keep=(JudgedPublicityRow,)) \
                if conn.dialect.name == "sqlite" else []
            pages = Pages(conn, PageWriter(), progress)
            positions = dict.fromkeys(runner.names, 0)
            processes = runner.rebuild_processes() if len(chunks) > 1 and target >= PARALLEL_FROM else 1
            open_source = runner.reopen if processes > 1 else None
            if open_source is None:
                for chunk in chunks:
                    for originator_id, ids, stored in stored_streams(runner.app.recorder, chunk):
                        apply_stream(runner.app, applier, conn, pages.writer, originator_id, ids, positions, stored)
                        pages.done(len(ids))
            else:
                recipe = Recipe(open_source, runner.names, applier.findings.horizon(), applier.signature_key,
                                applier.findings.selective)
                in_processes(runner, recipe, chunks, processes, pages, positions, (deferred, deferred_calendar))
        finally:
            applier.defer(None, None)
        applier.apply_deferred(conn, pages.writer, deferred, deferred_calendar)
        for index in dropped:
            index.create(conn)
        applier.findings.unit_spans.forget()  # from here on units are read when needed
        applier.findings.fresh = False
        conn.execute(update(Position).where(Position.name.in_(runner.names)).values(position=target))
    if progress is not None:
        progress(pages.done_events - pages.flushed, target)
    return target


class Pages:
    """The rebuild's writer, flushed every ``BULK_FLUSH`` events, between aggregates (every close
    edits a pending row)."""

    def __init__(self, conn: Connection, writer: PageWriter, progress: Callable[[int, int], None] | None) -> None:
        self.conn, self.writer, self.progress = conn, writer, progress
        self.done_events, self.flushed = 0, 0

    def done(self, events: int) -> None:
        """An aggregate's ``events`` are applied."""
        self.done_events += events
        if self.done_events - self.flushed >= BULK_FLUSH:
            self.writer.flush(self.conn)
            if self.progress is not None:
                self.progress(self.done_events - self.flushed, self.done_events)
            self.flushed = self.done_events


def in_processes(runner: ProjectionRunner, recipe: Recipe, chunks: ChunkFile, processes: int,
                 pages: Pages, positions: dict[str, int],
                 deferral: tuple[DeferredChanges, DeferredChanges]) -> None:
    """The aggregates applied by this process and ``processes - 1`` workers, written in the serial
    rebuild's order (``projections/rebuild_workers.py``)."""
    pool = WorkerPool(recipe, chunks, processes, WORKER)
    app, applier = runner.app, runner.applier
    ready: dict[int, list[Op]] = {}  # chunks recorded (by a worker, or ahead by this process), not yet written
    ahead: set[int] = set()  # of those, the ones recorded here
    try:
        for turn in range(len(chunks)):
            while turn not in ready:
                if pool.unclaimed(turn) and (claimed := pool.claim()) is not None:
                    if claimed == turn:  # this process's: applied straight into the writer
                        for originator_id, ids, stored in stored_streams(app.recorder, chunks[turn]):
                            apply_stream(app, applier, pages.conn, pages.writer, originator_id, ids, positions,
                                         stored)
                            pages.done(len(ids))
                        break
                    # a worker took the turn's chunk meanwhile: one ahead instead
                    ready[claimed] = record(app, applier, chunks[claimed], positions, deferral)
                    ahead.add(claimed)
                    continue
                # the turn's chunk is a worker's: while it is not there, record one ahead (a few at most)
                may_record = len(ahead) < AHEAD and pool.unclaimed(len(chunks) - 1)
                received = pool.receive(0 if may_record else 1.0)
                if received is not None:
                    ready[received[0]] = received[1]
                elif may_record and (claimed := pool.claim()) is not None:
                    ready[claimed] = record(app, applier, chunks[claimed], positions, deferral)
                    ahead.add(claimed)
            else:
                ahead.discard(turn)
                for _, events in replay(ready.pop(turn), pages.writer, *deferral):
                    pages.done(events)
    finally:
        pool.close()
