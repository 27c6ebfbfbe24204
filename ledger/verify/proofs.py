"""Inclusion and consistency proofs: RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency).

The verify functions return ``False`` for anything malformed and never raise.

Note: like every RFC 6962 verifier, a proof only commits to the *shape* of its path, so it
also verifies for other claims with the same shape against the *same* root: e.g. a proof for
(index 0, size 3) verifies as (index 0, size 4), and (index 1, size 2) as (index 2, size 3).
Within one tree size a different index is always rejected.  The (size, root) binding comes
from the signed tree head (:mod:`.heads`), so always check the head the root and size were
taken from.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from .encoding import is_hash, is_uint64, node_hash

__all__ = ["MAX_PROOF_LENGTH", "verify_consistency", "verify_inclusion"]

# Longest possible proof for uint64 sizes: 64 audit-path siblings, plus for a consistency
# proof the boundary subtree hash when the first size is not a power of two.
MAX_PROOF_LENGTH = 65


def _proof_ok(proof: object) -> bool:
    # Cheap bound against oversized input; correctness comes from the RFC algorithms.
    return (
        isinstance(proof, (list, tuple))
        and len(proof) <= MAX_PROOF_LENGTH
        and all(is_hash(element) for element in proof)
    )


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` show ``leaf_hash`` at ``index`` in tree (size, root)?"""
    try:
        if not (is_uint64(index) and is_uint64(size) and is_hash(leaf_hash)):
            return False
        if not (is_hash(root) and _proof_ok(proof)):
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
                r = node_hash(p, r)
                if not fn & 1:
                    while not fn & 1 and fn != 0:
                        fn >>= 1
                        sn >>= 1
            else:
                r = node_hash(r, p)
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
        if not (is_uint64(first) and is_uint64(second)):
            return False
        if not (is_hash(first_root) and is_hash(second_root) and _proof_ok(proof)):
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
                fr = node_hash(c, fr)
                sr = node_hash(c, sr)
                if not fn & 1:
                    while not fn & 1 and fn != 0:
                        fn >>= 1
                        sn >>= 1
            else:
                sr = node_hash(sr, c)
            fn >>= 1
            sn >>= 1
        return sn == 0 and hmac.compare_digest(fr, bytes(first_root)) and hmac.compare_digest(sr, bytes(second_root))
    except Exception:  # never raise on hostile input
        return False
