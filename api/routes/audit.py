"""Audit 审计轨迹: every entry in recorded order per cadre, unit, post, case or actor; and the read log."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request

from api.auth import AUDITORS
from api.deps import Limit, ReadModelsDep, RequireAuditor, RequireReader, RuntimeDep, ScopeDep
from api.exports import audit_xlsx
from api.schemas.reads import AuditTrail, BulkReads, Reads
from api.xlsx import XLSX_RESPONSES, FormatQuery, wants_xlsx
from domain.errors import NotFoundError
from domain.users import Principal
from service.bulk_reads import bulk_reads, visible_to
from service.users import reads as recorded_reads

router = APIRouter(prefix="/api/v1/audit", tags=["audit 审计"])
After = Annotated[int | None, Query(ge=0, le=2**62,
                                    description="only entries after this position (next_after of the last page)")]
Code = Annotated[str, Path(min_length=1, max_length=64)]


def _page(items: list[dict[str, Any]], limit: int, user: Principal | None = None) -> dict[str, Any]:
    """A page; the audit stream's own records (users, growth-file reads) only for auditors."""
    next_after = items[-1]["position"] if len(items) == limit else None
    if user is not None and user.role not in AUDITORS:
        items = [i for i in items if i.get("stream") != "audit"]
    return {"items": items, "next_after": next_after}


def _answer(page: dict[str, Any], request: Request, fmt: str | None, kind: str, key: str, runtime: Any) -> Any:
    """The page, or (``format=xlsx`` / ``Accept``) the same rows as an Excel sheet."""
    if not wants_xlsx(request, fmt):
        return page
    return audit_xlsx(page["items"], kind, key, made_on=runtime.app.today().isoformat())


@router.get("/cadres/{cadre_id}", response_model=AuditTrail, responses=XLSX_RESPONSES)
def cadre_trail(cadre_id: UUID, request: Request, runtime: RuntimeDep, user: RequireReader, reads: ReadModelsDep,
                scope: ScopeDep, after: After = None, limit: Limit = 500, fmt: FormatQuery = None) -> Any:
    """A cadre's entries in recorded order, with what each correction or retraction changed
    (scoped users: the entries up to the end of the cadre's last period in their scope)."""
    page = _page(reads.audit_trail("cadre", str(cadre_id), limit=limit, after=after, scope=scope), limit)
    return _answer(page, request, fmt, "cadre", str(cadre_id), runtime)


@router.get("/units/{unit_code}", response_model=AuditTrail, responses=XLSX_RESPONSES)
def unit_trail(unit_code: Code, request: Request, runtime: RuntimeDep, user: RequireReader, reads: ReadModelsDep,
               scope: ScopeDep, after: After = None, limit: Limit = 500, fmt: FormatQuery = None) -> Any:
    """A unit's events (and its posts' and holders' entries that name it) in recorded order."""
    page = _page(reads.audit_trail("unit", unit_code, limit=limit, after=after, scope=scope), limit)
    return _answer(page, request, fmt, "unit", unit_code, runtime)


@router.get("/posts/{unit_code}/{post_code}", response_model=AuditTrail, responses=XLSX_RESPONSES)
def post_trail(unit_code: Code, post_code: Code, request: Request, runtime: RuntimeDep, user: RequireReader,
               reads: ReadModelsDep, scope: ScopeDep, after: After = None, limit: Limit = 500,
               fmt: FormatQuery = None) -> Any:
    """A post's events and the entries that name it, in recorded order."""
    page = _page(reads.audit_trail("post", f"{unit_code}/{post_code}", limit=limit, after=after, scope=scope), limit)
    return _answer(page, request, fmt, "post", f"{unit_code}/{post_code}", runtime)


@router.get("/cases/{case_id}", response_model=AuditTrail, responses=XLSX_RESPONSES)
def case_trail(case_id: UUID, request: Request, runtime: RuntimeDep, user: RequireReader, reads: ReadModelsDep,
               scope: ScopeDep, after: After = None, limit: Limit = 500, fmt: FormatQuery = None) -> Any:
    """A selection case's steps (选任全程纪实) in recorded order."""
    page = _page(reads.audit_trail("case", str(case_id), limit=limit, after=after, scope=scope), limit)
    return _answer(page, request, fmt, "case", str(case_id), runtime)


@router.get("/actors/{actor}", response_model=AuditTrail, responses=XLSX_RESPONSES)
def actor_trail(actor: Code, request: Request, runtime: RuntimeDep, user: RequireReader, reads: ReadModelsDep,
                scope: ScopeDep, after: After = None, limit: Limit = 500, fmt: FormatQuery = None) -> Any:
    """Everything one user recorded, in recorded order — users added, scopes granted and revoked (管辖范围,
    the user and unit named in `reason`) included, for auditors (scoped users: what concerns their scope)."""
    page = _page(reads.audit_trail("actor", actor, limit=limit, after=after, scope=scope), limit, user)
    return _answer(page, request, fmt, "actor", actor, runtime)


@router.get("/reads", response_model=Reads)
def growth_file_reads(user: RequireAuditor, runtime: RuntimeDep, reads: ReadModelsDep, scope: ScopeDep,
                      cadre_id: Annotated[UUID | None, Query(description="only reads of this cadre's file")] = None,
                      after: After = None, limit: Limit = 500) -> dict[str, Any]:
    """查阅留痕: who read which growth file, when (auditors only; scoped: of cadres ever in their scope)."""
    visible = None
    if scope is not None:
        if cadre_id is not None and reads.cadre_reach(cadre_id, scope) is None:
            raise NotFoundError(f"干部不存在 (no such cadre): {cadre_id}")
        ever = reads.cadres_ever_in_scope(scope)
        visible = (lambda c: str(c) in ever)  # noqa: E731
    return _page(recorded_reads(runtime.app, cadre_id, after=after or 0, limit=limit, visible=visible), limit)


@router.get("/bulk-reads", response_model=BulkReads)
def bulk_read_log(user: RequireAuditor, runtime: RuntimeDep, reads: ReadModelsDep, scope: ScopeDep,
                  after: After = None, limit: Limit = 500) -> dict[str, Any]:
    """批量查阅留痕: who read which page of the event feed, search, Excel export or printed form, when (auditors
    only; scoped: reads of cadres ever in their scope and reads by users whose scope lies within theirs)."""
    visible = None if scope is None else visible_to(scope, reads.units_in_scope(scope),
                                                     reads.cadres_ever_in_scope(scope))
    return _page(bulk_reads(runtime.app, after=after or 0, limit=limit, visible=visible), limit)
