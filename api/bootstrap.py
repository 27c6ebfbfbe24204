"""The composition root: builds the application, the read models and the projection runner.

FastAPI, the CLI and the tests all build Jishi here, so storage is chosen in one place.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from api.settings import Settings
from domain.application import Jishi
from domain.rules.config import RuleConfig
from projections.db import make_engine
from projections.ledger.keys import load_signing_key
from projections.ledger.ledger import Ledger
from projections.queries import ReadModels
from projections.runner import ProjectionRunner


def build_application(settings: Settings | None = None, *,
                      clock: Callable[[], datetime] | None = None) -> Jishi:
    import domain.users  # noqa: F401 — registers the audit-stream topics (users, reads)

    settings = settings or Settings.from_env()
    config = RuleConfig.load(settings.data_dir)
    return Jishi(env=settings.event_store_env(), config=config, clock=clock)


@dataclass
class Runtime:
    """Everything one process serves from: settings, the application, read models and runner."""

    settings: Settings
    app: Jishi
    read_models: ReadModels
    runner: ProjectionRunner
    ledger: Ledger

    def catch_up(self, position: int | None = None) -> None:
        """Read-your-writes: bring the read models up to ``position`` (default: the head)."""
        self.runner.catch_up(position)

    def lag(self) -> dict[str, int]:
        return self.runner.lag()

    def close(self) -> None:
        self.runner.stop()
        self.app.close()
        self.runner.engine.dispose()
        self.read_models.engine.dispose()


def build_runtime(settings: Settings | None = None, *,
                  clock: Callable[[], datetime] | None = None) -> Runtime:
    """The application plus its read side, for the HTTP API and long-running commands."""
    settings = settings or Settings.from_env()
    app = build_application(settings, clock=clock)
    url = settings.sqlalchemy_url()
    page = int(os.environ.get("JISHI_PROJECTION_PAGE", "500"))
    runner = ProjectionRunner(app, make_engine(url, writer=True), page_size=page)
    read = ReadModels(make_engine(url), app.config, runner)
    ledger = Ledger(runner.engine, load_signing_key(settings.data_dir, settings.ledger_key),
                    read_engine=read.engine, head_every=settings.ledger_head_every)
    # The ledger follows every write: read-your-writes catch-ups and the background follower
    # append the new records' leaves right after the projections.
    runner.after_catch_up.append(lambda: ledger.sync(app.recorder))
    return Runtime(settings=settings, app=app, read_models=read, runner=runner, ledger=ledger)
