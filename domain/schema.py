"""Field specifications of entries, read from the event classes' own annotations.

An event class declares its fields with ordinary type hints; ``Annotated`` adds what a
plain type cannot say (a code table, a range, a positive amount, a step, a list's length).
Every field is bounded (``domain/bounds.py``): a date without a ``Range`` lies in the record's
window, a text without a ``Text`` has the general length. ``coerce`` turns a request payload
into typed values or a list of field errors in Chinese and English, so the domain validates
every entry the same way, and the api derives its request models from the same specification.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, get_args, get_origin
from uuid import UUID

from domain import bounds
from domain.errors import FieldError, ValidationError


@dataclass(frozen=True)
class Code:
    """The value must be a code of the named national code table (GB/T …)."""

    table: str


@dataclass(frozen=True)
class Range:
    """A number or a date between ``low`` and ``high`` (inclusive)."""

    low: int | Decimal | date
    high: int | Decimal | date


@dataclass(frozen=True)
class Step:
    """A decimal that is a whole multiple of ``step`` (``Decimal("0.1")``: one decimal place)."""

    step: Decimal


@dataclass(frozen=True)
class Items:
    """A list (or an object's keys) of ``low`` to ``high`` items, each at most once if ``unique``."""

    low: int
    high: int
    unique: bool = False


@dataclass(frozen=True)
class Positive:
    """A number strictly greater than zero."""


@dataclass(frozen=True)
class Text:
    """A non-empty text of at most ``max_length`` characters (matching ``pattern`` if one is given, in
    whole, e.g. ``r"[0-9]{4}"`` for a year)."""

    max_length: int = 2000
    pattern: str | None = None


# Fields every event carries that are not part of an entry's own payload.
SYSTEM_FIELDS = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic"}
)
PROVENANCE_FIELDS = frozenset(
    {"actor", "actor_role", "request_id", "overrides", "override_reason",
     "registrant_scope"}  # 管辖范围 of whoever registered a cadre (``CadreRegistered``)
)
# How the command judged the entry, stored with it but never part of its payload: the working-day
# calendar R-PUBLICITY counted with (``calendar_used``, see domain/workdays.py ``judgement``).
JUDGEMENT_FIELDS = frozenset({"calendar_used"})
NOT_PAYLOAD = SYSTEM_FIELDS | PROVENANCE_FIELDS | JUDGEMENT_FIELDS


@dataclass(frozen=True)
class FieldSpec:
    """What one field of an entry accepts."""

    name: str
    base: type  # str, int, bool, date, Decimal, UUID, tuple, dict
    required: bool
    choices: tuple[Any, ...] | None = None
    code_table: str | None = None
    low: int | Decimal | date | None = None  # of the value, or of each item of a list / value of an object
    high: int | Decimal | date | None = None
    positive: bool = False
    max_length: int | None = None  # of a text, or of each text of a list
    pattern: str | None = None  # what a text must match in whole
    item: type | None = None  # element type of a tuple field / value type of a dict field
    step: Decimal | None = None
    min_items: int = 0  # of a list, or keys of an object
    max_items: int | None = None
    unique: bool = False
    key: type | None = None  # key type of a dict field (str, or UUID); Literal keys are ``choices``


def _unwrap(hint: Any) -> tuple[Any, bool, list[Any]]:
    """Return (inner type, optional?, Annotated metadata)."""
    meta: list[Any] = []
    optional = False
    if get_origin(hint) is typing.Annotated:
        hint, *meta = get_args(hint)
    origin = get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in get_args(hint) if a is not type(None)]
        optional = len(args) != len(get_args(hint))
        hint = args[0]
        if get_origin(hint) is typing.Annotated:
            hint, *more = get_args(hint)
            meta.extend(more)
    return hint, optional, meta


def _constraints(meta: list[Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for m in meta:
        if isinstance(m, Code):
            kwargs["code_table"] = m.table
        elif isinstance(m, Range):
            kwargs["low"], kwargs["high"] = m.low, m.high
        elif isinstance(m, Positive):
            kwargs["positive"] = True
        elif isinstance(m, Text):
            kwargs["max_length"], kwargs["pattern"] = m.max_length, m.pattern
        elif isinstance(m, Step):
            kwargs["step"] = m.step
        elif isinstance(m, Items):
            kwargs["min_items"], kwargs["max_items"], kwargs["unique"] = m.low, m.high, m.unique
    return kwargs


def _defaults(base: type, kwargs: dict[str, Any]) -> None:
    """Every value is bounded: dates to the record's window, texts to the general length."""
    if base is date and "low" not in kwargs:
        kwargs["low"], kwargs["high"] = bounds.EARLIEST_RECORD_DAY, bounds.LATEST_DAY
    if base is str and "max_length" not in kwargs and "choices" not in kwargs and "code_table" not in kwargs:
        kwargs["max_length"] = bounds.TEXT_LENGTH


def _spec(name: str, hint: Any, has_default: bool) -> FieldSpec:
    inner, optional, meta = _unwrap(hint)
    kwargs = _constraints(meta)
    origin = get_origin(inner)
    if origin is Literal:
        choices = get_args(inner)
        base: type = int if all(type(c) is int for c in choices) else str
        kwargs["choices"] = tuple(choices)
        _defaults(base, kwargs)
    elif origin is tuple:
        base = tuple
        item_inner, _, item_meta = _unwrap(get_args(inner)[0])
        kwargs.update(_constraints(item_meta))
        if get_origin(item_inner) is Literal:
            kwargs["choices"] = tuple(get_args(item_inner))
            item_inner = str
        kwargs["item"] = item_inner
        _defaults(item_inner, kwargs)
    elif origin is dict:
        base = dict
        key, value = get_args(inner)
        value_inner, _, value_meta = _unwrap(value)
        kwargs.update(_constraints(value_meta))
        if get_origin(key) is Literal:
            kwargs["choices"], kwargs["key"] = tuple(get_args(key)), str
        else:
            kwargs["key"] = key
        kwargs["item"] = value_inner
        if value_inner is not Any:
            _defaults(value_inner, kwargs)
    else:
        base = inner
        _defaults(base, kwargs)
    return FieldSpec(name=name, base=base, required=not (optional or has_default), **kwargs)


@functools.cache
def field_specs(event_class: type) -> tuple[FieldSpec, ...]:
    """The payload fields of an entry type, in declaration order, with constraints."""
    hints = typing.get_type_hints(event_class, include_extras=True)
    specs: list[FieldSpec] = []
    overrides: Mapping[str, Any] = getattr(event_class, "FIELD_OVERRIDES", {})
    for f in dataclasses.fields(event_class):
        if f.name in NOT_PAYLOAD or f.name == "_":
            continue
        has_default = (
            f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        )
        hint = overrides.get(f.name, hints[f.name])
        spec = _spec(f.name, hint, has_default and f.name not in overrides)
        specs.append(spec)
    return tuple(specs)


def _coerce_scalar(spec: FieldSpec, base: type, value: Any) -> Any:
    if base is str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("须为非空文本 (must be non-empty text)")
        if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
            raise ValueError("含有无效字符 (contains a NUL or an invalid Unicode character)")
        value = value.strip()
        if spec.max_length is not None and len(value) > spec.max_length:
            raise ValueError(f"不得超过{spec.max_length}字 (at most {spec.max_length} characters)")
        if spec.pattern is not None and re.fullmatch(spec.pattern, value) is None:
            raise ValueError(f"格式不符 (does not match {spec.pattern})")
        return value
    if base is bool:
        if not isinstance(value, bool):
            raise ValueError("须为 true 或 false (must be true or false)")
        return value
    if base is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("须为整数 (must be a whole number)")
        if not -(2**31) <= value < 2**31:
            raise ValueError("整数超出范围 (whole number out of range)")
        return value
    if base is Decimal:
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal | float):
            raise ValueError("须为数字 (must be a number)")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueError("须为数字 (must be a number)") from None
        if not number.is_finite():
            raise ValueError("须为有限数字 (must be a finite number)")
        return number
    if base is date:
        if isinstance(value, date):
            return value
        if not isinstance(value, str):
            raise ValueError("须为日期 YYYY-MM-DD (must be a date YYYY-MM-DD)")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError("须为日期 YYYY-MM-DD (must be a date YYYY-MM-DD)") from None
    if base is UUID:
        if isinstance(value, UUID):
            return value
        try:
            return UUID(str(value))
        except ValueError:
            raise ValueError("须为 UUID (must be a UUID)") from None
    raise TypeError(f"unsupported field type {base!r}")  # a programming error, not input


def _check_constraints(spec: FieldSpec, value: Any) -> None:
    if spec.choices is not None and value not in spec.choices:
        allowed = "、".join(str(c) for c in spec.choices)
        raise ValueError(f"须为以下之一：{allowed} (must be one of: {', '.join(str(c) for c in spec.choices)})")
    if spec.positive and not value > 0:
        raise ValueError("须大于0 (must be greater than 0)")
    if spec.low is not None and spec.high is not None and not spec.low <= value <= spec.high:
        if isinstance(value, date):
            raise ValueError(bounds.window_message(spec.low, spec.high))  # type: ignore[arg-type]
        raise ValueError(f"须在{spec.low}到{spec.high}之间 (must be between {spec.low} and {spec.high})")
    if spec.step is not None and value.quantize(spec.step) != value:
        places = -int(spec.step.as_tuple().exponent)
        raise ValueError(f"至多{places}位小数 (at most {places} decimal place{'s' if places > 1 else ''})")


def _check_count(spec: FieldSpec, count: int) -> None:
    if count < spec.min_items or (spec.max_items is not None and count > spec.max_items):
        raise ValueError(f"须有{spec.min_items}至{spec.max_items}项 "
                         f"(must have between {spec.min_items} and {spec.max_items} items)")


def _key(spec: FieldSpec, key: str) -> str:
    if spec.key is UUID:
        try:
            return str(UUID(key))
        except ValueError:
            raise ValueError(f"键须为 UUID (keys must be UUIDs): {key[:64]}") from None
    if spec.choices is not None and key not in spec.choices:
        allowed = "、".join(str(c) for c in spec.choices)
        raise ValueError(f"键须为以下之一：{allowed} (keys must be one of: {', '.join(str(c) for c in spec.choices)})")
    return key


def coerce_value(spec: FieldSpec, value: Any) -> Any:
    """Coerce one field, raising ValueError with a bilingual message."""
    if spec.base is tuple:
        if not isinstance(value, list | tuple):
            raise ValueError("须为列表 (must be a list)")
        _check_count(spec, len(value))
        assert spec.item is not None
        item_spec = dataclasses.replace(spec, base=spec.item, item=None)
        items = []
        for v in value:
            coerced = _coerce_scalar(item_spec, spec.item, v)
            _check_constraints(item_spec, coerced)
            items.append(coerced)
        if spec.unique and len(set(items)) != len(items):
            raise ValueError("不得重复 (items must not repeat)")
        return tuple(items)
    if spec.base is dict:
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise ValueError("须为对象 (must be an object with text keys)")
        _check_count(spec, len(value))
        if spec.item is Any:
            return dict(value)
        assert spec.item is not None
        item_spec = dataclasses.replace(spec, base=spec.item, item=None, choices=None)
        result = {}
        for k, v in value.items():
            coerced = _coerce_scalar(item_spec, spec.item, v)
            _check_constraints(item_spec, coerced)
            result[_key(spec, k)] = coerced
        if len(result) != len(value):
            raise ValueError("键不得重复 (keys must not repeat)")
        return result
    coerced = _coerce_scalar(spec, spec.base, value)
    _check_constraints(spec, coerced)
    return coerced


def coerce(
    event_class: type, payload: Mapping[str, Any], *, partial: bool = False
) -> dict[str, Any]:
    """Validate ``payload`` against the entry type's fields.

    Unknown fields are refused (a typo must not silently drop data). With ``partial``
    only the given fields are checked (a correction's changes).
    """
    specs = {s.name: s for s in field_specs(event_class)}
    errors: list[FieldError] = []
    result: dict[str, Any] = {}
    for name in payload:
        if name not in specs:
            errors.append(FieldError(name, "未知字段 (unknown field)"))
    for name, spec in specs.items():
        if name not in payload or payload[name] is None:
            if spec.required and not partial:
                errors.append(FieldError(name, "必填 (required)"))
            elif name in payload:
                if spec.required:
                    errors.append(FieldError(name, "必填，不能为空 (required, cannot be null)"))
                else:
                    result[name] = None
            continue
        try:
            result[name] = coerce_value(spec, payload[name])
        except ValueError as e:
            errors.append(FieldError(name, str(e)))
    if not errors and not partial:
        errors = cross_errors(event_class, result)
    if errors:
        raise ValidationError(errors)
    return result


def coerce_changes(event_class: type, changes: Any) -> dict[str, Any]:
    """A correction's new values, typed as the fields of the corrected record's ``event_class``; a
    refusal names each field as ``changes.<field>``."""
    if not isinstance(changes, dict) or not changes:
        raise ValidationError([FieldError("changes", "须给出要更正的字段 (give at least one field to change)")])
    try:
        return coerce(event_class, changes, partial=True)
    except ValidationError as e:
        raise ValidationError([FieldError(f"changes.{x.loc}", x.msg) for x in e.errors]) from None


def cross_errors(event_class: type, values: Mapping[str, Any],
                 changed: Mapping[str, Any] | None = None) -> list[FieldError]:
    """What an entry type refuses in a combination of fields (an ``Assessed`` grade outside its
    kind's scale …): the class's ``cross_check`` over ``values``. With ``changed`` (a correction's
    fields) only when the correction touches a field the check reads (``CROSS_FIELDS``), so an
    entry stored before a check existed can still be corrected in its other fields."""
    check = getattr(event_class, "cross_check", None)
    if check is None:
        return []
    if changed is not None and not set(getattr(event_class, "CROSS_FIELDS", ())) & set(changed):
        return []
    found: list[FieldError] = check(dict(values))
    return found
