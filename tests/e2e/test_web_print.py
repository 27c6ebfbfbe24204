"""The 干部任免审批表 page and the printed 成长纪实 in Debian's chromium: reached from the growth file, the
.lrmx and both PDFs download from the pages (one server, one signed-in browser for the module's test)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jishi.bootstrap import Runtime
from service.commands import RecordEntry
from service.lrmx import FIELDS, parse
from tests import factories as f


def test_hr_opens_the_form_and_the_printed_file_from_the_growth_file_and_downloads_the_lrmx_and_both_pdfs(
        runtime: Runtime, signed_in: Callable[[str], Any], tmp_path: Path) -> None:
    app = runtime.app
    f.organisation(app)
    cadre_id = f.registered(app, "C1", party_joined_on="2007-06-01")
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2018-03-01")), f.HR)
    app.handle(RecordEntry(cadre_id, "Commended", {"effective_on": "2022-03-01", "kind": "嘉奖", "by": "县人民政府",
                                                   "reason": "防汛表现突出"}), f.HR)
    runtime.read_models.refresh()
    page = signed_in("hr")
    page.set_default_timeout(60_000)  # a PDF starts a chromium of its own: seconds on a busy 2-core machine
    page.goto(f"/cadres/{cadre_id}?as_of=2023-06-30")

    page.get_by_role("link", name="干部任免审批表").click()
    page.wait_for_load_state()
    assert f"/cadres/{cadre_id}/appointment-form?as_of=2023-06-30" in page.url
    assert page.locator("h1").inner_text().replace(" ", "") == "干部任免审批表"
    form = page.get_by_role("table", name="干部任免审批表 第一页")
    assert "1985.06" in form.inner_text() and "（38岁）" in form.inner_text()
    assert "2018.03--  单位U1副部长" in form.inner_text()
    assert not re.search(r"[A-Za-z]{4,}", page.locator("table").first.inner_text())  # the form speaks Chinese

    with page.expect_download() as lrmx:
        page.get_by_role("link", name="下载任免审批表文件（.lrmx）").click()
    assert lrmx.value.suggested_filename == "任免审批表-王芳.lrmx"
    fields = parse(Path(lrmx.value.path()).read_bytes())
    assert tuple(fields) == FIELDS and fields["JiSuanNianLingShiJian"] == "202306"

    with page.expect_download() as form_pdf:
        page.get_by_role("link", name="下载PDF").click()
    assert Path(form_pdf.value.path()).read_bytes().startswith(b"%PDF-")

    page.get_by_role("link", name="返回成长档案").click()
    page.get_by_role("link", name="打印版", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("button").count() == 0  # a print layout: nothing to press
    head = page.get_by_role("region", name="打印信息").inner_text()
    assert "单位U1" in head and "2023-06-30" in head and "hr-user" in head
    assert str(app.today().year) in head  # 打印时间
    assert "所知截至" in head  # the pages' word for known_at
    timeline = page.locator("body").inner_text()
    assert "单位：单位U1" in timeline and "职位：副部长" in timeline and "P1" not in timeline  # names, not codes

    page.go_back()
    with page.expect_download() as printed:
        page.get_by_role("link", name="下载打印版PDF").click()
    data = Path(printed.value.path()).read_bytes()
    assert data.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 1
