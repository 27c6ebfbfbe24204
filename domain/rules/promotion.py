"""Promotion rules on the cadre's record: R-PROMO-YEARS, R-LEAP, R-RANK-YEARS, R-ELIGIBLE.

Each is judged on the entry's effective date, over the cadre's history as of that date
(``GuardContext.as_of``: entries effective on or before it, without the entry itself).

The level a cadre holds is the most senior of (a) the grades of the posts held up to that
date and (b) the grade the rank held corresponds to (``promotion.rank_grade``, 职务与职级
并行规定 2019 第十九条), so a 一级主任科员 without a leadership post stands at 乡科级正职.
Grade levels are those of ``domain.codes.grade_level`` (one step = one level).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from domain.codes import GRADES, grade_level, is_principal, rank_above, rank_index
from domain.entry_values import PROMOTION_MANNERS
from domain.errors import Violation
from domain.history import History
from domain.rules.common import NOT_APPLICABLE, Finding, add_months, add_years, completes_on, last_day
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext, PostKey
from domain.rules.registry import guard
from domain.rules.sanctions import influence_finding, open_investigation_finding

COUNTY_LEVEL = grade_level("132")  # 县处级副职: the county level and above


def held_level(history: History, day: date, grades: Mapping[PostKey, str], config: RuleConfig
               ) -> tuple[int, str, str]:
    """(level, Chinese, English) of the most senior grade held on or before ``day``."""
    best = (0, "无职务", "no post")
    for t in history.tenures:
        grade = grades.get((t.unit_code, t.post_code))
        if grade is not None and t.start <= day and grade_level(grade) > best[0]:
            best = (grade_level(grade), f"{GRADES[grade]}（{t.unit_code}/{t.post_code}）",
                    f"grade {grade} ({t.unit_code}/{t.post_code})")
    mapped = dict(config.get("promotion.rank_grade")).get(history.rank or "")
    if isinstance(mapped, str) and grade_level(mapped) > best[0]:
        best = (grade_level(mapped), f"职级{history.rank}（相当于{GRADES[mapped]}）",
                f"rank {history.rank} (equivalent to grade {mapped})")
    return best


def _promotion(ctx: GuardContext) -> tuple[date, str] | None:
    """(day, target grade) when the entry is a promotion to an existing post, else None."""
    day = ctx.values.get("effective_on")
    if (ctx.entry_type != "Appointed" or ctx.values.get("manner") not in PROMOTION_MANNERS
            or ctx.as_of is None or ctx.target_post is None or not isinstance(day, date)):
        return None
    return day, ctx.target_post.grade


def _exceptional(ctx: GuardContext) -> bool:
    """A 破格提拔 through a case opened as exceptional (破格)."""
    return ctx.values.get("manner") == "破格提拔" and ctx.case is not None and ctx.case.exceptional


def leap(ctx: GuardContext, config: RuleConfig) -> Finding:
    """R-LEAP: a promotion rises at most ``promotion.max_grade_steps`` levels above the level
    held (DOMAIN.md: never two grade levels at once). A 破格提拔 needs a case opened as
    exceptional, may rise ``promotion.exceptional_max_grade_steps`` levels (1 by default; 2
    would allow 越级 as 选拔任用条例 第十条 does), and is refused within
    ``promotion.exceptional_gap_months`` of the cadre's previous promotion (试用期未满或者提拔
    任职不满一年的，不得破格提拔 — our reading of "one per probation": the last forbidden day
    is that promotion's date + the months − 1 day)."""
    found = _promotion(ctx)
    if found is None:
        return NOT_APPLICABLE
    day, target = found
    assert ctx.as_of is not None
    level, held_zh, held_en = held_level(ctx.as_of, day, ctx.post_grades, config)
    jump = grade_level(target) - level
    violations: list[Violation] = []
    if ctx.values.get("manner") == "破格提拔":
        if not _exceptional(ctx):
            violations.append(Violation("R-LEAP", "破格提拔须经破格选任程序（动议时标明破格）",
                                        "a 破格 promotion needs a selection case opened as exceptional",
                                        "manner"))
        previous = [t.start for t in ctx.as_of.tenures if t.manner in PROMOTION_MANNERS and t.start <= day]
        months = config.int("promotion.exceptional_gap_months")
        if previous and day <= last_day(max(previous), months):
            until = last_day(max(previous), months)
            violations.append(Violation(
                "R-LEAP", f"上次提拔（{max(previous)}）未满{months}个月，{until}前不得破格提拔",
                f"less than {months} months since the promotion of {max(previous)}: "
                f"no 破格 promotion until {until}", "manner"))
    limit = config.int("promotion.exceptional_max_grade_steps" if _exceptional(ctx)
                       else "promotion.max_grade_steps")
    if jump > limit:
        violations.append(Violation(
            "R-LEAP", f"由{held_zh}提任{GRADES[target]}，跨{jump}个层次，超过{limit}个（越级提拔）",
            f"from {held_en} to grade {target} is {jump} grade levels, more than {limit}", "post_code"))
    return Finding(violations, f"由{held_zh}提任{GRADES[target]}，晋升{jump}个层次",
                   f"from {held_en} to grade {target}: {jump} level(s)")


@guard("R-LEAP", "不得越级提拔", "no leap of two grade levels",
    source="选拔任用条例",
    judges="promotions (a 破格 case: one per probation)",
    as_of=True,
    thresholds=("promotion.max_grade_steps", "promotion.exceptional_max_grade_steps",
                "promotion.exceptional_gap_months", "promotion.rank_grade"))
def r_leap(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    return leap(ctx, config).violations


def promo_years(ctx: GuardContext, config: RuleConfig) -> Finding:
    """R-PROMO-YEARS (选拔任用条例 第八条), for a promotion above the level held:

    * to a 正职 from the 副职 of its tier: ``promotion.deputy_to_principal_years`` at that 副职;
    * to a 副职 from the 正职 below: ``promotion.lower_principal_to_upper_deputy_years`` there;
    * entering 县处级 or above: ``promotion.county_level_work_years`` since work started
      (参加工作) and ``promotion.county_level_grassroots_years`` at the grassroots — posts in
      units of ``grassroots_unit_kinds`` and secondments of ``grassroots_secondment_kinds``.

    Years at a level add up over all posts of that grade (overlaps once); they are complete
    on the anniversary of the start of the time served (see ``common.completes_on``). A
    破格提拔 through an exceptional case may break these years (条例 第十条: 突破任职资格).
    """
    found = _promotion(ctx)
    if found is None:
        return NOT_APPLICABLE
    day, target = found
    h = ctx.as_of
    assert h is not None
    if _exceptional(ctx):
        return Finding(note_zh="破格提拔，可突破任职年限", note_en="exceptional: the years may be waived")
    level, _, _ = held_level(h, day, ctx.post_grades, config)
    if grade_level(target) <= level:
        return Finding(note_zh="不高于已任层次，不涉及任职年限", note_en="not above the level held")
    violations: list[Violation] = []
    notes: list[tuple[str, str]] = []
    source = next((g for g in GRADES if grade_level(g) == grade_level(target) - 1), None)
    if source is None:
        years: int | None = None
    elif is_principal(target):
        years = config.int("promotion.deputy_to_principal_years")
    elif is_principal(source):
        years = config.int("promotion.lower_principal_to_upper_deputy_years")
    else:
        years = None
    if years is not None and source is not None:
        spans = [(t.start, t.end) for t in h.tenures if ctx.post_grades.get((t.unit_code, t.post_code)) == source]
        done = completes_on(spans, day, years)
        what = f"{GRADES[source]}任职满{years}年"
        if done is None or done > day:
            when = f"，{done}方满" if done else "，现未在该层次任职"
            violations.append(Violation("R-PROMO-YEARS", f"{what}方可提任{GRADES[target]}{when}",
                                        f"{years} years at grade {source} needed for grade {target}"
                                        + (f": complete on {done}" if done else ": not serving there now"),
                                        "effective_on"))
        else:
            notes.append((f"{what}（{done}）", f"{years} years at grade {source} complete on {done}"))
    if grade_level(target) >= COUNTY_LEVEL > level:
        work_years = config.int("promotion.county_level_work_years")
        started = h.work_started_on
        if started is not None and add_years(started, work_years) > day:
            due = add_years(started, work_years)
            violations.append(Violation(
                "R-PROMO-YEARS", f"提任县处级须工龄满{work_years}年（{started}参加工作，{due}方满）",
                f"county level needs {work_years} years of work (started {started}, complete on {due})",
                "effective_on"))
        grassroots_years = config.int("promotion.county_level_grassroots_years")
        unit_kinds = set(config.get("promotion.grassroots_unit_kinds"))
        secondment_kinds = set(config.get("promotion.grassroots_secondment_kinds"))
        spans = [(t.start, t.end) for t in h.tenures if ctx.unit_kinds.get(t.unit_code) in unit_kinds]
        spans += [(s.start, s.end) for s in h.secondments if s.kind in secondment_kinds]
        done = completes_on(spans, day, grassroots_years)
        if done is None or done > day:
            violations.append(Violation(
                "R-PROMO-YEARS", f"提任县处级须有{grassroots_years}年以上基层工作经历"
                + (f"（{done}方满）" if done else ""),
                f"county level needs {grassroots_years} years at the grassroots"
                + (f" (complete on {done})" if done else ""), "effective_on"))
        else:
            notes.append((f"工龄与基层经历已满（{done}）", f"work and grassroots years complete ({done})"))
    if not notes:
        notes.append(("无任职年限要求", "no years requirement"))
    return Finding(violations, "；".join(n[0] for n in notes), "; ".join(n[1] for n in notes))


@guard("R-PROMO-YEARS", "任职年限不足", "too few years in the lower post",
    source="选拔任用条例 第8条",
    judges="promotions",
    as_of=True,
    thresholds=("promotion.deputy_to_principal_years", "promotion.lower_principal_to_upper_deputy_years",
                "promotion.county_level_work_years", "promotion.county_level_grassroots_years",
                "promotion.grassroots_unit_kinds", "promotion.grassroots_secondment_kinds", "promotion.rank_grade"))
def r_promo_years(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    return promo_years(ctx, config).violations


def rank_years(ctx: GuardContext, config: RuleConfig) -> Finding:
    """R-RANK-YEARS (职务与职级并行规定 2019): a rank promotion is one step up, after
    ``rank.years_to.<rank>`` (else ``rank.default_years``) at the lower rank, counted from the
    day it was attained (registration, or the promotion or demotion that gave it). Each
    年度 优秀 shortens this by ``rank.excellent_shortens_months``; a year graded in
    ``rank.not_counted_grades`` does not count (adds 12 months). The years considered are the
    年度 assessments on the record on the promotion date for years ≥ the year the rank was
    attained. Due date = attained + years × 12 − 优秀 × shortening + not-counted × 12 months;
    the day before it is the last forbidden day."""
    day = ctx.values.get("effective_on")
    if ctx.entry_type != "RankPromoted" or ctx.as_of is None or not isinstance(day, date):
        return NOT_APPLICABLE
    h, lower, upper = ctx.as_of, str(ctx.values["from_rank"]), str(ctx.values["to_rank"])
    spells = [s for s in h.ranks if s.rank == lower]
    if not spells or rank_index(upper) >= rank_index(lower):
        return NOT_APPLICABLE  # R-SEQ: the rank held or the direction is wrong
    violations: list[Violation] = []
    if rank_above(lower) != upper:
        violations.append(Violation("R-RANK-YEARS", f"职级须逐级晋升：{lower}的上一职级为{rank_above(lower)}",
                                    f"ranks rise one step at a time: above {lower} is {rank_above(lower)}",
                                    "to_rank"))
    since = spells[-1].since
    years = int(dict(config.get("rank.years_to")).get(upper, config.int("rank.default_years")))
    shorten = config.int("rank.excellent_shortens_months")
    not_counted = set(config.get("rank.not_counted_grades"))
    counted = {y: a.grade for y, a in h.annual_grades().items() if y >= since.year}
    excellent = sorted(y for y, g in counted.items() if g == "优秀")
    lost = sorted(y for y, g in counted.items() if g in not_counted)
    due = add_months(since, years * 12 - len(excellent) * shorten + len(lost) * 12)
    basis_zh = f"{lower}自{since}起须满{years}年"
    basis_en = f"{years} years at {lower} from {since}"
    if excellent:
        basis_zh += f"，优秀{len(excellent)}年（{'、'.join(map(str, excellent))}）各缩短{shorten}个月"
        basis_en += f", shortened {shorten} months for each 优秀 year ({', '.join(map(str, excellent))})"
    if lost:
        basis_zh += f"，{'、'.join(map(str, lost))}年度不计"
        basis_en += f", not counting {', '.join(map(str, lost))}"
    if day < due:
        violations.append(Violation("R-RANK-YEARS", f"{basis_zh}，{due}起方可晋升{upper}",
                                    f"{basis_en}: promotion to {upper} from {due}", "effective_on"))
    return Finding(violations, f"{basis_zh}，{due}起可晋升", f"{basis_en}: eligible from {due}")


@guard("R-RANK-YEARS", "职级晋升年限不足", "too few years at the lower rank",
    source="职务与职级并行规定 2019",
    judges="`RankPromoted`",
    as_of=True,
    thresholds=("rank.default_years", "rank.years_to", "rank.excellent_shortens_months", "rank.not_counted_grades"))
def r_rank_years(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    return rank_years(ctx, config).violations


def eligibility_problems(history: History, day: date, config: RuleConfig) -> list[tuple[str, str]]:
    """Why a cadre may not be shortlisted (考察对象) on ``day`` (选拔任用条例 第二十四条): last
    year's 年度 grade in ``eligibility.disqualifying_grades``; inside an influence period;
    an investigation open. Empty when the cadre may be."""
    problems: list[tuple[str, str]] = []
    last = history.annual_grades().get(day.year - 1)
    if last is not None and last.grade in config.get("eligibility.disqualifying_grades"):
        problems.append((f"上一年度（{last.year}）考核为{last.grade}",
                         f"last year's ({last.year}) annual grade is {last.grade}"))
    for finding in (influence_finding(history, day, config, {"promotion", "leadership"}),
                    open_investigation_finding(history, day)):
        problems += [(v.message_zh, v.message_en) for v in finding.violations]
    return problems


def eligible(ctx: GuardContext, config: RuleConfig) -> Finding:
    """R-ELIGIBLE: each cadre shortlisted must pass ``eligibility_problems`` on the day."""
    day = ctx.values.get("effective_on")
    if ctx.entry_type != "Shortlisted" or not isinstance(day, date):
        return NOT_APPLICABLE
    violations: list[Violation] = []
    for cadre_id in ctx.values.get("cadre_ids", ()):
        history = ctx.candidates.get(cadre_id)
        if history is None:
            continue
        who = history.name or str(cadre_id)
        violations += [Violation("R-ELIGIBLE", f"{who}不得列为考察对象：{zh}", f"{who} may not be shortlisted: {en}",
                                 "cadre_ids") for zh, en in eligibility_problems(history, day, config)]
    return Finding(violations, "可列为考察对象", "may be shortlisted")


@guard("R-ELIGIBLE", "不得列为考察对象", "may not be shortlisted",
    source="选拔任用条例 2019 第24条",
    judges="`Shortlisted`",
    thresholds=("eligibility.disqualifying_grades", "sanction_period"))
def r_eligible(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    return eligible(ctx, config).violations
