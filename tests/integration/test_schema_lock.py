"""Workers that open a new PostgreSQL store at the same moment (`jishi serve --workers 2`) all start:
the schema is made by one at a time (jishi/schema_lock.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from jishi.bootstrap import build_runtime
from jishi.schema_lock import SCHEMA_LOCK_KEY, schema_lock
from jishi.settings import Settings
from tests.pgserver import PostgresServer
from tests.together import at_once

pytestmark = pytest.mark.pg


@pytest.fixture
def pg_settings(pg_server: PostgresServer, tmp_path: Path) -> Iterator[Settings]:
    yield Settings(data_dir=tmp_path, database_url=pg_server.url(pg_server.create_database()))


def waiting_for_the_lock(settings: Settings) -> int:
    assert settings.database_url is not None
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                           " AND ((classid::bigint << 32) | objid::bigint) = %s", (SCHEMA_LOCK_KEY,)).fetchone()
    assert row is not None
    return int(row[0])


def test_a_second_process_waits_for_the_schema_lock_until_the_first_lets_it_go(pg_settings: Settings) -> None:
    order: list[str] = []
    second_in = threading.Event()

    def second() -> None:
        with schema_lock(pg_settings):
            order.append("second")
            second_in.set()

    with schema_lock(pg_settings):
        thread = threading.Thread(target=second)
        thread.start()
        while waiting_for_the_lock(pg_settings) == 0:  # the second session is queued on the lock
            assert not second_in.is_set()
        order.append("first done")
    thread.join(30)
    assert order == ["first done", "second"]


def test_the_schema_lock_is_nothing_on_sqlite(tmp_path: Path) -> None:
    entered = []
    with schema_lock(Settings(data_dir=tmp_path)), schema_lock(Settings(data_dir=tmp_path)):  # no waiting
        entered.append(True)
    assert entered == [True]


def test_four_workers_opening_a_new_postgresql_store_at_once_all_start(pg_settings: Settings) -> None:
    runtimes, errors = at_once(lambda: build_runtime(pg_settings), 4)
    try:
        assert errors == [] and len(runtimes) == 4
        assert {r.runner.positions()["units"] for r in runtimes} == {0}
    finally:
        for runtime in runtimes:
            runtime.close()
