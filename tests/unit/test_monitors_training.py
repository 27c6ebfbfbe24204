"""Training monitors: R-TRAIN-INITIAL (凡进必训), R-TRAIN-POST (应训必训), R-TRAIN-HOURS."""

from __future__ import annotations

from datetime import date

import pytest

from domain.monitors.facts import is_overdue, status_on
from domain.monitors.values import add_months
from tests.unit.test_monitors_support import (
    DAY,
    Case,
    appointed,
    departed,
    entry,
    of_rule,
    only,
    registered,
    run,
    setting,
    training,
)

ON = date(2020, 3, 10)
REG = registered(date(2015, 1, 1))
TOWNSHIP_HOURS = setting("training.township_hours_per_year")
COUNTY_HOURS = setting("training.county_hours_per_5_years")
INITIAL_MONTHS = setting("monitors.initial_training_months")
POST_MONTHS = setting("monitors.post_training_months")

_new_entrant = registered(date(2020, 7, 1), channel="考试录用")
_promotion = appointed(ON, post="HEAD", manner="提拔")
_recent = registered(date(2020, 6, 1), rank="一级科员")
CASES = {
    "R-TRAIN-INITIAL": Case("R-TRAIN-INITIAL", (_new_entrant,), str(_new_entrant.entry_id), date(2020, 7, 1),
                            add_months(date(2020, 7, 1), INITIAL_MONTHS), lambda day: training(day, "初任培训")),
    "R-TRAIN-POST": Case("R-TRAIN-POST", (REG, _promotion), str(_promotion.entry_id), ON,
                         add_months(ON, POST_MONTHS), lambda day: training(day, "任职培训")),
    # a 补训 after the year counts toward it, late
    "R-TRAIN-HOURS": Case("R-TRAIN-HOURS", (_recent,), "2021", date(2021, 1, 1), date(2021, 12, 31),
                          lambda day: training(day, hours=TOWNSHIP_HOURS, makeup=day.year > 2021),
                          horizon=date(2022, 12, 31)),
}


@pytest.mark.parametrize("channel, needed", [("考试录用", True), ("定向选调生", True), ("应届选调生", True),
                                             ("调任", False), ("转任", False), ("军转安置", False)])
def test_only_new_entrants_need_initial_training(channel: str, needed: bool) -> None:
    findings = run([registered(ON, channel=channel)])
    assert bool(of_rule(findings, "R-TRAIN-INITIAL")) is needed


def test_a_failed_training_resolves_nothing() -> None:
    reg = registered(ON, channel="考试录用")
    fact = only(run([reg, training(ON + DAY, "初任培训", passed=False)]), "R-TRAIN-INITIAL")
    assert fact.resolved_on is None


@pytest.mark.parametrize("months_before, counts", [(POST_MONTHS, True), (POST_MONTHS + 1, False)])
def test_post_training_may_precede_the_promotion_by_post_training_months(months_before: int, counts: bool) -> None:
    before = add_months(ON, -months_before)
    fact = only(run([REG, training(before, "任职培训"), _promotion]), "R-TRAIN-POST")
    assert (fact.resolved_on == before) is counts


def test_a_lateral_move_needs_no_post_training() -> None:
    assert of_rule(run([REG, appointed(ON, post="HEAD", manner="轮岗")]), "R-TRAIN-POST") == []


@pytest.mark.parametrize("hours, met", [(TOWNSHIP_HOURS - 1, False), (TOWNSHIP_HOURS, True)])
def test_a_township_cadre_meets_the_year_at_exactly_the_required_hours(hours: int, met: bool) -> None:
    half = hours // 2
    first, second = training(date(2021, 3, 1), hours=half), training(date(2021, 9, 1), hours=hours - half)
    fact = only(run([_recent, first, second], date(2021, 12, 31)), "R-TRAIN-HOURS", "2021")
    assert (fact.resolved_on == date(2021, 9, 1)) is met
    assert fact.resolution == ((first.entry_id, second.entry_id) if met else ())
    assert is_overdue(fact, date(2022, 1, 1)) is not met


def test_ordinary_training_in_the_next_year_does_not_count_for_the_last() -> None:
    fact = only(run([_recent, training(date(2022, 1, 1), hours=TOWNSHIP_HOURS)], date(2022, 12, 31)),
                "R-TRAIN-HOURS", "2021")
    assert fact.resolved_on is None


def test_hours_years_run_from_the_first_full_year_to_the_horizons_year() -> None:
    findings = of_rule(run([_recent], date(2023, 6, 30)), "R-TRAIN-HOURS")
    assert [f.key for f in findings] == ["2021", "2022", "2023"]
    assert findings[-1].due_on == date(2023, 12, 31)
    assert status_on(findings[-1], date(2023, 6, 30)) == "open"


def test_a_year_in_which_the_cadre_departs_is_not_checked() -> None:
    findings = of_rule(run([_recent, departed(date(2022, 12, 31))], date(2023, 6, 30)), "R-TRAIN-HOURS")
    assert [f.key for f in findings] == ["2021"]


def test_county_level_cadres_are_checked_over_five_year_cycles() -> None:
    reg = registered(date(2015, 1, 1), rank="四级调研员")
    spread = [training(date(2020 + n, 5, 1), hours=COUNTY_HOURS // 5) for n in range(4)]
    last = training(date(2024, 5, 1), hours=COUNTY_HOURS - 4 * (COUNTY_HOURS // 5))
    findings = of_rule(run([reg, *spread, last], date(2024, 12, 31)), "R-TRAIN-HOURS")
    assert [(f.key, f.trigger_on, f.due_on) for f in findings] == [
        ("2015-2019", date(2015, 1, 1), date(2019, 12, 31)), ("2020-2024", date(2020, 1, 1), date(2024, 12, 31))]
    assert findings[0].resolved_on is None and findings[1].resolved_on == date(2024, 5, 1)


def test_a_cycle_in_progress_at_the_horizon_is_reported_with_its_final_due_date() -> None:
    reg = registered(date(2019, 12, 1), rank="三级调研员")
    fact = only(run([reg], date(2021, 3, 1)), "R-TRAIN-HOURS")
    assert (fact.key, fact.due_on) == ("2020-2024", date(2024, 12, 31))
    assert not is_overdue(fact, date(2021, 3, 1))


def test_a_cadre_promoted_to_county_level_starts_a_cycle_the_next_first_of_january() -> None:
    reg = registered(date(2019, 12, 1), rank="一级主任科员")
    promoted = appointed(date(2021, 2, 1), unit="U2", post="COUNTY", manner="提拔")
    keys = [f.key for f in of_rule(run([reg, promoted], date(2022, 12, 31)), "R-TRAIN-HOURS")]
    assert keys == ["2020", "2021", "2022-2026"]


def test_a_township_leader_post_counts_as_township_level_whatever_the_rank() -> None:
    reg = registered(date(2019, 12, 1), rank="一级主任科员")
    keys = [f.key for f in of_rule(run([reg, appointed(date(2020, 1, 1), post="HEAD")], date(2020, 12, 31)),
                                   "R-TRAIN-HOURS")]
    assert keys == ["2020"]


def test_a_makeup_training_goes_to_the_earliest_short_year_before_it() -> None:
    makeup = training(date(2023, 2, 1), hours=TOWNSHIP_HOURS, makeup=True)
    findings = of_rule(run([_recent, makeup], date(2023, 12, 31)), "R-TRAIN-HOURS")
    assert [(f.key, f.resolved_on) for f in findings] == [
        ("2021", date(2023, 2, 1)), ("2022", None), ("2023", None)]


def test_training_hours_findings_have_no_trigger_entry_but_the_cadres_unit() -> None:
    a = appointed(date(2020, 6, 1), post="DEP")
    fact = only(run([_recent, a, entry("DevelopmentLogged", ON, author="x", note="y")], date(2021, 12, 31)),
                "R-TRAIN-HOURS", "2021")
    assert (fact.unit_code, fact.evidence, fact.overridden) == ("U1", (), False)
