"""批量查阅留痕: a read of many records at once — a page of the event feed, a search, an Excel export, a
printed 任免审批表 or growth file — recorded like a growth-file read (``domain/users.py``): who, what, when.

Each read is an aggregate of its own (``ReadRecord``, one per read), so concurrent reads never contend
and nothing is loaded to append. ``what`` is the request as made (path and query), so an auditor sees
exactly which records were asked for; ``reader_scope`` the reader's 管辖范围 at the time (None: the
whole tree), so a scoped auditor sees the reads of readers within their own scope.
"""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from eventsourcing.domain import AggregateCreated

from domain.users import ReadRecord, UserEvent

BulkKind = Literal["feed", "search", "export", "print"]
KIND_LABELS: dict[str, str] = {"feed": "事件订阅", "search": "干部查询", "export": "导出", "print": "打印/审批表"}
WHAT_LENGTH = 1000  # the request's path and query, cut to this


class BulkRead(UserEvent, AggregateCreated):
    LABEL: ClassVar[str] = "批量查阅"
    kind: str
    what: str
    cadre_id: UUID | None = None  # the cadre a printed form or file is of, if one
    reader_scope: tuple[str, ...] | None = None

    def apply(self, record: ReadRecord) -> None:
        record.cadre_id = self.cadre_id
