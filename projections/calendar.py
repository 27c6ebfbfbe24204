"""节假日安排 in the read models (DOMAIN.md §6.4).

* The ``calendar`` projection: ``rm_calendar``, one row per recorded version of a year's schedule
  (``calendar_row``); ``calendar_years`` reads the calendar as known now — the built-in years and
  the latest version of each recorded one — for ``GET /api/v1/calendar`` and the calendar page.
* R-CALENDAR-CHANGED, part of the ``findings`` projection (``CalendarFindings``): every stored count
  of a publicity's working days is kept in ``rm_judged_publicity``; when a year's schedule changes,
  the counts over it are judged again with the calendar as the log then knows it
  (``domain/monitors/calendar.py``), and when a count is stored it is judged with the calendar
  as known at its position (a publication racing it may already be there).

The calendar the findings use is the log's, position by position, not the store's latest: an
event-by-event catch-up and a bulk rebuild (which defers these changes and applies them in log
order at its end, like R-RUSH) write the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, and_, insert, select, update

from domain.cadre import Cadre
from domain.entry_values import PROMOTION_MANNERS
from domain.monitors.calendar import RULE, CalendarVersion, Judgement, r_calendar_changed
from domain.recorded import entry_id_of
from domain.selection import SelectionCase
from domain.workdays import BUILT_IN, WorkingCalendar, YearSchedule
from projections.findings import FindingsProjection, _replace, finding_row
from projections.models import CalendarRow, FindingRow, JudgedPublicityRow
from projections.source import EventSource, find
from projections.writer import PageWriter

CACHED_CASES = 50_000


def calendar_row(event: Any, position: int, ts: datetime) -> dict[str, Any]:
    """The ``rm_calendar`` row of a ``CalendarPublished`` / ``CalendarCorrected`` event."""
    schedule = _schedule(event, ts)
    return {"position": position, "entry_id": str(entry_id_of(event.originator_id, event.originator_version)),
            "year": event.year, "version": event.originator_version,
            "kind": "published" if type(event).__name__ == "CalendarPublished" else "corrected",
            "holidays": sorted(d.isoformat() for d in event.holidays),
            "workdays": sorted(d.isoformat() for d in event.workdays),
            "notice_no": event.notice_no, "notice_date": event.notice_date, "fingerprint": schedule.fingerprint,
            "recorded_at": ts, "actor": event.actor, "reason": event.reason, "document_no": event.document_no}


def _schedule(event: Any, ts: datetime) -> YearSchedule:
    return YearSchedule(event.year, frozenset(event.holidays), frozenset(event.workdays), "recorded",
                        version=event.originator_version, notice_no=event.notice_no,
                        notice_date=event.notice_date, recorded_at=ts.replace(tzinfo=UTC))


def _row_schedule(row: Any) -> YearSchedule:
    return YearSchedule(row.year, frozenset(map(date.fromisoformat, row.holidays)),
                        frozenset(map(date.fromisoformat, row.workdays)), "recorded", version=row.version,
                        notice_no=row.notice_no, notice_date=row.notice_date,
                        recorded_at=row.recorded_at.replace(tzinfo=UTC))


def calendar_years(conn: Connection) -> list[dict[str, Any]]:
    """Every year known now, in order: built in (``chinese-calendar``) or recorded (its latest version,
    with 文号, when and by whom it was recorded)."""
    latest: dict[int, Any] = {}
    for version in conn.execute(select(CalendarRow).order_by(CalendarRow.year, CalendarRow.version)):
        latest[version.year] = version
    years: list[dict[str, Any]] = []
    for year in sorted({*BUILT_IN.years, *latest}):
        row = latest.get(year)
        if row is None:
            built = BUILT_IN.years[year]
            years.append({"year": year, "source": "built-in", "package": built.package, "version": None,
                          "notice_no": None, "notice_date": None, "recorded_at": None, "recorded_by": None,
                          "holidays": len(built.holidays), "workdays": len(built.workdays),
                          "fingerprint": built.fingerprint, "replaces_built_in": False})
            continue
        years.append({"year": year, "source": "recorded", "package": None, "version": row.version,
                      "notice_no": row.notice_no, "notice_date": row.notice_date,
                      "recorded_at": row.recorded_at.replace(tzinfo=UTC), "recorded_by": row.actor,
                      "holidays": len(row.holidays), "workdays": len(row.workdays), "fingerprint": row.fingerprint,
                      "replaces_built_in": year in BUILT_IN.years})
    return years


def calendar_year(conn: Connection, year: int) -> dict[str, Any] | None:
    """One year as known now, with its dates and (recorded) every version; None if not known."""
    versions = conn.execute(select(CalendarRow).where(CalendarRow.year == year)
                            .order_by(CalendarRow.version)).all()
    if not versions:
        built = BUILT_IN.years.get(year)
        if built is None:
            return None
        return {"year": year, "source": "built-in", "package": built.package, "version": None,
                "notice_no": None, "notice_date": None, "recorded_at": None, "recorded_by": None,
                "holidays": sorted(built.holidays), "workdays": sorted(built.workdays),
                "fingerprint": built.fingerprint, "replaces_built_in": False, "versions": []}
    latest = versions[-1]
    return {"year": year, "source": "recorded", "package": None, "version": latest.version,
            "notice_no": latest.notice_no, "notice_date": latest.notice_date,
            "recorded_at": latest.recorded_at.replace(tzinfo=UTC), "recorded_by": latest.actor,
            "holidays": [date.fromisoformat(d) for d in latest.holidays],
            "workdays": [date.fromisoformat(d) for d in latest.workdays],
            "fingerprint": latest.fingerprint, "replaces_built_in": year in BUILT_IN.years,
            "versions": [{"version": v.version, "kind": v.kind, "entry_id": v.entry_id, "notice_no": v.notice_no,
                          "notice_date": v.notice_date, "recorded_at": v.recorded_at.replace(tzinfo=UTC),
                          "recorded_by": v.actor, "reason": v.reason, "document_no": v.document_no,
                          "holidays": len(v.holidays), "workdays": len(v.workdays), "fingerprint": v.fingerprint}
                         for v in versions]}


# ——— R-CALENDAR-CHANGED ———

@dataclass(frozen=True)
class CalendarChange:
    """A year's schedule recorded or corrected (kept whole: a bulk rebuild applies it later)."""

    position: int
    entry_id: UUID
    schedule: YearSchedule


@dataclass(frozen=True)
class JudgementChange:
    """A count stored (``used``: calendar_used, or None when a corrected promotion no longer counts
    one), or retracted (``void``: the judging event, or the judged entry itself). A change of a
    selection-case step names the step it changes (``target_id``) instead of its root: the root, the
    cadre and the unit are those of the publicity's stored counts (none stored: not a publicity)."""

    position: int
    root_id: UUID | None
    judged_id: UUID
    cadre_id: UUID | None
    unit_code: str | None = None
    used: dict[str, Any] | None = None
    void: bool = False
    target_id: UUID | None = None


class CalendarFindings:
    """The findings projection's R-CALENDAR-CHANGED: the calendar history as the log has it so far
    and the stored counts (``rm_judged_publicity``), judged again when either changes."""

    def __init__(self, app: EventSource, findings: FindingsProjection) -> None:
        self.app, self.findings = app, findings
        self.zone = ZoneInfo(app.config.get("general.timezone"))
        # year -> [(position, schedule, entry id)] in log order; None: not loaded since the last forget
        self._history: dict[int, list[tuple[int, YearSchedule, UUID]]] | None = None
        self._case_units: dict[UUID, str | None] = {}

    def forget(self) -> None:
        self._history = None
        self._case_units.clear()

    def start_empty(self) -> None:
        """A bulk rebuild: nothing is known until its deferred changes come, in log order."""
        self._history = {}

    # — what the runner hands over —

    def case_opened(self, event: Any) -> None:
        if len(self._case_units) > CACHED_CASES:
            self._case_units.clear()
        self._case_units[event.originator_id] = event.unit_code

    def from_case_event(self, event: Any, position: int) -> JudgementChange:
        """A ``PublicityHeld``: its count (one stored before counts were kept: as the built-in
        calendar, the only one then, counts it)."""
        used = event.calendar_used or BUILT_IN.judgement(event.start_on, event.end_on)
        entry_id = entry_id_of(event.originator_id, event.originator_version)
        return JudgementChange(position, entry_id, entry_id, event.cadre_id, self._case_unit(event.originator_id),
                               used)

    def from_step_change(self, event: Any, position: int) -> JudgementChange | None:
        """A correction of a publicity step (its new count: ``calendar_used`` is stored only with a
        correction of a publicity), or a retraction of a step or of a correction (a void, if it was a
        counted publicity — ``apply_judgement`` finds out)."""
        entry_id = entry_id_of(event.originator_id, event.originator_version)
        if type(event).__name__ == "StepRetracted":
            return JudgementChange(position, None, event.target_entry_id, None, void=True,
                                   target_id=event.target_entry_id)
        if event.calendar_used is None:
            return None
        cadre = event.changes.get("cadre_id")
        return JudgementChange(position, None, entry_id, UUID(str(cadre)) if cadre else None,
                               used=event.calendar_used, target_id=event.target_entry_id)

    def from_cadre_event(self, event: Any, before: Cadre | None, position: int) -> JudgementChange | None:
        """A promotion's count, a correction of an appointment (its new count, or none), a retraction
        of either; None for everything else."""
        name = type(event).__name__
        entry_id = entry_id_of(event.originator_id, event.originator_version)
        if name == "Appointed":
            used = getattr(event, "calendar_used", None)
            return None if used is None else JudgementChange(position, entry_id, entry_id, event.originator_id,
                                                             event.unit_code, used)
        target = getattr(event, "target_entry_id", None)
        if target is None or before is None or target not in before.entries:
            return None
        root = before.entries[before.root_of(target)]
        if root.type != "Appointed":
            return None
        if name == "EntryRetracted":
            return JudgementChange(position, root.entry_id, target, event.originator_id, void=True)
        used = getattr(event, "calendar_used", None)
        if used is None and root.values.get("manner") not in PROMOTION_MANNERS:
            return None  # an appointment that never counted a publicity, corrected
        unit = event.changes.get("unit_code", root.values.get("unit_code"))
        return JudgementChange(position, root.entry_id, entry_id, event.originator_id, unit, used)

    # — applying —

    def apply_calendar(self, conn: Connection, writer: PageWriter, change: CalendarChange, ts: datetime) -> None:
        history = self._loaded(conn, writer, change.position)
        versions = history.setdefault(change.schedule.year, [])
        if not versions or versions[-1][0] < change.position:
            versions.append((change.position, change.schedule, change.entry_id))
        year = change.schedule.year
        roots = conn.execute(select(JudgedPublicityRow.root_id).where(
            JudgedPublicityRow.end_on >= date(year, 1, 1), JudgedPublicityRow.start_on <= date(year, 12, 31),
            JudgedPublicityRow.void.is_(False)).distinct()).scalars()
        for root in sorted(set(roots)):
            self._judge(conn, writer, root, change.position, ts)

    def apply_judgement(self, conn: Connection, writer: PageWriter, change: JudgementChange, ts: datetime) -> None:
        if change.root_id is None:  # a change of a case step: the publicity it changes, if one was counted
            counted = conn.execute(select(JudgedPublicityRow).where(
                JudgedPublicityRow.judged_id == str(change.target_id))
                .order_by(JudgedPublicityRow.position.desc()).limit(1)).first()
            if counted is None:
                return  # not a publicity
            change = replace(change, root_id=UUID(counted.root_id),
                             cadre_id=change.cadre_id or UUID(counted.cadre_id),
                             unit_code=change.unit_code or counted.unit_code)
        assert change.root_id is not None and change.cadre_id is not None
        if change.void:
            retracted = JudgedPublicityRow.judged_id == str(change.judged_id)  # a correction's count
            if change.judged_id == change.root_id:  # the entry itself: every count of it
                retracted = JudgedPublicityRow.root_id == str(change.root_id)
            conn.execute(update(JudgedPublicityRow).where(retracted).values(void=True))
        else:
            used = change.used or {}
            conn.execute(insert(JudgedPublicityRow).values(
                position=change.position, root_id=str(change.root_id), judged_id=str(change.judged_id),
                cadre_id=str(change.cadre_id), unit_code=change.unit_code, start_on=used.get("start_on"),
                end_on=used.get("end_on"), working_days=used.get("working_days"), years=used.get("years", {}),
                recorded_at=ts, void=False))
        self._judge(conn, writer, str(change.root_id), change.position, ts, str(change.cadre_id))

    # — internals —

    def _judge(self, conn: Connection, writer: PageWriter, root: str, position: int, ts: datetime,
               cadre_id: str | None = None) -> None:
        """Replace the finding of one judged entry by what its standing count gives now."""
        row = conn.execute(select(JudgedPublicityRow).where(
            JudgedPublicityRow.root_id == root, JudgedPublicityRow.void.is_(False))
            .order_by(JudgedPublicityRow.position.desc()).limit(1)).first()
        facts = []
        if row is not None and row.start_on is not None and row.end_on is not None:
            cadre_id = row.cadre_id
            calendar, versions = self._calendar(conn, writer, position)
            judgement = Judgement(UUID(row.root_id), UUID(row.judged_id), UUID(row.cadre_id), row.unit_code,
                                  row.start_on, row.end_on, row.working_days, row.years, self._local(row.recorded_at))
            facts = r_calendar_changed(judgement, calendar, versions, self.app.config)
        if cadre_id is None:
            return  # never judged: nothing stored to replace

        def owner(cadre: str = cadre_id) -> Any:
            return and_(FindingRow.cadre_id == cadre, FindingRow.rule == RULE, FindingRow.key == root)

        _replace(conn, writer, owner, list(map(finding_row, facts)), ts, self.findings.open_cache, (RULE, root),
                 self.findings.fresh)

    def _calendar(self, conn: Connection, writer: PageWriter, position: int
                  ) -> tuple[WorkingCalendar, dict[int, CalendarVersion]]:
        history = self._loaded(conn, writer, position)
        latest = {year: versions[-1] for year, versions in history.items() if versions}
        calendar = BUILT_IN.with_years(s for _, s, _ in latest.values())
        return calendar, {year: CalendarVersion(entry, self._local(s.recorded_at))
                          for year, (_, s, entry) in latest.items()}

    def _loaded(self, conn: Connection, writer: PageWriter, position: int
                ) -> dict[int, list[tuple[int, YearSchedule, UUID]]]:
        """The history up to ``position`` (exclusive), read from ``rm_calendar`` once after a forget."""
        if self._history is None:
            writer.flush(conn)
            history: dict[int, list[tuple[int, YearSchedule, UUID]]] = {}
            for row in conn.execute(select(CalendarRow).where(CalendarRow.position < position)
                                    .order_by(CalendarRow.position)):
                history.setdefault(row.year, []).append((row.position, _row_schedule(row), UUID(row.entry_id)))
            self._history = history
        return self._history

    def _case_unit(self, case_id: UUID) -> str | None:
        if case_id not in self._case_units:
            found = find(self.app, case_id)
            case = found if isinstance(found, SelectionCase) else None
            self._case_units[case_id] = case.unit_code if case is not None else None
        return self._case_units[case_id]

    def _local(self, instant: datetime | None) -> date:
        if instant is None:
            return date.min
        aware = instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
        return aware.astimezone(self.zone).date()

