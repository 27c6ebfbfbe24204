"""A SYNTHETIC holiday schedule for the tests — made up, NOT any real State Council notice.

The year is 2031, far from the years ``chinese-calendar`` knows (2004–2026) and from the real
2027 schedule, which the tests must not invent. Its "holiday" is Tuesday 4 – Thursday 6 March,
with Saturday 8 March worked instead (调休上班); the correction also makes Friday 7 March a holiday.

A publicity from Monday 3 to Tuesday 11 March 2031 then has 5 working days as published
(3, 7, 8, 10, 11) and 4 after the correction (3, 8, 10, 11); from Monday 3 to Monday 10 it has 4.
The tests run on an application clock in June 2031, so those dates are in the past.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.recorded import Provenance
from service.application import Jishi
from service.commands import OpenCase
from tests import factories as f

YEAR = 2031
NOTICE_NO = "虚构测试〔2030〕1号"  # synthetic
NOTICE_DATE = "2030-11-20"
HOLIDAYS = ["2031-03-04", "2031-03-05", "2031-03-06"]
WORKDAYS = ["2031-03-08"]
CORRECTED_HOLIDAYS = [*HOLIDAYS, "2031-03-07"]
START = date(2031, 3, 3)
FIVE_DAYS_END = date(2031, 3, 11)  # 5 working days as published, 4 after the correction
FOUR_DAYS_END = date(2031, 3, 10)  # 4 working days as published
NOW = datetime(2031, 6, 16, 2, 0, tzinfo=UTC)  # 10:00 in Beijing

ADMIN = Provenance("admin-wang", "admin", "req-cal")
CALENDAR_HR = Provenance("hr-li", "hr", "req-cal-hr", can_publish_calendar=True)


def clock() -> Callable[[], datetime]:
    return lambda: NOW


def payload(**extra: Any) -> dict[str, Any]:
    return {"year": YEAR, "holidays": list(HOLIDAYS), "workdays": list(WORKDAYS), "notice_no": NOTICE_NO,
            "notice_date": NOTICE_DATE, **extra}


def correction(**extra: Any) -> dict[str, Any]:
    return payload(holidays=list(CORRECTED_HOLIDAYS), reason="漏记3月7日放假（虚构） (7 March was left out)", **extra)


def case_ready_for_publicity(app: Jishi, decide_on: date = START - timedelta(days=3)) -> tuple[UUID, UUID]:
    """U1/P1, a cadre and a case decided on ``decide_on``: (cadre id, case id)."""
    f.organisation(app)
    cadre_id = f.registered(app)
    case_id = UUID(app.handle(OpenCase(f.case_payload((decide_on - timedelta(days=30)).isoformat())), f.HR)
                   .extra["case_id"])
    f.case_through_decision(app, case_id, cadre_id, decide_on)
    return cadre_id, case_id


def publicity(cadre_id: UUID, start: date = START, end: date = FIVE_DAYS_END, **extra: Any) -> dict[str, Any]:
    return {"cadre_id": str(cadre_id), "start_on": start.isoformat(), "end_on": end.isoformat(), "objections": 0,
            **extra}
