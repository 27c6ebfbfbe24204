"""The demo generator reads each threshold from the rule configuration in force and, where it
mirrors a rule, lands on the very day the rule does — with the defaults and with an operator's file."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from demo.thresholds import (
    annual_grade_cap,
    days_of,
    disqualifying_grades,
    enters_county_level,
    grade_below,
    influence_until,
    is_county_level,
    merit_due,
    personal_matters_due,
    promotion_years,
    rank_due,
    training_hours,
)
from domain.cadre import EntryRecord
from domain.rules.config import RuleConfig
from domain.rules.promotion import r_rank_years
from domain.rules.sanctions import GRADE_ORDER, r_grade_cap, r_sanction_period
from tests import factories as f

DAY = timedelta(days=1)
DEFAULTS = RuleConfig.defaults()
LOCAL = RuleConfig.from_toml("""
[promotion]
deputy_to_principal_years = 3
lower_principal_to_upper_deputy_years = 4
[rank]
default_years = 3
excellent_shortens_months = 4
not_counted_grades = ["不称职"]
[sanction_period."政务"]
"警告" = 9
[grade_cap.cap]
"警告" = "基本称职"
[eligibility]
disqualifying_grades = ["不称职"]
[monitors]
merit_consecutive_excellent = 2
personal_matters_due = "02-30"
[training]
township_hours_per_year = 100
county_hours_per_5_years = 601
""", "local")
CONFIGS = [pytest.param(DEFAULTS, id="defaults"), pytest.param(LOCAL, id="local")]
S = date(2019, 4, 10)  # the rank attained


# — R-RANK-YEARS —

def rank_refused(config: RuleConfig, entries: list[EntryRecord], day: date) -> bool:
    ctx = f.judged(entries, "RankPromoted", {"effective_on": day, "from_rank": "一级科员", "to_rank": "四级主任科员"})
    return bool(r_rank_years(ctx, config))


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("grades", [{}, {2019: "优秀"}, {2019: "优秀", 2020: "优秀"}, {2020: "基本称职"},
                                    {2019: "不称职", 2020: "优秀"}])
def test_the_simulation_promotes_a_rank_exactly_on_the_days_the_rule_allows(config: RuleConfig,
                                                                           grades: dict[int, str]) -> None:
    """Day by day over five years: a grade counts from the day it is recorded, for both."""
    recorded = {year: date(year + 1, 1, 10) for year in grades}
    entries = [f.registration(S, rank="一级科员")] + [
        f.record("Assessed", recorded[year], kind="年度", period=str(year), grade=grade)
        for year, grade in grades.items()]
    annual = {year: (grade, recorded[year]) for year, grade in grades.items()}
    for n in range(5 * 366):
        day = S + timedelta(days=n)
        allowed = day >= rank_due(config, S, "四级主任科员", annual, day)
        assert allowed == (not rank_refused(config, entries, day)), day


def test_a_rank_held_under_a_local_file_waits_its_configured_years() -> None:
    assert rank_due(DEFAULTS, S, "四级主任科员", {}, S) == date(2021, 4, 10)
    assert rank_due(LOCAL, S, "四级主任科员", {}, S) == date(2022, 4, 10)
    assert rank_due(LOCAL, S, "一级调研员", {}, S) == date(2022, 4, 10)  # rank.years_to: 3, as the default


# — R-SANCTION-PERIOD —

@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize(("entry_type", "track", "kind"), [
    ("Sanctioned", "政务", "警告"), ("Sanctioned", "政务", "记过"), ("Sanctioned", "党纪", "警告"),
    ("Sanctioned", "党纪", "严重警告"), ("HandledOrganizationally", "组织处理", "诫勉")])
def test_the_simulation_bars_a_promotion_until_the_day_after_the_influence_period(
        config: RuleConfig, entry_type: str, track: str, kind: str) -> None:
    values = {"track": track, "kind": kind} if entry_type == "Sanctioned" else {"kind": kind, "accountability": False}
    sanction = f.record(entry_type, S, **values)
    entries = [f.registration(date(2010, 7, 1), rank="一级科员"), sanction]
    until = influence_until(config, sanction.entry_id, entry_type, track, kind, S)

    def refused(day: date) -> bool:
        values = {"effective_on": day, "from_rank": "一级科员", "to_rank": "四级主任科员"}
        return bool(r_sanction_period(f.judged(entries, "RankPromoted", values), config))

    assert refused(until - DAY)  # the influence period's last day
    assert not refused(until)


def test_a_sanction_that_never_ends_bars_a_promotion_for_good() -> None:
    assert influence_until(DEFAULTS, uuid4(), "Sanctioned", "党纪", "开除党籍", S) == date.max


def test_a_local_influence_period_is_the_one_the_simulation_keeps() -> None:
    assert influence_until(DEFAULTS, uuid4(), "Sanctioned", "政务", "警告", S) == date(2019, 10, 10)
    assert influence_until(LOCAL, uuid4(), "Sanctioned", "政务", "警告", S) == date(2020, 1, 10)


# — R-GRADE-CAP —

@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("sanctions", [[("警告", date(2021, 3, 1))], [("记过", date(2021, 5, 1))],
                                       [("警告", date(2021, 3, 1)), ("记过", date(2021, 5, 1))],
                                       [("记大过", date(2020, 11, 1))]])
def test_the_simulation_grades_a_sanctioned_year_at_the_best_grade_the_rule_allows(
        config: RuleConfig, sanctions: list[tuple[str, date]]) -> None:
    entries = [f.registration(date(2010, 7, 1))] + [
        f.record("Sanctioned", day, track="政务", kind=kind) for kind, day in sanctions]
    cap = annual_grade_cap(config, sanctions, 2021)
    assert cap is not None

    def refused(grade: str) -> bool:
        ctx = f.judged(entries, "Assessed", {"effective_on": date(2022, 1, 10), "kind": "年度", "period": "2021",
                                             "grade": grade})
        return bool(r_grade_cap(ctx, config))

    assert not refused(cap)
    better = GRADE_ORDER[GRADE_ORDER.index(cap) - 1]
    assert refused(better)


def test_a_year_without_a_sanction_is_not_capped() -> None:
    assert annual_grade_cap(DEFAULTS, [("警告", date(2020, 3, 1))], 2021) is None  # 警告 caps its own year only
    assert annual_grade_cap(DEFAULTS, [("诫勉", date(2021, 3, 1))], 2021) is None  # no cap configured for 诫勉


# — the yearly cycle, promotions —

def test_training_hours_are_the_configured_yearly_hours_or_a_fifth_of_the_five_yearly() -> None:
    assert (training_hours(DEFAULTS, False), training_hours(DEFAULTS, True)) == (90, 110)
    assert (training_hours(LOCAL, False), training_hours(LOCAL, True)) == (100, 121)  # 601 / 5, rounded up


def test_a_merit_citation_is_due_after_the_configured_run_of_excellent_years() -> None:
    two = {2021: ("优秀", date(2022, 1, 10)), 2022: ("优秀", date(2023, 1, 10))}
    three = {**two, 2023: ("优秀", date(2024, 1, 10))}
    assert not merit_due(DEFAULTS, two) and merit_due(DEFAULTS, three)
    assert merit_due(LOCAL, two) and not merit_due(LOCAL, three)  # the third year starts a new run
    broken = {2020: ("优秀", date(2021, 1, 10)), 2022: ("优秀", date(2023, 1, 10)),
              2023: ("优秀", date(2024, 1, 10))}
    assert not merit_due(DEFAULTS, broken)  # the run must be of consecutive years


def test_promotion_years_follow_the_configured_years_at_the_grade_below() -> None:
    assert [promotion_years(DEFAULTS, g) for g in ("142", "141", "132", "131")] == [0, 2, 3, 2]
    assert [promotion_years(LOCAL, g) for g in ("142", "141", "132", "131")] == [0, 3, 4, 3]
    assert [grade_below(g) for g in ("142", "141", "132", "131")] == ["150", "142", "141", "132"]
    assert [enters_county_level(g) for g in ("142", "141", "132", "131")] == [False, False, True, False]


def test_the_grades_that_bar_a_shortlist_are_the_configured_ones() -> None:
    assert disqualifying_grades(DEFAULTS) == {"基本称职", "不称职"}
    assert disqualifying_grades(LOCAL) == {"不称职"}


def test_county_level_is_a_county_post_or_a_county_rank() -> None:
    assert is_county_level("132", "一级主任科员") and is_county_level(None, "四级调研员")
    assert not is_county_level("141", "一级主任科员") and not is_county_level(None, "一级主任科员")


def test_personal_matters_are_due_on_the_configured_day_clamped_to_the_month() -> None:
    assert personal_matters_due(DEFAULTS, 2024) == date(2024, 1, 31)
    assert personal_matters_due(LOCAL, 2024) == date(2024, 2, 29)
    assert personal_matters_due(LOCAL, 2025) == date(2025, 2, 28)


def test_a_year_of_months_is_scheduled_as_365_days() -> None:
    assert (days_of(12), days_of(6), days_of(24)) == (365, 182, 730)
