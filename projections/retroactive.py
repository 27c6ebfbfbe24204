"""R-RETROACTIVE in the findings projection: for each cadre event that records an entry (a new entry, a
correction, a retraction), the entry's retroactive impact (``domain/retroactive.py``) with the cadre as
known before the event and after it — the applier has both at hand — and, when the entry is late and
changes the past, its finding (``domain/monitors/retroactive.py``), kept per entry: re-running the
cadre's monitors leaves it be. A retraction of a late entry closes that entry's finding (it should never
have been recorded); the retraction is judged as an entry in its own right.

The impact reads only the two versions of the cadre and the posts and units they name, so an
event-by-event catch-up and a bulk rebuild write the same rows.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_

from domain import ids
from domain.cadre import Cadre, EntryRecord
from domain.monitors.retroactive import RULE, r_retroactive
from domain.monitors.values import as_date
from domain.post import Post
from domain.retroactive import Lookups, impact, local_date, unit_on
from domain.unit import Unit
from projections.findings import FindingsProjection, _replace, finding_row
from projections.models import FindingRow
from projections.source import EventSource, find
from projections.writer import PageWriter


def lookups(app: EventSource) -> Lookups:
    """The posts and units as the store holds them (as the cadre monitors read them)."""
    def post(unit_code: str, post_code: str) -> Post | None:
        found = find(app, ids.post_id(unit_code, post_code))
        return found if isinstance(found, Post) else None

    def unit(code: str) -> Unit | None:
        found = find(app, ids.unit_id(code))
        return found if isinstance(found, Unit) else None

    return Lookups(post, unit)


def detached(cadre: Cadre) -> Cadre:
    """A copy of ``cadre`` that applying later events to ``cadre`` leaves as it is, without ``deepcopy``
    (a whole record's dicts and dates, once per late entry of a rebuild). Events change a cadre only by
    setting its attributes, adding to ``entries`` and ``correction_changes``, and on an entry record
    setting ``values`` (a new dict) and ``retracted_by`` and appending to ``corrections``
    (domain/cadre.py, domain/cadre_entries.py): those containers are copied, the values they hold are
    shared (tests/unit/test_detached_cadre.py compares with ``deepcopy`` over every kind of event)."""
    copied = copy.copy(cadre)
    copied.entries = {key: _record(record) for key, record in cadre.entries.items()}
    copied.correction_changes = dict(cadre.correction_changes)
    return copied


def _record(record: EntryRecord) -> EntryRecord:
    copied = copy.copy(record)
    copied.corrections = list(record.corrections)
    return copied


# The most the date of an instant in one time zone and in another can differ by (UTC−12 to UTC+14: 26 hours).
_DAYS_APART = 2


class RetroactiveFindings:
    def __init__(self, app: EventSource, findings: FindingsProjection) -> None:
        self.app, self.findings = app, findings
        self.lookups = lookups(app)
        # a bulk rebuild (``findings.fresh``): cadre -> the open-row cache keys it wrote, dropped with the
        # cadre (``discard``) — one per late entry, else they would pile up over the whole log
        self._keys: dict[UUID, list[tuple[str, str]]] = {}

    def discard(self, cadre_id: UUID) -> None:
        """A bulk rebuild is done with the cadre: its late entries' open rows will not be asked for again."""
        for key in self._keys.pop(cadre_id, ()):
            self.findings.open_cache.pop(key, None)

    def forget(self) -> None:
        self._keys.clear()

    def snapshot(self, event: Any, before: Cadre | None) -> Cadre | None:
        """The cadre before the event, kept apart (applying the event changes the cached aggregate in place)
        when the event may record a late entry; else None (nothing will be compared)."""
        if before is None:
            return None
        earliest = self._earliest(event, before)
        if earliest is None:
            return None
        days = self.app.config.int("monitors.retroactive_days")
        instant = event.timestamp
        if instant.tzinfo is not None and (instant.date() - earliest).days + _DAYS_APART <= days:
            return None  # on time whatever the time zone (most entries: no time zone lookup)
        recorded_on = local_date(instant, self.app.config)
        if (recorded_on - earliest).days <= days:
            return None
        return detached(before)

    @staticmethod
    def _earliest(event: Any, before: Cadre) -> date | None:
        """A lower bound of the earliest date the event changes (exact for a new entry)."""
        target = getattr(event, "target_entry_id", None)
        if target is None:
            day = getattr(event, "effective_on", None)
            return day if isinstance(day, date) else None
        if target not in before.entries:
            return None
        root = before.entries[before.root_of(target)]
        days = [root.effective_on, as_date(root.original.get("effective_on")),
                as_date((getattr(event, "changes", None) or {}).get("effective_on")),
                *(as_date(before.correction_changes[c][1].get("effective_on")) for c in root.corrections)]
        known = [d for d in days if d is not None]
        return min(known) if known else None

    def apply(self, conn: Connection, writer: PageWriter, event: Any, before: Cadre | None, after: Cadre,
              ts: datetime) -> None:
        """``before``: the ``snapshot`` taken before the event was applied (None: not late, or no record yet)."""
        entry_id: UUID | None = getattr(event, "entry_id", None)
        if entry_id is None or entry_id not in after.entries:
            return
        if type(event).__name__ == "EntryRetracted":
            self._write(conn, writer, after.id, event.target_entry_id, [], ts)
        if before is None:
            return
        found = impact(entry_id, before, after, self.lookups, self.app.config)
        if found is None or not found.late:
            return  # on time: nothing is computed, nothing is stored
        unit = unit_on(after.id, after.standing_entries(), self.lookups, found.recorded_on) \
            if found.changes_the_past else None
        self._write(conn, writer, after.id, entry_id, r_retroactive(found, unit, self.app.config), ts)

    def _write(self, conn: Connection, writer: PageWriter, cadre_id: UUID, entry_id: UUID, facts: list[Any],
               ts: datetime) -> None:
        key = str(entry_id)

        def owner() -> Any:
            return and_(FindingRow.cadre_id == str(cadre_id), FindingRow.rule == RULE, FindingRow.key == key)

        _replace(conn, writer, owner, list(map(finding_row, facts)), ts, self.findings.open_cache, (RULE, key),
                 self.findings.fresh)
        if self.findings.fresh:
            self._keys.setdefault(cadre_id, []).append((RULE, key))
