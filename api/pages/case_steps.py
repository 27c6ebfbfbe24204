"""What HR may record next in a selection case (选任纪实): the procedure's order (DOMAIN.md §5) read from
the steps that stand — 民主推荐 → 确定考察对象 → per candidate 考察, 凡提四必, 双签字 → 讨论决定 → 任前公示 →
任用 — each offered as a link to its form with the candidate (and the check) chosen. The offer is a
convenience, never a rule: the guards judge whatever is submitted, and any step can be chosen by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode
from uuid import UUID

from domain.selection import CASE_STEPS, CHECKS, SelectionCase


@dataclass(frozen=True)
class Offer:
    """One next step: what it is, for whom, and the form (or, after 任用, the appointment form) it opens."""

    label: str
    step_type: str
    cadre: str = ""
    params: dict[str, str] = field(default_factory=dict)
    href: str = ""  # set for the appointment, which is recorded on the cadre's own record

    def url(self, case_id: UUID) -> str:
        if self.href:
            return self.href
        return f"/cases/{case_id}/steps/new?{urlencode({'type': self.step_type, **self.params})}"


def _for_candidate(case: SelectionCase, cadre_id: UUID, name: str, appointed: Mapping[UUID, UUID]) -> list[Offer]:
    """The next steps for one 考察对象, in the procedure's order."""
    who = {"cadre_id": str(cadre_id)}
    conclusion = case.conclusion(cadre_id)
    if conclusion is not None:
        if conclusion.values["outcome"] == "任用" and cadre_id not in appointed:
            href = f"/cadres/{cadre_id}/entries/new?{urlencode({'type': 'Appointed', 'case_id': str(case.id)})}"
            return [Offer("记录任职（任用）", "Appointed", name, href=href)]
        return []
    if case.latest("PublicityHeld", cadre_id=cadre_id) is not None:
        return [Offer(CASE_STEPS["CaseConcluded"].LABEL, "CaseConcluded", name, who)]
    if case.latest("Decided", cadre_id=cadre_id) is not None:
        return [Offer(CASE_STEPS["PublicityHeld"].LABEL, "PublicityHeld", name, who)]
    offers: list[Offer] = []
    if case.latest("Inspected", cadre_id=cadre_id) is None:
        offers.append(Offer(CASE_STEPS["Inspected"].LABEL, "Inspected", name, who))
    done = {s.values["check"] for s in case.steps_of("CheckCompleted", cadre_id=cadre_id)}
    offers += [Offer(f"{CASE_STEPS['CheckCompleted'].LABEL}：{check}", "CheckCompleted", name,
                     {**who, "check": check}) for check in CHECKS if check not in done]
    if case.latest("IntegrityOpinionSigned", cadre_id=cadre_id) is None:
        offers.append(Offer(CASE_STEPS["IntegrityOpinionSigned"].LABEL, "IntegrityOpinionSigned", name, who))
    if not offers:
        offers.append(Offer(CASE_STEPS["Decided"].LABEL, "Decided", name, who))
    return offers


def concluded_for_appointment(case: SelectionCase) -> set[UUID]:
    """The 考察对象 whose conclusion is 任用 (an appointment citing the case may follow)."""
    return {s.values["cadre_id"] for s in case.steps_of("CaseConcluded")
            if (c := case.conclusion(s.values["cadre_id"])) is not None and c.values["outcome"] == "任用"}


def next_steps(case: SelectionCase, names: Mapping[str, str], appointed: Mapping[UUID, UUID]) -> list[Offer]:
    """The steps the procedure expects next, for the case and for each of its candidates (``appointed``:
    those whose appointment citing the case is recorded, cadre id → its entry)."""
    if not case.steps_of("Recommended"):
        return [Offer(CASE_STEPS["Recommended"].LABEL, "Recommended")]
    shortlisted: list[UUID] = []
    for step in case.steps_of("Shortlisted"):
        shortlisted += [c for c in step.values["cadre_ids"] if c not in shortlisted]
    if not shortlisted:
        return [Offer(CASE_STEPS["Shortlisted"].LABEL, "Shortlisted")]
    return [offer for c in shortlisted for offer in _for_candidate(case, c, names.get(str(c), str(c)), appointed)]
