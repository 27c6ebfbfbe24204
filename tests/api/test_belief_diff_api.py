"""所载变化 over HTTP (API.md v1.1): the roster and growth-file diffs answer with their causes, refuse
T1 > T2 at `vs`, keep to the caller's scope (404 as for a missing unit or cadre), mask as the plain
read does, and a growth-file diff is recorded as a growth-file read."""

from __future__ import annotations

from typing import Any

from domain.recorded import Provenance
from service.users import add_user, reads
from tests import factories as f

SETUP = Provenance("test-setup", "admin", "setup")
TALK = {"type": "ConversationHeld", "effective_on": "2021-07-10", "kind": "五必谈", "trigger": "苗头问题",
        "interviewer": "组织部长", "summary": "谈话提醒，本人表示接受", "document_no": "组谈〔2021〕3号"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _world(client: Any, tokens: dict[str, str]) -> dict[str, str]:
    """U1/P1 held by a cadre since 2020 (T1 = right after the appointment); then a talk is recorded
    (its summary sensitive) and a dismissal effective 2022-01-01 recorded late."""
    hr = bearer(tokens["hr"])
    assert client.post("/api/v1/units", json=f.unit("U1"), headers=hr).status_code == 201
    assert client.post("/api/v1/units", json=f.unit("U2"), headers=hr).status_code == 201
    assert client.post("/api/v1/units/U1/posts", json=f.post("P1"), headers=hr).status_code == 201
    cadre = client.post("/api/v1/cadres", json=f.cadre("C1"), headers=hr).json()["cadre_id"]
    appointed = client.post(f"/api/v1/cadres/{cadre}/entries", json={"type": "Appointed", **f.appointment()},
                            headers=hr).json()
    talk = client.post(f"/api/v1/cadres/{cadre}/entries", json=TALK, headers=hr).json()
    dismissed = client.post(f"/api/v1/cadres/{cadre}/entries", headers=hr, json={
        "type": "Dismissed", **f.dismissal("2022-01-01", document_no="组干〔2024〕9号")}).json()
    return {"cadre": cadre, "t1": str(appointed["recorded_at"]).replace("+00:00", "Z"),
            "talk": talk["entry_id"], "dismissed": dismissed["entry_id"]}


def test_a_roster_diff_names_the_late_dismissal_as_the_cause_of_the_holder_gone(
        client: Any, tokens: dict[str, str]) -> None:
    w = _world(client, tokens)
    answer = client.get(f"/api/v1/units/U1/roster/diff?as_of=2023-03-01&known_at={w['t1']}",
                        headers=bearer(tokens["oversight"]))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["as_of"] == "2023-03-01" and body["vs"] > body["known_at"]
    gone = next(c for c in body["changes"] if c["kind"] == "holders_gone")
    assert (gone["post_code"], gone["cadre_id"], gone["after"]) == ("P1", w["cadre"], None)
    assert [(c["entry_id"], c["type"], c["actor"], c["document_no"]) for c in gone["causes"]] == \
        [(w["dismissed"], "Dismissed", "hr-user", "组干〔2024〕9号")]


def test_a_diff_whose_known_at_is_after_vs_is_refused_at_vs_and_one_without_known_at_at_known_at(
        client: Any, tokens: dict[str, str]) -> None:
    w = _world(client, tokens)
    hr = bearer(tokens["hr"])
    for url in ("/api/v1/units/U1/roster/diff", f"/api/v1/cadres/{w['cadre']}/growth-file/diff"):
        late = client.get(f"{url}?known_at=2025-06-01T00:00:00Z&vs=2025-05-31T23:59:59Z", headers=hr)
        assert late.status_code == 422 and late.headers["content-type"] == "application/problem+json"
        assert [e["loc"] for e in late.json()["errors"]] == ["vs"]
        assert "须不早于 known_at (" in late.json()["errors"][0]["msg"]
        same = client.get(f"{url}?known_at={w['t1']}&vs={w['t1']}", headers=hr)
        assert same.status_code == 200 and same.json()["changes"] == []
        missing = client.get(url, headers=hr)
        assert missing.status_code == 422 and "known_at" in str(missing.json()["errors"][0]["loc"])


def test_out_of_scope_a_diff_is_answered_404_exactly_as_for_a_unit_or_cadre_that_does_not_exist(
        client: Any, tokens: dict[str, str], runtime: Any) -> None:
    w = _world(client, tokens)
    elsewhere = bearer(add_user(runtime.app, "hr-u2", "hr", False, SETUP, ["U2"]))
    at_home = bearer(add_user(runtime.app, "hr-u1", "hr", False, SETUP, ["U1"]))
    query = f"?as_of=2021-01-01&known_at={w['t1']}"
    missing_cadre = "00000000-0000-5000-8000-000000000000"
    for url, missing in ((f"/api/v1/units/U1/roster/diff{query}", f"/api/v1/units/NOPE/roster/diff{query}"),
                         (f"/api/v1/cadres/{w['cadre']}/growth-file/diff{query}",
                          f"/api/v1/cadres/{missing_cadre}/growth-file/diff{query}")):
        refused, absent = client.get(url, headers=elsewhere), client.get(missing, headers=elsewhere)
        assert (refused.status_code, absent.status_code) == (404, 404)
        said, said_absent = refused.json(), absent.json()
        assert said["title"] == said_absent["title"]
        assert said["detail"].partition(":")[0] == said_absent["detail"].partition(":")[0]  # no such unit/cadre
        assert "王芳" not in refused.text and "P1" not in refused.text
        assert client.get(url, headers=at_home).status_code == 200


def test_a_growth_file_diff_is_masked_as_the_read_and_recorded_as_a_growth_file_read(
        client: Any, tokens: dict[str, str], runtime: Any) -> None:
    w = _world(client, tokens)
    url = f"/api/v1/cadres/{w['cadre']}/growth-file/diff?as_of=2023-03-01&known_at={w['t1']}"
    before = len(reads(runtime.app, f.UUID(w["cadre"])))
    seen = {role: client.get(url, headers=bearer(tokens[role])).json() for role in ("hr", "oversight")}
    assert len(reads(runtime.app, f.UUID(w["cadre"]))) == before + 2  # 查阅留痕: each diff is a read

    def talk(body: dict[str, Any]) -> dict[str, Any]:
        return next(c for c in body["changes"] if c["kind"] == "timeline_added" and c["entry_id"] == w["talk"])

    assert talk(seen["hr"])["after"]["fields"]["summary"] == TALK["summary"]
    assert talk(seen["oversight"])["after"]["fields"]["summary"] == "（已屏蔽 masked）"
    assert TALK["summary"] not in str(seen["oversight"])
    assert [c["document_no"] for c in talk(seen["hr"])["causes"]] == ["组谈〔2021〕3号"]
    post = next(c for c in seen["hr"]["changes"] if c["kind"] == "posts_changed")
    assert (post["before"]["until"], post["after"]["until"]) == (None, "2022-01-01")
    assert [c["entry_id"] for c in post["causes"]] == [w["dismissed"]]
