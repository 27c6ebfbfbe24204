"""`jishi demo`: a fresh data directory with a generated county, caught-up read models, one user
per role, and the API and web pages served — one command from a fresh checkout."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from demo.generator import Report, generate
from domain.recorded import Provenance
from jishi.bootstrap import Runtime, build_runtime
from jishi.catch_up import apply_log
from jishi.settings import Settings

# One demo user per role (DOMAIN.md §1); the hr user may override guards (越权放行).
DEMO_USERS = (("hr-demo", "hr", True, "人事干部（可越权放行） HR, may override"),
              ("auditor-demo", "auditor", False, "审计 auditor"),
              ("oversight-demo", "oversight", False, "监督 oversight"),
              ("admin-demo", "admin", False, "系统管理员 admin"))
MARKER = "demo.json"


@dataclass
class Demo:
    runtime: Runtime
    report: Report | None  # None: the data directory already held a demo
    tokens: dict[str, str]
    generate_seconds: float
    catch_up_seconds: float


def prepare(data_dir: Path, size: str = "S", *, seed: int = 2017, fresh: bool = False,
            console: Console | None = None) -> Demo:
    """Generate (or reuse) the demo in ``data_dir``, catch the read models up, issue tokens."""
    console = console or Console()
    if (data_dir / "events.sqlite").exists() and not (data_dir / MARKER).exists():
        raise SystemExit(f"错误 (error): {data_dir} 已有数据且不是完整的演示数据，请另选目录或自行删除 "
                         f"(holds data that is not a complete demo: choose another --data-dir or remove it)")
    if fresh and (data_dir / MARKER).exists():
        shutil.rmtree(data_dir)  # only a directory this command made
    existing = (data_dir / "events.sqlite").exists()
    runtime = build_runtime(Settings(data_dir=data_dir))
    report: Report | None = None
    generate_seconds = 0.0
    if not existing:
        columns = (TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                   TimeElapsedColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(f"生成演示数据 generating {size}", total=1.0)
            started = time.perf_counter()
            report = generate(runtime.app, size, seed=seed,
                              progress=lambda done: progress.update(task, completed=done))
            generate_seconds = time.perf_counter() - started
        (data_dir / MARKER).write_text(f'{{"size": "{size}", "seed": {seed}}}\n', encoding="utf-8")
        console.print(f"已生成 generated: {report.cadres} 名干部 cadres, {report.units} 个单位 units, "
                      f"{report.posts} 个职位 posts, {report.events:,} 条事件 events in {generate_seconds:.0f} s")
    started = time.perf_counter()
    catch_up(runtime, console)
    catch_up_seconds = time.perf_counter() - started
    tokens = demo_tokens(runtime, new=report is not None)
    return Demo(runtime, report, tokens, generate_seconds, catch_up_seconds)


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


def show(demo: Demo, url: str, console: Console) -> None:
    """The tokens on lines of their own (never wrapped), then where to go."""
    console.print("[bold]演示用户与令牌 Demo users and their tokens[/] (Authorization: Bearer <token>)")
    for name, _role, _, label in DEMO_USERS:
        console.print(f"  {name:<15} {label}")
        print(f"    {demo.tokens[name]}", flush=True)
    console.print(f"[bold]网页 Web pages:[/] {url}/  (登录时粘贴令牌 paste a token to sign in)", soft_wrap=True)
    console.print(f"[bold]监督发现 Findings:[/] {url}/findings    [bold]API:[/] {url}/docs", soft_wrap=True)
    print(f"    curl -H 'Authorization: Bearer {demo.tokens['oversight-demo']}' '{url}/api/v1/findings?status=open'",
          flush=True)
    if demo.report is not None:
        console.print(f"生成 generated in {demo.generate_seconds:.0f} s; 投影追平 caught up in "
                      f"{demo.catch_up_seconds:.0f} s", soft_wrap=True)
