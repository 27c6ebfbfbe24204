"""导入台账 (API.md v1.1): ``POST /api/v1/imports`` (multipart file, ``dry_run``), the recorded import,
and the template of each kind. Every row goes through the one write path as the caller (their
jurisdiction, their override permission); the answer is the per-row report."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, File, Form, Path, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import RequestId, RequireHR, RequireReader, RuntimeDep
from api.responses import OrjsonResponse
from domain.errors import FieldError, NotFoundError, ValidationError
from jishi.bootstrap import Runtime
from service.imports import KINDS, import_file, kind_of, read_file, run_import
from service.imports.records import recorded_import
from service.imports.xlsx import MEDIA_TYPE, template
from service.lrmx_import import import_lrmx_recorded

router = APIRouter(prefix="/api/v1/imports", tags=["imports 导入台账"])
MAX_BYTES = 20 * 1024 * 1024
KindPath = Annotated[str, Path(
    min_length=1, max_length=40, pattern=r"^[A-Za-z\u4e00-\u9fff]{1,40}$",
    description="registration | appointments | assessments | training | conversations | rewards | pools (或中文名称)")]


async def read_upload(file: UploadFile) -> bytes:
    """The uploaded bytes, refused past ``MAX_BYTES`` (read no further than that)."""
    data = await file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError([FieldError("file", f"文件过大：最多 {MAX_BYTES // (1024 * 1024)} MB (file too large)")])
    return data


def perform(runtime: Runtime, file_name: str, data: bytes, by: Any, *, dry_run: bool, kind: str | None,
            sheet: str | None, supplied: dict[str, str] | None = None) -> dict[str, Any]:
    """Read the file, run the import as ``by`` and (a real run) bring the read models up to it. A 干部任免审批表
    (``.lrmx``) opens one cadre's record with the values the form lacks (``supplied``)."""
    if file_name.lower().endswith(".lrmx"):
        found = import_lrmx_recorded(runtime.app, data, by=by, file_name=file_name, dry_run=dry_run,
                                     supplied=supplied).as_dict()
    else:
        rows = read_file(file_name, data, kind=kind, sheet=sheet)
        found = run_import(runtime.app, rows, import_file(file_name, data, rows.kind), by, dry_run=dry_run).as_dict()
    if not dry_run:
        runtime.catch_up()
    return found


@router.post("", status_code=201, responses={
    200: {"description": "a dry run: the report of what would be stored (nothing is)"},
    201: {"description": "imported: the report (stored / refused / already stored, a problem per row and column)"}})
async def import_upload(user: RequireHR, rid: RequestId, runtime: RuntimeDep,
                        file: Annotated[UploadFile, File(description="a template (.xlsx) or 任免审批表 (.lrmx)")],
                        dry_run: Annotated[bool, Form(description="check every row, store nothing")] = False,
                        kind: Annotated[str | None, Form(max_length=40, description="kind of 台账 (default: "
                                                                                   "from the sheet)")] = None,
                        sheet: Annotated[str | None, Form(max_length=100, description="sheet name")] = None,
                        cadre_no: Annotated[str | None, Form(max_length=40, description=".lrmx: 干部编号 (not on "
                                                                                         "the form)")] = None,
                        entry_channel: Annotated[str | None, Form(max_length=40, description=".lrmx: 进入方式")] = None,
                        rank: Annotated[str | None, Form(max_length=40, description=".lrmx: 职级")] = None,
                        political_status: Annotated[str | None, Form(max_length=40, description=".lrmx: 政治面貌 "
                                                                                               "code")] = None,
                        ) -> OrjsonResponse:
    """导入台账: every row as the command it asks for, through the same guards and jurisdiction as any write.
    A dry run (200) stores nothing; a real run (201) stores the good rows, records the import, and answers
    the counts (stored / refused / already stored) and a problem per row and column."""
    data = await read_upload(file)
    supplied = {"cadre_no": cadre_no or "", "entry_channel": entry_channel or "", "rank": rank or "",
                "political_status": political_status or ""}
    found = await run_in_threadpool(perform, runtime, file.filename or "upload.xlsx", data, user.provenance(rid),
                                    dry_run=dry_run, kind=kind or None, sheet=sheet or None, supplied=supplied)
    return OrjsonResponse(found, status_code=200 if dry_run else 201)


@router.get("/templates/{kind}", response_class=Response,
            responses={200: {"content": {MEDIA_TYPE: {}}, "description": "the template (.xlsx)"}})
def import_template(kind: KindPath, user: RequireReader) -> Response:
    """The template of a kind of 台账: Chinese headers, and a sheet saying what each column takes."""
    found = kind_of(kind)
    if found is None:
        raise NotFoundError(f"未知台账类别 (unknown kind): {kind}；可选 {'、'.join(KINDS)}")
    name = quote(f"{found.title}导入模板.xlsx")
    return Response(template(found), media_type=MEDIA_TYPE,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


@router.get("/{import_id}")
def import_record(import_id: UUID, user: RequireReader, runtime: RuntimeDep) -> dict[str, Any]:
    """A recorded import: who, when, file name and SHA-256, counts, the first problems (a scoped user: their own)."""
    return recorded_import(runtime.app, import_id, actor=None if user.scopes is None else user.name)
