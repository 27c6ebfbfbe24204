"""R-RETROACTIVE (DOMAIN.md §6.4): an entry recorded more than ``monitors.retroactive_days`` after its
effective date that changes a past eligibility result, a past finding or a past roster day.

The projection calls it for each cadre event (``projections/retroactive.py``) with the record as known
before and after the event; what the entry changes is computed (``domain/retroactive.py``) only when it
is late. The finding is due at once; its evidence is the entry and the entries whose past it changes
(the promotions whose eligibility flips), its detail says what changed, in Chinese (English in brackets).
"""

from __future__ import annotations

from domain.cadre_entries import ENTRY_TYPES
from domain.monitors.facts import FindingFact
from domain.retroactive import Impact, day_zh
from domain.rules.config import RuleConfig
from domain.rules.registry import monitor

RULE = "R-RETROACTIVE"
SHOWN = 6  # changes of each kind spelled out in the detail (the API lists them all)


def _label(entry_type: str) -> str:
    event = ENTRY_TYPES.get(entry_type)
    return f"“{event.LABEL}”记录" if event is not None and event.LABEL else "记录"


def _listed(said: list[str]) -> str:
    more = f"等{len(said)}项" if len(said) > SHOWN else ""
    return "；".join(said[:SHOWN]) + more


@monitor("R-RETROACTIVE", "补录记录改变既往结论", "a back-dated entry changes the past",
         source="DOMAIN.md §6.4",
         judges="an entry recorded more than `retroactive_days` after its effective date changes a past "
                "eligibility result, a past finding or a past roster day",
         due="at once",
         across_records=True,
         thresholds=("monitors.retroactive_days",))
def r_retroactive(found: Impact, unit_code: str | None, config: RuleConfig) -> list[FindingFact]:
    """The finding for one entry's impact (``unit_code``: the cadre's unit when it was recorded), or none
    if it is not late or changes nothing in the past."""
    if not found.late or not found.changes_the_past:
        return []
    said = [f.said() for f in found.eligibility] + [r.said() for r in found.roster_days] + \
        [f.said() for f in found.findings]
    counts = (f"{len(found.eligibility)} eligibility result(s), {len(found.findings)} finding(s), "
              f"{len(found.roster_days)} roster span(s)")
    return [FindingFact(
        rule=RULE, cadre_id=found.cadre_id, unit_code=unit_code, key=str(found.entry_id),
        trigger_on=found.recorded_on, due_on=found.recorded_on, resolved_on=None,
        evidence=(found.entry_id, *(f.entry_id for f in found.eligibility)),
        detail=f"{_label(found.type)}（{day_zh(found.effective_on)}生效）晚{found.days_late}天录入，改变了既往结论："
               f"{_listed(said)} "
               f"(an entry effective {found.effective_on} recorded {found.days_late} days late changes the past: "
               f"{counts})",
    )]
