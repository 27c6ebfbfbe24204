"""干部: search, the growth file (成长档案), and the forms HR records entries with."""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from api.auth import request_id
from api.pages import forms, growth, reads
from api.pages.labels import CATEGORIES
from api.pages.render import Reader, Writer, error_page, html_errors, path_id, redirect, render, start_timer, status_of
from api.pages.session import Session, csrf_ok
from api.pages.units import flatten, when
from api.problems import classify
from api.routes.cadres import _check_cursor
from domain.cadre import Cadre
from domain.cadre_entries import ENTRY_TYPES, RECORDABLE_TYPES, CadreRegistered, Pool, Rank
from domain.codes import CODE_TABLES
from domain.errors import JishiError, NotFoundError
from domain.schema import field_specs
from jishi.bootstrap import Runtime
from service.commands import CorrectEntry, RecordEntry, RegisterCadre, RetractEntry

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
CadreId = Annotated[UUID, Depends(path_id("cadre_id", "干部不存在 (no such cadre)"))]
EntryId = Annotated[UUID, Depends(path_id("entry_id", "记录不存在 (no such entry)"))]
POOLS: tuple[str, ...] = Pool.__args__  # type: ignore[attr-defined]
RANKS: tuple[str, ...] = Rank.__args__  # type: ignore[attr-defined]
PAGE_SIZE = 50


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


# ——— search 干部查询 ———

@router.get("/cadres")
@html_errors
def search(request: Request, session: Reader) -> Response:
    """干部查询: by name, unit, pool, grade, rank, age and education."""
    runtime = _runtime(request)
    at = when(request)
    q = {k: (request.query_params.get(k) or "").strip() for k in
         ("q", "unit", "pool", "grade", "rank", "max_age", "education", "cursor")}
    errors = {k: v for k, v in at.errors.items() if k != "known_at"}  # the search takes no known_at
    max_age = None
    if q["max_age"]:
        if q["max_age"].isdigit() and int(q["max_age"]) <= 150:
            max_age = int(q["max_age"])
        else:
            errors["max_age"] = "须为0到150之间的整数 (a whole number from 0 to 150)"
    for name, allowed in (("pool", POOLS), ("rank", RANKS), ("grade", tuple(CODE_TABLES["grade"].entries)),
                          ("education", tuple(CODE_TABLES["education"].entries))):
        if q[name] and q[name] not in allowed:
            errors[name] = "不在可选范围内 (not one of the choices)"
    searched = any(q[k] for k in ("q", "unit", "pool", "grade", "rank", "max_age", "education"))
    page: dict[str, Any] = {"items": [], "next_cursor": None}
    if searched and not errors:
        _check_cursor(q["cursor"] or None)
        page = reads.search(runtime, session.principal, as_of=at.as_of, limit=PAGE_SIZE, cursor=q["cursor"] or None,
                            unit=q["unit"] or None, pool=q["pool"] or None, grade=q["grade"] or None,
                            rank=q["rank"] or None, max_age=max_age, education=q["education"] or None,
                            q=q["q"] or None)
    units = flatten(reads.unit_tree(runtime, session.principal, at.as_of, None))
    return render(request, "search.html", {
        "nav": "cadres", "q": q, "at": at, "errors": errors, "page": page, "searched": searched, "units": units,
        "pools": POOLS, "ranks": RANKS, "grades": CODE_TABLES["grade"].entries,
        "educations": CODE_TABLES["education"].entries}, status=status_of(errors))


REGISTRATION_INTRO = "建立干部的成长纪实。带 * 的为必填项；公民身份号码须与出生日期一致。"


@router.get("/cadres/new")
@html_errors
def new_cadre(request: Request, session: Writer) -> Response:
    """录用/建档: the registration form."""
    fields = forms.fields_of(CadreRegistered, {})
    return render(request, "entry_form.html", _form_context(
        session, title="录用/建档", action="/cadres/new", entry_type="CadreRegistered", fields=fields,
        cancel="/cadres", intro=REGISTRATION_INTRO) | {"nav": "register"})


@router.post("/cadres/new")
@html_errors
async def register_cadre(request: Request, session: Writer) -> Response:
    """Open the cadre's record through the ``RegisterCadre`` command; refusals (e.g. R-ID) shown at their fields."""
    runtime = _runtime(request)
    form = await _submitted(request, session)
    if form is None:
        return _expired(request)
    payload = forms.payload_of(CadreRegistered, form)
    by = session.principal.provenance(request_id(request))
    try:
        command = RegisterCadre(payload, idempotency_key=_key(session, form))
        result = await run_in_threadpool(runtime.execute, command, by)
    except JishiError as error:
        refusal = forms.refusal(error, [s.name for s in field_specs(CadreRegistered)])
        fields = forms.fields_of(CadreRegistered, form, refusal.fields)
        return render(request, "entry_form.html", _form_context(
            session, title="录用/建档", action="/cadres/new", entry_type="CadreRegistered", fields=fields,
            cancel="/cadres", refusal=refusal, form_key=str(form.get("form_key") or "") or None,
            intro=REGISTRATION_INTRO), status=(classify(error) or (422,))[0])
    cadre_id = result.extra["cadre_id"]
    if session.principal.scopes is not None:  # a record no unit holds yet is seen only by placing it (任职)
        return redirect(f"/cadres/{cadre_id}/entries/new?type=Appointed")
    return redirect(f"/cadres/{cadre_id}?recorded={result.entry_id}#entry-{result.entry_id}")


# ——— growth file 成长档案 ———

@router.get("/cadres/{cadre_id}")
@html_errors
def growth_file(request: Request, session: Reader, cadre_id: CadreId) -> Response:
    """成长档案: profile, timeline by category, posts and ranks, charts, pools, sanctions, findings."""
    runtime = _runtime(request)
    at = when(request)
    found = reads.growth_file(runtime, session.principal, request, cadre_id, at.as_of, at.known_at)
    groups = growth.timeline_groups(found["timeline"])
    mentor_names = reads.cadre_names(runtime, session.principal, {m["mentor_cadre_id"] for m in found["mentors"]},
                                     at.as_of)
    units = reads.unit_names(runtime, session.principal, {p["unit_code"] for p in found["posts"]}
                             | {s["host"] for s in found["secondments"]}, at.as_of)
    recorded = request.query_params.get("recorded")
    return render(request, "growth_file.html", {
        "gf": found, "at": at, "groups": groups, "chart": growth.chart_data(found, at.as_of),
        "mentor_names": mentor_names, "recorded": recorded, "units": units,
        "open_findings": [f for f in found["findings"] if f["status"] == "open"],
        "other_findings": [f for f in found["findings"] if f["status"] != "open"],
        "entry_types": _entry_type_menu(), "nav": "cadres",
    }, status=status_of(at.errors))


def _entry_type_menu() -> list[tuple[str, list[tuple[str, str]]]]:
    by_category: dict[str, list[tuple[str, str]]] = {}
    for name, cls in RECORDABLE_TYPES.items():
        by_category.setdefault(cls.CATEGORY, []).append((name, cls.LABEL))
    return [(c, by_category[c]) for c in CATEGORIES if c in by_category]


# ——— forms 记录 ———

def _form_context(session: Session, *, title: str, action: str, entry_type: str, fields: list[forms.Field],
                  cancel: str, refusal: forms.Refusal | None = None, override_reason: str = "",
                  form_key: str | None = None, intro: str = "", cadre_name: str = "") -> dict[str, Any]:
    return {"title": title, "action": action, "entry_type": entry_type, "fields": fields, "cancel": cancel,
            "refusal": refusal, "override_reason": override_reason, "can_override": session.principal.can_override,
            "form_key": form_key or secrets.token_urlsafe(16), "intro": intro, "cadre_name": cadre_name}


def _cadre(runtime: Runtime, cadre_id: UUID) -> Cadre:
    return runtime.app.get_cadre(cadre_id)


def _writable(runtime: Runtime, session: Session, cadre_id: UUID) -> Cadre:
    """The cadre a form is for: out of the user's jurisdiction reads as "no such cadre" (as in the API)."""
    reads.may_write_for(runtime, session.principal, cadre_id)
    return _cadre(runtime, cadre_id)


def _entry_options(cadre: Cadre, runtime: Runtime, day: Any = None, exclude: UUID | None = None
                   ) -> dict[str, list[tuple[str, str]]]:
    items = [{"entry_id": str(e.entry_id), "effective_on": e.effective_on.isoformat() if e.effective_on else "",
              "type": e.type, "type_label": ENTRY_TYPES[e.type].LABEL, "retracted": False}
             for e in cadre.standing_entries()]
    held = forms.held_posts(cadre.standing_entries(), forms.day_of(day, runtime.app.today()),
                            lambda u, p: runtime.app.get_post(u, p).title, exclude)  # 任…免…: ends_posts
    return {**growth.references(items, forms.REFERENCES), "ends_posts": held}


def _unit_datalist(runtime: Runtime, session: Session) -> list[dict[str, Any]]:
    return flatten(reads.unit_tree(runtime, session.principal, runtime.app.today(), None))


async def _submitted(request: Request, session: Session) -> FormData | None:
    form = await request.form()
    return form if csrf_ok(session, form.get("csrf_token")) else None


def _expired(request: Request) -> Response:
    return error_page(request, 403, "表单已过期 (form expired)", "表单已过期或来自其他页面，请返回重新填写 "
                      "(the form expired or came from elsewhere: open it again)")


def _override(session: Session, form: FormData) -> str:
    text = str(form.get("override_reason") or "").strip()
    return text if session.principal.can_override else ""


def _key(session: Session, form: FormData) -> str | None:
    """A double-submitted form records once: the form's random key is the command's idempotency key."""
    key = str(form.get("form_key") or "")
    return f"{session.principal.name}:page:{key}" if 8 <= len(key) <= 64 else None


@router.get("/cadres/{cadre_id}/entries/new")
@html_errors
def new_entry(request: Request, session: Writer, cadre_id: CadreId) -> Response:
    """记录: the form for one entry type (``?type=Assessed``), or the list of types to choose from."""
    runtime = _runtime(request)
    cadre = _writable(runtime, session, cadre_id)
    name = str(cadre.profile.get("name", ""))
    entry_type = request.query_params.get("type", "")
    cls = RECORDABLE_TYPES.get(entry_type)
    if cls is None:
        return render(request, "entry_types.html", {"cadre_id": cadre_id, "cadre_name": name,
                                                    "menu": _entry_type_menu()})
    fields = forms.fields_of(cls, {}, references=_entry_options(cadre, runtime), datalists={"unit_code": "unit-codes"})
    return render(request, "entry_form.html", {
        **_form_context(session, title=f"记录{cls.LABEL}", action=f"/cadres/{cadre_id}/entries", entry_type=entry_type,
                        fields=fields, cancel=f"/cadres/{cadre_id}", cadre_name=name),
        "units": _unit_datalist(runtime, session)})


@router.post("/cadres/{cadre_id}/entries")
@html_errors
async def record_entry(request: Request, session: Writer, cadre_id: CadreId) -> Response:
    """Record the entry (the ``RecordEntry`` command); a refusal shows the form again, each message at its field."""
    runtime = _runtime(request)
    form = await _submitted(request, session)
    if form is None:
        return _expired(request)
    entry_type = str(form.get("type") or "")
    cls = RECORDABLE_TYPES.get(entry_type)
    if cls is None:
        raise forms.form_error("type", f"未知记录类型 (unknown entry type): {entry_type}")
    payload = forms.payload_of(cls, form)
    override = _override(session, form)
    if override:
        payload["override_reason"] = override
    try:
        command = RecordEntry(cadre_id, entry_type, payload, idempotency_key=_key(session, form))
        result = await run_in_threadpool(runtime.execute, command, session.principal.provenance(request_id(request)))
    except JishiError as error:
        if isinstance(error, NotFoundError):
            raise
        cadre = await run_in_threadpool(_cadre, runtime, cadre_id)
        refusal = forms.refusal(error, [s.name for s in field_specs(cls)])
        fields = forms.fields_of(cls, form, refusal.fields, references=_entry_options(
                                 cadre, runtime, form.get("effective_on")), datalists={"unit_code": "unit-codes"})
        status = (classify(error) or (422,))[0]
        return render(request, "entry_form.html", {
            **_form_context(session, title=f"记录{cls.LABEL}", action=f"/cadres/{cadre_id}/entries",
                            entry_type=entry_type, fields=fields, cancel=f"/cadres/{cadre_id}", refusal=refusal,
                            override_reason=override, form_key=str(form.get("form_key") or "") or None,
                            cadre_name=str(cadre.profile.get("name", ""))),
            "units": await run_in_threadpool(_unit_datalist, runtime, session)}, status=status)
    return redirect(f"/cadres/{cadre_id}?recorded={result.entry_id}#entry-{result.entry_id}")


# ——— corrections 更正 and retractions 撤销 ———

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


def _correction_fields(runtime: Runtime, cadre: Cadre, target: Any, values: Any,
                       errors: dict[str, list[str]] | None = None, submitted: FormData | None = None
                       ) -> list[forms.Field]:
    """The entry's own fields (as they stand, or as submitted) and the correction's reason and 文号."""
    cls = ENTRY_TYPES[target.type]
    errors = errors or {}
    options = _entry_options(cadre, runtime, values.get("effective_on"), cadre.root_of(target.entry_id))
    fields = forms.fields_of(cls, values, errors, references=options, skip=("cadre_no",),
                             datalists={"unit_code": "unit-codes"})
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
    context = _form_context(
        session, title=f"更正：{cls.LABEL}", action=f"/cadres/{cadre_id}/entries/{target.entry_id}/correction",
        entry_type=target.type, fields=fields, cancel=f"/cadres/{cadre_id}#entry-{target.entry_id}",
        refusal=refusal, override_reason=_override(session, form) if form else "",
        form_key=str(form.get("form_key") or "") or None if form else None,
        intro="修改需要更正的字段，未改动的字段保持原值；更正将作为新的记录保存，原记录不被改写。",
        cadre_name=str(cadre.profile.get("name", "")))
    return render(request, "entry_form.html", context, status=status)


@router.get("/cadres/{cadre_id}/entries/{entry_id}/correction")
@html_errors
def correction_form(request: Request, session: Writer, cadre_id: CadreId, entry_id: EntryId) -> Response:
    """更正: the entry's form filled with its values as they stand."""
    runtime = _runtime(request)
    cadre = _writable(runtime, session, cadre_id)
    runtime.app.authorize(CorrectEntry(cadre_id, entry_id), session.principal.provenance(request_id(request)))
    target = _target(cadre, entry_id)
    refused = _correctable(request, target)
    if refused is not None:
        return refused
    return _correction_page(request, session, cadre, target, _correction_fields(runtime, cadre, target,
                                                                                target.values))


@router.post("/cadres/{cadre_id}/entries/{entry_id}/correction")
@html_errors
async def correct_entry(request: Request, session: Writer, cadre_id: CadreId, entry_id: EntryId) -> Response:
    """Record the fields that changed as an ``EntryCorrected`` (the ``CorrectEntry`` command)."""
    runtime = _runtime(request)
    form = await _submitted(request, session)
    if form is None:
        return _expired(request)
    cadre = await run_in_threadpool(_writable, runtime, session, cadre_id)
    target = _target(cadre, entry_id)
    refused = _correctable(request, target)
    if refused is not None:
        return refused
    cls = ENTRY_TYPES[target.type]
    changes = forms.changed(forms.payload_of(cls, form, skip=("cadre_no",)), target.values)
    payload: dict[str, Any] = {"changes": changes, "reason": str(form.get("reason_for_change") or "").strip() or None}
    if str(form.get("document_no_for_change") or "").strip():
        payload["document_no"] = str(form.get("document_no_for_change")).strip()
    override = _override(session, form)
    if override:
        payload["override_reason"] = override
    try:
        command = CorrectEntry(cadre_id, entry_id, payload, idempotency_key=_key(session, form))
        result = await run_in_threadpool(runtime.execute, command, session.principal.provenance(request_id(request)))
    except JishiError as error:
        names = [s.name for s in field_specs(cls)]
        refusal = forms.refusal(error, [*names, *CORRECTION_NAMES.values()], CORRECTION_NAMES)
        fields = _correction_fields(runtime, cadre, target, form, refusal.fields, form)
        return _correction_page(request, session, cadre, target, fields, refusal=refusal, form=form,
                                status=(classify(error) or (422,))[0])
    return redirect(f"/cadres/{cadre_id}?recorded={result.entry_id}#entry-{entry_id}")


@router.get("/cadres/{cadre_id}/entries/{entry_id}/retraction")
@html_errors
def retraction_form(request: Request, session: Writer, cadre_id: CadreId, entry_id: EntryId) -> Response:
    """撤销记录: confirm, with a reason, that an entry should never have been recorded."""
    runtime = _runtime(request)
    cadre = _writable(runtime, session, cadre_id)
    runtime.app.authorize(RetractEntry(cadre_id, entry_id), session.principal.provenance(request_id(request)))
    target = _target(cadre, entry_id)
    return render(request, "retraction_form.html", {
        "cadre_id": cadre_id, "cadre_name": cadre.profile.get("name", ""), "target": target,
        "target_label": ENTRY_TYPES[target.type].LABEL, "rows": growth.readable(
            {k: v for k, v in target.values.items() if not isinstance(v, dict)}),
        "form_key": secrets.token_urlsafe(16), "errors": {}, "general": [], "reason": "", "document_no": ""})


@router.post("/cadres/{cadre_id}/entries/{entry_id}/retraction")
@html_errors
async def retract_entry(request: Request, session: Writer, cadre_id: CadreId, entry_id: EntryId) -> Response:
    """Record the ``EntryRetracted`` (the ``RetractEntry`` command)."""
    runtime = _runtime(request)
    form = await _submitted(request, session)
    if form is None:
        return _expired(request)
    reason = str(form.get("reason") or "").strip()
    document_no = str(form.get("document_no") or "").strip()
    payload: dict[str, Any] = {"reason": reason or None}
    if document_no:
        payload["document_no"] = document_no
    try:
        command = RetractEntry(cadre_id, entry_id, payload, idempotency_key=_key(session, form))
        result = await run_in_threadpool(runtime.execute, command, session.principal.provenance(request_id(request)))
    except JishiError as error:
        if isinstance(error, NotFoundError):
            raise
        cadre = await run_in_threadpool(_cadre, runtime, cadre_id)
        target = _target(cadre, entry_id)
        refusal = forms.refusal(error, ["reason", "document_no"])
        return render(request, "retraction_form.html", {
            "cadre_id": cadre_id, "cadre_name": cadre.profile.get("name", ""), "target": target,
            "target_label": ENTRY_TYPES[target.type].LABEL,
            "rows": growth.readable({k: v for k, v in target.values.items() if not isinstance(v, dict)}),
            "form_key": str(form.get("form_key") or ""), "errors": refusal.fields, "general": refusal.general,
            "reason": reason, "document_no": document_no}, status=(classify(error) or (422,))[0])
    return redirect(f"/cadres/{cadre_id}?recorded={result.entry_id}#entry-{entry_id}")
