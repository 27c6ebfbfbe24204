"""The values a cadre's entries hold, named once: text kinds, ranks (职级), the manners of an
appointment, dismissal reasons, the grade scale of each kind of assessment (§6.3) and the talent pools."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from domain.bounds import CODE_LENGTH, NAME_LENGTH, NOTE_LENGTH
from domain.schema import Text

Name = Annotated[str, Text(NAME_LENGTH)]
Note = Annotated[str, Text(NOTE_LENGTH)]
UnitCode = Annotated[str, Text(CODE_LENGTH)]  # 单位代码 / 职位代码
DocumentNo = Annotated[str, Text(NAME_LENGTH)]  # 文号
Rank = Literal[
    "一级巡视员", "二级巡视员", "一级调研员", "二级调研员", "三级调研员", "四级调研员",
    "一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "一级科员", "二级科员",
]
PROMOTION_MANNERS = ("提拔", "破格提拔")
CONCURRENT_MANNER = "兼任"  # a concurrent post: held beside the others, ends none (R-DUAL-POST spares it)
DismissalReason = Literal["调动", "提拔", "退休", "辞职", "问责", "试用期不胜任", "组织处理", "晋升职级退出领导岗位"]
PostRef = Annotated[str, Text(2 * CODE_LENGTH + 1)]  # a post named in an entry as "UNIT/POST" (单位代码/职位代码)
AnnualGrade = Literal["优秀", "称职", "基本称职", "不称职", "不定等次"]
RoutineGrade = Literal["好", "较好", "一般", "较差"]
EvaluationGrade = Literal["优秀", "良好", "一般", "较差"]
LeaderGrade = Literal["优秀", "称职", "基本称职", "不称职"]  # 领导干部 任期考核 (考核工作条例 2019 第四十二条)
ProbationGrade = Literal["胜任", "不胜任"]  # 试用期满考核 (选拔任用条例 第四十六条), as ProbationConcluded
# §6.3 grade scales: the grades each kind of assessment (考核) may give.
GRADE_SCALES: dict[str, tuple[str, ...]] = {
    "年度": get_args(AnnualGrade),
    "平时": get_args(RoutineGrade),
    "专项": get_args(EvaluationGrade),
    "一线专项考察": get_args(EvaluationGrade),
    "任期": get_args(LeaderGrade),
    "试用期满": get_args(ProbationGrade),
}
Pool = Literal[
    "年轻干部库", "后备干部库", "两型干部库", "专业干部人才库", "党外干部库", "女干部库", "少数民族干部库",
]
