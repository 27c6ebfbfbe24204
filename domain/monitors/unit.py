"""Unit-level monitor R-RUSH (突击提拔): a burst of promotions just before the head leaves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from domain.entry_values import PROMOTION_MANNERS
from domain.monitors.facts import EntryFact, FindingFact
from domain.monitors.values import add_days
from domain.rules.config import RuleConfig
from domain.rules.registry import monitor


@monitor("R-RUSH", "突击提拔", "rushed promotions before the head leaves",
    source="选拔任用条例",
    judges="≥ N promotions in a unit within the days before its head (正职) leaves (突击提拔)",
    across_records=True,
    thresholds=("monitors.rush_promotions", "monitors.rush_window_days"))
def r_rush(unit_code: str, appointments: Sequence[tuple[UUID, EntryFact]],
           head_departures: Sequence[tuple[UUID, date, UUID]], config: RuleConfig) -> list[FindingFact]:
    """At least rush_promotions promotions (提拔 / 破格提拔) into the unit's posts in the
    rush_window_days before the day its 正职 head left (that day excluded, as is the head's own
    appointment) → one finding for the unit, from that day, evidence = those appointments.
    Several departure entries of one head on one day count once."""
    needed = config.int("monitors.rush_promotions")
    window = config.int("monitors.rush_window_days")
    promotions = sorted(
        ((e.effective_on, cadre_id, e) for cadre_id, e in appointments
         if e.type == "Appointed" and e.effective_on is not None
         and e.values.get("manner") in PROMOTION_MANNERS and e.values.get("unit_code", unit_code) == unit_code),
        key=lambda p: (p[0], str(p[2].entry_id)),
    )
    found: list[FindingFact] = []
    seen: set[tuple[UUID, date]] = set()
    for head, day, entry_id in sorted(head_departures, key=lambda d: (d[1], str(d[0]), str(d[2]))):
        if (head, day) in seen:
            continue
        seen.add((head, day))
        start = add_days(day, -window)
        inside = [e for when, cadre_id, e in promotions if start <= when < day and cadre_id != head]
        if len(inside) < needed:
            continue
        found.append(FindingFact(
            rule="R-RUSH", cadre_id=None, unit_code=unit_code, key=str(entry_id), trigger_on=day,
            due_on=None, resolved_on=None, evidence=tuple(e.entry_id for e in inside),
            detail=f"主要负责人{day.isoformat()}离任前{window}日内提拔{len(inside)}人 "
                   f"({len(inside)} promotions in the {window} days before the head left on {day.isoformat()})",
        ))
    return found
