"""Citizen identity numbers (公民身份号码, GB 11643-1999), used by rule R-ID.

An 18-character number: a 6-digit address code (行政区划代码), an 8-digit birth date
(YYYYMMDD), a 3-digit sequence code (顺序码, odd for men, even for women) and one check
character (校验码, ``0``–``9`` or an uppercase ``X``, ISO 7064 MOD 11-2).

The address code is not checked against GB/T 2260 (the administrative division table
changes every year and old numbers keep their old codes).
"""

from __future__ import annotations

import datetime
from typing import Final

__all__ = [
    "ID_LENGTH",
    "birth_date_of",
    "check_digit",
    "gender_of",
    "make_id_number",
    "validate_id_number",
]

ID_LENGTH: Final = 18
_WEIGHTS: Final[tuple[int, ...]] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# weighted sum mod 11 → check character
_CHECK_CHARACTERS: Final = "10X98765432"
_ASCII_DIGITS: Final = frozenset("0123456789")


def _is_ascii_digits(text: str) -> bool:
    # str.isdigit() would accept full-width and other Unicode digits (e.g. "１"), which are
    # not valid in an ID number.
    return all(character in _ASCII_DIGITS for character in text)


def check_digit(first17: str) -> str:
    """The GB 11643 check character (``"0"``–``"9"`` or ``"X"``) for the first 17 digits."""
    if len(first17) != ID_LENGTH - 1 or not _is_ascii_digits(first17):
        raise ValueError(
            f"身份证号码本体码应为 17 位数字 (the first part must be 17 digits): {first17!r}"
        )
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


def _embedded_birth_date(id_number: str) -> datetime.date:
    """The birth date in positions 7–14; ``ValueError`` if it is not a real calendar date."""
    text = id_number[6:14]
    try:
        return datetime.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise ValueError(
            f"身份证号码中的出生日期无效 (invalid birth date in ID number): {text!r}"
        ) from None


def _structure_problems(id_number: str) -> list[str]:
    """Problems with the shape of the number: type, length, characters."""
    if not isinstance(id_number, str):
        return [
            f"身份证号码必须是字符串 (ID number must be a string): got {type(id_number).__name__}"
        ]
    problems: list[str] = []
    if len(id_number) != ID_LENGTH:
        message = (
            f"身份证号码应为 18 位，实际为 {len(id_number)} 位 "
            f"(ID number must be 18 characters long, got {len(id_number)})"
        )
        if len(id_number) == 15 and _is_ascii_digits(id_number):
            message += "；不接受 15 位旧号码 (old 15-digit numbers are not accepted)"
        problems.append(message)
    body = id_number[: ID_LENGTH - 1]
    bad = [
        f"{position}:{character!r}"
        for position, character in enumerate(body, start=1)
        if character not in _ASCII_DIGITS
    ]
    if bad:
        problems.append(
            "身份证号码前 17 位只能是数字 (the first 17 characters must be digits 0-9); "
            f"非数字字符 (non-digit characters at position): {', '.join(bad)}"
        )
    if len(id_number) == ID_LENGTH:
        last = id_number[-1]
        if last == "x":
            problems.append(
                "校验码须为大写 X (the check character must be an uppercase 'X', not 'x')"
            )
        elif last not in _ASCII_DIGITS and last != "X":
            problems.append(
                f"校验码只能是数字或大写 X (the check character must be 0-9 or 'X'): {last!r}"
            )
    return problems


def validate_id_number(
    id_number: str,
    birth_date: datetime.date | None,
    *,
    gender: str | None = None,
) -> list[str]:
    """Every problem with ``id_number`` as a human-readable message (Chinese, English).

    An empty list means the number is valid. Checked: length 18; first 17 characters are
    ASCII digits; the last is a digit or an uppercase ``X`` (a lowercase ``x`` is refused);
    the embedded birth date is a real date; the check character; and, when given, that the
    embedded birth date equals ``birth_date`` and the sex digit agrees with ``gender``
    (GB/T 2261.1 ``"1"``/``"2"``; ``"0"`` 未知 and ``"9"`` 未说明 are not compared).
    """
    problems = _structure_problems(id_number)
    if problems and (
        not isinstance(id_number, str)
        or len(id_number) != ID_LENGTH
        or not _is_ascii_digits(id_number[: ID_LENGTH - 1])
    ):
        return problems

    try:
        embedded = _embedded_birth_date(id_number)
    except ValueError as error:
        problems.append(str(error))
        embedded = None

    expected = check_digit(id_number[: ID_LENGTH - 1])
    actual = id_number[-1]
    # A lowercase "x" or another bad last character was already reported above.
    if (actual in _ASCII_DIGITS or actual == "X") and actual != expected:
        problems.append(
            f"校验码错误：应为 {expected!r}，实际为 {actual!r} "
            f"(bad check digit: expected {expected!r}, got {actual!r})"
        )

    if birth_date is not None and embedded is not None and embedded != birth_date:
        problems.append(
            f"身份证号码中的出生日期 {embedded.isoformat()} 与出生日期 {birth_date.isoformat()} "
            f"不一致 (birth date in ID number {embedded.isoformat()} does not match "
            f"birth_date {birth_date.isoformat()})"
        )

    if gender in ("1", "2"):
        embedded_gender = gender_of(id_number)
        if embedded_gender != gender:
            problems.append(
                f"身份证号码中的性别码 {embedded_gender} 与性别 {gender} 不一致 "
                f"(sex digit in ID number means {embedded_gender}, "
                f"but gender is {gender})"
            )
    return problems


def _require_structure(id_number: str) -> None:
    problems = _structure_problems(id_number)
    if problems:
        raise ValueError("; ".join(problems))


def birth_date_of(id_number: str) -> datetime.date:
    """The birth date embedded in an 18-character ID number.

    Only the structure is required (the check character is not verified here: use
    ``validate_id_number`` for that); ``ValueError`` if the structure or date is invalid.
    """
    _require_structure(id_number)
    return _embedded_birth_date(id_number)


def gender_of(id_number: str) -> str:
    """GB/T 2261.1 gender from the 17th digit: ``"1"`` (男) if odd, ``"2"`` (女) if even.

    Only the structure is required; ``ValueError`` otherwise.
    """
    _require_structure(id_number)
    return "1" if int(id_number[16]) % 2 == 1 else "2"


def make_id_number(region6: str, birth: datetime.date, seq3: str) -> str:
    """Build a valid 18-character ID number (for demo data and tests).

    ``region6`` is the 6-digit address code, ``seq3`` the 3-digit sequence code (its last
    digit is the sex digit: odd = 男, even = 女).
    """
    if len(region6) != 6 or not _is_ascii_digits(region6):
        raise ValueError(f"行政区划代码应为 6 位数字 (region code must be 6 digits): {region6!r}")
    if len(seq3) != 3 or not _is_ascii_digits(seq3):
        raise ValueError(f"顺序码应为 3 位数字 (sequence code must be 3 digits): {seq3!r}")
    if isinstance(birth, datetime.datetime) or not isinstance(birth, datetime.date):
        raise TypeError(f"birth must be a datetime.date, got {type(birth).__name__}")
    if not 1000 <= birth.year <= 9999:
        raise ValueError(f"出生年份须为 4 位 (birth year must have 4 digits): {birth.year}")
    first17 = f"{region6}{birth:%Y%m%d}{seq3}"
    return first17 + check_digit(first17)
