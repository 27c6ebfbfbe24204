"""What checking a token or a session costs now that every worker re-syncs its cache with the store
every half second (issue 21: a disabled user or re-issued token stops working within a second).

    python -m bench.auth_sync [--events 20000] [--calls 20000] [--data-dir DIR] [--database-url URL]

Measures, on a store holding ``--events`` events: a cached ``authenticate`` (the per-request path),
the sync itself (``max_notification_id`` and, when the store moved, the range query on the
notification index that looks for a user change), and a session-table look-up by id.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

from domain.recorded import Provenance
from jishi.bootstrap import build_runtime
from jishi.settings import Settings
from service.sessions import Limits, SessionStore
from service.token_cache import USER_CHANGES, _cache_for
from service.users import add_user, authenticate, record_read

BY = Provenance("bench", "admin", "bench")


def timed(fn: Callable[[], object], calls: int) -> float:
    """Median microseconds per call over batches of 100."""
    batches = []
    for _ in range(max(1, calls // 100)):
        started = time.perf_counter()
        for _ in range(100):
            fn()
        batches.append((time.perf_counter() - started) / 100 * 1e6)
    return statistics.median(batches)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="jishi-auth-sync-"))
    runtime = build_runtime(Settings(data_dir=data_dir, database_url=args.database_url))
    app = runtime.app
    try:
        token = add_user(app, "bench-user", "auditor", False, BY)
        for _ in range(args.events):  # growth-file reads: events that are no user change
            record_read(app, uuid4(), BY)
        authenticate(app, token)
        _cache_for(app)
        cached = timed(lambda: authenticate(app, token), args.calls)
        head = app.recorder.max_notification_id() or 0
        max_id = timed(lambda: app.recorder.max_notification_id(), args.calls // 10)
        window = timed(lambda: app.recorder.select_notifications(max(1, head - 200), 1, stop=head,
                                                                   topics=USER_CHANGES), args.calls // 10)
        store = SessionStore(runtime.read_models.engine, runtime.runner.engine,
                             Limits(1800.0, 28800.0, 3, 5, 20, 900.0))
        session_id, _ = store.create("bench-user")
        lookup = timed(lambda: store.get(session_id), args.calls // 10)
        print(f"store: {runtime.settings.backend}, {head:,} events")
        print(f"authenticate, cached (per request):            {cached:8.1f} µs")
        print(f"max_notification_id (per worker per 0.5 s):   {max_id:8.1f} µs")
        print(f"user-change query over the last 200 events:   {window:8.1f} µs")
        print(f"session look-up by id (per page request):     {lookup:8.1f} µs")
        print(f"sync share of one worker's time: {(max_id + window) / 0.5e6 * 100:.3f} %")
    finally:
        runtime.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
