"""The composition root: builds the application (and, later, read models and runner).

FastAPI, the CLI and the tests all build Jishi here, so storage is chosen in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from api.settings import Settings
from domain.application import Jishi
from domain.rules.config import RuleConfig


def build_application(settings: Settings | None = None, *,
                      clock: Callable[[], datetime] | None = None) -> Jishi:
    settings = settings or Settings.from_env()
    config = RuleConfig.load(settings.data_dir)
    return Jishi(env=settings.event_store_env(), config=config, clock=clock)
