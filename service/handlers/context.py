"""What a handler works with: its unit of work, who asks, the rules in force and the date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from domain.recorded import Provenance
from domain.rules.config import RuleConfig
from service.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Context:
    """One command's context (made per command; never shared between commands)."""

    uow: UnitOfWork
    by: Provenance
    config: RuleConfig
    today: date
    clock: Callable[[], datetime]
