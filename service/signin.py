"""Sign-in for people: passwords (argon2id), the TOTP second factor, recovery codes, lockout.

``sign_in`` checks a name, a password and (when the user has one or their role needs one) a TOTP
code or a recovery code, in that order, against the user's stream and the failure counters of
``service/sessions.py``; it records ``SignedIn`` or ``SignInRefused`` (``domain/signin.py``) and
returns the principal with what is still to do (enrol a second factor, replace an initial
password). Every refusal says the same thing to the caller — name, password or code wrong — so
the answer does not tell which names exist; the recorded event says which.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventsourcing.persistence import IntegrityError

from domain.errors import FieldError, ValidationError
from domain.recorded import Provenance, provenance_fields
from domain.signin import (
    PasswordSet,
    RecoveryCodeUsed,
    SignedIn,
    SignedOut,
    SignInAttempt,
    SignInRefused,
    SignInUnlocked,
    TotpEnrolled,
    TotpReset,
)
from domain.users import NAME_PATTERN, App, Principal, User, principal_of
from service.sessions import SessionStore
from service.token_cache import clear_cache
from service.users import _find, _get

PASSWORD_MIN, PASSWORD_MAX = 10, 128
RECOVERY_CODES = 10
ISSUER = "纪实"
_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (t=3, m=64 MiB, p=4)
# A hash to verify against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class SignInRefusedError(Exception):
    """A refused sign-in: ``status`` 401 (wrong credentials), 429 (wait), 423 (locked)."""

    def __init__(self, message: str, status: int = 401, retry_at: float = 0.0) -> None:
        super().__init__(message)
        self.message, self.status, self.retry_at = message, status, retry_at


@dataclass(frozen=True)
class SignInResult:
    principal: Principal
    stage: str  # "" · "enrol" (set up the second factor first) · "password" (replace the initial one)


REFUSED = "用户名、密码或动态口令错误 (wrong user name, password or code)"


INITIAL_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read out or written down without mistakes


def initial_password() -> str:
    """A random password of 16 characters from 31 (≈ 79 bits), in groups of four (``xxxx-xxxx-…``)."""
    return "-".join("".join(secrets.choice(INITIAL_ALPHABET) for _ in range(4)) for _ in range(4))


def password_errors(password: str, loc: str = "password") -> list[FieldError]:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        return [FieldError(loc, f"密码须为 {PASSWORD_MIN}–{PASSWORD_MAX} 个字符 "
                                f"(a password has {PASSWORD_MIN}–{PASSWORD_MAX} characters)")]
    return []


def _save(app: App, user: User) -> None:
    app.save(user)
    clear_cache(app)


def set_password(app: App, name: str, password: str, by: Provenance, *, must_change: bool) -> None:
    """设置密码: an admin's initial password (``must_change``: the user replaces it at the first
    sign-in) or the user's own new one. Stored only as an argon2id hash."""
    errors = password_errors(password)
    if errors:
        raise ValidationError(errors)
    user = _get(app, name)
    reason = (f"管理员为用户 {name} 设置初始密码" if must_change
              else f"用户 {name} 修改密码")
    user.trigger_event(PasswordSet, user=name, password_hash=_hasher.hash(password), must_change=must_change,
                       effective_on=None, reason=reason, **provenance_fields(by))
    _save(app, user)


def change_password(app: App, name: str, current: str, new: str, by: Provenance) -> None:
    """修改密码: the user gives the current password and a new, different one."""
    user = _get(app, name)
    errors = [] if _password_ok(user, current) else [
        FieldError("current", "当前密码错误 (the current password is wrong)")]
    errors += password_errors(new, "new")
    if not errors and current == new:
        errors.append(FieldError("new", "新密码须与当前密码不同 (the new password must differ)"))
    if errors:
        raise ValidationError(errors)
    set_password(app, name, new, by, must_change=False)


def _password_ok(user: User | None, password: str) -> bool:
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        return _hasher.verify(stored, password) and stored is not _DUMMY_HASH
    except (VerificationError, InvalidHashError):
        return False


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(name: str, secret: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=ISSUER)


def _hash_code(code: str) -> str:
    return hashlib.sha256(f"recovery:{code.replace('-', '').replace(' ', '').lower()}".encode()).hexdigest()


def _totp_step(secret: str, code: str, now: float) -> int:
    """The time step ``code`` belongs to (this one, the one before or after), or 0."""
    totp = pyotp.TOTP(secret)
    step = int(now // totp.interval)
    for candidate in (step, step - 1, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return 0


def enrol_totp(app: App, name: str, secret: str, code: str, by: Provenance, now: float | None = None) -> list[str]:
    """启用动态口令: the user proves their app holds ``secret`` with a current code; returns ten
    recovery codes (shown once, stored as SHA-256 hashes: each is 80 random bits)."""
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6 or not _totp_step(secret, code, time.time() if now is None else now):
        raise ValidationError([FieldError("totp", "动态口令错误，请输入验证器应用当前显示的6位数字 "
                                                  "(wrong code: enter the 6 digits your app shows now)")])
    user = _get(app, name)
    codes = ["-".join(secrets.token_hex(5)[i:i + 5] for i in (0, 5)) for _ in range(RECOVERY_CODES)]
    user.trigger_event(TotpEnrolled, user=name, totp_secret=secret, recovery_hashes=tuple(map(_hash_code, codes)),
                       effective_on=None, reason=f"用户 {name} 启用动态口令",
                       **provenance_fields(by))
    _save(app, user)
    return codes


def reset_totp(app: App, name: str, by: Provenance) -> None:
    """重置动态口令 (admin): the user enrols again at their next sign-in."""
    user = _get(app, name)
    if user.totp_secret:
        user.trigger_event(TotpReset, user=name, effective_on=None,
                           reason=f"重置用户 {name} 的动态口令",
                           **provenance_fields(by))
        _save(app, user)


def unlock(app: App, store: SessionStore, name: str, by: Provenance) -> bool:
    """解除登录锁定 (admin); returns whether the user was locked."""
    user = _get(app, name)
    was_locked = store.unlock(name)
    user.trigger_event(SignInUnlocked, user=name, effective_on=None,
                       reason=f"解除用户 {name} 的登录锁定", **provenance_fields(by))
    _save(app, user)
    return was_locked


def _refuse(app: App, name: str, address: str, cause: str, request_id: str,
            locked_until: float = 0.0) -> None:
    until = datetime.fromtimestamp(locked_until, UTC) if locked_until else None
    attempt = SignInAttempt._create(SignInRefused, id=uuid4(), user=name[:64], address=address[:64], cause=cause,
                                    locked_until=until, effective_on=None,
                                    reason=f"登录失败：{CAUSES.get(cause, cause)}",
                                    actor=name[:64], actor_role="", request_id=request_id)
    app.save(attempt)


CAUSES = {"password": "密码错误", "totp": "动态口令错误", "unknown_user": "用户不存在", "disabled": "用户已停用",
          "locked": "账户或地址已锁定", "delayed": "尝试过于频繁", "no_password": "尚未设置密码"}


def _clock_text(epoch: float) -> str:
    return (datetime.fromtimestamp(epoch, UTC) + timedelta(hours=8)).strftime("%H:%M:%S")


def sign_in(app: App, store: SessionStore, totp_roles: frozenset[str], name: str, password: str, code: str,
            address: str, request_id: str) -> SignInResult:
    """Check the credentials; returns the principal and what is still to do, or raises
    ``SignInRefusedError`` (recorded as ``SignInRefused``, and counted towards a lockout)."""
    name, code = name.strip(), code.strip().replace(" ", "")
    if not NAME_PATTERN.match(name):
        name = name[:64] or "?"
    gate = store.gate(name, address)
    if gate.locked_until:
        _refuse(app, name, address, "locked", request_id)
        raise SignInRefusedError(f"登录失败次数过多，已锁定至 {_clock_text(gate.locked_until)}（北京时间），"
                                 f"或请管理员解除 (too many failures: locked until then, or ask an admin)",
                                 423, gate.locked_until)
    if gate.retry_at:
        _refuse(app, name, address, "delayed", request_id)
        raise SignInRefusedError(f"尝试过于频繁，请 {max(1, int(gate.retry_at - store.clock()) + 1)} 秒后再试 "
                                 f"(too many attempts: wait and try again)", 429, gate.retry_at)
    user = _find(app, name) if NAME_PATTERN.match(name) else None
    cause = ""
    if not _password_ok(user, password):
        cause = "password" if user is not None and user.password_hash else (
            "unknown_user" if user is None else "no_password")
    elif user is not None and user.disabled:
        cause = "disabled"
    step, recovery = 0, ""
    if not cause and user is not None and user.totp_secret:
        step = _totp_step(user.totp_secret, code, store.clock()) if code.isdigit() and len(code) == 6 else 0
        if step and step <= user.last_totp_step:
            step = 0  # a code is accepted once
        if not step:
            recovery = _hash_code(code) if len(code) >= 10 else ""
            if recovery not in user.recovery_hashes:
                cause, recovery = "totp", ""
    if cause:
        locked = store.fail(name, address)
        _refuse(app, name, address, cause, request_id, locked)
        raise SignInRefusedError(REFUSED)
    assert user is not None
    by = Provenance(name, user.role, request_id)
    if recovery:
        user.trigger_event(RecoveryCodeUsed, user=name, code_hash=recovery, effective_on=None,
                           reason=f"用户 {name} 使用恢复码登录",
                           **provenance_fields(by))
    user.trigger_event(SignedIn, user=name, address=address[:64], totp_step=step, effective_on=None,
                       reason=f"用户 {name} 登录", **provenance_fields(by))
    try:
        _save(app, user)
    except IntegrityError:
        # The user's stream moved since it was read: most likely a concurrent sign-in with the same code
        # (the one-use check must not let both through), rarely an admin's change; either way: try again.
        raise SignInRefusedError(REFUSED) from None
    store.succeed(name)
    stage = "enrol" if not user.totp_secret and user.role in (totp_roles | {"admin"}) else (
        "password" if user.must_change_password else "")
    return SignInResult(principal_of(user), stage)


def record_sign_out(app: App, principal: Principal, address: str, request_id: str) -> None:
    """退出登录, on the user's stream (a vanished user is not an error)."""
    user: Any = _find(app, principal.name)
    if user is None:
        return
    user.trigger_event(SignedOut, user=principal.name, address=address[:64], effective_on=None,
                       reason=f"用户 {principal.name} 退出登录",
                       **provenance_fields(principal.provenance(request_id)))
    app.save(user)
