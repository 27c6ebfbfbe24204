"""Optimistic concurrency, idempotent commands and schema evolution on both backends."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from domain.errors import ConcurrencyError, IdempotencyConflictError
from service.application import Jishi
from service.commands import RecordEntry, RegisterUnit
from tests import factories as f
from tests.conftest import AppFactory


class RacingJishi(Jishi):
    """Holds every save at a barrier, so two commands decide on the same state."""

    barrier: threading.Barrier | None = None

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        if self.barrier is not None:
            self.barrier.wait(timeout=10)
        return super().save(*objs, **kwargs)


def test_two_threads_racing_for_the_last_seat_one_wins_and_the_other_conflicts(
        make_app: AppFactory) -> None:
    setup = make_app()
    f.organisation(setup, establishment=1)
    rivals = [f.registered(setup, "C1"), f.registered(setup, "C2")]
    racer = make_app()
    racer.__class__ = RacingJishi
    racer.barrier = threading.Barrier(2)  # type: ignore[attr-defined]
    outcomes: dict[str, Any] = {}

    def appoint(cadre_id: f.UUID) -> None:
        try:
            outcomes[str(cadre_id)] = racer.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2020-01-01")),
                                                   f.HR)
        except Exception as e:
            outcomes[str(cadre_id)] = e

    threads = [threading.Thread(target=appoint, args=(c,)) for c in rivals]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    kinds = sorted(type(o).__name__ for o in outcomes.values())
    assert kinds == ["CommandResult", "ConcurrencyError"]
    post = make_app().get_post("U1", "P1")
    assert len(post.occupancy) == 1
    winner = next(c for c, o in outcomes.items() if not isinstance(o, Exception))
    assert str(next(iter(post.occupancy))) == winner


def test_a_stale_expected_version_is_refused(app: Jishi) -> None:
    cadre_id = f.registered(app)
    payload = {"effective_on": "2021-01-01", "description": "家人重病"}
    app.handle(RecordEntry(cadre_id, "HardshipRecorded", payload, expected_version=1), f.HR)
    with pytest.raises(ConcurrencyError):
        app.handle(RecordEntry(cadre_id, "HardshipRecorded", payload, expected_version=1), f.HR)


def test_the_same_idempotency_key_twice_returns_the_first_result_and_stores_nothing(app: Jishi) -> None:
    cadre_id = f.registered(app)
    payload = {"effective_on": "2021-01-01", "description": "家人重病"}
    first = app.handle(RecordEntry(cadre_id, "HardshipRecorded", payload, idempotency_key="k-1"), f.HR)
    head = app.recorder.max_notification_id()
    again = app.handle(RecordEntry(cadre_id, "HardshipRecorded", payload, idempotency_key="k-1"), f.HR)
    assert again == first
    assert app.recorder.max_notification_id() == head
    assert app.get_cadre(cadre_id).version == 2


def test_the_same_idempotency_key_with_another_body_is_a_conflict(app: Jishi) -> None:
    cadre_id = f.registered(app)
    app.handle(RecordEntry(cadre_id, "HardshipRecorded", {"effective_on": "2021-01-01", "description": "a"},
                           idempotency_key="k-2"), f.HR)
    with pytest.raises(IdempotencyConflictError):
        app.handle(RecordEntry(cadre_id, "HardshipRecorded", {"effective_on": "2021-01-01", "description": "b"},
                               idempotency_key="k-2"), f.HR)


def test_an_idempotency_key_survives_a_restart(make_app: AppFactory) -> None:
    payload = f.unit("U7")
    first = make_app().handle(RegisterUnit(payload, idempotency_key="unit-7"), f.HR)
    assert make_app().handle(RegisterUnit(payload, idempotency_key="unit-7"), f.HR) == first


def test_a_stored_version_1_training_event_is_read_through_its_upcaster(app: Jishi) -> None:
    cadre_id = f.registered(app)
    v1_state = {  # as version 1 stored it: whole-number hours, no 补训 flag, no class_version
        "timestamp": f.datetime_now(), "effective_on": f.date(2015, 6, 1), "actor": "legacy",
        "actor_role": "hr", "request_id": "import", "document_no": None, "reason": None,
        "overrides": (), "override_reason": None, "kind": "初任培训", "course": "新录用公务员初任培训",
        "provider": "市委党校", "started_on": f.date(2015, 5, 1), "hours": 96, "passed": True,
    }
    stored = StoredEvent(originator_id=cadre_id, originator_version=2,
                         topic="jishi.cadre.TrainingCompleted",
                         state=f.stored_state(app, v1_state))
    app.recorder.insert_events([stored])
    record = app.get_cadre(cadre_id).entries[f.entry_id_of(cadre_id, 2)]
    assert record.values["hours"] == Decimal(96)
    assert record.values["makeup"] is False
