"""Shared fixtures: every integration test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from api.bootstrap import build_application
from api.settings import Settings
from domain.application import Jishi
from tests.pgserver import PostgresServer


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.pg)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh, empty store on each backend."""
    if request.param == "postgres":
        server: PostgresServer = request.getfixturevalue("pg_server")
        return Settings(data_dir=tmp_path, database_url=server.url(server.create_database()))
    return Settings(data_dir=tmp_path)


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
