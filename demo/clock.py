"""Simulated recording time for generated history.

Demo data tell ten years of careers; for ``known_at`` to mean something, each entry must look
recorded when HR would have keyed it in, not all within the minute the generator ran. While
generating, the application's clock (R-FUTURE's "today") and the event timestamps
(``recorded_at``) both follow this clock: it only moves forward, so recorded time grows with
the global position, as it does in real use. The event timestamp comes from the eventsourcing
library's ``datetime_now_with_tzinfo``, which is swapped for the duration of ``recording`` and
restored after it (single-threaded generation only).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import eventsourcing.domain as es_domain

CHINA = timedelta(hours=8)
TICK = timedelta(microseconds=1)


class SimClock:
    """Monotonic simulated instants: working hours (09:00–17:00 Beijing) of the simulated day."""

    def __init__(self, start: date, ceiling: datetime) -> None:
        self.ceiling = ceiling  # never at or after the real now: later real writes come after
        self.instant = datetime.combine(start, time(1, 0), UTC)  # 09:00 in Beijing

    def at(self, day: date, minutes: int = 0) -> None:
        """Move to ``day`` at 09:00 Beijing + ``minutes`` (never backwards, never past the ceiling)."""
        wanted = datetime.combine(day, time(1, 0), UTC) + timedelta(minutes=minutes)
        wanted = min(wanted, self.ceiling)
        if wanted > self.instant:
            self.instant = wanted

    def now(self) -> datetime:
        """The next instant (strictly increasing, so events keep their recorded order)."""
        if self.instant + TICK < self.ceiling:
            self.instant += TICK
        return self.instant

    def today(self) -> date:
        return (self.instant + CHINA).date()


@contextmanager
def recording(app: Any, clock: SimClock) -> Iterator[None]:
    """Within the block, ``app.today()`` and every new event's timestamp follow ``clock``."""
    original_now, original_clock = es_domain.datetime_now_with_tzinfo, app.clock
    es_domain.datetime_now_with_tzinfo = clock.now
    app.clock = clock.now
    try:
        yield
    finally:
        es_domain.datetime_now_with_tzinfo = original_now
        app.clock = original_clock
