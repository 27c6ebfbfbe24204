"""Dependencies of the routes, as ``Annotated`` aliases (``RuntimeDep``, ``CurrentUser``, ``RequireHR`` …).

They are ``async``: each does no I/O (authentication is a cached look-up), and FastAPI runs a
synchronous dependency on a worker thread — a thread hop per dependency per request.

``ScopeDep`` is the caller's jurisdiction (管辖范围): the root unit codes of their subtrees, or None
for the whole tree. Pass it as ``scope=`` to every ``ReadModels`` query (a subject out of scope then
raises ``NotFoundError`` → 404, lists hold only what is in scope). Writes are checked inside the
service layer's one write path (``service/jurisdiction.py``), from the caller's ``Provenance.scopes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request

from api.auth import ADMINS, AUDITORS, READERS, WRITERS, current_principal, request_id, require
from api.problems import ReadModelsUnavailableError
from api.schemas.types import Instant, QueryDay
from domain.bounds import EARLIEST_QUERY_DAY, LATEST_QUERY_DAY
from domain.errors import FieldError, ValidationError
from domain.recorded import Provenance
from domain.users import Principal
from jishi.bootstrap import Runtime


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_read_models(runtime: Annotated[Runtime, Depends(get_runtime)]) -> Any:
    if runtime.read_models is None:
        raise ReadModelsUnavailableError("读模型尚未就绪 (the read models are not available)")
    return runtime.read_models


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ReadModelsDep = Annotated[Any, Depends(get_read_models)]
CurrentUser = Annotated[Principal, Depends(current_principal)]
RequireHR = Annotated[Principal, Depends(require(*WRITERS))]
RequireReader = Annotated[Principal, Depends(require(*READERS))]
RequireAuditor = Annotated[Principal, Depends(require(*AUDITORS))]
RequireAdmin = Annotated[Principal, Depends(require(*ADMINS))]


async def _request_id(request: Request) -> str:
    return request_id(request)


RequestId = Annotated[str, Depends(_request_id)]


async def current_scope(principal: CurrentUser) -> frozenset[str] | None:
    """The caller's scope: root unit codes of their subtrees, None = the whole tree."""
    return principal.scopes


ScopeDep = Annotated[frozenset[str] | None, Depends(current_scope)]

AsOf = Annotated[QueryDay | None, Query(
    description=f"世界在这一天 (the world on this day, YYYY-MM-DD, {EARLIEST_QUERY_DAY} … {LATEST_QUERY_DAY}); "
                "default today")]
KnownAt = Annotated[Instant | None, Query(
    description="记录在此时刻所示 (what the record said at this instant, ISO 8601; naive = UTC; its date "
                f"{EARLIEST_QUERY_DAY} … {LATEST_QUERY_DAY}); default now")]
Limit = Annotated[int, Query(ge=1, le=1000, description="page size")]


def known_instant(known_at: datetime | None) -> datetime | None:
    if known_at is not None and known_at.tzinfo is None:
        return known_at.replace(tzinfo=UTC)
    return known_at


@dataclass(frozen=True)
class Write:
    """What every write carries besides its body: who, which request, idempotency, If-Match."""

    principal: Principal
    by: Provenance
    idempotency_key: str | None
    if_match: int | None

    def expected(self, body_version: int | None) -> int | None:
        return body_version if body_version is not None else self.if_match


IF_MATCH = r'^[ \t]*(?:\*|(?:W/)?"?[0-9]{1,10}"?)?[ \t]*$'


def _if_match(value: str | None) -> int | None:
    if value is None or value.strip() in ("", "*"):
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise ValidationError([FieldError("If-Match", "须为记录版本号 (must be the stream version, e.g. \"3\")")])
    return int(text)


async def write_context(
    principal: Annotated[Principal, Depends(require(*WRITERS))],
    rid: RequestId,
    idempotency_key: Annotated[str | None, Header(
        alias="Idempotency-Key", min_length=1, max_length=200,
        description="同一键同一请求只记一次 (the same key and body is recorded once; another body → 409)")] = None,
    if_match: Annotated[str, Header(  # noqa: RUF013 — optional, never null: a header is absent or text
        alias="If-Match", pattern=IF_MATCH, description="expected stream version (like `expected_version`): "
                                                        '3, "3" or W/"3"; * or empty = any')] = None,  # type: ignore[assignment]
) -> Write:
    key = f"{principal.name}:{idempotency_key}" if idempotency_key else None
    return Write(principal, principal.provenance(rid), key, _if_match(if_match))


WriteDep = Annotated[Write, Depends(write_context)]
