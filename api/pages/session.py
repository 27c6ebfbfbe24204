"""Sign-in for the web pages: a bearer token exchanged for a signed session cookie, and CSRF.

The cookie holds ``{user, role, override, csrf, issued, token fingerprint}`` as base64 JSON plus
an HMAC-SHA256 over it (key: ``JISHI_SESSION_SECRET`` or a random secret kept in
``<data_dir>/session-secret``). It is HttpOnly, SameSite=Lax, Secure over https, and lives at most
``SESSION_HOURS``. Every request re-checks the user in the store (cached for a few seconds, like
tokens): a disabled user or a re-issued token ends the session. Form posts carry the session's
CSRF token in a hidden field; the sign-in form carries one bound to a short-lived pre-session cookie.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response

from domain.users import Principal, User, principal_of, user_id
from service.users import authenticate

COOKIE = "jishi_session"
LOGIN_COOKIE = "jishi_login"
SESSION_HOURS = 8  # a working day
LOGIN_MINUTES = 30
RECHECK_SECONDS = 10.0
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
    """A signed-in user on the web pages."""

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


def _sign(secret: bytes, data: dict[str, Any]) -> str:
    body = base64.urlsafe_b64encode(orjson.dumps(data)).decode("ascii").rstrip("=")
    mac = hmac.new(secret, body.encode("ascii"), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def _unsign(secret: bytes, value: str) -> dict[str, Any] | None:
    body, dot, mac = value.rpartition(".")
    if not dot or len(value) > 4096:
        return None
    expected = hmac.new(secret, body.encode("ascii", "replace"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, mac):
        return None
    try:
        data = orjson.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _fingerprint(token_hash: str) -> str:
    """Which token the session came from (a re-issued token ends it), without keeping the token."""
    return hashlib.sha256(f"session:{token_hash}".encode()).hexdigest()[:32]


class _Recheck:
    """(user, fingerprint) → principal for a few seconds, so a page costs no store read per request."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], tuple[float, Principal | None]] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> tuple[bool, Principal | None]:
        item = self.items.get(key)
        if item is None or item[0] < time.monotonic():
            return False, None
        return True, item[1]

    def put(self, key: tuple[str, str], principal: Principal | None) -> None:
        with self.lock:
            if len(self.items) > 10_000:
                self.items.clear()
            self.items[key] = (time.monotonic() + RECHECK_SECONDS, principal)


def _current_user(request: Request, name: str, fingerprint: str) -> Principal | None:
    state = request.app.state
    recheck: _Recheck | None = getattr(state, "session_recheck", None)
    if recheck is None:
        recheck = state.session_recheck = _Recheck()
    known, principal = recheck.get((name, fingerprint))
    if known:
        return principal
    try:
        user: Any = request.app.state.runtime.app.repository.get(user_id(name))
    except Exception:  # unknown user (or the store is unreachable): no session
        user = None
    principal = None
    if isinstance(user, User) and not user.disabled and hmac.compare_digest(
            _fingerprint(user.token_hash), fingerprint):
        principal = principal_of(user)
    recheck.put((name, fingerprint), principal)
    return principal


def read_session(request: Request) -> Session | None:
    """The request's session, or None (no cookie, bad signature, expired, user disabled)."""
    cached: Session | None = getattr(request.state, "page_session", None)
    if cached is not None:
        return cached
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    data = _unsign(session_secret(request), value)
    if data is None or not isinstance(data.get("u"), str) or not isinstance(data.get("f"), str):
        return None
    issued = float(data.get("t", 0))
    if not 0 <= time.time() - issued < SESSION_HOURS * 3600:
        return None
    principal = _current_user(request, data["u"], data["f"])
    if principal is None:
        return None
    session = Session(principal, str(data.get("c", "")), issued)
    request.state.page_session = session
    request.state.principal = principal
    return session


def sign_in(request: Request, response: Response, token: str) -> Principal | None:
    """Check ``token`` (``domain.users.authenticate``) and set the session cookie; None if refused."""
    app = request.app.state.runtime.app
    principal = authenticate(app, token.strip())
    if principal is None:
        return None
    user: Any = app.repository.get(user_id(principal.name))
    data = {"u": principal.name, "f": _fingerprint(user.token_hash), "c": secrets.token_urlsafe(24),
            "t": time.time()}
    response.set_cookie(COOKIE, _sign(session_secret(request), data), max_age=SESSION_HOURS * 3600,
                        httponly=True, samesite="lax", secure=request.url.scheme == "https", path="/")
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return principal


def sign_out(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/")


def csrf_ok(session: Session, given: object) -> bool:
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
