"""R-EXCELLENT-QUOTA at its percentage boundaries (from the configured fractions), and the grade
scales of §6.3 as validation of ``Assessed``."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import pytest

from domain.assessment_round import QuotaCount, home_unit, period_end
from domain.cadre_entries import Assessed
from domain.entry_values import GRADE_SCALES
from domain.errors import ValidationError
from domain.history import derive
from domain.rules.assessment import excellent_allowed, names_approval, quota_level, r_excellent_quota
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext
from domain.rules.engine import overridable
from domain.schema import coerce, cross_errors
from tests import factories as f

CONFIG = RuleConfig.defaults()
QUOTA = CONFIG.fraction("assessment.excellent_quota")
APPROVED = CONFIG.fraction("assessment.excellent_quota_approved")
PARTICIPANTS = 100  # a round where one 优秀 is one percentage point
EXCELLENT = {"effective_on": date(2024, 1, 15), "kind": "年度", "period": "2023", "grade": "优秀"}


def judged(excellent: int, participants: int = PARTICIPANTS, *, override_reason: str | None = None,
           values: dict[str, Any] | None = None, document_no: str | None = None) -> GuardContext:
    count = QuotaCount("U1", "年度", "2023", date(2023, 12, 31), participants, excellent, document_no)
    return GuardContext(date(2030, 1, 1), "Assessed", values or EXCELLENT, quota=count,
                        override_reason=override_reason)


def test_the_configured_quota_is_a_fifth_and_a_quarter_with_approval() -> None:
    assert (Fraction(1, 5), Fraction(1, 4)) == (QUOTA, APPROVED)


def test_exactly_twenty_percent_is_within_the_quota() -> None:
    at = int(QUOTA * PARTICIPANTS)
    assert quota_level(at, PARTICIPANTS, CONFIG) == "within"
    assert r_excellent_quota(judged(at), CONFIG) == []


def test_just_over_twenty_percent_needs_an_approval_and_may_be_overridden() -> None:
    over = int(QUOTA * PARTICIPANTS) + 1
    assert quota_level(over, PARTICIPANTS, CONFIG) == "approval"
    [violation] = r_excellent_quota(judged(over), CONFIG)
    assert violation.rule == "R-EXCELLENT-QUOTA" and violation.field == "grade"
    assert overridable(violation) and "批准文号" in violation.message_zh and "21%" in violation.message_zh


def test_exactly_twenty_five_percent_may_still_be_overridden_with_an_approval() -> None:
    at = int(APPROVED * PARTICIPANTS)
    assert quota_level(at, PARTICIPANTS, CONFIG) == "approval"
    [violation] = r_excellent_quota(judged(at, override_reason="经市考核委员会批准（市考委〔2024〕3号）"), CONFIG)
    assert overridable(violation)


def test_just_over_twenty_five_percent_is_refused_and_no_override_allows_it() -> None:
    over = int(APPROVED * PARTICIPANTS) + 1
    assert quota_level(over, PARTICIPANTS, CONFIG) == "over"
    [violation] = r_excellent_quota(judged(over, override_reason="市考委〔2024〕3号批准"), CONFIG)
    assert not overridable(violation) and "不得例外放行" in violation.message_zh


def test_the_boundaries_hold_for_a_small_unit_too() -> None:
    assert [quota_level(n, 4, CONFIG) for n in (0, 1, 2)] == ["within", "approval", "over"]  # 1 of 4 = 25 %
    assert [quota_level(n, 5, CONFIG) for n in (1, 2)] == ["within", "over"]  # 2 of 5 = 40 %
    assert [quota_level(n, 9, CONFIG) for n in (1, 2, 3)] == ["within", "approval", "over"]  # 22 %, 33 %


def test_an_override_above_twenty_percent_whose_reason_names_no_approval_number_is_refused() -> None:
    [violation] = r_excellent_quota(judged(21, override_reason="单位工作突出，多评一个优秀"), CONFIG)
    assert not overridable(violation) and "须注明批准文号" in violation.message_zh


@pytest.mark.parametrize("reason", ["市考委〔2024〕3号", "经考核办[2024]12号批准", "组字（2024）第5号文件同意"])
def test_an_approval_number_is_recognised_in_its_usual_forms(reason: str) -> None:
    assert names_approval(reason)


@pytest.mark.parametrize("reason", [None, "", "已经批准", "2024年批准", "第3号"])
def test_a_reason_without_a_document_number_names_no_approval(reason: str | None) -> None:
    assert not names_approval(reason)


def test_the_count_recorded_for_the_round_is_named_as_the_source_of_participants() -> None:
    [violation] = r_excellent_quota(judged(2, 5, document_no="县考委〔2024〕1号"), CONFIG)
    assert "县考委〔2024〕1号" in violation.message_zh and "40%" in violation.message_zh


def test_the_quota_concerns_only_an_annual_excellent_of_the_rounds_period() -> None:
    for other in ({"grade": "称职"}, {"kind": "专项", "grade": "优秀"}, {"period": "2022"}):
        assert r_excellent_quota(judged(50, values={**EXCELLENT, **other}), CONFIG) == []
    assert r_excellent_quota(GuardContext(date(2030, 1, 1), "Assessed", EXCELLENT), CONFIG) == []  # no round


def test_the_most_excellent_allowed_is_the_floor_of_the_quota() -> None:
    assert [excellent_allowed(n, CONFIG) for n in (4, 5, 9, 10, 14, 15)] == [0, 1, 1, 2, 2, 3]
    assert [excellent_allowed(n, CONFIG, approved=True) for n in (3, 4, 8, 9)] == [0, 1, 2, 2]


def test_a_thresholds_file_moves_the_boundaries() -> None:
    looser = RuleConfig.from_toml('[assessment]\nexcellent_quota = "3/10"\nexcellent_quota_approved = "2/5"\n')
    assert [quota_level(n, 10, looser) for n in (3, 4, 5)] == ["within", "approval", "over"]


def test_an_annual_periods_last_day_is_the_31st_of_december_and_other_periods_have_none() -> None:
    assert period_end("年度", "2023") == date(2023, 12, 31)
    assert period_end("年度", "2023-Q2") is None and period_end("任期", "2023") is None


def test_the_cadres_unit_is_that_of_the_post_held_on_the_day_the_earliest_taken_if_several() -> None:
    entries = [f.registration(),
               f.record("Appointed", date(2019, 1, 1), unit_code="UA", post_code="P1", manner="平职交流"),
               f.record("Appointed", date(2021, 1, 1), unit_code="UB", post_code="P2", manner="平职交流"),
               f.record("Dismissed", date(2024, 3, 1), unit_code="UA", post_code="P1", reason="调动")]
    history = derive(entries)
    assert home_unit(history, date(2020, 12, 31)) == "UA"
    assert home_unit(history, date(2023, 12, 31)) == "UA"  # both held: the earlier post's unit
    assert home_unit(history, date(2024, 12, 31)) == "UB"
    assert home_unit(history, date(2018, 12, 31)) is None


# ——— grade scales (§6.3) ———

@pytest.mark.parametrize("kind", sorted(GRADE_SCALES))
def test_every_grade_of_a_kinds_scale_is_accepted_and_every_other_refused_naming_grade(kind: str) -> None:
    every = {g for scale in GRADE_SCALES.values() for g in scale}
    period = "2023"
    for grade in every:
        values = {"effective_on": "2024-01-15", "kind": kind, "period": period, "grade": grade}
        if grade in GRADE_SCALES[kind]:
            assert coerce(Assessed, values)["grade"] == grade
        else:
            with pytest.raises(ValidationError) as refused:
                coerce(Assessed, values)
            assert [e.loc for e in refused.value.errors] == ["grade"], (kind, grade)


def test_the_scales_are_those_of_the_regulations() -> None:
    assert GRADE_SCALES["年度"] == ("优秀", "称职", "基本称职", "不称职", "不定等次")
    assert GRADE_SCALES["平时"] == ("好", "较好", "一般", "较差")
    assert GRADE_SCALES["专项"] == GRADE_SCALES["一线专项考察"] == ("优秀", "良好", "一般", "较差")
    assert GRADE_SCALES["任期"] == ("优秀", "称职", "基本称职", "不称职")
    assert GRADE_SCALES["试用期满"] == ("胜任", "不胜任")


def test_an_annual_assessments_period_must_be_a_year() -> None:
    with pytest.raises(ValidationError) as refused:
        coerce(Assessed, {"effective_on": "2024-01-15", "kind": "年度", "period": "2023年", "grade": "称职"})
    assert [e.loc for e in refused.value.errors] == ["period"]
    assert coerce(Assessed, {"effective_on": "2024-01-15", "kind": "平时", "period": "2023-Q2", "grade": "好"})


def test_a_correction_is_checked_against_the_scale_only_when_it_touches_kind_grade_or_period() -> None:
    legacy = {"kind": "年度", "period": "2023", "grade": "较好"}  # stored before the scales were checked
    assert cross_errors(Assessed, {**legacy, "remarks": "补充"}, changed={"remarks": "补充"}) == []
    assert [e.loc for e in cross_errors(Assessed, {**legacy, "kind": "年度"}, changed={"kind": "年度"})] == ["grade"]
