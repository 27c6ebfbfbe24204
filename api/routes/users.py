"""Users 用户 (admin only): list, add, issue a new token, disable."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from api.deps import RequestId, RequireAdmin, RuntimeDep
from domain.users import Role, add_user, disable_user, issue_token, list_users

router = APIRouter(prefix="/api/v1/users", tags=["users 用户 (admin)"])
Name = Annotated[str, Path(pattern=r"^[A-Za-z0-9_\-\u4e00-\u9fff]{1,64}$")]


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-\u4e00-\u9fff]{1,64}$")]
    role: Role
    can_override: bool = False


class UserOut(BaseModel):
    name: str
    role: str
    can_override: bool
    disabled: bool
    added_at: datetime | None = None
    added_by: str | None = None


class UserList(BaseModel):
    items: list[UserOut]


class Token(BaseModel):
    """The user's token: shown once, stored only as a hash."""

    name: str
    token: str


@router.get("", response_model=UserList)
def users(admin: RequireAdmin, runtime: RuntimeDep) -> dict[str, Any]:
    """Every user with role, override permission and state (never tokens)."""
    return {"items": list_users(runtime.app)}


@router.post("", status_code=201, response_model=Token)
def add(body: NewUser, admin: RequireAdmin, runtime: RuntimeDep, rid: RequestId) -> dict[str, Any]:
    """添加用户: add a user; the response holds their token, shown only this once."""
    token = add_user(runtime.app, body.name, body.role, body.can_override, admin.provenance(rid))
    return {"name": body.name, "token": token}


@router.post("/{name}/tokens", status_code=201, response_model=Token)
def new_token(name: Name, admin: RequireAdmin, runtime: RuntimeDep, rid: RequestId) -> dict[str, Any]:
    """重发令牌: issue a new token; the old one stops working."""
    return {"name": name, "token": issue_token(runtime.app, name, admin.provenance(rid))}


@router.post("/{name}/disable", response_model=UserOut)
def disable(name: Name, admin: RequireAdmin, runtime: RuntimeDep, rid: RequestId) -> dict[str, Any]:
    """停用用户: the user's token stops working."""
    disable_user(runtime.app, name, admin.provenance(rid))
    return next(u for u in list_users(runtime.app) if u["name"] == name)
