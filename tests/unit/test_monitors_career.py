"""Career monitors: probation, follow-up, rotation, secondments, pools, merit/unfit, personal matters."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest

from domain.monitors.facts import EntryFact, is_overdue, status_on
from domain.monitors.values import add_months, add_years
from tests.unit.test_monitors_support import (
    CONFIG,
    DAY,
    Case,
    annual,
    appointed,
    departed,
    dismissed,
    entry,
    of_rule,
    only,
    registered,
    run,
    setting,
    talk,
)

ON = date(2020, 3, 10)
REG = registered(date(2015, 1, 1))
MERIT_YEARS = setting("monitors.merit_consecutive_excellent")
UNFIT_YEARS = setting("monitors.unfit_consecutive")
STALE_MONTHS = setting("monitors.pool_stale_months")
REVIEW_MONTHS = setting("monitors.pool_review_months")
GRACE = timedelta(days=setting("monitors.secondment_grace_days"))
PLANNED_END = date(2021, 3, 9)
_month, _day = (int(p) for p in str(CONFIG.get("monitors.personal_matters_due")).split("-"))
REPORT_DUE_2021 = date(2021, _month, _day)


def secondment(on: date = ON, planned_end: date = PLANNED_END) -> EntryFact:
    return entry("SecondmentStarted", on, kind="下挂", host="某镇", role="副镇长", planned_end_on=planned_end)


def pool_entered(on: date, pool: str = "后备干部库") -> EntryFact:
    return entry("PoolEntered", on, pool=pool, grounds="民主推荐")


def pool_reviewed(on: date, pool: str = "后备干部库", outcome: str = "保留") -> EntryFact:
    return entry("PoolReviewed", on, pool=pool, outcome=outcome)


def pool_exited(on: date, pool: str = "后备干部库", reason: str = "调整出库") -> EntryFact:
    return entry("PoolExited", on, pool=pool, reason=reason)


_probation = appointed(ON, post="DEP")
_promotion = appointed(ON, post="HEAD", manner="提拔")
_secondment = secondment()
_entered = pool_entered(ON)
_excellent = [annual(2019 + n, "优秀") for n in range(MERIT_YEARS)]
_last_excellent_year = 2019 + MERIT_YEARS - 1
_county = registered(date(2015, 1, 1), rank="四级调研员")

CASES = {
    "R-PROBATION": Case(
        "R-PROBATION", (REG, _probation), str(_probation.entry_id), ON,
        add_months(ON, setting("monitors.probation_months")) + timedelta(days=setting("monitors.probation_grace_days")),
        lambda day: entry("ProbationConcluded", day, post_code="DEP", unit_code="U1", outcome="胜任")),
    "R-FOLLOWUP": Case(
        "R-FOLLOWUP", (REG, _promotion), str(_promotion.entry_id), ON,
        add_months(ON, setting("monitors.followup_months")), lambda day: talk(day, "提任回访")),
    "R-SECONDMENT-OVERDUE": Case(
        "R-SECONDMENT-OVERDUE", (REG, _secondment), str(_secondment.entry_id), PLANNED_END + DAY,
        PLANNED_END + GRACE,
        lambda day: entry("SecondmentEnded", day, secondment_entry_id=_secondment.entry_id)),
    "R-POOL-REVIEW": Case(
        "R-POOL-REVIEW", (REG, _entered), str(_entered.entry_id), ON, add_months(ON, REVIEW_MONTHS),
        lambda day: pool_reviewed(day)),
    "R-MERIT": Case(
        "R-MERIT", (REG, *_excellent), str(_last_excellent_year), _excellent[-1].effective_on,
        date(_last_excellent_year + 1, 12, 31), lambda day: entry("Commended", day, kind="记三等功", by="县委")),
    "R-PERSONAL-MATTERS": Case(
        "R-PERSONAL-MATTERS", (_county,), "2020", date(2021, 1, 1), REPORT_DUE_2021,
        lambda day: entry("PersonalMattersReported", day, year=2020), horizon=date(2021, 12, 31)),
}


# — R-PROBATION —

def test_a_post_without_probation_needs_no_probation_conclusion() -> None:
    assert of_rule(run([REG, appointed(ON, post="HEAD")]), "R-PROBATION") == []


def test_leaving_the_post_before_the_probation_is_concluded_resolves_it_on_that_day() -> None:
    leave = dismissed(ON + 100 * DAY, post="DEP", reason="试用期不胜任")
    fact = only(run([REG, _probation, leave]), "R-PROBATION")
    assert (fact.resolved_on, fact.resolution) == (ON + 100 * DAY, (leave.entry_id,))


def test_a_conclusion_for_another_post_does_not_conclude_this_probation() -> None:
    other = entry("ProbationConcluded", ON + DAY, post_code="COUNTY", unit_code="U2", outcome="胜任")
    assert only(run([REG, _probation, other]), "R-PROBATION").resolved_on is None


# — R-FOLLOWUP —

def test_a_lateral_move_needs_no_follow_up_talk() -> None:
    assert of_rule(run([REG, appointed(ON, post="HEAD", manner="平职交流")]), "R-FOLLOWUP") == []


# — R-ROTATE —

HEAD_SINCE = date(2010, 3, 10)
_head = appointed(HEAD_SINCE, post="HEAD")
PLAN_ON = add_years(HEAD_SINCE, setting("monitors.rotate_plan_years"))
MUST_ON = add_years(HEAD_SINCE, setting("monitors.rotate_must_years"))


@pytest.mark.parametrize("label, anniversary", [("plan", PLAN_ON), ("must", MUST_ON)])
@pytest.mark.parametrize("offset, found", [(-1, False), (0, False), (1, True)])
def test_a_rotation_finding_needs_the_post_still_held_on_the_anniversary(label: str, anniversary: date,
                                                                           offset: int, found: bool) -> None:
    leave = dismissed(anniversary + offset * DAY, post="HEAD")
    facts = [f for f in run([REG, _head, leave]) if f.rule == "R-ROTATE" and f.key.endswith(label)]
    assert bool(facts) is found
    if found:
        assert (facts[0].trigger_on, facts[0].resolved_on) == (anniversary, anniversary + DAY)


@pytest.mark.parametrize("label, anniversary", [("plan", PLAN_ON), ("must", MUST_ON)])
def test_a_rotation_finding_opens_on_its_anniversary_and_is_never_overdue(label: str, anniversary: date) -> None:
    fact = only(run([REG, _head]), "R-ROTATE", f"{_head.entry_id}:{label}")
    assert status_on(fact, anniversary - DAY) is None
    assert status_on(fact, anniversary) == "open"
    assert fact.due_on is None and not is_overdue(fact, anniversary + 1000 * DAY)
    assert ("必须轮岗" if label == "must" else "应计划轮岗") in fact.detail


def test_ending_the_tenure_resolves_rotation_and_retracting_the_dismissal_reopens_it() -> None:
    leave = dismissed(MUST_ON + DAY, post="HEAD")
    resolved = only(run([REG, _head, leave]), "R-ROTATE", f"{_head.entry_id}:must")
    reopened = only(run([REG, _head]), "R-ROTATE", f"{_head.entry_id}:must")
    assert status_on(resolved, MUST_ON + DAY) == "resolved" and resolved.resolution == (leave.entry_id,)
    assert status_on(reopened, MUST_ON + DAY) == "open"


def test_only_leadership_posts_are_rotated() -> None:
    assert of_rule(run([REG, appointed(HEAD_SINCE, post="CLERK")]), "R-ROTATE") == []


def test_a_leap_day_appointment_has_its_anniversary_on_the_last_day_of_february() -> None:
    a = appointed(date(2012, 2, 29), post="HEAD")
    fact = only(run([REG, a]), "R-ROTATE", f"{a.entry_id}:plan")
    year = 2012 + setting("monitors.rotate_plan_years")
    assert fact.trigger_on == date(year, 2, 29 if calendar.isleap(year) else 28)


# — R-SECONDMENT-OVERDUE —

@pytest.mark.parametrize("offset, found", [(-1, False), (0, False), (1, True)])
def test_a_secondment_ended_by_its_planned_end_is_never_overdue(offset: int, found: bool) -> None:
    ended = entry("SecondmentEnded", PLANNED_END + offset * DAY, secondment_entry_id=_secondment.entry_id)
    facts = of_rule(run([REG, _secondment, ended]), "R-SECONDMENT-OVERDUE")
    assert bool(facts) is found


def test_departing_during_an_overdue_secondment_resolves_it_late() -> None:
    gone = departed(PLANNED_END + GRACE + 10 * DAY)
    fact = only(run([REG, _secondment, gone]), "R-SECONDMENT-OVERDUE")
    assert fact.resolved_on == gone.effective_on and fact.due_on is not None
    assert fact.resolved_on > fact.due_on


# — R-POOL-REVIEW —

def test_each_review_starts_the_next_review_period() -> None:
    first = pool_reviewed(ON + 300 * DAY)
    second = pool_reviewed(first.effective_on + 400 * DAY)
    facts = of_rule(run([REG, _entered, first, second]), "R-POOL-REVIEW")
    assert [(f.key, f.trigger_on, f.resolved_on) for f in facts] == sorted([
        (str(_entered.entry_id), ON, first.effective_on),
        (str(first.entry_id), first.effective_on, second.effective_on),
        (str(second.entry_id), second.effective_on, None)])
    late = only(facts, "R-POOL-REVIEW", str(first.entry_id))
    assert late.due_on == add_months(first.effective_on, REVIEW_MONTHS) and late.resolved_on > late.due_on


def test_leaving_the_pool_resolves_the_current_period_and_starts_no_other() -> None:
    review, leave = pool_reviewed(ON + 300 * DAY), pool_exited(ON + 500 * DAY)
    facts = of_rule(run([REG, _entered, review, leave]), "R-POOL-REVIEW")
    assert [f.resolved_on for f in facts if f.key == str(review.entry_id)] == [leave.effective_on]
    assert len(facts) == 2


def test_a_review_that_removes_the_member_ends_the_reviews() -> None:
    out = pool_reviewed(ON + 300 * DAY, outcome="调整出库")
    facts = of_rule(run([REG, _entered, out, pool_exited(ON + 300 * DAY)]), "R-POOL-REVIEW")
    assert [(f.key, f.resolved_on) for f in facts] == [(str(_entered.entry_id), out.effective_on)]


@pytest.mark.parametrize("pool, monitored", [("后备干部库", True), ("年轻干部库", True), ("两型干部库", True),
                                             ("专业干部人才库", False), ("女干部库", False), ("党外干部库", False)])
def test_only_reserve_pools_are_reviewed_and_watched_for_staleness(pool: str, monitored: bool) -> None:
    findings = run([REG, pool_entered(ON, pool)])
    assert bool(of_rule(findings, "R-POOL-REVIEW")) is monitored
    assert bool(of_rule(findings, "R-POOL-STALE")) is monitored


# — R-POOL-STALE —

STALE_ON = add_months(ON, STALE_MONTHS)


@pytest.mark.parametrize("use", ["promotion", "exit"])
@pytest.mark.parametrize("offset, found", [(-1, False), (0, False), (1, True)])
def test_a_member_used_or_out_by_the_anniversary_is_not_stale(use: str, offset: int, found: bool) -> None:
    day = STALE_ON + offset * DAY
    ender = appointed(day, post="HEAD", manner="提拔") if use == "promotion" else pool_exited(day)
    facts = of_rule(run([REG, _entered, ender]), "R-POOL-STALE")
    assert bool(facts) is found
    if found:
        assert (facts[0].trigger_on, facts[0].resolved_on, facts[0].resolution) == (STALE_ON, day, (ender.entry_id,))


def test_a_stale_member_is_open_from_the_anniversary_until_used() -> None:
    fact = only(run([REG, _entered]), "R-POOL-STALE")
    assert [status_on(fact, d) for d in (STALE_ON - DAY, STALE_ON, STALE_ON + DAY)] == [None, "open", "open"]
    promoted = appointed(STALE_ON + 10 * DAY, post="HEAD", manner="破格提拔")
    assert status_on(only(run([REG, _entered, promoted]), "R-POOL-STALE"), STALE_ON + 10 * DAY) == "resolved"


def test_a_lateral_move_is_not_using_a_pool_member() -> None:
    fact = only(run([REG, _entered, appointed(ON + DAY, post="HEAD", manner="轮岗")]), "R-POOL-STALE")
    assert fact.resolved_on is None


# — R-MERIT —

def test_a_gap_or_an_ungraded_year_breaks_a_run_of_excellent_years() -> None:
    gap = [annual(2015 + n, "优秀") for n in range(MERIT_YEARS - 1)] + [annual(2015 + MERIT_YEARS, "优秀")]
    withheld = [annual(2030 + n, "优秀") for n in range(MERIT_YEARS - 1)] + [annual(2030 + MERIT_YEARS - 1, "不定等次")]
    assert of_rule(run([REG, *gap, *withheld]), "R-MERIT") == []


def test_a_second_run_needs_a_second_merit_citation() -> None:
    years = [annual(2010 + n, "优秀") for n in range(2 * MERIT_YEARS)]
    citation = entry("Commended", date(2010 + MERIT_YEARS, 6, 1), kind="记三等功", by="县委")
    facts = of_rule(run([REG, *years, citation]), "R-MERIT")
    assert [f.resolved_on for f in facts] == [citation.effective_on, None]
    assert len(facts[0].evidence) == MERIT_YEARS


def test_a_merit_citation_before_the_run_ended_is_not_for_it() -> None:
    early = entry("Commended", date(_last_excellent_year, 6, 1), kind="记三等功", by="县委")
    assert CASES["R-MERIT"].fact(early).resolved_on is None


def test_the_latest_assessment_of_a_year_is_the_one_that_counts() -> None:
    regraded = annual(_last_excellent_year, "称职", on=_excellent[-1].effective_on + DAY)
    assert of_rule(run([REG, *_excellent, regraded]), "R-MERIT") == []


# — R-UNFIT —

_unfit = [annual(2019 + n, "不称职") for n in range(UNFIT_YEARS)]


def test_consecutive_unfit_years_open_a_finding_on_the_day_of_the_last_assessment() -> None:
    fact = only(run([REG, *_unfit]), "R-UNFIT")
    last = _unfit[-1].effective_on
    assert [status_on(fact, d) for d in (last - DAY, last, last + 1000 * DAY)] == [None, "open", "open"]
    assert fact.due_on is None and fact.evidence == tuple(e.entry_id for e in _unfit)


@pytest.mark.parametrize("reason, resolves", [("辞退", True), ("辞职", False)])
def test_only_a_dismissal_from_service_resolves_unfitness(reason: str, resolves: bool) -> None:
    gone = departed(_unfit[-1].effective_on + 20 * DAY, reason=reason)
    fact = only(run([REG, *_unfit, gone]), "R-UNFIT")
    assert (fact.resolved_on == gone.effective_on) is resolves
    assert only(run([REG, *_unfit]), "R-UNFIT").resolved_on is None  # retracted: open again


def test_unfit_years_with_a_fit_year_between_do_not_count() -> None:
    mixed = [annual(2019, "不称职"), annual(2020, "称职"), annual(2021, "不称职")]
    assert of_rule(run([REG, *mixed]), "R-UNFIT") == []


# — R-PERSONAL-MATTERS —

@pytest.mark.parametrize("rank, asked", [("四级调研员", True), ("二级巡视员", True), ("一级主任科员", False)])
def test_personal_matters_are_asked_of_county_deputy_rank_and_above(rank: str, asked: bool) -> None:
    findings = run([registered(date(2015, 1, 1), rank=rank)], date(2021, 12, 31))
    assert bool(of_rule(findings, "R-PERSONAL-MATTERS")) is asked


def test_a_county_deputy_post_makes_a_low_rank_cadre_report() -> None:
    a = appointed(date(2020, 5, 1), unit="U2", post="COUNTY", manner="提拔")
    facts = of_rule(run([registered(date(2015, 1, 1), rank="二级主任科员"), a], date(2021, 12, 31)),
                    "R-PERSONAL-MATTERS")
    assert [(f.key, f.unit_code) for f in facts] == [("2020", "U2")]


def test_a_report_for_another_year_does_not_count() -> None:
    wrong = entry("PersonalMattersReported", date(2021, 1, 10), year=2021)
    assert CASES["R-PERSONAL-MATTERS"].fact(wrong).resolved_on is None


def test_a_cadre_who_departs_by_the_due_date_is_not_asked() -> None:
    facts = of_rule(run([_county, departed(REPORT_DUE_2021)], date(2021, 12, 31)), "R-PERSONAL-MATTERS")
    assert [f.key for f in facts] == [str(y) for y in range(2014, 2020)]  # the last due 2020
