"""Witness policies ("2 of these 3"): a head counts as witnessed only with a quorum of valid cosignatures
by the listed keys — checked by the library function and by ``python -m verify cosigned``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.signing import public_key_bytes, sign_tree_head
from ledger.verify import main as verifier
from ledger.verify.cosignature import Cosignature, log_origin, sign_cosignature
from ledger.verify.policy import PolicyError, check_quorum, parse_policy

LOG_KEY = Ed25519PrivateKey.from_private_bytes(b"\x07" * 32)
NAMES = ("jijian.example.gov.cn/w1", "dangan.example.gov.cn/w1", "zuzhibu.example.gov.cn/w1")
KEYS = {name: Ed25519PrivateKey.from_private_bytes(bytes([i + 1]) * 32) for i, name in enumerate(NAMES)}
HEAD = sign_tree_head(LOG_KEY, 42, b"\x42" * 32, 1_700_000_000_000)


def _policy_text(quorum: int = 2) -> str:
    lines = [f"witness {name} {public_key_bytes(key).hex()} http://127.0.0.1:{7380 + i}  # office {i}"
             for i, (name, key) in enumerate(KEYS.items())]
    return "# the county ledger\n" + "\n".join(lines) + f"\nquorum {quorum}\n"


def _cosign(name: str, head: Any = HEAD, key: Ed25519PrivateKey | None = None) -> Cosignature:
    return sign_cosignature(key or KEYS[name], name, log_origin(head["key_id"]), head["size"],
                            bytes.fromhex(head["root_hash"]), 1_700_000_100)


def _head(*cosignatures: Cosignature) -> dict[str, Any]:
    return {**HEAD, "cosignatures": list(cosignatures)}


def test_a_head_cosigned_by_exactly_the_quorum_is_accepted_and_one_short_is_rejected() -> None:
    policy = parse_policy(_policy_text(quorum=2))
    assert [w.url for w in policy.witnesses] == [f"http://127.0.0.1:{7380 + i}" for i in range(3)]
    log_key = public_key_bytes(LOG_KEY)
    exactly = check_quorum(_head(_cosign(NAMES[0]), _cosign(NAMES[2])), policy, log_key)
    assert exactly.ok and exactly.cosigned == [NAMES[0], NAMES[2]]
    short = check_quorum(_head(_cosign(NAMES[1])), policy, log_key)
    assert not short.ok and short.cosigned == [NAMES[1]] and short.head_valid
    all_three = check_quorum(_head(*(_cosign(n) for n in NAMES)), parse_policy(_policy_text(quorum=3)), log_key)
    assert all_three.ok


def test_a_cosignature_by_an_unknown_key_does_not_count_and_is_reported() -> None:
    policy = parse_policy(_policy_text(quorum=2))
    stranger = Ed25519PrivateKey.generate()
    result = check_quorum(_head(_cosign(NAMES[0]), _cosign("stranger.example/w", key=stranger)),
                          policy, public_key_bytes(LOG_KEY))
    assert not result.ok and result.cosigned == [NAMES[0]]
    assert result.rejected == [("stranger.example/w", "unknown witness key")]


def test_forged_repeated_or_misattributed_cosignatures_do_not_make_a_quorum() -> None:
    policy = parse_policy(_policy_text(quorum=2))
    log_key = public_key_bytes(LOG_KEY)
    other_head = sign_tree_head(LOG_KEY, 43, b"\x43" * 32, 1_700_000_000_001)
    moved = _cosign(NAMES[1], head=other_head)  # a real cosignature, of another head
    twice = check_quorum(_head(_cosign(NAMES[0]), _cosign(NAMES[0])), policy, log_key)
    assert not twice.ok and twice.cosigned == [NAMES[0]]
    assert not check_quorum(_head(_cosign(NAMES[0]), moved), policy, log_key).ok
    renamed: Cosignature = {**_cosign(NAMES[1]), "witness": NAMES[2]}
    misattributed = check_quorum(_head(_cosign(NAMES[0]), renamed), policy, log_key)
    assert not misattributed.ok and "not" in misattributed.rejected[0][1]


def test_a_quorum_on_a_head_not_signed_by_the_log_is_rejected() -> None:
    policy = parse_policy(_policy_text(quorum=1))
    forged = {**HEAD, "root_hash": "00" * 32}
    result = check_quorum({**forged, "cosignatures": [_cosign(NAMES[0], head=forged)]}, policy,
                          public_key_bytes(LOG_KEY))
    assert result.cosigned == [NAMES[0]] and not result.head_valid and not result.ok


@pytest.mark.parametrize(("text", "message"), [
    ("witness a " + "00" * 32 + "\n", "no 'quorum"),
    ("witness a " + "00" * 32 + "\nquorum 2\n", "between 1 and the number of witnesses (1)"),
    ("witness a " + "00" * 32 + "\nquorum 0\n", "between 1"),
    ("witness a abc\nquorum 1\n", "line 1: the public key"),
    ("witness a " + "00" * 32 + "\nwitness b " + "00" * 32 + "\nquorum 1\n", "line 2: witness b"),
    ("quorum 1\nquorum 1\n", "line 2: a second quorum"),
    ("trust everyone\n", "line 1: expected"),
])
def test_an_unusable_policy_is_refused_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_policy(text)


def test_the_standalone_verifier_accepts_a_quorum_and_rejects_a_head_without_it(tmp_path: Path) -> None:
    policy_file = tmp_path / "policy.txt"
    policy_file.write_text(_policy_text(quorum=2), "utf-8")
    log_key = public_key_bytes(LOG_KEY).hex()
    witnessed, lone = tmp_path / "witnessed.json", tmp_path / "lone.json"
    witnessed.write_text(json.dumps(_head(_cosign(NAMES[0]), _cosign(NAMES[1]))), "utf-8")
    lone.write_text(json.dumps(_head(_cosign(NAMES[0]))), "utf-8")
    assert verifier(["cosigned", str(witnessed), log_key, "--policy", str(policy_file)]) == 0
    assert verifier(["cosigned", str(lone), log_key, "--policy", str(policy_file)]) == 1
    another_log = public_key_bytes(Ed25519PrivateKey.generate()).hex()
    assert verifier(["cosigned", str(witnessed), another_log, "--policy", str(policy_file)]) == 1
    policy_file.write_text("quorum 5\n", "utf-8")
    assert verifier(["cosigned", str(witnessed), log_key, "--policy", str(policy_file)]) == 2
