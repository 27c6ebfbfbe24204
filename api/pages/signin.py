"""登录 / 退出: a token becomes a session cookie; the home page sends each role where it works."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.calendar_notice import notice_context
from api.pages.render import SignedIn, redirect, render, start_timer
from api.pages.session import csrf_ok, login_csrf_ok, login_token, read_session, set_login_cookie, sign_in, sign_out

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
HOME = {"hr": "/units", "auditor": "/audit", "oversight": "/findings"}


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no //host): an open redirect would help phishing."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _login_page(request: Request, *, error: str = "", status: int = 200, next_url: str = "/") -> Response:
    token, fresh = login_token(request)
    response = render(request, "login.html", {"login_csrf": token, "error": error, "next": _safe_next(next_url)},
                      status=status)
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
    """登录: the sign-in form (a signed-in user goes straight on)."""
    if read_session(request) is not None:
        return redirect(_safe_next(next))
    return _login_page(request, next_url=next)


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the token and set the session cookie; a refusal shows the form again with the reason."""
    form = await request.form()
    next_url = _safe_next(str(form.get("next") or "/"))
    if not login_csrf_ok(request, form.get("csrf_token")):
        return _login_page(request, error="登录表单已过期，请重新提交 (the sign-in form expired: submit it again)",
                           next_url=next_url)
    token = str(form.get("token") or "")
    response = redirect(next_url)
    if not token.strip() or sign_in(request, response, token) is None:
        return _login_page(request, error="令牌无效或用户已停用 (invalid token or disabled user)",
                           next_url=next_url)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """退出: end the session (the form carries the CSRF token)."""
    form = await request.form()
    response = redirect("/login")
    current = read_session(request)
    if current is not None and csrf_ok(current, form.get("csrf_token")):
        sign_out(response)
    return response
