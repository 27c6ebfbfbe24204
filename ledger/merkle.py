"""RFC 6962 (Certificate Transparency) Merkle tree math over a pluggable node store.

Pure standard library.  Hashing follows RFC 6962 §2.1 / RFC 9162 §2.1.1::

    leaf_hash(d)    = SHA-256(0x00 || d)
    node_hash(l, r) = SHA-256(0x01 || l || r)
    MTH({})         = SHA-256("")                      (EMPTY_ROOT)
    MTH(D[n])       = node_hash(MTH(D[0:k]), MTH(D[k:n]))   k = largest power of two < n

Storage model
-------------
Nodes are addressed by ``(level, index)``: level 0 index ``i`` is the hash of leaf ``i``;
level ``k`` index ``i`` is the hash of the *perfect* subtree covering leaves
``[i * 2**k, (i + 1) * 2**k)``.  Only complete perfect subtrees are ever stored, so a stored
node never changes once written and every historical tree size can still be served
(roots and proofs for an older size only read nodes that already existed at that size).

The tree size is *not* stored here: the caller owns it (e.g. in the same database
transaction as the nodes) and passes it in.

Complexities (node reads): appending a leaf reads one node per trailing 1-bit of its index
(O(log n) worst case, O(1) amortised); ``subtree_hash`` of an aligned range, ``root``,
``inclusion_proof`` and ``consistency_proof`` all read O(log n) nodes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "MemoryNodeStore",
    "MerkleTree",
    "MissingNodeError",
    "Node",
    "NodeStore",
    "append_leaves",
    "consistency_proof",
    "frontier",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root",
    "root_from_leaves",
    "subtree_hash",
]

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT: bytes = hashlib.sha256(b"").digest()

Node = tuple[int, int, bytes]
"""A stored node: ``(level, index, hash)``."""


def leaf_hash(data: bytes) -> bytes:
    """RFC 6962 leaf hash: SHA-256(0x00 || data)."""
    return hashlib.sha256(LEAF_PREFIX + bytes(data)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 interior node hash: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + bytes(left) + bytes(right)).digest()


class NodeStore(Protocol):
    """Persistence for complete perfect subtree hashes, addressed by ``(level, index)``."""

    def get(self, level: int, index: int) -> bytes | None:
        """Return the stored hash, or ``None`` if that node has not been stored."""
        ...

    def put_many(self, nodes: list[tuple[int, int, bytes]]) -> None:
        """Persist ``(level, index, hash)`` triples (nodes are immutable once written)."""
        ...


class MemoryNodeStore:
    """Dict-backed :class:`NodeStore`, for tests and in-process use."""

    def __init__(self) -> None:
        self._nodes: dict[tuple[int, int], bytes] = {}

    def get(self, level: int, index: int) -> bytes | None:
        return self._nodes.get((level, index))

    def put_many(self, nodes: list[tuple[int, int, bytes]]) -> None:
        for level, index, digest in nodes:
            self._nodes[(level, index)] = digest

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, key: object) -> bool:
        return key in self._nodes


class MissingNodeError(LookupError):
    """A node the computation needs is absent: the size passed in exceeds what is stored,
    or the store is incomplete/corrupt."""

    def __init__(self, level: int, index: int) -> None:
        super().__init__(
            f"Merkle node (level={level}, index={index}) is missing from the store; "
            "is the tree size larger than the number of stored leaves?"
        )
        self.level = level
        self.index = index


# --------------------------------------------------------------------------- helpers


def _check_int(name: str, value: int, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")


def _check_hash(name: str, value: bytes) -> None:
    if not isinstance(value, (bytes, bytearray)) or len(value) != HASH_SIZE:
        raise ValueError(f"{name} must be {HASH_SIZE} bytes")


def _split_point(n: int) -> int:
    """Largest power of two strictly less than ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


def _read(store: NodeStore, level: int, index: int) -> bytes:
    digest = store.get(level, index)
    if digest is None:
        raise MissingNodeError(level, index)
    return digest


# --------------------------------------------------------------------------- writing


def frontier(size: int) -> list[tuple[int, int]]:
    """The stored nodes appending to a tree of ``size`` leaves reads: the perfect subtrees of its right
    edge, one per set bit of ``size`` (level k: node ``(size >> k) - 1``). Whatever is appended, every
    other node :func:`append_leaves` looks up is one it computed itself."""
    _check_int("size", size, 0)
    return [(level, (size >> level) - 1) for level in range(size.bit_length()) if size >> level & 1]


def append_leaves(store: NodeStore, size: int, leaf_hashes: Sequence[bytes]) -> list[Node]:
    """Compute the nodes to store when appending ``leaf_hashes`` to a tree of ``size`` leaves.

    Returns, in creation order, every new leaf node plus every perfect subtree that became
    complete.  Nothing is written: the caller persists the result with
    ``store.put_many(nodes)`` together with the new size ``size + len(leaf_hashes)``.
    """
    _check_int("size", size, 0)
    for position, digest in enumerate(leaf_hashes):
        _check_hash(f"leaf_hashes[{position}]", digest)
    if leaf_hashes and store.get(0, size) is not None:
        raise ValueError(f"store already holds leaf {size}; the size passed in ({size}) is stale")

    pending: dict[tuple[int, int], bytes] = {}

    def lookup(level: int, index: int) -> bytes:
        digest = pending.get((level, index))
        return digest if digest is not None else _read(store, level, index)

    new_nodes: list[Node] = []
    for offset, digest in enumerate(leaf_hashes):
        level, index, current = 0, size + offset, bytes(digest)
        pending[(level, index)] = current
        new_nodes.append((level, index, current))
        # A right child (odd index) completes its parent; climb while that keeps happening.
        while index & 1:
            current = node_hash(lookup(level, index - 1), current)
            level, index = level + 1, index >> 1
            pending[(level, index)] = current
            new_nodes.append((level, index, current))
    return new_nodes


# --------------------------------------------------------------------------- reading


def subtree_hash(store: NodeStore, start: int, end: int) -> bytes:
    """MTH(D[start:end]) from stored nodes.

    A perfect, aligned range is a single stored node.  Any other range is split the RFC way
    (largest power of two < n); for the ranges the RFC algorithms use (``start`` a multiple
    of the largest power of two <= ``end - start``, e.g. the right edge of a tree) every
    piece is an aligned stored node, so this reads O(log n) nodes.  Unaligned ranges are
    still computed correctly, just with more reads.
    """
    _check_int("start", start, 0)
    _check_int("end", end, 0)
    if end <= start:
        raise ValueError(f"empty or inverted range [{start}, {end})")
    n = end - start
    if n & (n - 1) == 0:  # perfect size (n == 1 is always aligned)
        if start % n == 0:
            level = n.bit_length() - 1
            return _read(store, level, start >> level)
        k = n // 2  # perfect but unaligned: MTH splits it in halves
    else:
        k = _split_point(n)
    return node_hash(subtree_hash(store, start, start + k), subtree_hash(store, start + k, end))


def root(store: NodeStore, size: int) -> bytes:
    """Root hash MTH(D[0:size]) of the tree at ``size`` (``EMPTY_ROOT`` for size 0)."""
    _check_int("size", size, 0)
    if size == 0:
        return EMPTY_ROOT
    return subtree_hash(store, 0, size)


def inclusion_proof(store: NodeStore, index: int, size: int) -> list[bytes]:
    """Audit path PATH(index, D[0:size]) of RFC 6962 §2.1.1, ordered leaf to root."""
    _check_int("index", index, 0)
    _check_int("size", size, 1)
    if index >= size:
        raise ValueError(f"leaf index {index} is out of range for tree size {size}")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        mid = start + _split_point(end - start)
        if index < mid:
            path.append(subtree_hash(store, mid, end))
            end = mid
        else:
            path.append(subtree_hash(store, start, mid))
            start = mid
    path.reverse()
    return path


def consistency_proof(store: NodeStore, first: int, second: int) -> list[bytes]:
    """Consistency proof PROOF(first, D[0:second]) of RFC 6962 §2.1.2.

    Requires ``0 < first <= second``; ``first == second`` yields the empty proof.
    """
    _check_int("first", first, 0)
    _check_int("second", second, 0)
    if first == 0:
        raise ValueError("first must be > 0: RFC 6962 defines no consistency proof from size 0")
    if first > second:
        raise ValueError(f"first ({first}) must not exceed second ({second})")
    proof: list[bytes] = []
    start, end = 0, second
    whole_first_tree = True  # the RFC's boolean b in SUBPROOF(m, D, b)
    while first != end:
        mid = start + _split_point(end - start)
        if first <= mid:
            proof.append(subtree_hash(store, mid, end))
            end = mid
        else:
            proof.append(subtree_hash(store, start, mid))
            start = mid
            whole_first_tree = False
    if not whole_first_tree:
        proof.append(subtree_hash(store, start, end))
    proof.reverse()
    return proof


# --------------------------------------------------------------------------- reference


def root_from_leaves(leaves: Sequence[bytes]) -> bytes:
    """Reference MTH over raw leaf *inputs* (not leaf hashes), straight from the definition.

    O(n) and recursive; meant for tests and cross-checks, not production paths.
    """
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hash(leaves[0])
    k = _split_point(n)
    return node_hash(root_from_leaves(leaves[:k]), root_from_leaves(leaves[k:]))


# --------------------------------------------------------------------------- convenience


class MerkleTree:
    """A tree bound to a store and an in-memory size, persisting nodes on append."""

    def __init__(self, store: NodeStore | None = None, size: int = 0) -> None:
        _check_int("size", size, 0)
        self.store: NodeStore = store if store is not None else MemoryNodeStore()
        self._size = size

    @property
    def size(self) -> int:
        return self._size

    def append(self, data: bytes) -> int:
        """Append one raw leaf input; return its leaf index."""
        self.append_hashes([leaf_hash(data)])
        return self._size - 1

    def append_hashes(self, leaf_hashes: Sequence[bytes]) -> list[Node]:
        """Append precomputed leaf hashes; return (and persist) the new nodes."""
        nodes = append_leaves(self.store, self._size, leaf_hashes)
        self.store.put_many(nodes)
        self._size += len(leaf_hashes)
        return nodes

    def root(self, size: int | None = None) -> bytes:
        return root(self.store, self._at(size))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return inclusion_proof(self.store, index, self._at(size))

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        return consistency_proof(self.store, first, self._at(second))

    def _at(self, size: int | None) -> int:
        if size is None:
            return self._size
        _check_int("size", size, 0)
        if size > self._size:
            raise ValueError(f"size {size} exceeds the current tree size {self._size}")
        return size
