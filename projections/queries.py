"""The read side's one entry point: typed queries the HTTP layer and the web pages call.

Every query is indexed SQL over the read models — no stream is replayed on a request.
Every query takes the caller's ``scope`` (管辖范围, ``projections/scope.py``): the roots of their
unit subtrees, or ``None`` for the whole tree. A subject out of scope raises ``NotFoundError``
exactly as one that does not exist; lists hold only what is in scope.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import Engine

from domain.rules.config import RuleConfig
from projections import audit, belief_diff, calendar, findings_query, growth_file, roster, search
from projections import scope as scopes
from projections.runner import ProjectionRunner
from projections.scope import Scope
from projections.timeframe import Timeframe

log = logging.getLogger("jishi.projections")
AuditKind = Literal["cadre", "unit", "post", "case", "actor"]


class ReadModels:
    def __init__(self, engine: Engine, config: RuleConfig, runner: ProjectionRunner | None = None) -> None:
        self.engine, self.config, self.runner = engine, config, runner

    def roster(self, unit_code: str, as_of: date, known_at: datetime | None, *,
               scope: Scope = None) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return roster.roster(conn, unit_code, Timeframe(as_of, known_at), scope)

    def growth_file(self, cadre_id: UUID, as_of: date, known_at: datetime | None, *,
                    scope: Scope = None) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return growth_file.growth_file(conn, str(cadre_id), Timeframe(as_of, known_at), self.config, scope)

    def roster_diff(self, unit_code: str, as_of: date, known_at: datetime, vs: datetime, *,
                    scope: Scope = None) -> dict[str, Any]:
        """所载变化: the roster as known at ``known_at`` against as known at ``vs`` (later)."""
        with self.engine.connect() as conn:
            return belief_diff.roster_diff(conn, unit_code, as_of, known_at, vs, scope)

    def growth_file_diff(self, cadre_id: UUID, as_of: date, known_at: datetime, vs: datetime, *,
                         scope: Scope = None, mask: Callable[[Any], Any] = lambda read: read) -> dict[str, Any]:
        """所载变化: the growth file as known at ``known_at`` against as known at ``vs``, each masked first."""
        with self.engine.connect() as conn:
            return belief_diff.growth_file_diff(conn, str(cadre_id), as_of, known_at, vs, self.config, scope, mask)

    def search(self, *, unit: str | None = None, pool: str | None = None, grade: str | None = None,
               rank: str | None = None, max_age: int | None = None, education: str | None = None,
               q: str | None = None, as_of: date, limit: int = 50, cursor: str | None = None,
               scope: Scope = None) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return search.search(conn, Timeframe(as_of, None), unit=unit, pool=pool, grade=grade, rank=rank,
                                 max_age=max_age, education=education, q=q, limit=limit, cursor=cursor,
                                 scope=scope)

    def cadre_names(self, cadre_ids: set[str], as_of: date) -> dict[str, str]:
        """cadre id → name (as known now), to label rows that name cadres (the caller has read them in scope)."""
        with self.engine.connect() as conn:
            return roster.names_of(conn, cadre_ids, Timeframe(as_of, None))

    def pool_members(self, pool: str, as_of: date, known_at: datetime | None, *,
                     scope: Scope = None) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return search.pool_members(conn, pool, Timeframe(as_of, known_at), scope)

    def structure(self, unit_code: str | None, as_of: date, *, scope: Scope = None,
                  known_at: datetime | None = None) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return search.structure(conn, unit_code, Timeframe(as_of, known_at), scope)

    def audit_trail(self, kind: AuditKind, key: str, *, limit: int = 500, after: int | None = None,
                    scope: Scope = None, **filters: Any) -> list[dict[str, Any]]:
        """``filters``: ``audit.audit_trail``'s actor, unit, recorded_from, recorded_before, offset, user_events."""
        with self.engine.connect() as conn:
            return audit.audit_trail(conn, kind, key, limit=limit, after=after, scope=scope, **filters)

    def audit_total(self, kind: AuditKind, key: str, *, scope: Scope = None, **filters: Any) -> int:
        with self.engine.connect() as conn:
            return audit.audit_total(conn, kind, key, scope=scope, **filters)

    def audit_entry(self, entry_id: str, *, scope: Scope = None) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return audit.audit_entry(conn, entry_id, scope)

    def findings(self, *, rule: str | None = None, unit: str | None = None, status: str | None = None,
                 due_before: date | None = None, as_of: date, known_at: datetime | None = None,
                 limit: int = 1000, offset: int = 0, scope: Scope = None) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return findings_query.findings(conn, Timeframe(as_of, known_at), rule=rule, unit=unit,
                                           status=status, due_before=due_before, limit=limit, offset=offset,
                                           scope=scope)

    def finding_groups(self, as_of: date, *, rule: str | None = None, unit: str | None = None,
                       due_before: date | None = None, scope: Scope = None) -> dict[str, int]:
        """逾期 · 未到期 · 已整改 · 经批准例外放行: how many findings in each, as of ``as_of``."""
        with self.engine.connect() as conn:
            return findings_query.finding_groups(conn, Timeframe(as_of, None), rule=rule, unit=unit,
                                                 due_before=due_before, scope=scope)

    def finding_counts(self, as_of: date, *, scope: Scope = None) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return findings_query.finding_counts(conn, Timeframe(as_of, None), scope)

    def calendar_years(self) -> list[dict[str, Any]]:
        """节假日安排: every year known now (built in or recorded), for everyone signed in."""
        with self.engine.connect() as conn:
            return calendar.calendar_years(conn)

    def calendar_year(self, year: int) -> dict[str, Any] | None:
        """One year's schedule as known now, with every recorded version; None if not known."""
        with self.engine.connect() as conn:
            return calendar.calendar_year(conn, year)

    # ——— jurisdiction (管辖范围): the scope model the service layer's policy asks ———

    def refresh(self) -> None:
        """Judge by the record as it stands: apply what other processes stored meanwhile (a failure
        is logged and the read models are used as they are; the follower keeps trying)."""
        if self.runner is None:
            return
        try:
            if any(lag > 0 for lag in self.runner.lag().values()):
                self.runner.catch_up()
        except Exception:
            log.exception("catching up before a scope check failed")

    def unit_in_scope(self, unit_code: str, scope: Scope) -> bool:
        """Whether the unit is in one of the scope's subtrees (always, for the whole tree)."""
        if scope is None:
            return True
        with self.engine.connect() as conn:
            return scopes.unit_in_scope(conn, scope, unit_code)

    def units_in_scope(self, scope: Scope) -> set[str] | None:
        """The codes of every unit in scope — the roots and all below them (None: the whole tree)."""
        if scope is None:
            return None
        with self.engine.connect() as conn:
            return scopes.units_in_scope(conn, scope)

    def cadre_in_scope(self, cadre_id: UUID | str, day: date, scope: Scope, known_at: datetime | None = None
                       ) -> bool:
        """Whether the cadre is in scope on ``day`` as the record stood at ``known_at`` (default now)."""
        if scope is None:
            return True
        with self.engine.connect() as conn:
            return scopes.cadre_in_scope(conn, scope, str(cadre_id), day, Timeframe(day, known_at))

    def cadre_reach(self, cadre_id: UUID | str, scope: Scope) -> date | None:
        """The end of the cadre's last in-scope period (``FAR`` while in scope; None: never in scope)."""
        with self.engine.connect() as conn:
            return scopes.cadre_reach(conn, scope, str(cadre_id))

    def cadres_ever_in_scope(self, scope: Scope) -> set[str] | None:
        """Ids of the cadres ever in scope, as known now (None: the whole tree, every cadre)."""
        if scope is None:
            return None
        with self.engine.connect() as conn:
            return scopes.cadres_ever(conn, scope)

    def last_post_unit(self, cadre_id: UUID | str, day: date) -> str | None:
        """The unit of the cadre's latest post begun on or before ``day`` (as known now)."""
        with self.engine.connect() as conn:
            return scopes.last_post_unit(conn, str(cadre_id), day)

    def ever_placed(self, cadre_id: UUID | str) -> bool:
        """Whether the record gives the cadre any post or secondment at all (as known now)."""
        with self.engine.connect() as conn:
            return scopes.ever_placed(conn, str(cadre_id))

    def entry_cadre(self, entry_id: UUID | str, scope: Scope) -> str | None:
        """The cadre of a recorded entry the scope may see (None: no such entry, or out of scope)."""
        with self.engine.connect() as conn:
            return scopes.entry_cadre_visible(conn, scope, str(entry_id))

    def event_visible(self, position: int, scope: Scope) -> bool:
        """Whether the stored event at ``position`` concerns something in scope (ledger proofs)."""
        with self.engine.connect() as conn:
            return scopes.audit_position_visible(conn, scope, position)

    def visible_positions(self, after: int, until: int, limit: int, scope: Scope) -> list[int]:
        """Positions in (after, until] of the events ``scope`` may see, in order (the feed)."""
        with self.engine.connect() as conn:
            return audit.visible_positions(conn, scope, after, until, limit)

    def projected(self, name: str = "audit") -> int:
        """How far the named projection has applied the event store."""
        from sqlalchemy import select

        from projections.models import Position

        with self.engine.connect() as conn:
            found = conn.execute(select(Position.position).where(Position.name == name)).scalar()
        return int(found or 0)

    def lag(self) -> dict[str, int]:
        return self.runner.lag() if self.runner else {}
