"""The findings projection keeps each cadre's timeline from one event to the next while it applies the
cadre's events (domain/monitors/replay.py). Property: for random histories of three cadres — trainings,
assessments, commendations, appointments, recorded out of date order, corrected (a date, a training's
hours) and retracted — the finding rows it writes catching up event by event, and rebuilding, are exactly
the rows a rebuild that builds every timeline from scratch writes (recorded ranges included)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import JishiError
from jishi.bootstrap import Runtime
from projections.checksum import table_digests
from service.commands import CorrectEntry, RecordEntry, RetractEntry
from tests import factories as f
from tests.pgserver import PostgresServer
from tests.scratch import three_cadres

DAYS = st.integers(min_value=0, max_value=6 * 365).map(lambda n: date(2018, 1, 1) + timedelta(days=n))
KINDS = ["train", "train", "train", "assess", "commend", "appoint", "dismiss", "correct", "correct_hours", "retract"]
OPS = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 2), DAYS, st.integers(0, 50)),
               min_size=4, max_size=16)


def payload(op: str, day: date, pick: int) -> tuple[str, dict[str, Any]] | None:
    on = day.isoformat()
    if op == "train":
        return "TrainingCompleted", {"effective_on": on, "kind": ("在职培训", "任职培训", "初任培训")[pick % 3],
                                     "course": "党性教育", "provider": "县委党校", "started_on": on,
                                     "hours": str(10 + pick), "passed": pick % 5 != 0, "makeup": pick % 7 == 0}
    if op == "assess":
        return "Assessed", {"effective_on": on, "kind": "年度", "period": str(day.year - 1),
                            "grade": ("称职", "优秀", "基本称职")[pick % 3]}
    if op == "commend":
        return "Commended", {"effective_on": on, "kind": "嘉奖", "by": "县委"}
    if op == "appoint":
        return "Appointed", f.appointment(on)
    if op == "dismiss":
        return "Dismissed", f.dismissal(on)
    return None


def record(runtime: Runtime, cadres: list[UUID], ops: list[tuple[str, int, date, int]], step: bool) -> None:
    """Record ``ops`` (those a guard refuses are left out); ``step``: catch up after every one."""
    app, recorded = runtime.app, list[tuple[UUID, UUID]]()
    for op, who, day, pick in ops:
        try:
            if op in ("correct", "correct_hours", "retract"):
                if not recorded:
                    continue
                cid, entry = recorded[pick % len(recorded)]
                # a training's hours (refused for an entry of another type), or any entry's date
                changes = {"hours": str(pick % 30)} if op == "correct_hours" else {"effective_on": day.isoformat()}
                change = {"changes": changes, "reason": "更正"}
                command: Any = RetractEntry(cid, entry, {"reason": "撤销"}) if op == "retract" \
                    else CorrectEntry(cid, entry, change)
            else:
                made = payload(op, day, pick)
                assert made is not None
                command = RecordEntry(cadres[who], made[0], made[1])
            result = app.handle(command, f.HR)
        except JishiError:
            continue
        if op not in ("correct", "correct_hours", "retract"):
            recorded.append((cadres[who], result.entry_id))
        if step:
            runtime.catch_up()
    runtime.catch_up()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.pg)])
def test_finding_rows_written_from_kept_timelines_equal_those_from_timelines_built_afresh(
        backend: str, request: pytest.FixtureRequest) -> None:
    server: PostgresServer | None = request.getfixturevalue("pg_server") if backend == "postgres" else None

    @settings(max_examples=8 if backend == "postgres" else 20, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(ops=OPS, step=st.booleans())
    def check(ops: list[tuple[str, int, date, int]], step: bool) -> None:
        with three_cadres(server) as (runtime, cadres):
            findings = runtime.runner.applier.findings
            assert findings.replaying
            record(runtime, cadres, ops, step)
            caught_up = table_digests(runtime.runner.engine)
            runtime.runner.rebuild()
            rebuilt = table_digests(runtime.runner.engine)
            findings.replaying = False  # every timeline built from the cadre's whole record
            findings.selective = False  # every monitor run, every row of the cadre diffed, per event
            runtime.runner.rebuild()
            assert table_digests(runtime.runner.engine) == rebuilt == caught_up

    check()
