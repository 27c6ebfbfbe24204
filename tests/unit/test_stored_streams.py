"""The bulk rebuild lists the log's positions by aggregate from the ids alone and reads several
aggregates a query on SQLite (projections/reading.py): the listing must be what walking
``select_notifications`` gives, and each aggregate must get exactly the events
``recorder.select_events(id, limit=len(ids))`` gives, in the streams' order, whatever the batches'
sizes — other recorders are read as before."""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any, TypeVar
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.popo import POPOAggregateRecorder, POPOApplicationRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder, SQLiteApplicationRecorder, SQLiteDatastore
from hypothesis import given, settings
from hypothesis import strategies as st

from projections import reading
from projections.reading import stored_streams, streams_in

R = TypeVar("R", SQLiteAggregateRecorder, SQLiteApplicationRecorder)


def _sqlite(tmp_path_factory: pytest.TempPathFactory, kind: type[R]) -> Iterator[R]:
    """A recorder of ``kind`` on a new SQLite file, closed after the module."""
    datastore = SQLiteDatastore(str(tmp_path_factory.mktemp("reading") / "events.sqlite"))
    made = kind(datastore)
    made.create_table()
    yield made
    datastore.close()


@pytest.fixture(scope="module")
def recorder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteAggregateRecorder]:
    yield from _sqlite(tmp_path_factory, SQLiteAggregateRecorder)


def _store(recorder: Any, versions: list[int]) -> list[tuple[UUID, array[int]]]:
    """Aggregates of ``versions`` events each (new ids), as a rebuild lists them: ids and positions."""
    streams: list[tuple[UUID, array[int]]] = []
    events: list[StoredEvent] = []
    for count in versions:
        originator_id = uuid4()
        events += [StoredEvent(originator_id, v, f"jishi.topic.{v}", f"state {originator_id} {v}".encode())
                   for v in range(1, count + 1)]
        streams.append((originator_id, array("q", range(count))))
    recorder.insert_events(events)
    return streams


@settings(max_examples=30, deadline=None)
@given(versions=st.lists(st.integers(1, 9), min_size=1, max_size=60), batch_streams=st.integers(1, 7),
       batch_events=st.integers(1, 20), read=st.data())
def test_each_aggregate_gets_the_events_select_events_gives_in_the_streams_order_whatever_the_batches(
        recorder: SQLiteAggregateRecorder, versions: list[int], batch_streams: int, batch_events: int,
        read: st.DataObject) -> None:
    stored = _store(recorder, versions)
    # a rebuild's target may stop before an aggregate's last events: it asks for the first few only
    streams = [(oid, ids[:read.draw(st.integers(1, len(ids)))]) for oid, ids in stored]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reading, "BATCH_STREAMS", batch_streams)
        patch.setattr(reading, "BATCH_EVENTS", batch_events)
        got = list(stored_streams(recorder, streams))
    assert [(oid, ids) for oid, ids, _ in got] == streams
    assert [events for _, _, events in got] == [recorder.select_events(oid, limit=len(ids)) for oid, ids in streams]
    assert sum(len(events) for _, _, events in got) == sum(len(ids) for _, ids in streams)


def test_a_recorder_that_is_not_sqlites_is_read_one_aggregate_at_a_time_with_the_same_events() -> None:
    recorder = POPOAggregateRecorder()
    streams = _store(recorder, [3, 1, 2])
    got = list(stored_streams(recorder, streams))
    assert [events for _, _, events in got] == [recorder.select_events(oid, limit=len(ids)) for oid, ids in streams]
    assert [len(events) for _, _, events in got] == [3, 1, 2]


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteApplicationRecorder]:
    yield from _sqlite(tmp_path_factory, SQLiteApplicationRecorder)


def _walked(recorder: Any, target: int) -> dict[UUID, list[int]]:
    """The listing as the rebuild made it before: every notification, a page at a time."""
    streams: dict[UUID, list[int]] = {}
    start = 1
    while page := recorder.select_notifications(start, limit=7, stop=target):
        for note in page:
            streams.setdefault(note.originator_id, []).append(note.id)
        start = page[-1].id + 1
    return streams


@settings(max_examples=30, deadline=None)
@given(writes=st.lists(st.integers(0, 5), min_size=1, max_size=40), page=st.integers(1, 9), cut=st.integers(0, 45))
def test_the_positions_listed_by_aggregate_are_those_the_notifications_give_up_to_the_target(
        log: SQLiteApplicationRecorder, writes: list[int], page: int, cut: int) -> None:
    # events of six aggregates interleaved, each write the next version of one of them
    aggregates, versions = [uuid4() for _ in range(6)], [0] * 6
    for which in writes:
        versions[which] += 1
        log.insert_events([StoredEvent(aggregates[which], versions[which], "jishi.t", b"s")])
    target = (log.max_notification_id() or 0) - cut
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reading, "PAGE", page)
        listed = streams_in(log, target)
    assert {oid: list(ids) for oid, ids in listed.items()} == _walked(log, target)
    assert list(listed) == list(_walked(log, target))  # aggregates in order of first event
    assert all(isinstance(oid, UUID) for oid in listed)


def test_the_positions_of_a_recorder_that_is_not_sqlites_are_listed_from_its_notifications() -> None:
    recorder = POPOApplicationRecorder()
    first, second = uuid4(), uuid4()
    recorder.insert_events([StoredEvent(first, 1, "t", b""), StoredEvent(second, 1, "t", b""),
                            StoredEvent(first, 2, "t", b"")])
    assert {oid: list(ids) for oid, ids in streams_in(recorder, 3).items()} == {first: [1, 3], second: [2]}
    assert {oid: list(ids) for oid, ids in streams_in(recorder, 2).items()} == {first: [1], second: [2]}
