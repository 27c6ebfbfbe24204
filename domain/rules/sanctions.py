"""Sanctions and investigations: R-SANCTION-PERIOD, R-INVESTIGATION, R-GRADE-CAP.

Influence periods (影响期, DOMAIN.md §6.1) come from ``[sanction_period]`` in the rules file:

* 党纪 / 政务 处分: ``sanction_period.<track>.<kind>`` months; 留党察看: its own term (12 or
  24 months, 24 when the entry names none) plus ``留党察看_extra``; a kind listed in
  ``permanent_kinds`` (开除, 开除党籍) has no end.
* 组织处理 / 问责: 引咎辞职, 责令辞职 and 免职 give two periods, ``<kind>_no_leadership`` (no
  leadership post at all) and ``<kind>_no_higher`` (nothing higher); the other kinds
  ``sanction_period.组织处理.<kind>`` months (0: none).
* A kind not configured for its own track (e.g. a 政务 严重警告) takes the longest period
  configured for that kind in any track.

A period of M months starting on the entry's effective date S covers S … S + M months − 1
day; S + M months is the first day it no longer applies. When several apply, the one that
ends last governs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from domain.entry_values import PROMOTION_MANNERS
from domain.errors import Violation
from domain.history import History, SanctionRecord
from domain.rules.common import NOT_APPLICABLE, Finding, last_day
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext
from domain.rules.registry import guard

Scope = Literal["promotion", "leadership"]
LIUDANG_LONGEST_TERM = 24  # 留党察看 is 12 or 24 months; a missing term never shortens a period
GRADE_ORDER = ("优秀", "称职", "基本称职", "不定等次", "不称职")  # a cap allows itself and below


@dataclass(frozen=True)
class Influence:
    """One influence period of a sanction: no promotion, or no leadership post at all."""

    source: SanctionRecord
    scope: Scope
    start: date
    end: date | None  # the last day it applies; None: it never ends

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def until_zh(self) -> str:
        return "长期" if self.end is None else f"至{self.end}"

    def describe(self) -> tuple[str, str]:
        s = self.source
        what = f"{s.track}{s.kind}（{s.day}）"
        until_en = "with no end" if self.end is None else f"until {self.end}"
        if self.scope == "leadership":
            return (f"{what}：{self.until_zh}不得担任领导职务",
                    f"{s.track} {s.kind} of {s.day}: no leadership post {until_en}")
        return (f"处分影响期{self.until_zh}（{what}）",
                f"influence period {until_en}: {s.track} {s.kind} of {s.day}")


def _periods(s: SanctionRecord, config: RuleConfig) -> list[tuple[Scope, int | None]]:
    table: dict[str, Any] = dict(config.get("sanction_period"))
    if s.kind in table.get("permanent_kinds", ()):
        return [("promotion", None)]
    accountability: dict[str, Any] = table["问责"]
    if s.entry_type == "HandledOrganizationally" and f"{s.kind}_no_higher" in accountability:
        return [("leadership", accountability[f"{s.kind}_no_leadership"]),
                ("promotion", accountability[f"{s.kind}_no_higher"])]
    if s.kind == "留党察看":
        return [("promotion", (s.months or LIUDANG_LONGEST_TERM) + table["党纪"]["留党察看_extra"])]
    own = table.get(s.track)
    if isinstance(own, dict) and isinstance(own.get(s.kind), int):
        return [("promotion", own[s.kind])]
    elsewhere = [t[s.kind] for t in table.values() if isinstance(t, dict) and isinstance(t.get(s.kind), int)]
    return [("promotion", max(elsewhere))] if elsewhere else []


def influences(history: History, config: RuleConfig) -> list[Influence]:
    """Every influence period the cadre's sanctions and organisational handlings give."""
    found: list[Influence] = []
    for s in history.sanctions:
        for scope, months in _periods(s, config):
            if months is None:
                found.append(Influence(s, scope, s.day, None))
            elif months > 0:
                found.append(Influence(s, scope, s.day, last_day(s.day, months)))
    return found


def _latest(periods: list[Influence]) -> Influence:
    return max(periods, key=lambda i: (i.end is None, i.end or date.min))


def influence_finding(history: History, day: date, config: RuleConfig, scopes: set[str],
                      rule: str = "R-SANCTION-PERIOD") -> Finding:
    """The influence periods of the given scopes covering ``day``; the longest governs."""
    periods = [i for i in influences(history, config) if i.scope in scopes]
    covering = [i for i in periods if i.covers(day)]
    if covering:
        zh, en = _latest(covering).describe()
        return Finding([Violation(rule, zh, en, "effective_on")])
    ended = [i for i in periods if i.start <= day]
    if ended:
        last = _latest(ended)
        return Finding(note_zh=f"处分影响期已于{last.end}结束", note_en=f"influence period ended on {last.end}")
    return Finding(note_zh="无处分影响期", note_en="no influence period")


def _promotion_scopes(ctx: GuardContext) -> set[str] | None:
    """Which influence periods bar this entry: a promotion of post or rank is barred by every
    period; any appointment to a leadership post by the no-leadership periods."""
    if ctx.entry_type == "RankPromoted":
        return {"promotion", "leadership"}
    if ctx.entry_type == "Appointed":
        if ctx.values.get("manner") in PROMOTION_MANNERS:
            return {"promotion", "leadership"}
        if ctx.target_post is not None and ctx.target_post.leadership:
            return {"leadership"}
    return None


def sanction_period(ctx: GuardContext, config: RuleConfig) -> Finding:
    """R-SANCTION-PERIOD: no promotion of post or rank inside an influence period, and no
    leadership post inside a 问责 no-leadership period, judged on the entry's date."""
    day, scopes = ctx.values.get("effective_on"), _promotion_scopes(ctx)
    if ctx.as_of is None or not isinstance(day, date) or scopes is None:
        return NOT_APPLICABLE
    return influence_finding(ctx.as_of, day, config, scopes)


@guard("R-SANCTION-PERIOD", "影响期内不得提拔或晋升", "no promotion in an influence period",
    source="政务处分法; 党纪处分条例; 选拔任用条例",
    judges="promotions (提拔/破格提拔), `RankPromoted`; 问责 no-leadership periods: any appointment to a leadership "
           "post",
    as_of=True,
    thresholds=("sanction_period",))
def r_sanction_period(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    return sanction_period(ctx, config).violations


def open_investigation_finding(history: History, day: date, rule: str = "R-INVESTIGATION") -> Finding:
    """Investigations open on ``day``: opened on or before it and not closed by it (the day
    an investigation is closed is the first day it no longer bars a promotion)."""
    found = [Violation(rule, f"立案审查期间（{i.authority}，{i.opened_on}立案）",
                       f"under investigation by {i.authority} since {i.opened_on}", "effective_on")
             for i in history.open_investigations(day)]
    if found:
        return Finding(found)
    return Finding(note_zh="无未结束的立案审查", note_en="no open investigation")


def investigation(ctx: GuardContext, config: RuleConfig) -> Finding:
    """R-INVESTIGATION: no promotion of post or rank while an investigation is open."""
    day = ctx.values.get("effective_on")
    promotion = ctx.entry_type == "RankPromoted" or (
        ctx.entry_type == "Appointed" and ctx.values.get("manner") in PROMOTION_MANNERS)
    if ctx.as_of is None or not isinstance(day, date) or not promotion:
        return NOT_APPLICABLE
    return open_investigation_finding(ctx.as_of, day)


@guard("R-INVESTIGATION", "立案审查期间不得提拔", "no promotion while investigated",
    source="选拔任用条例 第24条",
    judges="promotions, `RankPromoted`",
    as_of=True)
def r_investigation(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    return investigation(ctx, config).violations


def grade_cap(ctx: GuardContext, config: RuleConfig) -> Finding:
    """R-GRADE-CAP (§6.3): a sanction in the year caps that year's 年度 grade (``grade_cap.cap``:
    警告/调整职务 → not 优秀, 严重警告/记过 → 不定等次, 撤销党内职务/留党察看/开除党籍 → 不称职);
    the kinds in ``grade_cap.next_year`` (记大过/降级/撤职) cap the next year too. The grade
    order for a cap is 优秀 > 称职 > 基本称职 > 不定等次 > 不称职; the most severe cap governs.
    Sanctions are those on the record on the assessment's effective date."""
    if ctx.entry_type != "Assessed" or ctx.as_of is None or ctx.values.get("kind") != "年度":
        return NOT_APPLICABLE
    period, grade = str(ctx.values.get("period", "")).strip(), ctx.values.get("grade")
    if not (len(period) == 4 and period.isdigit()) or grade not in GRADE_ORDER:
        return NOT_APPLICABLE
    year = int(period)
    caps: dict[str, str] = dict(config.get("grade_cap.cap"))
    next_year = set(config.get("grade_cap.next_year"))
    governing: tuple[int, SanctionRecord, str] | None = None
    for s in ctx.as_of.sanctions:
        cap = caps.get(s.kind)
        if cap is None or not (s.day.year == year or (s.day.year == year - 1 and s.kind in next_year)):
            continue
        severity = GRADE_ORDER.index(cap)
        if governing is None or severity > governing[0]:
            governing = (severity, s, cap)
    if governing is None:
        return Finding(note_zh=f"{year}年无限制考核等次的处分", note_en=f"no sanction caps the {year} grade")
    severity, s, cap = governing
    if GRADE_ORDER.index(str(grade)) >= severity:
        return Finding(note_zh=f"{year}年度等次{grade}符合{s.kind}的限制（最高{cap}）",
                       note_en=f"{year} grade {grade} is within the cap {cap} of {s.kind}")
    return Finding([Violation(
        "R-GRADE-CAP", f"{year}年度考核：受{s.track}{s.kind}（{s.day}），等次最高为{cap}，不得为{grade}",
        f"{year} annual grade capped at {cap} by {s.track} {s.kind} of {s.day}: cannot be {grade}", "grade")])


@guard("R-GRADE-CAP", "受处分当年考核等次受限", "a sanction caps the annual grade",
    source="DOMAIN.md §6.3; 公务员考核规定",
    judges="`Assessed` (年度)",
    as_of=True,
    thresholds=("grade_cap.cap", "grade_cap.next_year"))
def r_grade_cap(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    return grade_cap(ctx, config).violations
