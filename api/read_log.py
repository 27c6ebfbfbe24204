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
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.recorded import Provenance
from service.users import read_record, record_time

__all__ = ["ReadLog"]

MAX_BATCH = 500  # reads stored in one transaction at most


class _Ticket:
    """One request's read: its record, its one event, and a lock its thread sleeps on until it is woken —
    because the read is stored (or failed), or because it is this thread's turn to store the queue."""

    __slots__ = ("done", "error", "event", "record", "wake")

    def __init__(self, record: Any) -> None:
        self.record = record
        (self.event,) = record.collect_events()  # ``app.save`` of the event skips finding it in the aggregate
        self.done = False
        self.error: BaseException | None = None
        self.wake = threading.Lock()
        self.wake.acquire()


class ReadLog:
    """The growth-file reads of one process, stored in batches; ``record`` is safe from many threads.

    Each waiting thread sleeps on its own ticket and is woken once: when its read is stored, or when it
    is to store the queue next (a thread that stored a batch hands the turn to the oldest read waiting).
    Waking every waiting thread after each batch, most of them only to sleep again, cost the process more
    than the batch's bookkeeping under load."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._pending: list[_Ticket] = []
        self._flushing = False  # a thread is storing a batch, or has been handed the turn to store one
        self._lock = threading.Lock()

    def record(self, cadre_id: UUID, by: Provenance) -> datetime:
        """Record that ``by`` read the growth file of ``cadre_id`` (stored when this returns); when."""
        ticket = _Ticket(read_record(cadre_id, by))
        with self._lock:
            self._pending.append(ticket)
            turn = not self._flushing
            self._flushing = True
        if not turn:
            ticket.wake.acquire()  # woken once: stored (or failed), or handed the turn
            if ticket.done:
                return self._outcome(ticket)
        while True:  # this thread's turn: store what is queued (its own read is in it, or queued after)
            with self._lock:
                batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            error: BaseException | None = None
            try:
                self.app.save(*(t.event for t in batch))
            except BaseException as failed:  # each waiting request fails as its own save would have
                error = failed
            with self._lock:
                for t in batch:
                    t.done, t.error = True, error
                nxt = self._pending[0] if ticket.done and self._pending else None
                self._flushing = not ticket.done or nxt is not None
            for t in batch:
                if t is not ticket:
                    t.wake.release()
            if ticket.done:
                if nxt is not None:
                    nxt.wake.release()  # the oldest waiting read stores the next batch
                return self._outcome(ticket)

    @staticmethod
    def _outcome(ticket: _Ticket) -> datetime:
        if ticket.error is not None:
            raise ticket.error
        return record_time(ticket.record)
