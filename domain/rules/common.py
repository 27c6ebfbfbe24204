"""What the promotion rules share: a finding with its reason for people, and calendar arithmetic.

Periods are counted in calendar months from the day they start: a period of M months that
starts on S covers S … add_months(S, M) − 1 day, and add_months(S, M) is the first day
outside it. A month-end start is clamped (2023-08-31 + 6 months = 2024-02-29).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from domain.errors import Violation

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Finding:
    """What a rule found: its violations, and (when there are none) why it passes."""

    violations: list[Violation] = field(default_factory=list)
    note_zh: str = "符合"
    note_en: str = "passes"

    @property
    def note(self) -> str:
        return f"{self.note_zh} ({self.note_en})"


NOT_APPLICABLE = Finding(note_zh="不涉及", note_en="not applicable")  # the rule does not concern the entry


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def last_day(start: date, months: int) -> date:
    """The last day of a period of ``months`` months starting on ``start``."""
    return add_months(start, months) - ONE_DAY


def served_days(spans: list[tuple[date, date | None]], until: date) -> int:
    """Days covered by the spans [start, end) before ``until`` (overlaps counted once)."""
    clipped = sorted((s, min(e, until) if e is not None else until) for s, e in spans if s < until)
    total, reach = 0, date.min
    for start, end in clipped:
        start = max(start, reach)
        if end > start:
            total += (end - start).days
            reach = end
    return total


def completes_on(spans: list[tuple[date, date | None]], on: date, years: int) -> date | None:
    """The day the spans complete ``years`` years of service, judged on ``on``.

    The time served before ``on`` is read as one continuous span ending on ``on``; the years
    are complete on the anniversary of its (virtual) start. If a span is still open on ``on``
    that anniversary is also the day the requirement will be met; otherwise service has
    stopped, and None means it is not met on ``on`` and will not be by waiting.
    """
    served = served_days(spans, on)
    done = add_years(on - timedelta(days=served), years)
    if done <= on:
        return done
    still_serving = any(s <= on and (e is None or on < e) for s, e in spans)
    return done if still_serving else None
