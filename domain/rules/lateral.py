"""R-LATERAL: a lateral move keeps the level (平级交流不得变相提拔, DOMAIN.md §6.4).

An ``Appointed`` whose manner is one of ``appointment.lateral_manners`` (平职交流 · 轮岗 · 调任 ·
转任) moves the cadre without promoting them: the new post's level (职务层次, its ``grade``) may
not be above the level the cadre stands at that day. Judged, like the promotion rules, on the
appointment's effective date over the cadre's history as of that date without the entry itself.

The level stood at that day is:

* the highest grade of the **leadership posts** (领导职务) held that day. A post left that very
  day counts: a transfer is recorded as 免职 and 任职 of one date (or as one 任…免… appointment
  whose ``ends_posts`` end the old posts that day), and the move is judged against what it
  leaves. A leader's rank (职级) does not raise this level: a 副镇长 who holds the rank
  一级主任科员 becomes 镇长 only by promotion (提拔, 选拔任用条例), never by exchange.
* for a cadre holding **no leadership post** that day, the level their rank (职级) stands at
  (``promotion.rank_grade``, 职务与职级并行规定 2019 第十九条). 第二十一条 lets a cadre move between a
  rank and the leadership post of the corresponding level (领导职务与职级互相转任): a 一级主任科员
  (乡科级正职) may be 转任 to a 乡科级正职 post, a 一级科员 (科员级) may not be 平职交流 to a 副科长.
  Non-leadership posts held do not count: their grade says less than the rank held.

A cadre the record places nowhere and gives no rank (a retracted registration) is left to R-SEQ.
Overridable: a move the regulations allow as an exception can be stored with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from domain.codes import GRADES, grade_level
from domain.errors import Violation
from domain.history import History
from domain.rules.common import NOT_APPLICABLE, Finding
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext, PostKey
from domain.rules.registry import guard


def level_kept(history: History, day: date, grades: Mapping[PostKey, str], leading: frozenset[PostKey],
               config: RuleConfig) -> tuple[int, str, str] | None:
    """(level, Chinese, English) a lateral move on ``day`` must not rise above, or None if the
    record gives none: the leadership posts held that day (or left that day), else the rank."""
    best: tuple[int, str, str] | None = None
    for t in history.tenures:
        key = (t.unit_code, t.post_code)
        grade = grades.get(key)
        held_that_day = t.start <= day and (t.end is None or t.end >= day)
        if grade is None or key not in leading or not held_that_day:
            continue
        if best is None or grade_level(grade) > best[0]:
            best = (grade_level(grade), f"所任领导职务{GRADES[grade]}（{t.unit_code}/{t.post_code}）",
                    f"the leadership post of grade {grade} held ({t.unit_code}/{t.post_code})")
    if best is not None:
        return best
    mapped = dict(config.get("promotion.rank_grade")).get(history.rank or "")
    if isinstance(mapped, str):
        return (grade_level(mapped), f"职级{history.rank}相当的{GRADES[mapped]}",
                f"grade {mapped}, which the rank {history.rank} stands at (no leadership post held)")
    return None


def lateral(ctx: GuardContext, config: RuleConfig) -> Finding:
    """R-LATERAL: a 平职交流 / 轮岗 / 调任 / 转任 may not rise above the level held (see the module)."""
    day = ctx.values.get("effective_on")
    manner = ctx.values.get("manner")
    if (ctx.entry_type != "Appointed" or manner not in config.get("appointment.lateral_manners")
            or ctx.as_of is None or ctx.target_post is None or not isinstance(day, date)):
        return NOT_APPLICABLE
    target = ctx.target_post.grade
    kept = level_kept(ctx.as_of, day, ctx.post_grades, ctx.leading_posts, config)
    if kept is None:
        return NOT_APPLICABLE
    level, held_zh, held_en = kept
    if grade_level(target) > level:
        return Finding([Violation(
            "R-LATERAL", f"{manner}至{GRADES[target]}职位，高于{held_zh}：属变相提拔，须按提拔程序办理",
            f"a lateral move ({manner}) to a post of grade {target} rises above {held_en}: "
            "a promotion in disguise", "post_code")])
    return Finding(note_zh=f"{manner}至{GRADES[target]}，不高于{held_zh}",
                   note_en=f"{manner} to grade {target}, not above {held_en}")


@guard("R-LATERAL", "平级交流不得变相提拔", "a lateral move keeps the level",
    source="DOMAIN.md §6.4; 职务与职级并行规定 2019 第十九、二十一条",
    judges="appointments by a lateral manner (平职交流 · 轮岗 · 调任 · 转任): the new post's grade not above "
           "the highest leadership post held that day (one left that day counts), or — holding none — the "
           "level of the rank",
    as_of=True,
    thresholds=("appointment.lateral_manners", "promotion.rank_grade"))
def r_lateral(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    return lateral(ctx, config).violations
