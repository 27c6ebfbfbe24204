"""监督发现: the monitors of DOMAIN.md §6.2 run over each cadre's record after every event;
their finding facts are stored with recorded ranges so findings can be read as known at any
instant, and their status as of any date is decided in the query."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import Connection, and_, select

from domain import ids
from domain.application import Jishi
from domain.cadre import Cadre
from domain.codes import is_principal
from domain.history import derive
from domain.post import Post
from projections.derive import signature
from projections.models import FAR, NEVER, FindingRow, PostRow, SpanRow
from projections.writer import PageWriter

if TYPE_CHECKING:
    from projections.monitors.facts import FindingFact, PostInfo


def finding_row(fact: FindingFact) -> dict[str, Any]:
    row = {
        "rule": fact.rule, "cadre_id": str(fact.cadre_id) if fact.cadre_id else None,
        "unit_code": fact.unit_code, "key": fact.key[:80], "trigger_on": fact.trigger_on,
        "due_on": fact.due_on, "resolved_on": fact.resolved_on, "overridden": fact.overridden,
        "evidence": [str(e) for e in fact.evidence], "resolution": [str(e) for e in fact.resolution],
        "detail": fact.detail,
    }
    row["signature"] = signature(row)
    return row


class FindingsProjection:
    def __init__(self, app: Jishi, horizon: Callable[[], date]) -> None:
        self.app, self.horizon = app, horizon
        self._posts: dict[tuple[str, str], PostInfo | None] = {}
        self.open_cache: dict[Any, set[str]] = {}  # owner key -> signatures of its open rows

    def post_info(self, unit_code: str, post_code: str) -> PostInfo | None:
        from projections.monitors.facts import PostInfo

        key = (unit_code, post_code)
        if key not in self._posts:
            post: Post | None = self.app._find(Post, ids.post_id(*key))
            self._posts[key] = None if post is None else PostInfo(
                post.unit_code, post.post_code, post.grade, post.leadership, post.probation, post.title)
        return self._posts[key]

    def facts(self, cadre: Cadre) -> list[FindingFact]:
        from projections.monitors.facts import EntryFact
        from projections.monitors.registry import cadre_findings

        standing = cadre.standing_entries()
        entries = [EntryFact(e.entry_id, e.type, e.effective_on, e.values, e.overrides) for e in standing]
        posts = {}
        for key in derive(standing).posts():
            info = self.post_info(*key)
            if info is not None:
                posts[key] = info
        return cadre_findings(cadre.id, entries, posts, self.app.config, self.horizon())

    def apply(self, conn: Connection, writer: PageWriter, cadre: Cadre, ts: datetime) -> None:
        owner = and_(FindingRow.cadre_id == str(cadre.id))
        _replace(conn, writer, owner, list(map(finding_row, self.facts(cadre))), ts, self.open_cache, cadre.id)

    def apply_units(self, conn: Connection, writer: PageWriter, unit_codes: set[str], ts: datetime) -> None:
        """R-RUSH (突击提拔) for units whose posts changed hands, from the post spans as they
        now stand (the spans projection runs first in the same transaction)."""
        from projections.monitors.facts import EntryFact
        from projections.monitors.registry import unit_findings

        for unit_code in sorted(unit_codes):
            spans = conn.execute(select(SpanRow).where(
                SpanRow.kind == "post", SpanRow.unit_code == unit_code, SpanRow.recorded_to == NEVER)).all()
            principal = {p.post_code for p in conn.execute(select(PostRow.post_code, PostRow.grade).where(
                PostRow.unit_code == unit_code, PostRow.leadership, PostRow.recorded_to == NEVER))
                if is_principal(p.grade)}
            appointments = [(UUID(s.cadre_id), EntryFact(
                UUID(s.entry_id), "Appointed", s.valid_from,
                {"unit_code": unit_code, "post_code": s.post_code, "manner": s.label})) for s in spans if s.entry_id]
            departures = [(UUID(s.cadre_id), s.valid_to, UUID(s.data.get("ended_by") or s.entry_id))
                          for s in spans if s.post_code in principal and s.valid_to != FAR]
            facts = unit_findings(unit_code, appointments, departures, self.app.config)
            owner = and_(FindingRow.rule == "R-RUSH", FindingRow.unit_code == unit_code,
                         FindingRow.cadre_id.is_(None))
            _replace(conn, writer, owner, list(map(finding_row, facts)), ts, self.open_cache, ("R-RUSH", unit_code))


def _replace(conn: Connection, writer: PageWriter, owner: Any, rows: list[dict[str, Any]], ts: datetime,
             cache: dict[Any, set[str]], key: Any) -> None:
    """Close the open rows of ``owner`` that no longer hold and insert the new ones."""
    new = {r["signature"]: r for r in rows}
    open_rows = cache.get(key)
    if open_rows is None:
        open_rows = set(conn.execute(select(FindingRow.signature).where(owner, FindingRow.recorded_to == NEVER))
                        .scalars())
    cache[key] = set(new)
    for sig in open_rows:
        if sig not in new:
            writer.close(FindingRow, sig, ts)
    for sig, row in new.items():
        if sig not in open_rows:
            writer.insert(FindingRow, {**row, "recorded_from": ts, "recorded_to": NEVER})
