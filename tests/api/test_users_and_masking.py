"""Users and tokens, masking of sensitive fields by role, and the recorded log of growth-file reads."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from typer.testing import CliRunner

from api.auth import MASKED_TEXT
from api.cli import app as cli
from domain.users import user_id
from service.users import authenticate
from tests import factories as f


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_jishi_user_add_prints_a_working_token_as_its_last_line_and_stores_only_its_hash(
        cli_env: None, runtime: Any, client: Any) -> None:
    result = CliRunner().invoke(cli, ["user", "add", "li-chief", "--role", "hr", "--can-override"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    name, _, secret = token.rpartition(".")
    assert name == "li-chief" and len(secret) >= 43
    principal = authenticate(runtime.app, token)
    assert principal is not None and (principal.role, principal.can_override) == ("hr", True)
    assert client.get("/api/v1/events", headers=_bearer(token)).status_code == 200
    stored = [n for n in runtime.app.recorder.select_notifications(1, 100) if n.originator_id == user_id(name)]
    assert [n.topic for n in stored] == ["jishi.audit.UserAdded", "jishi.audit.TokenExpirySet"]
    assert secret.encode() not in stored[0].state


def test_jishi_user_add_refuses_a_bad_role_or_a_second_user_of_the_same_name(cli_env: None) -> None:
    assert CliRunner().invoke(cli, ["init"]).exit_code == 0
    bad = CliRunner().invoke(cli, ["user", "add", "wang", "--role", "boss"])
    assert bad.exit_code == 2 and "role" in bad.output
    assert CliRunner().invoke(cli, ["user", "add", "wang", "--role", "auditor"]).exit_code == 0
    assert CliRunner().invoke(cli, ["user", "add", "wang", "--role", "auditor"]).exit_code == 5


def test_admins_add_users_over_http_and_a_new_token_or_disabling_ends_the_old_one(
        client: Any, tokens: dict[str, str]) -> None:
    admin = _bearer(tokens["admin"])
    added = client.post("/api/v1/users", json={"name": "zhao", "role": "oversight"}, headers=admin)
    assert added.status_code == 201
    first = added.json()["token"]
    assert client.get("/api/v1/findings", headers=_bearer(first)).status_code == 200
    second = client.post("/api/v1/users/zhao/tokens", headers=admin).json()["token"]
    assert client.get("/api/v1/findings", headers=_bearer(first)).status_code == 401
    assert client.get("/api/v1/findings", headers=_bearer(second)).status_code == 200
    assert client.post("/api/v1/users/zhao/disable", headers=admin).json()["disabled"] is True
    assert client.get("/api/v1/findings", headers=_bearer(second)).status_code == 401
    listed = {u["name"]: u for u in client.get("/api/v1/users", headers=admin).json()["items"]}
    assert listed["zhao"]["role"] == "oversight" and "token_hash" not in str(listed)
    assert not any(t.rpartition(".")[2] in str(listed) for t in (first, second))
    assert client.post("/api/v1/users", json={"name": "qian", "role": "auditor", "can_override": True},
                       headers=admin).status_code == 422
    assert client.post("/api/v1/units", json=f.unit("U1"), headers=admin).status_code == 403


def _sensitive_world(client: Any, hr: dict[str, str]) -> str:
    cadre = client.post("/api/v1/cadres", json=f.cadre("C1"), headers=hr).json()["cadre_id"]
    talk = client.post(f"/api/v1/cadres/{cadre}/entries", headers=hr, json={
        "type": "ConversationHeld", "effective_on": "2021-07-10", "kind": "谈心谈话", "interviewer": "组织部长",
        "summary": "谈话内容：家庭困难"}).json()
    client.post(f"/api/v1/cadres/{cadre}/entries", headers=hr, json={
        "type": "ComplaintReceived", "effective_on": "2021-08-01", "channel": "12380", "specific": True,
        "summary": "反映其违规收受礼品"})
    client.post(f"/api/v1/cadres/{cadre}/entries/{talk['entry_id']}/corrections", headers=hr,
                json={"changes": {"summary": "谈话内容：父亲重病"}, "reason": "记录有误"})
    return str(cadre)


def test_oversight_sees_id_numbers_and_talk_and_complaint_texts_masked_hr_and_auditors_in_full(
        client: Any, tokens: dict[str, str]) -> None:
    hr = _bearer(tokens["hr"])
    cadre = _sensitive_world(client, hr)
    id_number = f.cadre()["id_number"]

    def texts(role: str) -> tuple[str, set[str], str]:
        growth = client.get(f"/api/v1/cadres/{cadre}/growth-file", headers=_bearer(tokens[role])).json()
        summaries = {i["fields"]["summary"] for i in growth["timeline"] if "summary" in i["fields"]}
        feed = client.get("/api/v1/events", headers=_bearer(tokens[role])).json()["items"]
        correction = next(e for e in feed if e["type"] == "EntryCorrected")
        return growth["profile"]["id_number"], summaries, correction["data"]["changes"]["summary"]

    for role in ("hr", "auditor"):
        assert texts(role) == (id_number, {"谈话内容：父亲重病", "反映其违规收受礼品"}, "谈话内容：父亲重病")
    masked_id, summaries, changed = texts("oversight")
    assert masked_id == id_number[:6] + "********" + id_number[-4:]
    assert summaries == {MASKED_TEXT} and changed == MASKED_TEXT


def test_every_growth_file_read_is_recorded_and_survives_a_restart(
        client: Any, tokens: dict[str, str], make_runtime: Any) -> None:
    hr = _bearer(tokens["hr"])
    cadre = client.post("/api/v1/cadres", json=f.cadre("C1"), headers=hr).json()["cadre_id"]
    other = client.post("/api/v1/cadres", json=f.cadre("C2"), headers=hr).json()["cadre_id"]
    for role, who in (("hr", cadre), ("oversight", cadre), ("auditor", other)):
        assert client.get(f"/api/v1/cadres/{who}/growth-file", headers=_bearer(tokens[role])).status_code == 200
    assert client.get("/api/v1/cadres/00000000-0000-0000-0000-000000000000/growth-file",
                      headers=hr).status_code == 404
    reads = client.get(f"/api/v1/audit/reads?cadre_id={cadre}", headers=_bearer(tokens["auditor"])).json()["items"]
    assert [(r["reader"], r["role"], r["cadre_id"]) for r in reads] == [
        ("hr-user", "hr", cadre), ("oversight-user", "oversight", cadre)]
    assert reads[0]["read_at"] < reads[1]["read_at"]
    feed = client.get("/api/v1/events", headers=hr).json()["items"]
    assert not [e for e in feed if e["topic"].startswith(("jishi.audit.", "jishi.system."))]
    client.app.state.runtime.catch_up()  # reads write no read model themselves: the follower applies them
    actor = "/api/v1/audit/actors/oversight-user"
    assert [i["type"] for i in client.get(actor, headers=_bearer(tokens["auditor"])).json()["items"]] == [
        "GrowthFileRead"]
    assert client.get(actor, headers=hr).json()["items"] == []

    from service.users import reads as stored_reads

    restarted = make_runtime()
    assert len(stored_reads(restarted.app)) == 3
    assert [r["reader"] for r in stored_reads(restarted.app, UUID(other))] == ["auditor-user"]
