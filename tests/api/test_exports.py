"""Excel exports of list reads (API.md v1.1): `format=xlsx` or `Accept` gives the JSON answer's rows as
one sheet — a title, the as_of / known_at line, Chinese headers, then the rows — read in the caller's
scope and masked for their role exactly as the JSON."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from api.exports import birth_month
from api.xlsx import XLSX, col, workbook
from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from service.users import add_user
from tests import factories as f
from tests.integration.test_search_keys import two_huang_liu

SETUP = Provenance("test-setup", "admin", "setup")
AS_OF = "2024-06-01"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sheet_of(response: Any) -> tuple[str, str, list[Any], list[list[Any]]]:
    """(title, timeframe line, headers, rows) of an .xlsx answer."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"].startswith("attachment;")
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    return values[0][0], values[1][0], values[2], values[3:]


@pytest.fixture
def county(runtime: Runtime) -> dict[str, Any]:
    return two_huang_liu(runtime)


def test_the_roster_sheet_is_the_cadre_register_with_the_json_holders_as_rows(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    url = f"/api/v1/units/ZZB/roster?as_of={AS_OF}&known_at=2099-01-01T00:00:00Z"
    data = client.get(url, headers=bearer(tokens["hr"])).json()
    title, when, headers, rows = sheet_of(client.get(url + "&format=xlsx", headers=bearer(tokens["hr"])))
    assert title == "组织部 干部名册"
    assert when == f"查看日期 as_of: {AS_OF}；记录时点 known_at: 2099-01-01T00:00:00+00:00"
    assert headers == ["单位", "职务", "职务层次", "姓名", "性别", "出生年月", "民族", "学历", "政治面貌",
                       "任现职时间", "职级", "任职方式", "干部编号"]
    expected = [["组织部", p["title"], p["grade_label"], h["name"], h["gender_label"], birth_month(h["birth_date"]),
                 h["ethnicity_label"], h["education_label"], h["political_status_label"], h["since"], h["rank"],
                 h["manner"], h["cadre_no"]] for p in data["posts"] for h in p["holders"]]
    assert rows == expected and expected[0][3:6] == ["黄柳", "女", "1985.06"]


def test_the_search_sheet_answers_the_accept_header_with_the_json_rows_and_current_posts(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    url = f"/api/v1/cadres?q=hl&as_of={AS_OF}"
    data = client.get(url, headers=bearer(tokens["hr"])).json()
    _, when, headers, rows = sheet_of(client.get(url, headers={**bearer(tokens["hr"]), "Accept": XLSX}))
    assert when == f"查看日期 as_of: {AS_OF}；记录时点 known_at: 现在（导出之时）"
    assert headers[:2] == ["姓名", "性别"] and headers[-3:] == ["干部编号", "公民身份号码", "现任单位及职务"]
    posts = {p["cadre_id"]: "；".join(c["unit_name"] + c["post_title"] for c in p["current_posts"])
             for p in data["items"]}
    assert [[r[0], r[-3], r[-2], r[-1]] for r in rows] == [
        [p["name"], p["cadre_no"], p["id_number"], posts[p["cadre_id"]]] for p in data["items"]]
    assert sorted(r[-1] for r in rows) == ["城关镇副镇长", "组织部副部长"]


def test_an_export_is_masked_for_the_role_exactly_as_the_json(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    url = f"/api/v1/cadres?q=hl&as_of={AS_OF}"
    masked = client.get(url, headers=bearer(tokens["oversight"])).json()["items"]
    _, _, _, rows = sheet_of(client.get(url + "&format=xlsx", headers=bearer(tokens["oversight"])))
    full = f.id_number_of("C1", f.date(1985, 6, 15))
    assert sorted(r[-2] for r in rows) == sorted(p["id_number"] for p in masked)
    assert all("*" in r[-2] for r in rows) and full not in {r[-2] for r in rows}


def test_an_export_holds_no_row_of_another_jurisdiction(
        client: Any, runtime: Runtime, county: dict[str, Any]) -> None:
    token = add_user(runtime.app, "hr-town", "hr", False, SETUP, ["CGZ"])
    _, _, _, rows = sheet_of(client.get(f"/api/v1/cadres?q=hl&as_of={AS_OF}&format=xlsx", headers=bearer(token)))
    assert [(r[0], r[-1]) for r in rows] == [("黄柳", "城关镇副镇长")]
    refused = client.get(f"/api/v1/units/ZZB/roster?as_of={AS_OF}&format=xlsx", headers=bearer(token))
    assert refused.status_code == 404 and refused.headers["content-type"] == "application/problem+json"
    _, _, _, audit_rows = sheet_of(client.get("/api/v1/audit/units/CGZ?format=xlsx", headers=bearer(token)))
    assert audit_rows and all(r[12] in ("CGZ", None) for r in audit_rows)


def test_the_findings_sheet_holds_the_json_findings(client: Any, tokens: dict[str, str],
                                                     county: dict[str, Any]) -> None:
    url = "/api/v1/findings?as_of=2024-06-01"
    data = client.get(url, headers=bearer(tokens["hr"])).json()
    _, when, headers, rows = sheet_of(client.get(url + "&format=xlsx", headers=bearer(tokens["hr"])))
    assert data["items"], "the county has findings (试用期 of the appointments)"
    assert when.startswith("查看日期 as_of: 2024-06-01")
    assert headers[:2] == ["规则", "规则名称"] and "状态" in headers
    assert [(r[0], r[3], r[6]) for r in rows] == [(i["rule"], i["cadre_id"], i["due_on"]) for i in data["items"]]
    names = {str(county["town"]): "黄柳", str(county["dept"]): "黄柳", str(county["shan"]): "单雄信"}
    assert all(r[2] == names[r[3]] for r in rows if r[3])  # a cadre's finding names the cadre


def test_the_audit_sheet_holds_the_trail_in_recorded_order_with_chinese_event_names(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    url = "/api/v1/audit/units/ZZB"
    data = client.get(url, headers=bearer(tokens["auditor"])).json()
    title, _, headers, rows = sheet_of(client.get(url + "?format=xlsx", headers=bearer(tokens["auditor"])))
    assert title == "审计轨迹 单位 ZZB" and headers[:3] == ["序号", "事项", "生效日期"]
    assert [(r[0], r[1]) for r in rows] == [(i["position"], i["type_label"]) for i in data["items"]]
    assert {r[1] for r in rows} >= {"单位登记", "设立职位", "任职"}


def test_the_structure_sheet_lists_each_count_of_the_json_and_states_the_known_at_it_was_read_for(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    url = f"/api/v1/structure?as_of={AS_OF}"
    data = client.get(url, headers=bearer(tokens["hr"])).json()
    _, when, headers, rows = sheet_of(client.get(url + "&format=xlsx", headers=bearer(tokens["hr"])))
    assert when == f"查看日期 as_of: {AS_OF}；记录时点 known_at: 现在（导出之时）"
    _, when, _, _ = sheet_of(client.get(url + "&known_at=2099-01-01T00:00:00Z&format=xlsx",
                                        headers=bearer(tokens["hr"])))
    assert when == f"查看日期 as_of: {AS_OF}；记录时点 known_at: 2099-01-01T00:00:00+00:00"
    assert headers == ["维度", "类别", "人数"]
    assert sum(r[2] for r in rows if r[0] == "性别") == data["cadres"] == 2
    assert len(rows) == sum(len(v) for v in data["counts"].values())


def test_format_json_answers_json_and_an_unknown_format_is_refused_at_the_field(
        client: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    ok = client.get("/api/v1/cadres?q=hl&format=json", headers={**bearer(tokens["hr"]), "Accept": XLSX})
    assert ok.headers["content-type"].startswith("application/json") and len(ok.json()["items"]) == 2
    bad = client.get("/api/v1/cadres?q=hl&format=csv", headers=bearer(tokens["hr"]))
    assert bad.status_code == 422 and "format" in bad.text


def test_a_cell_starting_with_an_equals_sign_stays_text_never_a_formula() -> None:
    data = workbook("测试", [col("姓名", "name")], [{"name": "=HYPERLINK(\"x\")"}], as_of="2024-01-01", known_at=None)
    cell = load_workbook(BytesIO(data)).worksheets[0].cell(4, 1)
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"x\")"


def test_a_control_character_a_sheet_cannot_hold_is_left_out_instead_of_failing_the_export() -> None:
    data = workbook("测试", [col("事由", "reason")], [{"reason": "录入\x01错误\x1f"}], as_of="2024-01-01",
                    known_at=None)
    assert load_workbook(BytesIO(data)).worksheets[0].cell(4, 1).value == "录入错误"
