"""What a guard sees: the entry as it would stand and the world around it on its date."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.history import History
from domain.post import Post, Tenure
from domain.unit import Unit

PostKey = tuple[str, str]


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
