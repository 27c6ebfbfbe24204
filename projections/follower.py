"""The background follower of a server: applies what other writers stored, and re-evaluates the
findings when the date changes (the yearly monitors gain a period when the year turns)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from projections.runner import ProjectionRunner


class Follower:
    def __init__(self, runner: ProjectionRunner, interval: float = 0.5) -> None:
        self.runner, self.interval = runner, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="projection-follower", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        day = self.runner.findings.horizon()
        while not self._stop.wait(self.interval):
            try:
                self.runner.catch_up()
                if self.runner.findings.horizon() != day:
                    day = self.runner.findings.horizon()
                    self.runner.refresh_findings()
            except Exception:
                continue

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
