"""The background follower of a server: applies what other writers stored, and re-evaluates the
findings when the date changes (the yearly monitors gain a period when the year turns).

It looks at the store's head every ``interval`` (one indexed ``max`` of the notification ids; nothing
is locked, no transaction is opened on the read models) and catches up only when the head moved past
what it last reached: a commit by another process is applied within one interval of it, and an idle
server costs one cheap query per interval. (Before 2026-12-07 it ran a whole catch-up — a locked
page transaction and the ledger's sync — every 0.5 s, moved or not.)
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from projections.runner import ProjectionRunner

log = logging.getLogger("jishi.follower")

INTERVAL = 0.05  # seconds between looks at the store's head: a commit elsewhere waits at most this long


class Follower:
    def __init__(self, runner: ProjectionRunner, interval: float = INTERVAL) -> None:
        self.runner, self.interval = runner, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.reached = -1  # the position the last catch-up of this follower reached (-1: none yet)
        self.woken = 0  # how many catch-ups it ran (a moved head, or the date turned)

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
        """One look at the head: catch up if it moved past what this follower reached; whether it did."""
        if self.runner.head() <= self.reached:
            return False
        self.woken += 1
        self.reached = self.runner.catch_up()
        return True

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
