"""Every monitor of DOMAIN.md §6.2 by rule id, and the two entry points the projection calls."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from operator import attrgetter
from uuid import UUID

from domain.rules.config import RuleConfig
from projections.monitors.calendar import r_calendar_changed
from projections.monitors.career import (
    r_followup,
    r_merit,
    r_personal_matters,
    r_pool_review,
    r_pool_stale,
    r_probation,
    r_rotate,
    r_secondment_overdue,
    r_unfit,
)
from projections.monitors.facts import EntryFact, FindingFact, PostInfo, Timeline, str_value
from projections.monitors.posts import r_dual_post
from projections.monitors.talks import r_talk_concern, r_talk_depart, r_talk_hardship, r_talk_promo, r_talk_sanction
from projections.monitors.training import r_train_hours, r_train_initial, r_train_post
from projections.monitors.unit import r_rush

CadreMonitor = Callable[[Timeline, RuleConfig, date], list[FindingFact]]


def r_override(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """Every entry stored with overridden guards is a finding, overridden from its effective date."""
    found = []
    for e in tl.entries:
        if not e.overrides:
            continue
        day = e.effective_on or date.min
        rules = ", ".join(e.overrides)
        found.append(tl.finding(
            "R-OVERRIDE", tl.key_of(e), trigger=e, trigger_on=day, due_on=None,
            unit_code=str_value(e, "unit_code") or tl.unit_on(day),
            detail=f"越权放行：{rules} (guards overridden: {rules})",
        ))
    return found


CADRE_MONITORS: dict[str, CadreMonitor] = {
    "R-TALK-PROMO": r_talk_promo,
    "R-TALK-CONCERN": r_talk_concern,
    "R-TALK-DEPART": r_talk_depart,
    "R-TALK-SANCTION": r_talk_sanction,
    "R-TALK-HARDSHIP": r_talk_hardship,
    "R-TRAIN-INITIAL": r_train_initial,
    "R-TRAIN-POST": r_train_post,
    "R-TRAIN-HOURS": r_train_hours,
    "R-PROBATION": r_probation,
    "R-FOLLOWUP": r_followup,
    "R-ROTATE": r_rotate,
    "R-DUAL-POST": r_dual_post,
    "R-SECONDMENT-OVERDUE": r_secondment_overdue,
    "R-POOL-REVIEW": r_pool_review,
    "R-POOL-STALE": r_pool_stale,
    "R-MERIT": r_merit,
    "R-UNFIT": r_unfit,
    "R-PERSONAL-MATTERS": r_personal_matters,
    "R-OVERRIDE": r_override,
}

# Rule id -> function, one per monitor of §6.2 and §6.4. Cadre monitors take (Timeline, RuleConfig,
# horizon); R-RUSH takes (unit_code, appointments, head_departures, RuleConfig); R-CALENDAR-CHANGED
# takes (Judgement, WorkingCalendar, versions, RuleConfig) — see projections/calendar.py.
MONITOR_FUNCTIONS: dict[str, Callable[..., list[FindingFact]]] = {
    **CADRE_MONITORS, "R-RUSH": r_rush, "R-CALENDAR-CHANGED": r_calendar_changed}


_order = attrgetter("rule", "key", "trigger_on")  # (rule, key, trigger_on) of a FindingFact


# What each cadre monitor reads, so that after a new entry only the monitors that read its type
# run again (the projection keeps the other monitors' findings): every monitor reads the career
# (registration, posts, ranks, departure: the unit and level of a day), plus the types below.
# tests/unit/test_monitors_selective.py checks, on random histories, that re-running only these
# gives exactly what running every monitor gives.
CAREER_TYPES = frozenset({"CadreRegistered", "Appointed", "Dismissed", "Departed", "RankPromoted", "RankDemoted"})
_TALKS = frozenset({"ConversationHeld", "ConcernRaised", "Sanctioned", "HandledOrganizationally", "HardshipRecorded",
                    "SecondmentStarted"})
_TRAINING = frozenset({"TrainingCompleted"})
_POOLS = frozenset({"PoolEntered", "PoolReviewed", "PoolExited"})
READS: dict[str, frozenset[str]] = {
    "R-TALK-PROMO": _TALKS, "R-TALK-CONCERN": _TALKS, "R-TALK-DEPART": _TALKS, "R-TALK-SANCTION": _TALKS,
    "R-TALK-HARDSHIP": _TALKS, "R-FOLLOWUP": _TALKS,
    "R-TRAIN-INITIAL": _TRAINING, "R-TRAIN-POST": _TRAINING, "R-TRAIN-HOURS": _TRAINING,
    "R-PROBATION": frozenset({"ProbationConcluded"}), "R-ROTATE": frozenset(), "R-DUAL-POST": frozenset(),
    "R-SECONDMENT-OVERDUE": frozenset({"SecondmentStarted", "SecondmentEnded"}),
    "R-POOL-REVIEW": _POOLS, "R-POOL-STALE": _POOLS,
    "R-MERIT": frozenset({"Assessed", "Commended"}), "R-UNFIT": frozenset({"Assessed"}),
    "R-PERSONAL-MATTERS": frozenset({"PersonalMattersReported"}),
    "R-OVERRIDE": frozenset(),  # reads every entry's overrides: an entry with overrides re-runs everything
}
# A talk names the occasion it was held for (trigger_entry_id), an entry of any type.
TALK_RULES = frozenset(rule for rule, types in READS.items() if types is _TALKS)


def rules_reading(entry: EntryFact, talk_links: Collection[UUID]) -> frozenset[str] | None:
    """The cadre monitors whose findings adding ``entry`` (a new entry, appended to the record) can
    change; None: all of them. ``talk_links`` are the entries the cadre's talks name."""
    if entry.type in CAREER_TYPES or entry.overrides:
        return None
    rules = frozenset(rule for rule, types in READS.items() if entry.type in types)
    return rules | TALK_RULES if entry.entry_id in talk_links else rules


def cadre_findings_by_rule(cadre_id: UUID, entries: Sequence[EntryFact], posts: Mapping[tuple[str, str], PostInfo],
                           config: RuleConfig, horizon: date,
                           rules: Collection[str] | None = None) -> dict[str, list[FindingFact]]:
    """The findings of each cadre monitor (of ``rules``; None: every one), unsorted."""
    timeline = Timeline.build(cadre_id, entries, posts)
    return {rule: CADRE_MONITORS[rule](timeline, config, horizon)
            for rule in (CADRE_MONITORS if rules is None else rules)}


def cadre_findings(cadre_id: UUID, entries: Sequence[EntryFact], posts: Mapping[tuple[str, str], PostInfo],
                   config: RuleConfig, horizon: date) -> list[FindingFact]:
    """All cadre-level findings for the cadre's standing entries (given in recorded order).

    ``horizon`` only bounds the calendar-generated periods (R-TRAIN-HOURS years and cycles,
    R-PERSONAL-MATTERS years): those up to the horizon's year are produced. Everything else
    follows from the entries alone, including findings whose trigger date is still ahead
    (a rotation anniversary, a planned secondment end): ``status_on`` is None until then.
    """
    by_rule = cadre_findings_by_rule(cadre_id, entries, posts, config, horizon)
    return sorted((fact for found in by_rule.values() for fact in found), key=_order)


def unit_findings(unit_code: str, appointments: Sequence[tuple[UUID, EntryFact]],
                  head_departures: Sequence[tuple[UUID, date, UUID]], config: RuleConfig) -> list[FindingFact]:
    """Unit-level findings (R-RUSH) from the appointments into the unit's posts and the days
    its 正职 head left."""
    return sorted(r_rush(unit_code, appointments, head_departures, config), key=_order)
