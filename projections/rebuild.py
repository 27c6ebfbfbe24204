"""The bulk rebuild: every projection of a runner emptied and the whole log applied again in one
transaction, one aggregate at a time — all of a cadre's events in a row, so its state, span rows and
findings stay in the caches instead of being replayed from the store for each event (at L, with 100k
cadres interleaved over ten years, nearly every event would miss them). R-RUSH and R-CALENDAR-CHANGED,
which read across records, run at the end over their deferred changes in log order. The rows are the
ones an event-by-event catch-up writes — the same recorded times from the same events (tests compare
the checksums)."""

from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import TYPE_CHECKING, cast
from uuid import UUID

from eventsourcing.persistence import Notification
from sqlalchemy import update

from projections.deferred import DeferredChanges
from projections.maintenance import drop_secondary_indexes
from projections.models import JudgedPublicityRow, Position
from projections.writer import PageWriter

if TYPE_CHECKING:
    from projections.runner import ProjectionRunner

BULK_FLUSH = 2_000  # events between a bulk rebuild's flushes (all inside its one transaction)


def streams_of(runner: ProjectionRunner, target: int) -> dict[UUID, array[int]]:
    """Every aggregate's positions in the log up to ``target``, aggregates in order of first event."""
    streams: dict[UUID, array[int]] = {}
    start = 1
    while page := runner.app.recorder.select_notifications(start, limit=5_000, stop=target):
        for note in page:
            originator = cast(UUID, note.originator_id)  # the recorders decode it to a UUID
            ids = streams.get(originator)
            if ids is None:
                ids = streams[originator] = array("q")
            ids.append(note.id)
        start = page[-1].id + 1
    return streams


def rebuild_in_bulk(runner: ProjectionRunner, target: int, progress: Callable[[int, int], None] | None) -> int:
    streams = streams_of(runner, target)
    applier = runner.applier
    with runner.engine.begin() as conn, DeferredChanges() as deferred, DeferredChanges() as deferred_calendar:
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
            positions, writer, done, flushed = dict.fromkeys(runner.names, 0), PageWriter(), 0, 0
            for originator_id, ids in streams.items():
                stored = runner.app.recorder.select_events(originator_id, limit=len(ids))
                for position, record in zip(ids, stored, strict=True):  # versions in log order
                    applier.apply(conn, writer, Notification(
                        id=position, originator_id=record.originator_id, originator_version=record.originator_version,
                        topic=record.topic, state=record.state), positions)
                done += len(ids)
                applier.done_with(originator_id)
                if done - flushed >= BULK_FLUSH:  # between aggregates: every close edits a pending row
                    writer.flush(conn)
                    if progress is not None:
                        progress(done - flushed, done)
                    flushed = done
        finally:
            applier.defer(None, None)
        applier.apply_deferred(conn, writer, deferred, deferred_calendar)
        for index in dropped:
            index.create(conn)
        applier.findings.unit_spans.forget()  # from here on units are read when needed
        applier.findings.fresh = False
        conn.execute(update(Position).where(Position.name.in_(runner.names)).values(position=target))
    if progress is not None:
        progress(done - flushed, target)
    return target
