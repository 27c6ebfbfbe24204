"""Builders and boundary checks shared by the monitor tests (no tests of its own).

Dates of due boundaries are always computed from ``RuleConfig.defaults()``; only the day
something happened is written out.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from domain.monitors.facts import EntryFact, FindingFact, PostInfo, is_overdue, status_on
from domain.monitors.registry import cadre_findings
from domain.rules.config import RuleConfig

CONFIG = RuleConfig.defaults()
CADRE = UUID(int=7)
HORIZON = date(2024, 12, 31)
DAY = timedelta(days=1)

POSTS: dict[tuple[str, str], PostInfo] = {
    ("U1", "HEAD"): PostInfo("U1", "HEAD", "141", True, False, "镇长"),
    ("U1", "DEP"): PostInfo("U1", "DEP", "142", True, True, "副镇长"),
    ("U1", "CLERK"): PostInfo("U1", "CLERK", "150", False, False, "科员"),
    ("U2", "COUNTY"): PostInfo("U2", "COUNTY", "132", True, True, "副县长"),
    ("U2", "CHIEF"): PostInfo("U2", "CHIEF", "131", True, False, "县长"),
}

_ids = itertools.count(1)


def setting(name: str) -> int:
    return CONFIG.int(name)


def entry(type_: str, on: date, overrides: tuple[str, ...] = (), **values: Any) -> EntryFact:
    return EntryFact(UUID(int=next(_ids)), type_, on, values, overrides)


def registered(on: date, channel: str = "调任", rank: str = "一级科员") -> EntryFact:
    return entry("CadreRegistered", on, cadre_no="C1", name="王芳", entry_channel=channel, rank=rank,
                 work_started_on=on)


def appointed(on: date, post: str = "CLERK", unit: str = "U1", manner: str = "平职交流", **extra: Any) -> EntryFact:
    return entry("Appointed", on, unit_code=unit, post_code=post, manner=manner, **extra)


def dismissed(on: date, post: str = "CLERK", unit: str = "U1", reason: str = "调动") -> EntryFact:
    return entry("Dismissed", on, unit_code=unit, post_code=post, reason=reason)


def departed(on: date, reason: str = "辞职") -> EntryFact:
    return entry("Departed", on, reason=reason)


def talk(on: date, kind: str, trigger: str | None = None, link: UUID | None = None) -> EntryFact:
    return entry("ConversationHeld", on, kind=kind, interviewer="李书记", summary="……", trigger=trigger,
                 trigger_entry_id=link)


def training(on: date, kind: str = "在职培训", hours: int | str = 8, passed: bool = True,
             makeup: bool = False) -> EntryFact:
    from decimal import Decimal

    return entry("TrainingCompleted", on, kind=kind, course="课程", provider="党校", started_on=on,
                 hours=Decimal(hours), passed=passed, makeup=makeup)


def annual(year: int, grade: str, on: date | None = None) -> EntryFact:
    return entry("Assessed", on or date(year + 1, 1, 15), kind="年度", period=str(year), grade=grade)


def run(entries: list[EntryFact], horizon: date = HORIZON, config: RuleConfig = CONFIG) -> list[FindingFact]:
    return cadre_findings(CADRE, entries, POSTS, config, horizon)


def of_rule(findings: list[FindingFact], rule: str) -> list[FindingFact]:
    return [f for f in findings if f.rule == rule]


def only(findings: list[FindingFact], rule: str, key: str | None = None) -> FindingFact:
    matching = [f for f in findings if f.rule == rule and (key is None or f.key == key)]
    assert len(matching) == 1, matching
    return matching[0]


@dataclass(frozen=True)
class Case:
    """A monitor with a due date: the record that triggers it (without what resolves it),
    the expected trigger and due dates, and how to build the resolving entry on a given day."""

    rule: str
    entries: tuple[EntryFact, ...]
    key: str
    trigger_on: date
    due_on: date
    resolve: Callable[[date], EntryFact]
    horizon: date = HORIZON

    def fact(self, *extra: EntryFact) -> FindingFact:
        return only(run([*self.entries, *extra], self.horizon), self.rule, self.key)


def check_exists_from_trigger(case: Case) -> None:
    fact = case.fact()
    assert (fact.trigger_on, fact.due_on) == (case.trigger_on, case.due_on)
    assert status_on(fact, case.trigger_on - DAY) is None
    assert status_on(fact, case.trigger_on) == "open"


def check_open_then_overdue(case: Case) -> None:
    fact = case.fact()
    due = case.due_on
    assert [status_on(fact, d) for d in (due - DAY, due, due + DAY)] == ["open", "open", "open"]
    assert [is_overdue(fact, d) for d in (due - DAY, due, due + DAY)] == [False, False, True]


def check_resolution_at(case: Case, offset: int) -> None:
    """Resolving entry at due + offset days: on time up to the due date, late after it."""
    day = case.due_on + offset * DAY
    resolver = case.resolve(day)
    fact = case.fact(resolver)
    assert fact.resolved_on == day
    assert fact.resolution[-1] == resolver.entry_id
    assert status_on(fact, day - DAY) == "open"
    assert status_on(fact, day) == "resolved"
    assert is_overdue(fact, day) is False
    assert fact.due_on is not None
    assert (fact.resolved_on <= fact.due_on) is (offset <= 0)  # on time up to the due date, late after


def check_reopens_without_resolver(case: Case) -> None:
    resolver = case.resolve(case.due_on)
    with_it = case.fact(resolver)
    retracted = case.fact()  # the caller passes standing entries only
    assert status_on(with_it, case.due_on + DAY) == "resolved"
    assert status_on(retracted, case.due_on + DAY) == "open"
    assert is_overdue(retracted, case.due_on + DAY)
    assert (retracted.resolved_on, retracted.resolution) == (None, ())
    assert with_it.key == retracted.key and with_it.evidence == retracted.evidence
