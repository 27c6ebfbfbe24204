"""The one fold of a cadre's career: what the standing entries imply (``domain/career.py``), for the
guards (the world on an entry's date), the read-model rows (``projections/derive.py``) and the
monitors (``domain/monitors/facts.py``) alike.

Entries are folded in effective order, ties in recorded order (the input's order: a cadre's
standing entries are listed as recorded), so a back-dated entry is judged by the world on its date
and a correction or retraction by the whole history it leaves behind. Each entry type that shapes
the career has one function here (``FOLDS``); the others leave the career as it is.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from uuid import UUID

from domain.appointment import ended_posts
from domain.career import (
    AssessmentRecord,
    Entry,
    History,
    Investigation,
    MentorSpell,
    PoolSpell,
    Problem,
    RankSpell,
    SanctionRecord,
    Secondment,
    Tenure,
)
from domain.codes import rank_index

__all__ = [
    "FOLDS",
    "AssessmentRecord",
    "Entry",
    "Fold",
    "History",
    "Investigation",
    "MentorSpell",
    "PoolSpell",
    "Problem",
    "RankSpell",
    "SanctionRecord",
    "Secondment",
    "Tenure",
    "birth_date",
    "derive",
    "derive_as_of",
    "fold_entry",
    "folds",
    "history_with",
    "pool_end",
    "tenure_order",
    "walk",
]


@dataclass
class Fold:
    """The history being derived, and what the fold keeps only while it walks the entries."""

    h: History = field(default_factory=History)
    known: dict[UUID, Entry] = field(default_factory=dict)
    open_tenures: dict[tuple[str, str], Tenure] = field(default_factory=dict)
    ended_secondments: set[UUID] = field(default_factory=set)
    secondment_index: dict[UUID, int] = field(default_factory=dict)
    open_pools: dict[str, PoolSpell] = field(default_factory=dict)
    open_mentors: dict[tuple[str, str], MentorSpell] = field(default_factory=dict)
    last_day: date = date.min  # the day of the entry folded last (entries are folded in effective order)

    def problem(self, e: Entry, fld: str | None, zh: str, en: str) -> None:
        self.h.problems.append(Problem(e.entry_id, fld, zh, en))

    def close(self, key: tuple[str, str], day: date, by: UUID) -> bool:
        tenure = self.open_tenures.pop(key, None)
        if tenure is None:
            return False
        self.h.tenures.append(tenure.closed(day, by))
        return True


FoldStep = Callable[[Fold, Entry, date], None]
FOLDS: dict[str, FoldStep] = {}


def folds(entry_type: str) -> Callable[[FoldStep], FoldStep]:
    """Register the fold step of ``entry_type`` (one function per entry type)."""
    def register(step: FoldStep) -> FoldStep:
        FOLDS[entry_type] = step
        return step
    return register


_EFFECTIVE = attrgetter("effective_on")


def _ordered(entries: Sequence[Entry]) -> list[Entry]:
    """Effective order; a stable sort keeps the recorded order of one day (an entry without a date
    first, as ``date.min``)."""
    try:
        return sorted(entries, key=_EFFECTIVE)
    except TypeError:
        return sorted(entries, key=lambda e: e.effective_on or date.min)


def derive_as_of(entries: Sequence[Entry], day: date, exclude: UUID | None = None) -> History:
    """The history on ``day``: only entries effective on or before it (the registration always),
    without the entry ``exclude`` (the one being judged), so an entry is judged by the world on
    its own date and never by what happened later in valid time."""
    return derive([
        e for e in entries
        if e.entry_id != exclude and (e.type == "CadreRegistered" or (e.effective_on or date.min) <= day)
    ])


def derive(entries: Sequence[Entry]) -> History:
    """Fold the standing entries (given in recorded order) into the cadre's history."""
    fold = walk(entries)
    h = fold.h
    h.tenures.extend(fold.open_tenures.values())
    h.tenures.sort(key=tenure_order)
    h.pools.extend(fold.open_pools.values())
    h.mentors.extend(fold.open_mentors.values())
    return h


def walk(entries: Sequence[Entry]) -> Fold:
    """The fold of ``derive`` before the history is finished (the open tenures, pools and mentors
    not yet added to it): ``domain/history_kept.py`` continues it by later entries."""
    fold = Fold(known={e.entry_id: e for e in entries})
    born = birth_date(entries)
    for e in _ordered(entries):
        fold_entry(fold, e, born)
    return fold


def fold_entry(fold: Fold, e: Entry, born: date | None) -> None:
    """Fold ``e``, the next entry in effective order (``born``: the cadre's birth date)."""
    h = fold.h
    day = fold.last_day = e.effective_on or date.min
    _before_birth(fold, e, born)
    if e.type != "CadreRegistered" and h.departed_on is not None and day > h.departed_on:
        fold.problem(e, "effective_on", "离职后不得再有记录", "entry after the cadre departed")
    step = FOLDS.get(e.type)
    if step is None:
        return
    try:
        step(fold, e, day)
    except (KeyError, TypeError, ValueError):  # an entry that lacks what its type needs (never a
        # validated one): it shapes nothing, and the record says so
        fold.problem(e, None, "记录内容不完整", "the entry lacks fields its type needs")


def tenure_order(t: Tenure) -> tuple[date, str, str]:
    """The order of a history's tenures: by start, then unit and post code."""
    return t.start, t.unit_code, t.post_code


def birth_date(entries: Sequence[Entry]) -> date | None:
    """The birth date the fold judges entries by: the first registration's (in recorded order)."""
    born = next((e.values.get("birth_date") for e in entries if e.type == "CadreRegistered"), None)
    return born if isinstance(born, date) else None


# Dates of a record that cannot precede the cadre's birth: an entry's effective date (a talk, a
# training, an appointment … before one was born is meaningless), and the registration's own dates.
BIRTH_BOUND_DATES = {"effective_on": ("生效日期", "effective date"),
                     "work_started_on": ("参加工作日期", "work start"),
                     "party_joined_on": ("入党日期", "party membership")}


def history_with(h: History, e: Entry, born: date | None, recorded: Collection[int]) -> History | None:
    """What ``derive`` gives once ``e`` is added after every entry ``h`` was derived from (whose
    birth date is ``born`` and whose entry ids, as ``UUID.int``, are ``recorded``), when that is
    plain without folding them all again: ``h`` itself for an entry the fold only checks and that
    raises no problem, ``h`` with the new assessment for an assessment; None: derive again.
    ``domain/monitors/replay.py`` keeps a cadre's history this way while its record is replayed."""
    if any(p.field in REFERENCE_FIELDS for p in h.problems):
        return None  # ``e`` may be the entry a talk or a conclusion named but was not found
    day = e.effective_on or date.min
    if e.type == "CadreRegistered" or (h.departed_on is not None and day > h.departed_on):
        return None
    if born is not None and e.type not in ("EntryCorrected", "EntryRetracted") and any(
            isinstance(value := e.values.get(name), date) and value < born for name in BIRTH_BOUND_DATES):
        return None  # a problem ``_before_birth`` records
    if e.type not in FOLDS:
        return h
    if e.type == "ConversationHeld":
        trigger = e.values.get("trigger_entry_id")
        found = not trigger or (isinstance(trigger, UUID) and (trigger.int in recorded or trigger == e.entry_id))
        return h if found else None
    if e.type == "Assessed":
        v = e.values
        try:
            record = AssessmentRecord(e.entry_id, v["kind"], v["period"], v["grade"], day)
        except (KeyError, TypeError):
            return None
        assessments = list(h.assessments)
        # folded in effective order, the one recorded last after every one of its day
        assessments.insert(bisect_right(assessments, day, key=_DAY), record)
        after = History.__new__(History)  # the same history (its lists shared, never changed) but that one
        after.__dict__.update(h.__dict__)
        after.assessments = assessments
        return after
    return None


_DAY = attrgetter("day")


def _before_birth(fold: Fold, e: Entry, born: date | None) -> None:
    if born is None or e.type in ("EntryCorrected", "EntryRetracted"):
        return
    for name, (zh, en) in BIRTH_BOUND_DATES.items():
        value = e.values.get(name)
        if isinstance(value, date) and value < born:
            fold.problem(e, name, f"{zh}（{value}）早于出生日期（{born}）",
                         f"{en} {value} is before the cadre's birth date {born}")


# ——— registration, departure ———

@folds("CadreRegistered")
def _registered(fold: Fold, e: Entry, day: date) -> None:
    v, h = e.values, fold.h
    h.rank = v.get("rank")
    h.registered_on, h.work_started_on, h.name, h.registration = day, v.get("work_started_on"), v.get("name"), e
    if h.rank is not None:
        h.ranks.append(RankSpell(h.rank, day, e.entry_id))


@folds("Departed")
def _departed(fold: Fold, e: Entry, day: date) -> None:
    h = fold.h
    if h.departed_on is not None:
        fold.problem(e, None, "已离职", "the cadre already departed")
        return
    h.departed_on, h.departed_entry = day, e.entry_id
    for key in list(fold.open_tenures):
        fold.close(key, day, e.entry_id)


# ——— posts 任职 ———

@folds("Appointed")
def _appointed(fold: Fold, e: Entry, day: date) -> None:
    v = e.values
    for ended in ended_posts(v):  # 任…免…: the posts it ends, that day, before the one it gives
        if not fold.close(ended, day, e.entry_id):
            where = f"{ended[0]}/{ended[1]}"
            fold.problem(e, "ends_posts", f"免去的职位{where}在该日未担任",
                         f"ends the post {where}, not held on that date")
    key = (v["unit_code"], v["post_code"])
    if key in fold.open_tenures:
        fold.problem(e, "post_code", "已担任该职位", "the cadre already holds this post")
        return
    fold.open_tenures[key] = Tenure(key[0], key[1], day, None, e.entry_id, v["manner"])


@folds("Dismissed")
def _dismissed(fold: Fold, e: Entry, day: date) -> None:
    v = e.values
    if not fold.close((v["unit_code"], v["post_code"]), day, e.entry_id):
        fold.problem(e, "post_code", "免职的职位在该日未担任", "dismissal from a post not held on that date")


@folds("ProbationConcluded")
def _probation_concluded(fold: Fold, e: Entry, day: date) -> None:
    v = e.values
    held = [t for t in fold.open_tenures.values()
            if t.post_code == v["post_code"] and v.get("unit_code") in (None, t.unit_code)]
    if not held:
        fold.problem(e, "post_code", "试用期考核的职位在该日未担任",
                     "probation concluded for a post not held on that date")


# ——— ranks 职级 ———

def _rank_change(fold: Fold, e: Entry, day: date) -> None:
    v, h = e.values, fold.h
    if h.rank is not None and v["from_rank"] != h.rank:
        fold.problem(e, "from_rank", f"原职级应为{h.rank}", f"from_rank does not match the rank held ({h.rank})")
    up = rank_index(v["to_rank"]) < rank_index(v["from_rank"])
    if up != (e.type == "RankPromoted"):
        fold.problem(e, "to_rank", "晋升须升至更高职级，降低须降至更低职级",
                     "a promotion must raise the rank and a demotion lower it")
    h.rank = v["to_rank"]
    h.ranks.append(RankSpell(v["to_rank"], day, e.entry_id))


FOLDS["RankPromoted"] = FOLDS["RankDemoted"] = _rank_change


# ——— secondments 挂职 ———

@folds("SecondmentStarted")
def _secondment_started(fold: Fold, e: Entry, day: date) -> None:
    v, h = e.values, fold.h
    if v["planned_end_on"] < day:
        fold.problem(e, "planned_end_on", "计划结束日期早于开始日期", "planned end before the start")
    h.open_secondments[e.entry_id] = day
    fold.secondment_index[e.entry_id] = len(h.secondments)
    h.secondments.append(Secondment(e.entry_id, v["kind"], day, None, v.get("host", ""), v.get("role", ""),
                                    v.get("planned_end_on")))


@folds("SecondmentEnded")
def _secondment_ended(fold: Fold, e: Entry, day: date) -> None:
    target, h = e.values["secondment_entry_id"], fold.h
    if target not in h.open_secondments:
        if target in fold.ended_secondments:
            fold.problem(e, "secondment_entry_id", "挂职已结束", "secondment already ended")
        else:
            fold.problem(e, "secondment_entry_id", "无对应的挂职记录", "no matching open secondment")
        return
    fold.ended_secondments.add(target)
    del h.open_secondments[target]
    i = fold.secondment_index[target]
    s = h.secondments[i]
    h.secondments[i] = Secondment(s.entry_id, s.kind, s.start, day, s.host, s.role, s.planned_end_on, e.entry_id)


# ——— assessments, sanctions, investigations ———

@folds("Assessed")
def _assessed(fold: Fold, e: Entry, day: date) -> None:
    v = e.values
    fold.h.assessments.append(AssessmentRecord(e.entry_id, v["kind"], v["period"], v["grade"], day))


@folds("Sanctioned")
def _sanctioned(fold: Fold, e: Entry, day: date) -> None:
    v = e.values
    fold.h.sanctions.append(SanctionRecord(e.entry_id, e.type, v["track"], v["kind"], day, v.get("months")))


@folds("HandledOrganizationally")
def _handled(fold: Fold, e: Entry, day: date) -> None:
    v = e.values
    track = "问责" if v.get("accountability") else "组织处理"
    fold.h.sanctions.append(SanctionRecord(e.entry_id, e.type, track, v["kind"], day))


@folds("InvestigationOpened")
def _investigation_opened(fold: Fold, e: Entry, day: date) -> None:
    fold.h.investigations.append(Investigation(e.entry_id, e.values["authority"], day))


@folds("InvestigationClosed")
def _investigation_closed(fold: Fold, e: Entry, day: date) -> None:
    """Close the investigation named by ``investigation_entry_id``, else the oldest open one by
    the same authority, else the oldest open one."""
    v, h = e.values, fold.h
    still_open = [(n, i) for n, i in enumerate(h.investigations) if i.closed_on is None]
    target = v.get("investigation_entry_id")
    if target is not None:
        match = [(n, i) for n, i in still_open if i.entry_id == target]
    else:
        match = [(n, i) for n, i in still_open if i.authority == v.get("authority")] or still_open
    if not match:
        fold.problem(e, "investigation_entry_id" if target else None, "无对应的立案审查",
                     "no matching open investigation")
        return
    n, found = match[0]
    h.investigations[n] = Investigation(found.entry_id, found.authority, found.opened_on, day)


# ——— references to other entries ———

# The fields whose problem says the entry they name is not on the record (``history_with``).
REFERENCE_FIELDS = frozenset({"trigger_entry_id", "complaint_entry_id"})


@folds("ConversationHeld")
def _conversation(fold: Fold, e: Entry, day: date) -> None:
    trigger = e.values.get("trigger_entry_id")
    if trigger and trigger not in fold.known:
        fold.problem(e, "trigger_entry_id", "引发谈话的记录不存在", "trigger entry not found")


@folds("ComplaintConcluded")
def _complaint_concluded(fold: Fold, e: Entry, day: date) -> None:
    target = fold.known.get(e.values["complaint_entry_id"])
    if target is None or target.type != "ComplaintReceived":
        fold.problem(e, "complaint_entry_id", "无对应的信访举报", "no matching complaint")


# ——— pools 人才库, mentors 导师帮带 ———

@folds("PoolEntered")
def _pool_entered(fold: Fold, e: Entry, day: date) -> None:
    v = e.values
    if v["pool"] not in fold.open_pools:
        fold.open_pools[v["pool"]] = PoolSpell(v["pool"], day, e.entry_id, v.get("grounds"), v.get("target_grade"))


@folds("PoolReviewed")
def _pool_reviewed(fold: Fold, e: Entry, day: date) -> None:
    spell = fold.open_pools.get(e.values["pool"])
    if spell is not None:
        spell.last_review = day


@folds("PoolExited")
def _pool_exited(fold: Fold, e: Entry, day: date) -> None:
    spell = fold.open_pools.pop(e.values["pool"], None)
    if spell is not None:
        spell.until, spell.exit_reason = day, e.values.get("reason")
        fold.h.pools.append(spell)


@folds("MentorAssigned")
def _mentor_assigned(fold: Fold, e: Entry, day: date) -> None:
    v = e.values
    key = (str(v["mentor_cadre_id"]), v["role"])
    fold.open_mentors[key] = MentorSpell(key[0], key[1], day, e.entry_id)


@folds("MentorReleased")
def _mentor_released(fold: Fold, e: Entry, day: date) -> None:
    v = e.values
    spell = fold.open_mentors.pop((str(v["mentor_cadre_id"]), v["role"]), None)
    if spell is not None:
        fold.h.mentors.append(MentorSpell(spell.mentor, spell.role, spell.since, spell.entry_id, day))


def pool_end(spell: PoolSpell, h: History) -> date | None:
    """A pool stay ends when the cadre leaves the pool, else when they leave service."""
    return spell.until if spell.until is not None else h.departed_on

