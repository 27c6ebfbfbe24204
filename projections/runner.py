"""The projection runner: tails the event store's notification log and applies each page of
events to the read models together with the tracking positions, in one transaction.

Exactly-once: a page's rows and positions commit together, and the positions are locked
and re-read at the start of every transaction (SELECT … FOR UPDATE on PostgreSQL, BEGIN
IMMEDIATE on SQLite), so two processes catching up at once never apply an event twice.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification
from sqlalchemy import Connection, Engine, Index, delete, insert, inspect, select, update
from sqlalchemy.schema import CreateIndex

from domain.cadre import Cadre
from domain.post import Post
from domain.recorded import entry_id_of
from domain.unit import Unit
from projections import derive
from projections.audit import audit_row
from projections.calendar import CalendarChange, CalendarFindings, JudgementChange, _schedule, calendar_row
from projections.db import Base
from projections.deferred import DeferredChanges
from projections.findings import FindingsProjection
from projections.models import (
    NEVER,
    CalendarRow,
    EntryRow,
    FindingRow,
    JudgedPublicityRow,
    Position,
    PostRow,
    SpanRow,
    UnitRow,
)
from projections.source import EventSource
from projections.unit_spans import PostChanges, SpanChanges, post_row_changes, post_span_changes
from projections.writer import PageWriter

BULK_FLUSH = 2_000  # events between a bulk rebuild's flushes (all inside its one transaction)
RETIRED_INDEXES = ("ix_rm_finding_current",)  # replaced by ix_rm_finding_open_due (2026-12)
SQLITE_ANALYSIS_LIMIT = 2_000  # index rows sampled per index by ANALYZE: bounded time at any size
ANALYZE_AFTER = 10_000  # events applied in one catch-up after which the planner statistics are refreshed
PROJECTIONS: tuple[str, ...] = ("units", "posts", "entries", "spans", "findings", "audit", "calendar")
TABLES: dict[str, Any] = {
    "units": UnitRow, "posts": PostRow, "entries": EntryRow, "spans": SpanRow,
    "findings": FindingRow, "audit": None, "calendar": CalendarRow,
}
MORE_TABLES: dict[str, tuple[Any, ...]] = {"findings": (JudgedPublicityRow,)}  # a projection's other tables
BORN_EMPTY = frozenset({"calendar"})  # projections of event types new with the projection (jishi.calendar.*)
AGGREGATES: dict[str, type[Any]] = {"jishi.cadre.": Cadre, "jishi.unit.": Unit, "jishi.post.": Post}


def naive_utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(tzinfo=None)


class AggregateCache:
    """Aggregates as of the last event applied, so each event's before/after state is cheap."""

    def __init__(self, app: EventSource, size: int = 20_000) -> None:
        self.app, self.size = app, size
        self._items: OrderedDict[UUID, Any] = OrderedDict()

    def before(self, event: Any) -> Any:
        version = event.originator_version
        if version == 1:
            return None
        agg = self._items.get(event.originator_id)
        if agg is not None and agg.version == version - 1:
            self._items.move_to_end(event.originator_id)
            return agg
        agg = self.app.repository.get(event.originator_id, version=version - 1)
        return agg

    def after(self, event: Any, before: Any) -> Any:
        agg = event.mutate(before)
        self._items[event.originator_id] = agg
        self._items.move_to_end(event.originator_id)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return agg

    def discard(self, originator_id: UUID) -> None:
        self._items.pop(originator_id, None)

    def clear(self) -> None:
        self._items.clear()


class ProjectionRunner:
    def __init__(self, app: EventSource, engine: Engine, *, page_size: int = 500,
                 names: Sequence[str] = PROJECTIONS, horizon: Callable[[], date] | None = None) -> None:
        self.app, self.engine, self.page_size = app, engine, page_size
        self.names = tuple(names)
        self.cache = AggregateCache(app)
        self.findings = FindingsProjection(app, horizon or app.today)
        self.calendar = CalendarFindings(app, self.findings)  # R-CALENDAR-CHANGED, part of "findings"
        self._spans: dict[UUID, tuple[int, list[derive.Row]]] = {}  # cadre -> (version, span rows)
        self._continuity = -1  # the position this runner last committed; else caches may be stale
        self._deferred: DeferredChanges | None = None  # a bulk rebuild's cross-cadre changes, in log order later
        self._deferred_calendar: DeferredChanges | None = None  # … and its R-CALENDAR-CHANGED changes
        self._lock = threading.Lock()
        self.after_catch_up: list[Callable[[], object]] = []  # e.g. the ledger's sync
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        Base.metadata.create_all(engine)
        added = self._upgrade_indexes()
        with engine.begin() as conn:
            known = {r.name: r.position for r in conn.execute(select(Position))}
            # A projection added by an upgrade whose events did not exist before it starts where the
            # others are, rather than re-reading the whole log once (at L, an hour) for nothing.
            since = min(known.values(), default=0)
            missing = [{"name": n, "position": since if n in BORN_EMPTY else 0} for n in PROJECTIONS if n not in known]
            if missing:
                conn.execute(insert(Position), missing)
        if added and max(self.positions().values(), default=0) >= ANALYZE_AFTER:
            self._analyze()  # read models built by an earlier version: plan with the new indexes

    def _upgrade_indexes(self) -> list[str]:
        """Create the indexes added since the tables were made and drop those they replace;
        the names of the indexes created."""
        inspector = inspect(self.engine)
        tables = Base.metadata.sorted_tables
        existing = {i["name"] for table in tables for i in inspector.get_indexes(table.name)}
        added = [index for table in tables for index in table.indexes if index.name not in existing]
        with self.engine.begin() as conn:  # IF [NOT] EXISTS: the server's workers open the store at once
            for index in added:
                conn.execute(CreateIndex(index, if_not_exists=True))
            for name in RETIRED_INDEXES:
                conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        return [str(index.name) for index in added]

    # ——— positions and lag ———

    def positions(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {r.name: r.position for r in conn.execute(select(Position))}

    def head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def lag(self) -> dict[str, int]:
        head = self.head()
        return {name: max(0, head - pos) for name, pos in self.positions().items()}

    def _locked_positions(self, conn: Connection) -> dict[str, int]:
        query = select(Position)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        return {r.name: r.position for r in conn.execute(query) if r.name in self.names}

    # ——— applying ———

    def catch_up(self, until: int | None = None, progress: Callable[[int, int], None] | None = None) -> int:
        """Apply events until every projection reached `until` (default: the store's head)."""
        with self._lock:
            target = self.head() if until is None else until
            reached, applied = 0, 0
            while True:
                done, reached = self._page(target)
                applied += done
                if progress is not None:
                    progress(done, reached)
                if not done:
                    break
            if applied >= ANALYZE_AFTER:
                self._analyze()
        for hook in self.after_catch_up:
            hook()
        return reached

    def _analyze(self) -> None:
        """Refresh the planner's statistics after a bulk catch-up (a rebuild). PostgreSQL would
        plan the read queries for the empty tables until autovacuum gets to it; SQLite has no
        statistics at all until asked, and without them it reads a roster's secondments to a unit
        through the index of every current span of that kind instead of the one by host."""
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "sqlite":
                conn.exec_driver_sql(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
                conn.exec_driver_sql("ANALYZE")
                return
            for table in Base.metadata.sorted_tables:
                conn.exec_driver_sql(f"ANALYZE {table.name}")

    def _page(self, target: int) -> tuple[int, int]:
        try:
            return self._page_in_transaction(target)
        except BaseException:
            self._forget()  # the caches may hold state of the rolled-back page
            raise

    def _forget(self) -> None:
        self._continuity = -1
        self._spans.clear()
        self.findings.forget()
        self.calendar.forget()

    def _page_in_transaction(self, target: int) -> tuple[int, int]:
        with self.engine.begin() as conn:
            positions = self._locked_positions(conn)
            start = min(positions.values())
            if start != self._continuity:  # another process applied events meanwhile
                self._forget()
            if start >= target:
                self._continuity = start
                return 0, start
            notes = self.app.recorder.select_notifications(start + 1, limit=self.page_size, stop=target)
            if not notes:
                return 0, start
            writer = PageWriter()
            for note in notes:
                self._apply(conn, writer, note, positions)
            writer.flush(conn)
            last = notes[-1].id
            for name, pos in positions.items():
                if pos < last:
                    conn.execute(update(Position).where(Position.name == name).values(position=last))
        self._continuity = last  # only once committed
        return len(notes), last

    def _apply(self, conn: Connection, writer: PageWriter, note: Notification, positions: dict[str, int]) -> None:
        event = self.app.mapper.to_domain_event(note)
        due = {n for n, p in positions.items() if p < note.id}
        ts = naive_utc(event.timestamp)  # type: ignore[attr-defined]
        topic = note.topic
        if "audit" in due and not topic.startswith("jishi.system."):
            row = audit_row(event, topic, note.id, ts)
            if row is not None:
                writer.append(derive_audit_table(), row)
        if topic.startswith(("jishi.calendar.", "jishi.case.")):
            self._calendar_event(conn, writer, note, event, ts, due)
            return
        kind = next((cls for prefix, cls in AGGREGATES.items() if topic.startswith(prefix)), None)
        if kind is None:
            return
        before = self.cache.before(event)
        if kind is Cadre:
            affected = _affected_entries(event, before)
            entries_before = _entry_subset(before, affected) if "entries" in due else []
            cached = self._spans.get(event.originator_id)
            if cached is not None and cached[0] == event.originator_version - 1:
                spans_before_all = cached[1]
            else:
                spans_before_all = derive.span_rows(before)
            after = self.cache.after(event, before)
            appended = _appended_entry(event)
            moves_spans = appended is None or type(event).__name__ in SPAN_TYPES
            spans_after = derive.span_rows(after) if moves_spans else spans_before_all
            self._spans[event.originator_id] = (event.originator_version, spans_after)
            if len(self._spans) > self.cache.size:
                self._spans.pop(next(iter(self._spans)))
            if "entries" in due:
                self._diff(writer, EntryRow, entries_before, _entry_subset(after, affected), ts, note.id)
            if "spans" in due and moves_spans:
                changes = post_span_changes(*self._diff(writer, SpanRow, spans_before_all, spans_after, ts, None))
                if changes[0] or changes[1]:
                    self._unit_change(conn, writer, note.id, ts, spans=changes)
            if "findings" in due:
                self.findings.apply(conn, writer, after, ts, appended)
                judged = self.calendar.from_cadre_event(event, before, note.id)
                if judged is not None:  # R-CALENDAR-CHANGED: a publicity's count stored or retracted
                    self._calendar_change(conn, writer, ts, judged)
                if event_moves_posts(event, before):  # R-RUSH, from the post spans as they now stand
                    units = {r["unit_code"] for r in (*spans_before_all, *spans_after) if r["kind"] == "post"}
                    self._unit_change(conn, writer, note.id, ts, rush=units)
        elif kind is Unit:
            rows_before = derive.unit_rows(before)
            after = self.cache.after(event, before)
            if "units" in due:
                self._diff(writer, UnitRow, rows_before, derive.unit_rows(after), ts, note.id)
        else:
            rows_before = derive.post_rows(before)
            after = self.cache.after(event, before)
            if "posts" in due:
                posts = post_row_changes(*self._diff(writer, PostRow, rows_before, derive.post_rows(after), ts,
                                                     note.id))
                if posts[0] or posts[1]:
                    self._unit_change(conn, writer, note.id, ts, posts=posts)

    def _calendar_event(self, conn: Connection, writer: PageWriter, note: Notification, event: Any, ts: datetime,
                        due: set[str]) -> None:
        """节假日安排 (its rm_calendar row; the counts over its year judged again) and the case steps
        R-CALENDAR-CHANGED follows (a publicity's count; a case's unit)."""
        name = type(event).__name__
        if note.topic.startswith("jishi.calendar."):
            if "calendar" in due:
                writer.append(CalendarRow, calendar_row(event, note.id, ts))
            if "findings" in due:
                self._calendar_change(conn, writer, ts, CalendarChange(
                    note.id, entry_id_of(event.originator_id, event.originator_version), _schedule(event, ts)))
        elif name == "CaseOpened":
            self.calendar.case_opened(event)
        elif name == "PublicityHeld" and "findings" in due:
            self._calendar_change(conn, writer, ts, self.calendar.from_case_event(event, note.id))
        elif name in ("StepCorrected", "StepRetracted") and "findings" in due:
            change = self.calendar.from_step_change(event, note.id)
            if change is not None:
                self._calendar_change(conn, writer, ts, change)

    def _calendar_change(self, conn: Connection, writer: PageWriter, ts: datetime,
                         change: CalendarChange | JudgementChange) -> None:
        """R-CALENDAR-CHANGED reads across streams (the calendar, cases, cadres): a bulk rebuild defers
        its changes and applies them in log order at the end."""
        if self._deferred_calendar is not None:
            self._deferred_calendar.append(change.position, (ts, change))
        elif isinstance(change, CalendarChange):
            self.calendar.apply_calendar(conn, writer, change, ts)
        else:
            self.calendar.apply_judgement(conn, writer, change, ts)

    def _unit_change(self, conn: Connection, writer: PageWriter, position: int, ts: datetime, *,
                     spans: SpanChanges | None = None, posts: PostChanges | None = None,
                     rush: set[str] | None = None) -> None:
        """A change R-RUSH depends on across cadres: post spans or posts changed, or R-RUSH is due
        for some units. A bulk rebuild defers these and applies them in log order at the end."""
        if self._deferred is not None:
            self._deferred.append(position, (ts, spans, posts, rush))
            return
        if spans is not None:
            self.findings.unit_spans.mirror(spans)
        if posts is not None:
            self.findings.unit_spans.mirror_posts(posts)
        if rush is not None:
            if "spans" not in self.names or "posts" not in self.names:
                self.findings.unit_spans.forget()  # another runner writes those tables: read them afresh
            self.findings.apply_units(conn, writer, rush, ts)

    @staticmethod
    def _diff(writer: PageWriter, table: Any, old: list[derive.Row], new: list[derive.Row],
              ts: datetime, position: int | None) -> tuple[dict[str, derive.Row], dict[str, derive.Row]]:
        """Close the rows of ``old`` not in ``new``, insert those of ``new`` not in ``old``; both keyed
        by signature, returned."""
        old_keyed, new_keyed = derive.with_signatures(old), derive.with_signatures(new)
        for sig in old_keyed:
            if sig not in new_keyed:
                writer.close(table, sig, ts)
        extra: dict[str, Any] = {"recorded_from": ts, "recorded_to": NEVER}
        if position is not None:
            extra["position"] = position
        for sig, row in new_keyed.items():
            if sig not in old_keyed:
                writer.insert(table, {**row, **extra, "signature": sig})
        return old_keyed, new_keyed

    # ——— rebuild and follow ———

    def reset(self, names: Sequence[str] | None = None) -> None:
        """Empty the named projections (all by default) and their positions, atomically."""
        with self._lock, self.engine.begin() as conn:
            self._empty(conn, tuple(names or PROJECTIONS))
        self.cache.clear()
        self._forget()

    def _empty(self, conn: Connection, names: Sequence[str]) -> None:
        for name in names:
            for table in _tables(name):
                conn.execute(delete(table))
            conn.execute(update(Position).where(Position.name == name).values(position=0))

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Empty this runner's projections and apply the whole log again in one transaction, one
        aggregate at a time: a cadre's events in a row, so its state, span rows and findings stay
        in the caches instead of being replayed from the store for each event (at L, with 100k
        cadres interleaved over ten years, nearly every event would miss them). R-RUSH, the one
        monitor that reads across cadres, runs at the end over the deferred post moves in log
        order. The rows are the ones an event-by-event catch-up writes — the same recorded times
        from the same events (tests compare the checksums). Readers see the old read models until
        the commit; an interrupted rebuild leaves them as they were."""
        with self._lock:
            target = self.head()
            streams = self._streams(target)
            try:
                reached = self._rebuild(target, streams, progress)
            except BaseException:
                self.cache.clear()
                self._forget()
                raise
            finally:
                self._deferred = self._deferred_calendar = None
            if reached >= ANALYZE_AFTER:
                self._analyze()
        for hook in self.after_catch_up:
            hook()
        return reached

    def _done_with(self, originator_id: UUID) -> None:
        """A bulk rebuild has applied every event of this aggregate: it will not be asked for
        again, so its cached state goes (memory stays that of one aggregate, not 20,000)."""
        self.cache.discard(originator_id)
        self._spans.pop(originator_id, None)
        self.findings.discard(originator_id)

    def _streams(self, target: int) -> dict[UUID, array[int]]:
        """Every aggregate's positions in the log up to ``target``, aggregates in order of first event."""
        streams: dict[UUID, array[int]] = {}
        start = 1
        while page := self.app.recorder.select_notifications(start, limit=5_000, stop=target):
            for note in page:
                ids = streams.get(note.originator_id)
                if ids is None:
                    ids = streams[note.originator_id] = array("q")
                ids.append(note.id)
            start = page[-1].id + 1
        return streams

    def _rebuild(self, target: int, streams: dict[UUID, array[int]],
                 progress: Callable[[int, int], None] | None) -> int:
        with self.engine.begin() as conn, DeferredChanges() as deferred, DeferredChanges() as deferred_calendar:
            self._locked_positions(conn)
            self._empty(conn, self.names)
            self.cache.clear()
            self._forget()
            self.findings.unit_spans.start_empty()
            self.calendar.start_empty()
            self._deferred, self._deferred_calendar = deferred, deferred_calendar
            self.findings.fresh = True  # nothing is stored yet that this rebuild did not write itself
            dropped = self._drop_indexes(conn) if conn.dialect.name == "sqlite" else []
            positions, writer, done, flushed = dict.fromkeys(self.names, 0), PageWriter(), 0, 0
            for originator_id, ids in streams.items():
                stored = self.app.recorder.select_events(originator_id, limit=len(ids))
                for position, record in zip(ids, stored, strict=True):  # versions in log order
                    self._apply(conn, writer, Notification(
                        id=position, originator_id=record.originator_id, originator_version=record.originator_version,
                        topic=record.topic, state=record.state), positions)
                done += len(ids)
                self._done_with(originator_id)
                if done - flushed >= BULK_FLUSH:  # between aggregates: every close edits a pending row
                    writer.flush(conn)
                    if progress is not None:
                        progress(done - flushed, done)
                    flushed = done
            self._deferred = self._deferred_calendar = None
            for position, (ts, spans, posts, rush) in deferred.in_log_order():
                self._unit_change(conn, writer, position, ts, spans=spans, posts=posts, rush=rush)
            writer.flush(conn)
            for _, (ts, change) in deferred_calendar.in_log_order():
                self._calendar_change(conn, writer, ts, change)
            writer.flush(conn)
            for index in dropped:
                index.create(conn)
            self.findings.unit_spans.forget()  # from here on units are read when needed
            self.findings.fresh = False
            conn.execute(update(Position).where(Position.name.in_(self.names)).values(position=target))
        if progress is not None:
            progress(done - flushed, target)
        self._continuity = target
        return target

    def _drop_indexes(self, conn: Connection) -> list[Index]:
        """SQLite: the bulk rebuild inserts without the read models' secondary indexes and builds
        them at its end, sorting once instead of a random B-tree insert per row and index (at L
        those inserts spilled SQLite's page cache over and over). It reads nothing back from the
        tables meanwhile. Readers keep the committed schema and rows until the commit."""
        dropped: list[Index] = []
        for name in self.names:
            for model in _tables(name):
                if model is JudgedPublicityRow:  # read (by span) while the deferred changes are applied
                    continue
                for index in sorted(model.__table__.indexes, key=lambda i: str(i.name)):
                    index.drop(conn)
                    dropped.append(index)
        return dropped

    def start_follower(self, interval: float = 0.5) -> None:
        """A background loop that applies what other writers stored."""
        if self._thread is not None:
            return

        def loop() -> None:
            day = self.findings.horizon()
            while not self._stop.wait(interval):
                try:
                    self.catch_up()
                    if self.findings.horizon() != day:
                        day = self.findings.horizon()
                        self.refresh_findings()
                except Exception:
                    continue

        self._thread = threading.Thread(target=loop, name="projection-follower", daemon=True)
        self._thread.start()

    def refresh_findings(self) -> int:
        """Re-evaluate every cadre's findings against today's horizon (the calendar monitors —
        yearly training hours, personal-matters reports — gain a period when the year turns).
        The follower runs this when the date changes; `jishi findings-refresh` runs it by hand."""
        self.catch_up()
        with self._lock, self.engine.begin() as conn:
            self._locked_positions(conn)
            ids = list(conn.execute(select(SpanRow.cadre_id).where(
                SpanRow.kind == "profile", SpanRow.recorded_to == NEVER)).scalars())
            ts = naive_utc(datetime.now(UTC))
            for cadre_id in ids:
                cadre: Cadre = self.app.repository.get(UUID(cadre_id))
                writer = PageWriter()
                self.findings.apply(conn, writer, cadre, ts)
                writer.flush(conn)
        self._forget()
        return len(ids)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


POST_MOVES = {"Appointed", "Dismissed", "Departed"}


def event_moves_posts(event: Any, before: Cadre | None) -> bool:
    """Whether the event can change who holds which post (directly or by correcting/retracting)."""
    if type(event).__name__ in POST_MOVES:
        return True
    target = getattr(event, "target_entry_id", None)
    if target is None or before is None:
        return False
    record = before.entries.get(before.root_of(target)) if target in before.entries else None
    return record is not None and record.type in POST_MOVES


# Entry types the span rows (posts, secondments, ranks, pools, mentors, the profile) are derived
# from: a new entry of another type leaves a cadre's spans as they were.
SPAN_TYPES = frozenset({"CadreRegistered", "Appointed", "Dismissed", "Departed", "RankPromoted", "RankDemoted",
                        "SecondmentStarted", "SecondmentEnded", "PoolEntered", "PoolReviewed", "PoolExited",
                        "MentorAssigned", "MentorReleased"})


def _appended_entry(event: Any) -> UUID | None:
    """The entry a cadre event adds, when adding it is all the event does (not a correction or
    retraction, which change an entry already on the record)."""
    if getattr(event, "target_entry_id", None) is not None:
        return None
    entry_id: UUID | None = getattr(event, "entry_id", None)
    return entry_id


def derive_audit_table() -> Any:
    from projections.models import AuditRow
    return AuditRow


def _tables(name: str) -> tuple[Any, ...]:
    """The read-model tables of one projection."""
    return (derive_audit_table() if name == "audit" else TABLES[name], *MORE_TABLES.get(name, ()))


def _affected_entries(event: Any, before: Cadre | None) -> set[UUID]:
    """Entries whose standing values this event can change."""
    affected = {event.entry_id}
    target = getattr(event, "target_entry_id", None)
    if target is not None:
        affected.add(target)
        if before is not None:
            affected.add(before.root_of(target))
    return affected


def _entry_subset(cadre: Cadre | None, ids: set[UUID]) -> list[derive.Row]:
    return derive.entry_rows(cadre, ids)
