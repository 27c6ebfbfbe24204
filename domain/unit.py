"""Unit 单位: an organisation in the tree (党委部门, 政府部门, 乡镇, 街道, 事业单位 …)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from eventsourcing.domain import Aggregate, AggregateCreated

from domain.bounds import CODE_LENGTH, NAME_LENGTH
from domain.recorded import RecordedEvent
from domain.schema import Text

UnitKind = Literal["党委部门", "政府部门", "乡镇", "街道", "事业单位", "国有企业", "群团"]
# 机构序列: units carry no order of their own, so lists follow the usual order of a county's
# organisations — 党委部门, 政府部门, 群团组织, 乡镇, 街道, 事业单位, 国有企业 — then the unit code
KIND_ORDER: tuple[str, ...] = ("党委部门", "政府部门", "群团", "乡镇", "街道", "事业单位", "国有企业")


def sequence_key(kind: str | None, code: str) -> tuple[int, str]:
    """The sort key of a unit in the 机构序列 (an unknown kind after the known ones)."""
    return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), code)


class Unit(Aggregate):
    TOPIC = "jishi.Unit"

    class Event(Aggregate.Event):
        TOPIC = "jishi.Unit.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "jishi.Unit.Created"

    def __init__(self) -> None:
        self.code = ""
        self.name = ""
        self.kind = ""
        self.parent_code: str | None = None
        self.registered_on: date | None = None
        self.dissolved_on: date | None = None
        self.names: list[tuple[date, str]] = []  # (since, name) in valid-time order

    def exists_on(self, day: date) -> bool:
        registered = self.registered_on is None or self.registered_on <= day
        return registered and (self.dissolved_on is None or day < self.dissolved_on)


class UnitEvent(RecordedEvent):
    STREAM: ClassVar[str] = "unit"


class UnitRegistered(UnitEvent, AggregateCreated):
    LABEL: ClassVar[str] = "单位登记"
    FIELD_OVERRIDES: ClassVar[dict[str, object]] = {}  # effective_on optional: None = before records
    code: Annotated[str, Text(CODE_LENGTH)]
    name: Annotated[str, Text(NAME_LENGTH)]
    kind: UnitKind
    parent_code: Annotated[str, Text(CODE_LENGTH)] | None = None

    def apply(self, unit: Unit) -> None:
        unit.code, unit.name, unit.kind = self.code, self.name, self.kind
        unit.parent_code = self.parent_code
        unit.registered_on = self.effective_on
        unit.names = [(self.effective_on or date.min, self.name)]


class UnitRenamed(UnitEvent):
    LABEL: ClassVar[str] = "单位更名"
    name: Annotated[str, Text(NAME_LENGTH)]

    def apply(self, unit: Unit) -> None:
        since = self.effective_on or date.min
        unit.names = sorted([*(n for n in unit.names if n[0] != since), (since, self.name)])
        unit.name = unit.names[-1][1]


class UnitDissolved(UnitEvent):
    LABEL: ClassVar[str] = "单位撤销"

    def apply(self, unit: Unit) -> None:
        unit.dissolved_on = self.effective_on
