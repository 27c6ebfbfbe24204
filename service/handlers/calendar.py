"""The working-day calendar (节假日安排) as the store knows it, and the handler that records a year."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from domain import ids
from domain.calendar_year import (
    FIRST_YEAR,
    LAST_YEAR,
    CalendarCorrected,
    CalendarPublished,
    CalendarYear,
    may_publish,
    unchanged,
    validated,
)
from domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from domain.recorded import provenance_fields
from domain.workdays import BUILT_IN, WorkingCalendar
from service.commands import PublishCalendar
from service.handlers.context import Context
from service.results import Recorded, last_event
from service.unit_of_work import UnitOfWork


def working_calendar(uow: UnitOfWork, years: Iterable[int]) -> WorkingCalendar:
    """The calendar as known now, for counting days of ``years``: the built-in years, each recorded one
    of ``years`` replacing its built-in schedule. A year neither built in nor recorded is not known."""
    recorded = [found.schedule() for year in sorted(set(years)) if FIRST_YEAR <= year <= LAST_YEAR
                and (found := uow.find(CalendarYear, ids.calendar_id(year))) is not None]
    return BUILT_IN.with_years(recorded) if recorded else BUILT_IN


def calendar_for(uow: UnitOfWork, start: date, end: date) -> WorkingCalendar:
    """The calendar as known now for the years from ``start`` to ``end``."""
    return working_calendar(uow, range(start.year, end.year + 1))


def publish_calendar(command: PublishCalendar, ctx: Context) -> Recorded:
    """记录或更正一年的节假日安排 (result extra: ``year``)."""
    may_publish(ctx.by)
    values = validated(command.payload, ctx.today, correction=command.correct)
    year: int = values["year"]
    found = ctx.uow.find(CalendarYear, ids.calendar_id(year))
    fields = {**values, "effective_on": date(year, 1, 1), **provenance_fields(ctx.by)}
    if not command.correct:
        if found is not None:
            raise ConflictError(f"{year}年的节假日安排已记录（第{found.version}版），如有错误请更正 "
                                f"(the {year} schedule is already recorded: correct it instead)")
        found = CalendarYear._create(CalendarPublished, id=ids.calendar_id(year), **fields)
    elif found is None:
        raise NotFoundError(f"{year}年的节假日安排尚未记录，无从更正 (no recorded schedule for {year} to correct: "
                            "publish it)")
    elif unchanged(found, values):
        raise ValidationError([FieldError("holidays", "更正后的安排与现有记录相同 (the correction changes nothing)")])
    else:
        found.trigger_event(CalendarCorrected, **fields)
    return Recorded([found], last_event(found), {"year": str(year)})
