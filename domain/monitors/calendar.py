"""R-CALENDAR-CHANGED (DOMAIN.md §6.4): a later change of the working-day calendar would judge a
stored publicity differently.

A publicity's working days are counted when the step (or the promotion citing it) is recorded,
with the calendar as known then, and the count is stored with it (``calendar_used``). A later
correction of a year — or a recorded year replacing the built-in one, or a year recorded after a
publicity that could not be counted was overridden — never rewrites that decision. Instead, when
the calendar as now known gives the span a different verdict (at least
``selection.publicity_working_days`` or not; countable or not), the publicity is a finding, due
at once, with the judged entry and the calendar events as evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.monitors.facts import FindingFact
from domain.rules.config import RuleConfig
from domain.rules.registry import monitor
from domain.workdays import CalendarNotCoveredError, WorkingCalendar

RULE = "R-CALENDAR-CHANGED"


@dataclass(frozen=True)
class Judgement:
    """A stored count of a publicity's working days: what was judged, when, and with which calendar."""

    root_id: UUID  # the step or appointment judged (the finding's key)
    judged_id: UUID  # the event that carries the count
    cadre_id: UUID
    unit_code: str | None
    start_on: date
    end_on: date
    working_days: int | None  # None: a year of the span was not known then
    years: Mapping[str, Mapping[str, Any]]  # calendar_used["years"]: per year, the schedule used
    recorded_on: date  # local date the count was stored


@dataclass(frozen=True)
class CalendarVersion:
    """The event that made a recorded year's schedule what it now is."""

    entry_id: UUID
    recorded_on: date


def _used(years: Mapping[str, Mapping[str, Any]], year: int) -> str | None:
    found = years.get(str(year), {})
    value = found.get("fingerprint") if found.get("source") != "unknown" else None
    return value if isinstance(value, str) else None


def _described(years: Mapping[str, Mapping[str, Any]], year: int) -> str:
    found = years.get(str(year), {})
    if found.get("source") == "recorded":
        return f"记录第{found.get('version')}版（{found.get('notice_no')}）"
    if found.get("source") == "built-in":
        return f"内置（{found.get('package')}）"
    return "未知"


def _verdict(count: int | None, needed: int) -> bool | None:
    return None if count is None else count >= needed


def _said(count: int | None, needed: int) -> tuple[str, str]:
    if count is None:
        return "无法计算（日历未包含该年）", "not countable (year not known)"
    enough = "满足" if count >= needed else "不足"
    return (f"{count}个工作日（{enough}{needed}个）",
            f"{count} working days ({'at least' if count >= needed else 'fewer than'} {needed})")


@monitor("R-CALENDAR-CHANGED", "节假日安排变更改变公示结论",
         "a calendar change would judge a stored publicity differently",
    source="DOMAIN.md §6.4; 选拔任用条例",
    judges="a later correction of a year's schedule would judge a stored publicity differently",
    due="at once",
    across_records=True,
    thresholds=("selection.publicity_working_days",))
def r_calendar_changed(judgement: Judgement, calendar: WorkingCalendar,
                       versions: Mapping[int, CalendarVersion], config: RuleConfig) -> list[FindingFact]:
    """The finding for one stored count, judged again with ``calendar`` (as now known; ``versions``:
    the event behind each recorded year of it), or none if the verdict is the same."""
    j = judgement
    span = range(j.start_on.year, j.end_on.year + 1)
    known = calendar.years
    changed = [y for y in span if (known[y].fingerprint if y in known else None) != _used(j.years, y)]
    if not changed:
        return []
    needed = config.int("selection.publicity_working_days")
    try:
        now: int | None = calendar.working_days_inclusive(j.start_on, j.end_on)
    except CalendarNotCoveredError:
        now = None
    if _verdict(now, needed) == _verdict(j.working_days, needed):
        return []
    causes = [versions[y] for y in changed if y in versions]
    trigger = max([j.recorded_on, *(c.recorded_on for c in causes)])
    then_zh, then_en = _said(j.working_days, needed)
    now_zh, now_en = _said(now, needed)
    years_zh = "；".join(f"{y}年：{_described(j.years, y)} → {known[y].label if y in known else '未知'}"
                        for y in changed)
    return [FindingFact(
        rule=RULE, cadre_id=j.cadre_id, unit_code=j.unit_code, key=str(j.root_id), trigger_on=trigger,
        due_on=trigger, resolved_on=None, evidence=(j.judged_id, *(c.entry_id for c in causes)),
        detail=f"节假日安排已变更（{years_zh}）：任前公示{j.start_on}至{j.end_on}记录时计{then_zh}，"
               f"按现行日历计{now_zh} (the calendar changed: the publicity {j.start_on} to {j.end_on} "
               f"counted {then_en} when recorded, {now_en} now)",
    )]
