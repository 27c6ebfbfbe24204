"""The entry forms' grade options by kind and their refusal notice, without a browser."""

from __future__ import annotations

from api.pages.forms import fields_of, refusal
from domain.cadre_entries import Assessed
from domain.entry_values import GRADE_SCALES
from domain.errors import RuleViolationError, Violation


def test_the_grade_select_groups_every_kinds_scale_and_marks_the_choice_in_the_chosen_kinds_group() -> None:
    grade = next(f for f in fields_of(Assessed, {"kind": "专项", "grade": "优秀"}) if f.name == "grade")
    assert [g.key for g in grade.groups] == list(GRADE_SCALES)
    assert [[v for v, _, _ in g.options] for g in grade.groups] == [list(s) for s in GRADE_SCALES.values()]
    chosen = [(g.key, v) for g in grade.groups for v, _, selected in g.options if selected]
    assert chosen == [("专项", "优秀")]  # not also under 年度 and 任期, where 优秀 appears too
    assert grade.attrs["data-depends-on"] == "kind"


def test_a_grade_outside_the_chosen_kinds_scale_stays_chosen_in_its_own_group() -> None:
    grade = next(f for f in fields_of(Assessed, {"kind": "年度", "grade": "较好"}) if f.name == "grade")
    assert [(g.key, v) for g in grade.groups for v, _, selected in g.options if selected] == [("平时", "较好")]


def test_a_refusal_offers_the_override_only_when_every_violation_may_be_overridden() -> None:
    soft = Violation("R-EXCELLENT-QUOTA", "须经批准", "needs an approval", "grade")
    hard = Violation("R-EXCELLENT-QUOTA", "不得例外放行", "no approval allows it", "grade", overridable=False)
    assert refusal(RuleViolationError([soft]), ["grade"]).overridable
    assert not refusal(RuleViolationError([hard]), ["grade"]).overridable
