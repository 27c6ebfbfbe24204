"""The structure pages in a real browser (Debian chromium through Playwright), over a live server on SQLite:
队伍结构 drawn by ECharts with a table equal to the API's figures, 人才库 of a subtree as of a date, and the
ledger page verifying one record's inclusion. One server and one signed-in browser for the whole module."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.test_web_pages import UNLABELLED
from tests.e2e.test_web_structure import subtree  # noqa: F401 — the fixture: U1 ⊃ U1A, U2 beside them

pytestmark = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)

SignIn = Callable[[str], Any]
TABLE = """(key) => Object.fromEntries([...document.querySelectorAll(
    `table[data-dimension="${key}"] tbody tr`)].map(tr => [tr.querySelector('th').textContent.trim(),
    Number(tr.querySelector('[data-count]').textContent)]))"""


def test_an_office_reads_a_subtrees_structure_charts_and_pools_as_of_a_date_and_verifies_a_ledger_entry(
        signed_in: SignIn, tokens: dict[str, str], subtree: dict[str, Any]) -> None:  # noqa: F811
    page = signed_in("hr")
    page.goto("/units/U1/roster")
    page.get_by_role("navigation", name="单位视图").get_by_role("link", name="队伍结构").click()
    page.locator("#as_of").fill("2022-01-01")  # the timeframe form (its label wording is shared)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"/units/U1/structure\?as_of=2022-01-01"))
    assert page.get_by_test_id("cadres").inner_text() == "2"
    assert page.evaluate(UNLABELLED) == []
    api = page.request.get("/api/v1/structure?unit=U1&as_of=2022-01-01",
                           headers={"Authorization": f"Bearer {tokens['hr']}"}).json()
    keys = ("age_band", "gender", "ethnicity", "education", "political_status", "grade", "rank")
    for key in keys:
        assert page.evaluate(TABLE, key) == api["counts"][key], key
        chart = page.locator(f"#chart-{key}")
        assert chart.locator("canvas").count() == 1  # drawn by ECharts, not left empty
        assert chart.bounding_box()["height"] > 100
    assert page.evaluate(TABLE, "gender") == {"女": 1, "男": 1}
    pixels = page.evaluate("""() => { const c = document.querySelector('#chart-gender canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let painted = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) painted++; } return painted; }""")
    assert pixels > 1000  # the pie is painted

    page.get_by_role("navigation", name="单位视图").get_by_role("link", name="人才库").click()
    page.wait_for_url(re.compile(r"/units/U1/pools\?as_of=2022-01-01"))
    assert page.evaluate(UNLABELLED) == []
    reserve = page.locator('table[data-pool="后备干部库"]')
    assert reserve.get_by_role("link", name="李明").count() == 1
    assert page.locator('table[data-pool="年轻干部库"]').get_by_role("link", name="王芳").count() == 1
    assert page.get_by_text("赵强").count() == 0  # in U2, outside the subtree
    page.get_by_label("截至日期").fill("2021-12-31")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"as_of=2021-12-31"))
    assert page.locator('table[data-pool="后备干部库"]').get_by_role("link").count() == 0
    page.locator('table[data-pool="年轻干部库"]').get_by_role("link", name="王芳").click()
    page.wait_for_url(re.compile(rf"/cadres/{subtree['wang']}\?as_of=2021-12-31"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("王芳")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="账本").click()
    assert page.locator("#tree-head").get_by_text("签名有效").count() == 1
    assert page.evaluate(UNLABELLED) == []
    page.get_by_label("记录位置").fill("2")
    page.get_by_role("button", name="核验").click()
    assert "核验通过" in page.locator("#inclusion-verdict").inner_text()
    assert page.locator(".checklist .check-ok").count() == 3
    with page.expect_download() as download:
        page.get_by_role("link", name="下载公钥（PEM 文件）").click()
    assert download.value.suggested_filename.endswith(".pem")
