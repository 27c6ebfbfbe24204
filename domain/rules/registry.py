"""The one registry of rules: each guard (§6.1) and monitor (§6.2) is declared once, beside its
function, with its id, title, source, what it judges, whether it can be overridden, whether it
judges as of the entry's date, the entry types it reads and the thresholds it takes from the
configuration (``defaults.toml``).

    @guard("R-EST", "不得超职数配备", "never over the establishment (职数)",
           source="超职数配备 is a named violation", judges="appointments, establishment changes")
    def r_est(ctx: GuardContext, config: RuleConfig) -> list[Violation]: ...

``domain/rules/catalog.py`` imports every module that declares rules and is the registry's one
reader: the engine runs the guards from it, the findings projection the monitors, the README's rule
table is generated from it (``python -m domain.rules.table``) and a test fails when they differ.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
Kind = Literal["guard", "monitor"]


@dataclass(frozen=True)
class Rule:
    id: str
    kind: Kind
    title_zh: str
    title_en: str
    source: str
    function: Callable[..., Any]
    judges: str = ""  # guards: what it is checked on; monitors: when a finding arises (the README's words)
    overridable: bool = True  # guards: may a permitted user override it (monitors: not applicable)
    as_of: bool = False  # guards: judges the entry by the world on its effective date (a correction: what it changes)
    retractions: bool = False  # guards: also judges what a retraction leaves behind
    reads: frozenset[str] = frozenset()  # monitors: the entry types it reads beyond the career itself
    thresholds: tuple[str, ...] = ()  # the configuration keys or tables it takes its numbers from
    due: str = ""  # monitors: when a finding is due
    across_records: bool = False  # monitors: read more than one cadre's record (the projection calls them itself)

    @property
    def module(self) -> str:
        return str(self.function.__module__)


REGISTERED: dict[str, Rule] = {}


def _register(rule: Rule) -> None:
    if rule.id in REGISTERED and REGISTERED[rule.id].function is not rule.function:
        raise ValueError(f"rule {rule.id} is declared twice")
    REGISTERED[rule.id] = rule


def guard(rule_id: str, title_zh: str, title_en: str, *, source: str, judges: str, overridable: bool = True,
          as_of: bool = False, retractions: bool = False, thresholds: Collection[str] = ()) -> Callable[[F], F]:
    """Declare the guard ``rule_id`` (a function ``(GuardContext, RuleConfig) -> list[Violation]``)."""
    def register(function: F) -> F:
        _register(Rule(rule_id, "guard", title_zh, title_en, source, function, judges, overridable, as_of,
                       retractions, thresholds=tuple(thresholds)))
        return function
    return register


def monitor(rule_id: str, title_zh: str, title_en: str, *, source: str, judges: str, due: str = "—",
            reads: Collection[str] = (), thresholds: Collection[str] = (), across_records: bool = False
            ) -> Callable[[F], F]:
    """Declare the monitor ``rule_id`` (a cadre monitor ``(Timeline, RuleConfig, horizon) -> findings``,
    or a monitor across records the projection calls itself)."""
    def register(function: F) -> F:
        _register(Rule(rule_id, "monitor", title_zh, title_en, source, function, judges, False, False, False,
                       frozenset(reads), tuple(thresholds), due, across_records))
        return function
    return register
