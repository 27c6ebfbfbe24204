"""A rebuild killed with SIGKILL part-way resumes to exactly the clean-rebuild checksum:
no event applied twice or skipped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import select

from api.bootstrap import build_runtime
from api.settings import Settings
from projections.db import make_engine
from projections.models import Position
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


def test_a_rebuild_killed_part_way_resumes_to_the_clean_checksum(settings: Settings) -> None:
    runtime = build_runtime(settings)
    app = runtime.app
    f.organisation(app, establishment=400)
    for i in range(300):
        cid = f.registered(app, f"K{i}")
        app.record_entry(cid, "Appointed", f.appointment("2020-01-01"), f.HR)
        app.record_entry(cid, "HardshipRecorded", {"effective_on": "2021-01-01", "description": "困难"}, f.HR)
    head = app.recorder.max_notification_id() or 0
    runtime.close()

    engine = make_engine(settings.sqlalchemy_url())
    proc = jishi(settings, "rebuild", "--quiet")
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
    assert 0 < killed_at < head, "the rebuild was killed part-way"
    assert proc.returncode == -signal.SIGKILL

    resumed = last_line(jishi(settings, "catch-up", "--quiet", "--checksum"))
    clean = last_line(jishi(settings, "rebuild", "--quiet", "--checksum"))
    assert resumed == clean
    engine.dispose()
