"""The rule catalog: every rule id of DOMAIN.md §6 with its kind, title and source.

Guards (§6.1) run when an entry is recorded; monitors (§6.2) run in the projections.
The functions that check them live beside this module, one function per id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Rule:
    id: str
    kind: Literal["guard", "monitor"]
    title_zh: str
    title_en: str
    source: str
    overridable: bool = True


_RULES = [
    # §6.1 guards
    Rule("R-ID", "guard", "身份证号与代码有效", "valid ID number and codes", "GB 11643", False),
    Rule("R-SEQ", "guard", "与纪实记录前后一致", "consistent with the record", "—", False),
    Rule("R-FUTURE", "guard", "生效日期不得晚于今天", "effective date not in the future", "—", False),
    Rule("R-EST", "guard", "不得超职数配备", "never over the establishment (职数)",
         "超职数配备 is a named violation"),
    Rule("R-SANCTION-PERIOD", "guard", "影响期内不得提拔或晋升", "no promotion in an influence period",
         "政务处分法; 党纪处分条例; 选拔任用条例"),
    Rule("R-INVESTIGATION", "guard", "立案审查期间不得提拔", "no promotion while investigated",
         "选拔任用条例 第24条"),
    Rule("R-ELIGIBLE", "guard", "不得列为考察对象", "may not be shortlisted", "选拔任用条例 2019 第24条"),
    Rule("R-PROMO-YEARS", "guard", "任职年限不足", "too few years in the lower post", "选拔任用条例 第8条"),
    Rule("R-LEAP", "guard", "不得越级提拔", "no leap of two grade levels", "选拔任用条例"),
    Rule("R-LATERAL", "guard", "平级交流不得变相提拔", "a lateral move keeps the level",
         "DOMAIN.md §6.4; 职务与职级并行规定 2019 第十九、二十一条"),
    Rule("R-RANK-YEARS", "guard", "职级晋升年限不足", "too few years at the lower rank",
         "职务与职级并行规定 2019"),
    Rule("R-FOUR-CHECKS", "guard", "凡提四必与双签字", "four checks and dual signature",
         "选拔任用条例 第31条"),
    Rule("R-PUBLICITY", "guard", "任前公示不少于5个工作日", "pre-appointment publicity ≥ 5 working days",
         "选拔任用条例"),
    Rule("R-QUORUM", "guard", "讨论决定到会与同意人数", "decision meeting quorum and majority",
         "选拔任用条例"),
    Rule("R-RECOMMEND-VALID", "guard", "民主推荐结果一年内有效", "recommendation valid for one year",
         "选拔任用条例"),
    Rule("R-GRADE-CAP", "guard", "受处分当年考核等次受限", "a sanction caps the annual grade",
         "DOMAIN.md §6.3; 公务员考核规定"),
    # overridable up to excellent_quota_approved with an approval (批准文号), never above it
    Rule("R-EXCELLENT-QUOTA", "guard", "年度考核优秀比例", "优秀 quota of a unit's annual assessment",
         "DOMAIN.md §6.3, §6.4; 公务员考核规定 2020"),
    # §6.2 monitors
    Rule("R-TALK-PROMO", "monitor", "提拔交流调整未谈话", "no talk after a promotion or transfer",
         "seed 002 五必谈"),
    Rule("R-TALK-CONCERN", "monitor", "苗头问题未谈话", "no talk after a concern", "五必谈"),
    Rule("R-TALK-DEPART", "monitor", "离任未谈话", "no talk on leaving", "五必谈"),
    Rule("R-TALK-SANCTION", "monitor", "受处理处分未谈话", "no talk after a sanction", "五必谈"),
    Rule("R-TALK-HARDSHIP", "monitor", "遭遇重大困难未谈话", "no talk after a hardship", "五必谈"),
    Rule("R-TRAIN-INITIAL", "monitor", "未完成初任培训", "no initial training (凡进必训)",
         "干部教育培训工作条例"),
    Rule("R-TRAIN-POST", "monitor", "未完成任职培训", "no post training (应训必训)", "干部教育培训工作条例"),
    Rule("R-TRAIN-HOURS", "monitor", "培训学时不足", "training hours short", "干部教育培训工作条例 2023"),
    Rule("R-PROBATION", "monitor", "试用期满未考核", "probation not concluded", "选拔任用条例"),
    Rule("R-FOLLOWUP", "monitor", "提任后未回访", "no follow-up talk after promotion", "seed 002"),
    Rule("R-ROTATE", "monitor", "同一岗位任职过久", "same leadership post too long", "seed 003"),
    Rule("R-DUAL-POST", "monitor", "同时担任两个领导职务（非兼任）", "two leadership posts held at once, neither 兼任",
         "DOMAIN.md §6.4"),
    Rule("R-SECONDMENT-OVERDUE", "monitor", "挂职逾期未结束", "secondment overdue", "—"),
    Rule("R-POOL-REVIEW", "monitor", "后备干部一年未考察", "pool member not reviewed in a year",
         "seed 002"),
    Rule("R-POOL-STALE", "monitor", "入库三年未使用", "in a pool three years unused", "local"),
    Rule("R-MERIT", "monitor", "连续三年优秀未记三等功", "three 优秀 years without merit", "考核规定"),
    Rule("R-UNFIT", "monitor", "连续两年不称职", "two 不称职 years", "公务员法"),
    Rule("R-PERSONAL-MATTERS", "monitor", "未按时报告个人有关事项", "personal matters not reported",
         "领导干部报告个人有关事项规定"),
    Rule("R-RUSH", "monitor", "突击提拔", "rushed promotions before the head leaves", "选拔任用条例"),
    Rule("R-OVERRIDE", "monitor", "规则被越权放行", "a guard was overridden", "—"),
    # §6.4 monitors
    Rule("R-CALENDAR-CHANGED", "monitor", "节假日安排变更改变公示结论",
         "a calendar change would judge a stored publicity differently", "DOMAIN.md §6.4; 选拔任用条例"),
]

RULES: dict[str, Rule] = {r.id: r for r in _RULES}
GUARDS = [r for r in _RULES if r.kind == "guard"]
MONITORS = [r for r in _RULES if r.kind == "monitor"]
