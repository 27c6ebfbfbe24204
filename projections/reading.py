"""The bulk rebuild's reading of the event store: each aggregate's stored events, several aggregates a
query on SQLite.

``recorder.select_events`` reads one aggregate per query, each in a transaction of its own (a pooled
connection, ``BEGIN``, the query, ``COMMIT``): at S a third of the aggregates have one event, so that
overhead was most of the reading. Here the aggregates of a batch are read by one
``WHERE originator_id IN (…)`` in one read transaction, walking the primary key in (aggregate, version)
order; each aggregate gets its first ``len(ids)`` events, as ``select_events(…, limit=len(ids))`` gives
them. Other recorders (PostgreSQL) are read one aggregate at a time, as before.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from typing import Any
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder, StoredEvent
from eventsourcing.sqlite import SQLiteAggregateRecorder

Stream = tuple[UUID, "array[int]"]  # an aggregate and its positions in the log
BATCH_STREAMS = 400  # aggregates a query (under SQLite's 999 variables of old builds)
BATCH_EVENTS = 2_000  # … or about this many events


def stored_streams(recorder: AggregateRecorder, streams: Iterable[Stream]
                   ) -> Iterator[tuple[UUID, array[int], list[StoredEvent]]]:
    """Each aggregate of ``streams`` (in their order) with its first ``len(ids)`` stored events."""
    if not isinstance(recorder, SQLiteAggregateRecorder):
        for originator_id, ids in streams:
            yield originator_id, ids, list(recorder.select_events(originator_id, limit=len(ids)))
        return
    batch: list[Stream] = []
    events = 0
    for stream in streams:
        batch.append(stream)
        events += len(stream[1])
        if len(batch) >= BATCH_STREAMS or events >= BATCH_EVENTS:
            yield from _read(recorder, batch)
            batch, events = [], 0
    if batch:
        yield from _read(recorder, batch)


def _read(recorder: SQLiteAggregateRecorder, batch: list[Stream]) -> Iterator[tuple[UUID, array[int],
                                                                                     list[StoredEvent]]]:
    keys = [_key(originator_id) for originator_id, _ in batch]
    statement = (f"SELECT originator_id, originator_version, topic, state FROM {recorder.events_table_name} "
                 f"WHERE originator_id IN ({','.join('?' * len(keys))}) ORDER BY originator_id, originator_version")
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(statement, keys)
        rows = cursor.fetchall()
    by_stream: dict[Any, list[Any]] = {}
    for row in rows:
        found = by_stream.get(row[0])
        if found is None:
            found = by_stream[row[0]] = []
        found.append(row)
    for (originator_id, ids), key in zip(batch, keys, strict=True):
        yield originator_id, ids, [
            StoredEvent(originator_id=originator_id, originator_version=row[1], topic=row[2], state=row[3])
            for row in by_stream.get(key, ())[:len(ids)]]


def _key(originator_id: Any) -> Any:
    """An aggregate's id as the SQLite recorder stores it."""
    return originator_id.hex if isinstance(originator_id, UUID) else originator_id
