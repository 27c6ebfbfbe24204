"""所载变化 in Debian's chromium: from a growth file, "与…时所载比较" opens the diff page, which shows in
Chinese what the record said at the earlier moment, what it says now, and who recorded the change,
when, on what document; the roster offers the same comparison. Out of scope the pages are not found."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from service.commands import CorrectEntry, RecordEntry, RegisterUnit
from service.users import add_user
from tests import factories as f
from tests.e2e.test_web_reads import sign_in

SignIn = Callable[[str], Any]
SETUP = Provenance("test-setup", "admin", "setup")
ENGLISH_KINDS = re.compile(r"\b(holders|timeline|posts|findings)_(added|gone|changed|retracted)\b|Dismissed")


def shots(tmp_path: Path) -> Path:
    """Where screenshots go: $JISHI_SCREENSHOT_DIR (docs/screenshots to refresh the README's), else the test's own."""
    return Path(os.environ.get("JISHI_SCREENSHOT_DIR") or tmp_path)


def test_the_diff_page_opened_from_a_growth_file_shows_a_late_dismissal_with_who_when_and_document(
        signed_in: SignIn, runtime: Runtime, tmp_path: Path) -> None:
    app = runtime.app
    f.organisation(app)
    wang = f.registered(app, "C1")
    appointed = app.handle(RecordEntry(wang, "Appointed", f.appointment("2020-01-01")), f.HR).recorded_at
    printed = appointed.replace(microsecond=0) + timedelta(seconds=1)  # the form takes whole seconds
    time.sleep(max(0.0, (printed - datetime.now(UTC)).total_seconds()) + 0.05)  # what follows is recorded later
    hardship = app.handle(RecordEntry(wang, "HardshipRecorded", {"effective_on": "2021-01-01",
                                                                 "description": "困难"}), f.HR)
    app.handle(RecordEntry(wang, "Dismissed", f.dismissal("2022-01-01", document_no="组干〔2024〕9号")), f.HR)
    app.handle(CorrectEntry(wang, hardship.entry_id, {"changes": {"description": "家人重病住院"},
                                                      "reason": "据家属来信更正"}), f.HR)
    runtime.catch_up()
    beijing = printed.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%dT%H:%M:%S")

    page = signed_in("hr")
    page.goto(f"/cadres/{wang}?as_of={date(2023, 3, 1).isoformat()}")
    page.get_by_text("与…时所载比较").click()
    page.get_by_label("原记录时点").fill(beijing)
    page.get_by_role("button", name="比较所载变化").click()
    page.wait_for_load_state()

    assert page.url.split("?")[0].endswith(f"/cadres/{wang}/diff")
    status = page.locator("#diff-status").inner_text()
    assert "2023-03-01 这一天" in status and "处不同" in status
    gone = page.get_by_role("row", name=re.compile("职务 · 变更"))
    assert "截止日期：（无） → 2022-01-01" in gone.inner_text()
    assert "免职" in gone.inner_text() and "组干〔2024〕9号" in gone.inner_text() and "hr-zhang" in gone.inner_text()
    added = page.get_by_role("row", name=re.compile("成长纪实 · 新增 遭遇重大困难"))
    assert "更正" in added.inner_text() and "据家属来信更正" in added.inner_text()
    text = page.locator("main").inner_text()
    assert not ENGLISH_KINDS.search(text), ENGLISH_KINDS.search(text)
    page.screenshot(path=str(shots(tmp_path) / "belief-diff.png"), full_page=True)

    page.goto("/units/U1/roster?as_of=2023-03-01")
    page.get_by_text("与…时所载比较").click()
    page.get_by_label("原记录时点").fill(beijing)
    page.get_by_role("button", name="比较所载变化").click()
    page.wait_for_load_state()
    holder = page.get_by_role("row", name=re.compile("在任人员 · 不再列出 副部长 王芳"))
    assert "组干〔2024〕9号" in holder.inner_text()

    page.goto(f"/units/U1/roster/diff?as_of=2023-03-01&known_at=2030-01-01T00:00:00&vs={beijing}")
    assert "比较时点须不早于原记录时点" in page.locator("#err-vs").inner_text()
    page.goto(f"/cadres/{wang}/diff?as_of=2023-03-01&known_at=2001-01-01T00:00:00")  # before 王芳 was recorded
    assert "原记录时点时，纪实中尚无该干部" in page.locator("#err-known_at").inner_text()
    assert "王芳 成长档案" in page.locator("h1").inner_text()


def test_the_diff_pages_of_another_jurisdiction_are_not_found_as_for_a_missing_unit_or_cadre(
        client: Any, runtime: Runtime) -> None:
    app = runtime.app
    f.organisation(app)
    app.handle(RegisterUnit(f.unit("U2")), f.HR)
    wang = f.registered(app, "C1")
    app.handle(RecordEntry(wang, "Appointed", f.appointment("2020-01-01")), f.HR)
    runtime.catch_up()
    query = "?as_of=2021-01-01&known_at=2030-01-01T00:00:00&vs=2030-01-01T00:00:00"
    sign_in(client, add_user(app, "hr-u2", "hr", False, SETUP, ["U2"]))
    for mine, missing in ((f"/units/U1/roster/diff{query}", f"/units/NOPE/roster/diff{query}"),
                          (f"/cadres/{wang}/diff{query}", f"/cadres/{f.UUID(int=1)}/diff{query}")):
        refused, absent = client.get(mine), client.get(missing)
        assert (refused.status_code, absent.status_code) == (404, 404)
        assert "王芳" not in refused.text and "副部长" not in refused.text
    sign_in(client, add_user(app, "hr-u1", "hr", False, SETUP, ["U1"]))
    for mine in (f"/units/U1/roster/diff{query}", f"/cadres/{wang}/diff{query}"):  # in scope: answered
        answer = client.get(mine)
        assert answer.status_code == 200 and "没有不同" in answer.text
