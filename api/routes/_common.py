"""Helpers shared by the write routes."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel

from api.bootstrap import Runtime
from api.schemas.common import write_result
from domain.application import CommandResult

log = logging.getLogger("jishi.api")
NOT_PAYLOAD = {"type", "expected_version"}
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"description": "recorded (or, for a repeated Idempotency-Key with the same body, the first result)"},
}


def payload(body: BaseModel) -> dict[str, Any]:
    """The body as the domain command takes it (JSON types; only the fields the client sent)."""
    return body.model_dump(mode="json", exclude_unset=True, exclude=NOT_PAYLOAD)


def committed(runtime: Runtime, result: CommandResult) -> dict[str, Any]:
    """Read-your-writes: catch the read models up to the write before answering."""
    try:
        runtime.catch_up(result.position)
    except Exception:  # the write is stored; the follower will retry the projection
        log.exception("catching up to position %s failed", result.position)
    return write_result(result)
