"""What a write returns, and what a handler hands to the unit of work."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.recorded import RecordedEvent


@dataclass(frozen=True)
class CommandResult:
    """What a write returns (API.md): the entry, its stream, version and global position."""

    entry_id: UUID
    stream_id: UUID
    version: int
    position: int
    recorded_at: datetime
    overrides: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    replayed: bool = field(default=False, compare=False)  # the first result of a key already used: nothing stored

    def as_dict(self) -> dict[str, Any]:
        return {"entry_id": str(self.entry_id), "stream_id": str(self.stream_id),
                "version": self.version, "position": self.position,
                "recorded_at": self.recorded_at.isoformat(),
                "overrides": list(self.overrides), **self.extra}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], position: int) -> CommandResult:
        known = {"entry_id", "stream_id", "version", "position", "recorded_at", "overrides"}
        return cls(UUID(d["entry_id"]), UUID(d["stream_id"]), int(d["version"]), position,
                   datetime.fromisoformat(d["recorded_at"]), tuple(d.get("overrides", ())),
                   {k: v for k, v in d.items() if k not in known})


@dataclass(frozen=True)
class Recorded:
    """What a handler decided: the aggregates it changed (saved together), the event the caller
    asked for, and extra result fields (``cadre_id``, ``case_id`` …)."""

    changed: Sequence[Aggregate]
    event: RecordedEvent
    extra: dict[str, str] = field(default_factory=dict)


def last_event(aggregate: Aggregate) -> RecordedEvent:
    """The event a handler just triggered on an aggregate."""
    event = aggregate.pending_events[-1]
    assert isinstance(event, RecordedEvent)
    return event
