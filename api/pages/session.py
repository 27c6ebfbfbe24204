"""Sign-in for the web pages: a server-side session behind a random cookie, and CSRF.

People sign in with a name, a password and a TOTP code (``service/signin.py``). The cookie holds
only a random 256-bit session id (HttpOnly, SameSite=Lax, Secure over https); the session lives in
the ``web_session`` table (``service/sessions.py``) that every worker shares, so logging out or
disabling a user ends it everywhere at once, and it ends after ``JISHI_SESSION_IDLE_MINUTES`` unused
or ``JISHI_SESSION_HOURS`` after sign-in. Each request also re-checks the user (cached, re-synced
with the store every half second: a disabled user is out within a second even before the table
is cleared). A session still in a ``stage`` (enrol a second factor, replace an initial password)
opens only the pages of that step. Form posts carry the session's CSRF token in a hidden field;
the sign-in form carries one bound to a short-lived pre-session cookie (keyed by
``JISHI_SESSION_SECRET`` or a random secret kept in ``<data_dir>/session-secret``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from starlette.responses import Response

from api.session_store import session_store
from domain.users import Principal
from service.sessions import SessionRow
from service.signin import SignInResult
from service.users import session_principal

COOKIE = "jishi_session"
LOGIN_COOKIE = "jishi_login"
LOGIN_MINUTES = 30
_secret_lock = threading.Lock()


class LoginRequiredError(Exception):
    """Raised when a page needs a signed-in user and the request has no valid session."""


class PageForbiddenError(Exception):
    """Raised when the signed-in user's role may not open this page or send this form."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PageNotFoundError(PageForbiddenError):
    """Raised when a page's path names nothing (a malformed id)."""


@dataclass(frozen=True)
class Session:
    """A signed-in user on the web pages (``issued``: epoch seconds of the sign-in)."""

    principal: Principal
    csrf: str
    issued: float


def session_secret(request: Request) -> bytes:
    """The HMAC key: from the environment, else a random one kept in the data directory (0600)."""
    state = request.app.state
    cached: bytes | None = getattr(state, "session_secret", None)
    if cached is not None:
        return cached
    with _secret_lock:
        env = os.environ.get("JISHI_SESSION_SECRET")
        if env:
            secret = hashlib.sha256(env.encode("utf-8")).digest()
        else:
            secret = _secret_file(Path(request.app.state.runtime.settings.data_dir) / "session-secret")
        state.session_secret = secret
        return secret


def _secret_file(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(100):  # another worker may be writing it right now
            text = path.read_text(encoding="ascii").strip()
            if len(text) >= 64:
                return bytes.fromhex(text)
            time.sleep(0.05)
        raise RuntimeError(f"{path}: not a session secret (64 hex digits); "
                           "delete it or set JISHI_SESSION_SECRET") from None
    secret = secrets.token_bytes(32)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secret.hex())
    return secret


def pending_session(request: Request) -> tuple[str, SessionRow] | None:
    """The request's live session in any stage, with its id, or None."""
    session_id = request.cookies.get(COOKIE, "")
    row = session_store(request).get(session_id) if session_id else None
    return (session_id, row) if row is not None else None


def read_session(request: Request) -> Session | None:
    """The request's signed-in session, or None (no cookie, ended, timed out, user disabled, or a
    step — second factor, new password — still to do)."""
    cached: Session | None = getattr(request.state, "page_session", None)
    if cached is not None:
        return cached
    found = pending_session(request)
    if found is None or found[1].stage:
        return None
    row = found[1]
    principal = session_principal(request.app.state.runtime.app, row.user)
    if principal is None:
        return None
    session = Session(principal, row.csrf, row.created_at)
    request.state.page_session = session
    request.state.principal = principal
    return session


def set_session_cookie(request: Request, response: Response, session_id: str) -> None:
    hours = request.app.state.runtime.settings.session_hours
    response.set_cookie(COOKIE, session_id, max_age=hours * 3600, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")
    response.delete_cookie(LOGIN_COOKIE, path="/")


def start_session(request: Request, response: Response, result: SignInResult) -> str:
    """A new server-side session for a checked sign-in, its cookie on ``response``; returns the id."""
    session_id, _ = session_store(request).create(result.principal.name, result.stage)
    set_session_cookie(request, response, session_id)
    return session_id


def end_session(request: Request, response: Response) -> str | None:
    """退出: delete the request's session on the server (a copied cookie stops working) and the
    cookie; returns the user it belonged to (None: there was none)."""
    session_id = request.cookies.get(COOKIE, "")
    found = pending_session(request) if session_id else None
    if session_id:
        session_store(request).end(session_id)
    response.delete_cookie(COOKIE, path="/")
    return found[1].user if found else None


def csrf_ok(session: Session | SessionRow, given: object) -> bool:
    return isinstance(given, str) and bool(session.csrf) and hmac.compare_digest(session.csrf, given)


# ——— the sign-in form's own CSRF token, bound to a pre-session cookie ———

def login_token(request: Request) -> tuple[str, str | None]:
    """A token for the sign-in form, and the new pre-session nonce to set (None: the cookie holds one)."""
    nonce = request.cookies.get(LOGIN_COOKIE)
    fresh = None
    if not nonce or len(nonce) > 64:
        nonce = fresh = secrets.token_urlsafe(24)
    return hmac.new(session_secret(request), f"login:{nonce}".encode(), hashlib.sha256).hexdigest(), fresh


def set_login_cookie(request: Request, response: Response, nonce: str | None) -> None:
    if nonce:
        response.set_cookie(LOGIN_COOKIE, nonce, max_age=LOGIN_MINUTES * 60, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https", path="/")


def login_csrf_ok(request: Request, given: object) -> bool:
    nonce = request.cookies.get(LOGIN_COOKIE)
    if not nonce or not isinstance(given, str):
        return False
    expected = hmac.new(session_secret(request), f"login:{nonce}".encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)
