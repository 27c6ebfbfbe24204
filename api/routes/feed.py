"""The global event feed 事件流, for other systems: every record event in recorded order.

Internal streams are left out: ``jishi.system.*`` (idempotency keys) and ``jishi.audit.*``
(users and the log of reads).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.auth import masked_for
from api.deps import RequireReader, RuntimeDep
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
def events(user: RequireReader, runtime: RuntimeDep,
           after: Annotated[int, Query(ge=0, le=2**62,
                                       description="position of the last event you have (0 = start)")] = 0,
           limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    """事件流: events after `after` in global order; pass `next_after` back for the next page."""
    recorder, mapper = runtime.app.recorder, runtime.app.mapper
    head = recorder.max_notification_id() or 0
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
