"""Every field has the bounds a person expects (issue 16), and the patterns /openapi.json shows for
them say exactly what is accepted: each is checked here against the plain arithmetic it stands for."""

from __future__ import annotations

import re
from datetime import UTC, date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain import bounds
from domain.cadre_entries import ENTRY_TYPES, CadreRegistered, DevelopmentPlanSet, TrainingCompleted
from domain.errors import ValidationError
from domain.post import PostEstablished
from domain.schema import coerce, field_specs
from domain.selection import CASE_EVENTS
from tests import factories as f


def matches(pattern: str, text: str) -> bool:
    return re.fullmatch(pattern.removeprefix("^").removesuffix("$"), text, flags=re.ASCII) is not None


def refusal(cls: type, payload: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as e:
        coerce(cls, payload)
    return {x.loc: x.msg for x in e.value.errors}


# ——— the patterns ———

@pytest.mark.parametrize(("low", "high"), [(0, 9), (1, 1999), (0, 1999), (7, 123), (10, 10), (95, 1005)])
def test_a_numeral_pattern_matches_exactly_the_numbers_of_its_range(low: int, high: int) -> None:
    pattern = bounds.numeral_pattern(low, high)
    for n in range(0, 2100):
        assert matches(pattern, str(n)) == (low <= n <= high), n
    assert not matches(pattern, "01") and not matches(pattern, "")


def test_the_record_day_pattern_starts_on_1949_10_01_and_ends_on_2099_12_31() -> None:
    day, end = date(1949, 1, 1), date(2100, 12, 31)
    while day <= end:
        assert matches(bounds.RECORD_DAY_PATTERN, day.isoformat()) == (
            bounds.EARLIEST_RECORD_DAY <= day <= bounds.LATEST_DAY), day
        day += timedelta(days=1)


def test_the_instant_pattern_takes_real_days_of_the_query_window_with_or_without_an_offset() -> None:
    day, end = date(1899, 12, 1), date(2100, 1, 31)
    while day <= end:
        assert matches(bounds.INSTANT_PATTERN, f"{day}T00:00") == (date(1900, 1, 1) <= day <= date(2099, 12, 31))
        day += timedelta(days=1)
    for text in ("2024-02-29T09:30", "2024-05-01T09:30:00+08:00", "2024-05-01T23:59:59.123456Z",
                 "2099-12-31T23:59:59-23:59", "1900-01-01T00:00:00+00:01"):
        assert matches(bounds.INSTANT_PATTERN, text), text
    for text in ("2023-02-29T09:30", "1900-02-29T00:00", "2024-02-30T00:00", "2024-05-01", "2024-05-01T24:00",
                 "2024-05-01T09:60", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+00:01", "0.5",
                 "2024-05-01T09:30+0800", "2024-05-01 09:30"):
        assert not matches(bounds.INSTANT_PATTERN, text), text


def test_the_hours_pattern_takes_tenths_above_0_up_to_the_ceiling() -> None:
    for tenths in range(0, 20_020):
        number = Decimal(tenths) / 10
        wanted = Decimal(0) < number <= bounds.MAX_TRAINING_HOURS
        assert matches(bounds.HOURS_PATTERN, f"{number:.1f}") == wanted, number
        if tenths % 10 == 0:
            assert matches(bounds.HOURS_PATTERN, str(tenths // 10)) == wanted, tenths
    for text in ("12.25", "0.05", "1e3", "1e999999", "-1", "+1", "012", " 1", "2000.00", "Infinity", "NaN"):
        assert not matches(bounds.HOURS_PATTERN, text), text


def test_a_decimal_text_pattern_with_two_places_takes_exactly_the_hundredths_of_its_range() -> None:
    pattern = bounds.decimal_text_pattern(100, 2, positive=False)
    for hundredths in range(0, 10_050):
        number = Decimal(hundredths) / 100
        assert matches(pattern, f"{number:.2f}") == (number <= 100), number
    assert matches(pattern, "0") and matches(pattern, "99.5") and not matches(pattern, "100.001")


# ——— the query parameters (API and pages) ———

@pytest.mark.parametrize(("text", "ok"), [("1900-01-01", True), ("1899-12-31", False), ("2099-12-31", True),
                                          ("2100-01-01", False), ("0001-01-01", False), ("9999-12-31", False),
                                          ("2021-02-29", False), ("0", False), ("20210101", False)])
def test_a_query_day_lies_in_the_window_or_is_refused_naming_the_parameter(text: str, ok: bool) -> None:
    if ok:
        assert bounds.query_day("as_of", text) == date.fromisoformat(text)
        return
    with pytest.raises(ValidationError) as e:
        bounds.query_day("as_of", text)
    assert e.value.errors[0].loc == "as_of" and " (" in e.value.errors[0].msg  # 中文 (English)


@pytest.mark.parametrize(("text", "ok"), [("1900-01-01T00:00:00+00:01", True), ("2099-12-31T23:59:59-23:59", True),
                                          ("9999-12-31T23:59:59-23:59", False), ("0001-01-01T00:00:00+00:01", False),
                                          ("1899-12-31T23:59:59-01:00", False), ("0.5", False), ("2021-06-01", False)])
def test_a_known_at_instant_lies_in_the_window_so_its_utc_form_stays_on_the_calendar(text: str, ok: bool) -> None:
    if not ok:
        with pytest.raises(ValidationError) as e:
            bounds.query_instant("known_at", text)
        assert e.value.errors[0].loc == "known_at"
        return
    moment = bounds.query_instant("known_at", text)
    assert moment.year in (1900, 2099)
    assert moment.astimezone(UTC).year in (1899, 1900, 2099, 2100)  # converting it can no longer overflow


# ——— the entries' own fields ———

def training(**changes: Any) -> dict[str, Any]:
    return {"effective_on": "2021-05-30", "kind": "任职培训", "course": "班", "provider": "党校",
            "started_on": "2021-05-10", "hours": "40", "passed": True, **changes}


@pytest.mark.parametrize(("hours", "ok"), [("0.1", True), (Decimal("0.1"), True), (12.5, True), ("2000", True),
                                           ("2000.0", True), ("0", False), ("-0.1", False), ("2000.1", False),
                                           ("1e999999", False), ("1e-5", False), ("12.25", False), ("NaN", False),
                                           ("Infinity", False)])
def test_training_hours_are_above_0_at_most_the_ceiling_and_in_tenths(hours: Any, ok: bool) -> None:
    if ok:
        assert coerce(TrainingCompleted, training(hours=hours))["hours"] == Decimal(str(hours))
    else:
        message = refusal(TrainingCompleted, training(hours=hours))["hours"]
        assert re.search(r"[\u4e00-\u9fff].* \(.*[a-z]", message), message  # 中文 (English)


def test_a_development_plan_holds_one_to_fifty_goals_of_at_most_500_characters() -> None:
    plan = {"effective_on": "2021-05-30", "period": "2021—2023"}
    assert len(coerce(DevelopmentPlanSet, {**plan, "goals": ["目标"] * bounds.MAX_GOALS})["goals"]) == 50
    assert "goals" in refusal(DevelopmentPlanSet, {**plan, "goals": ["目标"] * (bounds.MAX_GOALS + 1)})
    assert "goals" in refusal(DevelopmentPlanSet, {**plan, "goals": []})
    assert "goals" in refusal(DevelopmentPlanSet, {**plan, "goals": ["长" * 501]})
    assert coerce(DevelopmentPlanSet, {**plan, "goals": ["长" * 500]})


@pytest.mark.parametrize(("field", "day", "ok"), [
    ("effective_on", "1949-10-01", True), ("effective_on", "1949-09-30", False),
    ("started_on", "1949-10-01", True), ("started_on", "0001-01-01", False), ("started_on", "2100-01-01", False)])
def test_the_dates_of_an_entry_lie_between_1949_10_01_and_2099_12_31(field: str, day: str, ok: bool) -> None:
    payload = training(**{field: day})
    if ok:
        assert coerce(TrainingCompleted, payload)[field] == date.fromisoformat(day)
    else:
        assert "1949-10-01" in refusal(TrainingCompleted, payload)[field]


@pytest.mark.parametrize(("birth", "ok"), [("1900-01-01", True), ("1899-12-31", False), ("2099-12-31", True),
                                           ("2100-01-01", False)])
def test_a_birth_date_lies_between_1900_and_2099(birth: str, ok: bool) -> None:
    payload = f.cadre(birth=date(1985, 6, 15)) | {"birth_date": birth}
    if ok:
        assert coerce(CadreRegistered, payload)["birth_date"] == date.fromisoformat(birth)
    else:
        assert "birth_date" in refusal(CadreRegistered, payload)


def test_names_and_codes_have_their_lengths() -> None:
    assert coerce(CadreRegistered, f.cadre(name="名" * 100))["name"] == "名" * 100
    assert "name" in refusal(CadreRegistered, f.cadre(name="名" * 101))
    assert "cadre_no" in refusal(CadreRegistered, f.cadre(cadre_no="C" * 33))
    post = f.post() | {"unit_code": "U1"}
    assert coerce(PostEstablished, post | {"establishment": bounds.MAX_ESTABLISHMENT})
    assert "establishment" in refusal(PostEstablished, post | {"establishment": bounds.MAX_ESTABLISHMENT + 1})
    assert "document_no" in refusal(TrainingCompleted, training(document_no="号" * 101))


def test_every_text_number_list_and_date_of_every_entry_and_step_is_bounded() -> None:
    for cls in [*ENTRY_TYPES.values(), *CASE_EVENTS.values()]:
        for spec in field_specs(cls):
            item = spec.item if spec.base in (tuple, dict) else spec.base
            if spec.base in (tuple, dict):
                assert spec.max_items is not None, (cls.__name__, spec.name)
            if item is str and not spec.choices and not spec.code_table:
                assert spec.max_length is not None, (cls.__name__, spec.name)
            if item in (int, date) and not spec.choices:
                assert spec.low is not None and spec.high is not None, (cls.__name__, spec.name)
            if item is Decimal:
                assert spec.high is not None and spec.step is not None, (cls.__name__, spec.name)


def test_a_decision_counts_only_its_three_kinds_of_votes_and_a_recommendation_only_cadre_ids() -> None:
    decided, recommended = CASE_EVENTS["Decided"], CASE_EVENTS["Recommended"]
    step = {"effective_on": "2023-02-01", "cadre_id": str(f.UUID(int=1)), "members_total": 9, "present": 8}
    assert coerce(decided, step | {"votes": {"同意": 7, "不同意": 1}})["votes"] == {"同意": 7, "不同意": 1}
    assert "votes" in refusal(decided, step | {"votes": {"弃权": 1}})
    upper = "E3E70682-C209-4CAC-A29F-6FBED82C07CD"
    votes = coerce(recommended, {"effective_on": "2023-02-01", "kind": "会议推荐", "participants": 30,
                                 "votes": {upper: 20}})["votes"]
    assert votes == {upper.lower(): 20}  # one cadre, one spelling
    assert "votes" in refusal(recommended, {"effective_on": "2023-02-01", "kind": "会议推荐", "participants": 30,
                                            "votes": {"somebody": 20}})


@pytest.mark.parametrize(("age", "band"), [(30, "30岁及以下"), (31, "31-35岁"), (55, "51-55岁"), (56, "56岁及以上"),
                                           (201, "56岁及以上"), (8000, "56岁及以上")])
def test_every_age_falls_in_a_band_so_the_structure_never_runs_out_of_bands(age: int, band: str) -> None:
    from projections.search import age_band

    assert age_band(age) == band
