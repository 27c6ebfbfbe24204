"""选任全程纪实: a promotion case from 动议 to 任用, and every way of cutting it short refused —
or stored, marked, when a permitted user overrides with a reason."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from domain.errors import NotFoundError, PermissionDeniedError, RuleViolationError, ValidationError
from domain.workdays import BUILT_IN
from service.commands import EstablishPost, OpenCase, RecordCaseStep, RecordEntry
from tests import factories as f
from tests.conftest import AppFactory

add_working_days = BUILT_IN.add_working_days  # the cases below are in built-in years (2023–2024)
working_days_inclusive = BUILT_IN.working_days_inclusive

DECIDE_ON = date(2024, 9, 20)


def opened(app: f.Jishi, **extra: Any) -> f.UUID:
    return f.UUID(app.handle(OpenCase(f.case_payload("2024-08-01", **extra)), f.HR).extra["case_id"])


def setup(app: f.Jishi) -> tuple[f.UUID, f.UUID]:
    f.organisation(app)
    return f.registered(app), opened(app)


def step(app: f.Jishi, case_id: f.UUID, step_type: str, by: f.Provenance = f.HR, **values: Any) -> f.CommandResult:
    return app.handle(RecordCaseStep(case_id, step_type, values), by)


def publicity(cadre_id: f.UUID, start: date, end: date, **extra: Any) -> dict[str, Any]:
    return {"cadre_id": str(cadre_id), "start_on": start.isoformat(), "end_on": end.isoformat(), "objections": 0,
            **extra}


def promotion(case_id: f.UUID, day: date, **extra: Any) -> dict[str, Any]:
    return f.appointment(day.isoformat(), manner="提拔", selection_case_id=str(case_id), **extra)


def test_a_promotion_runs_from_the_motion_to_the_appointment(make_app: AppFactory) -> None:
    app = make_app()
    cadre_id, case_id = setup(app)
    n = app.config.int("selection.publicity_working_days")
    f.case_through_decision(app, case_id, cadre_id, DECIDE_ON)
    start = date(2024, 9, 23)
    end = add_working_days(start, n)
    step(app, case_id, "PublicityHeld", **publicity(cadre_id, start, end))
    step(app, case_id, "CaseConcluded", effective_on=(end + timedelta(days=1)).isoformat(),
         cadre_id=str(cadre_id), outcome="任用")
    result = app.handle(RecordEntry(cadre_id, "Appointed", promotion(case_id, end + timedelta(days=1))), f.HR)
    assert result.overrides == ()

    restarted = make_app()
    case = restarted.get_case(case_id)
    assert [s.type for s in case.steps] == [
        "CaseOpened", "Recommended", "Shortlisted", "Inspected", *["CheckCompleted"] * 4,
        "IntegrityOpinionSigned", "Decided", "PublicityHeld", "CaseConcluded"]
    assert (case.unit_code, case.post_code, case.method, case.exceptional) == ("U1", "P1", "民主推荐", False)
    [tenure] = restarted.history(cadre_id).tenures
    assert (tenure.start, tenure.manner) == (end + timedelta(days=1), "提拔")
    topics = {n.topic for n in restarted.recorder.select_notifications(1, 100)
              if n.originator_id == case_id}
    assert "jishi.case.CaseOpened" in topics and "jishi.case.Decided" in topics


def test_opening_a_case_with_the_same_idempotency_key_returns_the_same_case(app: f.Jishi) -> None:
    f.organisation(app)
    first = app.handle(OpenCase(f.case_payload("2024-08-01"), idempotency_key="k-case"), f.HR)
    again = app.handle(OpenCase(f.case_payload("2024-08-01"), idempotency_key="k-case"), f.HR)
    assert first.extra["case_id"] == again.extra["case_id"]


def test_a_case_for_a_post_that_does_not_exist_is_refused(app: f.Jishi) -> None:
    f.organisation(app)
    with pytest.raises(RuleViolationError) as e:
        app.handle(OpenCase(f.case_payload("2024-08-01", post_code="NOPE")), f.HR)
    assert e.value.rules == ["R-SEQ"]


def test_a_step_naming_an_unknown_cadre_or_an_unknown_case_is_refused(app: f.Jishi) -> None:
    _, case_id = setup(app)
    with pytest.raises(ValidationError) as v:
        step(app, case_id, "Shortlisted", effective_on="2024-08-10", cadre_ids=[str(f.UUID(int=5))])
    assert v.value.errors[0].loc == "cadre_ids"
    with pytest.raises(NotFoundError):
        app.handle(RecordCaseStep(f.UUID(int=9), "Inspected", {"effective_on": "2024-08-10",
                                                               "cadre_id": str(f.UUID(int=5)),
                                                         "findings": "好"}), f.HR)
    with pytest.raises(ValidationError):
        step(app, case_id, "Decided", effective_on="2024-08-10", cadre_id=str(f.UUID(int=5)), members_total=9,
             present=10, votes={"同意": 9})


@pytest.mark.parametrize("skipped", ["档案审核", "个人事项核查", "纪检意见", "信访查核", "IntegrityOpinionSigned"])
def test_no_decision_without_each_of_the_four_checks_and_the_dual_signature(app: f.Jishi, skipped: str) -> None:
    cadre_id, case_id = setup(app)
    with pytest.raises(RuleViolationError) as e:
        f.case_through_decision(app, case_id, cadre_id, DECIDE_ON, skip=(skipped,))
    assert e.value.rules == ["R-FOUR-CHECKS"]
    assert app.get_case(case_id).latest("Decided") is None


def test_a_decision_without_a_check_overridden_by_a_permitted_user_is_stored_and_marked_and_so_is_the_promotion(
        app: f.Jishi) -> None:
    cadre_id, case_id = setup(app)
    f.case_through_decision(app, case_id, cadre_id, DECIDE_ON, skip=("信访查核", "Decided"))
    decision = {"effective_on": DECIDE_ON.isoformat(), "cadre_id": str(cadre_id), "members_total": 9, "present": 9,
                "votes": {"同意": 9}}
    with pytest.raises(PermissionDeniedError):
        app.handle(RecordCaseStep(case_id, "Decided", {**decision, "override_reason": "信访件已另案办结"}), f.HR)
    stored = app.handle(RecordCaseStep(case_id, "Decided", {**decision, "override_reason": "信访件已另案办结"}),
                        f.HR_OVERRIDE)
    assert stored.overrides == ("R-FOUR-CHECKS",)
    decided = app.get_case(case_id).latest("Decided")
    assert decided is not None and decided.overrides == ("R-FOUR-CHECKS",)
    event = next(e for e in app.events.get(case_id) if e.originator_version == stored.version)
    assert (event.override_reason, event.actor) == ("信访件已另案办结", "hr-chief")

    start = date(2024, 9, 23)
    end = add_working_days(start, app.config.int("selection.publicity_working_days"))
    step(app, case_id, "PublicityHeld", **publicity(cadre_id, start, end))
    day = end + timedelta(days=1)
    step(app, case_id, "CaseConcluded", effective_on=day.isoformat(), cadre_id=str(cadre_id), outcome="任用")
    with pytest.raises(RuleViolationError) as e:  # the appointment is judged on its own
        app.handle(RecordEntry(cadre_id, "Appointed", promotion(case_id, day)), f.HR)
    assert e.value.rules == ["R-FOUR-CHECKS"]
    overridden = promotion(case_id, day, override_reason="县委常委会研究同意")
    result = app.handle(RecordEntry(cadre_id, "Appointed", overridden), f.HR_OVERRIDE)
    assert result.overrides == ("R-FOUR-CHECKS",)
    assert app.get_cadre(cadre_id).entries[result.entry_id].overrides == ("R-FOUR-CHECKS",)


def ready_for_publicity(app: f.Jishi) -> tuple[f.UUID, f.UUID]:
    cadre_id, case_id = setup(app)
    f.case_through_decision(app, case_id, cadre_id, DECIDE_ON)
    return cadre_id, case_id


@pytest.mark.parametrize("start", [date(2024, 9, 27), date(2024, 10, 9)], ids=["across-national-day", "saturday-work"])
def test_a_publicity_one_working_day_short_is_refused_across_national_day_and_its_make_up_days(
        app: f.Jishi, start: date) -> None:
    cadre_id, case_id = ready_for_publicity(app)
    n = app.config.int("selection.publicity_working_days")
    short = add_working_days(start, n - 1)
    assert working_days_inclusive(start, short) == n - 1
    with pytest.raises(RuleViolationError) as e:
        step(app, case_id, "PublicityHeld", **publicity(cadre_id, start, short))
    assert e.value.rules == ["R-PUBLICITY"]
    step(app, case_id, "PublicityHeld", **publicity(cadre_id, start, add_working_days(start, n)))


def test_a_four_day_publicity_over_national_day_overridden_is_stored_and_the_appointment_needs_its_own_override(
        app: f.Jishi) -> None:
    cadre_id, case_id = ready_for_publicity(app)
    start, end = date(2024, 9, 27), date(2024, 10, 8)  # Fri 27, Sun 29 (调休), Mon 30, Tue 8: 4 working days
    assert working_days_inclusive(start, end) == app.config.int("selection.publicity_working_days") - 1
    stored = step(app, case_id, "PublicityHeld", f.HR_OVERRIDE,
                  **publicity(cadre_id, start, end, override_reason="换届时间紧，经市委组织部同意"))
    assert stored.overrides == ("R-PUBLICITY",)
    day = end + timedelta(days=1)
    step(app, case_id, "CaseConcluded", effective_on=day.isoformat(), cadre_id=str(cadre_id), outcome="任用")
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "Appointed", promotion(case_id, day)), f.HR)
    assert e.value.rules == ["R-PUBLICITY"]
    result = app.handle(RecordEntry(cadre_id, "Appointed", promotion(case_id, day, override_reason="同上")),
                        f.HR_OVERRIDE)
    assert result.overrides == ("R-PUBLICITY",)


def test_no_appointment_before_the_publicity_ends(app: f.Jishi) -> None:
    cadre_id, case_id = ready_for_publicity(app)
    start = date(2024, 9, 23)
    end = add_working_days(start, app.config.int("selection.publicity_working_days"))
    step(app, case_id, "PublicityHeld", **publicity(cadre_id, start, end))
    with pytest.raises(RuleViolationError) as e:
        step(app, case_id, "CaseConcluded", effective_on=end.isoformat(), cadre_id=str(cadre_id), outcome="任用")
    assert e.value.rules == ["R-PUBLICITY"]
    step(app, case_id, "CaseConcluded", effective_on=(end + timedelta(days=1)).isoformat(),
         cadre_id=str(cadre_id), outcome="任用")
    with pytest.raises(RuleViolationError) as e:  # and the appointment cannot precede the conclusion
        app.handle(RecordEntry(cadre_id, "Appointed", promotion(case_id, end)), f.HR)
    assert "R-SEQ" in e.value.rules and "R-PUBLICITY" in e.value.rules


def test_a_promotion_citing_no_case_fails_the_four_checks_and_the_publicity(app: f.Jishi) -> None:
    f.organisation(app)
    cadre_id = f.registered(app)
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2024-06-01", manner="提拔")), f.HR)
    assert e.value.rules == ["R-FOUR-CHECKS", "R-PUBLICITY"]
    overridden = f.appointment("2024-06-01", manner="提拔", override_reason="系统上线前的任职，补录")
    result = app.handle(RecordEntry(cadre_id, "Appointed", overridden), f.HR_OVERRIDE)
    assert result.overrides == ("R-FOUR-CHECKS", "R-PUBLICITY")


def test_a_promotion_citing_a_case_for_another_post_or_not_concluded_is_refused(app: f.Jishi) -> None:
    cadre_id, case_id = ready_for_publicity(app)
    app.handle(EstablishPost("U1", f.post("P2")), f.HR)
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "Appointed", promotion(case_id, date(2024, 11, 1), post_code="P2")), f.HR)
    assert "R-SEQ" in e.value.rules
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "Appointed", promotion(f.UUID(int=3), date(2024, 11, 1))), f.HR)
    assert "R-SEQ" in e.value.rules


def test_a_meeting_without_quorum_is_refused_and_one_that_did_not_approve_is_stored_but_cannot_be_acted_on(
        app: f.Jishi) -> None:
    cadre_id, case_id = setup(app)
    f.case_through_decision(app, case_id, cadre_id, DECIDE_ON, skip=("Decided",))
    members = 9
    least_present = -(-members * 2 // 3)  # the default 2/3, rounded up
    assert app.config.fraction("selection.quorum_present_fraction") * members <= least_present
    base = {"effective_on": DECIDE_ON.isoformat(), "cadre_id": str(cadre_id), "members_total": members}
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordCaseStep(case_id, "Decided", {**base, "present": least_present - 1,
                                                  "votes": {"同意": least_present - 1}}), f.HR)
    assert e.value.rules == ["R-QUORUM"]
    half = members // 2  # not more than half of the members
    app.handle(RecordCaseStep(case_id, "Decided", {**base, "present": members, "votes": {"同意": half,
                                                                                         "不同意": half}}), f.HR)
    start = date(2024, 9, 23)
    with pytest.raises(RuleViolationError) as e:
        step(app, case_id, "PublicityHeld", **publicity(cadre_id, start, add_working_days(start, 5)))
    assert e.value.rules == ["R-QUORUM"]


def test_steps_out_of_order_are_refused_by_r_seq(app: f.Jishi) -> None:
    cadre_id, case_id = setup(app)
    with pytest.raises(RuleViolationError) as e:  # not shortlisted
        step(app, case_id, "Inspected", effective_on="2024-08-10", cadre_id=str(cadre_id), findings="好")
    assert e.value.rules == ["R-SEQ"]
    with pytest.raises(RuleViolationError) as e:  # before the case was opened
        step(app, case_id, "Recommended", effective_on="2024-07-31", kind="会议推荐", participants=9, votes={})
    assert e.value.rules == ["R-SEQ"]
    with pytest.raises(RuleViolationError) as e:  # R-SEQ cannot be overridden
        step(app, case_id, "Inspected", f.HR_OVERRIDE, effective_on="2024-08-10", cadre_id=str(cadre_id),
             findings="好", override_reason="特批")
    assert e.value.rules == ["R-SEQ"]


def test_a_shortlist_needs_a_recommendation_within_its_validity(app: f.Jishi) -> None:
    cadre_id, case_id = setup(app)
    months = app.config.int("selection.recommendation_valid_months")
    step(app, case_id, "Recommended", effective_on="2024-08-05", kind="会议推荐", participants=30,
         votes={str(cadre_id): 20})
    from domain.rules.common import add_months

    expired = add_months(date(2024, 8, 5), months)
    with pytest.raises(RuleViolationError) as e:
        step(app, case_id, "Shortlisted", effective_on=expired.isoformat(), cadre_ids=[str(cadre_id)])
    assert e.value.rules == ["R-RECOMMEND-VALID"]
    step(app, case_id, "Shortlisted", effective_on=(expired - timedelta(days=1)).isoformat(),
         cadre_ids=[str(cadre_id)])


def test_a_cadre_under_investigation_cannot_be_shortlisted(app: f.Jishi) -> None:
    cadre_id, case_id = setup(app)
    other = f.registered(app, "C2")
    app.handle(RecordEntry(cadre_id, "InvestigationOpened", {"effective_on": "2024-08-03", "authority": "县纪委监委"}),
               f.HR)
    step(app, case_id, "Recommended", effective_on="2024-08-05", kind="会议推荐", participants=30,
         votes={str(cadre_id): 20, str(other): 18})
    with pytest.raises(RuleViolationError) as e:
        step(app, case_id, "Shortlisted", effective_on="2024-08-10", cadre_ids=[str(other), str(cadre_id)])
    assert e.value.rules == ["R-ELIGIBLE"]
    [violation] = e.value.violations
    assert "王芳" in violation.message_zh and "立案审查" in violation.message_zh
    step(app, case_id, "Shortlisted", effective_on="2024-08-10", cadre_ids=[str(other)])


def test_an_exceptional_promotion_needs_a_case_opened_as_exceptional(app: f.Jishi) -> None:
    f.organisation(app)
    cadre_id = f.registered(app)
    ordinary = f.completed_case(app, cadre_id, date(2024, 6, 3))
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2024-06-03", manner="破格提拔",
                                                              selection_case_id=str(ordinary))), f.HR)
    assert e.value.rules == ["R-LEAP"]
    exceptional = f.completed_case(app, cadre_id, date(2024, 6, 3), exceptional=True)
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2024-06-03", manner="破格提拔",
                                                          selection_case_id=str(exceptional))), f.HR)
