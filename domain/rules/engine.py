"""Runs the guards for a command and decides: pass, refuse, or store with an override."""

from __future__ import annotations

from collections.abc import Callable

from domain.errors import PermissionDeniedError, RuleViolationError, Violation
from domain.recorded import Provenance
from domain.rules.catalog import RULES
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext
from domain.rules.guards import r_est, r_future, r_id, r_seq

Guard = Callable[[GuardContext, RuleConfig], list[Violation]]

# Guard functions by rule id. Later modules (promotion rules) register theirs here too.
GUARD_FUNCTIONS: dict[str, Guard] = {
    "R-ID": r_id,
    "R-SEQ": r_seq,
    "R-FUTURE": r_future,
    "R-EST": r_est,
}


def evaluate(ctx: GuardContext, config: RuleConfig, rule_ids: list[str] | None = None
             ) -> list[Violation]:
    found: list[Violation] = []
    for rule_id, guard in GUARD_FUNCTIONS.items():
        if rule_ids is None or rule_id in rule_ids:
            found.extend(guard(ctx, config))
    return found


def decide(violations: list[Violation], override_reason: str | None, by: Provenance
           ) -> tuple[str, ...]:
    """Return the rule ids to record as overridden, or raise.

    Not overridable → refused whatever the reason. Overridable → refused unless a user with
    the override permission gives a reason; then stored with the overridden ids.
    """
    if not violations:
        return ()
    hard = [v for v in violations if not RULES[v.rule].overridable]
    if hard or not (override_reason and override_reason.strip()):
        raise RuleViolationError(violations)
    if not by.can_override:
        raise PermissionDeniedError(
            "无越权放行权限 (this user may not override rules): "
            + ", ".join(sorted({v.rule for v in violations})))
    return tuple(sorted({v.rule for v in violations}))
