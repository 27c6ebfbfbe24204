"""查阅留痕 under load: the growth-file reads that arrive together are stored together.

Every growth-file read is recorded before its answer is sent (a read that cannot be recorded is not
served). Stored one by one, each read is a write transaction of its own, and under load the requests queue
for the store's one writer. Here a request hands its read to the process's :class:`ReadLog` and waits: the
first waiting request stores every read queued so far in one ``app.save`` (one transaction), the others wait
for it and then find theirs stored — or, if it failed, each fails as its own ``record_read`` would have
(group commit: nothing is answered before its read is stored, nothing waits longer than one transaction
behind the one under way). No thread of its own; the queue holds only reads not yet stored.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.recorded import Provenance
from service.users import read_record, record_time

__all__ = ["ReadLog"]

MAX_BATCH = 500  # reads stored in one transaction at most


@dataclass
class _Ticket:
    record: Any
    done: bool = False
    error: BaseException | None = None


class ReadLog:
    """The growth-file reads of one process, stored in batches; ``record`` is safe from many threads."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._pending: list[_Ticket] = []
        self._flushing = False
        self._changed = threading.Condition()

    def record(self, cadre_id: UUID, by: Provenance) -> datetime:
        """Record that ``by`` read the growth file of ``cadre_id`` (stored when this returns); when."""
        ticket = _Ticket(read_record(cadre_id, by))
        with self._changed:
            self._pending.append(ticket)
        while True:
            with self._changed:
                while not ticket.done and self._flushing:
                    self._changed.wait()
                if ticket.done:
                    return self._outcome(ticket)
                batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
                self._flushing = True  # this thread stores the batch (its own read is in it, or queued after)
            error: BaseException | None = None
            try:
                self.app.save(*(t.record for t in batch))
            except BaseException as failed:  # each waiting request fails as its own save would have
                error = failed
            with self._changed:
                for t in batch:
                    t.done, t.error = True, error
                self._flushing = False
                self._changed.notify_all()

    @staticmethod
    def _outcome(ticket: _Ticket) -> datetime:
        if ticket.error is not None:
            raise ticket.error
        return record_time(ticket.record)
