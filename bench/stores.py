"""The stores the suite measures and its baselines at the store level: a fresh store per run (and fresh
copies for the import), the stored records a chunk at a time, the two import sinks (the library's
recorder, and the driver's executemany into a same-shaped table) and the scan-and-decode baseline of
the rebuild."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from jishi.bootstrap import Runtime
from jishi.settings import Settings


@contextmanager
def store(backend: str, data_dir: Path | None) -> Iterator[tuple[Settings, Callable[[], Settings]]]:
    """Settings for a fresh store, and a factory of further fresh stores (for the import copy)."""
    root = Path(tempfile.mkdtemp(prefix="jishi-bench-")) if data_dir is None else data_dir
    if backend == "postgres":
        from tests.pgserver import PostgresServer

        # a kept --data-dir keeps its cluster (in pg/) and its database, so reads can be measured again;
        # the keys go to main/ (made private: the server's user could not reach a cluster inside it)
        server = PostgresServer(None if data_dir is None else root / "pg").start()
        main = server.create_database(None if data_dir is None else "jishi_bench")
        keys = root if data_dir is None else root / "main"
        try:
            yield (Settings(data_dir=keys, database_url=server.url(main)),
                   lambda: Settings(data_dir=keys, database_url=server.url(server.create_database())))
        finally:
            server.stop()
            if data_dir is None:
                shutil.rmtree(root, ignore_errors=True)
        return
    counter = iter(range(1, 1000))
    try:
        yield Settings(data_dir=root / "main"), lambda: Settings(data_dir=root / f"copy{next(counter)}")
    finally:
        if data_dir is None:
            shutil.rmtree(root, ignore_errors=True)


def stored_chunks(runtime: Runtime, size: int = 50_000) -> Iterator[list[tuple[Any, ...]]]:
    """The stored records, a chunk at a time (never the whole log in memory)."""
    rows: list[tuple[Any, ...]] = []
    recorder, start = runtime.app.recorder, 1
    while page := recorder.select_notifications(start, limit=5000):
        rows += [(n.originator_id, n.originator_version, n.topic, n.state) for n in page]
        start = page[-1].id + 1
        if len(rows) >= size:
            yield rows
            rows = []
    if rows:
        yield rows


class RawSink:
    """The baseline: the same rows into a same-shaped table with the driver's executemany."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.database_url
        if self.url:
            import psycopg

            self.pg = psycopg.connect(self.url)
            self.pg.execute("CREATE TABLE raw_events (originator_id uuid, originator_version bigint, topic text, "
                            "state bytea, PRIMARY KEY (originator_id, originator_version))")
            self.pg.commit()
        else:
            import sqlite3

            settings.data_dir.mkdir(parents=True, exist_ok=True)
            self.path = settings.data_dir / "raw.sqlite"
            self.lite = sqlite3.connect(self.path)
            self.lite.execute("PRAGMA journal_mode=WAL")  # as the library's SQLite datastore does
            self.lite.execute("CREATE TABLE raw_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
                              "state BLOB, PRIMARY KEY (originator_id, originator_version))")  # rowid = position

    def insert(self, rows: list[tuple[Any, ...]], batch: int) -> float:
        if self.url:
            started = time.perf_counter()
            with self.pg.cursor() as cur:
                for i in range(0, len(rows), batch):
                    cur.executemany("INSERT INTO raw_events VALUES (%s, %s, %s, %s)", rows[i:i + batch])
                    self.pg.commit()
            return time.perf_counter() - started
        converted = [(r[0].hex, r[1], r[2], r[3]) for r in rows]  # the driver's types, outside the clock
        started = time.perf_counter()
        for i in range(0, len(converted), batch):
            self.lite.executemany("INSERT INTO raw_events VALUES (?,?,?,?)", converted[i:i + batch])
            self.lite.commit()
        return time.perf_counter() - started

    def close(self) -> None:
        if self.url:
            self.pg.close()
        else:
            self.lite.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class LibrarySink:
    """Bulk import at the store level: the same records through the library's recorder."""

    def __init__(self, settings: Settings) -> None:
        from jishi.bootstrap import build_application

        self.app = build_application(settings)

    def insert(self, rows: list[tuple[Any, ...]], batch: int) -> float:
        from eventsourcing.persistence import StoredEvent

        events = [StoredEvent(r[0], r[1], r[2], r[3]) for r in rows]
        started = time.perf_counter()
        for i in range(0, len(events), batch):
            self.app.recorder.insert_events(events[i:i + batch])
        return time.perf_counter() - started

    def close(self) -> None:
        self.app.close()


def scan_decode(runtime: Runtime, first: int = 1, last: int | None = None) -> tuple[int, float]:
    """The rebuild's (and a catch-up's) baseline: read the records ``first``..``last`` (default: the
    whole log) in pages, decrypt and decompress each (the store is encrypted at rest) and decode its
    JSON. The count and the seconds it took."""
    recorder, start, count = runtime.app.recorder, first, 0
    cipher, compressor = runtime.app.mapper.cipher, runtime.app.mapper.compressor
    started = time.perf_counter()
    while (last is None or start <= last) and (page := recorder.select_notifications(start, limit=1000, stop=last)):
        for note in page:
            state = note.state
            if cipher is not None:
                state = cipher.decrypt(state)
            if compressor is not None:
                state = compressor.decompress(state)
            orjson.loads(state)
        count += len(page)
        start = page[-1].id + 1
    return count, time.perf_counter() - started
