"""The global event feed 事件流, for other systems: every record event in recorded order.

Internal streams are left out: ``jishi.system.*`` (idempotency keys) and ``jishi.audit.*``
(users and the log of reads). A scoped user (管辖范围) gets only the events that concern their
scope (``projections/scope.py``: events of units, posts and cases in scope, and the entries of a
cadre's record up to the end of the cadre's last period in scope), chosen in SQL over the audit
read model, so their feed reaches only as far as that read model (``next_after`` never passes it).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.auth import masked_for
from api.deps import RequireReader, RuntimeDep, ScopeDep
from api.schemas.reads import Feed
from domain.recorded import entry_id_of
from domain.schema import PROVENANCE_FIELDS, SYSTEM_FIELDS

router = APIRouter(prefix="/api/v1", tags=["feed 事件流"])
HIDDEN_PREFIXES = ("jishi.system.", "jishi.audit.")
NOT_DATA = SYSTEM_FIELDS | PROVENANCE_FIELDS | {"effective_on", "document_no", "reason"}


def _shape(notification: Any, event: Any) -> dict[str, Any]:
    values = vars(event)
    return {
        "position": notification.id,
        "entry_id": entry_id_of(event.originator_id, event.originator_version),
        "stream_id": event.originator_id, "version": event.originator_version,
        "type": type(event).__name__, "topic": notification.topic, "recorded_at": event.timestamp,
        "effective_on": values.get("effective_on"),
        "actor": values.get("actor", ""), "actor_role": values.get("actor_role", ""),
        "request_id": values.get("request_id", ""), "document_no": values.get("document_no"),
        "reason": values.get("reason") if isinstance(values.get("reason"), str) else None,
        "overrides": list(values.get("overrides", ())), "override_reason": values.get("override_reason"),
        "data": {k: v for k, v in values.items() if k not in NOT_DATA and not k.startswith("_")},
    }


@router.get("/events", response_model=Feed)
def events(user: RequireReader, runtime: RuntimeDep, scope: ScopeDep,
           after: Annotated[int, Query(ge=0, le=2**62,
                                       description="position of the last event you have (0 = start)")] = 0,
           limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    """事件流: events after `after` in global order; pass `next_after` back for the next page."""
    recorder, mapper = runtime.app.recorder, runtime.app.mapper
    head = recorder.max_notification_id() or 0
    if scope is not None:
        found, reached = _scoped(runtime, scope, after, limit, head)
        return {"items": masked_for(user, found), "next_after": reached, "head": head}
    items: list[dict[str, Any]] = []
    reached, start = after, after + 1
    while len(items) < limit and start <= head:
        notes = recorder.select_notifications(start, limit=max(limit, 100), stop=head)
        if not notes:
            break
        for note in notes:
            reached = note.id
            if note.topic.startswith(HIDDEN_PREFIXES):
                continue
            items.append(_shape(note, mapper.to_domain_event(note)))
            if len(items) == limit:
                break
        start = notes[-1].id + 1
    return {"items": masked_for(user, items), "next_after": max(reached, after), "head": head}


GAP = 200  # visible positions closer than this are fetched from the store in one query


def _scoped(runtime: Any, scope: frozenset[str], after: int, limit: int, head: int) -> tuple[list[dict[str, Any]], int]:
    """The events a scoped user may see after ``after``: positions chosen in SQL, then read from the store."""
    reads = runtime.read_models
    until = min(head, reads.projected("audit"))
    positions = reads.visible_positions(after, until, limit, scope)
    recorder, mapper = runtime.app.recorder, runtime.app.mapper
    wanted, items = set(positions), []
    i = 0
    while i < len(positions):
        j = i
        while j + 1 < len(positions) and positions[j + 1] - positions[i] < GAP:
            j += 1
        first, last = positions[i], positions[j]
        for note in recorder.select_notifications(first, limit=last - first + 1, stop=last):
            if note.id in wanted and not note.topic.startswith(HIDDEN_PREFIXES):
                items.append(_shape(note, mapper.to_domain_event(note)))
        i = j + 1
    reached = positions[-1] if len(positions) == limit else max(until, after)
    return items, reached
