"""批量查阅留痕 in the service layer: record a bulk read (``domain/bulk_reads.py``) and list them for auditors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import Application

from domain.bulk_reads import WHAT_LENGTH, BulkRead
from domain.recorded import Provenance, provenance_fields
from domain.users import ReadRecord

TOPIC = "jishi.audit.BulkRead"
PAGE = 1000


def record_bulk_read(app: Application[UUID], by: Provenance, kind: str, what: str,
                     cadre_id: UUID | None = None) -> datetime:
    """Record that ``by`` read ``what`` (a feed page, search, export or print); returns when."""
    scope = None if by.scopes is None else tuple(sorted(by.scopes))
    record = ReadRecord._create(BulkRead, id=uuid4(), kind=kind, what=what[:WHAT_LENGTH], cadre_id=cadre_id,
                                reader_scope=scope, effective_on=None, **provenance_fields(by))
    event = record.pending_events[-1]
    app.save(record)
    return event.timestamp


def bulk_reads(app: Application[UUID], *, after: int = 0, limit: int = 100,
               visible: Callable[[Any], bool] | None = None) -> list[dict[str, Any]]:
    """Recorded bulk reads in recorded order after a position; with ``visible`` only those it accepts
    (a scoped auditor's: ``visible(event)``)."""
    found: list[dict[str, Any]] = []
    start = after + 1
    while len(found) < limit:
        notifications = app.recorder.select_notifications(start, PAGE, topics=(TOPIC,))
        for n in notifications:
            event: Any = app.mapper.to_domain_event(n)
            if visible is None or visible(event):
                found.append({"position": n.id, "kind": event.kind, "what": event.what, "cadre_id": event.cadre_id,
                              "reader": event.actor, "role": event.actor_role, "request_id": event.request_id,
                              "reader_scope": list(event.reader_scope) if event.reader_scope is not None else None,
                              "read_at": event.timestamp})
                if len(found) == limit:
                    break
        if len(notifications) < PAGE:
            break
        start = notifications[-1].id + 1
    return found


def visible_to(scope: frozenset[str] | None, units_in_scope: set[str] | None,
               cadres_ever: set[str] | None) -> Callable[[Any], bool] | None:
    """Which bulk reads an auditor of ``scope`` sees: all (whole tree: None); scoped, a read of a cadre ever
    in their scope, or a read by a reader whose whole scope lies within theirs (it could show nothing else)."""
    if scope is None:
        return None
    units, cadres = units_in_scope or set(), cadres_ever or set()

    def visible(event: Any) -> bool:
        if event.cadre_id is not None:
            return str(event.cadre_id) in cadres
        reader = event.reader_scope
        return reader is not None and bool(reader) and all(code in units for code in reader)

    return visible
