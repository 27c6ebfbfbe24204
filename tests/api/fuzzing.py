"""The schemathesis run behind ``test_openapi_fuzz.py`` and the long run of docs/robustness.md: every operation of
``/openapi.json``, all its phases (examples, coverage, fuzzing) and all the response checks, for one
user, in-process (ASGI) or against a server's URL.

Every check is schemathesis' own, with one refinement of positive-data acceptance: the contract
(API.md) answers a well-formed request that the record refuses with 422, and a refusal the schema
cannot state does not mean the schema lied. So a 422 passes that check only when it is

* a rule refusal (``rules`` non-empty: R-SEQ, R-ID, R-FUTURE … judge the record, not the shape), or
* one of the few validations no JSON schema can express (``BEYOND_SCHEMA`` below: a rule across two
  fields, a reference to something that does not exist, an opaque cursor);

any other 422 for a schema-valid request fails it, as it would without the refinement.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests import factories as f

# English fragments of 422 messages for constraints beyond any JSON schema (each `msg` is 中文 (English)).
BEYOND_SCHEMA = (
    "give exactly one of post or rank",  # eligibility: one of two query parameters
    "invalid cursor",  # an opaque token handed out by the previous page
    "publicity ends before it starts",  # end_on ≥ start_on
    "present cannot exceed members_total",  # across two fields
    "votes cannot exceed",  # votes ≤ participants / present
    "no such cadre",  # a cadre named in a body that does not exist
    "no larger than the",  # ledger sizes: within the ledger's current size, first ≤ second, the leaf in the tree
    "unknown field",  # a correction's `changes`: the fields of the corrected entry's own type
    "give at least one field to change",
    "cadre_no identifies the record",  # a correction may not change cadre_no
    "entry type",  # a correction names fields as the corrected entry's type has them
    "takes no part in this case",  # appointment form: case_id names a case the cadre is not named in
    "not a valid .xlsx file", "unsupported file type", "the file is empty",  # an import's file: its content
    "unknown kind", "no such sheet", "no sheet with a header row holding the cadre number",  # … the 台账 in it
    "must not be before known_at",  # a belief diff: vs ≥ known_at (vs defaults to now)
)
CHANGES_PREFIX = "changes."  # a correction's values are typed as the corrected entry's fields


def _refused_beyond_schema(body: Any) -> bool:
    if not isinstance(body, dict):
        return False
    if body.get("rules"):
        return True
    errors = body.get("errors") or []
    return bool(errors) and all(
        str(e.get("loc", "")).startswith(CHANGES_PREFIX)
        or any(fragment in str(e.get("msg", "")) for fragment in BEYOND_SCHEMA) for e in errors)


@schemathesis.check
def positive_data_acceptance_beyond_schema(ctx: Any, response: Any, case: Any) -> bool | None:
    """``positive_data_acceptance``, except for a 422 the schema cannot state (see the module)."""
    if response.status_code == 422:
        try:
            body = json.loads(response.content)
        except ValueError:
            body = None
        if _refused_beyond_schema(body):
            return None
    result: bool | None = positive_data_acceptance(ctx, response, case)
    return result


def seed_world(client: Any, hr: dict[str, str]) -> dict[str, str]:
    """A unit with a post, a cadre with an entry, a selection case: ids the fuzzer mixes into its own."""
    assert client.post("/api/v1/units", json=f.unit("U1"), headers=hr).status_code == 201
    assert client.post("/api/v1/units/U1/posts", json=f.post("P1"), headers=hr).status_code == 201
    cadre = client.post("/api/v1/cadres", json=f.cadre("C1"), headers=hr).json()["cadre_id"]
    entry = client.post(f"/api/v1/cadres/{cadre}/entries", headers=hr, json={
        "type": "ConversationHeld", "effective_on": "2021-07-10", "kind": "谈心谈话", "interviewer": "组织部长",
        "summary": "谈话内容"}).json()["entry_id"]
    case = client.post("/api/v1/selection-cases", headers=hr, json=f.case_payload("2023-01-04")).json()["case_id"]
    return {"unit_code": "U1", "post_code": "P1", "cadre_id": cadre, "entry_id": entry, "case_id": case,
            "pool": "年轻干部库", "actor": "hr-user"}


def config(headers: dict[str, str], known: dict[str, str], *, examples: int, seed: int,
           coverage: str = "all") -> SchemathesisConfig:
    """All phases but the stateful one (the schema has no links) and all checks (positive-data
    acceptance refined), known ids mixed into half the generated values of the parameters and body
    fields that take them. ``coverage``: the deterministic boundary values of the coverage phase for
    ``all`` operations, only the ``reads`` (GET), or ``none``."""
    bindings = {"path.unit_code": "unit_code", "path.post_code": "post_code", "path.cadre_id": "cadre_id",
                "path.entry_id": "entry_id", "path.case_id": "case_id", "path.pool": "pool", "path.actor": "actor",
                "query.unit": "unit_code", "query.cadre_id": "cadre_id",
                "body.unit_code": "unit_code", "body.post_code": "post_code", "body.parent_code": "unit_code",
                "body.cadre_id": "cadre_id", "body.mentor_cadre_id": "cadre_id"}
    operations = [{"include-method": "POST", "phases": {"coverage": {"enabled": False}}}] if coverage == "reads" else []
    return SchemathesisConfig.from_dict({
        "seed": seed,
        "headers": headers,
        "workers": 1,
        "dictionaries": {name: {"values": [value]} for name, value in known.items()},
        "parameters": {key: {"dictionary": name, "probability": 0.5} for key, name in bindings.items()},
        "generation": {"max-examples": examples, "mode": "all"},
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": coverage != "none"},
                   "fuzzing": {"enabled": True}, "stateful": {"enabled": False}},
        "checks": {"positive_data_acceptance": {"enabled": False}},  # refined: positive_data_acceptance_beyond_schema
        "operations": operations,
    })


@dataclass
class Outcome:
    """What one run found: failures by operation and code, cases and requests, errors of the engine."""

    cases: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    checks: Counter[str] = field(default_factory=Counter)  # how often each check judged a response

    def describe(self) -> str:
        return (f"{self.cases} cases in {self.seconds:.0f} s; statuses {dict(sorted(self.statuses.items()))}; "
                f"{len(self.failures)} failures, {len(self.errors)} errors")


def run(schema: Any) -> Outcome:
    """Run the engine over ``schema`` (loaded with its config) and collect what it found."""
    outcome = Outcome()
    started = time.monotonic()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            outcome.cases += len(recorder.cases)
            for interaction in recorder.interactions.values():
                if interaction.response is not None:
                    outcome.statuses[interaction.response.status_code] += 1
            for case_id, checks in recorder.checks.items():
                interaction = recorder.interactions.get(case_id)
                answer = interaction.response.content[:400] if interaction and interaction.response else b""
                for check in checks:
                    outcome.checks[check.name] += 1
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        outcome.failures.append(
                            f"{recorder.label} [{check.name}] {failure.title}: {failure.message[:600]}\n"
                            f"    {check.failure_info.code_sample}\n    → {answer.decode('utf-8', 'replace')}")
        elif isinstance(event, events.NonFatalError):
            outcome.errors.append(f"{event.label}: {event.info.title} {event.info.message[:600]}")
        elif isinstance(event, events.FatalError):
            outcome.errors.append(f"fatal: {event.exception!r}")
    outcome.seconds = time.monotonic() - started
    outcome.failures = sorted(set(outcome.failures))
    return outcome
