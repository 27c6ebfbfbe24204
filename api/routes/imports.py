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
            sheet: str | None) -> dict[str, Any]:
    """Read the file, run the import as ``by`` and (a real run) bring the read models up to it."""
    rows = read_file(file_name, data, kind=kind, sheet=sheet)
    report = run_import(runtime.app, rows, import_file(file_name, data, rows.kind), by, dry_run=dry_run)
    if not dry_run:
        runtime.catch_up()
    return report.as_dict()


@router.post("", status_code=201, responses={
    200: {"description": "a dry run: the report of what would be stored (nothing is)"},
    201: {"description": "imported: the report (stored / refused / already stored, a problem per row and column)"}})
async def import_upload(user: RequireHR, rid: RequestId, runtime: RuntimeDep,
                        file: Annotated[UploadFile, File(description="the filled template (.xlsx)")],
                        dry_run: Annotated[bool, Form(description="check every row, store nothing")] = False,
                        kind: Annotated[str | None, Form(max_length=40, description="kind of 台账 (default: "
                                                                                   "from the sheet)")] = None,
                        sheet: Annotated[str | None, Form(max_length=100, description="sheet name")] = None,
                        ) -> OrjsonResponse:
    """导入台账: every row as the command it asks for, through the same guards and jurisdiction as any write.
    A dry run (200) stores nothing; a real run (201) stores the good rows, records the import, and answers
    the counts (stored / refused / already stored) and a problem per row and column."""
    data = await read_upload(file)
    found = await run_in_threadpool(perform, runtime, file.filename or "upload.xlsx", data, user.provenance(rid),
                                    dry_run=dry_run, kind=kind or None, sheet=sheet or None)
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
