"""``/openapi.json`` as FastAPI builds it, plus what the middleware enforces for every operation.

``api.auth.RequestIdMiddleware`` refuses a path or query with a NUL character (422) before any route
runs (PostgreSQL can neither store nor compare such text). So every text parameter of the schema says
so: a ``pattern`` of non-NUL characters where it has no pattern of its own (the patterns it has
already exclude NUL: dates, instants, cursors, user names).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

NO_NUL = "^[^\\x00]*$"


def _forbid_nul(schema: dict[str, Any]) -> None:
    for alternative in schema.get("anyOf", ()):
        _forbid_nul(alternative)
    if schema.get("type") == "string" and not {"pattern", "enum", "const", "format"} & schema.keys():
        schema["pattern"] = NO_NUL


def with_parameter_bounds(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """A replacement for ``app.openapi`` that adds the middleware's bound to every path and query text."""
    build = app.openapi  # FastAPI's own: builds the schema once and keeps it in app.openapi_schema
    done: list[bool] = []

    def openapi() -> dict[str, Any]:
        schema = build()
        if not done:
            for path_item in schema.get("paths", {}).values():
                for operation in path_item.values():
                    for parameter in operation.get("parameters", ()):
                        if parameter.get("in") in ("path", "query"):
                            _forbid_nul(parameter.get("schema", {}))
            done.append(True)
        return schema

    return openapi
