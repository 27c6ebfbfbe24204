"""用户管理 (admin): the users with their role, scope by unit name, permissions, state and tokens; adding a
user, changing their scope and permissions, issuing a token (shown once), disabling.

Every change goes through ``service/users.py`` — the functions the CLI and ``/api/v1/users`` call — and
an admin manages exactly the users the API lets them manage: a scoped admin only those wholly inside
their own subtrees (anyone else is "no such user"), and must give a new user a scope there.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from api.auth import request_id
from api.pages import choices, forms, reads
from api.pages.labels import ROLE_LABELS
from api.pages.render import Admin, html_errors, redirect, render, start_timer
from api.pages.session import PageNotFoundError, Session
from api.pages.submit import expired, runtime_of, submitted
from api.problems import classify
from api.routes.users import _managed, _within
from api.session_store import session_store
from domain.errors import FieldError, JishiError, NotFoundError, ValidationError
from domain.permissions import LABELS as PERMISSION_LABELS
from domain.permissions import PERMISSIONS
from domain.users import NAME_PATTERN, ROLES
from jishi.bootstrap import Runtime
from service import users as service

log = logging.getLogger("jishi.pages")
router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
HINTS = {"name": "1–64 位字母、数字、汉字、_ 或 -；登录令牌以“用户名.”开头",
         "scopes": "可查看和记录的单位（含其下级单位）；不选则为全部单位（仅管辖全部单位的管理员可以添加）",
         "permissions": "仅组织人事用户可被授予"}


def _principal_units(runtime: Runtime, session: Session) -> list[choices.UnitChoice]:
    return choices.units(runtime, session.principal, runtime.app.today())


def _name_of(request: Request) -> str:
    name = str(request.path_params.get("name", ""))
    if not NAME_PATTERN.match(name):
        raise PageNotFoundError(f"用户不存在 (no such user): {name[:64]}")
    return name


def _caught_up(runtime: Runtime) -> None:
    """Read-your-writes, as the API does: the audit trail shows a user change once it is answered."""
    try:
        runtime.catch_up()
    except Exception:  # recorded; the follower will project it
        log.exception("catching up after a user change failed")


def _visible_users(runtime: Runtime, session: Session) -> list[dict[str, Any]]:
    reads = runtime.read_models
    units = reads.units_in_scope(session.principal.scopes)
    listed = [u for u in service.list_users(runtime.app)
              if _within(session.principal, u["scopes"] or None, reads, units)]
    return sorted(listed, key=lambda u: (u["disabled"], ROLES.index(u["role"]) if u["role"] in ROLES else 9,
                                         u["name"]))


def _user(runtime: Runtime, session: Session, name: str) -> dict[str, Any]:
    _managed(session.principal, name, runtime, runtime.read_models)
    for user in service.list_users(runtime.app):
        if user["name"] == name:
            return user
    raise NotFoundError(f"用户不存在 (no such user): {name}")


def _unit_names(runtime: Runtime, session: Session, users: list[dict[str, Any]]) -> dict[str, str]:
    """The names of the units the users' scopes name (a dissolved unit by its last name)."""
    codes = {code for u in users for code in u["scopes"]}
    return reads.unit_names(runtime, session.principal, codes, runtime.app.today())


@router.get("/users")
@html_errors
def user_list(request: Request, session: Admin) -> Response:
    """用户管理: every user the admin manages."""
    runtime = runtime_of(request)
    listed = _visible_users(runtime, session)
    return render(request, "users.html", {
        "nav": "users", "users": listed, "unit_names": _unit_names(runtime, session, listed),
        "roles": ROLE_LABELS, "permission_labels": PERMISSION_LABELS})


# ——— 添加用户 ———

def _add_fields(runtime: Runtime, session: Session, values: Any, errors: dict[str, list[str]] | None = None
                ) -> list[forms.Field]:
    errors = errors or {}
    chosen = values.getlist("scopes") if isinstance(values, FormData) else values.get("scopes", [])
    granted = values.getlist("permissions") if isinstance(values, FormData) else []
    return [
        forms.Field("name", "用户名", "text", True, str(values.get("name") or ""), hint=HINTS["name"],
                    errors=errors.get("name", []), attrs={"maxlength": 64, "autocomplete": "off"}),
        forms.Field("role", "角色", "select", True, str(values.get("role") or ""),
                    options=[(r, ROLE_LABELS.get(r, r)) for r in ROLES], errors=errors.get("role", [])),
        forms.Field("scopes", "管辖范围", "checkboxes", False, [str(c) for c in chosen],
                    options=choices.unit_options(_principal_units(runtime, session)), hint=HINTS["scopes"],
                    errors=errors.get("scopes", [])),
        forms.Field("permissions", "权限", "checkboxes", False, [str(p) for p in granted],
                    options=[(p, PERMISSION_LABELS[p]) for p in PERMISSIONS], hint=HINTS["permissions"],
                    errors=errors.get("permissions", []) + errors.get("can_override", [])
                    + errors.get("can_publish_calendar", [])),
    ]


def _add_page(request: Request, fields: list[forms.Field], refusal: forms.Refusal | None = None,
              status: int = 200) -> Response:
    return render(request, "user_form.html", {
        "nav": "users", "title": "添加用户", "action": "/users/new", "fields": fields, "refusal": refusal,
        "submit": "添加", "form_key": secrets.token_urlsafe(16)}, status=status)


@router.get("/users/new")
@html_errors
def new_user(request: Request, session: Admin) -> Response:
    """添加用户: the form."""
    return _add_page(request, _add_fields(runtime_of(request), session, {}))


def _add(runtime: Runtime, session: Session, form: FormData, rid: str) -> str:
    admin = session.principal
    scopes = [str(c) for c in form.getlist("scopes")]
    permissions = {str(p) for p in form.getlist("permissions")}
    if admin.scopes is not None:
        if not scopes:
            raise ValidationError([FieldError("scopes", "请选择您管辖范围内的单位 (a scoped admin must give scopes "
                                                        "within their own)")])
        for code in scopes:
            if not runtime.read_models.unit_in_scope(code, admin.scopes):
                raise ValidationError([FieldError("scopes", f"单位不存在 (no such unit): {code}")])
    unknown = permissions - set(PERMISSIONS)
    if unknown:
        raise ValidationError([FieldError("permissions", f"没有这项权限 (no such permission): {sorted(unknown)[0]}")])
    token = service.add_user(runtime.app, str(form.get("name") or "").strip(), str(form.get("role") or ""),
                             "can_override" in permissions, admin.provenance(rid), scopes,
                             can_publish_calendar="can_publish_calendar" in permissions,
                             token_days=runtime.settings.token_days)
    _caught_up(runtime)
    return token


@router.post("/users/new")
@html_errors
async def add_user(request: Request, session: Admin) -> Response:
    """Add the user (``service.users.add_user``) and show their token once; a refusal shows the form again."""
    runtime = runtime_of(request)
    form = await submitted(request, session)
    if form is None:
        return expired(request)
    try:
        token = await run_in_threadpool(_add, runtime, session, form, request_id(request))
    except JishiError as error:
        refusal = forms.refusal(error, ["name", "role", "scopes", "permissions", "can_override",
                                        "can_publish_calendar"])
        fields = await run_in_threadpool(_add_fields, runtime, session, form, refusal.fields)
        return _add_page(request, fields, refusal, (classify(error) or (422,))[0])
    return _token_page(request, str(form.get("name") or "").strip(), token, added=True)


def _token_page(request: Request, name: str, token: str, *, added: bool) -> Response:
    """The token, shown this once (the store keeps only its hash); the page is never cached."""
    return render(request, "user_token.html", {"nav": "users", "name": name, "token": token, "added": added},
                  status=201 if added else 200)


# ——— one user: scope, permissions, token, disable ———

def _detail(request: Request, session: Admin, name: str, refusal: forms.Refusal | None = None,
            status: int = 200) -> Response:
    runtime = runtime_of(request)
    user = _user(runtime, session, name)
    units = _principal_units(runtime, session)
    return render(request, "user.html", {
        "nav": "users", "u": user, "roles": ROLE_LABELS, "unit_names": _unit_names(runtime, session, [user]),
        "scope_field": forms.Field("scopes", "管辖范围", "checkboxes", False, list(user["scopes"]),
                                   options=choices.unit_options(units),
                                   errors=(refusal.fields.get("grant", []) + refusal.fields.get("revoke", []))
                                   if refusal else []),
        "permission_field": forms.Field("permissions", "权限", "checkboxes", False,
                                        [p for p in PERMISSIONS if user.get(p)],
                                        options=[(p, PERMISSION_LABELS[p]) for p in PERMISSIONS],
                                        hint=HINTS["permissions"],
                                        errors=refusal.fields.get("permission", []) if refusal else []),
        "refusal": refusal, "changed": request.query_params.get("changed", ""),
        "permission_labels": PERMISSION_LABELS}, status=status)


@router.get("/users/{name}")
@html_errors
def user_page(request: Request, session: Admin) -> Response:
    """One user: their scope and permissions with the forms to change them, a new token, disabling."""
    return _detail(request, session, _name_of(request))


async def _change(request: Request, session: Session, action: Any, done: str) -> Response:
    """Run one change of a user (CSRF-checked, off the event loop); a refusal shows the user's page with it."""
    runtime = runtime_of(request)
    name = _name_of(request)
    form = await submitted(request, session)
    if form is None:
        return expired(request)
    try:
        await run_in_threadpool(_managed, session.principal, name, runtime, runtime.read_models)
        await run_in_threadpool(action, runtime, name, form, session.principal.provenance(request_id(request)))
    except JishiError as error:
        if isinstance(error, NotFoundError):
            raise
        refusal = forms.refusal(error, ["grant", "revoke", "permission", "confirm"])
        return await run_in_threadpool(_detail, request, session, name, refusal, (classify(error) or (422,))[0])
    await run_in_threadpool(_caught_up, runtime)
    return redirect(f"/users/{name}?changed={done}")


@router.post("/users/{name}/scopes")
@html_errors
async def change_scopes(request: Request, session: Admin) -> Response:
    """授予/收回管辖范围: the checked units become the user's scope (``service.users.change_scopes``)."""

    def action(runtime: Runtime, name: str, form: FormData, by: Any) -> None:
        chosen = list(dict.fromkeys(str(c) for c in form.getlist("scopes")))
        current = service.user_scopes(runtime.app, name) or frozenset()
        grant = [c for c in chosen if c not in current]
        admin = session.principal
        for code in grant:
            if admin.scopes is not None and not runtime.read_models.unit_in_scope(code, admin.scopes):
                raise ValidationError([FieldError("grant", f"单位不存在 (no such unit): {code}")])
        revoke = sorted(c for c in current if c not in chosen)
        if not grant and not revoke:
            raise ValidationError([FieldError("grant", "管辖范围没有变化 (the scope is unchanged)")])
        service.change_scopes(runtime.app, name, grant, revoke, by)

    return await _change(request, session, action, "scopes")


@router.post("/users/{name}/permissions")
@html_errors
async def change_permissions(request: Request, session: Admin) -> Response:
    """授予/收回权限: the checked permissions become the user's (``service.users.change_permission``)."""

    def action(runtime: Runtime, name: str, form: FormData, by: Any) -> None:
        chosen = {str(p) for p in form.getlist("permissions")}
        if chosen - set(PERMISSIONS):
            raise ValidationError([FieldError("permission", f"没有这项权限 (no such permission): "
                                                            f"{sorted(chosen - set(PERMISSIONS))[0]}")])
        user = next(u for u in service.list_users(runtime.app) if u["name"] == name)
        for permission in PERMISSIONS:
            if bool(user.get(permission)) != (permission in chosen):
                service.change_permission(runtime.app, name, permission, permission in chosen, by)

    return await _change(request, session, action, "permissions")


@router.post("/users/{name}/disable")
@html_errors
async def disable(request: Request, session: Admin) -> Response:
    """停用用户 (``service.users.disable_user``): only with the confirmation ticked."""

    def action(runtime: Runtime, name: str, form: FormData, by: Any) -> None:
        if form.get("confirm") != "yes":
            raise ValidationError([FieldError("confirm", "请勾选确认后再停用 (tick the confirmation to disable)")])
        service.disable_user(runtime.app, name, by)
        session_store(request).end_user(name)  # every worker: the session table is shared

    return await _change(request, session, action, "disabled")


@router.post("/users/{name}/token")
@html_errors
async def new_token(request: Request, session: Admin) -> Response:
    """重发令牌 (``service.users.issue_token``): the new token shown once; the old one stops working."""
    runtime = runtime_of(request)
    name = _name_of(request)
    form = await submitted(request, session)
    if form is None:
        return expired(request)
    user = await run_in_threadpool(_user, runtime, session, name)
    if user["disabled"]:  # a token for a disabled user would never sign in: say so instead of showing one
        refusal = forms.Refusal({}, ["该用户已停用，不能重发令牌 (the user is disabled: no new token)"])
        return await run_in_threadpool(_detail, request, session, name, refusal, 422)
    days = str(form.get("token_days") or runtime.settings.token_days).strip()
    if not days.isdigit() or not 1 <= int(days) <= service.MAX_TOKEN_DAYS:
        refusal = forms.Refusal({"token_days": [f"令牌有效期须为 1–{service.MAX_TOKEN_DAYS} 天"]},
                                [f"令牌有效期须为 1–{service.MAX_TOKEN_DAYS} 天 (a token lasts 1–"
                                 f"{service.MAX_TOKEN_DAYS} days)"])
        return await run_in_threadpool(_detail, request, session, name, refusal, 422)
    token = await run_in_threadpool(service.issue_token, runtime.app, name,
                                    session.principal.provenance(request_id(request)), int(days))
    await run_in_threadpool(_caught_up, runtime)
    return _token_page(request, name, token, added=False)
