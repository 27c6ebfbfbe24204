"""Handlers of a cadre's record (成长纪实): registration, entries, corrections and retractions."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain import appointment, ids
from domain.cadre import Cadre, EntryCorrected, EntryRecord, EntryRetracted
from domain.cadre_entries import ENTRY_TYPES, RECORDABLE_TYPES, CadreRegistered
from domain.errors import ConflictError, FieldError, RuleViolationError, ValidationError, Violation
from domain.history import History, derive
from domain.id_claims import IdNumberMove
from domain.recorded import entry_id_of, provenance_fields
from domain.rules.context import GuardContext
from domain.rules.engine import RETRACTION_RULES, decide, evaluate
from domain.schema import coerce, coerce_changes, cross_errors
from service.commands import CorrectEntry, RecordEntry, RegisterCadre, RetractEntry
from service.handlers.context import Context
from service.handlers.world import (
    CadreChange,
    check_references,
    code_fields,
    companions,
    judge,
    load_cadre,
    target_entry,
)
from service.results import Recorded, last_event


def register_cadre(command: RegisterCadre, ctx: Context) -> Recorded:
    """录用/建档: open a cadre's record (409 if the 干部编号 is taken)."""
    values = coerce(CadreRegistered, command.payload)
    if values.get("effective_on") is None:
        values["effective_on"] = values["work_started_on"]
    record = EntryRecord(UUID(int=0), "CadreRegistered", 1, ctx.clock(), values, values)
    guard = GuardContext(ctx.today, "CadreRegistered", values, code_fields=code_fields(CadreRegistered),
                         before=History(), after=derive([record]))  # R-SEQ: no date before birth
    decide(evaluate(guard, ctx.config), None, ctx.by)
    cadre_id = ids.cadre_id(values["cadre_no"])
    if ctx.uow.find(Cadre, cadre_id) is not None:
        raise ConflictError(f"干部编号已存在 (cadre_no already registered): {values['cadre_no']}")
    claim = IdNumberMove(ctx.uow.find, cadre_id, None, values["id_number"],  # 409 if another cadre's
                         key=ctx.uow.app.claim_key)
    registrant = None if ctx.by.scopes is None else tuple(sorted(ctx.by.scopes))  # the recruit's scope until placed
    cadre = Cadre._create(CadreRegistered, id=cadre_id, **values, **provenance_fields(ctx.by),
                          registrant_scope=registrant)
    return Recorded([cadre, *claim.commit(ctx.by)], last_event(cadre), {"cadre_id": str(cadre_id)})


def _split_override(payload: Any) -> tuple[dict[str, Any], str | None]:
    body = dict(payload)
    return body, body.pop("override_reason", None)


def record_entry(command: RecordEntry, ctx: Context) -> Recorded:
    """One entry of §4 on the cadre's record, judged by every guard on the record as it would stand."""
    event_class = RECORDABLE_TYPES.get(command.entry_type)
    if event_class is None:
        raise ValidationError([FieldError("type", f"未知记录类型 (unknown entry type): {command.entry_type}")])
    payload, override_reason = _split_override(command.payload)
    values = coerce(event_class, payload)
    if command.entry_type == "Appointed":  # 任…免…: the posts it ends, and their 免职 reason
        values = appointment.settle(values, ctx.config)
    check_references(ctx.uow, values)
    cadre = load_cadre(ctx.uow, command.cadre_id, command.expected_version)
    candidate = EntryRecord(UUID(int=0), command.entry_type, cadre.version + 1, ctx.clock(), values, values)
    after = [*cadre.standing_entries(), candidate]
    kept = companions(ctx.uow, ctx.config, ctx.by, cadre, command.entry_type, entry_id_of(cadre.id, cadre.version + 1),
                      None, values, after)
    judged = judge(ctx.uow, CadreChange(cadre, command.entry_type, values, after, new_entry=True,
                                        judged=candidate.entry_id, companions=kept),
                   override_reason, ctx.by, ctx.config, ctx.today)
    cadre.trigger_event(event_class, **values, overrides=judged.overrides,
                        override_reason=override_reason if judged.overrides else None, **judged.calendar_used(),
                        **provenance_fields(ctx.by))
    event = last_event(cadre)
    judged.mirror(cadre, event.entry_id)
    return Recorded([cadre, *judged.posts, *kept.commit(ctx.by)], event, {"cadre_id": str(cadre.id)})


def correct_entry(command: CorrectEntry, ctx: Context) -> Recorded:
    """更正: new values for some fields of an earlier entry, validated and judged like that entry."""
    payload, override_reason = _split_override(command.payload)
    changes = payload.pop("changes", None)
    meta = coerce(EntryCorrected, {**payload, "target_entry_id": str(command.entry_id),
                                   "changes": changes if changes is not None else {}})
    cadre = load_cadre(ctx.uow, command.cadre_id, command.expected_version)
    target = target_entry(cadre, command.entry_id)
    root = cadre.entries[cadre.root_of(command.entry_id)]
    typed = coerce_changes(ENTRY_TYPES[root.type], changes)
    if "cadre_no" in typed:
        raise ValidationError([FieldError("changes.cadre_no", "干部编号不可更正 (cadre_no identifies the record)")])
    check_references(ctx.uow, typed)
    if root.type == "Appointed":
        typed = appointment.settle_changes(root.values, typed, ctx.config)
    new_values = {**root.values, **typed}
    mismatched = cross_errors(ENTRY_TYPES[root.type], new_values, changed=typed)  # e.g. a grade outside its kind
    if mismatched:
        raise ValidationError([FieldError(f"changes.{x.loc}", x.msg) for x in mismatched])
    candidate = EntryRecord(root.entry_id, root.type, root.version, root.recorded_at, root.original, new_values)
    after = [candidate if e.entry_id == root.entry_id else e for e in cadre.standing_entries()]
    kept = companions(ctx.uow, ctx.config, ctx.by, cadre, root.type, root.entry_id, root.values, new_values, after)
    judged = judge(ctx.uow, CadreChange(cadre, root.type, new_values, after, new_entry=False,
                                        judged=root.entry_id, previous=root.values, companions=kept),
                   override_reason, ctx.by, ctx.config, ctx.today)
    cadre.trigger_event(EntryCorrected, target_entry_id=target.entry_id, changes=typed, reason=meta["reason"],
                        document_no=meta.get("document_no"), overrides=judged.overrides,
                        override_reason=override_reason if judged.overrides else None, **judged.calendar_used(),
                        **provenance_fields(ctx.by))
    event = last_event(cadre)
    judged.mirror(cadre, event.entry_id)
    return Recorded([cadre, *judged.posts, *kept.commit(ctx.by)], event, {"cadre_id": str(cadre.id)})


def without(cadre: Cadre, target: EntryRecord) -> tuple[list[EntryRecord], str, dict[str, Any]]:
    """The standing entries once ``target`` is retracted, and the entry type and values to judge them by
    (a retracted correction no longer applies: its entry stands with the other corrections only)."""
    if target.type != "EntryCorrected":
        return [e for e in cadre.standing_entries() if e.entry_id != target.entry_id], "EntryRetracted", {}
    root = cadre.entries[cadre.root_of(target.entry_id)]
    values = dict(root.original)
    for correction in root.corrections:
        if correction != target.entry_id and cadre.entries[correction].stands:
            values.update(cadre.correction_changes[correction][1])
    candidate = EntryRecord(root.entry_id, root.type, root.version, root.recorded_at, root.original, values)
    return [candidate if e.entry_id == root.entry_id else e for e in cadre.standing_entries()], root.type, values


def retract_entry(command: RetractEntry, ctx: Context) -> Recorded:
    """撤销记录: the earlier entry should never have been recorded (R-SEQ and R-EST still hold after)."""
    payload, override_reason = _split_override(command.payload)
    meta = coerce(EntryRetracted, {**payload, "target_entry_id": str(command.entry_id)})
    cadre = load_cadre(ctx.uow, command.cadre_id, command.expected_version)
    target = target_entry(cadre, command.entry_id)
    if target.type == "CadreRegistered" and len(cadre.standing_entries()) > 1:
        raise RuleViolationError([Violation("R-SEQ", "建档记录之后已有其他记录，只能更正",
                                            "the registration has later entries: correct it instead", None)])
    after, checked_type, checked_values = without(cadre, target)
    if target.type == "EntryCorrected":  # the entry stands again with its other corrections: judged by that
        root = cadre.entries[cadre.root_of(target.entry_id)]
        kept = companions(ctx.uow, ctx.config, ctx.by, cadre, root.type, root.entry_id, root.values, checked_values,
                          after)
        previous: dict[str, Any] | None = root.values
    else:
        kept = companions(ctx.uow, ctx.config, ctx.by, cadre, target.type, target.entry_id, target.values, None, after)
        previous = None
    judged = judge(ctx.uow, CadreChange(cadre, checked_type, checked_values, after, new_entry=False,
                                        only=RETRACTION_RULES, previous=previous,
                                        companions=kept),
                   override_reason, ctx.by, ctx.config, ctx.today)
    cadre.trigger_event(EntryRetracted, target_entry_id=target.entry_id, reason=meta["reason"],
                        document_no=meta.get("document_no"), overrides=judged.overrides,
                        override_reason=override_reason if judged.overrides else None, **provenance_fields(ctx.by))
    event = last_event(cadre)
    judged.mirror(cadre, event.entry_id)
    return Recorded([cadre, *judged.posts, *kept.commit(ctx.by)], event, {"cadre_id": str(cadre.id)})
