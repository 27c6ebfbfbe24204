"""Permissions 权限 of a user beyond their role, granted and revoked as events of the user's stream.

``can_publish_calendar``: an hr user may record the working-day calendar (节假日安排,
``domain/calendar_year.py``); an admin may by role. ``can_override``: an hr user may override a
guard with a written reason (例外放行, ``domain/rules/engine.py``); given on ``UserAdded`` since the
first version, and grantable or revocable later the same way. A user added with it carries it on
``UserAdded`` (version 3); an existing user gets it, or loses it, by ``PermissionGranted`` /
``PermissionRevoked`` — recorded with the admin who changed it, when, and (in ``reason``) for whom,
so the admin's audit trail shows it (``service/users.py: change_permission``).
"""

from __future__ import annotations

from typing import ClassVar, Literal, get_args

from domain.users import User, UserEvent

Permission = Literal["can_publish_calendar", "can_override"]
PERMISSIONS: tuple[str, ...] = get_args(Permission)
LABELS = {"can_publish_calendar": "记录节假日安排", "can_override": "例外放行"}


class PermissionGranted(UserEvent):
    """授予权限: the user may from now on do what ``permission`` names."""

    LABEL: ClassVar[str] = "授予权限"
    user: str
    permission: str

    def apply(self, user: User) -> None:
        setattr(user, self.permission, True)


class PermissionRevoked(UserEvent):
    """收回权限."""

    LABEL: ClassVar[str] = "收回权限"
    user: str
    permission: str

    def apply(self, user: User) -> None:
        setattr(user, self.permission, False)
