"""更正 and 撤销 of selection-case steps (选任纪实, DOMAIN.md §6.4): the same rules as entries.

A correction (``StepCorrected``) overlays new values on an earlier step of the case; a retraction
(``StepRetracted``) voids a step, or undoes a correction. Both are events of the case's own stream;
the steps keep their ids (``entry_id_of(case id, version)``) and the case's ``records`` keep what
each said before.

* **Validated like the step it changes**: the changes are typed against the step's fields (422 at
  ``changes.<field>``); the step as it would stand passes ``step_errors`` and names cadres on the
  record. A case is opened for one post: its post is not correctable (open another case), and the
  opening (动议) is not retracted — an opened case stays on the record and is concluded instead.
* **Judged by the guards on what it changes**, as ``Jishi.correct_entry`` judges an entry: the step
  as corrected, on the case without it, against the same judgement of the step as it stood; a
  violation it already had (say, a 4-day publicity stored with an override) does not count again.
* **The procedure stays consistent**: every other step of the case, and every appointment citing
  the case, is judged on the case before and after the change, and what the change would break
  there counts too (its message names the step or appointment). R-SEQ is never overridable, so
  retracting a decision (讨论决定) that a publicity rested on is refused — retract the publicity
  first, in the reverse order of the procedure; and a step an appointment rests on (its 任用
  conclusion) cannot go while the appointment stands. The others — R-FOUR-CHECKS of a decision
  after a check is corrected to 存在问题, R-PUBLICITY of a 任用 after its publicity is retracted,
  R-RECOMMEND-VALID of a shortlist after its recommendation goes — are refused unless a permitted
  user overrides them; the change is then stored with those rule ids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.cadre import Cadre
from domain.errors import FieldError, NotFoundError, RuleViolationError, ValidationError, Violation
from domain.history import History, derive_as_of
from domain.post import Post
from domain.rules.config import RuleConfig
from domain.rules.context import NO_CALENDAR, GuardContext
from domain.rules.engine import evaluate
from domain.rules.procedure import counted_span
from domain.schema import coerce, coerce_changes, field_specs
from domain.selection import (
    CASE_EVENTS,
    SelectionCase,
    StepCorrected,
    StepRecord,
    StepRetracted,
    referenced_cadres,
    step_errors,
)
from domain.unit import Unit
from domain.workdays import WorkingCalendar

APPOINTMENT_RULES = ["R-SEQ", "R-FOUR-CHECKS", "R-PUBLICITY"]  # what a case gives an appointment citing it


@dataclass(frozen=True)
class World:
    """How the judgement finds the aggregates a case names (the command's unit of work), and the
    working-day calendar as known now for the years of a span R-PUBLICITY counts."""

    cadre: Callable[[UUID], Cadre | None]
    post: Callable[[str, str], Post | None]
    unit: Callable[[str], Unit | None]
    calendar: Callable[[date, date], WorkingCalendar]

    def calendar_of(self, span: tuple[date, date] | None) -> WorkingCalendar:
        return self.calendar(*span) if span is not None else NO_CALENDAR


@dataclass(frozen=True)
class Change:
    """A correction or retraction ready to record: the event's fields and what the guards found."""

    fields: dict[str, Any]
    violations: list[Violation] = field(default_factory=list)


def _seq(zh: str, en: str) -> RuleViolationError:
    return RuleViolationError([Violation("R-SEQ", zh, en)])


def _target(case: SelectionCase, step_id: UUID) -> StepRecord:
    target = case.record(step_id)
    if target is None:
        raise NotFoundError(f"选任环节不存在 (no such step of this case): {step_id}")
    if target.type == "StepRetracted":
        raise _seq("撤销记录不能被更正或撤销", "a retraction cannot be corrected or retracted")
    if not target.stands:
        raise _seq("该环节已被撤销", "the step was already retracted")
    return target


def correction(case: SelectionCase, step_id: UUID, payload: Mapping[str, Any], world: World, today: date,
               config: RuleConfig) -> Change:
    """A ``StepCorrected`` of ``step_id`` (a correction of a correction corrects the same step)."""
    payload_ = dict(payload)
    changes = payload_.pop("changes", None)
    meta = coerce(StepCorrected, {**payload_, "target_entry_id": str(step_id),
                                  "changes": changes if changes is not None else {}})
    target = _target(case, step_id)
    root = case.records[case.root_of(step_id)]
    typed = coerce_changes(CASE_EVENTS[root.type], changes)
    fixed = [name for name in ("unit_code", "post_code") if name in typed and root.type == "CaseOpened"]
    if fixed:
        raise ValidationError([FieldError(f"changes.{name}", "选任纪实的职位不可更正：请另行动议 "
                                                             "(a case's post cannot be corrected: open another case)")
                               for name in fixed])
    if (root.type == "PublicityHeld" and "end_on" in typed and "effective_on" not in typed
            and root.values["effective_on"] == root.values["end_on"]):
        typed["effective_on"] = typed["end_on"]  # a publicity is dated by its end unless recorded otherwise
    values = {**root.values, **typed}
    errors = [FieldError(f"changes.{e.loc}", e.msg) for e in step_errors(root.type, values)]
    for loc, text in referenced_cadres(root.type, values) if not errors else []:
        if world.cadre(UUID(text)) is None:
            errors.append(FieldError(f"changes.{loc}", "干部不存在 (no such cadre)"))
    if errors:
        raise ValidationError(errors)
    after = case.changed(root.entry_id, values)
    fields = {"target_entry_id": target.entry_id, "changes": typed, "reason": meta["reason"],
              "document_no": meta.get("document_no")}
    span = counted_span(root.type, values, after, None)
    if span is not None:  # a publicity: its count as corrected is stored with the correction
        fields["calendar_used"] = world.calendar(*span).judgement(*span)
    return Change(fields, judge(case, after, root, values, world, today, config))


def retraction(case: SelectionCase, step_id: UUID, payload: Mapping[str, Any], world: World, today: date,
               config: RuleConfig) -> Change:
    """A ``StepRetracted`` of ``step_id``: a step, or a correction (which is then undone)."""
    meta = coerce(StepRetracted, {**payload, "target_entry_id": str(step_id)})
    target = _target(case, step_id)
    if target.type == "CaseOpened":
        raise _seq("动议记录不能撤销：选任纪实一经动议即留存，可作出不予任用结论",
                   "the opening of a case cannot be retracted: conclude the case instead")
    fields = {"target_entry_id": target.entry_id, "reason": meta["reason"], "document_no": meta.get("document_no")}
    if target.type == "StepCorrected":
        root = case.records[case.root_of(target.entry_id)]
        values = dict(root.original)
        for correction_id in root.corrections:
            if correction_id != target.entry_id and case.records[correction_id].stands:
                values.update(case.correction_changes[correction_id][1])
        return Change(fields, judge(case, case.changed(root.entry_id, values), root, values, world, today, config))
    return Change(fields, judge(case, case.changed(target.entry_id, None), None, None, world, today, config))


def judge(before: SelectionCase, after: SelectionCase, changed: StepRecord | None, values: dict[str, Any] | None,
          world: World, today: date, config: RuleConfig) -> list[Violation]:
    """What the change breaks that was not broken before: the changed step itself (``values``: as it
    would stand), then every other step of the case, then the appointments citing the case."""
    found: list[Violation] = []
    if changed is not None and values is not None:
        now = _step_violations(after, changed.type, changed.entry_id, values, world, today, config)
        was = _step_violations(before, changed.type, changed.entry_id, changed.values, world, today, config)
        found += _new(now, was)
    for step in after.steps:
        if (changed is not None and step.entry_id == changed.entry_id) or step.type == "CaseOpened":
            continue
        old = before.records[step.entry_id].values
        now = _step_violations(after, step.type, step.entry_id, step.values, world, today, config)
        was = _step_violations(before, step.type, step.entry_id, old, world, today, config)
        label = CASE_EVENTS[step.type].LABEL
        found += [_about(v, f"{label}（{step.day}）", f"the step {step.type} of {step.day}") for v in _new(now, was)]
    for cadre_id, entry_id, day, entry in _appointments(before, after, world):
        now = evaluate(GuardContext(today, "Appointed", entry, cadre_id=cadre_id, entry_id=entry_id, case=after,
                                    calendar=world.calendar_of(counted_span("Appointed", entry, after, cadre_id))),
                       config, APPOINTMENT_RULES)
        was = evaluate(GuardContext(today, "Appointed", entry, cadre_id=cadre_id, entry_id=entry_id, case=before,
                                    calendar=world.calendar_of(counted_span("Appointed", entry, before, cadre_id))),
                       config, APPOINTMENT_RULES)
        found += [_about(v, f"依据本选任纪实的任职（{day}）", f"the appointment of {day} citing this case")
                  for v in _new(now, was)]
    return found


def _step_violations(case: SelectionCase, step_type: str, step_id: UUID, values: Mapping[str, Any], world: World,
                     today: date, config: RuleConfig) -> list[Violation]:
    """The guards on a step with ``values``, on the case without that step (as if recorded now)."""
    event_class = CASE_EVENTS[step_type]
    code_fields = {s.name: s.code_table for s in field_specs(event_class) if s.code_table}
    if step_type == "CaseOpened":
        unit_code, post_code = str(values["unit_code"]), str(values["post_code"])
        ctx = GuardContext(today, step_type, values, code_fields=code_fields, units={unit_code: world.unit(unit_code)},
                           target_post=world.post(unit_code, post_code))
        return evaluate(ctx, config)
    candidates: dict[UUID, History] = {}
    if step_type == "Shortlisted":
        for cadre_id in values["cadre_ids"]:
            cadre = world.cadre(cadre_id)
            if cadre is not None:
                candidates[cadre_id] = derive_as_of(cadre.standing_entries(), values["effective_on"])
    without = case.changed(step_id, None)
    ctx = GuardContext(today, step_type, values, code_fields=code_fields, case=without, candidates=candidates,
                       calendar=world.calendar_of(counted_span(step_type, values, without, None)))
    return evaluate(ctx, config)


def _appointments(before: SelectionCase, after: SelectionCase, world: World
                  ) -> list[tuple[UUID, UUID, date | None, dict[str, Any]]]:
    """(cadre, entry, date, values) of each standing appointment citing the case, of every cadre the
    case concluded for (before or after the change)."""
    cadres = {s.cadre_id for case in (before, after) for s in case.steps if s.type == "CaseConcluded"}
    found = []
    for cadre_id in sorted(c for c in cadres if c is not None):
        cadre = world.cadre(cadre_id)
        for e in cadre.standing_entries() if cadre is not None else []:
            if e.type == "Appointed" and e.values.get("selection_case_id") == before.id:
                found.append((cadre_id, e.entry_id, e.effective_on, e.values))
    return found


def _new(now: list[Violation], was: list[Violation]) -> list[Violation]:
    had = {(v.rule, v.message_en) for v in was}
    return [v for v in now if (v.rule, v.message_en) not in had]


def _about(v: Violation, zh: str, en: str) -> Violation:
    return Violation(v.rule, f"{zh}：{v.message_zh}", f"{en}: {v.message_en}", None)


__all__ = ["Change", "World", "correction", "retraction"]
