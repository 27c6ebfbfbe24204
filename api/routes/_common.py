"""Helpers shared by the write routes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

NOT_PAYLOAD = {"type", "expected_version"}
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"description": "recorded (or, for a repeated Idempotency-Key with the same body, the first result)"},
}


def payload(body: BaseModel) -> dict[str, Any]:
    """The body as the domain command takes it (JSON types; only the fields the client sent)."""
    return body.model_dump(mode="json", exclude_unset=True, exclude=NOT_PAYLOAD)
