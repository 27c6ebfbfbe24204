"""The verifier's command line: ``python -m verify inclusion|consistency|head|bundle …``
(``python verifier.py bundle FILE.zip`` in an unzipped evidence bundle).

JSON files it reads (hex strings are lowercase or uppercase, no separators)::

    inclusion:   {"leaf_hash": hex (or "leaf": hex of the raw leaf input, or "record":
                  {"position": int, "originator_id": UUID, "originator_version": int,
                   "topic": str, "state": hex of the stored bytes}),
                  "index": int, "size": int, "proof": [hex, ...], "root_hash": hex}
    consistency: {"first": int, "second": int, "first_root": hex, "second_root": hex,
                  "proof": [hex, ...]}
    head:        a signed tree head in its JSON form (:mod:`.encoding`)
    bundle:      an evidence bundle zip, or the directory it unzips to (:mod:`.bundle`);
                 ``--public-key K`` checks its key is the one you hold

PUBLIC_KEY for ``head`` is 64 hex characters, or a file holding hex, a PEM
SubjectPublicKeyInfo, or the 32 raw key bytes.

Exit status is 0 when everything verifies, 1 when verification fails, 2 on unusable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .bundle import BundleError, check_bundle, read_bundle
from .encoding import HEX_RE, PUBLIC_KEY_SIZE, key_id, leaf_hash, record_leaf_hash
from .heads import verify_tree_head
from .proofs import verify_consistency, verify_inclusion
from .witness_cli import register as witness_commands

__all__ = ["main"]


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
    if not isinstance(value, str) or not HEX_RE.fullmatch(value) or len(value) % 2:
        raise _InputError(f"field {name!r} must be a hex string")
    return bytes.fromhex(value)


def _proof_field(data: Mapping[str, Any]) -> list[bytes]:
    value = _field(data, "proof")
    if not isinstance(value, list):
        raise _InputError("field 'proof' must be a list of hex strings")
    return [_hex_bytes(item, f"proof[{i}]") for i, item in enumerate(value)]


def _load_public_key(arg: str) -> bytes:
    if len(arg) == 2 * PUBLIC_KEY_SIZE and HEX_RE.fullmatch(arg):
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
    if len(text) == 2 * PUBLIC_KEY_SIZE and HEX_RE.fullmatch(text.decode("ascii", "replace")):
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
        leaf = leaf_hash(_hex_bytes(data["leaf"], "leaf"))
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


def _cmd_bundle(args: argparse.Namespace) -> bool:
    expected = _load_public_key(args.public_key) if args.public_key else None
    try:
        report = check_bundle(read_bundle(args.file), expected)
    except BundleError as exc:
        raise _InputError(str(exc)) from exc
    head = report.head
    for note in report.notes:
        print(f"NOTE: {note}")
    if not report.ok:
        for failure in report.failures:
            print(f"FAILED: {failure}")
        return False
    growth = {"fold": "the growth file's timeline equals what the records give",
              "positions": "every growth-file entry is a proven record (content not checked: encrypted)"}
    print(f"OK: {report.records} records proven in the tree head size={head['size']} root={head['root_hash']} "
          f"key_id={head['key_id']}; {growth.get(report.growth_file_checked, 'growth file not checked')}")
    return True


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m verify",
        description="Verify Jishi ledger Merkle proofs and signed tree heads offline.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    witness_commands(sub)  # witness keygen|serve, cosigned, split-view (witness_cli.py)
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
    bundle = sub.add_parser("bundle", help="verify an evidence bundle (zip or unzipped directory)")
    bundle.add_argument("file")
    bundle.add_argument("--public-key", help="the ledger key you hold: 64 hex chars, or a file with hex / PEM")
    bundle.set_defaults(run=_cmd_bundle)
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
