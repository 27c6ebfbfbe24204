"""R-CALENDAR-CHANGED on both backends: a later change of the calendar never rewrites a stored
decision; the publicities it would judge differently become findings, due at once, with the
judged entry and the calendar event as evidence — and a rebuild writes the same rows. The year is
SYNTHETIC (tests/synthetic_calendar.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from domain.errors import RuleViolationError
from jishi.bootstrap import Runtime
from projections.checksum import table_digests
from service.commands import (
    CorrectCaseStep,
    OpenCase,
    PublishCalendar,
    RecordCaseStep,
    RecordEntry,
    RetractCaseStep,
    RetractEntry,
)
from tests import factories as f
from tests import synthetic_calendar as syn
from tests.conftest import RuntimeFactory

RULE = "R-CALENDAR-CHANGED"
AS_OF = syn.NOW.date()


@pytest.fixture
def runtime(make_runtime: RuntimeFactory) -> Runtime:
    return make_runtime(clock=syn.clock())


def found(runtime: Runtime, **where: Any) -> list[dict[str, Any]]:
    runtime.catch_up()
    return runtime.read_models.findings(rule=RULE, as_of=AS_OF, **where)


def published_publicity(runtime: Runtime, end: date = syn.FIVE_DAYS_END) -> tuple[UUID, UUID, f.CommandResult]:
    app = runtime.app
    cadre_id, case_id = syn.case_ready_for_publicity(app)
    app.handle(PublishCalendar(syn.payload()), syn.ADMIN)
    step = app.handle(RecordCaseStep(case_id, "PublicityHeld", syn.publicity(cadre_id, end=end)), f.HR)
    return cadre_id, case_id, step


def test_a_correction_that_shortens_a_stored_publicity_is_a_finding_due_at_once(runtime: Runtime) -> None:
    cadre_id, case_id, step = published_publicity(runtime)
    assert found(runtime) == []
    correction = runtime.app.handle(PublishCalendar(syn.correction(), correct=True), syn.ADMIN)
    [finding] = found(runtime)
    assert (finding["cadre_id"], finding["unit_code"], finding["key"]) == (str(cadre_id), "U1", str(step.entry_id))
    recorded_on = correction.recorded_at.astimezone(ZoneInfo("Asia/Shanghai")).date()
    assert finding["due_on"] == finding["trigger_on"] == recorded_on.isoformat()  # due at once
    assert finding["evidence"] == [str(step.entry_id), str(correction.entry_id)]
    assert finding["status"] == "open" and finding["overdue"]
    assert "5个工作日（满足5个）" in finding["detail"] and "4个工作日（不足5个）" in finding["detail"]
    assert "记录第1版" in finding["detail"] and "记录第2版" in finding["detail"]
    # the stored step is as it was judged: no override added, still naming version 1
    stored = runtime.app.get_case(case_id).steps[-1]
    assert stored.type == "PublicityHeld" and stored.overrides == ()
    # it is also among the cadre's findings, next to the monitors of the cadre's record
    assert [x["rule"] for x in found(runtime, status="open") if x["cadre_id"] == str(cadre_id)] == [RULE]


def test_a_correction_that_leaves_the_verdict_as_it_was_is_no_finding(runtime: Runtime) -> None:
    published_publicity(runtime, end=syn.FOUR_DAYS_END + timedelta(days=2))  # 3 … 12 March: 6 days, then 5
    runtime.app.handle(PublishCalendar(syn.correction(), correct=True), syn.ADMIN)
    assert found(runtime) == []


def test_correcting_the_year_back_closes_the_finding_and_the_record_keeps_what_it_said(runtime: Runtime) -> None:
    published_publicity(runtime)
    runtime.app.handle(PublishCalendar(syn.correction(), correct=True), syn.ADMIN)
    assert len(found(runtime)) == 1
    between = datetime.now(UTC)
    runtime.app.handle(PublishCalendar(syn.payload(reason="恢复原安排（虚构）"), correct=True), syn.ADMIN)
    assert found(runtime) == []
    assert len(runtime.read_models.findings(rule=RULE, as_of=AS_OF, known_at=between)) == 1


def test_a_promotion_counted_with_the_old_calendar_is_a_finding_until_it_is_retracted(runtime: Runtime) -> None:
    app = runtime.app
    cadre_id, case_id, step = published_publicity(runtime)
    appoint_on = syn.FIVE_DAYS_END + timedelta(days=1)
    app.handle(RecordCaseStep(case_id, "CaseConcluded", {"effective_on": appoint_on.isoformat(),
                                                    "cadre_id": str(cadre_id), "outcome": "任用"}), f.HR)
    promotion = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(
        appoint_on.isoformat(), manner="提拔", selection_case_id=str(case_id))), f.HR)
    app.handle(PublishCalendar(syn.correction(), correct=True), syn.ADMIN)
    assert sorted(x["key"] for x in found(runtime)) == sorted([str(step.entry_id), str(promotion.entry_id)])
    app.handle(RetractEntry(cadre_id, promotion.entry_id, {"reason": "录入错误"}), f.HR)
    assert [x["key"] for x in found(runtime)] == [str(step.entry_id)]


def test_a_publicity_overridden_while_its_year_was_unknown_is_a_finding_once_the_year_is_known(
        runtime: Runtime) -> None:
    app = runtime.app
    cadre_id, case_id = syn.case_ready_for_publicity(app)
    step = app.handle(RecordCaseStep(case_id, "PublicityHeld", syn.publicity(
        cadre_id, override_reason="节假日安排尚未记录（虚构）")), f.HR_OVERRIDE)
    assert step.overrides == ("R-PUBLICITY",)
    assert found(runtime) == []
    app.handle(PublishCalendar(syn.payload()), syn.ADMIN)
    [finding] = found(runtime)
    assert finding["key"] == str(step.entry_id) and "无法计算" in finding["detail"]


def test_a_recorded_year_replacing_the_built_in_one_judges_the_publicities_counted_with_it(
        runtime: Runtime) -> None:
    app = runtime.app
    f.organisation(app)
    cadre_id = f.registered(app)
    case_id = UUID(app.handle(OpenCase(f.case_payload("2024-02-01")), f.HR).extra["case_id"])
    f.case_through_decision(app, case_id, cadre_id, date(2024, 3, 1))
    # Mon 4 – Mon 11 March 2024: 6 working days as chinese-calendar has 2024
    step = app.handle(RecordCaseStep(case_id, "PublicityHeld", syn.publicity(
        cadre_id, date(2024, 3, 4), date(2024, 3, 11))), f.HR)
    # SYNTHETIC: a made-up 2024 with a holiday on 5 and 6 March, recorded over the built-in year
    app.handle(PublishCalendar({"year": 2024, "holidays": ["2024-03-05", "2024-03-06"], "workdays": [],
                          "notice_no": "虚构测试〔2023〕1号", "notice_date": "2023-12-01"}), syn.ADMIN)
    [finding] = found(runtime)
    assert finding["key"] == str(step.entry_id) and "内置" in finding["detail"]


def test_a_rebuild_writes_the_rows_the_event_by_event_catch_up_wrote(runtime: Runtime) -> None:
    app = runtime.app
    cadre_id, case_id, _ = published_publicity(runtime)
    appoint_on = syn.FIVE_DAYS_END + timedelta(days=1)
    app.handle(RecordCaseStep(case_id, "CaseConcluded", {"effective_on": appoint_on.isoformat(),
                                                    "cadre_id": str(cadre_id), "outcome": "任用"}), f.HR)
    runtime.catch_up()
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(
        appoint_on.isoformat(), manner="提拔", selection_case_id=str(case_id))), f.HR)
    runtime.catch_up()
    app.handle(PublishCalendar(syn.correction(), correct=True), syn.ADMIN)
    runtime.catch_up()
    app.handle(PublishCalendar(syn.payload(reason="恢复（虚构）"), correct=True), syn.ADMIN)
    runtime.catch_up()
    app.handle(PublishCalendar(syn.correction(notice_no="虚构测试〔2031〕3号"), correct=True), syn.ADMIN)
    runtime.catch_up()
    incremental = table_digests(runtime.runner.engine)
    assert incremental["rm_calendar"].startswith("4:") and not incremental["rm_judged_publicity"].startswith("0:")
    runtime.runner.rebuild()
    assert table_digests(runtime.runner.engine) == incremental


# — a publicity step corrected or retracted (selection-case steps take corrections like entries) —

def short_publicity(runtime: Runtime) -> tuple[UUID, UUID, f.CommandResult]:
    """A 4-working-day publicity (3 … 10 March 2031 as published), stored with an override."""
    app = runtime.app
    cadre_id, case_id = syn.case_ready_for_publicity(app)
    app.handle(PublishCalendar(syn.payload()), syn.ADMIN)
    step = app.handle(RecordCaseStep(case_id, "PublicityHeld", syn.publicity(
        cadre_id, end=syn.FOUR_DAYS_END, override_reason="县委同意缩短公示（虚构）")), f.HR_OVERRIDE)
    return cadre_id, case_id, step


def lengthened(runtime: Runtime, case_id: UUID, step: f.CommandResult) -> f.CommandResult:
    return runtime.app.handle(CorrectCaseStep(case_id, step.entry_id, {
        "changes": {"end_on": syn.FIVE_DAYS_END.isoformat()}, "reason": "公示截止日期录错"}), f.HR)


def test_correcting_a_publicity_step_counts_it_with_the_recorded_calendar_and_stores_the_count(
        runtime: Runtime) -> None:
    _, case_id, step = short_publicity(runtime)
    corrected = lengthened(runtime, case_id, step)
    assert corrected.overrides == ()  # 3 … 11 March: 5 working days with the synthetic schedule, no override
    [stored] = runtime.app.recorder.select_notifications(corrected.position, 1)
    used = runtime.app.mapper.to_domain_event(stored).calendar_used
    assert used["working_days"] == 5 and used["years"]["2031"]["source"] == "recorded"


def test_a_corrected_publicity_step_is_judged_again_when_the_year_changes_until_the_correction_is_retracted(
        runtime: Runtime) -> None:
    app = runtime.app
    cadre_id, case_id, step = short_publicity(runtime)
    corrected = lengthened(runtime, case_id, step)
    app.handle(PublishCalendar(syn.correction(), correct=True), syn.ADMIN)  # 3 … 11 March now has 4 days
    [finding] = found(runtime)
    assert (finding["cadre_id"], finding["key"]) == (str(cadre_id), str(step.entry_id))
    assert str(corrected.entry_id) in finding["evidence"]
    # the correction retracted (the step is then short again: an override, as when it was first stored),
    # the step stands as first stored: too short then (4 days), too short now (3) — the same verdict
    with pytest.raises(RuleViolationError) as refused:
        app.handle(RetractCaseStep(case_id, corrected.entry_id, {"reason": "更正有误"}), f.HR)
    assert refused.value.rules == ["R-PUBLICITY"]
    app.handle(RetractCaseStep(case_id, corrected.entry_id, {"reason": "更正有误",
                                                             "override_reason": "如实恢复原记录"}), f.HR_OVERRIDE)
    assert found(runtime) == []


def test_retracting_a_publicity_step_withdraws_its_finding(runtime: Runtime) -> None:
    app = runtime.app
    _, case_id, step = published_publicity(runtime)
    app.handle(PublishCalendar(syn.correction(), correct=True), syn.ADMIN)
    assert len(found(runtime)) == 1
    app.handle(RetractCaseStep(case_id, step.entry_id, {"reason": "误录"}), f.HR)
    assert found(runtime) == []


def test_a_rebuild_writes_the_rows_the_catch_up_wrote_when_publicity_steps_are_corrected_and_retracted(
        runtime: Runtime) -> None:
    app = runtime.app
    _, case_id, step = short_publicity(runtime)
    runtime.catch_up()
    corrected = lengthened(runtime, case_id, step)
    runtime.catch_up()
    app.handle(PublishCalendar(syn.correction(), correct=True), syn.ADMIN)
    runtime.catch_up()
    app.handle(RetractCaseStep(case_id, corrected.entry_id, {"reason": "更正有误",
                                                             "override_reason": "如实恢复原记录"}), f.HR_OVERRIDE)
    runtime.catch_up()
    incremental = table_digests(runtime.runner.engine)
    assert incremental["rm_judged_publicity"].startswith("2:")  # the step's count and its correction's
    runtime.runner.rebuild()
    assert table_digests(runtime.runner.engine) == incremental
