"""`jishi demo`: a generated county in the data directory every other command uses, caught-up read
models, one user per role, and the API and web pages served — one command from a fresh checkout.

The demo writes ``demo.json`` into the directory before it generates (``"complete": false``) and
marks it complete once the county, the read models and the users are there; a directory without
that marker whose store holds events is someone's data and is refused. A demo that fails while
generating removes the store it was making; one whose process died leaves the unfinished marker,
which a re-run refuses (``--fresh`` starts over) rather than mistaking for a finished demo.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from demo.generator import SIZES, Report, generate
from domain.recorded import Provenance
from jishi.bootstrap import Runtime, build_application, build_runtime
from jishi.catch_up import apply_log
from jishi.cipher import CIPHER_KEY_FILE
from jishi.settings import Settings
from jishi.store import EVENTS_FILE, KEY_FILE_NAME, READ_FILE

# One demo user per role (DOMAIN.md §1); the hr user may override guards (例外放行).
DEMO_USERS = (("hr-demo", "hr", True, "人事干部（可例外放行） HR, may override"),
              ("auditor-demo", "auditor", False, "审计 auditor"),
              ("oversight-demo", "oversight", False, "监督 oversight"),
              ("admin-demo", "admin", False, "系统管理员 admin"))
MARKER = "demo.json"
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")  # a SQLite database and the files beside it


class DemoRefused(Exception):
    """The demo cannot run as asked; nothing was created or changed."""


@dataclass
class Demo:
    runtime: Runtime
    report: Report | None  # None: the data directory already held a demo
    tokens: dict[str, str]
    generate_seconds: float
    catch_up_seconds: float
    passwords: dict[str, str] = field(default_factory=dict)


def check_size(size: str) -> None:
    """A size is a name of ``SIZES`` or a positive number of cadres."""
    if size in SIZES or (size.isdigit() and int(size) > 0):
        return
    names = ", ".join(f"{name} ({cadres:,})" for name, cadres in SIZES.items())
    raise DemoRefused(f"未知的规模 {size!r}：可选 {names} 名干部，或一个正整数 "
                      f"(unknown --size {size!r}: choose {names} cadres, or a positive number of cadres)")


def demo_state(data_dir: Path) -> str | None:
    """"complete", "unfinished" (generating, or interrupted), or None (no demo marker)."""
    try:
        marker = json.loads((data_dir / MARKER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return "unfinished"  # a marker nobody can read is no proof of a finished demo
    # a marker without "complete" was written by an older jishi, only when the demo was finished
    complete = not isinstance(marker, dict) or marker.get("complete", True) is True
    return "complete" if complete else "unfinished"


def prepare(settings: Settings, size: str = "S", *, seed: int = 2017, fresh: bool = False,
            console: Console | None = None) -> Demo:
    """Generate (or reuse) the demo in ``settings.data_dir`` (SQLite), catch the read models up, issue
    tokens. Refuses (``DemoRefused``, nothing written) an unknown size, a directory holding other data,
    and an unfinished demo unless ``fresh``."""
    console = console or Console()
    check_size(size)
    data_dir = settings.data_dir
    state = demo_state(data_dir)
    has_store = (data_dir / EVENTS_FILE).is_file()
    if fresh and state is not None:
        remove_store(data_dir, key=settings.ledger_key is None,  # only a store a demo made
                     cipher_key=settings.cipher_key is None)
        state, has_store = None, False
    if has_store and state is None and holds_events(settings):
        raise DemoRefused(f"{data_dir.absolute()} 中已有非演示数据，演示不会写入或删除它：请用 --data-dir 另选目录 "
                          f"(holds data that is not a demo, which the demo neither mixes into nor deletes: "
                          f"choose another directory with --data-dir)")
    if has_store and state == "unfinished":
        raise DemoRefused(f"{data_dir.absolute()} 中的演示数据未生成完（曾被中断）：运行 `jishi demo --fresh` 重新生成 "
                          f"(holds a demo that did not finish generating: run `jishi demo --fresh` to start over)")
    if has_store and state == "complete":
        runtime = build_runtime(settings)
        started = time.perf_counter()
        catch_up(runtime, console)
        tokens = demo_tokens(runtime, new=False)
        return Demo(runtime, None, tokens, 0.0, time.perf_counter() - started, demo_passwords(runtime))
    return _generate(settings, size, seed, console, new_store=not has_store)


def _generate(settings: Settings, size: str, seed: int, console: Console, *, new_store: bool) -> Demo:
    """A new demo in an empty (or new) store; undone if it fails before it is complete."""
    data_dir = settings.data_dir
    new_dir = not data_dir.exists()
    new_key = settings.ledger_key is None and not (data_dir / KEY_FILE_NAME).exists()
    new_cipher_key = settings.cipher_key is None and not (data_dir / CIPHER_KEY_FILE).exists()
    data_dir.mkdir(parents=True, exist_ok=True)
    _write_marker(data_dir, size, seed, complete=False)
    runtime: Runtime | None = None
    try:
        runtime = build_runtime(settings)
        columns = (TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                   TimeElapsedColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(f"生成演示数据 generating {size}", total=1.0)
            started = time.perf_counter()
            report = generate(runtime.app, size, seed=seed,
                              progress=lambda done: progress.update(task, completed=done))
            generate_seconds = time.perf_counter() - started
        console.print(f"已生成 generated: {report.cadres} 名干部 cadres, {report.units} 个单位 units, "
                      f"{report.posts} 个职位 posts, {report.events:,} 条事件 events in {generate_seconds:.0f} s")
        started = time.perf_counter()
        catch_up(runtime, console)
        catch_up_seconds = time.perf_counter() - started
        tokens = demo_tokens(runtime, new=True)
        passwords = demo_passwords(runtime)
        _write_marker(data_dir, size, seed, complete=True)
    except BaseException:  # an error or Ctrl+C: no half-built demo a re-run could take for a finished one
        if runtime is not None:
            runtime.close()
        if new_store:
            remove_store(data_dir, key=new_key, cipher_key=new_cipher_key)
            if new_dir and not any(data_dir.iterdir()):
                data_dir.rmdir()
            console.print("演示数据未生成完，已删除 (the demo did not finish: what it wrote is removed)")
        else:
            console.print("演示数据未生成完：运行 `jishi demo --fresh` 重新生成 "
                          "(the demo did not finish: run `jishi demo --fresh` to start over)")
        raise
    return Demo(runtime, report, tokens, generate_seconds, catch_up_seconds, passwords)


def holds_events(settings: Settings) -> bool:
    """The store has at least one event (an empty one, made by `jishi init`, may take a demo)."""
    app = build_application(settings)
    try:
        return bool(app.recorder.max_notification_id())
    finally:
        app.close()


def remove_store(data_dir: Path, *, key: bool, cipher_key: bool = False) -> None:
    """Delete a demo's store — event store, read models, marker and, if ``key``, the ledger key, if
    ``cipher_key`` the key it was encrypted with — and nothing else in the directory (an operator's
    rules.toml stays)."""
    names = [f"{database}{suffix}" for database in (EVENTS_FILE, READ_FILE) for suffix in SQLITE_SUFFIXES]
    for name in [*names, MARKER, *([KEY_FILE_NAME] if key else []), *([CIPHER_KEY_FILE] if cipher_key else [])]:
        (data_dir / name).unlink(missing_ok=True)


def _write_marker(data_dir: Path, size: str, seed: int, *, complete: bool) -> None:
    """demo.json, replaced whole (never read half-written)."""
    temporary = data_dir / f".{MARKER}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps({"size": size, "seed": seed, "complete": complete}) + "\n", encoding="utf-8")
    temporary.replace(data_dir / MARKER)


def catch_up(runtime: Runtime, console: Console) -> None:
    apply_log(runtime.runner, console=console)  # a new demo's store: in bulk


def demo_tokens(runtime: Runtime, *, new: bool) -> dict[str, str]:
    """One user per role: added on a new demo, new tokens for them on a reused one."""
    from service.users import add_user, issue_token

    by = Provenance("jishi-demo", "admin", "demo-users")
    tokens = {}
    for name, role, can_override, _ in DEMO_USERS:
        tokens[name] = add_user(runtime.app, name, role, can_override, by) if new else issue_token(
            runtime.app, name, by)
    return tokens


def demo_passwords(runtime: Runtime) -> dict[str, str]:
    """A new random password for each demo user, set on every run (so printing it again is safe) and
    not to be changed at sign-in; their second factor is left as it is (admin-demo enrols one with
    the QR code at its first sign-in; the other roles sign in without one under ``jishi demo``)."""
    from service.signin import initial_password, set_password

    by = Provenance("jishi-demo", "admin", "demo-users")
    passwords = {name: initial_password() for name, *_ in DEMO_USERS}
    for name, password in passwords.items():
        set_password(runtime.app, name, password, by, must_change=False)
    return passwords


def show(demo: Demo, url: str, console: Console) -> None:
    """Passwords and tokens on lines of their own (never wrapped), then where to go."""
    console.print("[bold]演示用户 Demo users[/]: 网页登录用用户名和密码 (sign in to the web pages with name and "
                  "password); 程序用令牌 (programs: Authorization: Bearer <token>)", soft_wrap=True)
    for name, _role, _, label in DEMO_USERS:
        console.print(f"  {name:<15} {label}")
        print(f"    密码 password: {demo.passwords.get(name, '（未设置 not set）')}", flush=True)
        print(f"    令牌 token:    {demo.tokens[name]}", flush=True)
    console.print(f"[bold]网页 Web pages:[/] {url}/  (用户名 + 密码登录；admin-demo 首次登录时用手机验证器"
                  f"扫码启用动态口令 sign in with name + password; admin-demo enrols a TOTP app by QR code "
                  f"at its first sign-in)",
                  soft_wrap=True)
    console.print(f"[bold]监督发现 Findings:[/] {url}/findings    [bold]API:[/] {url}/docs", soft_wrap=True)
    print(f"    curl -H 'Authorization: Bearer {demo.tokens['oversight-demo']}' '{url}/api/v1/findings?status=open'",
          flush=True)
    if demo.report is not None:
        console.print(f"生成 generated in {demo.generate_seconds:.0f} s; 投影追平 caught up in "
                      f"{demo.catch_up_seconds:.0f} s", soft_wrap=True)
