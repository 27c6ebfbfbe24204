"""SelectionCase 选任纪实: one stream per selection case, the promotion procedure step by step
(DOMAIN.md §5): 动议 → 民主推荐 → 确定考察对象 → 考察 → 凡提四必 → 双签字 → 讨论决定 → 任前公示 → 任用.

The case keeps every step it recorded, in recorded order, with its effective date, so the
rules can ask what the case held on a given day (were the four checks done before the
decision? did the publicity end before the appointment?). The order the regulations impose
is checked by the guards (domain/rules/procedure.py), not by the events: a step stored with
an override must still replay.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from eventsourcing.domain import Aggregate, AggregateCreated

from domain.bounds import (
    CODE_LENGTH,
    MAX_LISTED_CADRES,
    MAX_MEETING_MEMBERS,
    MAX_OBJECTIONS,
    MAX_PARTICIPANTS,
    NAME_LENGTH,
    NOTE_LENGTH,
)
from domain.errors import FieldError
from domain.recorded import RecordedEvent
from domain.schema import Items, Range, Text

Name = Annotated[str, Text(NAME_LENGTH)]
Note = Annotated[str, Text(NOTE_LENGTH)]
UnitCode = Annotated[str, Text(CODE_LENGTH)]
Votes = Annotated[int, Range(0, MAX_PARTICIPANTS)]
CHECKS = ("档案审核", "个人事项核查", "纪检意见", "信访查核")  # 凡提四必
CHECKS_EN = {"档案审核": "personnel file review", "个人事项核查": "personal matters verification",
             "纪检意见": "discipline inspection opinion", "信访查核": "complaints check"}
DECISION_VOTES = ("同意", "不同意", "缓议")


@dataclass(frozen=True)
class CaseStep:
    """One recorded step of a case, as the rules read it."""

    entry_id: UUID
    type: str
    version: int
    day: date
    values: dict[str, Any]
    overrides: tuple[str, ...] = ()

    @property
    def cadre_id(self) -> UUID | None:
        value = self.values.get("cadre_id")
        return value if isinstance(value, UUID) else None


@dataclass
class StepRecord:
    """One recorded event of a case — a step, a correction or a retraction — with, for a step, its
    original values, the corrections overlaid on them in order and whether it stands."""

    entry_id: UUID
    type: str
    version: int
    original: dict[str, Any]
    values: dict[str, Any]
    overrides: tuple[str, ...] = ()
    corrections: list[UUID] = field(default_factory=list)
    retracted_by: UUID | None = None

    @property
    def stands(self) -> bool:
        return self.retracted_by is None

    def step(self) -> CaseStep:
        return CaseStep(self.entry_id, self.type, self.version, self.values["effective_on"], self.values,
                        self.overrides)


class SelectionCase(Aggregate):
    TOPIC = "jishi.SelectionCase"

    class Event(Aggregate.Event):
        TOPIC = "jishi.SelectionCase.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "jishi.SelectionCase.Created"

    def __init__(self) -> None:
        self.unit_code = ""
        self.post_code = ""
        self.method = ""
        self.exceptional = False
        self.opened_on: date = date.min
        self.steps: list[CaseStep] = []  # the steps that stand, as corrected, in recorded order
        self.records: dict[UUID, StepRecord] = {}  # every event recorded, in recorded order
        self.correction_changes: dict[UUID, tuple[UUID, dict[str, Any]]] = {}  # correction -> (step, changes)

    def record(self, entry_id: UUID) -> StepRecord | None:
        return self.records.get(entry_id)

    def root_of(self, entry_id: UUID) -> UUID:
        """A correction of a correction corrects the same step."""
        while entry_id in self.correction_changes:
            entry_id = self.correction_changes[entry_id][0]
        return entry_id

    def recompute(self, entry_id: UUID) -> None:
        """A step's values from its original and its standing corrections; then the steps that stand."""
        record = self.records[entry_id]
        values = dict(record.original)
        for correction in record.corrections:
            if self.records[correction].stands:
                values.update(self.correction_changes[correction][1])
        record.values = values
        if record.type == "CaseOpened":  # the case's own fields follow its opening (not its post)
            self.method, self.exceptional = values["method"], values.get("exceptional", False)
            self.opened_on = values["effective_on"]
        self.steps = [r.step() for r in self.records.values() if r.stands and r.type in CASE_EVENTS]

    def changed(self, entry_id: UUID, values: dict[str, Any] | None) -> SelectionCase:
        """A copy of the case as it would be with the step's values replaced (None: the step retracted),
        for judging a correction or a retraction before it is recorded."""
        other = copy.copy(self)
        other.records = dict(self.records)
        record = self.records[entry_id]
        other.records[entry_id] = replace(record, values=dict(values) if values is not None else record.values,
                                          retracted_by=UUID(int=0) if values is None else record.retracted_by)
        other.steps = [r.step() for r in other.records.values() if r.stands and r.type in CASE_EVENTS]
        if record.type == "CaseOpened" and values is not None:
            other.method, other.exceptional = values["method"], values.get("exceptional", False)
            other.opened_on = values["effective_on"]
        return other

    def steps_of(self, step_type: str, *, cadre_id: UUID | None = None, on: date | None = None
                 ) -> list[CaseStep]:
        """Steps of a type (for a cadre, effective on or before ``on``) in effective order."""
        found = [s for s in self.steps if s.type == step_type
                 and (cadre_id is None or s.cadre_id == cadre_id)
                 and (on is None or s.day <= on)]
        return sorted(found, key=lambda s: (s.day, s.version))

    def latest(self, step_type: str, *, cadre_id: UUID | None = None, on: date | None = None
               ) -> CaseStep | None:
        found = self.steps_of(step_type, cadre_id=cadre_id, on=on)
        return found[-1] if found else None

    def shortlisted_on(self, cadre_id: UUID, on: date | None = None) -> date | None:
        """The day the cadre became a 考察对象 (on or before ``on``), or None."""
        for step in self.steps_of("Shortlisted", on=on):
            if cadre_id in step.values["cadre_ids"]:
                return step.day
        return None

    def check_results(self, cadre_id: UUID, on: date) -> dict[str, str]:
        """凡提四必: the latest result of each check done for the cadre by ``on``."""
        return {s.values["check"]: s.values["result"]
                for s in self.steps_of("CheckCompleted", cadre_id=cadre_id, on=on)}

    def conclusion(self, cadre_id: UUID, on: date | None = None) -> CaseStep | None:
        return self.latest("CaseConcluded", cadre_id=cadre_id, on=on)


class CaseEvent(RecordedEvent):
    """Base of every step of a selection case (DOMAIN.md §5)."""

    STREAM: ClassVar[str] = "case"

    def payload(self) -> dict[str, Any]:
        from domain.schema import NOT_PAYLOAD

        return {k: v for k, v in vars(self).items()
                if k not in NOT_PAYLOAD}

    def apply(self, case: SelectionCase) -> None:
        assert self.effective_on is not None
        record = StepRecord(self.entry_id, type(self).__name__, self.originator_version, self.payload(),
                            self.payload(), self.overrides)
        case.records[record.entry_id] = record
        case.steps.append(record.step())


class CaseOpened(CaseEvent, AggregateCreated):
    LABEL: ClassVar[str] = "分析研判和动议"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {"effective_on": date, "reason": Note}
    unit_code: UnitCode
    post_code: UnitCode
    method: Literal["民主推荐", "竞争上岗", "公开选拔"]
    exceptional: bool = False  # 破格

    def apply(self, case: SelectionCase) -> None:
        assert self.effective_on is not None
        case.unit_code, case.post_code = self.unit_code, self.post_code
        case.method, case.exceptional, case.opened_on = self.method, self.exceptional, self.effective_on
        super().apply(case)


class Recommended(CaseEvent):
    LABEL: ClassVar[str] = "民主推荐"
    kind: Literal["谈话调研推荐", "会议推荐"]
    participants: Annotated[int, Range(1, MAX_PARTICIPANTS)]
    votes: Annotated[dict[UUID, Votes], Items(0, MAX_LISTED_CADRES)]  # {cadre_id: votes}


class Shortlisted(CaseEvent):
    LABEL: ClassVar[str] = "确定考察对象"
    cadre_ids: Annotated[tuple[UUID, ...], Items(1, MAX_LISTED_CADRES, unique=True)]


class Inspected(CaseEvent):
    LABEL: ClassVar[str] = "考察"
    cadre_id: UUID
    findings: Note


class CheckCompleted(CaseEvent):
    LABEL: ClassVar[str] = "凡提四必"
    cadre_id: UUID
    check: Literal["档案审核", "个人事项核查", "纪检意见", "信访查核"]
    result: Literal["通过", "存在问题"]
    note: Note | None = None


class IntegrityOpinionSigned(CaseEvent):
    LABEL: ClassVar[str] = "廉洁自律情况双签字"
    cadre_id: UUID
    party_secretary: Name
    discipline_secretary: Name


class Decided(CaseEvent):
    LABEL: ClassVar[str] = "讨论决定"
    cadre_id: UUID
    members_total: Annotated[int, Range(1, MAX_MEETING_MEMBERS)]  # 应到会
    present: Annotated[int, Range(0, MAX_MEETING_MEMBERS)]
    votes: Annotated[dict[Literal["同意", "不同意", "缓议"], Annotated[int, Range(0, MAX_MEETING_MEMBERS)]],
                     Items(0, 3)]


class PublicityHeld(CaseEvent):
    LABEL: ClassVar[str] = "任前公示"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {}  # effective_on defaults to end_on
    cadre_id: UUID
    start_on: date
    end_on: date
    objections: Annotated[int, Range(0, MAX_OBJECTIONS)] = 0
    objection_notes: Note | None = None
    # R-PUBLICITY's count: the span, its working days and each year's schedule (domain/workdays.py
    # ``judgement``); set by the command, never by the client. None: stored before it was kept.
    calendar_used: dict[str, Any] | None = None


class CaseConcluded(CaseEvent):
    LABEL: ClassVar[str] = "任用/不予任用/缓议"
    cadre_id: UUID
    outcome: Literal["任用", "不予任用", "缓议"]


class StepChange(CaseEvent):
    """Base of a correction or retraction of a step: recorded, never a step itself."""

    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {"reason": Annotated[str, Text(500)]}
    target_entry_id: UUID

    def apply(self, case: SelectionCase) -> None:
        case.records[self.entry_id] = StepRecord(self.entry_id, type(self).__name__, self.originator_version,
                                                 self.payload(), self.payload(), self.overrides)


class StepCorrected(StepChange):
    """更正: new values for some fields of an earlier step, with a reason and 文号."""

    LABEL: ClassVar[str] = "更正"
    changes: dict[str, Any]
    # a publicity corrected: R-PUBLICITY's count of the step as corrected, with the calendar it used
    calendar_used: dict[str, Any] | None = None

    def apply(self, case: SelectionCase) -> None:
        super().apply(case)
        root = case.root_of(self.target_entry_id)
        case.records[root].corrections.append(self.entry_id)
        case.correction_changes[self.entry_id] = (root, dict(self.changes))
        case.recompute(root)


class StepRetracted(StepChange):
    """撤销记录: the earlier step (or correction) should never have been recorded."""

    LABEL: ClassVar[str] = "撤销记录"

    def apply(self, case: SelectionCase) -> None:
        super().apply(case)
        target = case.records[self.target_entry_id]
        target.retracted_by = self.entry_id
        case.recompute(case.root_of(target.entry_id))


CASE_EVENTS: dict[str, type[CaseEvent]] = {
    cls.__name__: cls
    for cls in (CaseOpened, Recommended, Shortlisted, Inspected, CheckCompleted,
                IntegrityOpinionSigned, Decided, PublicityHeld, CaseConcluded)
}
# Steps recorded on an open case (CaseOpened has a command of its own).
CASE_STEPS = {name: cls for name, cls in CASE_EVENTS.items() if name != "CaseOpened"}
# What corrects or retracts a step (DOMAIN.md §6.4), by name.
STEP_CHANGES: dict[str, type[StepChange]] = {"StepCorrected": StepCorrected, "StepRetracted": StepRetracted}


def referenced_cadres(step_type: str, values: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, cadre id text) of every cadre a step names, for the existence check."""
    found = [("cadre_id", str(values["cadre_id"]))] if values.get("cadre_id") else []
    found += [("cadre_ids", str(c)) for c in values.get("cadre_ids", ())]
    if step_type == "Recommended":  # a recommendation's votes are keyed by cadre id
        found += [(f"votes.{k}", k) for k in values.get("votes", {})]
    return found


def step_errors(step_type: str, values: dict[str, Any]) -> list[FieldError]:
    """What the field types cannot say: counts that must add up, keys from a fixed list."""
    errors: list[FieldError] = []
    votes: dict[str, int] = values.get("votes") or {}
    if any(n < 0 for n in votes.values()):
        errors.append(FieldError("votes", "票数不得为负 (votes cannot be negative)"))
    if step_type == "Recommended":
        for key in votes:
            try:
                UUID(key)
            except ValueError:
                errors.append(FieldError(f"votes.{key}", "须为干部编号 UUID (must be a cadre id)"))
        if any(n > values["participants"] for n in votes.values()):
            errors.append(FieldError("votes", "得票数不得超过参加人数 (votes cannot exceed participants)"))
    elif step_type == "Shortlisted":
        ids = values["cadre_ids"]
        if not ids:
            errors.append(FieldError("cadre_ids", "须至少一名考察对象 (at least one cadre)"))
        if len(set(ids)) != len(ids):
            errors.append(FieldError("cadre_ids", "考察对象重复 (a cadre is listed twice)"))
    elif step_type == "Decided":
        unknown = [k for k in votes if k not in DECISION_VOTES]
        if unknown:
            errors.append(FieldError("votes", f"表决项须为同意、不同意、缓议 (votes must be 同意/不同意/缓议): "
                                              f"{', '.join(unknown)}"))
        if values["present"] > values["members_total"]:
            errors.append(FieldError("present", "到会人数不得超过应到会人数 (present cannot exceed members_total)"))
        if sum(votes.values()) > values["present"]:
            errors.append(FieldError("votes", "表决票数不得超过到会人数 (votes cannot exceed those present)"))
    elif step_type == "PublicityHeld" and values["end_on"] < values["start_on"]:
        errors.append(FieldError("end_on", "公示结束日期早于开始日期 (publicity ends before it starts)"))
    return errors
