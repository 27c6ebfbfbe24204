"""导入台账: an import of an office's Excel 台账 (or another file) is itself part of the record.

One ``ImportRecord`` stream per real import run, created by ``ImportRecorded`` when the run ends:
who imported (the provenance of the event), when, which file (name and SHA-256), what kind of
台账, and the counts — rows stored, refused, already stored — with the first problems of the
per-row report. Every entry the run stored carries ``request_id`` ``import:<import id>`` in its
provenance, so each links back to its import, and the import is in the ledger and the audit trail
like any other stored event. A dry run stores nothing, so it has no record.
"""

from __future__ import annotations

from typing import Any, ClassVar

from eventsourcing.domain import Aggregate, AggregateCreated

from domain.recorded import RecordedEvent

MAX_STORED_PROBLEMS = 1000  # the first problems of a run are kept with its record; all are counted
REQUEST_PREFIX = "import:"  # request_id of the entries an import stored: "import:<import id>"


class ImportRecord(Aggregate):
    TOPIC = "jishi.ImportRecord"

    class Event(Aggregate.Event):
        TOPIC = "jishi.ImportRecord.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "jishi.ImportRecord.Created"

    def __init__(self) -> None:
        self.file_name = ""
        self.sha256 = ""
        self.kind = ""
        self.rows = self.stored = self.refused = self.already_stored = 0
        self.problems: list[dict[str, Any]] = []
        self.problems_total = 0
        self.actor = ""
        self.actor_role = ""


class ImportRecorded(RecordedEvent, AggregateCreated):
    """导入台账: a file imported, with its counts (``reason`` says them in words for the audit trail)."""

    STREAM: ClassVar[str] = "import"
    LABEL: ClassVar[str] = "导入台账"
    file_name: str
    sha256: str
    kind: str
    rows: int
    stored: int
    refused: int
    already_stored: int
    problems: list[dict[str, Any]]
    problems_total: int

    def apply(self, record: ImportRecord) -> None:
        record.file_name, record.sha256, record.kind = self.file_name, self.sha256, self.kind
        record.rows, record.stored, record.refused = self.rows, self.stored, self.refused
        record.already_stored = self.already_stored
        record.problems, record.problems_total = list(self.problems), self.problems_total
        record.actor, record.actor_role = self.actor, self.actor_role


def summary(file_name: str, stored: int, refused: int, already_stored: int) -> str:
    """The counts in words (the audit trail shows them as the event's reason)."""
    return f"导入 {file_name}：存入 {stored} 行，拒绝 {refused} 行，已存在 {already_stored} 行"
