"""`jishi user password|reset-totp|unlock|revoke-token|tokens`: people's sign-in and programs' tokens.

Each change is recorded on the user's stream like the other user commands (as the operator on the
server). ``password`` prints a random initial password as the last line (the user replaces it at
their first sign-in); ``password`` and ``reset-totp`` also end the user's web sessions, as
``disable`` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from api.cli.store import application_session, existing_settings


@contextmanager
def session_store() -> Iterator[Any]:
    """The shared session table (``service/sessions.py``) beside the read models of the existing store."""
    from projections.db import make_engine
    from service.sessions import Limits, SessionStore

    settings = existing_settings()
    url = settings.sqlalchemy_url()
    reader, writer = make_engine(url), make_engine(url, writer=True)
    limits = Limits(settings.session_idle_minutes * 60.0, settings.session_hours * 3600.0,
                    settings.signin_delay_after, settings.signin_lockout_after,
                    settings.signin_address_lockout_after, settings.signin_lockout_minutes * 60.0)
    try:
        yield SessionStore(reader, writer, limits)
    finally:
        reader.dispose()
        writer.dispose()


def user_password(name: str = typer.Argument(..., help="user name")) -> None:
    """设置初始密码: print a random initial password as the LAST line (shown once; stored as an argon2id
    hash); the user changes it at their first sign-in. Their web sessions end."""
    from api.cli import _cli_provenance
    from service.signin import initial_password, set_password

    password = initial_password()
    with application_session() as application:
        set_password(application, name, password, _cli_provenance(), must_change=True)
    with session_store() as store:
        store.end_user(name)
    typer.echo(f"已设置初始密码 (initial password set): {name}", err=True)
    typer.echo(password)


def user_reset_totp(name: str = typer.Argument(..., help="user name")) -> None:
    """重置动态口令: the user enrols a new second factor at their next sign-in; their web sessions end."""
    from api.cli import _cli_provenance
    from service.signin import reset_totp

    with application_session() as application:
        reset_totp(application, name, _cli_provenance())
    with session_store() as store:
        store.end_user(name)
    typer.echo(f"动态口令已重置 (second factor reset): {name}")


def user_unlock(name: str = typer.Argument(..., help="user name")) -> None:
    """解除登录锁定: forget the user's failed sign-ins now."""
    from api.cli import _cli_provenance
    from service.signin import unlock

    with application_session() as application, session_store() as store:
        was = unlock(application, store, name, _cli_provenance())
    typer.echo(f"登录锁定已解除 (lockout lifted): {name}" if was else f"未被锁定 (was not locked): {name}")


def user_revoke_token(name: str = typer.Argument(..., help="user name")) -> None:
    """吊销令牌: the user's API token stops working (their password sign-in stays)."""
    from api.cli import _cli_provenance
    from service.users import revoke_token

    with application_session() as application:
        done = revoke_token(application, name, _cli_provenance())
    typer.echo(f"令牌已吊销 (token revoked): {name}" if done else f"没有有效令牌 (no token to revoke): {name}")


def user_tokens() -> None:
    """List every user's API token: active or not, and until when."""
    from service.users import list_users

    with application_session() as application:
        users = list_users(application)
    for user in users:
        if user["disabled"]:
            state = "停用 (disabled)"
        elif not user["token_active"]:
            state = "已吊销 (revoked)"
        else:
            expires = user["token_expires_at"]
            state = f"有效至 (expires) {expires:%Y-%m-%d %H:%M} UTC" if expires else "有效 (active)"
        typer.echo(f"{user['name']}\t{user['role']}\t{state}")


def register(user_app: typer.Typer) -> None:
    user_app.command("password")(user_password)
    user_app.command("reset-totp")(user_reset_totp)
    user_app.command("unlock")(user_unlock)
    user_app.command("revoke-token")(user_revoke_token)
    user_app.command("tokens")(user_tokens)
