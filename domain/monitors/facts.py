"""Finding facts: what the monitors of DOMAIN.md §6.2 produce, and the entries and posts they read.

A monitor is a pure function of a cadre's standing entries (corrections applied, retracted
entries left out), the posts they name, the ``RuleConfig`` and a ``horizon`` date. It returns
``FindingFact`` rows that carry dates, not statuses: the finding exists from ``trigger_on``,
should have been met by ``due_on`` and was met on ``resolved_on``. Whether it is open,
resolved or overdue on a given day is then a comparison of dates (``status_on``,
``is_overdue``, or the same comparison in SQL), so nothing here depends on "today".
The cadre's timeline the monitors read is ``domain/monitors/timeline.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from uuid import UUID

Status = Literal["open", "resolved", "overridden"]


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


@dataclass(frozen=True, init=False)
class FindingFact:
    """A frozen dataclass; ``__init__`` is written out (same parameters as the generated one)
    because monitors build tens of these per evaluation and the generated frozen ``__init__``
    sets each field through ``object.__setattr__``."""

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

    def __init__(self, rule: str, cadre_id: UUID | None, unit_code: str | None, key: str, trigger_on: date,
                 due_on: date | None, resolved_on: date | None, overridden: bool = False,
                 evidence: tuple[UUID, ...] = (), resolution: tuple[UUID, ...] = (), detail: str = "") -> None:
        fields = self.__dict__
        fields["rule"] = rule
        fields["cadre_id"] = cadre_id
        fields["unit_code"] = unit_code
        fields["key"] = key
        fields["trigger_on"] = trigger_on
        fields["due_on"] = due_on
        fields["resolved_on"] = resolved_on
        fields["overridden"] = overridden
        fields["evidence"] = evidence
        fields["resolution"] = resolution
        fields["detail"] = detail


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
