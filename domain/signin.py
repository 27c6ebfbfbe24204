"""Sign-in for people 登录: password, second factor (动态口令 TOTP), recovery codes, lockout — as events.

Everything that changes how a person signs in is recorded on the user's own stream (the "audit"
stream, like ``UserAdded``), so the tamper-evident log shows who set whose password, who enrolled
a second factor, when each sign-in and sign-out happened and who lifted a lockout:

* ``PasswordSet`` — the argon2id hash of a new password; ``must_change`` when an admin set it (an
  initial password the user must replace on first sign-in).
* ``TotpEnrolled`` — the TOTP secret (RFC 6238, 30 s, 6 digits) and the SHA-256 hashes of ten
  recovery codes (shown once); ``TotpReset`` (admin) removes them so the user enrols again.
* ``RecoveryCodeUsed`` — one recovery code spent (it never works again).
* ``SignedIn`` / ``SignedOut`` — with the caller's address and, for a TOTP code, its time step
  (a code is accepted once: a replayed step is refused).
* ``SignInUnlocked`` — an admin lifted a lockout early.

A refused sign-in (wrong password or code, unknown user, locked) is recorded as a ``SignInRefused``
on an aggregate of its own (one per attempt, like a growth-file read: attempts never contend with
the user's stream, and an unknown name has no stream); ``cause`` says why, ``locked_until`` is set
on the attempt that locked the user or the address (``LOCKED_LABEL``).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from eventsourcing.domain import Aggregate, AggregateCreated

from domain.users import User, UserEvent


class PasswordSet(UserEvent):
    """设置密码 (by an admin: an initial password to change) or 修改密码 (by the user)."""

    LABEL: ClassVar[str] = "设置密码"
    user: str
    password_hash: str
    must_change: bool

    def apply(self, user: User) -> None:
        user.password_hash = self.password_hash
        user.must_change_password = self.must_change


class TotpEnrolled(UserEvent):
    """启用动态口令: the second factor and its recovery codes (hashed)."""

    LABEL: ClassVar[str] = "启用动态口令"
    user: str
    totp_secret: str
    recovery_hashes: tuple[str, ...]

    def apply(self, user: User) -> None:
        user.totp_secret = self.totp_secret
        user.recovery_hashes = tuple(self.recovery_hashes)
        user.last_totp_step = 0


class TotpReset(UserEvent):
    """重置动态口令: an admin removed the user's second factor; they enrol again at the next sign-in."""

    LABEL: ClassVar[str] = "重置动态口令"
    user: str

    def apply(self, user: User) -> None:
        user.totp_secret = ""
        user.recovery_hashes = ()


class RecoveryCodeUsed(UserEvent):
    """使用恢复码: one recovery code spent instead of a TOTP code."""

    LABEL: ClassVar[str] = "使用恢复码"
    user: str
    code_hash: str

    def apply(self, user: User) -> None:
        user.recovery_hashes = tuple(h for h in user.recovery_hashes if h != self.code_hash)


class SignedIn(UserEvent):
    """登录: the user signed in (password, then the second factor if their role needs it)."""

    LABEL: ClassVar[str] = "登录"
    user: str
    address: str
    totp_step: int  # the TOTP time step used (0: none); an older or equal step is refused next time

    def apply(self, user: User) -> None:
        if self.totp_step:
            user.last_totp_step = self.totp_step


class SignedOut(UserEvent):
    """退出登录: the user ended their session."""

    LABEL: ClassVar[str] = "退出登录"
    user: str
    address: str

    def apply(self, user: User) -> None:
        pass


class SignInUnlocked(UserEvent):
    """解除登录锁定: an admin lifted the user's lockout before it ran out."""

    LABEL: ClassVar[str] = "解除登录锁定"
    user: str

    def apply(self, user: User) -> None:
        pass


class SignInAttempt(Aggregate):
    """One refused sign-in (登录失败)."""

    TOPIC = "jishi.SignInAttempt"

    class Event(Aggregate.Event):
        TOPIC = "jishi.SignInAttempt.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "jishi.SignInAttempt.Created"

    def __init__(self) -> None:
        self.user = ""


LOCKED_LABEL = "登录锁定"


class SignInRefused(UserEvent, AggregateCreated):
    """登录失败 (or 登录锁定 when ``locked_until`` is set): who tried, from where, why."""

    LABEL: ClassVar[str] = "登录失败"
    user: str
    address: str
    cause: str  # password · totp · unknown_user · no_password · disabled · locked · delayed
    locked_until: datetime | None = None

    def apply(self, attempt: SignInAttempt) -> None:
        attempt.user = self.user


class TokenExpirySet(UserEvent):
    """令牌有效期: the user's current API token stops working at ``expires_at`` (set when it is issued;
    a token issued before expiries existed runs out ``TOKEN_DAYS`` after it was issued)."""

    LABEL: ClassVar[str] = "设置令牌有效期"
    user: str
    expires_at: datetime

    def apply(self, user: User) -> None:
        user.token_expires_at = self.expires_at


class TokenRevoked(UserEvent):
    """吊销令牌: the user's API token stops working at once (people still sign in with a password)."""

    LABEL: ClassVar[str] = "吊销令牌"
    user: str

    def apply(self, user: User) -> None:
        user.token_hash = ""


EVENTS = (PasswordSet, TotpEnrolled, TotpReset, RecoveryCodeUsed, SignedIn, SignedOut, SignInUnlocked, SignInRefused,
          TokenExpirySet, TokenRevoked)  # every sign-in event, for the audit trail's Chinese labels
