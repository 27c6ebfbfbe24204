"""The standalone witness (ledger/verify/witness.py, witness_http.py): it cosigns only heads that extend
the last one it cosigned, never two roots of one size, keeps its state across restarts, and speaks
C2SP cosignature/v1 — checked here on in-memory trees, with no Jishi store."""

from __future__ import annotations

import base64
import hashlib
import json
import struct
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.merkle import MemoryNodeStore, append_leaves, consistency_proof, leaf_hash, root
from ledger.signing import public_key_bytes, sign_tree_head
from ledger.verify import TreeHead, key_id
from ledger.verify import main as verifier
from ledger.verify.cosignature import (
    conflicting_heads,
    cosigned_message,
    log_origin,
    note_signature_line,
    verify_cosignature,
)
from ledger.verify.witness import STATE_FILE, Refusal, Witness, WitnessState
from ledger.verify.witness_http import make_server
from ledger.witnessing import http_post

LOG_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
WITNESS_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))


class Tree:
    """An in-memory log the test plays operator of; ``tag`` makes a different history."""

    def __init__(self, tag: bytes = b"a") -> None:
        self.store, self.size, self.tag = MemoryNodeStore(), 0, tag

    def grow(self, to: int) -> Tree:
        leaves = [leaf_hash(self.tag + i.to_bytes(4, "big")) for i in range(self.size, to)]
        self.store.put_many(append_leaves(self.store, self.size, leaves))
        self.size = to
        return self

    def head(self, size: int | None = None, key: Ed25519PrivateKey = LOG_KEY) -> TreeHead:
        size = self.size if size is None else size
        return sign_tree_head(key, size, root(self.store, size), 1_700_000_000_000 + size)

    def proof(self, old: int, new: int) -> list[str]:
        return [p.hex() for p in consistency_proof(self.store, old, new)] if 0 < old < new else []


@pytest.fixture
def state(tmp_path: Path) -> Iterator[WitnessState]:
    opened = WitnessState(tmp_path / "w1")
    yield opened
    opened.close()


@pytest.fixture
def witness(state: WitnessState) -> Witness:
    return Witness("jijian.example.gov.cn/w1", WITNESS_KEY, [public_key_bytes(LOG_KEY)], state,
                   clock=lambda: 1_700_000_123.9)


def _request(tree: Tree, old: int, size: int | None = None) -> dict[str, Any]:
    new = tree.size if size is None else size
    return {"old": old, "proof": tree.proof(old, new), "head": tree.head(new)}


def test_a_witness_cosigns_each_head_that_extends_the_last_one_it_cosigned(witness: Witness) -> None:
    tree = Tree().grow(5)
    first = witness.add_checkpoint(_request(tree, 0))
    tree.grow(13)
    second = witness.add_checkpoint(_request(tree, 5))
    witness_key = public_key_bytes(WITNESS_KEY)
    assert verify_cosignature(first, tree.head(5), witness_key)
    assert verify_cosignature(second, tree.head(13), witness_key)
    assert not verify_cosignature(first, tree.head(13), witness_key)  # a cosignature names its size and root
    assert second["key_id"] == key_id(witness_key) and second["timestamp"] == 1_700_000_123
    assert witness.add_checkpoint(_request(tree, 13)) is not None  # the same head again: cosigned again


def test_the_signed_message_and_the_note_line_are_c2sp_cosignature_v1() -> None:
    root_hash = hashlib.sha256(b"root").digest()
    message = cosigned_message("jishi.ledger/ab", 20852163, root_hash, 1679315147)
    assert message == (b"cosignature/v1\ntime 1679315147\njishi.ledger/ab\n20852163\n"
                       + base64.b64encode(root_hash) + b"\n")
    witness_key = public_key_bytes(WITNESS_KEY)
    cosignature = {"witness": "w.example/1", "key_id": key_id(witness_key), "timestamp": 1679315147,
                   "signature": WITNESS_KEY.sign(message).hex()}
    dash, name, blob = note_signature_line(cosignature, witness_key).split(" ")
    raw = base64.b64decode(blob)
    assert dash == "\u2014" and name == "w.example/1"
    assert raw[:4] == hashlib.sha256(b"w.example/1\n\x04" + witness_key).digest()[:4]
    assert struct.unpack(">Q", raw[4:12])[0] == 1679315147 and raw[12:] == WITNESS_KEY.sign(message)


def test_a_split_view_is_refused_by_the_witness_that_saw_the_first_tree(witness: Witness) -> None:
    honest, forked = Tree(b"a").grow(8), Tree(b"b").grow(8)
    witness.add_checkpoint(_request(honest, 0))
    with pytest.raises(Refusal) as same_size:
        witness.add_checkpoint(_request(forked, 8))  # "you are at 8": another root of size 8
    assert same_size.value.status == 422 and "split view" in same_size.value.reason
    with pytest.raises(Refusal) as from_scratch:
        witness.add_checkpoint(_request(forked, 0))  # pretending the witness saw nothing
    assert from_scratch.value.status == 409 and from_scratch.value.size == 8
    forked.grow(12)
    with pytest.raises(Refusal) as grown:
        witness.add_checkpoint({"old": 8, "proof": forked.proof(8, 12), "head": forked.head()})
    assert grown.value.status == 422  # no proof joins the fork to the head it cosigned
    assert witness.state.latest(log_origin(key_id(public_key_bytes(LOG_KEY)))).size == 8


def test_two_cosigned_heads_of_one_size_with_different_roots_are_evidence(tmp_path: Path, witness: Witness) -> None:
    honest, forked = Tree(b"a").grow(8), Tree(b"b").grow(8)
    other_state = WitnessState(tmp_path / "w2")
    other = Witness("dangan.example.gov.cn/w1", Ed25519PrivateKey.generate(), [public_key_bytes(LOG_KEY)],
                    other_state)
    shown_first = {**honest.head(), "cosignatures": [witness.add_checkpoint(_request(honest, 0))]}
    shown_second = {**forked.head(), "cosignatures": [other.add_checkpoint(_request(forked, 0))]}
    other_state.close()
    log_key = public_key_bytes(LOG_KEY)
    assert conflicting_heads(shown_first, shown_second, log_key)
    assert not conflicting_heads(shown_first, {**honest.head()}, log_key)  # the same tree twice is no evidence
    assert not conflicting_heads(shown_first, forked.head(key=Ed25519PrivateKey.generate()), log_key)
    first_file, second_file = tmp_path / "a.json", tmp_path / "b.json"
    first_file.write_text(json.dumps(shown_first))
    second_file.write_text(json.dumps(shown_second))
    assert verifier(["split-view", str(first_file), str(second_file), log_key.hex()]) == 0
    assert verifier(["split-view", str(first_file), str(first_file), log_key.hex()]) == 1


def test_a_witness_refuses_bad_proofs_unknown_logs_bad_signatures_and_impossible_sizes(witness: Witness) -> None:
    tree = Tree().grow(6)
    witness.add_checkpoint(_request(tree, 0))
    tree.grow(10)
    cases: list[tuple[dict[str, Any], int]] = [
        ({"old": 6, "proof": [("00" * 32)] * 3, "head": tree.head()}, 422),
        ({"old": 0, "proof": [], "head": Tree().grow(3).head(key=Ed25519PrivateKey.generate())}, 404),
        ({"old": 6, "proof": tree.proof(6, 10), "head": {**tree.head(), "root_hash": "11" * 32}}, 403),
        ({"old": 11, "proof": [], "head": tree.head()}, 400),
        ({"old": 6, "proof": "no", "head": tree.head()}, 400),
        ({"old": -1, "proof": [], "head": tree.head()}, 400),
    ]
    for request, status in cases:
        with pytest.raises(Refusal) as refused:
            witness.add_checkpoint(request)
        assert refused.value.status == status, request
    assert witness.add_checkpoint(_request(tree, 6))["witness"] == "jijian.example.gov.cn/w1"


def test_the_state_survives_a_restart_and_a_second_process_cannot_take_it(tmp_path: Path) -> None:
    tree = Tree().grow(7)
    state = WitnessState(tmp_path / "w")
    Witness("w", WITNESS_KEY, [public_key_bytes(LOG_KEY)], state).add_checkpoint(_request(tree, 0))
    with pytest.raises(RuntimeError, match="another witness process"):
        WitnessState(tmp_path / "w")
    state.close()
    restarted = Witness("w", WITNESS_KEY, [public_key_bytes(LOG_KEY)], WitnessState(tmp_path / "w"))
    with pytest.raises(Refusal) as forgot:
        restarted.add_checkpoint(_request(Tree(b"z").grow(7), 0))
    assert forgot.value.status == 409 and forgot.value.size == 7
    restarted.state.close()


def test_a_failed_state_write_sends_no_cosignature_and_keeps_the_old_state(
        witness: Witness, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = Tree().grow(4)
    witness.add_checkpoint(_request(tree, 0))
    on_disk = (witness.state.directory / STATE_FILE).read_text()
    tree.grow(9)

    def crash(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("ledger.verify.witness.os.replace", crash)
    with pytest.raises(OSError, match="disk full"):
        witness.add_checkpoint(_request(tree, 4))
    assert (witness.state.directory / STATE_FILE).read_text() == on_disk
    monkeypatch.undo()
    with pytest.raises(Refusal) as refused:
        witness.add_checkpoint(_request(tree, 9))  # it still holds 4: nothing was half-advanced
    assert refused.value.size == 4
    assert witness.add_checkpoint(_request(tree, 4))["timestamp"] > 0


def test_the_http_witness_answers_cosignatures_and_refusals_with_the_tlog_witness_statuses(
        witness: Witness, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make_server(witness)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        tree = Tree().grow(3)
        status, body = http_post(url, _request(tree, 0), 5)
        assert status == 200 and verify_cosignature(body, tree.head(), public_key_bytes(WITNESS_KEY))
        assert body["note_signature"].startswith("\u2014 jijian.example.gov.cn/w1 ")
        assert http_post(url, _request(tree.grow(5), 0), 5) == (409, {"error": "this witness holds size 3, not 0",
                                                                       "size": 3})
        status, body = http_post(url, {"old": "x"}, 5)
        assert status == 400 and "old" in body["error"]

        def crash(*_: object) -> None:
            raise OSError("disk full")

        monkeypatch.setattr("ledger.verify.witness.os.replace", crash)
        status, body = http_post(url, _request(tree, 3), 5)
        assert status == 503 and "disk full" in body["error"]
        assert witness.state.latest(log_origin(tree.head()["key_id"])).size == 3
    finally:
        server.shutdown()
        server.server_close()
