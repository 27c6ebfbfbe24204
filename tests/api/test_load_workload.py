"""The write load of the crash trials and the mixed load (``bench/workload.py``) must keep meaning what
it says: each kind of write it sends to be stored is stored by the rules in force, and each kind it
sends to be refused is refused. A new rule that refused every appointment of the load would otherwise
turn the trials' cross-stream writes (an appointment saves the cadre and the post) into refusals and
leave them untested — R-LATERAL did, until the load's recruits stood at the level of its posts."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from typing import Any

from bench.workload import Generator, WriterState, prepare, send

STORED_KINDS = ("register", "entry:Appointed", "entry:Dismissed", "entry:Assessed", "entry:TrainingCompleted",
                "correction", "retraction", "case", "step:Recommended")
REFUSED_KINDS = ("refuse:schema", "refuse:stale", "refuse:unknown", "refuse:future")


def test_each_kind_of_write_the_load_means_to_store_is_stored_and_each_it_means_to_refuse_is_refused(
        client: Any, tokens: dict[str, str]) -> None:
    client.headers["Authorization"] = f"Bearer {tokens['hr']}"
    state = WriterState(0)
    generator = Generator(state, "wl", prepare(client), random.Random(7))
    statuses: dict[str, Counter[int | None]] = defaultdict(Counter)
    for _ in range(300):
        outcome = send(client, generator.next())
        state.learn(outcome)
        statuses[outcome.request.kind][outcome.status] += 1
    for kind in STORED_KINDS:
        assert statuses[kind][201] > 0, (kind, dict(statuses[kind]))
    for kind in REFUSED_KINDS:
        assert statuses[kind] and 201 not in statuses[kind], (kind, dict(statuses[kind]))
    assert not any(status is None or status >= 500 for kinds in statuses.values() for status in kinds)
