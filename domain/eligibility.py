"""资格测算 (eligibility): for a cadre and a target post or rank on a date, every guard a
promotion would face, with pass or fail and the reason in Chinese (English in brackets).

It runs the same rule functions as the guards, over the same world (the cadre's history
as of the date), on the promotion that would be recorded: an ``Appointed`` with manner 提拔
to the post (平职交流 if the post is not above the level the cadre holds), or a
``RankPromoted`` to the rank. The procedure rules (R-FOUR-CHECKS, R-PUBLICITY …) belong to a
selection case, not to the cadre, and are not part of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from domain.codes import grade_level, rank_index
from domain.rules.catalog import RULES
from domain.rules.common import Finding
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext
from domain.rules.promotion import eligible, held_level, leap, promo_years, rank_years
from domain.rules.sanctions import investigation, sanction_period

Explain = Callable[[GuardContext, RuleConfig], Finding]
POST_RULES: tuple[tuple[str, Explain], ...] = (
    ("R-ELIGIBLE", eligible), ("R-SANCTION-PERIOD", sanction_period), ("R-INVESTIGATION", investigation),
    ("R-PROMO-YEARS", promo_years), ("R-LEAP", leap),
)
RANK_RULES: tuple[tuple[str, Explain], ...] = (
    ("R-RANK-YEARS", rank_years), ("R-SANCTION-PERIOD", sanction_period), ("R-INVESTIGATION", investigation),
)


@dataclass(frozen=True)
class EligibilityCheck:
    """One guard: passed or not, and why."""

    rule: str
    title: str
    passed: bool
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "title": self.title, "passed": self.passed, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Eligibility:
    cadre_id: UUID
    on: date
    target: Mapping[str, str]
    checks: tuple[EligibilityCheck, ...]

    @property
    def eligible(self) -> bool:
        return all(c.passed for c in self.checks)

    def check(self, rule: str) -> EligibilityCheck:
        return next(c for c in self.checks if c.rule == rule)

    def as_dict(self) -> dict[str, Any]:
        return {"cadre_id": str(self.cadre_id), "on": self.on.isoformat(), "target": dict(self.target),
                "eligible": self.eligible, "checks": [c.as_dict() for c in self.checks]}


def _title(rule: str) -> str:
    r = RULES[rule]
    return f"{r.title_zh} ({r.title_en})"


def _check(rule: str, finding: Finding) -> EligibilityCheck:
    if finding.violations:
        return EligibilityCheck(rule, _title(rule), False, tuple(v.message for v in finding.violations))
    return EligibilityCheck(rule, _title(rule), True, (finding.note,))


def _standing(ctx: GuardContext, on: date) -> EligibilityCheck:
    """R-SEQ: the cadre is on the record and not departed on the date."""
    h = ctx.as_of
    if h is None or h.registered_on is None:
        return EligibilityCheck("R-SEQ", _title("R-SEQ"), False, ("建档记录已撤销 (the registration was retracted)",))
    if h.departed_on is not None and h.departed_on <= on:
        return EligibilityCheck("R-SEQ", _title("R-SEQ"), False,
                                (f"已于{h.departed_on}离职 (departed on {h.departed_on})",))
    return EligibilityCheck("R-SEQ", _title("R-SEQ"), True, ("在职 (in service)",))


def for_post(cadre_id: UUID, on: date, ctx: GuardContext, config: RuleConfig) -> Eligibility:
    """``ctx``: an ``Appointed`` context for the target post on ``on`` (values: unit_code, post_code)."""
    unit_code, post_code = ctx.values["unit_code"], ctx.values["post_code"]
    target = {"unit_code": unit_code, "post_code": post_code}
    checks = [_standing(ctx, on)]
    post = ctx.target_post
    if post is None or not post.exists_on(on):
        checks.append(EligibilityCheck("R-SEQ", _title("R-SEQ"), False,
                                       (f"职位{unit_code}/{post_code}在{on}不存在 "
                                        f"(post {unit_code}/{post_code} does not exist on {on})",)))
        return Eligibility(cadre_id, on, target, tuple(checks))
    history = ctx.as_of
    assert history is not None
    if any(t.covers(on) and (t.unit_code, t.post_code) == (unit_code, post_code) for t in history.tenures):
        checks.append(EligibilityCheck("R-SEQ", _title("R-SEQ"), False,
                                       (f"{on}已担任{unit_code}/{post_code} (already holds the post on {on})",)))
        return Eligibility(cadre_id, on, target, tuple(checks))
    level, _, _ = held_level(history, on, ctx.post_grades, config)
    manner = "提拔" if grade_level(post.grade) > level else "平职交流"
    ctx = replace(ctx, values={**ctx.values, "manner": manner})
    shortlist = replace(ctx, entry_type="Shortlisted", values={"effective_on": on, "cadre_ids": (cadre_id,)},
                        candidates={cadre_id: history})
    for rule, explain in POST_RULES:
        checks.append(_check(rule, explain(shortlist if rule == "R-ELIGIBLE" else ctx, config)))
    return Eligibility(cadre_id, on, {**target, "grade": post.grade, "manner": manner}, tuple(checks))


def for_rank(cadre_id: UUID, on: date, ctx: GuardContext, config: RuleConfig) -> Eligibility:
    """``ctx``: a ``RankPromoted`` context on ``on`` (values: to_rank)."""
    assert ctx.as_of is not None
    current, wanted = ctx.as_of.rank, str(ctx.values["to_rank"])
    target = {"rank": wanted}
    checks = [_standing(ctx, on)]
    if current is None or rank_index(wanted) >= rank_index(current):
        checks.append(EligibilityCheck("R-SEQ", _title("R-SEQ"), False,
                                       (f"目标职级{wanted}不高于现职级{current} "
                                        f"(target rank {wanted} is not above the rank held, {current})",)))
        return Eligibility(cadre_id, on, target, tuple(checks))
    ctx = replace(ctx, values={**ctx.values, "from_rank": current})
    checks += [_check(rule, explain(ctx, config)) for rule, explain in RANK_RULES]
    return Eligibility(cadre_id, on, {**target, "from_rank": current}, tuple(checks))
