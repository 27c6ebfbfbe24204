"""A recorded import read back from the store (``GET /api/v1/imports/{id}``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.errors import NotFoundError
from domain.imports import ImportRecord
from domain.recorded import entry_id_of
from service.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from service.application import Jishi


def recorded_import(app: Jishi, import_id: UUID, *, actor: str | None = None) -> dict[str, Any]:
    """The import's record: who, when, file, SHA-256, counts and the first problems (404 if there is
    none; with ``actor``, also when someone else made it — a scoped user sees only their own)."""
    record = UnitOfWork(app).find(ImportRecord, import_id)
    if record is None or (actor is not None and record.actor != actor):
        raise NotFoundError(f"导入记录不存在 (no such import): {import_id}")
    return {
        "import_id": str(import_id), "entry_id": str(entry_id_of(import_id, 1)), "dry_run": False,
        "file_name": record.file_name, "sha256": record.sha256, "kind": record.kind,
        "actor": record.actor, "actor_role": record.actor_role,
        "recorded_at": record.created_on.isoformat(), "rows": record.rows, "stored": record.stored,
        "refused": record.refused, "already_stored": record.already_stored,
        "problems": list(record.problems), "problems_total": record.problems_total,
    }
