"""R-DUAL-POST at its boundaries, and the posts an appointment ends (任…免…) as the monitors see them."""

from __future__ import annotations

from datetime import date

from domain.monitors.facts import is_overdue, status_on
from domain.monitors.timeline import Timeline
from tests.unit.test_monitors_support import (
    CADRE,
    DAY,
    POSTS,
    appointed,
    departed,
    dismissed,
    of_rule,
    only,
    registered,
    run,
    setting,
    talk,
)

REG = registered(date(2015, 1, 1))
FIRST = date(2019, 4, 1)
SECOND = date(2021, 9, 15)


def test_a_second_leadership_post_without_leaving_the_first_is_a_finding_due_at_once() -> None:
    deputy = appointed(FIRST, post="DEP")
    county = appointed(SECOND, post="COUNTY", unit="U2")
    fact = only(run([REG, deputy, county]), "R-DUAL-POST")
    assert (fact.trigger_on, fact.due_on, fact.unit_code) == (SECOND, SECOND, "U2")
    assert fact.evidence == (deputy.entry_id, county.entry_id)
    assert [status_on(fact, d) for d in (SECOND - DAY, SECOND, SECOND + DAY)] == [None, "open", "open"]
    assert [is_overdue(fact, d) for d in (SECOND, SECOND + DAY)] == [False, True]
    assert "均非兼任" in fact.detail


def test_dismissing_either_post_resolves_it_on_the_day_the_overlap_ends() -> None:
    deputy, county = appointed(FIRST, post="DEP"), appointed(SECOND, post="COUNTY", unit="U2")
    for ender in (dismissed(SECOND + 30 * DAY, post="DEP"), dismissed(SECOND + 30 * DAY, post="COUNTY", unit="U2"),
                  departed(SECOND + 30 * DAY)):
        fact = only(run([REG, deputy, county, ender]), "R-DUAL-POST")
        assert (fact.resolved_on, fact.resolution) == (SECOND + 30 * DAY, (ender.entry_id,))
        assert status_on(fact, SECOND + 29 * DAY) == "open" and status_on(fact, SECOND + 30 * DAY) == "resolved"


def test_a_post_left_on_the_day_the_next_begins_never_overlaps_it() -> None:
    moved = [REG, appointed(FIRST, post="DEP"), dismissed(SECOND, post="DEP"), appointed(SECOND, post="HEAD")]
    assert of_rule(run(moved), "R-DUAL-POST") == []
    leaving = dismissed(SECOND + DAY, post="DEP")  # left one day late: one day of two posts
    fact = only(run([*moved[:2], appointed(SECOND, post="HEAD"), leaving]), "R-DUAL-POST")
    assert (fact.trigger_on, fact.resolved_on) == (SECOND, SECOND + DAY)


def test_an_appointment_that_ends_the_old_post_itself_holds_one_post() -> None:
    deputy = appointed(FIRST, post="DEP")
    head = appointed(SECOND, post="HEAD", ends_posts=("U1/DEP",), ends_reason="提拔", manner="提拔")
    assert of_rule(run([REG, deputy, head]), "R-DUAL-POST") == []


def test_a_concurrent_post_is_no_finding_and_neither_is_a_non_leadership_post() -> None:
    deputy = appointed(FIRST, post="DEP")
    assert of_rule(run([REG, deputy, appointed(SECOND, post="COUNTY", unit="U2", manner="兼任")]), "R-DUAL-POST") == []
    assert of_rule(run([REG, appointed(FIRST, post="DEP", manner="兼任"), appointed(SECOND, post="COUNTY",
                                                                                  unit="U2")]), "R-DUAL-POST") == []
    assert of_rule(run([REG, deputy, appointed(SECOND, post="CLERK")]), "R-DUAL-POST") == []


def test_three_leadership_posts_at_once_are_a_finding_for_each_pair() -> None:
    entries = [REG, appointed(FIRST, post="DEP"), appointed(SECOND, post="HEAD"),
               appointed(SECOND + DAY, post="COUNTY", unit="U2")]
    found = of_rule(run(entries), "R-DUAL-POST")
    assert len(found) == 3 and len({f.key for f in found}) == 3


def test_ending_posts_in_an_appointment_closes_their_tenures_that_day() -> None:
    deputy, clerk = appointed(FIRST, post="DEP"), appointed(FIRST, post="CLERK")
    head = appointed(SECOND, post="HEAD", manner="提拔", ends_posts=("U1/DEP", "U1/CLERK"), ends_reason="提拔")
    tl = Timeline.build(CADRE, [REG, deputy, clerk, head], POSTS)
    ends = {(t.post_code, t.end, t.ended_by) for t in tl.tenures}
    assert ends == {("DEP", SECOND, head.entry_id), ("CLERK", SECOND, head.entry_id), ("HEAD", None, None)}
    assert tl.unit_on(SECOND) == "U1" and not any(t.covers(SECOND) for t in tl.tenures if t.post_code == "DEP")


def test_a_post_the_appointment_names_but_the_cadre_does_not_hold_is_ignored_as_a_mismatched_dismissal_is() -> None:
    head = appointed(SECOND, post="HEAD", ends_posts=("U1/DEP",), ends_reason="调动")
    tl = Timeline.build(CADRE, [REG, head], POSTS)
    assert [(t.post_code, t.end) for t in tl.tenures] == [("HEAD", None)]


def test_leaving_posts_through_an_appointment_needs_a_departure_talk() -> None:
    deputy = appointed(FIRST, post="DEP")
    move = appointed(SECOND, post="COUNTY", unit="U2", ends_posts=("U1/DEP",), ends_reason="调动")
    fact = only(run([REG, deputy, move]), "R-TALK-DEPART", str(move.entry_id))
    due = SECOND + setting("monitors.talk_due_days") * DAY
    assert (fact.trigger_on, fact.due_on, fact.unit_code) == (SECOND, due, "U1")
    farewell = talk(SECOND, "离任谈话")
    resolved = only(run([REG, deputy, move, farewell]), "R-TALK-DEPART", str(move.entry_id))
    assert resolved.resolution == (farewell.entry_id,)
    assert of_rule(run([REG, deputy, appointed(SECOND, post="COUNTY", unit="U2")]), "R-TALK-DEPART") == []
