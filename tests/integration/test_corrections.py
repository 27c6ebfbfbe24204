"""Corrections and retractions: history is never edited; new entries point at what they fix."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.errors import NotFoundError, RuleViolationError, ValidationError
from service.commands import CorrectEntry, RecordEntry, RetractEntry
from tests import factories as f


def appointed(app: f.Jishi) -> tuple[f.UUID, f.CommandResult]:
    f.organisation(app)
    cadre_id = f.registered(app)
    return cadre_id, app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2020-01-01")), f.HR)


def test_a_correction_changes_the_fields_it_names_and_keeps_the_original(app: f.Jishi) -> None:
    cadre_id, first = appointed(app)
    app.handle(CorrectEntry(cadre_id, first.entry_id, {"changes": {"effective_on": "2020-02-01"},
                                                 "reason": "文件日期录错", "document_no": "组干〔2020〕7号"}), f.HR)
    record = app.get_cadre(cadre_id).entry(first.entry_id)
    assert record is not None
    assert record.values["effective_on"] == date(2020, 2, 1)
    assert record.original["effective_on"] == date(2020, 1, 1)
    assert record.values["manner"] == "平职交流"
    assert app.history(cadre_id).tenures[0].start == date(2020, 2, 1)
    assert app.get_post("U1", "P1").occupancy[cadre_id] == ((date(2020, 2, 1), None),)


def test_a_chain_of_corrections_applies_in_order_and_a_correction_of_a_correction_fixes_the_entry(
        app: f.Jishi) -> None:
    cadre_id, first = appointed(app)
    c1 = app.handle(CorrectEntry(cadre_id, first.entry_id, {"changes": {"effective_on": "2020-02-01"},
                                                            "reason": "一"}), f.HR)
    c2 = app.handle(CorrectEntry(cadre_id, c1.entry_id, {"changes": {"effective_on": "2020-03-01"}, "reason": "二"}),
                    f.HR)
    cadre = app.get_cadre(cadre_id)
    assert cadre.entries[first.entry_id].values["effective_on"] == date(2020, 3, 1)
    assert cadre.entries[first.entry_id].corrections == [c1.entry_id, c2.entry_id]
    app.handle(RetractEntry(cadre_id, c2.entry_id, {"reason": "第二次更正有误"}), f.HR)
    assert app.get_cadre(cadre_id).entries[first.entry_id].values["effective_on"] == date(2020, 2, 1)
    assert app.get_post("U1", "P1").occupancy[cadre_id] == ((date(2020, 2, 1), None),)


def test_a_correction_is_validated_like_the_entry_it_changes(app: f.Jishi) -> None:
    cadre_id, first = appointed(app)
    with pytest.raises(ValidationError) as e:
        app.handle(CorrectEntry(cadre_id, first.entry_id, {"changes": {"manner": "升官"}, "reason": "x"}), f.HR)
    assert e.value.errors[0].loc == "changes.manner"
    with pytest.raises(ValidationError) as e:
        app.handle(CorrectEntry(cadre_id, first.entry_id, {"changes": {"colour": "红"}, "reason": "x"}), f.HR)
    assert e.value.errors[0].loc == "changes.colour"
    with pytest.raises(RuleViolationError) as r:
        app.handle(CorrectEntry(cadre_id, first.entry_id, {"changes": {"effective_on": "2098-01-01"}, "reason": "x"}),
                   f.HR)
    assert "R-FUTURE" in r.value.rules


def test_a_correction_of_the_registration_rechecks_the_id_number(app: f.Jishi) -> None:
    cadre_id = f.registered(app)
    registration = next(iter(app.get_cadre(cadre_id).entries))
    with pytest.raises(RuleViolationError) as r:
        app.handle(CorrectEntry(cadre_id, registration, {"changes": {"birth_date": "1985-06-16"},
                                                   "reason": "出生日期"}), f.HR)
    assert "R-ID" in r.value.rules
    with pytest.raises(ValidationError):
        app.handle(CorrectEntry(cadre_id, registration, {"changes": {"cadre_no": "X"}, "reason": "x"}), f.HR)


def test_a_correction_that_moves_a_dismissal_before_its_appointment_is_refused(app: f.Jishi) -> None:
    cadre_id, _ = appointed(app)
    dismissed = app.handle(RecordEntry(cadre_id, "Dismissed", f.dismissal("2021-01-01")), f.HR)
    with pytest.raises(RuleViolationError) as r:
        app.handle(CorrectEntry(cadre_id, dismissed.entry_id, {"changes": {"effective_on": "2019-12-31"},
                                                               "reason": "x"}), f.HR)
    assert "R-SEQ" in r.value.rules


def test_retracting_an_appointment_that_a_dismissal_ends_is_refused_until_the_dismissal_goes(
        app: f.Jishi) -> None:
    cadre_id, first = appointed(app)
    dismissed = app.handle(RecordEntry(cadre_id, "Dismissed", f.dismissal("2021-01-01")), f.HR)
    with pytest.raises(RuleViolationError) as r:
        app.handle(RetractEntry(cadre_id, first.entry_id, {"reason": "误录"}), f.HR)
    assert "R-SEQ" in r.value.rules
    app.handle(RetractEntry(cadre_id, dismissed.entry_id, {"reason": "误录"}), f.HR)
    app.handle(RetractEntry(cadre_id, first.entry_id, {"reason": "误录"}), f.HR)
    assert app.history(cadre_id).tenures == []
    assert cadre_id not in app.get_post("U1", "P1").occupancy


def test_retracting_a_dismissal_that_would_overfill_the_post_is_refused(app: f.Jishi) -> None:
    f.organisation(app, establishment=1)
    a, b = f.registered(app, "C1"), f.registered(app, "C2")
    app.handle(RecordEntry(a, "Appointed", f.appointment("2020-01-01")), f.HR)
    dismissed = app.handle(RecordEntry(a, "Dismissed", f.dismissal("2021-01-01")), f.HR)
    app.handle(RecordEntry(b, "Appointed", f.appointment("2021-01-01")), f.HR)
    with pytest.raises(RuleViolationError) as r:
        app.handle(RetractEntry(a, dismissed.entry_id, {"reason": "误录"}), f.HR)
    assert "R-EST" in r.value.rules


def test_a_retracted_entry_cannot_be_corrected_or_retracted_again(app: f.Jishi) -> None:
    cadre_id = f.registered(app)
    hardship = app.handle(RecordEntry(cadre_id, "HardshipRecorded", {"effective_on": "2021-01-01",
                                                                     "description": "x"}), f.HR)
    retraction = app.handle(RetractEntry(cadre_id, hardship.entry_id, {"reason": "误录"}), f.HR)
    for target in (hardship.entry_id, retraction.entry_id):
        with pytest.raises(RuleViolationError):
            app.handle(RetractEntry(cadre_id, target, {"reason": "再撤"}), f.HR)
        with pytest.raises(RuleViolationError):
            app.handle(CorrectEntry(cadre_id, target, {"changes": {"description": "y"}, "reason": "z"}), f.HR)


def test_correcting_an_unknown_entry_is_not_found(app: f.Jishi) -> None:
    cadre_id = f.registered(app)
    with pytest.raises(NotFoundError):
        app.handle(CorrectEntry(cadre_id, f.UUID(int=7), {"changes": {"x": 1}, "reason": "z"}), f.HR)


def test_corrected_values_survive_a_restart(make_app: f.Callable[..., f.Jishi]) -> None:
    app = make_app()
    cadre_id = f.registered(app)
    training = app.handle(RecordEntry(cadre_id, "TrainingCompleted", {
        "effective_on": "2021-05-30", "kind": "任职培训", "course": "班", "provider": "党校",
        "started_on": "2021-05-10", "hours": "40", "passed": True}), f.HR)
    app.handle(CorrectEntry(cadre_id, training.entry_id, {"changes": {"hours": "48.5"}, "reason": "学时"}), f.HR)
    again = make_app().get_cadre(cadre_id).entry(training.entry_id)
    assert again is not None and again.values["hours"] == Decimal("48.5")
