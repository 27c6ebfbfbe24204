"""A year whose holiday schedule is not known is never counted Monday–Friday, by any code path.

Two checks: every way the code counts working days, asked about a year it does not know, refuses
(or, for a stored judgement, says "not countable"); and nothing in the tree outside
``domain/workdays.py`` decides a working day by itself — no second calendar package, no
``weekday() < 5`` rule that would quietly count an unknown year as Monday–Friday.
(The application's guards refusing such a publicity: tests/integration/test_calendar.py.)
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from demo.generator import publicity_span
from domain.rules.config import RuleConfig
from domain.rules.context import NO_CALENDAR
from domain.rules.procedure import publicity_problems
from domain.workdays import BUILT_IN, CalendarNotCoveredError, WorkingCalendar, YearSchedule

ROOT = Path(__file__).resolve().parents[2]
UNKNOWN = date(2031, 3, 3)  # a Monday of a year no calendar here knows
# A SYNTHETIC schedule of the year before, so that spans can start in a known year and run into 2031
KNOWN_2030 = YearSchedule(2030, frozenset({date(2030, 5, 1)}), frozenset(), "recorded", version=1, notice_no="虚构")
CALENDARS = {"built-in": BUILT_IN, "built-in and a recorded 2030": BUILT_IN.with_years([KNOWN_2030]),
             "none": NO_CALENDAR}

COUNTS: dict[str, Callable[[WorkingCalendar], Any]] = {
    "is_working_day": lambda c: c.is_working_day(UNKNOWN),
    "working_days_inclusive": lambda c: c.working_days_inclusive(UNKNOWN, date(2031, 3, 14)),
    "working_days_inclusive into the year": lambda c: c.working_days_inclusive(date(2030, 12, 20), UNKNOWN),
    "add_working_days": lambda c: c.add_working_days(UNKNOWN, 5),
    "add_working_days into the year": lambda c: c.add_working_days(date(2030, 12, 27), 10),
    "the demo generator's publicity": lambda c: publicity_span(date(2031, 3, 20), 5, c),
}


@pytest.mark.parametrize("calendar", CALENDARS.values(), ids=CALENDARS.keys())
@pytest.mark.parametrize("count", COUNTS.values(), ids=COUNTS.keys())
def test_every_count_over_an_unknown_year_refuses(count: Callable[[WorkingCalendar], Any],
                                                  calendar: WorkingCalendar) -> None:
    with pytest.raises(CalendarNotCoveredError) as refused:
        count(calendar)
    assert refused.value.day.year in (2030, 2031) and not calendar.covers(refused.value.day.year)


@pytest.mark.parametrize("calendar", CALENDARS.values(), ids=CALENDARS.keys())
def test_the_guard_refuses_and_the_stored_judgement_says_not_countable(calendar: WorkingCalendar) -> None:
    [violation] = publicity_problems(UNKNOWN, date(2031, 6, 30), RuleConfig.defaults(), calendar)
    assert violation.rule == "R-PUBLICITY" and "2031" in violation.message_zh
    judged = calendar.judgement(UNKNOWN, date(2031, 3, 14))
    assert judged["working_days"] is None and judged["years"]["2031"] == {"source": "unknown"}


# — nothing else in the tree decides what a working day is —

SCANNED = ("domain", "projections", "api", "bench", "scripts")
CALENDAR_PACKAGES = {"chinese_calendar", "workalendar", "holidays", "business_calendar", "exchange_calendars"}
# The one calendar (domain/workdays.py), and checks that are not counts: a 调休 day must be a weekend
# (domain/calendar_year.py), the weekday shown beside a date (api/pages/calendar.py).
ALLOWED = {"domain/workdays.py": {"chinese_calendar", "weekday"}, "domain/calendar_year.py": {"weekday"},
           "api/pages/calendar.py": {"weekday"}}


def _offences(path: Path) -> list[str]:
    found: list[str] = []
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
        found += [f"chinese_calendar:{node.lineno}" if m.split(".")[0] == "chinese_calendar" else
                  f"import {m}:{node.lineno}" for m in modules if m.split(".")[0] in CALENDAR_PACKAGES]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "weekday", "isoweekday", "is_workday", "busday_count", "is_busday"):
            found.append(f"{'weekday' if 'weekday' in node.func.attr else node.func.attr}:{node.lineno}")
    return found


def test_no_module_but_the_calendar_decides_a_working_day_by_itself() -> None:
    offenders: dict[str, list[str]] = {}
    for package in SCANNED:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            found = [o for o in _offences(path) if o.split(":")[0] not in ALLOWED.get(name, set())]
            if found:
                offenders[name] = found
    assert offenders == {}, "count working days only through domain/workdays.py (WorkingCalendar)"


def test_the_scan_would_see_a_monday_to_friday_rule(tmp_path: Path) -> None:
    rule = tmp_path / "fallback.py"
    rule.write_text("import datetime\n\ndef is_working_day(d: datetime.date) -> bool:\n    return d.weekday() < 5\n")
    assert _offences(rule) == ["weekday:4"]
    (tmp_path / "package.py").write_text("import chinese_calendar\n")
    assert _offences(tmp_path / "package.py") == ["chinese_calendar:1"]
