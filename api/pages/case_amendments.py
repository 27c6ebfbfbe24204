"""更正 and 撤销 of a selection case's step on the page (DOMAIN.md §6.4): the step's form filled with its
values as they stand, saved as a ``StepCorrected`` naming what changed (``CorrectCaseStep``); the
confirmation, with a reason, that a step (or a correction of one) should never have been recorded
(``RetractCaseStep``). The same entry form and retraction page as a cadre's entries, and the same
refusals: at their fields, the rule named, the override path for a user who may override."""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from api.auth import request_id
from api.pages import case_forms, forms, growth, reads
from api.pages.amendments import CORRECTION_NAMES
from api.pages.cadres import form_context
from api.pages.cases import CaseId, case_title, step_choices
from api.pages.render import Writer, error_page, html_errors, path_id, redirect, render, start_timer
from api.pages.session import Session
from api.pages.submit import (
    correction_payload,
    execute,
    expired,
    idempotency_key,
    override_reason,
    runtime_of,
    submitted,
)
from api.problems import classify
from domain.errors import JishiError, NotFoundError
from domain.schema import field_specs
from domain.selection import CASE_EVENTS, STEP_CHANGES, SelectionCase, StepRecord
from jishi.bootstrap import Runtime
from service.commands import CorrectCaseStep, RetractCaseStep

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
StepId = Annotated[UUID, Depends(path_id("step_id", "选任环节不存在 (no such step)"))]
FIXED = ("unit_code", "post_code")  # a case's post is never corrected: another case is opened


def _target(case: SelectionCase, step_id: UUID) -> StepRecord:
    found = case.record(step_id)
    if found is None:
        raise NotFoundError(f"选任环节不存在 (no such step): {step_id}")
    return found


def _not_correctable(request: Request, target: StepRecord) -> Response | None:
    if target.type in STEP_CHANGES:
        return error_page(request, 422, "不能更正此记录 (cannot correct this record)",
                          "更正或撤销记录本身不能再更正：请更正原环节，或撤销这条更正 "
                          "(correct the step itself, or retract this correction)")
    if not target.stands:
        return error_page(request, 422, "不能更正此记录 (cannot correct this record)",
                          "该环节已被撤销 (the step was retracted)")
    return None


def form_values(step_type: str, values: dict[str, Any]) -> dict[str, Any]:
    """A step's stored values as its form's inputs: ids as text, votes as rows or tallies."""
    shown: dict[str, Any] = {k: str(v) if isinstance(v, UUID) else v for k, v in values.items() if k != "votes"}
    if "cadre_ids" in values:
        shown["cadre_ids"] = [str(c) for c in values["cadre_ids"]]
    votes = values.get("votes") or {}
    if step_type == "Recommended":
        for i, (cadre, n) in enumerate(list(votes.items())[:case_forms.RECOMMENDATION_ROWS]):
            shown[f"rec_cadre_{i}"], shown[f"rec_votes_{i}"] = str(cadre), n
    elif step_type == "Decided":
        shown |= {name: votes[choice] for choice, name in case_forms.VOTE_FIELDS.items() if choice in votes}
    return shown


def _changes(step_type: str, form: FormData, current: dict[str, Any]) -> dict[str, Any]:
    """The fields the correction form changed (votes compared as a whole, keyed by text)."""
    payload, _ = case_forms.step_payload(step_type, CASE_EVENTS[step_type], form)
    plain = form_values(step_type, current)
    changes = forms.changed({k: v for k, v in payload.items() if k != "votes" and k not in FIXED}, plain)
    if "votes" in payload and payload["votes"] != {str(k): v for k, v in (current.get("votes") or {}).items()}:
        changes["votes"] = payload["votes"]
    return changes


def _fields(runtime: Runtime, session: Session, case: SelectionCase, target: StepRecord, values: Any,
            errors: dict[str, list[str]] | None = None, given: FormData | None = None) -> list[forms.Field]:
    errors = errors or {}
    cls = CASE_EVENTS[target.type]
    choices = step_choices(runtime, session, case, target.type)
    fields = forms.fields_of(cls, values, errors, skip=("votes", *FIXED))
    fields = case_forms.step_fields(target.type, fields, choices, values, errors)
    sent: Any = given or {}
    return [*fields,
            forms.Field("reason_for_change", "更正事由", "textarea", True, str(sent.get("reason_for_change") or ""),
                        hint="为什么更正：写明错误及依据", errors=errors.get("reason_for_change", []),
                        attrs={"maxlength": 2000}),
            forms.Field("document_no_for_change", "更正依据文号", "text", False,
                        str(sent.get("document_no_for_change") or ""),
                        errors=errors.get("document_no_for_change", []), attrs={"maxlength": 200})]


def _correction_page(request: Request, session: Session, case_id: UUID, heading: str, target: StepRecord,
                     fields: list[forms.Field], *, refusal: forms.Refusal | None = None,
                     form: FormData | None = None, status: int = 200) -> Response:
    context = form_context(
        session, title=f"更正：{CASE_EVENTS[target.type].LABEL}", entry_type=target.type, fields=fields,
        action=f"/cases/{case_id}/steps/{target.entry_id}/correction",
        cancel=f"/cases/{case_id}#entry-{target.entry_id}", refusal=refusal,
        override_reason=override_reason(session, form) if form else "",
        form_key=str(form.get("form_key") or "") or None if form else None,
        intro=f"{heading}。修改需要更正的字段，未改动的字段保持原值；更正将作为新的记录保存，原记录不被改写。")
    return render(request, "entry_form.html", context | {"nav": "cases"}, status=status)


@router.get("/cases/{case_id}/steps/{step_id}/correction")
@html_errors
def correction_form(request: Request, session: Writer, case_id: CaseId, step_id: StepId) -> Response:
    """更正: the step's form filled with its values as they stand."""
    runtime = runtime_of(request)
    case = reads.selection_case(runtime, session.principal, case_id)
    runtime.app.authorize(CorrectCaseStep(case_id, step_id), session.principal.provenance(request_id(request)))
    target = _target(case, step_id)
    refused = _not_correctable(request, target)
    if refused is not None:
        return refused
    values = form_values(target.type, target.values)
    return _correction_page(request, session, case_id, case_title(runtime, session, case), target,
                            _fields(runtime, session, case, target, values))


@router.post("/cases/{case_id}/steps/{step_id}/correction")
@html_errors
async def correct_step(request: Request, session: Writer, case_id: CaseId, step_id: StepId) -> Response:
    """Record the fields that changed as a ``StepCorrected`` (the ``CorrectCaseStep`` command)."""
    runtime = runtime_of(request)
    form = await submitted(request, session)
    if form is None:
        return expired(request)
    case = await run_in_threadpool(reads.selection_case, runtime, session.principal, case_id)
    target = _target(case, step_id)
    refused = _not_correctable(request, target)
    if refused is not None:
        return refused
    cls = CASE_EVENTS[target.type]
    heading = await run_in_threadpool(case_title, runtime, session, case)
    changes = _changes(target.type, form, target.values)
    emptied, required = forms.cleared(cls, form, target.values, skip=(*case_forms.CUSTOM, *FIXED))
    if required:
        fields = await run_in_threadpool(_fields, runtime, session, case, target, form, required, form)
        return _correction_page(request, session, case_id, heading, target, fields, form=form, status=422,
                                refusal=forms.Refusal(required, []))
    changes.update(emptied)
    payload = correction_payload(session, form, changes)
    try:
        command = CorrectCaseStep(case_id, step_id, payload, idempotency_key=idempotency_key(session, form))
        result = await execute(request, session, command)
    except JishiError as error:
        if isinstance(error, NotFoundError):
            raise
        _, rename = case_forms.step_payload(target.type, cls, form)
        names = [*(s.name for s in field_specs(cls)), *case_forms.custom_names(target.type),
                 *CORRECTION_NAMES.values()]
        refusal = forms.refusal(error, names, {**{f"changes.{k}": v for k, v in rename.items()}, **CORRECTION_NAMES})
        fields = await run_in_threadpool(_fields, runtime, session, case, target, form, refusal.fields, form)
        return _correction_page(request, session, case_id, heading, target, fields, refusal=refusal, form=form,
                                status=(classify(error) or (422,))[0])
    return redirect(f"/cases/{case_id}?recorded={result.entry_id}#entry-{step_id}")


def step_rows(runtime: Runtime, session: Session, target: StepRecord) -> list[dict[str, str | None]]:
    """The step as it stands, 考察对象 and 得票 by the cadres' names (not their ids), votes included."""
    values = target.values
    ids = {str(c) for c in [values.get("cadre_id"), *(values.get("cadre_ids") or ())] if c is not None}
    found = values.get("votes")
    votes: dict[Any, Any] = found if isinstance(found, dict) else {}  # 推荐得票 by cadre, 表决 by choice
    if target.type == "Recommended":  # its votes are keyed by cadre id (a 表决's by 同意/不同意/缓议)
        ids |= {str(c) for c in votes}
    names = reads.cadre_names(runtime, session.principal, ids, runtime.app.today())
    shown: dict[str, Any] = {k: v for k, v in values.items() if not isinstance(v, dict) and k != "target_entry_id"}
    if "cadre_id" in shown:
        shown["cadre_id"] = names.get(str(shown["cadre_id"]), str(shown["cadre_id"]))
    if "cadre_ids" in shown:
        shown["cadre_ids"] = [names.get(str(c), str(c)) for c in shown["cadre_ids"]]
    if votes:
        shown["votes"] = "；".join(f"{names.get(str(c), str(c))}：{n}" for c, n in votes.items())
    return growth.readable(shown)


def _retraction_page(request: Request, case_id: UUID, heading: str, target: StepRecord,
                     rows: list[dict[str, str | None]], *, form_key: str, refusal: forms.Refusal | None = None,
                     reason: str = "", document_no: str = "", status: int = 200) -> Response:
    label = (CASE_EVENTS.get(target.type) or STEP_CHANGES[target.type]).LABEL
    return render(request, "retraction_form.html", {
        "cadre_name": heading, "target": target, "target_label": label, "rows": rows,
        "form_key": form_key, "errors": refusal.fields if refusal else {},
        "general": refusal.general if refusal else [],
        "reason": reason, "document_no": document_no, "record_name": "选任纪实", "nav": "cases",
        "action": f"/cases/{case_id}/steps/{target.entry_id}/retraction",
        "cancel": f"/cases/{case_id}#entry-{target.entry_id}"}, status=status)


@router.get("/cases/{case_id}/steps/{step_id}/retraction")
@html_errors
def retraction_form(request: Request, session: Writer, case_id: CaseId, step_id: StepId) -> Response:
    """撤销: confirm, with a reason, that a step (or a correction of one) should never have been recorded."""
    runtime = runtime_of(request)
    case = reads.selection_case(runtime, session.principal, case_id)
    runtime.app.authorize(RetractCaseStep(case_id, step_id), session.principal.provenance(request_id(request)))
    target = _target(case, step_id)
    return _retraction_page(request, case_id, case_title(runtime, session, case), target,
                            step_rows(runtime, session, target), form_key=secrets.token_urlsafe(16))


@router.post("/cases/{case_id}/steps/{step_id}/retraction")
@html_errors
async def retract_step(request: Request, session: Writer, case_id: CaseId, step_id: StepId) -> Response:
    """Record the ``StepRetracted`` (the ``RetractCaseStep`` command); a refusal (R-SEQ: a later step relies
    on it) is shown on the confirmation page."""
    runtime = runtime_of(request)
    form = await submitted(request, session)
    if form is None:
        return expired(request)
    reason = str(form.get("reason") or "").strip()
    document_no = str(form.get("document_no") or "").strip()
    payload: dict[str, Any] = {"reason": reason or None}
    if document_no:
        payload["document_no"] = document_no
    try:
        command = RetractCaseStep(case_id, step_id, payload, idempotency_key=idempotency_key(session, form))
        await execute(request, session, command)
    except JishiError as error:
        if isinstance(error, NotFoundError):
            raise
        case = await run_in_threadpool(reads.selection_case, runtime, session.principal, case_id)
        heading = await run_in_threadpool(case_title, runtime, session, case)
        target = _target(case, step_id)
        rows = await run_in_threadpool(step_rows, runtime, session, target)
        return _retraction_page(request, case_id, heading, target, rows,
                                form_key=str(form.get("form_key") or ""),
                                refusal=forms.refusal(error, ["reason", "document_no"]), reason=reason,
                                document_no=document_no, status=(classify(error) or (422,))[0])
    return redirect(f"/cases/{case_id}#entry-{step_id}")
