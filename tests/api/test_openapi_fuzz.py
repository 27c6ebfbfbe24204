"""Schemathesis over the app's own /openapi.json: every operation, bounded examples, as hr.

No input may make the server answer 5xx, and every response must match the documented schema,
status codes and media type. Half the generated cases use ids that exist (a unit, post, cadre
and entry), so the read models answer with real data too; bodies that break the schema
(negative cases) must be refused, never crash.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories as f

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
BOUNDED = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                   phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


def _world(client: Any, hr: dict[str, str]) -> dict[str, str]:
    assert client.post("/api/v1/units", json=f.unit("U1"), headers=hr).status_code == 201
    assert client.post("/api/v1/units/U1/posts", json=f.post("P1"), headers=hr).status_code == 201
    cadre = client.post("/api/v1/cadres", json=f.cadre("C1"), headers=hr).json()
    entry = client.post(f"/api/v1/cadres/{cadre['cadre_id']}/entries", headers=hr,
                        json={"type": "ConversationHeld", "effective_on": "2021-07-10", "kind": "谈心谈话",
                              "interviewer": "组织部长", "summary": "谈话内容"}).json()
    return {"unit_code": "U1", "post_code": "P1", "cadre_id": cadre["cadre_id"], "entry_id": entry["entry_id"],
            "actor": "hr-user", "pool": "年轻干部库"}


def fuzz(strategy: Any, checks: list[Any], headers: dict[str, str], examples: int) -> None:
    @settings(BOUNDED, max_examples=examples)
    @given(case=strategy)
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=checks)

    run()


def test_no_operation_answers_5xx_or_strays_from_its_documented_response(
        client: Any, tokens: dict[str, str]) -> None:
    hr = {"Authorization": f"Bearer {tokens['hr']}"}
    known = _world(client, hr)
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    failures: list[str] = []
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        fixed = {k: v for k, v in known.items() if k in names}
        positive = operation.as_strategy(GenerationMode.POSITIVE)
        if fixed:
            positive = st.one_of(positive, operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed))
        strategies = [(positive, CHECKS, 20)]
        if operation.method.upper() == "POST":  # bodies that break the schema: refused, never a crash
            strategies.append((operation.as_strategy(GenerationMode.NEGATIVE), [not_a_server_error], 5))
        for strategy, checks, examples in strategies:
            try:
                fuzz(strategy, checks, hr, examples)
            except Exception as error:  # collect every operation's failure, then report them all
                failures.append(f"{operation.label}: {str(error)[:1500]}")
    assert failures == []
