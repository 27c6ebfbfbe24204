"""The pieces of R-RETROACTIVE's impact (domain/retroactive.py) on records built in memory: the roster days
that differ within the past the record spoke of, and the findings compared only there."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

from domain.history import derive
from domain.retroactive import finding_changes, roster_changes
from domain.rules.config import RuleConfig
from tests import factories as f

DAY = timedelta(days=1)


def appointed(day: date, post_code: str = "P1") -> f.EntryRecord:
    return f.record("Appointed", day, unit_code="U1", post_code=post_code, manner="平职交流")


def test_a_later_start_of_a_post_changes_the_days_in_between_and_no_other() -> None:
    cadre = uuid4()
    registered = f.registration()
    old = derive([registered, appointed(date(2024, 3, 1))])
    new = derive([registered, appointed(date(2024, 3, 20))])
    [change] = roster_changes(cadre, old, new, (date(2020, 1, 1), date(2025, 1, 1)))
    assert (change.post_code, change.start_on, change.end_on) == ("P1", date(2024, 3, 1), date(2024, 3, 19))
    assert (change.held_before, change.held_after) == (True, False)


def test_the_roster_days_are_cut_to_the_past_the_record_spoke_of() -> None:
    cadre = uuid4()
    registered = f.registration()
    old = derive([registered])
    new = derive([registered, appointed(date(2024, 3, 1))])
    begun, recorded = date(2024, 6, 1), date(2024, 9, 1)
    [change] = roster_changes(cadre, old, new, (begun, recorded))
    assert (change.start_on, change.end_on, change.held_after) == (begun, recorded - DAY, True)
    assert roster_changes(cadre, old, new, (recorded, recorded)) == []  # a record loaded with its history


def test_a_change_that_reverses_within_the_window_is_two_spans() -> None:
    cadre = uuid4()
    registered = f.registration()
    moved_on = f.record("Dismissed", date(2024, 5, 1), unit_code="U1", post_code="P1", reason="调动")
    old = derive([registered, appointed(date(2024, 3, 1)), moved_on])
    new = derive([registered, appointed(date(2024, 3, 10)), f.record(
        "Dismissed", date(2024, 5, 10), unit_code="U1", post_code="P1", reason="调动")])
    spans = roster_changes(cadre, old, new, (date(2024, 1, 1), date(2025, 1, 1)))
    assert [(s.start_on, s.end_on, s.held_after) for s in spans] == [
        (date(2024, 3, 1), date(2024, 3, 9), False), (date(2024, 5, 1), date(2024, 5, 9), True)]


def test_findings_are_not_compared_when_the_record_did_not_speak_of_the_past_yet() -> None:
    from domain.retroactive import Lookups

    lookups = Lookups(lambda unit_code, post_code: None, lambda code: None)
    registered = f.registration()
    sanction = f.record("Sanctioned", date(2024, 3, 1), track="政务", kind="记过", decision_no="纪1", reason="x")
    config = RuleConfig.defaults()
    today = date(2024, 9, 1)
    assert finding_changes(uuid4(), [registered], [registered, sanction], (today, today), lookups, config) == []
    opened = finding_changes(uuid4(), [registered], [registered, sanction], (date(2024, 1, 1), today), lookups,
                             config)
    assert [(c.rule, c.before) for c in opened] == [("R-TALK-SANCTION", None)]
