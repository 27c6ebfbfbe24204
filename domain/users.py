"""Users 用户 and the log of who read what: the "audit" stream.

Users are event-sourced like everything else (``jishi.audit.UserAdded`` …), so who could do
what, and when, is itself part of the tamper-evident record. A user holds a name, a role
(hr · auditor · oversight · admin), the override permission and the SHA-256 hash of their
token's secret. Tokens are ``<name>.<secret>`` with a 256-bit random secret: the name finds
the user (``user_id`` = uuid5 of the name), the hash checks the secret. A fast hash is right
for a 256-bit random secret (nothing to brute-force); passwords would need argon2.

Every read of a growth file is recorded as ``GrowthFileRead`` on an aggregate of its own
(one per read, so concurrent reads never contend and nothing is loaded to append).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Literal, get_args
from uuid import UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, AggregateCreated
from eventsourcing.persistence import IntegrityError

from domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from domain.ids import JISHI_NAMESPACE
from domain.recorded import Provenance, RecordedEvent, provenance_fields

App = Application[UUID]
Role = Literal["hr", "auditor", "oversight", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_\-\u4e00-\u9fff]{1,64}$")
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
        self.token_hash = ""
        self.disabled = False


class UserEvent(RecordedEvent):
    STREAM: ClassVar[str] = "audit"


class UserAdded(UserEvent, AggregateCreated):
    LABEL: ClassVar[str] = "添加用户"
    name: str
    role: str
    can_override: bool
    token_hash: str

    def apply(self, user: User) -> None:
        user.name, user.role, user.can_override = self.name, self.role, self.can_override
        user.token_hash = self.token_hash


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
    """Who is calling: the user's name, role and override permission."""

    name: str
    role: str
    can_override: bool = False

    def provenance(self, request_id: str) -> Provenance:
        return Provenance(self.name, self.role, request_id, self.can_override)


def _new_secret() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits; never contains "."


def _find(app: App, name: str) -> User | None:
    try:
        found: Any = app.repository.get(user_id(name))
    except AggregateNotFoundError:
        return None
    return found if isinstance(found, User) else None


def add_user(app: App, name: str, role: str, can_override: bool, by: Provenance) -> str:
    """添加用户: store a new user and return their token (shown once, stored only as a hash)."""
    errors = []
    if not NAME_PATTERN.match(name):
        errors.append(FieldError("name", "用户名须为1–64位字母、数字、汉字、_ 或 - "
                                         "(1–64 letters, digits, Chinese characters, _ or -)"))
    if role not in ROLES:
        errors.append(FieldError("role", f"须为以下之一：{'、'.join(ROLES)} (must be one of: {', '.join(ROLES)})"))
    if can_override and role != "hr":
        errors.append(FieldError("can_override", "只有 hr 可被授予越权放行权限 (only hr users may override)"))
    if errors:
        raise ValidationError(errors)
    if _find(app, name) is not None:
        raise ConflictError(f"用户已存在 (user already exists): {name}")
    secret = _new_secret()
    user = User._create(UserAdded, id=user_id(name), name=name, role=role, can_override=can_override,
                        token_hash=hash_secret(secret), effective_on=None, **provenance_fields(by))
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
    user = _find(app, name)
    if user is None:
        raise NotFoundError(f"用户不存在 (no such user): {name}")
    return user


def list_users(app: App) -> list[dict[str, Any]]:
    """Every user (name, role, permission, state), without token hashes."""
    users: dict[str, dict[str, Any]] = {}
    for event in _events(app, ("jishi.audit.UserAdded",)):
        user = _find(app, event.name)
        if user is not None:
            users[user.name] = {"name": user.name, "role": user.role, "can_override": user.can_override,
                                "disabled": user.disabled, "added_at": event.timestamp, "added_by": event.actor}
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
    principal = Principal(user.name, user.role, user.can_override)
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


def reads(app: App, cadre_id: UUID | None = None, *, after: int = 0,
          limit: int = 100) -> list[dict[str, Any]]:
    """Recorded growth-file reads in recorded order (optionally of one cadre), after a position."""
    found: list[dict[str, Any]] = []
    start = after + 1
    while len(found) < limit:
        notifications = app.recorder.select_notifications(start, 1000, topics=("jishi.audit.GrowthFileRead",))
        for n in notifications:
            event: Any = app.mapper.to_domain_event(n)
            if cadre_id is None or event.cadre_id == cadre_id:
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
