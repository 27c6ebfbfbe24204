"""Monitors of DOMAIN.md §6.2 as pure functions producing finding facts (no store, no clock)."""

from __future__ import annotations

from projections.monitors.facts import EntryFact, FindingFact, PostInfo, is_overdue, status_on
from projections.monitors.registry import MONITOR_FUNCTIONS, cadre_findings, unit_findings

__all__ = [
    "MONITOR_FUNCTIONS",
    "EntryFact",
    "FindingFact",
    "PostInfo",
    "cadre_findings",
    "is_overdue",
    "status_on",
    "unit_findings",
]
