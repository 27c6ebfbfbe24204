"""Oversight 监督: findings, team structure, talent pools."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request

from api.auth import masked_for
from api.deps import AsOf, KnownAt, Limit, ReadModelsDep, RequireReader, RuntimeDep, ScopeDep, known_instant
from api.exports import findings_xlsx, structure_xlsx
from api.schemas.reads import Findings, Pool, Structure
from api.schemas.types import QueryDay
from api.xlsx import XLSX_RESPONSES, FormatQuery, wants_xlsx
from domain.entry_values import Pool as PoolName

router = APIRouter(prefix="/api/v1", tags=["oversight 监督"])


@router.get("/findings", response_model=Findings, responses=XLSX_RESPONSES)
def findings(request: Request, user: RequireReader, reads: ReadModelsDep, runtime: RuntimeDep, scope: ScopeDep,
             rule: Annotated[str | None, Query(max_length=40, description="rule id, e.g. R-TALK-PROMO")] = None,
             unit: Annotated[str | None, Query(max_length=64, description="单位代码")] = None,
             status: Annotated[Literal["open", "overdue", "not_due", "resolved", "overridden"] | None, Query(
                 description="open · resolved · overridden (an item's status); overdue / not_due: the open ones "
                             "whose due date has passed / has not (or that have none), as of `as_of`")] = None,
             due_before: Annotated[QueryDay | None, Query(description="due strictly before this day")] = None,
             as_of: AsOf = None, known_at: KnownAt = None, limit: Limit = 1000, fmt: FormatQuery = None) -> Any:
    """监督发现: monitors' findings and overrides, by rule, unit, status and due date (of units in your
    scope, or of cadres in your scope on `as_of`). `format=xlsx`: the same rows as an Excel sheet."""
    day = as_of or runtime.app.today()
    items = reads.findings(rule=rule, unit=unit, status=status, due_before=due_before, as_of=day,
                           known_at=known_instant(known_at), limit=limit, scope=scope)
    result = {"as_of": day, "known_at": known_instant(known_at), "items": masked_for(user, items)}
    if not wants_xlsx(request, fmt):
        return result
    return findings_xlsx(result, reads.cadre_names({str(i["cadre_id"]) for i in items if i["cadre_id"]}, day))


@router.get("/structure", response_model=Structure, responses=XLSX_RESPONSES)
def structure(request: Request, user: RequireReader, reads: ReadModelsDep, runtime: RuntimeDep, scope: ScopeDep,
              unit: Annotated[str | None, Query(max_length=64, description="单位代码 (its subtree)")] = None,
              as_of: AsOf = None, known_at: KnownAt = None, fmt: FormatQuery = None) -> Any:
    """队伍结构: counts by age band, gender, ethnicity, education, political status, grade and rank
    (default: all the units in your scope) on `as_of`, as known at `known_at`. `format=xlsx`: the counts as
    an Excel sheet."""
    instant = known_instant(known_at)
    result: dict[str, Any] = reads.structure(unit, as_of or runtime.app.today(), scope=scope, known_at=instant)
    return structure_xlsx(result, known_at=instant) if wants_xlsx(request, fmt) else result


@router.get("/pools/{pool}", response_model=Pool)
def pool_members(pool: Annotated[PoolName, Path(description="人才库")], user: RequireReader,
                 reads: ReadModelsDep, runtime: RuntimeDep, scope: ScopeDep, as_of: AsOf = None,
                 known_at: KnownAt = None) -> dict[str, Any]:
    """人才库: the pool's members with entry date, last review, age, education, target grade
    (those in your scope on `as_of`)."""
    day = as_of or runtime.app.today()
    members = reads.pool_members(pool, day, known_instant(known_at), scope=scope)
    return {"pool": pool, "as_of": day, "known_at": known_instant(known_at), "members": masked_for(user, members)}
