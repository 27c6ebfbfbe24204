"""A per-user rate limit on reads and on writes (等保: resource control), 429 with ``Retry-After``.

A token bucket per (user, reads|writes): it holds up to a minute's allowance and refills at the
configured rate (``JISHI_RATE_READS`` / ``JISHI_RATE_WRITES`` per minute; 0 turns a limit off). Only an
authenticated request is counted — against the user it authenticated as — so nobody can spend another
user's allowance by naming them. The buckets live in the process: with ``--workers N`` a user may get
up to N times the rate, one allowance per worker.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from domain.errors import JishiError

__all__ = ["RateLimitedError", "RateLimiter", "is_write"]

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_write(method: str) -> bool:
    return method.upper() not in READ_METHODS


class RateLimitedError(JishiError):
    """Raised when a user has spent their allowance of reads or of writes for now."""

    title = "请求过于频繁 (too many requests)"

    def __init__(self, write: bool, per_minute: int, retry_after: float) -> None:
        kind, kind_en = ("写入", "writes") if write else ("查询", "reads")
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(f"每分钟最多 {per_minute} 次{kind}，请 {self.retry_after} 秒后再试 "
                         f"(at most {per_minute} {kind_en} a minute: retry in {self.retry_after} s)")


class RateLimiter:
    """The buckets of one process; ``spend`` is safe from many threads at once."""

    def __init__(self, reads_per_minute: int, writes_per_minute: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = {False: reads_per_minute, True: writes_per_minute}
        self.clock = clock
        self._buckets: dict[tuple[str, bool], tuple[float, float]] = {}  # (user, write) -> (tokens, at)
        self._lock = threading.Lock()

    def spend(self, user: str, write: bool) -> None:
        """Take one request from ``user``'s allowance, or raise ``RateLimitedError`` (nothing taken)."""
        per_minute = self.per_minute[write]
        if per_minute <= 0:
            return
        rate = per_minute / 60.0
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.get((user, write), (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - at) * rate)
            if tokens < 1.0:
                self._buckets[(user, write)] = (tokens, now)
                raise RateLimitedError(write, per_minute, (1.0 - tokens) / rate)
            self._buckets[(user, write)] = (tokens - 1.0, now)
