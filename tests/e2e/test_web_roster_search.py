"""The search and roster pages as an office reads them: 全拼 / 首字母 / 公民身份号码 with 现任单位及职务, the
roster as 干部名册, units in 机构序列, and the Excel downloads of the roster, search, findings and audit pages
(over HTTP on both backends; one Debian chromium test downloads from the buttons and takes screenshots)."""

from __future__ import annotations

import os
import re
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from api.xlsx import XLSX
from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from service.commands import RegisterUnit
from service.users import add_user
from tests import factories as f
from tests.e2e.test_web_reads import sign_in
from tests.integration.test_search_keys import two_huang_liu

SETUP = Provenance("test-setup", "admin", "setup")


@pytest.fixture
def county(runtime: Runtime) -> dict[str, Any]:
    return two_huang_liu(runtime)


def table_rows(page: str, caption: str) -> list[list[str]]:
    """The cells' text of the table with this caption, row by row (the header row first)."""
    table = page[page.index(f"<caption>{caption}</caption>"):]
    table = table[:table.index("</table>")]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


def sheet_rows(data: bytes) -> list[list[Any]]:
    return [list(r) for r in load_workbook(BytesIO(data)).worksheets[0].iter_rows(values_only=True)]


def rows_of(response: Any) -> list[list[Any]]:
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == XLSX
    return sheet_rows(response.content)


def test_the_search_page_finds_both_huang_liu_by_initials_each_with_their_current_post(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    sign_in(client, tokens["hr"])
    page = client.get("/cadres?q=hl&as_of=2024-06-01").text
    rows = table_rows(page, "查询结果")
    assert rows[0][:2] == ["姓名", "现任单位及职务"]
    assert sorted((r[0], r[1]) for r in rows[1:]) == [("黄柳", "城关镇 副镇长"), ("黄柳", "组织部 副部长")]
    assert "找到 2 人" in page and 'id="search-xlsx"' in page


def test_the_search_page_finds_a_cadre_by_id_number_for_hr_and_shows_it_masked_to_oversight_by_name(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    number = f.id_number_of("C2", f.date(1985, 6, 15))
    sign_in(client, tokens["hr"])
    [header, row] = table_rows(client.get(f"/cadres?q={number}&as_of=2024-06-01").text, "查询结果")
    assert (row[1], row[header.index("公民身份号码")]) == ("组织部 副部长", number)
    name = row[0]
    sign_in(client, tokens["oversight"])  # a full number is no query for a role shown it masked (issue 21)
    assert client.get(f"/cadres?q={number}&as_of=2024-06-01").status_code == 422
    [header, *rows] = table_rows(client.get("/cadres", params={"q": name, "as_of": "2024-06-01"}).text, "查询结果")
    assert number[:6] + "********" + number[-4:] in [r[header.index("公民身份号码")] for r in rows]


def test_the_unit_tree_follows_the_sequence_of_organisations_not_the_codes(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    sign_in(client, tokens["hr"])
    page = client.get("/units").text
    assert page.index("组织部") < page.index("城关镇")  # 党委部门 before 乡镇, though CGZ sorts before ZZB


def test_the_roster_page_shows_the_cadre_register_and_its_download_is_that_register(
        client: Any, tokens: dict[str, str], runtime: Runtime, county: dict[str, Any]) -> None:
    sign_in(client, tokens["auditor"])
    register = table_rows(client.get("/units/ZZB/roster?as_of=2024-06-01").text, "干部名册")
    assert register == [["姓名", "职务", "性别", "出生年月", "民族", "学历", "政治面貌", "任现职时间", "职级"],
                        ["黄柳", "副部长", "女", "1985.06", "汉族", "大学本科毕业", "中共党员", "2021-03-01",
                         "四级主任科员"]]
    runtime.app.handle(RegisterUnit(f.unit("ZZB-GB", name="干部科", kind="党委部门", parent_code="ZZB")), f.HR)
    runtime.catch_up()
    child = client.get("/units/ZZB-GB/roster?as_of=2024-06-01").text
    assert re.search(r'上级单位 <a href="/units/ZZB/roster">组织部</a>', child)
    rows = rows_of(client.get("/units/ZZB/roster.xlsx?as_of=2024-06-01"))
    assert rows[0][0] == "组织部 干部名册" and rows[1][0].startswith("查看日期 as_of: 2024-06-01")
    assert rows[3][:6] == ["组织部", "副部长", "乡科级副职", "黄柳", "女", "1985.06"]


def test_the_page_downloads_hold_only_the_rows_in_the_users_scope(
        client: Any, runtime: Runtime, county: dict[str, Any]) -> None:
    sign_in(client, add_user(runtime.app, "hr-town", "hr", False, SETUP, ["CGZ"]))
    search = rows_of(client.get("/cadres.xlsx?q=hl&as_of=2024-06-01"))
    assert [r[0] for r in search[3:]] == ["黄柳"] and search[3][-1] == "城关镇副镇长"
    assert client.get("/units/ZZB/roster.xlsx?as_of=2024-06-01").status_code == 404
    findings = rows_of(client.get("/findings.xlsx?status="))
    assert findings[3:] and {r[3] for r in findings[3:]} <= {str(county["town"]), None}
    assert {r[4] for r in findings[3:]} <= {"CGZ", None} and "组织部" not in str(findings)
    audit = rows_of(client.get("/audit.xlsx?unit=CGZ"))
    assert audit[0][0] == "审计轨迹 单位 CGZ" and {r[1] for r in audit[3:]} >= {"单位登记", "任职"}


def test_a_download_without_a_session_sends_you_to_sign_in_and_bad_input_back_to_the_page(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    assert client.get("/cadres.xlsx?q=hl", follow_redirects=False).headers["location"].startswith("/login")
    sign_in(client, tokens["hr"])
    back = client.get("/cadres.xlsx?max_age=abc", follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == "/cadres?max_age=abc"


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_in_the_browser_hr_finds_the_two_huang_liu_and_downloads_the_search_and_the_register(
        signed_in: Any, county: dict[str, Any], tmp_path: Path) -> None:
    shots = Path(os.environ.get("JISHI_SCREENSHOT_DIR") or tmp_path)
    page = signed_in("hr")
    page.goto("/cadres")
    page.get_by_label("姓名、拼音或编号").fill("hl")
    page.get_by_label("截至日期").fill("2024-06-01")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile("q=hl"))
    results = page.get_by_role("table", name="查询结果")
    assert results.get_by_role("row").count() == 3  # the header and the two 黄柳
    assert "城关镇 副镇长" in results.inner_text() and "组织部 副部长" in results.inner_text()
    page.screenshot(path=str(shots / "search-same-name.png"), full_page=True)
    with page.expect_download() as searched:
        page.get_by_role("link", name=re.compile("下载查询结果")).click()
    assert searched.value.suggested_filename == "干部查询-2024-06-01.xlsx"
    rows = sheet_rows(searched.value.path().read_bytes())
    assert sorted(r[-1] for r in rows[3:]) == ["城关镇副镇长", "组织部副部长"]

    page.goto("/units/ZZB/roster?as_of=2024-06-01")
    register = page.get_by_role("table", name="干部名册")
    assert "四级主任科员" in register.inner_text() and "1985.06" in register.inner_text()
    page.screenshot(path=str(shots / "roster-register.png"), full_page=True)
    with page.expect_download() as listed:
        page.get_by_role("link", name="下载干部名册（Excel）").click()
    assert listed.value.suggested_filename == "干部名册-组织部-2024-06-01.xlsx"
    book = sheet_rows(listed.value.path().read_bytes())
    assert book[2][:4] == ["单位", "职务", "职务层次", "姓名"] and book[3][3] == "黄柳"


def test_the_search_address_leads_to_the_search_page_with_its_query(client: Any) -> None:
    moved = client.get("/search?q=hl", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/cadres?q=hl"
