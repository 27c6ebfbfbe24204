"""单位 and 在职名册: the unit tree, and a unit's roster on a day as known at an instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import Response

from api.calendar_notice import notice_context
from api.pages import reads
from api.pages.render import Reader, html_errors, parse_day, parse_instant, render, start_timer, status_of
from jishi.bootstrap import Runtime

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
UnitCode = Annotated[str, Path(min_length=1, max_length=32)]


@dataclass
class When:
    """The two times of a page (DOMAIN.md §2) as given in its query, with any input errors."""

    as_of: date
    known_at: datetime | None
    raw: dict[str, str]
    errors: dict[str, str]


def when(request: Request) -> When:
    runtime: Runtime = request.app.state.runtime
    raw = {k: request.query_params.get(k, "") for k in ("as_of", "known_at")}
    errors: dict[str, str] = {}
    today = runtime.app.today()
    try:
        as_of = parse_day(raw["as_of"], today) or today
    except ValueError as e:
        as_of, errors["as_of"] = today, str(e)
    try:
        known_at = parse_instant(raw["known_at"], runtime.app.config.get("general.timezone"))
    except ValueError as e:
        known_at, errors["known_at"] = None, str(e)
    return When(as_of, known_at, raw, errors)


def flatten(forest: list[dict[str, Any]], depth: int = 0) -> list[dict[str, Any]]:
    out = []
    for node in forest:
        out.append({**node, "depth": depth})
        out.extend(flatten(node["children"], depth + 1))
    return out


@router.get("/units")
@html_errors
def units(request: Request, session: Reader) -> Response:
    """单位列表: the unit tree; each unit opens its roster."""
    runtime: Runtime = request.app.state.runtime
    at = when(request)
    tree = reads.unit_tree(runtime, session.principal, at.as_of, at.known_at)
    return render(request, "units.html", {"tree": tree, "at": at, "unit": None, "nav": "units",
                                          **notice_context(runtime.app, session.principal.role)},
                  status=status_of(at.errors))


@router.get("/units/{unit_code}/roster")
@html_errors
def roster(request: Request, session: Reader, unit_code: UnitCode) -> Response:
    """在职名册: posts, holders with since-dates, vacancies and secondments on ``as_of`` as known at ``known_at``."""
    runtime: Runtime = request.app.state.runtime
    at = when(request)
    tree = reads.unit_tree(runtime, session.principal, at.as_of, at.known_at)
    found = reads.roster(runtime, session.principal, request, unit_code, at.as_of, at.known_at)
    return render(request, "roster.html", {
        "tree": tree, "at": at, "roster": found, "unit": found["unit"], "nav": "units",
        "unit_names": {u["code"]: u["name"] for u in flatten(tree)},
        "holders_total": sum(len(p["holders"]) for p in found["posts"]),
        "vacancies_total": sum(p["vacancies"] for p in found["posts"])}, status=status_of(at.errors))
