"""Response bodies shared by many routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from service.results import CommandResult


class Open(BaseModel):
    """A response object that may carry more fields than documented (API.md: "responses may carry more")."""

    model_config = ConfigDict(extra="allow")


class WriteResult(BaseModel):
    """201 of every write: the entry, its stream and version, and its global position."""

    entry_id: UUID
    stream_id: UUID
    version: int
    position: int
    recorded_at: datetime
    overrides: list[str] = Field(default_factory=list)
    cadre_id: UUID | None = None
    case_id: UUID | None = None
    unit_code: str | None = None
    post_code: str | None = None


def write_result(result: CommandResult) -> dict[str, Any]:
    return {"entry_id": result.entry_id, "stream_id": result.stream_id, "version": result.version,
            "position": result.position, "recorded_at": result.recorded_at,
            "overrides": list(result.overrides), **result.extra}
