"""管辖范围 of new recruits and of entries a user may not see (issue 21): a cadre registered and not yet placed
belongs to the registering user's scope; a write about another jurisdiction's recruit or entry answers
exactly as one about something that does not exist, before any version check."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from tests import factories as f
from tests.api.test_scope_matrix import PARENT, bearer, world  # noqa: F401 — the three townships' world


def answer(client: Any, url: str, headers: dict[str, str], body: Any, *ids: str) -> dict[str, Any]:
    """Status and problem body of a POST, request id aside and the ids it names replaced by placeholders."""
    response = client.post(url, json=body, headers=headers)
    found = {k: v for k, v in response.json().items() if k != "request_id"}
    for n, value in enumerate(ids):
        found = {k: v.replace(value, f"ID{n}") if isinstance(v, str) else v for k, v in found.items()}
    return {"status": response.status_code, **found}


def test_a_recruit_registered_by_one_township_answers_as_absent_to_another_township_for_every_write(
        client: Any, tokens: dict[str, str], world: dict[str, Any]) -> None:  # noqa: F811
    township, neighbour = (bearer(world["users"][("hr", u)]) for u in ("UB", "UA"))
    recruit = client.post("/api/v1/cadres", json=f.cadre("NEWB"), headers=township).json()["cadre_id"]
    registration = str(f.entry_id_of(f.UUID(recruit), 1))
    nobody, nothing = str(uuid4()), str(uuid4())
    writes = (
        ("/api/v1/cadres/{c}/entries/{e}/corrections",
         {"changes": {"name": "李四", "id_number": f.cadre("OTHER")["id_number"]}, "reason": "改名"}),
        ("/api/v1/cadres/{c}/entries/{e}/retractions", {"reason": "误录", "expected_version": 0}),
        ("/api/v1/cadres/{c}/entries", {"type": "Appointed", **f.appointment("2024-03-01", "UA")}),
    )
    for path, body in writes:
        there = answer(client, path.format(c=recruit, e=registration), neighbour, body, recruit, registration)
        missing = answer(client, path.format(c=nobody, e=nothing), neighbour, body, nobody, nothing)
        assert there == missing and there["status"] == 404, (path, there)
    trail = client.get(f"/api/v1/audit/cadres/{recruit}", headers=bearer(tokens["auditor"])).json()["items"]
    assert [i["type"] for i in trail] == ["CadreRegistered"]  # nothing else was recorded
    # the registrant's own township, and the county above it, may correct and place the recruit
    county = bearer(world["users"][("hr", PARENT)])
    corrected = client.post(f"/api/v1/cadres/{recruit}/entries/{registration}/corrections", headers=county,
                            json={"changes": {"name": "李四"}, "reason": "录入错误"})
    assert corrected.status_code == 201, corrected.text
    assert client.post("/api/v1/units/UB/posts", json=f.post("P2"), headers=township).status_code == 201
    placed = client.post(f"/api/v1/cadres/{recruit}/entries", headers=township,
                         json={"type": "Appointed", **f.appointment("2024-03-01", "UB", "P2")})
    assert placed.status_code == 201, placed.text


def test_a_recruit_a_whole_tree_user_registered_is_open_only_to_whole_tree_users(
        client: Any, tokens: dict[str, str], world: dict[str, Any]) -> None:  # noqa: F811
    recruit = client.post("/api/v1/cadres", json=f.cadre("NEWW"), headers=bearer(tokens["hr"])).json()["cadre_id"]
    for unit in ("UA", PARENT):
        appointed = client.post(f"/api/v1/cadres/{recruit}/entries", headers=bearer(world["users"][("hr", unit)]),
                                json={"type": "Appointed", **f.appointment("2024-03-01", unit)})
        assert appointed.status_code == 404
        assert appointed.json()["detail"] == f"干部不存在 (no such cadre): {recruit}"
    assert client.post(f"/api/v1/cadres/{recruit}/entries/{f.entry_id_of(f.UUID(recruit), 1)}/corrections",
                       headers=bearer(tokens["hr"]), json={"changes": {"name": "李四"}, "reason": "录入错误"}
                       ).status_code == 201


def test_an_entry_of_another_townships_period_answers_as_absent_even_with_a_stale_version(
        client: Any, world: dict[str, Any]) -> None:  # noqa: F811
    """A cadre of UA moved to UB by the county: UA still sees the cadre (their period there), but an entry UB
    recorded afterwards answers as an entry that does not exist — neither its wording nor a 409 telling the
    record's version gives it away."""
    cadre = world["ids"]["UA"]["cadre_id"]
    township, neighbour = (bearer(world["users"][("hr", u)]) for u in ("UB", "UA"))
    county = bearer(world["users"][("hr", PARENT)])
    assert client.post("/api/v1/units/UB/posts", json=f.post("P3"), headers=township).status_code == 201
    moved = client.post(f"/api/v1/cadres/{cadre}/entries", headers=county, json={
        "type": "Appointed", **f.appointment("2024-03-01", "UB", "P3"), "ends_posts": ["UA/P1"]})
    assert moved.status_code == 201, moved.text
    theirs = client.post(f"/api/v1/cadres/{cadre}/entries", headers=township, json={
        "type": "Assessed", "effective_on": "2025-01-15", "kind": "年度", "period": "2024", "grade": "称职"})
    assert theirs.status_code == 201, theirs.text
    entry, nothing = theirs.json()["entry_id"], str(uuid4())
    url = f"/api/v1/cadres/{cadre}/entries/{{}}/retractions"
    for body in ({"reason": "误录"}, {"reason": "误录", "expected_version": 0}):
        there = answer(client, url.format(entry), neighbour, body, entry)
        missing = answer(client, url.format(nothing), neighbour, body, nothing)
        assert there == missing and there["status"] == 404, there
        assert "管辖" not in there["detail"]
    correction = {"changes": {"grade": "优秀"}, "reason": "更正", "expected_version": 0}
    there = answer(client, f"/api/v1/cadres/{cadre}/entries/{entry}/corrections", neighbour, correction, entry)
    missing = answer(client, f"/api/v1/cadres/{cadre}/entries/{nothing}/corrections", neighbour, correction, nothing)
    assert there == missing and there["status"] == 404
    # the cadre stays visible to UA for the period they served there: only UB's entry is hidden
    assert client.get(f"/api/v1/cadres/{cadre}/growth-file?as_of=2023-01-01", headers=neighbour).status_code == 200
    assert entry not in client.get(f"/api/v1/audit/cadres/{cadre}", headers=neighbour).text
