"""The reads of the selection-case pages (选任纪实), over the same read models as ``reads`` and with the
caller's jurisdiction applied the same way: the cases opened for posts of units in scope, the posts a
case may be opened for, the cadres a step may name. A case itself is a short stream, read from the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import select

from domain.selection import CASE_EVENTS, SelectionCase
from domain.users import Principal
from jishi.bootstrap import Runtime
from projections.models import AuditRow, PostRow, SpanRow
from projections.timeframe import Timeframe

FINAL_OUTCOMES = ("任用", "不予任用")  # 缓议 leaves the candidate's case open


@dataclass(frozen=True)
class CaseSummary:
    """One line of the case list."""

    case_id: str
    unit_code: str
    post_code: str
    method: str
    exceptional: bool
    opened_on: date
    current_step: str
    current_on: date
    candidates: int
    closed: bool


def is_closed(case: SelectionCase) -> bool:
    """已结束: every 考察对象 has a conclusion of 任用 or 不予任用 (a case nobody was shortlisted in is open)."""
    shortlisted = {c for s in case.steps_of("Shortlisted") for c in s.values["cadre_ids"]}
    return bool(shortlisted) and all(
        (found := case.conclusion(c)) is not None and found.values["outcome"] in FINAL_OUTCOMES for c in shortlisted)


def summary(case_id: str, case: SelectionCase) -> CaseSummary:
    last = max(case.steps, key=lambda s: (s.day, s.version))
    shortlisted = {c for s in case.steps_of("Shortlisted") for c in s.values["cadre_ids"]}
    step = f"结论：{last.values['outcome']}" if last.type == "CaseConcluded" else CASE_EVENTS[last.type].LABEL
    return CaseSummary(case_id, case.unit_code, case.post_code, case.method, case.exceptional, case.opened_on,
                       step, last.day, len(shortlisted), is_closed(case))


def case_ids(runtime: Runtime, user: Principal, limit: int) -> list[str]:
    """The ids of the cases opened for units in the caller's scope, the latest opened first."""
    units = runtime.read_models.units_in_scope(user.scopes)
    query = select(AuditRow.case_id).where(AuditRow.stream == "case", AuditRow.type == "CaseOpened")
    if units is not None:
        query = query.where(AuditRow.unit_code.in_(units))
    with runtime.read_models.engine.connect() as conn:
        rows = conn.execute(query.order_by(AuditRow.position.desc()).limit(limit)).scalars().all()
    return [r for r in rows if r]


def cases(runtime: Runtime, user: Principal, limit: int) -> list[CaseSummary]:
    """The case list: each case read from its stream (the list is bounded by ``limit``)."""
    return [summary(c, runtime.app.get_case(UUID(c))) for c in case_ids(runtime, user, limit)]


def posts(runtime: Runtime, user: Principal, as_of: date) -> dict[str, list[tuple[str, str]]]:
    """unit code → [(post code, title)] of the posts existing on ``as_of`` in units in scope."""
    units = runtime.read_models.units_in_scope(user.scopes)
    tf = Timeframe(as_of, None)
    query = select(PostRow.unit_code, PostRow.post_code, PostRow.title).where(tf.known(PostRow), tf.valid(PostRow))
    if units is not None:
        query = query.where(PostRow.unit_code.in_(units))
    found: dict[str, list[tuple[str, str]]] = {}
    with runtime.read_models.engine.connect() as conn:
        for r in conn.execute(query.order_by(PostRow.unit_code, PostRow.post_code)):
            found.setdefault(r.unit_code, []).append((r.post_code, r.title))
    return found


def post_titles(runtime: Runtime, pairs: set[tuple[str, str]], as_of: date) -> dict[tuple[str, str], str]:
    """(unit code, post code) → the post's title as the read model knows it on ``as_of`` (its latest, for a
    post abolished by then; the code, for one never known), in one query."""
    if not pairs:
        return {}
    tf = Timeframe(as_of, None)
    found: dict[tuple[str, str], str] = {}
    with runtime.read_models.engine.connect() as conn:
        for r in conn.execute(select(PostRow.unit_code, PostRow.post_code, PostRow.title).where(
                PostRow.unit_code.in_({u for u, _ in pairs}), tf.known(PostRow), PostRow.valid_from <= as_of
        ).order_by(PostRow.valid_from)):
            found[(r.unit_code, r.post_code)] = r.title
    return {pair: found.get(pair, pair[1]) for pair in pairs}


def post_title(runtime: Runtime, unit_code: str, post_code: str, as_of: date) -> str:
    return post_titles(runtime, {(unit_code, post_code)}, as_of)[(unit_code, post_code)]


def cadres(runtime: Runtime, user: Principal, as_of: date, limit: int) -> list[dict[str, Any]]:
    """The cadres a recommendation may name: those in scope on ``as_of`` (every cadre, for the whole
    tree), by name, each with the posts held that day (to tell two of a name apart)."""
    found = runtime.read_models.search(as_of=as_of, limit=limit, scope=user.scopes)["items"]
    ids = {c["cadre_id"] for c in found}
    tf = Timeframe(as_of, None)
    held: dict[str, list[tuple[str, str]]] = {}
    if ids:
        with runtime.read_models.engine.connect() as conn:
            for r in conn.execute(select(SpanRow.cadre_id, SpanRow.unit_code, SpanRow.post_code).where(
                    SpanRow.kind == "post", SpanRow.cadre_id.in_(ids), tf.known(SpanRow), tf.valid(SpanRow))):
                held.setdefault(r.cadre_id, []).append((r.unit_code or "", r.post_code or ""))
    return [{**c, "posts": held.get(c["cadre_id"], [])} for c in found]


def appointments(runtime: Runtime, case_id: UUID, cadre_ids: set[UUID]) -> dict[UUID, UUID]:
    """cadre id → the standing 任职 (``Appointed``) entry that cites the case, for those who have one."""
    found: dict[UUID, UUID] = {}
    for cadre_id in cadre_ids:
        for entry in runtime.app.get_cadre(cadre_id).standing_entries():
            if entry.type == "Appointed" and str(entry.values.get("selection_case_id") or "") == str(case_id):
                found[cadre_id] = entry.entry_id
    return found
