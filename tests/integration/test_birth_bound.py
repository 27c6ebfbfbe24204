"""No date of a cadre's record may precede the cadre's birth (R-SEQ, issue 16): a talk, a training, an
appointment … before one was born is meaningless, and so is starting work or joining the party."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.errors import RuleViolationError
from service.commands import CorrectEntry, RecordEntry, RegisterCadre
from tests import factories as f

BORN = date(1985, 6, 15)


def talk(day: str) -> dict[str, Any]:
    return {"effective_on": day, "kind": "谈心谈话", "interviewer": "组织部长", "summary": "谈话内容"}


def test_a_talk_on_the_day_of_birth_is_recorded_and_one_the_day_before_is_refused_naming_effective_on(
        app: f.Jishi) -> None:
    cadre_id = f.registered(app, birth=BORN)
    app.handle(RecordEntry(cadre_id, "ConversationHeld", talk("1985-06-15")), f.HR)
    head = app.recorder.max_notification_id()
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "ConversationHeld", talk("1985-06-14")), f.HR)
    assert e.value.rules == ["R-SEQ"]
    assert [v.field for v in e.value.violations] == ["effective_on"]
    assert "出生日期" in e.value.violations[0].message and "birth date" in e.value.violations[0].message
    assert app.recorder.max_notification_id() == head  # nothing half-written


def test_an_entry_before_birth_is_refused_even_with_an_override(app: f.Jishi) -> None:
    cadre_id = f.registered(app, birth=BORN)
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "ConversationHeld", talk("1970-01-01") | {"override_reason": "补录"}),
                   f.HR_OVERRIDE)
    assert e.value.rules == ["R-SEQ"]


@pytest.mark.parametrize("field", ["work_started_on", "party_joined_on"])
def test_a_registration_that_starts_work_or_joins_the_party_before_birth_is_refused(app: f.Jishi,
                                                                                      field: str) -> None:
    with pytest.raises(RuleViolationError) as e:
        app.handle(RegisterCadre(f.cadre("C1", birth=BORN) | {field: "1985-06-14", "effective_on": "2008-07-01"}), f.HR)
    assert e.value.rules == ["R-SEQ"] and [v.field for v in e.value.violations] == [field]
    app.handle(RegisterCadre(f.cadre("C1", birth=BORN) | {field: "1985-06-15", "effective_on": "2008-07-01"}), f.HR)


def test_correcting_the_birth_date_to_after_an_entry_is_refused(app: f.Jishi) -> None:
    cadre_id = f.registered(app, birth=BORN)
    app.handle(RecordEntry(cadre_id, "ConversationHeld", talk("2021-07-10")), f.HR)
    registration = next(iter(app.get_cadre(cadre_id).entries))
    with pytest.raises(RuleViolationError) as e:
        app.handle(CorrectEntry(cadre_id, registration, {"changes": {"birth_date": "2021-07-11"},
                                                         "reason": "出生日期"}), f.HR)
    assert "R-SEQ" in e.value.rules
