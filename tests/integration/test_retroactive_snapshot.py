"""R-RETROACTIVE compares a cadre before and after an event; the applier changes the aggregate in place,
so the cadre before is kept apart (projections/retroactive.py ``detached``), copying only what applying
an event changes. Property: for random records — entries of many types, corrections of dates and of a
training's hours, retractions — the copy taken before each event is, once the
event is applied to the cadre, what a deep copy taken at the same time is."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings

from domain.cadre import Cadre
from projections.retroactive import detached
from tests.integration.test_findings_replay import OPS, record
from tests.scratch import three_cadres


def state(cadre: Cadre) -> tuple[Any, ...]:
    """Everything of a cadre a comparison of before and after reads (and the aggregate's own fields)."""
    return (cadre.id, cadre.version, cadre.cadre_no, cadre.registrant_scope, cadre.entries,
            cadre.correction_changes, [e.entry_id for e in cadre.standing_entries()])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=OPS)
def test_the_copy_of_a_cadre_before_an_event_is_untouched_by_applying_the_event(
        ops: list[tuple[str, int, date, int]]) -> None:
    with three_cadres(None) as (runtime, cadres):
        app = runtime.app
        record(runtime, cadres, ops, step=False)
        for cadre_id in cadres:
            events = list(app.events.get(cadre_id))
            cadre: Cadre | None = None
            for event in events:
                if cadre is None:
                    cadre = event.mutate(None)
                    continue
                kept, deep = detached(cadre), copy.deepcopy(cadre)
                assert state(kept) == state(deep)
                event.mutate(cadre)
                assert state(kept) == state(deep)  # the event changed the cadre, not the copy
            assert cadre is not None and cadre.version == len(events)
