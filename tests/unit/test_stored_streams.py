"""The bulk rebuild reads several aggregates a query on SQLite (projections/reading.py): each aggregate
must get exactly the events ``recorder.select_events(id, limit=len(ids))`` gives, in the streams'
order, whatever the batches' sizes — and other recorders are read one aggregate at a time."""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.popo import POPOAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder, SQLiteDatastore
from hypothesis import given, settings
from hypothesis import strategies as st

from projections import reading
from projections.reading import stored_streams


@pytest.fixture(scope="module")
def recorder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteAggregateRecorder]:
    datastore = SQLiteDatastore(str(tmp_path_factory.mktemp("reading") / "events.sqlite"))
    made = SQLiteAggregateRecorder(datastore)
    made.create_table()
    yield made
    datastore.close()


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
