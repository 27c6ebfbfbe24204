"""Refusals are RFC 9457 problem+json with the right status, rule ids and bilingual messages."""

from __future__ import annotations

from typing import Any

from api.problems import ERROR_TABLE, classify
from domain.errors import (
    ConcurrencyError,
    ConflictError,
    IdempotencyConflictError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
    ValidationError,
)
from domain.recorded import Provenance
from service.users import add_user
from tests import factories as f


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "rules", "errors"} <= body.keys()
    assert body["status"] == status
    return body


def _organised(client: Any, hr: dict[str, str]) -> str:
    assert client.post("/api/v1/units", json=f.unit("U1"), headers=hr).status_code == 201
    assert client.post("/api/v1/units/U1/posts", json=f.post("P1"), headers=hr).status_code == 201
    cadre_id: str = client.post("/api/v1/cadres", json=f.cadre("C1"), headers=hr).json()["cadre_id"]
    return cadre_id


def test_one_table_maps_each_domain_error_to_its_status() -> None:
    assert classify(ValidationError([]))[0] == 422
    assert classify(RuleViolationError([]))[0] == 422
    assert classify(NotFoundError("x"))[0] == 404
    assert {classify(e)[0] for e in (ConflictError("x"), ConcurrencyError("x"), IdempotencyConflictError("x"))} == {409}
    assert classify(PermissionDeniedError("x"))[0] == 403
    assert all(isinstance(status, int) for status, _, _ in ERROR_TABLE.values())


def test_invalid_fields_are_422_with_each_location_and_a_chinese_and_english_message(
        client: Any, tokens: dict[str, str]) -> None:
    hr = _bearer(tokens["hr"])
    cadre_id = _organised(client, hr)
    body = _problem(client.post(f"/api/v1/cadres/{cadre_id}/entries", headers=hr, json={
        "type": "Assessed", "effective_on": "2021-13-01", "kind": "年度", "period": "2020", "grade": "极好",
        "colour": "red"}), 422)
    locs = {e["loc"]: e["msg"] for e in body["errors"]}
    assert {"effective_on", "grade", "colour"} <= locs.keys()
    assert locs["colour"].startswith("未知字段 (") and locs["effective_on"].startswith("须为日期")
    assert all("(" in msg and ")" in msg for msg in locs.values())


def test_malformed_json_an_unknown_type_and_a_bad_query_are_refused_never_500(
        client: Any, tokens: dict[str, str]) -> None:
    hr = _bearer(tokens["hr"])
    cadre_id = _organised(client, hr)
    url = f"/api/v1/cadres/{cadre_id}/entries"
    broken = _problem(client.post(url, content=b'{"type": ', headers={**hr, "content-type": "application/json"}), 422)
    assert broken["errors"][0]["loc"] == "body" and "JSON" in broken["errors"][0]["msg"]
    unknown = _problem(client.post(url, json={"type": "Promoted"}, headers=hr), 422)
    assert unknown["errors"][0]["msg"] == "未知记录类型 (unknown entry type: Promoted)"
    assert _problem(client.post(url, json={"type": "HardshipRecorded", "effective_on": "2021-01-01",
                                           "description": "bad\u0000text"}, headers=hr), 422)
    assert _problem(client.get("/api/v1/units/U1/roster?as_of=yesterday", headers=hr), 422)
    assert _problem(client.get("/api/v1/units/U1/roster?known_at=%00", headers=hr), 422)
    assert _problem(client.get("/api/v1/cadres?cursor=garbage", headers=hr), 422)
    assert _problem(client.get("/api/v1/cadres/not-a-uuid/growth-file", headers=hr), 422)


def test_unknown_ids_are_404(client: Any, tokens: dict[str, str]) -> None:
    hr = _bearer(tokens["hr"])
    nobody = "00000000-0000-0000-0000-000000000000"
    assert _problem(client.get(f"/api/v1/cadres/{nobody}/growth-file", headers=hr), 404)["type"].endswith("not-found")
    assert _problem(client.get("/api/v1/units/NOPE/roster", headers=hr), 404)
    assert _problem(client.post(f"/api/v1/cadres/{nobody}/entries", headers=hr,
                                json={"type": "HardshipRecorded", "effective_on": "2021-01-01",
                                      "description": "x"}), 404)
    assert _problem(client.get("/api/v1/no-such-route", headers=hr), 404)


def test_a_rule_refusal_is_422_with_rule_ids_and_an_override_needs_the_permission(
        client: Any, runtime: Any, tokens: dict[str, str]) -> None:
    hr = _bearer(tokens["hr"])
    plain_hr = _bearer(add_user(runtime.app, "hr-plain", "hr", False, Provenance("t", "admin", "t")))
    _organised(client, hr)
    second = client.post("/api/v1/cadres", json=f.cadre("C2"), headers=hr).json()["cadre_id"]
    first = client.get("/api/v1/cadres?q=C1", headers=hr).json()["items"][0]["cadre_id"]
    assert client.post(f"/api/v1/cadres/{first}/entries", json={"type": "Appointed", **f.appointment()},
                       headers=hr).status_code == 201
    url = f"/api/v1/cadres/{second}/entries"
    refused = _problem(client.post(url, json={"type": "Appointed", **f.appointment()}, headers=hr), 422)
    assert refused["rules"] == ["R-EST"] and refused["type"].endswith("rule-violation")
    assert any(e["msg"].startswith("R-EST: ") for e in refused["errors"])
    overriding = {"type": "Appointed", **f.appointment(), "override_reason": "上级批准超职数配备"}
    _problem(client.post(url, json=overriding, headers=plain_hr), 403)
    stored = client.post(url, json=overriding, headers=hr)
    assert stored.status_code == 201 and stored.json()["overrides"] == ["R-EST"]


def test_every_response_echoes_or_assigns_a_request_id_that_provenance_keeps(
        client: Any, runtime: Any, tokens: dict[str, str]) -> None:
    hr = _bearer(tokens["hr"])
    response = client.post("/api/v1/units", json=f.unit("U1"), headers={**hr, "X-Request-ID": "req-abc.1"})
    assert response.headers["x-request-id"] == "req-abc.1"
    generated = client.get("/healthz").headers["x-request-id"]
    assert len(generated) == 32
    unit = runtime.app.get_unit("U1")
    assert unit is not None
    event = runtime.app.mapper.to_domain_event(
        runtime.app.recorder.select_notifications(response.json()["position"], 1)[0])
    assert event.request_id == "req-abc.1" and event.actor == "hr-user" and event.actor_role == "hr"
