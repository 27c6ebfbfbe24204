"""What a guard sees: the entry as it would stand and the world around it on its date."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.assessment_round import QuotaCount
from domain.history import History
from domain.post import Post, Tenure
from domain.selection import SelectionCase
from domain.unit import Unit
from domain.workdays import WorkingCalendar

PostKey = tuple[str, str]
NO_CALENDAR = WorkingCalendar({})  # knows no year: a count with it is refused, never guessed


@dataclass(frozen=True)
class PostChange:
    """A post's occupancy and establishment before and after the command."""

    post: Post | None  # None: no such post
    occupancy_before: Mapping[UUID, tuple[Tenure, ...]]
    occupancy_after: Mapping[UUID, tuple[Tenure, ...]]
    schedule_after: tuple[tuple[date, int], ...]


@dataclass(frozen=True)
class GuardContext:
    today: date
    entry_type: str
    values: Mapping[str, Any]  # the entry as it would stand
    code_fields: Mapping[str, str] = field(default_factory=dict)  # field -> code table
    before: History | None = None  # the cadre's history without this command
    after: History | None = None  # … and with it
    new_entry: bool = True  # False for corrections and retractions
    departed: bool = False  # a standing 离职 exists before this command
    void: bool = False  # the registration itself was retracted
    posts: Mapping[PostKey, PostChange] = field(default_factory=dict)
    units: Mapping[str, Unit | None] = field(default_factory=dict)  # unit codes referenced
    planned_fields: frozenset[str] = frozenset({"planned_end_on"})
    # — the world on the entry's effective date (promotion rules, DOMAIN.md §6.1) —
    cadre_id: UUID | None = None
    entry_id: UUID | None = None  # the entry judged (a correction: the entry it corrects)
    as_of: History | None = None  # the cadre's history on the entry's date, without the entry
    case: SelectionCase | None = None  # the selection case of a step, or cited by an appointment
    target_post: Post | None = None  # the post an appointment or a case is for
    post_grades: Mapping[PostKey, str] = field(default_factory=dict)  # grades of posts held
    leading_posts: frozenset[PostKey] = frozenset()  # the posts among them that are leadership posts (领导职务)
    unit_kinds: Mapping[str, str] = field(default_factory=dict)  # kinds of the units served in
    candidates: Mapping[UUID, History] = field(default_factory=dict)  # 考察对象, as of the date
    # the working-day calendar as known when the command runs (R-PUBLICITY), for the years it counts
    calendar: WorkingCalendar = NO_CALENDAR
    quota: QuotaCount | None = None  # the 优秀 round an 年度 优秀 counts in (R-EXCELLENT-QUOTA)
    override_reason: str | None = None  # as given (R-EXCELLENT-QUOTA: it must name the approval)
