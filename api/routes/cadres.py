"""Cadres 干部: registration, entries, corrections, retractions; growth file, eligibility, search."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import TypeAdapter

from api.auth import SEES_SENSITIVE, id_number_search_refused, masked_for
from api.deps import (
    AsOf,
    KnownAt,
    Limit,
    ReadModelsDep,
    RequestId,
    RequireReader,
    RuntimeDep,
    ScopeDep,
    WriteDep,
    known_instant,
)
from api.exports import search_xlsx
from api.response_cache import cached_json
from api.routes._common import payload
from api.schemas.common import WriteResult, write_result
from api.schemas.entries import CadreRegistration, Correction, EntryRequest, Retraction
from api.schemas.reads import Eligibility, GrowthFile, SearchPage
from api.schemas.types import QueryDay
from api.xlsx import XLSX_RESPONSES, FormatQuery, wants_xlsx
from domain.entry_values import Rank
from domain.errors import FieldError, ValidationError
from service.commands import CorrectEntry, RecordEntry, RegisterCadre, RetractEntry
from service.jurisdiction import cadre_on, no_post

router = APIRouter(prefix="/api/v1/cadres", tags=["cadres 干部"])
CadreId = Annotated[UUID, Path(description="干部 id (uuid5 of cadre_no)")]
EntryId = Annotated[UUID, Path(description="记录 id (entry_id)")]
GROWTH_FILE: TypeAdapter[GrowthFile] = TypeAdapter(GrowthFile)
WRITE: dict[str, Any] = {"status_code": 201, "response_model": WriteResult, "response_model_exclude_none": True}


@router.post("", **WRITE)
def register_cadre(body: CadreRegistration, write: WriteDep, runtime: RuntimeDep) -> dict[str, Any]:
    """录用/建档: open a cadre's record; the response adds `cadre_id`. A new record belongs to no unit
    until an appointment places it (a scoped user may appoint a cadre the record never placed)."""
    return write_result(runtime.execute(RegisterCadre(payload(body), idempotency_key=write.idempotency_key), write.by))


@router.post("/{cadre_id}/entries", **WRITE)
def record_entry(cadre_id: CadreId, body: EntryRequest, write: WriteDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Record one entry of DOMAIN.md §4 (任职, 免职, 考核, 培训, 谈话 …); `type` names it.
    The cadre must be in your scope on the entry's date (任职/免职: the unit too)."""
    command = RecordEntry(cadre_id, body.type, payload(body), expected_version=write.expected(body.expected_version),
                          idempotency_key=write.idempotency_key)
    return write_result(runtime.execute(command, write.by))


@router.post("/{cadre_id}/entries/{entry_id}/corrections", **WRITE)
def correct_entry(cadre_id: CadreId, entry_id: EntryId, body: Correction, write: WriteDep,
                  runtime: RuntimeDep) -> dict[str, Any]:
    """更正: new values for some fields of an earlier entry, with a reason (and 文号)."""
    command = CorrectEntry(cadre_id, entry_id, payload(body), expected_version=write.expected(body.expected_version),
                           idempotency_key=write.idempotency_key)
    return write_result(runtime.execute(command, write.by))


@router.post("/{cadre_id}/entries/{entry_id}/retractions", **WRITE)
def retract_entry(cadre_id: CadreId, entry_id: EntryId, body: Retraction, write: WriteDep,
                  runtime: RuntimeDep) -> dict[str, Any]:
    """撤销记录: the earlier entry should never have been recorded."""
    command = RetractEntry(cadre_id, entry_id, payload(body), expected_version=write.expected(body.expected_version),
                           idempotency_key=write.idempotency_key)
    return write_result(runtime.execute(command, write.by))


@router.get("/{cadre_id}/growth-file", response_model=GrowthFile)
def growth_file(cadre_id: CadreId, request: Request, user: RequireReader, reads: ReadModelsDep, runtime: RuntimeDep,
                rid: RequestId, scope: ScopeDep, as_of: AsOf = None, known_at: KnownAt = None) -> Response:
    """成长档案: the cadre's file on `as_of` as known at `known_at`; every read is recorded (查阅留痕),
    also one answered `304 Not Modified` (`If-None-Match`: the `ETag` of an earlier answer).
    Only while the cadre is in your scope on `as_of` (as known at `known_at`); else 404."""
    today = runtime.app.today()
    day, known = as_of or today, known_instant(known_at)

    def build() -> Any:
        return masked_for(user, reads.growth_file(cadre_id, day, known, scope=scope))

    key = ("growth-file", cadre_id, day, known and known.isoformat(), scope, user.role in SEES_SENSITIVE, today)
    response = cached_json(request, key, build, GROWTH_FILE)
    request.app.state.read_log.record(cadre_id, user.provenance(rid))  # stored before the answer is sent
    return response


@router.get("/{cadre_id}/eligibility", response_model=Eligibility)
def eligibility(cadre_id: CadreId, user: RequireReader, runtime: RuntimeDep, scope: ScopeDep,
                post: Annotated[str | None, Query(pattern=r"^[^/\x00]+/[^/\x00]+$", description="UNIT/POST")] = None,
                rank: Annotated[Rank | None, Query(description="target rank 职级")] = None,
                on: Annotated[QueryDay | None, Query(description="the day to test (default today)")] = None,
                ) -> dict[str, Any]:
    """资格测算: which guards would pass or fail for this cadre and a target post or rank."""
    if (post is None) == (rank is None):
        raise ValidationError([FieldError("query", "须且只须给出 post 或 rank 之一 "
                                                   "(give exactly one of post or rank)")])
    unit_code, _, post_code = (post or "").partition("/")
    if scope is not None:
        reads = runtime.read_models
        reads.refresh()
        day = on or runtime.app.today()
        cadre_on(reads, scope, cadre_id, day)
        if post and not reads.unit_in_scope(unit_code, scope):
            raise no_post(unit_code, post_code)
    found = runtime.app.eligibility(cadre_id, post=(unit_code, post_code) if post else None, rank=rank, on=on)
    result: dict[str, Any] = found.as_dict()
    return result


def _check_cursor(cursor: str | None) -> None:
    if cursor is None:
        return
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    if "\x00" not in text:
        raise ValidationError([FieldError("cursor", "翻页游标无效 (invalid cursor: pass next_cursor back unchanged)")])


@router.get("", response_model=SearchPage, responses=XLSX_RESPONSES)
def search(request: Request, user: RequireReader, reads: ReadModelsDep, runtime: RuntimeDep, scope: ScopeDep,
           unit: Annotated[str | None, Query(description="单位代码: holds a post there")] = None,
           pool: Annotated[str | None, Query(description="人才库")] = None,
           grade: Annotated[str | None, Query(description="职务层次 code (GB/T 12407)")] = None,
           rank: Annotated[str | None, Query(description="职级")] = None,
           max_age: Annotated[int | None, Query(ge=0, le=150)] = None,
           education: Annotated[str | None, Query(description="学历 code (GB/T 4658)")] = None,
           q: Annotated[str | None, Query(max_length=100, description=(
               "name contains, cadre_no starts with, 全拼 or 首字母 start with (huangliu, hl); "
               "a full 公民身份号码: exactly that number"))] = None,
           as_of: AsOf = None, limit: Limit = 50,
           cursor: Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_-]+={0,2}$",
                                               description="next_cursor of the previous page")] = None,
           fmt: FormatQuery = None) -> Any:
    """干部查询: cadres by unit, pool, grade, rank, age, education, name (汉字, 全拼, 首字母) or 公民身份号码,
    a page at a time, each with 现任单位及职务 `current_posts` (those in your scope on `as_of`).
    `format=xlsx`: the page as an Excel sheet."""
    _check_cursor(cursor)
    refused = id_number_search_refused(user, q)
    if refused is not None:
        raise ValidationError([FieldError("q", refused)])
    page: dict[str, Any] = reads.search(unit=unit, pool=pool, grade=grade, rank=rank, max_age=max_age,
                                        education=education, q=q, as_of=as_of or runtime.app.today(),
                                        limit=limit, cursor=cursor, scope=scope)
    result: dict[str, Any] = masked_for(user, page)
    return search_xlsx(result) if wants_xlsx(request, fmt) else result
