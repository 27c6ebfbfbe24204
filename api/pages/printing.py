"""Printable pages: the 干部任免审批表 (with its .lrmx and PDF) and the printed 成长纪实 (with its PDF).

The print pages are self-contained A4 HTML (inline styles, no scripts, no fetches), so the same HTML is
what a person prints from the browser and what chromium turns into the PDF. Their running header and
page numbers are CSS ``@page`` margin boxes.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response

from api import printing
from api.auth import request_id
from api.pages import growth
from api.pages.names import Names
from api.pages.render import TEMPLATES, Reader, html_errors, path_id, start_timer
from api.pages.session import Session
from api.pages.units import When, when
from domain.errors import FieldError, ValidationError
from domain.users import Principal
from jishi.bootstrap import Runtime
from service.lrmx import age_on, dotted, to_xml

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
CadreId = Annotated[UUID, Depends(path_id("cadre_id", "干部不存在 (no such cadre)"))]
LRMX_TYPE = "application/xml; charset=utf-8"
ENGLISH_HALF = re.compile(r"\s*\((?=[A-Za-z]).*$")


def chinese(text: str) -> str:
    """``中文 (English)`` → ``中文`` (pages speak Chinese)."""
    return ENGLISH_HALF.sub("", text)


def css_string(text: str) -> Markup:
    """Text safe inside a CSS string in a ``<style>`` element (quotes, backslashes and tags escaped)."""
    out = "".join(f"\\{ord(c):X} " if c in '"\\<>&' or ord(c) < 32 else c for c in text)
    return Markup(out)


def _case_id(request: Request) -> UUID | None:
    raw = request.query_params.get("case_id", "").strip()
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise ValidationError([FieldError("case_id", "选任纪实编号无效 (case_id is not a uuid)")]) from None


def _check(at: When) -> None:
    if at.errors:
        raise ValidationError([FieldError(k, v) for k, v in at.errors.items()])


def _query(at: When, case_id: UUID | None = None) -> str:
    q = {k: v for k, v in at.raw.items() if v} | ({"case_id": str(case_id)} if case_id else {})
    return f"?{urlencode(q)}" if q else ""


def _local_now(runtime: Runtime) -> str:
    tz = ZoneInfo(str(runtime.app.config.get("general.timezone") or "Asia/Shanghai"))
    return datetime.now(UTC).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _known(known_at: datetime | None) -> str:
    return known_at.strftime("%Y-%m-%d %H:%M:%S %Z").strip() if known_at else ""


def _made_on(text: str) -> str:
    return f"{text[:4]}.{text[4:6]}.{text[6:]}" if len(text) == 8 else text


def appointment_html(found: dict[str, Any], person: dict[str, str], as_of: date, known_at: datetime | None,
                     toolbar: str = "") -> str:
    """The 干部任免审批表 page (two A4 pages)."""
    birth = found["profile"].get("birth_date")
    age = age_on(date.fromisoformat(birth), as_of) if birth else None
    party = person["RuDangShiJian"]
    heading = f"干部任免审批表 · {person['XingMing']}"
    return TEMPLATES.env.get_template("print/appointment_form.html").render(
        p=person, birth=dotted(birth), age=age, party=f"{party[:4]}.{party[4:]}" if party.isdigit() else party,
        work=dotted(found["profile"].get("work_started_on")), as_of=as_of.isoformat(), known_at=_known(known_at),
        made_on=_made_on(person["TianBiaoShiJian"]), age_on=dotted(as_of), toolbar=Markup(toolbar),
        css={"top_left": css_string(heading), "top_right": css_string(f"截至 {as_of.isoformat()}"),
             "bottom_left": css_string(f"填表人 {person['TianBiaoRen']}")})


def growth_print_html(runtime: Runtime, user: Principal, found: dict[str, Any], as_of: date,
                      known_at: datetime | None) -> str:
    """The printed 成长纪实: a header on every page (unit, as_of/known_at, who printed it and when)."""
    units = printing.unit_names(runtime, found, as_of)
    current = [p for p in found["posts"] if p.get("current")] or found["posts"][-1:]
    unit = "、".join(dict.fromkeys(units.get(p["unit_code"], p["unit_code"]) for p in current))
    printed_at = _local_now(runtime)
    known = _known(known_at)
    findings = [{**f, "title_zh": chinese(str(f.get("rule_title") or ""))} for f in found["findings"]]
    name = found["profile"].get("name", "")
    names = growth.names_for(found, Names(runtime.read_models.engine, as_of))  # 单位、职位 by name, not code
    return TEMPLATES.env.get_template("print/growth_file.html").render(
        gf={**found, "findings": findings}, p=found["profile"], units=units, unit=unit, as_of=as_of.isoformat(),
        known_at=known, printed_by=user.name, printed_at=printed_at, toolbar="",
        groups=growth.timeline_groups(found["timeline"], names), chart=growth.chart_data(found, as_of),
        css={"top_left": css_string(f"{name} 干部成长纪实 · {unit or '未任职'}"),
             "top_right": css_string(f"截至 {as_of.isoformat()}" + (f" · 所知截至 {known}" if known else "")),
             "bottom_left": css_string(f"打印：{user.name} {printed_at}")})


def _toolbar(cadre_id: UUID, query: str) -> str:
    base = f"/cadres/{cadre_id}/appointment-form"
    links = ((f"{base}.lrmx{query}", "下载任免审批表文件（.lrmx）"), (f"{base}.pdf{query}", "下载PDF"),
             (f"/cadres/{cadre_id}{query}", "返回成长档案"))
    return "".join(f'<a href="{escape(href)}">{escape(text)}</a>' for href, text in links)


def _form(request: Request, session: Session, cadre_id: UUID) -> tuple[When, dict[str, Any], dict[str, str],
                                                                         UUID | None]:
    at = when(request)
    _check(at)
    case_id = _case_id(request)
    found, person = printing.appointment_form(request.app.state.runtime, session.principal, request_id(request),
                                              cadre_id, at.as_of, at.known_at, case_id)
    return at, found, person, case_id


@router.get("/cadres/{cadre_id}/appointment-form")
@html_errors
def appointment_form(request: Request, session: Reader, cadre_id: CadreId) -> Response:
    """干部任免审批表 as a printable page, with links to its .lrmx and PDF."""
    at, found, person, case_id = _form(request, session, cadre_id)
    html = appointment_html(found, person, at.as_of, at.known_at, _toolbar(cadre_id, _query(at, case_id)))
    return HTMLResponse(html)


@router.get("/cadres/{cadre_id}/appointment-form.lrmx")
@html_errors
def appointment_form_lrmx(request: Request, session: Reader, cadre_id: CadreId) -> Response:
    """The same form as an .lrmx file."""
    _, _, person, _ = _form(request, session, cadre_id)
    name = printing.file_name(person, cadre_id, "lrmx")
    return Response(to_xml(person), media_type=LRMX_TYPE, headers={"Content-Disposition": printing.attachment(name)})


@router.get("/cadres/{cadre_id}/appointment-form.pdf")
@html_errors
async def appointment_form_pdf(request: Request, session: Reader, cadre_id: CadreId) -> Response:
    """The same form as a PDF (chromium prints the page; off the event loop)."""
    at, found, person, _ = await run_in_threadpool(_form, request, session, cadre_id)
    pdf = await run_in_threadpool(printing.html_to_pdf, appointment_html(found, person, at.as_of, at.known_at))
    name = printing.file_name(person, cadre_id, "pdf")
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": printing.attachment(name)})


def _printed(request: Request, session: Session, cadre_id: UUID) -> str:
    at = when(request)
    _check(at)
    runtime = request.app.state.runtime
    found = printing.growth_file(runtime, session.principal, request_id(request), cadre_id, at.as_of, at.known_at)
    return growth_print_html(runtime, session.principal, found, at.as_of, at.known_at)


@router.get("/cadres/{cadre_id}/print")
@html_errors
def printed_growth_file(request: Request, session: Reader, cadre_id: CadreId) -> Response:
    """成长纪实（打印版）: no buttons; the browser's print gives the same pages as the PDF."""
    return HTMLResponse(_printed(request, session, cadre_id))


@router.get("/cadres/{cadre_id}/print.pdf")
@html_errors
async def printed_growth_file_pdf(request: Request, session: Reader, cadre_id: CadreId) -> Response:
    html = await run_in_threadpool(_printed, request, session, cadre_id)
    pdf = await run_in_threadpool(printing.html_to_pdf, html)
    name = f"成长纪实-{cadre_id}.pdf"
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": printing.attachment(name)})
