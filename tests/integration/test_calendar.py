"""The working-day calendar as recorded data (DOMAIN.md §6.4), on both backends: a year unknown is
refused, never counted Monday–Friday; a published year judges publicities by its schedule; the
stored step names the calendar it was judged with; a correction makes a new version and rewrites
nothing stored; who may publish. The year is SYNTHETIC (tests/synthetic_calendar.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from eventsourcing.persistence import StoredEvent

from domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
    ValidationError,
)
from domain.recorded import Provenance
from domain.workdays import BUILT_IN
from service.commands import PublishCalendar, RecordCaseStep, RecordEntry
from tests import factories as f
from tests import synthetic_calendar as syn
from tests.conftest import AppFactory


@pytest.fixture
def app(make_app: AppFactory) -> f.Jishi:
    return make_app(clock=syn.clock())


def _stored(app: f.Jishi, stream_id: f.UUID, version: int) -> object:
    [record] = app.recorder.select_events(stream_id, gt=version - 1, lte=version)
    return app.mapper.to_domain_event(record)


def test_a_publicity_in_a_year_no_calendar_knows_is_refused_however_long_it_is(app: f.Jishi) -> None:
    cadre_id, case_id = syn.case_ready_for_publicity(app)
    with pytest.raises(RuleViolationError) as refused:
        app.handle(RecordCaseStep(case_id, "PublicityHeld", syn.publicity(cadre_id, end=date(2031, 5, 30))), f.HR)
    assert refused.value.rules == ["R-PUBLICITY"]
    assert "工作日日历未包含2031年" in refused.value.violations[0].message_zh
    assert app.calendar_year(2031) is None


def test_a_published_year_judges_a_publicity_by_its_schedule(app: f.Jishi) -> None:
    cadre_id, case_id = syn.case_ready_for_publicity(app)
    published = app.handle(PublishCalendar(syn.payload()), syn.ADMIN)
    assert published.extra == {"year": "2031"}
    with pytest.raises(RuleViolationError) as refused:
        app.handle(RecordCaseStep(case_id, "PublicityHeld", syn.publicity(cadre_id, end=syn.FOUR_DAYS_END)), f.HR)
    assert refused.value.rules == ["R-PUBLICITY"] and "仅4个工作日" in refused.value.violations[0].message_zh
    stored = app.handle(RecordCaseStep(case_id, "PublicityHeld", syn.publicity(cadre_id)), f.HR)
    assert stored.overrides == ()


def test_the_stored_step_names_the_calendar_it_was_judged_with(app: f.Jishi) -> None:
    cadre_id, case_id = syn.case_ready_for_publicity(app)
    app.handle(PublishCalendar(syn.payload()), syn.ADMIN)
    stored = app.handle(RecordCaseStep(case_id, "PublicityHeld", syn.publicity(cadre_id)), f.HR)
    event = _stored(app, case_id, stored.version)
    schedule = app.calendar_year(2031)
    assert schedule is not None and schedule.version == 1
    assert event.calendar_used == {  # type: ignore[attr-defined]
        "start_on": syn.START, "end_on": syn.FIVE_DAYS_END, "working_days": 5,
        "years": {"2031": {"source": "recorded", "version": 1, "notice_no": syn.NOTICE_NO,
                           "fingerprint": schedule.fingerprint}}}
    # the step's own values stay the entry's fields: the judgement is not part of them
    assert "calendar_used" not in app.get_case(case_id).steps[-1].values


def test_a_promotion_stores_the_calendar_it_counted_the_publicity_with(app: f.Jishi) -> None:
    cadre_id, case_id = syn.case_ready_for_publicity(app)
    app.handle(PublishCalendar(syn.payload()), syn.ADMIN)
    app.handle(RecordCaseStep(case_id, "PublicityHeld", syn.publicity(cadre_id)), f.HR)
    appoint_on = syn.FIVE_DAYS_END + timedelta(days=1)
    app.handle(RecordCaseStep(case_id, "CaseConcluded", {"effective_on": appoint_on.isoformat(),
                                                    "cadre_id": str(cadre_id), "outcome": "任用"}), f.HR)
    result = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(
        appoint_on.isoformat(), manner="提拔", selection_case_id=str(case_id))), f.HR)
    used = _stored(app, cadre_id, result.version).calendar_used  # type: ignore[attr-defined]
    assert used["working_days"] == 5 and used["years"]["2031"]["version"] == 1
    assert "calendar_used" not in app.get_cadre(cadre_id).entries[result.entry_id].values


def test_an_appointment_that_is_no_promotion_counts_nothing_and_stores_no_calendar(app: f.Jishi) -> None:
    f.organisation(app)
    cadre_id = f.registered(app)
    result = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2020-01-01")), f.HR)  # 平职交流
    assert _stored(app, cadre_id, result.version).calendar_used is None  # type: ignore[attr-defined]


def test_a_correction_makes_a_new_version_and_rewrites_no_stored_step(app: f.Jishi) -> None:
    cadre_id, case_id = syn.case_ready_for_publicity(app)
    app.handle(PublishCalendar(syn.payload()), syn.ADMIN)
    stored = app.handle(RecordCaseStep(case_id, "PublicityHeld", syn.publicity(cadre_id)), f.HR)
    before = _stored(app, case_id, stored.version).calendar_used  # type: ignore[attr-defined]
    corrected = app.handle(PublishCalendar(syn.correction(document_no="虚构更正〔2031〕2号"), correct=True), syn.ADMIN)
    assert corrected.version == 2
    schedule = app.calendar_year(2031)
    assert schedule is not None and schedule.version == 2 and date(2031, 3, 7) in schedule.holidays
    assert _stored(app, case_id, stored.version).calendar_used == before  # type: ignore[attr-defined]
    assert schedule.fingerprint != before["years"]["2031"]["fingerprint"]
    # the same span judged now, for another cadre's publicity, counts 4 working days
    assert app.working_calendar([2031]).working_days_inclusive(syn.START, syn.FIVE_DAYS_END) == 4


def test_a_year_is_published_once_then_corrected(app: f.Jishi) -> None:
    with pytest.raises(NotFoundError):
        app.handle(PublishCalendar(syn.correction(), correct=True), syn.ADMIN)
    app.handle(PublishCalendar(syn.payload()), syn.ADMIN)
    with pytest.raises(ConflictError, match="correct it instead"):
        app.handle(PublishCalendar(syn.payload()), syn.ADMIN)
    with pytest.raises(ValidationError) as same:
        app.handle(PublishCalendar(syn.payload(reason="无变化"), correct=True), syn.ADMIN)
    assert [e.loc for e in same.value.errors] == ["holidays"]
    with pytest.raises(ValidationError) as no_reason:
        app.handle(PublishCalendar(syn.payload(holidays=syn.CORRECTED_HOLIDAYS), correct=True), syn.ADMIN)
    assert [e.loc for e in no_reason.value.errors] == ["reason"]


def test_publishing_with_the_same_idempotency_key_records_once(app: f.Jishi) -> None:
    first = app.handle(PublishCalendar(syn.payload(), idempotency_key="admin:cal-2031"), syn.ADMIN)
    again = app.handle(PublishCalendar(syn.payload(), idempotency_key="admin:cal-2031"), syn.ADMIN)
    assert (again.entry_id, again.version, again.position) == (first.entry_id, first.version, first.position)


@pytest.mark.parametrize(("by", "allowed"), [
    (syn.ADMIN, True),
    (syn.CALENDAR_HR, True),
    (f.HR, False),  # hr without the permission
    (f.HR_OVERRIDE, False),  # the override permission is another permission
    (Provenance("aud", "auditor", "r", can_publish_calendar=True), False),  # only hr takes it
    (Provenance("ovs", "oversight", "r"), False),
])
def test_only_an_admin_or_a_permitted_hr_user_may_publish(app: f.Jishi, by: Provenance, allowed: bool) -> None:
    if allowed:
        assert app.handle(PublishCalendar(syn.payload()), by).version == 1
        return
    with pytest.raises(PermissionDeniedError):
        app.handle(PublishCalendar(syn.payload()), by)
    assert app.calendar_year(2031) is None


def test_a_recorded_year_replaces_the_built_in_one(app: f.Jishi) -> None:
    # SYNTHETIC: a made-up 2025 schedule (one holiday), recorded over the built-in one
    made_up = {"year": 2025, "holidays": ["2025-06-03"], "workdays": [], "notice_no": "虚构测试〔2024〕9号",
               "notice_date": "2024-12-01"}
    assert app.calendar_year(2025) == BUILT_IN.years[2025]
    app.handle(PublishCalendar(made_up), syn.ADMIN)
    recorded = app.calendar_year(2025)
    assert recorded is not None and recorded.source == "recorded" and recorded.notice_no == "虚构测试〔2024〕9号"
    calendar = app.working_calendar([2025])
    assert calendar.is_working_day(date(2025, 10, 1))  # the built-in 国庆 holiday is not in the recorded year
    assert not calendar.is_working_day(date(2025, 6, 3))


def test_a_publicity_stored_before_calendar_used_existed_still_loads(app: f.Jishi) -> None:
    cadre_id, case_id = syn.case_ready_for_publicity(app)
    version = app.get_case(case_id).version
    old_state = {  # as a PublicityHeld was stored before this release: no calendar_used
        "timestamp": f.datetime_now(), "effective_on": syn.FIVE_DAYS_END, "actor": "legacy", "actor_role": "hr",
        "request_id": "import", "document_no": None, "reason": None, "overrides": ("R-PUBLICITY",),
        "override_reason": "旧记录", "cadre_id": cadre_id, "start_on": syn.START, "end_on": syn.FIVE_DAYS_END,
        "objections": 0, "objection_notes": None,
    }
    app.recorder.insert_events([StoredEvent(originator_id=case_id, originator_version=version + 1,
                                            topic="jishi.case.PublicityHeld",
                                            state=f.stored_state(app, old_state))])
    event = _stored(app, case_id, version + 1)
    assert event.calendar_used is None  # type: ignore[attr-defined]
    step = app.get_case(case_id).steps[-1]
    assert (step.type, step.values["end_on"], step.overrides) == ("PublicityHeld", syn.FIVE_DAYS_END, ("R-PUBLICITY",))
