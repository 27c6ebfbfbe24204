"""干部: search, the growth file (成长档案), and the forms HR records entries with."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.auth import id_number_search_refused
from api.pages import choices, forms, growth, reads
from api.pages.labels import CATEGORIES
from api.pages.names import Names
from api.pages.render import Reader, Writer, html_errors, path_id, redirect, render, start_timer, status_of
from api.pages.session import Session
from api.pages.submit import execute, expired, idempotency_key, override_reason, runtime_of, submitted
from api.pages.units import flatten, when
from api.problems import classify
from api.routes.cadres import _check_cursor
from domain.cadre import Cadre
from domain.cadre_entries import ENTRY_TYPES, RECORDABLE_TYPES, CadreRegistered
from domain.codes import CODE_TABLES
from domain.entry_values import Pool, Rank
from domain.errors import JishiError, NotFoundError
from domain.schema import field_specs
from domain.users import Principal
from jishi.bootstrap import Runtime
from service.commands import RecordEntry, RegisterCadre

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
CadreId = Annotated[UUID, Depends(path_id("cadre_id", "干部不存在 (no such cadre)"))]
EntryId = Annotated[UUID, Depends(path_id("entry_id", "记录不存在 (no such entry)"))]
POOLS: tuple[str, ...] = Pool.__args__  # type: ignore[attr-defined]
RANKS: tuple[str, ...] = Rank.__args__  # type: ignore[attr-defined]
PAGE_SIZE = 50
EXPORT_LIMIT = 1000  # the rows of a search's Excel download (the API's largest page)



# ——— search 干部查询 ———

@dataclass
class SearchForm:
    """The search page's query: the raw fields, any input errors, and the filters as the read takes them."""

    q: dict[str, str]
    errors: dict[str, str]
    filters: dict[str, Any]
    searched: bool


def search_form(request: Request, errors: dict[str, str], user: Principal) -> SearchForm:
    q = {k: (request.query_params.get(k) or "").strip() for k in
         ("q", "unit", "pool", "grade", "rank", "max_age", "education", "cursor")}
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
    refused = id_number_search_refused(user, q["q"] or None)
    if refused is not None:
        errors["q"] = refused
    searched = any(q[k] for k in ("q", "unit", "pool", "grade", "rank", "max_age", "education"))
    filters = {"unit": q["unit"] or None, "pool": q["pool"] or None, "grade": q["grade"] or None,
               "rank": q["rank"] or None, "max_age": max_age, "education": q["education"] or None,
               "q": q["q"] or None}
    return SearchForm(q, errors, filters, searched)


@router.get("/search")
def search_alias(request: Request) -> Response:
    """``/search`` is the search page's other name (``/cadres``, with the same query)."""
    query = request.url.query
    return redirect(f"/cadres?{query}" if query else "/cadres")


@router.get("/cadres")
@html_errors
def search(request: Request, session: Reader) -> Response:
    """干部查询: by name (汉字, 全拼, 首字母), 干部编号, 公民身份号码, unit, pool, grade, rank, age and education;
    each found with 现任单位及职务."""
    runtime = runtime_of(request)
    at = when(request)
    form = search_form(request, {k: v for k, v in at.errors.items() if k != "known_at"},  # no known_at here
                       session.principal)
    page: dict[str, Any] = {"items": [], "next_cursor": None}
    if form.searched and not form.errors:
        _check_cursor(form.q["cursor"] or None)
        page = reads.search(runtime, session.principal, as_of=at.as_of, limit=PAGE_SIZE,
                            cursor=form.q["cursor"] or None, **form.filters)
    units = flatten(reads.unit_tree(runtime, session.principal, at.as_of, None))
    return render(request, "search.html", {
        "nav": "cadres", "q": form.q, "at": at, "errors": form.errors, "page": page, "searched": form.searched,
        "units": units, "pools": POOLS, "ranks": RANKS, "grades": CODE_TABLES["grade"].entries,
        "educations": CODE_TABLES["education"].entries, "export_limit": EXPORT_LIMIT},
        status=status_of(form.errors))


REGISTRATION_INTRO = "建立干部的成长纪实。公民身份号码须与出生日期一致。"  # 必填 is said under it


@router.get("/cadres/new")
@html_errors
def new_cadre(request: Request, session: Writer) -> Response:
    """录用/建档: the registration form."""
    fields = forms.fields_of(CadreRegistered, {})
    return render(request, "entry_form.html", form_context(
        session, title="录用/建档", action="/cadres/new", entry_type="CadreRegistered", fields=fields,
        cancel="/cadres", intro=REGISTRATION_INTRO) | {"nav": "register"})


@router.post("/cadres/new")
@html_errors
async def register_cadre(request: Request, session: Writer) -> Response:
    """Open the cadre's record through the ``RegisterCadre`` command; refusals (e.g. R-ID) shown at their fields."""
    form = await submitted(request, session)
    if form is None:
        return expired(request)
    payload = forms.payload_of(CadreRegistered, form)
    for name, value in choices.from_id_number(str(payload.get("id_number") or "")).items():
        payload.setdefault(name, value)  # 出生日期 and 性别 left empty: as the 公民身份号码 carries them
    try:
        command = RegisterCadre(payload, idempotency_key=idempotency_key(session, form))
        result = await execute(request, session, command)
    except JishiError as error:
        refusal = forms.refusal(error, [s.name for s in field_specs(CadreRegistered)])
        fields = forms.fields_of(CadreRegistered, form, refusal.fields)
        return render(request, "entry_form.html", form_context(
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
    runtime = runtime_of(request)
    at = when(request)
    found = reads.growth_file(runtime, session.principal, request, cadre_id, at.as_of, at.known_at)
    names = growth.names_for(found, Names(runtime.read_models.engine, at.as_of))
    groups = growth.timeline_groups(found["timeline"], names)
    mentor_names = reads.cadre_names(runtime, session.principal, {m["mentor_cadre_id"] for m in found["mentors"]},
                                     at.as_of)
    recorded = request.query_params.get("recorded")
    return render(request, "growth_file.html", {
        "gf": found, "at": at, "groups": groups, "chart": growth.chart_data(found, at.as_of),
        "mentor_names": mentor_names, "recorded": recorded, "naming": names,
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

def form_context(session: Session, *, title: str, action: str, entry_type: str, fields: list[forms.Field],
                  cancel: str, refusal: forms.Refusal | None = None, override_reason: str = "",
                  form_key: str | None = None, intro: str = "", cadre_name: str = "") -> dict[str, Any]:
    return {"title": title, "action": action, "entry_type": entry_type, "fields": fields, "cancel": cancel,
            "refusal": refusal, "override_reason": override_reason, "can_override": session.principal.can_override,
            "form_key": form_key or secrets.token_urlsafe(16), "intro": intro, "cadre_name": cadre_name}


def cadre_of(runtime: Runtime, cadre_id: UUID) -> Cadre:
    return runtime.app.get_cadre(cadre_id)


def writable(runtime: Runtime, session: Session, cadre_id: UUID) -> Cadre:
    """The cadre a form is for: out of the user's jurisdiction reads as "no such cadre" (as in the API)."""
    reads.may_write_for(runtime, session.principal, cadre_id)
    return cadre_of(runtime, cadre_id)


def entry_options(cadre: Cadre, runtime: Runtime, day: Any = None, exclude: UUID | None = None
                   ) -> dict[str, list[tuple[str, str]]]:
    items = [{"entry_id": str(e.entry_id), "effective_on": e.effective_on.isoformat() if e.effective_on else "",
              "type": e.type, "type_label": ENTRY_TYPES[e.type].LABEL, "retracted": False}
             for e in cadre.standing_entries()]
    held = forms.held_posts(cadre.standing_entries(), forms.day_of(day, runtime.app.today()),
                            lambda u, p: _post_name(runtime, u, p), exclude)  # 任…免…: ends_posts
    return {**growth.references(items, forms.REFERENCES), "ends_posts": held}


def _post_name(runtime: Runtime, unit_code: str, post_code: str) -> str:
    """单位名称 + 职位名称 (the unit's latest name), as the 任…免… choices show a post held."""
    names = runtime.app.get_unit(unit_code).names
    return f"{names[-1][1] if names else unit_code}{runtime.app.get_post(unit_code, post_code).title}"


def _unit_datalist(runtime: Runtime, session: Session) -> list[dict[str, Any]]:
    return flatten(reads.unit_tree(runtime, session.principal, runtime.app.today(), None))


def entry_fields(runtime: Runtime, session: Session, cadre: Cadre, entry_type: str, values: Any,
                 errors: dict[str, list[str]] | None = None, case_id: str | None = None) -> list[forms.Field]:
    """An entry form's fields: units, posts and selection cases chosen from lists of the user's
    jurisdiction on the entry's date, 任…免… from the posts the cadre holds, 原职级 prefilled; a new
    form (``values`` empty) starts from the choices' defaults (a preselected case's unit and post)."""
    cls = RECORDABLE_TYPES[entry_type]
    day = forms.day_of(values.get("effective_on"), runtime.app.today())
    chosen = choices.entry_choices(runtime, session.principal, cadre, entry_type,
                                   {s.name for s in field_specs(cls)}, day, case_id, current=values)
    references = {**entry_options(cadre, runtime, values.get("effective_on")), **chosen.references}
    fields = forms.fields_of(cls, values or chosen.defaults, errors, references=references,
                             grouped=chosen.grouped, datalists={"unit_code": "unit-codes", "host": "unit-codes"})
    choices.relabel(fields, chosen)
    return fields


@router.get("/cadres/{cadre_id}/entries/new")
@html_errors
def new_entry(request: Request, session: Writer, cadre_id: CadreId) -> Response:
    """记录: the form for one entry type (``?type=Assessed``), or the list of types to choose from."""
    runtime = runtime_of(request)
    cadre = writable(runtime, session, cadre_id)
    name = str(cadre.profile.get("name", ""))
    entry_type = request.query_params.get("type", "")
    cls = RECORDABLE_TYPES.get(entry_type)
    if cls is None:
        return render(request, "entry_types.html", {"cadre_id": cadre_id, "cadre_name": name,
                                                    "menu": _entry_type_menu()})
    fields = entry_fields(runtime, session, cadre, entry_type, {}, case_id=request.query_params.get("case_id"))
    return render(request, "entry_form.html", {
        **form_context(session, title=f"记录{cls.LABEL}", action=f"/cadres/{cadre_id}/entries", entry_type=entry_type,
                        fields=fields, cancel=f"/cadres/{cadre_id}", cadre_name=name),
        "units": _unit_datalist(runtime, session)})


@router.post("/cadres/{cadre_id}/entries")
@html_errors
async def record_entry(request: Request, session: Writer, cadre_id: CadreId) -> Response:
    """Record the entry (the ``RecordEntry`` command); a refusal shows the form again, each message at its field."""
    runtime = runtime_of(request)
    form = await submitted(request, session)
    if form is None:
        return expired(request)
    entry_type = str(form.get("type") or "")
    cls = RECORDABLE_TYPES.get(entry_type)
    if cls is None:
        raise forms.form_error("type", f"未知记录类型 (unknown entry type): {entry_type}")
    payload = forms.payload_of(cls, form)
    override = override_reason(session, form)
    if override:
        payload["override_reason"] = override
    try:
        command = RecordEntry(cadre_id, entry_type, payload, idempotency_key=idempotency_key(session, form))
        result = await execute(request, session, command)
    except JishiError as error:
        if isinstance(error, NotFoundError):
            raise
        cadre = await run_in_threadpool(cadre_of, runtime, cadre_id)
        refusal = forms.refusal(error, [s.name for s in field_specs(cls)])
        fields = await run_in_threadpool(entry_fields, runtime, session, cadre, entry_type, form, refusal.fields)
        status = (classify(error) or (422,))[0]
        return render(request, "entry_form.html", {
            **form_context(session, title=f"记录{cls.LABEL}", action=f"/cadres/{cadre_id}/entries",
                            entry_type=entry_type, fields=fields, cancel=f"/cadres/{cadre_id}", refusal=refusal,
                            override_reason=override, form_key=str(form.get("form_key") or "") or None,
                            cadre_name=str(cadre.profile.get("name", ""))),
            "units": await run_in_threadpool(_unit_datalist, runtime, session)}, status=status)
    return redirect(f"/cadres/{cadre_id}?recorded={result.entry_id}#entry-{result.entry_id}")
