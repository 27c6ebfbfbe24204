"""`jishi backup` and `jishi restore` (备份与恢复): the whole store in one file, taken while the server
runs, and put back into an empty place with the read models and the ledger caught up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from jishi.backup import BackupError
from jishi.backup import backup as make_backup
from jishi.backup import restore as restore_backup
from jishi.settings import Settings

EXIT_REFUSED = 2


def backup(
    out: Annotated[Path, typer.Option("--out", help="The backup file to write (a tar; replaced if there).")],
) -> None:
    """备份 Back up the store (events, read models, ledger, signing key, rules.toml) into one file, while
    the server runs. On PostgreSQL it needs pg_dump."""
    from api.cli.store import existing_settings

    settings = existing_settings()
    try:
        done = make_backup(settings, out)
    except BackupError as error:
        typer.echo(f"错误 (error): {error}", err=True)
        raise typer.Exit(EXIT_REFUSED) from None
    typer.echo(f"已备份 (backed up): {done.path} — 记录至位置 (records up to position) {done.event_position}, "
               f"账本大小 (ledger size) {done.ledger_size}")
    typer.echo("备份含账本签名私钥，请像私钥一样保管 (the backup holds the ledger's private signing key: keep it "
               "as safe as the key)")


def restore(
    archive: Annotated[Path, typer.Argument(help="A file written by `jishi backup`.", exists=True, dir_okay=False)],
) -> None:
    """恢复 Restore a backup into JISHI_DATA_DIR / JISHI_DATABASE_URL, which must hold no store; then catch
    the read models and the ledger up. Check it with `jishi ledger verify --head SAVED`."""
    from jishi.catch_up import apply_log

    def caught_up(runner: Any) -> int:
        return apply_log(runner)

    try:
        done = restore_backup(Settings.from_env(), archive, caught_up)
    except BackupError as error:
        typer.echo(f"错误 (error): {error}", err=True)
        raise typer.Exit(EXIT_REFUSED) from None
    typer.echo(f"已恢复 (restored) 到 {done.where}: 记录至位置 (records up to position) {done.event_position}, "
               f"读模型已追至 (read models at) {done.caught_up_to}, 账本大小 (ledger size) {done.ledger_size}")
