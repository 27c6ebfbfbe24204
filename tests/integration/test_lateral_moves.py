"""R-LATERAL through the application, on SQLite and PostgreSQL: a lateral move keeps the level,
a move one level up is refused unless overridden, and corrections are judged by what they change."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import PermissionDeniedError, RuleViolationError
from service.commands import CorrectEntry, EstablishPost, RecordEntry
from tests import factories as f


def county(app: f.Jishi) -> f.UUID:
    """U1 with P1 副部长 (142), P2 部长 (141), P3 副部长 (142); a cadre holding P1 since 2020."""
    f.organisation(app)
    app.handle(EstablishPost("U1", f.post("P2", title="部长", grade="141")), f.HR)
    app.handle(EstablishPost("U1", f.post("P3", title="副部长", grade="142")), f.HR)
    cadre_id = f.registered(app)
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2020-01-01")), f.HR)
    return cadre_id


def test_a_transfer_to_a_post_of_the_same_level_is_recorded(app: f.Jishi) -> None:
    cadre_id = county(app)
    app.handle(RecordEntry(cadre_id, "Dismissed", f.dismissal("2023-06-01")), f.HR)
    result = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2023-06-01", post_code="P3", manner="轮岗")),
                        f.HR)
    assert result.overrides == ()
    assert [(t.post_code, t.manner) for t in app.history(cadre_id).held_on(date(2023, 6, 1))] == [("P3", "轮岗")]


def test_a_lateral_move_one_level_up_is_refused_and_nothing_is_stored(app: f.Jishi) -> None:
    cadre_id = county(app)
    app.handle(RecordEntry(cadre_id, "Dismissed", f.dismissal("2023-06-01")), f.HR)
    head = app.recorder.max_notification_id()
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2023-06-01", post_code="P2")), f.HR)
    assert e.value.rules == ["R-LATERAL"] and e.value.violations[0].field == "post_code"
    assert "变相提拔" in e.value.violations[0].message_zh
    assert app.recorder.max_notification_id() == head


def test_an_override_stores_the_lateral_move_with_the_rule_id_and_needs_the_permission(app: f.Jishi) -> None:
    cadre_id = county(app)
    app.handle(RecordEntry(cadre_id, "Dismissed", f.dismissal("2023-06-01")), f.HR)
    move = f.appointment("2023-06-01", post_code="P2", manner="调任", override_reason="市委组织部批复同意")
    with pytest.raises(PermissionDeniedError):
        app.handle(RecordEntry(cadre_id, "Appointed", move), f.HR)
    result = app.handle(RecordEntry(cadre_id, "Appointed", move), f.HR_OVERRIDE)
    assert result.overrides == ("R-LATERAL",)
    stored = app.get_cadre(cadre_id).entries[result.entry_id]
    assert stored.overrides == ("R-LATERAL",) and stored.values["post_code"] == "P2"


def test_a_correction_that_makes_a_move_a_promotion_in_disguise_is_refused(app: f.Jishi) -> None:
    cadre_id = county(app)
    app.handle(RecordEntry(cadre_id, "Dismissed", f.dismissal("2023-06-01")), f.HR)
    moved = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2023-06-01", post_code="P3")), f.HR)
    with pytest.raises(RuleViolationError) as e:
        app.handle(CorrectEntry(cadre_id, moved.entry_id, {"changes": {"post_code": "P2"}, "reason": "职位录入有误"}),
                   f.HR)
    assert e.value.rules == ["R-LATERAL"]


def test_an_overridden_move_can_have_its_other_fields_corrected_without_a_new_override(app: f.Jishi) -> None:
    cadre_id = county(app)
    app.handle(RecordEntry(cadre_id, "Dismissed", f.dismissal("2023-06-01")), f.HR)
    moved = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(
        "2023-06-01", post_code="P2", override_reason="市委组织部批复同意")), f.HR_OVERRIDE)
    corrected = app.handle(CorrectEntry(cadre_id, moved.entry_id, {"changes": {"document_no": "组干〔2023〕7号"},
                                                             "reason": "文号录入有误"}), f.HR)
    assert corrected.overrides == ()
