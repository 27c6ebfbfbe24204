"""R-OVERRIDE: every guard override stored on a cadre's record is a finding (overridden from its date)."""

from __future__ import annotations

from datetime import date

from domain.monitors.facts import FindingFact
from domain.monitors.timeline import Timeline, str_value
from domain.rules.config import RuleConfig
from domain.rules.registry import monitor


@monitor("R-OVERRIDE", "经批准例外放行", "a guard was overridden",
    source="—",
    judges="every stored guard override")
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
            detail=f"经批准例外放行：{rules} (guards overridden: {rules})", overridden=True,
        ))
    return found
