"""Pool monitors (人才库): R-POOL-REVIEW (一年一考察) and R-POOL-STALE (三年一公选). A membership ends
with the pool exit, a review that takes the cadre out, or the departure, which resolves a finding on
its date (late if after the due date)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.monitors.career import promotions_of
from domain.monitors.facts import EntryFact, FindingFact
from domain.monitors.timeline import Timeline, first_on_or_after, str_value
from domain.monitors.values import add_months
from domain.rules.config import RuleConfig
from domain.rules.registry import monitor

# The reserve pools that 一年一考察 / 三年一公选 apply to (seed 002: 后备干部 dynamic management;
# seed 001 manages 年轻干部库 and 两型干部库 the same way). The other pools (专业, 党外, 女,
# 少数民族) register who a cadre is, not a candidacy, and are not monitored.
RESERVE_POOLS = ("后备干部库", "年轻干部库", "两型干部库")


@dataclass
class _Membership:
    pool: str
    entered: EntryFact
    reviews: list[EntryFact] = field(default_factory=list)
    end: EntryFact | None = None  # PoolExited, a PoolReviewed 调整出库, or Departed


def _memberships(tl: Timeline) -> list[_Membership]:
    """Memberships of reserve pools in effective order; a second PoolEntered of a pool the
    cadre is already in is ignored (the membership continues). Computed once per timeline."""
    memberships: list[_Membership] = tl.cached("memberships", _find_memberships)
    return memberships


def _find_memberships(tl: Timeline) -> list[_Membership]:
    if not tl.of_type("PoolEntered"):
        return []
    current: dict[str, _Membership] = {}
    done: list[_Membership] = []
    for e in tl.of_type("PoolEntered", "PoolReviewed", "PoolExited", "Departed"):
        if e.effective_on is None:
            continue
        pool = str_value(e, "pool")
        if e.type == "PoolEntered" and pool in RESERVE_POOLS and pool not in current:
            current[pool] = _Membership(pool, e)
        elif e.type == "PoolReviewed" and pool in current:
            current[pool].reviews.append(e)
            if e.values.get("outcome") == "调整出库":
                current[pool].end = e
                done.append(current.pop(pool))
        elif e.type == "PoolExited" and pool in current:
            current[pool].end = e
            done.append(current.pop(pool))
        elif e.type == "Departed":
            for membership in current.values():
                membership.end = e
                done.append(membership)
            current.clear()
    done.extend(current.values())
    return done


@monitor("R-POOL-REVIEW", "后备干部一年未考察", "pool member not reviewed in a year",
    source="seed 002",
    judges="a reserve pool member not reviewed for a year (一年一考察)",
    due="1 year",
    reads=("PoolEntered", "PoolReviewed", "PoolExited"),
    thresholds=("monitors.pool_review_months",))
def r_pool_review(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """一年一考察: entering a reserve pool needs a PoolReviewed within pool_review_months; each
    review starts the next period, until the member leaves the pool (which resolves the last)."""
    months = config.int("monitors.pool_review_months")
    found = []
    for m in _memberships(tl):
        closers: list[EntryFact | None] = [*m.reviews]
        if m.end is None:
            closers.append(None)  # the last period stays open
        elif m.end.type != "PoolReviewed":
            closers.append(m.end)  # PoolExited or Departed closes the last period
        start = m.entered
        for closer in closers:
            day = start.effective_on
            assert day is not None  # memberships hold dated entries only
            if closer is not None and closer is m.end and closer.type != "PoolReviewed" and closer.effective_on == day:
                break  # left the pool on the day the period would start: no period
            evidence = (m.entered.entry_id,) if start is m.entered else (m.entered.entry_id, start.entry_id)
            found.append(tl.finding(
                "R-POOL-REVIEW", tl.key_of(start), trigger=start if start is m.entered else None,
                trigger_on=day, due_on=add_months(day, months), evidence=evidence,
                resolved_by=(closer,) if closer is not None else (),
                detail=f"{m.pool}人选应每{months}个月考察一次 (pool member to be reviewed every {months} months)",
            ))
            if closer is None or closer.type != "PoolReviewed":
                break
            start = closer
    return found


@monitor("R-POOL-STALE", "入库三年未使用", "in a pool three years unused",
    source="local",
    judges="in a pool 3 years without use (三年一公选)",
    due="3 years",
    reads=("PoolEntered", "PoolReviewed", "PoolExited"),
    thresholds=("monitors.pool_stale_months",))
def r_pool_stale(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """三年一公选: in a reserve pool pool_stale_months without a promotion or leaving the pool:
    from that anniversary, resolved by the first promotion or exit."""
    months = config.int("monitors.pool_stale_months")
    promotions = promotions_of(tl)
    found = []
    for m in _memberships(tl):
        entered_on = m.entered.effective_on
        assert entered_on is not None
        anniversary = add_months(entered_on, months)
        candidates = [e for e in (first_on_or_after(promotions, entered_on), m.end) if e is not None]
        ender = min(candidates, key=lambda e: e.effective_on or date.max, default=None)
        if ender is not None and ender.effective_on is not None and ender.effective_on <= anniversary:
            continue
        found.append(tl.finding(
            "R-POOL-STALE", tl.key_of(m.entered), trigger_on=anniversary, due_on=None,
            evidence=(m.entered.entry_id,), resolved_by=(ender,) if ender else (),
            detail=f"入{m.pool}满{months}个月未使用 (in {m.pool} {months} months without promotion)",
        ))
    return found
