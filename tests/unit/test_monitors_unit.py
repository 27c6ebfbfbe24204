"""R-RUSH (突击提拔): promotions crowded into the days before a unit's head leaves."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from domain.monitors.facts import EntryFact, FindingFact, is_overdue, status_on
from domain.monitors.registry import unit_findings
from tests.unit.test_monitors_support import CONFIG, DAY, appointed, setting

NEEDED = setting("monitors.rush_promotions")
WINDOW = timedelta(days=setting("monitors.rush_window_days"))
LEFT_ON = date(2022, 6, 30)
HEAD = UUID(int=900)
LEAVING = UUID(int=901)


def promotions(*days: date, manner: str = "提拔") -> list[tuple[UUID, EntryFact]]:
    return [(UUID(int=1000 + n), appointed(day, post="DEP", manner=manner)) for n, day in enumerate(days)]


def rush(appointments: list[tuple[UUID, EntryFact]], departures: list[tuple[UUID, date, UUID]] | None = None
         ) -> list[FindingFact]:
    return unit_findings("U1", appointments, departures if departures is not None else [(HEAD, LEFT_ON, LEAVING)],
                         CONFIG)


INSIDE = [LEFT_ON - DAY * (n + 1) for n in range(NEEDED - 1)]  # all but one promotion, clearly inside


@pytest.mark.parametrize("days_before, counted", [
    (WINDOW + DAY, False), (WINDOW, True), (WINDOW - DAY, True), (DAY, True), (timedelta(0), False)])
def test_a_promotion_counts_when_within_the_window_before_the_day_the_head_left(days_before: timedelta,
                                                                               counted: bool) -> None:
    found = rush(promotions(*INSIDE, LEFT_ON - days_before))
    assert bool(found) is counted


def test_a_rush_is_one_unit_finding_from_the_day_the_head_left_with_the_promotions_as_evidence() -> None:
    appointments = promotions(*INSIDE, LEFT_ON - WINDOW)
    [fact] = rush(appointments)
    assert (fact.rule, fact.cadre_id, fact.unit_code, fact.key) == ("R-RUSH", None, "U1", str(LEAVING))
    assert sorted(fact.evidence) == sorted(e.entry_id for _, e in appointments)
    assert [status_on(fact, d) for d in (LEFT_ON - DAY, LEFT_ON, LEFT_ON + DAY)] == [None, "open", "open"]
    assert fact.due_on is None and not is_overdue(fact, LEFT_ON + 1000 * DAY)


def test_retracting_one_of_the_promotions_withdraws_the_finding() -> None:
    appointments = promotions(*INSIDE, LEFT_ON - DAY)
    assert len(rush(appointments)) == 1
    assert rush(appointments[1:]) == []


def test_lateral_moves_and_the_heads_own_appointment_are_not_counted() -> None:
    lateral = promotions(*INSIDE, manner="轮岗") + promotions(LEFT_ON - DAY)
    assert rush(lateral) == []
    own = [*promotions(*INSIDE), (HEAD, appointed(LEFT_ON - DAY, post="HEAD", manner="提拔"))]
    assert rush(own) == []


def test_two_departure_entries_of_the_head_on_one_day_make_one_finding() -> None:
    departures = [(HEAD, LEFT_ON, LEAVING), (HEAD, LEFT_ON, UUID(int=902))]
    assert len(rush(promotions(*INSIDE, LEFT_ON - DAY), departures)) == 1


def test_a_unit_whose_head_never_left_has_no_rush() -> None:
    assert rush(promotions(*INSIDE, LEFT_ON - DAY), []) == []
