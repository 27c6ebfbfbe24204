"""Who is calling, and may they: bearer tokens, roles and the request id.

``Authorization: Bearer <name>.<secret>`` → a ``Principal`` (see ``domain/users.py``).
No or bad token → 401 with ``WWW-Authenticate: Bearer``; a role that may not → 403.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import NotAuthenticatedError
from api.rate_limit import is_write
from domain.cadre_entries import SENSITIVE_FIELDS
from domain.errors import PermissionDeniedError
from domain.users import Principal
from service.users import TokenExpiredError, authenticate

READERS = ("hr", "auditor", "oversight")  # read the record (API.md: hr, auditor, oversight)
WRITERS = ("hr",)  # record entries
AUDITORS = ("auditor",)  # the raw log of who read which growth file
ADMINS = ("admin",)  # manage users

bearer = HTTPBearer(auto_error=False, scheme_name="token",
                    description="`jishi user add NAME --role …` prints a token `<name>.<secret>`")


async def current_principal(request: Request,
                      credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
                      ) -> Principal:
    """The authenticated user, or 401."""
    if credentials is None or not credentials.credentials:
        raise NotAuthenticatedError("需要 Bearer 令牌 (a bearer token is required)")
    try:
        principal = authenticate(request.app.state.runtime.app, credentials.credentials)
    except TokenExpiredError as expired:
        raise NotAuthenticatedError(
            f"令牌已于 {expired.expired_at:%Y-%m-%d %H:%M} UTC 过期，请管理员重新签发 "
            f"(the token expired at {expired.expired_at:%Y-%m-%d %H:%M} UTC: ask an admin for a new one)") from None
    if principal is None:
        raise NotAuthenticatedError("令牌无效或用户已停用 (invalid token or disabled user)")
    request.app.state.rate_limiter.spend(principal.name, is_write(request.method))
    request.state.principal = principal
    return principal


def require(*roles: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency that lets only the given roles through (403 for the others)."""

    async def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in roles:
            raise PermissionDeniedError(
                f"角色 {principal.role} 无权执行此操作 (role {principal.role} may not do this; "
                f"allowed: {', '.join(roles)})")
        return principal

    dependency.__name__ = f"require_{'_'.join(roles)}"
    dependency.allowed_roles = roles  # type: ignore[attr-defined]
    return dependency


REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


class RequestIdMiddleware:
    """Give every request an id (the client's ``X-Request-ID`` if sane), echo it, store it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b"").lower():
            await _refuse_nul(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_id)


async def _refuse_nul(scope: Scope, receive: Receive, send: Send) -> None:
    from api.problems import ERROR_TITLES, problem

    response = problem(422, "validation", ERROR_TITLES[422], "路径或查询参数含 NUL 字符 (NUL in path or query)",
                       errors=[{"loc": "query", "msg": "不得含 NUL 字符 (must not contain NUL)"}])
    await response(scope, receive, send)


def request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "") or uuid.uuid4().hex)


# ——— masking of sensitive fields (身份证号, 谈话内容, 信访举报内容) ———

SEES_SENSITIVE = ("hr", "auditor")  # record keepers and auditors need the full text; oversight does not
ID_NUMBER_QUERY = re.compile(r"^\s*(?:\d{17}[\dXx]|\d{15})\s*$")  # a full 公民身份号码 (as projections/search.py)


def id_number_search_refused(principal: Principal, q: str | None) -> str | None:
    """Why ``principal`` may not search by this full 公民身份号码, or None: only the roles that see the number
    unmasked may (a match would confirm a number the role is shown masked — an oracle)."""
    if q is None or principal.role in SEES_SENSITIVE or not ID_NUMBER_QUERY.match(q):
        return None
    return ("按公民身份号码查询仅限可见完整号码的角色（干部人事、审计） "
            "(searching by a full ID number is for the roles that see it unmasked: hr, auditor)")
MASKED_TEXT = "（已屏蔽 masked）"


def mask_id_number(value: str) -> str:
    """110105198506150424 → 110105********0424: region and check digits stay, the birth date goes."""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def _masked(data: Any) -> Any:
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if key == "id_number" and isinstance(value, str):
                out[key] = mask_id_number(value)
            elif key in SENSITIVE_FIELDS and isinstance(value, str):
                out[key] = MASKED_TEXT
            else:
                out[key] = _masked(value)
        return out
    if isinstance(data, list | tuple):
        return [_masked(v) for v in data]
    return data


def masked_for(principal: Principal, data: Any) -> Any:
    """``data`` as ``principal`` may see it: sensitive fields masked for roles that do not need them."""
    return data if principal.role in SEES_SENSITIVE else _masked(data)
