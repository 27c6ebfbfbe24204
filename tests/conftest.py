"""Shared fixtures: every integration test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from jishi.bootstrap import Runtime, build_application, build_runtime
from jishi.settings import Settings
from service.application import Jishi
from tests.pgserver import PostgresServer


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.pg)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh, empty store on each backend."""
    # The per-user rate limit runs on every request but never bites here: one test user sends what a whole
    # office would (the fuzzer thousands of requests); tests/api/test_rate_limit.py tests the limit itself.
    return backend_settings(request, tmp_path, rate_reads=1_000_000, rate_writes=1_000_000)


def backend_settings(request: pytest.FixtureRequest, data_dir: Path, **options: Any) -> Settings:
    """Settings for a new store in ``data_dir`` on the backend of ``request.param``: SQLite there, or a new
    database on the session's PostgreSQL (``options``: the other settings)."""
    database_url = None
    if request.param == "postgres":
        server: PostgresServer = request.getfixturevalue("pg_server")
        database_url = server.url(server.create_database())
    return Settings(data_dir=data_dir, database_url=database_url, **options)


AppFactory = Callable[..., Jishi]


@pytest.fixture
def make_app(settings: Settings) -> Iterator[AppFactory]:
    """Build application instances over the same store (a new one = a restart)."""
    built: list[Jishi] = []

    def make(clock: Callable[[], datetime] | None = None) -> Jishi:
        app = build_application(settings, clock=clock)
        built.append(app)
        return app

    yield make
    for app in built:
        app.close()


@pytest.fixture
def app(make_app: AppFactory) -> Jishi:
    return make_app()

@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The `jishi` command line, run in the test process, points at the test's store (either backend)."""
    point_cli_at(settings, monkeypatch)


def point_cli_at(settings: Settings, monkeypatch: pytest.MonkeyPatch, *cleared: str) -> None:
    """The `jishi` command line reads its settings from the environment: point it at ``settings``'
    store (either backend), with the variables named in ``cleared`` unset."""
    monkeypatch.setenv("JISHI_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("JISHI_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("JISHI_DATABASE_URL", raising=False)
    for name in cleared:
        monkeypatch.delenv(name, raising=False)



RuntimeFactory = Callable[..., Runtime]


@pytest.fixture
def make_runtime(settings: Settings) -> Iterator[RuntimeFactory]:
    """Build runtimes (application + read models + runner) over the same stores."""
    built: list[Runtime] = []

    def make(clock: Callable[[], datetime] | None = None) -> Runtime:
        runtime = build_runtime(settings, clock=clock)
        built.append(runtime)
        return runtime

    yield make
    for runtime in built:
        runtime.close()


@pytest.fixture
def runtime(make_runtime: RuntimeFactory) -> Runtime:
    return make_runtime()


# ——— HTTP API (issue 5): users per role, an in-process client, a real server ———

ROLES = ("hr", "auditor", "oversight", "admin")


@pytest.fixture
def tokens(runtime: Runtime) -> dict[str, str]:
    """One user per role, role → bearer token (the hr user may override guards)."""
    from domain.recorded import Provenance
    from service.users import add_user

    by = Provenance("test-setup", "admin", "setup")
    return {role: add_user(runtime.app, f"{role}-user", role, role == "hr", by) for role in ROLES}


@pytest.fixture
def client(runtime: Runtime) -> Iterator[object]:
    """An in-process client of the API over ``runtime`` (no background follower)."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(runtime, follow=False)) as test_client:
        yield test_client


@pytest.fixture
def live_server(runtime: Runtime) -> Iterator[str]:
    """The API served by uvicorn on 127.0.0.1 on a free port, in a thread; yields its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    from api.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(runtime), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


# ——— web pages (issue 6): Debian's chromium driven by Playwright (never `playwright install`) ———

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Debian chromium for the session (each test gets its own browser contexts)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def signed_in(chromium: object, live_server: str, tokens: dict[str, str],
              runtime: Runtime) -> Iterator[Callable[[str], object]]:
    """``signed_in(role)`` → a page (1280 px wide, its own cookies) signed in through the sign-in form
    with the role user's password and TOTP code (``tests/signin.py``)."""
    from tests.signin import sign_in_page

    contexts: list[object] = []

    def sign_in(role: str) -> object:
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",  # type: ignore[attr-defined]
                                       base_url=live_server)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return sign_in_page(page, runtime.app, tokens[role])

    yield sign_in
    for context in contexts:
        context.close()  # type: ignore[attr-defined]
