"""What the ledger reports: each divergence between the event store, the ledger and its heads, and the
verdict of one verification; and the stored record as the ledger reads it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from eventsourcing.persistence import Notification

from ledger.verify import record_leaf_hash

KINDS = ("changed", "reordered", "missing", "extra", "node", "head", "saved-head", "witness")
Progress = Callable[[int, int], None]


class Recorder(Protocol):
    """What the ledger needs of the event store: ``ApplicationRecorder.select_notifications``."""

    def select_notifications(self, start: int | None, limit: int, stop: int | None = None,
                             topics: Sequence[str] = (), *,
                             inclusive_of_start: bool = True) -> Sequence[Notification]: ...


def record_leaf(record: Notification) -> bytes:
    """The RFC 6962 leaf hash of one stored record (raises ValueError if it cannot be encoded)."""
    return record_leaf_hash(record.id, record.originator_id, record.originator_version, record.topic,
                            record.state)


def export_record(record: Notification) -> dict[str, Any]:
    """A stored record as JSON, for the offline verifier's ``"record"`` field."""
    return {"position": record.id, "originator_id": str(record.originator_id),
            "originator_version": record.originator_version, "topic": record.topic,
            "state": bytes(record.state).hex()}


@dataclass(frozen=True)
class Divergence:
    """One way the event store, the ledger and its heads disagree."""

    kind: str
    position: int | None
    message: str  # 中文 (English)
    leaf_index: int | None = None
    other_position: int | None = None  # reordered: where the ledger has this record
    head_size: int | None = None  # head / saved-head: the size of the head that fails

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "position": self.position, "leaf_index": self.leaf_index,
                "other_position": self.other_position, "head_size": self.head_size, "message": self.message}


@dataclass
class VerifyReport:
    """What :meth:`Ledger.verify` found: ``ok`` only when nothing diverges."""

    size: int
    root_hash: str
    checked: int = 0
    pending: int = 0  # store records after the ledger's end, not yet appended
    heads_checked: int = 0
    saved_head_size: int | None = None
    divergences: list[Divergence] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.divergences

    @property
    def first(self) -> Divergence | None:
        return self.divergences[0] if self.divergences else None

    def lines(self) -> list[str]:
        """Bilingual lines for people."""
        if self.ok:
            line = (f"账本核验通过 (ledger verified): {self.checked} 条记录 (records), size {self.size}, "
                    f"root {self.root_hash}, {self.heads_checked} 个签名树头 (signed heads) checked")
            if self.saved_head_size is not None:
                line += f"; 与保存的树头一致 (consistent with the saved head of size {self.saved_head_size})"
            out = [line]
        else:
            out = [f"账本不一致 (ledger diverges) [{d.kind}]"
                   + (f" 位置 position {d.position}" if d.position is not None else "")
                   + f": {d.message}" for d in self.divergences]
        if self.pending:
            out.append(f"另有 {self.pending} 条记录尚未记入账本 ({self.pending} records are not yet in the "
                       "ledger: run `jishi ledger sync`)")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "size": self.size, "root_hash": self.root_hash, "checked": self.checked,
                "pending": self.pending, "heads_checked": self.heads_checked,
                "saved_head_size": self.saved_head_size, "divergences": [d.as_dict() for d in self.divergences]}


def divergence(kind: str, position: int | None, zh: str, en: str, **more: Any) -> Divergence:
    return Divergence(kind, position, f"{zh} ({en})", **more)
