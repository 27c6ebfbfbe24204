"""What the read side needs of the application: its stored events, their decoding, the aggregates
as of a version, the rule configuration and today's date (``service.application.Jishi`` is one)."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.persistence import ApplicationRecorder, Mapper

from domain.rules.config import RuleConfig


class EventSource(Protocol):
    recorder: ApplicationRecorder
    mapper: Mapper[UUID]
    config: RuleConfig

    @property
    def repository(self) -> Repository[UUID]: ...

    def today(self) -> date: ...


def find(source: EventSource, aggregate_id: UUID) -> Any:
    """The aggregate as it stands, or None."""
    try:
        return source.repository.get(aggregate_id)
    except AggregateNotFoundError:
        return None
