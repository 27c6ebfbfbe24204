"""Over HTTP: a grade outside its kind's scale is 422 naming ``grade`` (entries and corrections), a
duplicate 公民身份号码 is 409, and a unit's recorded participant count has its own route in the
contract, refused or stored as R-EXCELLENT-QUOTA says."""

from __future__ import annotations

from typing import Any

from tests import factories as f


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def _staffed(client: Any, hr: dict[str, str], holders: int = 1) -> list[str]:
    assert client.post("/api/v1/units", json=f.unit("U1"), headers=hr).status_code == 201
    assert client.post("/api/v1/units/U1/posts", headers=hr,
                       json=f.post("P1", establishment=holders, leadership=False, probation=False)).status_code == 201
    cadres = []
    for n in range(holders):
        cadre_id = client.post("/api/v1/cadres", json=f.cadre(f"A{n}"), headers=hr).json()["cadre_id"]
        appointed = client.post(f"/api/v1/cadres/{cadre_id}/entries", headers=hr,
                                json={"type": "Appointed", **f.appointment("2020-01-01")})
        assert appointed.status_code == 201, appointed.text
        cadres.append(cadre_id)
    return cadres


def _assessed(kind: str, grade: str, period: str = "2023") -> dict[str, Any]:
    return {"type": "Assessed", "effective_on": "2024-01-15", "kind": kind, "period": period, "grade": grade}


def test_an_annual_assessment_with_a_routine_grade_is_422_naming_grade(client: Any, tokens: dict[str, str]) -> None:
    hr = _bearer(tokens["hr"])
    [cadre_id] = _staffed(client, hr)
    body = _problem(client.post(f"/api/v1/cadres/{cadre_id}/entries", headers=hr, json=_assessed("年度", "较好")), 422)
    assert [e["loc"] for e in body["errors"]] == ["grade"]
    message = body["errors"][0]["msg"]
    assert "年度考核的等次须为以下之一" in message and "(a 年度 assessment grades" in message
    assert client.post(f"/api/v1/cadres/{cadre_id}/entries", headers=hr,
                       json=_assessed("平时", "较好", "2023-Q4")).status_code == 201


def test_a_correction_that_leaves_kind_and_grade_mismatched_is_422_naming_grade(
        client: Any, tokens: dict[str, str]) -> None:
    hr = _bearer(tokens["hr"])
    [cadre_id] = _staffed(client, hr)
    stored = client.post(f"/api/v1/cadres/{cadre_id}/entries", headers=hr, json=_assessed("年度", "称职")).json()
    url = f"/api/v1/cadres/{cadre_id}/entries/{stored['entry_id']}/corrections"
    for changes in ({"grade": "良好"}, {"kind": "平时"}):
        body = _problem(client.post(url, headers=hr, json={"changes": changes, "reason": "更正"}), 422)
        assert [e["loc"] for e in body["errors"]] == ["changes.grade"], changes
    assert client.post(url, headers=hr, json={"changes": {"kind": "任期", "period": "2021-2023"},
                                              "reason": "更正"}).status_code == 201  # 称职 is on 任期's scale


def test_a_second_cadre_with_the_same_id_number_is_409(client: Any, tokens: dict[str, str]) -> None:
    hr = _bearer(tokens["hr"])
    assert client.post("/api/v1/cadres", json=f.cadre("D1"), headers=hr).status_code == 201
    body = _problem(client.post("/api/v1/cadres", headers=hr,
                                json=f.cadre("D2", id_number=f.cadre("D1")["id_number"])), 409)
    assert "id_number already registered" in body["detail"]
    second = client.post("/api/v1/cadres", json=f.cadre("D2"), headers=hr).json()["cadre_id"]
    growth = client.get(f"/api/v1/cadres/{second}/growth-file", headers=hr).json()
    registration = growth["timeline"][0]["entry_id"]
    _problem(client.post(f"/api/v1/cadres/{second}/entries/{registration}/corrections", headers=hr, json={
        "changes": {"id_number": f.cadre("D1")["id_number"]}, "reason": "更正身份号码"}), 409)


def test_the_participants_route_is_in_the_contract_and_feeds_the_quota(client: Any, tokens: dict[str, str]) -> None:
    hr = _bearer(tokens["hr"])
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/units/{unit_code}/assessment-participants"]["post"]
    assert "参加考核人数" in operation["description"] or "参加考核人数" in operation.get("summary", "")
    cadres = _staffed(client, hr, 2)
    url = "/api/v1/units/U1/assessment-participants"
    refused = _problem(client.post(f"/api/v1/cadres/{cadres[0]}/entries", headers=hr,
                                   json=_assessed("年度", "优秀")), 422)  # 1 of the 2 holders: 50 %
    assert refused["rules"] == ["R-EXCELLENT-QUOTA"] and refused["errors"][0]["loc"] == "grade"
    bad = _problem(client.post(url, headers=hr, json={**f.participants("2023", 10), "kind": "平时"}), 422)
    assert [e["loc"] for e in bad["errors"]] == ["kind"]
    recorded = client.post(url, headers=hr, json=f.participants("2023", 10))
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["unit_code"] == "U1"
    for cadre_id in cadres:  # 2 of the 10 recorded
        assert client.post(f"/api/v1/cadres/{cadre_id}/entries", headers=hr,
                           json=_assessed("年度", "优秀")).status_code == 201
    trail = client.get("/api/v1/audit/units/U1", headers=_bearer(tokens["auditor"])).json()["items"]
    assert any(i["type"] == "AssessmentParticipantsRecorded" and i["document_no"] == "组考〔2021〕1号" for i in trail)
    assert not [i for i in trail if i["type"] in ("ExcellentCounted", "PostListed", "RoundOpened")]
