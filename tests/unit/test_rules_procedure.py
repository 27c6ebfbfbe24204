"""The procedure rules at their boundaries: R-QUORUM, R-PUBLICITY (holiday calendar with 调休),
R-RECOMMEND-VALID, R-FOUR-CHECKS and the order of the steps (R-SEQ)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.errors import Violation
from domain.rules.catalog import RULES
from domain.rules.common import add_months
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext
from domain.rules.engine import evaluate
from domain.selection import CASE_EVENTS, CHECKS, CaseOpened, SelectionCase
from domain.workdays import BUILT_IN, COVERED_YEARS, WorkingCalendar, YearSchedule

CONFIG = RuleConfig.defaults()
N = CONFIG.int("selection.publicity_working_days")
DAY = timedelta(days=1)
CADRE = UUID(int=42)
OPENED = date(2024, 1, 2)
add_working_days = BUILT_IN.add_working_days
working_days_inclusive = BUILT_IN.working_days_inclusive


def new_case(opened: date = OPENED) -> SelectionCase:
    return SelectionCase._create(CaseOpened, id=uuid4(), unit_code="U1", post_code="P1", method="民主推荐",
                                 exceptional=False, effective_on=opened, reason="动议")


def add(case: SelectionCase, step_type: str, day: date, **values: Any) -> None:
    case.trigger_event(CASE_EVENTS[step_type], effective_on=day, **values)


def check(case: SelectionCase, step_type: str, day: date, *, calendar: WorkingCalendar = BUILT_IN,
          **values: Any) -> list[Violation]:
    ctx = GuardContext(date(2040, 1, 1), step_type, {"effective_on": day, **values}, case=case, calendar=calendar)
    return evaluate(ctx, CONFIG)


def rules(violations: list[Violation]) -> list[str]:
    return sorted({v.rule for v in violations})


def ready(case: SelectionCase, day: date, *, skip: tuple[str, ...] = ()) -> None:
    """Steps up to (not including) the decision, each at ``day`` or before."""
    add(case, "Recommended", OPENED, kind="会议推荐", participants=20, votes={str(CADRE): 15})
    add(case, "Shortlisted", OPENED + DAY, cadre_ids=(CADRE,))
    if "Inspected" not in skip:
        add(case, "Inspected", day, cadre_id=CADRE, findings="好")
    for name in CHECKS:
        if name not in skip:
            add(case, "CheckCompleted", day, cadre_id=CADRE, check=name, result="通过")
    if "IntegrityOpinionSigned" not in skip:
        add(case, "IntegrityOpinionSigned", day, cadre_id=CADRE, party_secretary="甲", discipline_secretary="乙")


def decision(members: int, present: int, yes: int) -> dict[str, Any]:
    return {"cadre_id": CADRE, "members_total": members, "present": present,
            "votes": {"同意": yes, "不同意": present - yes, "缓议": 0}}


# — R-QUORUM —

@pytest.mark.parametrize("members", [7, 9, 10, 12])
def test_the_decision_meeting_needs_the_configured_share_present(members: int) -> None:
    case = new_case()
    ready(case, date(2024, 2, 1))
    least = math.ceil(CONFIG.fraction("selection.quorum_present_fraction") * members)
    assert rules(check(case, "Decided", date(2024, 2, 2), **decision(members, least - 1, least - 1))) == ["R-QUORUM"]
    assert rules(check(case, "Decided", date(2024, 2, 2), **decision(members, least, least))) == []


@pytest.mark.parametrize("members", [7, 9, 10, 12])
def test_a_publicity_needs_more_than_the_configured_share_in_favour(members: int) -> None:
    least = math.floor(CONFIG.fraction("selection.approval_fraction") * members) + 1
    for yes, refused in ((least - 1, True), (least, False)):
        case = new_case()
        ready(case, date(2024, 2, 1))
        add(case, "Decided", date(2024, 2, 2), **decision(members, members, yes))
        start = date(2024, 2, 19)
        found = check(case, "PublicityHeld", add_working_days(start, N), cadre_id=CADRE, start_on=start,
                      end_on=add_working_days(start, N), objections=0)
        assert rules(found) == (["R-QUORUM"] if refused else [])


# — R-PUBLICITY —

def publicity(start: date, end: date) -> list[str]:
    case = new_case()
    ready(case, start - timedelta(days=3))
    add(case, "Decided", start - timedelta(days=2), **decision(9, 9, 9))
    return rules(check(case, "PublicityHeld", end, cadre_id=CADRE, start_on=start, end_on=end, objections=0))


def test_a_publicity_of_the_configured_working_days_passes_and_one_day_less_is_refused() -> None:
    start = date(2024, 3, 4)
    assert publicity(start, add_working_days(start, N)) == []
    assert publicity(start, add_working_days(start, N - 1)) == ["R-PUBLICITY"]
    assert publicity(start, start + timedelta(days=1)) == ["R-PUBLICITY"]


def test_a_publicity_across_national_day_counts_the_sunday_make_up_day_and_not_the_holiday() -> None:
    # 2024: 10月1日至7日放假; 9月29日（星期日）上班.
    start = date(2024, 9, 27)
    short = add_working_days(start, N - 1)
    assert date(2024, 9, 29) <= short < date(2024, 10, 12)
    assert working_days_inclusive(start, date(2024, 10, 8)) == 4  # Fri 27, Sun 29 (调休), Mon 30, Tue 8
    assert publicity(start, short) == ["R-PUBLICITY"]
    assert publicity(start, add_working_days(start, N)) == []


def test_a_publicity_ending_on_a_saturday_make_up_day_counts_that_saturday() -> None:
    # 2024-10-12 was a Saturday worked in lieu (调休); Sunday the 13th was not.
    start = date(2024, 10, 9)
    assert working_days_inclusive(start, date(2024, 10, 12)) == 4
    assert publicity(start, add_working_days(start, N - 1)) == ["R-PUBLICITY"]
    assert publicity(start, add_working_days(start, N)) == []


def test_a_publicity_the_calendar_does_not_cover_is_an_overridable_r_publicity_violation() -> None:
    before = date(COVERED_YEARS[0] - 1, 12, 1)
    case = new_case(before - timedelta(days=60))
    found = [v for v in check(case, "PublicityHeld", before + timedelta(days=10), cadre_id=CADRE,
                              start_on=before, end_on=before + timedelta(days=10), objections=0)
             if v.rule == "R-PUBLICITY"]
    assert found and "工作日日历未包含" in found[0].message_zh and found[0].field == "end_on"
    assert RULES["R-PUBLICITY"].overridable


# A SYNTHETIC year, made up for the tests (not any real State Council schedule): 2031 with a
# holiday on Tuesday 4 – Thursday 6 March and Saturday 8 March worked instead.
SYNTHETIC_2031 = YearSchedule(2031, frozenset({date(2031, 3, 4), date(2031, 3, 5), date(2031, 3, 6)}),
                              frozenset({date(2031, 3, 8)}), "recorded", version=1, notice_no="测试〔2030〕1号")


def test_a_publicity_in_a_recorded_year_is_counted_with_that_years_schedule() -> None:
    calendar = BUILT_IN.with_years([SYNTHETIC_2031])
    start = date(2031, 3, 3)  # Mon 3, (Tue–Thu off), Fri 7, Sat 8 (worked), Mon 10, Tue 11
    assert calendar.working_days_inclusive(start, date(2031, 3, 10)) == 4
    assert publicity_with(calendar, start, date(2031, 3, 10)) == ["R-PUBLICITY"]
    assert publicity_with(calendar, start, date(2031, 3, 11)) == []


def test_a_publicity_in_a_year_the_calendar_does_not_know_is_refused_however_long_it_is() -> None:
    start = date(2031, 3, 3)
    assert publicity_with(BUILT_IN, start, date(2031, 6, 30)) == ["R-PUBLICITY"]  # four months: still refused


def publicity_with(calendar: WorkingCalendar, start: date, end: date) -> list[str]:
    case = new_case(start - timedelta(days=30))
    ready(case, start - timedelta(days=3))
    add(case, "Decided", start - timedelta(days=2), **decision(9, 9, 9))
    return rules(check(case, "PublicityHeld", end, calendar=calendar, cadre_id=CADRE, start_on=start, end_on=end,
                       objections=0))


def test_nothing_is_concluded_before_the_publicity_ends() -> None:
    case = new_case()
    ready(case, date(2024, 3, 1))
    add(case, "Decided", date(2024, 3, 2), **decision(9, 9, 9))
    start = date(2024, 3, 4)
    end = add_working_days(start, N)
    add(case, "PublicityHeld", end, cadre_id=CADRE, start_on=start, end_on=end, objections=0)
    assert rules(check(case, "CaseConcluded", end, cadre_id=CADRE, outcome="任用")) == ["R-PUBLICITY"]
    assert rules(check(case, "CaseConcluded", end + DAY, cadre_id=CADRE, outcome="任用")) == []
    assert rules(check(case, "CaseConcluded", end, cadre_id=CADRE, outcome="缓议")) == []


# — R-RECOMMEND-VALID —

def test_a_recommendation_supports_a_shortlist_for_the_configured_months() -> None:
    months = CONFIG.int("selection.recommendation_valid_months")
    case = new_case()
    recommended = OPENED + timedelta(days=5)
    add(case, "Recommended", recommended, kind="谈话调研推荐", participants=40, votes={str(CADRE): 30})
    first_expired = add_months(recommended, months)

    def shortlist(day: date) -> list[str]:
        return [v.rule for v in check(case, "Shortlisted", day, cadre_ids=(CADRE,)) if v.rule == "R-RECOMMEND-VALID"]

    assert shortlist(recommended + timedelta(days=60)) == []  # well inside
    assert shortlist(first_expired - DAY) == []  # the last valid day
    assert shortlist(first_expired) == ["R-RECOMMEND-VALID"]  # the first day it no longer supports one


def test_no_shortlist_without_a_recommendation() -> None:
    assert "R-RECOMMEND-VALID" in rules(check(new_case(), "Shortlisted", OPENED + DAY, cadre_ids=(CADRE,)))


# — R-FOUR-CHECKS —

@pytest.mark.parametrize("missing", [*CHECKS, "IntegrityOpinionSigned"])
def test_no_decision_without_each_of_the_four_checks_and_the_dual_signature(missing: str) -> None:
    case = new_case()
    ready(case, date(2024, 2, 1), skip=(missing,))
    found = check(case, "Decided", date(2024, 2, 2), **decision(9, 9, 9))
    assert rules(found) == ["R-FOUR-CHECKS"]
    assert len(found) == 1 and (missing in found[0].message_zh or "双签字" in found[0].message_zh)


def test_a_check_that_found_problems_does_not_count_as_passed() -> None:
    case = new_case()
    ready(case, date(2024, 2, 1), skip=("信访查核",))
    add(case, "CheckCompleted", date(2024, 2, 1), cadre_id=CADRE, check="信访查核", result="存在问题")
    [violation] = check(case, "Decided", date(2024, 2, 2), **decision(9, 9, 9))
    assert violation.rule == "R-FOUR-CHECKS" and "存在问题" in violation.message_zh


def test_the_checks_count_from_their_own_date_not_from_when_they_were_recorded() -> None:
    case = new_case()
    ready(case, date(2024, 2, 5))  # the checks took place on the 5th
    assert rules(check(case, "Decided", date(2024, 2, 4), **decision(9, 9, 9))) == ["R-FOUR-CHECKS", "R-SEQ"]
    assert rules(check(case, "Decided", date(2024, 2, 5), **decision(9, 9, 9))) == []


# — the order of the steps (R-SEQ) —

def test_steps_for_a_cadre_need_the_cadre_shortlisted_first() -> None:
    case = new_case()
    add(case, "Recommended", OPENED, kind="会议推荐", participants=20, votes={})
    other = uuid4()
    assert rules(check(case, "Inspected", OPENED + DAY, cadre_id=other, findings="好")) == ["R-SEQ"]
    assert rules(check(case, "CheckCompleted", OPENED + DAY, cadre_id=other, check="档案审核", result="通过")) == [
        "R-SEQ"]


def test_no_step_before_the_case_was_opened() -> None:
    case = new_case()
    assert rules(check(case, "Recommended", OPENED - DAY, kind="会议推荐", participants=20, votes={})) == ["R-SEQ"]


def test_no_decision_before_the_inspection_and_no_publicity_before_the_decision() -> None:
    case = new_case()
    ready(case, date(2024, 2, 1), skip=("Inspected",))
    assert "R-SEQ" in rules(check(case, "Decided", date(2024, 2, 2), **decision(9, 9, 9)))
    start = date(2024, 2, 19)
    end = add_working_days(start, N)
    assert rules(check(case, "PublicityHeld", end, cadre_id=CADRE, start_on=start, end_on=end)) == ["R-SEQ"]


def test_nothing_more_for_a_cadre_after_the_case_concluded_for_them() -> None:
    case = new_case()
    ready(case, date(2024, 2, 1))
    add(case, "CaseConcluded", date(2024, 2, 3), cadre_id=CADRE, outcome="不予任用")
    assert rules(check(case, "Decided", date(2024, 2, 4), **decision(9, 9, 9))) == ["R-SEQ"]
