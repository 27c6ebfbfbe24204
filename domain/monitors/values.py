"""Date arithmetic and value coercions the monitors share (saturating: a date past 9999-12-31 becomes
``date.max``, i.e. "never")."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

_MIN_YEAR, _MAX_YEAR = date.min.year, date.max.year


def add_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (earlier if negative), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    if year > _MAX_YEAR:
        return date.max
    if year < _MIN_YEAR:
        return date.min
    if day.day <= 28:  # every month has it
        return date(year, month0 + 1, day.day)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def year_end(year: int) -> date:
    return date(year, 12, 31)


def as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def as_uuid(value: Any) -> UUID | None:
    if isinstance(value, UUID):
        return value
    if value is None:
        return None
    try:
        return UUID(str(value))
    except ValueError:
        return None


def as_decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def as_year(value: Any) -> int | None:
    """A calendar year from an int or a period string such as "2023"; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if _MIN_YEAR <= value <= _MAX_YEAR else None
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            year = int(text)
            return year if _MIN_YEAR <= year <= _MAX_YEAR else None
    return None
