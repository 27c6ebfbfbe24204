"""The pieces of a cadre's career as the record implies them: posts held (任职), ranks (职级),
secondments (挂职), pools (人才库), mentors (导师), assessments, sanctions and investigations, and
where the record contradicts itself. ``domain/history.py`` folds the entries into them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol
from uuid import UUID


class Entry(Protocol):
    """What the fold reads of an entry: ``domain.cadre.EntryRecord`` (the write side) and the
    monitors' ``EntryFact`` (the read side) both are one."""

    @property
    def entry_id(self) -> UUID: ...

    @property
    def type(self) -> str: ...

    @property
    def effective_on(self) -> date | None: ...

    @property
    def values(self) -> Any: ...


@dataclass(frozen=True)
class Tenure:
    """A post held over [start, end); end None = still held."""

    unit_code: str
    post_code: str
    start: date
    end: date | None
    appointed_entry: UUID
    manner: str
    ended_by: UUID | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def closed(self, day: date, by: UUID) -> Tenure:
        return Tenure(self.unit_code, self.post_code, self.start, day, self.appointed_entry, self.manner, by)


@dataclass(frozen=True)
class Problem:
    """A contradiction in the record, attributed to the entry that causes it."""

    entry_id: UUID
    field: str | None
    message_zh: str
    message_en: str

    @property
    def key(self) -> tuple[UUID, str]:
        return (self.entry_id, self.message_en)


@dataclass(frozen=True)
class RankSpell:
    """A rank (职级) held from ``since`` (registration, promotion or demotion)."""

    rank: str
    since: date
    entry_id: UUID


@dataclass(frozen=True)
class Secondment:
    """A secondment (挂职) over [start, end); end None = still open."""

    entry_id: UUID
    kind: str
    start: date
    end: date | None = None
    host: str = ""
    role: str = ""
    planned_end_on: date | None = None
    ended_by: UUID | None = None


@dataclass(frozen=True)
class AssessmentRecord:
    """An assessment (考核) with its kind, period and grade."""

    entry_id: UUID
    kind: str
    period: str
    grade: str
    day: date

    @property
    def year(self) -> int | None:
        """The year of an annual (年度) assessment whose period is a year, else None."""
        period = self.period.strip()
        return int(period) if self.kind == "年度" and len(period) == 4 and period.isdigit() else None


@dataclass(frozen=True)
class SanctionRecord:
    """A 处分 (track 党纪 · 政务) or an organisational handling (track 组织处理 · 问责)."""

    entry_id: UUID
    entry_type: str  # Sanctioned | HandledOrganizationally
    track: str
    kind: str
    day: date
    months: int | None = None  # the term of a 留党察看


@dataclass(frozen=True)
class Investigation:
    """An investigation (立案审查) open over [opened_on, closed_on)."""

    entry_id: UUID
    authority: str
    opened_on: date
    closed_on: date | None = None

    def open_on(self, day: date) -> bool:
        return self.opened_on <= day and (self.closed_on is None or day < self.closed_on)


@dataclass
class PoolSpell:
    """A stay in a talent pool (人才库) over [since, until); until None = still a member."""

    pool: str
    since: date
    entry_id: UUID
    grounds: Any = None
    target_grade: Any = None
    last_review: date | None = None
    until: date | None = None
    exit_reason: Any = None


@dataclass(frozen=True)
class MentorSpell:
    """A mentor (导师帮带) of the cadre over [since, until); until None = still assigned."""

    mentor: str  # the mentor's cadre id, as text
    role: str
    since: date
    entry_id: UUID
    until: date | None = None


@dataclass
class History:
    """Everything the fold derives (``domain/history.py``); guards, read-model rows and monitors read it."""

    tenures: list[Tenure] = field(default_factory=list)
    departed_on: date | None = None
    departed_entry: UUID | None = None
    open_secondments: dict[UUID, date] = field(default_factory=dict)  # entry id -> start
    rank: str | None = None
    problems: list[Problem] = field(default_factory=list)
    registered_on: date | None = None  # None: the registration was retracted
    registration: Entry | None = None
    name: str | None = None
    work_started_on: date | None = None
    ranks: list[RankSpell] = field(default_factory=list)
    secondments: list[Secondment] = field(default_factory=list)
    assessments: list[AssessmentRecord] = field(default_factory=list)
    sanctions: list[SanctionRecord] = field(default_factory=list)
    investigations: list[Investigation] = field(default_factory=list)
    pools: list[PoolSpell] = field(default_factory=list)  # in the order they were left, then the open ones
    mentors: list[MentorSpell] = field(default_factory=list)  # in the order they were released, then the open ones

    @property
    def rank_since(self) -> date | None:
        """When the rank now held was attained."""
        return self.ranks[-1].since if self.ranks else None

    def open_investigations(self, day: date) -> list[Investigation]:
        return [i for i in self.investigations if i.open_on(day)]

    def annual_grades(self) -> dict[int, AssessmentRecord]:
        """The 年度 grade of each year (the latest recorded, if a year was assessed twice)."""
        grades: dict[int, AssessmentRecord] = {}
        for a in self.assessments:
            if a.year is not None:
                grades[a.year] = a
        return grades

    def held_on(self, day: date) -> list[Tenure]:
        return [t for t in self.tenures if t.covers(day)]

    def tenures_at(self, unit_code: str, post_code: str) -> tuple[tuple[date, date | None], ...]:
        return tuple(
            (t.start, t.end) for t in self.tenures
            if t.unit_code == unit_code and t.post_code == post_code
        )

    def posts(self) -> set[tuple[str, str]]:
        return {(t.unit_code, t.post_code) for t in self.tenures}
