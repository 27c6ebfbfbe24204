"""The projection runner: tails the event store's notification log and applies each page of
events to the read models together with the tracking positions, in one transaction.

Exactly-once: a page's rows and positions commit together, and the positions are locked
and re-read at the start of every transaction (SELECT … FOR UPDATE on PostgreSQL, BEGIN
IMMEDIATE on SQLite), so two processes catching up at once never apply an event twice.

What one event does is the applier's (``projections/applier.py``); the bulk rebuild is
``projections/rebuild.py``, the background follower ``projections/follower.py``, the upkeep of the
database (tables, indexes, statistics) ``projections/maintenance.py``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import Connection, Engine, delete, select, update

from domain.cadre import Cadre
from projections import maintenance
from projections.applier import AggregateCache, EventApplier, naive_utc
from projections.calendar import CalendarFindings
from projections.db import READ_ONLY
from projections.findings import FindingsProjection
from projections.follower import INTERVAL, Follower
from projections.maintenance import ANALYZE_AFTER, PROJECTIONS, TABLES
from projections.models import NEVER, Position, SpanRow
from projections.sealed import sealer_of
from projections.source import EventSource
from projections.writer import Compiled, PageWriter

__all__ = ["PROJECTIONS", "TABLES", "ProjectionRunner", "naive_utc"]

Progress = Callable[[int, int], None]


class ProjectionRunner:
    def __init__(self, app: EventSource, engine: Engine, *, page_size: int = 500,
                 names: Sequence[str] = PROJECTIONS, horizon: Callable[[], date] | None = None,
                 rebuild_processes: int | None = None, reopen: Callable[[], EventSource] | None = None) -> None:
        self.app, self.engine, self.page_size = app, engine, page_size
        self._rebuild_processes = rebuild_processes  # None: min(2, cores)
        # how another process opens the same event store (picklable; None: only this process can, e.g. a
        # store in memory): a bulk rebuild's workers (projections/rebuild_workers.py) need it
        self.reopen = reopen
        self.names = tuple(names)
        sealer = sealer_of(engine.dialect)
        self.applier = EventApplier(app, self.names, FindingsProjection(app, horizon or app.today),
                                    signature_key=sealer.signature_key if sealer else b"")
        self._continuity = -1  # the position this runner last committed; else caches may be stale
        self._inserts: Compiled = {}  # the page writers' compiled INSERTs for this engine (immutable)
        self._lock = threading.Lock()
        self.after_catch_up: list[Callable[[], object]] = []  # e.g. the ledger's sync
        self._follower: Follower | None = None
        older = maintenance.missing_columns(engine)  # read models an earlier version built
        added = maintenance.prepare(engine)
        if older and max(self.positions().values(), default=0) > 0:
            self.rebuild()  # once: their sensitive values sealed, their signatures keyed, id_key filled
            maintenance.compact(engine)  # and the rows they replaced gone from the file
        elif added and max(self.positions().values(), default=0) >= ANALYZE_AFTER:
            maintenance.analyze(engine)  # read models built by an earlier version: plan with the new indexes

    @property
    def findings(self) -> FindingsProjection:
        return self.applier.findings

    @property
    def calendar(self) -> CalendarFindings:
        return self.applier.calendar

    @property
    def cache(self) -> AggregateCache:
        return self.applier.cache

    # ——— positions and lag ———

    def positions(self) -> dict[str, int]:
        """Each projection's position as last committed (a snapshot read: it never waits for a page being applied;
        the page itself reads them locked, ``locked_positions``)."""
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            return {r.name: r.position for r in conn.execute(select(Position))}

    def head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def lag(self) -> dict[str, int]:
        head = self.head()
        return {name: max(0, head - pos) for name, pos in self.positions().items()}

    def locked_positions(self, conn: Connection) -> dict[str, int]:
        query = select(Position)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        return {r.name: r.position for r in conn.execute(query) if r.name in self.names}

    # ——— applying ———

    def catch_up(self, until: int | None = None, progress: Progress | None = None) -> int:
        """Apply events until every projection reached `until` (default: the store's head)."""
        with self._lock:
            target = self.head() if until is None else until
            reached, applied = 0, 0
            while True:
                done, reached = self._page(target)
                applied += done
                if progress is not None:
                    progress(done, reached)
                if not done or reached >= target:  # no further page (and its transaction) to find nothing
                    break
            if applied >= ANALYZE_AFTER:
                maintenance.analyze(self.engine)
        for hook in self.after_catch_up:
            hook()
        return reached

    def _page(self, target: int) -> tuple[int, int]:
        try:
            return self._page_in_transaction(target)
        except BaseException:
            self.forget()  # the caches may hold state of the rolled-back page
            raise

    def forget(self) -> None:
        """Another process may have applied events: nothing cached is trusted."""
        self._continuity = -1
        self.applier.forget()

    def _page_in_transaction(self, target: int) -> tuple[int, int]:
        with self.engine.begin() as conn:
            positions = self.locked_positions(conn)
            start = min(positions.values())
            if start != self._continuity:  # another process applied events meanwhile
                self.forget()
            if start >= target:
                self._continuity = start
                return 0, start
            notes = self.app.recorder.select_notifications(start + 1, limit=self.page_size, stop=target)
            if not notes:
                return 0, start
            writer = PageWriter(self._inserts)
            for note in notes:
                self.applier.apply(conn, writer, note, positions)
            writer.flush(conn)
            last = notes[-1].id
            behind = [name for name, pos in positions.items() if pos < last]
            if behind:  # one statement for the page, whatever the number of projections
                conn.execute(update(Position).where(Position.name.in_(behind)).values(position=last))
        self._continuity = last  # only once committed
        return len(notes), last

    # ——— emptying and rebuilding ———

    def reset(self, names: Sequence[str] | None = None) -> None:
        """Empty the named projections (all by default) and their positions, atomically."""
        with self._lock, self.engine.begin() as conn:
            self.empty(conn, tuple(names or PROJECTIONS))
        self.cache.clear()
        self.forget()

    @staticmethod
    def empty(conn: Connection, names: Sequence[str]) -> None:
        for name in names:
            for table in TABLES[name]:
                conn.execute(delete(table))
            conn.execute(update(Position).where(Position.name == name).values(position=0))

    def rebuild(self, progress: Progress | None = None) -> int:
        """Empty this runner's projections and apply the whole log again in one transaction, one
        aggregate at a time (``projections/rebuild.py``): the same rows an event-by-event catch-up
        writes. Readers see the old read models until the commit; an interrupted rebuild leaves them
        as they were."""
        from projections.rebuild import rebuild_in_bulk

        with self._lock:
            target = self.head()
            try:
                reached = rebuild_in_bulk(self, target, progress)
            except BaseException:
                self.cache.clear()
                self.forget()
                raise
            self._continuity = reached
            if reached >= ANALYZE_AFTER:
                maintenance.analyze(self.engine)
        for hook in self.after_catch_up:
            hook()
        return reached

    def rebuild_processes(self) -> int:
        """How many processes a bulk rebuild of a file or server store spreads its aggregates over
        (``projections/rebuild_workers.py``; JISHI_REBUILD_PROCESSES): by default one per core, two at most."""
        from projections.rebuild_workers import processes_for

        return processes_for(self._rebuild_processes, os.cpu_count())

    def refresh_findings(self) -> int:
        """Re-evaluate every cadre's findings against today's horizon (the calendar monitors —
        yearly training hours, personal-matters reports — gain a period when the year turns).
        The follower runs this when the date changes; `jishi findings-refresh` runs it by hand."""
        self.catch_up()
        with self._lock, self.engine.begin() as conn:
            self.locked_positions(conn)
            ids = list(conn.execute(select(SpanRow.cadre_id).where(
                SpanRow.kind == "profile", SpanRow.recorded_to == NEVER)).scalars())
            ts = naive_utc(datetime.now(UTC))
            for cadre_id in ids:
                cadre: Cadre = self.app.repository.get(UUID(cadre_id))
                writer = PageWriter()
                self.findings.apply(conn, writer, cadre, ts)
                writer.flush(conn)
        self.forget()
        return len(ids)

    # ——— following other writers ———

    def start_follower(self, interval: float = INTERVAL) -> None:
        """A background loop that applies what other writers stored within ``interval`` seconds of their
        commit (``projections/follower.py``)."""
        if self._follower is None:
            self._follower = Follower(self, interval)
            self._follower.start()

    def stop(self) -> None:
        if self._follower is not None:
            self._follower.stop()
            self._follower = None
