"""Chinese working days (工作日), for 任前公示 (R-PUBLICITY: at least 5 working days).

The calendar is *data*: for each year, the statutory holidays (法定节假日) and the weekend days
worked instead (调休上班), as the State Council publishes them each year
(国务院办公厅关于…部分节假日安排的通知). A day is a working day if it is a 调休 workday, or a
Monday–Friday that is not a holiday — but only in a year whose schedule is known.

Where a year's schedule comes from (``YearSchedule.source``):

* ``built-in``: the ``chinese-calendar`` package (2004–2026 in release 1.11), the default;
* ``recorded``: a ``CalendarPublished`` event (``domain/calendar_year.py``), version N after N − 1
  corrections, with the notice's 文号. A recorded year replaces the built-in one.

A ``WorkingCalendar`` is the set of years known at one moment. Every count over a day of a year
it does not know raises ``CalendarNotCoveredError``: there is deliberately no Monday–Friday
fallback, because a wrong count of working days would silently pass or fail a publicity.
``judgement`` describes a count so that it can be stored with the decision it supported
(``calendar_used``) and reproduced later.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from types import MappingProxyType
from typing import Any, Final, Literal

import chinese_calendar  # type: ignore[import-untyped]

__all__ = [
    "BUILT_IN",
    "COVERED_YEARS",
    "CalendarNotCoveredError",
    "WorkingCalendar",
    "YearSchedule",
    "add_working_days",
    "is_working_day",
    "working_days_inclusive",
]

_ONE_DAY: Final = datetime.timedelta(days=1)
Source = Literal["built-in", "recorded"]


def _check(day: datetime.date) -> None:
    # A datetime is a date subclass; refuse it rather than guess which day (and which time
    # zone) is meant.
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        raise TypeError(f"expected a datetime.date, got {type(day).__name__}")


def fingerprint(year: int, holidays: Iterable[datetime.date], workdays: Iterable[datetime.date]) -> str:
    """A short digest of a year's schedule: equal schedules, equal fingerprints (order ignored)."""
    text = "|".join([str(year), ",".join(sorted(d.isoformat() for d in holidays)),
                     ",".join(sorted(d.isoformat() for d in workdays))])
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:16]


@dataclass(frozen=True)
class YearSchedule:
    """One year's holidays and 调休 workdays, and where the schedule came from."""

    year: int
    holidays: frozenset[datetime.date]
    workdays: frozenset[datetime.date]
    source: Source
    version: int = 0  # recorded: 1 = as published, 2 = after the first correction …; built-in: 0
    notice_no: str | None = None  # 文号 of the State Council's notice (recorded years)
    notice_date: datetime.date | None = None
    recorded_at: datetime.datetime | None = None
    package: str | None = None  # built-in: "chinese-calendar 1.11.0"
    fingerprint: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint", fingerprint(self.year, self.holidays, self.workdays))

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    @property
    def label(self) -> str:
        """How people name it: 内置（chinese-calendar 1.11.0） or 记录第2版（国办发明电〔…〕…号）."""
        if self.source == "built-in":
            return f"内置（{self.package}）"
        return f"记录第{self.version}版（{self.notice_no}）"

    def reference(self) -> dict[str, Any]:
        """What a stored judgement keeps of the schedule it counted with (``calendar_used``)."""
        if self.source == "built-in":
            return {"source": "built-in", "package": self.package, "fingerprint": self.fingerprint}
        return {"source": "recorded", "version": self.version, "notice_no": self.notice_no,
                "fingerprint": self.fingerprint}


class CalendarNotCoveredError(ValueError):
    """The working-day calendar knows no schedule for the year of ``day``."""

    def __init__(self, day: datetime.date, known: Iterable[int] = ()) -> None:
        self.day = day
        years = sorted(known)
        span = f"{years[0]}–{years[-1]}" if years else "无 (none)"
        super().__init__(
            f"工作日日历未包含 {day.year} 年（{day.isoformat()}）的节假日安排，已知年份 {span}；"
            f"请记录该年的节假日安排 (the working-day calendar has no schedule for {day.year} "
            f"({day.isoformat()}); years known: {span}: record that year's holiday schedule)"
        )


@dataclass(frozen=True)
class WorkingCalendar:
    """The years whose schedules are known, as of one moment. Immutable: share it freely."""

    years: Mapping[int, YearSchedule]

    def covers(self, year: int) -> bool:
        return year in self.years

    def schedule(self, day: datetime.date) -> YearSchedule:
        _check(day)
        found = self.years.get(day.year)
        if found is None:
            raise CalendarNotCoveredError(day, self.years)
        return found

    def with_years(self, schedules: Iterable[YearSchedule]) -> WorkingCalendar:
        """This calendar with ``schedules`` replacing the years they are for."""
        years = dict(self.years)
        years.update((s.year, s) for s in schedules)
        return WorkingCalendar(MappingProxyType(years))

    def is_working_day(self, day: datetime.date) -> bool:
        """True if ``day`` is a working day in mainland China (调休 make-up days included)."""
        return self.schedule(day).is_working_day(day)

    def working_days_inclusive(self, start: datetime.date, end: datetime.date) -> int:
        """Number of working days from ``start`` to ``end``, both included.

        ``ValueError`` if ``end`` is before ``start``; ``CalendarNotCoveredError`` if any day of
        the span is in a year the calendar does not know.
        """
        _check(start)
        _check(end)
        if end < start:
            raise ValueError(
                f"结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()} "
                f"(end date {end.isoformat()} is before start date {start.isoformat()})"
            )
        for year in range(start.year, end.year + 1):  # every year first: never a partial count
            if year not in self.years:
                raise CalendarNotCoveredError(max(start, datetime.date(year, 1, 1)), self.years)
        count = 0
        day = start
        while day <= end:
            if self.years[day.year].is_working_day(day):
                count += 1
            day += _ONE_DAY
        return count

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The date on which ``n`` working days are complete, counting ``start`` if it is one.

        The earliest ``end`` with ``working_days_inclusive(start, end) == n``; itself a working
        day. A 5-working-day publicity starting on ``start`` ends at ``add_working_days(start, 5)``.
        ``n`` must be at least 1.
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"工作日数须为正整数 (n must be a positive integer): {n!r}")
        _check(start)
        remaining = n
        day = start
        while True:
            if self.is_working_day(day):
                remaining -= 1
                if remaining == 0:
                    return day
            day += _ONE_DAY

    def judgement(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        """A count as stored with the decision it supported: the span, its working days (None when
        a year of it is not known) and, per year, the schedule used or ``{"source": "unknown"}``."""
        years: dict[str, Any] = {}
        for year in range(start.year, end.year + 1):
            known = self.years.get(year)
            years[str(year)] = known.reference() if known is not None else {"source": "unknown"}
        try:
            counted: int | None = self.working_days_inclusive(start, end)
        except CalendarNotCoveredError:
            counted = None
        return {"start_on": start, "end_on": end, "working_days": counted, "years": years}


def _package() -> str:
    try:
        return f"chinese-calendar {version('chinese-calendar')}"
    except PackageNotFoundError:  # pragma: no cover — installed from a source tree
        return "chinese-calendar"


@cache
def _built_in() -> WorkingCalendar:
    # The package's own check (chinese_calendar.utils._validate_date) accepts the years between
    # the first and the last year of its holiday table; each is a year of the package's data.
    holidays: dict[int, set[datetime.date]] = {}
    workdays: dict[int, set[datetime.date]] = {}
    for day in chinese_calendar.holidays:
        holidays.setdefault(day.year, set()).add(day)
    for day in chinese_calendar.workdays:
        workdays.setdefault(day.year, set()).add(day)
    package = _package()
    years = range(min(holidays), max(holidays) + 1)
    return WorkingCalendar(MappingProxyType({
        year: YearSchedule(year, frozenset(holidays.get(year, ())), frozenset(workdays.get(year, ())),
                           "built-in", package=package)
        for year in years}))


BUILT_IN: Final[WorkingCalendar] = _built_in()
COVERED_YEARS: Final[range] = range(min(BUILT_IN.years), max(BUILT_IN.years) + 1)  # the built-in years


# — the same, as functions of an explicit calendar (there is no default: a count always says
#   which calendar it used) —

def is_working_day(day: datetime.date, calendar: WorkingCalendar) -> bool:
    return calendar.is_working_day(day)


def working_days_inclusive(start: datetime.date, end: datetime.date, calendar: WorkingCalendar) -> int:
    return calendar.working_days_inclusive(start, end)


def add_working_days(start: datetime.date, n: int, calendar: WorkingCalendar) -> datetime.date:
    return calendar.add_working_days(start, n)
