"""Jishi served on a free port for the screenshots, the pages photographed in Debian's chromium (the
page list is in ``screenshots``), and the Server-Timing of the pages, on the screenshots' county or on
the demo generator's."""

from __future__ import annotations

import os
import re
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

from domain.errors import JishiError
from domain.recorded import Provenance
from jishi.bootstrap import Runtime, build_runtime
from jishi.settings import Settings
from service.users import add_user, issue_token

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--lang=zh-CN"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(runtime: Runtime) -> Iterator[str]:
    import uvicorn

    from api.app import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def sign_in(page: Any, base: str, token: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#token", token)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshots(base: str, tokens: dict[str, str], featured: UUID, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    shots = [
        ("hr", "roster.png", "/units/QS-CG/roster", True, None),
        ("hr", "growth-file.png", f"/cadres/{featured}", False, 1900),
        ("auditor", "audit-trail.png", "/audit?cadre=QS09001&from=2017-12-01", False, 1500),
        ("oversight", "findings.png", "/findings", False, 1500),
        ("admin", "calendar.png", "/calendar", True, None),
        ("oversight", "structure.png", "/units/QS-XW/structure", True, None),
        ("hr", "pools.png", "/units/QS-XW/pools?pool=年轻干部库", True, None),
        ("hr", "eligibility.png", f"/cadres/{featured}/eligibility", True, None),
        ("auditor", "ledger.png", "/ledger?position=100#verify", True, None),
    ]
    saved = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                    env={**os.environ, "LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN:zh"})
        for role, name, path, full, height in shots:
            context = browser.new_context(viewport={"width": 1280, "height": height or 900}, locale="zh-CN",
                                          device_scale_factor=1)
            page = context.new_page()
            sign_in(page, base, tokens[role])
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            target = out / name
            page.screenshot(path=str(target), full_page=full)
            saved.append(target)
            context.close()
        browser.close()
    return saved


def timings(base: str, token: str, pages: dict[str, str], runs: int) -> dict[str, list[dict[str, float]]]:
    """The Server-Timing metrics (ms: ``app`` the whole page, ``read``, ``log``, ``render``) of each page
    over ``runs`` requests (after one warm-up request)."""
    import httpx

    with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as client:
        form = client.get("/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert csrf is not None
        client.post("/login", data={"csrf_token": csrf.group(1), "token": token, "next": "/"})
        found: dict[str, list[dict[str, float]]] = {}
        for label, path in pages.items():
            client.get(path)  # warm
            values = []
            for _ in range(runs):
                response = client.get(path)
                metrics = {m.group(1): float(m.group(2)) for m in
                           re.finditer(r"(\w+);dur=([\d.]+)", response.headers.get("server-timing", ""))}
                assert response.status_code == 200 and "app" in metrics, (path, response.status_code)
                values.append(metrics)
            found[label] = values
    return found


def report(found: dict[str, list[dict[str, float]]]) -> None:
    for label, runs in found.items():
        values = sorted(r["app"] for r in runs)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        parts = ", ".join(f"{name} {statistics.median(r.get(name, 0.0) for r in runs):.1f}"
                          for name in ("read", "log", "render") if any(name in r for r in runs))
        print(f"  {label}: median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, max {values[-1]:.1f} ms "
              f"(n={len(values)}; medians: {parts})")


def busiest(runtime: Runtime) -> tuple[str, str, str]:
    """The unit with the most holders today, the cadre with the most entries, and a median cadre."""
    from sqlalchemy import func, select

    from projections.models import NEVER, EntryRow, SpanRow

    with runtime.read_models.engine.connect() as conn:
        unit = conn.execute(select(SpanRow.unit_code).where(SpanRow.kind == "post", SpanRow.recorded_to == NEVER)
                            .group_by(SpanRow.unit_code).order_by(func.count().desc()).limit(1)).scalar_one()
        sizes = conn.execute(select(EntryRow.cadre_id, func.count()).where(EntryRow.recorded_to == NEVER)
                             .group_by(EntryRow.cadre_id).order_by(func.count().desc())).all()
    return str(unit), str(sizes[0][0]), str(sizes[len(sizes) // 2][0])


def demo_timings(size: str, runs: int, data_dir: Path | None) -> None:
    """Time the pages on the demo generator's county (``demo``, ``jishi demo``); a ``data_dir`` that
    already holds it is reused."""
    from demo.generator import generate

    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="jishi-demo-gen-"))
    reuse = (data_dir / "events.sqlite").exists()
    runtime = build_runtime(Settings(data_dir=data_dir))
    try:
        started = time.perf_counter()
        if not reuse:
            generated = generate(runtime.app, size)
            print(f"demo generator, size {size}: {generated.cadres} cadres, {generated.events:,} events "
                  f"in {time.perf_counter() - started:.0f} s ({data_dir})")
        runtime.catch_up()
        by = Provenance("demo-admin", "admin", "demo")
        try:
            token = add_user(runtime.app, "timing-hr", "hr", False, by)
        except JishiError:
            token = issue_token(runtime.app, "timing-hr", by)
        unit, largest, median = busiest(runtime)
        with serving(runtime) as base:
            report(timings(base, token, {f"roster of the largest unit ({unit})": f"/units/{unit}/roster",
                                         f"roster {unit} as_of 2020-06-30": f"/units/{unit}/roster?as_of=2020-06-30",
                                         "growth file, the cadre with the most entries": f"/cadres/{largest}",
                                         "growth file, a median cadre": f"/cadres/{median}"}, runs))
    finally:
        runtime.close()
