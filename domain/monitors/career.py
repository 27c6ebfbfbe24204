"""Career monitors: R-PROBATION, R-FOLLOWUP, R-ROTATE, R-SECONDMENT-OVERDUE (the pools are
``domain/monitors/pools.py``, the annual assessments and reports ``domain/monitors/annual.py``).

Obligations that exist only while the cadre serves in a post, on a secondment or in a pool
end with it: leaving the post (Dismissed / Departed), the departure, or the pool exit resolves
such a finding on its date (late if after the due date). "Held N years" findings (R-ROTATE,
R-POOL-STALE) exist when the situation still stands on the anniversary: an end effective on
the anniversary itself means it no longer stands that day (tenures end exclusively).
"""

from __future__ import annotations

from datetime import date

from domain.entry_values import PROMOTION_MANNERS
from domain.monitors.facts import EntryFact, FindingFact
from domain.monitors.talks import FOLLOWUP, resolving_talk
from domain.monitors.timeline import Timeline, str_value
from domain.monitors.values import add_days, add_months, add_years, as_date, as_uuid
from domain.rules.config import RuleConfig
from domain.rules.registry import monitor


def promotions_of(tl: Timeline) -> list[tuple[date, EntryFact]]:
    return [(d, e) for d, e in tl.dated("Appointed") if e.values.get("manner") in PROMOTION_MANNERS]


@monitor("R-PROBATION", "试用期满未考核", "probation not concluded",
    source="选拔任用条例",
    judges="a probation post held past its year without `ProbationConcluded`",
    due="1 year + 30 days",
    reads=("ProbationConcluded",),
    thresholds=("monitors.probation_months", "monitors.probation_grace_days"))
def r_probation(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """Appointed into a probation post → ProbationConcluded for that post during the tenure,
    within probation_months + probation_grace_days; leaving the post first resolves it too."""
    months = config.int("monitors.probation_months")
    grace = config.int("monitors.probation_grace_days")
    detail = (f"试用期{months}个月满后{grace}日内应作试用期满考核 "
              f"(probation of {months} months to be concluded within {grace} days of its end)")
    conclusions = tl.dated("ProbationConcluded")
    found = []
    for day, e in tl.dated("Appointed"):
        unit_code, post_code = str_value(e, "unit_code"), str_value(e, "post_code")
        info = tl.post(unit_code, post_code) if unit_code and post_code else None
        if info is None or not info.probation:
            continue
        tenure = tl.tenure_of(e.entry_id)
        end = tenure.end if tenure is not None else None
        resolver = next((c for when, c in conclusions
                         if when >= day and (end is None or when <= end)
                         and c.values.get("post_code") == post_code
                         and c.values.get("unit_code") in (None, unit_code)), None)
        if resolver is None and tenure is not None and tenure.ended_by is not None:
            resolver = tl.entry(tenure.ended_by)
        found.append(tl.finding(
            "R-PROBATION", tl.key_of(e), trigger=e, trigger_on=day,
            due_on=add_days(add_months(day, months), grace), resolved_by=(resolver,) if resolver else (),
            unit_code=unit_code, detail=detail,
        ))
    return found


@monitor("R-FOLLOWUP", "提任后未回访", "no follow-up talk after promotion",
    source="seed 002",
    judges="no 提任回访 talk within 6 months of a promotion",
    due="6 months",
    reads=("ConversationHeld", "ConcernRaised", "Sanctioned", "HandledOrganizationally", "HardshipRecorded",
           "SecondmentStarted"),
    thresholds=("monitors.followup_months",))
def r_followup(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """A promotion needs a 提任回访 talk within followup_months (a late one still resolves it)."""
    months = config.int("monitors.followup_months")
    detail = f"提拔后{months}个月内应回访谈话 (follow-up talk due within {months} months of a promotion)"
    found = []
    for day, e in promotions_of(tl):
        talk = resolving_talk(tl, FOLLOWUP, e, day)
        found.append(tl.finding(
            "R-FOLLOWUP", tl.key_of(e), trigger=e, trigger_on=day, due_on=add_months(day, months),
            resolved_by=(talk,) if talk else (), unit_code=str_value(e, "unit_code"), detail=detail,
        ))
    return found


@monitor("R-ROTATE", "同一岗位任职过久", "same leadership post too long",
    source="seed 003",
    judges="the same leadership post held ≥ 10 years (must rotate); ≥ 5 years (plan rotation)",
    thresholds=("monitors.rotate_plan_years", "monitors.rotate_must_years"))
def r_rotate(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """Same leadership post held rotate_plan_years → 应计划轮岗; rotate_must_years → 必须轮岗.
    Each exists from its anniversary and is resolved when the tenure ends; no due date."""
    steps = []
    for label, setting, zh, en in (("plan", "monitors.rotate_plan_years", "应计划轮岗", "plan a rotation"),
                                   ("must", "monitors.rotate_must_years", "必须轮岗", "must rotate")):
        years = config.int(setting)
        detail = f"同一领导岗位任职满{years}年，{zh} (same leadership post for {years} years: {en})"
        steps.append((label, years, detail))
    found = []
    for t in tl.tenures:
        info = tl.post(t.unit_code, t.post_code)
        if info is None or not info.leadership:
            continue
        ender = tl.entry(t.ended_by)
        for label, years, detail in steps:
            anniversary = add_years(t.start, years)
            if t.end is not None and t.end <= anniversary:
                continue
            found.append(tl.finding(
                "R-ROTATE", f"{t.appointed_entry}:{label}", trigger_on=anniversary, due_on=None,
                evidence=(t.appointed_entry,), resolved_by=(ender,) if ender else (), resolved_on=t.end,
                unit_code=t.unit_code, detail=detail,
            ))
    return found


@monitor("R-SECONDMENT-OVERDUE", "挂职逾期未结束", "secondment overdue",
    source="—",
    judges="a secondment past its planned end and not ended",
    due="planned end + 30 days",
    reads=("SecondmentStarted", "SecondmentEnded"),
    thresholds=("monitors.secondment_grace_days",))
def r_secondment_overdue(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """A secondment not ended by its planned end: from the day after it, due within
    secondment_grace_days of the planned end, resolved by SecondmentEnded (or the departure)."""
    started = tl.dated("SecondmentStarted")
    if not started:
        return []
    grace = config.int("monitors.secondment_grace_days")
    ends: dict[int, EntryFact] = {}  # the first SecondmentEnded naming each secondment (by UUID int)
    for _, e in tl.dated("SecondmentEnded"):
        named = as_uuid(e.values.get("secondment_entry_id"))
        if named is not None:
            ends.setdefault(named.int, e)
    departure = tl.departure
    found = []
    for _day, s in started:
        planned = as_date(s.values.get("planned_end_on"))
        if planned is None:
            continue
        ender = ends.get(s.entry_id.int, departure)
        end_day = ender.effective_on if ender is not None else None
        if end_day is not None and end_day <= planned:
            continue
        found.append(tl.finding(
            "R-SECONDMENT-OVERDUE", tl.key_of(s), trigger_on=add_days(planned, 1),
            due_on=add_days(planned, grace), evidence=(s.entry_id,), resolved_by=(ender,) if ender else (),
            detail=f"挂职已过计划结束日期{planned.isoformat()}，应于{grace}日内办理结束 "
                   f"(secondment past its planned end {planned.isoformat()}: end it within {grace} days)",
        ))
    return found
