"""Chinese working days with statutory holidays and 调休 (R-PUBLICITY), over the built-in calendar
(``chinese-calendar``); a recorded year replacing it: tests/unit/test_calendar_year.py."""

from __future__ import annotations

import datetime

import chinese_calendar  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.workdays import BUILT_IN, COVERED_YEARS, CalendarNotCoveredError

D = datetime.date
is_working_day = BUILT_IN.is_working_day
working_days_inclusive = BUILT_IN.working_days_inclusive
add_working_days = BUILT_IN.add_working_days


def days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(n) for n in range((end - start).days + 1)]


# Hand-checked against 国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号):
# 国庆节 10月1日至7日放假调休，共7天；9月29日（星期日）、10月12日（星期六）上班。
# 春节 2月10日至17日放假调休，共8天；2月4日（星期日）、2月18日（星期日）上班。
NATIONAL_DAY_2024 = days(D(2024, 10, 1), D(2024, 10, 7))
SPRING_FESTIVAL_2024 = days(D(2024, 2, 10), D(2024, 2, 17))
MAKE_UP_DAYS_2024 = [D(2024, 2, 4), D(2024, 2, 18), D(2024, 9, 29), D(2024, 10, 12)]

# The end of the data (a span must not run past it).
LAST_COVERED_DAY = D(COVERED_YEARS[-1], 12, 31)


# --- coverage -------------------------------------------------------------------------


def test_covered_years_come_from_the_package_and_include_the_present() -> None:
    years = {day.year for day in chinese_calendar.holidays}
    assert range(min(years), max(years) + 1) == COVERED_YEARS
    assert COVERED_YEARS[0] <= 2004
    assert 2025 in COVERED_YEARS


@pytest.mark.parametrize(
    "outside", [D(COVERED_YEARS[0] - 1, 12, 31), D(COVERED_YEARS[-1] + 1, 1, 1)]
)
def test_a_date_outside_the_covered_years_raises_rather_than_guessing(
    outside: datetime.date,
) -> None:
    with pytest.raises(CalendarNotCoveredError, match="has no schedule for") as raised:
        is_working_day(outside)
    assert "工作日日历未包含" in str(raised.value)
    assert isinstance(raised.value, ValueError)
    assert raised.value.day == outside


def test_a_span_reaching_outside_the_covered_years_raises() -> None:
    with pytest.raises(CalendarNotCoveredError):
        working_days_inclusive(LAST_COVERED_DAY, LAST_COVERED_DAY + datetime.timedelta(1))


def test_adding_working_days_past_the_end_of_the_data_raises() -> None:
    with pytest.raises(CalendarNotCoveredError):
        add_working_days(LAST_COVERED_DAY - datetime.timedelta(3), 30)


def test_a_datetime_is_refused_because_the_day_would_be_ambiguous() -> None:
    with pytest.raises(TypeError):
        is_working_day(datetime.datetime(2024, 10, 8, 9, 0))


# --- the holidays, hand-checked -------------------------------------------------------


def test_national_day_2024_holidays_are_not_working_days() -> None:
    assert [day for day in NATIONAL_DAY_2024 if is_working_day(day)] == []


def test_spring_festival_2024_holidays_are_not_working_days() -> None:
    assert [day for day in SPRING_FESTIVAL_2024 if is_working_day(day)] == []


def test_make_up_weekend_days_are_working_days() -> None:
    for day in MAKE_UP_DAYS_2024:
        assert day.weekday() >= 5
        assert is_working_day(day)


def test_an_ordinary_weekend_is_not_a_working_day_and_an_ordinary_weekday_is() -> None:
    assert not is_working_day(D(2024, 9, 28))  # Saturday, not a make-up day
    assert not is_working_day(D(2024, 10, 13))  # Sunday after the make-up Saturday
    assert is_working_day(D(2024, 9, 30))  # Monday between the make-up Sunday and 国庆
    assert is_working_day(D(2024, 10, 8))  # first day back


# --- 国庆 2024 publicity periods ------------------------------------------------------


def test_a_publicity_across_national_day_2024_counts_only_the_working_days() -> None:
    # 9-27 Fri, 9-29 Sun (调休), 9-30 Mon and 10-08 Tue: the 7 days of 国庆 and the ordinary
    # Saturday 9-28 do not count. (9-30 is an ordinary Monday, so the count is 4, not 3.)
    span = days(D(2024, 9, 27), D(2024, 10, 8))
    assert [day for day in span if is_working_day(day)] == [
        D(2024, 9, 27),
        D(2024, 9, 29),
        D(2024, 9, 30),
        D(2024, 10, 8),
    ]
    assert working_days_inclusive(D(2024, 9, 27), D(2024, 10, 8)) == 4


def test_a_publicity_from_the_make_up_sunday_to_the_make_up_saturday_has_seven_days() -> None:
    assert working_days_inclusive(D(2024, 9, 29), D(2024, 10, 12)) == 7


def test_a_five_day_publicity_starting_before_national_day_ends_after_it() -> None:
    # 9-27, 9-29, 9-30 before the holiday, then 10-08 and 10-09.
    assert add_working_days(D(2024, 9, 27), 5) == D(2024, 10, 9)


def test_a_five_day_publicity_can_end_on_a_make_up_saturday() -> None:
    # 10-08 Tue … 10-11 Fri is 4 days; the 5th is the 调休 Saturday 10-12.
    assert add_working_days(D(2024, 10, 8), 5) == D(2024, 10, 12)
    assert working_days_inclusive(D(2024, 10, 8), D(2024, 10, 11)) == 4
    assert working_days_inclusive(D(2024, 10, 8), D(2024, 10, 12)) == 5
    assert working_days_inclusive(D(2024, 10, 8), D(2024, 10, 13)) == 5


def test_a_make_up_saturday_counts_but_the_following_sunday_does_not() -> None:
    assert working_days_inclusive(D(2024, 10, 12), D(2024, 10, 12)) == 1
    assert working_days_inclusive(D(2024, 10, 13), D(2024, 10, 13)) == 0
    assert working_days_inclusive(D(2024, 10, 12), D(2024, 10, 14)) == 2


def test_a_publicity_starting_on_a_holiday_begins_counting_on_the_next_working_day() -> None:
    assert add_working_days(D(2024, 10, 1), 1) == D(2024, 10, 8)
    assert add_working_days(D(2024, 10, 1), 5) == D(2024, 10, 12)


# --- 春节 publicity periods -----------------------------------------------------------


def test_a_publicity_across_spring_festival_2024() -> None:
    # 2-8 Thu, 2-9 Fri (除夕 was a working day in 2024), 2-18 Sun (调休), 2-19 Mon.
    assert working_days_inclusive(D(2024, 2, 8), D(2024, 2, 19)) == 4
    assert add_working_days(D(2024, 2, 8), 5) == D(2024, 2, 20)
    assert add_working_days(D(2024, 2, 9), 2) == D(2024, 2, 18)


def test_the_make_up_sunday_before_spring_festival_2024_counts() -> None:
    # 2-3 Sat is an ordinary weekend day, 2-4 Sun is a 调休 working day.
    assert working_days_inclusive(D(2024, 2, 3), D(2024, 2, 4)) == 1
    assert add_working_days(D(2024, 2, 3), 1) == D(2024, 2, 4)


def test_a_publicity_across_spring_festival_2025() -> None:
    # 2025 春节: 1-28 … 2-4 off; 1-26 Sun and 2-8 Sat worked (国办发明电〔2024〕12号).
    assert [day for day in days(D(2025, 1, 28), D(2025, 2, 4)) if is_working_day(day)] == []
    assert is_working_day(D(2025, 1, 26))
    assert is_working_day(D(2025, 2, 8))
    assert working_days_inclusive(D(2025, 1, 24), D(2025, 2, 7)) == 6  # 1-24,26,27, 2-5,6,7
    assert add_working_days(D(2025, 2, 5), 4) == D(2025, 2, 8)


# --- argument checks ------------------------------------------------------------------


def test_an_end_before_the_start_is_an_error() -> None:
    with pytest.raises(ValueError, match="before start date"):
        working_days_inclusive(D(2024, 10, 8), D(2024, 10, 7))


@pytest.mark.parametrize("n", [0, -1])
def test_adding_fewer_than_one_working_day_is_an_error(n: int) -> None:
    with pytest.raises(ValueError, match="positive integer"):
        add_working_days(D(2024, 10, 8), n)


# --- properties -----------------------------------------------------------------------

# Leave room at the end of the data for the spans below (up to 81 days) to finish.
starts = st.dates(
    min_value=D(COVERED_YEARS[0], 1, 1), max_value=LAST_COVERED_DAY - datetime.timedelta(90)
)


def test_every_built_in_day_agrees_with_the_package() -> None:
    every_day = days(D(COVERED_YEARS[0], 1, 1), LAST_COVERED_DAY)
    assert [d for d in every_day if is_working_day(d) != chinese_calendar.is_workday(d)] == []


def test_the_built_in_years_name_the_package_they_come_from() -> None:
    schedule = BUILT_IN.years[2024]
    assert schedule.source == "built-in" and schedule.package and schedule.package.startswith("chinese-calendar")
    assert schedule.reference() == {"source": "built-in", "package": schedule.package,
                                    "fingerprint": schedule.fingerprint}


@given(starts, st.integers(min_value=1, max_value=20))
def test_add_working_days_ends_on_the_first_day_that_completes_n_working_days(
    start: datetime.date, n: int
) -> None:
    end = add_working_days(start, n)
    assert is_working_day(end)
    assert working_days_inclusive(start, end) == n
    if end > start:
        assert working_days_inclusive(start, end - datetime.timedelta(1)) == n - 1


@given(starts, st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=40))
def test_working_day_counts_add_up_over_adjacent_spans(
    start: datetime.date, first: int, second: int
) -> None:
    middle = start + datetime.timedelta(first)
    end = middle + datetime.timedelta(second + 1)
    whole = working_days_inclusive(start, end)
    assert whole == working_days_inclusive(start, middle) + working_days_inclusive(
        middle + datetime.timedelta(1), end
    )
    assert 0 <= whole <= (end - start).days + 1
