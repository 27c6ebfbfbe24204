"""登录 / 退出: name + password + TOTP code become a server-side session; the steps a first sign-in
may still need (set up the second factor with a QR code, replace an initial password); the home
page sends each role where it works."""

from __future__ import annotations

from typing import Any

import segno
from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.auth import request_id
from api.calendar_notice import notice_context
from api.pages.render import SignedIn, redirect, render, start_timer
from api.pages.session import (
    csrf_ok,
    end_session,
    login_csrf_ok,
    login_token,
    pending_session,
    read_session,
    set_login_cookie,
    start_session,
)
from api.session_store import client_address, session_store
from domain.errors import ValidationError
from domain.recorded import Provenance
from domain.users import Principal
from service.signin import (
    SignInRefusedError,
    SignInResult,
    change_password,
    enrol_totp,
    new_totp_secret,
    provisioning_uri,
    record_sign_out,
    sign_in,
)
from service.users import _find, session_principal

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
HOME = {"hr": "/units", "auditor": "/audit", "oversight": "/findings"}
STAGE_PAGES = {"enrol": "/login/enrol", "password": "/login/password"}
EXPIRED_FORM = "登录表单已过期，请重新提交 (the sign-in form expired: submit it again)"


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no //host): an open redirect would help phishing."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _login_page(request: Request, *, error: str = "", status: int = 200, next_url: str = "/",
                name: str = "") -> Response:
    token, fresh = login_token(request)
    response = render(request, "login.html", {"login_csrf": token, "error": error, "next": _safe_next(next_url),
                                              "name": name}, status=status)
    set_login_cookie(request, response, fresh)
    return response


@router.get("/")
def home(request: Request, session: SignedIn) -> Response:
    """Each role starts where it works; an admin sees what the pages offer them."""
    target = HOME.get(session.principal.role)
    if target:
        return redirect(target)
    return render(request, "home.html", notice_context(request.app.state.runtime.app, session.principal.role))


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    """登录: the sign-in form (a signed-in user goes straight on; one with a step to do, to that step)."""
    found = pending_session(request)
    if found is not None:
        return redirect(STAGE_PAGES.get(found[1].stage, _safe_next(next)))
    return _login_page(request, next_url=next)


@router.post("/login")
async def login(request: Request) -> Response:
    """Check name, password and code and start a session; a refusal shows the form again with the reason."""
    form = await request.form()
    next_url = _safe_next(str(form.get("next") or "/"))
    name = str(form.get("name") or "").strip()[:64]
    if not login_csrf_ok(request, form.get("csrf_token")):
        return _login_page(request, error=EXPIRED_FORM, next_url=next_url, name=name)
    runtime = request.app.state.runtime
    try:
        result = await run_in_threadpool(
            sign_in, runtime.app, session_store(request), runtime.settings.totp_roles, name,
            str(form.get("password") or "")[:256], str(form.get("totp") or "")[:32], client_address(request),
            request_id(request))
    except SignInRefusedError as refused:
        return _login_page(request, error=refused.message, status=refused.status, next_url=next_url, name=name)
    response = redirect(STAGE_PAGES.get(result.stage, next_url))
    start_session(request, response, result)
    return response


def _pending(request: Request, stage: str) -> tuple[str, Any, Principal] | None:
    found = pending_session(request)
    if found is None or found[1].stage != stage:
        return None
    principal = session_principal(request.app.state.runtime.app, found[1].user)
    return (found[0], found[1], principal) if principal is not None else None


def _qr_svg(uri: str) -> str:
    return str(segno.make(uri, error="m").svg_inline(scale=5, border=2, title="动态口令二维码"))


def _enrol_page(request: Request, row: Any, principal: Principal, *, error: str = "", status: int = 200) -> Response:
    uri = provisioning_uri(principal.name, row.pending_totp)
    return render(request, "enrol.html", {"qr": _qr_svg(uri), "secret": row.pending_totp, "csrf_step": row.csrf,
                                          "error": error, "who": principal}, status=status)


@router.get("/login/enrol")
def enrol_form(request: Request) -> Response:
    """启用动态口令: a QR code for the authenticator app (the secret kept with the session until confirmed)."""
    found = _pending(request, "enrol")
    if found is None:
        return redirect("/login")
    session_id, row, principal = found
    if not row.pending_totp:
        session_store(request).update(session_id, pending_totp=new_totp_secret())
        row = session_store(request).get(session_id)
    return _enrol_page(request, row, principal)


@router.post("/login/enrol")
async def enrol(request: Request) -> Response:
    """Confirm the app with a current code; show the recovery codes once."""
    form = await request.form()
    found = _pending(request, "enrol")
    if found is None:
        return redirect("/login")
    session_id, row, principal = found
    if not csrf_ok(row, form.get("csrf_token")) or not row.pending_totp:
        return _enrol_page(request, row, principal, error=EXPIRED_FORM, status=403)
    by = Provenance(principal.name, principal.role, request_id(request))
    try:
        codes = await run_in_threadpool(enrol_totp, request.app.state.runtime.app, principal.name, row.pending_totp,
                                        str(form.get("totp") or "")[:32], by)
    except ValidationError as e:
        return _enrol_page(request, row, principal, error=e.errors[0].msg, status=422)
    stage = "password" if _must_change(request, principal.name) else ""
    session_store(request).update(session_id, stage=stage, pending_totp="")
    return render(request, "recovery.html", {"codes": codes, "next": STAGE_PAGES.get(stage, "/")})


def _must_change(request: Request, name: str) -> bool:
    user = _find(request.app.state.runtime.app, name)
    return bool(user and user.must_change_password)


def _password_page(request: Request, csrf: str, *, errors: dict[str, str] | None = None, status: int = 200,
                   first: bool = False) -> Response:
    return render(request, "password.html", {"csrf_step": csrf, "errors": errors or {}, "first": first},
                  status=status)


@router.get("/login/password")
def password_form(request: Request) -> Response:
    """修改密码: the first sign-in's step (an initial password), or any signed-in user's choice."""
    found = pending_session(request)
    if found is None or found[1].stage not in ("", "password"):
        return redirect("/login")
    return _password_page(request, found[1].csrf, first=found[1].stage == "password")


@router.post("/login/password")
async def password(request: Request) -> Response:
    form = await request.form()
    found = pending_session(request)
    if found is None or found[1].stage not in ("", "password"):
        return redirect("/login")
    row = found[1]
    first = row.stage == "password"
    principal = session_principal(request.app.state.runtime.app, row.user)
    if principal is None:
        return redirect("/login")
    if not csrf_ok(row, form.get("csrf_token")):
        return _password_page(request, row.csrf, errors={"current": EXPIRED_FORM}, status=403, first=first)
    new = str(form.get("new") or "")[:256]
    if new != str(form.get("repeat") or "")[:256]:
        return _password_page(request, row.csrf, errors={"repeat": "两次输入的新密码不一致 (the passwords differ)"},
                              status=422, first=first)
    by = Provenance(principal.name, principal.role, request_id(request))
    try:
        await run_in_threadpool(change_password, request.app.state.runtime.app, principal.name,
                                str(form.get("current") or "")[:256], new, by)
    except ValidationError as e:
        return _password_page(request, row.csrf, errors={err.loc: err.msg for err in e.errors}, status=422,
                              first=first)
    # the other sessions of this user end: whoever knew the old password is out
    store = session_store(request)
    store.end_user(principal.name)
    response = redirect("/")
    start_session(request, response, SignInResult(principal, ""))
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """退出: end the session on the server (a copy of the cookie stops working) and record it."""
    form = await request.form()
    response = redirect("/login")
    found = pending_session(request)
    if found is not None and csrf_ok(found[1], form.get("csrf_token")):
        end_session(request, response)
        principal = session_principal(request.app.state.runtime.app, found[1].user)
        if principal is not None:
            await run_in_threadpool(record_sign_out, request.app.state.runtime.app, principal,
                                    client_address(request), request_id(request))
    return response


__all__ = ["read_session", "router"]  # read_session: the pages' check, re-exported for old imports
