"""干部任免审批表: the cadre's appointment form as an .lrmx file (or a printable PDF)."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from api import printing
from api.deps import AsOf, KnownAt, RequestId, RequireReader, RuntimeDep, known_instant
from api.pages.printing import LRMX_TYPE, appointment_html
from service.lrmx import to_xml

router = APIRouter(prefix="/api/v1/cadres", tags=["cadres 干部"])
CadreId = Annotated[UUID, Path(description="干部 id (uuid5 of cadre_no)")]
FORM_RESPONSES: dict[int | str, dict[str, object]] = {200: {"content": {
    "application/xml": {"schema": {"type": "string", "description": ".lrmx: UTF-8 XML, root <Person>"}},
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    "description": "干部任免审批表 (.lrmx, or PDF with format=pdf)"}}


@router.get("/{cadre_id}/appointment-form", response_class=Response, responses=FORM_RESPONSES)
def appointment_form(cadre_id: CadreId, user: RequireReader, runtime: RuntimeDep, rid: RequestId,
                     as_of: AsOf = None, known_at: KnownAt = None,
                     case_id: Annotated[UUID | None, Query(description="选任纪实: 拟任/拟免/任免理由 from it")] = None,
                     format: Annotated[Literal["lrmx", "pdf"], Query(description="lrmx (default) or pdf")] = "lrmx",
                     ) -> Response:
    """干部任免审批表 of the cadre on `as_of` as known at `known_at` (`.lrmx`, root `<Person>`): 简历 from the
    post spans, 年度考核结果 of the last three years, 奖惩情况, age at JiSuanNianLingShiJian; with `case_id`
    拟任/拟免 from the selection case. What the record does not hold is left empty. Same scope, masking and
    read log as the growth file (out of scope → 404)."""
    day = as_of or runtime.app.today()
    found, person = printing.appointment_form(runtime, user, rid, cadre_id, day, known_instant(known_at), case_id)
    if format == "pdf":
        pdf = printing.html_to_pdf(appointment_html(found, person, day, known_instant(known_at)))
        return Response(pdf, media_type="application/pdf", headers={
            "Content-Disposition": printing.attachment(printing.file_name(person, cadre_id, "pdf"))})
    return Response(to_xml(person), media_type=LRMX_TYPE, headers={
        "Content-Disposition": printing.attachment(printing.file_name(person, cadre_id, "lrmx"))})
