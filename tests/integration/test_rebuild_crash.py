"""Killed with SIGKILL part-way: an event-by-event catch-up resumes to exactly the clean-rebuild
checksum (no event applied twice or skipped); a bulk rebuild leaves the read models and their
positions exactly as they were before it started."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError

from jishi.bootstrap import build_runtime, read_model_engine
from jishi.settings import Settings
from projections.checksum import checksum
from projections.models import Position
from service.commands import RecordEntry
from tests import factories as f


def jishi(settings: Settings, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "JISHI_DATA_DIR": str(settings.data_dir), "JISHI_PROJECTION_PAGE": "25"}
    env.pop("JISHI_DATABASE_URL", None)
    if settings.database_url:
        env["JISHI_DATABASE_URL"] = settings.database_url
    return subprocess.Popen([sys.executable, "-m", "api.cli", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def last_line(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return out.strip().splitlines()[-1]


def history(settings: Settings, cadres: int) -> int:
    """A unit and ``cadres`` appointed cadres; the read models caught up on the unit only."""
    runtime = build_runtime(settings)
    app = runtime.app
    f.organisation(app, establishment=cadres + 100)
    runtime.catch_up()  # the log is then followed event by event, not rebuilt in bulk
    for i in range(cadres):
        cid = f.registered(app, f"K{i}")
        app.handle(RecordEntry(cid, "Appointed", f.appointment("2020-01-01")), f.HR)
        app.handle(RecordEntry(cid, "HardshipRecorded", {"effective_on": "2021-01-01", "description": "困难"}), f.HR)
    head = app.recorder.max_notification_id() or 0
    runtime.close()
    return head


def test_a_catch_up_killed_part_way_resumes_to_the_clean_checksum(settings: Settings) -> None:
    head = history(settings, 300)
    engine = read_model_engine(settings)
    proc = jishi(settings, "catch-up", "--quiet")
    killed_at = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with engine.connect() as conn:
                positions = [p for (p,) in conn.execute(select(Position.position))]
        except Exception:
            positions = []
        if positions and head // 4 < min(positions) < head:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            killed_at = min(positions)
            break
        time.sleep(0.02)
    assert 0 < killed_at < head, "the catch-up was killed part-way"
    assert proc.returncode == -signal.SIGKILL

    resumed = last_line(jishi(settings, "catch-up", "--quiet", "--checksum"))
    clean = last_line(jishi(settings, "rebuild", "--quiet", "--checksum"))
    assert resumed == clean
    engine.dispose()


def rebuilding(settings: Settings, engine: Engine) -> bool:
    """Whether another process holds the read models' write transaction (the bulk rebuild's):
    the projection positions cannot be locked without waiting."""
    if settings.database_url:
        try:
            with engine.begin() as conn:
                conn.execute(select(Position).with_for_update(nowait=True)).all()
        except OperationalError:
            return True
        return False
    lite = sqlite3.connect(settings.data_dir / "read.sqlite", timeout=0)
    try:
        lite.execute("BEGIN IMMEDIATE")
        lite.rollback()
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        lite.close()


def test_a_bulk_rebuild_killed_part_way_leaves_the_read_models_as_they_were(settings: Settings) -> None:
    history(settings, 300)
    runtime = build_runtime(settings)
    runtime.catch_up(40)  # the read models as of an earlier position
    runtime.close()
    engine = read_model_engine(settings)
    with engine.connect() as conn:
        before = {p.name: p.position for p in conn.execute(select(Position))}
    old = checksum(engine)

    proc = jishi(settings, "rebuild", "--quiet")
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline and not rebuilding(settings, engine):
        time.sleep(0.01)
    time.sleep(0.05)  # its first statements empty the tables; let it write for a moment
    assert proc.poll() is None, "killed inside the rebuild's transaction"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with engine.connect() as conn:
        assert {p.name: p.position for p in conn.execute(select(Position))} == before
    assert checksum(engine) == old

    resumed = last_line(jishi(settings, "catch-up", "--quiet", "--checksum"))
    assert resumed == last_line(jishi(settings, "rebuild", "--quiet", "--checksum"))
    assert resumed != old
    engine.dispose()
