"""A year's holiday schedule as data: validation of what is recorded, the calendar built from it, and
when next year's missing schedule is announced. The schedules here are SYNTHETIC (made up)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.calendar_year import missing_years, validated, warn_from
from domain.errors import ValidationError
from domain.rules.config import ConfigError, RuleConfig
from domain.workdays import BUILT_IN, CalendarNotCoveredError, WorkingCalendar, YearSchedule

TODAY = date(2031, 6, 16)


def schedule(**changes: Any) -> dict[str, Any]:  # SYNTHETIC 2031
    return {"year": 2031, "holidays": ["2031-03-04", "2031-03-05"], "workdays": ["2031-03-08"],
            "notice_no": "虚构测试〔2030〕1号", "notice_date": "2030-11-20", **changes}


def errors(payload: dict[str, Any], *, correction: bool = False) -> dict[str, str]:
    with pytest.raises(ValidationError) as refused:
        validated(payload, TODAY, correction=correction)
    found: dict[str, str] = {}
    for e in refused.value.errors:
        found[e.loc] = f"{found[e.loc]}；{e.msg}" if e.loc in found else e.msg
    return found


def test_a_valid_schedule_is_typed_and_sorted() -> None:
    values = validated(schedule(holidays=["2031-03-05", "2031-03-04"]), TODAY, correction=False)
    assert values["holidays"] == (date(2031, 3, 4), date(2031, 3, 5))
    assert values["workdays"] == (date(2031, 3, 8),)
    assert values["notice_date"] == date(2030, 11, 20)


def test_a_date_outside_the_year_is_refused_at_its_field() -> None:
    assert "须在2031年内" in errors(schedule(holidays=["2032-01-01"]))["holidays"]
    assert "须在2031年内" in errors(schedule(workdays=["2030-12-28"]))["workdays"]


def test_a_make_up_working_day_must_be_a_saturday_or_a_sunday() -> None:
    found = errors(schedule(workdays=["2031-03-07"]))  # a Friday
    assert "调休上班日须为周六或周日" in found["workdays"] and "2031-03-07（周五）" in found["workdays"]
    assert validated(schedule(workdays=["2031-03-09"]), TODAY, correction=False)["workdays"] == (date(2031, 3, 9),)


def test_a_day_cannot_be_both_a_holiday_and_a_working_day() -> None:
    assert "既是放假日又是调休上班日" in errors(schedule(holidays=["2031-03-08"]))["workdays"]


def test_a_date_listed_twice_is_refused() -> None:
    assert "重复" in errors(schedule(holidays=["2031-03-04", "2031-03-04"]))["holidays"]


def test_a_year_needs_at_least_one_holiday_and_at_most_the_bounded_number_of_dates() -> None:
    assert "至少有一个放假日" in errors(schedule(holidays=[]))["holidays"]
    many = [date.fromordinal(date(2031, 1, 1).toordinal() + n).isoformat() for n in range(61)]
    assert "至多60个" in errors(schedule(holidays=many, workdays=[]))["holidays"]


@pytest.mark.parametrize("year", [1948, 2101])
def test_a_year_outside_the_sane_range_is_refused(year: int) -> None:
    assert "year" in errors(schedule(year=year))


def test_a_notice_dated_after_today_is_refused_and_today_is_accepted() -> None:
    assert "不得晚于今天" in errors(schedule(notice_date="2031-06-17"))["notice_date"]
    assert validated(schedule(notice_date="2031-06-16"), TODAY, correction=False)["notice_date"] == TODAY


def test_unknown_fields_and_missing_ones_are_named() -> None:
    found = errors({"year": 2031, "holidays": ["2031-03-04"], "colour": "red"})
    assert set(found) == {"colour", "notice_no", "notice_date"}


def test_a_correction_needs_a_reason_and_a_publication_takes_none() -> None:
    assert "reason" in errors(schedule(), correction=True)
    assert "reason" in errors(schedule(reason="更正"))  # unknown on a first publication


# — the calendar built from recorded years —

SYNTHETIC = YearSchedule(2031, frozenset({date(2031, 3, 4)}), frozenset({date(2031, 3, 8)}), "recorded",
                         version=2, notice_no="虚构测试〔2030〕1号")


def test_a_recorded_year_counts_its_holidays_and_make_up_days_and_nothing_else() -> None:
    calendar = BUILT_IN.with_years([SYNTHETIC])
    assert not calendar.is_working_day(date(2031, 3, 4))  # the holiday, a Tuesday
    assert calendar.is_working_day(date(2031, 3, 8))  # the make-up Saturday
    assert not calendar.is_working_day(date(2031, 3, 9))  # an ordinary Sunday
    assert calendar.is_working_day(date(2031, 3, 3))  # an ordinary Monday
    assert calendar.working_days_inclusive(date(2031, 3, 3), date(2031, 3, 9)) == 5


def test_a_span_reaching_into_an_unknown_year_is_not_counted_in_part() -> None:
    calendar = BUILT_IN.with_years([SYNTHETIC])
    with pytest.raises(CalendarNotCoveredError) as refused:
        calendar.working_days_inclusive(date(2031, 12, 29), date(2032, 1, 2))
    assert refused.value.day == date(2032, 1, 1)


def test_the_judgement_names_each_years_schedule_and_an_unknown_year_as_unknown() -> None:
    calendar = BUILT_IN.with_years([SYNTHETIC])
    known = calendar.judgement(date(2031, 3, 3), date(2031, 3, 9))
    assert known == {"start_on": date(2031, 3, 3), "end_on": date(2031, 3, 9), "working_days": 5,
                     "years": {"2031": {"source": "recorded", "version": 2, "notice_no": "虚构测试〔2030〕1号",
                                        "fingerprint": SYNTHETIC.fingerprint}}}
    unknown = calendar.judgement(date(2031, 12, 29), date(2032, 1, 2))
    assert unknown["working_days"] is None and unknown["years"]["2032"] == {"source": "unknown"}


def test_the_fingerprint_changes_with_the_schedule_and_not_with_its_version() -> None:
    same = YearSchedule(2031, SYNTHETIC.holidays, SYNTHETIC.workdays, "recorded", version=7, notice_no="x")
    other = YearSchedule(2031, SYNTHETIC.holidays | {date(2031, 3, 5)}, SYNTHETIC.workdays, "recorded", version=2)
    assert same.fingerprint == SYNTHETIC.fingerprint != other.fingerprint


def test_a_calendar_that_knows_no_year_counts_nothing() -> None:
    with pytest.raises(CalendarNotCoveredError):
        WorkingCalendar({}).working_days_inclusive(date(2024, 3, 4), date(2024, 3, 8))


# — the notice: next year's schedule due from warn_from (11-01) —

@pytest.mark.parametrize(("today", "missing"), [
    (date(2031, 10, 31), []),  # the day before: nothing yet
    (date(2031, 11, 1), [2032]),  # from 1 November
    (date(2031, 12, 31), [2032]),
    (date(2032, 1, 1), [2032]),  # the new year unknown: still (and more) due
])
def test_next_years_schedule_is_missing_from_the_warning_day(today: date, missing: list[int]) -> None:
    known = {2031}
    assert missing_years(today, (11, 1), known.__contains__) == missing


def test_a_known_next_year_is_not_missing() -> None:
    assert missing_years(date(2031, 11, 2), (11, 1), {2031, 2032}.__contains__) == []


def test_the_warning_day_comes_from_the_configuration_and_a_malformed_one_is_refused() -> None:
    assert warn_from(RuleConfig.defaults()) == (11, 1)
    assert warn_from(RuleConfig.from_toml('[calendar]\nwarn_from = "10-15"\n')) == (10, 15)
    for bad in ("11-31", "1101", "eleven"):
        with pytest.raises(ConfigError, match=r"calendar\.warn_from"):
            warn_from(RuleConfig.from_toml(f'[calendar]\nwarn_from = "{bad}"\n'))
