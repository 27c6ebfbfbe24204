"""Bodies of the working-day calendar routes (API.md v1.1: ``GET /api/v1/calendar``,
``POST /api/v1/calendar/years``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import WriteResult
from domain.calendar_year import FIRST_YEAR, LAST_YEAR, MAX_HOLIDAYS, MAX_WORKDAYS

Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR, description="公历年份")]
NoticeNo = Annotated[str, Field(min_length=1, max_length=100, description="通知文号，如 国办发明电〔2026〕N号")]


class Schedule(BaseModel):
    """A year's holidays and 调休 working days as the State Council's notice gives them."""

    model_config = ConfigDict(extra="forbid")
    holidays: Annotated[list[date], Field(min_length=1, max_length=MAX_HOLIDAYS, description=(
        "放假日：every day off of the year's holidays (weekend days inside a holiday may be listed)"))]
    workdays: Annotated[list[date], Field(max_length=MAX_WORKDAYS, description=(
        "调休上班日：Saturdays and Sundays worked in lieu"))] = []
    notice_no: NoticeNo
    notice_date: Annotated[date, Field(description="通知发布日期 (not after today)")]


class CalendarYearRequest(Schedule):
    """记录节假日安排: a year's schedule, recorded once (a mistake is corrected, not re-published)."""

    year: Year


class CalendarCorrectionRequest(Schedule):
    """更正节假日安排: the whole corrected schedule, why, and the document it rests on."""

    reason: Annotated[str, Field(min_length=1, max_length=500, description="更正理由")]
    document_no: Annotated[str | None, Field(max_length=100, description="更正依据的文号")] = None


class CalendarWriteResult(WriteResult):
    """201 of a calendar write: the event, its stream (one per year) and version (= the schedule's version)."""

    year: int


Source = Literal["built-in", "recorded"]


class CalendarYearSummary(BaseModel):
    """One year known: built in (``chinese-calendar``) or recorded (its latest version, 文号, when, by whom)."""

    year: int
    source: Source
    package: str | None = Field(None, description="built-in: the package and release it comes from")
    version: int | None = Field(None, description="recorded: 1 = as published, +1 per correction")
    notice_no: str | None = None
    notice_date: date | None = None
    recorded_at: datetime | None = None
    recorded_by: str | None = None
    holidays: int = Field(description="number of holiday dates")
    workdays: int = Field(description="number of 调休 working days")
    fingerprint: str = Field(description="digest of the schedule, as stored with each publicity counted by it")
    replaces_built_in: bool = False


class Calendar(BaseModel):
    """节假日安排: every year known, and the years that should be known by now but are not."""

    today: date
    years: list[CalendarYearSummary]
    missing: list[int] = Field(description=(
        "this year if unknown, and next year from `calendar.warn_from` (default 11-01) while unknown: "
        "a publicity with a day in such a year is refused (R-PUBLICITY), never counted Monday–Friday"))


class CalendarVersion(BaseModel):
    version: int
    kind: Literal["published", "corrected"]
    entry_id: str
    notice_no: str
    notice_date: date
    recorded_at: datetime
    recorded_by: str
    reason: str | None = None
    document_no: str | None = None
    holidays: int
    workdays: int
    fingerprint: str


class CalendarYearDetail(BaseModel):
    """One year's schedule as known now, with its dates and every recorded version."""

    year: int
    source: Source
    package: str | None = None
    version: int | None = None
    notice_no: str | None = None
    notice_date: date | None = None
    recorded_at: datetime | None = None
    recorded_by: str | None = None
    holidays: list[date]
    workdays: list[date]
    fingerprint: str
    replaces_built_in: bool = False
    versions: list[CalendarVersion] = Field(default_factory=list)
