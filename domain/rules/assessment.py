"""Assessment (考核) rules: R-EXCELLENT-QUOTA (DOMAIN.md §6.3, §6.4).

优秀 in a unit's 年度考核 may be at most ``assessment.excellent_quota`` (1/5) of the participants;
above that and up to ``assessment.excellent_quota_approved`` (1/4) only with an approval, recorded
as an override whose reason names the approval's document number (批准文号, e.g. 市考核办〔2024〕3号);
above that never. The count is of the 优秀 of the same unit, kind and period, this entry included
(``domain.assessment_round``). A share exactly at a limit is within it.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Literal

from domain.assessment_round import QUOTA_GRADE, QUOTA_KIND, QuotaCount
from domain.errors import Violation
from domain.rules.common import NOT_APPLICABLE, Finding
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext
from domain.rules.registry import guard

# A 文号: issuer, year in brackets, number 号 — 高组通〔2024〕3号, 考核办[2024]12号, 组字（2024）第5号.
DOCUMENT_NO = re.compile(r"[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*第?\s*\d+\s*号")
Level = Literal["within", "approval", "over"]


def quota_level(excellent: int, participants: int, config: RuleConfig) -> Level:
    """Within the quota, above it but within what an approval allows, or over both."""
    if excellent <= 0:
        return "within"
    if participants <= 0:
        return "over"
    share = Fraction(excellent, participants)
    if share <= config.fraction("assessment.excellent_quota"):
        return "within"
    if share <= config.fraction("assessment.excellent_quota_approved"):
        return "approval"
    return "over"


def excellent_allowed(participants: int, config: RuleConfig, *, approved: bool = False) -> int:
    """The most 优秀 a round of ``participants`` may have (with an approval: the higher limit)."""
    key = "assessment.excellent_quota_approved" if approved else "assessment.excellent_quota"
    return int(config.fraction(key) * participants)  # int() of a non-negative Fraction floors it


def names_approval(reason: str | None) -> bool:
    """Does an override reason name an approval's document number (批准文号)?"""
    return bool(reason and DOCUMENT_NO.search(reason))


def _percent(share: Fraction) -> str:
    return f"{float(share) * 100:.1f}".rstrip("0").rstrip(".") + "%"


def excellent_quota(ctx: GuardContext, config: RuleConfig) -> Finding:
    """R-EXCELLENT-QUOTA on an 年度 优秀 ``Assessed`` (or a recorded participant count)."""
    q: QuotaCount | None = ctx.quota
    if q is None:
        return NOT_APPLICABLE
    field = "participants"
    if ctx.entry_type == "Assessed":
        v = ctx.values
        if (v.get("kind"), v.get("grade"), str(v.get("period", "")).strip()) != (QUOTA_KIND, QUOTA_GRADE, q.period):
            return NOT_APPLICABLE
        field = "grade"
    level = quota_level(q.excellent, q.participants, config)
    share = Fraction(q.excellent, q.participants) if q.participants > 0 else Fraction(1)
    quota = config.fraction("assessment.excellent_quota")
    approved = config.fraction("assessment.excellent_quota_approved")
    source_zh = f"参加人数按{q.document_no}" if q.document_no else f"{q.day}在该单位任职的干部"
    source_en = f"participants as recorded under {q.document_no}" if q.document_no else \
        f"participants: the cadres holding a post of the unit on {q.day}"
    what_zh = (f"单位{q.unit_code}的{q.period}年度考核优秀{q.excellent}人，"
               f"占参加考核{q.participants}人的{_percent(share)}（{source_zh}）")
    what_en = (f"{q.excellent} of {q.participants} graded 优秀 ({_percent(share)}) in unit {q.unit_code}'s "
               f"{q.period} annual assessment ({source_en})")
    if level == "within":
        return Finding(note_zh=f"{what_zh}，未超过{_percent(quota)}", note_en=f"{what_en}: within {_percent(quota)}")
    if level == "over":
        return Finding([Violation(
            "R-EXCELLENT-QUOTA", f"{what_zh}，超过{_percent(approved)}，不得例外放行",
            f"{what_en}: over {_percent(approved)}, which no approval allows", field, overridable=False)])
    if ctx.override_reason and ctx.override_reason.strip() and not names_approval(ctx.override_reason):
        return Finding([Violation(
            "R-EXCELLENT-QUOTA",
            f"{what_zh}，超过{_percent(quota)}：例外放行理由须注明批准文号（如 某考核办〔2024〕3号）",
            f"{what_en}: over {_percent(quota)}; the override reason must name the approval's document "
            f"number (批准文号, e.g. 某考核办〔2024〕3号)", field, overridable=False)])
    return Finding([Violation(
        "R-EXCELLENT-QUOTA", f"{what_zh}，超过{_percent(quota)}，须经批准：例外放行并在理由中注明批准文号"
                             f"（至多{_percent(approved)}）",
        f"{what_en}: over {_percent(quota)}, which needs an approval: override with a reason naming its "
        f"document number (批准文号; at most {_percent(approved)})", field)])


@guard("R-EXCELLENT-QUOTA", "年度考核优秀比例", "优秀 quota of a unit's annual assessment",
    source="DOMAIN.md §6.3, §6.4; 公务员考核规定 2020",
    judges="`Assessed` 年度 优秀 (new, corrected, or restored by retracting a correction); "
           "`AssessmentParticipantsRecorded`. Over the quota only with an override whose reason names the "
           "approval's 文号; over the approved quota: never",
    retractions=True,
    as_of=True,
    thresholds=("assessment.excellent_quota", "assessment.excellent_quota_approved"))
def r_excellent_quota(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    return excellent_quota(ctx, config).violations
