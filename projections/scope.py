"""管辖范围 Jurisdiction: which units, cadres and records a user may see — as SQL over the read models.

A user is bound to one or more unit subtrees (their *roots*); ``None`` is the whole tree.

* **Units in scope** ``U(S)``: the roots and every unit below them through ``rm_unit.parent_code``,
  over the unit rows the record holds now (every valid-time version, so dissolved and renamed
  units stay in the tree). Computed by a recursive CTE in the query itself: nothing to cache,
  never stale (a unit registered a moment ago is in scope at once).
* **A cadre is in scope on day D as known at T** when a span known at T covers D and is either a
  post (``kind = 'post'``) of a unit in ``U(S)`` or a secondment (``kind = 'secondment'``) whose
  host (``label``, a unit code) is in ``U(S)`` — so a seconded cadre is visible to the home and
  the host unit for the secondment's duration, and a transferred cadre to the old unit for the
  period they served there, never after. A cadre who never held a post is visible only to
  whole-tree users.
* **Reach** of a cadre: the end of their last in-scope span, as known now. An entry of their
  record is visible when it is effective before the reach (corrections and retractions by the
  date of the entry they change) or names a unit in scope (an appointment to, a dismissal from
  it): exactly the entries the growth files the user may open (as of a day in the period) show.
* **An audit row** (any stored event) is visible when it names a unit in scope, belongs to the
  stream of a unit or post in scope, to a selection case opened for a post in scope, or is an
  entry of a cadre's record visible as above. The feed and the ledger's inclusion proofs use it.

Every predicate is an indexed subquery (``ix_rm_span_unit``, ``ix_rm_span_label``,
``rm_unit.parent_code``, ``rm_audit.unit_code``/``case_id``), so lists are filtered by the
database, never by loading whole tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import QueryableAttribute, aliased

from projections.models import NEVER, AuditRow, SpanRow, UnitRow
from projections.timeframe import Timeframe

Scope = frozenset[str] | None  # the roots of the user's subtrees; None = the whole tree


def normalise(scope: Iterable[str] | None) -> Scope:
    """A scope as the read side takes it: None stays None (whole tree), anything else a frozenset."""
    return None if scope is None else frozenset(scope)


class Jurisdiction:
    """The SQL of one scoped query: build one per statement (its CTE is named once)."""

    def __init__(self, roots: frozenset[str]) -> None:
        self.roots = roots
        self._units: CTE | None = None

    @property
    def units(self) -> CTE:
        """``U(S)``: the roots and their descendants, as the unit tree stands in the record now."""
        if self._units is None:
            child = aliased(UnitRow)
            base = select(UnitRow.code.label("code")).where(
                UnitRow.code.in_(sorted(self.roots) or [""]), UnitRow.recorded_to == NEVER)
            cte = base.cte("scope_units", recursive=True)  # one name: the compiled statements are cached
            self._units = cte.union(select(child.code).where(
                child.parent_code == cte.c.code, child.recorded_to == NEVER))
        return self._units

    def codes(self) -> Select[Any]:
        return select(self.units.c.code)

    def unit_in(self, column: QueryableAttribute[Any] | ColumnElement[Any]) -> ColumnElement[bool]:
        return column.in_(self.codes())

    # ——— cadres ———

    def spans(self, known: Any, *, columns: tuple[str, ...] = ("cadre_id",),
              day: date | None = None, cadre_id: str | None = None) -> Select[Any]:
        """The in-scope spans (posts in ``U(S)``, secondments hosted there) under ``known``
        (a function of the aliased table giving the recorded-time condition)."""
        parts = []
        for kind, column in (("post", "unit_code"), ("secondment", "label")):
            s = aliased(SpanRow)
            conditions = [s.kind == kind, self.unit_in(getattr(s, column)), known(s)]
            if day is not None:
                conditions += [s.valid_from <= day, s.valid_to > day]
            if cadre_id is not None:
                conditions.append(s.cadre_id == cadre_id)
            parts.append(select(*(getattr(s, c).label(c) for c in columns)).where(*conditions))
        return union_all(*parts)  # type: ignore[return-value]

    def present(self, day: date, tf: Timeframe) -> Select[Any]:
        """Ids of the cadres in scope on ``day`` as the record stood at ``tf``'s instant."""
        return self.spans(tf.known, day=day)

    def reach(self) -> Any:
        """(cadre_id, until): the end of each cadre's last in-scope span, as known now."""
        spans = self.spans(_now, columns=("cadre_id", "valid_to")).subquery()
        return select(spans.c.cadre_id, func.max(spans.c.valid_to).label("until")) \
            .group_by(spans.c.cadre_id).subquery()

    # ——— audit rows (stored events) ———

    def audit_visible(self, a: Any = AuditRow) -> ColumnElement[bool]:
        """Whether the stored event of row ``a`` (``rm_audit``) concerns something in scope."""
        other = aliased(AuditRow)
        unit_streams = select(other.stream_id).where(other.stream == "unit", self.unit_in(other.unit_code))
        post_other = aliased(AuditRow)
        post_streams = select(post_other.stream_id).where(post_other.stream == "post",
                                                          self.unit_in(post_other.unit_code))
        case_other = aliased(AuditRow)
        cases = select(case_other.case_id).where(case_other.stream == "case", case_other.type == "CaseOpened",
                                                 self.unit_in(case_other.unit_code))
        day = entry_day(a)
        reach = self.reach()
        in_reach = exists(select(literal(1)).select_from(reach).where(
            reach.c.cadre_id == a.cadre_id, day < reach.c.until))
        return or_(
            self.unit_in(a.unit_code),
            and_(a.stream == "unit", a.stream_id.in_(unit_streams)),
            and_(a.stream == "post", a.stream_id.in_(post_streams)),
            and_(a.stream == "case", a.case_id.in_(cases)),
            and_(a.stream == "cadre", in_reach),
        )


CHAIN = 3  # corrections of corrections followed this deep to the entry they change


def entry_day(a: Any, depth: int = CHAIN) -> Any:
    """The effective date that places audit row ``a`` in time: its own, or for a correction or
    retraction that of the entry it changes (following corrections of corrections)."""
    changes = func.coalesce(a.corrects, a.retracts)
    if depth == 0:
        return a.effective_on
    target = aliased(AuditRow)
    inner = select(entry_day(target, depth - 1)).where(target.entry_id == changes).limit(1).scalar_subquery()
    return case((changes.is_(None), a.effective_on), else_=inner)


def _now(table: Any) -> ColumnElement[bool]:
    return table.recorded_to == NEVER  # type: ignore[no-any-return]


def of(scope: Scope) -> Jurisdiction | None:
    """The SQL helper of a scope, or None for the whole tree (no condition at all)."""
    return None if scope is None else Jurisdiction(frozenset(scope))


# ——— checks the queries and the API share ———

def unit_in_scope(conn: Connection, scope: Scope, code: str) -> bool:
    j = of(scope)
    if j is None:
        return True
    return conn.execute(select(j.units.c.code).where(j.units.c.code == code).limit(1)).first() is not None


def units_in_scope(conn: Connection, scope: Scope) -> set[str] | None:
    """``U(S)``: the codes of every unit in scope (None: the whole tree)."""
    j = of(scope)
    if j is None:
        return None
    return set(conn.execute(j.codes()).scalars())


def cadre_in_scope(conn: Connection, scope: Scope, cadre_id: str, day: date, tf: Timeframe) -> bool:
    """Whether the cadre is in scope on ``day`` as the record stood at ``tf``'s instant."""
    j = of(scope)
    if j is None:
        return True
    return conn.execute(select(literal(1)).select_from(
        j.spans(tf.known, day=day, cadre_id=cadre_id).subquery()).limit(1)).first() is not None


def cadre_reach(conn: Connection, scope: Scope, cadre_id: str) -> date | None:
    """The end of the cadre's last in-scope span as known now (``FAR`` while in scope), or None
    if the cadre was never in scope (whole tree: ``FAR`` for every cadre)."""
    from projections.models import FAR

    j = of(scope)
    if j is None:
        return FAR
    spans = j.spans(_now, columns=("cadre_id", "valid_to"), cadre_id=cadre_id).subquery()
    until = conn.execute(select(func.max(spans.c.valid_to))).scalar()
    return until if isinstance(until, date) else (date.fromisoformat(until) if until else None)


def cadres_ever(conn: Connection, scope: frozenset[str]) -> set[str]:
    """Ids of the cadres ever in scope, as known now."""
    reach = Jurisdiction(frozenset(scope)).reach()
    return set(conn.execute(select(reach.c.cadre_id)).scalars())


def ever_placed(conn: Connection, cadre_id: str) -> bool:
    """Whether the record (as known now) gives the cadre any post or secondment at all."""
    return conn.execute(select(literal(1)).where(
        SpanRow.cadre_id == cadre_id, SpanRow.kind.in_(("post", "secondment")),
        SpanRow.recorded_to == NEVER).limit(1)).first() is not None


def last_post_unit(conn: Connection, cadre_id: str, day: date) -> str | None:
    """The unit of the cadre's latest post begun on or before ``day`` (as known now), if any: the unit
    that last held the cadre (whose organisation department moves them on)."""
    row = conn.execute(select(SpanRow.unit_code).where(
        SpanRow.cadre_id == cadre_id, SpanRow.kind == "post", SpanRow.recorded_to == NEVER,
        SpanRow.valid_from <= day).order_by(SpanRow.valid_from.desc(), SpanRow.valid_to.desc()).limit(1)).first()
    return row[0] if row else None


def entry_cadre_visible(conn: Connection, scope: Scope, entry_id: str) -> str | None:
    """The cadre whose record holds the entry ``entry_id``, if ``scope`` may see that entry (as the audit
    trail shows it); None: no such entry, or not in scope."""
    j = of(scope)
    row = select(AuditRow.stream_id).where(AuditRow.entry_id == entry_id, AuditRow.stream == "cadre")
    if j is not None:
        row = row.where(j.audit_visible())
    found = conn.execute(row.limit(1)).scalar()
    return None if found is None else str(found)


def audit_position_visible(conn: Connection, scope: Scope, position: int) -> bool:
    """Whether the stored event at ``position`` concerns something in scope (for ledger proofs)."""
    j = of(scope)
    row = select(literal(1)).where(AuditRow.position == position)
    if j is not None:
        row = row.where(j.audit_visible())
    return conn.execute(row.limit(1)).first() is not None

