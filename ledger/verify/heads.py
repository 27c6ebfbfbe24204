"""Signed tree heads: a JSON-form head's Ed25519 signature (RFC 8032) under a raw public key.

The signed bytes and the JSON form are in :mod:`.encoding`.  :func:`verify_tree_head`
returns ``False`` for anything malformed and never raises.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .encoding import (
    EMPTY_ROOT,
    HASH_SIZE,
    HEX_RE,
    PUBLIC_KEY_SIZE,
    SIGNATURE_SIZE,
    is_uint64,
    tree_head_message,
)

__all__ = ["verify_tree_head"]


def _hex_field(value: object, length: int) -> bytes | None:
    if not isinstance(value, str) or len(value) != 2 * length or not HEX_RE.fullmatch(value):
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
        if not (is_uint64(size) and is_uint64(timestamp)):
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
