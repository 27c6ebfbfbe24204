"""Monitors of the annual record: R-MERIT (3 consecutive 年度 优秀 without a 记三等功), R-UNFIT (2
consecutive 不称职) and R-PERSONAL-MATTERS (the annual personal-matters report of 县处级 and above)."""

from __future__ import annotations

import calendar
from bisect import bisect_left
from datetime import date
from operator import itemgetter

from domain.monitors.facts import EntryFact, FindingFact
from domain.monitors.timeline import COUNTY, Timeline
from domain.monitors.values import add_days, add_months, as_year, year_end
from domain.rules.config import RuleConfig
from domain.rules.registry import monitor


def _annual(tl: Timeline) -> list[tuple[int, EntryFact, object]]:
    """(year, entry, grade) of the standing 年度 assessment of each year (the latest if several),
    by year. Computed once per timeline."""
    annual: list[tuple[int, EntryFact, object]] = tl.grown("annual", _find_annual, _annual_with)
    return annual


def _annual_with(annual: list[tuple[int, EntryFact, object]], e: EntryFact,
                 tl: Timeline) -> list[tuple[int, EntryFact, object]]:
    """``_find_annual`` once ``e`` is recorded after the entries ``annual`` was found in (``Timeline.grown``):
    a dated 年度 assessment is its year's if it comes after the one found (effective order puts the entry
    recorded last after every one of its day), else nothing changes."""
    day = e.effective_on
    year = as_year(e.values.get("period")) if e.type == "Assessed" and day is not None else None
    if year is None or day is None or e.values.get("kind") != "年度":
        return annual
    i = bisect_left(annual, year, key=_YEAR)
    if i < len(annual) and annual[i][0] == year:
        found = annual[i][1].effective_on
        if found is not None and day < found:
            return annual  # the one found comes later in effective order
        return [*annual[:i], (year, e, e.values.get("grade")), *annual[i + 1:]]
    return [*annual[:i], (year, e, e.values.get("grade")), *annual[i:]]


_YEAR = itemgetter(0)


def _find_annual(tl: Timeline) -> list[tuple[int, EntryFact, object]]:
    by_year: dict[int, EntryFact] = {}
    for _day, e in tl.dated("Assessed"):
        year = as_year(e.values.get("period"))
        if e.values.get("kind") == "年度" and year is not None:
            by_year[year] = e
    return [(year, e, e.values.get("grade")) for year, e in sorted(by_year.items())]  # years are unique


def _counted_annual(e: EntryFact) -> bool:
    """An assessment ``_find_annual`` reads: a dated 年度 one of a year."""
    return e.effective_on is not None and e.values.get("kind") == "年度" and as_year(e.values.get("period")) is not None


def _counted_merit(e: EntryFact) -> bool:
    """A commendation R-MERIT reads: a dated 记三等功."""
    return e.effective_on is not None and e.values.get("kind") == "记三等功"


# The entries R-MERIT and R-UNFIT read (``registry.rules_reading``): another new assessment or
# commendation (平时, 专项, undated, 嘉奖 …) leaves their findings as they were.
READS_ONLY = {
    ("R-MERIT", "Assessed"): _counted_annual,
    ("R-MERIT", "Commended"): _counted_merit,
    ("R-UNFIT", "Assessed"): _counted_annual,
}


def _streaks(tl: Timeline, grade: str, length: int) -> list[tuple[int, list[EntryFact]]]:
    """Runs of ``length`` consecutive years graded ``grade``; counting restarts after each run."""
    annual = _annual(tl)
    found: list[tuple[int, list[EntryFact]]] = []
    if not any(graded == grade for _, _, graded in annual):
        return found
    needed = max(length, 1)
    run: list[EntryFact] = []
    previous: int | None = None
    for year, e, graded in annual:
        if previous is not None and year != previous + 1:
            run = []
        previous = year
        if graded != grade:
            run = []
            continue
        run.append(e)
        if len(run) >= needed:
            found.append((year, run))
            run = []
    return found


@monitor("R-MERIT", "连续三年优秀未记三等功", "three 优秀 years without merit",
    source="考核规定",
    judges="3 consecutive 年度 优秀 without a 记三等功",
    due="next year",
    reads=("Assessed", "Commended"),
    thresholds=("monitors.merit_consecutive_excellent",))
def r_merit(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """merit_consecutive_excellent consecutive 年度 优秀 → 记三等功 by the end of the next year.
    Each 记三等功 resolves one run; one dated before the next year began (and before the last
    assessment) is not for this run."""
    length = config.int("monitors.merit_consecutive_excellent")
    merits = [(d, e) for d, e in tl.dated("Commended") if e.values.get("kind") == "记三等功"]
    used: set[int] = set()  # UUID ints of the citations already counted
    found = []
    for year, run in _streaks(tl, "优秀", length):
        day = run[-1].effective_on
        assert day is not None
        start = min(day, add_days(year_end(year), 1))
        merit = next((e for when, e in merits if when >= start and e.entry_id.int not in used), None)
        if merit is not None:
            used.add(merit.entry_id.int)
        found.append(tl.finding(
            "R-MERIT", str(year), trigger=run[-1], trigger_on=day, due_on=add_months(year_end(year), 12),
            evidence=[e.entry_id for e in run], resolved_by=(merit,) if merit else (),
            detail=f"连续{length}年年度考核优秀（至{year}年），应记三等功 "
                   f"({length} consecutive excellent years to {year}: merit citation due)",
        ))
    return found


@monitor("R-UNFIT", "连续两年不称职", "two 不称职 years",
    source="公务员法",
    judges="2 consecutive 年度 不称职 (dismissal procedure due)",
    reads=("Assessed",),
    thresholds=("monitors.unfit_consecutive",))
def r_unfit(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """unfit_consecutive consecutive 年度 不称职 → the 辞退 procedure is due; resolved only by
    Departed with reason 辞退 (no due date)."""
    length = config.int("monitors.unfit_consecutive")
    departure = tl.departure
    found = []
    for year, run in _streaks(tl, "不称职", length):
        day = run[-1].effective_on
        assert day is not None
        dismissed = (departure is not None and departure.values.get("reason") == "辞退"
                     and departure.effective_on is not None and departure.effective_on >= day)
        found.append(tl.finding(
            "R-UNFIT", str(year), trigger=run[-1], trigger_on=day, due_on=None,
            evidence=[e.entry_id for e in run], resolved_by=(departure,) if dismissed and departure else (),
            detail=f"连续{length}年年度考核不称职（至{year}年），应启动辞退程序 "
                   f"({length} consecutive unfit years to {year}: dismissal procedure due)",
        ))
    return found


def _due_in(year: int, month_day: str) -> date:
    month, day = (int(part) for part in month_day.split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _month_day(year: int, month_day: str) -> tuple[int, int]:
    """(month, day) of a "MM-DD" setting, failing as ``_due_in`` does in ``year`` if malformed."""
    _due_in(year, month_day)
    month, day = (int(part) for part in month_day.split("-"))
    return month, day


@monitor("R-PERSONAL-MATTERS", "未按时报告个人有关事项", "personal matters not reported",
    source="领导干部报告个人有关事项规定",
    judges="县处级副职 and above without the annual personal-matters report",
    due="31 January",
    reads=("PersonalMattersReported",),
    thresholds=("monitors.personal_matters_due",))
def r_personal_matters(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """Each year Y up to the horizon's, a cadre county level (县处级副职 and above) on 1 January
    of Y must report year Y-1 (PersonalMattersReported year=Y-1) by personal_matters_due of Y.
    Key: the reported year. A cadre who departs by the due date is not asked."""
    registered = tl.registered_on
    if registered is None:
        return []
    due_setting = str(config.get("monitors.personal_matters_due"))
    first = max(registered.year, date.min.year + 1)
    if first > horizon.year:
        return []
    month, day = _month_day(first, due_setting)  # a malformed setting fails whether or not a year is asked for
    years = tl.years_in_service(first, horizon.year)
    levels = tl.levels_on_jan1(years)
    if COUNTY not in levels:
        return []
    reports: dict[int | None, EntryFact] = {}  # the first report of each year
    for _, e in tl.dated("PersonalMattersReported"):
        reports.setdefault(as_year(e.values.get("year")), e)
    departed = tl.departed_on
    found = []
    for year, level in zip(years, levels, strict=True):
        if level != COUNTY:
            continue
        due = date(year, month, day if day <= 28 else min(day, calendar.monthrange(year, month)[1]))
        if departed is not None and departed <= due:
            continue
        report = reports.get(year - 1)
        found.append(tl.finding(
            "R-PERSONAL-MATTERS", str(year - 1), trigger_on=date(year, 1, 1), due_on=due,
            resolved_by=(report,) if report else (),
            detail=f"{year - 1}年度个人有关事项应于{due.isoformat()}前报告 "
                   f"(personal matters for {year - 1} due by {due.isoformat()})",
        ))
    return found
