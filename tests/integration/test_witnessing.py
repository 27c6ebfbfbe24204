"""Witnessed tree heads 见证 over a real store (both backends): Jishi sends its heads to standalone witness
servers, keeps their cosignatures and serves them; a witness that is down only delays; a doctored tree
of a size already witnessed is refused; writes never wait for a witness."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jishi.bootstrap import Runtime, build_application, open_ledger
from jishi.settings import Settings
from ledger import verify
from ledger.verify.cosignature import sign_cosignature
from ledger.verify.policy import check_quorum
from ledger.witnessing import Courier, Witnessing
from service.commands import RegisterCadre
from tests.factories import HR, cadre, registered
from tests.integration.test_ledger_tamper import some_events
from tests.witnesses import RunningWitness, policy_of, start_witnesses


@pytest.fixture
def witnesses(runtime: Runtime, tmp_path: Path) -> Iterator[list[RunningWitness]]:
    started = start_witnesses(tmp_path, runtime.ledger.public_key)
    yield started
    for witness in started:
        witness.stop()


def _synced(runtime: Runtime) -> None:
    runtime.ledger.sync(runtime.app.recorder)


def test_each_new_head_is_cosigned_and_served_with_the_head(
        runtime: Runtime, witnesses: list[RunningWitness], client: Any, tokens: dict[str, str]) -> None:
    runtime.witnessing = Witnessing(runtime.ledger, policy_of(witnesses, quorum=2))
    auditor = {"Authorization": f"Bearer {tokens['auditor']}"}
    some_events(runtime.app)
    assert client.get("/api/v1/ledger/head", params={"witnessed": "true"}, headers=auditor).status_code == 404
    _synced(runtime)
    assert [o.status for o in runtime.witnessing.cosign()] == ["cosigned"] * 3

    head = client.get("/api/v1/ledger/head", headers=auditor).json()
    assert len(head["cosignatures"]) == 3
    assert check_quorum(head, runtime.witnessing.policy, bytes.fromhex(head["public_key"])).ok
    assert {w.held_size() for w in witnesses} == {head["size"]}

    registered(runtime.app, "C9")
    newer = client.get("/api/v1/ledger/head", headers=auditor).json()  # the request catches the ledger up
    assert newer["size"] > head["size"] and newer["cosignatures"] == []  # not yet seen by the witnesses
    witnessed = client.get("/api/v1/ledger/head", params={"witnessed": "true"}, headers=auditor).json()
    assert witnessed["size"] == head["size"] and len(witnessed["cosignatures"]) == 3
    assert [o.status for o in runtime.witnessing.cosign()] == ["cosigned"] * 3
    assert len(client.get("/api/v1/ledger/head", headers=auditor).json()["cosignatures"]) == 3


def test_a_witness_that_is_down_delays_cosigning_but_loses_nothing(
        runtime: Runtime, witnesses: list[RunningWitness]) -> None:
    witnessing = Witnessing(runtime.ledger, policy_of(witnesses, quorum=3), timeout=2)
    some_events(runtime.app)
    _synced(runtime)
    first = witnessing.cosign()
    witnesses[2].stop()
    for i in range(3):
        registered(runtime.app, f"D{i}")
    _synced(runtime)
    while_down = witnessing.cosign()
    assert [o.status for o in first] == ["cosigned"] * 3
    assert [o.status for o in while_down] == ["cosigned", "cosigned", "unreachable"]
    latest = runtime.ledger.head()
    assert latest is not None and witnessing.latest_witnessed() != latest  # 2 of 3: no quorum of 3 yet

    witnesses[2].start()  # back, on the same port, with the state it had
    assert [o.status for o in witnessing.cosign()] == ["current", "current", "cosigned"]
    witnessed = witnessing.latest_witnessed()
    assert witnessed == latest and witnesses[2].held_size() == latest["size"]
    cosigned = {**latest, "cosignatures": witnessing.cosignatures(latest["size"])}
    assert check_quorum(cosigned, witnessing.policy, runtime.ledger.public_key).ok
    for record in runtime.app.recorder.select_notifications(1, 10_000):  # everything written meanwhile too
        proof = runtime.ledger.inclusion(record.id, latest["size"])
        assert verify.verify_inclusion(bytes.fromhex(proof["leaf_hash"]), proof["index"], latest["size"],
                                       [bytes.fromhex(p) for p in proof["proof"]], bytes.fromhex(latest["root_hash"]))


def test_a_doctored_tree_of_a_size_already_witnessed_is_refused_by_every_witness(
        runtime: Runtime, witnesses: list[RunningWitness], tmp_path: Path) -> None:
    some_events(runtime.app)
    _synced(runtime)
    honest = Witnessing(runtime.ledger, policy_of(witnesses, quorum=2))
    honest.cosign()
    size = runtime.ledger.size
    # The operator keeps a second store with other records, signed with the same key, and shows its tree.
    seed = runtime.ledger.signing_key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                                    serialization.NoEncryption())
    fork_settings = Settings(data_dir=tmp_path / "fork", ledger_key=seed.hex())
    fork_app = build_application(fork_settings)
    fork = open_ledger(fork_settings)
    try:
        some_events(fork_app, cadres=6)
        fork.sync(fork_app.recorder, until=size)
        assert fork.size == size and fork.root() != runtime.ledger.root()
        outcomes = Witnessing(fork, policy_of(witnesses, quorum=2)).cosign()
        assert [o.status for o in outcomes] == ["refused"] * 3
        assert all("split view" in o.detail for o in outcomes)
        fork_head = fork.head()
        assert fork_head is not None
        assert verify.verify_tree_head(fork_head, runtime.ledger.public_key)  # signed: only the witnesses tell
        assert not check_quorum({**fork_head, "cosignatures": []}, honest.policy, runtime.ledger.public_key).ok
        assert {w.held_size() for w in witnesses} == {size}
    finally:
        fork.close()
        fork_app.close()


def test_a_witness_answer_that_does_not_verify_under_its_policy_key_is_not_stored(runtime: Runtime,
                                                                                   tmp_path: Path) -> None:
    some_events(runtime.app)
    _synced(runtime)
    impostor = Ed25519PrivateKey.generate()
    listed = start_witnesses(tmp_path, runtime.ledger.public_key, count=1)
    listed[0].stop()

    def answer_with_another_key(url: str, body: dict[str, Any], timeout: float) -> tuple[int, dict[str, Any]]:
        head = body["head"]
        return 200, dict(sign_cosignature(impostor, listed[0].name, verify.cosignature.log_origin(head["key_id"]),
                                          head["size"], bytes.fromhex(head["root_hash"]), 1_700_000_000))

    witnessing = Witnessing(runtime.ledger, policy_of(listed, quorum=1), post=answer_with_another_key)
    assert [o.status for o in witnessing.cosign()] == ["invalid"]
    assert witnessing.cosignatures(runtime.ledger.size) == [] and witnessing.latest_witnessed() is None


def test_writes_never_wait_for_a_witness_that_does_not_answer(runtime: Runtime, tmp_path: Path) -> None:
    listed = start_witnesses(tmp_path, runtime.ledger.public_key, count=1)
    listed[0].stop()
    entered, release = threading.Event(), threading.Event()

    def hanging(url: str, body: dict[str, Any], timeout: float) -> tuple[int, dict[str, Any]]:
        entered.set()
        release.wait(60)
        raise OSError("timed out")

    witnessing = Witnessing(runtime.ledger, policy_of(listed, quorum=1), post=hanging)
    courier = Courier(witnessing, lambda: runtime.ledger.sync(runtime.app.recorder), interval=3600)
    runtime.courier = courier
    runtime.runner.after_catch_up.append(courier.notify)
    courier.start()
    try:
        runtime.execute(RegisterCadre(cadre("W1")), HR)
        assert entered.wait(30)  # the courier is now stuck in the witness
        written = runtime.execute(RegisterCadre(cadre("W2")), HR)  # and a write still goes through
        assert not release.is_set()
        assert runtime.app.recorder.select_notifications(written.position, 1)[0].id == written.position
    finally:
        release.set()
        courier.stop()
