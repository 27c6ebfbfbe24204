"""Server-side sessions 会话 and sign-in failure counters, in the read-model database.

Why a table and not an event stream: a session changes on every page a person opens (the idle
timeout needs "last seen"), and a failure counter on every wrong password — state that is
transient, per-request and worthless after a few hours; an event per page view would bloat the
tamper-evident log. What matters to an auditor — sign-in, sign-out, refusal, lockout, password
and factor changes — *is* recorded as events (``domain/signin.py``); this table only says which
sessions are alive right now. It lives beside the read models (``read.sqlite`` or the PostgreSQL
database every worker shares), outside the projections' metadata, so a rebuild never touches it,
and every worker sees a logout or a disabled user's sessions vanish at once.

The cookie holds a random 256-bit session id; the table keys the session by its SHA-256, so a copy
of the database gives no live cookie. A session ends ``idle`` after its last use or ``absolute``
after sign-in, whichever comes first; "last seen" is written at most every ``TOUCH_SECONDS``.
``stage`` says what the person must still do before the session opens the pages: ``""`` (nothing),
``"enrol"`` (set up the second factor) or ``"password"`` (replace an initial password).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError

TOUCH_SECONDS = 30.0
MAX_DELAY_SECONDS = 60.0

metadata = MetaData()
session_table = Table(
    "web_session", metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user", String(64), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("stage", String(16), nullable=False, default=""),
    Column("pending_totp", String(64), nullable=False, default=""),  # a secret being enrolled
    Column("created_at", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
)
failure_table = Table(
    "signin_failure", metadata,
    Column("key", String(128), primary_key=True),  # "user:NAME" or "addr:ADDRESS"
    Column("failures", Integer, nullable=False),
    Column("last_at", Float, nullable=False),
    Column("next_at", Float, nullable=False),  # no attempt before this (progressive delay)
    Column("locked_until", Float, nullable=False),
)


@dataclass(frozen=True)
class SessionRow:
    user: str
    csrf: str
    stage: str
    pending_totp: str
    created_at: float
    last_seen: float


@dataclass(frozen=True)
class Limits:
    """Timeouts and failure thresholds (from ``jishi.settings.Settings``)."""

    idle_seconds: float
    absolute_seconds: float
    delay_after: int
    lockout_after: int
    address_lockout_after: int
    lockout_seconds: float


@dataclass(frozen=True)
class Gate:
    """Whether a sign-in may be tried now: ``locked_until`` / ``retry_at`` are epoch seconds (0: no)."""

    locked_until: float = 0.0
    retry_at: float = 0.0

    @property
    def open(self) -> bool:
        return not self.locked_until and not self.retry_at


def _digest(session_id: str) -> str:
    return hashlib.sha256(f"session:{session_id}".encode()).hexdigest()


class SessionStore:
    """Sessions and failure counters; ``clock`` (epoch seconds) is replaceable in tests."""

    def __init__(self, reader: Engine, writer: Engine, limits: Limits,
                 clock: Callable[[], float] = time.time) -> None:
        self.reader, self.writer, self.limits, self.clock = reader, writer, limits, clock
        try:
            metadata.create_all(writer)
        except DBAPIError:  # another worker created them at the same moment
            if not inspect(writer).has_table(session_table.name):
                raise

    # ——— sessions ———

    def create(self, user: str, stage: str = "") -> tuple[str, str]:
        """A new session for ``user``; returns (session id for the cookie, CSRF token)."""
        session_id, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(24), self.clock()
        with self.writer.begin() as conn:
            conn.execute(insert(session_table).values(id_hash=_digest(session_id), user=user, csrf=csrf,
                                                      stage=stage, pending_totp="", created_at=now,
                                                      last_seen=now))
        return session_id, csrf

    def get(self, session_id: str) -> SessionRow | None:
        """The live session with this id (its use recorded), or None — an ended one is deleted."""
        if not session_id or len(session_id) > 128:
            return None
        key = _digest(session_id)
        with self.reader.connect() as conn:
            row = conn.execute(select(session_table).where(session_table.c.id_hash == key)).first()
        if row is None:
            return None
        now = self.clock()
        if now - row.last_seen >= self.limits.idle_seconds or now - row.created_at >= self.limits.absolute_seconds:
            self.end(session_id)
            return None
        if now - row.last_seen >= TOUCH_SECONDS:
            with self.writer.begin() as conn:
                conn.execute(update(session_table).where(session_table.c.id_hash == key).values(last_seen=now))
        return SessionRow(row.user, row.csrf, row.stage, row.pending_totp, row.created_at, row.last_seen)

    def update(self, session_id: str, *, stage: str | None = None, pending_totp: str | None = None) -> None:
        values: dict[str, str] = {}
        if stage is not None:
            values["stage"] = stage
        if pending_totp is not None:
            values["pending_totp"] = pending_totp
        with self.writer.begin() as conn:
            conn.execute(update(session_table).where(session_table.c.id_hash == _digest(session_id)).values(**values))

    def end(self, session_id: str) -> None:
        with self.writer.begin() as conn:
            conn.execute(delete(session_table).where(session_table.c.id_hash == _digest(session_id)))

    def end_user(self, user: str) -> int:
        """End every session of ``user`` (disabled, password reset); returns how many."""
        with self.writer.begin() as conn:
            return conn.execute(delete(session_table).where(session_table.c.user == user)).rowcount or 0

    def count(self, user: str) -> int:
        with self.reader.connect() as conn:
            return len(conn.execute(select(session_table.c.id_hash).where(session_table.c.user == user)).all())

    # ——— failures: progressive delay and lockout per user and per address ———

    def gate(self, user: str, address: str) -> Gate:
        """Whether ``user`` may try to sign in from ``address`` now."""
        now = self.clock()
        locked, retry = 0.0, 0.0
        with self.reader.connect() as conn:
            rows = conn.execute(select(failure_table).where(
                failure_table.c.key.in_((f"user:{user}", f"addr:{address}")))).all()
        for row in rows:
            if row.locked_until > now:
                locked = max(locked, row.locked_until)
            elif row.next_at > now and not row.locked_until:
                retry = max(retry, row.next_at)
        return Gate(locked, 0.0 if locked else retry)

    def fail(self, user: str, address: str) -> float:
        """Count one failure for both; returns the time a lockout it caused lasts until (0: none).

        With ``f`` failures in a row the next attempt waits 2^(f − delay_after) seconds (from the
        ``delay_after``-th failure, at most a minute); the ``lockout_after``-th locks for
        ``lockout_seconds``. A lockout that ran out starts the count again."""
        limits, now, locked = self.limits, self.clock(), 0.0
        with self.writer.begin() as conn:
            for key, lock_at, delays in ((f"user:{user}", limits.lockout_after, True),
                                         (f"addr:{address}", limits.address_lockout_after, False)):
                row = conn.execute(select(failure_table).where(failure_table.c.key == key)).first()
                expired = row is not None and (0 < row.locked_until <= now
                                               or now - row.last_at >= limits.lockout_seconds)
                failures = 1 if row is None or expired else row.failures + 1
                next_at = now + min(math.pow(2, failures - limits.delay_after), MAX_DELAY_SECONDS) \
                    if delays and failures >= limits.delay_after else 0.0
                locked_until = now + limits.lockout_seconds if failures >= lock_at else 0.0
                locked = max(locked, locked_until)
                values = {"failures": failures, "last_at": now, "next_at": next_at, "locked_until": locked_until}
                if row is None:
                    conn.execute(insert(failure_table).values(key=key, **values))
                else:
                    conn.execute(update(failure_table).where(failure_table.c.key == key).values(**values))
        return locked

    def succeed(self, user: str) -> None:
        """A correct sign-in ends the user's run of failures (the address keeps its count)."""
        with self.writer.begin() as conn:
            conn.execute(delete(failure_table).where(failure_table.c.key == f"user:{user}"))

    def unlock(self, user: str) -> bool:
        """解除锁定 (admin): forget the user's failures; returns whether they were locked."""
        gate = self.gate(user, "")
        self.succeed(user)
        return bool(gate.locked_until)
