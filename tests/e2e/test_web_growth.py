"""The growth file and the pages' wording in a real browser (Debian chromium through Playwright, SQLite):
one line per entry with details on demand, names instead of codes, a training chart with round axis
labels that starts with the record, and refusals in Chinese only. Screenshots go to
$JISHI_SCREENSHOT_DIR when set (docs/screenshots for the README), else to the test's temporary
directory: a test run changes no tracked file."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from jishi.bootstrap import Runtime
from service.commands import EstablishPost, RecordEntry, RegisterUnit
from tests import factories as f

pytestmark = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)

SignIn = Callable[[str], Any]


def screenshots(tmp_path: Path) -> Path:
    return Path(os.environ.get("JISHI_SCREENSHOT_DIR") or tmp_path)

ENGLISH = re.compile(r"[A-Za-z]{3,}")
RULE_ID = re.compile(r"R-[A-Z-]+")


@pytest.fixture
def county(runtime: Runtime) -> dict[str, UUID]:
    """县自然资源局 (ZRJ) with its 局长 post (JZ, 乡科级副职); 王芳's record begins on 2020-03-01 (建档), she
    is appointed the next day, is assessed 称职 for 2020 and 2021, enters the 后备干部库 and trains 212 hours
    in 2021 and 30 in 2022."""
    app = runtime.app
    app.handle(RegisterUnit(f.unit("ZRJ", name="县自然资源局")), f.HR)
    app.handle(EstablishPost("ZRJ", f.post("JZ", title="局长", grade="142")), f.HR)
    wang = f.registered(app, "C1", effective_on="2020-03-01")
    app.handle(RecordEntry(wang, "Appointed", f.appointment("2020-03-02", "ZRJ", "JZ")), f.HR)
    app.handle(RecordEntry(wang, "PoolEntered", {"effective_on": "2021-06-01", "pool": "后备干部库",
                                                 "grounds": "经民主推荐和考察", "target_grade": "142"}), f.HR)
    for year, score in ((2020, "86"), (2021, "91.5")):
        app.handle(RecordEntry(wang, "Assessed", {"effective_on": f"{year + 1}-01-15", "kind": "年度",
                                                  "period": str(year), "grade": "称职",
                                                  "democratic_score": score}), f.HR)
    for day, hours in (("2021-05-30", "112"), ("2021-11-02", "100"), ("2022-06-01", "30")):
        app.handle(RecordEntry(wang, "TrainingCompleted", {
            "effective_on": day, "kind": "专题培训", "course": "依法行政专题班", "provider": "县委党校",
            "started_on": day, "hours": hours, "passed": True}), f.HR)
    runtime.catch_up()
    return {"wang": wang}


TRAINING = """() => {
    const chart = echarts.getInstanceByDom(document.getElementById('training-chart'));
    const axis = chart.getModel().getComponent('yAxis', 0).axis;
    const labels = [...document.querySelectorAll('#training-chart svg text')].map(t => t.textContent);
    return {years: chart.getOption().xAxis[0].data, ticks: axis.scale.getTicks().map(t => t.value),
            max: axis.scale.getExtent()[1], labels: labels,
            series: chart.getModel().getSeries().map((s, k) => ({name: s.name,
                legend: s.getData().getVisual('style').fill,
                bars: chart.getOption().series[k].data.map((v, i) => v === null || v === undefined
                    ? null : s.getData().getItemVisual(i, 'style').fill)}))};
}"""


def test_the_growth_file_lists_entries_on_one_line_each_by_name_with_a_chart_from_the_records_start(
        signed_in: SignIn, county: dict[str, UUID], tmp_path: Path) -> None:
    page = signed_in("hr")
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"/cadres/{county['wang']}?as_of=2022-12-31")
    page.wait_for_function("() => document.querySelector('#training-chart svg')")

    # compact: every entry one closed line (date · kind · summary), its fields only on demand
    entries = page.locator("#timeline li.entry")
    assert entries.count() == 8
    assert page.locator("#timeline details[open]").count() == 0
    appointed = page.locator("#timeline li.entry[data-type=Appointed]")
    assert re.fullmatch(r"▸?\s*2020-03-02\s+任职\s+县自然资源局 · 局长 · 平职交流\s*",
                        appointed.locator("summary").inner_text())
    assert appointed.bounding_box()["height"] < 40  # type: ignore[index]
    assert not appointed.locator("dl.fields").is_visible()
    appointed.locator("summary").click()
    assert appointed.locator("dl.fields").is_visible()
    assert "组干〔2020〕1号" in appointed.inner_text()

    # names, not codes, on the whole page
    text = page.inner_text("main")
    assert "县自然资源局" in text and "局长" in text and "乡科级副职" in text
    assert "ZRJ" not in text and "JZ" not in text
    assert page.get_by_test_id("role").inner_text().startswith("角色：组织人事")
    assert not ENGLISH.search(page.get_by_test_id("role").inner_text())  # no "(hr)" after the role

    # training: from 2020 (the record began 2020-03-01; that year drawn but not judged), round axis labels,
    # legend colour = bar colour
    drawn = page.evaluate(TRAINING)
    assert drawn["years"] == ["2020", "2021", "2022"]
    assert drawn["max"] == 250 and drawn["ticks"] == [0, 50, 100, 150, 200, 250]  # 212 hours: round steps
    assert not [t for t in drawn["labels"] if re.fullmatch(r"\d+\.\d{3,}", t)]  # no 243.79999999999998
    ok, short, required = drawn["series"]
    assert ok["name"] == "培训学时" and short["name"] == "学时不足" and required["name"] == "每年要求 90 学时"
    assert required["legend"] not in (ok["legend"], short["legend"])
    assert [c for c in ok["bars"] if c is not None] == [ok["legend"]] * 2  # 2020 (not judged) and 2021
    assert short["bars"] == [None, None, short["legend"]] and short["legend"] != ok["legend"]
    assert "学时不足的年度：2022" in page.inner_text("#curves")
    assert "2018" not in drawn["years"] and "2019" not in drawn["years"]
    assert problems == []

    # a link to an entry opens it
    page.goto(f"/cadres/{county['wang']}?as_of=2022-12-31#entry-{appointed.get_attribute('id')[6:]}")  # type: ignore[index]
    page.wait_for_function("() => document.querySelector('#timeline details[open]')")
    page.locator("#timeline li.entry[data-type=TrainingCompleted]").first.locator("summary").click()
    page.screenshot(path=str(screenshots(tmp_path) / "growth-file.png"), full_page=True)


def test_a_refusal_an_error_page_and_the_findings_speak_chinese_only(
        signed_in: SignIn, county: dict[str, UUID], tmp_path: Path) -> None:
    page = signed_in("hr")
    page.get_by_role("link", name="录用建档").click()
    page.get_by_label("干部编号").fill("C9")
    page.get_by_label("姓名").fill("赵敏")
    page.get_by_label("性别").select_option("2")
    page.get_by_label("出生日期").fill("1990-01-01")
    page.get_by_label("民族").select_option("01")
    page.get_by_label("公民身份号码").fill("110101199001011234")  # a bad check digit (R-ID)
    page.get_by_label("政治面貌").select_option("01")
    page.get_by_label("学历").select_option("21")
    page.locator("#full_time_education").check()
    page.get_by_label("籍贯").fill("河北保定 (Baoding)")
    page.get_by_label("参加工作时间").fill("2012-07-01")
    page.get_by_label("进入方式").select_option("考试录用")
    page.locator("#rank").select_option("一级科员")
    page.get_by_role("button", name="提交记录").click()

    summary, at_field = page.locator("#form-errors").inner_text(), page.locator("#err-id_number").inner_text()
    assert "校验码" in at_field and "R-ID" in at_field
    assert not ENGLISH.search(RULE_ID.sub("", summary + at_field)), summary + at_field
    assert page.get_by_label("籍贯").input_value() == "河北保定 (Baoding)"  # what was typed stays as typed
    page.screenshot(path=str(screenshots(tmp_path) / "refusal.png"), full_page=True)

    page.goto(f"/cadres/{uuid4()}")
    shown = page.locator("main").inner_text()
    assert "干部不存在" in shown and "no such cadre" not in shown and "not found" not in page.title()

    page.goto("/cadres?q=王&max_age=abc")
    error = page.locator("#err-max_age").inner_text() if page.locator("#err-max_age").count() else \
        page.locator("main").inner_text()
    assert "须为0到150之间的整数" in error and "whole number" not in page.locator("main").inner_text()

    findings = signed_in("oversight")
    findings.goto("/findings")
    listed = findings.locator("main").inner_text()
    assert "新录用人员12个月内应完成初任培训" in listed and "initial training" not in listed  # a finding's detail
