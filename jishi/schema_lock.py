"""One process at a time makes or upgrades the schema of a PostgreSQL store.

`jishi serve --workers 2` starts its workers together, and each opens the store: the event store's
recorder runs ``CREATE OR REPLACE FUNCTION`` and ``CREATE … IF NOT EXISTS``, the read models and the
ledger create their tables and indexes. PostgreSQL does not serialise these between sessions: two at
once fail with ``tuple concurrently updated`` (a worker dies on start). A session-level advisory lock
held on a connection of its own around the schema work makes the second process wait for the first
and then find everything made. SQLite needs nothing: its writers already take the file's lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from jishi.settings import Settings

__all__ = ["SCHEMA_LOCK_KEY", "schema_lock"]

SCHEMA_LOCK_KEY = 0x6A69_7368_6900  # "jishi" — the advisory lock's key, one per database


@contextmanager
def schema_lock(settings: Settings) -> Iterator[None]:
    """Hold the store's schema lock (PostgreSQL) while the body runs; nothing on SQLite."""
    if not settings.database_url:
        yield
        return
    import psycopg

    url = settings.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_KEY,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))
