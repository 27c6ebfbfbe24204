"""A cache of rendered JSON answers (roster, growth file), keyed by the read models' version and by
everything else that decides the answer; ``ETag`` / ``If-None-Match`` → ``304 Not Modified``.

**What decides an answer.** The route and its path parameters, ``as_of`` (the default "today" resolved:
the answer changes at midnight Beijing time), ``known_at``, the caller's scope (管辖范围) and whether the
caller's role sees sensitive fields unmasked — and what the read models hold. That last part is
:class:`ReadVersion`: the position the projections have applied, counted only at the records that can
change what a reader sees (a growth-file read or a bulk read, ``jishi.audit.*``, and the idempotency keys,
``jishi.system.*``, change no roster and no growth file: otherwise every recorded read would empty the
cache), plus a fingerprint of the findings (re-evaluated when the day turns without a new record).
The version is read from the database for every request (one small query through the driver's connection,
without SQLAlchemy's layers around it), so a write by another worker
process, a catch-up of the follower, ``jishi findings-refresh`` or a rebuild all change the key at once.
On PostgreSQL the threads of a process share that query (:class:`SharedRead`): a request takes the answer
of a query that *started after it arrived*, never of one already running, so it still sees every write
committed before it came — one round trip serves a whole group of concurrent requests. Since at most one
such query runs at a time, it has a connection of its own (:class:`OwnConnection`: no pool checkout and
no pre-ping round trip before it, the statement prepared on the server once).

**What is kept.** The answer serialised once by orjson (validated against its response model on the
miss, as FastAPI would) and its ``ETag`` (a digest of those bytes): a hit costs a dictionary look-up.
An LRU with a byte budget per worker process; entries of an older version are never looked up again and
age out. Nothing of a request is kept on the shared objects: the cache maps keys to immutable answers,
under a lock.

**What is sent.** ``Cache-Control: private, no-cache`` and ``Vary: Authorization``: a shared cache
(a proxy) must never keep an answer meant for one user's scope, and a browser must ask again each time —
every growth-file read is recorded (查阅留痕), also the ones answered ``304``.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from pydantic import TypeAdapter
from sqlalchemy import Engine, func, select
from starlette.requests import Request
from starlette.responses import Response

from api.responses import dumps
from projections.models import NEVER, FindingRow, Position
from projections.source import EventSource
from projections.topics import last_other

if TYPE_CHECKING:
    from jishi.bootstrap import Runtime

__all__ = ["CACHE_CONTROL", "Cached", "OwnConnection", "ReadVersion", "ResponseCache", "SharedRead", "cached_json",
           "etag_matches", "install"]

T = TypeVar("T")

CACHE_CONTROL = "private, no-cache"
NOT_CONTENT = ("jishi.audit.", "jishi.system.")  # records of reads, users, idempotency keys: no roster, no file
SCAN_LIMIT = 20_000  # a longer gap is not read through: it counts as a change


@dataclass(frozen=True)
class Cached:
    """One rendered answer: its bytes and their ``ETag``."""

    body: bytes
    etag: str

    @classmethod
    def of(cls, body: bytes) -> Cached:
        return cls(body, '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"')


class ResponseCache:
    """A least-recently-used map of answers within a byte budget; safe from many threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Cached] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        return self._bytes

    def get(self, key: Hashable) -> Cached | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, answer: Cached) -> None:
        cost = len(answer.body) + 200  # the key and the entry's bookkeeping, roughly
        if cost > self.max_bytes // 8:  # one huge answer must not flush everything else
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body) + 200
            self._entries[key] = answer
            self._bytes += cost
            while self._bytes > self.max_bytes and self._entries:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body) + 200

    def answer(self, key: Hashable, build: Callable[[], Any], model: TypeAdapter[Any]) -> Cached:
        """The cached answer for ``key``, or ``build()`` validated by ``model``, rendered and kept."""
        found = self.get(key)
        if found is None:
            value = model.validate_python(build())
            found = Cached.of(dumps(model.dump_python(value, mode="json", by_alias=True)))
            self.put(key, found)
        return found


class SharedRead(Generic[T]):
    """``read()`` for many threads with at most one ``read()`` running at a time: a caller waits for a
    read that started after it called, and takes its result (or starts it, if none is running).

    Like a group commit, but for a read: every caller gets a result at least as new as the moment it
    called — a read already running when it arrived may have missed a commit just before, so it is
    never taken — while N concurrent callers cost about one read instead of N (each a pool checkout and
    round trips to the server). A read that raises raises in the caller that ran it; the callers that
    waited for it start the next one."""

    def __init__(self, read: Callable[[], T]) -> None:
        self._read = read
        self._cond = threading.Condition()
        self._started = 0  # reads started so far (the number of the latest)
        self._done = 0  # the number of the newest read that finished and gave ``_result``
        self._running = False
        self._result: T | None = None

    def __call__(self) -> T:
        with self._cond:
            wanted = self._started + 1  # the first read to start from now on
            while self._running and self._done < wanted:
                self._cond.wait()
            if self._done >= wanted:  # a read that started after this call has finished
                return cast(T, self._result)
            self._running = True
            self._started += 1
            number = self._started
        ok = False
        try:
            value = self._read()
            ok = True
        finally:
            with self._cond:
                self._running = False
                if ok:
                    self._done, self._result = number, value
                self._cond.notify_all()
        return value


class OwnConnection:
    """PostgreSQL: one read-only statement run on a connection of this object's own, taken out of the
    engine's pool (``detach``) and in autocommit — one statement, one snapshot, one round trip (the pool's
    checkout would add its pre-ping). The statement is prepared on the server (``prepare=True``). A
    connection that fails (the server restarted, the network dropped it) is closed and the statement tried
    once more on a new one, as the pool's pre-ping would have replaced it; a second failure raises. Calls
    are serialised by a lock (:class:`SharedRead` already runs one at a time); the connection is closed
    by ``close()`` or when this object is collected."""

    def __init__(self, engine: Engine, sql: str, args: Any) -> None:
        self.engine, self._sql, self._args = engine, sql, args
        self._conn: Any = None  # a psycopg connection, made at the first call
        self._lock = threading.Lock()
        self._closer: weakref.finalize[Any, OwnConnection] | None = None

    def __call__(self) -> tuple[Any, ...]:
        import psycopg

        with self._lock:
            try:
                return self._run()
            except (psycopg.OperationalError, psycopg.InterfaceError):
                self._drop()
            try:
                return self._run()  # on a new connection
            except BaseException:
                self._drop()
                raise

    def _run(self) -> tuple[Any, ...]:
        conn = self._conn if self._conn is not None else self._connect()
        return tuple(conn.execute(self._sql, self._args, prepare=True).fetchone())

    def _connect(self) -> Any:
        fairy = self.engine.raw_connection()
        conn: Any = fairy.driver_connection
        fairy.detach()  # this object's own from now on: closing it closes it, the pool may open another
        conn.autocommit = True
        self._conn = conn
        self._closer = weakref.finalize(self, conn.close)
        return conn

    def _drop(self) -> None:
        if self._closer is not None:
            self._closer()  # closes the connection (once)
        self._conn = self._closer = None

    def close(self) -> None:
        with self._lock:
            self._drop()


class ReadVersion:
    """What the read models hold, as a value that changes whenever a roster or a growth file may.

    ``current()`` reads the projections' position and the findings' fingerprint in one query, then
    maps the position to the last *content* position at or before it: the topics of the records since
    the last call are read once (under a lock, shared by the threads of the process)."""

    def __init__(self, engine: Engine, source: EventSource) -> None:
        self.engine, self.source = engine, source
        self._sql, self._args = _version_query(engine)
        # PostgreSQL: a query is a round trip to another process, shared by the threads of a worker (see
        # SharedRead) on a connection of its own; SQLite reads its file in-process and needs no sharing.
        self._sqlite = engine.dialect.name == "sqlite"
        self._own = OwnConnection(engine, self._sql, self._args) if engine.dialect.name == "postgresql" else None
        self._position_and_findings: Callable[[], tuple[Any, ...]] = (
            SharedRead(self._own) if self._own is not None else self._query)
        self._lock = threading.Lock()
        self._checked = -1  # the position read through
        self._content = -1  # the last position there whose record may change an answer
        self._epoch = 0  # counts the times the position went back (a rebuild)

    def current(self) -> tuple[int, int, int, Any]:
        position, last_finding, last_closed = self._position_and_findings()
        epoch, content = self._content_at(int(position or 0))
        return epoch, content, int(last_finding or 0), last_closed

    def close(self) -> None:
        """Close the version query's own connection (PostgreSQL); a later ``current()`` opens another."""
        if self._own is not None:
            self._own.close()

    def _query(self) -> tuple[Any, ...]:
        if self._sqlite:  # through the pooled driver connection: SQLAlchemy's connection and result around one
            raw = self.engine.raw_connection()  # small SELECT cost ≈ 50 µs, the SELECT itself ≈ 6 µs
            try:
                cursor = raw.cursor()  # autocommit (projections/db.py): one statement, one snapshot
                try:
                    position, last_finding, last_closed = cursor.execute(self._sql, self._args).fetchone()
                finally:
                    cursor.close()
            finally:
                raw.close()  # back to the pool
            return position, last_finding, last_closed
        with self.engine.connect() as conn:  # another dialect
            position, last_finding, last_closed = conn.exec_driver_sql(self._sql, self._args).one()
        return position, last_finding, last_closed

    def _content_at(self, position: int) -> tuple[int, int]:
        """The version at ``position``. The position is read before the lock is taken, so under load a thread
        often brings one a little older than another thread's already read through: at or after the last
        content position it is the same version (the records between are no content). Only a position
        before the last content record means the read models went back (a rebuild): a new epoch."""
        with self._lock:
            if position < self._content:
                self._epoch += 1
                self._checked = self._content = position
            elif self._checked < 0 or position - self._checked > SCAN_LIMIT:
                self._checked = self._content = position
            elif position > self._checked:
                self._content = max(self._content, self._last_content(self._checked, position))
                self._checked = position
            return self._epoch, self._content

    def _last_content(self, after: int, until: int) -> int:
        return last_other(self.source.recorder, after, until, NOT_CONTENT)


def _version_query(engine: Engine) -> tuple[str, Any]:
    """The version's one query, compiled once for the engine's dialect (each request only runs it):
    the projections' position, the last finding row and the last finding closed."""
    query = select(select(func.min(Position.position)).scalar_subquery(),
                   select(func.max(FindingRow.id)).scalar_subquery(),
                   select(func.max(FindingRow.recorded_to)).where(FindingRow.recorded_to < NEVER).scalar_subquery())
    compiled = query.compile(dialect=engine.dialect)
    processor = FindingRow.__table__.c.recorded_to.type.dialect_impl(engine.dialect).bind_processor(engine.dialect)
    never = processor(NEVER) if processor is not None else NEVER
    if compiled.positional:
        return str(compiled), (never,) * len(compiled.positiontup or ())
    return str(compiled), dict.fromkeys(compiled.params, never)


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, RFC 9110 §13.1.2)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


def install(app: Any, runtime: Runtime) -> None:
    """The process's answer cache and read-model version, on ``app.state``."""
    app.state.response_cache = ResponseCache(runtime.settings.response_cache_bytes)
    app.state.read_version = ReadVersion(runtime.read_models.engine, runtime.app)


def cached_json(request: Request, key: tuple[Hashable, ...], build: Callable[[], Any],
                model: TypeAdapter[Any]) -> Response:
    """The answer for ``key`` at the read models' current version: from the cache or ``build()``;
    ``304`` with no body when the request's ``If-None-Match`` names it. An error ``build()`` raises
    (404 out of scope, 422) is raised as before and nothing is kept."""
    state = request.app.state
    cache: ResponseCache = state.response_cache
    version: ReadVersion = state.read_version
    found = cache.answer((version.current(), *key), build, model)
    headers = {"ETag": found.etag, "Cache-Control": CACHE_CONTROL, "Vary": "Authorization"}
    if etag_matches(request.headers.get("if-none-match"), found.etag):
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type="application/json", headers=headers)
