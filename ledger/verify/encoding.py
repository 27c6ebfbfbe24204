"""What the ledger hashes and what it signs: RFC 6962 leaf and node hashes, the leaf input of
one stored record, and the signed tree head (STH) message and its JSON form.

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

Signed tree head (STH) message, signed with Ed25519 (RFC 8032), 61 bytes::

    b"jishi-sth-v1\\x00"        13 bytes, domain separation / version tag
    size                       8 bytes, unsigned big-endian
    timestamp                  8 bytes, unsigned big-endian, milliseconds since Unix epoch
    root hash                  32 bytes

:func:`tree_head_message` builds it.  JSON form of a head (:class:`TreeHead`)::

    {"size": int, "root_hash": hex, "timestamp": int ms, "signature": hex (64 bytes),
     "key_id": hex of SHA-256(raw 32-byte Ed25519 public key)}

Hex strings are lowercase or uppercase, no separators.
"""

from __future__ import annotations

import hashlib
import re
import struct
import uuid
from typing import TypedDict, TypeGuard

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "HEX_RE",
    "LEAF_FIXED",
    "LEAF_INPUT_PREFIX",
    "MAX_TREE_SIZE",
    "PUBLIC_KEY_SIZE",
    "SIGNATURE_SIZE",
    "TREE_HEAD_PREFIX",
    "TreeHead",
    "is_hash",
    "is_uint64",
    "key_id",
    "leaf_hash",
    "leaf_input",
    "node_hash",
    "record_leaf_hash",
    "tree_head_message",
]

HASH_SIZE = 32
MAX_TREE_SIZE = 1 << 64  # sizes, indices and timestamps are uint64
EMPTY_ROOT: bytes = hashlib.sha256(b"").digest()
TREE_HEAD_PREFIX = b"jishi-sth-v1\x00"
LEAF_INPUT_PREFIX = b"jishi-leaf-v1\x00"
LEAF_FIXED = struct.Struct(">Q16sQI")  # position, originator id, originator version, len(topic)
SIGNATURE_SIZE = 64
PUBLIC_KEY_SIZE = 32

HEX_RE = re.compile(r"[0-9a-fA-F]*")


class TreeHead(TypedDict):
    """JSON-ready signed tree head."""

    size: int
    root_hash: str
    timestamp: int
    signature: str
    key_id: str


def leaf_hash(data: bytes) -> bytes:
    """RFC 6962 leaf hash of a raw leaf input: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 interior node hash: SHA-256(0x01 || left || right)."""
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
        fixed = LEAF_FIXED.pack(position, originator_id.bytes, originator_version, len(encoded_topic))
    except struct.error as exc:
        raise ValueError(f"position, originator_version or topic out of range: {exc}") from exc
    return LEAF_INPUT_PREFIX + fixed + encoded_topic + bytes(state)


def record_leaf_hash(position: int, originator_id: uuid.UUID | str, originator_version: int, topic: str,
                     state: bytes) -> bytes:
    """RFC 6962 leaf hash of one stored record: SHA-256(0x00 || leaf_input(...))."""
    return leaf_hash(leaf_input(position, originator_id, originator_version, topic, state))


def is_uint64(value: object) -> TypeGuard[int]:
    """An int (not a bool) in [0, 2**64)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_TREE_SIZE


def is_hash(value: object) -> bool:
    """Bytes of exactly :data:`HASH_SIZE`."""
    return isinstance(value, (bytes, bytearray)) and len(value) == HASH_SIZE


def tree_head_message(size: int, root_hash: bytes, timestamp_ms: int) -> bytes:
    """The exact bytes an STH signature covers (see module docstring); raises ValueError."""
    if not is_uint64(size):
        raise ValueError("size must be an int in [0, 2**64)")
    if not is_uint64(timestamp_ms):
        raise ValueError("timestamp_ms must be an int in [0, 2**64)")
    if not is_hash(root_hash):
        raise ValueError(f"root_hash must be {HASH_SIZE} bytes")
    return TREE_HEAD_PREFIX + struct.pack(">QQ", size, timestamp_ms) + bytes(root_hash)


def key_id(public_key_bytes: bytes) -> str:
    """Hex SHA-256 of the raw 32-byte Ed25519 public key."""
    return hashlib.sha256(public_key_bytes).hexdigest()
