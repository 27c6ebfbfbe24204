"""Users 用户 and the log of who read what: the "audit" stream.

Users are event-sourced like everything else (``jishi.audit.UserAdded`` …), so who could do
what, and when, is itself part of the tamper-evident record. A user holds a name, a role
(hr · auditor · oversight · admin), the override permission and the SHA-256 hash of their
token's secret (the service layer issues and checks tokens: ``service/users.py``).

Every read of a growth file is recorded as ``GrowthFileRead`` on an aggregate of its own
(one per read, so concurrent reads never contend and nothing is loaded to append).

管辖范围 (jurisdiction): a user is bound to one or more unit subtrees, named by their root unit
codes (``UserAdded.scopes``; empty = the whole tree). ``ScopeGranted`` / ``ScopeRevoked`` change
them later, recorded like everything else (who granted what, when, and — in ``reason`` — to whom),
so the trail of the granting actor shows them. A scoped user keeps at least one subtree: revoking
the last one is refused (it would silently widen them to the whole tree); disable the user instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Literal, get_args
from uuid import UUID, uuid5

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, AggregateCreated

from domain.ids import JISHI_NAMESPACE
from domain.recorded import Provenance, RecordedEvent

App = Application[UUID]
Role = Literal["hr", "auditor", "oversight", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_\-\u4e00-\u9fff]{1,64}$")
MAX_SCOPES = 100
CACHE_SECONDS = 30.0


def user_id(name: str) -> UUID:
    return uuid5(JISHI_NAMESPACE, f"user:{name}")


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
        # sign-in for people (domain/signin.py): argon2id hash, TOTP secret, hashed recovery codes
        self.password_hash = ""
        self.must_change_password = False
        self.totp_secret = ""
        self.recovery_hashes: tuple[str, ...] = ()
        self.last_totp_step = 0
        self.token_issued_at: datetime | None = None
        self.token_expires_at: datetime | None = None  # None: TOKEN_DAYS after token_issued_at


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
        user.token_issued_at, user.token_expires_at = self.timestamp, None
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
        user.token_issued_at, user.token_expires_at = self.timestamp, None


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


AUDIT_TOPIC_PREFIX = "jishi.audit."


from domain import permissions as _permissions  # noqa: E402,F401 — the permission events of the user stream
from domain import signin as _signin  # noqa: E402,F401 — the sign-in events of the user stream
