"""The pages' Excel downloads (下载 Excel): the roster as 干部名册, search results, findings, the audit
trail and a unit subtree's 队伍结构, each read exactly as its page reads it (``api/pages/reads.py``: the
signed-in user's scope and masking) and written by the same sheets as the API's ``format=xlsx``
(``api/exports.py``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import Response

from api import exports
from api.pages import audit, cadres, reads, structure
from api.pages.render import Reader, html_errors, parse_day, redirect, start_timer
from api.pages.submit import runtime_of
from api.pages.units import when
from domain.rules.catalog import RULES

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
UnitCode = Annotated[str, Path(min_length=1, max_length=32)]
FINDING_STATUSES = ("open", "resolved", "overridden")
FINDINGS_LIMIT = 5000


def _back(path: str, request: Request) -> Response:
    """Input the page would refuse: back to the page, which shows the refusal at its field."""
    query = request.url.query
    return redirect(f"{path}?{query}" if query else path)


@router.get("/units/{unit_code}/roster.xlsx")
@html_errors
def roster(request: Request, session: Reader, unit_code: UnitCode) -> Response:
    """干部名册 of the unit on ``as_of`` as known at ``known_at`` (the roster page's two times)."""
    at = when(request)
    if at.errors:
        return _back(f"/units/{unit_code}/roster", request)
    found = reads.roster(runtime_of(request), session.principal, request, unit_code, at.as_of, at.known_at)
    return exports.roster_xlsx(found)


@router.get("/cadres.xlsx")
@html_errors
def search(request: Request, session: Reader) -> Response:
    """The search's results (up to ``EXPORT_LIMIT``, from the first), masked as on the page."""
    at = when(request)
    form = cadres.search_form(request, {k: v for k, v in at.errors.items() if k != "known_at"}, session.principal)
    if form.errors or not form.searched:
        return _back("/cadres", request)
    page = reads.search(runtime_of(request), session.principal, as_of=at.as_of, limit=cadres.EXPORT_LIMIT,
                        cursor=None, **form.filters)
    return exports.search_xlsx(page)


@router.get("/findings.xlsx")
@html_errors
def findings(request: Request, session: Reader) -> Response:
    """监督发现 with the findings page's filters (status open unless the query says otherwise)."""
    runtime = runtime_of(request)
    raw = {k: (request.query_params.get(k) or "").strip()[:64] for k in ("rule", "unit", "status", "due_before")}
    if "status" not in request.query_params:
        raw["status"] = "open"
    try:
        due_before = parse_day(raw["due_before"])
    except ValueError:
        return _back("/findings", request)
    if (raw["rule"] and raw["rule"] not in RULES) or (raw["status"] and raw["status"] not in FINDING_STATUSES):
        return _back("/findings", request)
    today = runtime.app.today()
    items = reads.findings(runtime, session.principal, as_of=today, rule=raw["rule"] or None,
                           unit=raw["unit"] or None, status=raw["status"] or None, due_before=due_before,
                           limit=FINDINGS_LIMIT)
    items.sort(key=lambda i: (i["due_on"] is None, i["due_on"] or "", i["rule"], i["trigger_on"]))
    names = reads.cadre_names(runtime, session.principal, {i["cadre_id"] for i in items if i["cadre_id"]}, today)
    return exports.findings_xlsx({"as_of": today, "known_at": None, "items": items}, names)


@router.get("/audit.xlsx")
@html_errors
def audit_trail(request: Request, session: Reader) -> Response:
    """审计轨迹 with the audit page's filters (one page of the trail, as the page shows it)."""
    runtime = runtime_of(request)
    raw, errors, parsed = audit._filters(request)
    primary = None if errors else audit._primary(raw, parsed)
    if primary is None:
        return _back("/audit", request)
    kind, key = primary
    items, _ = audit.trail_page(runtime, session.principal, primary, raw, parsed)
    return exports.audit_xlsx(items, kind, key, made_on=runtime.app.today().isoformat())


@router.get("/units/{unit_code}/structure.xlsx")
@html_errors
def structure_counts(request: Request, session: Reader, unit_code: UnitCode) -> Response:
    """队伍结构 of the unit and every unit below it on ``as_of`` as known at ``known_at`` (the structure page's
    two times and its counts); a unit out of the user's scope does not exist for them."""
    at = when(request)
    if at.errors:
        return _back(f"/units/{unit_code}/structure", request)
    runtime = runtime_of(request)
    unit = structure._unit(runtime, session.principal, unit_code, at)
    found = runtime.read_models.structure(unit_code, at.as_of, scope=session.principal.scopes, known_at=at.known_at)
    return exports.structure_xlsx(found, unit["name"], known_at=at.known_at)
