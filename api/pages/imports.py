"""导入台账: hr uploads a filled Excel template (or first tries it with 试导入, which stores nothing) and
sees the report — counts and a table of row / column / problem; the templates of each kind are here to
download. The rows go through the one write path as the signed-in user (``service/imports``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from api.auth import request_id
from api.pages.render import Writer, chinese_only, html_errors, render, start_timer
from api.pages.submit import expired, runtime_of, submitted
from api.problems import classify
from api.routes.imports import MAX_BYTES, perform
from domain.errors import FieldError, JishiError, NotFoundError, ValidationError
from service.imports import KINDS, kind_of
from service.imports.xlsx import MEDIA_TYPE, template

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
TEMPLATES = [{"key": k.key, "title": k.title} for k in KINDS.values()]
SHOWN_PROBLEMS = 1000  # the page lists the first problems; the API answers all of them


SUPPLIED = ("cadre_no", "entry_channel", "rank", "political_status")  # what a 任免审批表 lacks (.lrmx only)


def _page(request: Request, report: dict[str, Any] | None = None, error: str | None = None, *,
          status: int = 200, dry_run: bool = False, kind: str = "") -> Response:
    if report is not None:
        title = "干部任免审批表" if report["kind"] == "lrmx" else KINDS[report["kind"]].title
        report = {**report, "kind_title": title,
                  "problems": [{**p, "problem": chinese_only(p["problem"])}
                               for p in report["problems"][:SHOWN_PROBLEMS]]}
    return render(request, "imports.html", {"nav": "imports", "templates": TEMPLATES, "report": report,
                                            "error": error, "dry_run": dry_run, "kind": kind}, status=status)


@router.get("/imports")
def imports_page(request: Request, session: Writer) -> Response:
    """The upload form and the templates."""
    return _page(request)


@router.post("/imports")
@html_errors
async def upload(request: Request, session: Writer) -> Response:
    """Run the upload (a dry run with 试导入 checked) as the signed-in user and show its report."""
    form = await submitted(request, session)
    if form is None:
        return expired(request)
    dry_run = form.get("dry_run") == "1"
    kind = str(form.get("kind") or "")
    file = form.get("file")
    try:
        if not isinstance(file, UploadFile) or not file.filename:
            raise ValidationError([FieldError("file", "请选择要导入的文件 (choose a file)")])
        data = await file.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ValidationError([FieldError("file", f"文件过大：最多 {MAX_BYTES // (1024 * 1024)} MB (too large)")])
        by = session.principal.provenance(request_id(request))
        supplied = {name: str(form.get(name) or "").strip() for name in SUPPLIED}
        report = await run_in_threadpool(perform, runtime_of(request), file.filename, data, by, dry_run=dry_run,
                                         kind=kind or None, sheet=None, supplied=supplied)
    except JishiError as error:
        detail = "；".join(chinese_only(e.msg) for e in error.errors) if isinstance(error, ValidationError) \
            else chinese_only(error.detail)
        return _page(request, error=detail, status=(classify(error) or (422,))[0], dry_run=dry_run, kind=kind)
    return _page(request, report, dry_run=dry_run, kind=kind)


@router.get("/imports/templates/{kind}")
def template_file(request: Request, session: Writer, kind: str) -> Response:
    """Download the template of a kind of 台账."""
    found = kind_of(kind)
    if found is None:
        raise NotFoundError(f"未知台账类别 (unknown kind): {kind[:40]}")
    name = quote(f"{found.title}导入模板.xlsx")
    return Response(template(found), media_type=MEDIA_TYPE,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})
