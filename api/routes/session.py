"""会话 Session (API.md v1.1): people sign in with name + password + TOTP code; tokens stay for programs.

``POST /api/v1/session`` answers 201 with the session's user, role, what is still to do and its
limits, and sets the same HttpOnly session cookie the pages use (a browser-based client signs in
here instead of the form); ``DELETE /api/v1/session`` ends the session the cookie names (204), at
once in every worker. A refusal is problem+json: 401 (wrong name, password or code — which one is
not said), 429 with ``Retry-After`` (too many attempts in a row: progressive delay), 423 with
``Retry-After`` (locked out). The bearer-token routes are unchanged.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.auth import request_id
from api.pages.session import end_session, pending_session, start_session
from api.problems import ERROR_TITLES, Problem, problem
from api.session_store import client_address, session_store
from service.signin import SignInRefusedError, record_sign_out, sign_in
from service.users import session_principal

router = APIRouter(prefix="/api/v1/session", tags=["session 会话"])
TITLES = {401: ERROR_TITLES[401], 423: "已锁定 (locked)", 429: "请求过于频繁 (too many attempts)"}


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=256)]
    totp: Annotated[str, Field(max_length=32, description="6-digit TOTP code or a recovery code; "
                                                           "empty for a user with no second factor")] = ""


class SessionOut(BaseModel):
    user: str
    role: str
    stage: Annotated[str, Field(description="what is still to do before the pages open: '' (nothing), 'enrol' "
                                            "(set up the second factor at /login/enrol), 'password' "
                                            "(replace the initial password at /login/password)")]
    idle_minutes: int
    expires_at: datetime


LIMITED = {status: {"model": Problem, "content": {"application/problem+json": {}}, "description": title}
           for status, title in ((423, "已锁定 (locked: see Retry-After)"),
                                 (429, "请求过于频繁 (too many attempts: see Retry-After)"))}


@router.post("", status_code=201, response_model=SessionOut, summary="Sign in (name, password, TOTP)",
             responses=LIMITED)  # type: ignore[arg-type]
async def create_session(request: Request, body: Credentials, response: Response) -> Any:
    runtime = request.app.state.runtime
    try:
        result = await run_in_threadpool(sign_in, runtime.app, session_store(request), runtime.settings.totp_roles,
                                         body.name, body.password, body.totp, client_address(request),
                                         request_id(request))
    except SignInRefusedError as refused:
        headers = {"WWW-Authenticate": "Bearer"} if refused.status == 401 else {
            "Retry-After": str(max(1, math.ceil(refused.retry_at - session_store(request).clock())))}
        return problem(refused.status, "unauthenticated" if refused.status == 401 else "sign-in-limited",
                       TITLES[refused.status], refused.message, request=request, headers=headers)
    start_session(request, response, result)
    settings = runtime.settings
    expires = datetime.fromtimestamp(session_store(request).clock() + settings.session_hours * 3600, UTC)
    return SessionOut(user=result.principal.name, role=result.principal.role, stage=result.stage,
                      idle_minutes=settings.session_idle_minutes, expires_at=expires)


@router.delete("", status_code=204, summary="Sign out (ends the session in every worker)")
async def delete_session(request: Request) -> Response:
    response = Response(status_code=204)
    found = pending_session(request)
    end_session(request, response)
    if found is not None:
        principal = session_principal(request.app.state.runtime.app, found[1].user)
        if principal is not None:
            await run_in_threadpool(record_sign_out, request.app.state.runtime.app, principal,
                                    client_address(request), request_id(request))
    return response
