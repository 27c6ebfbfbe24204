"""选任纪实 in the browser: the list of cases in the user's scope, opening a case (发起选任), the case with
its record of steps and, for HR, the next steps offered as forms. Every write is a command run through
``submit.execute`` (guards, jurisdiction, the signed-in user's provenance); a refusal shows the form again
with each message at its field, and the override path for a user who may override."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from api.auth import WRITERS
from api.pages import case_forms, case_reads, forms, growth, reads
from api.pages.cadres import form_context
from api.pages.case_forms import Choices
from api.pages.case_steps import concluded_for_appointment, next_steps
from api.pages.render import Reader, Writer, html_errors, path_id, redirect, render, start_timer
from api.pages.session import Session
from api.pages.submit import execute, expired, idempotency_key, override_reason, runtime_of, submitted
from api.pages.units import flatten
from api.problems import classify
from domain.errors import JishiError, NotFoundError
from domain.schema import field_specs
from domain.selection import CASE_EVENTS, CASE_STEPS, CHECKS, STEP_CHANGES, CaseOpened, SelectionCase
from jishi.bootstrap import Runtime
from service.commands import OpenCase, RecordCaseStep

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
CaseId = Annotated[UUID, Depends(path_id("case_id", "选任纪实不存在 (no such selection case)"))]
LIST_LIMIT = 100  # each case is read from its stream (a few ms each)
CADRE_LIMIT = 2000  # the cadres a recommendation chooses from
STATUSES = {"open": "进行中", "closed": "已结束"}
OPEN_INTRO = "分析研判和动议：为管辖范围内某单位的职位启动选任，此后各环节在本选任纪实中逐步记录。"


def _unit_names(runtime: Runtime, session: Session, today: date) -> dict[str, str]:
    return {u["code"]: u["name"] for u in flatten(reads.unit_tree(runtime, session.principal, today, None))}


# ——— the list 选任纪实列表 ———

@router.get("/cases")
@html_errors
def case_list(request: Request, session: Reader) -> Response:
    """选任纪实: the cases opened for posts in the user's scope, the latest first, open or closed."""
    runtime = runtime_of(request)
    status = request.query_params.get("status", "")
    errors = {"status": "状态须为进行中或已结束 (open or closed)"} if status and status not in STATUSES else {}
    today = runtime.app.today()
    items = [] if errors else case_reads.cases(runtime, session.principal, LIST_LIMIT)
    shown = [i for i in items if not status or i.closed == (status == "closed")]
    titles = case_reads.post_titles(runtime, {(i.unit_code, i.post_code) for i in shown}, today)
    return render(request, "cases.html", {
        "nav": "cases", "items": shown, "status": status, "statuses": STATUSES, "errors": errors,
        "units": _unit_names(runtime, session, today), "titles": titles, "more": len(items) >= LIST_LIMIT,
        "counts": {"all": len(items), "open": sum(1 for i in items if not i.closed),
                   "closed": sum(1 for i in items if i.closed)}}, status=422 if errors else 200)


# ——— opening a case 发起选任 ———

def _opening_choices(runtime: Runtime, session: Session) -> Choices:
    today = runtime.app.today()
    posts = case_reads.posts(runtime, session.principal, today)
    names = _unit_names(runtime, session, today)
    units = [(code, names.get(code, code)) for code in names if code in posts]
    return Choices(units=units, posts={code: posts[code] for code, _ in units})


def _opening_page(request: Request, session: Session, choices: Choices, values: Any, *,
                  refusal: forms.Refusal | None = None, form: FormData | None = None, status: int = 200
                  ) -> Response:
    fields = forms.fields_of(CaseOpened, values, refusal.fields if refusal else {})
    context = form_context(session, title="发起选任", action="/cases/new", entry_type="CaseOpened",
                           fields=case_forms.place_fields(fields, choices, values), cancel="/cases",
                           refusal=refusal, override_reason=override_reason(session, form) if form else "",
                           form_key=str(form.get("form_key") or "") or None if form else None, intro=OPEN_INTRO)
    return render(request, "entry_form.html", context | {"nav": "cases"}, status=status)


@router.get("/cases/new")
@html_errors
def new_case(request: Request, session: Writer) -> Response:
    """发起选任: the opening form, unit and post chosen from the user's jurisdiction."""
    runtime = runtime_of(request)
    return _opening_page(request, session, _opening_choices(runtime, session), {})


@router.post("/cases/new")
@html_errors
async def open_case(request: Request, session: Writer) -> Response:
    """Open the case (the ``OpenCase`` command), then show it."""
    runtime = runtime_of(request)
    form = await submitted(request, session)
    if form is None:
        return expired(request)
    payload = forms.payload_of(CaseOpened, form)
    override = override_reason(session, form)
    if override:
        payload["override_reason"] = override
    try:
        result = await execute(request, session, OpenCase(payload, idempotency_key=idempotency_key(session, form)))
    except JishiError as error:
        refusal = forms.refusal(error, [s.name for s in field_specs(CaseOpened)])
        choices = await run_in_threadpool(_opening_choices, runtime, session)
        return _opening_page(request, session, choices, form, refusal=refusal, form=form,
                             status=(classify(error) or (422,))[0])
    return redirect(f"/cases/{result.extra['case_id']}?recorded={result.entry_id}")


# ——— a step 记录选任环节 ———

def _label(name: str, posts: list[tuple[str, str]], units: dict[str, str], titles: dict[tuple[str, str], str]
           ) -> str:
    held = "、".join(f"{units.get(u, u)}{titles.get((u, p), p)}" for u, p in posts)
    return f"{name}（{held}）" if held else name


def step_choices(runtime: Runtime, session: Session, case: SelectionCase, step_type: str) -> Choices:
    today = runtime.app.today()
    candidates = {c for s in case.steps_of("Shortlisted") for c in s.values["cadre_ids"]}
    recommended = {str(c) for s in case.steps_of("Recommended") for c in s.values["votes"]}
    names = reads.cadre_names(runtime, session.principal, {str(c) for c in candidates} | recommended, today)
    cadres: list[tuple[str, str]] = []
    if step_type == "Recommended" or (step_type == "Shortlisted" and not recommended):
        units = _unit_names(runtime, session, today)
        titles = {(u, p): t for u, items in case_reads.posts(runtime, session.principal, today).items()
                  for p, t in items}
        cadres = [(c["cadre_id"], _label(c["name"], c["posts"], units, titles))
                  for c in case_reads.cadres(runtime, session.principal, today, CADRE_LIMIT)]
    return Choices(cadres=cadres, candidates=[(str(c), names.get(str(c), str(c))) for c in sorted(candidates, key=str)],
                   recommended=[(c, names.get(c, c)) for c in sorted(recommended)])


def case_title(runtime: Runtime, session: Session, case: SelectionCase) -> str:
    """选任纪实：单位 职位（方式，动议日期）, the line a step form names its case by."""
    today = runtime.app.today()
    unit = _unit_names(runtime, session, today).get(case.unit_code, case.unit_code)
    post = case_reads.post_title(runtime, case.unit_code, case.post_code, today)
    return f"选任纪实：{unit} {post}（{case.method}，{case.opened_on.isoformat()}动议）"


def _step_page(request: Request, session: Session, case_id: UUID, heading: str, step_type: str,
               values: Any, choices: Choices, *, refusal: forms.Refusal | None = None,
               form: FormData | None = None, status: int = 200) -> Response:
    cls = CASE_STEPS[step_type]
    errors = refusal.fields if refusal else {}
    fields = forms.fields_of(cls, values, errors, skip=("votes",))
    context = form_context(
        session, title=f"记录{cls.LABEL}", action=f"/cases/{case_id}/steps", entry_type=step_type,
        fields=case_forms.step_fields(step_type, fields, choices, values, errors), cancel=f"/cases/{case_id}",
        refusal=refusal, override_reason=override_reason(session, form) if form else "",
        form_key=str(form.get("form_key") or "") or None if form else None,
        intro=heading)
    return render(request, "entry_form.html", context | {"nav": "cases"}, status=status)


@router.get("/cases/{case_id}/steps/new")
@html_errors
def new_step(request: Request, session: Writer, case_id: CaseId) -> Response:
    """One step's form (``?type=Inspected``), prefilled from the query (``cadre_id``, ``check`` …)."""
    runtime = runtime_of(request)
    case = reads.selection_case(runtime, session.principal, case_id)
    step_type = request.query_params.get("type", "")
    if step_type not in CASE_STEPS:
        raise forms.form_error("type", f"未知选任环节 (unknown case step): {step_type}")
    names = {s.name for s in field_specs(CASE_STEPS[step_type])}
    values = {k: v for k, v in request.query_params.items() if k in names}
    choices = step_choices(runtime, session, case, step_type)
    return _step_page(request, session, case_id, case_title(runtime, session, case), step_type, values, choices)


@router.post("/cases/{case_id}/steps")
@html_errors
async def record_step(request: Request, session: Writer, case_id: CaseId) -> Response:
    """Record the step (the ``RecordCaseStep`` command); a refusal shows the form again, each message at
    its field, with the override reason offered when the rules allow it."""
    runtime = runtime_of(request)
    form = await submitted(request, session)
    if form is None:
        return expired(request)
    step_type = str(form.get("type") or "")
    cls = CASE_STEPS.get(step_type)
    if cls is None:
        raise forms.form_error("type", f"未知选任环节 (unknown case step): {step_type}")
    payload, rename = case_forms.step_payload(step_type, cls, form)
    override = override_reason(session, form)
    if override:
        payload["override_reason"] = override
    try:
        command = RecordCaseStep(case_id, step_type, payload, idempotency_key=idempotency_key(session, form))
        result = await execute(request, session, command)
    except JishiError as error:
        if isinstance(error, NotFoundError):
            raise
        case = await run_in_threadpool(reads.selection_case, runtime, session.principal, case_id)
        names = [*(s.name for s in field_specs(cls)), *case_forms.custom_names(step_type)]
        refusal = forms.refusal(error, names, rename)
        choices = await run_in_threadpool(step_choices, runtime, session, case, step_type)
        heading = await run_in_threadpool(case_title, runtime, session, case)
        return _step_page(request, session, case_id, heading, step_type, form, choices, refusal=refusal, form=form,
                          status=(classify(error) or (422,))[0])
    return redirect(f"/cases/{case_id}?recorded={result.entry_id}#entry-{result.entry_id}")


# ——— the case 选任纪实 ———

@router.get("/cases/{case_id}")
@html_errors
def case(request: Request, session: Reader, case_id: CaseId) -> Response:
    """选任纪实: the steps in effective order, per candidate the 凡提四必 checklist and 双签字, and for HR
    the next steps of the procedure."""
    runtime: Runtime = request.app.state.runtime
    found = reads.selection_case(runtime, session.principal, case_id)
    steps = sorted(found.steps, key=lambda s: (s.day, s.version))
    candidates: list[str] = []
    for s in steps:
        for c in [*(s.values.get("cadre_ids") or ()), s.values.get("cadre_id"), *(
                s.values.get("votes") or {} if s.type == "Recommended" else ())]:
            if c is not None and str(c) not in candidates:
                candidates.append(str(c))
    today = runtime.app.today()
    names = reads.cadre_names(runtime, session.principal, set(candidates), today)
    shortlisted = {str(c) for s in found.steps_of("Shortlisted") for c in s.values["cadre_ids"]}
    checklist = []
    for c in (c for c in candidates if c in shortlisted):
        cid = UUID(c)
        results = found.check_results(cid, today)
        signed = found.latest("IntegrityOpinionSigned", cadre_id=cid)
        checklist.append({"cadre_id": c, "name": names.get(c, c), "checks": [(k, results.get(k)) for k in CHECKS],
                          "signed": signed, "complete": all(results.get(k) == "通过" for k in CHECKS)
                          and signed is not None, "conclusion": found.conclusion(cid)})

    unit_name = _unit_names(runtime, session, today).get(found.unit_code, found.unit_code)
    post_title = case_reads.post_title(runtime, found.unit_code, found.post_code, today)
    shown_names = {"unit_code_label": unit_name, "post_code_label": post_title}

    def named(step_type: str, values: dict[str, Any]) -> dict[str, Any]:
        extra = shown_names if step_type == "CaseOpened" else {}
        return extra | {k: (names.get(str(v), str(v)) if k == "cadre_id" else
                    "、".join(names.get(str(x), str(x)) for x in v) if k == "cadre_ids" else
                    {names.get(str(x), str(x)): n for x, n in v.items()}
                    if k == "votes" and step_type == "Recommended" else v) for k, v in values.items()}

    # every step recorded, standing or retracted, in effective order; then the corrections and retractions
    records = sorted((r for r in found.records.values() if r.type in CASE_EVENTS),
                     key=lambda r: (r.values["effective_on"], r.version))
    label = {r.entry_id: f"{CASE_EVENTS[r.type].LABEL}（{r.values['effective_on']}）" for r in records}
    shown = [{"step": r.step(), "label": CASE_EVENTS[r.type].LABEL, "rows": growth.readable(named(r.type, r.values)),
              "retracted_by": r.retracted_by, "document_no": r.values.get("document_no"),
              "corrections": [c for c in r.corrections if found.records[c].stands]} for r in records]
    changes = [{"record": r, "label": STEP_CHANGES[r.type].LABEL,
                "target": r.values["target_entry_id"], "step": found.root_of(r.values["target_entry_id"]),
                "target_label": label.get(found.root_of(r.values["target_entry_id"]), ""),
                "rows": growth.readable(named(found.records[found.root_of(r.entry_id)].type,
                                              r.values.get("changes") or {})),
                "reason": r.values.get("reason"), "document_no": r.values.get("document_no")}
               for r in found.records.values() if r.type in STEP_CHANGES]
    writer = session.principal.role in WRITERS
    appointed = case_reads.appointments(runtime, case_id, concluded_for_appointment(found)) if writer else {}
    return render(request, "case.html", {
        "case": found, "case_id": case_id, "steps": shown, "checklist": checklist, "checks": CHECKS,
        "names": names, "changes": changes, "nav": "cases",
        "unit_name": unit_name, "post_title": post_title,
        "closed": case_reads.is_closed(found), "recorded": request.query_params.get("recorded"),
        "offers": next_steps(found, names, appointed) if writer else [],
        "appointed": [(str(c), names.get(str(c), str(c)), e) for c, e in appointed.items()],
        "step_types": list(CASE_STEPS.items()), "writer": writer})
