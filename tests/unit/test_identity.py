"""Citizen ID numbers (GB 11643), rule R-ID."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.identity import (
    birth_date_of,
    check_digit,
    gender_of,
    make_id_number,
    validate_id_number,
)

VALID = "11010519491231002X"
CHECK_CHARACTERS = "0123456789X"

regions = st.from_regex(r"[1-9][0-9]{5}", fullmatch=True)
sequences = st.from_regex(r"[0-9]{3}", fullmatch=True)
birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31))


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    return make_id_number(draw(regions), draw(birth_dates), draw(sequences))


# --- the examples of DOMAIN.md --------------------------------------------------------


def test_the_domain_example_with_an_x_check_character_is_valid() -> None:
    assert validate_id_number(VALID, datetime.date(1949, 12, 31)) == []
    assert check_digit(VALID[:17]) == "X"


def test_the_domain_example_with_a_wrong_check_digit_is_invalid() -> None:
    problems = validate_id_number("110101199001011234", datetime.date(1990, 1, 1))
    assert len(problems) == 1
    assert "bad check digit" in problems[0]
    assert "expected '7', got '4'" in problems[0]


def test_check_digit_follows_the_weights_and_the_mod_11_mapping() -> None:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    mapping = {0: "1", 1: "0", 2: "X", 3: "9", 4: "8", 5: "7", 6: "6", 7: "5", 8: "4", 9: "3"}
    mapping[10] = "2"
    for first17 in ["11010519491231002", "11010119900101123", "00000000000000000"]:
        total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
        assert check_digit(first17) == mapping[total % 11]


def test_check_digit_needs_exactly_17_ascii_digits() -> None:
    for bad in [
        "1101051949123100",
        "110105194912310021",
        "1101051949123100A",
        "１1010519491231002",
    ]:
        with pytest.raises(ValueError):
            check_digit(bad)


# --- structural problems --------------------------------------------------------------


def test_a_number_of_the_wrong_length_is_reported() -> None:
    problems = validate_id_number(VALID[:-1], None)
    assert problems == [
        "身份证号码应为 18 位，实际为 17 位 (ID number must be 18 characters long, got 17)"
    ]


def test_an_old_15_digit_number_is_refused_with_an_explanation() -> None:
    problems = validate_id_number("110105491231002", None)
    assert len(problems) == 1
    assert "15-digit" in problems[0]


def test_non_digit_characters_are_reported_with_their_position() -> None:
    problems = validate_id_number("1101A519491231002X", None)
    assert len(problems) == 1
    assert "must be digits" in problems[0]
    assert "5:'A'" in problems[0]


def test_full_width_digits_are_not_digits() -> None:
    problems = validate_id_number("１1010519491231002X", None)
    assert any("must be digits" in problem for problem in problems)


def test_a_lowercase_x_is_refused_and_the_message_says_to_use_uppercase() -> None:
    problems = validate_id_number(VALID.lower(), datetime.date(1949, 12, 31))
    assert problems == ["校验码须为大写 X (the check character must be an uppercase 'X', not 'x')"]


def test_a_last_character_other_than_a_digit_or_x_is_refused() -> None:
    problems = validate_id_number("11010519491231002Y", None)
    assert len(problems) == 1
    assert "must be 0-9 or 'X'" in problems[0]


def test_an_impossible_embedded_birth_date_is_reported() -> None:
    first17 = "11010519490230002"  # 30 February
    problems = validate_id_number(first17 + check_digit(first17), None)
    assert problems == ["身份证号码中的出生日期无效 (invalid birth date in ID number): '19490230'"]


def test_a_non_string_is_reported_rather_than_crashing() -> None:
    problems = validate_id_number(11010519491231002, None)  # type: ignore[arg-type]
    assert len(problems) == 1
    assert "must be a string" in problems[0]


# --- consistency with the cadre's other fields ----------------------------------------


def test_a_mismatched_birth_date_is_reported() -> None:
    problems = validate_id_number(VALID, datetime.date(1949, 12, 30))
    assert problems == [
        "身份证号码中的出生日期 1949-12-31 与出生日期 1949-12-30 不一致 "
        "(birth date in ID number 1949-12-31 does not match birth_date 1949-12-30)"
    ]


def test_the_sex_digit_is_compared_with_gender_only_when_gender_is_male_or_female() -> None:
    assert validate_id_number(VALID, None, gender="2") == []
    assert validate_id_number(VALID, None, gender="0") == []
    assert validate_id_number(VALID, None, gender="9") == []
    problems = validate_id_number(VALID, None, gender="1")
    assert len(problems) == 1
    assert "gender" in problems[0]


def test_birth_date_and_gender_are_read_from_the_number() -> None:
    assert birth_date_of(VALID) == datetime.date(1949, 12, 31)
    assert gender_of(VALID) == "2"
    assert gender_of("110101199001011237") == "1"


def test_reading_a_malformed_number_raises() -> None:
    with pytest.raises(ValueError):
        birth_date_of("11010519491231002")
    with pytest.raises(ValueError):
        gender_of("1101A519491231002X")
    with pytest.raises(ValueError):
        birth_date_of("11010519491331002X")


def test_make_id_number_builds_the_domain_example() -> None:
    assert make_id_number("110105", datetime.date(1949, 12, 31), "002") == VALID


def test_make_id_number_refuses_malformed_parts() -> None:
    with pytest.raises(ValueError):
        make_id_number("11010", datetime.date(1990, 1, 1), "001")
    with pytest.raises(ValueError):
        make_id_number("110105", datetime.date(1990, 1, 1), "01")
    with pytest.raises(ValueError):
        make_id_number("110105", datetime.date(999, 1, 1), "001")


# --- properties -----------------------------------------------------------------------


@given(regions, birth_dates, sequences)
def test_every_generated_number_validates_and_round_trips(
    region: str, birth: datetime.date, sequence: str
) -> None:
    id_number = make_id_number(region, birth, sequence)
    assert len(id_number) == 18
    assert validate_id_number(id_number, birth) == []
    assert birth_date_of(id_number) == birth
    assert gender_of(id_number) == ("1" if int(sequence[-1]) % 2 else "2")
    assert validate_id_number(id_number, birth, gender=gender_of(id_number)) == []


@given(id_numbers(), st.integers(min_value=0, max_value=17), st.sampled_from(CHECK_CHARACTERS))
def test_a_single_changed_digit_is_caught_by_the_check_digit(
    id_number: str, position: int, replacement: str
) -> None:
    if position < 17:
        assume(replacement != "X")
    assume(id_number[position] != replacement)
    changed = id_number[:position] + replacement + id_number[position + 1 :]
    assert check_digit(changed[:17]) != changed[17]
    assert validate_id_number(changed, None) != []


@given(id_numbers(), st.integers(min_value=0, max_value=15))
def test_swapping_two_different_adjacent_digits_is_caught_by_the_check_digit(
    id_number: str, position: int
) -> None:
    a, b = id_number[position], id_number[position + 1]
    assume(a != b)
    swapped = id_number[:position] + b + a + id_number[position + 2 :]
    assert validate_id_number(swapped, None) != []


@given(id_numbers(), birth_dates)
def test_a_birth_date_other_than_the_embedded_one_is_always_reported(
    id_number: str, other: datetime.date
) -> None:
    assume(other != birth_date_of(id_number))
    problems = validate_id_number(id_number, other)
    assert len(problems) == 1
    assert "does not match birth_date" in problems[0]


@given(st.text(max_size=20))
def test_validation_never_crashes_and_accepts_only_well_formed_numbers(text: str) -> None:
    problems = validate_id_number(text, None)
    if not problems:
        assert len(text) == 18
        assert check_digit(text[:17]) == text[17]
