"""`jishi init`, and how every other command opens the store: an existing one, or exit 2 saying where
it looked and what to run — creating nothing (no directory, no database file, no ledger key)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from domain.errors import JishiError
from jishi.cipher import CipherKeyError, cipher_key
from jishi.settings import Settings
from jishi.store import NoStore, init_store, require_store, where
from ledger.keys import LedgerKeyError

if TYPE_CHECKING:
    from jishi.bootstrap import Runtime
    from service.application import Jishi

EXIT_NO_STORE = 2
EXIT_UNREACHABLE = 1


def existing_settings() -> Settings:
    """The settings of the environment, once their store is known to exist (else exit 2)."""
    from sqlalchemy.exc import SQLAlchemyError

    settings = Settings.from_env()
    try:
        require_store(settings)
    except NoStore as error:
        typer.echo(f"错误 (error): {error}", err=True)
        raise typer.Exit(EXIT_NO_STORE) from None
    except SQLAlchemyError as error:  # PostgreSQL down or refusing us: say so, not a traceback
        typer.echo(f"错误 (error): 无法读取数据库 (cannot reach the database) {where(settings)}: {error}", err=True)
        raise typer.Exit(EXIT_UNREACHABLE) from None
    try:
        cipher_key(settings, store_exists=True)  # the store's key is there (and never made here)
    except CipherKeyError as error:
        typer.echo(f"错误 (error): {error}", err=True)
        raise typer.Exit(EXIT_NO_STORE) from None
    return settings


def open_application() -> Jishi:
    """The application over the existing store (the commands that need no read models)."""
    from jishi.bootstrap import build_application

    return build_application(existing_settings())


def open_runtime() -> Runtime:
    """The application, read models and ledger over the existing store; the ledger key must be there
    (or JISHI_LEDGER_KEY set): a command that only reads never writes one."""
    from jishi.bootstrap import build_runtime

    settings = existing_settings()
    try:
        return build_runtime(settings, create_key=False)
    except LedgerKeyError as error:
        typer.echo(f"错误 (error): {error}", err=True)
        raise typer.Exit(EXIT_NO_STORE) from None


def init() -> None:
    """新建数据库 Create an empty store and its ledger key. In JISHI_DATA_DIR (default ./jishi-data) or
    JISHI_DATABASE_URL, with the ledger's signing key; prints where they are and the public key. On an
    existing store it changes nothing."""
    settings = Settings.from_env()
    try:
        done = init_store(settings)
    except (LedgerKeyError, CipherKeyError) as error:  # a key named that is not a key, or a store without its key
        typer.echo(f"错误 (error): {error}", err=True)
        raise typer.Exit(EXIT_NO_STORE) from None
    state = "已新建 (created)" if done.created else "已存在，未改动 (already there, left as it is)"
    typer.echo(f"纪实数据库 (Jishi store): {done.where} — {state}")
    if done.key_path is None:
        typer.echo("账本签名密钥 (ledger signing key): JISHI_LEDGER_KEY")
    else:
        made = "已新建 (created)" if done.key_created else "已存在 (already there)"
        typer.echo(f"账本签名密钥 (ledger signing key): {done.key_path.absolute()} — {made}")
    typer.echo(f"公钥 (Ed25519 public key, hex): {done.public_key}")
    if settings.cipher == "none":
        typer.echo("存储加密 (encryption at rest): 未启用 (off: JISHI_CIPHER=none)")
    elif done.cipher_key_path is None:
        typer.echo(f"存储加密密钥 (cipher key, {settings.cipher}): JISHI_CIPHER_KEY")
    else:
        made = "已新建 (created)" if done.cipher_key_created else "已存在 (already there)"
        typer.echo(f"存储加密密钥 (cipher key, {settings.cipher}): {done.cipher_key_path.absolute()} — {made}")


def fail(error: Exception) -> typer.Exit:
    """The exit of a command the record refused: its message on stderr, the code of its class."""
    from api.problems import classify

    status = classify(error)
    typer.echo(f"错误 (error): {error}", err=True)
    return typer.Exit(status[1] if status else 1)


@contextmanager
def application_session() -> Iterator[Jishi]:
    """The application over the existing store, closed afterwards; a refusal by the record ends the
    command through ``fail``."""
    application = open_application()
    try:
        yield application
    except JishiError as error:
        raise fail(error) from None
    finally:
        application.close()
