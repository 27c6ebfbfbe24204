"""R-EXCELLENT-QUOTA through the application, on both backends: participants counted from the unit's
posts on the period's last day or as recorded, the 优秀 of the round counted with the entry, kept
right through corrections and retractions, and two 优秀 racing at the limit."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

import pytest

from domain.assessment_round import AssessmentRound
from domain.errors import ConcurrencyError, PermissionDeniedError, RuleViolationError, ValidationError
from domain.ids import assessment_round_id
from service.application import Jishi
from service.commands import (
    CorrectEntry,
    EstablishPost,
    RecordAssessmentParticipants,
    RecordEntry,
    RegisterUnit,
    RetractEntry,
)
from service.unit_of_work import UnitOfWork
from tests import factories as f
from tests.conftest import AppFactory
from tests.integration.test_concurrency_and_idempotency import RacingJishi

APPROVAL = "经市考核委员会批准（市考委〔2024〕3号）"


def staffed(app: Jishi, holders: int, unit: str = "U1", *, since: str = "2020-01-01") -> list[UUID]:
    """A unit with one post of ``holders`` seats, each held since ``since`` by a cadre of its own."""
    app.handle(RegisterUnit(f.unit(unit)), f.HR)
    app.handle(EstablishPost(unit, f.post("P1", establishment=holders, leadership=False, probation=False)), f.HR)
    cadres = []
    for n in range(holders):
        cadre_id = f.registered(app, f"{unit}-{n}")
        app.handle(RecordEntry(cadre_id, "Appointed", f.appointment(since, unit)), f.HR)
        cadres.append(cadre_id)
    return cadres


def assess(app: Jishi, cadre_id: UUID, grade: str = "优秀", period: str = "2023", by: Any = f.HR,
           **extra: Any) -> Any:
    return app.handle(RecordEntry(cadre_id, "Assessed", {"effective_on": f"{int(period) + 1}-01-15", "kind": "年度",
                                                   "period": period, "grade": grade, **extra}), by)


def tally(app: Jishi, unit: str = "U1", period: str = "2023") -> int:
    found = UnitOfWork(app).find(AssessmentRound, assessment_round_id(unit, "年度", period))
    return len(found.excellent) if found is not None else 0


def refused_hard(error: RuleViolationError) -> bool:
    return error.rules == ["R-EXCELLENT-QUOTA"] and "不得例外放行" in error.violations[0].message_zh


def test_one_excellent_of_five_holders_is_within_and_a_second_is_refused_outright(app: Jishi) -> None:
    first, second, *_ = staffed(app, 5)
    assert assess(app, first).overrides == ()
    with pytest.raises(RuleViolationError) as refused:
        assess(app, second, override_reason=APPROVAL, by=f.HR_OVERRIDE)  # 2 of 5 = 40 %: no approval allows it
    assert refused_hard(refused.value) and refused.value.violations[0].field == "grade"
    assert tally(app) == 1


def test_just_over_a_fifth_needs_an_override_naming_the_approval_number(app: Jishi) -> None:
    cadres = staffed(app, 9)  # 2 of 9 = 22 %
    assess(app, cadres[0])
    with pytest.raises(RuleViolationError) as refused:
        assess(app, cadres[1])
    assert "须经批准" in str(refused.value)
    with pytest.raises(RuleViolationError):
        assess(app, cadres[1], override_reason="工作突出", by=f.HR_OVERRIDE)  # names no 批准文号
    with pytest.raises(PermissionDeniedError):
        assess(app, cadres[1], override_reason=APPROVAL)  # this user may not override
    stored = assess(app, cadres[1], override_reason=APPROVAL, by=f.HR_OVERRIDE)
    assert stored.overrides == ("R-EXCELLENT-QUOTA",)
    assert app.get_cadre(cadres[1]).entries[stored.entry_id].values["grade"] == "优秀"
    with pytest.raises(RuleViolationError) as third:
        assess(app, cadres[2], override_reason=APPROVAL, by=f.HR_OVERRIDE)  # 3 of 9 = 33 %
    assert refused_hard(third.value)


def test_participants_are_those_holding_a_post_of_the_unit_on_the_last_day_of_the_period(app: Jishi) -> None:
    cadres = staffed(app, 5)
    app.handle(RecordEntry(cadres[4], "Dismissed", f.dismissal("2023-12-31")), f.HR)  # gone on the last day: 4 remain
    assess(app, cadres[0], override_reason=APPROVAL, by=f.HR_OVERRIDE)  # 1 of 4 = 25 %: with approval
    with pytest.raises(RuleViolationError) as refused:
        assess(app, cadres[1])
    assert "占参加考核4人" in str(refused.value)
    assert assess(app, cadres[1], period="2022").overrides == ()  # 2022: five held the post, another round


def test_a_cadre_holding_no_post_on_the_last_day_counts_in_no_round(app: Jishi) -> None:
    cadre_id = f.registered(app)
    assert assess(app, cadre_id).overrides == ()


def test_a_recorded_participant_count_replaces_the_post_holders(app: Jishi) -> None:
    cadres = staffed(app, 5)
    app.handle(RecordAssessmentParticipants("U1", f.participants("2023", 20)), f.HR)
    for cadre_id in cadres[:4]:  # 4 of 20 = 20 %
        assert assess(app, cadre_id).overrides == ()
    with pytest.raises(RuleViolationError) as refused:
        assess(app, cadres[4])
    assert "组考〔2021〕1号" in str(refused.value)  # the count's 文号 is named
    assert assess(app, cadres[4], override_reason=APPROVAL, by=f.HR_OVERRIDE).overrides == ("R-EXCELLENT-QUOTA",)
    assert app.assessment_round("U1", "2023").excellent == 5


def test_a_recorded_count_that_would_leave_the_round_over_a_quarter_is_refused(app: Jishi) -> None:
    cadres = staffed(app, 5)
    app.handle(RecordAssessmentParticipants("U1", f.participants("2023", 10)), f.HR)
    assess(app, cadres[0])
    assess(app, cadres[1])  # 2 of 10
    with pytest.raises(RuleViolationError) as refused:
        app.handle(RecordAssessmentParticipants("U1", f.participants("2023", 7, "县考委〔2024〕2号")), f.HR_OVERRIDE)
    assert refused_hard(refused.value) and refused.value.violations[0].field == "participants"
    stored = app.handle(RecordAssessmentParticipants("U1", f.participants("2023", 9, "县考委〔2024〕2号",
                                                                          override_reason=APPROVAL)), f.HR_OVERRIDE)
    assert stored.overrides == ("R-EXCELLENT-QUOTA",)  # 2 of 9
    assert app.assessment_round("U1", "2023").participants == 9


def test_a_participant_count_is_validated_like_an_entry(app: Jishi) -> None:
    staffed(app, 1)
    for bad, field in ((f.participants("2023", 0), "participants"), ({**f.participants("2023", 5), "period": "2023年"},
                                                                      "period"),
                       ({k: v for k, v in f.participants("2023", 5).items() if k != "document_no"}, "document_no")):
        with pytest.raises(ValidationError) as refused:
            app.handle(RecordAssessmentParticipants("U1", bad), f.HR)
        assert field in [e.loc for e in refused.value.errors]
    with pytest.raises(RuleViolationError) as unknown:
        app.handle(RecordAssessmentParticipants("NOPE", f.participants("2023", 5)), f.HR)
    assert unknown.value.rules == ["R-SEQ"]


def test_correcting_a_grade_to_excellent_is_judged_and_correcting_it_away_frees_the_place(app: Jishi) -> None:
    first, second, *_ = staffed(app, 5)
    assess(app, first)
    competent = assess(app, second, grade="称职")
    with pytest.raises(RuleViolationError):
        app.handle(CorrectEntry(second, competent.entry_id, {"changes": {"grade": "优秀"}, "reason": "复核"}), f.HR)
    excellent = app.get_cadre(first).standing_entries()[-1]
    app.handle(CorrectEntry(first, excellent.entry_id, {"changes": {"grade": "称职"}, "reason": "复核"}), f.HR)
    assert tally(app) == 0
    app.handle(CorrectEntry(second, competent.entry_id, {"changes": {"grade": "优秀"}, "reason": "复核"}), f.HR)
    assert tally(app) == 1


def test_a_correction_that_changes_nothing_the_quota_reads_passes_even_when_the_round_is_now_over(
        app: Jishi) -> None:
    cadres = staffed(app, 5)
    first = assess(app, cadres[0])
    app.handle(RecordEntry(cadres[4], "Dismissed", f.dismissal("2023-06-30")), f.HR)  # back-dated: 1 of 4 now
    app.handle(CorrectEntry(cadres[0], first.entry_id, {"changes": {"remarks": "表现突出"}, "reason": "补充评语"}),
               f.HR)
    assert tally(app) == 1


def test_moving_an_excellent_to_another_period_moves_it_between_rounds(app: Jishi) -> None:
    first, second, *_ = staffed(app, 5)
    stored = assess(app, first)
    app.handle(CorrectEntry(first, stored.entry_id, {"changes": {"period": "2022", "effective_on": "2023-01-15"},
                                               "reason": "期间录错"}), f.HR)
    assert (tally(app, period="2023"), tally(app, period="2022")) == (0, 1)
    assess(app, second)  # 2023 has room again


def test_a_retracted_excellent_leaves_the_round_and_retracting_a_correction_is_judged_again(app: Jishi) -> None:
    first, second, *_ = staffed(app, 5)
    stored = assess(app, first)
    app.handle(RetractEntry(first, stored.entry_id, {"reason": "误录"}), f.HR)
    assert tally(app) == 0
    again = assess(app, second, grade="称职")
    corrected = app.handle(CorrectEntry(second, again.entry_id, {"changes": {"grade": "优秀"}, "reason": "复核"}), f.HR)
    assert tally(app) == 1
    app.handle(RetractEntry(second, corrected.entry_id, {"reason": "复核有误"}), f.HR)  # back to 称职
    assert tally(app) == 0
    fresh = assess(app, first, grade="称职")
    app.handle(CorrectEntry(first, fresh.entry_id, {"changes": {"grade": "优秀"}, "reason": "复核"}), f.HR)
    withdrawn = app.handle(CorrectEntry(first, fresh.entry_id, {"changes": {"grade": "称职"}, "reason": "再次复核"}),
                           f.HR)
    assess(app, second)
    with pytest.raises(RuleViolationError) as refused:  # undoing the second correction would make 2 of 5
        app.handle(RetractEntry(first, withdrawn.entry_id, {"reason": "撤回复核"}), f.HR)
    assert refused_hard(refused.value)


def test_a_refusal_never_rests_on_a_counted_entry_that_no_longer_counts(app: Jishi) -> None:
    cadres = staffed(app, 6)
    assess(app, cadres[0])  # 1 of 6
    app.handle(RecordEntry(cadres[0], "Dismissed", f.dismissal("2023-06-30")),
               f.HR)  # not in U1 on 31 December after all
    assert tally(app) == 1  # the tally still lists it: 2 of the 5 holders would be 40 % …
    assert assess(app, cadres[1]).overrides == ()  # … but read again it no longer counts: 1 of 5
    found = UnitOfWork(app).find(AssessmentRound, assessment_round_id("U1", "年度", "2023"))
    assert found is not None and list(found.excellent.values()) == [cadres[1]]  # the stale one was dropped


def test_two_excellents_racing_for_the_last_place_one_is_stored_and_the_other_conflicts(
        make_app: AppFactory) -> None:
    setup = make_app()
    cadres = staffed(setup, 10)
    assess(setup, cadres[0])  # 1 of 10; the second makes 2 of 10 = 20 %, a third 30 %
    racer = make_app()
    racer.__class__ = RacingJishi
    racer.barrier = threading.Barrier(2)  # type: ignore[attr-defined]
    outcomes: dict[UUID, Any] = {}

    def race(cadre_id: UUID) -> None:
        try:
            outcomes[cadre_id] = assess(racer, cadre_id)
        except Exception as e:
            outcomes[cadre_id] = e

    threads = [threading.Thread(target=race, args=(c,)) for c in cadres[1:3]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(type(o).__name__ for o in outcomes.values()) == ["CommandResult", "ConcurrencyError"]
    loser = next(c for c, o in outcomes.items() if isinstance(o, ConcurrencyError))
    assert tally(make_app()) == 2
    assert not [e for e in make_app().get_cadre(loser).standing_entries() if e.type == "Assessed"]
    with pytest.raises(RuleViolationError):  # the retry sees the round full
        assess(make_app(), loser)


def test_a_unit_of_an_older_store_without_a_post_directory_gets_one_from_the_log(app: Jishi) -> None:
    from domain import ids
    from domain.post import Post, PostEstablished, UnitPosts
    from domain.recorded import provenance_fields
    from domain.unit import Unit, UnitRegistered

    by = provenance_fields(f.HR)  # as an older version stored them: the unit and its posts, no directory
    unit = Unit._create(UnitRegistered, id=ids.unit_id("U1"), code="U1", name="老单位", kind="党委部门",
                        parent_code=None, effective_on=None, **by)
    posts = [Post._create(PostEstablished, id=ids.post_id("U1", code), unit_code="U1", post_code=code, title="科员",
                          grade="150", leadership=False, establishment=3, probation=False, effective_on=None, **by)
             for code in ("P1", "P2")]
    app.save(unit, *posts)
    cadres = []
    for n, post_code in enumerate(("P1", "P1", "P2", "P2", "P2")):
        cadres.append(f.registered(app, f"L{n}"))
        app.handle(RecordEntry(cadres[-1], "Appointed", f.appointment("2020-01-01", "U1", post_code)), f.HR)
    assert UnitOfWork(app).find(UnitPosts, ids.unit_posts_id("U1")) is None
    assert app.assessment_round("U1", "2023").participants == 5  # both posts, found in the log
    assess(app, cadres[0])  # 1 of 5: the directory is saved with the assessment
    directory = UnitOfWork(app).find(UnitPosts, ids.unit_posts_id("U1"))
    assert directory is not None and directory.post_codes == ["P1", "P2"]
    app.handle(EstablishPost("U1", f.post("P3", leadership=False, probation=False)), f.HR)
    assert UnitOfWork(app).find(UnitPosts, ids.unit_posts_id("U1")).post_codes == ["P1", "P2", "P3"]  # type: ignore[union-attr]
