"""The core guards at their boundaries: R-ID, R-SEQ, R-FUTURE, R-EST, and the override path."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.errors import PermissionDeniedError, RuleViolationError
from service.commands import ChangeEstablishment, CorrectEntry, RecordEntry, RegisterCadre, RetractEntry
from tests import factories as f
from tests.conftest import AppFactory


def refused(rule: str, excinfo: pytest.ExceptionInfo[RuleViolationError]) -> bool:
    return rule in excinfo.value.rules


# — R-ID —

def test_a_valid_id_number_with_its_birth_date_is_accepted(app: f.Jishi) -> None:
    app.handle(RegisterCadre(f.cadre("C1", birth=date(1949, 12, 31), id_number="11010519491231002X")), f.HR)


def test_an_id_number_with_a_wrong_check_digit_is_refused_by_r_id(app: f.Jishi) -> None:
    with pytest.raises(RuleViolationError) as e:
        app.handle(RegisterCadre(f.cadre("C1", birth=date(1990, 1, 1), id_number="110101199001011234")), f.HR)
    assert refused("R-ID", e) and e.value.violations[0].field == "id_number"


def test_an_id_number_whose_birth_date_differs_from_birth_date_is_refused(app: f.Jishi) -> None:
    with pytest.raises(RuleViolationError) as e:
        app.handle(RegisterCadre(f.cadre("C1", birth=date(1949, 12, 30), id_number="11010519491231002X")), f.HR)
    assert refused("R-ID", e)


def test_a_code_outside_its_national_table_is_refused_by_r_id(app: f.Jishi) -> None:
    with pytest.raises(RuleViolationError) as e:
        app.handle(RegisterCadre(f.cadre("C1", ethnicity="99")), f.HR)
    assert refused("R-ID", e) and {v.field for v in e.value.violations} == {"ethnicity"}


def test_r_id_cannot_be_overridden_even_with_a_reason(app: f.Jishi) -> None:
    cadre_id = f.registered(app)
    head = app.recorder.max_notification_id()
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "EducationAttained", {
            "effective_on": "2015-06-30", "education": "55", "institution": "某大学",
            "full_time": True, "override_reason": "上级同意"}), f.HR_OVERRIDE)
    assert refused("R-ID", e)
    assert app.recorder.max_notification_id() == head


# — R-FUTURE —

def at_shanghai(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=8)


@pytest.mark.parametrize(("offset", "accepted"), [(-1, True), (0, True), (1, False)])
def test_effective_dates_up_to_today_are_accepted_and_tomorrow_is_refused(
        make_app: AppFactory, offset: int, accepted: bool) -> None:
    today = date(2024, 5, 10)
    app = make_app(clock=lambda: at_shanghai(today))
    f.organisation(app)
    cadre_id = f.registered(app)
    payload = f.appointment((today + timedelta(days=offset)).isoformat())
    if accepted:
        app.handle(RecordEntry(cadre_id, "Appointed", payload), f.HR)
    else:
        with pytest.raises(RuleViolationError) as e:
            app.handle(RecordEntry(cadre_id, "Appointed", payload), f.HR)
        assert refused("R-FUTURE", e)


def test_today_is_the_date_in_china_not_in_utc(make_app: AppFactory) -> None:
    # 2024-05-09 16:30 UTC is already 2024-05-10 00:30 in Beijing.
    app = make_app(clock=lambda: datetime(2024, 5, 9, 16, 30, tzinfo=UTC))
    f.organisation(app)
    cadre_id = f.registered(app)
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2024-05-10")), f.HR)


def test_a_planned_end_date_may_lie_in_the_future(app: f.Jishi) -> None:
    cadre_id = f.registered(app)
    app.handle(RecordEntry(cadre_id, "SecondmentStarted", {
        "effective_on": "2024-01-01", "kind": "下挂", "host": "某镇", "role": "副镇长",
        "planned_end_on": (date.today() + timedelta(days=400)).isoformat()}), f.HR)


# — R-SEQ —

@pytest.mark.parametrize(("day", "accepted"),
                         [("2019-12-31", False), ("2020-01-01", True), ("2020-01-02", True)])
def test_a_dismissal_must_match_a_post_held_on_that_date(app: f.Jishi, day: str, accepted: bool) -> None:
    f.organisation(app)
    cadre_id = f.registered(app)
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2020-01-01")), f.HR)
    if accepted:
        app.handle(RecordEntry(cadre_id, "Dismissed", f.dismissal(day)), f.HR)
    else:
        with pytest.raises(RuleViolationError) as e:
            app.handle(RecordEntry(cadre_id, "Dismissed", f.dismissal(day)), f.HR)
        assert refused("R-SEQ", e)


def test_a_dismissal_from_a_post_never_held_is_refused(app: f.Jishi) -> None:
    f.organisation(app)
    cadre_id = f.registered(app)
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "Dismissed", f.dismissal("2021-01-01")), f.HR)
    assert refused("R-SEQ", e)


@pytest.mark.parametrize(("day", "accepted"), [("2009-12-31", False), ("2010-01-01", True)])
def test_an_appointment_needs_the_post_to_exist_on_its_date(app: f.Jishi, day: str, accepted: bool) -> None:
    f.organisation(app)  # P1 established 2010-01-01
    cadre_id = f.registered(app)
    if accepted:
        app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(day)), f.HR)
    else:
        with pytest.raises(RuleViolationError) as e:
            app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(day)), f.HR)
        assert refused("R-SEQ", e)


def test_an_appointment_to_a_post_that_does_not_exist_is_refused(app: f.Jishi) -> None:
    f.organisation(app)
    cadre_id = f.registered(app)
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(post_code="NOPE")), f.HR)
    assert refused("R-SEQ", e)


def test_after_departure_only_corrections_and_retractions_are_accepted(app: f.Jishi) -> None:
    cadre_id = f.registered(app)
    departed = app.handle(RecordEntry(cadre_id, "Departed", {"effective_on": "2023-07-01", "reason": "退休"}), f.HR)
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "HardshipRecorded", {"effective_on": "2023-06-01",
                                                              "description": "家人重病"}), f.HR)
    assert refused("R-SEQ", e)
    app.handle(CorrectEntry(cadre_id, departed.entry_id, {"changes": {"effective_on": "2023-07-02"},
                                                          "reason": "日期录错"}), f.HR)
    app.handle(RetractEntry(cadre_id, departed.entry_id, {"reason": "误录"}), f.HR)
    app.handle(RecordEntry(cadre_id, "HardshipRecorded", {"effective_on": "2023-08-01", "description": "家人重病"}),
               f.HR)


def test_a_secondment_end_must_match_an_open_secondment(app: f.Jishi) -> None:
    cadre_id = f.registered(app)
    started = app.handle(RecordEntry(cadre_id, "SecondmentStarted", {
        "effective_on": "2021-01-01", "kind": "上挂", "host": "市委组织部", "role": "跟班",
        "planned_end_on": "2022-01-01"}), f.HR)
    end = {"effective_on": "2021-12-31", "secondment_entry_id": str(started.entry_id)}
    app.handle(RecordEntry(cadre_id, "SecondmentEnded", end), f.HR)
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "SecondmentEnded", end), f.HR)
    assert refused("R-SEQ", e)
    with pytest.raises(RuleViolationError):
        other = f.registered(app, "C9")
        app.handle(RecordEntry(cadre_id, "SecondmentEnded", {**end, "secondment_entry_id": str(other)}), f.HR)


# — R-EST —

@pytest.mark.parametrize(("day", "accepted"),
                         [("2020-12-31", False), ("2021-01-01", True), ("2021-01-02", True)])
def test_the_seat_frees_on_the_day_its_holder_is_dismissed(app: f.Jishi, day: str, accepted: bool) -> None:
    f.organisation(app, establishment=1)
    first, second = f.registered(app, "C1"), f.registered(app, "C2")
    app.handle(RecordEntry(first, "Appointed", f.appointment("2020-01-01")), f.HR)
    app.handle(RecordEntry(first, "Dismissed", f.dismissal("2021-01-01")), f.HR)
    if accepted:
        app.handle(RecordEntry(second, "Appointed", f.appointment(day)), f.HR)
    else:
        with pytest.raises(RuleViolationError) as e:
            app.handle(RecordEntry(second, "Appointed", f.appointment(day)), f.HR)
        assert refused("R-EST", e)


def test_the_day_an_establishment_fills_no_further_holder_is_accepted(app: f.Jishi) -> None:
    f.organisation(app, establishment=2)
    a, b, c = (f.registered(app, n) for n in ("C1", "C2", "C3"))
    app.handle(RecordEntry(a, "Appointed", f.appointment("2020-01-01")), f.HR)
    app.handle(RecordEntry(b, "Appointed", f.appointment("2020-06-01")), f.HR)  # fills the second seat
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(c, "Appointed", f.appointment("2020-06-01")), f.HR)
    assert refused("R-EST", e)
    with pytest.raises(RuleViolationError):
        app.handle(RecordEntry(c, "Appointed", f.appointment("2020-05-31")), f.HR)  # open-ended: overlaps


def test_a_back_dated_appointment_is_judged_by_the_seats_on_its_own_dates(app: f.Jishi) -> None:
    f.organisation(app, establishment=1)
    a, b = f.registered(app, "C1"), f.registered(app, "C2")
    app.handle(RecordEntry(a, "Appointed", f.appointment("2020-06-01")), f.HR)
    app.handle(RecordEntry(a, "Dismissed", f.dismissal("2021-01-01")), f.HR)
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(b, "Appointed", f.appointment("2020-12-31")), f.HR)
    assert refused("R-EST", e)
    app.handle(RecordEntry(b, "Appointed", f.appointment("2021-01-01")), f.HR)


def test_lowering_the_establishment_below_its_holders_is_refused(app: f.Jishi) -> None:
    f.organisation(app, establishment=2)
    a, b = f.registered(app, "C1"), f.registered(app, "C2")
    app.handle(RecordEntry(a, "Appointed", f.appointment("2020-01-01")), f.HR)
    app.handle(RecordEntry(b, "Appointed", f.appointment("2020-01-01")), f.HR)
    with pytest.raises(RuleViolationError) as e:
        app.handle(ChangeEstablishment("U1", "P1", {"effective_on": "2021-01-01", "establishment": 1}), f.HR)
    assert refused("R-EST", e)


# — override —

def test_an_overridden_guard_is_stored_with_its_rule_ids_reason_and_actor(app: f.Jishi) -> None:
    f.organisation(app, establishment=1)
    a, b = f.registered(app, "C1"), f.registered(app, "C2")
    app.handle(RecordEntry(a, "Appointed", f.appointment("2020-01-01")), f.HR)
    result = app.handle(RecordEntry(b, "Appointed", f.appointment("2020-02-01", override_reason="县委常委会特批")),
                        f.HR_OVERRIDE)
    assert result.overrides == ("R-EST",)
    event = next(e for e in app.events.get(b) if e.originator_version == result.version)
    assert event.overrides == ("R-EST",)
    assert event.override_reason == "县委常委会特批"
    assert event.actor == "hr-chief"
    post_event = list(app.events.get(app.get_post("U1", "P1").id))[-1]
    assert post_event.overrides == ("R-EST",)


def test_an_override_without_the_permission_is_refused_and_nothing_is_stored(app: f.Jishi) -> None:
    f.organisation(app, establishment=1)
    a, b = f.registered(app, "C1"), f.registered(app, "C2")
    app.handle(RecordEntry(a, "Appointed", f.appointment("2020-01-01")), f.HR)
    head = app.recorder.max_notification_id()
    with pytest.raises(PermissionDeniedError):
        app.handle(RecordEntry(b, "Appointed", f.appointment("2020-02-01", override_reason="特批")), f.HR)
    with pytest.raises(RuleViolationError):
        app.handle(RecordEntry(b, "Appointed", f.appointment("2020-02-01")), f.HR_OVERRIDE)  # no reason
    assert app.recorder.max_notification_id() == head
