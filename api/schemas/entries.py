"""Request bodies of the writes, derived from the domain's own field specifications.

Each entry type of DOMAIN.md §4 gets a typed model (``AppointedEntry`` …) built from
``domain.schema.field_specs``; ``EntryRequest`` is their discriminated union on ``type``, so
``/openapi.json`` documents every entry's fields, choices and code tables. The domain validates
again (``coerce``): the models are the contract's documentation and the first, cheap filter.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, Strict, WithJsonSchema, create_model, model_validator

from api.schemas.types import NON_BLANK, Distinct, RecordDay, StrictUUID, bounded_day, decimal_type, whole_number
from domain import bounds
from domain.assessment_round import AssessmentParticipantsRecorded
from domain.cadre_entries import RECORDABLE_TYPES, CadreRegistered
from domain.codes import CODE_TABLES
from domain.post import EstablishmentChanged, PostAbolished, PostEstablished
from domain.schema import FieldSpec, field_specs
from domain.selection import CASE_STEPS, CaseOpened
from domain.unit import UnitDissolved, UnitRegistered, UnitRenamed


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

    @model_validator(mode="after")
    def _storable(self) -> Body:
        """Each field first judges its own value and names itself when it refuses (hours of 1e999999 are
        refused on `hours`); then what no field type covers — a correction's free-form values — must
        still be storable."""
        if _unstorable(dict(self.__dict__)):
            raise ValueError("不得含 NUL 字符、无效 Unicode、超出64位的整数或非有限数 "
                             "(no NUL, invalid Unicode, integers beyond 64 bits or non-finite numbers)")
        return self


def text(max_length: int) -> Any:
    """Non-blank text of at most ``max_length`` characters (the domain strips it and keeps the rest)."""
    return Annotated[str, Strict(), Field(min_length=1, max_length=max_length, pattern=NON_BLANK)]


Reason = Annotated[str, Strict(), Field(min_length=1, max_length=bounds.REASON_LENGTH, pattern=NON_BLANK)]
DocumentNo = Annotated[str, Strict(), Field(min_length=1, max_length=bounds.NAME_LENGTH, pattern=NON_BLANK)]


def _scalar(spec: FieldSpec, base: type, choices: tuple[Any, ...] | None) -> Any:
    if choices:
        return Literal[choices]
    if spec.code_table:
        return Literal[tuple(CODE_TABLES[spec.code_table].entries)]
    if base is str:
        if spec.pattern is not None:
            return Annotated[str, Strict(), Field(min_length=1, max_length=spec.max_length or bounds.TEXT_LENGTH,
                                                  pattern=f"^(?:{spec.pattern})$")]
        return text(spec.max_length or bounds.TEXT_LENGTH)
    if base is bool:
        return Annotated[bool, Strict()]
    if base is int:  # 32-bit unless the domain bounds it: read models keep ints in INTEGER columns
        low = spec.low if spec.low is not None else -(2**31)
        high = spec.high if spec.high is not None else 2**31 - 1
        assert isinstance(low, int) and isinstance(high, int), spec
        return whole_number(low, high, positive=spec.positive)
    if base is Decimal:
        assert isinstance(spec.low, int | Decimal) and isinstance(spec.high, int | Decimal), spec
        return decimal_type(spec.low, spec.high, spec.step, positive=spec.positive)
    if base is date:
        assert isinstance(spec.low, date) and isinstance(spec.high, date), spec
        return bounded_day(spec.low, spec.high)
    if base is UUID:
        return StrictUUID
    return Any


def annotation(spec: FieldSpec) -> Any:
    """The pydantic type of one field spec (lists and objects with their item counts)."""
    if spec.base is tuple:
        assert spec.item is not None
        item = _scalar(spec, spec.item, spec.choices)
        if spec.unique:
            return Annotated[list[item], Field(min_length=spec.min_items, max_length=spec.max_items,  # type: ignore[valid-type]
                                               json_schema_extra={"uniqueItems": True}), Distinct]
        return Annotated[list[item], Field(min_length=spec.min_items, max_length=spec.max_items)]  # type: ignore[valid-type]
    if spec.base is dict:
        if spec.item is Any or spec.item is None:
            value: Any = Any
        else:
            value = _scalar(dataclasses.replace(spec, choices=None), spec.item, None)
        key: Any = Literal[spec.choices] if spec.choices else StrictUUID if spec.key is UUID else str
        return Annotated[dict[key, value], Field(min_length=spec.min_items, max_length=spec.max_items)]
    return _scalar(spec, spec.base, spec.choices)


def fields_of(event_class: type, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for spec in field_specs(event_class):
        if spec.name in exclude:
            continue
        kind = annotation(spec)
        fields[spec.name] = (kind, ...) if spec.required else (kind | None, None)
    return fields


OVERRIDE = (Annotated[str, Strict(), Field(min_length=1, max_length=bounds.TEXT_LENGTH, pattern=NON_BLANK,
                                           description="例外放行理由 (reason to override an overridable guard; "
                                             "needs hr with the override permission)")] | None, None)
EXPECTED_VERSION = (Annotated[whole_number(0, 2**31 - 1), Field(description="乐观并发 (optimistic concurrency): "
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
if TYPE_CHECKING:
    class Tagged(Body):
        """What a type checker sees of an entry or a case step: the tag and the version the client saw
        (each tag's own model is built at import from its event class)."""

        type: str
        expected_version: int | None

    EntryRequest = Tagged
    CaseStepRequest = Tagged
else:
    EntryRequest = Annotated[Union[tuple(ENTRY_MODELS.values())], Field(discriminator="type")]  # noqa: UP007
ENTRY_TAGS = frozenset(ENTRY_MODELS)

if TYPE_CHECKING:  # built at import from their event classes; to a type checker each is a request body
    UnitRegistration = Body
    UnitRenaming = Body
    UnitDissolution = Body
    PostEstablishment = Body
    EstablishmentChange = Body
    PostAbolition = Body
    CadreRegistration = Body
    AssessmentParticipants = Body
else:
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
                                   doc="参加考核人数 (how many cadres took part in the unit's 年度考核, with the 文号 "
                                       "that says so; R-EXCELLENT-QUOTA counts 优秀 against it instead of the post "
                                       "holders)")


# What a correction's values may be before the corrected entry's own field types judge them (the domain):
# snake_case field names; text, numbers within the 64-bit range, true/false, null, lists of text.
_STORABLE_TEXT = {"type": "string", "pattern": "^[^\\x00]*$"}
CHANGES_SCHEMA: dict[str, Any] = {
    "type": "object", "minProperties": 1, "maxProperties": bounds.MAX_CHANGES,
    "propertyNames": {"pattern": "^[a-z][a-z0-9_]{0,39}$"},
    "additionalProperties": {"anyOf": [
        _STORABLE_TEXT, {"type": "number", "minimum": -(2**63), "maximum": 2**63 - 1}, {"type": "boolean"},
        {"type": "null"}, {"type": "array", "items": _STORABLE_TEXT, "maxItems": bounds.MAX_GOALS}]},
}


class Correction(Body):
    """更正: new values for some fields of an earlier entry, with a reason and 文号."""

    changes: Annotated[dict[str, Any], Field(min_length=1, max_length=bounds.MAX_CHANGES,
                                             description="field → new value, typed as the corrected entry's field"),
                       WithJsonSchema(CHANGES_SCHEMA)]
    reason: Reason
    document_no: DocumentNo | None = None
    effective_on: RecordDay | None = None
    override_reason: OVERRIDE[0] = None  # type: ignore[valid-type]
    expected_version: EXPECTED_VERSION[0] = None  # type: ignore[valid-type]


class Retraction(Body):
    """撤销记录: the earlier entry should never have been recorded."""

    reason: Reason
    document_no: DocumentNo | None = None
    effective_on: RecordDay | None = None
    override_reason: OVERRIDE[0] = None  # type: ignore[valid-type]
    expected_version: EXPECTED_VERSION[0] = None  # type: ignore[valid-type]


def _step_model(type_name: str, cls: type) -> type[Body]:
    return model(f"{type_name}Step", cls, doc=f"{cls.LABEL} ({type_name})",  # type: ignore[attr-defined]
                 type=(Literal[type_name], ...), override_reason=OVERRIDE, expected_version=EXPECTED_VERSION)


if TYPE_CHECKING:
    CaseOpening = Body
else:
    CaseOpening = model("CaseOpening", CaseOpened, override_reason=OVERRIDE,
                        doc="分析研判和动议 (open a selection case for a post)")
STEP_MODELS: dict[str, type[Body]] = {name: _step_model(name, cls) for name, cls in CASE_STEPS.items()}
if not TYPE_CHECKING:
    CaseStepRequest = Annotated[Union[tuple(STEP_MODELS.values())], Field(discriminator="type")]  # noqa: UP007
UNION_TAGS = ENTRY_TAGS | frozenset(STEP_MODELS)
