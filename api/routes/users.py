"""Users 用户 (admin only): list, add, issue a new token, disable, grant and revoke scopes (管辖范围).

An admin whose scope is the whole tree manages every user and may add whole-tree users (no
`scopes`). A scoped admin sees and manages only users whose every scope lies in their own subtrees,
and must give every new user at least one scope there; any other user answers 404 (as if absent).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ReadModelsDep, RequestId, RequireAdmin, RuntimeDep
from api.session_store import session_store
from domain.errors import FieldError, NotFoundError, ValidationError
from domain.permissions import Permission
from domain.users import Principal, Role
from service.users import (
    MAX_TOKEN_DAYS,
    add_user,
    change_permission,
    change_scopes,
    disable_user,
    issue_token,
    list_users,
    revoke_token,
    user_scopes,
)

log = logging.getLogger("jishi.api")
router = APIRouter(prefix="/api/v1/users", tags=["users 用户 (admin)"])
Name = Annotated[str, Path(pattern=r"^[A-Za-z0-9_\-\u4e00-\u9fff]{1,64}$")]
UnitCode = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^\S+$")]


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-\u4e00-\u9fff]{1,64}$")]
    role: Role
    can_override: bool = False
    can_publish_calendar: Annotated[bool, Field(description="hr only: may record the working-day calendar "
                                                            "(节假日安排); an admin may by role")] = False
    scopes: Annotated[list[UnitCode], Field(max_length=100, description=(
        "管辖范围: root unit codes of the subtrees the user may see and write; empty = the whole tree "
        "(only an admin whose own scope is the whole tree may add such a user)"))] = []


class ScopeChange(BaseModel):
    """授予/收回管辖范围: unit subtrees to add to or remove from a user's scope."""

    model_config = ConfigDict(extra="forbid")
    grant: Annotated[list[UnitCode], Field(max_length=100)] = []
    revoke: Annotated[list[UnitCode], Field(max_length=100)] = []


class PermissionChange(BaseModel):
    """授予/收回权限 (hr users): ``can_publish_calendar`` — may record the working-day calendar."""

    model_config = ConfigDict(extra="forbid")
    grant: Annotated[list[Permission], Field(max_length=1)] = []
    revoke: Annotated[list[Permission], Field(max_length=1)] = []


class UserOut(BaseModel):
    name: str
    role: str
    can_override: bool
    can_publish_calendar: bool = False
    disabled: bool
    scopes: list[str] = Field(default_factory=list, description="root unit codes; empty = the whole tree")
    added_at: datetime | None = None
    added_by: str | None = None
    token_active: bool = True
    token_expires_at: datetime | None = Field(default=None, description="when the current API token stops working")
    has_password: bool = False
    has_totp: bool = False


class UserList(BaseModel):
    items: list[UserOut]


class Token(BaseModel):
    """The user's token: shown once, stored only as a hash."""

    name: str
    token: str


def _within(admin: Principal, scopes: list[str] | frozenset[str] | None, reads: Any,
            units: set[str] | None = None) -> bool:
    """Whether a user with ``scopes`` lies wholly inside the admin's scope (``units``: the admin's units)."""
    if admin.scopes is None:
        return True
    units = reads.units_in_scope(admin.scopes) if units is None else units
    return bool(scopes) and all(code in units for code in scopes or ())


def _managed(admin: Principal, name: str, runtime: Any, reads: Any) -> None:
    """404 unless the admin may manage the user ``name`` (absent and out of scope alike)."""
    if admin.scopes is None:
        return
    try:
        scopes = user_scopes(runtime.app, name)
    except NotFoundError:
        scopes = None
    if not _within(admin, scopes, reads):
        raise NotFoundError(f"用户不存在 (no such user): {name}")


def _user(runtime: Any, name: str) -> dict[str, Any]:
    _caught_up(runtime)
    for user in list_users(runtime.app):  # a loop, not next(): see projections.search.age_band
        if user["name"] == name:
            return user
    raise NotFoundError(f"用户不存在 (no such user): {name}")


def _caught_up(runtime: Any) -> None:
    """Read-your-writes: the audit trail shows a user change as soon as it is answered."""
    try:
        runtime.catch_up()
    except Exception:  # recorded; the follower will project it
        log.exception("catching up after a user change failed")


@router.get("", response_model=UserList)
def users(admin: RequireAdmin, runtime: RuntimeDep, reads: ReadModelsDep) -> dict[str, Any]:
    """Every user (a scoped admin: those within their scope) with role, permission, scope and state."""
    units = reads.units_in_scope(admin.scopes)
    return {"items": [u for u in list_users(runtime.app) if _within(admin, u["scopes"] or None, reads, units)]}


@router.post("", status_code=201, response_model=Token)
def add(body: NewUser, admin: RequireAdmin, runtime: RuntimeDep, reads: ReadModelsDep,
        rid: RequestId) -> dict[str, Any]:
    """添加用户: add a user; the response holds their token, shown only this once. `scopes` binds them to
    unit subtrees (管辖范围); without it they see the whole tree, which only a whole-tree admin may grant."""
    if admin.scopes is not None:
        if not body.scopes:
            raise ValidationError([FieldError("scopes", "须给出在您管辖范围之内的 scopes "
                                                        "(a scoped admin must give scopes within their own)")])
        for code in body.scopes:
            if not reads.unit_in_scope(code, admin.scopes):
                raise NotFoundError(f"单位不存在 (no such unit): {code}")
    token = add_user(runtime.app, body.name, body.role, body.can_override, admin.provenance(rid), body.scopes,
                     can_publish_calendar=body.can_publish_calendar, token_days=runtime.settings.token_days)
    _caught_up(runtime)
    return {"name": body.name, "token": token}


@router.post("/{name}/tokens", status_code=201, response_model=Token)
def new_token(name: Name, admin: RequireAdmin, runtime: RuntimeDep, reads: ReadModelsDep,
              rid: RequestId, days: Annotated[int | None, Query(ge=1, le=MAX_TOKEN_DAYS, description=(
                  "how many days the token works (default JISHI_TOKEN_DAYS, 90)"))] = None) -> dict[str, Any]:
    """重发令牌: issue a new token valid for `days`; the old one stops working (every worker, within a second)."""
    _managed(admin, name, runtime, reads)
    token = issue_token(runtime.app, name, admin.provenance(rid), days or runtime.settings.token_days)
    _caught_up(runtime)
    return {"name": name, "token": token}


@router.delete("/{name}/tokens", response_model=UserOut)
def revoke(name: Name, admin: RequireAdmin, runtime: RuntimeDep, reads: ReadModelsDep,
           rid: RequestId) -> dict[str, Any]:
    """吊销令牌: the user's API token stops working (their password sign-in is unchanged)."""
    _managed(admin, name, runtime, reads)
    revoke_token(runtime.app, name, admin.provenance(rid))
    return _user(runtime, name)


@router.post("/{name}/disable", response_model=UserOut)
def disable(name: Name, admin: RequireAdmin, runtime: RuntimeDep, reads: ReadModelsDep,
            rid: RequestId, request: Request) -> dict[str, Any]:
    """停用用户: the user's token stops working and their sessions end (every worker, at once)."""
    _managed(admin, name, runtime, reads)
    disable_user(runtime.app, name, admin.provenance(rid))
    session_store(request).end_user(name)
    return _user(runtime, name)


@router.post("/{name}/scopes", response_model=UserOut)
def scopes(name: Name, body: ScopeChange, admin: RequireAdmin, runtime: RuntimeDep, reads: ReadModelsDep,
           rid: RequestId) -> dict[str, Any]:
    """授予/收回管辖范围: grant and revoke unit subtrees of a scoped user (each change is recorded as
    `ScopeGranted` / `ScopeRevoked` in the admin's audit trail). The last scope cannot be revoked."""
    if not body.grant and not body.revoke:
        raise ValidationError([FieldError("grant", "须给出 grant 或 revoke (give grant or revoke)")])
    _managed(admin, name, runtime, reads)
    for code in body.grant:
        if admin.scopes is not None and not reads.unit_in_scope(code, admin.scopes):
            raise NotFoundError(f"单位不存在 (no such unit): {code}")
    change_scopes(runtime.app, name, body.grant, body.revoke, admin.provenance(rid))
    return _user(runtime, name)


@router.post("/{name}/permissions", response_model=UserOut)
def permissions(name: Name, body: PermissionChange, admin: RequireAdmin, runtime: RuntimeDep, reads: ReadModelsDep,
                rid: RequestId) -> dict[str, Any]:
    """授予/收回权限: `can_publish_calendar` (hr users only) — recorded as `PermissionGranted` /
    `PermissionRevoked` in the admin's audit trail."""
    if not body.grant and not body.revoke:
        raise ValidationError([FieldError("grant", "须给出 grant 或 revoke (give grant or revoke)")])
    _managed(admin, name, runtime, reads)
    for permission in body.grant:
        change_permission(runtime.app, name, permission, True, admin.provenance(rid))
    for permission in body.revoke:
        change_permission(runtime.app, name, permission, False, admin.provenance(rid))
    return _user(runtime, name)
