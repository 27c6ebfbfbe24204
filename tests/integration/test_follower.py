"""The background follower (projections/follower.py): it looks at the store's head and catches up only
when the head moved — a commit by another process is applied at its next look, and an idle follower
runs no catch-up (no locked page transaction, no ledger sync). No timings are asserted: the tests wait
on positions, with a generous deadline for a loaded machine."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import time
from datetime import date
from uuid import UUID

import pytest
from sqlalchemy import func, select

from domain.recorded import Provenance
from domain.users import GrowthFileRead
from jishi.bootstrap import Runtime
from jishi.settings import Settings
from projections import follower as follower_module
from projections.follower import Follower
from projections.models import AuditRow
from service.users import read_record
from tests import factories as f
from tests.conftest import RuntimeFactory

WRITER = textwrap.dedent("""
    from datetime import date
    from jishi.bootstrap import build_application
    from jishi.settings import Settings
    from tests import factories as f
    app = build_application(Settings.from_env())
    f.registered(app, "Q7", name="欧阳娜", birth=date(1979, 4, 2))
    print(app.recorder.max_notification_id())
    app.close()
""")


def write_in_another_process(settings: Settings) -> int:
    """Register a cadre from a separate Python process; the store's head after its commit."""
    env = {**os.environ, "JISHI_DATA_DIR": str(settings.data_dir)}
    env.pop("JISHI_DATABASE_URL", None)
    if settings.database_url:
        env["JISHI_DATABASE_URL"] = settings.database_url
    done = subprocess.run([sys.executable, "-c", WRITER], env=env, text=True, capture_output=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


def wait_for(runtime: Runtime, position: int, deadline: float = 60.0) -> None:
    ends = time.monotonic() + deadline
    while min(runtime.runner.positions().values()) < position and time.monotonic() < ends:
        time.sleep(0.01)


def test_a_follower_applies_a_commit_by_another_process_at_its_next_look(
        make_runtime: RuntimeFactory, settings: Settings) -> None:
    server = make_runtime()
    f.registered(server.app, "P1")
    server.catch_up()
    before = server.runner.head()
    server.runner.start_follower()
    head = write_in_another_process(settings)
    assert head > before
    wait_for(server, head)
    assert set(server.runner.positions().values()) == {head}
    found = server.read_models.search(as_of=date.today(), q="欧阳娜")["items"]
    assert [item["name"] for item in found] == ["欧阳娜"]


def test_a_follower_catches_up_only_when_the_head_moved(make_runtime: RuntimeFactory, settings: Settings) -> None:
    server = make_runtime()
    f.registered(server.app, "P1")
    caught_up: list[int] = []
    server.runner.after_catch_up.append(lambda: caught_up.append(server.runner.head()))
    follower = Follower(server.runner)
    assert follower.tick() is True  # the first look: it has reached nothing yet
    first = follower.reached
    assert first == server.runner.head() and caught_up == [first]
    assert [follower.tick(), follower.tick()] == [False, False]  # the head stood still: no catch-up, no ledger sync
    assert caught_up == [first] and follower.woken == 1
    head = write_in_another_process(settings)
    assert follower.tick() is True
    assert follower.reached == head > first
    assert caught_up == [first, head]
    assert set(server.runner.positions().values()) == {head}


def test_a_follower_skips_what_a_read_your_writes_catch_up_already_applied(make_runtime: RuntimeFactory) -> None:
    server = make_runtime()
    follower = Follower(server.runner)
    f.registered(server.app, "P1")
    follower.tick()
    f.registered(server.app, "P2", birth=date(1988, 2, 9))
    server.catch_up()  # a request thread of the same server applied its own write
    assert follower.tick() is True  # the head moved past what the follower reached: it looks once …
    assert follower.reached == server.runner.head()
    assert follower.tick() is False  # … and then rests
    assert follower.woken == 2


def test_the_positions_and_lag_are_read_while_a_page_holds_the_write_lock(runtime: Runtime) -> None:
    f.registered(runtime.app, "P1")
    runtime.catch_up()
    head = runtime.runner.head()
    f.registered(runtime.app, "P2", birth=date(1988, 2, 9))
    with runtime.runner.engine.begin() as page:  # as a page being applied: BEGIN IMMEDIATE / positions FOR UPDATE
        locked = runtime.runner.locked_positions(page)
        assert set(runtime.runner.positions().values()) == set(locked.values()) == {head}  # /readyz, lag, refresh
        assert set(runtime.lag().values()) == {runtime.runner.head() - head}
    runtime.catch_up()
    assert set(runtime.lag().values()) == {0}


def test_a_follower_that_cannot_reach_the_store_says_so_once_and_catches_up_when_it_returns(
        runtime: Runtime, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    f.registered(runtime.app, "P1")
    runner, real_head, failures = runtime.runner, runtime.runner.head, [3]

    def head() -> int:
        if failures[0]:
            failures[0] -= 1
            raise OSError("store unreachable")
        return real_head()

    monkeypatch.setattr(runner, "head", head)
    caplog.set_level(logging.INFO, logger="jishi.follower")
    follower = Follower(runner, interval=0.01)
    follower.start()
    try:
        ends = time.monotonic() + 60
        while follower.reached < real_head() and time.monotonic() < ends:
            time.sleep(0.01)
    finally:
        follower.stop()
    assert failures == [0] and follower.reached == real_head()
    said = [(r.levelname, r.getMessage().split(";")[0]) for r in caplog.records if r.name == "jishi.follower"]
    assert said == [("WARNING", "the follower could not catch up"), ("INFO", "the follower caught up again")]


def test_a_findings_refresh_that_fails_when_the_date_turns_is_tried_again_at_the_next_look(
        runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    runner, days, refreshed, failures = runtime.runner, iter([date(2026, 12, 31)]), [], [1]
    monkeypatch.setattr(runner.findings, "horizon", lambda: next(days, date(2027, 1, 1)))

    def refresh() -> int:
        if failures[0]:
            failures[0] -= 1
            raise OSError("store unreachable")
        refreshed.append(runner.findings.horizon())
        return 0

    monkeypatch.setattr(runner, "refresh_findings", refresh)
    follower = Follower(runner, interval=0.01)
    follower.start()
    try:
        ends = time.monotonic() + 60
        while not refreshed and time.monotonic() < ends:
            time.sleep(0.01)
    finally:
        follower.stop()
    assert failures == [0] and refreshed  # the turn of the year was not lost with the failed refresh


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def store_reads(runtime: Runtime, cadre: UUID, count: int) -> int:
    """``count`` recorded growth-file reads of ``cadre`` in one transaction, as the read log stores them."""
    by = Provenance("auditor-user", "auditor", "req-1")
    runtime.app.save(*(read_record(cadre, by) for _ in range(count)))
    return runtime.runner.head()


def audit_reads(runtime: Runtime) -> int:
    with runtime.read_models.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(AuditRow)
                                .where(AuditRow.type == GrowthFileRead.__name__)).scalar_one())


def test_reads_alone_wait_for_their_catch_up_until_the_follower_has_seen_them_for_reads_wait_seconds(
        runtime: Runtime) -> None:
    cadre = f.registered(runtime.app, "P1")
    clock = Clock()
    follower = Follower(runtime.runner, reads_wait=0.25, clock=clock)
    follower.tick()
    store_reads(runtime, cadre, 3)
    assert follower.tick() is False  # the first look that sees them starts their wait
    clock.now += 0.2
    head = store_reads(runtime, cadre, 2)
    assert follower.tick() is False and audit_reads(runtime) == 0  # 0.2 s: still waiting, none applied
    clock.now += 0.05
    assert follower.tick() is True  # 0.25 s after the first look: all five in one catch-up
    assert follower.reached == head and audit_reads(runtime) == 5 and follower.woken == 2
    assert follower.tick() is False  # nothing new
    store_reads(runtime, cadre, 1)
    assert follower.tick() is False  # a new wait starts with the next read
    clock.now += 0.25
    assert follower.tick() is True and audit_reads(runtime) == 6


def test_a_record_other_than_a_read_is_applied_at_its_first_look_with_the_reads_before_it(
        runtime: Runtime) -> None:
    cadre = f.registered(runtime.app, "P1")
    follower = Follower(runtime.runner, reads_wait=3600, clock=Clock())
    follower.tick()
    store_reads(runtime, cadre, 2)
    assert follower.tick() is False
    f.registered(runtime.app, "P2", birth=date(1988, 2, 9))
    assert follower.tick() is True  # a registration changes rosters: it does not wait
    assert follower.reached == runtime.runner.head() and audit_reads(runtime) == 2
    assert set(runtime.runner.positions().values()) == {runtime.runner.head()}


def test_reads_are_applied_at_once_when_too_many_wait_or_when_reads_wait_is_zero(
        runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    cadre = f.registered(runtime.app, "P1")
    monkeypatch.setattr(follower_module, "MAX_WAITING_READS", 3)
    follower = Follower(runtime.runner, reads_wait=3600, clock=Clock())
    follower.tick()
    store_reads(runtime, cadre, 3)
    assert follower.tick() is False  # three waiting: not more than the most that may wait
    store_reads(runtime, cadre, 1)
    assert follower.tick() is True and audit_reads(runtime) == 4  # four: applied without waiting
    eager = Follower(runtime.runner, reads_wait=0)
    eager.tick()
    store_reads(runtime, cadre, 1)
    assert eager.tick() is True and audit_reads(runtime) == 5


def test_reads_waiting_when_the_follower_stops_are_applied_at_its_stop(runtime: Runtime) -> None:
    cadre = f.registered(runtime.app, "P1")
    follower = Follower(runtime.runner, reads_wait=3600, clock=Clock())
    follower.tick()
    head = store_reads(runtime, cadre, 3)
    assert follower.tick() is False and audit_reads(runtime) == 0
    follower.stop()
    assert audit_reads(runtime) == 3 and follower.reached == head
    assert set(runtime.runner.positions().values()) == {head}


def test_a_started_follower_applies_reads_alone_once_they_have_waited(make_runtime: RuntimeFactory) -> None:
    server = make_runtime()
    cadre = f.registered(server.app, "P1")
    server.catch_up()
    server.runner.start_follower(interval=0.01)
    head = store_reads(server, cadre, 4)
    wait_for(server, head)
    assert set(server.runner.positions().values()) == {head} and audit_reads(server) == 4
    stored = len(server.app.recorder.select_notifications(1, 10_000))
    ends = time.monotonic() + 60  # the ledger's page follows the projections' page, in its own transaction
    while server.ledger.size < stored and time.monotonic() < ends:
        time.sleep(0.01)
    assert server.ledger.size == stored
