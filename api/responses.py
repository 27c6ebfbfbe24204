"""The JSON response class: orjson renders dates, instants, UUIDs and Chinese text as they are."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from starlette.responses import JSONResponse


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


def dumps(content: Any) -> bytes:
    return orjson.dumps(content, default=_default, option=orjson.OPT_NON_STR_KEYS)


class OrjsonResponse(JSONResponse):
    """``application/json`` rendered with orjson (FastAPI's ``ORJSONResponse`` is deprecated)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)


class ProblemResponse(OrjsonResponse):
    """RFC 9457 ``application/problem+json``."""

    media_type = "application/problem+json"
