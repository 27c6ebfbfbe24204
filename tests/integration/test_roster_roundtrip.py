"""Issue 20's round trip, on SQLite and PostgreSQL: a unit's 干部名册 exported as .xlsx through the API, the
干部基本信息 import template filled in from it, imported back — into the same store (0 refused, every row
already stored, nothing written but the import's own record) and into a fresh store (every row stored, the
same profiles; a second import there stores nothing twice)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook

from api.xlsx import HEADER_ROW
from domain.identity import make_id_number
from domain.recorded import Provenance
from jishi.bootstrap import Runtime, build_runtime
from jishi.settings import Settings
from service.commands import EstablishPost, RecordEntry, RegisterCadre, RegisterUnit
from service.imports import KINDS
from service.users import add_user
from tests import factories as f

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AS_OF = "2024-06-01"
SHARED = {"干部编号", "姓名", "性别", "出生年月", "民族", "学历", "政治面貌", "职级"}  # the 名册's and the template's


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def office(runtime: Runtime) -> dict[str, str]:
    """组织部 with three posts held by three cadres who differ in what a registration records."""
    app = runtime.app
    app.handle(RegisterUnit(f.unit("ZZB", name="组织部")), f.HR)
    for code, title in (("P1", "副部长"), ("P2", "办公室主任"), ("P3", "干部科科长")):
        app.handle(EstablishPost("ZZB", f.post(code, title=title)), f.HR)
    born = date(1979, 11, 3)
    people = {
        "ZZ001": f.cadre("ZZ001", name="王芳"),
        "ZZ002": f.cadre("ZZ002", birth=born, name="李强", gender="1", id_number=make_id_number("320102", born, "017"),
                         ethnicity="03", education="14", full_time_education=False, native_place="江苏南京",
                         work_started_on="2003-08-01", entry_channel="调任", party_joined_on="2001-06-20",
                         major="法学"),
        "ZZ003": f.cadre("ZZ003", birth=date(1990, 2, 28), name="欧阳雪", political_status="03",
                         work_started_on="2012-09-01"),
    }
    for n, payload in enumerate(people.values(), start=1):
        cadre_id = app.handle(RegisterCadre(payload), f.HR).stream_id
        app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(f"202{n}-03-01", "ZZB", f"P{n}")), f.HR)
    runtime.catch_up()
    return {cadre_no: p["name"] for cadre_no, p in people.items()}


def sheet(data: bytes) -> list[list[Any]]:
    return [list(r) for r in load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True)]


def office_cell(value: Any) -> Any:
    """A growth-file value as an office types it into the template (是/否 for a yes-or-no)."""
    return ("是" if value else "否") if isinstance(value, bool) else value


def filled_from_roster(client: Any, token: str) -> tuple[bytes, dict[str, dict[str, Any]]]:
    """The 干部基本信息 template (as downloaded) filled in from the exported 干部名册: the columns the two
    share are copied from the 名册; the rest (公民身份号码, 是否全日制, 籍贯, 参加工作时间, 进入方式, 入党时间,
    专业) are not on a 名册, so they are looked up, as an office would, in each cadre's growth file through
    the API (found by the 名册's 干部编号). 建档日期 is left empty (the template's rule: 参加工作时间).
    Returns the file and each cadre's growth-file profile (干部编号 → profile)."""
    exported = client.get(f"/api/v1/units/ZZB/roster?as_of={AS_OF}&format=xlsx", headers=bearer(token))
    assert exported.status_code == 200 and exported.headers["content-type"] == XLSX
    roster = sheet(exported.content)
    assert roster[1][0].startswith(f"查看日期 as_of: {AS_OF}")
    headers = roster[HEADER_ROW - 1]
    registration = KINDS["registration"]
    blank = client.get("/api/v1/imports/templates/registration", headers=bearer(token))
    book = load_workbook(io.BytesIO(blank.content))
    columns = [c.value for c in book.worksheets[0][1]]
    assert set(headers) & set(columns) == SHARED
    profiles: dict[str, dict[str, Any]] = {}
    for values in roster[HEADER_ROW:]:
        row = dict(zip(headers, values, strict=True))
        found = client.get("/api/v1/cadres", params={"q": row["干部编号"], "as_of": AS_OF}, headers=bearer(token))
        [cadre] = found.json()["items"]
        growth = client.get(f"/api/v1/cadres/{cadre['cadre_id']}/growth-file", params={"as_of": AS_OF},
                            headers=bearer(token))
        profile = growth.json()["profile"]
        profiles[row["干部编号"]] = profile
        by_header = registration.by_header()
        book.worksheets[0].append([row[h] if h in SHARED else office_cell(profile.get(by_header[h].field))
                                   if h != "建档日期" else None for h in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), profiles


def upload(client: Any, token: str, data: bytes, **form: str) -> Any:
    files = {"file": ("组织部干部名册.xlsx", data, XLSX)}
    return client.post("/api/v1/imports", headers=bearer(token), files=files, data=form)


@pytest.fixture
def fresh(settings: Settings, request: pytest.FixtureRequest) -> Iterator[Runtime]:
    """An empty store of the same backend as ``runtime``'s, with an hr user."""
    other = replace(settings, data_dir=settings.data_dir / "fresh")
    if settings.database_url:
        server = request.getfixturevalue("pg_server")
        other = replace(other, database_url=server.url(server.create_database()))
    other.data_dir.mkdir()
    built = build_runtime(other)
    yield built
    built.close()


def test_a_roster_exported_and_filled_into_the_template_imports_back_as_already_stored_and_stores_nothing(
        client: Any, tokens: dict[str, str], runtime: Runtime, office: dict[str, str]) -> None:
    data, _ = filled_from_roster(client, tokens["hr"])
    head = runtime.app.recorder.max_notification_id()
    dry = upload(client, tokens["hr"], data, dry_run="true")
    assert dry.status_code == 200, dry.text
    assert (dry.json()["rows"], dry.json()["refused"], dry.json()["already_stored"]) == (3, 0, 3)
    assert runtime.app.recorder.max_notification_id() == head
    real = upload(client, tokens["hr"], data)
    assert real.status_code == 201, real.text
    report = real.json()
    assert (report["rows"], report["stored"], report["refused"], report["already_stored"]) == (3, 0, 0, 3)
    assert report["problems"] == []
    after = runtime.app.recorder.select_notifications(start=(head or 0) + 1, limit=100)
    assert [n.topic.rsplit(".", 1)[-1] for n in after] == ["ImportRecorded"]  # the import's own record, no entry


def test_the_same_filled_roster_imports_into_a_fresh_store_as_the_same_cadres_and_a_second_import_stores_nothing(
        client: Any, tokens: dict[str, str], office: dict[str, str], fresh: Runtime) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    data, profiles = filled_from_roster(client, tokens["hr"])
    token = add_user(fresh.app, "hr-fresh", "hr", False, Provenance("test-setup", "admin", "setup"))
    with TestClient(create_app(fresh, follow=False)) as other:
        first = upload(other, token, data)
        assert first.status_code == 201, first.text
        assert (first.json()["stored"], first.json()["refused"], first.json()["already_stored"]) == (3, 0, 0)
        head = fresh.app.recorder.max_notification_id()
        second = upload(other, token, data)
        assert (second.json()["stored"], second.json()["refused"], second.json()["already_stored"]) == (0, 0, 3)
        assert [n.topic.rsplit(".", 1)[-1] for n in fresh.app.recorder.select_notifications(
            start=(head or 0) + 1, limit=100)] == ["ImportRecorded"]
        for cadre_no, profile in profiles.items():
            [cadre] = other.get("/api/v1/cadres", params={"q": cadre_no, "as_of": AS_OF},
                                headers=bearer(token)).json()["items"]
            growth = other.get(f"/api/v1/cadres/{cadre['cadre_id']}/growth-file", params={"as_of": AS_OF},
                               headers=bearer(token)).json()
            assert growth["profile"] == profile, cadre_no
    assert set(profiles) == set(office)
