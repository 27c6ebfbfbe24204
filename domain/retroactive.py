"""追溯影响 (retroactive impact, DOMAIN.md §6.4): what a back-dated entry changes in the past.

An entry recorded more than ``monitors.retroactive_days`` after its effective date (a sanction recorded
in June but effective in January; a correction of an appointment date months later) can make past
decisions wrong. Its impact compares the cadre's record **as known just before it was recorded** (the
aggregate at the version before the entry) with the record **as known just after** (the version it
made) — two known-at reads of the write side, each folded by the one fold (``domain/history.py``)
and judged by the same rule functions as ever:

* eligibility that flips: every promotion (提拔 · 破格提拔) and rank promotion (职级晋升) already on the
  record, judged by the promotion rules as of its own date (``domain/eligibility.py``'s rules), with
  one record and with the other;
* findings that open or resolve in the past: the cadre monitors run over both records, and a
  finding whose status (or lateness) differs on some past day;
* roster days that change: a day before the entry was recorded on which the cadre held a post in one
  record and not in the other.

Only the past counts, and only the past the record already spoke of: the days from the day the
cadre's record was first recorded (its registration) up to the day the entry was recorded. A record
loaded with its history (a cadre registered together with the posts held for years) changes no day
anyone could have read before.

For a correction or a retraction, the effective date is the earliest date it changes: the target
entry's date as it stood before, and as it stands after.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache, partial
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.cadre import Cadre, EntryRecord
from domain.codes import rank_index
from domain.entry_values import PROMOTION_MANNERS
from domain.history import History, derive, derive_as_of
from domain.monitors.facts import EntryFact, FindingFact, PostInfo, is_overdue, status_on
from domain.monitors.values import as_date
from domain.post import Post
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext
from domain.unit import Unit

ONE_DAY = timedelta(days=1)
CHANGES = ("EntryCorrected", "EntryRetracted")
STATUS_ZH = {None: "无此发现", "open": "未整改", "resolved": "已整改", "overridden": "经批准例外放行",
             "overdue": "逾期未整改"}


@dataclass(frozen=True)
class Lookups:
    """Where the posts and units an appointment names are read from (the write side, or the projection's
    aggregate reads)."""

    post: Callable[[str, str], Post | None]
    unit: Callable[[str], Unit | None]


@dataclass(frozen=True)
class EligibilityFlip:
    """A promotion already recorded whose eligibility, as of its date, differs between the two records."""

    entry_id: UUID
    type: str  # Appointed | RankPromoted
    on: date
    target: Mapping[str, str]
    before: bool  # eligible as known before the late entry
    after: bool  # … and with it
    reasons: tuple[str, ...]  # the rules' reasons against it (in the record that says 不符合)

    def as_dict(self) -> dict[str, Any]:
        return {"entry_id": str(self.entry_id), "type": self.type, "on": self.on.isoformat(),
                "target": dict(self.target), "eligible_before": self.before, "eligible_after": self.after,
                "reasons": list(self.reasons)}

    def said(self) -> str:
        what = "晋升资格" if self.type == "Appointed" else "职级晋升资格"
        then, now = ("符合", "不符合") if self.before else ("不符合", "符合")
        return f"{day_zh(self.on)}的{what}由{then}变为{now}"


@dataclass(frozen=True)
class FindingChange:
    """A finding of a cadre monitor whose status on some past day differs: ``on`` is the first such day."""

    rule: str
    key: str
    on: date
    before: str | None  # status that day (open · resolved · overridden · overdue), None: no such finding
    after: str | None
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "key": self.key, "on": self.on.isoformat(), "status_before": self.before,
                "status_after": self.after, "detail": self.detail}

    def said(self) -> str:
        from domain.rules.catalog import RULES

        title = RULES[self.rule].title_zh if self.rule in RULES else self.rule
        return f"{day_zh(self.on)}起“{title}”的发现由{STATUS_ZH[self.before]}变为{STATUS_ZH[self.after]}"


@dataclass(frozen=True)
class RosterChange:
    """Days (``start_on`` … ``end_on``, inclusive) on which the cadre held the post in one record only."""

    unit_code: str
    post_code: str
    cadre_id: UUID
    start_on: date
    end_on: date
    held_before: bool
    held_after: bool
    unit_name: str = ""
    post_title: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"unit_code": self.unit_code, "post_code": self.post_code, "cadre_id": str(self.cadre_id),
                "start_on": self.start_on.isoformat(), "end_on": self.end_on.isoformat(),
                "held_before": self.held_before, "held_after": self.held_after,
                "unit_name": self.unit_name, "post_title": self.post_title}

    def said(self) -> str:
        change = "由在任变为不在任" if self.held_before else "由不在任变为在任"
        post = f"{self.unit_name or self.unit_code}{self.post_title or self.post_code}职位"
        return f"{day_zh(self.start_on)}至{day_zh(self.end_on)}在{post}{change}"


@dataclass(frozen=True)
class Impact:
    entry_id: UUID
    cadre_id: UUID
    type: str
    effective_on: date
    recorded_at: datetime
    recorded_on: date  # the local date it was recorded
    days_late: int
    late: bool  # more than ``monitors.retroactive_days``
    eligibility: tuple[EligibilityFlip, ...] = ()
    findings: tuple[FindingChange, ...] = ()
    roster_days: tuple[RosterChange, ...] = ()

    @property
    def changes_the_past(self) -> bool:
        return bool(self.eligibility or self.findings or self.roster_days)

    def as_dict(self) -> dict[str, Any]:
        return {"entry_id": str(self.entry_id), "cadre_id": str(self.cadre_id), "type": self.type,
                "effective_on": self.effective_on.isoformat(), "recorded_at": self.recorded_at.isoformat(),
                "days_late": self.days_late, "late": self.late,
                "eligibility": [e.as_dict() for e in self.eligibility],
                "findings": [f.as_dict() for f in self.findings],
                "roster_days": [r.as_dict() for r in self.roster_days]}


def day_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def local_date(instant: datetime, config: RuleConfig) -> date:
    """The date of ``instant`` in the configured time zone (``general.timezone``): also ``Jishi.today``'s,
    asked for with every cadre event a projection applies."""
    return instant.astimezone(_zone(config.get("general.timezone"))).date()


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def changed_from(entry: EntryRecord, before: Cadre | None, after: Cadre) -> date | None:
    """The earliest effective date the entry changes: its own, or for a correction or retraction the
    date of the entry it changes, as it stood before and as it stands after."""
    if entry.type not in CHANGES:
        return entry.effective_on
    target = entry.values.get("target_entry_id")
    target_id = target if isinstance(target, UUID) else None
    if target_id is None or target_id not in after.entries:
        return None
    root = after.root_of(target_id)
    days = [after.entries[root].effective_on]
    if before is not None and root in before.entries:
        days.append(before.entries[root].effective_on)
    days.append(as_date(entry.values.get("changes", {}).get("effective_on")))
    known = [d for d in days if d is not None]
    return min(known) if known else None


def impact(entry_id: UUID, before: Cadre | None, after: Cadre, lookups: Lookups, config: RuleConfig) -> Impact | None:
    """The impact of the entry ``entry_id`` (recorded by the event that turned ``before`` into ``after``);
    None if it has no effective date. What it changes is computed only when it is late."""
    entry = after.entries[entry_id]
    effective = changed_from(entry, before, after)
    if effective is None:
        return None
    recorded_on = local_date(entry.recorded_at, config)
    days_late = (recorded_on - effective).days
    late = days_late > config.int("monitors.retroactive_days")
    found = Impact(entry_id, after.id, entry.type, effective, entry.recorded_at, recorded_on, days_late, late)
    if not late or before is None:
        return found
    old, new = before.standing_entries(), after.standing_entries()
    first = min((e.recorded_at for e in after.entries.values()), default=entry.recorded_at)
    window = (local_date(first, config), recorded_on)
    return replace(found, eligibility=tuple(eligibility_flips(after.id, old, new, effective, lookups, config,
                                                              recorded_on)),
                   findings=tuple(finding_changes(after.id, old, new, window, lookups, config)),
                   roster_days=tuple(map(partial(_named, lookups), roster_changes(
                       after.id, derive(old), derive(new), window))) if window[0] < window[1] else ())


def _named(lookups: Lookups, change: RosterChange) -> RosterChange:
    post, unit = lookups.post(change.unit_code, change.post_code), lookups.unit(change.unit_code)
    return replace(change, unit_name=unit.name if unit is not None else "",
                   post_title=post.title if post is not None else "")


# ——— eligibility ———

def _promotions(entries: Iterable[EntryRecord]) -> dict[UUID, EntryRecord]:
    return {e.entry_id: e for e in entries if e.effective_on is not None and (
        e.type == "RankPromoted" or (e.type == "Appointed" and e.values.get("manner") in PROMOTION_MANNERS))}


def eligibility_flips(cadre_id: UUID, old: Sequence[EntryRecord], new: Sequence[EntryRecord], since: date,
                      lookups: Lookups, config: RuleConfig, today: date) -> list[EligibilityFlip]:
    """The promotions on both records (on or after ``since`` in either) whose verdict differs."""
    was, now = _promotions(old), _promotions(new)
    flips = []
    for entry_id in sorted(was.keys() & now.keys(), key=lambda i: (now[i].effective_on, str(i))):
        p_old, p_new = was[entry_id], now[entry_id]
        if max(p_old.effective_on or date.min, p_new.effective_on or date.min) < since:
            continue  # judged by a world the late entry is not part of, in both records
        ok_before, why_before = promotion_verdict(cadre_id, p_old, old, lookups, config, today)
        ok_after, why_after = promotion_verdict(cadre_id, p_new, new, lookups, config, today)
        if ok_before != ok_after:
            assert p_new.effective_on is not None
            flips.append(EligibilityFlip(entry_id, p_new.type, p_new.effective_on, _target(p_new), ok_before,
                                         ok_after, why_after if ok_before else why_before))
    return flips


def _target(p: EntryRecord) -> dict[str, str]:
    if p.type == "RankPromoted":
        return {"rank": str(p.values.get("to_rank"))}
    return {"unit_code": str(p.values.get("unit_code")), "post_code": str(p.values.get("post_code")),
            "manner": str(p.values.get("manner"))}


def promotion_verdict(cadre_id: UUID, p: EntryRecord, entries: Sequence[EntryRecord], lookups: Lookups,
                      config: RuleConfig, today: date) -> tuple[bool, tuple[str, ...]]:
    """Whether the recorded promotion ``p`` passes the promotion rules of 资格测算 as of its date in the
    record ``entries`` (without itself), and the reasons against it."""
    from domain.eligibility import POST_RULES, RANK_RULES

    day = p.effective_on
    assert day is not None
    as_of = derive_as_of(entries, day, exclude=p.entry_id)
    if p.type == "RankPromoted":
        ctx = GuardContext(today, "RankPromoted", p.values, cadre_id=cadre_id, entry_id=p.entry_id, as_of=as_of)
        if as_of.rank is not None and rank_index(str(p.values.get("to_rank"))) >= rank_index(as_of.rank):
            return False, (f"目标职级不高于当时职级{as_of.rank} (the rank is not above the one held, {as_of.rank})",)
        results = [explain(ctx, config) for _, explain in RANK_RULES]
    else:
        ctx = _appointment_context(cadre_id, p, as_of, lookups, today)
        shortlist = replace(ctx, entry_type="Shortlisted", values={"effective_on": day, "cadre_ids": (cadre_id,)},
                            candidates={cadre_id: as_of})
        results = [explain(shortlist if rule == "R-ELIGIBLE" else ctx, config) for rule, explain in POST_RULES]
    reasons = tuple(v.message for found in results for v in found.violations)
    return not reasons, reasons


def _appointment_context(cadre_id: UUID, p: EntryRecord, as_of: History, lookups: Lookups, today: date
                         ) -> GuardContext:
    target = (str(p.values.get("unit_code")), str(p.values.get("post_code")))
    posts = {key: lookups.post(*key) for key in {*as_of.posts(), target}}
    units = {code: lookups.unit(code) for code in {t.unit_code for t in as_of.tenures}}
    return GuardContext(
        today, "Appointed", p.values, cadre_id=cadre_id, entry_id=p.entry_id, as_of=as_of,
        target_post=posts[target], post_grades={k: post.grade for k, post in posts.items() if post is not None},
        leading_posts=frozenset(k for k, post in posts.items() if post is not None and post.leadership),
        unit_kinds={code: unit.kind for code, unit in units.items() if unit is not None})


# ——— findings ———

def _post_infos(entries: Sequence[EntryRecord], lookups: Lookups) -> dict[tuple[str, str], PostInfo]:
    posts: dict[tuple[str, str], PostInfo] = {}
    for e in entries:
        if e.type == "Appointed":
            key = (str(e.values.get("unit_code")), str(e.values.get("post_code")))
            post = lookups.post(*key)
            if post is not None:
                posts[key] = PostInfo(post.unit_code, post.post_code, post.grade, post.leadership, post.probation,
                                      post.title)
    return posts


def _entry_facts(entries: Sequence[EntryRecord]) -> list[EntryFact]:
    return [EntryFact(e.entry_id, e.type, e.effective_on, e.values, e.overrides) for e in entries]


def unit_on(cadre_id: UUID, entries: Sequence[EntryRecord], lookups: Lookups, day: date) -> str | None:
    """The cadre's unit on ``day`` as the monitors say it (the most senior post held, else the last left)."""
    from domain.monitors.timeline import Timeline

    return Timeline.build(cadre_id, _entry_facts(entries), _post_infos(entries, lookups)).unit_on(day)


def _facts(cadre_id: UUID, entries: Sequence[EntryRecord], lookups: Lookups, config: RuleConfig, horizon: date
           ) -> dict[tuple[str, str], FindingFact]:
    from domain.monitors.registry import cadre_findings

    found = cadre_findings(cadre_id, _entry_facts(entries), _post_infos(entries, lookups), config, horizon)
    return {(f.rule, f.key): f for f in found}


def _state(fact: FindingFact | None, day: date) -> str | None:
    if fact is None:
        return None
    return "overdue" if is_overdue(fact, day) else status_on(fact, day)


def _dates(fact: FindingFact | None) -> list[date]:
    if fact is None:
        return []
    days = [fact.trigger_on, *(d for d in (fact.resolved_on, fact.due_on) if d is not None)]
    if fact.due_on is not None and fact.due_on < date.max:
        days.append(fact.due_on + ONE_DAY)  # the first day it is overdue
    return days


def finding_changes(cadre_id: UUID, old: Sequence[EntryRecord], new: Sequence[EntryRecord],
                    window: tuple[date, date], lookups: Lookups, config: RuleConfig) -> list[FindingChange]:
    """The cadre monitors' findings whose status differs on some day of ``window`` [start, end)."""
    start, end = window
    if start >= end:
        return []
    was = _facts(cadre_id, old, lookups, config, end)
    now = _facts(cadre_id, new, lookups, config, end)
    changes = []
    for key in sorted(was.keys() | now.keys()):
        a, b = was.get(key), now.get(key)
        if a == b:
            continue
        days = sorted({start, *(d for d in _dates(a) + _dates(b) if start <= d < end)})
        first = next((d for d in days if _state(a, d) != _state(b, d)), None)
        if first is not None:
            shown = b if b is not None else a
            assert shown is not None
            changes.append(FindingChange(key[0], key[1], first, _state(a, first), _state(b, first), shown.detail))
    return changes


# ——— roster days ———

def _held(spans: Sequence[tuple[date, date | None]], day: date) -> bool:
    return any(s <= day and (e is None or day < e) for s, e in spans)


def roster_changes(cadre_id: UUID, old: History, new: History, window: tuple[date, date]) -> list[RosterChange]:
    """The days of ``window`` [start, end) on which the cadre held a post in one history only."""
    start, end = window
    changes: list[RosterChange] = []
    if start >= end:
        return changes
    for unit_code, post_code in sorted(old.posts() | new.posts()):
        a, b = old.tenures_at(unit_code, post_code), new.tenures_at(unit_code, post_code)
        if a == b:
            continue
        bounds = sorted({start, end, *(d for s, e in (*a, *b) for d in (s, e) if d is not None and start < d < end)})
        run: tuple[date, bool] | None = None  # (first day, held before) of the changed days being gathered
        for lo in bounds[:-1]:
            was, now = _held(a, lo), _held(b, lo)
            if was != now and run is not None and run[1] == was:
                continue  # the same change goes on
            if run is not None:
                changes.append(RosterChange(unit_code, post_code, cadre_id, run[0], lo - ONE_DAY, run[1], not run[1]))
                run = None
            if was != now:
                run = (lo, was)
        if run is not None:
            changes.append(RosterChange(unit_code, post_code, cadre_id, run[0], end - ONE_DAY, run[1], not run[1]))
    return changes
