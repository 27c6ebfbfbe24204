"""The background follower of a server: applies what other writers stored, and re-evaluates the
findings when the date changes (the yearly monitors gain a period when the year turns).

It looks at the store's head every ``interval`` (one indexed ``max`` of the notification ids; nothing
is locked, no transaction is opened on the read models) and catches up only when the head moved past
what it last reached: a commit by another process is applied within one interval of it, and an idle
server costs one cheap query per interval. (Before 2026-12-07 it ran a whole catch-up — a locked
page transaction and the ledger's sync — every 0.5 s, moved or not.)

Records of reads alone (查阅留痕: growth-file and bulk reads) change no roster and no growth file, only the
audit trail and the ledger; a server under reads stores some every few milliseconds. When every record
past what the follower reached is a read, it waits up to ``reads_wait`` seconds from the first look that
saw them (or until ``MAX_WAITING_READS`` are waiting) and then applies them all in one catch-up, instead of
one catch-up a look: each catch-up has a fixed cost (a locked page transaction and a ledger page) whatever
it applies. Any other record is applied at its first look, with the reads before it; a request's own
read-your-writes catch-up is not affected. Each new record's topic is read once per follower.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from domain.bulk_reads import BulkRead
from domain.users import GrowthFileRead
from projections.topics import last_other

if TYPE_CHECKING:
    from projections.runner import ProjectionRunner

log = logging.getLogger("jishi.follower")

INTERVAL = 0.05  # seconds between looks at the store's head: a commit elsewhere waits at most this long
READS_WAIT = 0.25  # seconds reads alone may wait for their catch-up (audit rows, ledger leaves)
MAX_WAITING_READS = 500  # ... or until this many wait (well below /readyz's default lag of 1,000 events)
READ_TOPICS = (GrowthFileRead.TOPIC, BulkRead.TOPIC)  # records that change only the audit trail


class Follower:
    def __init__(self, runner: ProjectionRunner, interval: float = INTERVAL, *, reads_wait: float = READS_WAIT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.runner, self.interval, self.reads_wait, self.clock = runner, interval, reads_wait, clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.reached = -1  # the position the last catch-up of this follower reached (-1: none yet)
        self.woken = 0  # how many catch-ups it ran (a moved head, or the date turned)
        self._reads_through = -1  # every record after ``reached`` up to here is a read
        self._reads_since: float | None = None  # when a look first found reads alone waiting

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="projection-follower", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        day, failing = self.runner.findings.horizon(), False
        while not self._stop.wait(self.interval):
            try:
                self.tick()
                today = self.runner.findings.horizon()
                if today != day:
                    self.runner.refresh_findings()
                    day = today  # only once done: a refresh that failed is tried again at the next look
            except Exception:  # the store or read models unreachable a moment: tried again next interval
                if not failing:  # once per outage, not twenty times a second
                    log.warning("the follower could not catch up; trying again every %s s", self.interval,
                                exc_info=True)
                failing = True
            else:
                if failing:
                    log.info("the follower caught up again")
                failing = False

    def tick(self) -> bool:
        """One look at the head: catch up if it moved past what this follower reached — at once, or, when
        only reads arrived, once they waited ``reads_wait`` seconds; whether it caught up."""
        head = self.runner.head()
        if head <= self.reached:
            return False
        if self._reads_may_wait(head):
            return False
        self.woken += 1
        self.reached = self.runner.catch_up()
        self._reads_since = None
        return True

    def _reads_may_wait(self, head: int) -> bool:
        """Whether every record after ``reached`` up to ``head`` is a read and they have not waited long enough."""
        if self.reads_wait <= 0 or self.reached < 0 or head - self.reached > MAX_WAITING_READS:
            return False
        after = max(self.reached, self._reads_through)  # each record's topic is looked at once
        if last_other(self.runner.app.recorder, after, head, READ_TOPICS) >= 0:
            return False
        self._reads_through = head
        now = self.clock()
        if self._reads_since is None:
            self._reads_since = now
        return now - self._reads_since < self.reads_wait

    def stop(self) -> None:
        """Stop looking; reads still waiting for their catch-up are applied now (a server shutting down
        leaves no audit row for a later start to add)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._reads_since is not None:
            try:
                self.reached = self.runner.catch_up()
                self._reads_since = None
            except Exception:  # the next start's catch-up applies them
                log.warning("the follower could not apply the reads waiting at its stop", exc_info=True)
