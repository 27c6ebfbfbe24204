"""管辖范围 matrix, the wording: every /api route of the app's own route table that names something (a unit,
post, cadre, entry, case, step, user or ledger position) answers a user scoped to township UA exactly — byte
for byte, request id aside — the same for township UB's things as for things that do not exist, so no answer
tells whether something exists outside one's scope. Routes come from ``test_scope_matrix`` (a route it does
not classify fails there)."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

from tests.api.test_scope_matrix import (
    api_routes,
    bearer,
    body_for,
    caller_roles,
    names_target,
    url_for,
    world,  # noqa: F401 — the three townships' world
)

NAMED = ("cadre_id", "entry_id", "case_id", "step_id", "unit_code", "name", "position")


def comparable(response: Any, ids: dict[str, str]) -> str:
    """Status and body with the request id left out and the ids asked about replaced by placeholders."""
    try:
        body: Any = {k: v for k, v in response.json().items() if k != "request_id"}
        text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    except ValueError:
        text = response.text
    for key in sorted((k for k in NAMED if k in ids), key=lambda k: len(ids[k]), reverse=True):
        text = text.replace(ids[key], key.upper())
    return f"{response.status_code} {text}"


def test_every_api_route_answers_another_townships_things_byte_for_byte_as_things_that_do_not_exist(
        client: Any, world: dict[str, Any]) -> None:  # noqa: F811
    foreign = world["ids"]["UB"]
    absent = {**foreign, "unit_code": "NOPE", "cadre_id": str(uuid4()), "entry_id": str(uuid4()),
              "case_id": str(uuid4()), "step_id": str(uuid4()), "name": "nobody-here", "position": "987654321"}
    wrong: list[str] = []
    checked = 0
    for method, path in api_routes(client):
        if not names_target(method, path) or (method, path) == ("POST", "/api/v1/cadres"):
            continue  # a registration names no unit (its GET, the search, filters by one)
        role = caller_roles(method, path)[0]
        headers = bearer(world["users"][(role, "UA")])
        there, missing = (client.request(method, url_for(path, ids), headers=headers,
                                         json=body_for(method, path, ids, "UAUB")) for ids in (foreign, absent))
        checked += 1
        if there.status_code != 404:
            wrong.append(f"{role} {method} {path}: {there.status_code} {there.text[:160]}")
        elif comparable(there, foreign) != comparable(missing, absent):
            wrong.append(f"{role} {method} {path}: {comparable(there, foreign)} ≠ {comparable(missing, absent)}")
    assert wrong == [], "\n".join(wrong)
    assert checked >= 25
