"""公民身份号码 is unique (R-ID, DOMAIN.md §6.4): a second cadre with a registered number is a conflict,
on registration and on a correction of the registration; a retracted registration frees its number;
two registrations racing with one number store exactly one. On both backends."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from domain.errors import ConflictError
from domain.id_claims import IdNumberClaim
from domain.ids import id_number_claim_id
from service.application import Jishi
from service.commands import CorrectEntry, RegisterCadre, RetractEntry
from service.unit_of_work import UnitOfWork
from tests import factories as f
from tests.conftest import AppFactory
from tests.integration.test_concurrency_and_idempotency import RacingJishi

NUMBER = f.cadre("C1")["id_number"]


def test_a_second_cadre_with_a_registered_id_number_is_a_conflict_and_nothing_is_stored(app: Jishi) -> None:
    f.registered(app, "C1")
    head = app.recorder.max_notification_id()
    with pytest.raises(ConflictError) as conflict:
        app.handle(RegisterCadre(f.cadre("C2", id_number=NUMBER)), f.HR)
    assert "id_number" in str(conflict.value)
    assert app.recorder.max_notification_id() == head


def test_the_claim_is_keyed_by_a_hash_and_never_holds_the_number(app: Jishi) -> None:
    cadre_id = f.registered(app, "C1")
    claim = UnitOfWork(app).find(IdNumberClaim, id_number_claim_id(NUMBER, app.claim_key))
    assert claim is not None and claim.holder == cadre_id
    assert app.claim_key and UnitOfWork(app).find(IdNumberClaim, id_number_claim_id(NUMBER)) is None  # keyed
    stored = [n for n in app.recorder.select_notifications(1, 100) if n.originator_id == claim.id]
    assert stored and all(NUMBER.encode() not in n.state for n in stored)


def test_a_correction_to_another_cadres_number_is_a_conflict(app: Jishi) -> None:
    f.registered(app, "C1")
    other = f.registered(app, "C2")
    registration = app.get_cadre(other).standing_entries()[0]
    with pytest.raises(ConflictError):
        app.handle(CorrectEntry(other, registration.entry_id, {"changes": {"id_number": NUMBER}, "reason": "录错"}),
                   f.HR)
    assert app.get_cadre(other).profile["id_number"] == f.cadre("C2")["id_number"]


def test_a_corrected_number_frees_the_old_one_and_holds_the_new(app: Jishi) -> None:
    cadre_id = f.registered(app, "C1")
    registration = app.get_cadre(cadre_id).standing_entries()[0]
    fixed = f.cadre("C9")["id_number"]
    correction = app.handle(CorrectEntry(cadre_id, registration.entry_id, {"changes": {"id_number": fixed},
                                                                           "reason": "身份号码录错"}), f.HR)
    f.registered(app, "C2", id_number=NUMBER)  # the old number is free
    with pytest.raises(ConflictError):
        app.handle(RegisterCadre(f.cadre("C3", id_number=fixed)), f.HR)
    with pytest.raises(ConflictError):  # undoing the correction would take back a number C2 now holds
        app.handle(RetractEntry(cadre_id, correction.entry_id, {"reason": "更正有误"}), f.HR)


def test_a_retracted_registration_frees_its_number_for_another_cadre(app: Jishi) -> None:
    cadre_id = f.registered(app, "C1")
    registration = app.get_cadre(cadre_id).standing_entries()[0]
    app.handle(RetractEntry(cadre_id, registration.entry_id, {"reason": "重复建档"}), f.HR)
    assert f.registered(app, "C2", id_number=NUMBER) != cadre_id


def test_two_registrations_racing_with_one_number_store_exactly_one(make_app: AppFactory) -> None:
    racer = make_app()
    racer.__class__ = RacingJishi
    racer.barrier = threading.Barrier(2)  # type: ignore[attr-defined]
    outcomes: dict[str, Any] = {}

    def register(cadre_no: str) -> None:
        try:
            outcomes[cadre_no] = racer.handle(RegisterCadre(f.cadre(cadre_no, id_number=NUMBER)), f.HR)
        except Exception as e:
            outcomes[cadre_no] = e

    threads = [threading.Thread(target=register, args=(no,)) for no in ("R1", "R2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(type(o).__name__ for o in outcomes.values()) == ["CommandResult", "ConcurrencyError"]
    winner = next(no for no, o in outcomes.items() if not isinstance(o, Exception))
    loser = "R2" if winner == "R1" else "R1"
    fresh = make_app()
    stored = [n for n in fresh.recorder.select_notifications(1, 100) if n.topic == "jishi.cadre.CadreRegistered"]
    assert len(stored) == 1 and stored[0].originator_id == outcomes[winner].stream_id
    with pytest.raises(ConflictError):  # the loser's retry is told why
        fresh.handle(RegisterCadre(f.cadre(loser, id_number=NUMBER)), f.HR)
