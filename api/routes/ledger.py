"""Ledger 账本: signed tree heads and RFC 6962 inclusion / consistency proofs (hashes in hex).

Every answer first appends to the ledger what the event store holds and it has not seen
yet, so a proof for an event just written is available at once. The JSON is the offline
verifier's format (the package ``ledger/verify/``).

A scoped user (管辖范围) may see every signed head and consistency proof (hashes only), but an
inclusion proof only for the position of an event that concerns their scope; any other position
answers 404 exactly as a position the ledger does not hold.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from api.auth import READERS, require
from api.deps import RuntimeDep, ScopeDep
from domain.errors import NotFoundError
from domain.users import Principal
from jishi.bootstrap import Runtime
from ledger.ledger import Ledger

router = APIRouter(prefix="/api/v1/ledger", tags=["ledger 账本"])
RequireLedgerReader = Annotated[Principal, Depends(require(*READERS))]
MAX_INT = 2**63 - 1
Hex = Annotated[str, Field(pattern="^[0-9a-f]*$")]
_opening = threading.Lock()


class CosignatureOut(BaseModel):
    """A witness's C2SP cosignature/v1 of the head (see README, 见证)."""

    witness: str = Field(description="the witness's name, e.g. jijian.example.gov.cn/w1")
    key_id: Hex = Field(description="SHA-256 of the witness's raw Ed25519 public key, hex")
    timestamp: int = Field(description="when it cosigned, seconds since the Unix epoch")
    signature: Hex = Field(description="Ed25519 over `cosignature/v1\\ntime T\\n` + the checkpoint body, hex")


class TreeHead(BaseModel):
    """A signed tree head: Ed25519 over `jishi-sth-v1\\0 ‖ size ‖ timestamp ‖ root_hash`."""

    size: int = Field(description="leaves (stored events) in the tree")
    root_hash: Hex = Field(description="RFC 6962 root, hex")
    timestamp: int = Field(description="when it was signed, milliseconds since the Unix epoch")
    signature: Hex = Field(description="Ed25519 signature, hex")
    key_id: Hex = Field(description="SHA-256 of the raw public key, hex")
    public_key: Hex = Field(description="the raw Ed25519 public key, hex (keep your own copy to check against)")
    cosignatures: list[CosignatureOut] = Field(
        default_factory=list, description="the configured witnesses' cosignatures of this head (may lag it)")


class InclusionProof(BaseModel):
    """RFC 6962 audit path of one event, leaf to root."""

    position: int = Field(description="the event's position (notification id)")
    index: int = Field(description="its leaf index in the tree")
    size: int
    leaf_hash: Hex
    proof: list[Hex]
    root_hash: Hex = Field(description="root of the tree of `size` leaves: compare with a signed head")


class ConsistencyProof(BaseModel):
    """RFC 6962 consistency proof: the tree of size `first` is a prefix of the tree of size `second`."""

    first: int
    second: int
    first_root: Hex
    second_root: Hex
    proof: list[Hex]


def ledger_of(runtime: Runtime, state: Any) -> Ledger:
    """The runtime's ledger (built with the runtime, on its read-model engines)."""
    return runtime.ledger


def current_ledger(request: Request, runtime: RuntimeDep) -> Ledger:
    ledger = ledger_of(runtime, request.app.state)
    ledger.sync(runtime.app.recorder)
    return ledger


LedgerDep = Annotated[Ledger, Depends(current_ledger)]


@router.get("/head", response_model=TreeHead)
def head(
    user: RequireLedgerReader, ledger: LedgerDep, runtime: RuntimeDep,
    witnessed: Annotated[bool, Query(description="the latest head cosigned by the witness quorum instead")] = False,
) -> dict[str, Any]:
    """The signed tree head of the current ledger (signed now if the latest is older), with the witnesses'
    cosignatures of it; with `witnessed=true` the largest head that a quorum of the witnesses cosigned."""
    witnessing = runtime.witnessing
    if witnessed:
        tree_head = witnessing.latest_witnessed() if witnessing is not None else None
        if tree_head is None:
            raise NotFoundError("尚无见证法定数副签的树头 (no head is cosigned by the witness quorum yet)")
    else:
        tree_head = ledger.head(sign=True)
        assert tree_head is not None
        if witnessing is not None and runtime.courier is not None:
            runtime.courier.notify()  # a head the witnesses may not have seen: send it soon
    cosignatures = witnessing.cosignatures(tree_head["size"]) if witnessing is not None else []
    return {**tree_head, "public_key": ledger.public_key.hex(), "cosignatures": cosignatures}


@router.get("/proofs/inclusion", response_model=InclusionProof)
def inclusion(
    user: RequireLedgerReader, ledger: LedgerDep, runtime: RuntimeDep, scope: ScopeDep,
    position: Annotated[int, Query(ge=1, le=MAX_INT, description="the event's position")],
    size: Annotated[int | None, Query(ge=1, le=MAX_INT, description="tree size (default: current)")] = None,
) -> dict[str, Any]:
    """RFC 6962 audit path of the event at `position` in the tree of `size` leaves (scoped users: of an
    event that concerns their scope)."""
    if scope is not None and not runtime.read_models.event_visible(position, scope):
        raise NotFoundError(f"账本中没有位置 {position} 的记录 (no record at position {position} in the ledger)")
    return ledger.inclusion(position, size)


@router.get("/proofs/consistency", response_model=ConsistencyProof)
def consistency(
    user: RequireLedgerReader, ledger: LedgerDep,
    first: Annotated[int, Query(ge=1, le=MAX_INT, description="the earlier tree size")],
    second: Annotated[int | None, Query(ge=1, le=MAX_INT, description="the later size (default: current)")] = None,
) -> dict[str, Any]:
    """RFC 6962 consistency proof from tree size `first` to `second`."""
    return ledger.consistency(first, second)
