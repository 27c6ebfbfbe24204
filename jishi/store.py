"""Whether a store exists, and making one (`jishi init`).

A store is the event store (``events.sqlite`` in the data directory, or the ``jishi_events`` table of
the PostgreSQL database), its read models and the ledger's signing key. Only ``jishi init``,
``jishi demo`` and ``jishi serve`` make one; every other command opens an existing store and, when
there is none, says where it looked and what to run — writing nothing, not even a key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from jishi.cipher import CIPHER_KEY_FILE
from jishi.settings import Settings
from ledger.keys import KEY_FILE_NAME, public_key_hex
from service.application import Jishi

__all__ = ["EVENTS_FILE", "EVENTS_TABLE", "KEY_FILE_NAME", "READ_FILE", "Initialised", "NoStore", "init_store",
           "require_store", "store_exists", "where"]

EVENTS_FILE = "events.sqlite"  # the SQLite event store in the data directory (jishi/settings.py)
READ_FILE = "read.sqlite"
EVENTS_TABLE = f"{Jishi.name.lower()}_events"  # the eventsourcing library's table on PostgreSQL


class NoStore(Exception):
    """The configured place holds no Jishi store (and the command may not make one)."""

    def __init__(self, settings: Settings) -> None:
        self.where = where(settings)
        super().__init__(
            f"{self.where} 中没有纪实数据库：运行 `jishi init` 新建空库，或运行 `jishi demo` 生成演示数据 "
            f"(no Jishi store in {self.where}: run `jishi init` for an empty store or `jishi demo` for demo data, "
            f"or point JISHI_DATA_DIR at an existing one)")


def where(settings: Settings) -> str:
    """Where the store lives, for messages: the data directory, or the database (no password)."""
    if settings.database_url is None:
        return str(settings.data_dir.absolute())
    url = urlparse(settings.database_url)
    return f"PostgreSQL {url.hostname or 'localhost'}:{url.port or 5432}/{url.path.lstrip('/')}"


def store_exists(settings: Settings) -> bool:
    """The event store is there: the SQLite file, or the events table in the PostgreSQL database.
    Looking creates nothing."""
    if settings.database_url is None:  # an empty file is made 0600 before SQLite opens it (jishi/cipher.py)
        path = settings.data_dir / EVENTS_FILE
        return path.is_file() and path.stat().st_size > 0
    from sqlalchemy import inspect

    from projections.db import make_engine

    engine = make_engine(settings.sqlalchemy_url())
    try:
        return inspect(engine).has_table(EVENTS_TABLE)
    finally:
        engine.dispose()


def require_store(settings: Settings) -> None:
    if not store_exists(settings):
        raise NoStore(settings)


@dataclass(frozen=True)
class Initialised:
    """What `init_store` found or made."""

    where: str
    created: bool  # the event store was made now
    key_path: Path | None  # None: the key is JISHI_LEDGER_KEY's
    key_created: bool
    public_key: str  # hex: what an auditor keeps
    cipher_key_path: Path | None = None  # None: JISHI_CIPHER_KEY's, or JISHI_CIPHER=none
    cipher_key_created: bool = False


def init_store(settings: Settings) -> Initialised:
    """Make the store — event store, read models, ledger key — where it is missing; leave what is
    there as it is (running it again changes nothing)."""
    from jishi.bootstrap import build_runtime

    created = not store_exists(settings)
    key_path = None if settings.ledger_key else settings.data_dir / KEY_FILE_NAME
    key_created = key_path is not None and not key_path.exists()
    cipher_path = None if settings.cipher_key or settings.cipher == "none" else settings.data_dir / CIPHER_KEY_FILE
    cipher_created = cipher_path is not None and not cipher_path.exists()
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    runtime = build_runtime(settings)  # creates the tables and the key where they are missing
    try:
        public_key = public_key_hex(runtime.ledger.signing_key)
    finally:
        runtime.close()
    return Initialised(where(settings), created, key_path, key_created, public_key, cipher_path,
                       cipher_created and cipher_path is not None and cipher_path.exists())
