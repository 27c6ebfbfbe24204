"""管辖范围 matrix of the pages: every page route of the app's own route table, signed in as a user scoped to
one township (UA), called with the ids of a sibling township's world (UB) and with ids that exist nowhere.

A page that names something out of scope must answer exactly — byte for byte, request ids aside — as for
something that does not exist: a 404 page that tells nothing. A page route the table below does not classify
fails the test (add it here), so a new route cannot be forgotten. The expectations come from the issue (21).
"""

from __future__ import annotations

import difflib
import re
from typing import Any
from uuid import uuid4

import pytest

from tests import factories as f
from tests import signin
from tests.api.test_role_matrix import fill, route_table
from tests.api.test_scope_matrix import bearer, world  # noqa: F401 — the three townships' world

SUBJECTS = {"unit_code", "cadre_id", "entry_id", "case_id", "step_id", "name"}
# pages that name no unit, cadre, case or user in their path (lists are filtered by scope where they list)
UNNAMED = {
    "/", "/login", "/login/enrol", "/login/password", "/logout", "/search", "/cadres", "/cadres.xlsx",
    "/cadres/new", "/units", "/findings",
    "/findings.xlsx", "/audit", "/audit.xlsx", "/reads", "/ledger", "/ledger/public-key", "/calendar",
    "/calendar/{year}", "/calendar/{year}/corrections", "/cases", "/cases/new", "/imports",
    "/imports/templates/{kind}", "/users", "/users/new",
}
QUERIES = {"/cadres/{cadre_id}/eligibility": "?post={unit_code}/P1"}
NOT_OWN = {"/overrides/{entry_id}"}  # the township's own assessment overrode no rule: nothing to show there either
ROLES = ("hr", "auditor", "oversight", "admin")  # the first the page lets in answers for the route
REQUEST_IDS = re.compile(r"[0-9a-f]{32}|req-[\w-]+|请求编号[^<]*")
SESSION_TOKENS = re.compile(r'(name="csrf_token" value=|nonce=)"[^"]*"')  # per session or request, random


def page_routes(client: Any) -> list[tuple[str, str]]:
    return [(m, p) for m, p in route_table(client.app)
            if not p.startswith(("/api/", "/static", "/healthz", "/readyz", "/openapi", "/docs", "/redoc"))]


def sign_in(client: Any, token: str) -> str:
    """Sign in as the token's user (password and TOTP, tests/signin.py); returns the session's CSRF token
    (as every page's forms carry it)."""
    signin.sign_in(client, token)
    page = client.get("/units").text
    session_csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert session_csrf is not None, page[:300]
    return session_csrf.group(1)


def form_for(path: str, csrf: str) -> dict[str, str]:
    """A post that passes the form's own checks and names the target, so the scope check is what refuses."""
    base = {"csrf_token": csrf, "form_key": uuid4().hex}
    forms = {
        "/cadres/{cadre_id}/entries": {"type": "Assessed", "effective_on": "2024-01-15", "kind": "年度",
                                       "period": "2023", "grade": "称职"},
        "/cadres/{cadre_id}/entries/{entry_id}/correction": {"grade": "称职", "reason_for_change": "更正"},
        "/cadres/{cadre_id}/entries/{entry_id}/retraction": {"reason": "误录"},
        "/cases/{case_id}/steps": {"type": "Inspected", "effective_on": "2024-01-02", "findings": "好"},
        "/cases/{case_id}/steps/{step_id}/correction": {"reason_for_change": "更正"},
        "/cases/{case_id}/steps/{step_id}/retraction": {"reason": "误录"},
        "/users/{name}/scopes": {"grant": "UA"},
        "/users/{name}/permissions": {"revoke": "can_publish_calendar"},
    }
    return {**base, **forms.get(path, {})}


def page_call(client: Any, method: str, path: str, ids: dict[str, str], csrf: str) -> Any:
    url = fill(path, {"year": "2024", "kind": "registration", **ids}) + fill(QUERIES.get(path, ""), ids)
    if method == "GET":
        return client.get(url, follow_redirects=False)
    return client.post(url, data=form_for(path, csrf), follow_redirects=False)


def comparable(text: str, ids: dict[str, str]) -> str:
    """The page with the ids it was asked about and any request id replaced by placeholders."""
    text = SESSION_TOKENS.sub(r'\1"TOKEN"', text)
    for key in sorted((k for k in SUBJECTS if k in ids), key=lambda k: len(ids[k]), reverse=True):
        text = text.replace(ids[key], key.upper())  # the longest first: "spare-UB" holds "UB"
    return REQUEST_IDS.sub("REQUEST", text)


def names_subject(path: str) -> bool:
    params = set(re.findall(r"\{(\w+)\}", path))
    if params & SUBJECTS:
        return True
    if path in UNNAMED:
        return False
    raise AssertionError(f"no scope rule for page {path}: add one from the issue")


@pytest.fixture
def absent() -> dict[str, str]:
    return {"unit_code": "NOPE", "post_code": "P1", "cadre_id": str(uuid4()), "entry_id": str(uuid4()),
            "case_id": str(uuid4()), "step_id": str(uuid4()), "name": "nobody-here"}


def test_every_page_of_another_jurisdiction_answers_byte_for_byte_as_for_something_that_does_not_exist(
        client: Any, world: dict[str, Any], absent: dict[str, str]) -> None:  # noqa: F811
    routes = page_routes(client)
    assert len(routes) >= 40
    foreign = {**world["ids"]["UB"], "name": "spare-UB"}
    own = {**world["ids"]["UA"], "name": "spare-UA"}
    wrong: list[str] = []
    checked: list[str] = []
    sessions = {}  # one sign-in per role (a TOTP code is accepted once): its cookies and CSRF token
    for role in ROLES:
        csrf = sign_in(client, world["users"][(role, "UA")])
        sessions[role] = (dict(client.cookies), csrf)
    for method, path in routes:
        if not names_subject(path):
            continue
        answered = False
        for role in ROLES:
            cookies, csrf = sessions[role]
            client.cookies.clear()
            for name, value in cookies.items():
                client.cookies.set(name, value)
            there, missing = (page_call(client, method, path, ids, csrf) for ids in (foreign, absent))
            if there.status_code == 403 and missing.status_code == 403:
                continue  # this role may not use the page at all: the next role answers for it
            answered = True
            checked.append(path)
            if there.status_code != 404 or missing.status_code != 404:
                wrong.append(f"{role} {method} {path}: {there.status_code} / {missing.status_code} "
                             f"{there.text[:200]!r}")
            elif method == "GET" and path not in NOT_OWN and page_call(
                    client, method, path, own, csrf).status_code == 404:
                wrong.append(f"{role} {method} {path}: 404 for the township's own")  # the page does serve
            elif comparable(there.text, foreign) != comparable(missing.text, absent):
                differ = [line for line in difflib.ndiff(comparable(there.text, foreign).splitlines(),
                                                         comparable(missing.text, absent).splitlines())
                          if line[:1] in "+-"]
                wrong.append(f"{role} {method} {path}: the 404 pages differ: {differ[:4]}")
            break
        if not answered:
            wrong.append(f"{method} {path}: no role may use it")
    assert wrong == [], "\n".join(wrong)
    assert len(checked) >= 30  # every page that names a cadre, entry, case, step, unit or user


def test_a_township_hr_cannot_open_a_form_for_a_recruit_another_township_registered(
        client: Any, world: dict[str, Any], absent: dict[str, str]) -> None:  # noqa: F811
    recruit = client.post("/api/v1/cadres", json=f.cadre("NEWB"), headers=bearer(world["users"][("hr", "UB")]))
    assert recruit.status_code == 201
    cadre_id = recruit.json()["cadre_id"]
    registration = str(f.entry_id_of(f.UUID(cadre_id), 1))
    sign_in(client, world["users"][("hr", "UA")])
    for path in ("/cadres/{cadre_id}/entries/new?type=Appointed", "/cadres/{cadre_id}/entries/{entry_id}/correction",
                 "/cadres/{cadre_id}/entries/{entry_id}/retraction"):
        there = client.get(fill(path, {"cadre_id": cadre_id, "entry_id": registration}))
        missing = client.get(fill(path, absent))
        assert there.status_code == missing.status_code == 404, path
        assert "NEWB" not in there.text and f.cadre("NEWB")["id_number"] not in there.text
        assert comparable(there.text, {"cadre_id": cadre_id, "entry_id": registration}) == comparable(
            missing.text, absent), path
    sign_in(client, world["users"][("hr", "UB")])  # the registrant's township places them
    form = client.get(f"/cadres/{cadre_id}/entries/new?type=Appointed")
    assert form.status_code == 200 and f.cadre("NEWB")["name"] in form.text
