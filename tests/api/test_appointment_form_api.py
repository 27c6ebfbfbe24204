"""`GET /api/v1/cadres/{id}/appointment-form`: the 干部任免审批表 as .lrmx (or PDF), read like the growth
file — the same scope (another jurisdiction's cadre is 404 as a missing one), masking and read log."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import pytest

from domain.recorded import Provenance
from service.lrmx import FIELDS, parse
from service.users import add_user
from tests import factories as f

SETUP = Provenance("test-setup", "admin", "setup")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def cadre(client: Any, tokens: dict[str, str]) -> str:
    """C1 holding U1/P1 since 2018, with annual assessments 2019–2022, a commendation and a sanction."""
    hr = bearer(tokens["hr"])

    def ok(path: str, body: dict[str, Any]) -> Any:
        response = client.post(path, json=body, headers=hr)
        assert response.status_code == 201, response.text
        return response.json()

    ok("/api/v1/units", f.unit("U1"))
    ok("/api/v1/units/U1/posts", f.post("P1"))
    cadre_id: str = ok("/api/v1/cadres", f.cadre("C1", party_joined_on="2007-06-01"))["cadre_id"]
    ok(f"/api/v1/cadres/{cadre_id}/entries", {"type": "Appointed", **f.appointment("2018-03-01")})
    for year in range(2019, 2023):
        ok(f"/api/v1/cadres/{cadre_id}/entries", {"type": "Assessed", "effective_on": f"{year + 1}-01-15",
                                                  "kind": "年度", "period": str(year), "grade": "称职"})
    ok(f"/api/v1/cadres/{cadre_id}/entries", {"type": "Commended", "effective_on": "2022-03-01", "kind": "嘉奖",
                                              "by": "县人民政府", "reason": "防汛表现突出"})
    ok(f"/api/v1/cadres/{cadre_id}/entries", {"type": "Sanctioned", **f.sanction("2021-05-10", kind="警告")})
    return cadre_id


def test_the_form_is_an_lrmx_file_with_the_field_list_built_from_the_record(
        client: Any, tokens: dict[str, str], cadre: str) -> None:
    response = client.get(f"/api/v1/cadres/{cadre}/appointment-form?as_of=2023-06-30", headers=bearer(tokens["hr"]))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert ".lrmx" in response.headers["content-disposition"]
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    fields = parse(response.content)
    assert tuple(fields) == FIELDS
    assert fields["XingMing"] == "王芳" and fields["ChuShengNianYue"] == "198506"
    assert fields["JiSuanNianLingShiJian"] == "202306" and fields["RuDangShiJian"] == "200706"
    assert fields["XianRenZhiWu"] == "单位U1副部长" and fields["JianLi"] == "2018.03--  单位U1副部长"
    assert fields["NianDuKaoHeJieGuo"] == "2020年度称职；2021年度称职；2022年度称职"  # 2019 is four years back
    assert fields["JiangChengQingKuang"] == ("2021.05 受政务警告处分（纪〔2023〕5号）\n"
                                            "2022.03 获县人民政府嘉奖（防汛表现突出）")
    assert fields["ShenFenZheng"] == f.id_number_of("C1", f.date(1985, 6, 15))
    assert fields["TianBiaoRen"] == "hr-user" and fields["NiRenZhiWu"] == "" and fields["ChuShengDi"] == ""


def test_the_form_as_of_an_earlier_day_says_what_was_true_then(
        client: Any, tokens: dict[str, str], cadre: str) -> None:
    response = client.get(f"/api/v1/cadres/{cadre}/appointment-form?as_of=2017-12-31", headers=bearer(tokens["hr"]))
    fields = parse(response.content)
    assert fields["XianRenZhiWu"] == "" and fields["JianLi"] == "" and fields["JiangChengQingKuang"] == ""


def test_another_jurisdictions_cadre_is_not_found_exactly_as_a_missing_one(
        client: Any, tokens: dict[str, str], runtime: Any, cadre: str) -> None:
    hr = bearer(tokens["hr"])
    assert client.post("/api/v1/units", json=f.unit("U2"), headers=hr).status_code == 201
    other = bearer(add_user(runtime.app, "hr-u2", "hr", False, SETUP, ["U2"]))
    theirs = client.get(f"/api/v1/cadres/{cadre}/appointment-form", headers=other)
    missing = client.get(f"/api/v1/cadres/{uuid4()}/appointment-form", headers=other)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.headers["content-type"] == missing.headers["content-type"] == "application/problem+json"
    assert client.get(f"/api/v1/cadres/{cadre}/appointment-form?format=pdf", headers=other).status_code == 404


def test_the_form_is_masked_for_oversight_and_recorded_as_a_growth_file_read(
        client: Any, tokens: dict[str, str], cadre: str) -> None:
    fields = parse(client.get(f"/api/v1/cadres/{cadre}/appointment-form", headers=bearer(tokens["oversight"])).content)
    assert fields["ShenFenZheng"] != f.id_number_of("C1", f.date(1985, 6, 15))
    reads = client.get(f"/api/v1/audit/reads?cadre_id={cadre}", headers=bearer(tokens["auditor"])).json()
    assert "oversight-user" in {r["reader"] for r in reads["items"]}


def test_a_case_id_that_is_not_a_uuid_or_names_no_case_is_refused(
        client: Any, tokens: dict[str, str], cadre: str) -> None:
    hr = bearer(tokens["hr"])
    bad = client.get(f"/api/v1/cadres/{cadre}/appointment-form?case_id=nope", headers=hr)
    assert bad.status_code == 422 and "case_id" in bad.text
    assert client.get(f"/api/v1/cadres/{cadre}/appointment-form?case_id={uuid4()}", headers=hr).status_code == 404


def test_format_pdf_answers_a_printable_two_page_pdf(client: Any, tokens: dict[str, str], cadre: str) -> None:
    response = client.get(f"/api/v1/cadres/{cadre}/appointment-form?format=pdf", headers=bearer(tokens["hr"]))
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page[^s]", response.content)) == 2  # the form's two A4 pages


def test_the_pages_answer_not_found_for_another_jurisdictions_cadre_as_for_a_missing_one(
        client: Any, tokens: dict[str, str], runtime: Any, cadre: str) -> None:
    from tests.e2e.test_web_reads import sign_in

    assert client.post("/api/v1/units", json=f.unit("U2"), headers=bearer(tokens["hr"])).status_code == 201
    sign_in(client, add_user(runtime.app, "hr-u2", "hr", False, SETUP, ["U2"]))
    for path in ("appointment-form", "appointment-form.lrmx", "appointment-form.pdf", "print", "print.pdf"):
        theirs = client.get(f"/cadres/{cadre}/{path}")
        missing = client.get(f"/cadres/{uuid4()}/{path}")
        assert theirs.status_code == missing.status_code == 404, path
        assert "王芳" not in theirs.text
    sign_in(client, tokens["oversight"])
    page = client.get(f"/cadres/{cadre}/print?as_of=2023-06-30")
    assert page.status_code == 200 and "单位U1" in page.text
    assert f.id_number_of("C1", f.date(1985, 6, 15)) not in page.text  # masked for oversight, as on screen
