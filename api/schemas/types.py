"""Typed, bounded values of the API (bodies, query and path parameters), each declaring in
``/openapi.json`` exactly what it accepts (``domain/bounds.py``), and each refusing anything else
with a bilingual message naming the field (a ``bounds`` error: see ``api/problems.py``).

Pydantic's own parsing is lax where the contract is not: it would read ``0.5`` as an instant
(seconds since 1970), ``0`` as a day, a UUID without hyphens as a UUID. These types read text only,
in the one shape their schema states.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from domain import bounds
from domain.errors import ValidationError

BOUNDS_ERROR = "bounds"  # the error type of these validators: their message is already bilingual
# Text with at least one character that is whitespace to none of Python, ECMAScript and Rust (so the
# domain's strip() keeps it), and no NUL (PostgreSQL cannot store it).
NON_BLANK = r"^[^\x00]*[^\x00\s\x1c-\x1f\x85\ufeff][^\x00]*$"
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_UUID = re.compile(UUID_PATTERN[1:-1])


def refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError(BOUNDS_ERROR, message)


def _day_reader(low: date, high: date) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        day: date | None = None
        if isinstance(value, date) and not isinstance(value, datetime):
            day = value
        elif isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                day = None
        if day is None:
            raise refuse(bounds.NOT_A_DAY)
        if not low <= day <= high:
            raise refuse(bounds.window_message(low, high))
        return day
    return read


def bounded_day(low: date, high: date) -> Any:
    """A YYYY-MM-DD day from ``low`` to ``high`` (schema: ``format: date`` and a pattern of the window)."""
    return Annotated[date, BeforeValidator(_day_reader(low, high)),
                     WithJsonSchema({"type": "string", "format": "date", "pattern": bounds.date_pattern(low, high)})]


RecordDay = bounded_day(bounds.EARLIEST_RECORD_DAY, bounds.LATEST_DAY)
QueryDay = bounded_day(bounds.EARLIEST_QUERY_DAY, bounds.LATEST_QUERY_DAY)


def _instant(value: Any) -> Any:
    if not isinstance(value, str):
        raise refuse(bounds.NOT_AN_INSTANT)
    try:
        return bounds.query_instant("known_at", value)
    except ValidationError as error:
        raise refuse(error.errors[0].msg) from None


Instant = Annotated[datetime, BeforeValidator(_instant), WithJsonSchema({
    "type": "string", "pattern": bounds.INSTANT_PATTERN,
    "description": "ISO 8601, e.g. 2024-05-01T09:30:00+08:00; naive = UTC; its date within "
                   f"{bounds.EARLIEST_QUERY_DAY} … {bounds.LATEST_QUERY_DAY}"})]


def _uuid(value: Any) -> Any:
    if isinstance(value, UUID):
        return value
    if isinstance(value, str) and _UUID.fullmatch(value):
        return UUID(value)
    raise refuse("须为 UUID，如 123e4567-e89b-12d3-a456-426614174000 (must be a UUID with hyphens)")


StrictUUID = Annotated[UUID, BeforeValidator(_uuid), WithJsonSchema({"type": "string", "format": "uuid",
                                                                     "pattern": UUID_PATTERN})]


def decimal_type(low: Decimal | int, high: Decimal | int, step: Decimal | None, *, positive: bool) -> Any:
    """A decimal as a JSON number or as text in the one shape the pattern states, > 0 (``positive``)
    or ≥ ``low``, ≤ ``high``, a whole multiple of ``step``."""
    places = 0 if step is None else -int(step.as_tuple().exponent)
    text = bounds.decimal_text_pattern(int(high), places, positive=positive)
    number: dict[str, Any] = {"type": "number", "maximum": int(high)}
    number["exclusiveMinimum" if positive else "minimum"] = 0 if positive else int(low)
    if step is not None:
        number["multipleOf"] = float(step)

    def read(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise refuse("须为数字 (must be a number)")
        if isinstance(value, str) and not re.fullmatch(text[1:-1], value):
            raise refuse(f"须为数字文本，如 12 或 12.5 (must be a number, e.g. 12 or 12.5, "
                         f"{'> 0' if positive else f'≥ {low}'} and ≤ {high})")
        try:
            number_ = Decimal(str(value))
        except ArithmeticError:
            raise refuse("须为数字 (must be a number)") from None
        if not number_.is_finite() or not (number_ > 0 if positive else number_ >= low) or number_ > high:
            raise refuse(f"须{'大于0' if positive else f'不小于{low}'}且不大于{high} "
                         f"(must be {'> 0' if positive else f'≥ {low}'} and ≤ {high})")
        if step is not None and number_.quantize(step) != number_:
            raise refuse(f"至多{places}位小数 (at most {places} decimal place{'s' if places > 1 else ''})")
        return number_

    return Annotated[Decimal, BeforeValidator(read), WithJsonSchema({"anyOf": [number, {
        "type": "string", "pattern": text}]})]


def _whole(value: Any) -> Any:
    """JSON Schema counts 3.0 as an integer: take it as 3; never text or true/false."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise refuse("须为整数 (must be a whole number)")
    return value


def whole_number(low: int | None, high: int | None, *, positive: bool = False) -> Any:
    """An integer from ``low`` (or > 0 if ``positive``) to ``high``."""
    return Annotated[int, Field(ge=None if positive else low, gt=0 if positive else None, le=high),
                     BeforeValidator(_whole)]


def _distinct(items: list[Any]) -> list[Any]:
    if len(set(items)) != len(items):
        raise refuse("不得重复 (items must not repeat)")
    return items


Distinct = AfterValidator(_distinct)
