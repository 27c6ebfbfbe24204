"""The ledger follows the event store exactly once, signs heads, and serves proofs that the
standalone verifier accepts — with gaps in the positions and with encryption at rest."""

from __future__ import annotations

import dataclasses
import json
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.cryptography import AESCipher

from domain.errors import NotFoundError, ValidationError
from jishi.bootstrap import build_application
from jishi.settings import Settings
from ledger import verify
from ledger.keys import KEY_FILE_NAME, LedgerKeyError, load_signing_key
from ledger.ledger import Ledger, export_record, record_leaf
from ledger.merkle import leaf_hash
from ledger.signing import public_key_bytes
from service.application import Jishi
from tests.factories import organisation, registered
from tests.integration.test_ledger_tamper import LedgerFactory, RawStore, open_ledger, positions, some_events


@pytest.fixture
def make_ledger(settings: Settings) -> Iterator[LedgerFactory]:
    opened: list[Ledger] = []

    def make(**options: Any) -> Ledger:
        opened.append(open_ledger(settings, **options))
        return opened[-1]

    yield make
    for each in opened:
        each.close()


@pytest.fixture
def ledger(make_ledger: LedgerFactory) -> Ledger:
    return make_ledger()


def test_sync_appends_each_stored_event_once_across_restarts_and_concurrent_callers(
        app: Jishi, make_ledger: LedgerFactory) -> None:
    stored = some_events(app)
    first = make_ledger(page_size=3, verify_page_size=4)
    assert first.sync(app.recorder) == len(stored)
    assert first.sync(app.recorder) == 0
    registered(app, "C8")
    registered(app, "C9")  # 4 events: each registration with its ID-number claim
    restarted = [make_ledger(page_size=1) for _ in range(4)]
    counts: list[int] = []
    threads = [threading.Thread(target=lambda led=led: counts.append(led.sync(app.recorder))) for led in restarted]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 4
    assert first.size == len(stored) + 4
    assert first.verify(app.recorder).ok


def test_heads_are_signed_every_n_events_and_on_demand(app: Jishi, make_ledger: LedgerFactory) -> None:
    ledger = make_ledger(head_every=3, page_size=2)
    some_events(app)  # 14 events
    assert ledger.head() is None
    ledger.sync(app.recorder)
    assert [h["size"] for h in ledger.heads()] == [3, 6, 9, 12]
    assert ledger.head() == ledger.heads()[-1]
    head = ledger.head(sign=True)
    assert head is not None and head["size"] == 14
    assert ledger.head(sign=True) == head  # the same size is not signed twice
    for stored_head in ledger.heads():
        assert verify.verify_tree_head(stored_head, ledger.public_key)
        assert bytes.fromhex(stored_head["root_hash"]) == ledger.root(stored_head["size"])


def test_proofs_by_position_verify_offline_even_across_a_gap(
        settings: Settings, app: Jishi, ledger: Ledger) -> None:
    organisation(app)  # 4 events: the unit, the post, and the unit's post directory
    gap = RawStore(settings, app).leave_a_gap(app, lambda a: registered(a, "C1"))
    registered(app, "C2")  # each registration with its ID-number claim
    ledger.sync(app.recorder)
    head = ledger.head(sign=True)
    assert head is not None
    stored = positions(app)
    assert len(stored) == head["size"] == 8 and gap not in stored

    for index, position in enumerate(stored):
        proof = ledger.inclusion(position)
        assert (proof["index"], proof["size"]) == (index, 8)
        assert verify.verify_inclusion(bytes.fromhex(proof["leaf_hash"]), index, 8,
                                         [bytes.fromhex(p) for p in proof["proof"]], bytes.fromhex(head["root_hash"]))
    after_gap = ledger.inclusion(gap + 1, size=5)
    assert after_gap["index"] == 4 and after_gap["root_hash"] == ledger.root(5).hex()

    consistency = ledger.consistency(2)
    assert verify.verify_consistency(2, 8, bytes.fromhex(consistency["first_root"]), bytes.fromhex(head["root_hash"]),
                                       [bytes.fromhex(p) for p in consistency["proof"]])
    with pytest.raises(NotFoundError):
        ledger.inclusion(gap)
    with pytest.raises(ValidationError):
        ledger.inclusion(stored[3], size=3)  # leaf 3 is not in the tree of 3 leaves
    with pytest.raises(ValidationError):
        ledger.consistency(3, 9)


def test_an_exported_record_and_its_proof_verify_with_the_standalone_verifier(
        app: Jishi, ledger: Ledger, tmp_path: Path) -> None:
    stored = some_events(app)
    ledger.sync(app.recorder)
    record = app.recorder.select_notifications(stored[2], 1)[0]
    proof = ledger.inclusion(stored[2])
    leaf = verify.leaf_input(record.id, record.originator_id, record.originator_version, record.topic, record.state)
    assert leaf.startswith(b"jishi-leaf-v1\x00" + stored[2].to_bytes(8, "big") + record.originator_id.bytes)
    assert leaf.endswith(record.state)
    assert leaf_hash(leaf) == record_leaf(record) == bytes.fromhex(proof["leaf_hash"])

    del proof["leaf_hash"]
    good = tmp_path / "good.json"
    good.write_text(json.dumps({**proof, "record": export_record(record)}), "utf-8")
    assert verify.main(["inclusion", str(good)]) == 0
    altered = export_record(record) | {"state": (bytes([record.state[0] ^ 1]) + record.state[1:]).hex()}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**proof, "record": altered}), "utf-8")
    assert verify.main(["inclusion", str(bad)]) == 1


def test_with_encryption_at_rest_the_ledger_hashes_ciphertext_and_verifies_without_the_key(
        settings: Settings) -> None:
    encrypted = dataclasses.replace(settings, cipher_key=AESCipher.create_key(32))
    app = build_application(encrypted)
    keyless = build_application(dataclasses.replace(settings, cipher="none"))  # the same store, without the key
    ledger = open_ledger(settings)
    try:
        stored = some_events(app)
        assert "王芳".encode() not in b"".join(n.state for n in keyless.recorder.select_notifications(1, 100))
        assert ledger.sync(keyless.recorder) == len(stored)
        assert ledger.verify(keyless.recorder).ok
        assert ledger.verify(app.recorder).ok
        raw = RawStore(settings, app)
        state = raw.state(stored[5])
        raw.update_state(stored[5], state[:-1] + bytes([state[-1] ^ 1]))
        report = ledger.verify(keyless.recorder)
        assert report.first is not None
        assert (report.first.kind, report.first.position) == ("changed", stored[5])
    finally:
        ledger.close()
        keyless.close()
        app.close()


def test_the_signing_key_is_created_once_private_to_its_owner_or_taken_from_the_setting(tmp_path: Path) -> None:
    key = load_signing_key(tmp_path)
    path = tmp_path / KEY_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert public_key_bytes(load_signing_key(tmp_path)) == public_key_bytes(key)

    seed = Ed25519PrivateKey.generate()
    raw = seed.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())
    assert public_key_bytes(load_signing_key(tmp_path, raw.hex())) == public_key_bytes(seed)
    assert public_key_bytes(load_signing_key(tmp_path / "elsewhere", str(path))) == public_key_bytes(key)
    (tmp_path / "not-a-key.pem").write_text("hello", "utf-8")
    with pytest.raises(LedgerKeyError):
        load_signing_key(tmp_path, str(tmp_path / "not-a-key.pem"))
