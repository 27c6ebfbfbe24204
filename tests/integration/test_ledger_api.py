"""The ledger routes of API.md: a signed head and proofs that check out offline, for the reading roles."""

from __future__ import annotations

from typing import Any

from jishi.bootstrap import Runtime
from ledger import verify
from tests.integration.test_ledger_tamper import some_events


def _as(tokens: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}"}


def test_the_head_and_proofs_are_served_to_readers_and_verify_offline(
        client: Any, tokens: dict[str, str], runtime: Runtime) -> None:
    stored = some_events(runtime.app)
    auditor = _as(tokens, "auditor")

    response = client.get("/api/v1/ledger/head", headers=auditor)
    assert response.status_code == 200
    head = response.json()
    size = head["size"]
    assert size == len(stored)  # every stored event (the users' too), caught up by the request itself
    assert verify.verify_tree_head(head, bytes.fromhex(head["public_key"]))

    proof = client.get("/api/v1/ledger/proofs/inclusion", params={"position": stored[3]}, headers=auditor).json()
    assert proof["size"] == size and proof["position"] == stored[3]
    assert verify.verify_inclusion(bytes.fromhex(proof["leaf_hash"]), proof["index"], size,
                                     [bytes.fromhex(p) for p in proof["proof"]], bytes.fromhex(head["root_hash"]))

    consistency = client.get("/api/v1/ledger/proofs/consistency", params={"first": 3, "second": size},
                             headers=_as(tokens, "oversight")).json()
    assert verify.verify_consistency(3, size, bytes.fromhex(consistency["first_root"]),
                                       bytes.fromhex(head["root_hash"]),
                                       [bytes.fromhex(p) for p in consistency["proof"]])
    assert client.get("/api/v1/ledger/head", headers=_as(tokens, "hr")).json()["root_hash"] == head["root_hash"]


def test_unknown_positions_bad_sizes_and_other_callers_are_refused_as_problems(
        client: Any, tokens: dict[str, str], runtime: Runtime) -> None:
    some_events(runtime.app)
    auditor = _as(tokens, "auditor")
    missing = client.get("/api/v1/ledger/proofs/inclusion", params={"position": 10_000}, headers=auditor)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    too_big = client.get("/api/v1/ledger/proofs/inclusion", params={"position": 1, "size": 10_000}, headers=auditor)
    assert too_big.status_code == 422
    backwards = client.get("/api/v1/ledger/proofs/consistency", params={"first": 5, "second": 4}, headers=auditor)
    assert backwards.status_code == 422
    assert client.get("/api/v1/ledger/head").status_code == 401
    assert client.get("/api/v1/ledger/head", headers=_as(tokens, "admin")).status_code == 403
