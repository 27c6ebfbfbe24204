"""The standalone ledger verifier (``ledger/verify/``): RFC 9162 proof checks, signed tree heads and its CLI."""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import ledger.verify as verify_package
from ledger.merkle import (
    EMPTY_ROOT,
    MemoryNodeStore,
    append_leaves,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root,
)
from ledger.signing import public_key_bytes, sign_tree_head, signer_key_id
from ledger.verify import (
    TREE_HEAD_PREFIX,
    TreeHead,
    key_id,
    main,
    tree_head_message,
    verify_consistency,
    verify_inclusion,
    verify_tree_head,
)
from tests.unit.test_merkle import (
    VECTOR_CONSISTENCY_PROOFS,
    VECTOR_INCLUSION_PROOFS,
    VECTOR_LEAVES,
    VECTOR_ROOTS,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VERIFY_DIR = Path(verify_package.__file__).parent
UINT64_MAX = 2**64 - 1
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")

# A shared tree for the property tests: distinct leaves, so distinct node hashes.
N = 260
LEAVES = [b"record %d" % i for i in range(N)]
LEAF_HASHES = [leaf_hash(d) for d in LEAVES]
STORE = MemoryNodeStore()
STORE.put_many(append_leaves(STORE, 0, LEAF_HASHES))
ROOTS = [root(STORE, size) for size in range(N + 1)]

hash32 = st.binary(min_size=32, max_size=32)
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=40),
    st.binary(max_size=40),
    st.lists(st.binary(max_size=40), max_size=5),
    st.lists(st.integers(), max_size=5),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


@st.composite
def inclusion_case(draw: st.DrawFn, min_size: int = 1) -> tuple[int, int, list[bytes]]:
    size = draw(st.integers(min_size, N))
    index = draw(st.integers(0, size - 1))
    return index, size, inclusion_proof(STORE, index, size)


@st.composite
def consistency_case(draw: st.DrawFn) -> tuple[int, int, list[bytes]]:
    second = draw(st.integers(2, N))
    first = draw(st.integers(1, second - 1))
    return first, second, consistency_proof(STORE, first, second)


def inclusion_shape(index: int, size: int) -> tuple[str, ...]:
    """Which side each audit-path sibling sits on, read off the tree structure.

    Two (index, size) claims with the same shape hash a proof identically, so an RFC 6962
    proof cannot tell them apart; any claim with a different shape must be rejected.
    """
    ops: list[str] = []
    fn, sn = index, size - 1
    while sn:
        if fn & 1:
            ops.append("left sibling")
        elif fn < sn:
            ops.append("right sibling")
        fn, sn = fn >> 1, sn >> 1
    return tuple(ops)


def consistency_shape(first: int, second: int) -> tuple[str, ...]:
    """Like :func:`inclusion_shape`, for the path from the largest complete subtree ending at
    ``first`` (whose hash is the first root itself when ``first`` is a power of two)."""
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    seed = "first root" if first & (first - 1) == 0 else "boundary subtree"
    return (seed, *inclusion_shape(fn, sn + 1))


# --------------------------------------------------------------------------- standalone


def test_verifier_package_imports_only_the_standard_library_cryptography_and_its_own_modules() -> None:
    modules = sorted(VERIFY_DIR.glob("*.py"))
    own = {path.stem for path in modules}
    assert {"__init__", "__main__", "encoding", "proofs", "heads", "cli"} <= own
    imported: set[str] = set()
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level:
                # ``from .x import``: a sibling module only, never ``..`` (the rest of the project)
                assert node.level == 1 and node.module in own, (path.name, node.level, node.module)
            elif isinstance(node, ast.ImportFrom):
                assert node.module is not None
                imported.add(node.module.split(".")[0])
    foreign = {name for name in imported if name not in sys.stdlib_module_names}
    assert foreign == {"cryptography"}


# --------------------------------------------------------------------------- published vectors


@pytest.mark.parametrize(("index", "size", "proof"), VECTOR_INCLUSION_PROOFS)
def test_published_inclusion_proofs_verify_against_published_roots(index: int, size: int, proof: list[bytes]) -> None:
    assert verify_inclusion(leaf_hash(VECTOR_LEAVES[index]), index, size, proof, VECTOR_ROOTS[size])


@pytest.mark.parametrize(("first", "second", "proof"), VECTOR_CONSISTENCY_PROOFS)
def test_published_consistency_proofs_verify_against_published_roots(
    first: int, second: int, proof: list[bytes]
) -> None:
    assert verify_consistency(first, second, VECTOR_ROOTS[first], VECTOR_ROOTS[second], proof)


def _vector_store() -> MemoryNodeStore:
    store = MemoryNodeStore()
    store.put_many(append_leaves(store, 0, [leaf_hash(d) for d in VECTOR_LEAVES]))
    return store


def test_every_inclusion_proof_for_sizes_1_to_8_verifies_against_the_published_roots() -> None:
    store = _vector_store()
    for size in range(1, 9):
        for index in range(size):
            proof = inclusion_proof(store, index, size)
            assert verify_inclusion(leaf_hash(VECTOR_LEAVES[index]), index, size, proof, VECTOR_ROOTS[size]), (
                index,
                size,
            )


def test_every_consistency_proof_for_sizes_1_to_8_verifies_against_the_published_roots() -> None:
    store = _vector_store()
    for second in range(1, 9):
        for first in range(1, second + 1):
            proof = consistency_proof(store, first, second)
            assert verify_consistency(first, second, VECTOR_ROOTS[first], VECTOR_ROOTS[second], proof), (first, second)


def _inclusion_probes(
    index: int, size: int, proof: list[bytes], root_hash: bytes, leaf: bytes
) -> list[tuple[str, int, int, list[bytes], bytes, bytes]]:
    # The corruptions of transparency-dev/merkle proof/verify_test.go corruptInclusionProof.
    probes = [
        ("index - 1", index - 1, size, proof, root_hash, leaf),
        ("index + 1", index + 1, size, proof, root_hash, leaf),
        ("index ^ 2", index ^ 2, size, proof, root_hash, leaf),
        ("size * 2", index, size * 2, proof, root_hash, leaf),
        ("size // 2", index, size // 2, proof, root_hash, leaf),
        ("wrong leaf", index, size, proof, root_hash, b"WrongLeaf"),
        ("empty root", index, size, proof, EMPTY_ROOT, leaf),
        ("random root", index, size, proof, SOME_HASH, leaf),
        ("trailing garbage", index, size, [*proof, b""], root_hash, leaf),
        ("trailing root", index, size, [*proof, root_hash], root_hash, leaf),
        ("preceding garbage", index, size, [b"", *proof], root_hash, leaf),
        ("preceding root", index, size, [root_hash, *proof], root_hash, leaf),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 8]) + flipped[i][1:]
        probes.append((f"proof[{i}] bit 3", index, size, flipped, root_hash, leaf))
    if proof:
        probes.append(("removed component", index, size, proof[:-1], root_hash, leaf))
    if len(proof) > 1:
        inserted = [proof[0], SOME_HASH, *proof[1:]]
        probes.append(("inserted component", index, size, inserted, root_hash, leaf))
    return probes


@pytest.mark.parametrize(("index", "size", "proof"), VECTOR_INCLUSION_PROOFS)
def test_published_inclusion_proofs_reject_every_reference_corruption(
    index: int, size: int, proof: list[bytes]
) -> None:
    leaf = leaf_hash(VECTOR_LEAVES[index])
    accepted = [
        name
        for name, i, s, p, r, h in _inclusion_probes(index, size, proof, VECTOR_ROOTS[size], leaf)
        if verify_inclusion(h, i, s, p, r)
    ]
    assert accepted == []


@pytest.mark.parametrize(("first", "second", "proof"), [v for v in VECTOR_CONSISTENCY_PROOFS if v[2]])
def test_published_consistency_proofs_reject_every_reference_corruption(
    first: int, second: int, proof: list[bytes]
) -> None:
    # The corruptions of transparency-dev/merkle proof/verify_test.go corruptConsistencyProof.
    r1, r2 = VECTOR_ROOTS[first], VECTOR_ROOTS[second]
    probes = [
        ("first - 1", first - 1, second, r1, r2, proof),
        ("first + 1", first + 1, second, r1, r2, proof),
        ("first ^ 2", first ^ 2, second, r1, r2, proof),
        ("second * 2", first, second * 2, r1, r2, proof),
        ("second // 2", first, second // 2, r1, r2, proof),
        ("wrong first root", first, second, b"WrongRoot", r2, proof),
        ("wrong second root", first, second, r1, b"WrongRoot", proof),
        ("swapped roots", first, second, r2, r1, proof),
        ("empty proof", first, second, r1, r2, []),
        ("trailing garbage", first, second, r1, r2, [*proof, b""]),
        ("trailing root1", first, second, r1, r2, [*proof, r1]),
        ("trailing root2", first, second, r1, r2, [*proof, r2]),
        ("preceding garbage", first, second, r1, r2, [b"", *proof]),
        ("preceding root1", first, second, r1, r2, [r1, *proof]),
        ("preceding root2", first, second, r1, r2, [r2, *proof]),
        ("preceding proof[0]", first, second, r1, r2, [proof[0], *proof]),
        ("truncated proof", first, second, r1, r2, proof[:-1]),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 16]) + flipped[i][1:]
        probes.append((f"proof[{i}] bit 4", first, second, r1, r2, flipped))
    accepted = [name for name, f, s, a, b, p in probes if verify_consistency(f, s, a, b, p)]
    assert accepted == []


# --------------------------------------------------------------------------- inclusion edges


def test_single_leaf_tree_proves_its_leaf_with_an_empty_proof() -> None:
    h = leaf_hash(b"data")
    assert verify_inclusion(h, 0, 1, [], h)
    assert not verify_inclusion(h, 0, 1, [], leaf_hash(b"other"))
    assert not verify_inclusion(b"", 0, 1, [], h)
    assert not verify_inclusion(h, 0, 1, [], b"")


@pytest.mark.parametrize(("index", "size"), [(0, 0), (1, 0), (1, 1), (2, 1), (5, 5), (-1, 5)])
def test_inclusion_with_index_not_below_size_or_negative_is_rejected(index: int, size: int) -> None:
    assert not verify_inclusion(SOME_HASH, index, size, [], EMPTY_ROOT)
    assert not verify_inclusion(SOME_HASH, index, size, [], SOME_HASH)


@pytest.mark.parametrize("size", [2**64, 2**70])
def test_inclusion_with_sizes_beyond_uint64_is_rejected(size: int) -> None:
    assert not verify_inclusion(SOME_HASH, 0, size, [SOME_HASH] * 64, SOME_HASH)


def test_inclusion_with_boolean_index_or_size_is_rejected() -> None:
    h = leaf_hash(b"data")
    assert not verify_inclusion(h, False, 1, [], h)
    assert not verify_inclusion(h, 0, True, [], h)


def test_a_proof_does_not_bind_sizes_of_the_same_shape_which_is_why_heads_are_signed() -> None:
    # Leaf 0 sees trees of size 3 and 4 through the same two siblings, so the size-3 proof
    # hashes to the size-3 root under either claim.  The signed tree head is what binds a
    # root to its size; a size-4 head never carries the size-3 root.
    proof = inclusion_proof(STORE, 0, 3)
    assert inclusion_shape(0, 3) == inclusion_shape(0, 4)
    assert verify_inclusion(LEAF_HASHES[0], 0, 4, proof, ROOTS[3])
    assert not verify_inclusion(LEAF_HASHES[0], 0, 4, proof, ROOTS[4])


def test_in_small_trees_an_inclusion_proof_verifies_exactly_the_claims_with_its_path_shape() -> None:
    # Exhaustive over every (index, size) proof and every (index, size) claim up to 16 leaves.
    for size in range(1, 17):
        for index in range(size):
            proof = inclusion_proof(STORE, index, size)
            for claimed_size in range(1, 17):
                for claimed_index in range(claimed_size):
                    accepted = verify_inclusion(LEAF_HASHES[index], claimed_index, claimed_size, proof, ROOTS[size])
                    same_shape = inclusion_shape(claimed_index, claimed_size) == inclusion_shape(index, size)
                    assert accepted == same_shape, (index, size, claimed_index, claimed_size)
                    if claimed_size == size and claimed_index != index:
                        assert not accepted


def test_in_small_trees_a_consistency_proof_verifies_exactly_the_claims_with_its_path_shape() -> None:
    for second in range(2, 17):
        for first in range(1, second):
            proof = consistency_proof(STORE, first, second)
            for claimed_second in range(17):
                for claimed_first in range(claimed_second + 2):
                    accepted = verify_consistency(claimed_first, claimed_second, ROOTS[first], ROOTS[second], proof)
                    if 0 < claimed_first < claimed_second:
                        same = consistency_shape(claimed_first, claimed_second) == consistency_shape(first, second)
                        assert accepted == same, (first, second, claimed_first, claimed_second)
                    else:
                        assert not accepted, (first, second, claimed_first, claimed_second)


# --------------------------------------------------------------------------- inclusion properties


@settings(max_examples=150, deadline=None)
@given(inclusion_case())
def test_every_generated_inclusion_proof_verifies(case: tuple[int, int, list[bytes]]) -> None:
    index, size, proof = case
    assert verify_inclusion(LEAF_HASHES[index], index, size, proof, ROOTS[size])


@settings(max_examples=100, deadline=None)
@given(inclusion_case(min_size=2), st.data())
def test_truncated_inclusion_proof_is_rejected(case: tuple[int, int, list[bytes]], data: st.DataObject) -> None:
    index, size, proof = case
    position = data.draw(st.integers(0, len(proof) - 1))
    dropped = proof[:position] + proof[position + 1 :]
    prefix = proof[: data.draw(st.integers(0, len(proof) - 1))]
    assert not verify_inclusion(LEAF_HASHES[index], index, size, dropped, ROOTS[size])
    assert not verify_inclusion(LEAF_HASHES[index], index, size, prefix, ROOTS[size])


@settings(max_examples=100, deadline=None)
@given(inclusion_case(), st.data())
def test_extended_inclusion_proof_is_rejected(case: tuple[int, int, list[bytes]], data: st.DataObject) -> None:
    index, size, proof = case
    extra = data.draw(st.one_of(hash32, st.sampled_from([*proof, ROOTS[size], SOME_HASH])))
    position = data.draw(st.integers(0, len(proof)))
    extended = [*proof[:position], extra, *proof[position:]]
    assert not verify_inclusion(LEAF_HASHES[index], index, size, extended, ROOTS[size])


@settings(max_examples=100, deadline=None)
@given(inclusion_case(min_size=3), st.data())
def test_reordered_inclusion_proof_is_rejected(case: tuple[int, int, list[bytes]], data: st.DataObject) -> None:
    index, size, proof = case
    assume(len(proof) >= 2)
    shuffled = data.draw(st.permutations(proof))
    assume(shuffled != proof)
    assert not verify_inclusion(LEAF_HASHES[index], index, size, shuffled, ROOTS[size])


@settings(max_examples=100, deadline=None)
@given(inclusion_case(min_size=2), st.data())
def test_inclusion_proof_with_a_flipped_bit_is_rejected(
    case: tuple[int, int, list[bytes]], data: st.DataObject
) -> None:
    index, size, proof = case
    element = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 255))
    flipped = list(proof)
    value = bytearray(flipped[element])
    value[bit // 8] ^= 1 << (bit % 8)
    flipped[element] = bytes(value)
    assert not verify_inclusion(LEAF_HASHES[index], index, size, flipped, ROOTS[size])


@settings(max_examples=100, deadline=None)
@given(inclusion_case(), st.data())
def test_inclusion_proof_with_a_malformed_element_is_rejected(
    case: tuple[int, int, list[bytes]], data: st.DataObject
) -> None:
    index, size, proof = case
    bad = data.draw(st.one_of(st.binary(max_size=31), st.binary(min_size=33, max_size=64), junk))
    assume(not (isinstance(bad, bytes) and len(bad) == 32))
    position = data.draw(st.integers(0, len(proof)))
    replace = data.draw(st.booleans()) and position < len(proof)
    tampered: list[Any] = list(proof)
    if replace:
        tampered[position] = bad
    else:
        tampered.insert(position, bad)
    assert verify_inclusion(LEAF_HASHES[index], index, size, tampered, ROOTS[size]) is False


@settings(max_examples=150, deadline=None)
@given(inclusion_case(), st.one_of(st.integers(0, 2 * N), st.integers(-(2**65), 2**65)))
def test_inclusion_proof_for_a_wrong_index_is_rejected(case: tuple[int, int, list[bytes]], wrong_index: int) -> None:
    index, size, proof = case
    assume(wrong_index != index)
    assert not verify_inclusion(LEAF_HASHES[index], wrong_index, size, proof, ROOTS[size])


@settings(max_examples=200, deadline=None)
@given(inclusion_case(), st.one_of(st.integers(0, 2 * N), st.integers(-(2**65), 2**65)))
def test_inclusion_proof_for_a_wrong_size_is_rejected_unless_the_path_shape_is_identical(
    case: tuple[int, int, list[bytes]], wrong_size: int
) -> None:
    index, size, proof = case
    assume(wrong_size != size)
    accepted = verify_inclusion(LEAF_HASHES[index], index, wrong_size, proof, ROOTS[size])
    if index < wrong_size <= UINT64_MAX:
        assert accepted == (inclusion_shape(index, wrong_size) == inclusion_shape(index, size))
    else:
        assert accepted is False


@settings(max_examples=100, deadline=None)
@given(inclusion_case(), hash32, hash32)
def test_inclusion_proof_against_a_wrong_root_or_leaf_is_rejected(
    case: tuple[int, int, list[bytes]], other_root: bytes, other_leaf: bytes
) -> None:
    index, size, proof = case
    assume(other_root != ROOTS[size] and other_leaf != LEAF_HASHES[index])
    assert not verify_inclusion(LEAF_HASHES[index], index, size, proof, other_root)
    assert not verify_inclusion(other_leaf, index, size, proof, ROOTS[size])
    for smaller in {1, size // 2, size - 1} - {0, size}:
        if index < smaller:
            assert not verify_inclusion(LEAF_HASHES[index], index, size, proof, ROOTS[smaller])


@settings(max_examples=200, deadline=None)
@given(junk, junk, junk, junk, junk)
def test_inclusion_verification_never_raises_on_arbitrary_input(
    leaf: Any, index: Any, size: Any, proof: Any, root_hash: Any
) -> None:
    assert isinstance(verify_inclusion(leaf, index, size, proof, root_hash), bool)


# --------------------------------------------------------------------------- consistency edges


def test_consistency_between_equal_sizes_needs_an_empty_proof_and_equal_roots() -> None:
    assert verify_consistency(5, 5, ROOTS[5], ROOTS[5], [])
    assert not verify_consistency(5, 5, ROOTS[5], ROOTS[5], [ROOTS[5]])
    assert not verify_consistency(5, 5, ROOTS[5], ROOTS[6], [])
    assert not verify_consistency(1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])


@pytest.mark.parametrize(
    ("first", "second", "first_root", "proof"),
    [
        (0, 0, EMPTY_ROOT, []),
        (0, 1, EMPTY_ROOT, []),
        (0, 5, EMPTY_ROOT, []),
        (0, 5, EMPTY_ROOT, [EMPTY_ROOT]),
    ],
)
def test_consistency_from_size_zero_is_rejected_as_outside_the_rfc(
    first: int, second: int, first_root: bytes, proof: list[bytes]
) -> None:
    assert not verify_consistency(first, second, first_root, ROOTS[second], proof)


@pytest.mark.parametrize(("first", "second"), [(2, 1), (6, 5), (N, 3)])
def test_consistency_with_first_beyond_second_is_rejected(first: int, second: int) -> None:
    proof = consistency_proof(STORE, second, first)
    assert not verify_consistency(first, second, ROOTS[first], ROOTS[second], proof)
    assert not verify_consistency(first, second, ROOTS[first], ROOTS[second], [])


def test_consistency_with_an_empty_proof_between_different_sizes_is_rejected() -> None:
    assert not verify_consistency(1, 2, ROOTS[1], ROOTS[2], [])


def test_consistency_with_sizes_beyond_uint64_is_rejected() -> None:
    assert not verify_consistency(1, 2**64, ROOTS[1], SOME_HASH, [SOME_HASH] * 64)


# --------------------------------------------------------------------------- consistency properties


@settings(max_examples=150, deadline=None)
@given(consistency_case())
def test_every_generated_consistency_proof_verifies(case: tuple[int, int, list[bytes]]) -> None:
    first, second, proof = case
    assert verify_consistency(first, second, ROOTS[first], ROOTS[second], proof)


@settings(max_examples=100, deadline=None)
@given(consistency_case(), st.data())
def test_truncated_consistency_proof_is_rejected(case: tuple[int, int, list[bytes]], data: st.DataObject) -> None:
    first, second, proof = case
    position = data.draw(st.integers(0, len(proof) - 1))
    dropped = proof[:position] + proof[position + 1 :]
    prefix = proof[: data.draw(st.integers(0, len(proof) - 1))]
    assert not verify_consistency(first, second, ROOTS[first], ROOTS[second], dropped)
    assert not verify_consistency(first, second, ROOTS[first], ROOTS[second], prefix)


@settings(max_examples=100, deadline=None)
@given(consistency_case(), st.data())
def test_extended_consistency_proof_is_rejected(case: tuple[int, int, list[bytes]], data: st.DataObject) -> None:
    first, second, proof = case
    choices = [*proof, ROOTS[first], ROOTS[second], SOME_HASH]
    extra = data.draw(st.one_of(hash32, st.sampled_from(choices)))
    position = data.draw(st.integers(0, len(proof)))
    extended = [*proof[:position], extra, *proof[position:]]
    assert not verify_consistency(first, second, ROOTS[first], ROOTS[second], extended)


@settings(max_examples=100, deadline=None)
@given(consistency_case(), st.data())
def test_reordered_consistency_proof_is_rejected(case: tuple[int, int, list[bytes]], data: st.DataObject) -> None:
    first, second, proof = case
    assume(len(proof) >= 2)
    shuffled = data.draw(st.permutations(proof))
    assume(shuffled != proof)
    assert not verify_consistency(first, second, ROOTS[first], ROOTS[second], shuffled)


@settings(max_examples=100, deadline=None)
@given(consistency_case(), st.data())
def test_consistency_proof_with_a_flipped_bit_is_rejected(
    case: tuple[int, int, list[bytes]], data: st.DataObject
) -> None:
    first, second, proof = case
    element = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 255))
    flipped = list(proof)
    value = bytearray(flipped[element])
    value[bit // 8] ^= 1 << (bit % 8)
    flipped[element] = bytes(value)
    assert not verify_consistency(first, second, ROOTS[first], ROOTS[second], flipped)


@settings(max_examples=250, deadline=None)
@given(
    consistency_case(),
    st.one_of(st.integers(-2, 2 * N), st.integers(-(2**65), 2**65)),
    st.one_of(st.integers(-2, 2 * N), st.integers(-(2**65), 2**65)),
)
def test_consistency_proof_for_wrong_sizes_is_rejected_unless_the_path_shape_is_identical(
    case: tuple[int, int, list[bytes]], wrong_first: int, wrong_second: int
) -> None:
    first, second, proof = case
    assume((wrong_first, wrong_second) != (first, second))
    for claimed in [(wrong_first, second), (first, wrong_second), (wrong_first, wrong_second)]:
        if claimed == (first, second):
            continue
        f, s = claimed
        accepted = verify_consistency(f, s, ROOTS[first], ROOTS[second], proof)
        if 0 < f < s <= UINT64_MAX:
            assert accepted == (consistency_shape(f, s) == consistency_shape(first, second))
        else:
            assert accepted is False


@settings(max_examples=100, deadline=None)
@given(consistency_case(), hash32)
def test_consistency_proof_against_wrong_or_swapped_roots_is_rejected(
    case: tuple[int, int, list[bytes]], other: bytes
) -> None:
    first, second, proof = case
    assume(other not in (ROOTS[first], ROOTS[second]))
    assert not verify_consistency(first, second, other, ROOTS[second], proof)
    assert not verify_consistency(first, second, ROOTS[first], other, proof)
    assert not verify_consistency(first, second, ROOTS[second], ROOTS[first], proof)


@settings(max_examples=200, deadline=None)
@given(junk, junk, junk, junk, junk)
def test_consistency_verification_never_raises_on_arbitrary_input(
    first: Any, second: Any, first_root: Any, second_root: Any, proof: Any
) -> None:
    result = verify_consistency(first, second, first_root, second_root, proof)
    assert isinstance(result, bool)


# --------------------------------------------------------------------------- tree heads

PRIVATE_KEY = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"jishi test key").digest())
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"someone else").digest())
PUBLIC_KEY = public_key_bytes(PRIVATE_KEY)
OTHER_PUBLIC_KEY = public_key_bytes(OTHER_KEY)
TIMESTAMP = 1_717_171_717_171


def _head(size: int = 37) -> TreeHead:
    return sign_tree_head(PRIVATE_KEY, size, ROOTS[size], TIMESTAMP)


def test_tree_head_message_is_the_documented_61_byte_encoding() -> None:
    root_hash = bytes(range(32))
    message = tree_head_message(0x0102, root_hash, 0x0A0B0C)
    assert TREE_HEAD_PREFIX == b"jishi-sth-v1\x00"
    assert message == (
        b"jishi-sth-v1\x00" + bytes.fromhex("0000000000000102") + bytes.fromhex("00000000000a0b0c") + root_hash
    )
    assert len(message) == 61


@pytest.mark.parametrize(
    ("size", "root_hash", "timestamp"),
    [(-1, SOME_HASH, 0), (2**64, SOME_HASH, 0), (1, SOME_HASH, -1), (1, b"short", 0)],
)
def test_tree_head_message_refuses_out_of_range_fields(size: int, root_hash: bytes, timestamp: int) -> None:
    with pytest.raises(ValueError):
        tree_head_message(size, root_hash, timestamp)


def test_signed_tree_head_verifies_and_names_its_key() -> None:
    head = _head()
    assert head["key_id"] == hashlib.sha256(PUBLIC_KEY).hexdigest() == key_id(PUBLIC_KEY)
    assert head["key_id"] == signer_key_id(PRIVATE_KEY)
    assert head["root_hash"] == ROOTS[37].hex()
    assert verify_tree_head(head, PUBLIC_KEY)
    assert verify_tree_head(json.loads(json.dumps(head)), PUBLIC_KEY)


def test_signature_covers_exactly_the_tree_head_message() -> None:
    head = _head()
    message = tree_head_message(37, ROOTS[37], TIMESTAMP)
    PRIVATE_KEY.public_key().verify(bytes.fromhex(head["signature"]), message)


def test_empty_tree_head_verifies_with_the_empty_root() -> None:
    assert verify_tree_head(sign_tree_head(PRIVATE_KEY, 0, EMPTY_ROOT, TIMESTAMP), PUBLIC_KEY)


def test_size_zero_head_with_a_non_empty_root_is_refused_and_rejected() -> None:
    with pytest.raises(ValueError, match="empty-tree root"):
        sign_tree_head(PRIVATE_KEY, 0, SOME_HASH, TIMESTAMP)
    forged: dict[str, Any] = {
        "size": 0,
        "root_hash": SOME_HASH.hex(),
        "timestamp": TIMESTAMP,
        "signature": PRIVATE_KEY.sign(tree_head_message(0, SOME_HASH, TIMESTAMP)).hex(),
        "key_id": key_id(PUBLIC_KEY),
    }
    assert not verify_tree_head(forged, PUBLIC_KEY)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, UINT64_MAX))
def test_head_with_a_tampered_size_is_rejected(size: int) -> None:
    head = _head()
    assume(size != head["size"])
    assert not verify_tree_head({**head, "size": size}, PUBLIC_KEY)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, UINT64_MAX))
def test_head_with_a_tampered_timestamp_is_rejected(timestamp: int) -> None:
    head = _head()
    assume(timestamp != head["timestamp"])
    assert not verify_tree_head({**head, "timestamp": timestamp}, PUBLIC_KEY)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 255))
def test_head_with_a_tampered_root_is_rejected(bit: int) -> None:
    head = _head()
    value = bytearray(bytes.fromhex(head["root_hash"]))
    value[bit // 8] ^= 1 << (bit % 8)
    assert not verify_tree_head({**head, "root_hash": value.hex()}, PUBLIC_KEY)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 511))
def test_head_with_a_tampered_signature_is_rejected(bit: int) -> None:
    head = _head()
    value = bytearray(bytes.fromhex(head["signature"]))
    value[bit // 8] ^= 1 << (bit % 8)
    assert not verify_tree_head({**head, "signature": value.hex()}, PUBLIC_KEY)


def test_head_checked_against_another_key_is_rejected() -> None:
    head = _head()
    assert not verify_tree_head(head, OTHER_PUBLIC_KEY)
    # Even when the key id is rewritten to name the other key.
    assert not verify_tree_head({**head, "key_id": key_id(OTHER_PUBLIC_KEY)}, OTHER_PUBLIC_KEY)


def test_head_whose_key_id_does_not_name_the_verifying_key_is_rejected() -> None:
    head = _head()
    assert not verify_tree_head({**head, "key_id": key_id(OTHER_PUBLIC_KEY)}, PUBLIC_KEY)


def test_head_signed_by_another_key_is_rejected() -> None:
    head = sign_tree_head(OTHER_KEY, 37, ROOTS[37], TIMESTAMP)
    assert not verify_tree_head({**head, "key_id": key_id(PUBLIC_KEY)}, PUBLIC_KEY)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda h: h.pop("signature"),
        lambda h: h.pop("size"),
        lambda h: h.update(size=str(h["size"])),
        lambda h: h.update(size=True),
        lambda h: h.update(size=37.0),
        lambda h: h.update(timestamp=-1),
        lambda h: h.update(root_hash=h["root_hash"][:-2]),
        lambda h: h.update(root_hash=" " + h["root_hash"][1:]),
        lambda h: h.update(signature=h["signature"] + "00"),
        lambda h: h.update(signature=None),
        lambda h: h.update(key_id=h["key_id"].encode()),
    ],
)
def test_malformed_head_fields_are_rejected(mutate: Callable[[dict[str, Any]], object]) -> None:
    head: dict[str, Any] = dict(_head())
    mutate(head)
    assert not verify_tree_head(head, PUBLIC_KEY)


@pytest.mark.parametrize("key", [b"", PUBLIC_KEY[:31], PUBLIC_KEY + b"\x00", "not bytes"])
def test_head_with_a_malformed_public_key_is_rejected(key: Any) -> None:
    assert not verify_tree_head(_head(), key)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        junk,
        st.fixed_dictionaries({"size": junk, "root_hash": junk, "timestamp": junk, "signature": junk, "key_id": junk}),
    ),
    st.one_of(junk, st.binary(min_size=32, max_size=32)),
)
def test_head_verification_never_raises_on_arbitrary_input(head: Any, key: Any) -> None:
    assert verify_tree_head(head, key) is False


# --------------------------------------------------------------------------- CLI


def _write(path: Path, data: object) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _inclusion_file(tmp_path: Path, index: int = 5, size: int = 37) -> dict[str, Any]:
    return {
        "leaf_hash": LEAF_HASHES[index].hex(),
        "index": index,
        "size": size,
        "proof": [p.hex() for p in inclusion_proof(STORE, index, size)],
        "root_hash": ROOTS[size].hex(),
    }


def test_cli_accepts_a_valid_inclusion_proof_and_rejects_a_tampered_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _inclusion_file(tmp_path)
    assert main(["inclusion", _write(tmp_path / "good.json", good)]) == 0
    assert capsys.readouterr().out.startswith("OK")
    bad = {**good, "index": 6}
    assert main(["inclusion", _write(tmp_path / "bad.json", bad)]) == 1
    assert capsys.readouterr().out.startswith("FAILED")


def test_cli_hashes_a_raw_leaf_input_given_instead_of_a_leaf_hash(tmp_path: Path) -> None:
    data = _inclusion_file(tmp_path)
    del data["leaf_hash"]
    data["leaf"] = LEAVES[5].hex()
    assert main(["inclusion", _write(tmp_path / "raw.json", data)]) == 0


def test_cli_checks_consistency_proofs(tmp_path: Path) -> None:
    data = {
        "first": 10,
        "second": 37,
        "first_root": ROOTS[10].hex(),
        "second_root": ROOTS[37].hex(),
        "proof": [p.hex() for p in consistency_proof(STORE, 10, 37)],
    }
    assert main(["consistency", _write(tmp_path / "ok.json", data)]) == 0
    data["first_root"] = ROOTS[11].hex()
    assert main(["consistency", _write(tmp_path / "bad.json", data)]) == 1


def test_cli_checks_tree_heads_with_a_hex_pem_or_raw_public_key(tmp_path: Path) -> None:
    head_file = _write(tmp_path / "head.json", _head())
    pem = tmp_path / "key.pem"
    pem.write_bytes(
        PRIVATE_KEY.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    raw = tmp_path / "key.raw"
    raw.write_bytes(PUBLIC_KEY)
    hex_file = tmp_path / "key.hex"
    hex_file.write_text(PUBLIC_KEY.hex() + "\n", encoding="ascii")
    for key in (PUBLIC_KEY.hex(), str(pem), str(raw), str(hex_file)):
        assert main(["head", head_file, key]) == 0, key
    assert main(["head", head_file, OTHER_PUBLIC_KEY.hex()]) == 1


@pytest.mark.parametrize(
    "content",
    ["not json", "[1, 2]", '{"index": 0}', '{"leaf_hash": "zz", "index": 0, "size": 1}'],
)
def test_cli_reports_unusable_input_with_exit_status_2(
    tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "input.json"
    path.write_text(content, encoding="utf-8")
    assert main(["inclusion", str(path)]) == 2
    assert capsys.readouterr().err.startswith("error:")
    assert main(["inclusion", str(tmp_path / "missing.json")]) == 2
    assert main(["head", _write(tmp_path / "h.json", _head()), str(tmp_path / "nokey")]) == 2


def test_cli_runs_as_a_module_of_the_project(tmp_path: Path) -> None:
    head_file = _write(tmp_path / "head.json", _head())
    result = subprocess.run(
        [sys.executable, "-m", "ledger.verify", "head", head_file, PUBLIC_KEY.hex()],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: tree head size=37")


def test_verifier_directory_runs_when_copied_alone_outside_the_project(tmp_path: Path) -> None:
    shutil.copytree(VERIFY_DIR, tmp_path / "verify", ignore=shutil.ignore_patterns("__pycache__"))
    # The project stays installed in this interpreter; a decoy ``ledger`` beside the copy (the
    # working directory comes first on sys.path under -m) makes any import of it fail loudly.
    (tmp_path / "ledger").mkdir()
    (tmp_path / "ledger" / "__init__.py").write_text('raise ImportError("needs the project")\n', "utf-8")
    _write(tmp_path / "proof.json", _inclusion_file(tmp_path))
    _write(tmp_path / "head.json", _head())
    env = {"PATH": "/usr/bin:/bin"}
    for args, expected in (
        (["inclusion", "proof.json"], 0),
        (["head", "head.json", PUBLIC_KEY.hex()], 0),
        (["head", "head.json", OTHER_PUBLIC_KEY.hex()], 1),
    ):
        result = subprocess.run(
            [sys.executable, "-E", "-s", "-m", "verify", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == expected, (args, result.stdout, result.stderr)
