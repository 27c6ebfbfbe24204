"""An evidence bundle (证据包) checked offline: ``python verifier.py bundle FILE.zip``.

STANDALONE like the rest of this package.  A bundle is a zip (or the directory it unzips to) holding::

    manifest.json     {"format": "jishi-evidence-v1", "cadre_id", "as_of", "known_at", "created_at",
                       "encrypted": bool, "head_size", "key_id"}
    head.json         ONE signed tree head (the JSON form of :mod:`.encoding`)
    public-key.pem    the ledger's Ed25519 public key (SubjectPublicKeyInfo)
    records.json      the cadre's stored records, as stored, in position order:
                      [{"position", "originator_id", "originator_version", "topic", "state": hex}, ...]
    proofs.json       one inclusion proof per record, in the same order:
                      [{"position", "index", "size", "root_hash", "proof": [hex, ...]}, ...]
    growth-file.json  the growth file as of ``as_of`` as known at ``known_at``
    growth-file.html  the same, as the printed page (for people; not checked)
    verifier.py, verify/   this verifier

What :func:`check_bundle` checks, each failure named with its reason:

1. the head is validly signed by the public key (and, given ``expected_key``, that key is the one
   the auditor holds — a bundle's own key proves only that the bundle agrees with itself);
2. every proof is for THIS head (its size and root), and proves its record — the leaf hash of the
   record exactly as stored — at its index: a record changed, added, or a proof for another head fails;
3. the records are the cadre's stream in order: positions and leaf indices strictly increase (a
   reordered or repeated record fails), every record is of the cadre, versions run 1, 2, 3 … with no
   gap (a record removed from the middle fails);
4. the growth file is of the bundle's cadre, day and instant, and every entry it lists is a proven
   record (its position among the records, of the right version);
5. when the records are stored in plain form, the small fold of :mod:`.timeline` gives exactly the
   entries the growth file lists — same set, and for each its type, position, recorded_at, actor,
   effective date and 文号 after corrections, and whether it is retracted.

Limits, stated: inclusion proofs show that records ARE in the log, never that no other record of the
cadre is: a bundle that drops the cadre's LAST records together with the growth-file entries they
give cannot be told from an older one (the head still binds the bundle to a point in the log; a later
bundle or the full `jishi ledger verify` shows what follows).  Records encrypted at rest cannot be
read without the key, so then (5) is not done — the verifier says so — and only (1)-(4) hold.  The
growth file's derived sections (posts, ranks, findings …) are Jishi's rules, not restated here.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .encoding import HEX_RE, key_id, record_leaf_hash
from .heads import verify_tree_head
from .proofs import verify_inclusion
from .timeline import decode_states, fold_timeline, parse_instant

__all__ = ["BUNDLE_FORMAT", "CHECKED_FILES", "BundleError", "BundleReport", "check_bundle", "read_bundle"]

BUNDLE_FORMAT = "jishi-evidence-v1"
CHECKED_FILES = ("manifest.json", "head.json", "public-key.pem", "records.json", "proofs.json",
                 "growth-file.json")
MAX_MEMBER_BYTES = 256 * 1024 * 1024


class BundleError(Exception):
    """The bundle cannot be read at all (not a zip, a file missing, not JSON)."""


@dataclass
class BundleReport:
    """What :func:`check_bundle` found: ``ok`` only with no failure."""

    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    records: int = 0
    head: dict[str, Any] = field(default_factory=dict)
    growth_file_checked: str = "none"  # "fold" | "positions" | "none"

    @property
    def ok(self) -> bool:
        return not self.failures

    def fail(self, zh: str, en: str) -> None:
        self.failures.append(f"{zh} ({en})")


def read_bundle(source: str | Path) -> dict[str, bytes]:
    """The checked members of a bundle zip, or of the directory it was unzipped to."""
    path = Path(source)
    files: dict[str, bytes] = {}
    try:
        if path.is_dir():
            for name in CHECKED_FILES:
                member = path / name
                if member.is_file() and member.stat().st_size <= MAX_MEMBER_BYTES:
                    files[name] = member.read_bytes()
            return files
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename in CHECKED_FILES and info.file_size <= MAX_MEMBER_BYTES:
                    files[info.filename] = archive.read(info)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BundleError(f"cannot read the bundle {source}: {exc}") from exc
    return files


def _json(files: Mapping[str, bytes], name: str) -> Any:
    if name not in files:
        raise BundleError(f"the bundle has no {name}")
    try:
        return json.loads(files[name].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BundleError(f"{name} is not JSON: {exc}") from exc


def _public_key(pem: bytes) -> bytes:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError as exc:
        raise BundleError(f"public-key.pem is not a PEM public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise BundleError("public-key.pem is not an Ed25519 public key")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _hex(value: object) -> bytes | None:
    if not isinstance(value, str) or len(value) % 2 or not HEX_RE.fullmatch(value):
        return None
    return bytes.fromhex(value)


def check_bundle(files: Mapping[str, bytes], expected_key: bytes | None = None) -> BundleReport:
    """Check a bundle's members (see the module docstring); raises :class:`BundleError` only when
    the bundle cannot be read at all."""
    report = BundleReport()
    manifest, head = _json(files, "manifest.json"), _json(files, "head.json")
    records, proofs = _json(files, "records.json"), _json(files, "proofs.json")
    growth = _json(files, "growth-file.json")
    if "public-key.pem" not in files:
        raise BundleError("the bundle has no public-key.pem")
    key = _public_key(files["public-key.pem"])
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise BundleError(f"manifest.json is not a {BUNDLE_FORMAT} manifest")
    if not (isinstance(head, dict) and isinstance(records, list) and isinstance(proofs, list)
            and isinstance(growth, dict)):
        raise BundleError("head.json and growth-file.json must be objects, records.json and proofs.json lists")
    report.head, report.records = head, len(records)
    _check_head(report, head, key, expected_key)
    if report.ok:
        _check_records(report, manifest, head, records, proofs)
    if report.ok:
        _check_growth_file(report, manifest, records, growth)
    return report


def _check_head(report: BundleReport, head: dict[str, Any], key: bytes, expected: bytes | None) -> None:
    if expected is not None and expected != key:
        report.fail("证据包所附公钥不是您持有的账本公钥",
                    f"the bundle's public key {key_id(key)} is not the key you hold, {key_id(expected)}")
        return
    if not verify_tree_head(head, key):
        report.fail("树头签名无效：并非由所附公钥签署",
                    f"the tree head is not validly signed by the public key {key_id(key)}")
        return
    if expected is None:
        report.notes.append(f"树头签名有效；请核对公钥指纹与您持有的账本公钥一致 (head signature valid; check that "
                            f"key id {key_id(key)} is the ledger key you hold, or pass --public-key)")


def _check_records(report: BundleReport, manifest: dict[str, Any], head: dict[str, Any],
                   records: list[Any], proofs: list[Any]) -> None:
    cadre_id = str(manifest.get("cadre_id"))
    size, root = head["size"], bytes.fromhex(head["root_hash"])
    if len(records) != len(proofs):
        report.fail("记录与证明数目不符", f"{len(records)} records but {len(proofs)} proofs")
        return
    if not records:
        report.fail("证据包中没有记录", "the bundle holds no record")
        return
    last_position, last_index = 0, -1
    versions = [r.get("originator_version") for r in records if isinstance(r, dict)]
    for number, (record, proof) in enumerate(zip(records, proofs, strict=True), start=1):
        where = f"第 {number} 条记录"
        if not isinstance(record, dict) or not isinstance(proof, dict):
            report.fail(f"{where}格式错误", f"record {number} or its proof is not an object")
            return
        position = record.get("position")
        if not isinstance(position, int) or isinstance(position, bool) or position < 1:
            report.fail(f"{where}位置无效", f"record {number} has no valid position")
            return
        if position <= last_position:
            report.fail(f"位置 {position} 的记录顺序错乱或重复",
                        f"record at position {position} is out of order or repeated (after {last_position})")
            return
        if record.get("originator_id") != cadre_id:
            report.fail(f"位置 {position} 的记录不属于该干部",
                        f"record at position {position} is not of cadre {cadre_id}")
            return
        if record.get("originator_version") != number and number in versions:
            report.fail(f"位置 {position} 的记录顺序错乱",
                        f"record at position {position} is out of order: version {record.get('originator_version')} "
                        f"where version {number} belongs")
            return
        if record.get("originator_version") != number:
            report.fail(f"缺少该干部的第 {number} 个版本的记录",
                        f"the cadre's record version {number} is missing (found version "
                        f"{record.get('originator_version')} at position {position})")
            return
        if proof.get("position") != position:
            report.fail(f"位置 {position} 的证明与记录不对应",
                        f"the proof listed with record at position {position} is for position "
                        f"{proof.get('position')}")
            return
        if proof.get("size") != size or _hex(proof.get("root_hash")) != root:
            report.fail(f"位置 {position} 的证明不是针对本树头",
                        f"the proof for position {position} is for another head (size {proof.get('size')}, "
                        f"not the head's {size})")
            return
        index = proof.get("index")
        if not isinstance(index, int) or isinstance(index, bool) or index <= last_index:
            report.fail(f"位置 {position} 的证明序号错乱",
                        f"the proof for position {position} has leaf index {index}, out of order")
            return
        state, path = _hex(record.get("state")), proof.get("proof")
        hashes = [_hex(p) for p in path] if isinstance(path, list) else None
        topic, originator = record.get("topic"), record.get("originator_id")
        try:
            if state is None or not isinstance(topic, str) or hashes is None or None in hashes:
                raise ValueError("state, topic or proof is not in form")
            leaf = record_leaf_hash(position, str(originator), number, topic, state)
        except ValueError as exc:
            report.fail(f"位置 {position} 的记录格式错误", f"record at position {position} is malformed: {exc}")
            return
        if not verify_inclusion(leaf, index, size, [h for h in hashes if h is not None], root):
            report.fail(f"位置 {position} 的记录与账本不符：记录被改动或不在树中",
                        f"the record at position {position} is not proven in the tree of the head: it was "
                        f"changed, or never logged there")
            return
        last_position, last_index = position, index


def _check_growth_file(report: BundleReport, manifest: dict[str, Any], records: list[dict[str, Any]],
                       growth: dict[str, Any]) -> None:
    cadre_id = manifest.get("cadre_id")
    known_at = parse_instant(manifest.get("known_at"))
    if growth.get("cadre_id") != cadre_id or str(growth.get("as_of")) != str(manifest.get("as_of")):
        report.fail("成长档案与证据包所述干部或日期不符",
                    "the growth file is not of the bundle's cadre and as_of day")
        return
    if known_at is None or parse_instant(growth.get("known_at")) != known_at:
        report.fail("成长档案的所示时刻与证据包不符", "the growth file's known_at is not the bundle's")
        return
    timeline = growth.get("timeline")
    if not isinstance(timeline, list) or not all(isinstance(item, dict) for item in timeline):
        report.fail("成长档案缺少时间线", "the growth file has no timeline list")
        return
    by_position = {r["position"]: r for r in records}
    for item in timeline:
        if item.get("position") not in by_position:
            report.fail(f"成长档案所列条目 {item.get('entry_id')} 没有经证明的记录",
                        f"the growth file lists entry {item.get('entry_id')} at position {item.get('position')}, "
                        "which no proven record of the bundle holds")
            return
    states = decode_states([bytes.fromhex(r["state"]) for r in records])
    if states is None:
        report.growth_file_checked = "positions"
        report.notes.append("记录为加密存储，无法核对成长档案内容，仅核对其所列条目均有经证明的记录 (records are "
                            "encrypted at rest: the growth file's entries are checked to be proven records, "
                            "their content cannot be checked without the key)")
        return
    _compare_fold(report, str(cadre_id), records, states, timeline, known_at, str(growth.get("as_of")))


def _compare_fold(report: BundleReport, cadre_id: str, records: list[dict[str, Any]], states: list[dict[str, Any]],
                  timeline: list[dict[str, Any]], known_at: datetime, as_of: str) -> None:
    try:
        folded = fold_timeline(cadre_id, records, states, known_at)
    except ValueError as exc:
        report.fail("记录无法折算", f"the records cannot be folded: {exc}")
        return
    expected = {k: e for k, e in folded.items() if e.effective_on is None or e.effective_on <= as_of}
    listed = {str(item.get("entry_id")): item for item in timeline}
    for entry_id in sorted(expected.keys() - listed.keys()):
        report.fail(f"成长档案缺少条目 {entry_id}",
                    f"the records give entry {entry_id} ({expected[entry_id].type}), the growth file omits it")
    for entry_id in sorted(listed.keys() - expected.keys()):
        report.fail(f"成长档案多出条目 {entry_id}",
                    f"the growth file lists entry {entry_id}, which the records do not give as of {as_of}")
    for entry_id in sorted(expected.keys() & listed.keys()):
        item = listed[entry_id]
        shown = {**{k: item.get(k) for k in ("type", "position", "actor", "effective_on", "document_no",
                                               "retracted", "retracted_by")},
                 "recorded_at": parse_instant(item.get("recorded_at"))}
        for name, value in expected[entry_id].compared().items():
            if shown[name] != value:
                report.fail(f"成长档案条目 {entry_id} 的 {name} 与记录不符",
                            f"entry {entry_id}: the growth file says {name}={shown[name]!r}, the records give "
                            f"{value!r}")
    if report.ok:
        report.growth_file_checked = "fold"

