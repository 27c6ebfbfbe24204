"""The calendar page and the notice over HTTP (both backends), and the form in Debian's chromium.

The application's clock is the tests' own (a settable clock), so the notice is checked on either
side of 1 November. Recorded years are SYNTHETIC (tests/synthetic_calendar.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from service.commands import PublishCalendar
from service.users import add_user
from tests import synthetic_calendar as syn
from tests.conftest import RuntimeFactory
from tests.e2e.test_web_reads import sign_in

NOTICE = 'data-testid="calendar-notice"'


class Clock:
    """The application's clock, set by each test (10:00 in Beijing on ``day``)."""

    def __init__(self) -> None:
        self.now = syn.NOW

    def on(self, day: date) -> None:
        self.now = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def runtime(make_runtime: RuntimeFactory, clock: Clock) -> Runtime:
    return make_runtime(clock=clock)


@pytest.fixture
def calendar_hr(runtime: Runtime) -> str:
    return add_user(runtime.app, "hr-cal", "hr", False, Provenance("setup", "admin", "s"), can_publish_calendar=True)


def page(client: Any, token: str, path: str) -> str:
    sign_in(client, token)
    response = client.get(path)
    assert response.status_code == 200, response.text
    text: str = response.text
    return text


def csrf(html: str) -> dict[str, str]:
    fields = dict(re.findall(r'name="(csrf_token|form_key)" value="([^"]+)"', html))
    assert "csrf_token" in fields
    return fields


@pytest.mark.parametrize(("day", "shown"), [(date(2026, 10, 31), False), (date(2026, 11, 1), True),
                                            (date(2026, 12, 31), True)])
def test_hr_and_admin_are_told_from_the_first_of_november_that_next_years_schedule_is_missing(
        client: Any, tokens: dict[str, str], clock: Clock, day: date, shown: bool) -> None:
    clock.on(day)
    admin_home = page(client, tokens["admin"], "/")
    hr_home = page(client, tokens["hr"], "/units")  # where / sends hr
    assert (NOTICE in admin_home, NOTICE in hr_home) == (shown, shown)
    if shown:
        assert "2027年" in hr_home and 'href="/calendar#publish"' in hr_home
        assert "规则“任前公示不少于5个工作日”拒绝" in hr_home  # the rule by its name
    assert NOTICE not in page(client, tokens["auditor"], "/units")  # the notice is for those who can act


def test_once_the_years_are_recorded_the_notice_is_gone(client: Any, tokens: dict[str, str], clock: Clock,
                                                        runtime: Runtime) -> None:
    clock.on(date(2030, 11, 15))  # 2030 (this year) and 2031 (next) unknown: SYNTHETIC schedules for both
    assert NOTICE in page(client, tokens["admin"], "/")
    runtime.app.handle(PublishCalendar({"year": 2030, "holidays": ["2030-05-01"], "notice_no": "虚构测试〔2029〕1号",
                                  "notice_date": "2029-11-20"}), syn.ADMIN)
    runtime.app.handle(PublishCalendar(syn.payload(notice_date="2030-11-10")), syn.ADMIN)
    assert NOTICE not in page(client, tokens["admin"], "/")


def test_everyone_sees_the_years_and_where_they_came_from_and_only_a_publisher_sees_the_form(
        client: Any, tokens: dict[str, str], calendar_hr: str, runtime: Runtime) -> None:
    runtime.app.handle(PublishCalendar(syn.payload()), syn.ADMIN)
    runtime.catch_up()
    listing = page(client, tokens["auditor"], "/calendar")
    assert "记录第1版" in listing and syn.NOTICE_NO in listing and "内置" in listing and "chinese-calendar" in listing
    assert 'action="/calendar"' not in listing
    assert 'action="/calendar"' not in page(client, tokens["hr"], "/calendar")  # hr without the permission
    assert 'action="/calendar"' in page(client, calendar_hr, "/calendar")
    assert 'action="/calendar"' in page(client, tokens["admin"], "/calendar")
    assert client.get("/calendar/20x1").status_code == 404 and "text/html" in client.get("/calendar/1").headers[
        "content-type"]
    year = page(client, tokens["oversight"], "/calendar/2031")
    assert "2031-03-04" in year and "周二" in year and "2031-03-08" in year and "周六" in year
    refused = client.post("/calendar", data={**csrf(listing), **syn.payload(holidays="\n".join(syn.HOLIDAYS),
                                                                            workdays="2031-03-08")})
    assert refused.status_code == 403  # an oversight user may not, whatever the form says


def test_a_schedule_entered_in_the_form_is_refused_at_its_field_then_recorded_and_corrected(
        client: Any, tokens: dict[str, str]) -> None:
    form = page(client, tokens["admin"], "/calendar")
    entered = {**csrf(form), "year": "2031", "notice_no": syn.NOTICE_NO, "notice_date": syn.NOTICE_DATE,
               "holidays": "2031-03-04、2031-03-05，2031-03-06", "workdays": "2031-03-07"}  # a Friday
    refused = client.post("/calendar", data=entered)
    assert refused.status_code == 422
    assert re.search(r'id="workdays"[^>]*aria-invalid="true"', refused.text)
    assert "调休上班日须为周六或周日" in refused.text and "2031-03-07（周五）" in refused.text
    recorded = client.post("/calendar", data={**entered, "workdays": "2031-03-08"}, follow_redirects=False)
    assert recorded.status_code == 303 and recorded.headers["location"] == "/calendar/2031?recorded=1"
    year = client.get("/calendar/2031?recorded=1").text
    assert "已记录" in year and "记录第1版" in year and 'action="/calendar/2031/corrections"' in year
    no_reason = client.post("/calendar/2031/corrections", data={
        **csrf(year), "notice_no": syn.NOTICE_NO, "notice_date": syn.NOTICE_DATE,
        "holidays": "\n".join(syn.CORRECTED_HOLIDAYS), "workdays": "2031-03-08"})
    assert no_reason.status_code == 422 and re.search(r'id="reason"[^>]*aria-invalid="true"', no_reason.text)
    corrected = client.post("/calendar/2031/corrections", data={
        **csrf(year), "notice_no": syn.NOTICE_NO, "notice_date": syn.NOTICE_DATE, "reason": "漏记3月7日（虚构）",
        "holidays": "\r\n".join(syn.CORRECTED_HOLIDAYS), "workdays": "2031-03-08\r\n"},  # as a browser sends lines
        follow_redirects=False)
    assert corrected.status_code == 303
    after = client.get("/calendar/2031").text
    assert "记录第2版" in after and "漏记3月7日" in after and "2031-03-07" in after


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)  # the browser needs one backend
def test_an_admin_records_a_year_in_the_browser_with_the_error_shown_at_its_field(
        signed_in: Callable[[str], Any], live_server: str, clock: Clock) -> None:
    clock.on(date(2026, 11, 20))  # the notice for 2027 is up; the year recorded is the SYNTHETIC 2031
    page_ = signed_in("admin")
    assert page_.get_by_test_id("calendar-notice").is_visible()
    page_.get_by_role("link", name="记录节假日安排").first.click()
    page_.get_by_label("年份").fill("2031")
    page_.get_by_label("通知文号").fill(syn.NOTICE_NO)
    page_.get_by_label("通知发布日期").fill("2026-11-10")  # not after the app's today
    page_.get_by_label("放假日").fill("\n".join(syn.HOLIDAYS))
    page_.get_by_label("调休上班日").fill("2031-03-07")
    page_.get_by_role("button", name="记录", exact=True).click()
    page_.locator("#workdays[aria-invalid=true]").wait_for()
    assert page_.locator("[aria-invalid=true]").count() == 1  # the holidays, one per line, are accepted
    page_.screenshot(path="/tmp/h3-calendar-error.png", full_page=True)
    assert page_.locator("#form-errors").evaluate("e => e === document.activeElement")
    page_.get_by_label("调休上班日").fill("2031-03-08")
    page_.get_by_role("button", name="记录", exact=True).click()
    page_.wait_for_url(re.compile(r"/calendar/2031\?recorded=1$"))
    assert page_.get_by_text("记录第1版").first.is_visible()
