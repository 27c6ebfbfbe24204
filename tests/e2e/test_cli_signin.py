"""`jishi user password|unlock|revoke-token|tokens|token --days` (issue 21), on both backends."""

from __future__ import annotations

import time
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from service.sessions import Limits, SessionStore
from service.signin import SignInRefusedError, sign_in
from service.users import authenticate

runner = CliRunner()


def store_of(runtime: Any) -> SessionStore:
    s = runtime.settings
    return SessionStore(runtime.read_models.engine, runtime.runner.engine,
                        Limits(s.session_idle_minutes * 60.0, s.session_hours * 3600.0, s.signin_delay_after,
                               s.signin_lockout_after, s.signin_address_lockout_after, s.signin_lockout_minutes * 60.0),
                        clock=time.time)


def test_an_initial_password_from_the_cli_signs_in_once_and_must_then_be_replaced(
        cli_env: None, runtime: Any) -> None:
    assert runner.invoke(cli, ["user", "add", "li", "--role", "hr"]).exit_code == 0
    result = runner.invoke(cli, ["user", "password", "li"])
    assert result.exit_code == 0, result.output
    password = result.stdout.strip().splitlines()[-1]
    assert len(password) == 19 and password.count("-") == 3
    signed = sign_in(runtime.app, store_of(runtime), frozenset({"admin"}), "li", password, "", "cli-test", "r")
    assert (signed.principal.name, signed.stage) == ("li", "password")
    assert runner.invoke(cli, ["user", "password", "nobody"]).exit_code == 4


def test_the_cli_lists_tokens_with_their_expiry_revokes_one_and_issues_one_for_given_days(
        cli_env: None, runtime: Any) -> None:
    token = runner.invoke(cli, ["user", "add", "bot", "--role", "auditor"]).stdout.strip().splitlines()[-1]
    assert authenticate(runtime.app, token) is not None
    listed = runner.invoke(cli, ["user", "tokens"]).stdout
    assert "bot\tauditor\t有效至 (expires) " in listed
    assert runner.invoke(cli, ["user", "revoke-token", "bot"]).exit_code == 0
    deadline = time.monotonic() + 1.0  # the CLI is another process: the server's cache follows within a second
    while authenticate(runtime.app, token) is not None:
        assert time.monotonic() < deadline, "a revoked token still works after a second"
        time.sleep(0.05)
    assert "bot\tauditor\t已吊销 (revoked)" in runner.invoke(cli, ["user", "tokens"]).stdout
    assert runner.invoke(cli, ["user", "token", "bot", "--days", "0"]).exit_code == 2
    fresh = runner.invoke(cli, ["user", "token", "bot", "--days", "7"]).stdout.strip().splitlines()[-1]
    assert authenticate(runtime.app, fresh) is not None


def test_the_cli_lifts_a_lockout(cli_env: None, runtime: Any) -> None:
    runner.invoke(cli, ["user", "add", "li", "--role", "hr"])
    password = runner.invoke(cli, ["user", "password", "li"]).stdout.strip().splitlines()[-1]
    store = store_of(runtime)
    for _ in range(runtime.settings.signin_lockout_after):
        with pytest.raises(SignInRefusedError):
            sign_in(runtime.app, store, frozenset({"admin"}), "li", "wrong-password", "", "x", "r")
        store.clock = (lambda t: lambda: t)(store.clock() + 61)
    with pytest.raises(SignInRefusedError) as locked:
        sign_in(runtime.app, store, frozenset({"admin"}), "li", password, "", "x", "r")
    assert locked.value.status == 423
    result = runner.invoke(cli, ["user", "unlock", "li"])
    assert result.exit_code == 0 and "登录锁定已解除" in result.stdout
    assert sign_in(runtime.app, store, frozenset({"admin"}), "li", password, "", "x", "r").principal.name == "li"
