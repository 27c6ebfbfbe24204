"""Chinese working days (工作日), for 任前公示 (R-PUBLICITY: at least 5 working days).

A thin wrapper around the ``chinese_calendar`` package, which knows the statutory holidays
(法定节假日) and the make-up working days on weekends (调休上班) as published each year by
the State Council (国务院办公厅关于部分节假日安排的通知).

Outside the years the package covers, every function raises ``CalendarNotCoveredError``;
there is deliberately no Monday–Friday fallback, because a wrong count of working days
would silently pass or fail a publicity period. Update the ``chinese-calendar`` package
when a new year's holiday schedule is published.
"""

from __future__ import annotations

import datetime
from typing import Final

import chinese_calendar  # type: ignore[import-untyped]

__all__ = [
    "COVERED_YEARS",
    "CalendarNotCoveredError",
    "add_working_days",
    "is_working_day",
    "working_days_inclusive",
]


def _covered_years() -> range:
    # Mirror the package's own check (chinese_calendar.utils._validate_date), which accepts
    # the years between the first and the last year of its holiday table.
    years = {day.year for day in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


COVERED_YEARS: Final[range] = _covered_years()
_ONE_DAY: Final = datetime.timedelta(days=1)


class CalendarNotCoveredError(ValueError):
    """The holiday calendar has no data for the year of ``day``."""

    def __init__(self, day: datetime.date) -> None:
        self.day = day
        first, last = COVERED_YEARS[0], COVERED_YEARS[-1]
        super().__init__(
            f"节假日日历未覆盖 {day.year} 年（{day.isoformat()}），仅支持 {first}–{last} 年；"
            f"请更新 chinese-calendar (the holiday calendar does not cover {day.year} "
            f"({day.isoformat()}); only {first}-{last} are covered: update chinese-calendar)"
        )


def _check(day: datetime.date) -> None:
    # A datetime is a date subclass; refuse it rather than guess which day (and which time
    # zone) is meant.
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        raise TypeError(f"expected a datetime.date, got {type(day).__name__}")
    if day.year not in COVERED_YEARS:
        raise CalendarNotCoveredError(day)


def is_working_day(day: datetime.date) -> bool:
    """True if ``day`` is a working day in mainland China (调休 make-up days included)."""
    _check(day)
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # the package's own "no data for year" error
        raise CalendarNotCoveredError(day) from None


def working_days_inclusive(start: datetime.date, end: datetime.date) -> int:
    """Number of working days from ``start`` to ``end``, both included.

    ``ValueError`` if ``end`` is before ``start``; ``CalendarNotCoveredError`` if any day of
    the span is outside ``COVERED_YEARS``.
    """
    _check(start)
    _check(end)
    if end < start:
        raise ValueError(
            f"结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()} "
            f"(end date {end.isoformat()} is before start date {start.isoformat()})"
        )
    count = 0
    day = start
    while day <= end:
        if is_working_day(day):
            count += 1
        day += _ONE_DAY
    return count


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The date on which ``n`` working days are complete, counting ``start`` if it is one.

    ``add_working_days(start, n)`` is the earliest ``end`` with
    ``working_days_inclusive(start, end) == n``, and is itself a working day. E.g. a
    5-working-day publicity starting on ``start`` ends at ``add_working_days(start, 5)``.
    ``n`` must be at least 1.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"工作日数须为正整数 (n must be a positive integer): {n!r}")
    _check(start)
    remaining = n
    day = start
    while True:
        if is_working_day(day):
            remaining -= 1
            if remaining == 0:
                return day
        day += _ONE_DAY
