"""Every dated monitor at its boundaries, from one table of cases (the talk, training and career
monitors each list theirs beside their own tests): the finding exists from its trigger date, the
missing step is open up to the due date and overdue the day after, a step the day before, on or
after the due date resolves it on time or late, and retracting the step reopens the finding."""

from __future__ import annotations

import pytest

from tests.unit import test_monitors_career, test_monitors_talks, test_monitors_training
from tests.unit.test_monitors_support import (
    Case,
    check_exists_from_trigger,
    check_open_then_overdue,
    check_reopens_without_resolver,
    check_resolution_at,
)

CASES: dict[str, Case] = {**test_monitors_talks.CASES, **test_monitors_training.CASES, **test_monitors_career.CASES}
RULES = sorted(CASES)


def test_the_table_has_every_dated_monitor_once() -> None:
    tables = (test_monitors_talks.CASES, test_monitors_training.CASES, test_monitors_career.CASES)
    assert sum(len(t) for t in tables) == len(CASES) >= 14  # no rule listed twice


@pytest.mark.parametrize("rule", RULES)
def test_a_finding_exists_from_the_date_of_its_trigger(rule: str) -> None:
    check_exists_from_trigger(CASES[rule])


@pytest.mark.parametrize("rule", RULES)
def test_a_missing_step_is_open_up_to_the_due_date_and_overdue_the_day_after(rule: str) -> None:
    check_open_then_overdue(CASES[rule])


@pytest.mark.parametrize("offset", [-1, 0, 1])
@pytest.mark.parametrize("rule", RULES)
def test_a_step_up_to_the_due_date_resolves_on_time_and_one_after_it_resolves_late(rule: str, offset: int) -> None:
    check_resolution_at(CASES[rule], offset)


@pytest.mark.parametrize("rule", RULES)
def test_retracting_the_step_reopens_the_finding(rule: str) -> None:
    check_reopens_without_resolver(CASES[rule])
