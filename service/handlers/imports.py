"""The handler that records an import run (导入台账) when it ends."""

from __future__ import annotations

from typing import Any

from domain.errors import ConflictError, FieldError, ValidationError
from domain.imports import MAX_STORED_PROBLEMS, ImportRecord, ImportRecorded, summary
from domain.recorded import provenance_fields
from service.commands import RecordImport
from service.handlers.context import Context
from service.results import Recorded, last_event

COUNTS = ("rows", "stored", "refused", "already_stored", "problems_total")


def record_import(command: RecordImport, ctx: Context) -> Recorded:
    """导入台账: the run's file, kind and counts, once per import id (result extra: ``import_id``)."""
    body: dict[str, Any] = dict(command.payload)
    errors = [FieldError(name, "须为非负整数 (must be a whole number ≥ 0)") for name in COUNTS
              if not isinstance(body.get(name), int) or isinstance(body.get(name), bool) or body[name] < 0]
    errors += [FieldError(name, "必填 (required)") for name in ("file_name", "sha256", "kind")
               if not isinstance(body.get(name), str) or not body[name]]
    problems = body.get("problems")
    if not isinstance(problems, list):
        errors.append(FieldError("problems", "须为列表 (must be a list)"))
    if errors:
        raise ValidationError(errors)
    if ctx.uow.find(ImportRecord, command.import_id) is not None:
        raise ConflictError(f"该导入已记录 (import already recorded): {command.import_id}")
    record = ImportRecord._create(
        ImportRecorded, id=command.import_id, file_name=body["file_name"][:255], sha256=body["sha256"],
        kind=body["kind"], rows=body["rows"], stored=body["stored"], refused=body["refused"],
        already_stored=body["already_stored"], problems=list(problems or [])[:MAX_STORED_PROBLEMS],
        problems_total=body["problems_total"],
        reason=summary(body["file_name"][:255], body["stored"], body["refused"], body["already_stored"]),
        effective_on=ctx.today, **provenance_fields(ctx.by))
    return Recorded([record], last_event(record), {"import_id": str(command.import_id)})
