"""Witness cosignatures 见证副签 of Jishi tree heads, after C2SP ``tlog-cosignature`` (cosignature/v1).

A witness states "as of time T, the consistent tree head with the largest size I have observed for
this log has this root".  What it signs is exactly the C2SP Ed25519 ``cosignature/v1`` message::

    cosignature/v1
    time <T, seconds since the epoch, ASCII decimal>
    <origin>                     the log's name: "jishi.ledger/" + the log key's key_id (hex)
    <size>                       ASCII decimal
    <root hash, base64>

i.e. the two header lines followed by the C2SP ``tlog-checkpoint`` body of the head.  The witness's
key ID in a C2SP note signature line is ``SHA-256(name || "\\n" || 0x04 || public key)[:4]``;
:func:`note_signature_line` writes that line, so a C2SP client can check our cosignatures.

Where we differ from C2SP: Jishi's own head signature is over ``jishi-sth-v1`` (:mod:`.encoding`),
not over the checkpoint text, because the heads and every saved head predate the witnesses; so a
Jishi head is not a signed note and the witness checks the Jishi signature instead of a note
signature.  The JSON form of a cosignature (:class:`Cosignature`)::

    {"witness": name, "key_id": hex SHA-256 of the raw 32-byte Ed25519 public key,
     "timestamp": int seconds, "signature": hex (64 bytes)}

Everything here returns ``False`` for malformed input rather than raising, except the builders.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from collections.abc import Mapping
from typing import Any, TypedDict

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .encoding import HASH_SIZE, HEX_RE, PUBLIC_KEY_SIZE, SIGNATURE_SIZE, is_hash, is_uint64, key_id
from .heads import verify_tree_head

__all__ = [
    "COSIGNATURE_HEADER",
    "ORIGIN_PREFIX",
    "Cosignature",
    "checkpoint_body",
    "conflicting_heads",
    "cosigned_message",
    "cosigner_key_hash",
    "log_origin",
    "note_signature_line",
    "sign_cosignature",
    "verify_cosignature",
]

COSIGNATURE_HEADER = b"cosignature/v1\n"
ORIGIN_PREFIX = "jishi.ledger/"
ED25519_COSIGNATURE_TYPE = b"\x04"
MAX_TIMESTAMP = (1 << 63) - 1


class Cosignature(TypedDict):
    """JSON-ready cosignature of one head by one witness."""

    witness: str
    key_id: str
    timestamp: int
    signature: str


def log_origin(log_key_id: str) -> str:
    """The checkpoint origin line of the log whose head key_id (hex) is ``log_key_id``."""
    return ORIGIN_PREFIX + log_key_id.lower()


def checkpoint_body(origin: str, size: int, root_hash: bytes) -> bytes:
    """The C2SP checkpoint body (three lines, each ending in a newline); raises ValueError."""
    if not origin or "\n" in origin:
        raise ValueError("origin must be one non-empty line")
    if not is_uint64(size) or not is_hash(root_hash):
        raise ValueError(f"size must be a uint64 and root_hash {HASH_SIZE} bytes")
    return f"{origin}\n{size}\n{base64.b64encode(bytes(root_hash)).decode('ascii')}\n".encode()


def cosigned_message(origin: str, size: int, root_hash: bytes, timestamp: int) -> bytes:
    """The exact bytes a cosignature/v1 signature covers; raises ValueError."""
    if isinstance(timestamp, bool) or not isinstance(timestamp, int) or not 0 <= timestamp <= MAX_TIMESTAMP:
        raise ValueError("timestamp must be an int in [0, 2**63)")
    return COSIGNATURE_HEADER + f"time {timestamp}\n".encode() + checkpoint_body(origin, size, root_hash)


def cosigner_key_hash(name: str, public_key: bytes) -> bytes:
    """The C2SP 4-byte key ID of an Ed25519 cosigner: SHA-256(name || LF || 0x04 || key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519_COSIGNATURE_TYPE + bytes(public_key)).digest()[:4]


def sign_cosignature(private_key: Ed25519PrivateKey, name: str, origin: str, size: int, root_hash: bytes,
                     timestamp: int) -> Cosignature:
    """Cosign (origin, size, root) at ``timestamp`` (seconds) as witness ``name``."""
    from cryptography.hazmat.primitives import serialization

    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    signature = private_key.sign(cosigned_message(origin, size, root_hash, timestamp))
    return {"witness": name, "key_id": key_id(raw), "timestamp": timestamp, "signature": signature.hex()}


def _hex(value: object, length: int) -> bytes | None:
    if not isinstance(value, str) or len(value) != 2 * length or not HEX_RE.fullmatch(value):
        return None
    return bytes.fromhex(value)


def verify_cosignature(cosignature: Mapping[str, Any], head: Mapping[str, Any], public_key: bytes) -> bool:
    """Whether ``cosignature`` is a valid cosignature/v1 of ``head`` (its size and root, under the origin
    named by its key_id) by the witness key ``public_key``, whose key_id it must carry. Never raises."""
    try:
        if len(public_key) != PUBLIC_KEY_SIZE:
            return False
        claimed = _hex(cosignature.get("key_id"), HASH_SIZE)
        signature = _hex(cosignature.get("signature"), SIGNATURE_SIZE)
        root = _hex(head.get("root_hash"), HASH_SIZE)
        log_key_id = head.get("key_id")
        if claimed is None or signature is None or root is None or not isinstance(log_key_id, str):
            return False
        if not hmac.compare_digest(claimed, hashlib.sha256(bytes(public_key)).digest()):
            return False
        message = cosigned_message(log_origin(log_key_id), head.get("size"),  # type: ignore[arg-type]
                                   root, cosignature.get("timestamp"))  # type: ignore[arg-type]
        Ed25519PublicKey.from_public_bytes(bytes(public_key)).verify(signature, message)
        return True
    except InvalidSignature:
        return False
    except Exception:  # never raise on hostile input
        return False


def note_signature_line(cosignature: Mapping[str, Any], public_key: bytes) -> str:
    """The C2SP note signature line of a cosignature: ``— name base64(key ID || timestamp || sig)``."""
    name = str(cosignature["witness"])
    blob = (cosigner_key_hash(name, public_key) + struct.pack(">Q", int(cosignature["timestamp"]))
            + bytes.fromhex(str(cosignature["signature"])))
    return f"\u2014 {name} {base64.b64encode(blob).decode('ascii')}"


def conflicting_heads(first: Mapping[str, Any], second: Mapping[str, Any], log_public_key: bytes) -> bool:
    """Evidence of a split view 分叉视图: two heads both validly signed by the log's key, of one size,
    with different roots.  (Heads of different sizes conflict when no consistency proof joins them;
    that needs the proof, see :func:`.proofs.verify_consistency`.)"""
    return (verify_tree_head(first, log_public_key) and verify_tree_head(second, log_public_key)
            and first["size"] == second["size"]
            and str(first["root_hash"]).lower() != str(second["root_hash"]).lower())
