"""Runs the guards for a command and decides: pass, refuse, or store with an override."""

from __future__ import annotations

from collections.abc import Callable

from domain.errors import PermissionDeniedError, RuleViolationError, Violation
from domain.recorded import Provenance
from domain.rules.assessment import r_excellent_quota
from domain.rules.catalog import RULES
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext
from domain.rules.guards import r_est, r_future, r_id, r_seq
from domain.rules.lateral import r_lateral
from domain.rules.procedure import case_sequence, r_four_checks, r_publicity, r_quorum, r_recommend_valid
from domain.rules.promotion import r_eligible, r_leap, r_promo_years, r_rank_years
from domain.rules.sanctions import r_grade_cap, r_investigation, r_sanction_period

Guard = Callable[[GuardContext, RuleConfig], list[Violation]]


def r_seq_all(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    """R-SEQ of the record and of the selection procedure."""
    return r_seq(ctx, config) + case_sequence(ctx, config)


# Guard functions by rule id. Each decides for itself whether the entry concerns it.
GUARD_FUNCTIONS: dict[str, Guard] = {
    "R-ID": r_id,
    "R-SEQ": r_seq_all,
    "R-FUTURE": r_future,
    "R-EST": r_est,
    "R-SANCTION-PERIOD": r_sanction_period,
    "R-INVESTIGATION": r_investigation,
    "R-ELIGIBLE": r_eligible,
    "R-PROMO-YEARS": r_promo_years,
    "R-LEAP": r_leap,
    "R-LATERAL": r_lateral,
    "R-RANK-YEARS": r_rank_years,
    "R-FOUR-CHECKS": r_four_checks,
    "R-PUBLICITY": r_publicity,
    "R-QUORUM": r_quorum,
    "R-RECOMMEND-VALID": r_recommend_valid,
    "R-GRADE-CAP": r_grade_cap,
    "R-EXCELLENT-QUOTA": r_excellent_quota,
}
# Guards that judge an entry by the world on its effective date. A correction is refused
# only for what it changes: a violation the entry already had before it (say, a sanction
# back-dated after a promotion) does not block correcting that entry's other fields.
AS_OF_RULES = frozenset({
    "R-SANCTION-PERIOD", "R-INVESTIGATION", "R-PROMO-YEARS", "R-LEAP", "R-LATERAL", "R-RANK-YEARS",
    "R-FOUR-CHECKS", "R-PUBLICITY", "R-GRADE-CAP", "R-EXCELLENT-QUOTA",
})


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
            "无越权放行权限 (this user may not override rules): "
            + ", ".join(sorted({v.rule for v in violations})))
    return tuple(sorted({v.rule for v in violations}))
