"""The bounds a person expects of every value the record takes (issue 16), declared once.

Dates lie in a stated window of the calendar, 学时 are finite with one decimal place and a ceiling
per entry, lists and texts have lengths. The entry types' annotations (``domain/schema.py``) read
these constants, so the domain's validation and the API's ``/openapi.json`` state the same bounds;
the query parameters of the API and of the pages (``as_of``, ``known_at`` …) are held to the same
window before any date arithmetic runs, so no input can carry a computation off the calendar.

The regular expressions here are what ``/openapi.json`` shows as ``pattern``: each says exactly
which texts are accepted (tested exhaustively at its edges in ``tests/unit/test_bounds.py``).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from decimal import Decimal

from domain.errors import FieldError, ValidationError

# ——— the calendar window ———
EARLIEST_RECORD_DAY = date(1949, 10, 1)  # 中华人民共和国成立: no entry of a record is dated earlier
EARLIEST_BIRTH_DAY = date(1900, 1, 1)  # 出生日期
LATEST_DAY = date(2099, 12, 31)  # the last day any date may name (planned dates included)
# Effective dates are further held to today by R-FUTURE (a rule, since "today" moves).
EARLIEST_QUERY_DAY = date(1900, 1, 1)  # as_of, on, due_before, from, to: the world on a day in the window
LATEST_QUERY_DAY = LATEST_DAY
# Instants (known_at): the date as written (before any UTC offset) lies in the query window, so
# converting to UTC can never leave the calendar.

# ——— amounts ———
MAX_TRAINING_HOURS = Decimal(2000)  # 学时 of one training entry: about a year of full-time study
HOURS_STEP = Decimal("0.1")  # 学时 are recorded to one decimal place (0.5 = half an hour)
SCORE_STEP = Decimal("0.01")  # 民主测评 scores (0–100) to two decimal places
MAX_ESTABLISHMENT = 999  # 职数 of one post
MAX_MEETING_MEMBERS = 1000  # 讨论决定: members of the deciding body (应到会)
MAX_PARTICIPANTS = 100_000  # 民主推荐: participants, and the votes one cadre gets
MAX_OBJECTIONS = 1_000_000  # 任前公示: objections received

# ——— lists and texts ———
MAX_GOALS = 50  # 培养计划: goals of one development plan
MAX_LISTED_CADRES = 100  # 确定考察对象 / 民主推荐: cadres named in one step
YEAR_PATTERN = "(19[4-9][0-9]|20[0-9][0-9])"  # a year of the record, 1940 … 2099, as text ("2023")
MAX_ENDED_POSTS = 10  # 任…免…: posts one appointment ends (a cadre holds a few at most)
MAX_CHANGES = 40  # 更正: fields changed by one correction (more than any entry type has)
TEXT_LENGTH = 2000  # a text field with no narrower bound
NAME_LENGTH = 100  # names, titles, institutions, 文号
CODE_LENGTH = 32  # unit, post and cadre codes
NOTE_LENGTH = 4000  # narratives: summaries, findings, grounds
REASON_LENGTH = 500  # the reason of an entry, a correction or a retraction


# ——— patterns ———

def _digits(count: int) -> str:
    return "[0-9]" if count == 1 else f"[0-9]{{{count}}}"


def _class(first: int, last: int) -> str:
    return str(first) if first == last else f"[{first}-{last}]"


def _digit_span(low: str, high: str) -> list[str]:
    """Alternatives matching exactly the numerals ``low``..``high`` of the same width (digit by digit)."""
    if low == high:
        return [low]
    rest = len(low) - 1
    if rest == 0:
        return [_class(int(low), int(high))]
    if low[0] == high[0]:
        tails = _digit_span(low[1:], high[1:])
        return [low[0] + (tails[0] if len(tails) == 1 else f"(?:{'|'.join(tails)})")]
    low_whole, high_whole = low[1:] == "0" * rest, high[1:] == "9" * rest
    first = int(low[0]) if low_whole else int(low[0]) + 1
    last = int(high[0]) if high_whole else int(high[0]) - 1
    found = [] if low_whole else _digit_span(low, low[0] + "9" * rest)
    if first <= last:
        found.append(_class(first, last) + _digits(rest))
    return found + ([] if high_whole else _digit_span(high[0] + "0" * rest, high))


def fixed_width_pattern(low: int, high: int, width: int) -> str:
    """A group matching the numbers ``low``..``high`` written with exactly ``width`` digits (01 … 12)."""
    return f"(?:{'|'.join(_digit_span(str(low).zfill(width), str(high).zfill(width)))})"


def numeral_pattern(low: int, high: int) -> str:
    """A group matching the numbers ``low``..``high`` (≥ 0) written without leading zeros."""
    spans = []
    for width in range(len(str(low)), len(str(high)) + 1):
        first = max(low, 10 ** (width - 1) if width > 1 else 0)
        last = min(high, 10**width - 1)
        if first <= last:
            spans += _digit_span(str(first), str(last))
    return f"(?:{'|'.join(spans)})"


_DAY_OF_MONTH = "(?:0[1-9]|[12][0-9]|3[01])"


def date_pattern(low: date, high: date) -> str:
    """An anchored pattern for YYYY-MM-DD days from ``low`` (the 1st of a month) to ``high`` (the last
    day of a month); with ``format: date`` it states the window exactly."""
    assert low.day == 1 and high.day == calendar.monthrange(high.year, high.month)[1], (low, high)
    spans: list[str] = []

    def months(year_low: int, year_high: int, month_low: int, month_high: int) -> None:
        if year_low <= year_high and month_low <= month_high:
            year, month = fixed_width_pattern(year_low, year_high, 4), fixed_width_pattern(month_low, month_high, 2)
            spans.append(f"{year}-{month}")

    first_whole = low.year + (low.month != 1)  # the first and last years whose every month is in
    last_whole = high.year - (high.month != 12)
    if low.year == high.year and first_whole > last_whole:
        months(low.year, low.year, low.month, high.month)
    else:
        if low.month != 1:
            months(low.year, low.year, low.month, 12)
        months(first_whole, last_whole, 1, 12)
        if high.month != 12:
            months(high.year, high.year, 1, high.month)
    return f"^(?:{'|'.join(spans)})-{_DAY_OF_MONTH}$"


def calendar_day_pattern(first_year: int, last_year: int) -> str:
    """A group matching exactly the real calendar days YYYY-MM-DD of the years given (no 02-30, and
    02-29 only in leap years), for texts that carry no ``format`` of their own."""
    years = fixed_width_pattern(first_year, last_year, 4)
    leap = "|".join(str(y) for y in range(first_year, last_year + 1) if calendar.isleap(y))
    common = ("(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
              "|(?:0[13578]|1[02])-31)")
    return f"(?:{years}-{common}|(?:{leap})-02-29)"


_TIME = "(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{1,6})?)?"
_OFFSET = "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
INSTANT_PATTERN = (f"^{calendar_day_pattern(EARLIEST_QUERY_DAY.year, LATEST_QUERY_DAY.year)}"
                   f"T{_TIME}{_OFFSET}?$")
RECORD_DAY_PATTERN = date_pattern(EARLIEST_RECORD_DAY, LATEST_DAY)
BIRTH_DAY_PATTERN = date_pattern(EARLIEST_BIRTH_DAY, LATEST_DAY)
QUERY_DAY_PATTERN = date_pattern(EARLIEST_QUERY_DAY, LATEST_QUERY_DAY)


def _up_to(count: int) -> str:
    """0 to ``count`` digits."""
    return "" if count == 0 else "[0-9]?" if count == 1 else f"[0-9]{{0,{count}}}"


def decimal_text_pattern(top: int, places: int, *, positive: bool) -> str:
    """An anchored pattern for numbers written as text from 0 (or just above it, if ``positive``) to
    ``top`` (a whole number), with at most ``places`` (≥ 1) decimal places: ``0.5``, ``12``, ``2000.0``."""
    assert top >= 2 and places >= 1
    fraction = f"(?:\\.[0-9]{_up_to(places - 1)})?"  # a point and 1 … places digits
    zeros = f"(?:\\.0{_up_to(places - 1).replace('[0-9]', '0')})?"
    nonzero = "|".join("0" * i + "[1-9]" + _up_to(places - 1 - i) for i in range(places))  # not all zeros
    below_one = f"0\\.(?:{nonzero})|" if positive else ""
    first = 1 if positive else 0
    return f"^(?:{below_one}{numeral_pattern(first, top - 1)}{fraction}|{top}{zeros})$"


HOURS_PATTERN = decimal_text_pattern(int(MAX_TRAINING_HOURS), 1, positive=True)


# ——— checks of the query parameters (API and pages) ———

def window_message(low: date, high: date) -> str:
    return f"须在{low}至{high}之间 (must lie between {low} and {high})"


_DAY_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INSTANT_SHAPE = re.compile(f"[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}T{_TIME}{_OFFSET}?")
NOT_A_DAY = "须为日期 YYYY-MM-DD (must be a date YYYY-MM-DD)"
NOT_AN_INSTANT = "须为时间 ISO 8601，如 2024-05-01T09:30:00+08:00 (must be an ISO 8601 instant)"


def query_day(name: str, text: str) -> date:
    """A day given as a query parameter (YYYY-MM-DD in the query window), or a ValidationError naming it."""
    try:
        day = date.fromisoformat(text) if _DAY_SHAPE.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None:
        raise ValidationError([FieldError(name, NOT_A_DAY)])
    if not EARLIEST_QUERY_DAY <= day <= LATEST_QUERY_DAY:
        raise ValidationError([FieldError(name, window_message(EARLIEST_QUERY_DAY, LATEST_QUERY_DAY))])
    return day


def query_instant(name: str, text: str) -> datetime:
    """An instant given as a query parameter (ISO 8601 as ``INSTANT_PATTERN`` says: offset optional, its
    date in the query window), or a ValidationError naming it. A naive instant is returned naive: the
    caller says which zone it means."""
    try:
        moment = datetime.fromisoformat(text) if _INSTANT_SHAPE.fullmatch(text) else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError([FieldError(name, NOT_AN_INSTANT)])
    if not EARLIEST_QUERY_DAY <= moment.date() <= LATEST_QUERY_DAY:
        raise ValidationError([FieldError(name, window_message(EARLIEST_QUERY_DAY, LATEST_QUERY_DAY))])
    return moment
