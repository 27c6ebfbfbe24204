"""What a cadre's record implies: tenures, departure, open secondments, ranks — and where
the record contradicts itself.

Pure functions over the standing entries, ordered by effective date then recorded order,
so a back-dated entry is judged by the world on its date and a correction or retraction
is judged by the whole history it leaves behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.cadre import EntryRecord


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


@dataclass
class History:
    tenures: list[Tenure] = field(default_factory=list)
    departed_on: date | None = None
    departed_entry: UUID | None = None
    open_secondments: dict[UUID, date] = field(default_factory=dict)  # entry id -> start
    rank: str | None = None
    problems: list[Problem] = field(default_factory=list)

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


def derive(entries: list[EntryRecord]) -> History:
    """Walk the standing entries in effective order and derive the cadre's history."""
    h = History()
    open_tenures: dict[tuple[str, str], Tenure] = {}
    ended_secondments: set[UUID] = set()
    known: dict[UUID, EntryRecord] = {e.entry_id: e for e in entries}

    def problem(e: EntryRecord, fld: str | None, zh: str, en: str) -> None:
        h.problems.append(Problem(e.entry_id, fld, zh, en))

    for e in _ordered(entries):
        v: dict[str, Any] = e.values
        day = e.effective_on or date.min
        if e.type == "CadreRegistered":
            h.rank = v.get("rank")
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
            h.rank = v["to_rank"]
        elif e.type == "SecondmentStarted":
            if v["planned_end_on"] < day:
                problem(e, "planned_end_on", "计划结束日期早于开始日期",
                        "planned end before the start")
            h.open_secondments[e.entry_id] = day
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


def _close(tenure: Tenure, day: date, by: UUID) -> Tenure:
    return Tenure(tenure.unit_code, tenure.post_code, tenure.start, day,
                  tenure.appointed_entry, tenure.manner, by)
