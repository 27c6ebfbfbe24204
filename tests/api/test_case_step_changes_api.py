"""Corrections and retractions of selection-case steps over HTTP: 201, 422 (validation and rules), 404,
403 for readers, the case's audit trail linking them, jurisdiction, and /openapi.json."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.recorded import Provenance
from service.commands import EstablishPost, OpenCase, RecordEntry, RegisterUnit
from service.users import add_user
from tests import factories as f

SETUP = Provenance("test-setup", "admin", "setup")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def decided_case(runtime: Any) -> tuple[str, str, dict[str, str]]:
    """(case id, cadre id, step ids by type) of a case for UA/P1 (UA and UB under UP), carried through the
    decision for a 科员 of UA."""
    app = runtime.app
    app.handle(RegisterUnit(f.unit("UP")), f.HR)
    for unit in ("UA", "UB"):
        app.handle(RegisterUnit(f.unit(unit, parent_code="UP")), f.HR)
        app.handle(EstablishPost(unit, f.post("P1")), f.HR)
        app.handle(EstablishPost(unit, f.post("KY", title="科员", grade="150", leadership=False, probation=False,
                                        establishment=5)), f.HR)
    cadre_id = f.registered(app, rank="一级科员")
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2020-01-01", "UA", "KY", manner="转任")), f.HR)
    case_id = f.UUID(app.handle(OpenCase(f.case_payload("2023-01-04", "UA", "P1")), f.HR).extra["case_id"])
    f.case_through_decision(app, case_id, cadre_id, date(2023, 2, 1))
    steps = {s.type: str(s.entry_id) for s in app.get_case(case_id).steps}
    runtime.catch_up()
    return str(case_id), str(cadre_id), steps


def test_a_step_is_corrected_and_retracted_with_201_and_the_case_trail_links_them(
        client: Any, tokens: dict[str, str], runtime: Any) -> None:
    hr = bearer(tokens["hr"])
    case_id, _, steps = decided_case(runtime)
    base = f"/api/v1/selection-cases/{case_id}/steps"
    corrected = client.post(f"{base}/{steps['Inspected']}/corrections", headers=hr, json={
        "changes": {"findings": "政治坚定，实绩突出"}, "reason": "考察材料录入有误", "document_no": "组更〔2023〕1号"})
    assert corrected.status_code == 201, corrected.text
    body = corrected.json()
    assert body["stream_id"] == case_id and body["case_id"] == case_id and body["entry_id"] != steps["Inspected"]
    undone = client.post(f"{base}/{body['entry_id']}/retractions", headers=hr, json={"reason": "更正有误"})
    assert undone.status_code == 201, undone.text
    trail = client.get(f"/api/v1/audit/cases/{case_id}", headers=hr).json()["items"]
    by_id = {row["entry_id"]: row for row in trail}
    assert by_id[body["entry_id"]]["corrects"] == steps["Inspected"]
    correction = by_id[body["entry_id"]]
    assert (correction["type_label"], correction["document_no"]) == ("更正", "组更〔2023〕1号")
    assert by_id[undone.json()["entry_id"]]["retracts"] == body["entry_id"]
    assert by_id[steps["Decided"]]["type_label"] == "讨论决定"  # case steps are named in Chinese too


def test_bad_changes_are_422_naming_the_field_and_a_refused_retraction_names_the_rule(
        client: Any, tokens: dict[str, str], runtime: Any) -> None:
    hr = bearer(tokens["hr"])
    case_id, _, steps = decided_case(runtime)
    base = f"/api/v1/selection-cases/{case_id}/steps"
    for json, loc in (({"changes": {"present": 12}, "reason": "x"}, "changes.present"),
                      ({"changes": {}, "reason": "x"}, "changes"),
                      ({"changes": {"present": 9}}, "reason"),
                      ({"changes": {"present": 9}, "reason": "x", "typo": 1}, "typo")):
        answer = client.post(f"{base}/{steps['Decided']}/corrections", headers=hr, json=json)
        assert answer.status_code == 422, (json, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert [e["loc"] for e in answer.json()["errors"]] == [loc], answer.json()
    refused = client.post(f"{base}/{steps['Inspected']}/retractions", headers=hr, json={"reason": "误录"})
    assert refused.status_code == 422 and refused.json()["rules"] == ["R-SEQ"]
    assert "讨论决定" in refused.json()["detail"]


def test_unknown_steps_and_cases_are_404_and_readers_may_not_write(
        client: Any, tokens: dict[str, str], runtime: Any) -> None:
    hr = bearer(tokens["hr"])
    case_id, _, steps = decided_case(runtime)
    missing = client.post(f"/api/v1/selection-cases/{case_id}/steps/{f.UUID(int=3)}/retractions", headers=hr,
                          json={"reason": "误录"})
    assert missing.status_code == 404
    nowhere = client.post(f"/api/v1/selection-cases/{f.UUID(int=4)}/steps/{steps['Decided']}/corrections",
                          headers=hr, json={"changes": {"present": 9}, "reason": "x"})
    assert nowhere.status_code == 404
    auditor = client.post(f"/api/v1/selection-cases/{case_id}/steps/{steps['Decided']}/retractions",
                          headers=bearer(tokens["auditor"]), json={"reason": "误录"})
    assert auditor.status_code == 403


def test_a_scoped_user_changes_only_steps_of_cases_in_scope_naming_cadres_in_scope(
        client: Any, runtime: Any) -> None:
    case_id, _, steps = decided_case(runtime)
    neighbour = bearer(add_user(runtime.app, "hr-ub", "hr", False, SETUP, ["UB"]))
    owner = bearer(add_user(runtime.app, "hr-ua", "hr", False, SETUP, ["UA"]))
    base = f"/api/v1/selection-cases/{case_id}/steps/{steps['Inspected']}"
    assert client.post(f"{base}/corrections", headers=neighbour,
                       json={"changes": {"findings": "改"}, "reason": "x"}).status_code == 404
    assert client.post(f"{base}/retractions", headers=neighbour, json={"reason": "x"}).status_code == 404
    outsider = f.registered(runtime.app, "C9", rank="一级科员")
    runtime.app.handle(RecordEntry(outsider, "Appointed", f.appointment("2020-01-01", "UB", "KY", manner="转任")), f.HR)
    runtime.catch_up()
    elsewhere = client.post(f"{base}/corrections", headers=owner,
                            json={"changes": {"cadre_id": str(outsider)}, "reason": "考察对象有误"})
    assert elsewhere.status_code == 404  # the corrected step would name a cadre out of scope
    fine = client.post(f"{base}/corrections", headers=owner, json={"changes": {"findings": "改"}, "reason": "x"})
    assert fine.status_code == 201, fine.text


def test_the_openapi_document_describes_both_routes_with_their_bodies_and_status_codes(client: Any) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for action, body in (("corrections", "Correction"), ("retractions", "Retraction")):
        operation = paths[f"/api/v1/selection-cases/{{case_id}}/steps/{{step_id}}/{action}"]["post"]
        assert {"201", "401", "403", "404", "409", "422"} <= set(operation["responses"])
        assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(f"/{body}")
        assert {"case_id", "step_id"} <= {p["name"] for p in operation["parameters"]}
