"""The Excel downloads the other page tests do not fetch (issue 20: "Playwright downloads each file from the
pages"): 队伍结构 from the structure page (its route over HTTP on both backends: scope, bad input, the two
times), then in Debian's chromium 监督发现 and 队伍结构 as oversight and the 审计轨迹 as the auditor, each opened
with openpyxl. The roster, search, template, .lrmx and PDF downloads are in test_web_roster_search.py,
test_web_imports.py and test_web_print.py."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from api.exports import AUDIT, FINDINGS, STRUCTURE
from domain.identity import make_id_number
from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from projections.audit import type_label
from service.commands import EstablishPost, RecordEntry, RegisterUnit
from service.users import add_user
from tests import factories as f
from tests.e2e.test_web_reads import sign_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AS_OF = "2024-06-01"
SETUP = Provenance("test-setup", "admin", "setup")


@pytest.fixture
def office(runtime: Runtime) -> dict[str, Any]:
    """U1 (单位U1) with 王芳 (女) and 李明 (男) in its two posts since 2020 and 2024-07-01; U2 with 张丽."""
    app = runtime.app
    f.organisation(app)
    app.handle(EstablishPost("U1", f.post("P2", title="办公室主任")), f.HR)
    app.handle(RegisterUnit(f.unit("U2", name="县发展改革局")), f.HR)
    app.handle(EstablishPost("U2", f.post("P1")), f.HR)
    wang = f.registered(app, "C1")
    born = date(1988, 2, 3)
    li = f.registered(app, "C2", name="李明", gender="1", birth=born, id_number=make_id_number("110105", born, "011"))
    zhang = f.registered(app, "C3", name="张丽", birth=date(1984, 5, 6))
    app.handle(RecordEntry(wang, "Appointed", f.appointment("2020-01-01")), f.HR)
    app.handle(RecordEntry(li, "Appointed", f.appointment("2024-07-01", post_code="P2")), f.HR)
    app.handle(RecordEntry(zhang, "Appointed", f.appointment("2021-05-01", "U2")), f.HR)
    runtime.catch_up()
    return {"wang": wang, "li": li, "zhang": zhang}


def rows_of(data: bytes) -> list[list[Any]]:
    return [list(r) for r in load_workbook(BytesIO(data)).worksheets[0].iter_rows(values_only=True)]


def counts(rows: list[list[Any]]) -> dict[tuple[str, str], int]:
    return {(r[0], r[1]): r[2] for r in rows[3:]}


def test_the_structure_download_counts_the_subtree_on_the_day_as_known_then_in_the_users_scope(
        client: Any, tokens: dict[str, str], runtime: Runtime, office: dict[str, Any]) -> None:
    assert client.get("/units/U1/structure.xlsx", follow_redirects=False).headers["location"].startswith("/login")
    sign_in(client, tokens["hr"])
    later = client.get("/units/U1/structure.xlsx?as_of=2024-08-01")
    assert later.status_code == 200 and later.headers["content-type"] == XLSX
    rows = rows_of(later.content)
    assert rows[0][0] == "队伍结构 单位U1"
    assert rows[1][0] == "查看日期 as_of: 2024-08-01；记录时点 known_at: 现在（导出之时）"
    assert rows[2] == [c.header for c in STRUCTURE]
    assert counts(rows)[("性别", "女")] == 1 and counts(rows)[("性别", "男")] == 1  # 张丽 is in U2
    before = rows_of(client.get(f"/units/U1/structure.xlsx?as_of={AS_OF}").content)
    assert counts(before)[("性别", "女")] == 1 and ("性别", "男") not in counts(before)  # 李明 not yet appointed
    known = rows_of(client.get("/units/U1/structure.xlsx?as_of=2024-08-01&known_at=2000-01-01T08:00").content)
    # the instant as the page took it, in Beijing time
    assert known[1][0] == "查看日期 as_of: 2024-08-01；记录时点 known_at: 2000-01-01T08:00:00+08:00"
    assert known[3:] == []  # nothing was recorded yet then
    back = client.get("/units/U1/structure.xlsx?as_of=2024-13-01", follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == "/units/U1/structure?as_of=2024-13-01"
    sign_in(client, add_user(runtime.app, "hr-u2", "hr", False, SETUP, ["U2"]))
    assert client.get(f"/units/U1/structure.xlsx?as_of={AS_OF}").status_code == 404
    own = rows_of(client.get(f"/units/U2/structure.xlsx?as_of={AS_OF}").content)
    assert own[0][0] == "队伍结构 县发展改革局" and sum(n for (d, _), n in counts(own).items() if d == "性别") == 1


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_in_the_browser_oversight_downloads_findings_and_structure_and_the_auditor_the_audit_trail(
        signed_in: Any, runtime: Runtime, office: dict[str, Any]) -> None:
    today = runtime.app.today().isoformat()
    page = signed_in("oversight")
    page.goto("/findings")
    with page.expect_download() as findings:
        page.get_by_role("link", name="下载 Excel").click()
    assert findings.value.suggested_filename == f"监督发现-{today}.xlsx"
    rows = rows_of(findings.value.path().read_bytes())
    assert rows[0][0] == "监督发现" and rows[1][0] == f"查看日期 as_of: {today}；记录时点 known_at: 现在（导出之时）"
    assert rows[2] == [c.header for c in FINDINGS]
    assert rows[3:] and {r[2] for r in rows[3:]} <= {"王芳", "李明", "张丽"} and {r[7] for r in rows[3:]} == {"未整改"}

    page.goto(f"/units/U1/structure?as_of={AS_OF}")
    with page.expect_download() as structure:
        page.get_by_role("link", name="下载队伍结构（Excel）").click()
    assert structure.value.suggested_filename == f"队伍结构 单位U1-{AS_OF}.xlsx"
    rows = rows_of(structure.value.path().read_bytes())
    assert rows[1][0].startswith(f"查看日期 as_of: {AS_OF}；") and counts(rows)[("性别", "女")] == 1

    page = signed_in("auditor")
    page.goto("/audit?cadre=C1")
    with page.expect_download() as trail:
        page.get_by_role("link", name="下载 Excel").click()
    assert trail.value.suggested_filename == f"审计轨迹-干部 {office['wang']}-{today}.xlsx"
    rows = rows_of(trail.value.path().read_bytes())
    assert rows[0][0] == f"审计轨迹 干部 {office['wang']}" and rows[1][0].startswith(f"查看日期 as_of: {today}；")
    assert rows[2] == [c.header for c in AUDIT]
    assert [r[1] for r in rows[3:]][:2] == [type_label("CadreRegistered"), type_label("Appointed")]  # in Chinese
    assert re.fullmatch(r"\d+", str(rows[3][0]))
