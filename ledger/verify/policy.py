"""Witness policy 见证策略: which witnesses count, and how many of them must cosign a head.

A policy file is plain text, one statement a line, ``#`` starts a comment (after the style of the
Sigsum trust policy, reduced to one group)::

    # the county ledger is trusted when 2 of these 3 have cosigned its head
    witness jijian.qingshan.gov.cn/w1  <64 hex: raw Ed25519 public key>  [http://10.1.2.3:7380]
    witness dangan.qingshan.gov.cn/w1  <64 hex>  [URL]
    witness zuzhibu.city.gov.cn/w1     <64 hex>  [URL]
    quorum 2

The URL is where Jishi sends its heads (the verifier ignores it).  :func:`check_quorum` counts the
distinct policy witnesses with a valid cosignature of a validly signed head; a cosignature by a key
the policy does not list, or by a listed name under another key, never counts and is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .cosignature import verify_cosignature
from .encoding import HEX_RE, PUBLIC_KEY_SIZE, key_id
from .heads import verify_tree_head

__all__ = ["Policy", "PolicyError", "QuorumResult", "WitnessEntry", "check_quorum", "parse_policy"]


class PolicyError(ValueError):
    """The policy text cannot be used; the message names the line."""


@dataclass(frozen=True)
class WitnessEntry:
    name: str
    public_key: bytes
    url: str | None = None

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)


@dataclass(frozen=True)
class Policy:
    witnesses: tuple[WitnessEntry, ...]
    quorum: int

    def by_key_id(self) -> dict[str, WitnessEntry]:
        return {w.key_id: w for w in self.witnesses}


@dataclass
class QuorumResult:
    """The verdict on one head: ``ok`` when the head is validly signed and ``len(cosigned) >= quorum``."""

    head_valid: bool
    quorum: int
    cosigned: list[str] = field(default_factory=list)  # policy witness names, each once
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (witness as claimed, reason)

    @property
    def ok(self) -> bool:
        return self.head_valid and len(self.cosigned) >= self.quorum


def parse_policy(text: str) -> Policy:
    """Parse a policy file's text; raises :class:`PolicyError` naming the line."""
    witnesses: list[WitnessEntry] = []
    quorum: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        where = f"line {number}"
        if words[0] == "witness" and len(words) in (3, 4):
            name, key_hex = words[1], words[2]
            if len(key_hex) != 2 * PUBLIC_KEY_SIZE or not HEX_RE.fullmatch(key_hex):
                raise PolicyError(f"{where}: the public key must be 64 hex characters")
            entry = WitnessEntry(name, bytes.fromhex(key_hex), words[3] if len(words) == 4 else None)
            if any(w.name == name or w.public_key == entry.public_key for w in witnesses):
                raise PolicyError(f"{where}: witness {name} (or its key) is listed twice")
            witnesses.append(entry)
        elif words[0] == "quorum" and len(words) == 2:
            if quorum is not None:
                raise PolicyError(f"{where}: a second quorum")
            if not words[1].isdigit():
                raise PolicyError(f"{where}: quorum must be a whole number")
            quorum = int(words[1])
        else:
            raise PolicyError(f"{where}: expected 'witness NAME PUBLIC_KEY_HEX [URL]' or 'quorum K'")
    if quorum is None:
        raise PolicyError("the policy has no 'quorum K' line")
    if not 1 <= quorum <= len(witnesses):
        raise PolicyError(f"quorum {quorum} must be between 1 and the number of witnesses ({len(witnesses)})")
    return Policy(tuple(witnesses), quorum)


def check_quorum(head: Mapping[str, Any], policy: Policy, log_public_key: bytes) -> QuorumResult:
    """Check the head's signature under the log key and count its valid policy cosignatures."""
    result = QuorumResult(head_valid=verify_tree_head(head, log_public_key), quorum=policy.quorum)
    cosignatures = head.get("cosignatures")
    if not isinstance(cosignatures, list):
        cosignatures = []
    known = policy.by_key_id()
    for cosignature in cosignatures:
        if not isinstance(cosignature, Mapping):
            result.rejected.append(("?", "not an object"))
            continue
        claimed = str(cosignature.get("witness", "?"))
        entry = known.get(str(cosignature.get("key_id", "")).lower())
        if entry is None:
            result.rejected.append((claimed, "unknown witness key"))
        elif entry.name != claimed:
            result.rejected.append((claimed, f"the key is {entry.name}'s, not {claimed}'s"))
        elif not verify_cosignature(cosignature, head, entry.public_key):
            result.rejected.append((claimed, "invalid signature"))
        elif entry.name not in result.cosigned:
            result.cosigned.append(entry.name)
    return result
