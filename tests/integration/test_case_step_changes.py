"""Corrections and retractions of selection-case steps, on SQLite and PostgreSQL: validated like the
step, judged by the guards on what they change, and refused when they would leave the procedure
inconsistent; the steps keep their ids and the case keeps what each said before."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.errors import NotFoundError, PermissionDeniedError, RuleViolationError, ValidationError
from domain.selection import SelectionCase
from service.commands import CorrectCaseStep, OpenCase, RecordCaseStep, RetractCaseStep, RetractEntry
from tests import factories as f

DECIDE = date(2023, 2, 1)


def through_decision(app: f.Jishi) -> tuple[f.UUID, f.UUID]:
    """(case, cadre): a case for U1/P1 carried through the decision on DECIDE."""
    f.organisation(app)
    cadre_id = f.registered(app, rank="一级科员")
    case_id = f.UUID(app.handle(OpenCase(f.case_payload("2023-01-04")), f.HR).extra["case_id"])
    f.case_through_decision(app, case_id, cadre_id, DECIDE)
    return case_id, cadre_id


def step_of(app: f.Jishi, case_id: f.UUID, step_type: str, **where: object) -> f.UUID:
    found = [s for s in app.get_case(case_id).steps if s.type == step_type
             and all(s.values.get(k) == v for k, v in where.items())]
    assert len(found) == 1, found
    return found[0].entry_id


def publicity(app: f.Jishi, case_id: f.UUID, cadre_id: f.UUID, start: date, end: date, **extra: object) -> f.UUID:
    step = {"cadre_id": str(cadre_id), "start_on": start.isoformat(), "end_on": end.isoformat(), "objections": 0,
            **extra}
    by = f.HR_OVERRIDE if "override_reason" in extra else f.HR
    result = app.handle(RecordCaseStep(case_id, "PublicityHeld", step), by)
    return result.entry_id


def test_a_corrected_step_keeps_its_id_and_the_case_keeps_what_it_said_before(app: f.Jishi) -> None:
    case_id, _ = through_decision(app)
    inspected = step_of(app, case_id, "Inspected")
    change = {"changes": {"findings": "政治坚定，实绩突出"}, "reason": "考察材料录入有误",
              "document_no": "组更〔2023〕1号"}
    first = app.handle(CorrectCaseStep(case_id, inspected, change), f.HR)
    case: SelectionCase = app.get_case(case_id)
    assert first.entry_id != inspected and first.stream_id == case_id
    assert [s.values["findings"] for s in case.steps if s.entry_id == inspected] == ["政治坚定，实绩突出"]
    record = case.records[inspected]
    assert record.original["findings"] == "政治素质好，工作实绩突出" and record.corrections == [first.entry_id]
    # a correction of a correction corrects the same step
    again = app.handle(CorrectCaseStep(case_id, first.entry_id, {"changes": {"findings": "第二次更正"},
                                                                 "reason": "再更正"}), f.HR)
    assert app.get_case(case_id).records[inspected].corrections == [first.entry_id, again.entry_id]
    app.handle(RetractCaseStep(case_id, again.entry_id, {"reason": "第二次更正有误"}), f.HR)
    assert app.get_case(case_id).records[inspected].values["findings"] == "政治坚定，实绩突出"


def test_a_correction_is_validated_like_the_step_it_changes(app: f.Jishi) -> None:
    case_id, _ = through_decision(app)
    decided = step_of(app, case_id, "Decided")
    cases = [({"votes": {"同意": 12}}, "changes.votes"), ({"present": "八"}, "changes.present"),
             ({"colour": "红"}, "changes.colour")]
    for changes, loc in cases:
        with pytest.raises(ValidationError) as e:
            app.handle(CorrectCaseStep(case_id, decided, {"changes": changes, "reason": "更正"}), f.HR)
        assert [x.loc for x in e.value.errors] == [loc], changes
    with pytest.raises(ValidationError) as e:
        app.handle(CorrectCaseStep(case_id, decided, {"changes": {}, "reason": "更正"}), f.HR)
    assert e.value.errors[0].loc == "changes"
    with pytest.raises(ValidationError) as e:
        app.handle(CorrectCaseStep(case_id, decided, {"changes": {"present": 9}}), f.HR)
    assert e.value.errors[0].loc == "reason"
    opening = f.entry_id_of(case_id, 1)
    with pytest.raises(ValidationError) as e:
        app.handle(CorrectCaseStep(case_id, opening, {"changes": {"post_code": "P2"}, "reason": "职位有误"}), f.HR)
    assert e.value.errors[0].loc == "changes.post_code"
    shortlist = step_of(app, case_id, "Shortlisted")
    with pytest.raises(ValidationError) as e:
        app.handle(CorrectCaseStep(case_id, shortlist, {"changes": {"cadre_ids": [str(f.UUID(int=5))]},
                                                        "reason": "x"}), f.HR)
    assert e.value.errors[0].loc.startswith("changes.cadre_ids")
    with pytest.raises(NotFoundError):
        app.handle(CorrectCaseStep(case_id, f.UUID(int=9), {"changes": {"present": 9}, "reason": "x"}), f.HR)


def test_a_correction_is_judged_by_the_guards_on_what_it_changes(app: f.Jishi) -> None:
    case_id, _ = through_decision(app)
    decided = step_of(app, case_id, "Decided")
    with pytest.raises(RuleViolationError) as e:  # fewer than 2/3 present
        app.handle(CorrectCaseStep(case_id, decided, {"changes": {"present": 5, "votes": {"同意": 5}}, "reason": "x"}),
                   f.HR)
    assert e.value.rules == ["R-QUORUM"]
    tomorrow = app.today() + timedelta(days=1)
    with pytest.raises(RuleViolationError) as e:
        app.handle(CorrectCaseStep(case_id, decided, {"changes": {"effective_on": tomorrow.isoformat()},
                                                      "reason": "x"}), f.HR)
    assert "R-FUTURE" in e.value.rules
    early = f.entry_id_of(case_id, 2)  # the recommendation, moved before the case was opened
    with pytest.raises(RuleViolationError) as e:
        app.handle(CorrectCaseStep(case_id, early, {"changes": {"effective_on": "2022-12-01"}, "reason": "x"}), f.HR)
    assert e.value.rules == ["R-SEQ"]


def test_a_violation_the_step_was_stored_with_does_not_block_correcting_its_other_fields(app: f.Jishi) -> None:
    case_id, cadre_id = through_decision(app)
    short = publicity(app, case_id, cadre_id, date(2023, 2, 6), date(2023, 2, 9), override_reason="防汛急需，经批准")
    assert app.get_case(case_id).records[short].overrides == ("R-PUBLICITY",)
    corrected = app.handle(CorrectCaseStep(case_id, short, {"changes": {"objections": 1,
                                                                        "objection_notes": "一件，已核实"},
                                                        "reason": "补录异议"}), f.HR)
    assert corrected.overrides == ()
    with pytest.raises(RuleViolationError) as e:  # shorter still: a violation it did not have
        app.handle(CorrectCaseStep(case_id, short, {"changes": {"end_on": "2023-02-08"}, "reason": "x"}), f.HR)
    assert e.value.rules == ["R-PUBLICITY"]


def test_correcting_a_publicitys_end_moves_its_date_with_it(app: f.Jishi) -> None:
    case_id, cadre_id = through_decision(app)
    held = publicity(app, case_id, cadre_id, date(2023, 2, 6), date(2023, 2, 10))
    app.handle(CorrectCaseStep(case_id, held, {"changes": {"end_on": "2023-02-13"}, "reason": "公示延长"}), f.HR)
    step = next(s for s in app.get_case(case_id).steps if s.entry_id == held)
    assert (step.day, step.values["end_on"]) == (date(2023, 2, 13), date(2023, 2, 13))


def test_retracting_a_decision_a_publicity_rests_on_is_refused_until_the_publicity_goes(app: f.Jishi) -> None:
    case_id, cadre_id = through_decision(app)
    held = publicity(app, case_id, cadre_id, date(2023, 2, 6), date(2023, 2, 10))
    decided = step_of(app, case_id, "Decided")
    head = app.recorder.max_notification_id()
    with pytest.raises(RuleViolationError) as e:
        app.handle(RetractCaseStep(case_id, decided, {"reason": "会议记录有误", "override_reason": "x"}), f.HR_OVERRIDE)
    assert "R-SEQ" in e.value.rules and "任前公示（2023-02-10）" in e.value.violations[0].message_zh
    assert app.recorder.max_notification_id() == head
    app.handle(RetractCaseStep(case_id, held, {"reason": "公示记录误录"}), f.HR)
    app.handle(RetractCaseStep(case_id, decided, {"reason": "会议记录有误"}), f.HR)
    assert [s.type for s in app.get_case(case_id).steps if s.type in ("Decided", "PublicityHeld")] == []


def test_a_check_corrected_to_found_problems_after_the_decision_needs_an_override(app: f.Jishi) -> None:
    case_id, cadre_id = through_decision(app)
    check = step_of(app, case_id, "CheckCompleted", check="信访查核")
    change = {"changes": {"result": "存在问题", "note": "有未了结信访"}, "reason": "核查结论录入有误"}
    with pytest.raises(RuleViolationError) as e:
        app.handle(CorrectCaseStep(case_id, check, change), f.HR)
    assert e.value.rules == ["R-FOUR-CHECKS"] and e.value.violations[0].message_zh.startswith("讨论决定（2023-02-01）")
    with pytest.raises(PermissionDeniedError):
        app.handle(CorrectCaseStep(case_id, check, {**change, "override_reason": "如实记录"}), f.HR)
    stored = app.handle(CorrectCaseStep(case_id, check, {**change, "override_reason": "如实记录，另作处理"}),
                        f.HR_OVERRIDE)
    assert stored.overrides == ("R-FOUR-CHECKS",)
    assert app.get_case(case_id).check_results(cadre_id, DECIDE)["信访查核"] == "存在问题"


def test_the_conclusion_an_appointment_rests_on_cannot_be_retracted_while_the_appointment_stands(
        app: f.Jishi) -> None:
    f.organisation(app)
    cadre_id = f.registered(app, rank="一级科员")
    promoted = f.promoted(app, cadre_id, day=date(2023, 3, 1))
    case_id = app.get_cadre(cadre_id).entries[promoted.entry_id].values["selection_case_id"]
    concluded = step_of(app, case_id, "CaseConcluded")
    with pytest.raises(RuleViolationError) as e:
        app.handle(RetractCaseStep(case_id, concluded, {"reason": "误录"}), f.HR)
    assert "R-SEQ" in e.value.rules
    assert any("依据本选任纪实的任职（2023-03-01）" in v.message_zh for v in e.value.violations)
    app.handle(RetractEntry(cadre_id, promoted.entry_id, {"reason": "任职记录误录"}), f.HR)
    app.handle(RetractCaseStep(case_id, concluded, {"reason": "误录"}), f.HR)


def test_the_opening_is_not_retracted_and_a_retraction_is_not_changed(app: f.Jishi) -> None:
    case_id, _ = through_decision(app)
    with pytest.raises(RuleViolationError) as e:
        app.handle(RetractCaseStep(case_id, f.entry_id_of(case_id, 1), {"reason": "误录"}), f.HR)
    assert e.value.rules == ["R-SEQ"]
    decided = step_of(app, case_id, "Decided")
    retraction = app.handle(RetractCaseStep(case_id, decided, {"reason": "误录"}), f.HR)
    for target in (decided, retraction.entry_id):
        with pytest.raises(RuleViolationError) as e:
            app.handle(RetractCaseStep(case_id, target, {"reason": "再撤销"}), f.HR)
        assert e.value.rules == ["R-SEQ"]
    with pytest.raises(RuleViolationError):
        app.handle(CorrectCaseStep(case_id, decided, {"changes": {"present": 9}, "reason": "x"}), f.HR)


def test_retracting_an_inspection_a_decision_rests_on_is_refused(app: f.Jishi) -> None:
    case_id, _ = through_decision(app)
    with pytest.raises(RuleViolationError) as e:
        app.handle(RetractCaseStep(case_id, step_of(app, case_id, "Inspected"), {"reason": "误录"}), f.HR)
    assert e.value.rules == ["R-SEQ"] and e.value.violations[0].message_zh.startswith("讨论决定（2023-02-01）")


def test_the_opening_can_have_its_date_and_method_corrected(app: f.Jishi) -> None:
    case_id, _ = through_decision(app)
    app.handle(CorrectCaseStep(case_id, f.entry_id_of(case_id, 1), {"changes": {"method": "竞争上岗",
                                                                           "effective_on": "2023-01-03"},
                                                               "reason": "动议日期以会议纪要为准"}), f.HR)
    case = app.get_case(case_id)
    assert (case.method, case.opened_on, case.unit_code) == ("竞争上岗", date(2023, 1, 3), "U1")
    with pytest.raises(RuleViolationError) as e:  # after the recommendation: it would precede the case
        app.handle(CorrectCaseStep(case_id, f.entry_id_of(case_id, 1), {"changes": {"effective_on": "2023-01-20"},
                                                                   "reason": "x"}), f.HR)
    assert e.value.rules == ["R-SEQ"] and "民主推荐" in e.value.violations[0].message_zh
