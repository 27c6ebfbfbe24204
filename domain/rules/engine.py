"""Runs the guards for a command and decides: pass, refuse, or store with an override."""

from __future__ import annotations

from collections.abc import Callable

from domain.errors import PermissionDeniedError, RuleViolationError, Violation
from domain.recorded import Provenance
from domain.rules.catalog import GUARDS, RULES
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext

Guard = Callable[[GuardContext, RuleConfig], list[Violation]]


# Guard functions by rule id, as the registry declares them. Each decides for itself whether the
# entry concerns it.
GUARD_FUNCTIONS: dict[str, Guard] = {r.id: r.function for r in GUARDS}
# Guards that judge an entry by the world on its effective date. A correction is refused
# only for what it changes: a violation the entry already had before it (say, a sanction
# back-dated after a promotion) does not block correcting that entry's other fields.
AS_OF_RULES = frozenset(r.id for r in GUARDS if r.as_of)
# Guards that judge what a retraction leaves behind (the others judge what is recorded).
RETRACTION_RULES = [r.id for r in GUARDS if r.retractions]


def evaluate(ctx: GuardContext, config: RuleConfig, rule_ids: list[str] | None = None
             ) -> list[Violation]:
    found: list[Violation] = []
    for rule_id, guard in GUARD_FUNCTIONS.items():
        if rule_ids is None or rule_id in rule_ids:
            found.extend(guard(ctx, config))
    return found


def new_violations(violations: list[Violation], before: list[Violation]) -> list[Violation]:
    """``violations`` less the as-of-date ones the entry already had ``before`` a correction."""
    had = {(v.rule, v.message_en) for v in before if v.rule in AS_OF_RULES}
    return [v for v in violations if (v.rule, v.message_en) not in had]


def overridable(violation: Violation) -> bool:
    """May this violation be overridden: the violation's own say, else its rule's."""
    if violation.overridable is not None:
        return violation.overridable
    return RULES[violation.rule].overridable


def decide(violations: list[Violation], override_reason: str | None, by: Provenance
           ) -> tuple[str, ...]:
    """Return the rule ids to record as overridden, or raise.

    Not overridable → refused whatever the reason. Overridable → refused unless a user with
    the override permission gives a reason; then stored with the overridden ids.
    """
    if not violations:
        return ()
    hard = [v for v in violations if not overridable(v)]
    if hard or not (override_reason and override_reason.strip()):
        raise RuleViolationError(violations)
    if not by.can_override:
        raise PermissionDeniedError(
            "无例外放行权限 (this user may not override rules): "
            + ", ".join(sorted({v.rule for v in violations})))
    return tuple(sorted({v.rule for v in violations}))
