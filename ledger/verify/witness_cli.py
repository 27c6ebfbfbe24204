"""Witness commands of the standalone verifier (``python -m verify …``)::

    witness keygen --out KEY.pem                      a witness key (0600); prints its public key
    witness serve --key KEY --name NAME --log LOG_PUBLIC_KEY [--log …] --state DIR [--host H] [--port P]
    cosigned HEAD.json LOG_PUBLIC_KEY --policy POLICY  the head is signed and cosigned by a quorum
    split-view HEAD_A.json HEAD_B.json LOG_PUBLIC_KEY  the two heads prove a split view

``KEY`` is 64 hex characters (the private seed) or a PEM private key file; public keys as for
``head``.  A witness needs only this directory, Python and ``cryptography``.  Exit status as for the
other commands: 0 holds, 1 does not, 2 unusable input.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .cosignature import conflicting_heads
from .policy import PolicyError, check_quorum, parse_policy

__all__ = ["load_private_key", "register"]

_SEED = re.compile(r"[0-9a-fA-F]{64}")


def load_private_key(spec: str) -> Ed25519PrivateKey:
    """A private key from 64 hex characters (the seed) or a PEM file; raises ValueError."""
    if _SEED.fullmatch(spec.strip()):
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(spec.strip()))
    try:
        key = serialization.load_pem_private_key(Path(spec).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ValueError(f"cannot read the private key {spec}: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{spec}: not an Ed25519 private key")
    return key


def _input_error(message: str) -> Exception:
    from .cli import _InputError

    return _InputError(message)


def _cmd_keygen(args: argparse.Namespace) -> bool:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise _input_error(f"cannot create {args.out} (it must not exist): {exc}") from exc
    with os.fdopen(fd, "wb") as file:
        file.write(pem)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    print(f"public key: {raw.hex()}")
    return True


def _cmd_serve(args: argparse.Namespace) -> bool:
    from .cli import _load_public_key
    from .witness import Witness, WitnessState
    from .witness_http import make_server

    try:
        key = load_private_key(args.key)
    except ValueError as exc:
        raise _input_error(str(exc)) from exc
    logs = [_load_public_key(log) for log in args.log]
    try:
        state = WitnessState(Path(args.state))
    except (OSError, RuntimeError, ValueError, KeyError) as exc:
        raise _input_error(f"cannot use the state directory {args.state}: {exc}") from exc
    witness = Witness(args.name, key, logs, state)
    server = make_server(witness, args.host, args.port)
    print(f"witness {args.name} on http://{args.host}:{server.server_address[1]} "
          f"watching {', '.join(sorted(witness.logs))}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        state.close()
    return True


def _cmd_cosigned(args: argparse.Namespace) -> bool:
    from .cli import _load_json, _load_public_key

    head = _load_json(args.file)
    log_key = _load_public_key(args.public_key)
    try:
        policy = parse_policy(Path(args.policy).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, PolicyError) as exc:
        raise _input_error(f"policy {args.policy}: {exc}") from exc
    result = check_quorum(head, policy, log_key)
    for witness, reason in result.rejected:
        print(f"rejected cosignature of {witness}: {reason}")
    if not result.head_valid:
        print("FAILED: the head is not validly signed by the log's key")
    elif result.ok:
        print(f"OK: head size={head['size']} cosigned by {len(result.cosigned)} of {len(policy.witnesses)} "
              f"witnesses (quorum {policy.quorum}): {', '.join(result.cosigned)}")
    else:
        print(f"FAILED: cosigned by {len(result.cosigned)} policy witnesses, quorum is {policy.quorum}")
    return result.ok


def _cmd_split_view(args: argparse.Namespace) -> bool:
    from .cli import _load_json, _load_public_key

    first, second = _load_json(args.first), _load_json(args.second)
    if conflicting_heads(first, second, _load_public_key(args.public_key)):
        both = _cosigners(first) & _cosigners(second)
        print(f"EVIDENCE: two heads of size {first['size']} signed by the log with different roots "
              f"{first['root_hash']} and {second['root_hash']}"
              + (f"; cosigned both (check their signatures): {', '.join(sorted(both))}" if both else ""))
        return True
    print("FAILED: these are not two validly signed heads of one size with different roots")
    return False


def _cosigners(head: dict[str, Any]) -> set[str]:
    cosignatures = head.get("cosignatures")
    return {str(c.get("witness")) for c in cosignatures if isinstance(c, dict)} if isinstance(cosignatures, list) \
        else set()


def register(sub: Any) -> None:
    """Add the witness commands to the verifier's sub-command parser."""
    witness = sub.add_parser("witness", help="run a witness that cosigns tree heads")
    witness_sub = witness.add_subparsers(dest="witness_command", required=True)
    keygen = witness_sub.add_parser("keygen", help="create a witness key (PEM, mode 0600)")
    keygen.add_argument("--out", required=True)
    keygen.set_defaults(run=_cmd_keygen)
    serve = witness_sub.add_parser("serve", help="serve POST /add-checkpoint")
    serve.add_argument("--key", required=True, help="64 hex chars (seed) or a PEM private key file")
    serve.add_argument("--name", required=True, help="the witness name, e.g. jijian.example.gov.cn/w1")
    serve.add_argument("--log", action="append", required=True, help="a log's public key (repeatable)")
    serve.add_argument("--state", required=True, help="directory for the durable state")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=7380)
    serve.set_defaults(run=_cmd_serve)
    cosigned = sub.add_parser("cosigned", help="check a head's cosignatures against a witness policy")
    cosigned.add_argument("file")
    cosigned.add_argument("public_key", help="the log's public key")
    cosigned.add_argument("--policy", required=True, help="policy file: witness lines and a quorum")
    cosigned.set_defaults(run=_cmd_cosigned)
    split = sub.add_parser("split-view", help="check two heads for evidence of a split view")
    split.add_argument("first")
    split.add_argument("second")
    split.add_argument("public_key", help="the log's public key")
    split.set_defaults(run=_cmd_split_view)
