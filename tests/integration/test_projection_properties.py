"""Property: for random histories with late entries, corrections and retractions, the roster
and the growth file for any (as_of, known_at) equal a naive reference that replays only the
events recorded up to known_at and applies those effective up to as_of; and a bulk rebuild
writes exactly the rows the event-by-event catch-up wrote."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.cadre import Cadre
from domain.errors import JishiError
from domain.history import derive
from jishi.bootstrap import Runtime
from projections.checksum import table_digests
from service.commands import CorrectEntry, RecordEntry, RetractEntry
from tests import factories as f
from tests.pgserver import PostgresServer
from tests.scratch import three_cadres

DAYS = st.integers(min_value=0, max_value=4 * 365).map(lambda n: date(2019, 1, 1) + timedelta(days=n))
OPS = st.lists(st.tuples(st.sampled_from(["appoint", "dismiss", "hardship", "correct", "retract"]),
                         st.integers(0, 2), DAYS, st.integers(0, 50)), min_size=3, max_size=14)


def reference(app: f.Jishi, known_at: datetime, as_of: date) -> tuple[set[tuple[str, str]], dict[str, set[str]]]:
    """Replay the notification log up to known_at; derive holders and standing entries at as_of."""
    cadres: dict[UUID, Cadre] = {}
    for n in app.recorder.select_notifications(1, 10_000):
        event = app.mapper.to_domain_event(n)
        if not n.topic.startswith("jishi.cadre.") or event.timestamp > known_at:
            continue
        cadres[event.originator_id] = event.mutate(cadres.get(event.originator_id))
    holders, entries = set(), {}
    for cid, cadre in cadres.items():
        for t in derive(cadre.standing_entries()).tenures:
            if t.covers(as_of):
                holders.add((str(cid), t.start.isoformat()))
        entries[str(cid)] = {str(e.entry_id) for e in cadre.entries.values()
                             if e.stands and (e.effective_on is None or e.effective_on <= as_of)}
    return holders, entries


def run_ops(app: f.Jishi, cadres: list[UUID], ops: list[tuple[str, int, date, int]]) -> list[datetime]:
    recorded: list[Any] = []
    instants: list[datetime] = []
    for op, who, day, pick in ops:
        cid = cadres[who]
        try:
            if op == "appoint":
                r = app.handle(RecordEntry(cid, "Appointed", f.appointment(day.isoformat())), f.HR)
            elif op == "dismiss":
                r = app.handle(RecordEntry(cid, "Dismissed", f.dismissal(day.isoformat())), f.HR)
            elif op == "hardship":
                r = app.handle(RecordEntry(cid, "HardshipRecorded", {"effective_on": day.isoformat(),
                                                                     "description": "困难"}), f.HR)
            elif op == "correct" and recorded:
                cid, entry = recorded[pick % len(recorded)]
                change = {"changes": {"effective_on": day.isoformat()}, "reason": "更正"}
                r = app.handle(CorrectEntry(cid, entry, change), f.HR)
            elif op == "retract" and recorded:
                cid, entry = recorded[pick % len(recorded)]
                r = app.handle(RetractEntry(cid, entry, {"reason": "撤销"}), f.HR)
            else:
                continue
        except JishiError:
            continue
        recorded.append((cid, r.entry_id))
        instants.append(r.recorded_at)
    return instants


@contextmanager
def world(server: PostgresServer | None, ops: list[tuple[str, int, date, int]]
          ) -> Iterator[tuple[Runtime, list[Any], list[datetime]]]:
    """A fresh store (SQLite, or a new database on ``server``) with unit U1, three cadres and ``ops``
    recorded on them, caught up: the runtime, the cadres and the instants the ops were recorded at."""
    with three_cadres(server) as (runtime, cadres):
        instants = run_ops(runtime.app, cadres, ops)
        runtime.catch_up()
        yield runtime, cadres, instants


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.pg)])
def test_read_models_equal_a_naive_replay_for_any_as_of_and_known_at(
        backend: str, request: pytest.FixtureRequest) -> None:
    server: PostgresServer | None = request.getfixturevalue("pg_server") if backend == "postgres" else None

    @settings(max_examples=12 if backend == "postgres" else 25, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(ops=OPS, as_of=DAYS, cut=st.integers(0, 100))
    def check(ops: list[tuple[str, int, date, int]], as_of: date, cut: int) -> None:
        with world(server, ops) as (runtime, cadres, instants):
            app = runtime.app
            moments = [None, *instants]
            known_at = moments[cut % len(moments)]
            roster = runtime.read_models.roster("U1", as_of, known_at)
            got_holders = {(h["cadre_id"], h["since"]) for p in roster["posts"] for h in p["holders"]}
            want_holders, want_entries = reference(app, known_at or _far(), as_of)
            assert got_holders == want_holders
            for cid in cadres:
                file = runtime.read_models.growth_file(cid, as_of, known_at)
                got = {i["entry_id"] for i in file["timeline"] if not i["retracted"]}
                assert got == want_entries[str(cid)]
            event_by_event = table_digests(runtime.runner.engine)
            runtime.runner.rebuild()  # aggregate by aggregate: the same rows
            assert table_digests(runtime.runner.engine) == event_by_event

    check()


def _far() -> datetime:
    from datetime import UTC
    return datetime(9999, 1, 1, tzinfo=UTC)
