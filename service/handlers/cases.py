"""Handlers of the promotion procedure (选任全程纪实, DOMAIN.md §5): open a case, record its steps."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID, uuid4

from domain import case_changes, ids
from domain.cadre import Cadre
from domain.errors import FieldError, ValidationError
from domain.history import History, derive_as_of
from domain.post import Post
from domain.recorded import RecordedEvent, provenance_fields
from domain.rules.context import NO_CALENDAR, GuardContext
from domain.rules.engine import decide, evaluate
from domain.rules.procedure import counted_span, publicity_judgement
from domain.schema import coerce
from domain.selection import (
    CASE_STEPS,
    CaseOpened,
    SelectionCase,
    StepCorrected,
    StepRetracted,
    referenced_cadres,
    step_errors,
)
from domain.unit import Unit
from service.commands import CorrectCaseStep, OpenCase, RecordCaseStep, RetractCaseStep
from service.handlers.calendar import calendar_for
from service.handlers.context import Context
from service.handlers.world import calendar_used, code_fields
from service.results import Recorded, last_event


def open_case(command: OpenCase, ctx: Context) -> Recorded:
    """分析研判和动议: a selection case for a post (result extra: ``case_id``)."""
    payload = dict(command.payload)
    override_reason = payload.pop("override_reason", None)
    values = coerce(CaseOpened, payload)
    unit_code, post_code = values["unit_code"], values["post_code"]
    guard = GuardContext(ctx.today, "CaseOpened", values, units={unit_code: ctx.uow.find(Unit, ids.unit_id(unit_code))},
                         target_post=ctx.uow.find(Post, ids.post_id(unit_code, post_code)))
    overrides = decide(evaluate(guard, ctx.config), override_reason, ctx.by)
    case = SelectionCase._create(CaseOpened, id=uuid4(), overrides=overrides,
                                 override_reason=override_reason if overrides else None, **values,
                                 **provenance_fields(ctx.by))
    return Recorded([case], last_event(case), {"case_id": str(case.id)})


def record_case_step(command: RecordCaseStep, ctx: Context) -> Recorded:
    """One step of a case, guarded by the order of the procedure (``domain/rules/procedure.py``)."""
    event_class = CASE_STEPS.get(command.step_type)
    if event_class is None:
        raise ValidationError([FieldError("type", f"未知选任环节 (unknown case step): {command.step_type}")])
    payload = dict(command.payload)
    override_reason = payload.pop("override_reason", None)
    values = coerce(event_class, payload)
    if command.step_type == "PublicityHeld" and values.get("effective_on") is None:
        values["effective_on"] = values["end_on"]
    errors = step_errors(command.step_type, values)
    case = ctx.uow.get(SelectionCase, command.case_id, f"选任纪实不存在 (no such selection case): {command.case_id}")
    ctx.uow.version_is(case, command.expected_version)
    candidates: dict[UUID, History] = {}
    for loc, text in referenced_cadres(command.step_type, values) if not errors else []:
        cadre = ctx.uow.find(Cadre, UUID(text))
        if cadre is None:
            errors.append(FieldError(loc, "干部不存在 (no such cadre)"))
        elif command.step_type == "Shortlisted":
            candidates[cadre.id] = derive_as_of(cadre.standing_entries(), values["effective_on"])
    if errors:
        raise ValidationError(errors)
    span = counted_span(command.step_type, values, case, None)  # a publicity: its working days
    guard = GuardContext(ctx.today, command.step_type, values, case=case, candidates=candidates,
                         code_fields=code_fields(event_class),
                         calendar=calendar_for(ctx.uow, *span) if span else NO_CALENDAR)
    overrides = decide(evaluate(guard, ctx.config), override_reason, ctx.by)
    case.trigger_event(event_class, **values, overrides=overrides,
                       override_reason=override_reason if overrides else None,
                       **calendar_used(publicity_judgement(guard)), **provenance_fields(ctx.by))
    return Recorded([case], last_event(case), {"case_id": str(command.case_id)})


def _world(ctx: Context) -> case_changes.World:
    uow = ctx.uow
    return case_changes.World(lambda cadre_id: uow.find(Cadre, cadre_id),
                              lambda unit, post: uow.find(Post, ids.post_id(unit, post)),
                              lambda code: uow.find(Unit, ids.unit_id(code)),
                              lambda start, end: calendar_for(uow, start, end))


def _change_step(command: CorrectCaseStep | RetractCaseStep, ctx: Context,
                 prepare: Callable[..., case_changes.Change], event_class: type[RecordedEvent]) -> Recorded:
    payload = dict(command.payload)
    override_reason = payload.pop("override_reason", None)
    case = ctx.uow.get(SelectionCase, command.case_id, f"选任纪实不存在 (no such selection case): {command.case_id}")
    ctx.uow.version_is(case, command.expected_version)
    change = prepare(case, command.step_id, payload, _world(ctx), ctx.today, ctx.config)
    overrides = decide(change.violations, override_reason, ctx.by)
    case.trigger_event(event_class, **change.fields, overrides=overrides,
                       override_reason=override_reason if overrides else None, **provenance_fields(ctx.by))
    return Recorded([case], last_event(case), {"case_id": str(command.case_id)})


def correct_case_step(command: CorrectCaseStep, ctx: Context) -> Recorded:
    """更正 a step: validated like the step, judged on what it changes and on what it would break in the
    rest of the procedure (``domain/case_changes.py``)."""
    return _change_step(command, ctx, case_changes.correction, StepCorrected)


def retract_case_step(command: RetractCaseStep, ctx: Context) -> Recorded:
    """撤销 a step (or a correction of one), unless the procedure relies on it."""
    return _change_step(command, ctx, case_changes.retraction, StepRetracted)
