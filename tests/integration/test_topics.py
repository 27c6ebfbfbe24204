"""projections/topics.py: the last record in a range whose topic is not of some prefixes — on SQLite and
PostgreSQL in one query, elsewhere (and here through a recorder of neither kind) by reading the records."""

from __future__ import annotations

from typing import Any

import pytest

from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from projections.topics import last_other
from service.users import read_record
from tests import factories as f

NOT_CONTENT = ("jishi.audit.", "jishi.system.")


class ReadingRecorder:
    """The recorder's ``select_notifications`` alone: ``last_other`` must read and compare the records itself."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder

    def select_notifications(self, *args: Any, **kwargs: Any) -> Any:
        return self.recorder.select_notifications(*args, **kwargs)


def test_the_last_record_of_another_topic_is_found_in_a_range_and_none_where_there_are_only_reads(
        runtime: Runtime) -> None:
    recorder = runtime.app.recorder
    cadre = f.registered(runtime.app, "P1")
    registered = recorder.max_notification_id()  # the cadre's record, then its ID number's claim (jishi.system.)
    cadre_at = max(n.id for n in recorder.select_notifications(1, 100) if n.topic.startswith("jishi.cadre."))
    assert cadre_at < registered
    by = Provenance("auditor-user", "auditor", "req-1")
    runtime.app.save(*(read_record(cadre, by) for _ in range(3)))
    head = recorder.max_notification_id()
    assert head == registered + 3
    for looked_at in (recorder, ReadingRecorder(recorder)):
        def found(after: int, until: int, source: Any = looked_at) -> int:
            return last_other(source, after, until, NOT_CONTENT)

        assert found(0, head) == cadre_at  # the claim and the reads after the cadre's record are not content
        assert found(cadre_at, head) == -1  # a claim and reads alone
        assert found(cadre_at - 1, cadre_at) == cadre_at  # the range's ends are (after, until]
        assert found(0, cadre_at - 1) == -1
        assert found(head, head) == -1 and found(head, 0) == -1  # an empty range
        assert last_other(looked_at, registered, head, ("jishi.audit.GrowthFileRead",)) == -1
        assert last_other(looked_at, registered, head, ("jishi.cadre.",)) == head  # a read is not a cadre's
        assert last_other(looked_at, 0, head, ("jishi%", "jishi_")) == head  # compared literally: no wildcards
        assert last_other(looked_at, 0, head, ()) == head  # no prefix: every record counts


def test_on_sqlite_and_postgresql_the_topics_are_compared_in_the_database_without_reading_a_record(
        runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = runtime.app.recorder
    cadre = f.registered(runtime.app, "P1")
    cadre_at = max(n.id for n in recorder.select_notifications(1, 100) if n.topic.startswith("jishi.cadre."))
    runtime.app.save(read_record(cadre, Provenance("auditor-user", "auditor", "req-2")))
    head = recorder.max_notification_id()

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("last_other read the records instead of asking the database")

    monkeypatch.setattr(recorder, "select_notifications", refuse)
    assert last_other(recorder, 0, head, NOT_CONTENT) == cadre_at
    assert last_other(recorder, cadre_at, head, NOT_CONTENT) == -1
