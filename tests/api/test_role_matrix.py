"""Who may call what: every route of the app's own route table × {no token, bad token, each role}.

The expectation comes from API.md ("hr writes entries and reads everything except the raw audit
log of reads; auditor and oversight read everything and write nothing; admin manages users"),
written here independently of the app's dependencies, so a route wired to the wrong role fails.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import pytest
from fastapi.routing import iter_route_contexts

from tests import factories as f

READERS = {"hr", "auditor", "oversight"}
PUBLIC = "public"
SIGN_IN = "sign-in"  # API.md v1.1: anyone may sign in (name, password, TOTP) or out; a bearer token plays no part


def allowed_roles(method: str, path: str) -> set[str] | str:
    """API.md's role table."""
    if path in ("/healthz", "/readyz") or not path.startswith("/api/"):
        return PUBLIC  # probes, /docs, /openapi.json
    if path == "/api/v1/session":
        return SIGN_IN
    if path.startswith("/api/v1/users"):
        return {"admin"}
    if path in ("/api/v1/audit/reads", "/api/v1/audit/bulk-reads"):  # the read logs (issue 21: bulk reads too)
        return {"auditor"}
    if path == "/api/v1/cadres/{cadre_id}/evidence":  # API.md v1.1: the evidence bundle, for auditors
        return {"auditor"}
    if path.startswith("/api/v1/calendar"):  # API.md v1.1: everyone reads the calendar; admin records it,
        # and an hr user with can_publish_calendar (the matrix's hr user has not: tests/api/test_calendar_api.py)
        return {"admin"} if method == "POST" else {*READERS, "admin"}
    if method == "POST":
        return {"hr"}
    if method == "GET":
        return set(READERS)
    raise AssertionError(f"no role rule for {method} {path}: add one from API.md")


def route_table(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every route in ``app.routes``, routers included (flattened)."""
    return [(method, context.path) for context in iter_route_contexts(app.routes)
            for method in sorted(context.methods or ()) if method != "HEAD"]


@pytest.fixture
def world(client: Any, tokens: dict[str, str]) -> dict[str, str]:
    """A unit, a post, a cadre with an entry, and a spare user, so every path id exists."""
    hr = {"Authorization": f"Bearer {tokens['hr']}"}
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    assert client.post("/api/v1/units", json=f.unit("U1"), headers=hr).status_code == 201
    assert client.post("/api/v1/units/U1/posts", json=f.post("P1"), headers=hr).status_code == 201
    cadre = client.post("/api/v1/cadres", json=f.cadre("C1"), headers=hr).json()
    entry = client.post(f"/api/v1/cadres/{cadre['cadre_id']}/entries",
                        json={"type": "Appointed", **f.appointment()}, headers=hr).json()
    assert client.post("/api/v1/users", json={"name": "spare", "role": "auditor"},
                       headers=admin).status_code == 201
    return {"unit_code": "U1", "post_code": "P1", "cadre_id": cadre["cadre_id"],
            "entry_id": entry["entry_id"], "case_id": str(uuid4()), "step_id": str(uuid4()), "actor": "hr-user",
            "pool": "年轻干部库", "name": "spare", "year": "2031", "import_id": str(uuid4()), "kind": "registration"}


def fill(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)


def test_every_route_answers_401_403_or_serves_exactly_as_the_role_table_says(
        client: Any, tokens: dict[str, str], world: dict[str, str]) -> None:
    table = route_table(client.app)
    assert len(table) >= 25
    wrong: list[str] = []
    for method, path in table:
        url = fill(path, world)
        rule = allowed_roles(method, path)
        callers: dict[str, dict[str, str]] = {"no token": {}, "bad token": {"Authorization": "Bearer hr-user.nope"}}
        callers.update({role: {"Authorization": f"Bearer {token}"} for role, token in tokens.items()})
        for caller, headers in callers.items():
            kwargs: dict[str, Any] = {"headers": headers}
            if method == "POST":
                kwargs["json"] = {}
            status = client.request(method, url, **kwargs).status_code
            if rule == PUBLIC:
                ok = status < 400
            elif rule == SIGN_IN:  # an empty body names no user (422); signing out without a session is done
                ok = status == (422 if method == "POST" else 204)
            elif caller in ("no token", "bad token"):
                ok = status == 401
            elif caller in rule:
                ok = status not in (401, 403) and status < 500
            else:
                ok = status == 403
            if not ok:
                wrong.append(f"{caller:>9} {method} {path} → {status}")
    assert wrong == []


def test_a_missing_or_bad_token_is_refused_with_a_bearer_challenge_as_problem_json(client: Any) -> None:
    for headers in ({}, {"Authorization": "Bearer nobody.secret"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/events", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == 401


def test_the_route_table_holds_every_path_of_the_contract_except_the_ledger(client: Any) -> None:
    paths = {path for _, path in route_table(client.app)}
    contract = {
        "/api/v1/units", "/api/v1/units/{unit_code}/posts", "/api/v1/cadres", "/api/v1/cadres/{cadre_id}/entries",
        "/api/v1/cadres/{cadre_id}/entries/{entry_id}/corrections",
        "/api/v1/cadres/{cadre_id}/entries/{entry_id}/retractions",
        "/api/v1/units/{unit_code}/roster", "/api/v1/cadres/{cadre_id}/growth-file", "/api/v1/pools/{pool}",
        "/api/v1/structure", "/api/v1/cadres/{cadre_id}/eligibility", "/api/v1/audit/cadres/{cadre_id}",
        "/api/v1/audit/units/{unit_code}", "/api/v1/audit/posts/{unit_code}/{post_code}",
        "/api/v1/audit/cases/{case_id}", "/api/v1/audit/actors/{actor}", "/api/v1/audit/reads",
        "/api/v1/audit/bulk-reads", "/api/v1/findings", "/api/v1/events", "/api/v1/entries/{entry_id}/impact",
        "/healthz", "/readyz", "/docs", "/openapi.json",
    }
    assert contract - paths == set()
