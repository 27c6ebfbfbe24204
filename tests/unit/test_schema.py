"""Entry fields are validated from the event classes' own annotations, with bilingual errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.cadre_entries import ENTRY_TYPES, Appointed, Assessed, Dismissed, TrainingCompleted
from domain.errors import ValidationError
from domain.schema import coerce, field_specs


def errors_of(cls: type, payload: dict[str, object]) -> dict[str, str]:
    with pytest.raises(ValidationError) as e:
        coerce(cls, payload)
    return {x.loc: x.msg for x in e.value.errors}


def test_missing_required_fields_are_named_in_chinese_and_english() -> None:
    errs = errors_of(Appointed, {"effective_on": "2020-01-01"})
    assert set(errs) == {"unit_code", "post_code", "manner", "document_no"}
    assert errs["unit_code"] == "必填 (required)"


def test_a_value_outside_the_allowed_list_names_the_choices() -> None:
    errs = errors_of(Dismissed, {"effective_on": "2020-01-01", "unit_code": "U", "post_code": "P",
                                 "reason": "不想干了"})
    assert "调动" in errs["reason"] and "must be one of" in errs["reason"]


def test_unknown_fields_are_refused_rather_than_dropped() -> None:
    assert "colour" in errors_of(Assessed, {"effective_on": "2020-01-01", "kind": "年度", "period": "2019",
                                            "grade": "优秀", "colour": "红"})


def test_dates_decimals_and_integers_are_coerced_and_checked() -> None:
    values = coerce(TrainingCompleted, {"effective_on": "2021-05-30", "kind": "任职培训", "course": "班",
                                        "provider": "党校", "started_on": "2021-05-10", "hours": "12.5",
                                        "passed": True})
    assert values["hours"] == Decimal("12.5") and values["started_on"] == date(2021, 5, 10)
    errs = errors_of(TrainingCompleted, {"effective_on": "2021-13-01", "kind": "任职培训", "course": "班",
                                         "provider": "党校", "started_on": "x", "hours": "0",
                                         "passed": "yes"})
    assert set(errs) == {"effective_on", "started_on", "hours", "passed"}
    assert "(must be greater than 0)" in errs["hours"]


@pytest.mark.parametrize(("score", "ok"), [("-0.01", False), ("0", True), ("100", True), ("100.01", False)])
def test_the_democratic_score_lies_between_0_and_100(score: str, ok: bool) -> None:
    payload = {"effective_on": "2021-01-01", "kind": "年度", "period": "2020", "grade": "称职",
               "democratic_score": score}
    if ok:
        assert coerce(Assessed, payload)["democratic_score"] == Decimal(score)
    else:
        assert "democratic_score" in errors_of(Assessed, payload)


def test_every_entry_type_has_a_field_specification_and_a_chinese_label() -> None:
    for name, cls in ENTRY_TYPES.items():
        assert field_specs(cls), name
        assert cls.LABEL, name


@pytest.mark.parametrize("bad", ["a\x00b", "\ud800"])
def test_text_with_nul_or_invalid_unicode_is_refused_before_it_can_be_stored(bad: str) -> None:
    assert "description" in errors_of(ENTRY_TYPES["HardshipRecorded"],
                                      {"effective_on": "2021-01-01", "description": bad})


def test_whole_numbers_beyond_32_bits_are_refused() -> None:
    assert "year" in errors_of(ENTRY_TYPES["PersonalMattersReported"], {"effective_on": "2021-01-01", "year": 2**40})
