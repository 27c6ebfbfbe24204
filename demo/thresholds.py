"""The rules as the simulation reads them: every threshold from the rule configuration in force
(``app.config``, ``domain/rules/defaults.toml`` with an operator's overrides), or from the rule's
own function, never a copy.

The generator asks only for what the guards allow and leaves open only the findings it seeds,
so it must follow the same thresholds as the rules. What the rules do not decide (how often, how
many, how long before a due date the simulation acts) stays in the phase modules as named
constants of the simulation.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping
from datetime import date, timedelta
from uuid import UUID

from domain.career import History, SanctionRecord
from domain.codes import GRADES, grade_level, is_principal, rank_index
from domain.monitors.timeline import COUNTY_DEPUTY_GRADE, COUNTY_LOWEST_RANK
from domain.monitors.training import COUNTY_CYCLE_YEARS
from domain.rules.common import add_months
from domain.rules.config import RuleConfig
from domain.rules.promotion import COUNTY_LEVEL
from domain.rules.sanctions import GRADE_ORDER, influences

Annual = Mapping[int, tuple[str, date]]  # the simulation's view of 年度 grades: year -> (grade, day recorded)


def days_of(months: int) -> int:
    """A probation of ``months`` months in whole days, as the simulation schedules its conclusion:
    365/12 days a month, so 12 months is a year of 365 days (R-PROBATION counts calendar months
    and a grace period, so the conclusion is never late)."""
    return months * 365 // 12


# ——— promotions (R-PROMO-YEARS, R-ELIGIBLE, R-SANCTION-PERIOD) ———

def grade_below(grade: str) -> str:
    """The post grade one level below ``grade`` (提拔 rises one level: R-LEAP)."""
    return next(g for g in GRADES if grade_level(g) == grade_level(grade) - 1)


def promotion_years(config: RuleConfig, target: str) -> int:
    """R-PROMO-YEARS as ``domain.rules.promotion.promo_years`` reads it: the years at the grade
    below a promotion to ``target`` needs (0: none)."""
    if is_principal(target):
        return config.int("promotion.deputy_to_principal_years")
    if is_principal(grade_below(target)):
        return config.int("promotion.lower_principal_to_upper_deputy_years")
    return 0


def enters_county_level(target: str) -> bool:
    """A promotion to ``target`` from the level below enters 县处级, which needs grassroots years."""
    return grade_level(target) >= COUNTY_LEVEL > grade_level(grade_below(target))


def disqualifying_grades(config: RuleConfig) -> frozenset[str]:
    """年度 grades that bar a shortlist the next year (R-ELIGIBLE)."""
    return frozenset(config.get("eligibility.disqualifying_grades"))


def influence_until(config: RuleConfig, entry_id: UUID, entry_type: str, track: str, kind: str, day: date) -> date:
    """The first day after every influence period of one sanction or organisational handling
    (R-SANCTION-PERIOD, computed by the rule's own ``influences``); ``date.max`` if one never ends."""
    record = SanctionRecord(entry_id, entry_type, track, kind, day)
    ends = [i.end for i in influences(History(sanctions=[record]), config)]
    if not ends:
        return day
    if None in ends:
        return date.max
    return max(e for e in ends if e is not None) + timedelta(days=1)


# ——— ranks (R-RANK-YEARS) ———

def rank_due(config: RuleConfig, since: date, upper: str, annual: Annual, day: date) -> date:
    """When a rank held since ``since`` may rise to ``upper``, as ``domain.rules.promotion.rank_years``
    counts it: ``rank.years_to`` (else ``rank.default_years``) at the rank, less
    ``rank.excellent_shortens_months`` for each 优秀 year, plus a year for each year graded in
    ``rank.not_counted_grades`` (the years from the one the rank was attained, recorded by ``day``)."""
    years = int(dict(config.get("rank.years_to")).get(upper, config.int("rank.default_years")))
    shorten = config.int("rank.excellent_shortens_months")
    not_counted = set(config.get("rank.not_counted_grades"))
    counted = [g for y, (g, d) in annual.items() if y >= since.year and d <= day]
    excellent = sum(1 for g in counted if g == "优秀")
    lost = sum(1 for g in counted if g in not_counted)
    return add_months(since, years * 12 - excellent * shorten + lost * 12)


# ——— the yearly cycle (R-GRADE-CAP, R-MERIT, R-TRAIN-HOURS, R-PERSONAL-MATTERS) ———

def annual_grade_cap(config: RuleConfig, sanctions: list[tuple[str, date]], year: int) -> str | None:
    """R-GRADE-CAP: the best 年度 grade ``year`` allows after these (kind, day) sanctions — the
    most severe of ``grade_cap.cap`` of the year's, and of last year's of the kinds in
    ``grade_cap.next_year``; None when nothing caps it."""
    caps: dict[str, str] = dict(config.get("grade_cap.cap"))
    next_year = set(config.get("grade_cap.next_year"))
    found = [caps[kind] for kind, day in sanctions
             if kind in caps and (day.year == year or (day.year == year - 1 and kind in next_year))]
    return max(found, key=GRADE_ORDER.index, default=None)


def merit_due(config: RuleConfig, annual: Annual) -> bool:
    """R-MERIT as the monitor reads it: a run of ``monitors.merit_consecutive_excellent``
    consecutive 优秀 years just completed (counting restarts after each run)."""
    length = config.int("monitors.merit_consecutive_excellent")
    run, previous = 0, None
    for year in sorted(annual):
        if previous is not None and year != previous + 1:
            run = 0
        previous = year
        run = run + 1 if annual[year][0] == "优秀" else 0
        if run >= length:
            run = 0
            if year == max(annual):
                return True
    return False


def is_county_level(grade: str | None, rank: str) -> bool:
    """县处级 and above, as the training and personal-matters monitors class a cadre: a post of
    县处级副职 or above, or a rank of 四级调研员 or above."""
    if grade is not None and grade_level(grade) >= grade_level(COUNTY_DEPUTY_GRADE):
        return True
    return rank_index(rank) <= rank_index(COUNTY_LOWEST_RANK)


def training_hours(config: RuleConfig, county_level: bool) -> int:
    """The hours a year of training must bring (R-TRAIN-HOURS): ``training.township_hours_per_year``;
    县处级 and above, a year's share of ``training.county_hours_per_5_years``."""
    if county_level:
        return math.ceil(config.int("training.county_hours_per_5_years") / COUNTY_CYCLE_YEARS)
    return config.int("training.township_hours_per_year")


def personal_matters_due(config: RuleConfig, year: int) -> date:
    """The day of ``year`` by which last year's personal matters are reported (R-PERSONAL-MATTERS)."""
    month, day = (int(part) for part in str(config.get("monitors.personal_matters_due")).split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))
