"""Sign-in over HTTP (issue 21): the page form's steps, the session API, logout and disabling ending
a session at once (a copied cookie with it), an expired token's 401 — through the ASGI app."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp

from domain.recorded import Provenance, provenance_fields
from domain.signin import TokenExpirySet
from jishi.bootstrap import Runtime
from service.signin import set_password
from service.token_cache import clear_cache
from service.users import _find, add_user
from tests import signin

ADMIN = Provenance("test-setup", "admin", "setup")
COOKIE = "jishi_session"


def csrf_of(text: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert found is not None
    return found.group(1)


def test_logging_out_ends_the_session_on_the_server_so_a_copied_cookie_no_longer_works(
        client: Any, tokens: dict[str, str]) -> None:
    signin.sign_in(client, tokens["hr"])
    copied = client.cookies.get(COOKIE)
    assert client.get("/units").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/units").text)})
    client.cookies.set(COOKIE, copied)  # the cookie saved before logging out
    response = client.get("/units", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert "jishi.audit.SignedOut" in [n.topic for n in client.app.state.runtime.app.recorder.select_notifications(
        1, 10_000)]


def test_an_admin_disabling_a_user_ends_their_open_session_at_once(
        client: Any, runtime: Runtime, tokens: dict[str, str]) -> None:
    from fastapi.testclient import TestClient

    with TestClient(client.app) as other:  # the oversight user's own browser
        signin.sign_in(other, tokens["oversight"])
        assert other.get("/findings").status_code == 200
        signin.sign_in(client, tokens["admin"])
        page = client.get("/users/oversight-user").text
        client.post("/users/oversight-user/disable", data={"csrf_token": csrf_of(page), "confirm": "yes"})
        assert other.get("/findings", follow_redirects=False).status_code == 303  # no waiting


def test_the_session_api_signs_in_with_name_password_and_code_and_delete_ends_it(
        client: Any, tokens: dict[str, str]) -> None:
    app = client.app.state.runtime.app
    hr = signin.prepare(app, tokens["hr"])
    wrong = client.post("/api/v1/session", json={"name": "hr-user", "password": "not-the-password"})
    assert wrong.status_code == 401 and wrong.headers["content-type"] == "application/problem+json"
    assert "密码" in wrong.json()["detail"] and COOKIE not in wrong.cookies
    missing = client.post("/api/v1/session", json={"name": "hr-user"})
    assert missing.status_code == 422 and "password" in str(missing.json()["errors"])
    created = client.post("/api/v1/session", json={"name": hr.name, "password": hr.password,
                                                   "totp": signin.code_for(app, hr)})
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["user"], body["role"], body["stage"], body["idle_minutes"]) == ("hr-user", "hr", "", 30)
    cookie = created.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    copied = client.cookies.get(COOKIE)
    assert client.get("/units").status_code == 200
    assert client.delete("/api/v1/session").status_code == 204
    client.cookies.set(COOKIE, copied)
    assert client.get("/units", follow_redirects=False).status_code == 303


def test_the_session_api_answers_a_locked_user_423_with_retry_after(client: Any, tokens: dict[str, str]) -> None:
    signin.prepare(client.app.state.runtime.app, tokens["hr"])
    answers = []
    for _ in range(5):
        answer = client.post("/api/v1/session", json={"name": "hr-user", "password": "not-the-password"})
        answers.append(answer.status_code)
        store = client.app.state.session_store  # made by the first request
        store.clock = _later(store.clock, 61)  # past each delay, inside the lockout window
    assert answers == [401] * 5
    locked = client.post("/api/v1/session", json={"name": "hr-user", "password": signin.PASSWORD})
    assert locked.status_code == 423 and "锁定" in locked.json()["detail"]
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60


def _later(clock: Any, seconds: float) -> Any:
    return lambda: clock() + seconds


def test_an_expired_token_is_answered_401_naming_its_expiry(client: Any, runtime: Runtime) -> None:
    token = add_user(runtime.app, "bot", "auditor", False, ADMIN)
    assert client.get("/api/v1/findings?status=open", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    user = _find(runtime.app, "bot")
    assert user is not None
    expired = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    user.trigger_event(TokenExpirySet, user="bot", expires_at=expired, effective_on=None, **provenance_fields(ADMIN))
    runtime.app.save(user)
    clear_cache(runtime.app)  # as every service function that changes a user does
    response = client.get("/api/v1/findings?status=open", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "过期" in response.json()["detail"] and f"{expired:%Y-%m-%d %H:%M}" in response.json()["detail"]


def test_a_first_sign_in_enrols_the_second_factor_by_qr_code_then_replaces_the_initial_password(
        client: Any, runtime: Runtime) -> None:
    add_user(runtime.app, "new-admin", "admin", False, ADMIN)
    set_password(runtime.app, "new-admin", "initial-password-1", ADMIN, must_change=True)
    form = client.get("/login").text
    signed = client.post("/login", data={"csrf_token": csrf_of(form), "name": "new-admin",
                                         "password": "initial-password-1", "next": "/"}, follow_redirects=False)
    assert signed.headers["location"] == "/login/enrol"
    assert client.get("/users", follow_redirects=False).status_code == 303  # no page before the factor
    enrol = client.get("/login/enrol").text
    assert "<svg" in enrol and "动态口令二维码" in enrol
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', enrol)
    assert secret is not None
    refused = client.post("/login/enrol", data={"csrf_token": csrf_of(enrol), "totp": "000000"
                                                if pyotp.TOTP(secret.group(1)).now() != "000000" else "111111"})
    assert refused.status_code == 422 and "动态口令错误" in refused.text
    shown = client.post("/login/enrol", data={"csrf_token": csrf_of(enrol), "totp": pyotp.TOTP(secret.group(1)).now()})
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", shown.text)
    assert shown.status_code == 200 and len(codes) == 10 and "只显示这一次" in shown.text
    page = client.get("/login/password").text
    assert "管理员设置的初始密码" in page
    short = client.post("/login/password", data={"csrf_token": csrf_of(page), "current": "initial-password-1",
                                                 "new": "short", "repeat": "short"})
    assert short.status_code == 422 and "10–128" in short.text
    done = client.post("/login/password", data={"csrf_token": csrf_of(page), "current": "initial-password-1",
                                                "new": "my-own-password-2", "repeat": "my-own-password-2"},
                       follow_redirects=False)
    assert done.status_code == 303
    assert client.get("/users").status_code == 200
    stored = _find(runtime.app, "new-admin")
    assert stored is not None and stored.totp_secret == secret.group(1) and not stored.must_change_password
    recorded = [n.topic for n in runtime.app.recorder.select_notifications(1, 10_000)]
    assert {"jishi.audit.PasswordSet", "jishi.audit.TotpEnrolled", "jishi.audit.SignedIn"} <= set(recorded)


def test_an_auditor_sees_sign_ins_failures_and_password_changes_in_the_audit_trail_in_chinese(
        client: Any, tokens: dict[str, str]) -> None:
    runtime = client.app.state.runtime
    signin.sign_in(client, tokens["hr"])  # PasswordSet, TotpEnrolled (prepared), SignedIn
    client.post("/api/v1/session", json={"name": "hr-user", "password": "not-the-password"})  # SignInRefused
    runtime.catch_up()
    signin.sign_in(client, tokens["auditor"])
    trail = client.get("/audit?actor=hr-user")
    assert trail.status_code == 200
    text = re.sub(r"<[^>]+>", " ", trail.text)
    for label in ("启用动态口令", "登录", "登录失败"):  # the password was set by test-setup
        assert label in text, text
    main = text[text.index("审计轨迹（按记录顺序）"):]
    assert "SignedIn" not in main and "SignInRefused" not in main and "(sign" not in main


def test_an_admin_sets_an_initial_password_resets_the_factor_lifts_a_lockout_and_revokes_a_token_on_the_user_page(
        client: Any, runtime: Runtime, tokens: dict[str, str]) -> None:
    from fastapi.testclient import TestClient

    with TestClient(client.app) as hr_browser:
        signin.sign_in(hr_browser, tokens["hr"])
        signin.sign_in(client, tokens["admin"])
        page = client.get("/users/hr-user").text
        assert "动态口令：已启用" in page and "有效期至" in page
        shown = client.post("/users/hr-user/password", data={"csrf_token": csrf_of(page)})
        password = re.search(r'id="initial-password" value="([a-z2-9-]{19})"', shown.text)
        assert shown.status_code == 200 and password is not None and "只显示这一次" in shown.text
        assert hr_browser.get("/units", follow_redirects=False).status_code == 303  # their session ended
        page = client.get("/users/hr-user").text
        client.post("/users/hr-user/totp-reset", data={"csrf_token": csrf_of(page)})
        stored = _find(runtime.app, "hr-user")
        assert stored is not None and not stored.totp_secret and stored.must_change_password
        store = client.app.state.session_store
        for _ in range(5):
            client.post("/api/v1/session", json={"name": "hr-user", "password": "not-the-password"})
            store.clock = _later(store.clock, 61)
        assert store.gate("hr-user", "testclient").locked_until
        page = client.get("/users/hr-user").text
        unlocked = client.post("/users/hr-user/unlock", data={"csrf_token": csrf_of(page)})
        assert "登录锁定已解除" in unlocked.text and store.gate("hr-user", "x").open
        assert client.get("/api/v1/findings", headers={"Authorization": f"Bearer {tokens['hr']}"}).status_code == 200
        page = client.get("/users/hr-user").text
        revoked = client.post("/users/hr-user/token-revoke", data={"csrf_token": csrf_of(page)})
        assert "令牌已吊销" in revoked.text and "无有效令牌" in revoked.text
        assert client.get("/api/v1/findings", headers={"Authorization": f"Bearer {tokens['hr']}"}).status_code == 401
        bad = client.post("/users/hr-user/token", data={"csrf_token": csrf_of(revoked.text), "token_days": "0"})
        assert bad.status_code == 422 and "1–3660" in bad.text
        recorded = {n.topic for n in runtime.app.recorder.select_notifications(1, 10_000)}
        assert {"jishi.audit.TotpReset", "jishi.audit.SignInUnlocked", "jishi.audit.TokenRevoked"} <= recorded
