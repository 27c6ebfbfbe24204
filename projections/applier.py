"""What one event does to the read models: the rows of its aggregate before and after it (only
the difference is written), its audit row, its findings, and the changes that read across records
(R-RUSH, R-CALENDAR-CHANGED) — applied at once, or, in a bulk rebuild, deferred to the end and applied
in log order. The runner (``projections/runner.py``) decides which events, in which transaction."""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification
from sqlalchemy import Connection

from domain.cadre import Cadre
from domain.post import Post
from domain.recorded import entry_id_of
from domain.unit import Unit
from projections import derive
from projections.audit import audit_row
from projections.calendar import CalendarChange, CalendarFindings, JudgementChange, _schedule, calendar_row
from projections.deferred import DeferredChanges
from projections.event_effects import SPAN_TYPES, affected_entries, appended_entry, event_moves_posts
from projections.findings import FindingsProjection
from projections.models import NEVER, AuditRow, CalendarRow, EntryRow, PostRow, SearchRow, SpanRow, UnitRow
from projections.retroactive import RetroactiveFindings
from projections.source import EventSource
from projections.unit_spans import PostChanges, SpanChanges, post_row_changes, post_span_changes
from projections.writer import PageWriter

AGGREGATES: dict[str, type[Any]] = {"jishi.cadre.": Cadre, "jishi.unit.": Unit, "jishi.post.": Post}


def naive_utc(instant: datetime) -> datetime:
    if instant.tzinfo is UTC:  # as stored events' timestamps are: nothing to convert
        return instant.replace(tzinfo=None)
    return instant.astimezone(UTC).replace(tzinfo=None)


@lru_cache(maxsize=512)
def aggregate_of(topic: str) -> type[Any] | None:
    """The aggregate class whose read models an event of ``topic`` changes (None: no such rows)."""
    return next((cls for prefix, cls in AGGREGATES.items() if topic.startswith(prefix)), None)


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


class EventApplier:
    """The projections of one runner (``names``), applied event by event. Its caches (aggregates as of
    the last event, span rows, findings) are valid while this runner alone writes: ``forget`` them
    when another process may have applied events."""

    def __init__(self, app: EventSource, names: tuple[str, ...], findings: FindingsProjection, *,
                 signature_key: bytes = b"") -> None:
        self.app, self.names, self.findings = app, names, findings
        self.signature_key = signature_key  # the rows' signatures are keyed when their values are sealed
        self.cache = AggregateCache(app)
        self.calendar = CalendarFindings(app, findings)  # R-CALENDAR-CHANGED, part of "findings"
        self.retroactive = RetroactiveFindings(app, findings)  # R-RETROACTIVE, part of "findings"
        # cadre -> (version, span rows, the rows keyed by signature if known)
        self._spans: dict[UUID, tuple[int, list[derive.Row], dict[str, derive.Row] | None]] = {}
        self._deferred: DeferredChanges | None = None  # a bulk rebuild's cross-cadre changes, in log order later
        self._deferred_calendar: DeferredChanges | None = None  # … and its R-CALENDAR-CHANGED changes

    def forget(self) -> None:
        self._spans.clear()
        self.findings.forget()
        self.calendar.forget()
        self.retroactive.forget()

    def done_with(self, originator_id: UUID) -> None:
        """A bulk rebuild has applied every event of this aggregate: it will not be asked for
        again, so its cached state goes (memory stays that of one aggregate, not 20,000)."""
        self.cache.discard(originator_id)
        self._spans.pop(originator_id, None)
        self.findings.discard(originator_id)
        self.retroactive.discard(originator_id)

    def defer(self, deferred: DeferredChanges | None, deferred_calendar: DeferredChanges | None) -> None:
        """A bulk rebuild: the changes across records wait (``None``: apply them at once again)."""
        self._deferred, self._deferred_calendar = deferred, deferred_calendar

    def apply_deferred(self, conn: Connection, writer: PageWriter, deferred: DeferredChanges,
                       deferred_calendar: DeferredChanges) -> None:
        """The deferred changes across records, in log order."""
        for position, (ts, spans, posts, rush) in deferred.in_log_order():
            self._unit_change(conn, writer, position, ts, spans=spans, posts=posts, rush=rush)
        writer.flush(conn)
        for _, (ts, change) in deferred_calendar.in_log_order():
            self._calendar_change(conn, writer, ts, change)
        writer.flush(conn)

    def apply(self, conn: Connection, writer: PageWriter, note: Notification, positions: dict[str, int]) -> None:
        event = self.app.mapper.to_domain_event(note)
        due = {n for n, p in positions.items() if p < note.id}
        ts = naive_utc(event.timestamp)  # type: ignore[attr-defined]
        topic = note.topic
        if "audit" in due and not topic.startswith("jishi.system."):
            row = audit_row(event, topic, note.id, ts)
            if row is not None:
                writer.append(AuditRow, row)
        if topic.startswith(("jishi.calendar.", "jishi.case.")):
            self._calendar_event(conn, writer, note, event, ts, due)
            return
        kind = aggregate_of(topic)
        if kind is None:
            return
        before = self.cache.before(event)
        if kind is Cadre:
            affected = affected_entries(event, before)
            entries_before = derive.entry_rows(before, affected) if "entries" in due else []
            cached = self._spans.get(event.originator_id)
            if cached is not None and cached[0] == event.originator_version - 1:
                spans_before_all, keyed_before = cached[1], cached[2]
            else:
                spans_before_all, keyed_before = derive.span_rows(before), None
            kept = self.retroactive.snapshot(event, before) if "findings" in due else None
            after = self.cache.after(event, before)
            appended = appended_entry(event)
            moves_spans = appended is None or type(event).__name__ in SPAN_TYPES
            spans_after = derive.span_rows(after) if moves_spans else spans_before_all
            keyed_after = None if moves_spans else keyed_before
            if "entries" in due:
                self._diff(writer, EntryRow, entries_before, derive.entry_rows(after, affected), ts, note.id)
            if "search" in due and moves_spans:
                search_before, search_after = derive.search_rows(spans_before_all), derive.search_rows(spans_after)
                if search_after != search_before:  # else nothing to write (the name and ID number rarely change)
                    self._diff(writer, SearchRow, search_before, search_after, ts, note.id)
            if "spans" in due and moves_spans:
                diffed = self._diff(writer, SpanRow, spans_before_all, spans_after, ts, None, keyed_before)
                keyed_after = diffed[1]
                changes = post_span_changes(*diffed)
                if changes[0] or changes[1]:
                    self._unit_change(conn, writer, note.id, ts, spans=changes)
            self._spans[event.originator_id] = (event.originator_version, spans_after, keyed_after)
            if len(self._spans) > self.cache.size:
                self._spans.pop(next(iter(self._spans)))
            if "findings" in due:
                self.findings.apply(conn, writer, after, ts, appended)
                self.retroactive.apply(conn, writer, event, kept, after, ts)
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

    def _diff(self, writer: PageWriter, table: Any, old: list[derive.Row], new: list[derive.Row],
              ts: datetime, position: int | None, old_keyed: dict[str, derive.Row] | None = None
              ) -> tuple[dict[str, derive.Row], dict[str, derive.Row]]:
        """Close the rows of ``old`` not in ``new``, insert those of ``new`` not in ``old``; both keyed
        by signature (``old_keyed``: ``old`` keyed already, by the last diff), returned."""
        key = self.signature_key
        if old_keyed is None:
            old_keyed = derive.with_signatures(old, key)
        new_keyed = derive.with_signatures(new, key)
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
