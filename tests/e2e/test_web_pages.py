"""The web pages in a real browser (Debian chromium through Playwright), over a live server on SQLite.

Data is recorded through the application's own commands; the browser then signs in with a token,
reads rosters and growth files, records entries through the forms and meets the rules' refusals.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from jishi.bootstrap import Runtime
from service.commands import EstablishPost, RecordAssessmentParticipants, RecordEntry
from tests import factories as f
from tests.signin import sign_in_page

# Browser tests need one backend: run them on SQLite only (not again on PostgreSQL).
pytestmark = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)

SignIn = Callable[[str], Any]
UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label')).map(el => el.name || el.id)"""


@pytest.fixture
def world(runtime: Runtime) -> dict[str, UUID]:
    """U1/P1 (one seat): 王芳 holds it 2020-01-01 → 2022-01-01, with assessments and training; 李明 is free."""
    app = runtime.app
    f.organisation(app)
    wang = f.registered(app, "C1")
    app.handle(RecordEntry(wang, "Appointed", f.appointment("2020-01-01")), f.HR)
    app.handle(RecordEntry(wang, "Dismissed", f.dismissal("2022-01-01")), f.HR)
    app.handle(RecordAssessmentParticipants("U1", f.participants("2020", 5)), f.HR)  # 优秀 1 of 5 (R-EXCELLENT-QUOTA)
    for year, grade, score in ((2019, "称职", "81"), (2020, "优秀", "93.5"), (2021, "基本称职", "70")):
        app.handle(RecordEntry(wang, "Assessed", {"effective_on": f"{year + 1}-01-15", "kind": "年度",
                                                  "period": str(year),
                                            "grade": grade, "democratic_score": score}), f.HR)
    for day, hours in (("2021-05-30", "40"), ("2021-11-02", "24.5"), ("2022-06-01", "96")):
        app.handle(RecordEntry(wang, "TrainingCompleted", {
            "effective_on": day, "kind": "专题培训", "course": "依法行政专题班", "provider": "县委党校",
            "started_on": day, "hours": hours, "passed": True}), f.HR)
    li = f.registered(app, "C2", name="李明", gender="1", birth=date(1988, 2, 3))
    runtime.catch_up()
    return {"wang": wang, "li": li}


def test_signing_in_with_password_and_code_shows_the_role_and_a_wrong_password_is_refused(
        chromium: Any, live_server: str, tokens: dict[str, str], signed_in: SignIn) -> None:
    context = chromium.new_context(base_url=live_server)
    page = context.new_page()
    page.goto("/units")
    assert page.url.endswith("/login?next=%2Funits")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.get_by_label("用户名").fill("hr-user")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    assert "用户名、密码或动态口令错误" in page.get_by_role("alert").first.inner_text()
    session = [c for c in context.cookies() if c["name"] == "jishi_session"]
    assert session == []
    context.close()

    page = signed_in("hr")
    assert page.url.endswith("/units")
    assert "角色：组织人事" in page.get_by_test_id("role").inner_text()
    cookie = next(c for c in page.context.cookies() if c["name"] == "jishi_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert tokens["hr"].split(".")[1] not in cookie["value"] and "hr-user" not in cookie["value"]  # a random id
    assert "角色：干部监督" in signed_in("oversight").get_by_test_id("role").inner_text()


def test_the_roster_shows_a_holder_only_on_the_days_the_record_gives_them_the_post(
        signed_in: SignIn, world: dict[str, UUID]) -> None:
    page = signed_in("auditor")
    page.get_by_role("link", name="在职名册").click()
    page.get_by_role("link", name=re.compile("单位U1")).click()
    post_row = page.get_by_role("table", name="职位与在任人员").get_by_role("row", name=re.compile("副部长"))

    def roster_on(day: str) -> str:
        page.get_by_label("截至日期").fill(day)
        page.get_by_role("button", name="查询").click()
        page.wait_for_url(re.compile(f"as_of={day}"))
        return str(post_row.inner_text())

    assert "王芳" in roster_on("2021-06-30")
    assert "2020-01-01 起" in post_row.inner_text()
    on_leaving_day = roster_on("2022-01-01")
    assert "王芳" not in on_leaving_day and "空缺 1" in on_leaving_day
    assert "王芳" not in roster_on("2019-12-31")
    assert "王芳" in roster_on("2020-01-01")
    assert page.evaluate(UNLABELLED) == []


def test_the_growth_file_draws_the_assessment_curve_and_training_hours_with_their_data_points(
        signed_in: SignIn, world: dict[str, UUID]) -> None:
    page = signed_in("oversight")
    problems: list[str] = []  # script errors or Content-Security-Policy refusals
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"/cadres/{world['wang']}?as_of=2022-12-31")
    page.wait_for_function("() => document.querySelector('#assessment-chart svg')")
    curve = page.evaluate("""() => {
        const option = echarts.getInstanceByDom(document.getElementById('assessment-chart')).getOption();
        return {periods: option.xAxis[0].data, grades: option.series[0].data, democratic: option.series[1].data};
    }""")
    assert curve == {"periods": ["2019", "2020", "2021"], "grades": [3, 4, 2], "democratic": [81, 93.5, 70]}
    hours = page.evaluate("""() => {
        const option = echarts.getInstanceByDom(document.getElementById('training-chart')).getOption();
        return {years: option.xAxis[0].data,  // enough (series 0) or short (series 1): one bar a year
                hours: option.series[0].data.map((h, i) => h ?? option.series[1].data[i]),
                required: option.series[2].markLine.data[0].yAxis};  // the requirement: a series of its own
    }""")
    assert hours["years"][-2:] == ["2021", "2022"] and hours["hours"][-2:] == [64.5, 96] and hours["required"] == 90
    # drawn, not just configured: SVG marks in the charts, and the curve described for screen readers
    assert page.locator("#assessment-chart svg path").count() >= 3
    assert page.locator("#training-chart svg path").count() >= 2
    described = page.locator("#assessment-chart").get_attribute("aria-label") or ""
    assert "2019年度称职，2020年度优秀，2021年度基本称职" in described  # ECharts' aria description
    assert "2022年96学时" in (page.locator("#training-chart").get_attribute("aria-label") or "")
    assert "学时不足的年度：2018、2019、2020、2021" in page.inner_text("#curves")  # 2022: 96 of 90 hours
    assert problems == []
    # profile, posts and the masked ID number for oversight
    assert "单位U1" in page.inner_text("#career") and "2020-01-01 至 2022-01-01" in page.inner_text("#career")
    assert "110105********0428" in page.inner_text("#profile") or "********" in page.inner_text("#profile")


def test_hr_records_an_assessment_through_the_form_and_finds_it_in_the_timeline(
        signed_in: SignIn, world: dict[str, UUID], runtime: Runtime) -> None:
    page = signed_in("hr")
    page.goto(f"/cadres/{world['wang']}")
    page.get_by_role("link", name="记录新条目").click()
    page.get_by_role("link", name="考核", exact=True).click()
    page.get_by_label("生效日期").fill("2023-01-16")
    page.get_by_label("类别").select_option("年度")
    page.get_by_label("期间").fill("2022")
    page.get_by_label("等次").select_option("优秀")
    page.get_by_label("民主测评得分").fill("95")
    page.get_by_label("备注").fill("表现突出")
    sent = page.evaluate("() => Object.fromEntries(new FormData(document.querySelector('form.form')))")
    page.get_by_role("button", name="提交记录").click()

    assert "已记录" in page.get_by_role("status").filter(has_text="已记录").inner_text()
    new = page.locator("li.entry.is-new")
    assert new.count() == 1 and new.get_attribute("data-type") == "Assessed"
    text = new.inner_text()
    assert "2023-01-16" in text and "优秀" in text and "表现突出" in text and "hr-user" in text
    group = page.locator("section.timeline-group").filter(has=page.locator("li.entry.is-new"))
    assert group.locator("h3").inner_text() == "考核评价"
    stored = [e for e in runtime.app.get_cadre(world["wang"]).standing_entries() if e.type == "Assessed"]
    assert [e.values["period"] for e in stored][-1] == "2022" and stored[-1].values["grade"] == "优秀"
    # the same form sent twice (a double click, a retry) records once: its key is the idempotency key
    again = page.request.post(f"/cadres/{world['wang']}/entries", form=sent)
    assert again.ok and f"recorded={stored[-1].entry_id}" in again.url
    assert len([e for e in runtime.app.get_cadre(world["wang"]).standing_entries() if e.type == "Assessed"]) == 4


def test_hr_appoints_and_ends_the_post_held_in_one_form_which_hides_the_choice_for_a_concurrent_post(
        signed_in: SignIn, world: dict[str, UUID], runtime: Runtime) -> None:
    app = runtime.app
    app.handle(EstablishPost("U1", f.post("P2", title="部务委员")), f.HR)
    app.handle(RecordEntry(world["li"], "Appointed", f.appointment("2022-03-01")), f.HR)
    runtime.catch_up()
    page = signed_in("hr")
    page.goto(f"/cadres/{world['li']}/entries/new?type=Appointed")
    choice = page.get_by_label("单位U1副部长（2022-03-01起）")
    page.get_by_label("任职方式").select_option("兼任")
    assert page.locator("#field-ends_posts").is_hidden()
    page.get_by_label("任职方式").select_option("轮岗")
    assert choice.is_visible()
    page.get_by_label("生效日期").fill("2023-06-01")
    page.get_by_label("文号").fill("组干〔2023〕9号")
    page.get_by_role("combobox", name="单位", exact=True).select_option("U1")
    page.get_by_role("combobox", name="职位", exact=True).select_option("P2")
    choice.check()
    page.get_by_role("button", name="提交记录").click()
    assert page.locator("li.entry.is-new").count() == 1
    assert "同时免去的职务\n单位U1副部长" in page.locator("li.entry.is-new").inner_text()  # names, not U1/P1
    tenures = [(t.post_code, t.end) for t in app.history(world["li"]).tenures]
    assert tenures == [("P1", date(2023, 6, 1)), ("P2", None)]


def test_the_assessment_form_offers_only_the_chosen_kinds_grades(signed_in: SignIn, world: dict[str, UUID]) -> None:
    page = signed_in("hr")
    page.goto(f"/cadres/{world['wang']}/entries/new?type=Assessed")
    grades = "() => [...document.querySelectorAll('#grade option')].map(o => o.value).filter(v => v)"
    page.get_by_label("类别").select_option("平时")
    assert page.evaluate(grades) == ["好", "较好", "一般", "较差"]
    page.get_by_label("等次").select_option("较好")
    page.get_by_label("类别").select_option("年度")  # 较好 is not an annual grade: the choice is cleared
    assert page.evaluate(grades) == ["优秀", "称职", "基本称职", "不称职", "不定等次"]
    assert page.get_by_label("等次").input_value() == ""
    page.get_by_label("类别").select_option("试用期满")
    assert page.evaluate(grades) == ["胜任", "不胜任"]


def test_without_javascript_every_grade_is_offered_by_kind_and_a_mismatch_is_refused_on_grade(
        chromium: Any, live_server: str, tokens: dict[str, str], world: dict[str, UUID], runtime: Runtime) -> None:
    context = chromium.new_context(base_url=live_server, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    sign_in_page(page, runtime.app, tokens["hr"])
    page.goto(f"/cadres/{world['wang']}/entries/new?type=Assessed")
    labels = page.evaluate("() => [...document.querySelectorAll('#grade optgroup')].map(g => g.label)")
    assert labels == ["年度考核", "平时考核", "专项考核", "一线专项考察", "任期考核", "试用期满考核"]
    before = runtime.app.get_cadre(world["wang"]).version
    page.get_by_label("生效日期").fill("2023-01-16")
    page.get_by_label("类别").select_option("年度")
    page.get_by_label("期间").fill("2022")
    page.locator("#grade").select_option(index=7)  # 较好, in the 平时考核 group
    assert page.locator("#grade").input_value() == "较好"
    page.get_by_role("button", name="提交记录").click()
    assert "年度考核的等次须为以下之一" in page.locator("#err-grade").inner_text()
    assert page.locator("#grade").input_value() == "较好"  # the form keeps what was chosen
    assert runtime.app.get_cadre(world["wang"]).version == before
    context.close()


def test_an_invalid_id_number_is_refused_next_to_its_field_and_the_form_keeps_what_was_typed(
        signed_in: SignIn, world: dict[str, UUID], runtime: Runtime) -> None:
    page = signed_in("hr")
    page.get_by_role("link", name="录用建档").click()
    page.get_by_label("干部编号").fill("C9")
    page.get_by_label("姓名").fill("赵敏")
    page.get_by_label("性别").select_option("2")
    page.get_by_label("出生日期").fill("1990-01-01")
    page.get_by_label("民族").select_option("01")
    page.get_by_label("公民身份号码").fill("110101199001011234")  # DOMAIN.md §3: a bad check digit
    page.get_by_label("政治面貌").select_option("01")
    page.get_by_label("学历").select_option("21")
    page.locator("#full_time_education").check()
    page.get_by_label("籍贯").fill("河北保定")
    page.get_by_label("参加工作时间").fill("2012-07-01")
    page.get_by_label("进入方式").select_option("考试录用")
    page.locator("#rank").select_option("一级科员")
    page.get_by_role("button", name="提交记录").click()

    error = page.locator("#err-id_number")
    assert "R-ID" in error.inner_text() and "校验码" in error.inner_text()
    assert page.get_by_label("公民身份号码").get_attribute("aria-invalid") == "true"
    assert "err-id_number" in (page.get_by_label("公民身份号码").get_attribute("aria-describedby") or "")
    assert page.evaluate("document.activeElement.id") == "form-errors"  # the summary is announced first
    assert page.get_by_role("alert").filter(has_text="公民身份号码").count() == 1
    assert page.get_by_label("姓名").input_value() == "赵敏"
    assert page.get_by_label("出生日期").input_value() == "1990-01-01"
    assert page.evaluate(UNLABELLED) == []
    assert runtime.read_models.search(q="C9", as_of=date.today())["items"] == []  # nothing was recorded


def test_a_rule_refusal_offers_the_override_reason_to_a_user_allowed_to_override_and_audit_marks_it(
        signed_in: SignIn, world: dict[str, UUID]) -> None:
    page = signed_in("hr")
    page.goto(f"/cadres/{world['li']}/entries/new?type=Appointed")
    page.get_by_label("生效日期").fill("2021-03-01")
    page.get_by_role("combobox", name="单位", exact=True).select_option("U1")
    page.get_by_role("combobox", name="职位", exact=True).select_option("P1")
    page.get_by_label("任职方式").select_option("平职交流")
    page.get_by_label("文号").fill("组干〔2021〕3号")
    page.get_by_role("button", name="提交记录").click()

    assert "R-EST" in page.locator("#err-post_code").inner_text()
    assert "例外放行理由" in page.get_by_role("alert").inner_text()
    page.get_by_label(re.compile("例外放行理由")).fill("上级批准临时超配")
    page.get_by_role("button", name="提交记录").click()
    new = page.locator("li.entry.is-new")
    assert "经批准例外放行 R-EST" in new.inner_text()

    page.goto("/audit?cadre=C2")
    row = page.locator("tr.row-override")
    assert row.count() == 1 and "上级批准临时超配" in row.inner_text() and "任职" in row.inner_text()


def test_an_auditor_sees_no_write_forms_and_cannot_open_or_post_one(
        signed_in: SignIn, world: dict[str, UUID], runtime: Runtime) -> None:
    page = signed_in("auditor")
    page.goto(f"/cadres/{world['wang']}")
    assert page.locator("#timeline li.entry").count() >= 7
    assert page.get_by_role("link", name="记录新条目").count() == 0
    assert page.get_by_role("link", name="更正").count() == 0 and page.get_by_role("link", name="撤销").count() == 0
    assert page.get_by_role("link", name="录用建档").count() == 0
    assert page.locator("form[method=post]").count() == 1  # signing out only
    assert "角色：审计" in page.get_by_test_id("role").inner_text()

    response = page.goto(f"/cadres/{world['wang']}/entries/new?type=Assessed")
    assert response is not None and response.status == 403 and "无权" in page.inner_text("main")
    before = runtime.app.get_cadre(world["wang"]).version
    posted = page.request.post(f"/cadres/{world['wang']}/entries", form={
        "type": "Assessed", "effective_on": "2023-01-16", "kind": "年度", "period": "2022", "grade": "优秀"})
    assert posted.status == 403
    assert runtime.app.get_cadre(world["wang"]).version == before


def test_a_form_post_without_the_sessions_csrf_token_records_nothing(
        signed_in: SignIn, world: dict[str, UUID], runtime: Runtime) -> None:
    page = signed_in("hr")
    before = runtime.app.get_cadre(world["wang"]).version
    payload = {"type": "Assessed", "effective_on": "2023-01-16", "kind": "年度", "period": "2022", "grade": "优秀"}
    for token in (None, "forged"):
        form = payload if token is None else {**payload, "csrf_token": token}
        posted = page.request.post(f"/cadres/{world['wang']}/entries", form=form)
        assert posted.status == 403 and "表单已过期" in posted.text()
    assert runtime.app.get_cadre(world["wang"]).version == before


def test_the_pages_work_by_keyboard_alone(signed_in: SignIn, world: dict[str, UUID]) -> None:
    page = signed_in("hr")
    page.goto("/cadres")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"  # visible focus
    page.keyboard.type("王芳")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=%E7%8E%8B%E8%8A%B3"))
    assert page.get_by_role("status").inner_text().startswith("找到 1")
    result = page.get_by_role("link", name="王芳")
    result.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(f"/cadres/{world['wang']}"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("王芳")
