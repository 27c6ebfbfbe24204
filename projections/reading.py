"""The bulk rebuild's reading of the event store: which positions each aggregate holds, and each
aggregate's stored events, several aggregates a query on SQLite.

``streams_in`` lists the log's positions by aggregate from the ids alone (SQLite: ``rowid`` and
``originator_id``, each id turned into a UUID once), where ``select_notifications`` would read and wrap
every event's state as well.

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
from typing import Any, cast
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder, ApplicationRecorder, StoredEvent
from eventsourcing.sqlite import SQLiteAggregateRecorder, SQLiteApplicationRecorder

Stream = tuple[UUID, "array[int]"]  # an aggregate and its positions in the log
BATCH_STREAMS = 400  # aggregates a query (under SQLite's 999 variables of old builds)
BATCH_EVENTS = 2_000  # … or about this many events
PAGE = 5_000  # log positions a query when listing the streams


def streams_in(recorder: ApplicationRecorder, target: int) -> dict[UUID, array[int]]:
    """Every aggregate's positions in the log up to ``target``, aggregates in order of first event."""
    streams: dict[UUID, array[int]] = {}
    if not isinstance(recorder, SQLiteApplicationRecorder):
        start = 1
        while page := recorder.select_notifications(start, limit=PAGE, stop=target):
            for note in page:
                originator = cast(UUID, note.originator_id)  # the recorders decode it to a UUID
                ids = streams.get(originator)
                if ids is None:
                    ids = streams[originator] = array("q")
                ids.append(note.id)
            start = page[-1].id + 1
        return streams
    by_key: dict[Any, array[int]] = {}  # the stored id -> its stream's positions (the same arrays)
    statement = (f"SELECT rowid, originator_id FROM {recorder.events_table_name} WHERE rowid>=? AND rowid<=? "
                 "ORDER BY rowid LIMIT ?")
    start = 1
    while True:
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, [start, target, PAGE])
            rows = cursor.fetchall()
        if not rows:
            return streams
        for position, key in rows:
            ids = by_key.get(key)
            if ids is None:
                ids = by_key[key] = streams[cast(UUID, recorder.convert_originator_id(key))] = array("q")
            ids.append(position)
        start = rows[-1][0] + 1


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
