"""Signing people in for tests, through the real sign-in form: name, password and a TOTP code.

Tests still identify users by the token ``add_user`` returns (``<name>.<secret>``); ``prepare``
gives that user a password and a second factor once per application (recorded like an admin's and
the user's own doing), and the helpers sign in with the password and a code computed with pyotp —
or, when this step's code was already used (a code is accepted once), one of the user's recovery
codes, as a person with two sign-ins in half a minute would.
"""

from __future__ import annotations

import re
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

import pyotp

from domain.recorded import Provenance
from service.signin import enrol_totp, new_totp_secret, set_password
from service.users import _get

PASSWORD = "test-password-纪实-2026"
SETUP = Provenance("test-setup", "admin", "setup")


@dataclass
class Credentials:
    name: str
    password: str
    secret: str
    recovery: list[str] = field(default_factory=list)


_prepared: weakref.WeakKeyDictionary[Any, dict[str, Credentials]] = weakref.WeakKeyDictionary()


def name_of(token_or_name: str) -> str:
    return token_or_name.rpartition(".")[0] or token_or_name


def prepare(app: Any, token_or_name: str) -> Credentials:
    """The user's password and TOTP secret (set and enrolled on first use)."""
    name = name_of(token_or_name)
    known = _prepared.setdefault(app, {})
    if name not in known:
        set_password(app, name, PASSWORD, SETUP, must_change=False)
        secret = new_totp_secret()
        codes = enrol_totp(app, name, secret, pyotp.TOTP(secret).now(), Provenance(name, "hr", "setup"))
        known[name] = Credentials(name, PASSWORD, secret, codes)
    return known[name]


def code_for(app: Any, credentials: Credentials) -> str:
    """A TOTP code the user has not used yet, else a fresh recovery code."""
    step = int(time.time() // 30)
    if _get(app, credentials.name).last_totp_step < step:
        return pyotp.TOTP(credentials.secret).now()
    return credentials.recovery.pop()


def sign_in(client: Any, token_or_name: str, next_url: str = "/") -> Any:
    """Sign ``client`` (a TestClient) in through ``POST /login``; returns the response."""
    app = client.app.state.runtime.app
    credentials = prepare(app, token_or_name)
    client.cookies.clear()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert csrf is not None
    return client.post("/login", data={"csrf_token": csrf.group(1), "name": credentials.name,
                                       "password": credentials.password, "totp": code_for(app, credentials),
                                       "next": next_url})


def sign_in_page(page: Any, app: Any, token_or_name: str) -> Any:
    """Sign a Playwright ``page`` in through the form, as a person types it."""
    credentials = prepare(app, token_or_name)
    page.goto("/login")
    page.get_by_label("用户名").fill(credentials.name)
    page.get_by_label("密码").fill(credentials.password)
    page.get_by_label("动态口令").fill(code_for(app, credentials))
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page
