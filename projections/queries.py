"""The read side's one entry point: typed queries the HTTP layer and the web pages call.

Every query is indexed SQL over the read models — no stream is replayed on a request.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import Engine

from domain.rules.config import RuleConfig
from projections import audit, findings_query, growth_file, roster, search
from projections.runner import ProjectionRunner
from projections.timeframe import Timeframe

AuditKind = Literal["cadre", "unit", "post", "case", "actor"]


class ReadModels:
    def __init__(self, engine: Engine, config: RuleConfig, runner: ProjectionRunner | None = None) -> None:
        self.engine, self.config, self.runner = engine, config, runner

    def roster(self, unit_code: str, as_of: date, known_at: datetime | None) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return roster.roster(conn, unit_code, Timeframe(as_of, known_at))

    def growth_file(self, cadre_id: UUID, as_of: date, known_at: datetime | None) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return growth_file.growth_file(conn, str(cadre_id), Timeframe(as_of, known_at), self.config)

    def search(self, *, unit: str | None = None, pool: str | None = None, grade: str | None = None,
               rank: str | None = None, max_age: int | None = None, education: str | None = None,
               q: str | None = None, as_of: date, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return search.search(conn, Timeframe(as_of, None), unit=unit, pool=pool, grade=grade, rank=rank,
                                 max_age=max_age, education=education, q=q, limit=limit, cursor=cursor)

    def pool_members(self, pool: str, as_of: date, known_at: datetime | None) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return search.pool_members(conn, pool, Timeframe(as_of, known_at))

    def structure(self, unit_code: str | None, as_of: date) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return search.structure(conn, unit_code, Timeframe(as_of, None))

    def audit_trail(self, kind: AuditKind, key: str, *, limit: int = 500, after: int | None = None
                    ) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return audit.audit_trail(conn, kind, key, limit=limit, after=after)

    def findings(self, *, rule: str | None = None, unit: str | None = None, status: str | None = None,
                 due_before: date | None = None, as_of: date, known_at: datetime | None = None,
                 limit: int = 1000) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return findings_query.findings(conn, Timeframe(as_of, known_at), rule=rule, unit=unit,
                                           status=status, due_before=due_before, limit=limit)

    def finding_counts(self, as_of: date) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return findings_query.finding_counts(conn, Timeframe(as_of, None))

    def lag(self) -> dict[str, int]:
        return self.runner.lag() if self.runner else {}
