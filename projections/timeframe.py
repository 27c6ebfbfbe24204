"""The two times of every query: as_of (a date, valid time) and known_at (an instant, recorded time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_

from projections.models import NEVER


@dataclass(frozen=True)
class Timeframe:
    as_of: date
    known_at: datetime | None  # None = now

    @property
    def instant(self) -> datetime:
        """known_at as naive UTC (the stored form); now if not given."""
        moment = self.known_at or datetime.now(UTC)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).replace(tzinfo=None)

    def known(self, table: Any) -> ColumnElement[bool]:
        t = self.instant
        return and_(table.recorded_from <= t, table.recorded_to > t)

    def known_now_by_equality(self, table: Any) -> ColumnElement[bool]:
        """Like ``known``, but as known now it says "still in the record" as an equality on
        recorded_to, which an index led by recorded_to can serve in another column's order (the
        findings page). Elsewhere the range form lets the planner prefer a more selective index."""
        if self.known_at is None:
            return and_(table.recorded_to == NEVER, table.recorded_from <= self.instant)
        return self.known(table)

    def valid(self, table: Any) -> ColumnElement[bool]:
        return and_(table.valid_from <= self.as_of, table.valid_to > self.as_of)

    def describe(self) -> dict[str, str | None]:
        return {"as_of": self.as_of.isoformat(),
                "known_at": self.known_at.isoformat() if self.known_at else None}


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
