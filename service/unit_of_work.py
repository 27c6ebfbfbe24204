"""The unit of work: everything a command reads and saves, owned by that command alone.

``UnitOfWork`` is made for one command: it loads each aggregate once (the command sees one
consistent state of it), checks the idempotency key, and saves what the handler changed — with the
key's record — in one atomic transaction. A concurrent save of the same streams fails as a whole
(409), so nothing half-written is ever stored.

``Batch`` is the bulk mode (the demo generator, migrations): an explicit object its one caller
owns, which keeps aggregates in memory across commands and saves them ``size`` commands at a time.
``DryRun`` is a batch that never saves: the commands run their guards and handlers against the record
as the earlier commands of the run left it, and nothing is stored (an import's dry run).
Nothing of a command lives on the shared application object.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import OrderedDict
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

import orjson
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording

from domain import ids
from domain.errors import ConcurrencyError, IdempotencyConflictError, NotFoundError
from domain.recorded import RecordedEvent
from service.commands import Command
from service.idempotency import IdempotencyRecord, KeyUsed
from service.positions import position_of
from service.results import CommandResult, Recorded

if TYPE_CHECKING:
    from service.application import Jishi

A = TypeVar("A", bound=Aggregate)


def fingerprint(command: Command) -> str:
    """The idempotency fingerprint: the command's name and payload (sorted keys)."""
    return hashlib.sha256(orjson.dumps([command.fingerprint_name(), command.fingerprint_payload()],
                                       default=str, option=orjson.OPT_SORT_KEYS)).hexdigest()


class UnitOfWork:
    """One command's reads and its one atomic save."""

    def __init__(self, app: Jishi) -> None:
        self.app = app
        self._loaded: dict[UUID, Aggregate | None] = {}

    def _load(self, aggregate_id: UUID) -> Aggregate | None:
        try:
            found: Aggregate = self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate, loaded once for this unit of work; None if absent or of another kind."""
        if aggregate_id not in self._loaded:
            self._loaded[aggregate_id] = self._load(aggregate_id)
        found = self._loaded[aggregate_id]
        return found if isinstance(found, cls) else None

    def get(self, cls: type[A], aggregate_id: UUID, missing: str) -> A:
        found = self.find(cls, aggregate_id)
        if found is None:
            raise NotFoundError(missing)
        return found

    def version_is(self, aggregate: Aggregate, expected: int | None) -> None:
        """Optimistic concurrency: the stream must still be at the version the caller saw."""
        if expected is not None and aggregate.version != expected:
            raise ConcurrencyError(f"记录已被修改 (stale expected_version): expected "
                                   f"{expected}, now {aggregate.version}")

    # ——— idempotency and the save ———

    def replay(self, command: Command) -> CommandResult | None:
        """The first result of a key already used with this command; 409 if used for another."""
        if command.idempotency_key is None:
            return None
        record = self.find(IdempotencyRecord, ids.idempotency_id(command.idempotency_key))
        if record is None:
            return None
        if record.fingerprint != fingerprint(command):
            raise IdempotencyConflictError(
                "该幂等键已用于另一请求 (Idempotency-Key already used for another request)")
        result = record.result
        position = self._position_of(UUID(result["stream_id"]), int(result["version"]))
        return replace(CommandResult.from_dict(result, position), replayed=True)

    def _position_of(self, stream_id: UUID, version: int) -> int:
        return position_of(self.app.recorder, stream_id, version)

    def _key_record(self, command: Command, recorded: Recorded) -> IdempotencyRecord | None:
        key = command.idempotency_key
        if key is None:
            return None
        event = recorded.event
        record: IdempotencyRecord = IdempotencyRecord._create(
            KeyUsed, id=ids.idempotency_id(key), key=key, fingerprint=fingerprint(command),
            result={"entry_id": str(event.entry_id), "stream_id": str(event.originator_id),
                    "version": event.originator_version, "recorded_at": event.timestamp.isoformat(),
                    "overrides": list(event.overrides), **recorded.extra})
        return record

    def commit(self, command: Command, recorded: Recorded) -> CommandResult:
        """Save the changed aggregates and the key's record in one transaction."""
        key_record = self._key_record(command, recorded)
        try:
            recordings = self.app.save(*recorded.changed, key_record)
        except IntegrityError:
            replay = self.replay(command) if command.idempotency_key is not None else None
            if replay is not None:
                return replay
            raise ConcurrencyError("记录已被他人同时修改，请重试 (changed concurrently: retry)") from None
        return _result(recordings, recorded)

    def close(self) -> None:
        """A one-command unit of work keeps nothing."""
        self._loaded.clear()


def _result(recordings: list[Recording[UUID]], recorded: Recorded) -> CommandResult:
    event = recorded.event
    position = next(r.notification.id for r in recordings
                    if r.domain_event.originator_id == event.originator_id
                    and r.domain_event.originator_version == event.originator_version)
    return CommandResult(event.entry_id, event.originator_id, event.originator_version,
                         position, event.timestamp, event.overrides, recorded.extra)


class Batch(UnitOfWork):
    """Bulk mode for one writer (the demo generator, a migration; no other process writing meanwhile).

    Every command runs its guards exactly as usual, but the aggregates it changes are saved ``size``
    commands at a time in one atomic transaction, in the order their events were triggered, and up to
    ``keep`` aggregates stay in memory so the next command does not replay them. Results carry
    ``position`` 0 (known only when the transaction commits). ``flush()`` saves what is pending;
    leaving the ``with`` block normally flushes, an exception drops what is pending.
    """

    def __init__(self, app: Jishi, size: int = 500, keep: int = 20_000) -> None:
        super().__init__(app)
        self.size, self.keep = max(1, size), max(1, keep)
        self._cache: OrderedDict[UUID, Aggregate | None] = OrderedDict()
        self._dirty: dict[UUID, Aggregate] = {}
        self._pending = 0

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: Any) -> None:
        if kind is None:
            self.flush()
        self._cache.clear()
        self._dirty.clear()
        self._pending = 0

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        if aggregate_id in self._cache:
            self._cache.move_to_end(aggregate_id)
        else:
            self._cache[aggregate_id] = self._load(aggregate_id)
        found = self._cache[aggregate_id]
        return found if isinstance(found, cls) else None

    def _position_of(self, stream_id: UUID, version: int) -> int:
        """0 while the stream waits in this batch (as the first result said), else its stored position."""
        return 0 if stream_id in self._dirty else super()._position_of(stream_id, version)

    def commit(self, command: Command, recorded: Recorded) -> CommandResult:
        key_record = self._key_record(command, recorded)
        for aggregate in (*recorded.changed, *((key_record,) if key_record else ())):
            self._cache[aggregate.id] = aggregate
            self._cache.move_to_end(aggregate.id)
            self._dirty[aggregate.id] = aggregate
        self._pending += 1
        if self._pending >= self.size:
            self.flush()
        event: RecordedEvent = recorded.event
        return CommandResult(event.entry_id, event.originator_id, event.originator_version, 0,
                             event.timestamp, event.overrides, recorded.extra)

    def flush(self) -> None:
        """Save what is pending (one transaction); forget the oldest cached aggregates."""
        if self._dirty:  # in the order the events were triggered, as one command at a time would
            streams = [aggregate.collect_events() for aggregate in self._dirty.values()]
            self.app.save(*heapq.merge(*streams, key=lambda event: event.timestamp))
        self._dirty, self._pending = {}, 0
        while len(self._cache) > self.keep:
            self._cache.popitem(last=False)

    def close(self) -> None:
        """A batch keeps its aggregates across commands (until it leaves its ``with`` block)."""


class DryRun(Batch):
    """A batch that never saves (an import's dry run): every command runs jurisdiction, idempotency,
    handler and guards exactly as in a real run, each against the record as the earlier commands of the
    run left it in memory; nothing is written to the store, whatever happens. Results carry position 0."""

    def __init__(self, app: Jishi) -> None:
        super().__init__(app, size=1, keep=1)

    def flush(self) -> None:
        """Nothing is saved; what the run changed stays in memory (never evicted) until the run ends."""
        self._pending = 0
