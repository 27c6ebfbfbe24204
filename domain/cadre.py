"""Cadre 干部: one stream per cadre holding every entry of their 成长纪实.

Entries are never changed. ``EntryCorrected`` overlays new values on an earlier entry and
``EntryRetracted`` voids one; the aggregate keeps, for each entry, its original values,
the corrections in order and whether it stands, so the rules can ask what the record
says now and what it said before any change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.bounds import MAX_CHANGES, REASON_LENGTH
from domain.recorded import RecordedEvent
from domain.schema import NOT_PAYLOAD, Items, Text


@dataclass
class EntryRecord:
    """One entry of a cadre's record as it stands after every correction."""

    entry_id: UUID
    type: str
    version: int
    recorded_at: datetime
    original: dict[str, Any]
    values: dict[str, Any]
    corrections: list[UUID] = field(default_factory=list)
    retracted_by: UUID | None = None
    overrides: tuple[str, ...] = ()

    @property
    def effective_on(self) -> date | None:
        value = self.values.get("effective_on")
        return value if isinstance(value, date) else None

    @property
    def stands(self) -> bool:
        return self.retracted_by is None


class Cadre(Aggregate):
    TOPIC = "jishi.Cadre"

    class Event(Aggregate.Event):
        TOPIC = "jishi.Cadre.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "jishi.Cadre.Created"

    def __init__(self) -> None:
        self.cadre_no = ""
        self.registrant_scope: frozenset[str] | None = None  # 管辖范围 of the registering user (None: whole tree)
        self.entries: dict[UUID, EntryRecord] = {}
        # correction entry id -> (target entry id, changes)
        self.correction_changes: dict[UUID, tuple[UUID, dict[str, Any]]] = {}

    @property
    def profile(self) -> dict[str, Any]:
        """The registration as it stands (corrections applied)."""
        first = next(iter(self.entries.values()))
        return first.values

    def standing_entries(self) -> list[EntryRecord]:
        """Entries that stand (not retracted, not corrections/retractions themselves)."""
        return [
            e for e in self.entries.values()
            if e.stands and e.type not in ("EntryCorrected", "EntryRetracted")
        ]

    def entry(self, entry_id: UUID) -> EntryRecord | None:
        return self.entries.get(entry_id)

    def root_of(self, entry_id: UUID) -> UUID:
        """A correction of a correction corrects the same underlying entry."""
        while entry_id in self.correction_changes:
            entry_id = self.correction_changes[entry_id][0]
        return entry_id

    def recompute(self, entry_id: UUID) -> None:
        """Rebuild an entry's values from its original and its standing corrections."""
        record = self.entries[entry_id]
        values = dict(record.original)
        for correction_id in record.corrections:
            if self.entries[correction_id].stands:
                values.update(self.correction_changes[correction_id][1])
        record.values = values


class CadreEntry(RecordedEvent):
    """Base of every entry on a cadre's stream (DOMAIN.md §4)."""

    STREAM: ClassVar[str] = "cadre"
    CATEGORY: ClassVar[str] = ""  # timeline grouping in the growth file

    def payload(self) -> dict[str, Any]:
        return {
            k: v for k, v in vars(self).items()
            if k not in NOT_PAYLOAD
        }

    def apply(self, cadre: Cadre) -> None:
        original = self.payload()
        entry_id = self.entry_id
        cadre.entries[entry_id] = EntryRecord(
            entry_id=entry_id,
            type=type(self).__name__,
            version=self.originator_version,
            recorded_at=self.timestamp,
            original=original,
            values=dict(original),  # a dict of its own: a correction replaces it, the original stays
            overrides=self.overrides,
        )


class EntryCorrected(CadreEntry):
    """更正: new values for some fields of an earlier entry, with a reason and 文号."""

    LABEL: ClassVar[str] = "更正"
    CATEGORY: ClassVar[str] = "更正与撤销"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {"reason": Annotated[str, Text(REASON_LENGTH)]}
    target_entry_id: UUID
    changes: Annotated[dict[str, Any], Items(0, MAX_CHANGES)]
    calendar_used: dict[str, Any] | None = None  # a promotion corrected: R-PUBLICITY's count (see Appointed)

    def apply(self, cadre: Cadre) -> None:
        super().apply(cadre)
        root = cadre.root_of(self.target_entry_id)
        cadre.entries[root].corrections.append(self.entry_id)
        cadre.correction_changes[self.entry_id] = (root, dict(self.changes))
        cadre.recompute(root)


class EntryRetracted(CadreEntry):
    """撤销记录: the earlier entry should never have been recorded."""

    LABEL: ClassVar[str] = "撤销记录"
    CATEGORY: ClassVar[str] = "更正与撤销"
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {"reason": Annotated[str, Text(REASON_LENGTH)]}
    target_entry_id: UUID

    def apply(self, cadre: Cadre) -> None:
        super().apply(cadre)
        target = cadre.entries[self.target_entry_id]
        target.retracted_by = self.entry_id
        if target.type == "EntryCorrected":
            root, _ = cadre.correction_changes[target.entry_id]
            cadre.recompute(root)
