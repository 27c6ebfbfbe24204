"""审计轨迹: every stored event in recorded order, linked to what it corrects or retracts."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any

from domain.errors import NotFoundError
from domain.recorded import entry_id_of, id_text
from projections.scope import Scope

STREAMS = {"cadre", "unit", "post", "case", "audit", "calendar", "import"}
CORRECTIONS = {"EntryCorrected", "StepCorrected"}  # of a cadre's entry, of a selection-case step
RETRACTIONS = {"EntryRetracted", "StepRetracted"}


def type_label(event_type: str) -> str:
    """The Chinese name of a record's event type (an entry, a case step or its change, the calendar, users)."""
    return _type_labels().get(event_type, event_type)


@lru_cache(maxsize=256)
def _stream_of(topic: str) -> str:
    """The stream a topic names (``jishi.cadre.Appointed`` → ``cadre``; ``other`` for anything else)."""
    return topic.split(".")[1] if topic.count(".") >= 2 else "other"


def audit_row(event: Any, topic: str, position: int, ts: datetime) -> dict[str, Any] | None:
    stream = _stream_of(topic)
    values = vars(event)
    get = values.get
    effective = get("effective_on")
    stream_id = id_text(event.originator_id)  # ids as text: remembered, an entry's is wanted again (entry rows)
    cadre_id = unit_code = post_code = case_id = None
    if stream == "cadre":
        cadre_id = stream_id
        unit_code, post_code = get("unit_code"), get("post_code")
    elif stream == "unit":
        unit_code = get("code") or None
    elif stream == "post":
        unit_code, post_code = get("unit_code"), get("post_code")
    elif stream == "case":
        case_id = stream_id
        unit_code, post_code = get("unit_code"), get("post_code")
        cadre = get("cadre_id")
        cadre_id = str(cadre) if cadre else None
    elif stream == "assessment":  # a unit's 年度考核 participants (参加考核人数)
        unit_code = get("unit_code")
    elif stream == "audit":  # a user's scope granted or revoked names the unit (管辖范围)
        code = get("unit_code")
        unit_code = code if isinstance(code, str) else None
    event_type = type(event).__name__
    reason = get("reason")
    overrides = get("overrides")
    return {
        "position": position,
        "entry_id": id_text(entry_id_of(event.originator_id, event.originator_version)),
        "stream_id": stream_id,
        "stream": stream if stream in STREAMS else "other",
        "type": event_type,
        "effective_on": effective if isinstance(effective, date) else None,
        "recorded_at": ts,
        "actor": get("actor") or "",
        "actor_role": get("actor_role") or "",
        "document_no": get("document_no"),
        "reason": reason if isinstance(reason, str) else None,
        "corrects": str(event.target_entry_id) if event_type in CORRECTIONS else None,
        "retracts": str(event.target_entry_id) if event_type in RETRACTIONS else None,
        "overrides": list(overrides) if overrides else [],
        "override_reason": get("override_reason"),
        "cadre_id": cadre_id,
        "unit_code": unit_code,
        "post_code": post_code,
        "case_id": case_id,
    }


# every module that declares stored events (their classes carry a Chinese ``LABEL``)
EVENT_MODULES = ("domain.cadre_entries", "domain.selection", "domain.calendar_year", "domain.users",
                 "domain.permissions", "domain.post", "domain.unit", "domain.id_claims", "domain.assessment_round",
                 "domain.imports", "domain.signin", "domain.bulk_reads")


@cache
def _type_labels() -> dict[str, str]:
    """Chinese names of every event type a trail can show: entries, case steps and their changes, units,
    posts, the calendar, assessment rounds, users, scopes, permissions and growth-file reads."""
    import importlib

    from eventsourcing.domain import DomainEvent

    for module in EVENT_MODULES:
        importlib.import_module(module)
    found: dict[str, str] = {}
    pending: list[type] = [DomainEvent]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        label = getattr(cls, "LABEL", None)
        if cls.__module__.startswith("domain.") and isinstance(label, str) and label and "LABEL" in vars(cls):
            found[cls.__name__] = label
    return found


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


def _trail_where(conn: Any, kind: str, key: str, scope: Scope, *, actor: str | None, unit: str | None,
                 recorded_from: datetime | None, recorded_before: datetime | None,
                 user_events: bool) -> list[Any]:
    from projections.models import AuditRow
    from projections.scope import of

    j = of(scope)
    if j is not None and not _in_scope(conn, kind, key, scope):
        raise NotFoundError(NOT_FOUND[kind].format(key))
    where: list[Any] = [j.audit_visible()] if j is not None else []
    if kind == "cadre":
        where.append(AuditRow.cadre_id == key)
    elif kind == "unit":
        where.append(AuditRow.unit_code == key)
    elif kind == "post":
        unit_code, _, post_code = key.partition("/")
        where.extend([AuditRow.unit_code == unit_code, AuditRow.post_code == post_code])
    elif kind == "case":
        where.append(AuditRow.case_id == key)
    elif kind == "actor":
        where.append(AuditRow.actor == key)
    else:
        raise ValueError(kind)
    if actor is not None and kind != "actor":
        where.append(AuditRow.actor == actor)
    if unit is not None and kind == "actor":
        where.append(AuditRow.unit_code == unit)
    if recorded_from is not None:
        where.append(AuditRow.recorded_at >= recorded_from)
    if recorded_before is not None:
        where.append(AuditRow.recorded_at < recorded_before)
    if not user_events:
        where.append(AuditRow.stream != "audit")
    return where


def audit_trail(conn: Any, kind: str, key: str, *, limit: int = 500, after: int | None = None,
                scope: Scope = None, actor: str | None = None, unit: str | None = None,
                recorded_from: datetime | None = None, recorded_before: datetime | None = None,
                offset: int = 0, user_events: bool = True) -> list[dict[str, Any]]:
    """Entries in recorded order for a cadre, unit, post ("UNIT/POST"), selection case or actor.

    With a ``scope``: a subject out of scope is answered as one that does not exist, and only the
    rows the scope may see are listed (``projections/scope.py``: an entry of a cadre's record up to
    the end of their last in-scope period, events of units, posts and cases in scope). Narrowed in
    the query by ``actor`` (on a trail that is not an actor's), ``unit`` (on an actor's), the
    recorded instants ``recorded_from`` ≤ t < ``recorded_before`` (naive UTC, as stored) and, without
    ``user_events``, leaving out the audit stream's own records (users, scopes, reads)."""
    from sqlalchemy import select

    from projections.models import AuditRow

    where = _trail_where(conn, kind, key, scope, actor=actor, unit=unit, recorded_from=recorded_from,
                         recorded_before=recorded_before, user_events=user_events)
    if after is not None:
        where.append(AuditRow.position > after)
    query = select(AuditRow).where(*where).order_by(AuditRow.position).limit(limit).offset(offset)
    return [_shape(r) for r in conn.execute(query).all()]


def audit_total(conn: Any, kind: str, key: str, *, scope: Scope = None, actor: str | None = None,
                unit: str | None = None, recorded_from: datetime | None = None,
                recorded_before: datetime | None = None, user_events: bool = True) -> int:
    """How many rows ``audit_trail`` lists over the whole history with the same filters."""
    from sqlalchemy import func, select

    from projections.models import AuditRow

    where = _trail_where(conn, kind, key, scope, actor=actor, unit=unit, recorded_from=recorded_from,
                         recorded_before=recorded_before, user_events=user_events)
    return int(conn.execute(select(func.count()).select_from(AuditRow).where(*where)).scalar_one())


def _shape(r: Any) -> dict[str, Any]:
    return {
        "position": r.position, "entry_id": r.entry_id, "stream_id": r.stream_id, "stream": r.stream,
        "type": r.type, "type_label": type_label(r.type),
        "effective_on": r.effective_on.isoformat() if r.effective_on else None,
        "recorded_at": r.recorded_at.isoformat() + "Z", "actor": r.actor, "actor_role": r.actor_role,
        "document_no": r.document_no, "reason": r.reason, "corrects": r.corrects, "retracts": r.retracts,
        "overrides": r.overrides, "override_reason": r.override_reason, "cadre_id": r.cadre_id,
        "unit_code": r.unit_code, "post_code": r.post_code, "case_id": r.case_id,
    }


def audit_entry(conn: Any, entry_id: str, scope: Scope = None) -> dict[str, Any]:
    """One stored record by its entry id (an override's evidence), if ``scope`` may see it."""
    from sqlalchemy import select

    from projections.models import AuditRow
    from projections.scope import of

    query = select(AuditRow).where(AuditRow.entry_id == entry_id)
    j = of(scope)
    if j is not None:
        query = query.where(j.audit_visible())
    row = conn.execute(query.order_by(AuditRow.position).limit(1)).first()
    if row is None:
        raise NotFoundError(f"记录不存在 (no such record): {entry_id}")
    return _shape(row)


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
