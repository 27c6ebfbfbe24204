"""Offline verifier for the Jishi ledger: Merkle proofs and signed tree heads.

STANDALONE BY DESIGN: this package imports only the Python standard library, the
``cryptography`` package and its own modules (relative imports only), so an auditor can copy
this one directory and, from the directory that holds the copy, run::

    python -m verify inclusion   PROOF.json
    python -m verify consistency PROOF.json
    python -m verify head        HEAD.json PUBLIC_KEY
    python -m verify bundle      EVIDENCE.zip [--public-key KEY]

(or ``python -m ledger.verify ...`` inside the project).  Exit status is
0 when everything verifies, 1 when verification fails, 2 on unusable input.

Its modules, in reading order:

    encoding.py   what is hashed and what is signed: RFC 6962 leaf and node hashes, the
                  leaf input of a stored record, the signed tree head message, its JSON form
    proofs.py     inclusion and consistency proofs (RFC 9162 §2.1.3.2 and §2.1.4.2)
    heads.py      a signed tree head: its Ed25519 signature, and that its key id names the key
    timeline.py   the small fold of a cadre's plain stored records into the growth file's timeline
    bundle.py     an evidence bundle (证据包): records, proofs against one head, the growth file
    cli.py        the command line above and the JSON files it reads
    __main__.py   runs cli.main

Witnesses (见证), each module on its own: cosignature.py (C2SP cosignature/v1 of a head),
policy.py ("k of these n witnesses"), witness.py and witness_http.py (a witness server),
witness_cli.py (``python -m verify witness serve|keygen``, ``cosigned``, ``split-view``).

The verify functions return ``False`` for anything malformed and never raise.
"""

from __future__ import annotations

from .bundle import BundleError, BundleReport, check_bundle, read_bundle
from .cli import main
from .encoding import (
    EMPTY_ROOT,
    HASH_SIZE,
    LEAF_INPUT_PREFIX,
    TREE_HEAD_PREFIX,
    TreeHead,
    key_id,
    leaf_input,
    record_leaf_hash,
    tree_head_message,
)
from .heads import verify_tree_head
from .proofs import verify_consistency, verify_inclusion

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "LEAF_INPUT_PREFIX",
    "TREE_HEAD_PREFIX",
    "BundleError",
    "BundleReport",
    "TreeHead",
    "check_bundle",
    "key_id",
    "leaf_input",
    "main",
    "read_bundle",
    "record_leaf_hash",
    "tree_head_message",
    "verify_consistency",
    "verify_inclusion",
    "verify_tree_head",
]
