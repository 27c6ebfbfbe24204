"""Finding facts carry dates; status and overdue-ness on a day are comparisons of dates."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from domain.monitors.facts import FindingFact, is_overdue, status_on
from domain.monitors.values import add_months

TRIGGER, DUE = date(2023, 3, 1), date(2023, 3, 31)
DAY = timedelta(days=1)


def fact(resolved_on: date | None = None, overridden: bool = False, due_on: date | None = DUE) -> FindingFact:
    return FindingFact("R-TALK-CONCERN", UUID(int=1), "U1", "k", TRIGGER, due_on, resolved_on, overridden)


def test_a_finding_does_not_exist_before_its_trigger_date() -> None:
    assert status_on(fact(), TRIGGER - DAY) is None
    assert is_overdue(fact(), TRIGGER - DAY) is False


@pytest.mark.parametrize("as_of, overdue", [(DUE - DAY, False), (DUE, False), (DUE + DAY, True)])
def test_an_open_finding_is_overdue_only_after_its_due_date(as_of: date, overdue: bool) -> None:
    assert status_on(fact(), as_of) == "open"
    assert is_overdue(fact(), as_of) is overdue


@pytest.mark.parametrize("resolved_on", [DUE - DAY, DUE, DUE + DAY])
def test_a_finding_is_resolved_from_its_resolution_date_on(resolved_on: date) -> None:
    f = fact(resolved_on)
    assert status_on(f, resolved_on - DAY) == "open"
    assert status_on(f, resolved_on) == "resolved"
    assert not is_overdue(f, resolved_on + 100 * DAY)


def test_an_overridden_finding_is_never_open_nor_overdue() -> None:
    f = fact(overridden=True)
    assert status_on(f, TRIGGER) == "overridden"
    assert not is_overdue(f, DUE + 100 * DAY)


def test_a_finding_without_due_date_is_never_overdue() -> None:
    assert not is_overdue(fact(due_on=None), date.max)


@pytest.mark.parametrize("day, months, expected", [
    (date(2023, 1, 31), 1, date(2023, 2, 28)), (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2023, 3, 10), -12, date(2022, 3, 10)), (date(2023, 11, 30), 3, date(2024, 2, 29)),
    (date(9999, 12, 1), 1, date.max)])
def test_adding_months_keeps_the_day_or_clamps_it_to_the_months_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected
