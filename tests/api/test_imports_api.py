"""导入台账 over HTTP: templates download and import, a dry run answers 200 and stores nothing, a real run
answers 201 with the report and is recorded, the CLI imports with a progress bar, and bad files are 4xx."""

from __future__ import annotations

import io
from typing import Any
from uuid import UUID

import pytest
from openpyxl import load_workbook

from jishi.bootstrap import Runtime
from service.imports import KINDS
from tests import factories as f
from tests.xlsx_files import filled, registration_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def upload(client: Any, token: str, data: bytes, *, name: str = "名册.xlsx", **form: str) -> Any:
    return client.post("/api/v1/imports", headers=bearer(token), files={"file": (name, data, XLSX)}, data=form)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_template_downloads_with_chinese_headers_and_its_instructions(client: Any, tokens: dict[str, str],
                                                                           kind: str) -> None:
    response = client.get(f"/api/v1/imports/templates/{kind}", headers=bearer(tokens["hr"]))
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [KINDS[kind].title, "填写说明"]
    assert [c.value for c in book.worksheets[0][1]] == [c.header for c in KINDS[kind].columns]


def test_a_template_of_an_unknown_kind_is_not_found(client: Any, tokens: dict[str, str]) -> None:
    response = client.get("/api/v1/imports/templates/salaries", headers=bearer(tokens["hr"]))
    assert response.status_code == 404 and "未知台账类别" in response.json()["detail"]


def test_a_downloaded_template_filled_in_imports_dry_then_for_real_then_stores_nothing_twice(
        client: Any, tokens: dict[str, str], runtime: Runtime) -> None:
    blank = client.get("/api/v1/imports/templates/registration", headers=bearer(tokens["hr"])).content
    data = filled("registration", [registration_row(f.cadre("C1")), registration_row(f.cadre("C2"), 学历="博士")],
                  template_bytes=blank)
    head = runtime.app.recorder.max_notification_id()
    dry = upload(client, tokens["hr"], data, dry_run="true")
    assert dry.status_code == 200 and runtime.app.recorder.max_notification_id() == head
    assert (dry.json()["stored"], dry.json()["refused"], dry.json()["import_id"]) == (1, 1, None)
    assert dry.json()["problems"] == [{"row": 3, "column": "学历", "problem": dry.json()["problems"][0]["problem"]}]
    real = upload(client, tokens["hr"], data)
    assert real.status_code == 201 and (real.json()["stored"], real.json()["refused"]) == (1, 1)
    again = upload(client, tokens["hr"], data)
    assert (again.json()["stored"], again.json()["already_stored"]) == (0, 1)
    record = client.get(f"/api/v1/imports/{real.json()['import_id']}", headers=bearer(tokens["auditor"]))
    assert record.status_code == 200 and record.json()["actor"] == "hr-user"
    assert record.json()["file_name"] == "名册.xlsx" and record.json()["sha256"] == real.json()["sha256"]
    found = client.get("/api/v1/cadres", params={"q": "C1"}, headers=bearer(tokens["hr"])).json()
    assert [c["cadre_no"] for c in found["items"]] == ["C1"]  # the read models caught up with the import


@pytest.mark.parametrize(("name", "data", "says"), [
    ("名册.xlsx", b"not a workbook", "不是有效的 Excel"),
    ("名册.csv", b"a,b", "不支持的文件类型"),
    ("名册.xlsx", b"", "文件为空"),
])
def test_a_file_that_is_not_a_template_is_refused_naming_the_file(client: Any, tokens: dict[str, str], name: str,
                                                                  data: bytes, says: str) -> None:
    response = upload(client, tokens["hr"], data, name=name)
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"] == "file" and says in response.json()["errors"][0]["msg"]


def test_a_sheet_with_columns_the_template_does_not_have_is_refused_before_any_row(
        client: Any, tokens: dict[str, str], runtime: Runtime) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "干部基本信息"
    sheet.append(["干部编号", "姓名", "工资"])
    out = io.BytesIO()
    book.save(out)
    head = runtime.app.recorder.max_notification_id()
    response = upload(client, tokens["hr"], out.getvalue())
    assert response.status_code == 422 and "工资" in response.json()["errors"][0]["msg"]
    assert runtime.app.recorder.max_notification_id() == head


def test_only_hr_imports_and_an_unknown_import_is_not_found(client: Any, tokens: dict[str, str]) -> None:
    data = filled("registration", [registration_row(f.cadre("C1"))])
    assert upload(client, tokens["auditor"], data).status_code == 403
    missing = client.get("/api/v1/imports/00000000-0000-0000-0000-000000000001", headers=bearer(tokens["hr"]))
    assert missing.status_code == 404


def test_the_cli_imports_a_file_with_a_progress_bar_and_says_the_counts(cli_env: None, tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from api.cli import app as cli

    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    template = tmp_path / "t.xlsx"
    assert runner.invoke(cli, ["import", "template", "干部基本信息", "--out", str(template)]).exit_code == 0
    file = tmp_path / "名册.xlsx"
    rows = [registration_row(f.cadre("C1")), registration_row(f.cadre("C2"), 性别="x")]
    file.write_bytes(filled("registration", rows, template_bytes=template.read_bytes()))
    dry = runner.invoke(cli, ["import", "xlsx", str(file), "--dry-run"])
    assert dry.exit_code == 3 and "可存入 would store 1" in dry.stdout and "性别" in dry.stdout
    real = runner.invoke(cli, ["import", "xlsx", str(file), "--kind", "registration"])
    assert real.exit_code == 3 and "存入 stored 1" in real.stdout and "导入 名册.xlsx" in real.stdout
    again = runner.invoke(cli, ["import", "xlsx", str(file)])
    assert "已存在 already stored 1" in again.stdout
    wrong = runner.invoke(cli, ["import", "xlsx", str(file), "--sheet", "Sheet9"])
    assert wrong.exit_code == 2 and "Sheet9" in wrong.stderr


def test_a_scoped_user_reads_only_their_own_imports(client: Any, tokens: dict[str, str], runtime: Runtime) -> None:
    from domain.recorded import Provenance
    from service.commands import RegisterUnit
    from service.users import add_user

    runtime.app.handle(RegisterUnit(f.unit("U1")), f.HR)
    runtime.catch_up()
    scoped = add_user(runtime.app, "hr-u1", "hr", False, Provenance("test-setup", "admin", "setup"), ["U1"])
    data = filled("registration", [registration_row(f.cadre("C1"))])
    theirs = upload(client, scoped, data).json()["import_id"]
    others = upload(client, tokens["hr"], filled("registration", [registration_row(f.cadre("C2"))])).json()["import_id"]
    assert client.get(f"/api/v1/imports/{theirs}", headers=bearer(scoped)).status_code == 200
    assert client.get(f"/api/v1/imports/{others}", headers=bearer(scoped)).status_code == 404
    assert client.get(f"/api/v1/imports/{theirs}", headers=bearer(tokens["hr"])).json()["actor"] == "hr-u1"


def test_an_appointment_form_file_imports_through_the_same_endpoint_and_is_recorded_as_an_import(
        client: Any, tokens: dict[str, str], runtime: Any) -> None:
    from tests.integration.test_lrmx_round_trip import SUPPLIED, form

    data = form()
    lacking = upload(client, tokens["hr"], data, name="李强.lrmx")
    assert lacking.status_code == 201 and lacking.json()["refused"] == 1
    assert {p["column"] for p in lacking.json()["problems"]} >= {"cadre_no", "entry_channel", "rank"}
    dry = upload(client, tokens["hr"], data, name="李强.lrmx", dry_run="true", **SUPPLIED)
    assert dry.status_code == 200 and dry.json()["stored"] == 1 and dry.json()["import_id"] is None
    real = upload(client, tokens["hr"], data, name="李强.lrmx", **SUPPLIED)
    assert real.status_code == 201 and real.json()["stored"] == 1
    record = client.get(f"/api/v1/imports/{real.json()['import_id']}", headers=bearer(tokens["hr"])).json()
    assert record["kind"] == "lrmx" and record["stored"] == 1 and record["sha256"] == real.json()["sha256"]
    again = upload(client, tokens["hr"], data, name="李强.lrmx", **SUPPLIED)
    assert again.json()["already_stored"] == 1 and again.json()["stored"] == 0
    first = next(iter(runtime.app.events.get(UUID(real.json()["cadre_id"]))))
    assert first.request_id == f"import:{real.json()['import_id']}"  # the registration links back to its import
