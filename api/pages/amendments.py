"""更正 and 撤销 on the page: an entry's form filled with its values as they stand, saved as a correction
that names what changed (the ``CorrectEntry`` command); the confirmation, with a reason, that an entry
should never have been recorded (``RetractEntry``). The original entry is never rewritten."""

from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from api.auth import request_id
from api.pages import choices, forms, growth
from api.pages.cadres import CadreId, EntryId, cadre_of, entry_options, form_context, writable
from api.pages.names import Names
from api.pages.render import Writer, error_page, html_errors, redirect, render, start_timer
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
from domain.cadre import Cadre
from domain.cadre_entries import ENTRY_TYPES
from domain.errors import JishiError, NotFoundError
from domain.schema import field_specs
from jishi.bootstrap import Runtime
from service.commands import CorrectEntry, RetractEntry

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])


def _target(cadre: Cadre, entry_id: UUID) -> Any:
    target = cadre.entry(entry_id)
    if target is None:
        raise NotFoundError(f"记录不存在 (no such entry): {entry_id}")
    return target


def _correctable(request: Request, target: Any) -> Response | None:
    if target.type in ("EntryCorrected", "EntryRetracted"):
        return error_page(request, 422, "不能更正此记录 (cannot correct this entry)",
                          "更正或撤销记录本身不能再更正：请更正原记录，或撤销这条更正 "
                          "(correct the original entry, or retract this correction)")
    if not target.stands:
        return error_page(request, 422, "不能更正此记录 (cannot correct this entry)",
                          "该记录已被撤销 (the entry was retracted)")
    return None


CORRECTION_NAMES = {"reason": "reason_for_change", "document_no": "document_no_for_change"}


def _correction_fields(runtime: Runtime, session: Session, cadre: Cadre, target: Any, values: Any,
                       errors: dict[str, list[str]] | None = None, submitted: FormData | None = None
                       ) -> list[forms.Field]:
    """The entry's own fields (as they stand, or as submitted: units, posts and cases chosen from lists as
    on a new entry's form) and the correction's reason and 文号."""
    cls = ENTRY_TYPES[target.type]
    errors = errors or {}
    root = cadre.root_of(target.entry_id)
    options = entry_options(cadre, runtime, values.get("effective_on"), root)
    chosen = choices.entry_choices(runtime, session.principal, cadre, target.type,
                                   {s.name for s in field_specs(cls)},
                                   forms.day_of(values.get("effective_on"), runtime.app.today()), exclude=root,
                                   current=values)
    fields = forms.fields_of(cls, values, errors, references={**options, **chosen.references},
                             grouped=chosen.grouped, skip=("cadre_no",),
                             datalists={"unit_code": "unit-codes", "host": "unit-codes"})
    choices.relabel(fields, chosen)
    given: Any = submitted or {}
    return [*fields,
            forms.Field("reason_for_change", "更正事由", "textarea", True, str(given.get("reason_for_change") or ""),
                        hint="为什么更正：写明错误及依据", errors=errors.get("reason_for_change", []),
                        attrs={"maxlength": 2000}),
            forms.Field("document_no_for_change", "更正依据文号", "text", False,
                        str(given.get("document_no_for_change") or ""),
                        errors=errors.get("document_no_for_change", []), attrs={"maxlength": 200})]


def _correction_page(request: Request, session: Session, cadre: Cadre, target: Any, fields: list[forms.Field], *,
                     refusal: forms.Refusal | None = None, form: FormData | None = None, status: int = 200
                     ) -> Response:
    cls = ENTRY_TYPES[target.type]
    cadre_id = cadre.id
    context = form_context(
        session, title=f"更正：{cls.LABEL}", action=f"/cadres/{cadre_id}/entries/{target.entry_id}/correction",
        entry_type=target.type, fields=fields, cancel=f"/cadres/{cadre_id}#entry-{target.entry_id}",
        refusal=refusal, override_reason=override_reason(session, form) if form else "",
        form_key=str(form.get("form_key") or "") or None if form else None,
        intro="修改需要更正的字段，未改动的字段保持原值；更正将作为新的记录保存，原记录不被改写。",
        cadre_name=str(cadre.profile.get("name", "")))
    return render(request, "entry_form.html", context, status=status)


@router.get("/cadres/{cadre_id}/entries/{entry_id}/correction")
@html_errors
def correction_form(request: Request, session: Writer, cadre_id: CadreId, entry_id: EntryId) -> Response:
    """更正: the entry's form filled with its values as they stand."""
    runtime = runtime_of(request)
    cadre = writable(runtime, session, cadre_id)
    runtime.app.authorize(CorrectEntry(cadre_id, entry_id), session.principal.provenance(request_id(request)))
    target = _target(cadre, entry_id)
    refused = _correctable(request, target)
    if refused is not None:
        return refused
    return _correction_page(request, session, cadre, target, _correction_fields(runtime, session, cadre, target,
                                                                                target.values))


@router.post("/cadres/{cadre_id}/entries/{entry_id}/correction")
@html_errors
async def correct_entry(request: Request, session: Writer, cadre_id: CadreId, entry_id: EntryId) -> Response:
    """Record the fields that changed as an ``EntryCorrected`` (the ``CorrectEntry`` command)."""
    runtime = runtime_of(request)
    form = await submitted(request, session)
    if form is None:
        return expired(request)
    cadre = await run_in_threadpool(writable, runtime, session, cadre_id)
    # the entry's scope before anything about it is shown (a refused form echoes its values)
    await run_in_threadpool(runtime.app.authorize, CorrectEntry(cadre_id, entry_id),
                            session.principal.provenance(request_id(request)))
    target = _target(cadre, entry_id)
    refused = _correctable(request, target)
    if refused is not None:
        return refused
    cls = ENTRY_TYPES[target.type]
    changes = forms.changed(forms.payload_of(cls, form, skip=("cadre_no",)), target.values)
    emptied, required = forms.cleared(cls, form, target.values, skip=("cadre_no",))
    if required:
        fields = await run_in_threadpool(_correction_fields, runtime, session, cadre, target, form, required, form)
        return _correction_page(request, session, cadre, target, fields, form=form, status=422,
                                refusal=forms.Refusal(required, []))
    changes.update(emptied)
    payload = correction_payload(session, form, changes)
    try:
        command = CorrectEntry(cadre_id, entry_id, payload, idempotency_key=idempotency_key(session, form))
        result = await execute(request, session, command)
    except JishiError as error:
        names = [s.name for s in field_specs(cls)]
        refusal = forms.refusal(error, [*names, *CORRECTION_NAMES.values()], CORRECTION_NAMES)
        fields = await run_in_threadpool(_correction_fields, runtime, session, cadre, target, form, refusal.fields,
                                         form)
        return _correction_page(request, session, cadre, target, fields, refusal=refusal, form=form,
                                status=(classify(error) or (422,))[0])
    return redirect(f"/cadres/{cadre_id}?recorded={result.entry_id}#entry-{entry_id}")


@router.get("/cadres/{cadre_id}/entries/{entry_id}/retraction")
@html_errors
def retraction_form(request: Request, session: Writer, cadre_id: CadreId, entry_id: EntryId) -> Response:
    """撤销记录: confirm, with a reason, that an entry should never have been recorded."""
    runtime = runtime_of(request)
    cadre = writable(runtime, session, cadre_id)
    runtime.app.authorize(RetractEntry(cadre_id, entry_id), session.principal.provenance(request_id(request)))
    return _retraction_page(request, cadre, _target(cadre, entry_id), form_key=secrets.token_urlsafe(16))


def _retraction_page(request: Request, cadre: Cadre, target: Any, *, form_key: str,
                     refusal: forms.Refusal | None = None, reason: str = "", document_no: str = "",
                     status: int = 200) -> Response:
    """The confirmation: the entry as it stands, the reason and 文号 (with a refusal at its fields)."""
    runtime = runtime_of(request)
    names = Names(runtime.read_models.engine, runtime.app.today())  # 单位、职位 by name, not code
    fields = {k: v for k, v in target.values.items() if not isinstance(v, dict)}
    return render(request, "retraction_form.html", {
        "cadre_id": cadre.id, "cadre_name": cadre.profile.get("name", ""), "target": target,
        "target_label": ENTRY_TYPES[target.type].LABEL,
        "rows": growth.readable(fields, names),
        "form_key": form_key, "errors": refusal.fields if refusal else {},
        "general": refusal.general if refusal else [], "reason": reason, "document_no": document_no},
        status=status)


@router.post("/cadres/{cadre_id}/entries/{entry_id}/retraction")
@html_errors
async def retract_entry(request: Request, session: Writer, cadre_id: CadreId, entry_id: EntryId) -> Response:
    """Record the ``EntryRetracted`` (the ``RetractEntry`` command)."""
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
        command = RetractEntry(cadre_id, entry_id, payload, idempotency_key=idempotency_key(session, form))
        result = await execute(request, session, command)
    except JishiError as error:
        if isinstance(error, NotFoundError):
            raise
        cadre = await run_in_threadpool(cadre_of, runtime, cadre_id)
        return _retraction_page(request, cadre, _target(cadre, entry_id), form_key=str(form.get("form_key") or ""),
                                refusal=forms.refusal(error, ["reason", "document_no"]), reason=reason,
                                document_no=document_no, status=(classify(error) or (422,))[0])
    return redirect(f"/cadres/{cadre_id}?recorded={result.entry_id}#entry-{entry_id}")
