"""Required talks (五必谈): R-TALK-PROMO, -CONCERN, -DEPART, -SANCTION, -HARDSHIP."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.monitors.facts import status_on
from domain.rules.config import RuleConfig
from tests.unit.test_monitors_support import (
    DAY,
    Case,
    appointed,
    departed,
    dismissed,
    entry,
    of_rule,
    only,
    registered,
    run,
    setting,
    talk,
)

TALK_DAYS = timedelta(days=setting("monitors.talk_due_days"))
REG = registered(date(2015, 1, 1))
ON = date(2020, 3, 10)


def _case(rule: str, trigger_entry_type: str, resolve_kind: str, resolve_trigger: str | None = None,
          **values: object) -> Case:
    trigger = entry(trigger_entry_type, ON, **values)
    return Case(rule, (REG, trigger), str(trigger.entry_id), ON, ON + TALK_DAYS,
                lambda day: talk(day, resolve_kind, resolve_trigger))


CASES = {
    "R-TALK-PROMO": _case("R-TALK-PROMO", "Appointed", "任职谈话", unit_code="U1", post_code="CLERK",
                          manner="平职交流"),
    "R-TALK-CONCERN": _case("R-TALK-CONCERN", "ConcernRaised", "五必谈", "苗头问题", description="迟到",
                            reminded=("本人",), severity="轻微"),
    "R-TALK-DEPART": _case("R-TALK-DEPART", "Departed", "离任谈话", reason="调出"),
    "R-TALK-SANCTION": _case("R-TALK-SANCTION", "Sanctioned", "诫勉谈话", track="政务", kind="警告",
                             decision_no="纪〔2020〕1号"),
    "R-TALK-HARDSHIP": _case("R-TALK-HARDSHIP", "HardshipRecorded", "谈心谈话", "重大困难", description="家人重病"),
}


@pytest.mark.parametrize("kind, trigger", [("任前谈话", None), ("任职谈话", None), ("五必谈", "提拔交流调整")])
def test_promotion_talks_of_each_accepted_kind_resolve_r_talk_promo(kind: str, trigger: str | None) -> None:
    a = appointed(ON, manner="提拔", post="HEAD")
    fact = only(run([REG, a, talk(ON + DAY, kind, trigger)]), "R-TALK-PROMO")
    assert fact.resolved_on == ON + DAY


@pytest.mark.parametrize("kind, trigger", [("谈心谈话", None), ("五必谈", "离任"), ("提任回访", None)])
def test_talks_of_other_kinds_do_not_resolve_r_talk_promo(kind: str, trigger: str | None) -> None:
    a = appointed(ON)
    assert only(run([REG, a, talk(ON + DAY, kind, trigger)]), "R-TALK-PROMO").resolved_on is None


@pytest.mark.parametrize("before, resolves", [(TALK_DAYS, True), (TALK_DAYS + DAY, False)])
def test_a_pre_appointment_talk_counts_when_held_at_most_talk_due_days_before(before: timedelta,
                                                                                resolves: bool) -> None:
    a = appointed(ON)
    fact = only(run([REG, talk(ON - before, "任前谈话"), a]), "R-TALK-PROMO")
    assert (fact.resolved_on == ON - before) is resolves
    if resolves:
        assert status_on(fact, ON) == "resolved"


def test_a_talk_linked_to_its_trigger_entry_resolves_it_whatever_its_date() -> None:
    a = appointed(ON)
    early = ON - 3 * TALK_DAYS
    fact = only(run([REG, talk(early, "五必谈", link=a.entry_id), a]), "R-TALK-PROMO")
    assert fact.resolved_on == early


def test_a_talk_linked_to_another_occasion_does_not_resolve_this_one() -> None:
    first, second = appointed(ON - 10 * DAY, post="CLERK"), appointed(ON, post="HEAD", manner="提拔")
    conversation = talk(ON + DAY, "任职谈话", link=first.entry_id)
    findings = run([REG, first, second, conversation])
    assert only(findings, "R-TALK-PROMO", str(first.entry_id)).resolved_on == ON + DAY
    assert only(findings, "R-TALK-PROMO", str(second.entry_id)).resolved_on is None


def test_a_talk_linked_to_an_entry_of_the_same_day_answers_the_whole_move() -> None:
    leave, gone = dismissed(ON, post="CLERK", reason="退休"), departed(ON, reason="退休")
    findings = run([REG, appointed(ON - 400 * DAY), leave, gone, talk(ON, "离任谈话", link=gone.entry_id)])
    assert [f.resolved_on for f in of_rule(findings, "R-TALK-DEPART")] == [ON, ON]


def test_a_talk_linked_to_a_retracted_entry_is_matched_by_its_date() -> None:
    from uuid import uuid4

    a = appointed(ON)
    fact = only(run([REG, a, talk(ON + DAY, "任职谈话", link=uuid4())]), "R-TALK-PROMO")
    assert fact.resolved_on == ON + DAY


def test_a_transfer_dismissal_on_the_day_of_an_appointment_is_covered_by_the_appointments_finding() -> None:
    old, new = appointed(ON - 400 * DAY, post="CLERK"), appointed(ON, post="HEAD")
    findings = run([REG, old, dismissed(ON, post="CLERK", reason="调动"), new])
    assert {f.key for f in of_rule(findings, "R-TALK-PROMO")} == {str(old.entry_id), str(new.entry_id)}


def test_a_transfer_out_without_a_new_post_and_a_secondment_each_need_a_promo_talk() -> None:
    old = appointed(ON - 400 * DAY, post="CLERK")
    out = dismissed(ON, post="CLERK", reason="调动")
    secondment = entry("SecondmentStarted", ON + 5 * DAY, kind="下挂", host="某镇", role="副镇长",
                       planned_end_on=ON + 365 * DAY)
    findings = run([REG, old, out, secondment])
    keys = {f.key for f in of_rule(findings, "R-TALK-PROMO")}
    assert keys == {str(old.entry_id), str(out.entry_id), str(secondment.entry_id)}
    assert only(findings, "R-TALK-PROMO", str(out.entry_id)).unit_code == "U1"


def test_a_dismissal_for_other_reasons_needs_a_departure_talk_but_no_promo_talk() -> None:
    old = appointed(ON - 400 * DAY, post="CLERK")
    leave = dismissed(ON, post="CLERK", reason="问责")
    findings = run([REG, old, leave])
    assert str(leave.entry_id) not in {f.key for f in of_rule(findings, "R-TALK-PROMO")}
    assert only(findings, "R-TALK-DEPART", str(leave.entry_id)).unit_code == "U1"


def test_a_departure_talk_may_only_precede_a_departure_by_talk_due_days() -> None:
    gone = departed(ON, reason="辞职")
    held = talk(ON - TALK_DAYS, "五必谈", "离任")
    assert only(run([REG, held, gone]), "R-TALK-DEPART").resolved_on == ON - TALK_DAYS
    too_early = talk(ON - TALK_DAYS - DAY, "五必谈", "离任")
    assert only(run([REG, too_early, gone]), "R-TALK-DEPART").resolved_on is None


def test_death_needs_no_departure_talk() -> None:
    assert of_rule(run([REG, departed(ON, reason="死亡")]), "R-TALK-DEPART") == []


def test_a_talk_before_the_concern_was_raised_does_not_answer_it() -> None:
    concern = entry("ConcernRaised", ON, description="d", reminded=("本人",), severity="一般")
    assert only(run([REG, talk(ON - DAY, "提醒谈话"), concern]), "R-TALK-CONCERN").resolved_on is None
    assert only(run([REG, talk(ON, "提醒谈话"), concern]), "R-TALK-CONCERN").resolved_on == ON


def test_organisational_handling_needs_a_talk_with_trigger_received_a_sanction() -> None:
    handled = entry("HandledOrganizationally", ON, kind="诫勉", accountability=False, decision_no="d")
    fact = only(run([REG, handled, talk(ON + DAY, "谈心谈话", "受处理处分")]), "R-TALK-SANCTION")
    assert fact.resolved_on == ON + DAY


def test_one_unlinked_talk_answers_every_concern_in_its_window() -> None:
    concerns = [entry("ConcernRaised", ON + n * DAY, description="d", reminded=("导师",), severity="一般")
                for n in range(2)]
    findings = run([REG, *concerns, talk(ON + 5 * DAY, "五必谈", "苗头问题")])
    assert [f.resolved_on for f in of_rule(findings, "R-TALK-CONCERN")] == [ON + 5 * DAY] * 2


def test_the_talk_due_period_comes_from_the_configuration() -> None:
    config = RuleConfig.from_toml("[monitors]\ntalk_due_days = 10\n")
    hardship = entry("HardshipRecorded", ON, description="d")
    assert only(run([REG, hardship], config=config), "R-TALK-HARDSHIP").due_on == ON + timedelta(days=10)


def test_a_talk_owed_after_an_overriding_appointment_is_still_open_and_only_the_override_is_overridden() -> None:
    a = appointed(ON, post="HEAD", manner="提拔", overrides=("R-SANCTION-PERIOD",))
    found = run([REG, a])
    fact = only(found, "R-TALK-PROMO")
    assert not fact.overridden and status_on(fact, ON) == "open"
    assert fact.unit_code == "U1" and fact.evidence == (a.entry_id,)
    assert status_on(only(found, "R-OVERRIDE"), ON) == "overridden"


def test_a_talk_after_an_overriding_appointment_resolves_its_finding_the_ordinary_way() -> None:
    a = appointed(ON, post="HEAD", manner="提拔", overrides=("R-SANCTION-PERIOD",))
    fact = only(run([REG, a, talk(ON + 5 * DAY, "任前谈话")]), "R-TALK-PROMO")
    assert not fact.overridden and status_on(fact, ON + 5 * DAY) == "resolved"
