"""Read-model database: engine, declarative base, JSON-safe values."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import QueuePool

from projections.sealed import Sealer, attach


class Base(DeclarativeBase):
    pass


def jsonable(value: Any) -> Any:
    """Entry values as plain JSON (dates ISO, Decimals and UUIDs as text)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


SQLITE_POOL_SIZE = 40  # anyio's default worker threads, which run the synchronous routes
# An execution option: a writer engine's connection that only reads (the runner's positions, for its lag and
# /readyz) begins a plain snapshot transaction, so it never waits behind a page being applied.
READ_ONLY = "jishi_read_only"


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def _dumps(value: Any) -> str:
    return orjson.dumps(value, default=_default).decode()


def make_engine(url: str, *, writer: bool = False, sealer: Sealer | None = None) -> Engine:
    """An engine for the read models. On SQLite a ``writer`` engine begins every transaction
    with BEGIN IMMEDIATE, so the runner's read of its positions and its writes are one
    serialised unit (a connection with the ``READ_ONLY`` option only reads: plain BEGIN); readers use
    WAL and never block it. With a ``sealer`` the sensitive fields
    are sealed as they are written and opened as they are read (projections/sealed.py)."""
    engine = _engine(url, writer=writer)
    attach(engine.dialect, sealer)
    return engine


def _engine(url: str, *, writer: bool) -> Engine:
    if url.startswith("sqlite"):
        # A pool as large as the server's thread pool: connections beyond pool_size are closed on
        # return, and opening one (with its pragmas) cost ≈ 7 % of a roster request under load.
        engine = create_engine(url, json_serializer=_dumps, json_deserializer=orjson.loads,
                               connect_args={"timeout": 60, "check_same_thread": False}, poolclass=QueuePool,
                               pool_size=SQLITE_POOL_SIZE, max_overflow=SQLITE_POOL_SIZE)

        @event.listens_for(engine, "connect")
        def _pragmas(conn: Any, _: Any) -> None:
            conn.isolation_level = None  # we issue BEGIN ourselves
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            reading = conn.get_execution_options().get(READ_ONLY, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writer and not reading else "BEGIN")

        return engine
    return create_engine(url, json_serializer=_dumps, json_deserializer=orjson.loads,
                         pool_size=10, max_overflow=20, pool_pre_ping=True)
