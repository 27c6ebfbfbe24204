"""管辖范围 matrix: three sibling units (UA, UB, UC) under a parent (UP), users scoped to each, and every
/api route of the app's own route table, called with the ids of each unit's world.

A route that names something (a unit, post, cadre, entry, case, user or ledger position) must answer
404 for what lies outside the caller's scope — exactly as for what does not exist — and serve what
lies inside; a write out of scope is refused with 404 and records nothing; a list holds no id of
anything out of scope. The expectations come from the issue, written independently of the app's
code, and a route the table does not classify fails the test (add it here).
"""

from __future__ import annotations

import json
import re
from typing import Any
from uuid import uuid4

import pytest

from domain.recorded import Provenance
from service.users import add_user
from tests import factories as f
from tests.api.test_role_matrix import fill, route_table

PARENT, SIBLINGS = "UP", ("UA", "UB", "UC")
TARGETS = (PARENT, *SIBLINGS)
SEES = {PARENT: set(TARGETS), **{u: {u} for u in SIBLINGS}}  # a user scoped to UP sees its whole subtree
FUTURE = "2099-01-01"  # in-scope writes are refused (R-FUTURE, a stale version), so the matrix records nothing
POOL = "年轻干部库"
SETUP = Provenance("test-setup", "admin", "setup")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def world(client: Any, tokens: dict[str, str], runtime: Any) -> dict[str, Any]:
    """Per unit: a post P1, a cadre holding it since 2020 with an assessment (优秀, of 5 participants as
    recorded) and a pool, a selection case
    for the post, a spare user scoped to it; users of every role scoped to each unit."""
    hr = bearer(tokens["hr"])

    def ok(response: Any) -> Any:
        assert response.status_code == 201, response.text
        return response.json()

    ids: dict[str, dict[str, str]] = {}
    ok(client.post("/api/v1/units", json=f.unit(PARENT), headers=hr))
    for unit in SIBLINGS:
        ok(client.post("/api/v1/units", json=f.unit(unit, parent_code=PARENT), headers=hr))
    for unit in TARGETS:
        ok(client.post(f"/api/v1/units/{unit}/posts", json=f.post("P1"), headers=hr))
        cadre = ok(client.post("/api/v1/cadres", json=f.cadre(f"N{unit}"), headers=hr))["cadre_id"]
        appointed = ok(client.post(f"/api/v1/cadres/{cadre}/entries", headers=hr,
                                   json={"type": "Appointed", **f.appointment("2020-01-01", unit)}))
        ok(client.post(f"/api/v1/units/{unit}/assessment-participants", headers=hr,  # R-EXCELLENT-QUOTA: 1 of 5
                       json=f.participants("2020", 5)))
        assessed = ok(client.post(f"/api/v1/cadres/{cadre}/entries", headers=hr, json={
            "type": "Assessed", "effective_on": "2021-01-15", "kind": "年度", "period": "2020", "grade": "优秀"}))
        ok(client.post(f"/api/v1/cadres/{cadre}/entries", headers=hr, json={
            "type": "PoolEntered", "effective_on": "2021-10-01", "pool": POOL, "grounds": "年度考核优秀"}))
        case = ok(client.post("/api/v1/selection-cases", json=f.case_payload("2023-01-04", unit, "P1"),
                              headers=hr))["case_id"]
        assert client.get(f"/api/v1/cadres/{cadre}/growth-file", headers=hr).status_code == 200  # a recorded read
        add_user(runtime.app, f"spare-{unit}", "auditor", False, SETUP, [unit])
        ids[unit] = {"unit_code": unit, "post_code": "P1", "cadre_id": cadre, "entry_id": assessed["entry_id"],
                     "case_id": case, "step_id": str(f.entry_id_of(f.UUID(case), 1)),  # the case's opening
                     "pool": POOL, "actor": "hr-user", "name": f"spare-{unit}",
                     "position": str(appointed["position"]), "year": "2024",
                     "known_at": str(appointed["recorded_at"]).replace("+00:00", "Z")}
    users = {(role, unit): add_user(runtime.app, f"{role}-{unit}", role, role == "hr", SETUP, [unit])
             for role in ("hr", "auditor", "oversight", "admin") for unit in TARGETS}
    return {"ids": ids, "users": users}


# ——— what each route may answer (from the issue, not from the app) ———

SUBJECT_PARAMS = {"unit_code", "cadre_id", "entry_id", "case_id", "name"}
QUERY = {  # the query a route needs to name its subject
    "/api/v1/cadres/{cadre_id}/eligibility": "?post={unit_code}/P1",
    "/api/v1/ledger/proofs/inclusion": "?position={position}",
    "/api/v1/ledger/proofs/consistency": "?first=1",
    "/api/v1/units/{unit_code}/roster/diff": "?known_at={known_at}",  # belief diff: T1 once the world stood
    "/api/v1/cadres/{cadre_id}/growth-file/diff": "?known_at={known_at}",
}
FILTERS = {  # list routes with a unit filter: the filter names a subject
    "/api/v1/cadres": "?unit={unit_code}&as_of=2024-01-01",
    "/api/v1/structure": "?unit={unit_code}",
    "/api/v1/findings": "?unit={unit_code}",
    "/api/v1/audit/reads": "?cadre_id={cadre_id}",
}
UNNAMED = {"/api/v1/ledger/head", "/api/v1/ledger/proofs/consistency", "/healthz", "/readyz"}
# 导入台账 names no unit in its path: the file's rows do, each judged as its own command (tests/api/
# test_imports_api.py, tests/integration/test_xlsx_import.py); a recorded import is its importer's alone
IMPORTS = {"/api/v1/imports", "/api/v1/imports/{import_id}", "/api/v1/imports/templates/{kind}"}
SESSION = "/api/v1/session"  # a person's own sign-in: names nothing of any unit
IMPORT_IDS = {"import_id": "00000000-0000-0000-0000-0000000000aa", "kind": "registration"}


def body_for(method: str, path: str, ids: dict[str, str], tag: str) -> dict[str, Any] | None:
    """A write that passes the schema and names the target unit's things, but that the command refuses
    (R-FUTURE 422 or a stale expected_version 409) — past the scope check, which comes first."""
    if method != "POST" or path in IMPORTS or path == SESSION:
        return None
    unit, cadre = ids["unit_code"], ids["cadre_id"]
    bodies: dict[str, dict[str, Any]] = {
        "/api/v1/units": f.unit(f"N{tag}", parent_code=unit, effective_on=FUTURE),
        "/api/v1/units/{unit_code}/renamings": {"effective_on": FUTURE, "name": "新名称"},
        "/api/v1/units/{unit_code}/dissolutions": {"effective_on": FUTURE},
        "/api/v1/units/{unit_code}/posts": f.post("P9", effective_on=FUTURE),
        "/api/v1/units/{unit_code}/posts/{post_code}/establishment-changes": {"effective_on": FUTURE,
                                                                             "establishment": 2},
        "/api/v1/units/{unit_code}/posts/{post_code}/abolitions": {"effective_on": FUTURE},
        "/api/v1/units/{unit_code}/assessment-participants": f.participants("2098", 5, effective_on=FUTURE),
        "/api/v1/cadres": f.cadre(f"R{tag}", work_started_on=FUTURE),
        "/api/v1/cadres/{cadre_id}/entries": {"type": "Assessed", "effective_on": FUTURE, "kind": "年度",
                                              "period": "2098", "grade": "优秀"},
        "/api/v1/cadres/{cadre_id}/entries/{entry_id}/corrections": {"changes": {"effective_on": FUTURE},
                                                                     "reason": "更正日期"},
        "/api/v1/cadres/{cadre_id}/entries/{entry_id}/retractions": {"reason": "误录", "expected_version": 1},
        "/api/v1/selection-cases": f.case_payload(FUTURE, unit, "P1"),
        "/api/v1/selection-cases/{case_id}/steps": {"type": "Recommended", "effective_on": FUTURE,
                                                    "kind": "会议推荐", "participants": 30, "votes": {cadre: 20}},
        "/api/v1/selection-cases/{case_id}/steps/{step_id}/corrections": {"changes": {"effective_on": FUTURE},
                                                                          "reason": "更正日期"},
        "/api/v1/selection-cases/{case_id}/steps/{step_id}/retractions": {"reason": "误录", "expected_version": 0},
        "/api/v1/users": {"name": f"new-{tag}", "role": "oversight", "scopes": [unit]},
        "/api/v1/users/{name}/tokens": {},
        "/api/v1/users/{name}/disable": {},
        "/api/v1/users/{name}/scopes": {"grant": [unit]},
        "/api/v1/users/{name}/permissions": {"revoke": ["can_publish_calendar"]},
        # the calendar names no unit: one for every jurisdiction; refused for a notice dated in the future
        "/api/v1/calendar/years": {"year": 2031, "holidays": ["2031-03-04"], "notice_no": "虚构",
                                   "notice_date": FUTURE},
        "/api/v1/calendar/years/{year}/corrections": {"holidays": ["2024-03-04"], "notice_no": "虚构",
                                                      "notice_date": FUTURE, "reason": "虚构"},
    }
    if path not in bodies:
        raise AssertionError(f"no write body for {path}: add one")
    return bodies[path]


def caller_roles(method: str, path: str) -> tuple[str, ...]:
    if path.startswith("/api/v1/users") or (method == "POST" and path.startswith("/api/v1/calendar")):
        return ("admin",)
    if path in ("/api/v1/audit/reads", "/api/v1/audit/bulk-reads", "/api/v1/cadres/{cadre_id}/evidence"):
        return ("auditor",)
    if method == "POST":
        return ("hr",)
    return ("hr", "auditor", "oversight")


def names_target(method: str, path: str) -> bool:
    """Whether the call names a thing of the target unit (so out of scope → 404)."""
    params = set(re.findall(r"\{(\w+)\}", path))
    if path in IMPORTS or path == SESSION:
        return False
    if params & SUBJECT_PARAMS or path in FILTERS or path == "/api/v1/ledger/proofs/inclusion":
        return True
    if method == "POST":
        return path in ("/api/v1/units", "/api/v1/selection-cases", "/api/v1/users")
    if path in UNNAMED or params <= {"pool", "actor", "year"}:  # a calendar year belongs to no unit
        return False
    raise AssertionError(f"no scope rule for {method} {path}: add one from the issue")


def url_for(path: str, ids: dict[str, str]) -> str:
    suffix = QUERY.get(path, "") or FILTERS.get(path, "")
    return fill(path, {**IMPORT_IDS, **ids}) + fill(suffix, ids)


def foreign_ids(world: dict[str, Any], scope: str) -> list[str]:
    """What a user scoped to ``scope`` must never be shown: the ids and codes of the other units' worlds."""
    out = []
    for unit, ids in world["ids"].items():
        if unit not in SEES[scope]:
            out += [ids["cadre_id"], ids["entry_id"], ids["case_id"], f"spare-{unit}"]
            if unit != PARENT:  # an in-scope unit's parent_code names its parent: an attribute, not a record
                out.append(f'"{unit}"')
    return out


def api_routes(client: Any) -> list[tuple[str, str]]:
    return [(m, p) for m, p in route_table(client.app) if p.startswith("/api/")]


def record_head(runtime: Any) -> list[str]:
    """Topics of the stored record events (the audit stream — users, reads — aside)."""
    notes = runtime.app.recorder.select_notifications(1, 100_000)
    return [n.topic for n in notes if not n.topic.startswith("jishi.audit.")]


def expected(method: str, path: str, named: bool, inside: bool, response: Any) -> bool:
    status = response.status_code
    if method == "POST" and path == "/api/v1/cadres":
        return status == 422  # a registration names no unit: refused by R-FUTURE for everyone alike
    if method == "POST" and path.startswith("/api/v1/calendar"):  # no unit either: a future notice refused
        return status == 422 and "notice_date" in response.text
    if path == "/api/v1/imports":
        return status == 422 and "file" in response.text  # a JSON body, no file: refused before any row
    if path == SESSION:
        return status == (422 if method == "POST" else 204)  # no name or password given / nothing to end
    if path == "/api/v1/imports/{import_id}":
        return status == 404  # nobody has imported this one
    if not named:
        return status == 200
    if not inside:
        return status == 404
    if method == "GET":
        return status == 200
    if path.startswith("/api/v1/users"):
        return status in (200, 201)
    return status == 409 or (status == 422 and "R-FUTURE" in response.json()["rules"])


def test_every_route_answers_404_out_of_scope_and_serves_in_scope_for_users_scoped_to_siblings_and_parent(
        client: Any, runtime: Any, world: dict[str, Any]) -> None:
    routes = api_routes(client)
    assert len(routes) >= 28
    before = record_head(runtime)
    wrong: list[str] = []
    for method, path in routes:
        named, roles = names_target(method, path), caller_roles(method, path)
        for i, scope in enumerate(TARGETS):
            for j, (target, ids) in enumerate(world["ids"].items()):
                role = roles[(i + j) % len(roles)]  # scope does not depend on the role: the roles take turns
                body = body_for(method, path, ids, f"{scope}{target}{role}")
                response = client.request(method, url_for(path, ids), headers=bearer(world["users"][(role, scope)]),
                                          json=body)
                call = f"{role}-{scope} {method} {path} [{target}]"
                if not expected(method, path, named, target in SEES[scope], response):
                    wrong.append(f"{call} → {response.status_code} {response.text[:160]}")
                elif method == "GET" and response.status_code == 200:
                    leaked = [x for x in foreign_ids(world, scope) if x in response.text]
                    if leaked:
                        wrong.append(f"{call} shows {leaked}")
    assert wrong == []
    assert record_head(runtime) == before  # nothing out of scope (nor, refused, in it) was recorded


def test_lists_hold_what_is_in_scope_and_nothing_else(client: Any, world: dict[str, Any]) -> None:
    lists = ("/api/v1/cadres?as_of=2024-01-01", f"/api/v1/pools/{POOL}?as_of=2024-01-01", "/api/v1/events?limit=1000",
             "/api/v1/audit/actors/hr-user", "/api/v1/findings", "/api/v1/structure")
    for scope in TARGETS:
        headers = bearer(world["users"][("auditor", scope)])
        for url in lists:
            response = client.get(url, headers=headers)
            assert response.status_code == 200, (url, response.text)
            text = response.text
            for unit, ids in world["ids"].items():
                seen = ids["cadre_id"] in text
                if url.startswith(("/api/v1/structure", "/api/v1/findings")):
                    continue  # counts carry no ids; findings depend on the monitors (checked above)
                assert seen == (unit in SEES[scope]), (scope, url, unit)
        structure = client.get("/api/v1/structure", headers=headers).json()
        assert structure["cadres"] == len(SEES[scope])
        reads = client.get("/api/v1/audit/reads", headers=headers).json()["items"]
        assert {r["cadre_id"] for r in reads} == {world["ids"][u]["cadre_id"] for u in SEES[scope]}


def test_out_of_scope_answers_exactly_as_absent_so_existence_does_not_leak(client: Any, world: dict[str, Any]) -> None:
    headers = bearer(world["users"][("hr", "UA")])
    absent = {"unit_code": "NOPE", "post_code": "P1", "cadre_id": str(uuid4()), "entry_id": str(uuid4()),
              "case_id": str(uuid4())}
    foreign = world["ids"]["UB"]

    def answer(path: str, ids: dict[str, str], method: str = "GET", body: Any = None) -> dict[str, Any]:
        response = client.request(method, fill(path, ids), headers=headers, json=body)
        found = {k: v for k, v in response.json().items() if k != "request_id"}
        for key in ("unit_code", "cadre_id", "entry_id", "case_id"):
            found["detail"] = found["detail"].replace(ids[key], key.upper())
        return {"status": response.status_code, **found}

    for path in ("/api/v1/units/{unit_code}/roster", "/api/v1/cadres/{cadre_id}/growth-file",
                 "/api/v1/audit/cadres/{cadre_id}", "/api/v1/audit/units/{unit_code}",
                 "/api/v1/audit/posts/{unit_code}/{post_code}", "/api/v1/audit/cases/{case_id}",
                 "/api/v1/entries/{entry_id}/impact"):
        there, missing = answer(path, foreign), answer(path, absent)
        assert there == missing and there["status"] == 404, path
    assessed = {"type": "Assessed", "effective_on": "2024-01-02", "kind": "年度", "period": "2023", "grade": "优秀"}
    inspected = {"type": "Inspected", "effective_on": "2024-01-02", "cadre_id": foreign["cadre_id"], "findings": "好"}
    for path, body in (("/api/v1/cadres/{cadre_id}/entries", assessed),
                       ("/api/v1/cadres/{cadre_id}/entries/{entry_id}/retractions", {"reason": "误录"}),
                       ("/api/v1/selection-cases/{case_id}/steps", inspected)):
        there, missing = answer(path, foreign, "POST", body), answer(path, absent, "POST", body)
        assert there == missing and there["status"] == 404, path


def test_a_scoped_hr_cannot_appoint_into_a_unit_outside_their_scope_nor_register_a_unit_there(
        client: Any, world: dict[str, Any]) -> None:
    township = bearer(world["users"][("hr", "UA")])
    cadre_a = world["ids"]["UA"]["cadre_id"]
    into_parent = client.post(f"/api/v1/cadres/{cadre_a}/entries", headers=township,
                              json={"type": "Appointed", **f.appointment("2024-01-01", PARENT)})
    assert into_parent.status_code == 404
    top = client.post("/api/v1/units", json=f.unit("TOP"), headers=township)
    assert top.status_code == 404
    county = bearer(world["users"][("hr", PARENT)])
    under = client.post("/api/v1/units", json=f.unit("UA2", parent_code="UA"), headers=county)
    assert under.status_code == 201
    assert client.post("/api/v1/units/UA2/posts", json=f.post("P1"), headers=township).status_code == 201
    assert client.get("/api/v1/units/UA2/roster", headers=township).status_code == 200  # a new unit is in at once


def test_a_scoped_hr_places_a_new_recruit_and_sees_them_from_then_on(client: Any, world: dict[str, Any]) -> None:
    township = bearer(world["users"][("hr", "UB")])
    other = bearer(world["users"][("hr", "UC")])
    recruit = client.post("/api/v1/cadres", json=f.cadre("NEW1"), headers=township).json()["cadre_id"]
    assert client.get(f"/api/v1/cadres/{recruit}/growth-file", headers=township).status_code == 404  # no post yet
    assert client.post("/api/v1/units/UB/posts", json=f.post("P2", establishment=2),
                       headers=township).status_code == 201
    placed = client.post(f"/api/v1/cadres/{recruit}/entries", headers=township,
                         json={"type": "Appointed", **f.appointment("2024-03-01", "UB", "P2")})
    assert placed.status_code == 201, placed.text
    assert client.get(f"/api/v1/cadres/{recruit}/growth-file", headers=township).status_code == 200
    assert client.get(f"/api/v1/cadres/{recruit}/growth-file?as_of=2024-02-29", headers=township).status_code == 404
    # once placed, another township can no longer take the cadre by appointing them
    assert client.post("/api/v1/units/UC/posts", json=f.post("P2"), headers=other).status_code == 201
    taken = client.post(f"/api/v1/cadres/{recruit}/entries", headers=other,
                        json={"type": "Appointed", **f.appointment("2024-06-01", "UC", "P2")})
    assert taken.status_code == 404


def test_the_department_that_last_held_a_cadre_records_the_departure_and_no_other_can(
        client: Any, world: dict[str, Any]) -> None:
    cadre = world["ids"]["UA"]["cadre_id"]
    township, neighbour = (bearer(world["users"][("hr", u)]) for u in ("UA", "UB"))
    dismissed = client.post(f"/api/v1/cadres/{cadre}/entries", headers=township,
                            json={"type": "Dismissed", **f.dismissal("2024-01-01", "UA")})
    assert dismissed.status_code == 201, dismissed.text
    departure = {"type": "Departed", "effective_on": "2024-03-01", "reason": "辞职"}
    assert client.post(f"/api/v1/cadres/{cadre}/entries", json=departure, headers=neighbour).status_code == 404
    assert client.post(f"/api/v1/cadres/{cadre}/entries", json=departure, headers=township).status_code == 201
    # a cadre never in one's scope answers as absent, whatever entry id is named
    for entry in (world["ids"]["UA"]["entry_id"], str(uuid4())):
        retraction = client.post(f"/api/v1/cadres/{cadre}/entries/{entry}/retractions", headers=neighbour,
                                 json={"reason": "误录"})
        assert retraction.status_code == 404
        assert retraction.json()["detail"] == f"干部不存在 (no such cadre): {cadre}"


def test_scope_grants_and_revocations_are_recorded_and_shown_in_the_granting_actors_trail(
        client: Any, tokens: dict[str, str], world: dict[str, Any]) -> None:
    admin = bearer(tokens["admin"])
    added = client.post("/api/v1/users", json={"name": "li", "role": "hr", "scopes": ["UA"]}, headers=admin)
    assert added.status_code == 201
    li = bearer(added.json()["token"])
    assert client.get("/api/v1/units/UB/roster", headers=li).status_code == 404
    granted = client.post("/api/v1/users/li/scopes", json={"grant": ["UB"]}, headers=admin)
    assert granted.status_code == 200 and granted.json()["scopes"] == ["UA", "UB"]
    assert client.get("/api/v1/units/UB/roster", headers=li).status_code == 200
    revoked = client.post("/api/v1/users/li/scopes", json={"revoke": ["UA"]}, headers=admin)
    assert revoked.json()["scopes"] == ["UB"]
    assert client.get("/api/v1/units/UA/roster", headers=li).status_code == 404
    last = client.post("/api/v1/users/li/scopes", json={"revoke": ["UB"]}, headers=admin)
    assert last.status_code == 422  # an empty scope would mean the whole tree
    trail = client.get("/api/v1/audit/actors/admin-user", headers=bearer(tokens["auditor"])).json()["items"]
    scoping = {"UserAdded", "ScopeGranted", "ScopeRevoked"}  # (a new user's token expiry is recorded too)
    changes = [(i["type"], i["unit_code"], i["reason"]) for i in trail
               if i["stream"] == "audit" and i["type"] in scoping]
    assert [c[:2] for c in changes] == [("UserAdded", None), ("ScopeGranted", "UB"), ("ScopeRevoked", "UA")]
    assert all("li" in c[2] for c in changes) and "UA" in changes[0][2]
    # a scoped auditor sees the grants of units in their scope, not the others
    scoped = client.get("/api/v1/audit/actors/admin-user", headers=bearer(world["users"][("auditor", "UB")]))
    assert [(i["type"], i["unit_code"]) for i in scoped.json()["items"]] == [("ScopeGranted", "UB")]


def test_a_scoped_admin_manages_only_users_within_their_scope_and_cannot_make_a_whole_tree_user(
        client: Any, world: dict[str, Any]) -> None:
    county = bearer(world["users"][("admin", PARENT)])
    township = bearer(world["users"][("admin", "UA")])
    assert client.post("/api/v1/users", json={"name": "wide", "role": "hr"}, headers=county).status_code == 422
    assert client.post("/api/v1/users", json={"name": "a2", "role": "hr", "scopes": ["UA"]},
                       headers=county).status_code == 201
    assert client.post("/api/v1/users/a2/scopes", json={"grant": ["UB"]}, headers=township).status_code == 404
    assert client.post("/api/v1/users/a2/scopes", json={"grant": ["UB"]}, headers=county).status_code == 200
    names = {u["name"] for u in client.get("/api/v1/users", headers=township).json()["items"]}
    assert "a2" not in names and "hr-UA" in names and "hr-UB" not in names and "hr-user" not in names
    listed = json.dumps(client.get("/api/v1/users", headers=county).json())
    assert "hr-UA" in listed and "hr-user" not in listed
