"""`jishi user add … --scope` and `jishi user scope NAME --grant/--revoke`: scopes from the command line."""

from __future__ import annotations

from typing import Any

from typer.testing import CliRunner

from api.cli import app as cli
from service.commands import RegisterUnit
from service.users import authenticate
from tests import factories as f


def test_jishi_user_add_binds_the_user_to_the_given_subtrees_and_user_scope_changes_them(
        cli_env: None, runtime: Any, make_app: Any) -> None:
    for code, parent in (("XQ", None), ("XQ01", "XQ"), ("XQ02", "XQ")):
        runtime.app.handle(RegisterUnit(f.unit(code, **({"parent_code": parent} if parent else {}))), f.HR)
    added = CliRunner().invoke(cli, ["user", "add", "li", "--role", "hr", "--scope", "XQ01", "--scope", "XQ02"])
    assert added.exit_code == 0, added.output
    token = added.stdout.strip().splitlines()[-1]
    principal = authenticate(runtime.app, token)
    assert principal is not None and principal.scopes == frozenset({"XQ01", "XQ02"})
    changed = CliRunner().invoke(cli, ["user", "scope", "li", "--grant", "XQ", "--revoke", "XQ01"])
    assert changed.exit_code == 0, changed.output
    assert "XQ02, XQ" in changed.stdout
    # another process (a verified token is cached 30 s per process) sees the new scope
    assert authenticate(make_app(), token).scopes == frozenset({"XQ02", "XQ"})  # type: ignore[union-attr]
    listed = CliRunner().invoke(cli, ["user", "list"])
    assert "XQ02,XQ" in listed.stdout


def test_the_cli_refuses_an_unknown_unit_and_revoking_the_last_scope_but_may_add_a_whole_tree_user(
        cli_env: None, runtime: Any) -> None:
    runtime.app.handle(RegisterUnit(f.unit("XQ")), f.HR)
    unknown = CliRunner().invoke(cli, ["user", "add", "wang", "--role", "auditor", "--scope", "NOPE"])
    assert unknown.exit_code != 0 and "NOPE" in unknown.output
    assert CliRunner().invoke(cli, ["user", "add", "wang", "--role", "auditor", "--scope", "XQ"]).exit_code == 0
    last = CliRunner().invoke(cli, ["user", "scope", "wang", "--revoke", "XQ"])
    assert last.exit_code != 0 and "last scope" in last.output
    whole = CliRunner().invoke(cli, ["user", "add", "zhao", "--role", "auditor"])
    assert whole.exit_code == 0
    assert authenticate(runtime.app, whole.stdout.strip().splitlines()[-1]).scopes is None  # type: ignore[union-attr]
