"""What a cadre's record implies: tenures, departure, secondments, ranks, assessments,
sanctions and investigations — and where the record contradicts itself.

Pure functions over the standing entries, ordered by effective date then recorded order,
so a back-dated entry is judged by the world on its date and a correction or retraction
is judged by the whole history it leaves behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.cadre import EntryRecord
from domain.codes import rank_index


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
class History:
    tenures: list[Tenure] = field(default_factory=list)
    departed_on: date | None = None
    departed_entry: UUID | None = None
    open_secondments: dict[UUID, date] = field(default_factory=dict)  # entry id -> start
    rank: str | None = None
    problems: list[Problem] = field(default_factory=list)
    registered_on: date | None = None  # None: the registration was retracted
    name: str | None = None
    work_started_on: date | None = None
    ranks: list[RankSpell] = field(default_factory=list)
    secondments: list[Secondment] = field(default_factory=list)
    assessments: list[AssessmentRecord] = field(default_factory=list)
    sanctions: list[SanctionRecord] = field(default_factory=list)
    investigations: list[Investigation] = field(default_factory=list)

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


def _ordered(entries: list[EntryRecord]) -> list[EntryRecord]:
    return sorted(entries, key=lambda e: (e.effective_on or date.min, e.version))


def derive_as_of(entries: list[EntryRecord], day: date, exclude: UUID | None = None) -> History:
    """The history on ``day``: only entries effective on or before it (the registration always),
    without the entry ``exclude`` (the one being judged), so an entry is judged by the world on
    its own date and never by what happened later in valid time."""
    return derive([
        e for e in entries
        if e.entry_id != exclude and (e.type == "CadreRegistered" or (e.effective_on or date.min) <= day)
    ])


def derive(entries: list[EntryRecord]) -> History:
    """Walk the standing entries in effective order and derive the cadre's history."""
    h = History()
    open_tenures: dict[tuple[str, str], Tenure] = {}
    ended_secondments: set[UUID] = set()
    secondment_index: dict[UUID, int] = {}
    known: dict[UUID, EntryRecord] = {e.entry_id: e for e in entries}

    def problem(e: EntryRecord, fld: str | None, zh: str, en: str) -> None:
        h.problems.append(Problem(e.entry_id, fld, zh, en))

    born = _birth_date(entries)
    for e in _ordered(entries):
        v: dict[str, Any] = e.values
        day = e.effective_on or date.min
        _before_birth(e, born, problem)
        if e.type == "CadreRegistered":
            h.rank = v.get("rank")
            h.registered_on, h.work_started_on, h.name = day, v.get("work_started_on"), v.get("name")
            if h.rank is not None:
                h.ranks.append(RankSpell(h.rank, day, e.entry_id))
            continue
        if h.departed_on is not None and day > h.departed_on:
            problem(e, "effective_on", "离职后不得再有记录", "entry after the cadre departed")
        if e.type == "Appointed":
            key = (v["unit_code"], v["post_code"])
            if key in open_tenures:
                problem(e, "post_code", "已担任该职位", "the cadre already holds this post")
                continue
            open_tenures[key] = Tenure(key[0], key[1], day, None, e.entry_id, v["manner"])
        elif e.type == "Dismissed":
            key = (v["unit_code"], v["post_code"])
            tenure = open_tenures.pop(key, None)
            if tenure is None:
                problem(e, "post_code", "免职的职位在该日未担任",
                        "dismissal from a post not held on that date")
                continue
            h.tenures.append(_close(tenure, day, e.entry_id))
        elif e.type == "ProbationConcluded":
            held = [t for t in open_tenures.values() if t.post_code == v["post_code"]
                    and (v.get("unit_code") in (None, t.unit_code))]
            if not held:
                problem(e, "post_code", "试用期考核的职位在该日未担任",
                        "probation concluded for a post not held on that date")
        elif e.type in ("RankPromoted", "RankDemoted"):
            if h.rank is not None and v["from_rank"] != h.rank:
                problem(e, "from_rank", f"原职级应为{h.rank}",
                        f"from_rank does not match the rank held ({h.rank})")
            up = rank_index(v["to_rank"]) < rank_index(v["from_rank"])
            if up != (e.type == "RankPromoted"):
                problem(e, "to_rank", "晋升须升至更高职级，降低须降至更低职级",
                        "a promotion must raise the rank and a demotion lower it")
            h.rank = v["to_rank"]
            h.ranks.append(RankSpell(v["to_rank"], day, e.entry_id))
        elif e.type == "SecondmentStarted":
            if v["planned_end_on"] < day:
                problem(e, "planned_end_on", "计划结束日期早于开始日期",
                        "planned end before the start")
            h.open_secondments[e.entry_id] = day
            secondment_index[e.entry_id] = len(h.secondments)
            h.secondments.append(Secondment(e.entry_id, v["kind"], day))
        elif e.type == "SecondmentEnded":
            target = v["secondment_entry_id"]
            if target not in h.open_secondments:
                why = ("挂职已结束 (secondment already ended)" if target in ended_secondments
                       else "无对应的挂职记录 (no matching open secondment)")
                zh, _, en = why.partition(" (")
                problem(e, "secondment_entry_id", zh, en.rstrip(")"))
                continue
            ended_secondments.add(target)
            del h.open_secondments[target]
            started = h.secondments[secondment_index[target]]
            h.secondments[secondment_index[target]] = Secondment(started.entry_id, started.kind,
                                                                 started.start, day)
        elif e.type == "Assessed":
            h.assessments.append(AssessmentRecord(e.entry_id, v["kind"], v["period"], v["grade"], day))
        elif e.type == "Sanctioned":
            h.sanctions.append(SanctionRecord(e.entry_id, e.type, v["track"], v["kind"], day,
                                              v.get("months")))
        elif e.type == "HandledOrganizationally":
            track = "问责" if v.get("accountability") else "组织处理"
            h.sanctions.append(SanctionRecord(e.entry_id, e.type, track, v["kind"], day))
        elif e.type == "InvestigationOpened":
            h.investigations.append(Investigation(e.entry_id, v["authority"], day))
        elif e.type == "InvestigationClosed":
            _close_investigation(h, e, day, problem)
        elif e.type in ("ConversationHeld",) and v.get("trigger_entry_id"):
            if v["trigger_entry_id"] not in known:
                problem(e, "trigger_entry_id", "引发谈话的记录不存在", "trigger entry not found")
        elif e.type == "ComplaintConcluded":
            target = known.get(v["complaint_entry_id"])
            if target is None or target.type != "ComplaintReceived":
                problem(e, "complaint_entry_id", "无对应的信访举报", "no matching complaint")
        elif e.type == "Departed":
            if h.departed_on is not None:
                problem(e, None, "已离职", "the cadre already departed")
                continue
            h.departed_on, h.departed_entry = day, e.entry_id
            for key, tenure in list(open_tenures.items()):
                h.tenures.append(_close(tenure, day, e.entry_id))
                del open_tenures[key]
    h.tenures.extend(open_tenures.values())
    h.tenures.sort(key=lambda t: (t.start, t.unit_code, t.post_code))
    return h


def _birth_date(entries: list[EntryRecord]) -> date | None:
    born = next((e.values.get("birth_date") for e in entries if e.type == "CadreRegistered"), None)
    return born if isinstance(born, date) else None


# Dates of a record that cannot precede the cadre's birth: an entry's effective date (a talk, a
# training, an appointment … before one was born is meaningless), and the registration's own dates.
BIRTH_BOUND_DATES = {"effective_on": ("生效日期", "effective date"),
                     "work_started_on": ("参加工作日期", "work start"),
                     "party_joined_on": ("入党日期", "party membership")}


def _before_birth(e: EntryRecord, born: date | None,
                  problem: Callable[[EntryRecord, str | None, str, str], None]) -> None:
    if born is None or e.type in ("EntryCorrected", "EntryRetracted"):
        return
    for name, (zh, en) in BIRTH_BOUND_DATES.items():
        value = e.values.get(name)
        if isinstance(value, date) and value < born:
            problem(e, name, f"{zh}（{value}）早于出生日期（{born}）",
                    f"{en} {value} is before the cadre's birth date {born}")


def _close_investigation(h: History, e: EntryRecord, day: date,
                         problem: Callable[[EntryRecord, str | None, str, str], None]) -> None:
    """Close the investigation named by ``investigation_entry_id``, else the oldest open one by
    the same authority, else the oldest open one."""
    v = e.values
    still_open = [(n, i) for n, i in enumerate(h.investigations) if i.closed_on is None]
    target = v.get("investigation_entry_id")
    if target is not None:
        match = [(n, i) for n, i in still_open if i.entry_id == target]
    else:
        match = [(n, i) for n, i in still_open if i.authority == v.get("authority")] or still_open
    if not match:
        problem(e, "investigation_entry_id" if target else None, "无对应的立案审查",
                "no matching open investigation")
        return
    n, found = match[0]
    h.investigations[n] = Investigation(found.entry_id, found.authority, found.opened_on, day)


def _close(tenure: Tenure, day: date, by: UUID) -> Tenure:
    return Tenure(tenure.unit_code, tenure.post_code, tenure.start, day,
                  tenure.appointed_entry, tenure.manner, by)
