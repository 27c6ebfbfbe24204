"""The working-day calendar 节假日安排 (DOMAIN.md §6.4; API.md v1.1).

Everyone signed in reads it; an ``admin``, or an ``hr`` user with the permission
``can_publish_calendar``, records a year's schedule the day the State Council's notice appears,
and corrects it like any entry. The route refuses anyone else (403) before reading the body, and
the domain command checks the permission again.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path

from api.auth import require
from api.deps import CurrentUser, ReadModelsDep, RequestId, RuntimeDep
from api.routes._common import WRITE_RESPONSES, payload
from api.schemas.calendar import (
    Calendar,
    CalendarCorrectionRequest,
    CalendarWriteResult,
    CalendarYearDetail,
    CalendarYearRequest,
)
from api.schemas.common import write_result
from domain.calendar_year import FIRST_YEAR, LAST_YEAR, missing_years, warn_from
from domain.errors import NotFoundError, PermissionDeniedError
from domain.users import Principal
from service.commands import PublishCalendar

router = APIRouter(prefix="/api/v1/calendar", tags=["calendar 节假日安排"])
YearPath = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR, description="公历年份")]


async def publisher(principal: Annotated[Principal, Depends(require("admin", "hr"))]) -> Principal:
    """An admin, or an hr user with ``can_publish_calendar`` (403 before the body is read); the domain
    command checks the same again (``domain/calendar_year.py: may_publish``)."""
    if not principal.may_publish_calendar:
        raise PermissionDeniedError("无记录节假日安排的权限 (this user may not record the working-day calendar: "
                                    "an admin, or an hr user with can_publish_calendar)")
    return principal


Publisher = Annotated[Principal, Depends(publisher)]
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=200,
    description="同一键同一请求只记一次 (the same key and body is recorded once; another body → 409)")]
WRITE: dict[str, Any] = {"status_code": 201, "response_model": CalendarWriteResult, "response_model_exclude_none": True,
                         "responses": WRITE_RESPONSES}


def _key(user: Principal, key: str | None) -> str | None:
    return f"{user.name}:{key}" if key else None


@router.get("", response_model=Calendar)
def calendar(user: CurrentUser, runtime: RuntimeDep, reads: ReadModelsDep) -> dict[str, Any]:
    """节假日安排: every year known — built in (`chinese-calendar`) or recorded (version, 文号, when,
    by whom) — and `missing`: the years a publicity cannot be counted in although it is due."""
    years = reads.calendar_years()
    today = runtime.app.today()
    known = {y["year"] for y in years}
    return {"today": today, "years": years,
            "missing": missing_years(today, warn_from(runtime.app.config), known.__contains__)}


@router.get("/years/{year}", response_model=CalendarYearDetail)
def calendar_year(year: YearPath, user: CurrentUser, reads: ReadModelsDep) -> dict[str, Any]:
    """One year's holidays and 调休 working days as known now, with every recorded version; 404 if the
    year is not known (then no publicity in it can be counted)."""
    found: dict[str, Any] | None = reads.calendar_year(year)
    if found is None:
        raise NotFoundError(f"{year}年的节假日安排尚未记录 (no schedule is known for {year})")
    return found


@router.post("/years", **WRITE)
def publish(body: CalendarYearRequest, user: Publisher, runtime: RuntimeDep, rid: RequestId,
            idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """记录节假日安排: a year's holidays, 调休 working days, the notice's 文号 and date (admin, or hr with
    `can_publish_calendar`). A year is published once (409 after): correct it instead. A recorded year
    replaces the built-in one; publicities already judged are not rewritten — those it would judge
    differently become R-CALENDAR-CHANGED findings."""
    command = PublishCalendar(payload(body), idempotency_key=_key(user, idempotency_key))
    return write_result(runtime.execute(command, user.provenance(rid)))


@router.post("/years/{year}/corrections", **WRITE)
def correct(year: YearPath, body: CalendarCorrectionRequest, user: Publisher, runtime: RuntimeDep, rid: RequestId,
            idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """更正节假日安排: the whole corrected schedule of a recorded year, with `reason` (and `document_no`);
    a new version. 404 if the year was never recorded."""
    command = PublishCalendar({**payload(body), "year": year}, correct=True,
                              idempotency_key=_key(user, idempotency_key))
    return write_result(runtime.execute(command, user.provenance(rid)))
