"""R-PROMO-YEARS, R-LEAP, R-RANK-YEARS and R-ELIGIBLE at their boundaries, from the configured thresholds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.cadre import EntryRecord
from domain.codes import GRADES, RANKS, rank_above, rank_below
from domain.history import derive_as_of
from domain.rules.common import add_months, add_years
from domain.rules.config import RuleConfig
from domain.rules.promotion import eligible, r_leap, r_promo_years, r_rank_years
from domain.selection import CaseOpened, SelectionCase
from tests import factories as f

CONFIG = RuleConfig.defaults()
DAY = timedelta(days=1)
S = date(2018, 4, 10)  # the start of the service that counts


def held(start: date, post_code: str = "P1", end: date | None = None, unit_code: str = "U1") -> list[EntryRecord]:
    """A tenure at a post (its grade is given to the rule by ``post_grades``)."""
    entries = [f.record("Appointed", start, unit_code=unit_code, post_code=post_code, manner="平职交流")]
    if end is not None:
        entries.append(f.record("Dismissed", end, unit_code=unit_code, post_code=post_code, reason="调动"))
    return entries


def case(exceptional: bool) -> SelectionCase:
    return SelectionCase._create(CaseOpened, id=uuid4(), unit_code="U1", post_code="PX", method="民主推荐",
                                 exceptional=exceptional, effective_on=date(2000, 1, 1), reason="动议")


def promotion(entries: list[EntryRecord], grades: dict[str, str], target: str, day: date, *,
              manner: str = "提拔", exceptional: bool | None = None, unit_kinds: dict[str, str] | None = None
              ) -> dict[str, list[str]]:
    """R-PROMO-YEARS and R-LEAP messages for a promotion to a post of grade ``target`` on ``day``."""
    ctx = f.judged(entries, "Appointed", {"effective_on": day, "unit_code": "U1", "post_code": "PX", "manner": manner},
                   target_post=f.post_of(target, post_code="PX"),
                   post_grades={("U1", code): grade for code, grade in grades.items()},
                   unit_kinds=unit_kinds or {"U1": "党委部门"},
                   case=case(exceptional) if exceptional is not None else None)
    return {"R-PROMO-YEARS": [v.message_zh for v in r_promo_years(ctx, CONFIG)],
            "R-LEAP": [v.message_zh for v in r_leap(ctx, CONFIG)]}


# — R-PROMO-YEARS —

def test_a_deputy_becomes_principal_after_the_configured_years_at_deputy_level() -> None:
    years = CONFIG.int("promotion.deputy_to_principal_years")
    entries = [f.registration(), *held(S)]
    due = add_years(S, years)
    assert promotion(entries, {"P1": "142"}, "141", due - DAY)["R-PROMO-YEARS"]  # the last forbidden day
    assert promotion(entries, {"P1": "142"}, "141", S + timedelta(days=200))["R-PROMO-YEARS"]  # well inside
    assert promotion(entries, {"P1": "142"}, "141", due) == {"R-PROMO-YEARS": [], "R-LEAP": []}


def test_a_lower_principal_becomes_upper_deputy_after_the_configured_years() -> None:
    years = CONFIG.int("promotion.lower_principal_to_upper_deputy_years")
    work = S - timedelta(days=3650)  # work and grassroots years long satisfied
    entries = [f.registration(work), *held(S, unit_code="T1")]
    kinds = {"T1": "乡镇"}
    due = add_years(S, years)

    def check(day: date) -> list[str]:
        ctx = f.judged(entries, "Appointed", {"effective_on": day, "unit_code": "U1", "post_code": "PX",
                                              "manner": "提拔"},
                       target_post=f.post_of("132", post_code="PX"), post_grades={("T1", "P1"): "141"},
                       unit_kinds=kinds)
        return [v.message_zh for v in r_promo_years(ctx, CONFIG)]

    assert check(due - DAY) and check(S + timedelta(days=400))
    assert check(due) == []


def test_years_at_a_level_add_up_over_posts_and_gaps_do_not_count() -> None:
    years = CONFIG.int("promotion.deputy_to_principal_years")
    first_end = S + timedelta(days=300)
    gap = timedelta(days=100)
    entries = [f.registration(), *held(S, "P1", end=first_end), *held(first_end + gap, "P2")]
    due = add_years(S, years) + gap
    grades = {"P1": "142", "P2": "142"}
    assert promotion(entries, grades, "141", due - DAY)["R-PROMO-YEARS"]
    assert promotion(entries, grades, "141", due)["R-PROMO-YEARS"] == []


def test_a_deputy_who_left_the_level_too_early_is_told_the_years_are_not_served() -> None:
    entries = [f.registration(), *held(S, end=S + timedelta(days=100))]
    [message] = promotion(entries, {"P1": "142"}, "141", S + timedelta(days=2000))["R-PROMO-YEARS"]
    assert "现未在该层次任职" in message


def test_entering_the_county_level_needs_the_configured_years_of_work() -> None:
    years = CONFIG.int("promotion.county_level_work_years")
    work = date(2012, 9, 1)
    entries = [f.registration(work), *held(date(2001, 1, 1), unit_code="T1")]
    due = add_years(work, years)

    def check(day: date) -> list[str]:
        ctx = f.judged(entries, "Appointed", {"effective_on": day, "unit_code": "U1", "post_code": "PX",
                                              "manner": "提拔"},
                       target_post=f.post_of("132", post_code="PX"), post_grades={("T1", "P1"): "141"},
                       unit_kinds={"T1": "乡镇"})
        return [v.message_zh for v in r_promo_years(ctx, CONFIG)]

    [message] = check(due - DAY)
    assert "工龄" in message and str(due) in message
    assert check(work + timedelta(days=365)) != []
    assert check(due) == []


def test_entering_the_county_level_needs_the_configured_years_at_the_grassroots() -> None:
    years = CONFIG.int("promotion.county_level_grassroots_years")
    kind = CONFIG.get("promotion.grassroots_secondment_kinds")[0]
    village = date(2019, 5, 20)
    entries = [f.registration(date(2000, 1, 1)), *held(date(2001, 1, 1)),
               f.record("SecondmentStarted", village, kind=kind, host="东村", role="第一书记",
                        planned_end_on=date(2030, 1, 1))]
    due = add_years(village, years)

    def check(day: date) -> list[str]:
        ctx = f.judged(entries, "Appointed", {"effective_on": day, "unit_code": "U1", "post_code": "PX",
                                              "manner": "提拔"},
                       target_post=f.post_of("132", post_code="PX"), post_grades={("U1", "P1"): "141"},
                       unit_kinds={"U1": "党委部门"})
        return [v.message_zh for v in r_promo_years(ctx, CONFIG)]

    [message] = check(due - DAY)
    assert "基层" in message
    assert check(village + timedelta(days=100)) != []
    assert check(due) == []


def test_an_exceptional_case_may_break_the_years_and_an_ordinary_one_may_not() -> None:
    entries = [f.registration(), *held(S)]
    day = S + timedelta(days=100)
    assert promotion(entries, {"P1": "142"}, "141", day, manner="破格提拔", exceptional=True)["R-PROMO-YEARS"] == []
    assert promotion(entries, {"P1": "142"}, "141", day, manner="破格提拔", exceptional=False)["R-PROMO-YEARS"]
    assert promotion(entries, {"P1": "142"}, "141", day, manner="提拔", exceptional=True)["R-PROMO-YEARS"]


# — R-LEAP —

def test_one_grade_level_at_a_time_and_never_two() -> None:
    steps = CONFIG.int("promotion.max_grade_steps")
    codes = list(GRADES)  # most senior first
    start = codes.index("142")
    entries = [f.registration(), *held(S)]
    one_up, too_far = codes[start - steps], codes[start - steps - 1]
    day = date(2030, 1, 1)
    assert promotion(entries, {"P1": "142"}, one_up, day)["R-LEAP"] == []
    [message] = promotion(entries, {"P1": "142"}, too_far, day)["R-LEAP"]
    assert f"跨{steps + 1}个层次" in message


def test_without_a_post_the_rank_gives_the_level_held() -> None:
    rank_grade: dict[str, str] = dict(CONFIG.get("promotion.rank_grade"))
    codes = list(GRADES)
    for rank in ("一级科员", "一级主任科员"):
        level = codes.index(rank_grade[rank])
        entries = [f.registration(rank=rank)]
        assert promotion(entries, {}, codes[level - 1], date(2030, 1, 1))["R-LEAP"] == []
        assert promotion(entries, {}, codes[level - 2], date(2030, 1, 1))["R-LEAP"] != []


def test_an_exceptional_promotion_needs_an_exceptional_case() -> None:
    entries = [f.registration(), *held(S)]
    day = date(2030, 1, 1)
    assert promotion(entries, {"P1": "142"}, "141", day, manner="破格提拔", exceptional=True)["R-LEAP"] == []
    [message] = promotion(entries, {"P1": "142"}, "141", day, manner="破格提拔", exceptional=False)["R-LEAP"]
    assert "破格" in message
    assert promotion(entries, {"P1": "142"}, "141", day, manner="破格提拔")["R-LEAP"] != []  # no case at all


def test_no_exceptional_promotion_within_the_configured_months_of_the_last_promotion() -> None:
    months = CONFIG.int("promotion.exceptional_gap_months")
    entries = [f.registration(), f.record("Appointed", S, unit_code="U1", post_code="P1", manner="提拔")]
    first_allowed = add_months(S, months)

    def leap(day: date) -> list[str]:
        return promotion(entries, {"P1": "142"}, "141", day, manner="破格提拔", exceptional=True)["R-LEAP"]

    assert leap(S + timedelta(days=30)) != []  # well inside
    assert leap(first_allowed - DAY) != []  # the last forbidden day
    assert leap(first_allowed) == []  # the first allowed day


# — R-RANK-YEARS —

def years_to(rank: str) -> int:
    table: dict[str, Any] = dict(CONFIG.get("rank.years_to"))
    return int(table.get(rank, CONFIG.int("rank.default_years")))


def rank_violations(entries: list[EntryRecord], day: date, lower: str, upper: str) -> list[str]:
    ctx = f.judged(entries, "RankPromoted", {"effective_on": day, "from_rank": lower, "to_rank": upper})
    return [v.message_zh for v in r_rank_years(ctx, CONFIG)]


@pytest.mark.parametrize("upper", [r for r in RANKS if rank_below(r) is not None])
def test_a_rank_is_held_for_its_configured_years_before_the_next(upper: str) -> None:
    lower = rank_below(upper)
    assert lower is not None
    entries = [f.registration(S, rank=lower)]
    due = add_years(S, years_to(upper))
    assert rank_violations(entries, due - DAY, lower, upper)  # the last forbidden day
    assert rank_violations(entries, S + timedelta(days=200), lower, upper)  # well inside
    assert rank_violations(entries, due, lower, upper) == []  # the first allowed day


def annual(year: int, grade: str) -> EntryRecord:
    return f.record("Assessed", date(year + 1, 1, 10), kind="年度", period=str(year), grade=grade)


def test_each_excellent_year_shortens_the_wait() -> None:
    shorten = CONFIG.int("rank.excellent_shortens_months")
    upper = "四级主任科员"
    lower = rank_below(upper)
    assert lower is not None
    entries = [f.registration(S, rank=lower), annual(S.year, "优秀")]
    due = add_months(S, years_to(upper) * 12 - shorten)
    assert rank_violations(entries, due - DAY, lower, upper)
    assert rank_violations(entries, due, lower, upper) == []


def test_an_excellent_year_counts_only_once_it_is_on_the_record() -> None:
    shorten = CONFIG.int("rank.excellent_shortens_months")
    upper = "四级主任科员"
    lower = rank_below(upper)
    assert lower is not None
    graded_on = add_months(S, years_to(upper) * 12 - shorten) + timedelta(days=30)
    entries = [f.registration(S, rank=lower),
               f.record("Assessed", graded_on, kind="年度", period=str(S.year), grade="优秀")]
    assert rank_violations(entries, graded_on - DAY, lower, upper)
    assert rank_violations(entries, graded_on, lower, upper) == []


@pytest.mark.parametrize("grade", CONFIG.get("rank.not_counted_grades"))
def test_a_year_graded_basically_competent_or_worse_does_not_count(grade: str) -> None:
    upper = "四级主任科员"
    lower = rank_below(upper)
    assert lower is not None
    entries = [f.registration(S, rank=lower), annual(S.year, grade)]
    due = add_months(S, years_to(upper) * 12 + 12)
    assert rank_violations(entries, due - DAY, lower, upper)
    assert rank_violations(entries, due, lower, upper) == []


def test_the_years_count_from_the_day_the_rank_was_attained() -> None:
    upper = "三级主任科员"
    middle = rank_below(upper)
    assert middle is not None
    attained = S + timedelta(days=500)
    entries = [f.registration(S, rank="一级科员"),
               f.record("RankPromoted", attained, from_rank="一级科员", to_rank=middle)]
    due = add_years(attained, years_to(upper))
    assert rank_violations(entries, due - DAY, middle, upper)
    assert rank_violations(entries, due, middle, upper) == []


def test_ranks_rise_one_step_at_a_time() -> None:
    upper = rank_above(rank_above("一级科员") or "")
    assert upper is not None
    [message] = rank_violations([f.registration(date(1990, 1, 1))], date(2030, 1, 1), "一级科员", upper)
    assert "逐级" in message


# — R-ELIGIBLE —

def shortlist(entries: list[EntryRecord], day: date) -> list[str]:
    """R-ELIGIBLE on a shortlist of one cadre: each candidate's history as of the step's date, as the
    case-step handler gives it (service/handlers/cases.py)."""
    cadre: UUID = UUID(int=7)
    ctx = f.judged(entries, "Shortlisted", {"effective_on": day, "cadre_ids": (cadre,)},
                   candidates={cadre: derive_as_of(entries, day)})
    return [v.message_zh for v in eligible(ctx, CONFIG).violations]


@pytest.mark.parametrize("grade", CONFIG.get("eligibility.disqualifying_grades"))
def test_last_years_poor_grade_bars_a_shortlist_for_the_following_year(grade: str) -> None:
    entries = [f.registration(), annual(2022, grade)]
    assert shortlist(entries, date(2023, 1, 10)) != []  # the day the grade is on the record
    assert shortlist(entries, date(2023, 12, 31)) != []  # the last forbidden day
    assert shortlist(entries, date(2024, 1, 1)) == []  # the first allowed day: no longer last year's
    assert shortlist(entries, date(2023, 1, 9)) == []  # before it was on the record


def test_a_competent_grade_last_year_does_not_bar_a_shortlist() -> None:
    assert shortlist([f.registration(), annual(2022, "称职")], date(2023, 6, 1)) == []


def test_an_influence_period_or_an_open_investigation_bars_a_shortlist() -> None:
    months = CONFIG.int("sanction_period.政务.记过")
    entries = [f.registration(), f.record("Sanctioned", S, track="政务", kind="记过", decision_no="x")]
    first_allowed = add_months(S, months)
    [message] = shortlist(entries, first_allowed - DAY)
    assert "王芳" in message and str(first_allowed - DAY) in message
    assert shortlist(entries, first_allowed) == []
    opened = [f.registration(), f.record("InvestigationOpened", S, authority="县纪委监委")]
    assert shortlist(opened, S) != [] and shortlist(opened, S - DAY) == []

