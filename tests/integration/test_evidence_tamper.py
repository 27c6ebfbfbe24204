"""A tampered evidence bundle is rejected with the reason (issue 23 §3): a record changed, removed, added or
reordered, a proof for another head, a head signed by another key, a growth file that the records do not
give. The verifier reads only the bundle, so one real bundle (SQLite) serves every case."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.evidence import build_bundle, stream_records
from jishi.bootstrap import Runtime, build_runtime
from jishi.settings import Settings
from ledger.signing import sign_tree_head
from ledger.verify import check_bundle, main
from tests.integration.test_evidence_bundle import AS_OF, history, unzipped

Files = dict[str, bytes]


@dataclass
class Scene:
    files: Files
    key: bytes
    runtime: Runtime
    other_cadre_record: dict[str, Any]


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    # records in clear (a store made before encryption at rest, JISHI_CIPHER=none): the verifier folds them, so
    # every tampering of content is caught; the encrypted case is tests/integration/test_evidence_bundle.py's
    runtime = build_runtime(Settings(data_dir=tmp_path_factory.mktemp("evidence"), cipher="none"))
    try:
        story = history(runtime.app)
        files = unzipped(build_bundle(runtime, story.cadre_id, AS_OF, None).content)
        registrations = runtime.app.recorder.select_notifications(1, 1000, topics=["jishi.cadre.CadreRegistered"])
        c2 = next(n.originator_id for n in registrations if n.originator_id != story.cadre_id)
        other_record = stream_records(runtime.app.recorder, c2)[0]
        yield Scene(files, runtime.ledger.public_key, runtime, other_record)
    finally:
        runtime.close()


def edited(files: Files, name: str, change: Callable[[Any], Any]) -> Files:
    data = json.loads(files[name])
    return {**files, name: json.dumps(change(data), ensure_ascii=False).encode("utf-8")}


def refused(files: Files, key: bytes | None, reason: str) -> None:
    report = check_bundle(files, key)
    assert not report.ok, "a tampered bundle verified"
    assert reason in report.failures[0], report.failures


def test_the_untouched_bundle_verifies_and_its_growth_file_is_checked_by_the_fold(scene: Scene) -> None:
    report = check_bundle(scene.files, scene.key)
    assert report.ok, report.failures
    assert report.growth_file_checked == "fold" and report.records == 5


def test_a_record_whose_stored_bytes_changed_is_rejected_as_not_proven(scene: Scene) -> None:
    def rename(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        records[0]["state"] = bytes.fromhex(records[0]["state"]).replace("王芳".encode(), "李芳".encode()).hex()
        return records

    def pad(records: list[dict[str, Any]]) -> list[dict[str, Any]]:  # the same JSON, other bytes
        records[2]["state"] += b" ".hex()
        return records

    position = json.loads(scene.files["records.json"])[0]["position"]
    refused(edited(scene.files, "records.json", rename), scene.key,
            f"the record at position {position} is not proven in the tree of the head: it was changed")
    refused(edited(scene.files, "records.json", pad), scene.key, "it was changed, or never logged")


def test_a_record_removed_from_the_middle_is_rejected_as_a_missing_version(scene: Scene) -> None:
    dropped = edited(edited(scene.files, "records.json", lambda r: r[:2] + r[3:]), "proofs.json",
                     lambda p: p[:2] + p[3:])
    refused(dropped, scene.key, "record version 3 is missing")


def test_a_record_added_is_rejected_whether_made_up_or_another_cadres(scene: Scene) -> None:
    def made_up(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        last = records[-1]
        return [*records, {**last, "position": last["position"] + 1, "originator_version": 6}]

    def again(proofs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [*proofs, {**proofs[-1], "position": proofs[-1]["position"] + 1, "index": proofs[-1]["index"] + 1}]

    refused(edited(edited(scene.files, "records.json", made_up), "proofs.json", again), scene.key,
            "is not proven in the tree of the head")
    other = scene.other_cadre_record
    proof = scene.runtime.ledger.inclusion(other["position"], json.loads(scene.files["head.json"])["size"])
    inserted = edited(edited(scene.files, "records.json", lambda r: sorted([*r, other], key=lambda x: x["position"])),
                      "proofs.json", lambda p: sorted([*p, {k: proof[k] for k in ("position", "index", "size",
                                                                                   "root_hash", "proof")}],
                                                      key=lambda x: x["position"]))
    refused(inserted, scene.key, "is not of cadre")


def test_records_reordered_are_rejected_with_or_without_their_proofs(scene: Scene) -> None:
    def swap(items: list[Any]) -> list[Any]:
        items[1], items[2] = items[2], items[1]
        return items

    both = edited(edited(scene.files, "records.json", swap), "proofs.json", swap)
    refused(both, scene.key, "out of order")
    refused(edited(scene.files, "records.json", swap), scene.key, "out of order")


def test_a_proof_for_another_head_is_rejected(scene: Scene) -> None:
    records = json.loads(scene.files["records.json"])
    older = scene.runtime.ledger.inclusion(records[1]["position"], records[1]["position"])  # a smaller tree

    def replace(proofs: list[dict[str, Any]], fields: tuple[str, ...]) -> list[dict[str, Any]]:
        proofs[1] = {**proofs[1], **{k: older[k] for k in fields}}
        return proofs

    refused(edited(scene.files, "proofs.json", lambda p: replace(p, ("size", "root_hash", "proof"))), scene.key,
            "is for another head")
    # the path of the smaller tree presented as if for this head: the audit path does not reach its root
    refused(edited(scene.files, "proofs.json", lambda p: replace(p, ("proof",))), scene.key,
            "is not proven in the tree of the head")


def test_a_head_signed_by_another_key_is_rejected(scene: Scene) -> None:
    head = json.loads(scene.files["head.json"])
    intruder = Ed25519PrivateKey.generate()
    forged = sign_tree_head(intruder, head["size"], bytes.fromhex(head["root_hash"]), head["timestamp"])
    with_forged_head = {**scene.files, "head.json": json.dumps(forged).encode()}
    refused(with_forged_head, None, "not validly signed by the public key")
    # head and key both swapped: the bundle agrees with itself, but not with the key the auditor holds
    intruder_pem = intruder.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo)
    swapped = {**with_forged_head, "public-key.pem": intruder_pem}
    alone = check_bundle(swapped)
    assert alone.ok and "check that key id" in alone.notes[0]
    refused(swapped, scene.key, "is not the key you hold")


def test_a_growth_file_the_records_do_not_give_is_rejected_naming_the_entry(scene: Scene) -> None:
    def retitle(growth: dict[str, Any]) -> dict[str, Any]:
        item = next(i for i in growth["timeline"] if i["type"] == "Appointed")
        item["document_no"] = "组干〔2020〕99号"
        return growth

    refused(edited(scene.files, "growth-file.json", retitle), scene.key, "的 document_no 与记录不符")

    def unretract(growth: dict[str, Any]) -> dict[str, Any]:
        item = next(i for i in growth["timeline"] if i["type"] == "TrainingCompleted")
        item["retracted"], item["retracted_by"] = False, None
        return growth

    refused(edited(scene.files, "growth-file.json", unretract), scene.key, "retracted")

    def drop(growth: dict[str, Any]) -> dict[str, Any]:
        growth["timeline"] = [i for i in growth["timeline"] if i["type"] != "EntryRetracted"]
        return growth

    refused(edited(scene.files, "growth-file.json", drop), scene.key, "the growth file omits it")
    refused(edited(scene.files, "manifest.json", lambda m: {**m, "known_at": "2020-01-01T00:00:00+00:00"}),
            scene.key, "known_at is not the bundle's")


def test_the_verifier_command_exits_1_with_the_reason_and_2_on_a_bundle_it_cannot_read(
        scene: Scene, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile

    bad = edited(edited(scene.files, "records.json", lambda r: r[:2] + r[3:]), "proofs.json", lambda p: p[:2] + p[3:])
    path = tmp_path / "tampered.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in bad.items():
            archive.writestr(name, content)
    assert main(["bundle", str(path), "--public-key", scene.key.hex()]) == 1
    assert "FAILED: 缺少该干部的第 3 个版本的记录" in capsys.readouterr().out
    (tmp_path / "not-a.zip").write_bytes(b"plain text")
    assert main(["bundle", str(tmp_path / "not-a.zip")]) == 2
    assert "cannot read the bundle" in capsys.readouterr().err
