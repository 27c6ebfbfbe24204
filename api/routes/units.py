"""Units 单位 and posts 职位: register, rename, dissolve; establish, change, abolish; the roster."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import TypeAdapter

from api.deps import AsOf, KnownAt, ReadModelsDep, RequireReader, RuntimeDep, ScopeDep, WriteDep, known_instant
from api.exports import roster_xlsx
from api.response_cache import cached_json
from api.routes._common import payload
from api.schemas.common import WriteResult, write_result
from api.schemas.entries import (
    AssessmentParticipants,
    EstablishmentChange,
    PostAbolition,
    PostEstablishment,
    UnitDissolution,
    UnitRegistration,
    UnitRenaming,
)
from api.schemas.reads import Roster
from api.xlsx import XLSX_RESPONSES, FormatQuery, wants_xlsx
from service.commands import (
    AbolishPost,
    ChangeEstablishment,
    DissolveUnit,
    EstablishPost,
    RecordAssessmentParticipants,
    RegisterUnit,
    RenameUnit,
)

router = APIRouter(prefix="/api/v1/units", tags=["units 单位与职位"])
UnitCode = Annotated[str, Path(min_length=1, max_length=32, description="单位代码 (unit code)")]
PostCode = Annotated[str, Path(min_length=1, max_length=32, description="职位代码 (post code)")]
ROSTER: TypeAdapter[Roster] = TypeAdapter(Roster)
WRITE: dict[str, Any] = {"status_code": 201, "response_model": WriteResult, "response_model_exclude_none": True}


@router.post("", **WRITE)
def register_unit(body: UnitRegistration, write: WriteDep, runtime: RuntimeDep) -> dict[str, Any]:
    """单位登记: register a unit in the tree (under a unit in your scope; top level: whole-tree users only)."""
    return write_result(runtime.execute(RegisterUnit(payload(body), idempotency_key=write.idempotency_key), write.by))


@router.post("/{unit_code}/renamings", **WRITE)
def rename_unit(unit_code: UnitCode, body: UnitRenaming, write: WriteDep, runtime: RuntimeDep) -> dict[str, Any]:
    """单位更名: rename a unit from a date."""
    command = RenameUnit(unit_code, payload(body), idempotency_key=write.idempotency_key)
    return write_result(runtime.execute(command, write.by))


@router.post("/{unit_code}/dissolutions", **WRITE)
def dissolve_unit(unit_code: UnitCode, body: UnitDissolution, write: WriteDep,
                  runtime: RuntimeDep) -> dict[str, Any]:
    """单位撤销: dissolve a unit from a date."""
    command = DissolveUnit(unit_code, payload(body), idempotency_key=write.idempotency_key)
    return write_result(runtime.execute(command, write.by))


@router.post("/{unit_code}/posts", **WRITE)
def establish_post(unit_code: UnitCode, body: PostEstablishment, write: WriteDep,
                   runtime: RuntimeDep) -> dict[str, Any]:
    """设立职位: establish a post with its grade (职务层次) and establishment (职数)."""
    command = EstablishPost(unit_code, payload(body), idempotency_key=write.idempotency_key)
    return write_result(runtime.execute(command, write.by))


@router.post("/{unit_code}/posts/{post_code}/establishment-changes", **WRITE)
def change_establishment(unit_code: UnitCode, post_code: PostCode, body: EstablishmentChange,
                         write: WriteDep, runtime: RuntimeDep) -> dict[str, Any]:
    """职数调整: change a post's establishment from a date (R-EST guards reductions)."""
    command = ChangeEstablishment(unit_code, post_code, payload(body), idempotency_key=write.idempotency_key)
    return write_result(runtime.execute(command, write.by))


@router.post("/{unit_code}/posts/{post_code}/abolitions", **WRITE)
def abolish_post(unit_code: UnitCode, post_code: PostCode, body: PostAbolition, write: WriteDep,
                 runtime: RuntimeDep) -> dict[str, Any]:
    """撤销职位: abolish a post (refused while someone holds it)."""
    command = AbolishPost(unit_code, post_code, payload(body), idempotency_key=write.idempotency_key)
    return write_result(runtime.execute(command, write.by))


@router.post("/{unit_code}/assessment-participants", **WRITE)
def record_assessment_participants(unit_code: UnitCode, body: AssessmentParticipants,
                                   write: WriteDep, runtime: RuntimeDep) -> dict[str, Any]:
    """参加考核人数: how many cadres took part in the unit's 年度考核 of a period, with the 文号 that says so.
    R-EXCELLENT-QUOTA then counts 优秀 against this number instead of the unit's post holders on the
    period's last day; the latest recorded number governs."""
    command = RecordAssessmentParticipants(unit_code, payload(body), idempotency_key=write.idempotency_key)
    return write_result(runtime.execute(command, write.by))


@router.get("/{unit_code}/roster", response_model=Roster, responses=XLSX_RESPONSES)
def roster(unit_code: UnitCode, request: Request, user: RequireReader, reads: ReadModelsDep, runtime: RuntimeDep,
           scope: ScopeDep, as_of: AsOf = None, known_at: KnownAt = None, fmt: FormatQuery = None) -> Any:
    """在职名册: the unit's posts, holders (with the 干部名册 columns: 性别, 出生年月, 民族, 学历, 政治面貌,
    任现职时间 `since`, 职级) , vacancies and secondments on `as_of`, as known at `known_at`.
    `format=xlsx`: the 干部名册 as an Excel sheet, one row per holder."""
    today = runtime.app.today()
    day, known = as_of or today, known_instant(known_at)
    if wants_xlsx(request, fmt):
        return roster_xlsx(reads.roster(unit_code, day, known, scope=scope))
    key = ("roster", unit_code, day, known and known.isoformat(), scope, today)
    return cached_json(request, key, lambda: reads.roster(unit_code, day, known, scope=scope), ROSTER)
