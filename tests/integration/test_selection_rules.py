"""The promotion guards on the cadre's record, judged by the world on the entry's effective date:
R-SANCTION-PERIOD, R-INVESTIGATION, R-RANK-YEARS, R-GRADE-CAP, R-PROMO-YEARS — through the
application, on SQLite and PostgreSQL, with corrections and back-dated entries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from domain.errors import RuleViolationError
from domain.rules.common import add_months, add_years
from service.commands import CorrectEntry, EstablishPost, RecordEntry
from tests import factories as f

DAY = timedelta(days=1)
SANCTIONED_ON = date(2023, 3, 15)


def rank_promotion(day: date, **extra: Any) -> dict[str, Any]:
    return {"effective_on": day.isoformat(), "from_rank": "一级科员", "to_rank": "四级主任科员", **extra}


def first_allowed(app: f.Jishi, track: str = "政务", kind: str = "记过") -> date:
    return add_months(SANCTIONED_ON, app.config.int(f"sanction_period.{track}.{kind}"))


@pytest.mark.parametrize("when", ["well-inside", "last-forbidden", "first-allowed"])
def test_a_rank_promotion_waits_for_the_end_of_the_influence_period(app: f.Jishi, when: str) -> None:
    cadre_id = f.registered(app, rank="一级科员")
    app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction(SANCTIONED_ON.isoformat())), f.HR)
    allowed = first_allowed(app)
    day = {"well-inside": SANCTIONED_ON + timedelta(days=60), "last-forbidden": allowed - DAY,
           "first-allowed": allowed}[when]
    if when == "first-allowed":
        app.handle(RecordEntry(cadre_id, "RankPromoted", rank_promotion(day)), f.HR)
        return
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "RankPromoted", rank_promotion(day)), f.HR)
    assert e.value.rules == ["R-SANCTION-PERIOD"]
    assert f"{allowed - DAY}" in e.value.violations[0].message_zh


def test_an_override_inside_the_influence_period_is_stored_with_the_rule_id(app: f.Jishi) -> None:
    cadre_id = f.registered(app, rank="一级科员")
    app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction(SANCTIONED_ON.isoformat())), f.HR)
    result = app.handle(RecordEntry(cadre_id, "RankPromoted", rank_promotion(
        SANCTIONED_ON + timedelta(days=30), override_reason="处分已被撤销，待补录撤销决定")), f.HR_OVERRIDE)
    assert result.overrides == ("R-SANCTION-PERIOD",)
    event = next(e for e in app.events.get(cadre_id) if e.originator_version == result.version)
    assert event.overrides == ("R-SANCTION-PERIOD",) and event.override_reason.startswith("处分已被撤销")


def test_a_promotion_to_a_post_inside_the_influence_period_is_refused(app: f.Jishi) -> None:
    f.organisation(app)
    cadre_id = f.registered(app)
    appoint_on = date(2024, 6, 3)
    # Sanctioned after the shortlist (judged on its own date, it passed) but before the appointment.
    app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction((appoint_on - timedelta(days=3)).isoformat())), f.HR)
    with pytest.raises(RuleViolationError) as e:
        f.promoted(app, cadre_id, day=appoint_on)
    assert e.value.rules == ["R-SANCTION-PERIOD"]


def test_accountability_bars_a_lateral_move_into_a_leadership_post_for_its_period(app: f.Jishi) -> None:
    f.organisation(app)
    cadre_id = f.registered(app)
    app.handle(RecordEntry(cadre_id, "HandledOrganizationally", {
        "effective_on": SANCTIONED_ON.isoformat(), "kind": "免职", "accountability": True,
        "decision_no": "组〔2023〕2号", "reason": "履职不力被问责"}), f.HR)
    free = add_months(SANCTIONED_ON, app.config.int("sanction_period.问责.免职_no_leadership"))
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "Appointed", f.appointment((free - DAY).isoformat())), f.HR)
    assert e.value.rules == ["R-SANCTION-PERIOD"]
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(free.isoformat())), f.HR)


def test_no_rank_promotion_while_an_investigation_is_open(app: f.Jishi) -> None:
    cadre_id = f.registered(app, rank="一级科员")
    opened = app.handle(RecordEntry(cadre_id, "InvestigationOpened", {"effective_on": "2023-05-01",
                                                                "authority": "县纪委监委"}), f.HR)
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "RankPromoted", rank_promotion(date(2023, 6, 30))), f.HR)
    assert e.value.rules == ["R-INVESTIGATION"]
    app.handle(RecordEntry(cadre_id, "InvestigationClosed", {"effective_on": "2023-07-01", "authority": "县纪委监委",
                                                       "investigation_entry_id": str(opened.entry_id)}), f.HR)
    with pytest.raises(RuleViolationError):
        app.handle(RecordEntry(cadre_id, "RankPromoted", rank_promotion(date(2023, 6, 30))), f.HR)  # still open then
    app.handle(RecordEntry(cadre_id, "RankPromoted", rank_promotion(date(2023, 7, 1))), f.HR)


def test_closing_an_investigation_that_was_never_opened_is_refused(app: f.Jishi) -> None:
    cadre_id = f.registered(app)
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "InvestigationClosed", {"effective_on": "2023-07-01",
                                                                 "authority": "县纪委监委"}), f.HR)
    assert e.value.rules == ["R-SEQ"]


@pytest.mark.parametrize("offset", [-1, 0])
def test_a_rank_promotion_after_the_years_at_the_lower_rank(app: f.Jishi, offset: int) -> None:
    cadre_id = f.registered(app, rank="一级科员", work_started_on="2019-03-01")
    due = add_years(date(2019, 3, 1), app.config.int("rank.default_years"))
    payload = rank_promotion(due + timedelta(days=offset))
    if offset < 0:
        with pytest.raises(RuleViolationError) as e:
            app.handle(RecordEntry(cadre_id, "RankPromoted", payload), f.HR)
        assert e.value.rules == ["R-RANK-YEARS"]
    else:
        app.handle(RecordEntry(cadre_id, "RankPromoted", payload), f.HR)


def test_an_excellent_year_brings_the_rank_promotion_forward(app: f.Jishi) -> None:
    cadre_id = f.registered(app, rank="一级科员", work_started_on="2019-03-01")
    app.handle(RecordEntry(cadre_id, "Assessed", {"effective_on": "2020-01-15", "kind": "年度", "period": "2019",
                                            "grade": "优秀"}), f.HR)
    due = add_months(date(2019, 3, 1), app.config.int("rank.default_years") * 12
                     - app.config.int("rank.excellent_shortens_months"))
    with pytest.raises(RuleViolationError):
        app.handle(RecordEntry(cadre_id, "RankPromoted", rank_promotion(due - DAY)), f.HR)
    app.handle(RecordEntry(cadre_id, "RankPromoted", rank_promotion(due)), f.HR)


def test_a_sanctioned_year_cannot_be_graded_excellent(app: f.Jishi) -> None:
    cadre_id = f.registered(app)
    app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction("2023-05-01", kind="警告")), f.HR)
    grade = {"effective_on": "2024-01-15", "kind": "年度", "period": "2023", "grade": "优秀"}
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "Assessed", grade), f.HR)
    assert e.value.rules == ["R-GRADE-CAP"]
    app.handle(RecordEntry(cadre_id, "Assessed", {**grade, "grade": "称职"}), f.HR)
    stored = app.handle(RecordEntry(cadre_id, "Assessed", {**grade, "period": "2023",
                                                           "override_reason": "处分经复核撤销"}), f.HR_OVERRIDE)
    assert stored.overrides == ("R-GRADE-CAP",)


def test_a_deputy_is_promoted_principal_only_after_the_years_at_deputy_level(app: f.Jishi) -> None:
    f.organisation(app)
    app.handle(EstablishPost("U1", f.post("P2", grade="141", title="部长")), f.HR)
    cadre_id = f.registered(app)
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2021-06-01")), f.HR)  # 副部长 (142)
    due = add_years(date(2021, 6, 1), app.config.int("promotion.deputy_to_principal_years"))
    with pytest.raises(RuleViolationError) as e:
        f.promoted(app, cadre_id, "U1", "P2", due - DAY)
    assert e.value.rules == ["R-PROMO-YEARS"]
    f.promoted(app, cadre_id, "U1", "P2", due)


def test_a_correction_that_moves_a_promotion_into_an_influence_period_is_refused(app: f.Jishi) -> None:
    cadre_id = f.registered(app, rank="一级科员")
    app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction(SANCTIONED_ON.isoformat())), f.HR)
    promoted = app.handle(RecordEntry(cadre_id, "RankPromoted", rank_promotion(first_allowed(app))), f.HR)
    with pytest.raises(RuleViolationError) as e:
        app.handle(CorrectEntry(cadre_id, promoted.entry_id,
                                {"changes": {"effective_on": str(first_allowed(app) - DAY)},
                                                        "reason": "日期录错"}), f.HR)
    assert e.value.rules == ["R-SANCTION-PERIOD"]
    app.handle(CorrectEntry(cadre_id, promoted.entry_id, {"changes": {"effective_on": str(first_allowed(app) + DAY)},
                                                    "reason": "日期录错"}), f.HR)


def test_a_back_dated_sanction_does_not_rewrite_the_promotion_made_before_it_was_known(app: f.Jishi) -> None:
    f.organisation(app)
    cadre_id = f.registered(app, rank="一级科员")
    promotion = f.promoted(app, cadre_id, day=date(2023, 6, 1))
    # Learnt later: a 记过 decided on 2023-03-15 — the promotion fell inside its influence period.
    app.handle(RecordEntry(cadre_id, "Sanctioned", f.sanction(SANCTIONED_ON.isoformat())), f.HR)
    record = app.get_cadre(cadre_id).entries[promotion.entry_id]
    assert record.stands and record.corrections == [] and record.overrides == ()
    [tenure] = app.history(cadre_id).tenures
    assert (tenure.start, tenure.manner) == (date(2023, 6, 1), "提拔")
    # Correcting another field of that promotion is not blocked by what it did not change …
    app.handle(CorrectEntry(cadre_id, promotion.entry_id, {"changes": {"document_no": "组干〔2023〕8号"},
                                                     "reason": "文号录错"}), f.HR)
    # … and what comes after it is judged with the sanction.
    with pytest.raises(RuleViolationError) as e:
        app.handle(RecordEntry(cadre_id, "RankPromoted", rank_promotion(first_allowed(app) - DAY)), f.HR)
    assert e.value.rules == ["R-SANCTION-PERIOD"]
    later = app.eligibility(cadre_id, rank="四级主任科员", on=first_allowed(app) - DAY)
    assert not later.check("R-SANCTION-PERIOD").passed
    assert app.eligibility(cadre_id, rank="四级主任科员", on=first_allowed(app)).check("R-SANCTION-PERIOD").passed
    assert app.eligibility(cadre_id, rank="四级主任科员", on=SANCTIONED_ON - DAY).check("R-SANCTION-PERIOD").passed


def test_existing_lateral_appointments_need_no_case(app: f.Jishi) -> None:
    f.organisation(app)
    cadre_id = f.registered(app)
    assert app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2020-01-01")), f.HR).overrides == ()
