"""HR runs a whole selection case (选任全程纪实) in Debian's chromium, step by step: 发起选任 → 民主推荐 →
确定考察对象 → 考察 → 凡提四必 → 双签字 → 讨论决定 (refused at its field first) → 任前公示 (refused by
R-PUBLICITY, then recorded with an override reason) → 任用, and the link to the appointment form.

Screenshots go to ``$JISHI_SCREENSHOT_DIR`` when set (``docs/screenshots`` for the README), else to the
test's temporary directory."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from api.pages import case_forms
from domain.rules.catalog import RULES
from jishi.bootstrap import Runtime
from service.commands import EstablishPost, OpenCase, RecordCaseStep, RegisterUnit
from tests import factories as f

pytestmark = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)  # the browser needs one backend

SignIn = Callable[[str], Any]


@pytest.fixture
def wang(runtime: Runtime) -> UUID:
    """单位U1 with its post 副部长 (P1); 王芳 (C1) registered; a case under way for 县财政局 科长."""
    app = runtime.app
    f.organisation(app)
    cadre_id = f.registered(app, "C1")
    app.handle(RegisterUnit(f.unit("U2", name="县财政局")), f.HR)
    app.handle(EstablishPost("U2", f.post("P9", title="科长", grade="132")), f.HR)
    other = UUID(app.handle(OpenCase(f.case_payload("2024-11-01", unit_code="U2", post_code="P9")),
                            f.HR).extra["case_id"])
    li = f.registered(app, "C2", name="李明", gender="1", birth=date(1988, 2, 3))
    app.handle(RecordCaseStep(other, "Recommended", {"effective_on": "2024-11-05", "kind": "谈话调研推荐",
                                                     "participants": 25, "votes": {str(li): 18}}), f.HR)
    runtime.catch_up()
    return cadre_id


def submit(page: Any, fill: dict[str, str], select: dict[str, str] | None = None) -> None:
    """Fill in the form's inputs (by name; a select by its option's text) and submit it."""
    for name, text in (select or {}).items():
        page.locator(f"#{name}").select_option(label=text)
    for name, value in fill.items():
        page.locator(f"#{name}").fill(value)
    page.get_by_role("button", name="提交记录").click()
    page.wait_for_load_state()


def record(page: Any, offer: str, fill: dict[str, str], select: dict[str, str] | None = None) -> None:
    """Open the step the case page offers next, fill it in and submit it."""
    page.locator("#next-steps").get_by_role("link", name=offer, exact=True).click()
    submit(page, fill, select)


def test_hr_runs_a_whole_selection_case_in_the_browser_with_a_refusal_at_its_field_and_an_override(
        signed_in: SignIn, runtime: Runtime, wang: UUID, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shots = Path(os.environ.get("JISHI_SCREENSHOT_DIR") or tmp_path)
    monkeypatch.setattr(case_forms, "SHARED_OPTIONS", 1)  # the list of cadres sent once, copied by forms.js
    page = signed_in("hr")  # the fixture's hr user may override guards
    page.get_by_role("link", name="选任纪实").click()
    page.get_by_role("link", name="发起选任").click()
    submit(page, {"effective_on": "2024-08-01", "reason": "副部长岗位空缺，经分析研判启动选任"},
           {"unit_code": "单位U1", "post_code": "副部长", "method": "民主推荐"})
    assert "已记录" in page.get_by_role("status").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "选任纪实 单位U1 副部长"
    case_id = UUID(re.search(r"/cases/([0-9a-f-]{36})", page.url).group(1))  # type: ignore[union-attr]

    record(page, "民主推荐", {"effective_on": "2024-09-01", "participants": "30", "rec_votes_0": "25",
                          "rec_votes_1": "4"}, {"kind": "会议推荐", "rec_cadre_0": "王芳", "rec_cadre_1": "李明"})
    [recommended] = runtime.app.get_case(case_id).steps_of("Recommended")
    assert sorted(recommended.values["votes"].values()) == [4, 25]
    page.locator("#next-steps").get_by_role("link", name="确定考察对象", exact=True).click()
    page.get_by_label("王芳").check()
    submit(page, {"effective_on": "2024-09-05"})
    record(page, "考察", {"effective_on": "2024-09-10", "findings": "政治素质好，工作实绩突出"})
    page.goto(f"/cases/{case_id}")
    page.screenshot(path=str(shots / "case-midway.png"), full_page=True)
    for check in ("档案审核", "个人事项核查", "纪检意见", "信访查核"):
        record(page, f"凡提四必：{check}", {"effective_on": "2024-09-15"}, {"result": "通过"})
    record(page, "廉洁自律情况双签字", {"effective_on": "2024-09-17", "party_secretary": "李书记",
                                   "discipline_secretary": "赵书记"})
    rows = page.locator("table.checklist tbody tr").all()
    assert [r.inner_text().split("\t")[-2] for r in rows] == ["✔ 李书记、赵书记"]

    # 讨论决定: more present than members — refused at the field 实到会人数, nothing recorded
    record(page, "讨论决定", {"effective_on": "2024-09-20", "members_total": "9", "present": "10", "votes_agree": "8"})
    present = page.locator("#present")
    assert present.get_attribute("aria-invalid") == "true"
    assert "到会人数不得超过应到会人数" in page.locator("#err-present").inner_text()
    assert page.locator("#form-errors").get_by_role("link", name="实到会人数").is_visible()
    page.screenshot(path=str(shots / "case-refusal.png"), full_page=True)
    assert runtime.app.get_case(case_id).latest("Decided") is None
    present.fill("8")
    page.get_by_role("button", name="提交记录").click()
    assert "已记录" in page.get_by_role("status").inner_text()

    # 任前公示 of four working days over National Day: R-PUBLICITY refuses, the override records it with a reason
    record(page, "任前公示", {"start_on": "2024-09-27", "end_on": "2024-10-08", "objections": "0"})
    assert f"R-PUBLICITY（{RULES['R-PUBLICITY'].title_zh}）" in page.locator("#err-end_on").inner_text()  # at its field
    assert page.locator("#end_on").get_attribute("aria-invalid") == "true"
    assert "以上规则允许例外放行" in page.locator("#form-errors").inner_text()
    submit(page, {"override_reason": "换届时间紧，经市委组织部同意"})
    assert "已记录" in page.get_by_role("status").inner_text()
    publicity = runtime.app.get_case(case_id).latest("PublicityHeld")
    assert publicity is not None and publicity.overrides == ("R-PUBLICITY",)

    record(page, "任用/不予任用/缓议", {"effective_on": "2024-10-09"}, {"outcome": "任用"})
    steps = page.locator("ol.steps .entry-type").all_inner_texts()
    assert steps == ["分析研判和动议", "民主推荐", "确定考察对象", "考察", *["凡提四必"] * 4, "廉洁自律情况双签字",
                     "讨论决定", "任前公示", "任用/不予任用/缓议"]
    text = page.locator("main").inner_text()
    assert not re.search(r"[A-Z][a-z]+[A-Z][a-z]+", text), "no raw event names on the page"
    page.screenshot(path=str(shots / "case-concluded.png"), full_page=True)
    appointment = page.locator("#next-steps").get_by_role("link", name="记录任职（任用）")
    assert appointment.get_attribute("href") == f"/cadres/{wang}/entries/new?type=Appointed&case_id={case_id}"

    page.get_by_role("link", name="全部选任").click()
    row = page.get_by_role("row", name=re.compile("副部长"))
    assert "结论：任用（2024-10-09）" in row.inner_text() and "已结束" in row.inner_text()
    other = page.get_by_role("row", name=re.compile("科长"))
    assert "县财政局" in other.inner_text() and "民主推荐（2024-11-05）" in other.inner_text()
    assert "进行中" in other.inner_text()
    page.screenshot(path=str(shots / "case-list.png"), full_page=True)
    appointment_form = page.goto(f"/cadres/{wang}/entries/new?type=Appointed&case_id={case_id}")
    assert appointment_form is not None and appointment_form.status == 200
