"""导入台账 in Debian's chromium: hr downloads a template, uploads a filled file, first as a dry run and then
for real, sees the report (counts, and the refused row with its column), and finds the import in the
audit trail. One server and one signed-in browser for the module's one test (kept lean for CI). The page is
photographed into a temporary directory, or into $JISHI_SCREENSHOT_DIR (docs/screenshots/imports.png was
taken with JISHI_SCREENSHOT_DIR=docs/screenshots)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jishi.bootstrap import Runtime
from service.commands import EstablishPost, RegisterUnit
from tests import factories as f
from tests.xlsx_files import filled, registration_row


def test_hr_uploads_a_filled_template_on_the_page_and_sees_the_report_then_the_import_in_the_audit_trail(
        signed_in: Callable[[str], Any], runtime: Runtime, tmp_path: Path) -> None:
    runtime.app.handle(RegisterUnit(f.unit("U1")), f.HR)
    runtime.app.handle(EstablishPost("U1", f.post("P1")), f.HR)
    page = signed_in("hr")
    page.get_by_role("link", name="导入台账").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="干部基本信息").click()
    blank = tmp_path / "template.xlsx"
    download.value.save_as(blank)
    file = tmp_path / "2023年干部名册.xlsx"
    file.write_bytes(filled("registration", [registration_row(f.cadre("C1")), registration_row(f.cadre("C2")),
                                             registration_row(f.cadre("C3"), 出生年月="1985年13月")],
                            template_bytes=blank.read_bytes()))
    head = runtime.app.recorder.max_notification_id()

    page.set_input_files("#file", str(file))
    assert page.locator("#file-name").inner_text() == "2023年干部名册.xlsx"
    page.get_by_label("试导入（只核验，不存储）").check()
    page.get_by_role("button", name="导入").click()
    report = page.get_by_test_id("import-report")
    assert "试导入结果（未存储）" in report.inner_text()
    assert (page.get_by_test_id("count-stored").inner_text(), page.get_by_test_id("count-refused").inner_text()) == \
           ("2", "1")
    assert runtime.app.recorder.max_notification_id() == head

    page.set_input_files("#file", str(file))
    page.get_by_label("试导入（只核验，不存储）").uncheck()
    page.get_by_role("button", name="导入").click()
    assert "导入结果" in page.get_by_test_id("import-report").inner_text()
    assert page.get_by_test_id("count-stored").inner_text() == "2"
    problem = page.get_by_test_id("import-problems").locator("tbody tr").first
    cells = [c.inner_text() for c in problem.locator("td").all()]
    assert cells[:2] == ["4", "出生年月"] and cells[2].startswith("月份不存在") and "(" not in cells[2]
    shot = Path(os.environ.get("JISHI_SCREENSHOT_DIR", str(tmp_path))) / "imports.png"  # docs/screenshots: set it there
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    page.goto("/audit?actor=hr-user")
    trail = page.locator("table").first.inner_text()
    assert "导入台账" in trail and "导入 2023年干部名册.xlsx：存入 2 行，拒绝 1 行，已存在 0 行" in trail
