"""Training (干部教育培训工作条例 2023): R-TRAIN-INITIAL, R-TRAIN-POST, R-TRAIN-HOURS.

Only passed trainings count. Hours count toward the calendar year of the training's
effective (completion) date, except a 补训 (``makeup``) training, which counts toward the
earliest earlier period still short of its hours (late), or its own year if none is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.cadre_entries import PROMOTION_MANNERS
from domain.rules.config import RuleConfig
from projections.monitors.facts import (
    EntryFact,
    FindingFact,
    Timeline,
    add_months,
    as_decimal,
    first_on_or_after,
    str_value,
    year_end,
)

# Entry channels that make a cadre a new entrant needing 初任培训 (凡进必训).
INITIAL_TRAINING_CHANNELS = ("考试录用", "定向选调生", "应届选调生")
# The length of the county-level cycle is part of the threshold's meaning
# (``training.county_hours_per_5_years``), not a separate setting.
COUNTY_CYCLE_YEARS = 5


def _passed(tl: Timeline, kind: str | None = None) -> list[tuple[date, EntryFact]]:
    return [(when, e) for when, e in tl.dated("TrainingCompleted")
            if e.values.get("passed") is True and (kind is None or e.values.get("kind") == kind)]


def r_train_initial(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """A new entrant (考试录用 / 选调生) needs a passed 初任培训 within initial_training_months
    of registration; one completed at any time resolves it (late after the due date)."""
    reg = tl.registration
    if reg is None or reg.effective_on is None or reg.values.get("entry_channel") not in INITIAL_TRAINING_CHANNELS:
        return []
    months = config.int("monitors.initial_training_months")
    day = reg.effective_on
    done = _passed(tl, "初任培训")
    return [tl.finding(
        "R-TRAIN-INITIAL", str(reg.entry_id), trigger=reg, trigger_on=day, due_on=add_months(day, months),
        resolved_by=(done[0][1],) if done else (),
        detail=f"新录用人员{months}个月内应完成初任培训 (initial training due within {months} months of entry)",
    )]


def r_train_post(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """A promotion needs a passed 任职培训 within post_training_months; one taken up to as many
    months before the promotion counts too (任职培训 may precede taking office)."""
    months = config.int("monitors.post_training_months")
    done = _passed(tl, "任职培训")
    found = []
    for day, e in tl.dated("Appointed"):
        if e.values.get("manner") not in PROMOTION_MANNERS:
            continue
        training = first_on_or_after(done, add_months(day, -months))
        found.append(tl.finding(
            "R-TRAIN-POST", str(e.entry_id), trigger=e, trigger_on=day, due_on=add_months(day, months),
            resolved_by=(training,) if training else (), unit_code=str_value(e, "unit_code"),
            detail=f"提拔后{months}个月内应完成任职培训 (post training due within {months} months of a promotion)",
        ))
    return found


@dataclass
class _Period:
    key: str
    first: int  # first calendar year
    last: int  # last calendar year
    required: int
    county: bool
    hours: Decimal = Decimal(0)
    counted: list[EntryFact] = field(default_factory=list)
    met_by: list[EntryFact] = field(default_factory=list)

    def add(self, training: EntryFact) -> None:
        if self.met_by:
            self.hours += as_decimal(training.values.get("hours"))
            return
        self.counted.append(training)
        self.hours += as_decimal(training.values.get("hours"))
        if self.hours >= self.required:
            self.met_by = list(self.counted)


def _periods(tl: Timeline, config: RuleConfig, horizon: date) -> list[_Period]:
    """One period per year for 乡科级, one per five years for 县处级 and above (a cycle starts in
    the first year the cadre is county level on 1 January). Years start on 1 January with the
    cadre in service; a period is dropped if the cadre departs before its end."""
    registered = tl.registered_on
    if registered is None:
        return []
    yearly = config.int("training.township_hours_per_year")
    five_yearly = config.int("training.county_hours_per_5_years")
    departed = tl.history.departed_on
    periods: list[_Period] = []
    cycle_until = 0
    for year in range(registered.year, horizon.year + 1):
        jan1 = date(year, 1, 1)
        if year <= cycle_until or not tl.active_on(jan1):
            continue
        if tl.is_county_level_on(jan1):
            last = min(year + COUNTY_CYCLE_YEARS - 1, date.max.year)
            cycle_until = last
            if departed is None or departed > year_end(last):
                periods.append(_Period(f"{year}-{last}", year, last, five_yearly, True))
        elif tl.is_township_level_on(jan1) and (departed is None or departed > year_end(year)):
            periods.append(_Period(str(year), year, year, yearly, False))
    return periods


def r_train_hours(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """乡科级 leaders and ranks ≤ 一级主任科员: township_hours_per_year in each year;
    县处级 and above: county_hours_per_5_years in each five-year cycle. Years up to the horizon's."""
    periods = _periods(tl, config, horizon)
    for when, training in _passed(tl):
        target = None
        if training.values.get("makeup") is True:
            target = next((p for p in periods if p.last < when.year and not p.met_by), None)
        if target is None:
            target = next((p for p in periods if p.first <= when.year <= p.last), None)
        if target is not None:
            target.add(training)
    found = []
    for p in periods:
        span_zh = f"{p.first}年度" if p.first == p.last else f"{p.first}—{p.last}年"
        span_en = str(p.first) if p.first == p.last else f"{p.first}-{p.last}"
        found.append(tl.finding(
            "R-TRAIN-HOURS", p.key, trigger_on=date(p.first, 1, 1), due_on=year_end(p.last),
            resolved_by=p.met_by,
            detail=f"{span_zh}培训学时{p.hours}/{p.required} (training hours {p.hours} of {p.required} in {span_en})",
        ))
    return found
