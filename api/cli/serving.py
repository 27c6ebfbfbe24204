"""`jishi serve` and `jishi demo`: the two commands that serve the web pages and the API (and, with
`jishi init`, the only ones that may make a store). Both say where to open and how to stop."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import typer

from jishi.settings import Settings

EXIT_REFUSED = 2


def browse_url(host: str, port: int) -> str:
    """The address a browser on this machine opens (a wildcard host is reached at loopback)."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serving_line(host: str, port: int) -> str:
    url = browse_url(host, port)
    return f"纪实 Jishi 服务中 (serving): 打开 (open) {url}/ — 按 Ctrl+C 停止 (press Ctrl+C to stop)"


def _check_witness_policy(settings: Settings) -> None:
    """A JISHI_WITNESSES file that cannot be used stops `jishi serve` with the reason (exit 2), not a traceback."""
    if settings.witnesses is None:
        return
    from ledger.verify.policy import PolicyError, parse_policy

    try:
        parse_policy(settings.witnesses.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, PolicyError) as error:
        typer.echo(f"错误 (error): JISHI_WITNESSES {settings.witnesses}: 见证策略不可用 (unusable witness policy): "
                   f"{error}", err=True)
        raise typer.Exit(2) from None


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8000, "--port", help="port to listen on"),
    workers: int = typer.Option(1, "--workers", min=1, help="worker processes (>1 uses uvicorn's factory mode)"),
    access_log: bool = typer.Option(False, "--access-log/--no-access-log",
                                    help="log every request line (off by default: it costs throughput)"),
) -> None:
    """Serve the web pages and the HTTP API. OpenAPI UI at /docs. Storage: JISHI_DATA_DIR (SQLite, default
    ./jishi-data) or JISHI_DATABASE_URL; an empty store is made there if there is none."""
    import uvicorn

    from api.limits import HeaderTimeoutProtocol
    from jishi.store import init_store, store_exists

    settings = Settings.from_env()
    _check_witness_policy(settings)
    if not store_exists(settings):
        done = init_store(settings)  # before any worker starts, so they do not race to make it
        typer.echo(f"已新建空库 (created an empty store): {done.where}; 用户 (users): `jishi user add`", err=True)
    typer.echo(f"API {browse_url(host, port)}/docs: 点 Authorize 粘贴令牌 (click Authorize, paste a token from "
               f"`jishi user add`); health: {browse_url(host, port)}/healthz", err=True)
    typer.echo(serving_line(host, port), err=True)
    if workers > 1:
        uvicorn.run("api.app:factory", factory=True, host=host, port=port, workers=workers,
                    log_level="info", proxy_headers=False, access_log=access_log, http=HeaderTimeoutProtocol)
        return
    from api.app import create_app
    from jishi.bootstrap import build_runtime

    runtime = build_runtime(settings)
    try:
        uvicorn.run(create_app(runtime), host=host, port=port, log_level="info", access_log=access_log,
                    http=HeaderTimeoutProtocol)
    finally:
        runtime.close()


def demo(
    size: str = typer.Option("S", "--size", help="tiny | XS | S (1,000 cadres) | M | L, or a number of cadres"),
    data_dir: Path | None = typer.Option(
        None, "--data-dir", show_default=False,
        help="the data directory every command uses: $JISHI_DATA_DIR, else ./jishi-data (a demo there is "
             "reused; one holding other data is refused). SQLite even when JISHI_DATABASE_URL is set"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8000, "--port", help="port to listen on"),
    seed: int = typer.Option(2017, "--seed", help="random seed: the same seed gives the same county"),
    fresh: bool = typer.Option(False, "--fresh", help="delete the demo's store (never other data), generate anew"),
    no_serve: bool = typer.Option(False, "--no-serve", help="prepare the data and print the tokens, then exit"),
) -> None:
    """演示 Generate a demo county and serve it. A realistic county (10 years of careers, with seeded
    violations) in the data directory: catches the read models up, creates one user per role, prints their
    tokens and serves the API and web pages."""
    from rich.console import Console

    from demo.run import DemoRefused, prepare, show

    environment = Settings.from_env()
    # The demo keeps to SQLite (as it always has): with JISHI_DATABASE_URL set, the other commands
    # would read PostgreSQL instead of the demo's store, so say so before anything is made.
    settings = dataclasses.replace(environment, data_dir=data_dir or environment.data_dir, database_url=None)
    if "JISHI_TOTP_ROLES" not in os.environ:  # the demo: only admin-demo needs a TOTP app to sign in
        settings = dataclasses.replace(settings, totp_roles=frozenset({"admin"}))
    if environment.database_url:
        typer.echo(f"注意 (note): 已设置 JISHI_DATABASE_URL，但演示只用 SQLite，数据在 {settings.data_dir.absolute()}；"
                   f"该变量设置时其他命令读的是 PostgreSQL (JISHI_DATABASE_URL is set, but the demo uses SQLite in "
                   f"that directory; unset it for the other commands to use the demo's store)", err=True)
    console = Console()
    try:
        prepared = prepare(settings, size, seed=seed, fresh=fresh, console=console)
    except DemoRefused as error:
        typer.echo(f"错误 (error): {error}", err=True)
        raise typer.Exit(EXIT_REFUSED) from None
    console.print(f"数据目录 (data directory): {settings.data_dir.absolute()}", soft_wrap=True)
    show(prepared, browse_url(host, port), console)
    if no_serve:
        prepared.runtime.close()
        elsewhere = "" if settings.data_dir == environment.data_dir else f"JISHI_DATA_DIR={settings.data_dir} "
        console.print(f"未启动服务 (not serving): {elsewhere}JISHI_TOTP_ROLES=admin jishi serve --port {port}"
                      f"  (不设此变量则所有角色都须动态口令 without it every role needs a TOTP code)", soft_wrap=True)
        return
    import uvicorn

    from api.app import create_app
    from api.limits import HeaderTimeoutProtocol

    console.print(serving_line(host, port), soft_wrap=True)
    try:
        uvicorn.run(create_app(prepared.runtime), host=host, port=port, log_level="warning",
                    http=HeaderTimeoutProtocol)
    finally:
        prepared.runtime.close()
