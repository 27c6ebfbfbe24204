"""Every read the pages make, one small function per query, over the same read models as the JSON routes.

The pages call nothing else to read, so what the JSON routes apply — the caller's jurisdiction
(管辖范围, ``Principal.scopes`` passed as ``scope=`` exactly as ``api.deps.ScopeDep`` does), masking by
role, the growth-file read log — is applied here in one place per query. Out of scope reads as "does
not exist" (``NotFoundError`` → the 404 page), as in the API.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from fastapi import Request
from sqlalchemy import select

from api.auth import AUDITORS, masked_for, request_id
from api.pages.render import chinese_only, timed
from domain.errors import NotFoundError
from domain.selection import SelectionCase
from domain.unit import sequence_key
from domain.users import Principal
from jishi.bootstrap import Runtime
from projections.models import EntryRow, UnitRow
from projections.roster import names_of
from projections.timeframe import Timeframe
from service.users import record_read


def unit_tree(runtime: Runtime, user: Principal, as_of: date, known_at: datetime | None) -> list[dict[str, Any]]:
    """The units existing on ``as_of`` as a forest: ``[{code, name, kind, children: [...]}]``, each level in
    the 机构序列 (``domain.unit.sequence_key``: by kind, then code)."""
    tf = Timeframe(as_of, known_at)
    with runtime.read_models.engine.connect() as conn:
        rows = conn.execute(select(UnitRow.code, UnitRow.name, UnitRow.kind, UnitRow.parent_code)
                            .where(tf.known(UnitRow), tf.valid(UnitRow))).all()
    rows = sorted(rows, key=lambda r: sequence_key(r.kind, r.code))
    nodes = {r.code: {"code": r.code, "name": r.name, "kind": r.kind, "parent_code": r.parent_code,
                      "children": []} for r in rows}
    roots: list[dict[str, Any]] = []
    for node in nodes.values():
        parent = nodes.get(node["parent_code"] or "")
        (parent["children"] if parent is not None and parent is not node else roots).append(node)
    if user.scopes is None:
        return roots
    # a scoped user sees the subtrees of their roots (管辖范围), each root at the top
    return [nodes[code] for code in sorted(user.scopes) if code in nodes
            and not _below_another(nodes, code, user.scopes)]


def _below_another(nodes: dict[str, dict[str, Any]], code: str, roots: frozenset[str]) -> bool:
    seen, parent = {code}, nodes[code]["parent_code"]
    while parent and parent in nodes and parent not in seen:
        if parent in roots:
            return True
        seen.add(parent)
        parent = nodes[parent]["parent_code"]
    return False


def roster(runtime: Runtime, user: Principal, request: Request, unit_code: str, as_of: date,
           known_at: datetime | None) -> dict[str, Any]:
    """在职名册 (as ``GET /api/v1/units/{unit_code}/roster``)."""
    with timed(request, "read"):
        result: dict[str, Any] = runtime.read_models.roster(unit_code, as_of, known_at, scope=user.scopes)
    return result


def growth_file(runtime: Runtime, user: Principal, request: Request, cadre_id: UUID, as_of: date,
                known_at: datetime | None) -> dict[str, Any]:
    """成长档案 (as ``GET /api/v1/cadres/{cadre_id}/growth-file``): the read is recorded, then masked by role."""
    with timed(request, "read"):
        found: dict[str, Any] = runtime.read_models.growth_file(cadre_id, as_of, known_at, scope=user.scopes)
    with timed(request, "log"):  # 查阅留痕: an event in the store
        record_read(runtime.app, cadre_id, user.provenance(request_id(request)))
    result: dict[str, Any] = masked_for(user, found)
    return result


def roster_diff(runtime: Runtime, user: Principal, unit_code: str, as_of: date, known_at: datetime,
                vs: datetime) -> dict[str, Any]:
    """名册所载变化 (as ``GET /api/v1/units/{unit_code}/roster/diff``)."""
    result: dict[str, Any] = runtime.read_models.roster_diff(unit_code, as_of, known_at, vs, scope=user.scopes)
    return result


def growth_file_diff(runtime: Runtime, user: Principal, request: Request, cadre_id: UUID, as_of: date,
                     known_at: datetime, vs: datetime) -> dict[str, Any]:
    """档案所载变化 (as ``GET /api/v1/cadres/{cadre_id}/growth-file/diff``): a growth-file read, recorded
    and masked by role as the plain read is."""
    with timed(request, "read"):
        found = runtime.read_models.growth_file_diff(cadre_id, as_of, known_at, vs, scope=user.scopes,
                                                     mask=lambda read: masked_for(user, read))
    with timed(request, "log"):  # 查阅留痕
        record_read(runtime.app, cadre_id, user.provenance(request_id(request)))
    result: dict[str, Any] = masked_for(user, found)
    return result


def search(runtime: Runtime, user: Principal, *, as_of: date, limit: int, cursor: str | None,
           **filters: Any) -> dict[str, Any]:
    """干部查询 (as ``GET /api/v1/cadres``)."""
    page: dict[str, Any] = runtime.read_models.search(as_of=as_of, limit=limit, cursor=cursor, scope=user.scopes,
                                                      **filters)
    result: dict[str, Any] = masked_for(user, page)
    return result


def audit_trail(runtime: Runtime, user: Principal, kind: str, key: str, *, limit: int,
                after: int | None = None, **filters: Any) -> tuple[list[dict[str, Any]], int]:
    """审计轨迹 (as ``GET /api/v1/audit/...``) and how many rows the filters give over the whole history
    (``filters``: actor, unit, recorded_from, recorded_before, offset): the audit stream's own records
    only for auditors."""
    filters["user_events"] = user.role in AUDITORS
    items: list[dict[str, Any]] = runtime.read_models.audit_trail(kind, key, limit=limit,  # type: ignore[arg-type]
                                                                  after=after, scope=user.scopes, **filters)
    filters.pop("offset", None)
    total = runtime.read_models.audit_total(kind, key, scope=user.scopes, **filters)  # type: ignore[arg-type]
    return items, total


def audit_entry(runtime: Runtime, user: Principal, entry_id: UUID) -> dict[str, Any]:
    """One stored record (an override's evidence) as the audit trail shows it, if in the caller's scope."""
    return runtime.read_models.audit_entry(str(entry_id), scope=user.scopes)


def read_subjects(runtime: Runtime, positions: list[int]) -> dict[int, str]:
    """Position of a ``GrowthFileRead`` → the cadre whose file was read (from the store: the audit
    trail keeps no cadre on a read, whose subject is the reader's business, not the cadre's trail)."""
    found: dict[int, str] = {}
    for position in positions:
        for n in runtime.app.recorder.select_notifications(position, 1, stop=position,
                                                           topics=("jishi.audit.GrowthFileRead",)):
            event: Any = runtime.app.mapper.to_domain_event(n)
            found[n.id] = str(event.cadre_id)
    return found


def correction_diffs(runtime: Runtime, user: Principal, corrections: list[dict[str, Any]]
                     ) -> dict[str, list[tuple[str, Any, Any]]]:
    """Correction entry id → (field, value before, value after) for each field it changed: before =
    the corrected entry's (or case step's) original values with the standing corrections recorded
    before this one; after = this correction's value. Masked like the growth file."""
    aggregates: dict[str, Any] = {}
    found: dict[str, list[tuple[str, Any, Any]]] = {}
    for item in corrections:
        stream = item["stream"]
        if stream not in ("cadre", "case"):
            continue
        if item["stream_id"] not in aggregates:
            get = runtime.app.get_cadre if stream == "cadre" else runtime.app.get_case
            aggregates[item["stream_id"]] = get(UUID(item["stream_id"]))
        agg = aggregates[item["stream_id"]]
        records = agg.entries if stream == "cadre" else agg.records
        correction = UUID(item["entry_id"])
        if correction not in agg.correction_changes:
            continue
        root, changes = agg.correction_changes[correction]
        before = dict(records[root].original)
        for earlier in records[root].corrections:
            if earlier == correction:
                break
            if records[earlier].stands:
                before.update(agg.correction_changes[earlier][1])
        old = masked_for(user, {k: before.get(k) for k in changes})
        new = masked_for(user, dict(changes))
        found[item["entry_id"]] = [(k, old[k], new[k]) for k in changes]
    return found


def findings(runtime: Runtime, user: Principal, *, as_of: date, rule: str | None, unit: str | None,
             status: str | None, due_before: date | None, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    """监督发现 (as ``GET /api/v1/findings``)."""
    items = runtime.read_models.findings(rule=rule, unit=unit, status=status, due_before=due_before, as_of=as_of,
                                         known_at=None, limit=limit, offset=offset, scope=user.scopes)
    result: list[dict[str, Any]] = masked_for(user, items)
    # a finding's detail is a "中文 (English)" message: pages show its Chinese half (the API keeps both)
    return [{**f, "detail": chinese_only(f["detail"])} if isinstance(f.get("detail"), str) else f for f in result]


def finding_groups(runtime: Runtime, user: Principal, as_of: date, *, rule: str | None, unit: str | None,
                   due_before: date | None) -> dict[str, int]:
    """逾期 · 未到期 · 已整改 · 经批准例外放行 counts for the same filters (within the user's scope)."""
    return runtime.read_models.finding_groups(as_of, rule=rule, unit=unit, due_before=due_before, scope=user.scopes)


def finding_counts(runtime: Runtime, user: Principal, as_of: date) -> list[dict[str, Any]]:
    """Open findings by rule and unit (the oversight dashboard)."""
    return runtime.read_models.finding_counts(as_of, scope=user.scopes)


def unit_names(runtime: Runtime, user: Principal, codes: set[str], as_of: date) -> dict[str, str]:
    """unit code → name on ``as_of`` (the latest name, for a unit dissolved by then)."""
    if not codes:
        return {}
    tf = Timeframe(as_of, None)
    with runtime.read_models.engine.connect() as conn:
        rows = conn.execute(select(UnitRow.code, UnitRow.name, UnitRow.valid_from).where(
            UnitRow.code.in_(codes), tf.known(UnitRow), UnitRow.valid_from <= as_of).order_by(UnitRow.valid_from)).all()
    return {r.code: r.name for r in rows}


def cadre_names(runtime: Runtime, user: Principal, cadre_ids: set[str], as_of: date) -> dict[str, str]:
    """cadre id → name, for labelling links (only cadres ever in the caller's scope are named)."""
    ids = {c for c in cadre_ids if c}
    if user.scopes is not None:
        ever = runtime.read_models.cadres_ever_in_scope(user.scopes) or set()
        ids &= ever
    if not ids:
        return {}
    with runtime.read_models.engine.connect() as conn:
        return names_of(conn, ids, Timeframe(as_of, None))


def correction_changes(runtime: Runtime, user: Principal, entry_ids: set[str]) -> dict[str, dict[str, Any]]:
    """correction entry id → the fields it changed (``changes``), masked like the growth file."""
    if not entry_ids:
        return {}
    with runtime.read_models.engine.connect() as conn:
        rows = conn.execute(select(EntryRow.entry_id, EntryRow.values).where(
            EntryRow.entry_id.in_(entry_ids), EntryRow.type == "EntryCorrected")).all()
    found = {r.entry_id: dict(r.values.get("changes") or {}) for r in rows}
    result: dict[str, dict[str, Any]] = masked_for(user, found)
    return result


def selection_case(runtime: Runtime, user: Principal, case_id: UUID) -> SelectionCase:
    """选任纪实: the case's steps (a short stream, read from the store like ``eligibility``); a case for a
    post outside the caller's scope does not exist for them."""
    case = runtime.app.get_case(case_id)
    if not runtime.read_models.unit_in_scope(case.unit_code, user.scopes):
        raise NotFoundError(f"选任纪实不存在 (no such selection case): {case_id}")
    return case


def may_write_for(runtime: Runtime, user: Principal, cadre_id: UUID) -> None:
    """Opening a form for a cadre: only one ever in the caller's scope, or their own unplaced recruit — the
    service layer's jurisdiction check (``service/jurisdiction.py``), as every write is judged."""
    runtime.app.may_open(cadre_id, user.provenance(""))


def recorded_values(runtime: Runtime, user: Principal, record: dict[str, Any]) -> dict[str, Any]:
    """The values a record of a cadre's stream or a selection case stands with now (corrections applied),
    masked like the growth file; empty for a record of another stream."""
    stream_id, entry_id = UUID(record["stream_id"]), UUID(record["entry_id"])
    found: Any = None
    if record["stream"] == "cadre":
        found = runtime.app.get_cadre(stream_id).entry(entry_id)
    elif record["stream"] == "case":
        found = runtime.app.get_case(stream_id).record(entry_id)
    values: dict[str, Any] = masked_for(user, dict(found.values)) if found is not None else {}
    return values
