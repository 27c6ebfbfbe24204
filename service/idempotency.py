"""Idempotency keys: a command carrying a key that was already used returns the first
result and stores nothing. The key's record is saved atomically with the command's
events, so a crash can never leave one without the other."""

from __future__ import annotations

from typing import Any, ClassVar

from eventsourcing.domain import Aggregate, AggregateCreated

from domain.recorded import RecordedEvent


class IdempotencyRecord(Aggregate):
    TOPIC = "jishi.IdempotencyRecord"

    class Event(Aggregate.Event):
        TOPIC = "jishi.IdempotencyRecord.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "jishi.IdempotencyRecord.Created"

    def __init__(self) -> None:
        self.key = ""
        self.fingerprint = ""
        self.result: dict[str, Any] = {}


class KeyUsed(RecordedEvent, AggregateCreated):
    STREAM: ClassVar[str] = "system"
    LABEL: ClassVar[str] = "幂等键"
    key: str
    fingerprint: str
    result: dict[str, Any]

    def apply(self, record: IdempotencyRecord) -> None:
        record.key, record.fingerprint, record.result = self.key, self.fingerprint, self.result


SYSTEM_TOPIC_PREFIXES = ("jishi.system.",)
