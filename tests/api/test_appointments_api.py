"""Appointments over HTTP: R-LATERAL refusals and overrides, 任…免… (``ends_posts``) with 兼任, the
jurisdiction of the posts an appointment ends, and what /openapi.json says of them."""

from __future__ import annotations

from typing import Any

from domain.recorded import Provenance
from service.users import add_user
from tests import factories as f

SETUP = Provenance("test-setup", "admin", "setup")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def county(client: Any, hr: dict[str, str]) -> str:
    """UP with UA and UB below it, each with P1 (142) and P2 (141); a cadre holding UA/P1 since 2020 and
    UB/P1 as a concurrent post (兼任) since 2021."""
    def ok(response: Any) -> Any:
        assert response.status_code == 201, response.text
        return response.json()

    ok(client.post("/api/v1/units", json=f.unit("UP"), headers=hr))
    for unit in ("UA", "UB"):
        ok(client.post("/api/v1/units", json=f.unit(unit, parent_code="UP"), headers=hr))
        ok(client.post(f"/api/v1/units/{unit}/posts", json=f.post("P1"), headers=hr))
        ok(client.post(f"/api/v1/units/{unit}/posts", json=f.post("P2", title="部长", grade="141"), headers=hr))
        ok(client.post(f"/api/v1/units/{unit}/posts", json=f.post("P3"), headers=hr))
    cadre = ok(client.post("/api/v1/cadres", json=f.cadre("C1"), headers=hr))["cadre_id"]
    ok(client.post(f"/api/v1/cadres/{cadre}/entries", headers=hr,
                   json={"type": "Appointed", **f.appointment("2020-01-01", "UA")}))
    ok(client.post(f"/api/v1/cadres/{cadre}/entries", headers=hr,
                   json={"type": "Appointed", **f.appointment("2021-01-01", "UB", manner="兼任")}))
    return str(cadre)


def appoint(client: Any, cadre: str, headers: dict[str, str], **values: Any) -> Any:
    return client.post(f"/api/v1/cadres/{cadre}/entries", headers=headers,
                       json={"type": "Appointed", **f.appointment("2023-06-01", "UA", "P3"), **values})


def test_a_lateral_move_one_level_up_is_422_naming_the_rule_and_201_with_an_override(
        client: Any, tokens: dict[str, str], runtime: Any) -> None:
    hr = bearer(tokens["hr"])
    cadre = county(client, hr)
    refused = appoint(client, cadre, hr, post_code="P2", ends_posts=["UA/P1"])
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["rules"] == ["R-LATERAL"]
    chief = bearer(add_user(runtime.app, "chief", "hr", True, SETUP))
    stored = appoint(client, cadre, chief, post_code="P2", ends_posts=["UA/P1"], override_reason="经市委批准")
    assert stored.status_code == 201, stored.text
    assert stored.json()["overrides"] == ["R-LATERAL"]


def test_ends_posts_is_validated_422_and_a_concurrent_post_ends_nothing(client: Any, tokens: dict[str, str]) -> None:
    hr = bearer(tokens["hr"])
    cadre = county(client, hr)
    for values, loc in (({"manner": "兼任", "ends_posts": ["UA/P1"]}, "ends_posts"),
                        ({"ends_posts": ["UA P1"]}, "ends_posts"),
                        ({"ends_reason": "调动"}, "ends_reason"),
                        ({"ends_posts": "UA/P1"}, "ends_posts")):
        answer = appoint(client, cadre, hr, **values)
        assert answer.status_code == 422, (values, answer.text)
        assert any(loc in str(e["loc"]) for e in answer.json()["errors"]), answer.json()
    not_held = appoint(client, cadre, hr, ends_posts=["UA/P2"])
    assert not_held.status_code == 422 and not_held.json()["rules"] == ["R-SEQ"]
    moved = appoint(client, cadre, hr, ends_posts=["UA/P1", "UB/P1"])
    assert moved.status_code == 201, moved.text
    file = client.get(f"/api/v1/cadres/{cadre}/growth-file", params={"as_of": "2023-06-01"}, headers=hr).json()
    assert [(p["unit_code"], p["post_code"]) for p in file["posts"] if p["until"] is None] == [("UA", "P3")]


def test_a_scoped_user_ends_only_posts_of_units_in_scope(client: Any, tokens: dict[str, str], runtime: Any) -> None:
    cadre = county(client, bearer(tokens["hr"]))
    ua = bearer(add_user(runtime.app, "hr-ua", "hr", False, SETUP, ["UA"]))
    head = runtime.app.recorder.max_notification_id()
    outside = appoint(client, cadre, ua, ends_posts=["UA/P1", "UB/P1"])
    assert outside.status_code == 404 and "UB/P1" in outside.json()["detail"]
    assert runtime.app.recorder.max_notification_id() == head
    inside = appoint(client, cadre, ua, ends_posts=["UA/P1"])
    assert inside.status_code == 201, inside.text
    entry = inside.json()["entry_id"]
    widened = client.post(f"/api/v1/cadres/{cadre}/entries/{entry}/corrections", headers=ua,
                          json={"changes": {"ends_posts": ["UA/P1", "UB/P1"]}, "reason": "漏录"})
    assert widened.status_code == 404
    whole = bearer(tokens["hr"])
    everything = client.post(f"/api/v1/cadres/{cadre}/entries/{entry}/corrections", headers=whole,
                             json={"changes": {"ends_posts": ["UA/P1", "UB/P1"]}, "reason": "漏录"})
    assert everything.status_code == 201, everything.text
    undone = client.post(f"/api/v1/cadres/{cadre}/entries/{entry}/retractions", headers=ua, json={"reason": "误录"})
    assert undone.status_code == 404  # it would give back the post in UB


def test_the_openapi_document_describes_ends_posts_and_the_concurrent_manner(client: Any) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["AppointedEntry"]["properties"]
    assert "兼任" in str(schema["manner"]) and "ends_posts" in schema and "ends_reason" in schema
