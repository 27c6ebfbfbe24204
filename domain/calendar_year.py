"""CalendarYear 节假日安排: one stream per year, the working-day calendar as recorded data.

Each year the State Council publishes the next year's holidays and 调休 make-up working days
(国务院办公厅关于…部分节假日安排的通知). The office records it the day it appears:
``CalendarPublished`` (year, holidays, workdays, the notice's 文号 and date), and a mistake is
corrected like any entry, by ``CalendarCorrected`` carrying the whole corrected schedule, a
reason and the document it rests on. The stream id is ``uuid5("calendar:<year>")``, so a year
is published once; its schedule version is the stream version (1 = as published).

A recorded year replaces the built-in one (``chinese-calendar``) for that year. Who may record:
an ``admin``, or an ``hr`` user with the permission ``can_publish_calendar``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from eventsourcing.domain import Aggregate, AggregateCreated

from domain.errors import FieldError, PermissionDeniedError, ValidationError
from domain.recorded import Provenance, RecordedEvent
from domain.rules.config import ConfigError, RuleConfig
from domain.schema import Range, Text, coerce
from domain.workdays import BUILT_IN, YearSchedule

# Validation bounds of a schedule (not rule thresholds): a real year has some 30 holiday dates
# (weekend days inside a holiday included) and up to a dozen 调休 days.
FIRST_YEAR, LAST_YEAR = 1949, 2100
MAX_HOLIDAYS, MAX_WORKDAYS = 60, 30
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
PUBLISH_FIELDS = ("year", "holidays", "workdays", "notice_no", "notice_date")
CORRECT_FIELDS = (*PUBLISH_FIELDS, "reason", "document_no")


class CalendarYear(Aggregate):
    TOPIC = "jishi.CalendarYear"

    class Event(Aggregate.Event):
        TOPIC = "jishi.CalendarYear.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "jishi.CalendarYear.Created"

    def __init__(self) -> None:
        self.year = 0
        self.holidays: tuple[date, ...] = ()
        self.workdays: tuple[date, ...] = ()
        self.notice_no = ""
        self.notice_date: date = date.min
        self.recorded_at: datetime | None = None
        self.actor = ""

    def schedule(self) -> YearSchedule:
        """The schedule as it now stands, named by its version (1 = as published)."""
        return YearSchedule(self.year, frozenset(self.holidays), frozenset(self.workdays), "recorded",
                            version=self.version, notice_no=self.notice_no, notice_date=self.notice_date,
                            recorded_at=self.recorded_at)


class CalendarEvent(RecordedEvent):
    STREAM: ClassVar[str] = "calendar"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {}  # effective_on: 1 January of the year, set by the command

    year: Annotated[int, Range(FIRST_YEAR, LAST_YEAR)]
    holidays: tuple[date, ...]  # 放假日 (weekend days inside a holiday may be listed)
    notice_no: Annotated[str, Text(100)]  # 文号 of the notice, e.g. 国办发明电〔2026〕N号
    notice_date: date  # 发布日期
    workdays: tuple[date, ...] = ()  # 调休上班日 (Saturdays and Sundays worked)

    def apply(self, calendar: CalendarYear) -> None:
        calendar.year = self.year
        calendar.holidays, calendar.workdays = tuple(sorted(self.holidays)), tuple(sorted(self.workdays))
        calendar.notice_no, calendar.notice_date = self.notice_no, self.notice_date
        calendar.recorded_at, calendar.actor = self.timestamp, self.actor


class CalendarPublished(CalendarEvent, AggregateCreated):
    """发布节假日安排: a year's holidays and 调休 workdays as the notice gives them."""

    LABEL: ClassVar[str] = "记录节假日安排"


class CalendarCorrected(CalendarEvent):
    """更正节假日安排: the whole corrected schedule of a recorded year, with a reason."""

    LABEL: ClassVar[str] = "更正节假日安排"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {"reason": Annotated[str, Text(500)]}


def may_publish(by: Provenance) -> None:
    """An admin, or an hr user with the permission; anyone else → ``PermissionDeniedError``."""
    if by.role == "admin" or (by.role == "hr" and by.can_publish_calendar):
        return
    raise PermissionDeniedError(
        "无记录节假日安排的权限：须为系统管理员或经授权的干部工作人员 "
        "(only an admin or an hr user with the permission can_publish_calendar may record the calendar)")


def _dates_text(days: Iterable[date]) -> str:
    return "、".join(d.isoformat() for d in sorted(days))


def schedule_errors(values: Mapping[str, Any], today: date) -> list[FieldError]:
    """What the field types cannot say: every date in the year, none twice, none both a holiday
    and a workday, workdays on weekends only, bounded lengths, a notice not dated in the future."""
    year: int = values["year"]
    holidays: tuple[date, ...] = values["holidays"]
    workdays: tuple[date, ...] = values.get("workdays") or ()
    errors: list[FieldError] = []
    for name, days, most in (("holidays", holidays, MAX_HOLIDAYS), ("workdays", workdays, MAX_WORKDAYS)):
        label = "放假日" if name == "holidays" else "调休上班日"
        if len(days) > most:
            errors.append(FieldError(name, f"{label}至多{most}个 (at most {most} dates)"))
            continue
        outside = [d for d in days if d.year != year]
        if outside:
            errors.append(FieldError(name, f"{label}须在{year}年内：{_dates_text(outside)} "
                                           f"(dates must be in {year}: {', '.join(map(str, sorted(outside)))})"))
        repeated = sorted({d for d in days if days.count(d) > 1})
        if repeated:
            errors.append(FieldError(name, f"{label}重复：{_dates_text(repeated)} (listed twice)"))
    if not holidays:
        errors.append(FieldError("holidays", "须至少有一个放假日 (at least one holiday)"))
    both = set(holidays) & set(workdays)
    if both:
        errors.append(FieldError("workdays", f"既是放假日又是调休上班日：{_dates_text(both)} "
                                             f"(both a holiday and a working day)"))
    weekdays = [d for d in workdays if d.weekday() < 5][:MAX_WORKDAYS]
    if weekdays:
        shown = "、".join(f"{d.isoformat()}（{WEEKDAYS_ZH[d.weekday()]}）" for d in sorted(weekdays))
        errors.append(FieldError("workdays", f"调休上班日须为周六或周日：{shown} "
                                             f"(a make-up working day must be a Saturday or a Sunday)"))
    if values["notice_date"] > today:
        errors.append(FieldError("notice_date", f"发布日期不得晚于今天（{today}） (the notice cannot be dated "
                                                f"after today, {today})"))
    return errors


def validated(payload: Mapping[str, Any], today: date, *, correction: bool) -> dict[str, Any]:
    """The payload as typed values, or ``ValidationError`` naming each field at fault."""
    allowed = CORRECT_FIELDS if correction else PUBLISH_FIELDS
    unknown = [FieldError(k, "未知字段 (unknown field)") for k in payload if k not in allowed]
    event_class = CalendarCorrected if correction else CalendarPublished
    try:
        values = coerce(event_class, {k: v for k, v in payload.items() if k in allowed})
    except ValidationError as e:
        raise ValidationError([*unknown, *e.errors]) from None
    errors = [*unknown, *schedule_errors(values, today)]
    if errors:
        raise ValidationError(errors)
    values["workdays"] = tuple(sorted(values.get("workdays") or ()))
    values["holidays"] = tuple(sorted(values["holidays"]))
    return values


def unchanged(calendar: CalendarYear, values: Mapping[str, Any]) -> bool:
    """A correction that would leave the schedule and its notice as they are."""
    return (tuple(values["holidays"]), tuple(values["workdays"]), values["notice_no"], values["notice_date"]) == (
        calendar.holidays, calendar.workdays, calendar.notice_no, calendar.notice_date)


def known_years(built_in: Iterable[int], recorded: Iterable[int]) -> list[int]:
    return sorted({*built_in, *recorded})


def warn_from(config: RuleConfig) -> tuple[int, int]:
    """``calendar.warn_from`` as (month, day); ``ConfigError`` if it is not a month-day like "11-01"."""
    text = config.get("calendar.warn_from")
    try:
        month, day = (int(part) for part in str(text).split("-"))
        date(2000, month, day)  # a leap year: any real month-day
    except ValueError:
        raise ConfigError(f"calendar.warn_from 须为月-日，如 \"11-01\" (must be a month-day like \"11-01\"): "
                          f"{text!r}") from None
    return month, day


def missing_years(today: date, warn_from: tuple[int, int], known: Callable[[int], bool]) -> list[int]:
    """The years whose schedule should be known by now but is not: this year, always; next year
    from ``warn_from`` (month, day) of this year. A year known (built in or recorded) is not missing."""
    month, day = warn_from
    due = [today.year]
    if (today.month, today.day) >= (month, day):
        due.append(today.year + 1)
    return [year for year in due if not known(year)]


def built_in_years() -> list[int]:
    return sorted(BUILT_IN.years)
