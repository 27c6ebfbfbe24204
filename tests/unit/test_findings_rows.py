"""A re-run monitor's findings keep the rows made of the facts it found before (projections/findings.py
``_rows``): whatever the monitor now finds — the same facts, moved, changed, new, fewer — the rows are
exactly ``finding_row`` of each fact, in the monitor's order."""

from __future__ import annotations

import random
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.monitors.facts import FindingFact
from projections.findings import _rows, finding_row

CADRE = UUID("5f0b6c52-8e8b-4a39-9a53-2a8f4f0c1e11")
RULE = "R-TRAIN-HOURS"


def _fact(year: int, hours: int, resolved: bool = False) -> FindingFact:
    return FindingFact(RULE, CADRE, "U01", str(year), date(year, 1, 1), date(year, 12, 31),
                       date(year, 6, 1) if resolved else None, False, (),
                       (UUID(int=year),) if resolved else (), f"{year}年度培训学时{hours}/40")


Cached = tuple[int, date, dict[str, list[FindingFact]], dict[str, list[dict[str, Any]]]]


def _cached(facts: list[FindingFact]) -> Cached:
    return 3, date(2026, 12, 31), {RULE: facts}, {RULE: [finding_row(f) for f in facts]}


@pytest.mark.parametrize("seed", range(20))
def test_the_rows_of_a_re_run_monitor_are_finding_row_of_each_fact_it_now_finds(seed: int) -> None:
    rng = random.Random(seed)
    before = [_fact(y, rng.randrange(60), rng.random() < 0.5) for y in range(2010, 2010 + rng.randrange(1, 15))]
    now = list(before)
    for _ in range(rng.randrange(4)):  # change one, drop one, add one, move one
        action = rng.choice(("change", "drop", "add", "move"))
        if action == "change" and now:
            i = rng.randrange(len(now))
            now[i] = _fact(int(now[i].key), rng.randrange(60, 90), True)
        elif action == "drop" and now:
            now.pop(rng.randrange(len(now)))
        elif action == "add":
            now.insert(rng.randrange(len(now) + 1), _fact(rng.randrange(1990, 2010), rng.randrange(60)))
        elif now:
            now.insert(rng.randrange(len(now)), now.pop())
    assert _rows(now, _cached(before), RULE) == [finding_row(f) for f in now]


def test_a_fact_found_again_keeps_its_row_and_a_changed_one_gets_a_new_row() -> None:
    before = [_fact(2020, 10), _fact(2021, 20)]
    cached = _cached(before)
    rows = _rows([_fact(2020, 10), _fact(2021, 45, True)], cached, RULE)
    assert rows[0] is cached[3][RULE][0]
    assert rows[1] == finding_row(_fact(2021, 45, True)) and rows[1]["signature"] != cached[3][RULE][1]["signature"]


def test_without_earlier_findings_of_the_rule_every_row_is_made_afresh() -> None:
    facts = [_fact(2020, 10)]
    assert _rows(facts, None, RULE) == [finding_row(facts[0])]
    assert _rows(facts, _cached([]), RULE) == [finding_row(facts[0])]
