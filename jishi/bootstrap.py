"""The composition root: builds the application, the read models and the projection runner.

FastAPI, the CLI and the tests all build Jishi here, so storage is chosen in one place.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from domain.recorded import Provenance
from domain.rules.config import RuleConfig
from jishi.cipher import cipher_key, make_private, sealer_for
from jishi.schema_lock import schema_lock
from jishi.settings import Settings
from ledger.keys import load_signing_key
from ledger.ledger import Ledger
from ledger.witnessing import Courier, Witnessing
from projections.db import make_engine
from projections.queries import ReadModels
from projections.runner import ProjectionRunner
from service.application import Jishi
from service.commands import Command
from service.results import CommandResult

log = logging.getLogger("jishi.api")


def build_application(settings: Settings | None = None, *,
                      clock: Callable[[], datetime] | None = None) -> Jishi:
    import domain.bulk_reads
    import domain.users  # noqa: F401 — registers the audit-stream topics (users, reads)

    settings = with_cipher_key(settings or Settings.from_env())
    config = RuleConfig.load(settings.data_dir)
    with schema_lock(settings):  # workers starting together would race to make the event store's tables
        return Jishi(env=settings.event_store_env(), config=config, clock=clock)


def with_cipher_key(settings: Settings, *, may_create: bool = True) -> Settings:
    """The settings with the store's cipher key (made with a new store: jishi/cipher.py), and the data
    directory and its SQLite database files private (0700, 0600) before they are opened."""
    from jishi.store import store_exists

    supplied = settings.cipher == "none" or settings.cipher_key is not None
    exists = supplied or not may_create or store_exists(settings)  # only a new store gets a new key
    make_private(settings.data_dir, sqlite=settings.database_url is None)
    return dataclasses.replace(settings, cipher_key=cipher_key(settings, store_exists=exists))


@dataclass
class Runtime:
    """Everything one process serves from: settings, the application, read models and runner."""

    settings: Settings
    app: Jishi
    read_models: ReadModels
    runner: ProjectionRunner
    ledger: Ledger
    witnessing: Witnessing | None = None  # the configured witnesses (JISHI_WITNESSES), if any
    courier: Courier | None = None  # sends new heads to them; started by the server

    def catch_up(self, position: int | None = None) -> None:
        """Read-your-writes: bring the read models up to ``position`` (default: the head)."""
        self.runner.catch_up(position)

    def execute(self, command: Command, by: Provenance) -> CommandResult:
        """A write from a person (routes, pages, import): the application's one write path —
        jurisdiction, handler, unit of work — then the read models caught up to it, so the answer
        and the next read show it (read-your-writes). If catching up fails the write stands and the
        follower applies it later."""
        result = self.app.handle(command, by)
        try:
            self.catch_up(result.position)
        except Exception:  # the write is stored; the follower will retry the projection
            log.exception("catching up to position %s failed", result.position)
        return result

    def lag(self) -> dict[str, int]:
        return self.runner.lag()

    def close(self) -> None:
        if self.courier is not None:
            self.courier.stop()
        self.runner.stop()
        self.app.close()
        self.runner.engine.dispose()
        self.read_models.engine.dispose()


def build_runtime(settings: Settings | None = None, *,
                  clock: Callable[[], datetime] | None = None, create_key: bool = True) -> Runtime:
    """The application plus its read side, for the HTTP API and long-running commands. Without
    ``create_key`` a data directory with no ledger key raises ``LedgerKeyMissing`` instead of getting one."""
    settings = settings or Settings.from_env()
    key = load_signing_key(settings.data_dir, settings.ledger_key, create=create_key)
    settings = with_cipher_key(settings)
    app = build_application(settings, clock=clock)
    url = settings.sqlalchemy_url()
    page = int(os.environ.get("JISHI_PROJECTION_PAGE", "500"))
    sealer = sealer_for(settings, settings.cipher_key)
    with schema_lock(settings):  # the read models' and the ledger's tables and indexes, one process at a time
        runner = ProjectionRunner(app, make_engine(url, writer=True, sealer=sealer), page_size=page,
                                  rebuild_processes=settings.rebuild_processes,
                                  reopen=functools.partial(build_application, settings))  # the rebuild's workers
        read = ReadModels(make_engine(url, sealer=sealer), app.config, runner)
        ledger = Ledger(runner.engine, key, read_engine=read.engine, head_every=settings.ledger_head_every)
    app.attach_scope_view(read)  # the jurisdiction policy reads the scope model of these read models
    # The ledger follows every write: read-your-writes catch-ups and the background follower
    # append the new records' leaves right after the projections.
    runner.after_catch_up.append(lambda: ledger.sync(app.recorder))
    runtime = Runtime(settings=settings, app=app, read_models=read, runner=runner, ledger=ledger)
    if settings.witnesses is not None:
        runtime.witnessing = open_witnessing(settings, ledger)
        runtime.courier = Courier(runtime.witnessing, lambda: ledger.sync(app.recorder), settings.witness_interval)
        runner.after_catch_up.append(runtime.courier.notify)  # wakes the courier's thread; never waits for it
    return runtime


def open_witnessing(settings: Settings, ledger: Ledger) -> Witnessing:
    """The witnesses of ``settings.witnesses`` for ``ledger``; raises ValueError naming the file."""
    from ledger.verify.policy import PolicyError, parse_policy

    assert settings.witnesses is not None
    try:
        policy = parse_policy(settings.witnesses.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, PolicyError) as error:
        raise ValueError(f"JISHI_WITNESSES {settings.witnesses}: 见证策略不可用 (unusable witness policy): "
                         f"{error}") from error
    return Witnessing(ledger, policy)


def read_model_engine(settings: Settings, *, writer: bool = False) -> Engine:
    """An engine on the store's read models that opens their sealed fields (tools, tests): the
    store's cipher key is read, never made."""
    settings = with_cipher_key(settings, may_create=False)
    return make_engine(settings.sqlalchemy_url(), writer=writer, sealer=sealer_for(settings, settings.cipher_key))


def open_ledger(settings: Settings | None = None, *, create_key: bool = True, **options: Any) -> Ledger:
    """The ledger in the read-model database, with engines of its own, signing with the configured key
    (the CLI, the benchmarks; a server's runtime has its ledger already). Without ``create_key`` a
    missing key raises ``LedgerKeyMissing`` instead of being created."""
    settings = settings or Settings.from_env()
    key = load_signing_key(settings.data_dir, settings.ledger_key, create=create_key)
    url = settings.sqlalchemy_url()
    options.setdefault("head_every", settings.ledger_head_every)
    return Ledger(make_engine(url, writer=True), key, read_engine=make_engine(url), owns_engines=True, **options)
