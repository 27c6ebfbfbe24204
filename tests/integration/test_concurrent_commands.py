"""Many threads, one application: nothing of one command is seen by another.

The server runs commands on a pool of threads over one shared ``Jishi``. A tiny thread switch
interval makes the interpreter switch threads every few bytecodes, so any state a command parked on
the shared object would be read by another command: a ``KeyError``, or an ``OccupancyChanged`` that
disagrees with the cadre's own record — stored for ever. Each thread appoints and moves its own
cadres between shared posts; a conflict on a post's stream (two threads saving the same post) is a
legitimate 409 and is retried, anything else is a failure.
"""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from uuid import UUID

import pytest

from domain.errors import ConcurrencyError
from service.application import Jishi
from service.commands import EstablishPost, RecordEntry, RegisterUnit
from tests import factories as f
from tests.conftest import AppFactory

THREADS = 6
CADRES_PER_THREAD = 5
MOVES = 10  # per cadre: appointments, each ending the previous post
POSTS = [f"P{n}" for n in range(8)]


@pytest.fixture
def tiny_switch_interval() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def _retrying(app: Jishi, command: RecordEntry) -> None:
    for _ in range(200):
        try:
            app.handle(command, f.HR)
            return
        except ConcurrencyError:  # another thread saved the same post meanwhile: a fair 409
            continue
    raise AssertionError(f"gave up after 200 conflicts: {command}")


def _career(app: Jishi, cadre_id: UUID, rng: random.Random, errors: list[BaseException]) -> None:
    try:
        day, held = date(2015, 1, 1), None
        for _ in range(MOVES):
            post = rng.choice([p for p in POSTS if p != held])
            if held is not None:
                _retrying(app, RecordEntry(cadre_id, "Dismissed", f.dismissal(day.isoformat(), "U1", held)))
            _retrying(app, RecordEntry(cadre_id, "Appointed", f.appointment(day.isoformat(), "U1", post)))
            held, day = post, day + timedelta(days=rng.randint(30, 200))
    except BaseException as error:
        errors.append(error)


def test_concurrent_commands_on_shared_posts_never_cross_and_every_occupancy_matches_its_holders(
        make_app: AppFactory, tiny_switch_interval: None) -> None:
    app = make_app()
    app.handle(RegisterUnit(f.unit("U1")), f.HR)
    for code in POSTS:
        app.handle(EstablishPost("U1", f.post(code, establishment=THREADS * CADRES_PER_THREAD, probation=False)), f.HR)
    cadres = [[f.registered(app, f"T{t}C{c}") for c in range(CADRES_PER_THREAD)] for t in range(THREADS)]
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        rng = random.Random(index)
        for cadre_id in cadres[index]:
            _career(app, cadre_id, rng, errors)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert errors == []
    fresh = make_app()  # read back from the store, as another process would
    everyone = [c for group in cadres for c in group]
    assert sum(len(fresh.get_cadre(c).standing_entries()) for c in everyone) == len(everyone) * (2 * MOVES)
    for code in POSTS:
        occupancy = fresh.get_post("U1", code).occupancy
        expected = {c: fresh.history(c).tenures_at("U1", code) for c in everyone}
        assert occupancy == {c: tenures for c, tenures in expected.items() if tenures}
