"""用户管理 — sign-in (admin): an initial password (shown once), resetting the second factor,
lifting a lockout, revoking the API token. Each is recorded on the user's stream
(``service/signin.py``, ``service/users.py``); a new password or factor also ends the user's
sessions at once, as disabling does (``api/pages/users.py``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from api.pages.render import Admin, html_errors, render, start_timer
from api.pages.submit import expired, runtime_of, submitted
from api.pages.users import _change, _name_of
from api.routes.users import _managed
from api.session_store import session_store
from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from service import signin as service
from service.users import revoke_token

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])


@router.post("/users/{name}/password")
@html_errors
async def set_initial_password(request: Request, session: Admin) -> Response:
    """设置初始密码: a random one, shown once; the user replaces it at their first sign-in."""
    runtime = runtime_of(request)
    name = _name_of(request)
    form = await submitted(request, session)
    if form is None:
        return expired(request)
    await run_in_threadpool(_managed, session.principal, name, runtime, runtime.read_models)
    password = service.initial_password()
    by = session.principal.provenance(str(getattr(request.state, "request_id", "")))
    await run_in_threadpool(service.set_password, runtime.app, name, password, by, must_change=True)
    await run_in_threadpool(session_store(request).end_user, name)
    return render(request, "user_password.html", {"nav": "users", "name": name, "password": password})


def _store_action(request: Request, change: Any) -> Any:
    def action(runtime: Runtime, name: str, form: FormData, by: Provenance) -> None:
        change(runtime, name, by)

    return action


@router.post("/users/{name}/totp-reset")
@html_errors
async def reset_totp(request: Request, session: Admin) -> Response:
    """重置动态口令: the user enrols again at their next sign-in; their sessions end now."""

    def change(runtime: Runtime, name: str, by: Provenance) -> None:
        service.reset_totp(runtime.app, name, by)
        session_store(request).end_user(name)

    return await _change(request, session, _store_action(request, change), "totp")


@router.post("/users/{name}/unlock")
@html_errors
async def unlock(request: Request, session: Admin) -> Response:
    """解除登录锁定."""

    def change(runtime: Runtime, name: str, by: Provenance) -> None:
        service.unlock(runtime.app, session_store(request), name, by)

    return await _change(request, session, _store_action(request, change), "unlocked")


@router.post("/users/{name}/token-revoke")
@html_errors
async def revoke(request: Request, session: Admin) -> Response:
    """吊销令牌: programs using the user's token are refused from now on."""

    def change(runtime: Runtime, name: str, by: Provenance) -> None:
        revoke_token(runtime.app, name, by)

    return await _change(request, session, _store_action(request, change), "revoked")
