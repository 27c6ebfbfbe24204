"""Whether the working-day calendar knows the years it should by now (DOMAIN.md §6.4): for the notice
hr and admin see on their home pages, `jishi config show` and `jishi calendar list`."""

from __future__ import annotations

from domain.calendar_year import missing_years, warn_from
from service.application import Jishi


def missing(app: Jishi) -> list[int]:
    """The years whose schedule is due but not known (this year; next year from calendar.warn_from)."""
    return missing_years(app.today(), warn_from(app.config), lambda year: app.calendar_year(year) is not None)


def notice_lines(app: Jishi) -> list[str]:
    """What `jishi config show` says of the calendar: this year's and next year's schedule, or that one is
    missing and what follows from it."""
    today = app.today()
    lines = []
    for year in (today.year, today.year + 1):
        known = app.calendar_year(year)
        if known is not None:
            lines.append(f"{year} 年节假日安排：{known.label} ({year}: {known.source})")
    for year in missing(app):
        lines.append(f"{year} 年节假日安排尚未记录：含 {year} 年日期的任前公示无法计算工作日，将被拒绝（R-PUBLICITY），"
                     f"绝不按周一至周五计算；请在国务院办公厅通知发布后执行 jishi calendar publish {year} --file …"
                     f" (the {year} schedule is not recorded: publicities with a day in {year} are refused, never "
                     f"counted Monday-Friday; record it as soon as the notice appears)")
    return lines


NOTICE_ROLES = ("hr", "admin")  # who is told on their home page that a year's schedule is missing


def notice_context(app: Jishi, role: str) -> dict[str, object]:
    """The template variables of the notice (``_calendar_notice.html``): the missing years, for hr and admin."""
    return {"calendar_missing": missing(app) if role in NOTICE_ROLES else [],
            "publicity_days": app.config.int("selection.publicity_working_days")}
