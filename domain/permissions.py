"""Permissions 权限 of a user beyond their role, granted and revoked as events of the user's stream.

``can_publish_calendar``: an hr user may record the working-day calendar (节假日安排,
``domain/calendar_year.py``); an admin may by role. A user added with it carries it on
``UserAdded`` (version 3); an existing user gets it, or loses it, by ``PermissionGranted`` /
``PermissionRevoked`` — recorded with the admin who changed it, when, and (in ``reason``) for whom,
so the admin's audit trail shows it. Imported by ``domain.users`` so the topics are registered
wherever users are read.
"""

from __future__ import annotations

from typing import ClassVar, Literal, get_args

from domain.errors import FieldError, ValidationError
from domain.recorded import Provenance, provenance_fields
from domain.users import App, User, UserEvent, _cache_for, _get

Permission = Literal["can_publish_calendar"]
PERMISSIONS: tuple[str, ...] = get_args(Permission)
LABELS = {"can_publish_calendar": "记录节假日安排"}


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


def change_permission(app: App, name: str, permission: str, grant: bool, by: Provenance) -> bool:
    """Grant or revoke ``permission``; returns whether the user now has it. Only an hr user takes
    ``can_publish_calendar`` (an admin has it by role); a change to what is already so records nothing."""
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
