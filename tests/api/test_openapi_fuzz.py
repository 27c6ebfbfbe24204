"""Schemathesis over the app's own /openapi.json (issue 16): every operation, as hr (who may override
guards) and as oversight, with every check schemathesis has — no server error, documented status
codes, response schemas and media types, Allow headers, auth, negative data refused and positive data
accepted (``tests/api/fuzzing.py`` says how a rule refusal counts) — must find nothing, and the
server must log no error (no traceback) meanwhile.

CI runs it in-process (ASGI) with a few examples per operation: on SQLite with the coverage phase's
boundary values (every operation as hr; the reads as oversight, whose writes are refused before their
bodies are read), on PostgreSQL with generated cases only. The long run of docs/robustness.md sets
``JISHI_FUZZ_EXAMPLES`` (examples per operation), ``JISHI_FUZZ_FULL=1`` (the coverage phase on both
backends and for every operation and role) and ``JISHI_FUZZ_LIVE=1`` (through uvicorn over HTTP).
"""

from __future__ import annotations

import logging
import os
from typing import Any

import pytest
import schemathesis

from jishi.settings import Settings
from tests.api import fuzzing

EXAMPLES = int(os.environ.get("JISHI_FUZZ_EXAMPLES", "4"))
FULL = os.environ.get("JISHI_FUZZ_FULL") == "1"
LIVE = os.environ.get("JISHI_FUZZ_LIVE") == "1"
SEED = int(os.environ.get("JISHI_FUZZ_SEED", "2026"))
CHECKS = {"not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance",
          "response_headers_conformance", "negative_data_rejection", "positive_data_acceptance_beyond_schema",
          "missing_required_header", "unsupported_method", "allow_header_conformance", "ignored_auth",
          "use_after_free", "ensure_resource_availability"}


def _schema(client: Any, headers: dict[str, str], known: dict[str, str], coverage: str,
            request: pytest.FixtureRequest) -> Any:
    config = fuzzing.config(headers, known, examples=EXAMPLES, seed=SEED, coverage=coverage)
    if LIVE:
        base: str = request.getfixturevalue("live_server")
        return schemathesis.openapi.from_url(f"{base}/openapi.json", config=config)
    return schemathesis.openapi.from_asgi("/openapi.json", client.app, config=config)


def test_no_operation_as_hr_or_oversight_strays_from_its_documented_contract_or_logs_an_error(
        client: Any, tokens: dict[str, str], settings: Settings, caplog: pytest.LogCaptureFixture,
        request: pytest.FixtureRequest) -> None:
    caplog.set_level(logging.ERROR)
    logging.getLogger("uvicorn.error").addHandler(caplog.handler)  # uvicorn's own log does not propagate
    request.addfinalizer(lambda: logging.getLogger("uvicorn.error").removeHandler(caplog.handler))
    known = fuzzing.seed_world(client, {"Authorization": f"Bearer {tokens['hr']}"})
    boundaries = FULL or settings.backend == "sqlite"
    report, failures = [], []
    for role, coverage in (("hr", "all"), ("oversight", "all" if FULL else "reads")):
        schema = _schema(client, {"Authorization": f"Bearer {tokens[role]}"}, known,
                         coverage if boundaries else "none", request)
        assert len(list(schema.get_all_operations())) >= 34  # every route of API.md is in the schema
        outcome = fuzzing.run(schema)
        report.append(f"{settings.backend} {role}: {outcome.describe()}")
        failures += [f"{role}: {x}" for x in outcome.failures + outcome.errors]
        assert outcome.statuses[200] and outcome.statuses[422], outcome.describe()  # it reached real answers
        assert set(outcome.checks) >= CHECKS, outcome.checks  # and judged them with every check
    print("\n".join(report))  # the figures, for docs/robustness.md (pytest -s)
    assert failures == [], "\n\n".join(failures)
    logged = [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]
    assert logged == []  # no traceback in the server log
