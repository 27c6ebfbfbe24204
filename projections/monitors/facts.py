"""Finding facts: what the monitors of DOMAIN.md §6.2 produce, and the cadre timeline they read.

A monitor is a pure function of a cadre's standing entries (corrections applied, retracted
entries left out), the posts they name, the ``RuleConfig`` and a ``horizon`` date. It returns
``FindingFact`` rows that carry dates, not statuses: the finding exists from ``trigger_on``,
should have been met by ``due_on`` and was met on ``resolved_on``. Whether it is open,
resolved or overdue on a given day is then a comparison of dates (``status_on``,
``is_overdue``, or the same comparison in SQL), so nothing here depends on "today".
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from uuid import UUID

from domain.cadre import EntryRecord
from domain.codes import grade_level, rank_index
from domain.history import History, Tenure, derive

Status = Literal["open", "resolved", "overridden"]

# Who counts as 县处级 and above, and as 乡科级 (R-TRAIN-HOURS, R-PERSONAL-MATTERS).
# Classification codes of DOMAIN.md §3, not thresholds: 132 县处级副职; 四级调研员 is the lowest
# rank equivalent to it (职务与职级并行规定 2019); 141/142 乡科级正/副职; 一级主任科员 the highest
# rank of the 乡科级 band.
COUNTY_DEPUTY_GRADE = "132"
TOWNSHIP_GRADES = ("141", "142")
COUNTY_LOWEST_RANK = "四级调研员"
TOWNSHIP_HIGHEST_RANK = "一级主任科员"


@dataclass(frozen=True)
class EntryFact:
    """One standing entry of a cadre, as known at some instant (corrections applied)."""

    entry_id: UUID
    type: str  # event class name, e.g. "Appointed"
    effective_on: date | None
    values: Mapping[str, Any]  # the entry's fields (as in domain EntryRecord.values)
    overrides: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostInfo:
    unit_code: str
    post_code: str
    grade: str
    leadership: bool
    probation: bool
    title: str = ""


@dataclass(frozen=True)
class FindingFact:
    rule: str  # e.g. "R-TALK-PROMO"
    cadre_id: UUID | None  # None for unit-level findings (R-RUSH)
    unit_code: str | None  # the unit the finding belongs to (the cadre's unit at the trigger date)
    key: str  # stable identity within (rule, cadre)
    trigger_on: date  # from this date the finding exists
    due_on: date | None  # by this date the missing thing should have been recorded
    resolved_on: date | None  # effective date of the entry that resolved it
    overridden: bool = False  # R-OVERRIDE, and findings whose triggering entry carried an override
    evidence: tuple[UUID, ...] = ()  # entry ids that caused it
    resolution: tuple[UUID, ...] = ()  # entry ids that resolved it
    detail: str = ""  # human-readable, Chinese with English in brackets


def status_on(fact: FindingFact, as_of: date) -> Status | None:
    """None before trigger_on; 'overridden' if overridden; 'resolved' if resolved_on <= as_of; else 'open'."""
    if as_of < fact.trigger_on:
        return None
    if fact.overridden:
        return "overridden"
    if fact.resolved_on is not None and fact.resolved_on <= as_of:
        return "resolved"
    return "open"


def is_overdue(fact: FindingFact, as_of: date) -> bool:
    """Open on ``as_of`` and ``as_of`` is after the due date."""
    return status_on(fact, as_of) == "open" and fact.due_on is not None and as_of > fact.due_on


# — date arithmetic (saturating: a date past 9999-12-31 becomes date.max, i.e. "never") —

def add_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (earlier if negative), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def year_end(year: int) -> date:
    return date(year, 12, 31)


def as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def as_uuid(value: Any) -> UUID | None:
    if isinstance(value, UUID):
        return value
    if value is None:
        return None
    try:
        return UUID(str(value))
    except ValueError:
        return None


def as_decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def as_year(value: Any) -> int | None:
    """A calendar year from an int or a period string such as "2023"; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if date.min.year <= value <= date.max.year else None
    if isinstance(value, str) and value.strip().isdigit():
        return as_year(int(value.strip()))
    return None


# — the cadre timeline the monitors read —

@dataclass(frozen=True)
class Timeline:
    """A cadre's standing entries in effective order, with the history they imply.

    Entries are ordered by (effective_on, position in the input); the input is expected in
    recorded order (as ``Cadre.standing_entries()`` lists them), so ties keep recorded order.
    """

    cadre_id: UUID
    entries: tuple[EntryFact, ...]
    posts: Mapping[tuple[str, str], PostInfo]
    history: History
    by_id: Mapping[UUID, EntryFact]

    @classmethod
    def build(cls, cadre_id: UUID, entries: Sequence[EntryFact],
              posts: Mapping[tuple[str, str], PostInfo]) -> Timeline:
        indexed = sorted(enumerate(entries), key=lambda p: (p[1].effective_on or date.min, p[0]))
        ordered = tuple(e for _, e in indexed)
        records = [
            EntryRecord(entry_id=e.entry_id, type=e.type, version=i, recorded_at=datetime.min,
                        original=_record_values(e), values=_record_values(e))
            for i, e in indexed
        ]
        return cls(cadre_id, ordered, posts, derive(records), {e.entry_id: e for e in ordered})

    def of_type(self, *types: str) -> list[EntryFact]:
        return [e for e in self.entries if e.type in types]

    def dated(self, *types: str) -> list[tuple[date, EntryFact]]:
        """Entries of these types that have an effective date, with it."""
        return [(e.effective_on, e) for e in self.entries if e.type in types and e.effective_on is not None]

    @property
    def registration(self) -> EntryFact | None:
        found = self.of_type("CadreRegistered")
        return found[0] if found else None

    @property
    def registered_on(self) -> date | None:
        reg = self.registration
        return reg.effective_on if reg is not None else None

    @property
    def departure(self) -> EntryFact | None:
        entry_id = self.history.departed_entry
        return self.by_id.get(entry_id) if entry_id is not None else None

    def active_on(self, day: date) -> bool:
        """Registered on or before ``day`` and not yet departed on it."""
        registered = self.registered_on
        departed = self.history.departed_on
        return registered is not None and registered <= day and (departed is None or day < departed)

    def post(self, unit_code: str, post_code: str) -> PostInfo | None:
        return self.posts.get((unit_code, post_code))

    def tenure_of(self, appointed_entry: UUID) -> Tenure | None:
        return next((t for t in self.history.tenures if t.appointed_entry == appointed_entry), None)

    def rank_on(self, day: date) -> str | None:
        rank: str | None = None
        for when, e in self.dated("CadreRegistered", "RankPromoted", "RankDemoted"):
            if when > day:
                break
            value = e.values.get("rank" if e.type == "CadreRegistered" else "to_rank")
            rank = value if isinstance(value, str) else rank
        return rank

    def unit_on(self, day: date) -> str | None:
        """The unit of the most senior post held on ``day``; else of the last post left by then."""
        held = self.history.held_on(day)
        if held:
            return min(held, key=lambda t: (-self._seniority(t), t.start, t.unit_code, t.post_code)).unit_code
        ended = [t for t in self.history.tenures if t.end is not None and t.end <= day]
        if ended:
            return max(ended, key=lambda t: (t.end or date.min, t.start, t.unit_code, t.post_code)).unit_code
        return None

    def _seniority(self, tenure: Tenure) -> int:
        info = self.post(tenure.unit_code, tenure.post_code)
        if info is None:
            return 0
        try:
            return grade_level(info.grade) * 2 + (1 if info.leadership else 0)
        except ValueError:
            return 0

    def leadership_grades_on(self, day: date) -> list[str]:
        grades = []
        for t in self.history.held_on(day):
            info = self.post(t.unit_code, t.post_code)
            if info is not None and info.leadership:
                grades.append(info.grade)
        return grades

    def is_county_level_on(self, day: date) -> bool:
        """县处级副职 and above: a leadership post of grade 132 or higher, or rank 四级调研员 or higher."""
        floor = grade_level(COUNTY_DEPUTY_GRADE)
        if any(_level(g) >= floor for g in self.leadership_grades_on(day)):
            return True
        return _rank_position(self.rank_on(day)) <= rank_index(COUNTY_LOWEST_RANK)

    def is_township_level_on(self, day: date) -> bool:
        """乡科级 leader (post 141/142 with leadership) or rank 一级主任科员 and below (not county level)."""
        if self.is_county_level_on(day):
            return False
        if any(g in TOWNSHIP_GRADES for g in self.leadership_grades_on(day)):
            return True
        position = _rank_position(self.rank_on(day))
        return rank_index(TOWNSHIP_HIGHEST_RANK) <= position < _UNKNOWN_RANK

    def finding(self, rule: str, key: str, *, trigger_on: date, due_on: date | None,
                trigger: EntryFact | None = None, evidence: Sequence[UUID] = (),
                resolved_by: Sequence[EntryFact] = (), resolved_on: date | None = None,
                unit_code: str | None = None, detail: str = "") -> FindingFact:
        """Build a cadre-level fact. ``trigger`` is the entry the finding directly follows
        (its override marks the finding overridden); ``resolved_on`` defaults to the
        effective date of the last of ``resolved_by``."""
        ids = tuple(evidence) or ((trigger.entry_id,) if trigger is not None else ())
        if resolved_on is None and resolved_by:
            resolved_on = resolved_by[-1].effective_on
        return FindingFact(
            rule=rule, cadre_id=self.cadre_id,
            unit_code=unit_code if unit_code is not None else self.unit_on(trigger_on),
            key=key, trigger_on=trigger_on, due_on=due_on, resolved_on=resolved_on,
            overridden=bool(trigger is not None and trigger.overrides),
            evidence=ids, resolution=tuple(e.entry_id for e in resolved_by), detail=detail,
        )


_UNKNOWN_RANK = 1_000


def _rank_position(rank: str | None) -> int:
    if rank is None:
        return _UNKNOWN_RANK
    try:
        return rank_index(rank)
    except ValueError:
        return _UNKNOWN_RANK


def _level(grade: str) -> int:
    try:
        return grade_level(grade)
    except ValueError:
        return 0


def _record_values(e: EntryFact) -> dict[str, Any]:
    values = dict(e.values)
    values["effective_on"] = e.effective_on
    return values


def first_on_or_after(candidates: Sequence[tuple[date, EntryFact]], start: date) -> EntryFact | None:
    """The earliest candidate effective on or after ``start`` (candidates in effective order)."""
    return next((e for when, e in candidates if when >= start), None)


def str_value(e: EntryFact, name: str) -> str | None:
    value = e.values.get(name)
    return value if isinstance(value, str) else None
