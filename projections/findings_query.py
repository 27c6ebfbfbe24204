"""Reading findings: status as of a date decided in SQL from the stored facts."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, case, false, literal, not_, or_, select

from domain.errors import NotFoundError
from domain.rules.catalog import RULES
from projections.models import FindingRow
from projections.scope import Scope, of, unit_in_scope
from projections.timeframe import Timeframe


def status_expression(as_of: date) -> Any:
    return case(
        (FindingRow.overridden, literal("overridden")),
        (and_(FindingRow.resolved_on.is_not(None), FindingRow.resolved_on <= as_of), literal("resolved")),
        else_=literal("open"),
    )


def _shape(row: Any, as_of: date) -> dict[str, Any]:
    f = row
    status = row.status
    rule = RULES.get(f.rule)
    return {
        "rule": f.rule, "rule_title": f"{rule.title_zh} ({rule.title_en})" if rule else f.rule,
        "cadre_id": f.cadre_id, "unit_code": f.unit_code, "key": f.key,
        "trigger_on": f.trigger_on.isoformat(), "due_on": f.due_on.isoformat() if f.due_on else None,
        "resolved_on": f.resolved_on.isoformat() if f.resolved_on else None, "status": status,
        "overdue": status == "open" and f.due_on is not None and as_of > f.due_on,
        "evidence": f.evidence, "resolution": f.resolution, "detail": f.detail,
    }


def findings(conn: Connection, tf: Timeframe, *, rule: str | None = None, unit: str | None = None,
             status: str | None = None, due_before: date | None = None, cadre_id: str | None = None,
             limit: int = 1000, scope: Scope = None) -> list[dict[str, Any]]:
    """Findings as of ``tf``; with a ``scope`` only those of a unit in scope or of a cadre in scope on
    ``tf.as_of`` (a ``unit`` filter out of scope is answered as a unit that does not exist)."""
    st = status_expression(tf.as_of)
    known = tf.known(FindingRow) if cadre_id else tf.known_now_by_equality(FindingRow)  # one cadre: its own index
    query = select(FindingRow, st.label("status")).where(known, FindingRow.trigger_on <= tf.as_of)
    j = of(scope)
    if j is not None:
        if unit and not unit_in_scope(conn, scope, unit):
            raise NotFoundError(f"单位不存在 (no such unit): {unit}")
        query = query.where(or_(j.unit_in(FindingRow.unit_code),
                                FindingRow.cadre_id.in_(j.present(tf.as_of, tf))))
    if rule:
        query = query.where(FindingRow.rule == rule)
    if unit:
        query = query.where(FindingRow.unit_code == unit)
    if cadre_id:
        query = query.where(FindingRow.cadre_id == cadre_id)
    if due_before:
        query = query.where(FindingRow.due_on < due_before)
    if status == "overridden":
        query = query.where(FindingRow.overridden)
    elif status == "resolved":
        query = query.where(not_(FindingRow.overridden), FindingRow.resolved_on <= tf.as_of)
    elif status == "open":
        query = query.where(not_(FindingRow.overridden),
                            or_(FindingRow.resolved_on.is_(None), FindingRow.resolved_on > tf.as_of))
    elif status is not None:
        query = query.where(false())
    query = query.order_by(FindingRow.due_on, FindingRow.rule, FindingRow.id).limit(limit)
    return [_shape(r, tf.as_of) for r in conn.execute(query)]


def findings_for(conn: Connection, cadre_id: str, tf: Timeframe) -> list[dict[str, Any]]:
    return findings(conn, tf, cadre_id=cadre_id)


def finding_counts(conn: Connection, tf: Timeframe, scope: Scope = None) -> list[dict[str, Any]]:
    """Open findings by rule and unit (the oversight dashboard), within ``scope``."""
    rows = findings(conn, tf, status="open", limit=1_000_000, scope=scope)
    counts: dict[tuple[str, str | None], int] = {}
    for r in rows:
        key = (r["rule"], r["unit_code"])
        counts[key] = counts.get(key, 0) + 1
    return [{"rule": k[0], "unit_code": k[1], "open": n} for k, n in sorted(counts.items(), key=lambda x: x[0][0])]
