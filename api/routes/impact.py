"""Retroactive impact 追溯影响 (DOMAIN.md §6.4, API.md v1.1): what a back-dated entry changed in the past."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path

from api.auth import masked_for
from api.deps import ReadModelsDep, RequireReader, RuntimeDep, ScopeDep
from api.schemas.reads import Impact
from domain.errors import NotFoundError

router = APIRouter(prefix="/api/v1/entries", tags=["oversight 监督"])
EntryId = Annotated[UUID, Path(description="记录 id (entry_id)")]


def no_entry(entry_id: UUID) -> NotFoundError:
    return NotFoundError(f"记录不存在 (no such entry): {entry_id}")


@router.get("/{entry_id}/impact", response_model=Impact)
def impact(entry_id: EntryId, user: RequireReader, reads: ReadModelsDep, runtime: RuntimeDep,
           scope: ScopeDep) -> dict[str, Any]:
    """追溯影响: for an entry recorded more than `retroactive_days` after its effective date, what it
    changed in the past — eligibility of promotions already recorded that flips, findings that open or
    resolve in the past, roster days that change — comparing the record as known just before it was
    recorded with the record as known just after. An entry on time (`late: false`) is not compared.
    Only an entry of a cadre's record you may see (as the audit trail shows it); else 404."""
    reads.refresh()
    cadre_id = reads.entry_cadre(entry_id, scope)
    if cadre_id is None:
        raise no_entry(entry_id)
    found = runtime.app.impact(UUID(cadre_id), entry_id)
    if found is None:
        record = runtime.app.get_cadre(UUID(cadre_id)).entries.get(entry_id)
        if record is None:
            raise no_entry(entry_id)
        return {"entry_id": entry_id, "cadre_id": cadre_id, "type": record.type, "effective_on": None,
                "recorded_at": record.recorded_at, "days_late": None, "late": False, "eligibility": [],
                "findings": [], "roster_days": []}
    result: dict[str, Any] = masked_for(user, found.as_dict())
    return result
