"""Users' tokens, sign-in and the log of reads: the service side of ``domain/users.py``.

Tokens are ``<name>.<secret>`` with a 256-bit random secret: the name finds the user (``user_id`` =
uuid5 of the name), the SHA-256 hash of the secret checks it. A fast hash is right for a 256-bit
random secret (nothing to brute-force); passwords would need argon2. ``authenticate`` keeps the
principals it found for ``CACHE_SECONDS`` per application, so checking a token is a dict look-up.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from domain.ids import unit_id
from domain.permissions import LABELS, PERMISSIONS, PermissionGranted, PermissionRevoked
from domain.recorded import Provenance, provenance_fields
from domain.signin import TokenExpirySet, TokenRevoked
from domain.users import (
    MAX_SCOPES,
    NAME_PATTERN,
    ROLES,
    App,
    GrowthFileRead,
    Principal,
    ReadRecord,
    ScopeGranted,
    ScopeRevoked,
    TokenIssued,
    User,
    UserAdded,
    UserDisabled,
    principal_of,
    user_id,
)
from service.token_cache import _cache_for

TOKEN_DAYS = 90  # the default lifetime of an API token (``JISHI_TOKEN_DAYS``)
MAX_TOKEN_DAYS = 3660


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _new_secret() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits; never contains "."


def _find(app: App, name: str) -> User | None:
    try:
        found: Any = app.repository.get(user_id(name))
    except AggregateNotFoundError:
        return None
    return found if isinstance(found, User) else None


def _unit_exists(app: App, code: str) -> bool:
    try:
        found: Any = app.repository.get(unit_id(code))
    except AggregateNotFoundError:
        return False
    return getattr(found, "code", None) == code


def _scope_errors(app: App, codes: Sequence[str], loc: str) -> list[FieldError]:
    errors = []
    if len(codes) > MAX_SCOPES:
        errors.append(FieldError(loc, f"管辖范围至多 {MAX_SCOPES} 个 (at most {MAX_SCOPES} scopes)"))
    for code in codes[:MAX_SCOPES]:
        if not isinstance(code, str) or not 1 <= len(code) <= 32 or not _unit_exists(app, code):
            errors.append(FieldError(loc, f"单位不存在 (no such unit): {code}"))
    return errors


def _scope_text(scopes: Sequence[str]) -> str:
    return "、".join(scopes) if scopes else "全部 (whole tree)"


def add_user(app: App, name: str, role: str, can_override: bool, by: Provenance,
             scopes: Sequence[str] = (), *, can_publish_calendar: bool = False, token_days: int = TOKEN_DAYS) -> str:
    """添加用户: store a new user and return their token (shown once, stored only as a hash).

    ``scopes``: the root unit codes of the subtrees the user may see and write (each must be a
    registered unit); empty = the whole tree — the caller decides who may grant that.
    ``can_publish_calendar``: an hr user may record the working-day calendar (an admin may by role)."""
    scopes = tuple(dict.fromkeys(scopes))
    errors = _scope_errors(app, scopes, "scopes")
    if not NAME_PATTERN.match(name):
        errors.append(FieldError("name", "用户名须为1–64位字母、数字、汉字、_ 或 - "
                                         "(1–64 letters, digits, Chinese characters, _ or -)"))
    if role not in ROLES:
        errors.append(FieldError("role", f"须为以下之一：{'、'.join(ROLES)} (must be one of: {', '.join(ROLES)})"))
    if can_override and role != "hr":
        errors.append(FieldError("can_override", "只有 hr 可被授予例外放行权限 (only hr users may override)"))
    if can_publish_calendar and role != "hr":
        errors.append(FieldError("can_publish_calendar", "只有 hr 可被授予记录节假日安排的权限（admin 本已可以） "
                                 "(only hr users take this permission; an admin has it by role)"))
    errors += _token_days_errors(token_days)
    if errors:
        raise ValidationError(errors)
    if _find(app, name) is not None:
        raise ConflictError(f"用户已存在 (user already exists): {name}")
    secret = _new_secret()
    reason = (f"添加用户 {name}（角色 {role}，管辖范围 {_scope_text(scopes)}） "
              f"(user {name}, role {role}, scope {', '.join(scopes) or 'whole tree'})")
    user = User._create(UserAdded, id=user_id(name), name=name, role=role, can_override=can_override,
                        token_hash=hash_secret(secret), scopes=scopes, can_publish_calendar=can_publish_calendar,
                        effective_on=None, reason=reason, **provenance_fields(by))
    _set_expiry(user, token_days, by)
    try:
        app.save(user)
    except IntegrityError:
        raise ConflictError(f"用户已存在 (user already exists): {name}") from None
    return f"{name}.{secret}"


def _token_days_errors(token_days: int) -> list[FieldError]:
    if not isinstance(token_days, int) or not 1 <= token_days <= MAX_TOKEN_DAYS:
        return [FieldError("token_days", f"令牌有效期须为 1–{MAX_TOKEN_DAYS} 天 "
                                         f"(a token lasts 1–{MAX_TOKEN_DAYS} days)")]
    return []


def _set_expiry(user: User, token_days: int, by: Provenance) -> datetime:
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(days=token_days)
    beijing = expires + timedelta(hours=8)
    user.trigger_event(TokenExpirySet, user=user.name, expires_at=expires, effective_on=None,
                       reason=f"令牌有效期 {token_days} 天，至 {beijing:%Y-%m-%d %H:%M}（北京时间）",
                       **provenance_fields(by))
    return expires


def issue_token(app: App, name: str, by: Provenance, token_days: int = TOKEN_DAYS) -> str:
    """重发令牌: replace a user's token (valid ``token_days``); the old one stops working at once
    here and within ``SYNC_SECONDS`` in every other worker."""
    errors = _token_days_errors(token_days)
    if errors:
        raise ValidationError(errors)
    user = _get(app, name)
    secret = _new_secret()
    user.trigger_event(TokenIssued, token_hash=hash_secret(secret), effective_on=None, **provenance_fields(by))
    _set_expiry(user, token_days, by)
    app.save(user)
    _cache_for(app).clear()
    return f"{name}.{secret}"


def revoke_token(app: App, name: str, by: Provenance) -> bool:
    """吊销令牌: the user's API token stops working (people keep signing in with their password);
    returns whether there was one to revoke."""
    user = _get(app, name)
    if not user.token_hash:
        return False
    user.trigger_event(TokenRevoked, user=name, effective_on=None,
                       reason=f"吊销用户 {name} 的令牌", **provenance_fields(by))
    app.save(user)
    _cache_for(app).clear()
    return True


def disable_user(app: App, name: str, by: Provenance) -> None:
    """停用用户: the user's token stops working (within the cache time in other processes)."""
    user = _get(app, name)
    if not user.disabled:
        user.trigger_event(UserDisabled, effective_on=None, **provenance_fields(by))
        app.save(user)
    _cache_for(app).clear()


def _get(app: App, name: str) -> User:
    user = _find(app, name) if NAME_PATTERN.match(name) else None
    if user is None:
        raise NotFoundError(f"用户不存在 (no such user): {name}")
    return user


def user_scopes(app: App, name: str) -> frozenset[str] | None:
    """The user's scope (root unit codes; None = the whole tree), or NotFoundError."""
    user = _get(app, name)
    return frozenset(user.scopes) if user.scopes else None


def change_scopes(app: App, name: str, grant: Sequence[str], revoke: Sequence[str],
                  by: Provenance) -> tuple[str, ...]:
    """授予/收回管辖范围: add the subtrees of ``grant`` to a scoped user's scope and remove those of
    ``revoke``, all or nothing (one save); returns the new scope. Refused (422): a whole-tree user
    (a grant would narrow them — add a scoped user instead), an unknown unit, a revoked scope the
    user does not have, and leaving the user with no scope (that would mean the whole tree —
    disable the user instead). Granting a scope the user already has records nothing."""
    user = _get(app, name)
    grant, revoke = tuple(dict.fromkeys(grant)), tuple(dict.fromkeys(revoke))
    if not user.scopes:
        raise ValidationError([FieldError("grant" if grant else "revoke", "该用户的管辖范围为全部单位，不能授予或收回 "
                                          "(the user sees the whole tree: add a scoped user instead)")])
    errors = _scope_errors(app, grant, "grant")
    result = [*user.scopes, *(code for code in grant if code not in user.scopes)]
    for code in revoke:
        if code not in result:
            errors.append(FieldError("revoke", f"该用户没有此管辖范围 (the user has no such scope): {code}"))
    result = [code for code in result if code not in revoke]
    if not errors and not result:
        errors.append(FieldError("revoke", "不能收回最后一个管辖范围，请停用该用户 "
                                           "(the last scope cannot be revoked: disable the user instead)"))
    if not errors and len(result) > MAX_SCOPES:
        errors.append(FieldError("grant", f"管辖范围至多 {MAX_SCOPES} 个 (at most {MAX_SCOPES} scopes)"))
    if errors:
        raise ValidationError(errors)
    for code in grant:
        if code not in user.scopes:
            user.trigger_event(ScopeGranted, user=name, unit_code=code, effective_on=None,
                               reason=f"授予用户 {name} 管辖范围 {code} (granted user {name} the scope {code})",
                               **provenance_fields(by))
    for code in revoke:
        user.trigger_event(ScopeRevoked, user=name, unit_code=code, effective_on=None,
                           reason=f"收回用户 {name} 管辖范围 {code} (revoked the scope {code} of user {name})",
                           **provenance_fields(by))
    if user.pending_events:
        app.save(user)
    _cache_for(app).clear()
    return user.scopes


def grant_scope(app: App, name: str, unit_code: str, by: Provenance) -> tuple[str, ...]:
    """授予管辖范围 of one unit subtree (see ``change_scopes``)."""
    return change_scopes(app, name, [unit_code], [], by)


def revoke_scope(app: App, name: str, unit_code: str, by: Provenance) -> tuple[str, ...]:
    """收回管辖范围 of one unit subtree (see ``change_scopes``)."""
    return change_scopes(app, name, [], [unit_code], by)


def list_users(app: App) -> list[dict[str, Any]]:
    """Every user (name, role, permission, state), without token hashes; ``tokens_issued`` counts the
    tokens the user was given (the first with the user, then each 重发令牌) and ``token_issued_at`` says
    when the one that works now was issued."""
    users: dict[str, dict[str, Any]] = {}
    issued: dict[UUID, list[datetime]] = {}
    for event in _events(app, ("jishi.audit.UserAdded", "jishi.audit.TokenIssued")):
        issued.setdefault(event.originator_id, []).append(event.timestamp)
        if type(event).__name__ != "UserAdded":
            continue
        user = _find(app, event.name)
        if user is not None:
            users[user.name] = {"name": user.name, "role": user.role, "can_override": user.can_override,
                                "can_publish_calendar": user.can_publish_calendar,
                                "disabled": user.disabled, "scopes": list(user.scopes),
                                "added_at": event.timestamp, "added_by": event.actor,
                                "token_active": bool(user.token_hash), "token_expires_at": token_expiry(user),
                                "has_password": bool(user.password_hash), "has_totp": bool(user.totp_secret)}
    for user_data in users.values():
        times = issued.get(user_id(user_data["name"]), [])
        user_data["tokens_issued"], user_data["token_issued_at"] = len(times), max(times, default=None)
    return list(users.values())


def token_expiry(user: User, token_days: int = TOKEN_DAYS) -> datetime | None:
    """When the user's current token stops working (a token from before expiries: ``token_days``
    after it was issued)."""
    if user.token_expires_at is not None:
        return user.token_expires_at
    return user.token_issued_at + timedelta(days=token_days) if user.token_issued_at else None


class TokenExpiredError(Exception):
    """The token is right but ran out (``expired_at``)."""

    def __init__(self, expired_at: datetime) -> None:
        super().__init__(expired_at.isoformat())
        self.expired_at = expired_at


def authenticate(app: App, token: str, now: datetime | None = None) -> Principal | None:
    """The principal a token belongs to, or None (unknown user, wrong secret, disabled, revoked);
    ``TokenExpiredError`` for a right token past its expiry."""
    name, dot, secret = token.rpartition(".")
    if not dot or not name or not secret or len(token) > 200:
        return None
    key = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
    cache = _cache_for(app)
    found = cache.get(key)
    if found is None:
        if not NAME_PATTERN.match(name):
            return None
        user = _find(app, name)
        if user is None or user.disabled or not hmac.compare_digest(user.token_hash, hash_secret(secret)):
            return None
        found = principal_of(user), token_expiry(user)
        cache.put(key, *found)
    principal, expires = found
    if expires is not None and (now or datetime.now(UTC)) >= expires:
        raise TokenExpiredError(expires)
    return principal


def session_principal(app: App, name: str) -> Principal | None:
    """The principal a signed-in person acts as now (None: unknown or disabled), cached like tokens."""
    cache = _cache_for(app)
    found = cache.get(f"session:{name}")
    if found is not None:
        return found[0]
    user = _find(app, name) if NAME_PATTERN.match(name) else None
    if user is None or user.disabled:
        return None
    principal = principal_of(user)
    cache.put(f"session:{name}", principal)
    return principal


def record_read(app: App, cadre_id: UUID, by: Provenance) -> datetime:
    """查阅留痕: record that ``by`` read the growth file of ``cadre_id``; returns when."""
    record = read_record(cadre_id, by)
    app.save(record)
    return record_time(record)


def read_record(cadre_id: UUID, by: Provenance) -> ReadRecord:
    """A growth-file read, not yet stored (``app.save`` several in one transaction: ``api/read_log.py``)."""
    return ReadRecord._create(GrowthFileRead, id=uuid4(), cadre_id=cadre_id, effective_on=None,
                              **provenance_fields(by))


def record_time(record: ReadRecord) -> datetime:
    """When the read ``read_record`` made was recorded."""
    timestamp: datetime = record.created_on  # the timestamp of its one event
    return timestamp


def _events(app: App, topics: tuple[str, ...], page: int = 1000) -> Iterator[Any]:
    start = 1
    while True:
        notifications = app.recorder.select_notifications(start, page, topics=topics)
        for n in notifications:
            yield app.mapper.to_domain_event(n)
        if len(notifications) < page:
            return
        start = notifications[-1].id + 1


def reads(app: App, cadre_id: UUID | None = None, *, after: int = 0, limit: int = 100,
          visible: Callable[[UUID], bool] | None = None) -> list[dict[str, Any]]:
    """Recorded growth-file reads in recorded order (optionally of one cadre), after a position;
    with ``visible`` only the reads of the cadres it accepts (a scoped auditor's)."""
    found: list[dict[str, Any]] = []
    start = after + 1
    while len(found) < limit:
        notifications = app.recorder.select_notifications(start, 1000, topics=("jishi.audit.GrowthFileRead",))
        for n in notifications:
            event: Any = app.mapper.to_domain_event(n)
            if (cadre_id is None or event.cadre_id == cadre_id) and (visible is None or visible(event.cadre_id)):
                found.append({"position": n.id, "cadre_id": event.cadre_id, "reader": event.actor,
                              "role": event.actor_role, "request_id": event.request_id,
                              "read_at": event.timestamp})
                if len(found) == limit:
                    break
        if len(notifications) < 1000:
            break
        start = notifications[-1].id + 1
    return found



from domain import permissions as _permissions  # noqa: E402,F401 — the permission events of the user stream


def change_permission(app: App, name: str, permission: str, grant: bool, by: Provenance) -> bool:
    """Grant or revoke ``permission``; returns whether the user now has it. Only an hr user takes
    ``can_publish_calendar`` (an admin has it by role) or ``can_override``; a change to what is already
    so records nothing."""
    if permission not in PERMISSIONS:
        raise ValidationError([FieldError("permission", f"须为以下之一：{'、'.join(PERMISSIONS)} "
                                                        f"(must be one of: {', '.join(PERMISSIONS)})")])
    user = _get(app, name)
    if grant and user.role != "hr":
        raise ValidationError([FieldError(
            "permission", f"只有 hr 用户可被授予此权限，{name} 的角色为 {user.role} "
                          f"(only hr users take this permission; {name} is {user.role})")])
    if bool(getattr(user, permission)) != grant:
        event = PermissionGranted if grant else PermissionRevoked
        verb_zh, verb_en = ("授予", "granted") if grant else ("收回", "revoked")
        user.trigger_event(event, user=name, permission=permission, effective_on=None,
                           reason=f"{verb_zh}用户 {name} 权限：{LABELS[permission]} ({verb_en} {permission}: {name})",
                           **provenance_fields(by))
        app.save(user)
    _cache_for(app).clear()
    return grant
