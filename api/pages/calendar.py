"""节假日安排: the working-day calendar page — every year known and where it came from, one year's dates
and versions, and for an admin or a permitted hr user the forms to record and to correct a year."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from api.calendar_notice import missing
from api.pages import forms
from api.pages.render import SignedIn, html_errors, redirect, render, start_timer
from api.pages.session import PageForbiddenError, PageNotFoundError, Session
from api.pages.submit import execute, expired, idempotency_key, runtime_of, submitted
from api.problems import classify
from domain.calendar_year import FIRST_YEAR, LAST_YEAR, CalendarCorrected, CalendarPublished
from domain.errors import JishiError
from domain.workdays import BUILT_IN
from service.commands import PublishCalendar

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])


def _year(request: Request) -> int:
    """The year of the path; anything else is simply not found (the HTML 404, not the API's JSON 422)."""
    text = str(request.path_params.get("year", ""))
    if not (text.isdigit() and len(text) == 4):
        raise PageNotFoundError(f"没有这一年的节假日安排 (no such year): {text[:16]}")
    return int(text)


Year = Annotated[int, Depends(_year)]
PUBLISH_SKIP = ("effective_on", "document_no", "reason")
CORRECT_SKIP = ("effective_on", "year")
LABELS = {"year": "年份", "holidays": "放假日", "workdays": "调休上班日", "notice_no": "通知文号",
          "notice_date": "通知发布日期", "reason": "更正理由", "document_no": "更正依据文号"}
HINTS = {"holidays": "每行一个日期（YYYY-MM-DD），也可用逗号或顿号分隔；放假期间的周末可一并列出",
         "workdays": "调休上班的周六、周日，每行一个日期；没有可不填",
         "notice_no": "如 国办发明电〔××××〕×号",
         "year": "该安排适用的年份；已有内置安排的年份，记录后以记录为准"}
SEPARATORS = str.maketrans({",": "\n", "，": "\n", "、": "\n", "；": "\n", ";": "\n", " ": "\n", "\t": "\n",
                            "\r": "\n", "\u3000": "\n"})
WEEKDAYS = "一二三四五六日"
ORDER = ("year", "notice_no", "notice_date", "holidays", "workdays", "reason", "document_no")



def _may_publish(session: Session) -> None:
    if not session.principal.may_publish_calendar:
        raise PageForbiddenError("只有系统管理员或经授权的干部工作人员可以记录节假日安排 "
                                 "(only an admin or an hr user with can_publish_calendar)")


def _fields(event_class: type, values: Any, errors: dict[str, list[str]], skip: tuple[str, ...]
            ) -> list[forms.Field]:
    fields = forms.fields_of(event_class, values, errors, skip=skip)
    for field in fields:
        field.label = LABELS.get(field.name, field.label)
        field.hint = HINTS.get(field.name, field.hint)
    return sorted(fields, key=lambda f: ORDER.index(f.name))


def _dates(text: str) -> list[str]:
    return [part.strip() for part in text.translate(SEPARATORS).split("\n") if part.strip()]


def _payload(form: FormData, names: tuple[str, ...]) -> dict[str, Any]:
    """The form as the command's payload: dates split on new lines, commas or 、; empty inputs left out."""
    payload: dict[str, Any] = {}
    for name in names:
        text = str(form.get(name) or "").strip()
        if name in ("holidays", "workdays"):
            payload[name] = _dates(text)
        elif name == "year":
            if text:
                payload[name] = int(text) if text.isdigit() and len(text) <= 6 else text
        elif text:
            payload[name] = text
    return payload



def _shown(schedule: dict[str, Any]) -> dict[str, str]:
    """A year's dates as the correction form shows them (one per line)."""
    return {"holidays": "\n".join(d.isoformat() for d in schedule["holidays"]),
            "workdays": "\n".join(d.isoformat() for d in schedule["workdays"]),
            "notice_no": schedule["notice_no"] or "",
            "notice_date": schedule["notice_date"].isoformat() if schedule["notice_date"] else ""}


@router.get("/calendar")
@html_errors
def calendar(request: Request, session: SignedIn) -> Response:
    """节假日安排: every year known, with its source and 文号; the form to record a year."""
    return _calendar_page(request, session, {}, None)


def _calendar_page(request: Request, session: Session, values: Any, refusal: forms.Refusal | None, *,
                   status: int = 200, form_key: str | None = None) -> Response:
    runtime = runtime_of(request)
    years = sorted(runtime.read_models.calendar_years(), key=lambda y: -y["year"])
    may = session.principal.may_publish_calendar
    fields = _fields(CalendarPublished, values, refusal.fields if refusal else {}, PUBLISH_SKIP) if may else []
    return render(request, "calendar.html", {
        "nav": "calendar", "years": years, "calendar_missing": missing(runtime.app), "may_publish": may,
        "fields": fields, "publicity_days": runtime.app.config.int("selection.publicity_working_days"),
        "refusal": refusal, "form_key": form_key or secrets.token_urlsafe(16), "built_in": BUILT_IN.years,
    }, status=status)


@router.post("/calendar")
@html_errors
async def publish(request: Request, session: SignedIn) -> Response:
    """Record a year through ``Jishi.publish_calendar``; a refusal shows the form again, each message at its field."""
    _may_publish(session)
    form = await submitted(request, session)
    if form is None:
        return expired(request)
    payload = _payload(form, ("year", "holidays", "workdays", "notice_no", "notice_date"))
    try:
        command = PublishCalendar(payload, idempotency_key=idempotency_key(session, form))
        result = await execute(request, session, command)
    except JishiError as error:
        refusal = forms.refusal(error, [*payload, "year", "notice_no", "notice_date"])
        return await run_in_threadpool(_calendar_page, request, session, form, refusal,
                                       status=(classify(error) or (422,))[0], form_key=str(form.get("form_key") or ""))
    return redirect(f"/calendar/{result.extra['year']}?recorded=1")


@router.get("/calendar/{year}")
@html_errors
def calendar_year(request: Request, session: SignedIn, year: Year) -> Response:
    """One year: its holidays and 调休 days with weekdays, every recorded version, the correction form."""
    return _year_page(request, session, year, None, None)


def _year_page(request: Request, session: Session, year: int, values: Any, refusal: forms.Refusal | None, *,
               status: int = 200, form_key: str | None = None) -> Response:
    runtime = runtime_of(request)
    found = runtime.read_models.calendar_year(year) if FIRST_YEAR <= year <= LAST_YEAR else None
    if found is None:
        raise PageNotFoundError(f"{year}年的节假日安排尚未记录 (no schedule is known for {year})")
    may = session.principal.may_publish_calendar and found["source"] == "recorded"
    fields = _fields(CalendarCorrected, values if values is not None else _shown(found),
                     refusal.fields if refusal else {}, CORRECT_SKIP) if may else []
    return render(request, "calendar_year.html", {
        "nav": "calendar", "y": found, "may_correct": may, "fields": fields, "refusal": refusal,
        "form_key": form_key or secrets.token_urlsafe(16), "recorded": request.query_params.get("recorded"),
        "weekday": lambda day: WEEKDAYS[day.weekday()], "may_publish": session.principal.may_publish_calendar,
    }, status=status)


@router.post("/calendar/{year}/corrections")
@html_errors
async def correct(request: Request, session: SignedIn, year: Year) -> Response:
    """Correct a recorded year (a new version); a refusal shows the form again, each message at its field."""
    _may_publish(session)
    form = await submitted(request, session)
    if form is None:
        return expired(request)
    payload = {**_payload(form, ("holidays", "workdays", "notice_no", "notice_date", "reason", "document_no")),
               "year": year}
    try:
        command = PublishCalendar(payload, correct=True, idempotency_key=idempotency_key(session, form))
        await execute(request, session, command)
    except JishiError as error:
        refusal = forms.refusal(error, ["holidays", "workdays", "notice_no", "notice_date", "reason", "document_no"])
        return await run_in_threadpool(_year_page, request, session, year, form, refusal,
                                       status=(classify(error) or (422,))[0], form_key=str(form.get("form_key") or ""))
    return redirect(f"/calendar/{year}?recorded=1")
