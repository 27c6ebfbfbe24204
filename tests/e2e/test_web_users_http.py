"""用户管理 pages over HTTP without a browser (both backends): refusals at their fields, nothing half-written,
a scoped admin's reach, CSRF, and the forms that read the ID number on registration."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from domain.identity import make_id_number
from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from service.commands import RegisterUnit
from service.users import add_user, authenticate, list_users
from tests import factories as f
from tests import signin

ADMIN = Provenance("test-setup", "admin", "setup")


def sign_in(client: Any, token: str) -> None:
    """Through the sign-in form with the token's user's password and TOTP code (``tests/signin.py``)."""
    signin.sign_in(client, token)


def csrf_of(client: Any, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


@pytest.fixture
def units(runtime: Runtime) -> None:
    runtime.app.handle(RegisterUnit(f.unit("U1", name="组织部")), f.HR)
    runtime.app.handle(RegisterUnit(f.unit("U2", name="某镇", kind="乡镇")), f.HR)
    runtime.catch_up()


def test_a_bad_user_name_is_refused_at_its_field_and_nobody_is_added(
        client: Any, tokens: dict[str, str], runtime: Runtime, units: None) -> None:
    sign_in(client, tokens["admin"])
    before = len(list_users(runtime.app))
    answer = client.post("/users/new", data={"csrf_token": csrf_of(client, "/users/new"), "name": "bad name!",
                                             "role": "hr", "scopes": "U2"})
    assert answer.status_code == 422
    assert re.search(r'id="err-name">.*用户名须为', answer.text)
    assert 'value="U2" id="scopes-2" checked' in answer.text  # the form keeps what was chosen
    assert len(list_users(runtime.app)) == before


def test_the_override_permission_is_refused_for_an_auditor_at_the_permissions_field(
        client: Any, tokens: dict[str, str], runtime: Runtime, units: None) -> None:
    sign_in(client, tokens["admin"])
    answer = client.post("/users/new", data={"csrf_token": csrf_of(client, "/users/new"), "name": "aud2",
                                             "role": "auditor", "permissions": "can_override"})
    assert answer.status_code == 422 and re.search(r'id="err-permissions">.*只有 hr', answer.text)
    assert "aud2" not in {u["name"] for u in list_users(runtime.app)}


def test_a_form_without_this_sessions_csrf_token_adds_nobody(
        client: Any, tokens: dict[str, str], runtime: Runtime, units: None) -> None:
    sign_in(client, tokens["admin"])
    answer = client.post("/users/new", data={"csrf_token": "forged", "name": "evil", "role": "admin"})
    assert answer.status_code == 403 and "evil" not in {u["name"] for u in list_users(runtime.app)}


def test_only_an_admin_opens_the_user_pages(client: Any, tokens: dict[str, str]) -> None:
    sign_in(client, tokens["hr"])
    assert client.get("/users").status_code == 403
    sign_in(client, tokens["admin"])
    assert client.get("/users").status_code == 200 and client.get("/users/nobody").status_code == 404


def test_a_scoped_admin_manages_only_users_inside_their_scope_and_must_give_a_scope(
        client: Any, tokens: dict[str, str], runtime: Runtime, units: None) -> None:
    town_admin = add_user(runtime.app, "town-admin", "admin", False, ADMIN, ["U2"])
    add_user(runtime.app, "town-hr", "hr", False, ADMIN, ["U2"])
    sign_in(client, town_admin)
    listed = client.get("/users").text
    assert "town-hr" in listed and "hr-user" not in listed  # hr-user sees the whole tree
    assert client.get("/users/hr-user").status_code == 404
    assert 'value="U1"' not in client.get("/users/new").text  # only the admin's own units are offered
    answer = client.post("/users/new", data={"csrf_token": csrf_of(client, "/users/new"), "name": "wide",
                                             "role": "hr"})
    assert answer.status_code == 422 and re.search(r'id="err-scopes">.*请选择您管辖范围内的单位', answer.text)
    answer = client.post("/users/new", data={"csrf_token": csrf_of(client, "/users/new"), "name": "sneaky",
                                             "role": "hr", "scopes": "U1"})
    assert answer.status_code == 422 and "sneaky" not in {u["name"] for u in list_users(runtime.app)}


def test_the_last_scope_cannot_be_unticked_disabling_needs_the_confirmation_and_a_disabled_user_gets_no_token(
        client: Any, tokens: dict[str, str], runtime: Runtime, units: None) -> None:
    token = add_user(runtime.app, "town-hr", "hr", False, ADMIN, ["U2"])
    sign_in(client, tokens["admin"])
    csrf = csrf_of(client, "/users/town-hr")
    answer = client.post("/users/town-hr/scopes", data={"csrf_token": csrf})
    assert answer.status_code == 422 and "不能收回最后一个管辖范围" in answer.text
    answer = client.post("/users/town-hr/disable", data={"csrf_token": csrf})
    assert answer.status_code == 422 and "请勾选确认" in answer.text
    assert authenticate(runtime.app, token) is not None
    answer = client.post("/users/town-hr/disable", data={"csrf_token": csrf, "confirm": "yes"})
    assert answer.status_code == 200 and "该用户已停用" in answer.text and authenticate(runtime.app, token) is None
    assert "已发 1 个，均不能登录" in answer.text
    answer = client.post("/users/town-hr/token", data={"csrf_token": csrf})
    assert answer.status_code == 422 and "不能重发令牌" in answer.text and 'id="token"' not in answer.text


def test_a_new_token_is_shown_once_and_the_old_one_stops_signing_in(
        client: Any, tokens: dict[str, str], runtime: Runtime) -> None:
    old = add_user(runtime.app, "li", "hr", False, ADMIN)
    sign_in(client, tokens["admin"])
    answer = client.post("/users/li/token", data={"csrf_token": csrf_of(client, "/users/li")})
    new = re.search(r'id="token" value="([^"]+)"', answer.text)
    assert answer.status_code == 200 and new is not None and new.group(1) != old
    assert answer.headers["cache-control"] == "no-store"
    assert authenticate(runtime.app, old) is None and authenticate(runtime.app, new.group(1)) is not None
    assert "已发 2 个" in client.get("/users/li").text


def test_permissions_are_granted_and_revoked_by_ticking_and_recorded_once(
        client: Any, tokens: dict[str, str], runtime: Runtime) -> None:
    add_user(runtime.app, "li", "hr", False, ADMIN)
    sign_in(client, tokens["admin"])
    client.post("/users/li/permissions", data={"csrf_token": csrf_of(client, "/users/li"),
                                               "permissions": ["can_override", "can_publish_calendar"]})
    [li] = [u for u in list_users(runtime.app) if u["name"] == "li"]
    assert li["can_override"] and li["can_publish_calendar"]
    client.post("/users/li/permissions", data={"csrf_token": csrf_of(client, "/users/li"),
                                               "permissions": "can_publish_calendar"})
    [li] = [u for u in list_users(runtime.app) if u["name"] == "li"]
    assert not li["can_override"] and li["can_publish_calendar"]
    version = runtime.app.repository.get(li_id()).version
    client.post("/users/li/permissions", data={"csrf_token": csrf_of(client, "/users/li"),
                                               "permissions": "can_publish_calendar"})
    assert runtime.app.repository.get(li_id()).version == version  # nothing changed: nothing recorded


def li_id() -> Any:
    from domain.users import user_id

    return user_id("li")


def test_registration_left_without_birth_date_and_gender_takes_them_from_the_id_number(
        client: Any, tokens: dict[str, str], runtime: Runtime) -> None:
    sign_in(client, tokens["hr"])
    payload = f.cadre("C5", birth=date(1990, 1, 2))
    payload.update(id_number=make_id_number("110105", date(1990, 1, 2), "051"), birth_date="", gender="",
                   full_time_education="true", csrf_token=csrf_of(client, "/cadres/new"), form_key="k" * 16)
    answer = client.post("/cadres/new", data=payload, follow_redirects=False)
    assert answer.status_code == 303
    cadre_id = re.search(r"/cadres/([0-9a-f-]{36})", answer.headers["location"])
    assert cadre_id is not None
    profile = runtime.app.get_cadre(f.UUID(cadre_id.group(1))).profile
    assert (str(profile["birth_date"]), profile["gender"]) == ("1990-01-02", "1")
