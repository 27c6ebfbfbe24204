"""The selection procedure (选任全程纪实, DOMAIN.md §5): R-FOUR-CHECKS, R-PUBLICITY, R-QUORUM,
R-RECOMMEND-VALID, and the order of the steps (R-SEQ, not overridable).

What each step needs, judged on its effective date over the steps effective by then:

* every step: not before the case was opened; a step for a cadre: the cadre is shortlisted
  by then and the case has not concluded 任用 or 不予任用 for them (缓议 may be revisited) — R-SEQ;
* ``Shortlisted``: a recommendation still valid (R-RECOMMEND-VALID), each cadre eligible
  (R-ELIGIBLE), registered, not departed, not shortlisted already (R-SEQ);
* ``Decided``: the cadre inspected (R-SEQ); the four checks passed and the dual-signed
  integrity opinion, all by the decision date (R-FOUR-CHECKS); present ≥ the quorum (R-QUORUM);
* ``PublicityHeld``: a decision by its start (R-SEQ) that approved — 同意 above
  ``selection.approval_fraction`` of members_total (R-QUORUM); ≥ N working days (R-PUBLICITY);
* ``CaseConcluded`` 任用: an approving decision (R-SEQ, R-QUORUM) and a publicity that ended
  before the conclusion's date (R-PUBLICITY);
* an ``Appointed`` citing a case: the case exists, is for that post, and concluded 任用 for
  the cadre by the appointment's date (R-SEQ); a promotion also needs the four checks
  (R-FOUR-CHECKS) and a publicity of ≥ N working days that ended before it (R-PUBLICITY).
  A promotion citing no case at all fails R-FOUR-CHECKS and R-PUBLICITY (overridable, so a
  promotion made before the system can still be recorded, marked).

A meeting whose 同意 votes are not above the fraction is stored as it was (a decision not
to approve is a legitimate record); it is the steps that would act on it that are refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any
from uuid import UUID

from domain.entry_values import PROMOTION_MANNERS
from domain.errors import Violation
from domain.rules.common import NOT_APPLICABLE, ONE_DAY, Finding, last_day
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext
from domain.rules.registry import guard
from domain.selection import CASE_STEPS, CHECKS, CHECKS_EN, CaseStep, SelectionCase
from domain.workdays import CalendarNotCoveredError, WorkingCalendar


def _day(ctx: GuardContext) -> date | None:
    day = ctx.values.get("effective_on")
    return day if isinstance(day, date) else None


def _promotion_case(ctx: GuardContext) -> tuple[SelectionCase | None, UUID | None] | None:
    """For a promotion Appointed: (its case or None if not found, the cadre); else None."""
    if ctx.entry_type != "Appointed" or ctx.values.get("manner") not in PROMOTION_MANNERS:
        return None
    return ctx.case, ctx.cadre_id


def approved(decision: CaseStep, config: RuleConfig) -> bool:
    """同意 votes above ``selection.approval_fraction`` of members_total."""
    yes = int(decision.values["votes"].get("同意", 0))
    return Fraction(yes) > config.fraction("selection.approval_fraction") * int(decision.values["members_total"])


def missing_checks(case: SelectionCase, cadre_id: UUID, day: date) -> list[Violation]:
    """凡提四必 not passed, and the dual signature missing, for the cadre by ``day``."""
    found: list[Violation] = []
    results = case.check_results(cadre_id, day)
    for check in CHECKS:
        result = results.get(check)
        if result is None:
            found.append(Violation("R-FOUR-CHECKS", f"凡提四必缺少{check}（截至{day}）",
                                   f"four checks: no {CHECKS_EN[check]} by {day}"))
        elif result != "通过":
            found.append(Violation("R-FOUR-CHECKS", f"凡提四必{check}结果为{result}",
                                   f"four checks: {CHECKS_EN[check]} found problems ({result})"))
    if case.latest("IntegrityOpinionSigned", cadre_id=cadre_id, on=day) is None:
        found.append(Violation("R-FOUR-CHECKS", f"缺少党委（党组）书记和纪委书记双签字的廉洁自律意见（截至{day}）",
                               f"no integrity opinion signed by both secretaries by {day}"))
    return found


NO_CASE_ZH = "提拔任职未关联选任纪实"
NO_CASE_EN = "a promotion citing no selection case"


def four_checks(ctx: GuardContext, config: RuleConfig) -> Finding:
    """R-FOUR-CHECKS: before a decision, and for a promotion, the case holds all four checks
    passed and the dual-signed integrity opinion for the cadre (选拔任用条例 第三十一条)."""
    day = _day(ctx)
    promotion = _promotion_case(ctx)
    if day is None:
        return NOT_APPLICABLE
    case: SelectionCase | None
    if ctx.entry_type == "Decided" and ctx.case is not None:
        case, cadre_id = ctx.case, ctx.values.get("cadre_id")
    elif promotion is not None:
        case, cadre_id = promotion
        if ctx.values.get("selection_case_id") is None:
            return Finding([Violation("R-FOUR-CHECKS", f"{NO_CASE_ZH}，无凡提四必和双签字记录",
                                      f"{NO_CASE_EN}: no four checks or dual signature", "selection_case_id")])
    else:
        return NOT_APPLICABLE
    if case is None or not isinstance(cadre_id, UUID):
        return NOT_APPLICABLE  # R-SEQ: no such case
    return Finding(missing_checks(case, cadre_id, day), "凡提四必均已通过并双签字", "four checks passed, dual-signed")


@guard("R-FOUR-CHECKS", "凡提四必与双签字", "four checks and dual signature",
    source="选拔任用条例 第31条",
    judges="`Decided`, promotions",
    as_of=True)
def r_four_checks(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    return four_checks(ctx, config).violations


def publicity_problems(start: date, end: date, config: RuleConfig, calendar: WorkingCalendar) -> list[Violation]:
    """A publicity shorter than ``selection.publicity_working_days`` working days, counted with
    ``calendar`` (holidays and 调休 as known when the command runs). A span with a day of a year
    the calendar does not know cannot be counted: that is an R-PUBLICITY violation too (never a
    Monday–Friday guess), so it can be overridden with a reason."""
    needed = config.int("selection.publicity_working_days")
    try:
        counted = calendar.working_days_inclusive(start, end)
    except CalendarNotCoveredError as e:
        return [Violation("R-PUBLICITY", f"工作日日历未包含{e.day.year}年的节假日安排，"
                                         f"无法核验公示{start}至{end}的工作日；请先记录该年的节假日安排",
                          f"the working-day calendar has no schedule for {e.day.year}: "
                          f"cannot count the working days of {start} to {end}; record that year's schedule first",
                          "end_on")]
    if counted < needed:
        return [Violation("R-PUBLICITY", f"任前公示{start}至{end}仅{counted}个工作日，少于{needed}个",
                          f"publicity {start} to {end} has {counted} working days, fewer than {needed}", "end_on")]
    return []


def latest_publicity(case: SelectionCase, cadre_id: UUID, day: date) -> CaseStep | None:
    """The cadre's latest publicity in the case that started by ``day``."""
    started = [s for s in case.steps_of("PublicityHeld", cadre_id=cadre_id) if s.values["start_on"] <= day]
    return started[-1] if started else None


def publicity_before(case: SelectionCase, cadre_id: UUID, day: date, config: RuleConfig, *,
                     span: bool, calendar: WorkingCalendar) -> list[Violation]:
    """The latest publicity started by ``day`` must have ended before it (and, with ``span``,
    be long enough). Its end day is the last forbidden day; the next day is the first allowed."""
    latest = latest_publicity(case, cadre_id, day)
    if latest is None:
        return [Violation("R-PUBLICITY", f"未经任前公示（截至{day}）", f"no pre-appointment publicity by {day}",
                          "effective_on")]
    start, end = latest.values["start_on"], latest.values["end_on"]
    found = []
    if day <= end:
        found.append(Violation("R-PUBLICITY", f"任前公示{end}结束，{end + ONE_DAY}起方可任用",
                               f"the publicity ends on {end}: appointment from {end + ONE_DAY}", "effective_on"))
    if span:
        found += publicity_problems(start, end, config, calendar)
    return found


def counted_span(entry_type: str, values: Mapping[str, Any], case: SelectionCase | None,
                 cadre_id: UUID | None) -> tuple[date, date] | None:
    """The publicity whose working days R-PUBLICITY counts for this entry, if any: a
    ``PublicityHeld``'s own span; for a promotion ``Appointed`` citing a case, the cadre's latest
    publicity in it started by the appointment's date. The command loads the calendar for these
    years and stores the count with the entry (``calendar_used``)."""
    day = values.get("effective_on")
    if not isinstance(day, date):
        return None
    if entry_type == "PublicityHeld":
        start, end = values.get("start_on"), values.get("end_on")
        return (start, end) if isinstance(start, date) and isinstance(end, date) and start <= end else None
    if (entry_type != "Appointed" or values.get("manner") not in PROMOTION_MANNERS
            or values.get("selection_case_id") is None or case is None or cadre_id is None):
        return None
    latest = latest_publicity(case, cadre_id, day)
    return None if latest is None else (latest.values["start_on"], latest.values["end_on"])


def publicity_judgement(ctx: GuardContext) -> dict[str, Any] | None:
    """R-PUBLICITY's count for this entry, as stored with it (``calendar_used``), or None."""
    span = counted_span(ctx.entry_type, ctx.values, ctx.case, ctx.cadre_id)
    return None if span is None else ctx.calendar.judgement(*span)


def publicity(ctx: GuardContext, config: RuleConfig) -> Finding:
    """R-PUBLICITY: 任前公示 of at least ``selection.publicity_working_days`` working days,
    ended before the appointment (选拔任用条例 第四十条)."""
    day = _day(ctx)
    promotion = _promotion_case(ctx)
    if day is None:
        return NOT_APPLICABLE
    v = ctx.values
    if ctx.entry_type == "PublicityHeld":
        found = publicity_problems(v["start_on"], v["end_on"], config, ctx.calendar)
    elif ctx.entry_type == "CaseConcluded" and v.get("outcome") == "任用" and ctx.case is not None:
        found = publicity_before(ctx.case, v["cadre_id"], day, config, span=False, calendar=ctx.calendar)
    elif promotion is not None:
        case, cadre_id = promotion
        if v.get("selection_case_id") is None:
            return Finding([Violation("R-PUBLICITY", f"{NO_CASE_ZH}，无任前公示记录",
                                      f"{NO_CASE_EN}: no pre-appointment publicity", "selection_case_id")])
        if case is None or cadre_id is None:
            return NOT_APPLICABLE
        found = publicity_before(case, cadre_id, day, config, span=True, calendar=ctx.calendar)
    else:
        return NOT_APPLICABLE
    return Finding(found, "任前公示已满期", "publicity complete")


@guard("R-PUBLICITY", "任前公示不少于5个工作日", "pre-appointment publicity ≥ 5 working days",
    source="选拔任用条例",
    judges="`PublicityHeld` (≥ N working days, with the calendar as known then); `CaseConcluded` 任用 and promotions "
           "(after it ended)",
    as_of=True,
    thresholds=("selection.publicity_working_days",))
def r_publicity(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    return publicity(ctx, config).violations


def quorum(ctx: GuardContext, config: RuleConfig) -> Finding:
    """R-QUORUM: the decision meeting has present ≥ ``selection.quorum_present_fraction`` of
    members_total; publicity and appointment need 同意 > ``selection.approval_fraction`` of it."""
    day, v, case = _day(ctx), ctx.values, ctx.case
    if day is None or case is None:
        return NOT_APPLICABLE
    if ctx.entry_type == "Decided":
        need = config.fraction("selection.quorum_present_fraction")
        if Fraction(v["present"]) < need * v["members_total"]:
            return Finding([Violation("R-QUORUM", f"到会{v['present']}人，不足应到会{v['members_total']}人的{need}",
                                      f"{v['present']} present, fewer than {need} of {v['members_total']}",
                                      "present")])
        return Finding(note_zh="到会人数符合要求", note_en="quorum present")
    if ctx.entry_type == "PublicityHeld":
        on = v["start_on"]
    elif ctx.entry_type == "CaseConcluded" and v.get("outcome") == "任用":
        on = day
    else:
        return NOT_APPLICABLE
    decision = case.latest("Decided", cadre_id=v["cadre_id"], on=on)
    if decision is None or approved(decision, config):
        return Finding(note_zh="讨论决定同意", note_en="the meeting approved")
    fraction = config.fraction("selection.approval_fraction")
    yes, total = decision.values["votes"].get("同意", 0), decision.values["members_total"]
    return Finding([Violation("R-QUORUM", f"讨论决定（{decision.day}）同意{yes}票，未超过应到会{total}人的{fraction}",
                              f"the decision of {decision.day} had {yes} in favour, not more than "
                              f"{fraction} of {total}", "cadre_id")])


@guard("R-QUORUM", "讨论决定到会与同意人数", "decision meeting quorum and majority",
    source="选拔任用条例",
    judges="`Decided` (present); `PublicityHeld`, `CaseConcluded` 任用 (同意 majority)",
    thresholds=("selection.quorum_present_fraction", "selection.approval_fraction"))
def r_quorum(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    return quorum(ctx, config).violations


def recommend_valid(ctx: GuardContext, config: RuleConfig) -> Finding:
    """R-RECOMMEND-VALID: a shortlist rests on a recommendation of the case made within
    ``selection.recommendation_valid_months`` (valid from its date to date + months − 1 day).
    For each cadre, the latest recommendation in which they received votes (else the latest)."""
    day, case = _day(ctx), ctx.case
    if ctx.entry_type != "Shortlisted" or day is None or case is None:
        return NOT_APPLICABLE
    rounds = case.steps_of("Recommended", on=day)
    if not rounds:
        return Finding([Violation("R-RECOMMEND-VALID", f"未经民主推荐（截至{day}）", f"no recommendation by {day}",
                                  "cadre_ids")])
    months = config.int("selection.recommendation_valid_months")
    found: list[Violation] = []
    for cadre_id in ctx.values.get("cadre_ids", ()):
        voted = [r for r in rounds if r.values["votes"].get(str(cadre_id), 0) > 0]
        basis = (voted or rounds)[-1]
        until = last_day(basis.day, months)
        if day > until:
            history = ctx.candidates.get(cadre_id)
            who = history.name if history is not None and history.name else str(cadre_id)
            found.append(Violation("R-RECOMMEND-VALID", f"{who}的民主推荐（{basis.day}）有效期至{until}，已过期",
                                   f"the recommendation of {who} ({basis.day}) was valid until {until}",
                                   "cadre_ids"))
    return Finding(found, "民主推荐在有效期内", "recommendation still valid")


@guard("R-RECOMMEND-VALID", "民主推荐结果一年内有效", "recommendation valid for one year",
    source="选拔任用条例",
    judges="`Shortlisted`",
    thresholds=("selection.recommendation_valid_months",))
def r_recommend_valid(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    return recommend_valid(ctx, config).violations


def _seq(zh: str, en: str, field: str | None = None) -> Violation:
    return Violation("R-SEQ", zh, en, field)


def case_sequence(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    """R-SEQ for the procedure: the steps in their order, and an appointment's case."""
    day, v, case = _day(ctx), ctx.values, ctx.case
    if day is None:
        return []
    if ctx.entry_type == "CaseOpened":
        post = ctx.target_post
        where = f"{v.get('unit_code')}/{v.get('post_code')}"
        if post is None:
            return [_seq(f"职位不存在：{where}", f"no such post: {where}", "post_code")]
        if not post.exists_on(day):
            return [_seq(f"职位{where}在{day}未设立或已撤销", f"post {where} does not exist on {day}", "post_code")]
        return []
    if ctx.entry_type == "Appointed":
        return _appointment_sequence(ctx, day)
    if ctx.entry_type not in CASE_STEPS or case is None:
        return []
    found: list[Violation] = []
    if day < case.opened_on:
        found.append(_seq(f"早于动议日期（{case.opened_on}）", f"before the case was opened on {case.opened_on}",
                          "effective_on"))
    if ctx.entry_type == "Shortlisted":
        for cadre_id in v["cadre_ids"]:
            history = ctx.candidates.get(cadre_id)
            who = history.name if history is not None and history.name else str(cadre_id)
            if history is None or history.registered_on is None:
                found.append(_seq(f"干部{who}的建档记录已撤销", f"cadre {who} has no registration", "cadre_ids"))
            elif history.departed_on is not None and history.departed_on <= day:
                found.append(_seq(f"{who}已于{history.departed_on}离职", f"{who} departed on {history.departed_on}",
                                  "cadre_ids"))
            if case.shortlisted_on(cadre_id) is not None:
                found.append(_seq(f"{who}已列为考察对象", f"{who} is already shortlisted", "cadre_ids"))
    cadre_id = v.get("cadre_id")
    if isinstance(cadre_id, UUID):
        found += _cadre_step_sequence(ctx.entry_type, case, cadre_id, day, v.get("start_on"), v.get("outcome"))
    return found


def _cadre_step_sequence(step: str, case: SelectionCase, cadre_id: UUID, day: date, start_on: object,
                         outcome: object) -> list[Violation]:
    found: list[Violation] = []
    if case.shortlisted_on(cadre_id, day) is None:
        found.append(_seq(f"截至{day}尚未列为考察对象", f"not shortlisted by {day}", "cadre_id"))
    concluded = case.conclusion(cadre_id, on=day)
    if concluded is not None and concluded.values["outcome"] != "缓议":
        found.append(_seq(f"该干部的选任已有结论（{concluded.values['outcome']}，{concluded.day}）",
                          f"the case already concluded for this cadre on {concluded.day}", "cadre_id"))
    if step == "Decided" and case.latest("Inspected", cadre_id=cadre_id, on=day) is None:
        found.append(_seq(f"截至{day}尚未考察", f"not inspected by {day}", "cadre_id"))
    decided_by = start_on if step == "PublicityHeld" else day
    needs_decision = step == "PublicityHeld" or (step == "CaseConcluded" and outcome == "任用")
    if needs_decision and isinstance(decided_by, date) and case.latest(
            "Decided", cadre_id=cadre_id, on=decided_by) is None:
        found.append(_seq(f"截至{decided_by}尚未讨论决定", f"no decision by {decided_by}", "cadre_id"))
    return found


def _appointment_sequence(ctx: GuardContext, day: date) -> list[Violation]:
    v = ctx.values
    case_id = v.get("selection_case_id")
    if case_id is None:
        return []
    case = ctx.case
    if case is None:
        return [_seq(f"选任纪实不存在：{case_id}", f"no such selection case: {case_id}", "selection_case_id")]
    found: list[Violation] = []
    if (case.unit_code, case.post_code) != (v.get("unit_code"), v.get("post_code")):
        found.append(_seq(f"选任纪实针对的职位是{case.unit_code}/{case.post_code}",
                          f"the case is for post {case.unit_code}/{case.post_code}", "selection_case_id"))
    concluded = case.conclusion(ctx.cadre_id, on=day) if ctx.cadre_id is not None else None
    if concluded is None or concluded.values["outcome"] != "任用":
        found.append(_seq(f"选任纪实截至{day}未对该干部作出任用结论",
                          f"the case has not concluded 任用 for this cadre by {day}", "selection_case_id"))
    return found
