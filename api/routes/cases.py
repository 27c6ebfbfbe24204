"""Selection cases 选任纪实: the promotion procedure step by step (DOMAIN.md §5)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path

from api.deps import RuntimeDep, WriteDep
from api.routes._common import payload
from api.schemas.common import WriteResult, write_result
from api.schemas.entries import CaseOpening, CaseStepRequest, Correction, Retraction
from service.commands import CorrectCaseStep, OpenCase, RecordCaseStep, RetractCaseStep

router = APIRouter(prefix="/api/v1/selection-cases", tags=["selection cases 选任纪实"])
CaseId = Annotated[UUID, Path(description="选任纪实 id (case_id)")]
StepId = Annotated[UUID, Path(description="选任环节 id (the step's entry_id, as the case's audit trail lists it)")]
WRITE: dict[str, Any] = {"status_code": 201, "response_model": WriteResult, "response_model_exclude_none": True}


@router.post("", **WRITE)
def open_case(body: CaseOpening, write: WriteDep, runtime: RuntimeDep) -> dict[str, Any]:
    """分析研判和动议: open a selection case for a post (of a unit in your scope); the response adds `case_id`."""
    return write_result(runtime.execute(OpenCase(payload(body), idempotency_key=write.idempotency_key), write.by))


@router.post("/{case_id}/steps", **WRITE)
def record_step(case_id: CaseId, body: CaseStepRequest, write: WriteDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Record one step (民主推荐, 考察, 凡提四必, 双签字, 讨论决定, 任前公示, 任用 …); `type` names it.
    The case's post must be in your scope, and every cadre the step names in scope on its date."""
    command = RecordCaseStep(case_id, body.type, payload(body), expected_version=write.expected(body.expected_version),
                             idempotency_key=write.idempotency_key)
    return write_result(runtime.execute(command, write.by))


@router.post("/{case_id}/steps/{step_id}/corrections", **WRITE)
def correct_step(case_id: CaseId, step_id: StepId, body: Correction, write: WriteDep,
                 runtime: RuntimeDep) -> dict[str, Any]:
    """更正 a step: new values for some of its fields (`changes`), with a reason (and 文号). Validated like
    the step (422 at `changes.<field>`) and refused (422 with `rules`) if it breaks the guards or the rest
    of the procedure; a step or case not found (or out of your scope) → 404."""
    command = CorrectCaseStep(case_id, step_id, payload(body), expected_version=write.expected(body.expected_version),
                              idempotency_key=write.idempotency_key)
    return write_result(runtime.execute(command, write.by))


@router.post("/{case_id}/steps/{step_id}/retractions", **WRITE)
def retract_step(case_id: CaseId, step_id: StepId, body: Retraction, write: WriteDep,
                 runtime: RuntimeDep) -> dict[str, Any]:
    """撤销 a step (or a correction of one): it should never have been recorded. Refused (422, R-SEQ) while
    a later step or an appointment relies on it — retract those first; the opening cannot be retracted."""
    command = RetractCaseStep(case_id, step_id, payload(body), expected_version=write.expected(body.expected_version),
                              idempotency_key=write.idempotency_key)
    return write_result(runtime.execute(command, write.by))
