"""Request bodies of the writes, derived from the domain's own field specifications.

Each entry type of DOMAIN.md §4 gets a typed model (``AppointedEntry`` …) built from
``domain.schema.field_specs``; ``EntryRequest`` is their discriminated union on ``type``, so
``/openapi.json`` documents every entry's fields, choices and code tables. The domain validates
again (``coerce``): the models are the contract's documentation and the first, cheap filter.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, create_model, model_validator

from domain.assessment_round import AssessmentParticipantsRecorded
from domain.cadre_entries import RECORDABLE_TYPES, CadreRegistered
from domain.codes import CODE_TABLES
from domain.post import EstablishmentChanged, PostAbolished, PostEstablished
from domain.schema import FieldSpec, field_specs
from domain.selection import CASE_STEPS, CaseOpened
from domain.unit import UnitDissolved, UnitRegistered, UnitRenamed


def _text_date(value: Any) -> Any:
    if isinstance(value, str | date):
        return value
    raise ValueError("须为日期 YYYY-MM-DD (must be a date YYYY-MM-DD)")


StrictDate = Annotated[date, BeforeValidator(_text_date)]


def _unstorable(value: Any) -> bool:
    """Values the stores cannot keep faithfully: text with NUL (PostgreSQL) or lone surrogates (not
    UTF-8), integers beyond 64 bits, NaN and infinities (JSON allows none of them)."""
    if isinstance(value, str):
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not -(2**63) <= value < 2**63  # beyond the stored JSON's 64-bit integers
    if isinstance(value, float):
        return value != value or value in (float("inf"), float("-inf"))
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_unstorable(v) for v in value)
    return False


class Body(BaseModel):
    """Base of request bodies: unknown fields are refused (a typo must not drop data), and so is
    text with NUL characters or invalid Unicode, which no store could keep as sent."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        if _unstorable(data):
            raise ValueError("不得含 NUL 字符、无效 Unicode、超出64位的整数或非有限数 "
                             "(no NUL, invalid Unicode, integers beyond 64 bits or non-finite numbers)")
        return data


def _scalar(spec: FieldSpec, base: type, choices: tuple[Any, ...] | None) -> Any:
    if choices:
        return Literal[choices]
    if spec.code_table:
        return Literal[tuple(CODE_TABLES[spec.code_table].entries)]
    if base is str:
        return Annotated[str, Strict(), Field(min_length=1, max_length=spec.max_length, pattern=r"\S")]
    if base is bool:
        return Annotated[bool, Strict()]
    if base is int:  # 32-bit unless the domain bounds it: read models keep ints in INTEGER columns
        low = spec.low if spec.low is not None else (None if spec.positive else -(2**31))
        high = spec.high if spec.high is not None else 2**31 - 1
        return Annotated[int, Strict(), Field(ge=low, le=high, gt=0 if spec.positive else None)]
    if base is Decimal:
        return Annotated[Decimal, Field(ge=spec.low, le=spec.high, gt=0 if spec.positive else None,
                                        allow_inf_nan=False)]
    if base is date:
        return StrictDate
    if base is UUID:
        return UUID
    return Any


def annotation(spec: FieldSpec) -> Any:
    """The pydantic type of one field spec."""
    if spec.base is tuple:
        assert spec.item is not None
        return list[_scalar(spec, spec.item, spec.choices)]  # type: ignore[misc]
    if spec.base is dict:
        value = Any if spec.item is Any or spec.item is None else _scalar(spec, spec.item, None)
        return dict[str, value]  # type: ignore[valid-type]
    return _scalar(spec, spec.base, spec.choices)


def fields_of(event_class: type, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for spec in field_specs(event_class):
        if spec.name in exclude:
            continue
        kind = annotation(spec)
        fields[spec.name] = (kind, ...) if spec.required else (kind | None, None)
    return fields


OVERRIDE = (Annotated[str, Field(min_length=1, max_length=2000,
                                 description="越权放行理由 (reason to override an overridable guard; "
                                             "needs hr with the override permission)")] | None, None)
EXPECTED_VERSION = (Annotated[int, Strict(), Field(ge=0, le=2**31, description="乐观并发 (optimistic concurrency): "
                                                                        "the stream version the client saw")]
                    | None, None)


def model(name: str, event_class: type, *, doc: str, exclude: tuple[str, ...] = (),
          **extra: Any) -> type[Body]:
    built = create_model(name, __base__=Body, __doc__=doc, **fields_of(event_class, exclude=exclude), **extra)
    return built


def _entry_model(type_name: str, cls: type) -> type[Body]:
    return model(f"{type_name}Entry", cls, doc=f"{cls.LABEL} ({type_name})",  # type: ignore[attr-defined]
                 type=(Literal[type_name], ...), override_reason=OVERRIDE, expected_version=EXPECTED_VERSION)


ENTRY_MODELS: dict[str, type[Body]] = {name: _entry_model(name, cls) for name, cls in RECORDABLE_TYPES.items()}
EntryRequest = Annotated[Union[tuple(ENTRY_MODELS.values())], Field(discriminator="type")]  # type: ignore[valid-type]  # noqa: UP007
ENTRY_TAGS = frozenset(ENTRY_MODELS)

UnitRegistration = model("UnitRegistration", UnitRegistered, doc="单位登记 (register a unit)")
UnitRenaming = model("UnitRenaming", UnitRenamed, doc="单位更名 (rename a unit)")
UnitDissolution = model("UnitDissolution", UnitDissolved, doc="单位撤销 (dissolve a unit)")
PostEstablishment = model("PostEstablishment", PostEstablished, exclude=("unit_code",),
                          doc="设立职位 (establish a post in the unit)")
EstablishmentChange = model("EstablishmentChange", EstablishmentChanged, override_reason=OVERRIDE,
                            doc="职数调整 (change a post's establishment)")
PostAbolition = model("PostAbolition", PostAbolished, doc="撤销职位 (abolish a post)")
CadreRegistration = model("CadreRegistration", CadreRegistered, doc="录用/建档 (open a cadre's record)")
AssessmentParticipants = model("AssessmentParticipants", AssessmentParticipantsRecorded, exclude=("unit_code",),
                               override_reason=OVERRIDE,
                               doc="参加考核人数 (how many cadres took part in the unit's 年度考核, with the 文号 that "
                                   "says so; R-EXCELLENT-QUOTA counts 优秀 against it instead of the post holders)")


class Correction(Body):
    """更正: new values for some fields of an earlier entry, with a reason and 文号."""

    changes: Annotated[dict[str, Any], Field(min_length=1, description="field → new value, typed as the "
                                                                        "corrected entry's field")]
    reason: Annotated[str, Strict(), Field(min_length=1, max_length=500, pattern=r"\S")]
    document_no: Annotated[str, Strict(), Field(min_length=1, max_length=100)] | None = None
    effective_on: StrictDate | None = None
    override_reason: OVERRIDE[0] = None  # type: ignore[valid-type]
    expected_version: EXPECTED_VERSION[0] = None  # type: ignore[valid-type]


class Retraction(Body):
    """撤销记录: the earlier entry should never have been recorded."""

    reason: Annotated[str, Strict(), Field(min_length=1, max_length=500, pattern=r"\S")]
    document_no: Annotated[str, Strict(), Field(min_length=1, max_length=100)] | None = None
    effective_on: StrictDate | None = None
    override_reason: OVERRIDE[0] = None  # type: ignore[valid-type]
    expected_version: EXPECTED_VERSION[0] = None  # type: ignore[valid-type]


def _step_model(type_name: str, cls: type) -> type[Body]:
    return model(f"{type_name}Step", cls, doc=f"{cls.LABEL} ({type_name})",  # type: ignore[attr-defined]
                 type=(Literal[type_name], ...), override_reason=OVERRIDE, expected_version=EXPECTED_VERSION)


CaseOpening = model("CaseOpening", CaseOpened, override_reason=OVERRIDE,
                    doc="分析研判和动议 (open a selection case for a post)")
STEP_MODELS: dict[str, type[Body]] = {name: _step_model(name, cls) for name, cls in CASE_STEPS.items()}
CaseStepRequest = Annotated[Union[tuple(STEP_MODELS.values())], Field(discriminator="type")]  # type: ignore[valid-type]  # noqa: UP007
UNION_TAGS = ENTRY_TAGS | frozenset(STEP_MODELS)
