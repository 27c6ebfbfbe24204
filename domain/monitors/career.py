"""Career monitors: R-PROBATION, R-FOLLOWUP, R-ROTATE, R-SECONDMENT-OVERDUE, R-POOL-REVIEW,
R-POOL-STALE, R-MERIT, R-UNFIT, R-PERSONAL-MATTERS.

Obligations that exist only while the cadre serves in a post, on a secondment or in a pool
end with it: leaving the post (Dismissed / Departed), the departure, or the pool exit resolves
such a finding on its date (late if after the due date). "Held N years" findings (R-ROTATE,
R-POOL-STALE) exist when the situation still stands on the anniversary: an end effective on
the anniversary itself means it no longer stands that day (tenures end exclusively).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from domain.cadre_entries import PROMOTION_MANNERS
from domain.monitors.facts import (
    COUNTY,
    EntryFact,
    FindingFact,
    Timeline,
    add_days,
    add_months,
    add_years,
    as_date,
    as_uuid,
    as_year,
    first_on_or_after,
    str_value,
    year_end,
)
from domain.monitors.talks import FOLLOWUP, resolving_talk
from domain.rules.config import RuleConfig
from domain.rules.registry import monitor

# The reserve pools that 一年一考察 / 三年一公选 apply to (seed 002: 后备干部 dynamic management;
# seed 001 manages 年轻干部库 and 两型干部库 the same way). The other pools (专业, 党外, 女,
# 少数民族) register who a cadre is, not a candidacy, and are not monitored.
RESERVE_POOLS = ("后备干部库", "年轻干部库", "两型干部库")


def _promotions(tl: Timeline) -> list[tuple[date, EntryFact]]:
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
    for day, e in _promotions(tl):
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
    promotions = _promotions(tl)
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


def _annual(tl: Timeline) -> list[tuple[int, EntryFact, object]]:
    """(year, entry, grade) of the standing 年度 assessment of each year (the latest if several),
    by year. Computed once per timeline."""
    annual: list[tuple[int, EntryFact, object]] = tl.cached("annual", _find_annual)
    return annual


def _find_annual(tl: Timeline) -> list[tuple[int, EntryFact, object]]:
    by_year: dict[int, EntryFact] = {}
    for _day, e in tl.dated("Assessed"):
        year = as_year(e.values.get("period"))
        if e.values.get("kind") == "年度" and year is not None:
            by_year[year] = e
    return [(year, e, e.values.get("grade")) for year, e in sorted(by_year.items())]  # years are unique


def _streaks(tl: Timeline, grade: str, length: int) -> list[tuple[int, list[EntryFact]]]:
    """Runs of ``length`` consecutive years graded ``grade``; counting restarts after each run."""
    annual = _annual(tl)
    found: list[tuple[int, list[EntryFact]]] = []
    if not any(graded == grade for _, _, graded in annual):
        return found
    needed = max(length, 1)
    run: list[EntryFact] = []
    previous: int | None = None
    for year, e, graded in annual:
        if previous is not None and year != previous + 1:
            run = []
        previous = year
        if graded != grade:
            run = []
            continue
        run.append(e)
        if len(run) >= needed:
            found.append((year, run))
            run = []
    return found


@monitor("R-MERIT", "连续三年优秀未记三等功", "three 优秀 years without merit",
    source="考核规定",
    judges="3 consecutive 年度 优秀 without a 记三等功",
    due="next year",
    reads=("Assessed", "Commended"),
    thresholds=("monitors.merit_consecutive_excellent",))
def r_merit(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """merit_consecutive_excellent consecutive 年度 优秀 → 记三等功 by the end of the next year.
    Each 记三等功 resolves one run; one dated before the next year began (and before the last
    assessment) is not for this run."""
    length = config.int("monitors.merit_consecutive_excellent")
    merits = [(d, e) for d, e in tl.dated("Commended") if e.values.get("kind") == "记三等功"]
    used: set[int] = set()  # UUID ints of the citations already counted
    found = []
    for year, run in _streaks(tl, "优秀", length):
        day = run[-1].effective_on
        assert day is not None
        start = min(day, add_days(year_end(year), 1))
        merit = next((e for when, e in merits if when >= start and e.entry_id.int not in used), None)
        if merit is not None:
            used.add(merit.entry_id.int)
        found.append(tl.finding(
            "R-MERIT", str(year), trigger=run[-1], trigger_on=day, due_on=add_months(year_end(year), 12),
            evidence=[e.entry_id for e in run], resolved_by=(merit,) if merit else (),
            detail=f"连续{length}年年度考核优秀（至{year}年），应记三等功 "
                   f"({length} consecutive excellent years to {year}: merit citation due)",
        ))
    return found


@monitor("R-UNFIT", "连续两年不称职", "two 不称职 years",
    source="公务员法",
    judges="2 consecutive 年度 不称职 (dismissal procedure due)",
    reads=("Assessed",),
    thresholds=("monitors.unfit_consecutive",))
def r_unfit(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """unfit_consecutive consecutive 年度 不称职 → the 辞退 procedure is due; resolved only by
    Departed with reason 辞退 (no due date)."""
    length = config.int("monitors.unfit_consecutive")
    departure = tl.departure
    found = []
    for year, run in _streaks(tl, "不称职", length):
        day = run[-1].effective_on
        assert day is not None
        dismissed = (departure is not None and departure.values.get("reason") == "辞退"
                     and departure.effective_on is not None and departure.effective_on >= day)
        found.append(tl.finding(
            "R-UNFIT", str(year), trigger=run[-1], trigger_on=day, due_on=None,
            evidence=[e.entry_id for e in run], resolved_by=(departure,) if dismissed and departure else (),
            detail=f"连续{length}年年度考核不称职（至{year}年），应启动辞退程序 "
                   f"({length} consecutive unfit years to {year}: dismissal procedure due)",
        ))
    return found


def _due_in(year: int, month_day: str) -> date:
    month, day = (int(part) for part in month_day.split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _month_day(year: int, month_day: str) -> tuple[int, int]:
    """(month, day) of a "MM-DD" setting, failing as ``_due_in`` does in ``year`` if malformed."""
    _due_in(year, month_day)
    month, day = (int(part) for part in month_day.split("-"))
    return month, day


@monitor("R-PERSONAL-MATTERS", "未按时报告个人有关事项", "personal matters not reported",
    source="领导干部报告个人有关事项规定",
    judges="县处级副职 and above without the annual personal-matters report",
    due="31 January",
    reads=("PersonalMattersReported",),
    thresholds=("monitors.personal_matters_due",))
def r_personal_matters(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """Each year Y up to the horizon's, a cadre county level (县处级副职 and above) on 1 January
    of Y must report year Y-1 (PersonalMattersReported year=Y-1) by personal_matters_due of Y.
    Key: the reported year. A cadre who departs by the due date is not asked."""
    registered = tl.registered_on
    if registered is None:
        return []
    due_setting = str(config.get("monitors.personal_matters_due"))
    first = max(registered.year, date.min.year + 1)
    if first > horizon.year:
        return []
    month, day = _month_day(first, due_setting)  # a malformed setting fails whether or not a year is asked for
    years = tl.years_in_service(first, horizon.year)
    levels = tl.levels_on_jan1(years)
    if COUNTY not in levels:
        return []
    reports: dict[int | None, EntryFact] = {}  # the first report of each year
    for _, e in tl.dated("PersonalMattersReported"):
        reports.setdefault(as_year(e.values.get("year")), e)
    departed = tl.departed_on
    found = []
    for year, level in zip(years, levels, strict=True):
        if level != COUNTY:
            continue
        due = date(year, month, day if day <= 28 else min(day, calendar.monthrange(year, month)[1]))
        if departed is not None and departed <= due:
            continue
        report = reports.get(year - 1)
        found.append(tl.finding(
            "R-PERSONAL-MATTERS", str(year - 1), trigger_on=date(year, 1, 1), due_on=due,
            resolved_by=(report,) if report else (),
            detail=f"{year - 1}年度个人有关事项应于{due.isoformat()}前报告 "
                   f"(personal matters for {year - 1} due by {due.isoformat()})",
        ))
    return found
