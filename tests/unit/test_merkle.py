"""RFC 6962 Merkle tree math: published vectors, a naive reference, and the O(log n) store."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.merkle import (
    EMPTY_ROOT,
    MemoryNodeStore,
    MerkleTree,
    MissingNodeError,
    Node,
    append_leaves,
    consistency_proof,
    frontier,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    root_from_leaves,
    subtree_hash,
)

# --------------------------------------------------------------------------- vectors
# Certificate Transparency test vectors, originally from google/certificate-transparency
# cpp/merkletree/merkle_tree_test.cc and carried on in transparency-dev/merkle:
#   testonly/constants.go  (LeafInputs, NodeHashes, RootHashes)
#   proof/verify_test.go   (inclusionProofs, consistencyProofs; leaf numbers there are
#                           1-based, converted to 0-based indices below)

VECTOR_LEAVES: list[bytes] = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]

# VECTOR_ROOTS[n] is the root of the tree of the first n leaves.
VECTOR_ROOTS: list[bytes] = [
    bytes.fromhex(h)
    for h in (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]

# VECTOR_NODES[level][index]: every complete perfect subtree of the 8-leaf tree.
VECTOR_NODES: list[list[bytes]] = [
    [
        bytes.fromhex(h)
        for h in (
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
        )
    ],
    [
        bytes.fromhex(h)
        for h in (
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        )
    ],
    [
        bytes.fromhex(h)
        for h in (
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        )
    ],
    [bytes.fromhex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")],
]


def _hashes(*hexes: str) -> list[bytes]:
    return [bytes.fromhex(h) for h in hexes]


# (index, size, proof)
VECTOR_INCLUSION_PROOFS: list[tuple[int, int, list[bytes]]] = [
    (0, 1, []),
    (
        0,
        8,
        _hashes(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ),
    ),
    (
        5,
        8,
        _hashes(
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
    (2, 3, _hashes("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
    (
        1,
        5,
        _hashes(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ),
    ),
]

# (first, second, proof)
VECTOR_CONSISTENCY_PROOFS: list[tuple[int, int, list[bytes]]] = [
    (1, 1, []),
    (
        1,
        8,
        _hashes(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ),
    ),
    (
        6,
        8,
        _hashes(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
    (
        2,
        5,
        _hashes(
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ),
    ),
    (
        6,
        7,
        _hashes(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
]


# --------------------------------------------------------------------------- reference
# Naive recursive transcriptions of RFC 6962 §2.1.1 PATH and §2.1.2 PROOF/SUBPROOF over
# raw leaf inputs, independent of the node store.


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def reference_path(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return [*reference_path(m, leaves[:k]), root_from_leaves(leaves[k:])]
    return [*reference_path(m - k, leaves[k:]), root_from_leaves(leaves[:k])]


def reference_consistency(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    return _reference_subproof(m, leaves, True)


def _reference_subproof(m: int, leaves: Sequence[bytes], b: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if b else [root_from_leaves(leaves)]
    k = _split(n)
    if m <= k:
        return [*_reference_subproof(m, leaves[:k], b), root_from_leaves(leaves[k:])]
    return [*_reference_subproof(m - k, leaves[k:], False), root_from_leaves(leaves[:k])]


# --------------------------------------------------------------------------- fixtures


class CountingStore(MemoryNodeStore):
    """MemoryNodeStore that counts node reads."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def get(self, level: int, index: int) -> bytes | None:
        self.reads += 1
        return super().get(level, index)


def build_store(leaves: Sequence[bytes], store: MemoryNodeStore | None = None) -> MemoryNodeStore:
    store = store if store is not None else MemoryNodeStore()
    store.put_many(append_leaves(store, 0, [leaf_hash(d) for d in leaves]))
    return store


BIG = 4100
BIG_LEAVES: list[bytes] = [b"entry-%d" % i for i in range(BIG)]


@cache
def big_store() -> CountingStore:
    store = CountingStore()
    build_store(BIG_LEAVES, store)
    return store


# --------------------------------------------------------------------------- hashing


def test_leaf_and_node_hashes_use_the_rfc6962_domain_separation_prefixes() -> None:
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    left, right = b"\x11" * 32, b"\x22" * 32
    assert node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()
    assert node_hash(left, right) != node_hash(right, left)


def test_empty_tree_root_is_the_sha256_of_the_empty_string() -> None:
    assert hashlib.sha256(b"").digest() == EMPTY_ROOT == VECTOR_ROOTS[0]
    assert root(MemoryNodeStore(), 0) == EMPTY_ROOT
    assert root_from_leaves([]) == EMPTY_ROOT


def test_the_well_known_eight_leaf_root_is_pinned() -> None:
    # Guards the vector table itself against an accidental edit.
    assert VECTOR_ROOTS[8].hex() == ("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")


@pytest.mark.parametrize("size", range(9))
def test_reference_root_matches_the_published_root_for_each_size(size: int) -> None:
    assert root_from_leaves(VECTOR_LEAVES[:size]) == VECTOR_ROOTS[size]


@pytest.mark.parametrize("size", range(9))
def test_store_root_matches_the_published_root_after_appending_one_leaf_at_a_time(
    size: int,
) -> None:
    tree = MerkleTree()
    for data in VECTOR_LEAVES[:size]:
        tree.append(data)
    assert tree.size == size
    assert tree.root() == VECTOR_ROOTS[size]


def test_stored_nodes_are_exactly_the_published_complete_subtree_hashes() -> None:
    store = build_store(VECTOR_LEAVES)
    expected = {(level, index): digest for level, row in enumerate(VECTOR_NODES) for index, digest in enumerate(row)}
    assert len(store) == len(expected)
    for (level, index), digest in expected.items():
        assert store.get(level, index) == digest


def test_every_historical_root_is_served_from_the_final_store() -> None:
    store = build_store(VECTOR_LEAVES)
    for size in range(9):
        assert root(store, size) == VECTOR_ROOTS[size]


@pytest.mark.parametrize(("index", "size", "expected"), VECTOR_INCLUSION_PROOFS)
def test_published_inclusion_proofs_are_reproduced(index: int, size: int, expected: list[bytes]) -> None:
    store = build_store(VECTOR_LEAVES)
    assert inclusion_proof(store, index, size) == expected
    assert reference_path(index, VECTOR_LEAVES[:size]) == expected


@pytest.mark.parametrize(("first", "second", "expected"), VECTOR_CONSISTENCY_PROOFS)
def test_published_consistency_proofs_are_reproduced(first: int, second: int, expected: list[bytes]) -> None:
    store = build_store(VECTOR_LEAVES)
    assert consistency_proof(store, first, second) == expected
    assert reference_consistency(first, VECTOR_LEAVES[:second]) == expected


# --------------------------------------------------------------------------- store vs reference


def test_store_roots_and_proofs_equal_the_naive_reference_for_every_size_up_to_70() -> None:
    leaves = [b"leaf %d" % i for i in range(70)]
    store = build_store(leaves)
    for size in range(1, 71):
        prefix = leaves[:size]
        assert root(store, size) == root_from_leaves(prefix)
        for index in range(size):
            assert inclusion_proof(store, index, size) == reference_path(index, prefix)
        for first in range(1, size + 1):
            assert consistency_proof(store, first, size) == reference_consistency(first, prefix)


@st.composite
def index_and_size(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(st.integers(1, BIG))
    return draw(st.integers(0, size - 1)), size


@settings(max_examples=60, deadline=None)
@given(index_and_size())
def test_inclusion_proofs_for_large_random_trees_equal_the_reference(
    case: tuple[int, int],
) -> None:
    index, size = case
    expected = reference_path(index, BIG_LEAVES[:size])
    assert inclusion_proof(big_store(), index, size) == expected


@settings(max_examples=60, deadline=None)
@given(index_and_size())
def test_consistency_proofs_for_large_random_trees_equal_the_reference(
    case: tuple[int, int],
) -> None:
    first_minus_one, second = case
    first = first_minus_one + 1
    expected = reference_consistency(first, BIG_LEAVES[:second])
    assert consistency_proof(big_store(), first, second) == expected


@settings(max_examples=60, deadline=None)
@given(st.integers(0, BIG - 1), st.integers(1, BIG))
def test_subtree_hash_of_any_range_equals_the_reference_root_of_that_slice(start: int, length: int) -> None:
    end = min(start + length, BIG)
    assert subtree_hash(big_store(), start, end) == root_from_leaves(BIG_LEAVES[start:end])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=12))
def test_appending_in_batches_yields_the_same_nodes_as_appending_one_leaf_at_a_time(
    batch_sizes: list[int],
) -> None:
    total = sum(batch_sizes)
    hashes = [leaf_hash(b"%d" % i) for i in range(total)]

    single = MemoryNodeStore()
    single_nodes: list[Node] = []
    for size, digest in enumerate(hashes):
        nodes = append_leaves(single, size, [digest])
        single.put_many(nodes)
        single_nodes.extend(nodes)

    batched = MemoryNodeStore()
    batched_nodes: list[Node] = []
    size = 0
    for count in batch_sizes:
        nodes = append_leaves(batched, size, hashes[size : size + count])
        batched.put_many(nodes)
        batched_nodes.extend(nodes)
        size += count
        assert root(batched, size) == root(single, size)

    assert batched_nodes == single_nodes


@pytest.mark.parametrize("size", [0, 1, 2, 3, 7, 8, 9, 100, 1023, 1024, 1025])
def test_only_complete_perfect_subtrees_are_stored(size: int) -> None:
    store = build_store([b"%d" % i for i in range(size)])
    expected_count = sum(size >> level for level in range(size.bit_length()))
    assert len(store) == expected_count
    for level in range(size.bit_length() + 1):
        for index in range((size >> level) + 2):
            complete = (index + 1) << level <= size
            assert ((level, index) in store) == complete


# --------------------------------------------------------------------------- O(log n)


@settings(max_examples=80, deadline=None)
@given(index_and_size())
def test_root_and_proofs_read_only_logarithmically_many_nodes(case: tuple[int, int]) -> None:
    index, size = case
    store = big_store()
    bits = size.bit_length()

    store.reads = 0
    root(store, size)
    assert store.reads <= bin(size).count("1")

    store.reads = 0
    inclusion_proof(store, index, size)
    assert store.reads <= 2 * bits

    store.reads = 0
    consistency_proof(store, index + 1, size)
    assert store.reads <= 2 * bits + 1


def test_appending_a_leaf_reads_at_most_one_node_per_level() -> None:
    store = CountingStore()
    for size in range(2100):
        store.reads = 0
        store.put_many(append_leaves(store, size, [leaf_hash(b"%d" % size)]))
        # One staleness probe plus one left sibling per trailing 1-bit of the new index.
        trailing_ones = (size ^ (size + 1)).bit_length() - 1
        assert store.reads == 1 + trailing_ones
        assert store.reads <= 1 + (size + 1).bit_length()


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 3000), st.integers(1, 70))
def test_appending_reads_no_stored_node_beyond_the_frontier_of_the_tree(size: int, count: int) -> None:
    """The ledger fetches only ``frontier(size)`` (and the staleness probe) before appending a page."""
    full = build_store([b"%d" % i for i in range(size)])
    edge = MemoryNodeStore()
    edge.put_many([(level, index, digest) for level, index in frontier(size)
                   if (digest := full.get(level, index)) is not None])
    assert len(edge) == bin(size).count("1")  # every frontier node is stored in a complete tree
    hashes = [leaf_hash(b"new %d" % i) for i in range(count)]
    assert append_leaves(edge, size, hashes) == append_leaves(full, size, hashes)


def test_appending_with_a_frontier_node_missing_is_refused() -> None:
    edge = MemoryNodeStore()
    with pytest.raises(MissingNodeError):
        append_leaves(edge, 3, [leaf_hash(b"x")])  # leaf 3 completes (0, 2)'s parent: needs (0, 2) and (1, 0)


# --------------------------------------------------------------------------- errors


def test_inclusion_proof_for_an_index_at_or_beyond_the_size_is_refused() -> None:
    store = build_store(VECTOR_LEAVES)
    with pytest.raises(ValueError, match="out of range"):
        inclusion_proof(store, 5, 5)
    with pytest.raises(ValueError, match="out of range"):
        inclusion_proof(store, 6, 5)


@pytest.mark.parametrize(("index", "size"), [(-1, 5), (0, 0), (0, -1)])
def test_inclusion_proof_with_a_negative_index_or_non_positive_size_is_refused(index: int, size: int) -> None:
    with pytest.raises(ValueError):
        inclusion_proof(build_store(VECTOR_LEAVES), index, size)


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [(0, 5, "first must be > 0"), (0, 0, "first must be > 0"), (6, 5, "must not exceed")],
)
def test_consistency_proof_with_first_zero_or_first_beyond_second_is_refused(
    first: int, second: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        consistency_proof(build_store(VECTOR_LEAVES), first, second)


def test_consistency_proof_between_equal_sizes_is_empty() -> None:
    assert consistency_proof(build_store(VECTOR_LEAVES), 5, 5) == []


def test_negative_tree_size_has_no_root() -> None:
    with pytest.raises(ValueError):
        root(MemoryNodeStore(), -1)


@pytest.mark.parametrize(("start", "end"), [(3, 3), (4, 2), (-1, 2)])
def test_subtree_hash_of_an_empty_inverted_or_negative_range_is_refused(start: int, end: int) -> None:
    with pytest.raises(ValueError):
        subtree_hash(build_store(VECTOR_LEAVES), start, end)


def test_a_size_beyond_the_stored_leaves_reports_the_missing_node() -> None:
    store = build_store(VECTOR_LEAVES[:5])
    with pytest.raises(MissingNodeError) as excinfo:
        root(store, 6)
    # Size 6 = leaves [0, 4) + [4, 6): the level-1 node for leaves 4..5 is not stored yet.
    assert (excinfo.value.level, excinfo.value.index) == (1, 2)
    with pytest.raises(MissingNodeError):
        inclusion_proof(store, 0, 8)


def test_appending_a_leaf_hash_that_is_not_32_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        append_leaves(MemoryNodeStore(), 0, [b"short"])


def test_appending_with_a_stale_size_is_refused_instead_of_overwriting() -> None:
    store = build_store(VECTOR_LEAVES[:4])
    with pytest.raises(ValueError, match="stale"):
        append_leaves(store, 3, [leaf_hash(b"x")])


def test_appending_with_a_size_beyond_the_stored_leaves_cannot_find_the_left_sibling() -> None:
    store = build_store(VECTOR_LEAVES[:2])
    with pytest.raises(MissingNodeError):
        append_leaves(store, 3, [leaf_hash(b"x")])


@pytest.mark.parametrize("size", [-1, True, 1.0])
def test_append_refuses_a_negative_or_non_integer_size(size: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        append_leaves(MemoryNodeStore(), size, [])  # type: ignore[arg-type]


def test_appending_nothing_creates_no_nodes() -> None:
    assert append_leaves(build_store(VECTOR_LEAVES), 8, []) == []


def test_merkle_tree_serves_historical_sizes_but_not_future_ones() -> None:
    tree = MerkleTree()
    for data in VECTOR_LEAVES:
        tree.append(data)
    assert tree.root(3) == VECTOR_ROOTS[3]
    assert tree.inclusion_proof(2, 3) == VECTOR_INCLUSION_PROOFS[3][2]
    assert tree.consistency_proof(6) == VECTOR_CONSISTENCY_PROOFS[2][2]
    with pytest.raises(ValueError, match="exceeds"):
        tree.root(9)
