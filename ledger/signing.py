"""Signing side of tree heads (Ed25519); the matching checks live in :mod:`.verify`.

The signed bytes are :func:`ledger.verify.tree_head_message`, so producer and
the standalone verifier can never disagree on the encoding.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.verify import EMPTY_ROOT, TreeHead, key_id, tree_head_message

__all__ = ["public_key_bytes", "sign_tree_head", "signer_key_id"]


def public_key_bytes(private_key: Ed25519PrivateKey) -> bytes:
    """Raw 32-byte Ed25519 public key of ``private_key``."""
    return private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def signer_key_id(private_key: Ed25519PrivateKey) -> str:
    """Hex SHA-256 of the raw public key: the ``key_id`` written into tree heads."""
    return key_id(public_key_bytes(private_key))


def sign_tree_head(private_key: Ed25519PrivateKey, size: int, root_hash: bytes, timestamp_ms: int) -> TreeHead:
    """Sign (size, root_hash, timestamp_ms) and return the JSON-ready head.

    Raises ``ValueError`` for out-of-range values, a root that is not 32 bytes, or a size-0
    head whose root is not the empty-tree root.
    """
    message = tree_head_message(size, root_hash, timestamp_ms)
    if size == 0 and bytes(root_hash) != EMPTY_ROOT:
        raise ValueError("a size-0 tree head must carry the empty-tree root SHA-256('')")
    return {
        "size": size,
        "root_hash": bytes(root_hash).hex(),
        "timestamp": timestamp_ms,
        "signature": private_key.sign(message).hex(),
        "key_id": signer_key_id(private_key),
    }
