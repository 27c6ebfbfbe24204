"""Selection cases (选任纪实) and eligibility (资格测算) over the API."""

from __future__ import annotations

from typing import Any

from tests import factories as f


def test_a_selection_case_is_opened_and_its_steps_are_recorded_and_traced(
        client: Any, tokens: dict[str, str]) -> None:
    hr = {"Authorization": f"Bearer {tokens['hr']}"}
    assert client.post("/api/v1/units", json=f.unit("U1"), headers=hr).status_code == 201
    assert client.post("/api/v1/units/U1/posts", json=f.post("P1"), headers=hr).status_code == 201
    cadre = client.post("/api/v1/cadres", json=f.cadre("C1"), headers=hr).json()["cadre_id"]
    opened = client.post("/api/v1/selection-cases", json=f.case_payload("2023-01-04"), headers=hr)
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["case_id"]
    assert opened.json()["stream_id"] == case_id
    steps = f"/api/v1/selection-cases/{case_id}/steps"
    recommended = client.post(steps, headers={**hr, "Idempotency-Key": "rec-1"}, json={
        "type": "Recommended", "effective_on": "2023-01-10", "kind": "会议推荐", "participants": 30,
        "votes": {cadre: 25}})
    assert recommended.status_code == 201, recommended.text
    assert client.post(steps, headers={**hr, "Idempotency-Key": "rec-1"}, json={
        "type": "Recommended", "effective_on": "2023-01-10", "kind": "会议推荐", "participants": 30,
        "votes": {cadre: 25}}).json() == recommended.json()
    shortlisted = client.post(steps, headers=hr, json={"type": "Shortlisted", "effective_on": "2023-01-15",
                                                        "cadre_ids": [cadre], "expected_version": 2})
    assert shortlisted.status_code == 201, shortlisted.text
    assert client.post(steps, headers=hr, json={"type": "Inspected", "effective_on": "2023-01-20",
                                                "cadre_id": cadre, "findings": "良好",
                                                "expected_version": 2}).status_code == 409
    unknown = client.post(steps, headers=hr, json={"type": "Appointed", "effective_on": "2023-01-20"})
    assert unknown.status_code == 422
    trail = client.get(f"/api/v1/audit/cases/{case_id}", headers={"Authorization": f"Bearer {tokens['auditor']}"})
    assert [t["type"] for t in trail.json()["items"]] == ["CaseOpened", "Recommended", "Shortlisted"]


def test_eligibility_lists_each_guard_with_pass_or_fail_for_a_post_or_a_rank(
        client: Any, tokens: dict[str, str]) -> None:
    hr = {"Authorization": f"Bearer {tokens['hr']}"}
    oversight = {"Authorization": f"Bearer {tokens['oversight']}"}
    client.post("/api/v1/units", json=f.unit("U1"), headers=hr)
    client.post("/api/v1/units/U1/posts", json=f.post("P1", grade="141"), headers=hr)
    cadre = client.post("/api/v1/cadres", json=f.cadre("C1"), headers=hr).json()["cadre_id"]
    for_post = client.get(f"/api/v1/cadres/{cadre}/eligibility", params={"post": "U1/P1", "on": "2024-01-01"},
                          headers=oversight)
    assert for_post.status_code == 200, for_post.text
    body = for_post.json()
    assert body["cadre_id"] == cadre and isinstance(body["eligible"], bool)
    assert {c["rule"] for c in body["checks"]} >= {"R-SANCTION-PERIOD", "R-INVESTIGATION"}
    assert all(isinstance(c["passed"], bool) and c["reasons"] for c in body["checks"])
    for_rank = client.get(f"/api/v1/cadres/{cadre}/eligibility", params={"rank": "三级主任科员"}, headers=hr)
    assert for_rank.status_code == 200 and "R-RANK-YEARS" in {c["rule"] for c in for_rank.json()["checks"]}
    assert client.get(f"/api/v1/cadres/{cadre}/eligibility", headers=hr).status_code == 422
    assert client.get(f"/api/v1/cadres/{cadre}/eligibility", params={"rank": "司令"}, headers=hr).status_code == 422
