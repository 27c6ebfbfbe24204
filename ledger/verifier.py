"""Offline verifier for the Jishi ledger: Merkle proofs and signed tree heads.

STANDALONE BY DESIGN: this file imports only the Python standard library and the
``cryptography`` package, so an auditor can copy this single file and run it::

    python verifier.py inclusion   PROOF.json
    python verifier.py consistency PROOF.json
    python verifier.py head        HEAD.json PUBLIC_KEY

(or ``python -m ledger.verifier ...`` inside the project).  Exit status is
0 when everything verifies, 1 when verification fails, 2 on unusable input.

Hashing (RFC 6962 §2.1, RFC 9162 §2.1.1)::

    leaf hash = SHA-256(0x00 || leaf input)
    node hash = SHA-256(0x01 || left || right)
    empty tree root = SHA-256("")

Leaf input: one stored event record, encoded canonically (v1) as::

    b"jishi-leaf-v1\\x00"       14 bytes, domain separation / version tag
    position                   8 bytes, unsigned big-endian (the record's notification id)
    originator_id              16 bytes, the raw UUID
    originator_version         8 bytes, unsigned big-endian
    len(topic)                 4 bytes, unsigned big-endian, then the topic in UTF-8
    state                      the rest: the state bytes exactly as stored (still compressed
                               and encrypted when the store encrypts at rest)

so the ledger commits to the stored bytes and their place in the global order, and needs
no decryption key.  :func:`leaf_input` builds it; :func:`record_leaf_hash` hashes it.

Proof verification implements RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency).
The verify functions return ``False`` for anything malformed and never raise.

Note: like every RFC 6962 verifier, a proof only commits to the *shape* of its path, so it
also verifies for other claims with the same shape against the *same* root: e.g. a proof for
(index 0, size 3) verifies as (index 0, size 4), and (index 1, size 2) as (index 2, size 3).
Within one tree size a different index is always rejected.  The (size, root) binding comes
from the signed tree head, so always check the head the root and size were taken from.

Signed tree head (STH) message, signed with Ed25519 (RFC 8032), 61 bytes::

    b"jishi-sth-v1\\x00"        13 bytes, domain separation / version tag
    size                       8 bytes, unsigned big-endian
    timestamp                  8 bytes, unsigned big-endian, milliseconds since Unix epoch
    root hash                  32 bytes

JSON form of a head::

    {"size": int, "root_hash": hex, "timestamp": int ms, "signature": hex (64 bytes),
     "key_id": hex of SHA-256(raw 32-byte Ed25519 public key)}

JSON files for the CLI (hex strings are lowercase or uppercase, no separators)::

    inclusion:   {"leaf_hash": hex (or "leaf": hex of the raw leaf input, or "record":
                  {"position": int, "originator_id": UUID, "originator_version": int,
                   "topic": str, "state": hex of the stored bytes}),
                  "index": int, "size": int, "proof": [hex, ...], "root_hash": hex}
    consistency: {"first": int, "second": int, "first_root": hex, "second_root": hex,
                  "proof": [hex, ...]}

PUBLIC_KEY for ``head`` is 64 hex characters, or a file holding hex, a PEM
SubjectPublicKeyInfo, or the 32 raw key bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import re
import struct
import sys
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypedDict, TypeGuard

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "LEAF_INPUT_PREFIX",
    "TREE_HEAD_PREFIX",
    "TreeHead",
    "key_id",
    "leaf_input",
    "main",
    "record_leaf_hash",
    "tree_head_message",
    "verify_consistency",
    "verify_inclusion",
    "verify_tree_head",
]

HASH_SIZE = 32
MAX_TREE_SIZE = 1 << 64  # sizes, indices and timestamps are uint64
EMPTY_ROOT: bytes = hashlib.sha256(b"").digest()
TREE_HEAD_PREFIX = b"jishi-sth-v1\x00"
LEAF_INPUT_PREFIX = b"jishi-leaf-v1\x00"
_LEAF_FIXED = struct.Struct(">Q16sQI")  # position, originator id, originator version, len(topic)
SIGNATURE_SIZE = 64
# Longest possible proof for uint64 sizes: 64 audit-path siblings, plus for a consistency
# proof the boundary subtree hash when the first size is not a power of two.
MAX_PROOF_LENGTH = 65
PUBLIC_KEY_SIZE = 32

_HEX_RE = re.compile(r"[0-9a-fA-F]*")


class TreeHead(TypedDict):
    """JSON-ready signed tree head."""

    size: int
    root_hash: str
    timestamp: int
    signature: str
    key_id: str


# --------------------------------------------------------------------------- hashing


def _leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def _node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def leaf_input(position: int, originator_id: uuid.UUID | str, originator_version: int, topic: str,
               state: bytes) -> bytes:
    """The canonical leaf input of one stored record (see module docstring); raises ValueError."""
    if type(originator_id) is not uuid.UUID:
        originator_id = uuid.UUID(str(originator_id))
    if isinstance(position, bool) or isinstance(originator_version, bool):
        raise ValueError("position and originator_version must be ints")
    if not isinstance(topic, str) or not isinstance(state, (bytes, bytearray, memoryview)):
        raise ValueError("topic must be a str and state bytes")
    encoded_topic = topic.encode("utf-8")
    try:  # ">Q" refuses what is not an int in [0, 2**64), ">I" a topic of 4 GiB or more
        fixed = _LEAF_FIXED.pack(position, originator_id.bytes, originator_version, len(encoded_topic))
    except struct.error as exc:
        raise ValueError(f"position, originator_version or topic out of range: {exc}") from exc
    return LEAF_INPUT_PREFIX + fixed + encoded_topic + bytes(state)


def record_leaf_hash(position: int, originator_id: uuid.UUID | str, originator_version: int, topic: str,
                     state: bytes) -> bytes:
    """RFC 6962 leaf hash of one stored record: SHA-256(0x00 || leaf_input(...))."""
    return _leaf_hash(leaf_input(position, originator_id, originator_version, topic, state))


def _is_uint64(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_TREE_SIZE


def _is_hash(value: object) -> bool:
    return isinstance(value, (bytes, bytearray)) and len(value) == HASH_SIZE


def _proof_ok(proof: object) -> bool:
    # Cheap bound against oversized input; correctness comes from the RFC algorithms.
    return (
        isinstance(proof, (list, tuple))
        and len(proof) <= MAX_PROOF_LENGTH
        and all(_is_hash(element) for element in proof)
    )


# --------------------------------------------------------------------------- proofs


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` show ``leaf_hash`` at ``index`` in tree (size, root)?"""
    try:
        if not (_is_uint64(index) and _is_uint64(size) and _is_hash(leaf_hash)):
            return False
        if not (_is_hash(root) and _proof_ok(proof)):
            return False
        if index >= size:
            return False
        fn, sn = index, size - 1
        r = bytes(leaf_hash)
        for element in proof:
            p = bytes(element)
            if sn == 0:
                return False
            if fn & 1 or fn == sn:
                r = _node_hash(p, r)
                if not fn & 1:
                    while not fn & 1 and fn != 0:
                        fn >>= 1
                        sn >>= 1
            else:
                r = _node_hash(r, p)
            fn >>= 1
            sn >>= 1
        return sn == 0 and hmac.compare_digest(r, bytes(root))
    except Exception:  # never raise on hostile input
        return False


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: is tree (first, first_root) a prefix of tree (second, second_root)?

    Requires ``0 < first <= second``.  ``first == second`` verifies only with an empty proof
    and identical roots.  ``first == 0`` is always rejected (the RFC requires 0 < first;
    every tree trivially extends the empty tree, so callers can special-case it).
    """
    try:
        if not (_is_uint64(first) and _is_uint64(second)):
            return False
        if not (_is_hash(first_root) and _is_hash(second_root) and _proof_ok(proof)):
            return False
        if first == 0 or first > second:
            return False
        if first == second:
            return len(proof) == 0 and hmac.compare_digest(bytes(first_root), bytes(second_root))
        if len(proof) == 0:
            return False
        path = [bytes(element) for element in proof]
        if first & (first - 1) == 0:  # first is an exact power of two
            path.insert(0, bytes(first_root))
        fn, sn = first - 1, second - 1
        while fn & 1:
            fn >>= 1
            sn >>= 1
        fr = sr = path[0]
        for c in path[1:]:
            if sn == 0:
                return False
            if fn & 1 or fn == sn:
                fr = _node_hash(c, fr)
                sr = _node_hash(c, sr)
                if not fn & 1:
                    while not fn & 1 and fn != 0:
                        fn >>= 1
                        sn >>= 1
            else:
                sr = _node_hash(sr, c)
            fn >>= 1
            sn >>= 1
        return sn == 0 and hmac.compare_digest(fr, bytes(first_root)) and hmac.compare_digest(sr, bytes(second_root))
    except Exception:  # never raise on hostile input
        return False


# --------------------------------------------------------------------------- tree heads


def tree_head_message(size: int, root_hash: bytes, timestamp_ms: int) -> bytes:
    """The exact bytes an STH signature covers (see module docstring); raises ValueError."""
    if not _is_uint64(size):
        raise ValueError("size must be an int in [0, 2**64)")
    if not _is_uint64(timestamp_ms):
        raise ValueError("timestamp_ms must be an int in [0, 2**64)")
    if not _is_hash(root_hash):
        raise ValueError(f"root_hash must be {HASH_SIZE} bytes")
    return TREE_HEAD_PREFIX + struct.pack(">QQ", size, timestamp_ms) + bytes(root_hash)


def key_id(public_key_bytes: bytes) -> str:
    """Hex SHA-256 of the raw 32-byte Ed25519 public key."""
    return hashlib.sha256(public_key_bytes).hexdigest()


def _hex_field(value: object, length: int) -> bytes | None:
    if not isinstance(value, str) or len(value) != 2 * length or not _HEX_RE.fullmatch(value):
        return None
    return bytes.fromhex(value)


def verify_tree_head(head: Mapping[str, Any], public_key_bytes: bytes) -> bool:
    """Check a JSON-form tree head's Ed25519 signature under a raw 32-byte public key.

    Also requires ``key_id`` to name that key and a size-0 head to carry the empty root.
    Returns ``False`` (never raises) for anything malformed.
    """
    try:
        if not isinstance(head, Mapping):
            return False
        if not isinstance(public_key_bytes, (bytes, bytearray)):
            return False
        if len(public_key_bytes) != PUBLIC_KEY_SIZE:
            return False
        size, timestamp = head.get("size"), head.get("timestamp")
        if not (_is_uint64(size) and _is_uint64(timestamp)):
            return False
        root = _hex_field(head.get("root_hash"), HASH_SIZE)
        signature = _hex_field(head.get("signature"), SIGNATURE_SIZE)
        claimed_key_id = _hex_field(head.get("key_id"), HASH_SIZE)
        if root is None or signature is None or claimed_key_id is None:
            return False
        if not hmac.compare_digest(claimed_key_id, hashlib.sha256(public_key_bytes).digest()):
            return False
        if size == 0 and not hmac.compare_digest(root, EMPTY_ROOT):
            return False
        message = tree_head_message(size, root, timestamp)
        public_key = Ed25519PublicKey.from_public_bytes(bytes(public_key_bytes))
        public_key.verify(signature, message)
        return True
    except InvalidSignature:
        return False
    except Exception:  # never raise on hostile input
        return False


# --------------------------------------------------------------------------- CLI


class _InputError(Exception):
    """The CLI input cannot be used (bad file, JSON, field or type)."""


def _load_json(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _InputError(f"cannot read JSON from {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise _InputError(f"{path}: expected a JSON object")
    return data


def _field(data: Mapping[str, Any], name: str) -> Any:
    if name not in data:
        raise _InputError(f"missing field {name!r}")
    return data[name]


def _int_field(data: Mapping[str, Any], name: str) -> int:
    value = _field(data, name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _InputError(f"field {name!r} must be an integer")
    return value


def _hex_bytes(value: Any, name: str) -> bytes:
    if not isinstance(value, str) or not _HEX_RE.fullmatch(value) or len(value) % 2:
        raise _InputError(f"field {name!r} must be a hex string")
    return bytes.fromhex(value)


def _proof_field(data: Mapping[str, Any]) -> list[bytes]:
    value = _field(data, "proof")
    if not isinstance(value, list):
        raise _InputError("field 'proof' must be a list of hex strings")
    return [_hex_bytes(item, f"proof[{i}]") for i, item in enumerate(value)]


def _load_public_key(arg: str) -> bytes:
    if len(arg) == 2 * PUBLIC_KEY_SIZE and _HEX_RE.fullmatch(arg):
        return bytes.fromhex(arg)
    try:
        raw = Path(arg).read_bytes()
    except OSError as exc:
        raise _InputError(f"public key {arg!r} is neither 64 hex chars nor a readable file") from exc
    text = raw.strip()
    if text.startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text)
        except ValueError as exc:
            raise _InputError(f"{arg}: unreadable PEM public key: {exc}") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise _InputError(f"{arg}: not an Ed25519 public key")
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if len(text) == 2 * PUBLIC_KEY_SIZE and _HEX_RE.fullmatch(text.decode("ascii", "replace")):
        return bytes.fromhex(text.decode("ascii"))
    if len(raw) == PUBLIC_KEY_SIZE:
        return raw
    raise _InputError(f"{arg}: expected hex, PEM or 32 raw bytes of an Ed25519 public key")


def _record_hash(record: Any) -> bytes:
    if not isinstance(record, dict):
        raise _InputError("field 'record' must be an object")
    topic = _field(record, "topic")
    if not isinstance(topic, str):
        raise _InputError("field 'record.topic' must be a string")
    try:
        return record_leaf_hash(
            _int_field(record, "position"),
            str(_field(record, "originator_id")),
            _int_field(record, "originator_version"),
            topic,
            _hex_bytes(_field(record, "state"), "record.state"),
        )
    except ValueError as exc:
        raise _InputError(f"field 'record' is not a valid stored record: {exc}") from exc


def _cmd_inclusion(args: argparse.Namespace) -> bool:
    data = _load_json(args.file)
    if sum(name in data for name in ("leaf", "leaf_hash", "record")) != 1:
        raise _InputError("give exactly one of 'leaf_hash', 'leaf' or 'record'")
    if "record" in data:
        leaf = _record_hash(data["record"])
    elif "leaf" in data:
        leaf = _leaf_hash(_hex_bytes(data["leaf"], "leaf"))
    else:
        leaf = _hex_bytes(data["leaf_hash"], "leaf_hash")
    index, size = _int_field(data, "index"), _int_field(data, "size")
    ok = verify_inclusion(leaf, index, size, _proof_field(data), _hex_bytes(_field(data, "root_hash"), "root_hash"))
    print(f"{'OK' if ok else 'FAILED'}: inclusion of leaf {index} in tree of size {size}")
    return ok


def _cmd_consistency(args: argparse.Namespace) -> bool:
    data = _load_json(args.file)
    first, second = _int_field(data, "first"), _int_field(data, "second")
    ok = verify_consistency(
        first,
        second,
        _hex_bytes(_field(data, "first_root"), "first_root"),
        _hex_bytes(_field(data, "second_root"), "second_root"),
        _proof_field(data),
    )
    print(f"{'OK' if ok else 'FAILED'}: tree of size {first} is a prefix of size {second}")
    return ok


def _cmd_head(args: argparse.Namespace) -> bool:
    head = _load_json(args.file)
    public_key = _load_public_key(args.public_key)
    ok = verify_tree_head(head, public_key)
    if ok:
        print(
            f"OK: tree head size={head['size']} root={head['root_hash']} "
            f"timestamp={head['timestamp']} key_id={head['key_id']}"
        )
    else:
        print(f"FAILED: tree head not validly signed by key {key_id(public_key)}")
    return ok


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verifier",
        description="Verify Jishi ledger Merkle proofs and signed tree heads offline.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    inclusion = sub.add_parser("inclusion", help="verify an inclusion proof (JSON file)")
    inclusion.add_argument("file")
    inclusion.set_defaults(run=_cmd_inclusion)
    consistency = sub.add_parser("consistency", help="verify a consistency proof (JSON file)")
    consistency.add_argument("file")
    consistency.set_defaults(run=_cmd_consistency)
    head = sub.add_parser("head", help="verify a signed tree head (JSON file)")
    head.add_argument("file")
    head.add_argument("public_key", help="64 hex chars, or a file with hex / PEM / raw bytes")
    head.set_defaults(run=_cmd_head)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; returns the exit status (0 ok, 1 failed, 2 unusable input)."""
    args = _parser().parse_args(argv)
    try:
        ok: bool = args.run(args)
    except _InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
