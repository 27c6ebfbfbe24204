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
        if self.known_at is None:  # as known now: the rows still in the record (an equality the indexes serve)
            return and_(table.recorded_to == NEVER, table.recorded_from <= t)
        return and_(table.recorded_from <= t, table.recorded_to > t)

    def valid(self, table: Any) -> ColumnElement[bool]:
        return and_(table.valid_from <= self.as_of, table.valid_to > self.as_of)

    def describe(self) -> dict[str, str | None]:
        return {"as_of": self.as_of.isoformat(),
                "known_at": self.known_at.isoformat() if self.known_at else None}


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
