"""Users 用户 and the log of who read what: the "audit" stream.

Users are event-sourced like everything else (``jishi.audit.UserAdded`` …), so who could do
what, and when, is itself part of the tamper-evident record. A user holds a name, a role
(hr · auditor · oversight · admin), the override permission and the SHA-256 hash of their
token's secret. Tokens are ``<name>.<secret>`` with a 256-bit random secret: the name finds
the user (``user_id`` = uuid5 of the name), the hash checks the secret. A fast hash is right
for a 256-bit random secret (nothing to brute-force); passwords would need argon2.

Every read of a growth file is recorded as ``GrowthFileRead`` on an aggregate of its own
(one per read, so concurrent reads never contend and nothing is loaded to append).

管辖范围 (jurisdiction): a user is bound to one or more unit subtrees, named by their root unit
codes (``UserAdded.scopes``; empty = the whole tree). ``ScopeGranted`` / ``ScopeRevoked`` change
them later, recorded like everything else (who granted what, when, and — in ``reason`` — to whom),
so the trail of the granting actor shows them. A scoped user keeps at least one subtree: revoking
the last one is refused (it would silently widen them to the whole tree); disable the user instead.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Literal, get_args
from uuid import UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, AggregateCreated
from eventsourcing.persistence import IntegrityError

from domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from domain.ids import JISHI_NAMESPACE, unit_id
from domain.recorded import Provenance, RecordedEvent, provenance_fields

App = Application[UUID]
Role = Literal["hr", "auditor", "oversight", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_\-\u4e00-\u9fff]{1,64}$")
MAX_SCOPES = 100
CACHE_SECONDS = 30.0


def user_id(name: str) -> UUID:
    return uuid5(JISHI_NAMESPACE, f"user:{name}")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class User(Aggregate):
    TOPIC = "jishi.User"

    class Event(Aggregate.Event):
        TOPIC = "jishi.User.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "jishi.User.Created"

    def __init__(self) -> None:
        self.name = ""
        self.role = ""
        self.can_override = False
        self.can_publish_calendar = False  # hr: may record the working-day calendar (节假日安排)
        self.token_hash = ""
        self.disabled = False
        self.scopes: tuple[str, ...] = ()  # root unit codes of the user's subtrees; () = the whole tree


class UserEvent(RecordedEvent):
    STREAM: ClassVar[str] = "audit"


class UserAdded(UserEvent, AggregateCreated):
    LABEL: ClassVar[str] = "添加用户"
    class_version: ClassVar[int] = 3
    name: str
    role: str
    can_override: bool
    token_hash: str
    scopes: tuple[str, ...] = ()  # root unit codes (管辖范围); () = the whole tree (added in v2)
    can_publish_calendar: bool = False  # hr: may record 节假日安排 (added in v3)

    def apply(self, user: User) -> None:
        user.name, user.role, user.can_override = self.name, self.role, self.can_override
        user.token_hash = self.token_hash
        user.scopes = tuple(self.scopes)
        user.can_publish_calendar = self.can_publish_calendar

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """v1 users had no scopes: they see the whole tree."""
        state.setdefault("scopes", ())

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        """v2 users had no calendar permission (an admin records the calendar by role)."""
        state.setdefault("can_publish_calendar", False)


class ScopeGranted(UserEvent):
    """授予管辖范围: the user may from now on also see and write the subtree of ``unit_code``."""

    LABEL: ClassVar[str] = "授予管辖范围"
    user: str
    unit_code: str

    def apply(self, user: User) -> None:
        user.scopes = (*user.scopes, self.unit_code)


class ScopeRevoked(UserEvent):
    """收回管辖范围: the user no longer sees the subtree of ``unit_code``."""

    LABEL: ClassVar[str] = "收回管辖范围"
    user: str
    unit_code: str

    def apply(self, user: User) -> None:
        user.scopes = tuple(code for code in user.scopes if code != self.unit_code)


class TokenIssued(UserEvent):
    LABEL: ClassVar[str] = "重发令牌"
    token_hash: str

    def apply(self, user: User) -> None:
        user.token_hash = self.token_hash


class UserDisabled(UserEvent):
    LABEL: ClassVar[str] = "停用用户"

    def apply(self, user: User) -> None:
        user.disabled = True


class ReadRecord(Aggregate):
    """One read of one growth file (阅档记录)."""

    TOPIC = "jishi.ReadRecord"

    class Event(Aggregate.Event):
        TOPIC = "jishi.ReadRecord.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "jishi.ReadRecord.Created"

    def __init__(self) -> None:
        self.cadre_id: UUID | None = None


class GrowthFileRead(UserEvent, AggregateCreated):
    LABEL: ClassVar[str] = "查阅成长档案"
    cadre_id: UUID

    def apply(self, record: ReadRecord) -> None:
        record.cadre_id = self.cadre_id


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user's name, role, override permission and scope — the root unit codes
    of the subtrees they may see and write, or None for the whole tree."""

    name: str
    role: str
    can_override: bool = False
    scopes: frozenset[str] | None = None
    can_publish_calendar: bool = False

    @property
    def whole_tree(self) -> bool:
        return self.scopes is None

    @property
    def may_publish_calendar(self) -> bool:
        """记录节假日安排: an admin, or an hr user with the permission."""
        return self.role == "admin" or (self.role == "hr" and self.can_publish_calendar)

    def provenance(self, request_id: str) -> Provenance:
        return Provenance(self.name, self.role, request_id, self.can_override, self.can_publish_calendar,
                          self.scopes)


def principal_of(user: User) -> Principal:
    """The principal a (valid, enabled) user acts as."""
    return Principal(user.name, user.role, user.can_override, frozenset(user.scopes) if user.scopes else None,
                     user.can_publish_calendar)


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
             scopes: Sequence[str] = (), *, can_publish_calendar: bool = False) -> str:
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
        errors.append(FieldError("can_override", "只有 hr 可被授予越权放行权限 (only hr users may override)"))
    if can_publish_calendar and role != "hr":
        errors.append(FieldError("can_publish_calendar", "只有 hr 可被授予记录节假日安排的权限（admin 本已可以） "
                                 "(only hr users take this permission; an admin has it by role)"))
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
    try:
        app.save(user)
    except IntegrityError:
        raise ConflictError(f"用户已存在 (user already exists): {name}") from None
    return f"{name}.{secret}"


def issue_token(app: App, name: str, by: Provenance) -> str:
    """重发令牌: replace a user's token; the old one stops working (within the cache time)."""
    user = _get(app, name)
    secret = _new_secret()
    user.trigger_event(TokenIssued, token_hash=hash_secret(secret), effective_on=None, **provenance_fields(by))
    app.save(user)
    _cache_for(app).clear()
    return f"{name}.{secret}"


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
    """Every user (name, role, permission, state), without token hashes."""
    users: dict[str, dict[str, Any]] = {}
    for event in _events(app, ("jishi.audit.UserAdded",)):
        user = _find(app, event.name)
        if user is not None:
            users[user.name] = {"name": user.name, "role": user.role, "can_override": user.can_override,
                                "can_publish_calendar": user.can_publish_calendar,
                                "disabled": user.disabled, "scopes": list(user.scopes),
                                "added_at": event.timestamp, "added_by": event.actor}
    return list(users.values())


class _TTLCache:
    """Token hash → principal for a few seconds, so authenticating is a dict look-up."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._items: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Principal | None:
        item = self._items.get(key)
        if item is None or item[0] < time.monotonic():
            return None
        return item[1]

    def put(self, key: str, principal: Principal) -> None:
        with self._lock:
            if len(self._items) > 10_000:
                self._items.clear()
            self._items[key] = (time.monotonic() + self.seconds, principal)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_caches: weakref.WeakKeyDictionary[App, _TTLCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def _cache_for(app: App) -> _TTLCache:
    cache = _caches.get(app)
    if cache is None:
        with _caches_lock:
            cache = _caches.setdefault(app, _TTLCache(CACHE_SECONDS))
    return cache


def authenticate(app: App, token: str) -> Principal | None:
    """The principal a token belongs to, or None (unknown user, wrong secret, disabled)."""
    name, dot, secret = token.rpartition(".")
    if not dot or not name or not secret or len(token) > 200:
        return None
    key = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
    cache = _cache_for(app)
    principal = cache.get(key)
    if principal is not None:
        return principal
    if not NAME_PATTERN.match(name):
        return None
    user = _find(app, name)
    if user is None or user.disabled or not hmac.compare_digest(user.token_hash, hash_secret(secret)):
        return None
    principal = principal_of(user)
    cache.put(key, principal)
    return principal


def record_read(app: App, cadre_id: UUID, by: Provenance) -> datetime:
    """查阅留痕: record that ``by`` read the growth file of ``cadre_id``; returns when."""
    record = ReadRecord._create(GrowthFileRead, id=uuid4(), cadre_id=cadre_id, effective_on=None,
                                **provenance_fields(by))
    event = record.pending_events[-1]
    app.save(record)
    return event.timestamp


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


AUDIT_TOPIC_PREFIX = "jishi.audit."

from domain import permissions as _permissions  # noqa: E402,F401 — the permission events of the user stream
