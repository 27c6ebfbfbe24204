"""Every monitor of DOMAIN.md §6.2 by rule id, and the two entry points the projection calls."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from operator import attrgetter
from uuid import UUID

from domain.monitors.annual import READS_ONLY as ANNUAL_READS_ONLY
from domain.monitors.facts import EntryFact, FindingFact, PostInfo
from domain.monitors.timeline import Timeline
from domain.monitors.training import READS_ONLY as TRAINING_READS_ONLY
from domain.monitors.unit import r_rush
from domain.rules.catalog import MONITORS
from domain.rules.config import RuleConfig

CadreMonitor = Callable[[Timeline, RuleConfig, date], list[FindingFact]]

# Rule id -> function, one per monitor of §6.2 and §6.4, as the registry declares them. Cadre monitors
# take (Timeline, RuleConfig, horizon); the monitors across records are called by their projections:
# R-RUSH takes (unit_code, appointments, head_departures, RuleConfig) — projections/findings.py;
# R-CALENDAR-CHANGED (Judgement, WorkingCalendar, versions, RuleConfig) — projections/calendar.py.
MONITOR_FUNCTIONS: dict[str, Callable[..., list[FindingFact]]] = {r.id: r.function for r in MONITORS}
CADRE_MONITORS: dict[str, CadreMonitor] = {r.id: r.function for r in MONITORS if not r.across_records}


_order = attrgetter("rule", "key", "trigger_on")  # (rule, key, trigger_on) of a FindingFact


# What each cadre monitor reads, so that after a new entry only the monitors that read its type
# run again (the projection keeps the other monitors' findings): every monitor reads the career
# (registration, posts, ranks, departure: the unit and level of a day), plus the types below.
# tests/unit/test_monitors_selective.py checks, on random histories, that re-running only these
# gives exactly what running every monitor gives.
CAREER_TYPES = frozenset({"CadreRegistered", "Appointed", "Dismissed", "Departed", "RankPromoted", "RankDemoted"})
READS: dict[str, frozenset[str]] = {r.id: r.reads for r in MONITORS if not r.across_records}
# A talk names the occasion it was held for (trigger_entry_id), an entry of any type: the monitors
# that read talks read that occasion too.
TALK_RULES = frozenset(rule for rule, types in READS.items() if "ConversationHeld" in types)


# Of some types a monitor reads only some entries (the passed trainings, the 年度 assessments): for each
# (rule, type), what an entry of the type must be for the rule to read it; any other leaves its findings be.
READS_ONLY: dict[tuple[str, str], Callable[[EntryFact], bool]] = {**TRAINING_READS_ONLY, **ANNUAL_READS_ONLY}


def rules_reading(entry: EntryFact, talk_links: Collection[UUID]) -> frozenset[str] | None:
    """The cadre monitors whose findings adding ``entry`` (a new entry, appended to the record) can
    change; None: all of them. ``talk_links`` are the entries the cadre's talks name."""
    if entry.type in CAREER_TYPES or entry.overrides:
        return None
    rules = _READING.get(entry.type, _NONE)
    only = _ONLY.get(entry.type)
    if only is not None:
        rules = rules.difference([rule for rule, reads in only if not reads(entry)])
    return rules | TALK_RULES if entry.entry_id in talk_links else rules


# The rules that read each type (computed once: ``rules_reading`` runs for every appended entry).
_READING = {type_: frozenset(rule for rule, types in READS.items() if type_ in types)
            for type_ in frozenset().union(*READS.values())}
_NONE: frozenset[str] = frozenset()
_ONLY: dict[str, list[tuple[str, Callable[[EntryFact], bool]]]] = {}
for (_rule, _type), _reads in READS_ONLY.items():
    _ONLY.setdefault(_type, []).append((_rule, _reads))


def cadre_findings_by_rule(cadre_id: UUID, entries: Sequence[EntryFact], posts: Mapping[tuple[str, str], PostInfo],
                           config: RuleConfig, horizon: date,
                           rules: Collection[str] | None = None) -> dict[str, list[FindingFact]]:
    """The findings of each cadre monitor (of ``rules``; None: every one), unsorted."""
    return timeline_findings_by_rule(Timeline.build(cadre_id, entries, posts), config, horizon, rules)


def timeline_findings_by_rule(timeline: Timeline, config: RuleConfig, horizon: date,
                              rules: Collection[str] | None = None) -> dict[str, list[FindingFact]]:
    """``cadre_findings_by_rule`` over a timeline already built (``domain/monitors/replay.py``)."""
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
