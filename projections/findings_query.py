"""Reading findings: status as of a date decided in SQL from the stored facts."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Date, and_, case, false, func, literal, literal_column, not_, or_, select

from domain.errors import NotFoundError
from domain.rules.catalog import RULES
from projections.models import OPEN_UNTIL, FindingRow
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


# The status filter's values: the stored statuses, and the two halves of "open" on ``as_of`` —
# 逾期 (its due date passed) and 未到期 (due later, or a reminder with no due date).
STATUSES = ("open", "overdue", "not_due", "resolved", "overridden")
GROUPS = ("overdue", "not_due", "resolved", "overridden")


def group_expression(as_of: date) -> Any:
    """The page's four groups: 逾期 · 未到期 · 已整改 · 经批准例外放行, as of ``as_of``."""
    return case(
        (FindingRow.overridden, literal("overridden")),
        (and_(FindingRow.resolved_on.is_not(None), FindingRow.resolved_on <= as_of), literal("resolved")),
        (and_(FindingRow.due_on.is_not(None), FindingRow.due_on < as_of), literal("overdue")),
        else_=literal("not_due"),
    )


def _open_on(as_of: date, dialect: str) -> Any:
    """Not overridden, and not resolved by ``as_of``. PostgreSQL asks it as one range of
    ix_rm_finding_open_until's expression (``resolved_on`` is never FAR, so the two forms agree);
    SQLite reads the status columns off ix_rm_finding_open_due in due order, which suits it better."""
    if dialect == "postgresql":
        return and_(not_(FindingRow.overridden), literal_column(OPEN_UNTIL, Date) > as_of)
    return and_(not_(FindingRow.overridden), or_(FindingRow.resolved_on.is_(None), FindingRow.resolved_on > as_of))


def _where(conn: Connection, tf: Timeframe, *, rule: str | None, unit: str | None, status: str | None,
           due_before: date | None, cadre_id: str | None, scope: Scope) -> list[Any]:
    """The conditions every findings read shares (``findings``, ``finding_groups``)."""
    known = tf.known(FindingRow) if cadre_id else tf.known_now_by_equality(FindingRow)  # one cadre: its own index
    where: list[Any] = [known, FindingRow.trigger_on <= tf.as_of]
    j = of(scope)
    if j is not None:
        if unit and not unit_in_scope(conn, scope, unit):
            raise NotFoundError(f"单位不存在 (no such unit): {unit}")
        where.append(or_(j.unit_in(FindingRow.unit_code), FindingRow.cadre_id.in_(j.present(tf.as_of, tf))))
    if rule:
        where.append(FindingRow.rule == rule)
    if unit:
        where.append(FindingRow.unit_code == unit)
    if cadre_id:
        where.append(FindingRow.cadre_id == cadre_id)
    if due_before:
        where.append(FindingRow.due_on < due_before)
    open_on = _open_on(tf.as_of, conn.dialect.name)
    if status == "overridden":
        where.append(FindingRow.overridden)
    elif status == "resolved":
        where.extend([not_(FindingRow.overridden), FindingRow.resolved_on <= tf.as_of])
    elif status == "open":
        where.append(open_on)
    elif status == "overdue":
        where.extend([open_on, FindingRow.due_on < tf.as_of])
    elif status == "not_due":
        where.extend([open_on, or_(FindingRow.due_on.is_(None), FindingRow.due_on >= tf.as_of)])
    elif status is not None:
        where.append(false())
    return where


def findings(conn: Connection, tf: Timeframe, *, rule: str | None = None, unit: str | None = None,
             status: str | None = None, due_before: date | None = None, cadre_id: str | None = None,
             limit: int = 1000, offset: int = 0, scope: Scope = None) -> list[dict[str, Any]]:
    """Findings as of ``tf``, earliest due first; with a ``scope``
    only those of a unit in scope or of a cadre in scope on ``tf.as_of`` (a ``unit`` filter out of
    scope is answered as a unit that does not exist). ``status``: one of ``STATUSES``."""
    where = _where(conn, tf, rule=rule, unit=unit, status=status, due_before=due_before, cadre_id=cadre_id,
                   scope=scope)
    # the order of ix_rm_finding_open_due (an index scan that stops at the page's end); findings without
    # a due date sort as the backend sorts NULL (SQLite first, PostgreSQL last)
    order = (FindingRow.due_on, FindingRow.rule, FindingRow.id)
    shown = select(FindingRow, status_expression(tf.as_of).label("status"))
    if conn.dialect.name == "postgresql" and status in ("open", "overdue", "not_due"):
        # PostgreSQL would still walk ix_rm_finding_open_due in due order, reading the table row of every
        # resolved finding it filters (it cannot know the open ones are due late). The open rows are
        # first taken as one range of ix_rm_finding_open_until (a materialised CTE: a fence the LIMIT
        # cannot push the ordered scan through), the page's ids sorted from them, and then only the
        # page's rows read.
        found = select(FindingRow.id, FindingRow.due_on, FindingRow.rule).where(*where) \
            .cte("open_findings").prefix_with("MATERIALIZED")
        page = select(found.c.id).order_by(found.c.due_on, found.c.rule, found.c.id) \
            .limit(limit).offset(offset).subquery("page")
        query = shown.join(page, FindingRow.id == page.c.id).order_by(*order)
        return [_shape(r, tf.as_of) for r in conn.execute(query)]
    query = shown.where(*where).order_by(*order)
    return [_shape(r, tf.as_of) for r in conn.execute(query.limit(limit).offset(offset))]


def finding_groups(conn: Connection, tf: Timeframe, *, rule: str | None = None, unit: str | None = None,
                   due_before: date | None = None, scope: Scope = None) -> dict[str, int]:
    """How many findings fall in each of ``GROUPS`` as of ``tf`` (counted in SQL, not from a page)."""
    where = _where(conn, tf, rule=rule, unit=unit, status=None, due_before=due_before, cadre_id=None, scope=scope)
    group = group_expression(tf.as_of).label("grp")
    counted = dict(conn.execute(select(group, func.count()).where(*where).group_by(group)).tuples().all())
    return {g: int(counted.get(g, 0)) for g in GROUPS}


def findings_for(conn: Connection, cadre_id: str, tf: Timeframe) -> list[dict[str, Any]]:
    return findings(conn, tf, cadre_id=cadre_id)


def finding_counts(conn: Connection, tf: Timeframe, scope: Scope = None) -> list[dict[str, Any]]:
    """Open findings by rule and unit (the oversight dashboard), within ``scope``: ``open`` and,
    of those, ``overdue`` (counted in SQL)."""
    where = _where(conn, tf, rule=None, unit=None, status="open", due_before=None, cadre_id=None, scope=scope)
    overdue = func.sum(case((and_(FindingRow.due_on.is_not(None), FindingRow.due_on < tf.as_of), 1), else_=0))
    query = (select(FindingRow.rule, FindingRow.unit_code, func.count(), overdue).where(*where)
             .group_by(FindingRow.rule, FindingRow.unit_code))
    rows = sorted(conn.execute(query).tuples().all(), key=lambda r: (r[0], r[1] or ""))
    return [{"rule": rule, "unit_code": unit_code, "open": int(n), "overdue": int(late or 0)}
            for rule, unit_code, n, late in rows]
