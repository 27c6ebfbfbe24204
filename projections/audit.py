"""审计轨迹: every stored event in recorded order, linked to what it corrects or retracts."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from domain.errors import NotFoundError
from domain.recorded import entry_id_of
from projections.scope import Scope

STREAMS = {"cadre", "unit", "post", "case", "audit", "calendar"}
CORRECTIONS = {"EntryCorrected", "StepCorrected"}  # of a cadre's entry, of a selection-case step
RETRACTIONS = {"EntryRetracted", "StepRetracted"}


def type_label(event_type: str) -> str:
    """The Chinese name of a record's event type (an entry, a case step or its change, the calendar, users)."""
    return _type_labels().get(event_type, event_type)


def audit_row(event: Any, topic: str, position: int, ts: datetime) -> dict[str, Any] | None:
    stream = topic.split(".")[1] if topic.count(".") >= 2 else "other"
    values = vars(event)
    effective = values.get("effective_on")
    cadre_id = unit_code = post_code = case_id = None
    if stream == "cadre":
        cadre_id = str(event.originator_id)
        unit_code, post_code = values.get("unit_code"), values.get("post_code")
    elif stream == "unit":
        unit_code = values.get("code") or None
    elif stream == "post":
        unit_code, post_code = values.get("unit_code"), values.get("post_code")
    elif stream == "case":
        case_id = str(event.originator_id)
        unit_code, post_code = values.get("unit_code"), values.get("post_code")
        cadre = values.get("cadre_id")
        cadre_id = str(cadre) if cadre else None
    elif stream == "assessment":  # a unit's 年度考核 participants (参加考核人数)
        unit_code = values.get("unit_code")
    elif stream == "audit":  # a user's scope granted or revoked names the unit (管辖范围)
        code = values.get("unit_code")
        unit_code = code if isinstance(code, str) else None
    event_type = type(event).__name__
    return {
        "position": position,
        "entry_id": str(entry_id_of(event.originator_id, event.originator_version)),
        "stream_id": str(event.originator_id),
        "stream": stream if stream in STREAMS else "other",
        "type": event_type,
        "effective_on": effective if isinstance(effective, date) else None,
        "recorded_at": ts,
        "actor": values.get("actor") or "",
        "actor_role": values.get("actor_role") or "",
        "document_no": values.get("document_no"),
        "reason": values.get("reason") if isinstance(values.get("reason"), str) else None,
        "corrects": str(event.target_entry_id) if event_type in CORRECTIONS else None,
        "retracts": str(event.target_entry_id) if event_type in RETRACTIONS else None,
        "overrides": list(values.get("overrides") or ()),
        "override_reason": values.get("override_reason"),
        "cadre_id": cadre_id,
        "unit_code": unit_code,
        "post_code": post_code,
        "case_id": case_id,
    }


@cache
def _type_labels() -> dict[str, str]:
    """Chinese names of every event type a trail can show: entries, case steps, the calendar, users."""
    from domain import permissions, signin, users
    from domain.cadre_entries import ENTRY_TYPES
    from domain.calendar_year import CalendarCorrected, CalendarPublished
    from domain.selection import CASE_EVENTS, STEP_CHANGES

    others = (CalendarPublished, CalendarCorrected, users.UserAdded, users.ScopeGranted, users.ScopeRevoked,
              users.TokenIssued, users.UserDisabled, permissions.PermissionGranted, permissions.PermissionRevoked,
              *signin.EVENTS)
    return {**{name: cls.LABEL for name, cls in ENTRY_TYPES.items()},
            **{name: cls.LABEL for name, cls in CASE_EVENTS.items()},
            **{name: cls.LABEL for name, cls in STEP_CHANGES.items()}, **{cls.__name__: cls.LABEL for cls in others}}


NOT_FOUND = {
    "cadre": "干部不存在 (no such cadre): {}", "unit": "单位不存在 (no such unit): {}",
    "post": "职位不存在 (no such post): {}", "case": "选任纪实不存在 (no such selection case): {}",
}


def _in_scope(conn: Any, kind: str, key: str, scope: Scope) -> bool:
    """Whether the trail's subject is in scope: a cadre ever in scope, a unit in scope, a post of one,
    a case opened for a post of one (an actor is no subject: their trail is filtered row by row)."""
    from sqlalchemy import select

    from projections.models import AuditRow
    from projections.scope import cadre_reach, unit_in_scope

    if kind == "cadre":
        return cadre_reach(conn, scope, key) is not None
    if kind in ("unit", "post"):
        return unit_in_scope(conn, scope, key.partition("/")[0])
    if kind == "case":
        unit = conn.execute(select(AuditRow.unit_code).where(
            AuditRow.case_id == key, AuditRow.type == "CaseOpened").limit(1)).scalar()
        return unit is not None and unit_in_scope(conn, scope, unit)
    return True


def audit_trail(conn: Any, kind: str, key: str, *, limit: int = 500, after: int | None = None,
                scope: Scope = None) -> list[dict[str, Any]]:
    """Entries in recorded order for a cadre, unit, post ("UNIT/POST"), selection case or actor.

    With a ``scope``: a subject out of scope is answered as one that does not exist, and only the
    rows the scope may see are listed (``projections/scope.py``: an entry of a cadre's record up to
    the end of their last in-scope period, events of units, posts and cases in scope)."""
    from sqlalchemy import select

    from projections.models import AuditRow
    from projections.scope import of

    j = of(scope)
    if j is not None and not _in_scope(conn, kind, key, scope):
        raise NotFoundError(NOT_FOUND[kind].format(key))
    query = select(AuditRow)
    if j is not None:
        query = query.where(j.audit_visible())
    if kind == "cadre":
        query = query.where(AuditRow.cadre_id == key)
    elif kind == "unit":
        query = query.where(AuditRow.unit_code == key)
    elif kind == "post":
        unit_code, _, post_code = key.partition("/")
        query = query.where(AuditRow.unit_code == unit_code, AuditRow.post_code == post_code)
    elif kind == "case":
        query = query.where(AuditRow.case_id == key)
    elif kind == "actor":
        query = query.where(AuditRow.actor == key)
    else:
        raise ValueError(kind)
    if after is not None:
        query = query.where(AuditRow.position > after)
    rows = conn.execute(query.order_by(AuditRow.position).limit(limit)).all()
    return [{
        "position": r.position, "entry_id": r.entry_id, "stream_id": r.stream_id, "stream": r.stream,
        "type": r.type, "type_label": type_label(r.type),
        "effective_on": r.effective_on.isoformat() if r.effective_on else None,
        "recorded_at": r.recorded_at.isoformat() + "Z", "actor": r.actor, "actor_role": r.actor_role,
        "document_no": r.document_no, "reason": r.reason, "corrects": r.corrects, "retracts": r.retracts,
        "overrides": r.overrides, "override_reason": r.override_reason, "cadre_id": r.cadre_id,
        "unit_code": r.unit_code, "post_code": r.post_code, "case_id": r.case_id,
    } for r in rows]


def visible_positions(conn: Any, scope: Scope, after: int, until: int, limit: int) -> list[int]:
    """Positions in (``after``, ``until``] of the record events ``scope`` may see, in order (the feed;
    the audit stream's users and reads are not part of it)."""
    from sqlalchemy import select

    from projections.models import AuditRow
    from projections.scope import of

    query = select(AuditRow.position).where(AuditRow.position > after, AuditRow.position <= until,
                                            AuditRow.stream != "audit")
    j = of(scope)
    if j is not None:
        query = query.where(j.audit_visible())
    return list(conn.execute(query.order_by(AuditRow.position).limit(limit)).scalars())
