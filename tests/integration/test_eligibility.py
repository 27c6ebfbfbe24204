"""资格测算: for a cadre and a target post or rank on a date, every relevant guard with pass or fail
and a reason in Chinese (English in brackets)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.errors import NotFoundError, ValidationError
from domain.rules.common import add_months, add_years
from service.commands import EstablishPost, RecordEntry
from tests import factories as f
from tests.conftest import AppFactory

DAY = timedelta(days=1)


def test_a_clean_cadre_is_eligible_for_a_post_one_level_up_and_every_check_says_why(app: f.Jishi) -> None:
    f.organisation(app)  # U1/P1: 乡科级副职 (142); the cadre is a 一级科员 (科员级)
    cadre_id = f.registered(app, rank="一级科员")
    result = app.eligibility(cadre_id, post=("U1", "P1"), on=date(2024, 5, 1))
    assert result.eligible
    assert [c.rule for c in result.checks] == ["R-SEQ", "R-ELIGIBLE", "R-SANCTION-PERIOD", "R-INVESTIGATION",
                                               "R-PROMO-YEARS", "R-LEAP"]
    assert result.target["manner"] == "提拔"
    assert result.check("R-SANCTION-PERIOD").reasons == ("无处分影响期 (no influence period)",)
    assert "晋升1个层次" in result.check("R-LEAP").reasons[0]
    assert result.as_dict()["checks"][0]["passed"] is True


@pytest.mark.parametrize(("when", "passes"), [("well-inside", False), ("last-forbidden", False),
                                               ("first-allowed", True)])
def test_eligibility_follows_the_configured_influence_period(app: f.Jishi, when: str, passes: bool) -> None:
    f.organisation(app)
    cadre_id = f.registered(app, rank="一级科员")
    start = date(2022, 11, 30)
    app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction(start.isoformat(), track="党纪", kind="严重警告")), f.HR)
    allowed = add_months(start, app.config.int("sanction_period.党纪.严重警告"))
    on = {"well-inside": start + timedelta(days=100), "last-forbidden": allowed - DAY, "first-allowed": allowed}[when]
    result = app.eligibility(cadre_id, post=("U1", "P1"), on=on)
    check = result.check("R-SANCTION-PERIOD")
    assert check.passed is passes and result.check("R-ELIGIBLE").passed is passes
    if passes:
        assert check.reasons == (f"处分影响期已于{allowed - DAY}结束 (influence period ended on {allowed - DAY})",)
    else:
        assert check.reasons[0].startswith(f"处分影响期至{allowed - DAY}")
        assert f"(influence period until {allowed - DAY}" in check.reasons[0]


def test_rank_eligibility_names_the_day_the_years_are_complete(app: f.Jishi) -> None:
    cadre_id = f.registered(app, rank="一级科员", work_started_on="2022-09-01")
    due = add_years(date(2022, 9, 1), app.config.int("rank.default_years"))
    early = app.eligibility(cadre_id, rank="四级主任科员", on=due - DAY)
    assert not early.eligible and not early.check("R-RANK-YEARS").passed
    assert f"{due}起方可晋升" in early.check("R-RANK-YEARS").reasons[0]
    assert app.eligibility(cadre_id, rank="四级主任科员", on=due).eligible


def test_an_open_investigation_and_a_poor_grade_last_year_are_reported(app: f.Jishi) -> None:
    f.organisation(app)
    cadre_id = f.registered(app, rank="一级科员")
    app.handle(RecordEntry(cadre_id, "Assessed", {"effective_on": "2023-01-10", "kind": "年度", "period": "2022",
                                            "grade": "基本称职"}), f.HR)
    app.handle(RecordEntry(cadre_id, "InvestigationOpened", {"effective_on": "2023-02-01", "authority": "市纪委监委"}),
               f.HR)
    result = app.eligibility(cadre_id, post=("U1", "P1"), on=date(2023, 3, 1))
    assert not result.check("R-INVESTIGATION").passed
    reasons = " ".join(result.check("R-ELIGIBLE").reasons)
    assert "上一年度（2022）考核为基本称职" in reasons and "立案审查" in reasons


def test_a_post_two_levels_up_is_a_leap(app: f.Jishi) -> None:
    f.organisation(app)
    app.handle(EstablishPost("U1", f.post("P2", grade="141", title="部长")), f.HR)
    cadre_id = f.registered(app, rank="一级科员")  # 一级科员: 科员级
    result = app.eligibility(cadre_id, post=("U1", "P2"), on=date(2024, 5, 1))
    assert not result.check("R-LEAP").passed and "越级" in result.check("R-LEAP").reasons[0]


def test_a_departed_cadre_or_a_post_already_held_is_not_eligible(app: f.Jishi) -> None:
    f.organisation(app)
    cadre_id = f.registered(app)
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2021-01-01")), f.HR)
    held = app.eligibility(cadre_id, post=("U1", "P1"), on=date(2022, 1, 1))
    assert not held.eligible and "已担任" in held.checks[-1].reasons[0]
    app.handle(RecordEntry(cadre_id, "Departed", {"effective_on": "2023-07-01", "reason": "调出"}), f.HR)
    gone = app.eligibility(cadre_id, rank="四级主任科员", on=date(2023, 7, 1))
    assert not gone.eligible and gone.check("R-SEQ").reasons == ("已于2023-07-01离职 (departed on 2023-07-01)",)
    assert app.eligibility(cadre_id, rank="四级主任科员", on=date(2023, 6, 30)).check("R-SEQ").passed


def test_the_target_must_be_a_post_or_a_higher_rank(app: f.Jishi) -> None:
    cadre_id = f.registered(app)
    with pytest.raises(ValidationError):
        app.eligibility(cadre_id)
    with pytest.raises(ValidationError):
        app.eligibility(cadre_id, post=("U1", "P1"), rank="四级主任科员")
    with pytest.raises(ValidationError):
        app.eligibility(cadre_id, rank="处长")
    assert not app.eligibility(cadre_id, rank="二级科员", on=date(2020, 1, 1)).eligible
    assert not app.eligibility(cadre_id, post=("U1", "NOPE"), on=date(2020, 1, 1)).eligible
    with pytest.raises(NotFoundError):
        app.eligibility(f.UUID(int=4), rank="四级主任科员")


def test_without_a_date_eligibility_is_as_of_today(make_app: AppFactory) -> None:
    today = date(2024, 5, 10)
    app = make_app(clock=lambda: datetime(2024, 5, 10, 4, tzinfo=UTC))
    cadre_id = f.registered(app, rank="一级科员", work_started_on="2022-05-10")
    result = app.eligibility(cadre_id, rank="四级主任科员")
    assert result.on == today and result.eligible
